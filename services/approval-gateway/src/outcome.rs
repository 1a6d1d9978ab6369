//! What closing a gate sends, whether a rep decided it or it expired: the resolution for the
//! router (an ApprovalResolved result), the approval message replaced by the outcome (a
//! second approval notification for the gate, which the notifier turns into `chat.update`),
//! and the audit record.

use baton_platform::{
    jobs::{self, Actor},
    runtime::{Handled, HandlerCtx},
};
use baton_schemas::{
    ApprovalResolved, Notification, NotificationKind, Resolution, StepOutcome, StepResult,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    SERVICE, blocks,
    repo::{self, Pending},
};

/// The resolution the router applies.
pub(crate) fn resolved(
    ctx: &mut HandlerCtx<'_>,
    p: &Pending,
    decision: Resolution,
    decided_by: Option<String>,
    modifications: Option<Value>,
) -> Handled {
    let resolved_at = ctx.now();
    ctx.emit(&StepResult {
        result_id: Uuid::now_v7().to_string(),
        job_id: p.job_id.to_string(),
        org_id: p.org_id.to_string(),
        result: StepOutcome::ApprovalResolved(ApprovalResolved {
            pending_action_id: p.id.to_string(),
            step_index: p.step_index,
            decision,
            decided_by,
            user_modifications: modifications,
            resolved_at,
        }),
    })
}

/// Replaces the gate's message with `outcome` (who decided what, or that it expired).
pub(crate) async fn show(ctx: &mut HandlerCtx<'_>, p: &Pending, outcome: String) -> Handled {
    let step = repo::step_name(ctx.tx, p).await?;
    let (blocks, text) = blocks::resolved(&p.kind, &step, &p.draft, &outcome);
    let n = notification(
        p,
        b"outcome",
        NotificationKind::Approval,
        text,
        Some(blocks),
        ctx.now(),
    );
    ctx.emit(&n)
}

/// A notification to the gate's rep about the gate; `tag` makes its id (one per gate and
/// tag, so a redelivery is the same notification).
pub(crate) fn notification(
    p: &Pending,
    tag: &[u8],
    kind: NotificationKind,
    text: String,
    blocks: Option<Value>,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Notification {
    Notification {
        notification_id: Uuid::new_v5(&p.id.uuid(), tag).to_string(),
        org_id: p.org_id.to_string(),
        user_id: p.user_id.to_string(),
        kind,
        text,
        blocks,
        job_id: Some(p.job_id.to_string()),
        pending_action_id: Some(p.id.to_string()),
        created_at,
    }
}

/// An audit record about gate `p` by the gateway; the detail names the gate.
pub(crate) async fn audit(
    ctx: &mut HandlerCtx<'_>,
    p: &Pending,
    action: &str,
    mut detail: Value,
) -> Handled {
    detail["pending_action_id"] = json!(p.id.to_string());
    detail["step_index"] = json!(p.step_index);
    detail["kind"] = json!(p.kind);
    let who = Actor {
        service: SERVICE,
        actor: SERVICE,
        org_id: &p.org_id,
        job_id: Some(p.job_id),
    };
    jobs::audit(ctx, who, action, detail).await
}
