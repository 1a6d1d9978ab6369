//! What a step produced, said in a few words: the CLI's job view, the demo's narration and
//! the console's run page show step outputs through [`describe`].

use serde_json::Value;

/// What a step produced, in a few words.
pub fn describe(out: &Value) -> String {
    let items = |k: &str| out[k].as_array().map(Vec::len).unwrap_or(0);
    let owned = |k: &str, field: &str, who: &str| {
        out[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| i[field] == who)
            .count()
    };
    if out.get("items").is_some() {
        return format!(
            "{} action items ({} for the rep, {} for the prospect)",
            items("items"),
            owned("items", "owner", "rep"),
            owned("items", "owner", "prospect")
        );
    }
    if out.get("commitments").is_some() {
        let follow: Vec<&str> = out["follow_up_events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        return format!(
            "{} commitments ({} by the rep); calls for {}",
            items("commitments"),
            owned("commitments", "owner_role", "rep"),
            follow.join(", ")
        );
    }
    if let Some(s) = out.get("suggestions").and_then(Value::as_array) {
        let first = s.first().and_then(|x| x["action"].as_str()).unwrap_or("-");
        return format!("{} suggestions, first: {}", s.len(), clip(first, 40));
    }
    if out.get("subject").is_some() && out.get("body").is_some() {
        let words = out["body"]
            .as_str()
            .unwrap_or("")
            .split_whitespace()
            .count();
        return format!(
            "draft \"{}\" ({words} words)",
            clip(out["subject"].as_str().unwrap_or(""), 40)
        );
    }
    if let Some(n) = out.get("notification") {
        return format!(
            "summary for the notifier ({} template)",
            n["template"].as_str().unwrap_or("inform")
        );
    }
    if let Some(id) = out.get("message_id").and_then(Value::as_str) {
        return format!(
            "sent, provider message {id} ({})",
            out["status"].as_str().unwrap_or("ok")
        );
    }
    if let Some(t) = out.get("task_ids").and_then(Value::as_array) {
        return format!("{} CRM tasks written", t.len());
    }
    if let Some(t) = out.get("tasks").and_then(Value::as_array) {
        return format!("{} CRM tasks created", t.len());
    }
    match out {
        Value::Object(m) => format!(
            "{{{}}}",
            m.keys().take(5).cloned().collect::<Vec<_>>().join(", ")
        ),
        other => clip(&other.to_string(), 50),
    }
}

/// `s` cut to `n` characters, with an ellipsis when cut.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
