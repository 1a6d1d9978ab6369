//! Opening a gate: an ApprovalRequest becomes a `slack_pending_actions` row *before*
//! anything is sent (so no decision can arrive for a gate that does not exist), then an
//! expiry timer, a reminder timer (moved before the rep's quiet hours when it would fall in
//! them) and the approval message with its four buttons.

use baton_core::{quiet_hours::UserTime, status::JobStatus};
use baton_platform::{
    jobs::{self, Actor, JobRow},
    runtime::{Handled, HandlerCtx, HandlerError, parse_field},
    timers,
};
use baton_schemas::{
    ApprovalRequest, JobId, Notification, NotificationKind, OrgId, PendingActionId,
};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::{EXPIRE, Gateway, REMIND, SERVICE, blocks, repo};

pub(crate) async fn on_request(
    g: &Gateway,
    ctx: &mut HandlerCtx<'_>,
    r: ApprovalRequest,
) -> Handled {
    let org = ctx.enter_org(&r.org_id).await?;
    let id: PendingActionId = parse_field("pending_action_id", &r.pending_action_id)?;
    let job: JobId = parse_field("job_id", &r.job_id)?;
    if !repo::create(ctx.tx, id, job, &r).await? {
        tracing::debug!(pending_action = %id, "approval request seen before: nothing to do");
        return Ok(());
    }
    // Fault tests stop here: the gate exists (uncommitted), nothing is sent.
    fail::fail_point!("gateway_after_pending_action");
    check_job_waits(ctx, job, &r).await?;
    schedule(g, ctx, &org, id, &r).await?;
    ctx.emit(&message(g, id, &r, ctx.now()))?;
    let who = Actor {
        service: SERVICE,
        actor: SERVICE,
        org_id: &org,
        job_id: Some(job),
    };
    let detail = json!({ "pending_action_id": id.to_string(), "step": r.step_name, "kind": r.pattern, "expires_at": r.expires_at });
    jobs::audit(ctx, who, "approval.pending", detail).await
}

/// The router persisted the job as `awaiting_approval` at this step; a job that is not is
/// logged (the gate still opens: the router decides what a resolution changes).
async fn check_job_waits(ctx: &mut HandlerCtx<'_>, job_id: JobId, r: &ApprovalRequest) -> Handled {
    let Some(job) = JobRow::load(ctx.tx, job_id, false).await? else {
        return Err(HandlerError::invalid(format!(
            "approval request for job {job_id}, which does not exist"
        )));
    };
    let waits = job.status == JobStatus::AwaitingApproval
        && job.context["pending_approvals"]
            .as_array()
            .is_some_and(|a| a.contains(&json!(r.step_index)));
    if !waits {
        tracing::warn!(job = %job_id, status = %job.status, step = r.step_index, "approval requested for a job that is not waiting at that step");
    }
    Ok(())
}

/// The expiry timer, and the reminder when there is still time for one.
async fn schedule(
    g: &Gateway,
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    id: PendingActionId,
    r: &ApprovalRequest,
) -> Handled {
    let payload = json!({ "pending_action_id": id.to_string() });
    let key = id.to_string();
    timers::schedule(ctx.tx, org, EXPIRE, &key, r.expires_at, &payload).await?;
    if let Some(at) = reminder_at(g, ctx, &r.user_id, r.expires_at).await? {
        timers::schedule(ctx.tx, org, REMIND, &key, at, &payload).await?;
    }
    Ok(())
}

/// When to remind: `reminder_before` ahead of expiry, moved to just before the rep's quiet
/// hours when it would fall in them; none when that is already past.
async fn reminder_at(
    g: &Gateway,
    ctx: &mut HandlerCtx<'_>,
    user: &str,
    expires_at: DateTime<Utc>,
) -> Handled<Option<DateTime<Utc>>> {
    let mut at = expires_at - g.reminder_before;
    if let Some(q) = repo::quiet_hours(ctx.tx, user).await?
        && let Ok(ut) = UserTime::parse(&q.timezone, q.start.as_deref(), q.end.as_deref())
        && let Some(since) = ut.quiet_since(at)
    {
        at = since - chrono::Duration::minutes(5);
    }
    Ok((at > ctx.now()).then_some(at))
}

/// The approval message: Block Kit with the draft and the four buttons, and its text.
fn message(
    g: &Gateway,
    id: PendingActionId,
    r: &ApprovalRequest,
    now: DateTime<Utc>,
) -> Notification {
    let links = g
        .console
        .as_deref()
        .map(|base| blocks::Links::for_gate(base, &r.job_id));
    let (blocks, text) = blocks::approval(
        &r.pattern,
        &r.step_name,
        &r.draft,
        id,
        &blocks::slack_date(r.expires_at),
        &r.editable_fields,
        links.as_ref(),
    );
    Notification {
        notification_id: crate::message_id(id).to_string(),
        org_id: r.org_id.clone(),
        user_id: r.user_id.clone(),
        kind: NotificationKind::Approval,
        text,
        blocks: Some(blocks),
        job_id: Some(r.job_id.clone()),
        pending_action_id: Some(id.to_string()),
        created_at: now,
    }
}
