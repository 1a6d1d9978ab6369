//! Slack interactivity (`application/x-www-form-urlencoded`, the JSON in `payload`), signed
//! with the app's signing secret (`ingress.slack_signing_secrets`) or, for a workspace with
//! its own app, that workspace's (its connection's `signing_secret`).
//!
//! A click on one of the approval-gateway's buttons (`baton.approve|skip|cancel`, value
//! `pa_<uuid>`) becomes an ApprovalDecision by the clicking Slack user of that workspace; the
//! gateway decides whether that user may decide the gate. The org is the one the workspace
//! (`team.id`, inside the signed body) is connected to. Keyed by `trigger_id`, which Slack
//! makes unique per interaction.
//!
//! Edit opens the draft in a modal and the modal's `view_submission` is the edit decision
//! ([`crate::edit`]). Other interactions are verified, answered 200 and recorded as skipped.

use axum::http::HeaderMap;
use baton_platform::connections::store;
use baton_schemas::{ApprovalDecision, Decision, DecisionChannel, Message, OrgId, PendingActionId};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::{
    Answer, Ingress, edit,
    receipts::{self, Outcome, Receipt},
    verify::{self, SlackRequest, Unverified},
};

const PROVIDER: &str = "slack";

pub async fn receive(ing: &Ingress, headers: &HeaderMap, body: &[u8]) -> Answer {
    let req = SlackRequest {
        timestamp: headers.get(verify::SLACK_TIMESTAMP).map(|v| v.as_bytes()),
        signature: headers.get(verify::SLACK_SIGNATURE).map(|v| v.as_bytes()),
        body,
    };
    let now = ing.svc().now();
    let p = match verified(ing, &req, now).await {
        Ok(p) => p,
        Err(a) => return a,
    };
    let Some(trigger) = p["trigger_id"].as_str().filter(|t| !t.is_empty()) else {
        return Answer::malformed("the payload has no trigger_id");
    };
    let Some(team) = team_of(&p) else {
        return Answer::malformed("the payload names no Slack workspace (team.id)");
    };
    let org = match org_for_team(ing, team).await {
        Ok(org) => org,
        Err(e) => return e.into(),
    };
    let kind = p["type"].as_str().unwrap_or_default().to_string();
    let mut receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: trigger.to_string(),
        org: org.clone(),
        kind: kind.clone(),
        outcome: Outcome::Skipped,
        detail: json!({ "team": team }),
    };
    let Some(org) = org else {
        receipt.detail["reason"] = json!("no org is connected to this Slack workspace");
        return receipts::record(ing, &receipt).await;
    };
    let Some(slack_user) = p
        .pointer("/user/id")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
    else {
        return Answer::malformed("the payload has no user.id");
    };
    let who = edit::Clicker { team, slack_user };
    match kind.as_str() {
        "block_actions" => {}
        "view_submission" => return edit::submitted(ing, receipt, &org, who, &p).await,
        _ => {
            receipt.detail["reason"] = json!(format!("{kind} is not acted on"));
            return receipts::record(ing, &receipt).await;
        }
    }
    match click(&p, &org, trigger, who, now) {
        Ok(Click::Decided(decision)) => {
            if let Err(v) = decision.validate() {
                return Answer::malformed(format!("the decision it would publish: {v}"));
            }
            receipt.outcome = Outcome::Published;
            receipt.detail = json!({
                "team": team,
                "pending_action_id": decision.pending_action_id,
                "decision": decision.decision,
            });
            receipts::publish(ing, &receipt, &decision).await
        }
        Ok(Click::Edit(gate)) => edit::open(ing, receipt, &org, gate, who, &p).await,
        Ok(Click::Skipped(reason)) => {
            receipt.detail["reason"] = json!(reason);
            receipts::record(ing, &receipt).await
        }
        Err(reason) => Answer::malformed(reason),
    }
}

/// What a block_actions click means.
enum Click {
    Decided(ApprovalDecision),
    /// Edit: the modal, for this gate.
    Edit(PendingActionId),
    Skipped(&'static str),
}

fn click(
    p: &Value,
    org: &OrgId,
    trigger: &str,
    who: edit::Clicker<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Click, String> {
    let action = p.pointer("/actions/0").ok_or("the click has no action")?;
    let Some(name) = action["action_id"]
        .as_str()
        .and_then(|a| a.strip_prefix("baton."))
    else {
        return Ok(Click::Skipped("not one of Baton's buttons"));
    };
    let decision: Decision = name.parse().map_err(|e| format!("action_id: {e}"))?;
    let gate: PendingActionId = action["value"]
        .as_str()
        .ok_or("the button has no value")?
        .parse()
        .map_err(|e| format!("the button's value: {e}"))?;
    if decision == Decision::Edit {
        return Ok(Click::Edit(gate));
    }
    Ok(Click::Decided(ApprovalDecision {
        decision_id: receipts::event_id(PROVIDER, trigger).to_string(),
        pending_action_id: gate.to_string(),
        org_id: org.to_string(),
        decision,
        decided_by: who.slack_user.to_string(),
        via: DecisionChannel::Slack,
        user_modifications: None,
        decided_at: now,
        slack_team_id: Some(who.team.to_string()),
        operator: None,
        as_admin: false,
    }))
}

/// The request's payload once its signature holds: under one of `ingress.slack_signing_secrets`
/// (the app's), else under the signing secret of the workspace the payload names, from that
/// workspace's connection. Nothing in the payload is acted on before this.
async fn verified(
    ing: &Ingress,
    req: &SlackRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Value, Answer> {
    let max_age = ing.config().slack_max_age_s;
    let Err(why) = verify::slack(req, &ing.config().slack_signing_secrets, now, max_age) else {
        return payload(req.body);
    };
    // Only a signature the app's secrets do not match may still be the workspace's own.
    if !matches!(why, Unverified::Mismatch(_) | Unverified::Unconfigured) {
        return Err(why.into());
    }
    let Ok(p) = payload(req.body) else {
        return Err(why.into());
    };
    let Some(team) = team_of(&p) else {
        return Err(why.into());
    };
    let Some((_, ws)) = store::slack_for_team(&ing.svc().pool, ing.keys(), team).await? else {
        return Err(why.into());
    };
    verify::slack(req, std::slice::from_ref(&ws.signing_secret), now, max_age)?;
    Ok(p)
}

/// The interaction payload of a Slack form body.
fn payload(body: &[u8]) -> Result<Value, Answer> {
    let Some(payload) = form_urlencoded::parse(body)
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| v.into_owned())
    else {
        return Err(Answer::malformed("the form has no payload field"));
    };
    serde_json::from_str(&payload)
        .map_err(|e| Answer::malformed(format!("the payload is not JSON: {e}")))
}

fn team_of(p: &Value) -> Option<&str> {
    p.pointer("/team/id")
        .or_else(|| p.pointer("/user/team_id"))
        .and_then(Value::as_str)
}

/// The org whose users are mapped in Slack workspace `team` (one org, or none); a found one
/// is remembered for a few seconds ([`crate::teams`]).
async fn org_for_team(ing: &Ingress, team: &str) -> Result<Option<OrgId>, sqlx::Error> {
    let now = std::time::Instant::now();
    if let Some(org) = ing.teams().get(team, now) {
        return Ok(Some(org));
    }
    let org = sqlx::query_scalar!("SELECT baton_org_for_slack_team($1)", team)
        .fetch_one(&ing.svc().pool)
        .await?;
    let org: Option<OrgId> = org.and_then(|o| o.parse().ok());
    if let Some(org) = &org {
        ing.teams().put(team, org.clone(), now);
    }
    Ok(org)
}
