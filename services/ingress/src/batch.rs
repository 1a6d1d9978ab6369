//! Group commit: deliveries that only record a receipt and stage what they publish are
//! written by one task, several per transaction — each under a savepoint of its own, so one
//! that fails leaves the others alone — and every one is answered only after the
//! transaction holding it committed. Under load the batches grow by themselves (what
//! arrived while the previous commit ran); alone, a delivery is its own batch. A failed
//! commit answers every delivery of the batch 503, never a late 2xx.

use baton_platform::{
    bus::{Bus, Envelope},
    service::Service,
};
use tokio::sync::{mpsc, oneshot};

use crate::{Answer, Rejection, receipts::Receipt};

/// One delivery to write: its receipt and what it publishes.
struct Job {
    receipt: Receipt,
    staged: Vec<Envelope>,
    reply: oneshot::Sender<Answer>,
}

/// The handle request handlers submit through.
#[derive(Clone)]
pub struct Batcher {
    jobs: mpsc::Sender<Job>,
}

impl Batcher {
    /// Starts the writer: at most `max` deliveries per transaction.
    pub fn start(svc: Service, max: usize) -> Batcher {
        let (jobs, rx) = mpsc::channel(max.max(1) * 4);
        tokio::spawn(writer(svc, rx, max.max(1)));
        Batcher { jobs }
    }

    /// Writes `receipt` with `staged` in the next batch; the answer once it committed.
    pub async fn submit(&self, receipt: Receipt, staged: Vec<Envelope>) -> Answer {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            receipt,
            staged,
            reply,
        };
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

async fn writer(svc: Service, mut rx: mpsc::Receiver<Job>, max: usize) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < max {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        metrics::histogram!("baton_ingress_batch_size").record(jobs.len() as f64);
        let answers = write(&svc, &jobs).await;
        for (job, answer) in jobs.into_iter().zip(answers) {
            let _ = job.reply.send(answer);
        }
    }
}

/// Writes `jobs` in one transaction; their answers, in order.
async fn write(svc: &Service, jobs: &[Job]) -> Vec<Answer> {
    let all_failed =
        |e: &dyn std::fmt::Display| jobs.iter().map(|_| unavailable(&e.to_string())).collect();
    let mut tx = match svc.pool.begin().await {
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

/// One delivery under its savepoint: its receipt (a duplicate stages nothing) and its
/// messages, in its org's scope.
async fn one(
    svc: &Service,
    tx: &mut sqlx::PgConnection,
    job: &Job,
) -> Result<Answer, baton_platform::Error> {
    sqlx::query("SAVEPOINT delivery").execute(&mut *tx).await?;
    if !crate::receipts::insert(tx, &job.receipt).await? {
        return Ok(Answer::Duplicate);
    }
    if !job.staged.is_empty() {
        svc.bus.stage(tx, &job.staged).await?;
    }
    Ok(Answer::Accepted(job.receipt.outcome))
}
