//! Requests as the providers send them, for the demo and `baton bench ingress`: a
//! MeetingBaaS bot's `complete` webhook for a sample meeting, and a signed Slack
//! interactivity request.

use serde_json::{Value, json};

/// A MeetingBaaS `complete` from bot `bot` with sample meeting `m`'s segments as the bot's
/// words, for meeting `meeting` of `org` (the ids Baton gives a bot come back in
/// `data.extra`).
pub fn meetingbaas_complete(m: &Value, org: &str, bot: &str, meeting: &str) -> String {
    let transcript: Vec<Value> = m["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let words: Vec<Value> = s["text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(|w| json!({ "start": s["start_s"], "end": s["end_s"], "word": w }))
                .collect();
            json!({ "speaker": s["speaker"], "offset": s["start_s"], "start_time": s["start_s"],
                    "end_time": s["end_s"], "words": words })
        })
        .collect();
    json!({
        "event": "complete",
        "data": {
            "bot_id": bot,
            "transcript": transcript,
            "extra": { "baton_org_id": org, "baton_meeting_id": meeting },
        },
    })
    .to_string()
}

/// Headers and body of a request.
pub type Request = (Vec<(&'static str, String)>, Vec<u8>);

/// A Slack interactivity request carrying `payload`, signed with `secret` now.
pub fn slack_interaction(secret: &str, payload: &Value) -> Request {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload.to_string())
        .finish();
    let ts = chrono::Utc::now().timestamp();
    let headers = vec![
        (
            "content-type",
            "application/x-www-form-urlencoded".to_string(),
        ),
        ("x-slack-request-timestamp", ts.to_string()),
        (
            "x-slack-signature",
            baton_ingress::verify::slack_signature(secret, ts, body.as_bytes()),
        ),
    ];
    (headers, body.into_bytes())
}

/// The `block_actions` payload of a click on Baton's `action` button (`approve`, `skip`, …)
/// for gate `pending`, by `user` of workspace `team`.
pub fn slack_click(team: &str, user: &str, action: &str, pending: &str, trigger: &str) -> Value {
    json!({
        "type": "block_actions",
        "user": { "id": user, "team_id": team },
        "team": { "id": team },
        "trigger_id": trigger,
        "actions": [{ "action_id": format!("baton.{action}"), "value": pending }],
    })
}
