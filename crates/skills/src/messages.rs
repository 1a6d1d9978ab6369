//! Inform-only messages for the rep, each as Slack Block Kit and as the plain text Slack shows
//! in notifications (and where blocks cannot be rendered): the post-meeting summary (the
//! morning brief's is in `brief_text`). Nothing here has buttons; approvals are the
//! approval-gateway's.

use serde_json::{Value, json};

/// A message ready for the notifier: `text` always, `blocks` for Slack.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub blocks: Value,
}

/// Slack mrkdwn needs &, < and > escaped in user-supplied text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The strings of a JSON list (none when `v` is not a list; other items are passed over).
pub fn strings(v: &Value) -> impl Iterator<Item = &str> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str)
}

pub(crate) fn header(text: &str) -> Value {
    // Header blocks take plain text of at most 150 characters.
    let text: String = text.chars().take(150).collect();
    json!({ "type": "header", "text": { "type": "plain_text", "text": text } })
}

pub(crate) fn section(mrkdwn: String) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": mrkdwn } })
}

fn context(mrkdwn: String) -> Value {
    json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text": mrkdwn }] })
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("• {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a queued follow-up event means to the rep.
fn follow_up_label(event: &str) -> String {
    match event {
        "followup_email_draft" => "the follow-up email".into(),
        "proposal_generation" => "a proposal draft".into(),
        "calendar_find_times" => "times for the next meeting".into(),
        "send_collateral" => "the material you promised".into(),
        "intro_email_draft" => "an introduction email".into(),
        "contract_generation" => "a contract draft".into(),
        "pricing_quote" => "a pricing quote".into(),
        "crm_task_create" => "a follow-up call task".into(),
        other => other.replace('_', " "),
    }
}

/// The post-meeting summary. `data`: `title`, `rep_commitments` and `prospect_commitments`
/// (lists of commitment phrases), `declined_or_deferred` (a count), `follow_ups` (the
/// follow-up event types the job queued), `email_sent` and `tasks_created`.
pub fn post_meeting_summary(data: &Value) -> Message {
    let title = data["title"].as_str().unwrap_or("your meeting");
    let list = |k: &str| -> Vec<String> { strings(&data[k]).map(str::to_string).collect() };
    let (mine, theirs) = (list("rep_commitments"), list("prospect_commitments"));
    let declined = data["declined_or_deferred"].as_u64().unwrap_or(0) as usize;
    let follow_ups: Vec<String> = strings(&data["follow_ups"]).map(follow_up_label).collect();

    let counts = format!(
        "{} from you, {} from the prospect{}",
        plural(mine.len(), "commitment", "commitments"),
        theirs.len(),
        if declined > 0 {
            format!(", {declined} declined or deferred")
        } else {
            String::new()
        }
    );
    let mut done = vec![if follow_ups.is_empty() {
        "Nothing queued.".to_string()
    } else {
        format!("Queued for you: {}.", follow_ups.join(", "))
    }];
    if data["email_sent"] == true {
        done.push("Follow-up email sent.".into());
    }
    match data["tasks_created"].as_u64().unwrap_or(0) {
        0 => {}
        n => done.push(format!(
            "{} added to your CRM.",
            plural(n as usize, "task", "tasks")
        )),
    }
    let queued = done.join(" ");

    let mut blocks = vec![
        header(&format!("Meeting recap: {title}")),
        section(counts.clone()),
    ];
    let mut text = vec![format!("Meeting recap: {title}"), counts];
    for (label, items) in [("You committed to", &mine), ("They committed to", &theirs)] {
        if items.is_empty() {
            continue;
        }
        let escaped: Vec<String> = items.iter().map(|i| esc(i)).collect();
        blocks.push(section(format!("*{label}:*\n{}", bullets(&escaped))));
        text.push(format!("{label}:\n{}", bullets(items)));
    }
    blocks.push(context(format!(
        "{} Inform only: nothing to do here.",
        esc(&queued)
    )));
    text.push(queued);
    Message {
        text: text.join("\n"),
        blocks: Value::Array(blocks),
    }
}

/// 48000 → "48,000".
pub(crate) fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
