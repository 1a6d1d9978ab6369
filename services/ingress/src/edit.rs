//! Editing a gate's draft from Slack: the Edit button opens a modal with the gate's editable
//! text fields (`views.open`, inside Slack's 3-second `trigger_id` window, on the request
//! itself — not behind a consumer); submitting it becomes an `edit` ApprovalDecision, or the
//! modal shows what is wrong with a field (`response_action: errors`, in the same answer)
//! under the same rule the approval-gateway applies (`baton_core::edits`).
//!
//! Only the gate's deciders (the Slack user mapped to its rep, or a listed decider) get the
//! modal; the gateway still authorises the decision itself.

use baton_platform::store;
use baton_schemas::{ApprovalDecision, Decision, DecisionChannel, OrgId, PendingActionId};
use serde_json::{Map, Value, json};

use crate::{
    Answer, Ingress,
    receipts::{self, Outcome, Receipt},
};

/// The modal's callback id.
pub const CALLBACK: &str = "baton.edit_draft";

/// A gate, as the modal needs it.
struct Gate {
    id: PendingActionId,
    job_id: String,
    kind: String,
    pending: bool,
    draft: Value,
    editable: Vec<String>,
    /// Who may decide it: its rep and the listed deciders.
    deciders: Vec<String>,
}

/// Who clicked: a Slack user of a workspace.
#[derive(Clone, Copy)]
pub struct Clicker<'a> {
    pub team: &'a str,
    pub slack_user: &'a str,
}

/// Loads `gate` and checks `who` may edit it; the reason when not.
async fn editable_gate(
    ing: &Ingress,
    org: &OrgId,
    gate: &PendingActionId,
    who: &Clicker<'_>,
) -> Result<Result<Gate, &'static str>, Answer> {
    let mut tx = store::begin_for_org(&ing.svc().pool, org).await?;
    let row = sqlx::query!(
        r#"SELECT p.job_id::text AS "job_id!", p.kind, p.status, p.draft, p.editable_fields,
                  p.user_id, p.allowed_deciders,
                  (SELECT m.user_id FROM slack_user_mappings m
                   WHERE m.slack_team_id = $2 AND m.slack_user_id = $3) AS clicker
           FROM slack_pending_actions p WHERE p.id = $1"#,
        gate.uuid(),
        who.team,
        who.slack_user,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = row else {
        return Ok(Err("no pending action of this org has that id"));
    };
    let mut deciders = r.allowed_deciders;
    deciders.push(r.user_id);
    let gate = Gate {
        id: *gate,
        job_id: r.job_id,
        kind: r.kind,
        pending: r.status == "pending",
        draft: r.draft,
        editable: r.editable_fields,
        deciders,
    };
    if !r.clicker.is_some_and(|u| gate.deciders.contains(&u)) {
        return Ok(Err("the clicking Slack user is not a decider of this gate"));
    }
    if !gate.pending {
        return Ok(Err("the gate is already decided"));
    }
    Ok(Ok(gate))
}

/// The editable fields shown as text: those whose draft value is a string.
fn text_fields(gate: &Gate) -> Vec<&str> {
    gate.editable
        .iter()
        .filter(|f| gate.draft[f.as_str()].is_string())
        .map(String::as_str)
        .collect()
}

/// The modal for `gate`: one text input per editable text field, the gate in
/// `private_metadata`.
fn modal(gate: &Gate, fields: &[&str], container: &Value) -> Value {
    let email = gate.kind == "email_draft";
    let label = |f: &str| match (f, email) {
        ("body", true) => "Email body".to_string(),
        _ => {
            let mut c = f.replace('_', " ");
            if let Some(first) = c.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            c
        }
    };
    let blocks: Vec<Value> = fields
        .iter()
        .map(|f| {
            json!({
                "type": "input",
                "block_id": format!("draft_{f}"),
                "label": { "type": "plain_text", "text": label(f), "emoji": true },
                "optional": false,
                "element": {
                    "type": "plain_text_input",
                    "action_id": format!("{f}_input"),
                    "initial_value": gate.draft[*f],
                    "multiline": *f == "body",
                },
            })
        })
        .collect();
    let metadata = json!({
        "pending_action_id": gate.id.to_string(),
        "job_id": gate.job_id,
        "channel_id": container["channel_id"],
        "message_ts": container["message_ts"],
    });
    json!({
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": metadata.to_string(),
        "title": { "type": "plain_text", "text": if email { "Edit follow-up" } else { "Edit draft" }, "emoji": true },
        "submit": { "type": "plain_text", "text": if email { "Save & send" } else { "Save & approve" }, "emoji": true },
        "close": { "type": "plain_text", "text": "Back", "emoji": true },
        "blocks": blocks,
    })
}

