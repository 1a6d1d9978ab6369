//! The approval-gateway: human-in-the-loop gates.
//!
//! - [`open`]: an ApprovalRequest becomes a `slack_pending_actions` row *before* anything
//!   is sent, then the approval message (Block Kit, four buttons), an expiry timer and a
//!   reminder timer.
//! - [`decide`]: an ApprovalDecision (Slack, web inbox, CLI) is applied at most once: only
//!   the job's user (a Slack user through `slack_user_mappings`) or an org admin may decide;
//!   `edit` may change only the gate's editable fields; a decision after expiry,
//!   cancellation or another decision changes nothing and says so.
//! - [`expiry`]: a reminder before expiry; expiry resolves the gate per `on_timeout` (skip or
//!   cancel — never approve).
//!
//! A closed gate sends the same three things ([`outcome`]): the resolution for the router,
//! the message updated to show the outcome, the audit record. [`repo`] holds the SQL.

pub mod blocks;
mod decide;
mod expiry;
mod open;
mod outcome;
mod repo;

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::{Bus, Delivery},
    component::Component,
    config::Config,
    runtime::{Handled, HandlerCtx},
    service::Service,
    timers::Timer,
};
use baton_schemas::{
    ApprovalDecision, ApprovalRequest, Decision, DecisionChannel, OrgId, PendingActionId, Topic,
};
use serde_json::Value;
use uuid::Uuid;

pub const SERVICE: &str = "approval-gateway";
pub const EXPIRE: &str = "approval_expire";
pub const REMIND: &str = "approval_reminder";

/// The notification id of gate `id`'s approval message: the notifier keys its delivery by
/// it, so the console can say when that message is held back.
pub fn message_id(id: PendingActionId) -> Uuid {
    Uuid::new_v5(&id.uuid(), b"approval")
}

#[derive(Clone)]
pub struct Gateway {
    svc: Service,
    reminder_before: chrono::Duration,
    /// `console.public_base_url`: approval messages link to the console when set.
    console: Option<String>,
}

impl Component for Gateway {
    const NAME: &'static str = SERVICE;
    const TOPICS: &'static [Topic] = &[Topic::ApprovalRequests, Topic::ApprovalDecisions];
    const TIMERS: &'static [&'static str] = &[EXPIRE, REMIND];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let svc = Self::connect(config, clock)
            .await?
            .with_timer_poll(config.approvals.timer_poll_ms);
        let before = i64::try_from(config.approvals.reminder_before_ms).unwrap_or(i64::MAX);
        Ok(Self {
            svc,
            reminder_before: chrono::Duration::milliseconds(before),
            console: config.console.public_base_url.clone(),
        })
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Handled {
        if d.topic == self.svc.producer.topic(Topic::ApprovalRequests) {
            let r: ApprovalRequest = ctx.decode(d).await?;
            open::on_request(self, ctx, r).await
        } else {
            let decision: ApprovalDecision = ctx.decode(d).await?;
            decide::on_decision(ctx, decision).await
        }
    }

    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
        expiry::fire(ctx, timer).await
    }
}

/// Who a published decision comes from.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// A Slack user, of a Slack workspace (team).
    Slack { team: &'a str, user: &'a str },
    /// A Baton user signed in to the web inbox.
    Web { user: &'a str },
    /// A Baton user, through the CLI run by `operator`; `as_admin` when deciding another
    /// user's gate.
    Cli {
        user: &'a str,
        operator: &'a str,
        as_admin: bool,
    },
}

/// Publishes a decision on `baton.approval.decisions`, as the Slack gateway and the web inbox
/// do (`baton approvals decide`). Returns the decision's id.
pub async fn publish_decision(
    svc: &Service,
    org_id: &OrgId,
    pending_action_id: PendingActionId,
    decision: Decision,
    by: By<'_>,
    modifications: Option<Value>,
) -> anyhow::Result<String> {
    let (decided_by, via, slack_team_id, operator, as_admin) = match by {
        By::Slack { team, user } => (user, DecisionChannel::Slack, Some(team), None, false),
        By::Web { user } => (user, DecisionChannel::Web, None, None, false),
        By::Cli {
            user,
            operator,
            as_admin,
        } => (user, DecisionChannel::Cli, None, Some(operator), as_admin),
    };
    let d = ApprovalDecision {
        decision_id: Uuid::now_v7().to_string(),
        pending_action_id: pending_action_id.to_string(),
        org_id: org_id.to_string(),
        decision,
        decided_by: decided_by.to_string(),
        via,
        user_modifications: modifications,
        decided_at: svc.now(),
        slack_team_id: slack_team_id.map(str::to_string),
        operator: operator.map(str::to_string),
        as_admin,
    };
    svc.bus.publish(vec![svc.producer.envelope(&d)?]).await?;
    Ok(d.decision_id)
}
