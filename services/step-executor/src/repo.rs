//! The step-executor's bookkeeping SQL: each attempt in `step_runs` (so a repeated request
//! re-publishes the recorded result) and its AI cost in `ai_cost_ledger` (once per
//! attempt). The CRM writes are in [`crate::crm`].

use baton_core::sequence::Step;
use baton_platform::Result;
use baton_platform::{Error, jobs::JobRow};
use baton_schemas::{JobId, StepRequest, StepStatus};
use baton_skills::Cost;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::step::Done;

/// An attempt as recorded in `step_runs`: what its StepFinished result says.
pub(crate) struct Run {
    pub status: StepStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub retryable: bool,
    pub cost_usd: f64,
    pub duration_ms: i64,
}

/// The attempt's recorded result, when it finished (succeeded, failed or skipped).
pub(crate) async fn finished_run(
    tx: &mut PgConnection,
    job: JobId,
    index: i32,
    attempt: i32,
) -> Result<Option<Run>> {
    let row = sqlx::query!(
        r#"SELECT status, output, error, cost_usd::float8 AS "cost_usd!", duration_ms FROM step_runs
           WHERE job_id = $1 AND step_index = $2 AND attempt = $3 AND status = ANY($4)"#,
        job.uuid(),
        index,
        attempt,
        &[
            StepStatus::Succeeded.as_str().to_string(),
            StepStatus::Failed.as_str().to_string(),
            StepStatus::Skipped.as_str().to_string(),
        ],
    )
    .fetch_optional(tx)
    .await?;
    row.map(|r| {
        Ok(Run {
            status: r
                .status
                .parse()
                .map_err(|e| Error::bad_row("step_runs", "status", e))?,
            retryable: r.output.as_ref().is_some_and(|o| o["retryable"] == true),
            output: r.output,
            error: r.error,
            cost_usd: r.cost_usd,
            duration_ms: r.duration_ms.unwrap_or(0),
        })
    })
    .transpose()
}

/// Records the attempt (and its cost) and returns it as the result will say it.
pub(crate) async fn record(
    tx: &mut PgConnection,
    job: &JobRow,
    step: &Step,
    req: &StepRequest,
    done: Done,
    duration_ms: i64,
    now: DateTime<Utc>,
) -> Result<Run> {
    let run = match done {
        Done::Finished {
            status,
            output,
            error,
            retryable,
            cost,
        } => {
            if cost.usd_micros > 0 {
                charge(tx, job, step, req, &cost, now).await?;
            }
            Run {
                status,
                output,
                error,
                retryable,
                cost_usd: cost.usd_micros as f64 / 1e6,
                duration_ms,
            }
        }
        Done::NotRun { output, error } => Run {
            status: StepStatus::Deferred,
            output: Some(output),
            error: Some(error),
            retryable: true,
            cost_usd: 0.0,
            duration_ms,
        },
    };
    insert_run(tx, job.id, req, &run, now).await?;
    Ok(run)
}

/// The attempt's AI cost, in the budget period of `now`; once per attempt.
async fn charge(
    tx: &mut PgConnection,
    job: &JobRow,
    step: &Step,
    req: &StepRequest,
    cost: &Cost,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO ai_cost_ledger (id, org_id, job_id, step_name, skill, model, input_tokens,
                                     output_tokens, cost_usd, period, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::float8::numeric, $10, $11)
         ON CONFLICT (idempotency_key) DO NOTHING",
        Uuid::now_v7(),
        job.org_id.as_str(),
        job.id.uuid(),
        &step.name,
        step.action.describe(),
        &cost.model,
        cost.input_tokens as i32,
        cost.output_tokens as i32,
        cost.usd_micros as f64 / 1e6,
        baton_core::budget::period_of(now),
        format!("{}:{}", req.idempotency_key, req.attempt),
    )
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_run(
    tx: &mut PgConnection,
    job: JobId,
    req: &StepRequest,
    run: &Run,
    now: DateTime<Utc>,
) -> Result<()> {
    // A failed attempt keeps whether it was retryable, for a re-published result.
    let output = match (&run.output, run.status) {
        (None, StepStatus::Failed) => Some(json!({ "retryable": run.retryable })),
        (o, _) => o.clone(),
    };
    sqlx::query!(
        "INSERT INTO step_runs (id, org_id, job_id, step_index, step_name, attempt, status, input_ref, output,
                                error, cost_usd, idempotency_key, started_at, finished_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::float8::numeric, $12, $13, $13, $14)
         ON CONFLICT (job_id, step_index, attempt) DO UPDATE
           SET status = EXCLUDED.status, output = EXCLUDED.output, error = EXCLUDED.error,
               cost_usd = EXCLUDED.cost_usd, finished_at = EXCLUDED.finished_at,
               duration_ms = EXCLUDED.duration_ms",
        Uuid::now_v7(),
        &req.org_id,
        job.uuid(),
        req.step_index,
        &req.step_name,
        req.attempt,
        run.status.as_str(),
        json!({ "sequence_version": req.sequence_version }),
        output,
        run.error.as_deref(),
        run.cost_usd,
        &req.idempotency_key,
        now,
        run.duration_ms,
    )
    .execute(tx)
    .await?;
    Ok(())
}
