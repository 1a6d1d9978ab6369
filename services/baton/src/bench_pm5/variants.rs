//! Driving PM5's variants as the specification's client does: A (closed loop), the
//! fixed-rate open loop, and B (all runs paused at their gate, then all approved).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use baton_platform::bus::{Bus, Envelope};
use baton_schemas::OrchestratorEvent;
use baton_skills::pm5;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::{Plan, Variant, ms, setup::Running, tracker::Finished};
use crate::bench_seq::approval;

/// How long any one run may take before the benchmark gives up on it.
pub(super) const RUN_TIMEOUT: Duration = Duration::from_secs(300);

pub async fn drive(r: &Running, plan: &Plan) -> anyhow::Result<Value> {
    match plan.variant {
        Variant::A => Ok(closed_loop(r, plan, None).await?.0),
        Variant::Rate => fixed_rate(r, plan).await,
        Variant::B => gated(r, plan).await,
        Variant::Crash => {
            let victim = plan
                .victim
                .ok_or_else(|| anyhow::anyhow!("the crash check needs a service to kill"))?;
            super::crash::drive(r, plan, victim).await
        }
        Variant::Soak => super::soak::drive(r, plan).await,
        Variant::Chaos => anyhow::bail!("the fault run is driven by bench_pm5::chaos"),
    }
}

/// Latencies and failures, shared by a variant's concurrent clients.
struct Tally {
    latency: Mutex<Histogram<u64>>,
    not_completed: AtomicUsize,
}

impl Tally {
    fn new() -> anyhow::Result<Arc<Tally>> {
        Ok(Arc::new(Tally {
            latency: Mutex::new(Histogram::new(3)?),
            not_completed: AtomicUsize::new(0),
        }))
    }

    /// Records a run that ended at `f`, measured from `from`.
    fn record(&self, from: Instant, f: Finished) {
        if !f.completed {
            self.not_completed.fetch_add(1, Ordering::Relaxed);
        }
        let us = f.at.saturating_duration_since(from).as_micros().max(1) as u64;
        let mut h = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let _ = h.record(us);
    }

    fn json(&self) -> Value {
        let h = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let q = |p: f64| ms(Duration::from_micros(h.value_at_quantile(p)));
        json!({
            "latency_ms": { "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "max": q(1.0) },
            "runs_not_completed": self.not_completed.load(Ordering::Relaxed),
        })
    }
}

/// Publishes run `i`'s event; the receiver resolves when the client sees the run end.
async fn submit(r: &Running, plan: &Plan, i: usize) -> anyhow::Result<oneshot::Receiver<Finished>> {
    let ev = pm5::Event::nth(&plan.tag, i as u64);
    let event_id = uuid::Uuid::now_v7().to_string();
    let wire = OrchestratorEvent {
        event_id: event_id.clone(),
        event_type: plan.event_type(i).into(),
        source: "bench:pm5".into(),
        org_id: ev.org_id,
        user_id: ev.user_id,
        payload: json!({ "meeting_id": ev.meeting_id, "contact_id": ev.contact_id }),
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        dedupe_key: Some(ev.meeting_id),
    };
    let done = r.tracker.wait_event(&event_id);
    publish(r, r.client.producer.envelope(&wire)?).await?;
    Ok(done)
}

/// Publishes `envelope`, again while the bus is down (the fault run restarts the database
/// and the broker): the same message, so the router's dedupe sees one run.
pub(super) async fn publish(r: &Running, envelope: Envelope) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        match r.client.bus.publish(vec![envelope.clone()]).await {
            Ok(()) => return Ok(()),
            Err(e) if started.elapsed() > RUN_TIMEOUT => {
                return Err(anyhow::Error::from(e)
                    .context(format!("publishing for {}s", RUN_TIMEOUT.as_secs())));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

async fn finished(rx: oneshot::Receiver<Finished>, what: &str) -> anyhow::Result<Finished> {
    match tokio::time::timeout(RUN_TIMEOUT, rx).await {
        Ok(Ok(f)) => Ok(f),
        Ok(Err(_)) => anyhow::bail!("{what}: the audit consumer stopped"),
        Err(_) => anyhow::bail!("{what} did not finish within {}s", RUN_TIMEOUT.as_secs()),
    }
}

/// Prints progress every few seconds to stderr while `done` grows to `n`.
fn progress(label: &'static str, done: Arc<AtomicUsize>, n: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let d = done.load(Ordering::Relaxed);
            if d >= n {
                break;
            }
            eprintln!("  … {d}/{n} {label}");
        }
    })
}

