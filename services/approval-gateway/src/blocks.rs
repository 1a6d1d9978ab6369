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

/// The draft's attachments, one line: "Proposal-Keystone.md (2.1 KB)".
fn attached(draft: &Value) -> Option<Detail> {
    let files: Vec<String> = draft
        .get("attachments")?
        .as_array()?
        .iter()
        .map(|a| {
            let bytes = a["content_base64"].as_str().map_or(0, |b| b.len() / 4 * 3);
            format!(
                "{} ({:.1} KB)",
                str_of(a, "filename"),
                bytes as f64 / 1024.0
            )
        })
        .collect();
    (!files.is_empty()).then(|| Detail::Fields(vec![("Attached", files.join(", "))]))
}

/// What an approval message says, before it is rendered: as Slack mrkdwn here, as HTML by
/// the console, so both show a gate the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub headline: String,
    pub details: Vec<Detail>,
}

/// A part of an approval message.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// Labelled values on one line ("Subject: …").
    Fields(Vec<(&'static str, String)>),
    /// Text quoted as it will be sent (an email's body).
    Quote(String),
    /// A list (the tasks to create).
    Bullets(Vec<String>),
    /// Anything else, shown as it is (pretty JSON).
    Code(String),
}

impl Detail {
    /// As Slack mrkdwn, with the user-supplied text escaped.
    fn mrkdwn(&self) -> String {
        match self {
            Detail::Fields(fields) => fields
                .iter()
                .map(|(label, value)| format!("*{label}:* {}", esc(value)))
                .collect::<Vec<_>>()
                .join("   "),
            Detail::Quote(body) => quote(body),
            Detail::Bullets(items) => items
                .iter()
                .map(|i| format!("• {}", esc(i)))
                .collect::<Vec<_>>()
                .join("\n"),
            Detail::Code(text) => format!("```{}```", esc(text)),
        }
    }
}

fn quote(body: &str) -> String {
    body.lines()
        .map(|l| format!("> {}", esc(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The headline and details of the approval message for `pattern` from `draft`.
pub fn message(pattern: &str, step: &str, draft: &Value) -> Message {
    let subject = || Detail::Fields(vec![("Subject", str_of(draft, "subject").to_string())]);
    let body = || Detail::Quote(str_of(draft, "body").to_string());
    let (headline, details) = match pattern {
        "email_draft" => {
            let to = draft
                .get("to")
                .map_or(String::new(), |t| str_of(t, "name").to_string());
            (
                format!(
                    "Send this follow-up email to {}?",
                    if to.is_empty() { "the prospect" } else { &to }
                ),
                vec![subject(), body()],
            )
        }
        "proposal" => (
            "Send this proposal?".to_string(),
            [subject(), body()]
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
                            t.get("text")
                                .or_else(|| t.get("title"))
                                .and_then(Value::as_str)
                                .unwrap_or("?")
                                .to_string()
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
                vec![Detail::Bullets(tasks)],
            )
        }
        "deal_stage_change" => (
            "Move this deal?".to_string(),
            vec![Detail::Fields(vec![
                ("Deal", str_of(draft, "deal_id").to_string()),
                ("New stage", str_of(draft, "stage").to_string()),
            ])],
        ),
        other => (
            format!("Approve step {step} ({other})?"),
            vec![Detail::Code(
                serde_json::to_string_pretty(draft).unwrap_or_default(),
            )],
        ),
    };
    Message { headline, details }
}

/// Where the console shows a gate: the approvals inbox and the gate's run
/// (`console.public_base_url`).
#[derive(Debug, Clone)]
pub struct Links {
    pub approvals: String,
    pub run: String,
}

impl Links {
    pub fn for_gate(console: &str, job_id: &str) -> Links {
        let base = console.trim_end_matches('/');
        Links {
            approvals: format!("{base}/approvals"),
            run: format!("{base}/runs/{job_id}"),
        }
    }
}

/// `(blocks, text)` for an approval request; with `links`, the note links to the console.
pub fn approval(
    pattern: &str,
    step: &str,
    draft: &Value,
    gate: PendingActionId,
    expires: &str,
    editable: &[String],
    links: Option<&Links>,
) -> (Value, String) {
    let Message { headline, details } = message(pattern, step, draft);
    let mut blocks = vec![section(format!("*{headline}*"))];
    blocks.extend(
        details
            .iter()
            .map(Detail::mrkdwn)
            .filter(|d| !d.is_empty())
            .map(section),
    );
    let mut note = if editable.is_empty() {
        format!("Expires {expires}.")
    } else {
        format!("Expires {expires}. Editable: {}.", editable.join(", "))
    };
    if let Some(l) = links {
        note.push_str(&format!(
            " <{}|Open in Baton> · <{}|the run>",
            l.approvals, l.run
        ));
    }
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
    let headline = message(pattern, step, draft).headline;
    format!("Reminder: \"{headline}\" is still waiting for you; it expires {expires}.")
}

/// The approval message once decided (what `chat.update` shows): the headline and who
/// decided what, without buttons.
pub fn resolved(pattern: &str, step: &str, draft: &Value, outcome: &str) -> (Value, String) {
    let headline = message(pattern, step, draft).headline;
    let blocks = json!([
        section(format!("*{headline}*")),
        { "type": "context", "elements": [{ "type": "mrkdwn", "text": esc(outcome) }] }
    ]);
    (blocks, format!("{headline} — {outcome}"))
}
