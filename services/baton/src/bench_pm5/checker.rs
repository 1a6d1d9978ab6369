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

use super::{
    Plan,
    setup::Running,
    topic_read::{self, Record},
};

/// The embedded log is read until nothing new arrives for this long.
const QUIET: Duration = Duration::from_secs(3);
/// PM5's last step (the send).
const LAST_STEP: i32 = 4;

/// `kafka`: the broker's bootstrap servers when the run is on Kafka.
pub async fn check(r: &Running, plan: &Plan, kafka: Option<&str>) -> anyhow::Result<Value> {
    let like = plan.meetings_like();
    let (jobs, ended, completed): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled')),
                count(*) FILTER (WHERE status = 'completed')
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
    let order = step_result_order(r, kafka).await?;
    Ok(json!({
        "runs_lost": n - sent,
        "runs_stuck": (jobs - ended) + (n - jobs).max(0),
        "order": order,
        "jobs_completed": completed,
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

/// Every record of the run's step-results topic from its start: on Kafka read by partition
/// up to the high watermarks (`topic_read`), on the embedded bus with a group of its own
/// until nothing new arrives for a while.
async fn records(r: &Running, kafka: Option<&str>) -> anyhow::Result<Vec<Record>> {
    let topic = Topic::StepResults.name(&r.client.topic_prefix);
    if let Some(bootstrap) = kafka {
        return topic_read::all(bootstrap.to_string(), topic).await;
    }
    let group = format!("bench-pm5-checker-{}", uuid::Uuid::now_v7().simple());
    let mut consumer = r
        .client
        .bus
        .subscribe(&group, std::slice::from_ref(&topic))
        .await?;
    let mut out = Vec::new();
    while let Ok(d) = tokio::time::timeout(QUIET, consumer.next()).await {
        let d = d?;
        out.push((d.partition, d.offset, d.payload));
    }
    consumer.close().await?;
    Ok(out)
}

/// Per-key order over the topic's records: each job's results (by their first copy) in the
/// order its steps ran; copies counted; offsets the topic skipped counted.
async fn step_result_order(r: &Running, kafka: Option<&str>) -> anyhow::Result<Value> {
    let records = records(r, kafka).await?;
    let mut seen = HashSet::new();
    let mut last: HashMap<String, i64> = HashMap::new();
    let (mut copies, mut violations, mut sent) = (0u64, Vec::new(), 0u64);
    let mut next: HashMap<i32, i64> = HashMap::new();
    let mut skipped = 0i64;
    for (partition, offset, payload) in &records {
        if let Some(expected) = next.insert(*partition, offset + 1) {
            skipped += (offset - expected).max(0);
        }
        let result: StepResult = r.client.wire.decode(payload).await?;
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
        if let Some(b) = last.insert(result.job_id.clone(), at)
            && at < b
        {
            violations.push(json!({ "job": result.job_id, "after": b, "came": at }));
        }
    }
    Ok(json!({
        "topic": Topic::StepResults.name(&r.client.topic_prefix),
        "messages": records.len(),
        "jobs": last.len(),
        "jobs_sent_seen": sent,
        "redelivered_copies": copies,
        "offsets_skipped": skipped,
        "violations": violations.len(),
        "first_violations": violations.into_iter().take(5).collect::<Vec<_>>(),
    }))
}
