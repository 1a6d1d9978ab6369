//! The approval message, by HITL pattern, as Slack Block Kit (and the plain text Slack shows
//! in notifications and where blocks cannot be rendered). Every message ends with the four
//! buttons in an `actions` block whose `block_id` is `baton_actions:pa_<uuid>`; each
//! button's `action_id` is `baton.approve|edit|skip|cancel` and its `value` the gate's id
//! (`pa_<uuid>`) — what Slack echoes back in `block_actions` when the rep clicks.

use baton_schemas::{Decision, PendingActionId};
use serde_json::{Value, json};

/// A time as Slack shows it in the reader's own time zone (`<!date^…>`), with the UTC time
/// as the fallback where Slack cannot.
pub fn slack_date(at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "<!date^{}^{{date_short_pretty}} at {{time}}|{}>",
        at.timestamp(),
        plain_date(at)
    )
}

/// A time for plain text: `2026-12-01 20:17 UTC`.
pub fn plain_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The buttons: the decision each stands for, and its label.
pub const BUTTONS: [(Decision, &str); 4] = [
    (Decision::Approve, "Approve"),
    (Decision::Edit, "Edit"),
    (Decision::Skip, "Skip"),
    (Decision::Cancel, "Cancel"),
];

/// A button's `action_id`: `baton.<decision>`.
pub fn action_id(decision: Decision) -> String {
    format!("baton.{decision}")
}

/// The decision a clicked button's `action_id` stands for.
pub fn decision_of(action_id: &str) -> Option<Decision> {
    action_id.strip_prefix("baton.")?.parse().ok()
}

/// The `block_id` of a gate's buttons: `baton_actions:pa_<uuid>`.
pub fn actions_block_id(gate: PendingActionId) -> String {
    format!("baton_actions:{gate}")
}

/// The gate a clicked button belongs to, from its `block_id` (or `None` when the block is
/// not Baton's).
pub fn gate_of_block(block_id: &str) -> Option<PendingActionId> {
    block_id.strip_prefix("baton_actions:")?.parse().ok()
}

fn section(text: String) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } })
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Slack mrkdwn needs &, < and > escaped in user-supplied text.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// "*Attached:* Proposal-Keystone.md (2.1 KB)", one line for the draft's attachments.
fn attached(draft: &Value) -> Option<String> {
    let files: Vec<String> = draft
        .get("attachments")?
        .as_array()?
        .iter()
        .map(|a| {
            let bytes = a["content_base64"].as_str().map_or(0, |b| b.len() / 4 * 3);
            format!(
                "{} ({:.1} KB)",
                esc(str_of(a, "filename")),
                bytes as f64 / 1024.0
            )
        })
        .collect();
    (!files.is_empty()).then(|| format!("*Attached:* {}", files.join(", ")))
}

fn quote(body: &str) -> String {
    body.lines()
        .map(|l| format!("> {}", esc(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The headline and detail lines for `pattern` from `draft`.
fn describe(pattern: &str, step: &str, draft: &Value) -> (String, Vec<String>) {
    match pattern {
        "email_draft" => {
            let to = draft
                .get("to")
                .map_or(String::new(), |t| str_of(t, "name").to_string());
            (
                format!(
                    "Send this follow-up email to {}?",
                    if to.is_empty() { "the prospect" } else { &to }
                ),
                vec![
                    format!("*Subject:* {}", esc(str_of(draft, "subject"))),
                    quote(str_of(draft, "body")),
                ],
            )
        }
        "proposal" => (
            "Send this proposal?".to_string(),
            [
                format!("*Subject:* {}", esc(str_of(draft, "subject"))),
                quote(str_of(draft, "body")),
            ]
            .into_iter()
            .chain(attached(draft))
            .collect(),
        ),
        "task_list" => {
            let tasks: Vec<String> = draft
                .get("tasks")
                .and_then(Value::as_array)
                .map(|ts| {
                    ts.iter()
                        .map(|t| {
                            let text = t
                                .get("text")
                                .or_else(|| t.get("title"))
                                .and_then(Value::as_str)
                                .unwrap_or("?");
                            format!("• {}", esc(text))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                format!(
                    "Create {} CRM task{}?",
                    tasks.len(),
                    if tasks.len() == 1 { "" } else { "s" }
                ),
                vec![tasks.join("\n")],
            )
        }
        "deal_stage_change" => (
            "Move this deal?".to_string(),
            vec![format!(
                "*Deal:* {}   *New stage:* {}",
                esc(str_of(draft, "deal_id")),
                esc(str_of(draft, "stage"))
            )],
        ),
        other => (
            format!("Approve step {step} ({other})?"),
            vec![format!(
                "```{}```",
                esc(&serde_json::to_string_pretty(draft).unwrap_or_default())
            )],
        ),
    }
}

/// `(blocks, text)` for an approval request.
pub fn approval(
    pattern: &str,
    step: &str,
    draft: &Value,
    gate: PendingActionId,
    expires: &str,
    editable: &[String],
) -> (Value, String) {
    let (headline, details) = describe(pattern, step, draft);
    let mut blocks = vec![section(format!("*{headline}*"))];
    blocks.extend(
        details
            .iter()
            .filter(|d| !d.is_empty())
            .cloned()
            .map(section),
    );
    let note = if editable.is_empty() {
        format!("Expires {expires}.")
    } else {
        format!("Expires {expires}. Editable: {}.", editable.join(", "))
    };
    blocks.push(json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text": note }] }));
    let buttons: Vec<Value> = BUTTONS
        .iter()
        .map(|(decision, label)| {
            let mut b = json!({
                "type": "button",
                "action_id": action_id(*decision),
                "text": { "type": "plain_text", "text": label },
                "value": gate.to_string(),
            });
            match decision {
                Decision::Approve => b["style"] = json!("primary"),
                Decision::Cancel => b["style"] = json!("danger"),
                _ => {}
            }
            b
        })
        .collect();
    blocks.push(
        json!({ "type": "actions", "block_id": actions_block_id(gate), "elements": buttons }),
    );
    (
        Value::Array(blocks),
        format!("{headline} (approve, edit, skip or cancel in Baton)"),
    )
}

/// A reminder that a gate is about to expire.
pub fn reminder(pattern: &str, step: &str, draft: &Value, expires: &str) -> String {
    let (headline, _) = describe(pattern, step, draft);
    format!("Reminder: \"{headline}\" is still waiting for you; it expires {expires}.")
}

/// The approval message once decided (what `chat.update` shows): the headline and who
/// decided what, without buttons.
pub fn resolved(pattern: &str, step: &str, draft: &Value, outcome: &str) -> (Value, String) {
    let (headline, _) = describe(pattern, step, draft);
    let blocks = json!([
        section(format!("*{headline}*")),
        { "type": "context", "elements": [{ "type": "mrkdwn", "text": esc(outcome) }] }
    ]);
    (blocks, format!("{headline} — {outcome}"))
}
