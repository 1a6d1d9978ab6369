//! The morning brief's plain-text form (ARCHITECTURE.md, "Morning brief format"): what the
//! web inbox shows and Slack's fallback text. Names and subjects only; no message bodies.

use std::fmt::Write;

use serde_json::Value;

use crate::{
    brief::Brief,
    calendar::{instant, local},
};

/// The brief's closing buttons: Block Kit `action_id` and label.
pub const BUTTONS: [(&str, &str); 2] = [
    ("baton.brief.pipeline", "Expand pipeline"),
    ("baton.brief.inbox", "Show full inbox"),
];

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
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
        thousands(p["proposal_value"].as_f64().unwrap_or_default())
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

/// 48000 → "48,000".
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
}
