//! The router's timers: a deferred job starts at the end of the user's quiet hours
//! (`job_start`), a retried or rate-limited step is dispatched again when its delay has
//! passed (`step_retry`), an operator's resume/cancel/retry is applied (`job_control`,
//! scheduled by `baton jobs`), and a job paused for budget looks again whether it may go on
//! (`budget_check`). A timer that is no longer current (the job moved on) does nothing.

use baton_core::job::{self, Control, JobStatus};
use baton_platform::{
    jobs::JobRow,
    runtime::{Handled, HandlerCtx, HandlerError, parse_field},
    timers::Timer,
};
use baton_schemas::JobId;
use serde_json::json;

use crate::{
    Router, apply,
    messages::{self, JobRef},
    repo,
};

pub const JOB_START: &str = "job_start";
pub const STEP_RETRY: &str = "step_retry";
/// An operator's request for a job: payload `{job_id, control, by}`.
pub const JOB_CONTROL: &str = "job_control";
/// A budget-paused job looks whether the budget allows it again.
pub const BUDGET_CHECK: &str = "budget_check";

pub(crate) async fn fire(r: &Router, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
    if timer.kind == crate::scan::PIPELINE_SCAN {
        return crate::scan::pipeline(ctx, timer).await;
    }
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
        JOB_CONTROL => control(r, ctx, &job, timer).await,
        BUDGET_CHECK => budget_check(r, ctx, &job, timer).await,
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

/// An operator's resume, cancel or retry (`baton jobs`), applied under the job's lock by the
/// state machine like any signal; a request that no longer fits the job is recorded, not
/// forced.
async fn control(r: &Router, ctx: &mut HandlerCtx<'_>, job: &JobRow, timer: &Timer) -> Handled {
    let control: Control = serde_json::from_value(timer.payload["control"].clone())
        .map_err(|e| HandlerError::invalid(format!("job_control timer: control: {e}")))?;
    let by = timer.payload["by"].as_str().unwrap_or("operator");
    let mut detail = json!({ "by": by });
    // The console asks with a reason, which the audit trail keeps.
    if let Some(reason) = timer.payload["reason"].as_str() {
        detail["reason"] = json!(reason);
    }
    apply_control(r, ctx, job, &timer.dedupe_key, control, detail).await
}

/// Applies `control` to `job` and records it (`job.resume`, … or `job.control_refused`).
async fn apply_control(
    r: &Router,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    key: &str,
    control: Control,
    mut detail: serde_json::Value,
) -> Handled {
    let seq = repo::pinned(&r.defs, ctx.tx, job).await?;
    let mut state = job.state()?;
    let event = job.event();
    let name = serde_json::to_value(control).unwrap_or_default();
    detail["control"] = name.clone();
    detail["request"] = json!(key);
    let commands = match job::control(&seq, &mut state, &event, job.chain_depth, control) {
        Ok(c) => c,
        Err(refused) => {
            detail["refused"] = json!(refused.to_string());
            return repo::audit(
                ctx,
                &job.org_id,
                Some(job.id),
                "job.control_refused",
                detail,
            )
            .await;
        }
    };
    let action = format!("job.{}", name.as_str().unwrap_or("control"));
    repo::audit(ctx, &job.org_id, Some(job.id), &action, detail).await?;
    let applying = apply::Applying {
        job,
        seq: &seq,
        state: &state,
        event: &event,
        result_id: key,
    };
    let metadata = apply::carry_out(ctx, &applying, commands).await?;
    repo::save_state(ctx.tx, job, &state, metadata).await
}

/// How often a budget-paused job looks again (a raised limit is noticed within this).
pub(crate) const BUDGET_RECHECK: chrono::Duration = chrono::Duration::minutes(15);

/// A job paused for budget: resumes when the org's budget allows AI work again (a new
/// period began, or the limit was raised); otherwise looks again later.
async fn budget_check(
    r: &Router,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    timer: &Timer,
) -> Handled {
    if job.status != JobStatus::Paused
        || job.paused_reason.as_deref() != Some(repo::BUDGET_EXCEEDED)
    {
        return Ok(());
    }
    let now = ctx.now();
    let budget = repo::budget(ctx.tx, &job.org_id, now).await?;
    if budget.is_some_and(|b| b.exhausted()) {
        return repo::schedule_budget_check(ctx.tx, &job.org_id, job.id, now).await;
    }
    let detail = json!({ "by": "budget", "reason": "the org's AI budget allows work again" });
    apply_control(r, ctx, job, &timer.dedupe_key, Control::Resume, detail).await
}
