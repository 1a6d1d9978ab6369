//! The specification's verification after every run: exactly N rows in `sent_emails` for
//! the run's tag, `sum(attempts) = N` with no row sent twice, and Baton itself reporting all
//! N runs completed.

use serde_json::{Value, json};
use sqlx::PgPool;

use super::Plan;

pub async fn check(owner: &PgPool, plan: &Plan) -> anyhow::Result<Value> {
    let like = format!("m-{}-%", plan.tag);
    let (rows, attempts, duplicates): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(sum(attempts), 0), count(*) FILTER (WHERE attempts > 1)
         FROM sent_emails WHERE meeting_id LIKE $1",
    )
    .bind(&like)
    .fetch_one(owner)
    .await?;
    let completed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sequence_jobs
         WHERE event_type = $1 AND status = 'completed' AND trigger_payload->>'meeting_id' LIKE $2",
    )
    .bind(plan.variant.event_type())
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