/// The Edit button: the modal opened for a decider of a pending gate, recorded either way.
pub async fn open(
    ing: &Ingress,
    mut receipt: Receipt,
    org: &OrgId,
    gate: PendingActionId,
    who: Clicker<'_>,
    payload: &Value,
) -> Answer {
    let skip = |mut receipt: Receipt, reason: &str| {
        receipt.detail["reason"] = json!(reason);
        receipt
    };
    let gate = match editable_gate(ing, org, &gate, &who).await {
        Ok(Ok(g)) => g,
        Ok(Err(reason)) => return receipts::record(ing, &skip(receipt, reason)).await,
        Err(a) => return a,
    };
    let fields = text_fields(&gate);
    let slack = match ing.slack_for_team(who.team).await {
        Ok(s) => s,
        Err(a) => return a,
    };
    let Some(slack) = slack else {
        let reason = "Slack is not configured (notifier.slack_token, or a connection for the workspace): edit in the web inbox";
        return receipts::record(ing, &skip(receipt, reason)).await;
    };
    if fields.is_empty() {
        let reason = "nothing at this gate is editable as text: edit in the web inbox";
        return receipts::record(ing, &skip(receipt, reason)).await;
    }
    let Some(trigger) = payload["trigger_id"].as_str() else {
        return Answer::malformed("the payload has no trigger_id");
    };
    let view = modal(&gate, &fields, &payload["container"]);
    // Slack first (the trigger is valid for three seconds), then the record of it. Slack does
    // not redeliver interactions, and a second click has a trigger of its own.
    receipt.outcome = Outcome::Recorded;
    receipt.detail = match slack.views_open(trigger, &view).await {
        Ok(view_id) => json!({ "pending_action_id": gate.id.to_string(), "opened": view_id }),
        Err(e) => {
            tracing::warn!(error = %e, "views.open failed");
            json!({ "pending_action_id": gate.id.to_string(), "reason": format!("views.open: {e}") })
        }
    };
    receipts::record(ing, &receipt).await
}

/// The modal submitted: the edit decision, or the fields' errors shown in the modal.
pub async fn submitted(
    ing: &Ingress,
    mut receipt: Receipt,
    org: &OrgId,
    who: Clicker<'_>,
    payload: &Value,
) -> Answer {
    let view = &payload["view"];
    if view["callback_id"] != CALLBACK {
        receipt.detail["reason"] = json!("not Baton's edit modal");
        return receipts::record(ing, &receipt).await;
    }
    let metadata: Value = view["private_metadata"]
        .as_str()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    let gate: PendingActionId = match metadata["pending_action_id"].as_str().map(str::parse) {
        Some(Ok(g)) => g,
        _ => return Answer::malformed("the modal's private_metadata names no pending action"),
    };
    let gate = match editable_gate(ing, org, &gate, &who).await {
        Ok(Ok(g)) => g,
        Ok(Err(reason)) => {
            receipt.detail["reason"] = json!(reason);
            return receipts::record(ing, &receipt).await;
        }
        Err(a) => return a,
    };
    let edits = values(&view["state"]["values"]);
    let edits = match baton_core::edits::validate(&gate.draft, &gate.editable, Some(&edits)) {
        Ok(edits) => edits,
        Err(e) => {
            let block = e
                .field
                .map(|f| format!("draft_{f}"))
                .or_else(|| text_fields(&gate).first().map(|f| format!("draft_{f}")))
                .unwrap_or_default();
            return Answer::FieldErrors(json!({
                "response_action": "errors",
                "errors": { block: e.message },
            }));
        }
    };
    let decision = ApprovalDecision {
        decision_id: receipts::event_id("slack", &receipt.dedupe_key).to_string(),
        pending_action_id: gate.id.to_string(),
        org_id: org.to_string(),
        decision: Decision::Edit,
        decided_by: who.slack_user.to_string(),
        via: DecisionChannel::Slack,
        user_modifications: Some(Value::Object(edits)),
        decided_at: ing.svc().now(),
        slack_team_id: Some(who.team.to_string()),
        operator: None,
        as_admin: false,
    };
    receipt.outcome = Outcome::Published;
    receipt.detail = json!({ "team": who.team, "pending_action_id": decision.pending_action_id, "decision": "edit" });
    receipts::publish(ing, &receipt, &decision).await
}

/// The submitted values: `draft_<field>` blocks' `<field>_input` text.
fn values(state: &Value) -> Value {
    let mut edits = Map::new();
    for (block, actions) in state.as_object().into_iter().flatten() {
        let Some(field) = block.strip_prefix("draft_") else {
            continue;
        };
        if let Some(v) = actions[format!("{field}_input")]["value"].as_str() {
            edits.insert(field.to_string(), json!(v));
        }
    }
    Value::Object(edits)
}
