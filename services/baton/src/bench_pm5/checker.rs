//! The fault run's checker, reading what the run left: the database (runs lost — no email —,
//! runs stuck — a job not ended, or no job at all —, duplicate sends) and the step-results
//! topic from its start (per-key order: each job's results in the order its steps ran;
//! a message the topic holds twice — at-least-once publishing, deduplicated by consumers —
//! is counted, and judged by its first copy).

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use baton_platform::bus::{Bus, BusConsumer};
use baton_schemas::{StepOutcome, StepResult, StepStatus, Topic};
use serde_json::{Value, json};

use super::{Plan, setup::Running};

/// The topic is read until every completed job's last result has been seen, or nothing new
/// arrives for this long (a broker that was just restarted can take some seconds to serve).
const QUIET: Duration = Duration::from_secs(20);
/// Reads of the topic at most.
const READS: usize = 3;
/// PM5's last step (the send).
const LAST_STEP: i32 = 4;

pub async fn check(r: &Running, plan: &Plan) -> anyhow::Result<Value> {
    let like = format!("m-{}-%", plan.tag);
    let (jobs, ended): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled'))
         FROM sequence_jobs WHERE event_type = ANY($1) AND trigger_payload->>'meeting_id' LIKE $2",
    )
    .bind(plan.variant.event_types())
    .bind(&like)
    .fetch_one(&r.owner)
    .await?;
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM sent_emails WHERE meeting_id LIKE $1")
        .bind(&like)
        .fetch_one(&r.owner)
        .await?;
    let n = plan.n as i64;
    let completed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sequence_jobs
         WHERE event_type = ANY($1) AND trigger_payload->>'meeting_id' LIKE $2 AND status = 'completed'",
    )
    .bind(plan.variant.event_types())
    .bind(&like)
    .fetch_one(&r.owner)
    .await?;
    // A read that goes quiet before every send was seen (the test broker can stall a fetch
    // after a restart) is repeated from the start with a new group, twice at most.
    let mut reads = 0;
    let order = loop {
        reads += 1;
        let order = step_result_order(r, completed as usize).await?;
        if order["jobs_sent_seen"] == json!(completed) || reads == READS {
            break order;
        }
        eprintln!(
            "  checker: the topic went quiet after {} of {completed} sends; reading it again",
            order["jobs_sent_seen"]
        );
    };
    Ok(json!({
        "runs_lost": n - sent,
        "runs_stuck": (jobs - ended) + (n - jobs).max(0),
        "order": order,
        "jobs_completed": completed,
        "topic_reads": reads,
    }))
}

/// Where a result stands in its job's order: context first, then per step its gate's
/// answer before the step's own result (a retried step repeats its place).
fn place(r: &StepResult) -> i64 {
    match &r.result {
        StepOutcome::ContextLoaded(_) => -1,
        StepOutcome::ApprovalResolved(a) => 2 * i64::from(a.step_index),
        StepOutcome::StepFinished(f) => 2 * i64::from(f.step_index) + 1,
    }
}

/// Reads the run's step-results topic from its start with a group of its own, until the
/// last step's result of `completed` jobs has been seen.
async fn step_result_order(r: &Running, completed: usize) -> anyhow::Result<Value> {
    let topic = Topic::StepResults.name(&r.client.topic_prefix);
    let group = format!("bench-pm5-checker-{}", uuid::Uuid::now_v7().simple());
    let mut consumer = r
        .client
        .bus
        .subscribe(&group, std::slice::from_ref(&topic))
        .await?;
    let mut seen = HashSet::new();
    let mut last: HashMap<String, i64> = HashMap::new();
    let (mut messages, mut copies, mut violations) = (0u64, 0u64, Vec::new());
    let mut sent = 0;
    // Per partition, the next offset expected and the offsets the topic skipped.
    let mut next: HashMap<i32, i64> = HashMap::new();
    let mut skipped = 0i64;
    while sent < completed
        && let Ok(d) = tokio::time::timeout(QUIET, consumer.next()).await
    {
        let d = d?;
        if let Some(expected) = next.insert(d.partition, d.offset + 1) {
            skipped += (d.offset - expected).max(0);
        }
        let result: StepResult = r.client.wire.decode(&d.payload).await?;
        messages += 1;
        if !seen.insert(result.result_id.clone()) {
            copies += 1;
            continue;
        }
        if let StepOutcome::StepFinished(f) = &result.result
            && f.step_index == LAST_STEP
            && f.status == StepStatus::Succeeded
        {
            sent += 1;
        }
        let at = place(&result);
        let before = last.insert(result.job_id.clone(), at);
        if let Some(b) = before
            && at < b
        {
            violations.push(json!({ "job": result.job_id, "after": b, "came": at }));
        }
    }
    consumer.close().await?;
    Ok(json!({
        "topic": topic,
        "messages": messages,
        "jobs": last.len(),
        "jobs_sent_seen": sent,
        "redelivered_copies": copies,
        "offsets_skipped": skipped,
        "next_offsets": next.into_iter().collect::<std::collections::BTreeMap<_, _>>(),
        "violations": violations.len(),
        "first_violations": violations.into_iter().take(5).collect::<Vec<_>>(),
    }))
}
