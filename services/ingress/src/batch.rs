//! Group commit: deliveries that record a receipt, stage what they publish and perhaps store
//! a transcript are written several per transaction — per org, their receipts in one
//! statement, their transcripts in one and their messages in one append; if that fails,
//! again one by one under a savepoint each, so one that fails leaves the others alone — and
//! every one is answered only after the transaction holding it committed. Under load the
//! batches grow by themselves (what arrived while the previous commit ran); alone, a
//! delivery is its own batch. Several writers (`ingress.group_commit_writers`) keep that many
//! transactions in flight. A failed commit answers every delivery of the batch 503, never a
//! late 2xx.

use std::{collections::BTreeMap, sync::Arc};

use baton_platform::{
    bus::{Bus, Envelope},
    service::Service,
};
use baton_schemas::OrgId;
use sqlx::{Connection, PgConnection, Postgres, pool::PoolConnection};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::{Answer, Rejection, meetingbaas::Transcript, receipts::Receipt};

/// One delivery to write: its receipt, what it publishes and the transcript it stores.
pub struct Delivery {
    pub receipt: Receipt,
    pub staged: Vec<Envelope>,
    pub transcript: Option<Transcript>,
}

struct Job {
    delivery: Delivery,
    reply: oneshot::Sender<Answer>,
}

/// The handle request handlers submit through.
#[derive(Clone)]
pub struct Batcher {
    jobs: mpsc::Sender<Job>,
}

impl Batcher {
    /// Starts `writers` writers, each writing at most `max` deliveries per transaction.
    pub fn start(svc: Service, max: usize, writers: usize) -> Batcher {
        let (jobs, rx) = mpsc::channel(max.max(1) * 4);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..writers.max(1) {
            tokio::spawn(writer(svc.clone(), rx.clone(), max.max(1)));
        }
        Batcher { jobs }
    }

    /// Writes `delivery` in the next batch; the answer once it committed.
    pub async fn submit(&self, delivery: Delivery) -> Answer {
        let (reply, answer) = oneshot::channel();
        let job = Job { delivery, reply };
        if self.jobs.send(job).await.is_err() {
            return unavailable("the ingress is stopping");
        }
        answer
            .await
            .unwrap_or_else(|_| unavailable("the writer stopped"))
    }
}

fn unavailable(why: &str) -> Answer {
    Answer::Rejected(Rejection::Unavailable(why.to_string()))
}

/// Takes what has arrived (up to `max`; the writers take turns) and writes it, on a
/// connection of its own: held between batches so the writer never queues for the pool
/// behind the request handlers' reads, and replaced after a batch that failed.
async fn writer(svc: Service, rx: Arc<Mutex<mpsc::Receiver<Job>>>, max: usize) {
    let mut held: Option<PoolConnection<Postgres>> = None;
    loop {
        let mut jobs = Vec::new();
        {
            let mut rx = rx.lock().await;
            if rx.recv_many(&mut jobs, max).await == 0 {
                return;
            }
        }
        metrics::histogram!("baton_ingress_batch_size").record(jobs.len() as f64);
        let (deliveries, replies): (Vec<Delivery>, Vec<_>) =
            jobs.into_iter().map(|j| (j.delivery, j.reply)).unzip();
        let conn = match held.take() {
            Some(conn) => Ok(conn),
            None => svc.pool.acquire().await,
        };
        let answers = match conn {
            Ok(mut conn) => {
                let answers = write(&mut conn, &svc, &deliveries).await;
                if answers.iter().all(|a| !matches!(a, Answer::Rejected(_))) {
                    held = Some(conn);
                } else {
                    conn.close_on_drop();
                }
                answers
            }
            Err(e) => deliveries
                .iter()
                .map(|_| unavailable(&e.to_string()))
                .collect(),
        };
        for (reply, answer) in replies.into_iter().zip(answers) {
            let _ = reply.send(answer);
        }
    }
}

/// Writes `jobs` in one transaction; their answers, in order. Each org's deliveries go in
/// with one statement each for receipts, transcripts and messages; when that fails, the
/// batch is written again one delivery at a time, each under a savepoint, so the delivery
/// that failed is answered 503 and the rest are not held back by it.
async fn write(conn: &mut PgConnection, svc: &Service, jobs: &[Delivery]) -> Vec<Answer> {
    match together(conn, svc, jobs).await {
        Ok(answers) => answers,
        Err(e) => {
            tracing::warn!(error = %e, deliveries = jobs.len(),
                "a group commit failed; writing its deliveries one at a time");
            one_by_one(conn, svc, jobs).await
        }
    }
}

