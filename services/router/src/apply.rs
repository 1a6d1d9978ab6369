//! Results → the job state machine → commands. A step result becomes a [`Signal`], the pure
//! machine (`baton_core::job`) updates the job's state and says what to do, and each
//! command is carried out here: a step request, a retry timer, an approval request, a
//! follow-up event, a pause, or the finish with its execution metadata. The state is saved
//! version-checked in the same transaction.

use std::time::Duration;

use baton_core::{
    job::{self, Command, Decision, JobState, JobStatus, QueuedFollowup, Signal, StepOutcome},
    sequence::{OnTimeout, Sequence},
};
use baton_platform::{
    jobs::{JobRow, Recipient},
    runtime::{Handled, HandlerCtx},
};
use baton_schemas::{
    ApprovalResolved, ContextLoaded, Resolution, StepFinished, StepResult, StepStatus,
};
use serde_json::{Value, json};

use crate::{Router, messages, repo, timers::STEP_RETRY};

/// A result (or an operator's request) being applied to its job.
pub(crate) struct Applying<'a> {
    pub job: &'a JobRow,
    pub seq: &'a Sequence,
    pub state: &'a JobState,
    pub event: &'a Value,
    /// What is being applied (a result id, a timer key): keys what it schedules.
    pub result_id: &'a str,
}

impl Applying<'_> {
    /// An audit record about the job.
    async fn audit(&self, ctx: &mut HandlerCtx<'_>, action: &str, detail: Value) -> Handled {
        repo::audit(ctx, &self.job.org_id, Some(self.job.id), action, detail).await
    }
}

/// Applies one result to its job, under the job's row lock.
pub(crate) async fn on_result(r: &Router, ctx: &mut HandlerCtx<'_>, result: StepResult) -> Handled {
    ctx.enter_org(&result.org_id).await?;
    let job = repo::lock_named(ctx.tx, &result.job_id).await?;
    let seq = repo::pinned(&r.defs, ctx.tx, &job).await?;
    let mut state = job.state()?;
    let Some((signal, accepted)) = signal(ctx, &job, &seq, &mut state, result.result).await? else {
        return Ok(());
    };
    let event = job.event();
    let commands = match job::apply(
        &seq,
        &mut state,
        &event,
        job.chain_depth,
        signal,
        fastrand::f64(),
    ) {
        Ok(c) => c,
        Err(ignored) => {
            tracing::debug!(job = %job.id, result = %result.result_id, "result changes nothing: {ignored}");
            return Ok(());
        }
    };
    // The decision is recorded once the state machine took it.
    if let Some(detail) = accepted {
        repo::audit(ctx, &job.org_id, Some(job.id), "approval.resolved", detail).await?;
    }
    let applying = Applying {
        job: &job,
        seq: &seq,
        state: &state,
        event: &event,
        result_id: &result.result_id,
    };
    let metadata = carry_out(ctx, &applying, commands).await?;
    repo::save_state(ctx.tx, &job, &state, metadata).await
}

/// The signal a result is for the state machine (and what it records on the way: skipped
/// context sources), with an accepted approval's audit detail to record once applied.
/// `None`: an approval the gateway never decided, rejected here.
async fn signal(
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    seq: &Sequence,
    state: &mut JobState,
    outcome: baton_schemas::StepOutcome,
) -> Handled<Option<(Signal, Option<Value>)>> {
    use baton_schemas::StepOutcome as O;
    match outcome {
        O::ContextLoaded(c) => Ok(Some((context_loaded(ctx, job, c).await?, None))),
        O::StepFinished(f) => Ok(Some((step_finished(f), None))),
        O::ApprovalResolved(a) => approval(ctx, job, seq, state, a).await,
    }
}

/// An approval result, checked against the pending action the gateway decided.
async fn approval(
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    seq: &Sequence,
    state: &mut JobState,
    mut a: ApprovalResolved,
) -> Handled<Option<(Signal, Option<Value>)>> {
    let row = repo::pending_action(ctx.tx, &a.pending_action_id).await?;
    let from_gateway = baton_platform::store::produced_by(ctx.source_login(), "approval-gateway");
    let accepted = match crate::gate::check(job.id, &a, row, from_gateway) {
        Ok(accepted) => accepted,
        Err(reason) => {
            metrics::counter!("baton_approvals_rejected_total").increment(1);
            tracing::warn!(job = %job.id, step = a.step_index, "approval result rejected: {reason}");
            let detail = json!({
                "pending_action_id": a.pending_action_id,
                "step_index": a.step_index,
                "decision": a.decision.as_str(),
                "reason": reason,
            });
            repo::audit(ctx, &job.org_id, Some(job.id), "approval.rejected", detail).await?;
            return Ok(None);
        }
    };
    a.decided_by = accepted.decided_by;
    a.user_modifications = accepted.user_modifications;
    let detail = json!({
        "pending_action_id": a.pending_action_id,
        "step_index": a.step_index,
        "decision": a.decision.as_str(),
        "decided_by": a.decided_by,
    });
    Ok(Some((approval_resolved(seq, state, a), Some(detail))))
}