fn throughput(n: usize, wall: Duration) -> Value {
    let runs = n as f64 / wall.as_secs_f64();
    json!({
        "wall_s": (wall.as_secs_f64() * 1000.0).round() / 1000.0,
        "runs_per_s": (runs * 10.0).round() / 10.0,
        "steps_per_s": (runs * 50.0).round() / 10.0,
    })
}

pub(super) fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Runs from `from` on wait until `open` turns true (the fault run keeps its last runs back
/// until its last fault has struck, so every fault strikes a run in progress).
pub(super) struct Hold {
    pub from: usize,
    pub open: tokio::sync::watch::Receiver<bool>,
}

/// Variant A: `in_flight` clients, each submitting its next run when the last completed.
/// Its figures, and when the last run completed.
pub(super) async fn closed_loop(
    r: &Running,
    plan: &Plan,
    hold: Option<&Hold>,
) -> anyhow::Result<(Value, Instant)> {
    let next = AtomicUsize::new(0);
    let done = Arc::new(AtomicUsize::new(0));
    let tally = Tally::new()?;
    let ticker = progress("runs completed", done.clone(), plan.n);
    let started = Instant::now();
    let client = || async {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= plan.n {
                return anyhow::Ok(());
            }
            if let Some(h) = hold.filter(|h| i >= h.from) {
                h.open.clone().wait_for(|open| *open).await?;
            }
            let t0 = Instant::now();
            let rx = submit(r, plan, i).await?;
            tally.record(t0, finished(rx, &format!("run {i}")).await?);
            done.fetch_add(1, Ordering::Relaxed);
        }
    };
    let clients = futures::future::try_join_all((0..plan.in_flight).map(|_| client())).await;
    let wall = started.elapsed();
    ticker.abort();
    clients?;
    let figures = merge(
        merge(
            json!({ "in_flight": plan.in_flight }),
            throughput(plan.n, wall),
        ),
        tally.json(),
    );
    Ok((figures, started + wall))
}

/// The fixed-rate run: run i submitted at t0 + i/rate whatever is in flight; latency from
/// its scheduled time (no coordinated omission).
pub(super) async fn fixed_rate(r: &Running, plan: &Plan) -> anyhow::Result<Value> {
    anyhow::ensure!(plan.rate > 0.0, "the fixed-rate run needs a rate above 0");
    let done = Arc::new(AtomicUsize::new(0));
    let tally = Tally::new()?;
    let ticker = progress("runs completed", done.clone(), plan.n);
    let t0 = tokio::time::Instant::now();
    let run = |i: usize| {
        let (tally, done) = (tally.clone(), done.clone());
        async move {
            let due = t0 + Duration::from_secs_f64(i as f64 / plan.rate);
            tokio::time::sleep_until(due).await;
            let rx = submit(r, plan, i).await?;
            tally.record(due.into_std(), finished(rx, &format!("run {i}")).await?);
            done.fetch_add(1, Ordering::Relaxed);
            anyhow::Ok(())
        }
    };
    let runs = futures::future::try_join_all((0..plan.n).map(run)).await;
    let wall = t0.elapsed();
    ticker.abort();
    runs?;
    Ok(merge(
        merge(
            json!({ "offered_per_s": plan.rate }),
            throughput(plan.n, wall),
        ),
        tally.json(),
    ))
}

/// A run paused at its gate: job, pending action, the job's user and org.
pub(super) type Gate = (uuid::Uuid, uuid::Uuid, String, String);

