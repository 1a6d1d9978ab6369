//! The PM5 benchmark's four compute steps (the specification's "Steps"): deterministic
//! pure functions of the event and the previous step's output, each ~1 KB of JSON. They exist
//! for `baton bench pm5` only and are registered when `skills.benchmark` is on.
//!
//! The typed functions ([`extract_action_items`] …) produce the specification's values with
//! its field order, so `serde_json::to_string` of them is byte for byte the published test
//! vectors; the skills ([`skill_extract_action_items`] …) read the event and earlier outputs
//! from a step's input, as every built-in does.

use serde::{Deserialize, Serialize};
use serde_json::Value;

const TOPICS: [&str; 12] = [
    "pricing",
    "security review",
    "integration timeline",
    "procurement",
    "renewal",
    "pilot scope",
    "data migration",
    "SSO",
    "reporting",
    "onboarding",
    "legal terms",
    "budget approval",
];
const INTENTS: [&str; 8] = [
    "buying_signal",
    "objection_price",
    "objection_security",
    "request_demo",
    "request_pricing",
    "expansion",
    "churn_risk",
    "timeline_commitment",
];
const CHANNELS: [&str; 3] = ["email", "call", "linkedin"];
const ITEMS: u32 = 6;

/// A PM5 run's input event, in the specification's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub org_id: String,
    pub user_id: String,
    pub meeting_id: String,
    pub contact_id: String,
}

impl Event {
    /// Event `i` of the run tagged `tag`.
    pub fn nth(tag: &str, i: u64) -> Event {
        Event {
            org_id: format!("org-{}", i % 50),
            user_id: format!("user-{}", i % 500),
            meeting_id: format!("m-{tag}-{i:06}"),
            contact_id: format!("contact-{}", (i * 7919) % 10007),
        }
    }

