//! The gateway's timers: a reminder before a gate expires, and the expiry itself, which
//! resolves the gate per its `on_timeout` (skip or cancel — never approve: an email send is
//! never approved by a timeout). A gate decided in time makes both do nothing; a gate whose
//! job ended meanwhile (cancelled by an operator, failed) is withdrawn by the first of them.

use baton_core::status::PendingActionStatus;
use baton_platform::{
    runtime::{Handled, HandlerCtx, HandlerError, parse_field},
    timers::Timer,
};
use baton_schemas::{NotificationKind, PendingActionId, Resolution, TimeoutAction};
use serde_json::json;

use crate::{
    EXPIRE, REMIND, blocks, outcome,
    repo::{self, Closed, Pending},
};

pub(crate) async fn fire(ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
    let id: PendingActionId = timer.payload["pending_action_id"]
        .as_str()
        .ok_or_else(|| HandlerError::invalid("approval timer without pending_action_id"))
        .and_then(|s| parse_field("pending_action_id", s))?;
    let Some(p) = repo::lock(ctx.tx, id).await? else {
        return Ok(());
    };
    if p.status != PendingActionStatus::Pending {
        return Ok(()); // decided in time: nothing to expire or remind
    }
    if let Some(status) = repo::job_status(ctx.tx, p.job_id).await?
        && status.is_terminal()
    {
        return withdraw(ctx, &p, &status.to_string()).await;
    }
    match timer.kind.as_str() {
        REMIND => remind(ctx, &p).await,
        EXPIRE => expire(ctx, &p).await,
        other => Err(HandlerError::invalid(format!(
            "unknown approval timer kind {other}"
        ))),
    }
}

/// The gate's job ended while it waited (an operator cancelled it, it failed): the gate is
/// closed as cancelled, its message loses its buttons, and nobody is reminded or resolved.
async fn withdraw(ctx: &mut HandlerCtx<'_>, p: &Pending, job_status: &str) -> Handled {
    let now = ctx.now();
    let closed = Closed {
        status: PendingActionStatus::Cancelled,
        decision: format!("withdrawn:job_{job_status}"),
        decided_by: None,
        at: now,
        modifications: None,
    };
    repo::close(ctx.tx, p.id, closed).await?;
    let shown = format!(
        "Withdrawn at {}: the job is {job_status}.",
        now.format("%Y-%m-%d %H:%M UTC")
    );
    outcome::show(ctx, p, shown).await?;
    let detail = json!({ "job_status": job_status });
    outcome::audit(ctx, p, "approval.withdrawn", detail).await
}

async fn remind(ctx: &mut HandlerCtx<'_>, p: &Pending) -> Handled {
    let step = repo::step_name(ctx.tx, p).await?;
    let expires = blocks::plain_date(p.expires_at);
    let text = blocks::reminder(&p.kind, &step, &p.draft, &expires);
    let n = outcome::notification(
        p,
        b"reminder",
        NotificationKind::Inform,
        text,
        None,
        ctx.now(),
    );
    ctx.emit(&n)?;
    let detail = json!({ "expires_at": p.expires_at });
    outcome::audit(ctx, p, "approval.reminded", detail).await
}

async fn expire(ctx: &mut HandlerCtx<'_>, p: &Pending) -> Handled {
    let now = ctx.now();
    let closed = Closed {
        status: PendingActionStatus::Expired,
        decision: format!("expired:{}", p.on_timeout),
        decided_by: None,
        at: now,
        modifications: None,
    };
    repo::close(ctx.tx, p.id, closed).await?;
    outcome::resolved(ctx, p, Resolution::Expired, None, None)?;
    let done = match p.on_timeout {
        TimeoutAction::Cancel => "cancelled",
        TimeoutAction::Skip => "skipped",
    };
    let shown = format!(
        "Expired at {} without an answer: {done}.",
        now.format("%Y-%m-%d %H:%M UTC")
    );
    outcome::show(ctx, p, shown).await?;
    let detail = json!({ "on_timeout": p.on_timeout.as_str() });
    outcome::audit(ctx, p, "approval.expired", detail).await
}