async fn context_loaded(
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    c: ContextLoaded,
) -> Handled<Signal> {
    if !c.skipped_sources.is_empty() {
        let detail = json!({ "sources": c.skipped_sources });
        repo::audit(
            ctx,
            &job.org_id,
            Some(job.id),
            "context.sources_skipped",
            detail,
        )
        .await?;
    }
    Ok(Signal::ContextLoaded { context: c.context })
}

/// A step's result: finished (succeeded, skipped, failed), or not run yet — deferred (a
/// rate limit: try the same attempt later) or paused (the AI budget is spent).
fn step_finished(f: StepFinished) -> Signal {
    let index = usize::try_from(f.step_index).unwrap_or(usize::MAX);
    let attempt = u32::try_from(f.attempt).unwrap_or(0);
    let outcome = match f.status {
        StepStatus::Succeeded => StepOutcome::Succeeded,
        StepStatus::Skipped => StepOutcome::Skipped,
        StepStatus::Failed => StepOutcome::Failed,
        StepStatus::Deferred => return not_run(index, attempt, f.output.unwrap_or_default()),
    };
    Signal::StepFinished {
        index,
        attempt,
        outcome,
        output: f.output,
        error: f.error,
        retryable: f.retryable,
        cost_micros: (f.cost_usd * 1e6).round() as i64,
    }
}

/// A deferred step's output says why: `pause` with a reason, or `defer` with a delay.
fn not_run(index: usize, attempt: u32, out: Value) -> Signal {
    if let Some(pause) = out.get("pause") {
        baton_platform::deferrals::count("step_paused");
        return Signal::StepPaused {
            index,
            attempt,
            reason: pause["reason"].as_str().unwrap_or("paused").to_string(),
        };
    }
    let defer = &out["defer"];
    baton_platform::deferrals::count("step_deferred");
    Signal::StepDeferred {
        index,
        attempt,
        delay: Duration::from_millis(defer["delay_ms"].as_u64().unwrap_or(300_000)),
        reason: defer["reason"].as_str().unwrap_or("deferred").to_string(),
    }
}

/// A gate's resolution; an edit keeps the rep's changes for the step's input, and an expiry
/// resolves as the gate's `on_timeout` says (skip or cancel, never approve).
fn approval_resolved(seq: &Sequence, state: &mut JobState, a: ApprovalResolved) -> Signal {
    let index = usize::try_from(a.step_index).unwrap_or(usize::MAX);
    let step = seq.steps.get(index);
    let decision = match a.decision {
        Resolution::Approve => Decision::Approve,
        Resolution::Edit => {
            if let (Some(step), Some(m)) = (step, a.user_modifications) {
                state.approval_edits.insert(step.name.clone(), m);
            }
            Decision::Approve
        }
        Resolution::Skip => Decision::Skip,
        Resolution::Cancel => Decision::Cancel,
        Resolution::Expired => match step
            .and_then(|s| s.approval.as_ref())
            .map(|a| &a.on_timeout)
        {
            Some(OnTimeout::Cancel) => Decision::Cancel,
            _ => Decision::Skip,
        },
    };
    Signal::ApprovalResolved { index, decision }
}

