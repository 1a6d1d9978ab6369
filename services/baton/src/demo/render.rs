//! How the demo shows things in a terminal: step lines, Slack messages boxed (Block Kit as
//! text, buttons in brackets), audit details compacted, ids shortened.

use baton_core::job::StepOutcome;
use baton_schemas::{PendingActionId, StepStatus};
use serde_json::Value;
use uuid::Uuid;

use super::{RunView, WIDTH};
use baton_core::outputs::{clip, describe};

/// A step the step-executor ran: its mark, duration, cost and what it produced.
pub(super) fn show_run(r: &RunView) {
    let what = match (&r.error, &r.output) {
        (Some(e), _) => clip(e, 110),
        (None, Some(o)) => describe(o),
        (None, None) => String::new(),
    };
    let mark = match r.status {
        StepStatus::Succeeded => "✓",
        StepStatus::Skipped => "–",
        StepStatus::Deferred => "…",
        StepStatus::Failed => "✗",
    };
    println!(
        "   {:>2} {:<22} {mark} {:>5} ms  ${:.4}  {what}",
        r.index + 1,
        r.name,
        r.ms,
        r.cost
    );
}

/// A step the router decided itself (step `i`).
/// `output` is what the step recorded (a follow-up step: the events it queued).
pub(super) fn show_decided(
    i: i32,
    step: &baton_core::sequence::Step,
    outcome: StepOutcome,
    output: &Value,
) {
    use baton_core::sequence::Action;
    let queued = output[baton_core::job::FOLLOWUPS_QUEUED]
        .as_array()
        .is_some_and(|q| !q.is_empty());
    let what = match (&step.action, outcome) {
        (Action::Followup(f), StepOutcome::Succeeded) if queued => {
            format!("queued {} (a child job)", f.event)
        }
        (Action::Followup(f), _) => format!("{} not needed: its condition was false", f.event),
        (_, StepOutcome::Skipped) => {
            "skipped: its condition was false or the rep skipped it".into()
        }
        (_, StepOutcome::Succeeded) => "succeeded".into(),
        (_, StepOutcome::Failed) => "failed".into(),
    };
    let mark = if outcome == StepOutcome::Succeeded {
        "✓"
    } else {
        "–"
    };
    println!(
        "   {:>2} {:<22} {mark}           router  {what}",
        i + 1,
        step.name
    );
}

/// A Slack message as the rep sees it, boxed for the terminal: headers and sections as text
/// (mrkdwn bold and escapes undone, quotes kept), context lines, buttons in brackets.
pub(super) fn slack_box(to: &str, blocks: &Value, text: &str) {
    let inner = WIDTH - 6;
    let title = format!("─ Slack · Baton → {to} ");
    println!(
        "   ┌{title}{}",
        "─".repeat(inner + 1 - title.chars().count().min(inner))
    );
    let mut out: Vec<String> = Vec::new();
    let Some(blocks) = blocks.as_array().filter(|b| !b.is_empty()) else {
        for l in text.lines() {
            out.extend(wrap(l, inner));
        }
        return finish_box(out);
    };
    for (n, b) in blocks.iter().enumerate() {
        if n > 0 && b["type"] != "actions" {
            out.push(String::new());
        }
        match b["type"].as_str().unwrap_or("") {
            "header" => {
                let t = b["text"]["text"].as_str().unwrap_or("");
                out.extend(wrap(&t.to_uppercase(), inner));
            }
            "section" => {
                for l in b["text"]["text"].as_str().unwrap_or("").lines() {
                    out.extend(wrap(&mrkdwn(l), inner));
                }
            }
            "context" => {
                let t: Vec<String> = b["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["text"].as_str())
                    .map(mrkdwn)
                    .collect();
                for l in wrap(&t.join("  "), inner - 2) {
                    out.push(format!("  {l}"));
                }
            }
            "actions" => {
                out.push(String::new());
                let buttons: Vec<String> = b["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["text"]["text"].as_str())
                    .map(|t| format!("[ {t} ]"))
                    .collect();
                out.push(buttons.join("  "));
            }
            _ => {}
        }
    }
    finish_box(out);
}

pub(super) fn finish_box(lines: Vec<String>) {
    for l in lines {
        println!("   │ {l}");
    }
    println!("   └{}", "─".repeat(WIDTH - 5));
}

/// Slack mrkdwn to terminal text: `*bold*` markers dropped, `<!date^…|fallback>` shown as
/// its fallback, entities undone.
pub(super) fn mrkdwn(s: &str) -> String {
    let mut s = s.to_string();
    while let Some(start) = s.find("<!date^") {
        let Some(end) = s[start..].find('>').map(|e| start + e) else {
            break;
        };
        let fallback = s[start..end]
            .rsplit_once('|')
            .map_or(String::new(), |(_, f)| f.to_string());
        s.replace_range(start..=end, &fallback);
    }
    s.replace('*', "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Word-wraps `s` to `width` columns, keeping a leading "> " quote on every line.
pub(super) fn wrap(s: &str, width: usize) -> Vec<String> {
    let (prefix, rest) = s.strip_prefix("> ").map_or(("", s), |r| ("│ ", r));
    let width = width - prefix.chars().count();
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in rest.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("{prefix}{cur}"));
            cur.clear();
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(format!("{prefix}{cur}"));
    }
    lines
}

/// An audit record's detail as `key=value` pairs (ids shortened), within `width` columns.
pub(super) fn compact(detail: &Value, width: usize) -> String {
    let Some(m) = detail.as_object() else {
        return clip(&detail.to_string(), width);
    };
    let parts: Vec<String> = m
        .iter()
        .filter(|(_, v)| !v.is_null() && !v.is_object() && !v.is_array())
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let v = if Uuid::parse_str(&v).is_ok() || v.parse::<PendingActionId>().is_ok() {
                short(&v).to_string()
            } else {
                clip(&v, 24)
            };
            format!("{k}={v}")
        })
        .collect();
    clip(&parts.join(" "), width)
}

pub(super) fn heading(s: &str) {
    println!();
    println!("{s}");
}

pub(super) fn line(label: &str, s: &str) {
    println!("   {label:<11} {s}");
}

pub(super) fn count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

pub(super) fn short(id: &str) -> &str {
    &id[..id.len().min(13)]
}

/// The URL without a password, for printing.
pub(super) fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let user_end = s + 3 + url[s + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_string(),
    }
}
