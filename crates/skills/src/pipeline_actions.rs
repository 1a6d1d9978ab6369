//! What the pipeline scan's and the campaign check's sequences do with a finding:
//! `draft-revival-email` (a short, honest nudge to the contact of a deal that went quiet,
//! for the rep to approve) and `campaign-alert` (an inform-only note to the campaign's owner
//! naming each underperforming campaign and why).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::{email::first_name, pipeline::CLOSED};

/// `draft-revival-email`: from the job's context (`deal`, `contact`, `company`, `user`,
/// `meetings`) and `now`.
pub fn draft_revival_email(input: &Value) -> Result<Value, String> {
    let ctx = input.get("context").unwrap_or(&Value::Null);
    let deal = ctx
        .get("deal")
        .filter(|d| d.is_object())
        .ok_or("the job has no deal (payload `deal_id`)")?;
    if let Some(stage) = deal["stage"].as_str().filter(|s| CLOSED.contains(s)) {
        return Err(format!(
            "deal {} is {stage}: a closed deal is not revived",
            deal["id"]
        ));
    }
    let contact = ctx
        .get("contact")
        .filter(|c| c.is_object())
        .ok_or_else(|| format!("deal {} has no contact to write to", deal["id"]))?;
    let company = ctx
        .pointer("/company/name")
        .and_then(Value::as_str)
        .unwrap_or("your team");
    let rep = ctx
        .pointer("/user/name")
        .and_then(Value::as_str)
        .map(first_name)
        .unwrap_or_default();
    let name = contact["name"].as_str().unwrap_or_default();
    let idle_days = match (deal["last_activity_at"].as_str(), input["now"].as_str()) {
        (Some(last), Some(now)) => {
            let days = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
            match (days(last), days(now)) {
                (Ok(l), Ok(n)) => Some((n - l).num_days()),
                _ => None,
            }
        }
        _ => None,
    };
    let last_meeting = ctx["meetings"]
        .as_array()
        .and_then(|m| m.first())
        .and_then(|m| m["title"].as_str());
    let opener = match last_meeting {
        Some(t) => format!("I've been thinking about our last conversation ({t})."),
        None => "It's been a little while since we last spoke.".to_string(),
    };
    let body = format!(
        "Hi {},\n\n{opener} Is improving how {company} runs its field work still on your list this quarter?\n\nIf priorities have shifted, just say so and I'll check back later. Otherwise I'm happy to pick up where we left off; would a 20-minute call next week work?\n\nBest,\n{rep}",
        first_name(name)
    );
    Ok(json!({
        "to": {"name": name, "email": contact.get("email"), "contact_id": contact.get("id")},
        "subject": format!("Checking in: {}", deal["name"].as_str().unwrap_or(company)),
        "body": body,
        "deal_id": deal["id"],
        "days_since_activity": idle_days,
    }))
}

fn pct(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "n/a".into(), |r| format!("{:.1}%", r * 100.0))
}

/// `campaign-alert`: `health` is monitor-campaigns' output.
pub fn campaign_alert(input: &Value) -> Result<Value, String> {
    let health = input
        .get("health")
        .filter(|h| h.is_object())
        .ok_or("`health` (the monitor-campaigns output) is missing")?;
    let rule = &health["rule"];
    let bad: Vec<&Value> = health["campaigns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["underperforming"] == true)
        .collect();
    let lines: Vec<String> = bad
        .iter()
        .map(|c| {
            let t = &c["last_7_days"];
            let why: Vec<String> = c["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|r| match r {
                    "high_bounce_rate" => format!(
                        "bounce rate {} (above {})",
                        pct(&t["bounce_rate"]),
                        pct(&rule["max_bounce_rate"])
                    ),
                    "low_open_rate" => format!(
                        "open rate {} (below {})",
                        pct(&t["open_rate"]),
                        pct(&rule["min_open_rate"])
                    ),
                    "low_reply_rate" => format!(
                        "reply rate {} (below {})",
                        pct(&t["reply_rate"]),
                        pct(&rule["min_reply_rate"])
                    ),
                    other => other.replace('_', " "),
                })
                .collect();
            format!(
                "• {}: {}",
                c["name"]
                    .as_str()
                    .unwrap_or_else(|| c["campaign_id"].as_str().unwrap_or("?")),
                why.join("; ")
            )
        })
        .collect();
    let days = rule["window_days"].as_i64().unwrap_or(7);
    let text = format!(
        "Campaign check: {} of your campaigns underperformed over the last {days} days.\n{}",
        bad.len(),
        lines.join("\n")
    );
    Ok(json!({
        "underperforming": bad.iter().map(|c| &c["campaign_id"]).collect::<Vec<_>>(),
        "notification": {"template": "campaign_alert", "inform_only": true, "text": text},
    }))
}