    /// FNV-1a-32 of the meeting id: what every step derives its choices from.
    fn seed(&self) -> u32 {
        self.meeting_id.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItems {
    pub step: String,
    pub meeting_id: String,
    pub org_id: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub idx: u32,
    pub owner: String,
    pub topic: String,
    pub text: String,
    pub due_in_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intents {
    pub step: String,
    pub meeting_id: String,
    pub org_id: String,
    pub intents: Vec<Intent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    pub name: String,
    pub confidence: f64,
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextActions {
    pub step: String,
    pub meeting_id: String,
    pub org_id: String,
    pub actions: Vec<NextAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextAction {
    pub rank: u32,
    pub action: String,
    pub reason: String,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowupEmail {
    pub step: String,
    pub meeting_id: String,
    pub org_id: String,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub body: String,
}

/// `(seed + k) % n` in unbounded integers, as the specification's reference implementations
/// compute it (u32 wrap-around would differ for moduli that do not divide 2^32).
fn pick<'a>(table: &[&'a str], seed: u32, k: u32) -> &'a str {
    table[((u64::from(seed) + u64::from(k)) % table.len() as u64) as usize]
}

/// Step 1.
pub fn extract_action_items(ev: &Event) -> ActionItems {
    let seed = ev.seed();
    let items = (0..ITEMS)
        .map(|i| {
            let topic = pick(&TOPICS, seed, i);
            Item {
                idx: i,
                owner: if i % 2 == 0 {
                    &ev.user_id
                } else {
                    &ev.contact_id
                }
                .clone(),
                topic: topic.to_string(),
                text: format!(
                    "Follow up with {} about {topic} (item {i} of meeting {})",
                    ev.contact_id, ev.meeting_id
                ),
                due_in_days: (seed >> i) % 14 + 1,
            }
        })
        .collect();
    ActionItems {
        step: "extract_action_items".into(),
        meeting_id: ev.meeting_id.clone(),
        org_id: ev.org_id.clone(),
        items,
    }
}

/// Step 2.
pub fn detect_intents(ev: &Event, a: &ActionItems) -> Intents {
    let seed = ev.seed();
    let intents = (0u32..)
        .zip(&a.items)
        .map(|(i, item)| Intent {
            name: pick(&INTENTS, seed, 3 * i).to_string(),
            confidence: f64::from((seed >> (2 * i)) % 100) / 100.0,
            evidence: item.text.clone(),
        })
        .collect();
    Intents {
        step: "detect_intents".into(),
        meeting_id: ev.meeting_id.clone(),
        org_id: ev.org_id.clone(),
        intents,
    }
}

/// Step 3.
pub fn suggest_next_actions(ev: &Event, b: &Intents) -> NextActions {
    let seed = ev.seed();
    let actions = (0u32..)
        .zip(&b.intents)
        .map(|(i, intent)| NextAction {
            rank: i + 1,
            action: format!("Schedule {} call with {}", intent.name, ev.contact_id),
            reason: intent.evidence.clone(),
            channel: pick(&CHANNELS, seed, i).to_string(),
        })
        .collect();
    NextActions {
        step: "suggest_next_actions".into(),
        meeting_id: ev.meeting_id.clone(),
        org_id: ev.org_id.clone(),
        actions,
    }
}

/// Step 4.
pub fn draft_followup_email(ev: &Event, c: &NextActions) -> FollowupEmail {
    let steps: Vec<String> = c
        .actions
        .iter()
        .map(|a| format!("{}. {} via {}: {}", a.rank, a.action, a.channel, a.reason))
        .collect();
    FollowupEmail {
        step: "draft_followup_email".into(),
        meeting_id: ev.meeting_id.clone(),
        org_id: ev.org_id.clone(),
        to: ev.contact_id.clone(),
        from: ev.user_id.clone(),
        subject: format!("Follow-up: meeting {}", ev.meeting_id),
        body: format!(
            "Hi {},\n\nThanks for your time today. Proposed next steps:\n{}\n\nBest,\n{}",
            ev.contact_id,
            steps.join("\n"),
            ev.user_id
        ),
    }
}

/// The run's event from a built-in's input: the job's org and user, the payload's meeting
/// and contact.
fn event(input: &Value) -> Result<Event, String> {
    let e = &input["event"];
    let field = |v: &Value, k: &str| {
        v[k].as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("event.{k} must be a string"))
    };
    Ok(Event {
        org_id: field(e, "org_id")?,
        user_id: field(e, "user_id")?,
        meeting_id: field(&e["payload"], "meeting_id")?,
        contact_id: field(&e["payload"], "contact_id")?,
    })
}

/// An earlier step's output, by step name.
fn earlier<T: for<'de> Deserialize<'de>>(input: &Value, step: &str) -> Result<T, String> {
    T::deserialize(&input["outputs"][step])
        .map_err(|e| format!("outputs.{step} is not that step's output: {e}"))
}

fn value(v: impl Serialize) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

/// `pm5-extract-action-items`.
pub fn skill_extract_action_items(input: &Value) -> Result<Value, String> {
    value(extract_action_items(&event(input)?))
}

/// `pm5-detect-intents`.
pub fn skill_detect_intents(input: &Value) -> Result<Value, String> {
    let a = earlier(input, "extract_action_items")?;
    value(detect_intents(&event(input)?, &a))
}

/// `pm5-suggest-next-actions`.
pub fn skill_suggest_next_actions(input: &Value) -> Result<Value, String> {
    let b = earlier(input, "detect_intents")?;
    value(suggest_next_actions(&event(input)?, &b))
}

/// `pm5-draft-followup-email`.
pub fn skill_draft_followup_email(input: &Value) -> Result<Value, String> {
    let c = earlier(input, "suggest_next_actions")?;
    value(draft_followup_email(&event(input)?, &c))
}

/// The skills' keys, descriptions and functions, in step order.
pub const SKILLS: [(&str, &str, crate::builtin::BuiltinFn); 4] = [
    (
        "pm5-extract-action-items",
        "PM5 benchmark step 1 (bench only): six action items derived from the meeting id",
        skill_extract_action_items,
    ),
    (
        "pm5-detect-intents",
        "PM5 benchmark step 2 (bench only): an intent per action item",
        skill_detect_intents,
    ),
    (
        "pm5-suggest-next-actions",
        "PM5 benchmark step 3 (bench only): a next action per intent",
        skill_suggest_next_actions,
    ),
    (
        "pm5-draft-followup-email",
        "PM5 benchmark step 4 (bench only): the follow-up email listing the next actions",
        skill_draft_followup_email,
    ),
];

/// The CRM action that is PM5's one side effect (`INSERT … ON CONFLICT` into
/// `sent_emails`, applied by the step-executor in the step's transaction).
pub const SEND_EMAIL: &str = "pm5-send-email";

/// The specification's statement for the send (`$1` the meeting id, `$2` the body): a
/// repeat counts in `attempts`, which is how duplicates show.
pub const SEND_EMAIL_SQL: &str = "INSERT INTO sent_emails (meeting_id, body) VALUES ($1, $2)
 ON CONFLICT (meeting_id) DO UPDATE SET attempts = sent_emails.attempts + 1 RETURNING attempts";
