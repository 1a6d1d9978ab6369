//! The router's timers: a deferred job starts at the end of the user's quiet hours
//! (`job_start`), and a retried or rate-limited step is dispatched again when its delay has
//! passed (`step_retry`). A timer that is no longer current (the job moved on) does nothing.

use baton_core::job::JobStatus;
use baton_platform::{
    jobs::JobRow,
    runtime::{Handled, HandlerCtx, HandlerError, parse_field},
    timers::Timer,
};
use baton_schemas::JobId;
use serde_json::json;

use crate::{
    Router,
    messages::{self, JobRef},
    repo,
};

pub const JOB_START: &str = "job_start";
pub const STEP_RETRY: &str = "step_retry";

pub(crate) async fn fire(r: &Router, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
    let job_id: JobId = timer.payload["job_id"]
        .as_str()
        .ok_or_else(|| HandlerError::invalid("timer payload has no job_id"))
        .and_then(|s| parse_field("job_id", s))?;
    let Some(job) = repo::lock_job(ctx.tx, job_id).await? else {
        tracing::warn!(job = %job_id, "timer for a job that does not exist");
        return Ok(());
    };
    match timer.kind.as_str() {
        JOB_START => start_deferred(r, ctx, &job, timer).await,
        STEP_RETRY => retry(r, ctx, &job, timer).await,
        other => Err(HandlerError::invalid(format!("unknown timer kind {other}"))),
    }
}

/// The user's quiet hours are over: the job asks for its context.
async fn start_deferred(
    r: &Router,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    timer: &Timer,
) -> Handled {
    if job.status != JobStatus::Deferred {
        return Ok(());
    }
    let seq = repo::pinned(&r.defs, ctx.tx, job).await?;
    let mut state = job.state()?;
    state.status = JobStatus::Pending;
    repo::save_state(ctx.tx, job, &state, None).await?;
    ctx.emit(&messages::context_request(
        JobRef::from(job),
        &seq,
        ctx.now(),
    ))?;
    let detail = json!({ "after": "quiet_hours", "deferred_until": timer.due_at });
    repo::audit(ctx, &job.org_id, Some(job.id), "job.started", detail).await
}

/// The step's delay has passed: dispatch the attempt the job still waits for.
async fn retry(r: &Router, ctx: &mut HandlerCtx<'_>, job: &JobRow, timer: &Timer) -> Handled {
    let state = job.state()?;
    let index = timer.payload["index"].as_u64().unwrap_or(u64::MAX) as usize;
    let attempt = timer.payload["attempt"].as_u64().unwrap_or(0) as u32;
    if state.status != JobStatus::InProgress
        || state.current_step != Some(index)
        || state.attempt != attempt
    {
        tracing::debug!(job = %job.id, index, attempt, "retry timer no longer current");
        return Ok(());
    }
    let seq = repo::pinned(&r.defs, ctx.tx, job).await?;
    ctx.emit(&messages::step_request(
        job,
        &seq,
        index,
        attempt,
        ctx.now(),
    ))
}
