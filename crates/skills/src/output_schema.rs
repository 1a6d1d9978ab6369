//! The JSON Schema each built-in skill declares for its output. The registry validates every
//! built-in output against it before a step can use it (a step's output must match its
//! schema), and `baton skills list` shows each one's shape.

use std::{collections::BTreeMap, sync::LazyLock};

use serde_json::{Value, json};

fn string() -> Value {
    json!({"type": "string"})
}
fn nullable(t: &str) -> Value {
    json!({"type": [t, "null"]})
}
fn one_of(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}
fn integer() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
/// An object with exactly these fields required (others allowed).
fn object(fields: &[(&str, Value)]) -> Value {
    let props: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let required: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    json!({"type": "object", "properties": props, "required": required})
}

pub(crate) const CATEGORIES: [&str; 10] = [
    "meeting_request",
    "pricing_question",
    "objection",
    "positive_interest",
    "not_interested",
    "out_of_office",
    "referral_wrong_person",
    "support_issue",
    "contract_legal",
    "vendor_pitch_spam",
];
const ACTIONS: [&str; 5] = [
    "draft_reply_needs_approval",
    "find_meeting_times",
    "notify_rep",
    "update_crm",
    "ignore",
];

fn slot() -> Value {
    object(&[
        ("start_utc", string()),
        ("end_utc", string()),
        ("start_local", string()),
        ("end_local", string()),
    ])
}
fn draft() -> Value {
    object(&[
        ("to", json!({"type": ["object", "null"]})),
        ("subject", string()),
        ("body", string()),
    ])
}
fn segment_phrase() -> Value {
    object(&[
        ("segment_index", json!({"type": "integer", "minimum": 0})),
        ("phrase", string()),
    ])
}

pub(crate) const INTENTS: [&str; 7] = [
    "send_proposal",
    "schedule_meeting",
    "send_contract",
    "pricing",
    "intro",
    "follow_up_call",
    "send_info",
];
const ROLES: [&str; 2] = ["rep", "prospect"];
/// The languages `classify-email` tells apart.
pub(crate) const LANGUAGES: [&str; 7] = ["en", "es", "pt", "fr", "de", "nl", "it"];

