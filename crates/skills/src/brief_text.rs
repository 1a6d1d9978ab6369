//! The morning brief's plain-text form (ARCHITECTURE.md, "Morning brief format"): what the
//! web inbox shows and Slack's fallback text. Names and subjects only; no message bodies.

use std::fmt::Write;

use serde_json::Value;

use crate::{
    brief::Brief,
    calendar::{instant, local},
    json::text as s,
};

/// The brief's closing buttons: Block Kit `action_id` and label.
pub const BUTTONS: [(&str, &str); 2] = [
    ("baton.brief.pipeline", "Expand pipeline"),
    ("baton.brief.inbox", "Show full inbox"),
];

/// The brief as Slack Block Kit: each part of the text as a section (headings bold), then
/// the two buttons.
pub fn blocks(text: &str) -> Value {
    let mut parts = text.split("\n\n");
    let mut blocks = vec![crate::messages::header(parts.next().unwrap_or_default())];
    for part in parts.filter(|p| !p.starts_with("[Expand")) {
        let (head, rest) = part.split_once('\n').unwrap_or((part, ""));
        let body = crate::messages::esc(rest);
        blocks.push(crate::messages::section(format!(
            "*{}*\n{body}",
            crate::messages::esc(head)
        )));
    }
    let buttons: Vec<Value> = BUTTONS
        .iter()
        .map(|(id, label)| serde_json::json!({"type": "button", "action_id": id, "text": {"type": "plain_text", "text": label}}))
        .collect();
    blocks.push(
        serde_json::json!({"type": "actions", "block_id": "baton_brief", "elements": buttons}),
    );
    Value::Array(blocks)
}

pub fn render(b: &Brief<'_>) -> String {
    let mut t = String::new();
    let first = s(b.user, "name")
        .split_whitespace()
        .next()
        .unwrap_or("there");
    let _ = writeln!(
        t,
        "Good morning, {first}. Here's your {}.\n",
        b.date.format("%A")
    );
    let _ = writeln!(t, "MEETINGS TODAY ({})", b.meetings.len());
    for m in &b.meetings {
        let start = m["start_utc"]
            .as_str()
            .and_then(|x| instant(x).ok())
            .map(|x| local(b.tz, x).format("%-I:%M %p").to_string())
            .unwrap_or_default();
        let who = m["contacts"]
            .get(0)
            .map_or(String::new(), |c| match c["company"].as_str() {
                Some(co) => format!("{}, {co}", s(c, "name")),
                None => s(c, "name").to_string(),
            });
        let _ = writeln!(t, "  {start} -- {who} ({})", s(m, "title"));
        let _ = match s(m, "prep") {
            "ready" => writeln!(t, "  [Prep ready ->]"),
            "in_progress" => writeln!(t, "  [Prepping now...]"),
            "none" => writeln!(t, "  No prep needed"),
            _ => writeln!(t, "  Prep arrives at {}", s(m, "prep_at_local")),
        };
    }
    let _ = writeln!(t, "\nNEEDS YOUR ATTENTION ({})", b.attention.len());
    for a in &b.attention {
        let company = a["company"]
            .as_str()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let _ = writeln!(
            t,
            "  {}{company} -- {}",
            s(a, "contact_name"),
            s(a, "summary")
        );
        let _ = writeln!(
            t,
            "  [{} ->] [{} ->]",
            s(a, "primary_action"),
            s(a, "secondary_action")
        );
    }
    let p = &b.pipeline;
    let _ = writeln!(t, "\nPIPELINE PULSE");
    let _ = writeln!(t, "  {} deals need action today", p["deals_needing_action"]);
    let risks: Vec<String> = p["at_risk"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            format!(
                "{} -- {:.0} days no activity",
                s(d, "name"),
                d["days_inactive"].as_f64().unwrap_or_default().floor()
            )
        })
        .collect();
    let _ = match risks.is_empty() {
        true => writeln!(t, "  0 deals at risk"),
        false => writeln!(
            t,
            "  {} deal(s) at risk ({})",
            risks.len(),
            risks.join("; ")
        ),
    };
    let _ = writeln!(
        t,
        "  {} {} in proposals awaiting response",
        s(p, "currency"),
        crate::messages::thousands(p["proposal_value"].as_f64().unwrap_or_default().round() as i64)
    );
    let _ = writeln!(t, "\nOVERNIGHT UPDATES");
    if b.overnight.is_empty() {
        let _ = writeln!(t, "  Nothing new overnight");
    }
    for u in &b.overnight {
        let _ = writeln!(t, "  {} {}", s(u, "icon"), s(u, "summary"));
    }
    let buttons: Vec<String> = BUTTONS.iter().map(|(_, l)| format!("[{l} ->]")).collect();
    let _ = write!(t, "\n{}", buttons.join(" "));
    t
}