/// Carries out the machine's commands; returns the execution metadata when the job finished.
pub(crate) async fn carry_out(
    ctx: &mut HandlerCtx<'_>,
    a: &Applying<'_>,
    commands: Vec<Command>,
) -> Handled<Option<Value>> {
    let (job, now) = (a.job, ctx.now());
    let mut metadata = None;
    for command in commands {
        match command {
            Command::Dispatch { index, attempt } => {
                ctx.emit(&messages::step_request(job, a.seq, index, attempt, now))?;
            }
            Command::DispatchLater {
                index,
                attempt,
                delay,
                reason,
            } => schedule_retry(ctx, a, index, attempt, delay, &reason).await?,
            Command::RequestApproval { index } => request_approval(ctx, a, index).await?,
            Command::Followup(q) => followup(ctx, a, &q).await?,
            Command::Pause { reason } => {
                tracing::warn!(job = %job.id, reason, "job paused");
                let to = Recipient {
                    org_id: &job.org_id,
                    user_id: &job.user_id,
                    job_id: job.id,
                };
                repo::record_pause(ctx, to, &reason, a.state.current_step).await?;
            }
            Command::RequestContext => {
                ctx.emit(&messages::context_request(job.into(), a.seq, now))?;
            }
            Command::Finish(status) => metadata = Some(finished(ctx, a, status).await?),
        }
    }
    Ok(metadata)
}

/// A retry (or a deferral) waits on a timer, then dispatches the same attempt group.
async fn schedule_retry(
    ctx: &mut HandlerCtx<'_>,
    a: &Applying<'_>,
    index: usize,
    attempt: u32,
    delay: Duration,
    reason: &str,
) -> Handled {
    let job = a.job;
    let due = ctx.now() + chrono::Duration::from_std(delay).unwrap_or_default();
    let key = format!("{}:{index}:{attempt}:{}", job.id, a.result_id);
    let payload = json!({ "job_id": job.id.to_string(), "index": index, "attempt": attempt, "reason": reason });
    repo::schedule(ctx.tx, &job.org_id, STEP_RETRY, &key, due, &payload).await?;
    let detail = json!({ "step": a.seq.steps[index].name, "attempt": attempt, "delay_ms": delay.as_millis() as u64, "due_at": due, "reason": reason });
    a.audit(ctx, "step.scheduled", detail).await
}

async fn request_approval(ctx: &mut HandlerCtx<'_>, a: &Applying<'_>, index: usize) -> Handled {
    let request = messages::approval_request(a.job, a.seq, a.state, a.event, index, ctx.now());
    let detail = json!({ "step": request.step_name, "pattern": request.pattern, "pending_action_id": request.pending_action_id, "expires_at": request.expires_at });
    a.audit(ctx, "approval.requested", detail).await?;
    ctx.emit(&request)
}

async fn followup(ctx: &mut HandlerCtx<'_>, a: &Applying<'_>, q: &QueuedFollowup) -> Handled {
    let child = messages::followup(a.job, q, ctx.now());
    let detail = json!({ "event_type": q.event, "event_id": child.event_id, "step": a.seq.steps[q.step].name, "chain_depth": child.chain_depth });
    a.audit(ctx, "followup.queued", detail).await?;
    ctx.emit(&child)
}

/// A finished job's execution metadata, also its audit record (`job.completed`, …).
async fn finished(ctx: &mut HandlerCtx<'_>, a: &Applying<'_>, status: JobStatus) -> Handled<Value> {
    let job = a.job;
    let m = execution_metadata(job, a.state, status, ctx.now());
    tracing::info!(job = %job.id, event_type = %job.event_type, status = %status, "job finished");
    let action = format!("job.{status}");
    a.audit(ctx, &action, m.clone()).await?;
    if status == JobStatus::Failed {
        // on_failure: stop — the rep hears what failed, with the error, not silence.
        ctx.emit(&messages::failure_notice(job, a.seq, a.state, ctx.now()))?;
    }
    Ok(m)
}

/// The seed's execution metadata, recorded when a job finishes.
fn execution_metadata(
    job: &JobRow,
    state: &JobState,
    status: JobStatus,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let count = |o: StepOutcome| {
        state
            .steps_completed
            .iter()
            .filter(|(_, x)| *x == o)
            .count()
    };
    json!({
        "sequence_job_id": job.id.to_string(),
        "event_type": job.event_type,
        "event_source": job.event_source,
        "status": status.as_str(),
        "steps_attempted": state.steps_attempted,
        "steps_completed": count(StepOutcome::Succeeded),
        "steps_failed": count(StepOutcome::Failed),
        "steps_skipped": count(StepOutcome::Skipped),
        "approval_gates_hit": state.approval_gates_hit,
        "followups_queued": state.queued_followups.len(),
        "total_duration_ms": (now - job.created_at).num_milliseconds().max(0),
        "total_ai_cost_usd": state.cost_micros as f64 / 1e6,
        "chain_depth": job.chain_depth,
        "failure": state.failure,
    })
}