/// A commitment as `detect-intents` reports it (and as a model serving it must answer).
fn commitment() -> Value {
    let mut c = object(&[
        ("speaker", string()),
        ("speaker_role", one_of(&ROLES)),
        ("owner_role", one_of(&ROLES)),
        ("intent", one_of(&INTENTS)),
        ("phrase", json!({"type": "string", "minLength": 1})),
        ("strength", one_of(&["explicit", "implicit"])),
        ("conditional", json!({"type": "boolean"})),
        (
            "due",
            json!({"type": ["string", "null"], "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}),
        ),
        (
            "confidence",
            json!({"type": "number", "minimum": 0, "maximum": 1}),
        ),
        ("segment_index", integer()),
    ]);
    c["properties"]["condition"] = json!({"type": "string"});
    c
}
fn non_commitment() -> Value {
    object(&[
        ("speaker", string()),
        ("speaker_role", one_of(&ROLES)),
        ("looks_like", one_of(&INTENTS)),
        ("phrase", string()),
        ("segment_index", integer()),
    ])
}

/// A PM5 benchmark step: which step, the meeting and org, and six entries of `entry`.
fn pm5_step(list: &str, entry: Value) -> Value {
    let mut list_schema = array(entry);
    list_schema["minItems"] = json!(6);
    list_schema["maxItems"] = json!(6);
    object(&[
        ("step", string()),
        ("meeting_id", string()),
        ("org_id", string()),
        (list, list_schema),
    ])
}

/// Every built-in's output schema, by skill key.
pub static SCHEMAS: LazyLock<BTreeMap<&'static str, Value>> = LazyLock::new(|| {
    BTreeMap::from([
        (
            "extract-action-items",
            object(&[
                ("meeting_id", string()),
                (
                    "items",
                    array(object(&[
                        ("owner", one_of(&["rep", "prospect"])),
                        ("assignee", string()),
                        ("text", string()),
                    ])),
                ),
            ]),
        ),
        (
            "detect-intents",
            object(&[
                ("meeting_id", string()),
                ("commitments", array(commitment())),
                ("non_commitments", array(non_commitment())),
                ("follow_up_events", array(string())),
                ("attendee_contact_ids", array(string())),
            ]),
        ),
        (
            "suggest-next-actions",
            object(&[
                ("meeting_id", string()),
                (
                    "suggestions",
                    array(object(&[("action", string()), ("why", string())])),
                ),
            ]),
        ),
        ("post-meeting-followup-drafter", draft()),
        (
            "slack-post-meeting",
            object(&[(
                "notification",
                object(&[("template", string()), ("text", string())]),
            )]),
        ),
        (
            "generate-proposal",
            object(&[
                ("title", string()),
                ("sections", array(string())),
                ("document", string()),
                (
                    "email",
                    object(&[
                        ("to", json!({"type": ["object", "null"]})),
                        ("subject", string()),
                        ("body", string()),
                        (
                            "attachments",
                            array(object(&[
                                ("filename", string()),
                                ("content_type", string()),
                                ("content_base64", string()),
                            ])),
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "find-stale-deals",
            object(&[(
                "stale_deals",
                array(object(&[
                    ("deal_id", string()),
                    ("days_since_activity", json!({"type": "number"})),
                    ("owner_user_id", nullable("string")),
                ])),
            )]),
        ),
        (
            "monitor-campaigns",
            object(&[(
                "campaigns",
                array(object(&[
                    ("campaign_id", string()),
                    ("underperforming", json!({"type": "boolean"})),
                    (
                        "reasons",
                        array(one_of(&[
                            "high_bounce_rate",
                            "low_open_rate",
                            "low_reply_rate",
                        ])),
                    ),
                ])),
            )]),
        ),
        (
            "find-available-slots",
            object(&[
                ("count", json!({"type": "integer", "minimum": 0})),
                ("slots", array(slot())),
                ("proposed", array(slot())),
            ]),
        ),
        ("draft-scheduling-email", draft()),
        ("draft-email-reply", draft()),
        ("draft-revival-email", draft()),
        (
            "coaching-digest",
            object(&[
                (
                    "calls",
                    array(object(&[
                        ("meeting_id", string()),
                        ("rep_talk_ratio", json!({"type": "number"})),
                    ])),
                ),
                (
                    "notification",
                    object(&[("template", string()), ("text", string())]),
                ),
                (
                    "manager_notification",
                    object(&[("template", string()), ("text", string())]),
                ),
            ]),
        ),
        (
            "meeting-prep",
            object(&[
                ("event_id", string()),
                ("attendees", array(json!({"type": "object"}))),
                (
                    "open_commitments",
                    object(&[("yours", array(string())), ("theirs", array(string()))]),
                ),
                ("talking_points", array(string())),
                (
                    "notification",
                    object(&[("template", string()), ("text", string())]),
                ),
            ]),
        ),
        (
            "campaign-alert",
            object(&[
                ("underperforming", array(string())),
                (
                    "notification",
                    object(&[("template", string()), ("text", string())]),
                ),
            ]),
        ),
        (
            "email-triage-notice",
            object(&[(
                "notification",
                object(&[("template", string()), ("text", string())]),
            )]),
        ),
        (
            "classify-email",
            object(&[
                ("category", one_of(&CATEGORIES)),
                ("action", one_of(&ACTIONS)),
                ("language", one_of(&LANGUAGES)),
                ("contact_id", nullable("string")),
                ("cc_contact_ids", array(string())),
                ("deal_id", nullable("string")),
            ]),
        ),
        (
            "morning-brief",
            object(&[
                ("due_utc", nullable("string")),
                ("meetings", array(object(&[("event_id", string())]))),
                ("text", string()),
            ]),
        ),
        (
            "pm5-extract-action-items",
            pm5_step(
                "items",
                object(&[
                    ("idx", integer()),
                    ("owner", string()),
                    ("topic", string()),
                    ("text", string()),
                    ("due_in_days", integer()),
                ]),
            ),
        ),
        (
            "pm5-detect-intents",
            pm5_step(
                "intents",
                object(&[
                    ("name", string()),
                    (
                        "confidence",
                        json!({"type": "number", "minimum": 0, "maximum": 1}),
                    ),
                    ("evidence", string()),
                ]),
            ),
        ),
        (
            "pm5-suggest-next-actions",
            pm5_step(
                "actions",
                object(&[
                    ("rank", integer()),
                    ("action", string()),
                    ("reason", string()),
                    ("channel", string()),
                ]),
            ),
        ),
        (
            "pm5-draft-followup-email",
            object(&[
                ("step", string()),
                ("meeting_id", string()),
                ("org_id", string()),
                ("to", string()),
                ("from", string()),
                ("subject", string()),
                ("body", string()),
            ]),
        ),
        (
            "coaching-analysis",
            object(&[
                (
                    "rep_talk_ratio",
                    json!({"type": "number", "minimum": 0, "maximum": 1}),
                ),
                (
                    "open_questions_count",
                    json!({"type": "integer", "minimum": 0}),
                ),
                ("next_steps_agreed", json!({"type": "boolean"})),
                ("next_steps", array(segment_phrase())),
            ]),
        ),
    ])
});

static VALIDATORS: LazyLock<BTreeMap<&'static str, jsonschema::Validator>> = LazyLock::new(|| {
    SCHEMAS
        .iter()
        .filter_map(|(k, s)| jsonschema::validator_for(s).ok().map(|v| (*k, v)))
        .collect()
});

/// Checks a built-in's output against its schema: the first mismatch, with where it is.
pub fn check(key: &str, output: &Value) -> Result<(), String> {
    match VALIDATORS.get(key) {
        Some(v) => v.validate(output).map_err(|e| {
            let at = e.instance_path().to_string();
            format!(
                "output does not match its schema at `{}`: {e}",
                if at.is_empty() { "/" } else { &at }
            )
        }),
        None => Ok(()),
    }
}

/// A one-line shape of the schema: `{category: enum, action: enum, …}`.
pub fn shape(key: &str) -> Option<String> {
    fn of(v: &Value, depth: usize) -> String {
        match v["type"].as_str() {
            Some("object") if depth < 2 && v.get("required").is_some() => {
                let fields: Vec<String> = v["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|k| format!("{k}: {}", of(&v["properties"][k], depth + 1)))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            Some("array") => format!("[{}]", of(&v["items"], depth)),
            Some("string") if v.get("enum").is_some() => "enum".into(),
            Some(t) => t.into(),
            None => v["type"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .map_or("any".into(), |t| format!("{t}?")),
        }
    }
    SCHEMAS.get(key).map(|s| of(s, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_and_rejects_a_wrong_output() {
        assert_eq!(VALIDATORS.len(), SCHEMAS.len(), "a schema did not compile");
        let err = check("classify-email", &json!({"category": "spam", "action": "ignore", "language": "en", "contact_id": null, "cc_contact_ids": [], "deal_id": null})).unwrap_err();
        assert!(err.contains("/category"), "{err}");
        assert!(check("coaching-analysis", &json!({"rep_talk_ratio": 0.5})).is_err());
        let commitment = json!({"speaker": "Ana", "speaker_role": "rep", "owner_role": "rep", "intent": "send_deck", "phrase": "I'll send the deck", "strength": "explicit", "conditional": false, "due": null, "confidence": 0.9, "segment_index": 3});
        let out = json!({"meeting_id": "m", "commitments": [commitment], "non_commitments": [], "follow_up_events": [], "attendee_contact_ids": []});
        let err = check("detect-intents", &out).unwrap_err();
        assert!(err.contains("/commitments/0/intent"), "{err}");
        assert_eq!(
            shape("find-stale-deals").unwrap(),
            "{stale_deals: [{deal_id: string, days_since_activity: number, owner_user_id: string?}]}"
        );
    }
}
