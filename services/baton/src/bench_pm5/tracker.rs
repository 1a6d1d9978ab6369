//! How the PM5 client sees a run complete, as a real client would: by consuming
//! `baton.audit` (`job.created` names the job's event, `job.completed` — or `job.failed`,
//! `job.cancelled` — ends it), never by sleeping or reading Baton's tables.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Instant,
};

use baton_platform::{
    bus::{Bus, BusConsumer},
    service::Service,
};
use baton_schemas::{AuditRecord, Topic};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

/// How a run ended, and when the client saw it.
#[derive(Debug, Clone, Copy)]
pub struct Finished {
    pub at: Instant,
    pub completed: bool,
}

/// What a waiter is keyed by: the event the client published, or a job it already knows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Event(String),
    Job(String),
}

#[derive(Default)]
struct State {
    /// job → its event, from `job.created`.
    event_of: HashMap<String, String>,
    /// event → its job.
    job_of: HashMap<String, String>,
    /// Jobs that ended, and how.
    finished: HashMap<String, Finished>,
    waiters: HashMap<Key, oneshot::Sender<Finished>>,
}

impl State {
    /// Wakes the waiter of `job` (by job, or by its event) if it has ended.
    fn resolve(&mut self, job: &str) {
        let Some(&f) = self.finished.get(job) else {
            return;
        };
        let by_event = self.event_of.get(job).map(|e| Key::Event(e.clone()));
        for key in [Some(Key::Job(job.to_string())), by_event]
            .into_iter()
            .flatten()
        {
            if let Some(w) = self.waiters.remove(&key) {
                let _ = w.send(f);
            }
        }
    }
}

/// The audit consumer and the runs waited for.
#[derive(Clone)]
pub struct Tracker {
    state: Arc<Mutex<State>>,
}

impl Tracker {
    /// Follows the audit topic of `svc`'s bus from its start (the topics are the run's own)
    /// until `stop`.
    pub async fn start(
        svc: &Service,
        stop: CancellationToken,
    ) -> anyhow::Result<(Tracker, tokio::task::JoinHandle<anyhow::Result<()>>)> {
        let topic = Topic::Audit.name(&svc.topic_prefix);
        let group = format!("bench-pm5-client-{}", uuid::Uuid::now_v7().simple());
        let mut consumer = svc
            .bus
            .subscribe(&group, std::slice::from_ref(&topic))
            .await?;
        let tracker = Tracker {
            state: Arc::default(),
        };
        let t = tracker.clone();
        let wire = svc.wire.clone();
        let task = tokio::spawn(async move {
            loop {
                let d = tokio::select! {
                    _ = stop.cancelled() => break,
                    d = consumer.next() => d,
                };
                // The fault run restarts the database and the broker under the client: it
                // reads on once they are back (what it has not stored it reads again).
                let record: anyhow::Result<AuditRecord> = match d {
                    Ok(d) => wire.decode(&d.payload).await.map_err(Into::into),
                    Err(e) => Err(e.into()),
                };
                match record {
                    Ok(r) => t.observe(&r),
                    Err(e) => {
                        eprintln!("  the client's audit consumer: {e:#} (reading on)");
                        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                    }
                }
            }
            consumer.close().await?;
            Ok(())
        });
        Ok((tracker, task))
    }

    fn observe(&self, r: &AuditRecord) {
        let Some(job) = r.job_id.as_deref() else {
            return;
        };
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let ended = match r.action.as_str() {
            "job.created" => {
                if let Some(event) = r.detail["event_id"].as_str() {
                    s.event_of.insert(job.to_string(), event.to_string());
                    s.job_of.insert(event.to_string(), job.to_string());
                }
                None
            }
            "job.completed" => Some(true),
            "job.failed" | "job.cancelled" => Some(false),
            _ => None,
        };
        if let Some(completed) = ended {
            let f = Finished {
                at: Instant::now(),
                completed,
            };
            s.finished.entry(job.to_string()).or_insert(f);
        }
        s.resolve(job);
    }

    fn wait(&self, key: Key) -> oneshot::Receiver<Finished> {
        let (tx, rx) = oneshot::channel();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let ended = match &key {
            Key::Job(j) => Some(j.clone()),
            Key::Event(e) => s.job_of.get(e).cloned(),
        };
        s.waiters.insert(key, tx);
        if let Some(job) = ended {
            s.resolve(&job);
        }
        rx
    }

    /// The end of the run started by event `event_id` (registered before it is published).
    pub fn wait_event(&self, event_id: &str) -> oneshot::Receiver<Finished> {
        self.wait(Key::Event(event_id.to_string()))
    }

    /// How many runs the client has seen complete.
    pub fn completed(&self) -> usize {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.finished.values().filter(|f| f.completed).count()
    }

    /// When the client first saw a run complete after `t`.
    pub fn first_completion_after(&self, t: Instant) -> Option<Instant> {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.finished
            .values()
            .filter(|f| f.completed && f.at > t)
            .map(|f| f.at)
            .min()
    }

    /// The end of job `job_id`.
    pub fn wait_job(&self, job_id: &str) -> oneshot::Receiver<Finished> {
        self.wait(Key::Job(job_id.to_string()))
    }
}
