//! The specification's verification after every run: exactly N rows in `sent_emails` for
//! the run's tag, `sum(attempts) = N` with no row sent twice, and Baton itself reporting all
//! N runs completed.

use serde_json::{Value, json};
use sqlx::PgPool;

use super::Plan;

pub async fn check(owner: &PgPool, plan: &Plan) -> anyhow::Result<Value> {
    let like = plan.meetings_like();
    let (rows, attempts, duplicates): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(sum(attempts), 0), count(*) FILTER (WHERE attempts > 1)
         FROM sent_emails WHERE meeting_id LIKE $1",
    )
    .bind(&like)
    .fetch_one(owner)
    .await?;
    let completed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sequence_jobs
         WHERE event_type = ANY($1) AND status = 'completed' AND trigger_payload->>'meeting_id' LIKE $2",
    )
    .bind(plan.variant.event_types())
    .bind(&like)
    .fetch_one(owner)
    .await?;
    let n = plan.n as i64;
    let mut problems = Vec::new();
    if rows != n {
        problems.push(format!("{rows} rows in sent_emails, expected {n}"));
    }
    if attempts != n {
        problems.push(format!("sum(attempts) = {attempts}, expected {n}"));
    }
    if duplicates > 0 {
        problems.push(format!("{duplicates} emails sent more than once"));
    }
    if completed != n {
        problems.push(format!("{completed} jobs completed, expected {n}"));
    }
    Ok(json!({
        "ok": problems.is_empty(),
        "sent_rows": rows,
        "sum_attempts": attempts,
        "duplicate_side_effects": duplicates,
        "jobs_completed": completed,
        "problems": problems,
    }))
}

/// The fault run's checker findings as verification: nothing lost, nothing stuck, no
/// per-key order broken, every fault recovered from.
pub fn add_checker(verification: &mut Value, checker: &Value) {
    let mut problems = Vec::new();
    for (k, what) in [("runs_lost", "runs lost"), ("runs_stuck", "runs stuck")] {
        let v = checker[k].as_i64().unwrap_or(-1);
        if v != 0 {
            problems.push(format!("{v} {what}"));
        }
    }
    let (seen, completed) = (
        checker["order"]["jobs_sent_seen"].as_i64().unwrap_or(-1),
        checker["jobs_completed"].as_i64().unwrap_or(-2),
    );
    if seen != completed {
        problems.push(format!(
            "the step-results topic shows {seen} sends of the {completed} completed jobs"
        ));
    }
    let violations = checker["order"]["violations"].as_i64().unwrap_or(-1);
    if violations != 0 {
        problems.push(format!(
            "{violations} per-key order violations on the step results"
        ));
    }
    if let Some(list) = verification["problems"].as_array_mut() {
        list.extend(problems.into_iter().map(Value::from));
        let ok = list.is_empty();
        verification["ok"] = json!(ok);
    }
}
