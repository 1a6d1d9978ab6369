//! `slack_approval_received` is not a sequence: it is what an external Slack gateway may
//! publish on `baton.events` when a rep clicks a button. The router translates it into an
//! ApprovalDecision for the approval-gateway, which applies the same authorisation (the
//! Slack user must map to the gate's rep) and at-most-once rules as for any decision;
//! nothing else resumes a gate.
//!
//! The payload is either `{pending_action_id, decision, slack_user_id, slack_team_id,
//! user_modifications?}` or Slack's own block_actions body as `payload` (`user.id`, `team.id`,
//! `actions[0].action_id`
//! `baton.<decision>` and `value` `pa_<uuid>`, as the gateway's buttons carry them).

use baton_schemas::{
    ApprovalDecision, Decision, DecisionChannel, OrchestratorEvent, PendingActionId,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

pub(crate) const EVENT: &str = "slack_approval_received";

/// The decision the event carries, or what is wrong with it.
pub(crate) fn decision(
    ev: &OrchestratorEvent,
    now: DateTime<Utc>,
) -> Result<ApprovalDecision, String> {
    let p = &ev.payload;
    let (gate, decision, user, team, edits) = match p.get("payload").filter(|b| b.is_object()) {
        Some(body) => {
            let action = body
                .pointer("/actions/0")
                .ok_or("the block_actions payload has no action")?;
            let decision = action["action_id"]
                .as_str()
                .and_then(|a| a.strip_prefix("baton."))
                .ok_or(
                    "the action is not one of Baton's buttons (baton.approve|edit|skip|cancel)",
                )?;
            (
                action["value"].as_str(),
                decision,
                body.pointer("/user/id").and_then(Value::as_str),
                body.pointer("/team/id")
                    .or_else(|| body.pointer("/user/team_id"))
                    .and_then(Value::as_str),
                None,
            )
        }
        None => (
            p["pending_action_id"].as_str(),
            p["decision"].as_str().ok_or("`decision` is missing")?,
            p["slack_user_id"].as_str(),
            p["slack_team_id"].as_str(),
            p.get("user_modifications")
                .filter(|m| m.is_object())
                .cloned(),
        ),
    };
    let gate: PendingActionId = gate
        .ok_or("the pending action id is missing")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let decision: Decision = decision.parse().map_err(|e| format!("{e}"))?;
    let user = user
        .filter(|u| !u.trim().is_empty())
        .ok_or("the Slack user id is missing")?;
    // A Slack user id is unique only within its workspace.
    let team = team
        .filter(|t| !t.trim().is_empty())
        .ok_or("the Slack team id is missing")?;
    Ok(ApprovalDecision {
        decision_id: ev.event_id.clone(),
        pending_action_id: gate.to_string(),
        org_id: ev.org_id.clone(),
        decision,
        decided_by: user.to_string(),
        via: DecisionChannel::Slack,
        user_modifications: edits,
        decided_at: now,
        slack_team_id: Some(team.to_string()),
        operator: None,
        as_admin: false,
    })
}
