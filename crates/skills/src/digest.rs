//! `coaching-digest`: the rep's week in calls, from `coaching-analysis` on each recorded
//! meeting (`meetings`): per call the talk ratio, open questions and whether next steps were
//! agreed; for the week the average talk ratio, the questions asked and the calls that ended
//! without next steps. Delivered to the rep (`notification`) and to their manager
//! (`manager_notification`: the executor sends it to the rep's manager from the CRM, never
//! to a recipient the output names).

use serde_json::{Value, json};

use crate::coaching;

/// A talk ratio above this leaves too little room for the buyer.
const TALK_RATIO_HIGH: f64 = 0.6;

pub fn coaching_digest(input: &Value) -> Result<Value, String> {
    let meetings = input
        .get("meetings")
        .and_then(Value::as_array)
        .ok_or("`meetings` (the week's recorded meetings) is missing")?;
    let name = input
        .pointer("/context/user/name")
        .and_then(Value::as_str)
        .unwrap_or("the rep");
    let mut calls = Vec::new();
    for m in meetings
        .iter()
        .filter(|m| m["status"].as_str().is_none_or(|s| s == "completed"))
    {
        let a = coaching::coaching_analysis(m)?;
        calls.push(json!({
            "meeting_id": m["id"], "title": m["title"],
            "rep_talk_ratio": a["rep_talk_ratio"], "open_questions_count": a["open_questions_count"],
            "next_steps_agreed": a["next_steps_agreed"],
        }));
    }
    let n = calls.len();
    let avg = if n == 0 {
        0.0
    } else {
        calls
            .iter()
            .filter_map(|c| c["rep_talk_ratio"].as_f64())
            .sum::<f64>()
            / n as f64
    };
    let questions: u64 = calls
        .iter()
        .filter_map(|c| c["open_questions_count"].as_u64())
        .sum();
    let without: Vec<&Value> = calls
        .iter()
        .filter(|c| c["next_steps_agreed"] == false)
        .collect();
    let lines: Vec<String> = calls
        .iter()
        .map(|c| {
            format!(
                "• {}: you talked {:.0}% · {} open questions · {}",
                c["title"].as_str().unwrap_or("?"),
                c["rep_talk_ratio"].as_f64().unwrap_or_default() * 100.0,
                c["open_questions_count"],
                if c["next_steps_agreed"] == true {
                    "next steps agreed"
                } else {
                    "no next steps agreed"
                }
            )
        })
        .collect();
    let mut tips = Vec::new();
    if avg > TALK_RATIO_HIGH {
        tips.push(format!(
            "You talked {:.0}% of the time on average: ask more and let the buyer talk.",
            avg * 100.0
        ));
    }
    if !without.is_empty() {
        tips.push(format!("{} call(s) ended without agreed next steps: close each call with a recap the buyer confirms.", without.len()));
    }
    let summary = format!(
        "{n} recorded call(s) this week · average talk ratio {:.0}% · {questions} open questions",
        avg * 100.0
    );
    let body = format!(
        "{}\n{}{}",
        summary,
        lines.join("\n"),
        if tips.is_empty() {
            String::new()
        } else {
            format!("\n{}", tips.join("\n"))
        }
    );
    Ok(json!({
        "calls": calls,
        "average_talk_ratio": (avg * 100.0).round() / 100.0,
        "open_questions": questions,
        "calls_without_next_steps": without.len(),
        "notification": {"template": "coaching_digest", "inform_only": true, "text": format!("COACHING: your week\n{body}")},
        "manager_notification": {"template": "coaching_digest", "inform_only": true, "text": format!("COACHING: {name}'s week\n{body}")},
    }))
}