/// The fast path: per org, every receipt in one statement, every transcript in one and every
/// message staged in one append; nothing written when any of it fails.
async fn together(
    conn: &mut PgConnection,
    svc: &Service,
    jobs: &[Delivery],
) -> Result<Vec<Answer>, baton_platform::Error> {
    let mut by_org: BTreeMap<Option<&OrgId>, Vec<usize>> = BTreeMap::new();
    for (i, job) in jobs.iter().enumerate() {
        by_org.entry(job.receipt.org.as_ref()).or_default().push(i);
    }
    let mut new = vec![false; jobs.len()];
    let mut tx = conn.begin().await?;
    for (org, members) in by_org {
        let receipts: Vec<&Receipt> = members.iter().map(|&i| &jobs[i].receipt).collect();
        let fresh = match org {
            Some(org) => crate::receipts::insert_all(&mut tx, org, &receipts).await?,
            // Deliveries for no org Baton knows publish nothing; a few, one by one.
            None => {
                let mut fresh = Vec::with_capacity(receipts.len());
                for r in receipts {
                    fresh.push(crate::receipts::insert(&mut tx, r).await?);
                }
                fresh
            }
        };
        let (mut staged, mut transcripts) = (Vec::new(), Vec::new());
        for (&i, fresh) in members.iter().zip(fresh) {
            new[i] = fresh;
            if fresh {
                staged.extend(jobs[i].staged.iter().cloned());
                transcripts.extend(jobs[i].transcript.as_ref());
            }
        }
        crate::meetingbaas::store_transcripts(&mut tx, &transcripts).await?;
        if !staged.is_empty() {
            svc.bus.stage(&mut tx, &staged).await?;
        }
    }
    tx.commit().await?;
    Ok(jobs
        .iter()
        .zip(new)
        .map(|(job, new)| match new {
            true => Answer::Accepted(job.receipt.outcome),
            false => Answer::Duplicate,
        })
        .collect())
}

/// The slow path: each delivery under a savepoint of its own, in one transaction.
async fn one_by_one(conn: &mut PgConnection, svc: &Service, jobs: &[Delivery]) -> Vec<Answer> {
    let all_failed =
        |e: &dyn std::fmt::Display| jobs.iter().map(|_| unavailable(&e.to_string())).collect();
    let mut tx = match conn.begin().await {
        Ok(tx) => tx,
        Err(e) => return all_failed(&e),
    };
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        let answer = match one(svc, &mut tx, job).await {
            Ok(answer) => {
                if let Err(e) = sqlx::query("RELEASE SAVEPOINT delivery")
                    .execute(&mut *tx)
                    .await
                {
                    return all_failed(&e);
                }
                answer
            }
            Err(e) => {
                if let Err(e) = sqlx::query("ROLLBACK TO SAVEPOINT delivery")
                    .execute(&mut *tx)
                    .await
                {
                    return all_failed(&e);
                }
                unavailable(&e.to_string())
            }
        };
        answers.push(answer);
    }
    match tx.commit().await {
        Ok(()) => answers,
        Err(e) => all_failed(&e),
    }
}

/// One delivery under its savepoint: its receipt (a duplicate changes nothing), its
/// transcript and its messages, in its org's scope.
async fn one(
    svc: &Service,
    tx: &mut sqlx::PgConnection,
    job: &Delivery,
) -> Result<Answer, baton_platform::Error> {
    sqlx::query("SAVEPOINT delivery").execute(&mut *tx).await?;
    if !crate::receipts::insert(tx, &job.receipt).await? {
        return Ok(Answer::Duplicate);
    }
    let transcripts: Vec<&Transcript> = job.transcript.iter().collect();
    crate::meetingbaas::store_transcripts(tx, &transcripts).await?;
    if !job.staged.is_empty() {
        svc.bus.stage(tx, &job.staged).await?;
    }
    Ok(Answer::Accepted(job.receipt.outcome))
}