/// The run's jobs paused at their gate.
pub(super) async fn paused(r: &Running, plan: &Plan) -> anyhow::Result<Vec<Gate>> {
    Ok(sqlx::query_as(
        "SELECT j.id, p.id, j.user_id, j.org_id FROM sequence_jobs j
         JOIN slack_pending_actions p ON p.job_id = j.id AND p.status = 'pending'
         WHERE j.event_type = ANY($1) AND j.status = 'awaiting_approval'
           AND j.trigger_payload->>'meeting_id' LIKE $2",
    )
    .bind(plan.variant.event_types())
    .bind(plan.meetings_like())
    .fetch_all(&r.owner)
    .await?)
}

/// Variant B: phase 1 submits every run (64 submissions in flight) and polls Baton's state
/// every 100 ms until all are paused at their gate; phase 2 waits for every run, pauses 1 s,
/// and approves all of them as each job's user (64 in flight).
async fn gated(r: &Running, plan: &Plan) -> anyhow::Result<Value> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let submitter = || async {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= plan.n {
                return anyhow::Ok(());
            }
            drop(submit(r, plan, i).await?);
        }
    };
    futures::future::try_join_all((0..plan.in_flight).map(|_| submitter())).await?;
    let gates = loop {
        let gates = paused(r, plan).await?;
        if gates.len() >= plan.n {
            break gates;
        }
        anyhow::ensure!(
            started.elapsed() < RUN_TIMEOUT,
            "only {} of {} runs paused within {}s",
            gates.len(),
            plan.n,
            RUN_TIMEOUT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let to_paused = started.elapsed();
    let waiters: Vec<_> = gates
        .iter()
        .map(|(job, ..)| r.tracker.wait_job(&job.to_string()))
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (sent_at, approvals_wall) = approve_all(r, &gates, plan.in_flight).await?;
    let first = sent_at.iter().min().copied().unwrap_or_else(Instant::now);
    let tally = Tally::new()?;
    let mut last = first;
    for ((rx, sent), (job, ..)) in waiters.into_iter().zip(&sent_at).zip(&gates) {
        let f = finished(rx, &format!("job {job}")).await?;
        last = last.max(f.at);
        tally.record(*sent, f);
    }
    let secs = |d: Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    Ok(merge(
        json!({
            "in_flight": plan.in_flight,
            "time_to_all_paused_s": secs(to_paused),
            "paused_per_s": (plan.n as f64 / to_paused.as_secs_f64() * 10.0).round() / 10.0,
            "approvals_per_s": (plan.n as f64 / approvals_wall.as_secs_f64() * 10.0).round() / 10.0,
            "first_approval_to_all_done_s": secs(last.saturating_duration_since(first)),
            "runs_per_s": (plan.n as f64 / (to_paused + last.saturating_duration_since(first)).as_secs_f64() * 10.0).round() / 10.0,
        }),
        rename_latency(tally.json(), "approval_to_completion_ms"),
    ))
}

fn rename_latency(mut v: Value, name: &str) -> Value {
    if let Some(o) = v.as_object_mut()
        && let Some(l) = o.remove("latency_ms")
    {
        o.insert(name.to_string(), l);
    }
    v
}

/// Publishes an Approve for every gate, `in_flight` at a time; returns when each was sent
/// (in `gates`' order) and how long sending all took.
pub(super) async fn approve_all(
    r: &Running,
    gates: &[Gate],
    in_flight: usize,
) -> anyhow::Result<(Vec<Instant>, Duration)> {
    let next = AtomicUsize::new(0);
    let sent: Vec<Mutex<Option<Instant>>> = gates.iter().map(|_| Mutex::new(None)).collect();
    let started = Instant::now();
    let approver = || async {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, pending, user, org)) = gates.get(i) else {
                return anyhow::Ok(());
            };
            let envelope = r.client.producer.envelope(&approval(org, *pending, user))?;
            *sent[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
            publish(r, envelope).await?;
        }
    };
    futures::future::try_join_all((0..in_flight).map(|_| approver())).await?;
    let wall = started.elapsed();
    let at = sent
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or(started)
        })
        .collect();
    Ok((at, wall))
}
