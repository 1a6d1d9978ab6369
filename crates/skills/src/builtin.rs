//! The built-in skills: deterministic Rust implementations of what the meeting_ended and
//! proposal_generation sequences need. Each takes the step's input JSON and returns its
//! output JSON; none of them logs transcript text.

use serde_json::{Value, json};

use crate::{
    email::first_name,
    intents::{self, Commitment, Intent},
    transcript::{Meeting, Role},
};

pub type BuiltinFn = fn(&Value) -> Result<Value, String>;

/// `detect-intents`.
pub fn detect_intents(input: &Value) -> Result<Value, String> {
    let meeting = Meeting::from_input(input)?;
    let found = intents::detect(&meeting);
    Ok(intents_output(&meeting, &found))
}

/// detect-intents' output for what was found (by the rules or by a model).
pub(crate) fn intents_output(meeting: &Meeting, found: &intents::Intents) -> Value {
    let followups = intents::follow_up_events(meeting, found);
    // The prospects in the room, as CRM contacts: who a scheduling follow-up must suit.
    let attendees: Vec<&str> = meeting
        .attendees
        .iter()
        .filter(|a| a.role != Role::Rep)
        .filter_map(|a| a.contact_id.as_deref())
        .collect();
    json!({
        "meeting_id": meeting.id,
        "commitments": found.commitments,
        "non_commitments": found.non_commitments,
        "follow_up_events": followups,
        "attendee_contact_ids": attendees,
    })
}

/// `extract-action-items`: one item per commitment (prospect-owned and conditional ones
/// included: they are tracked, not turned into rep tasks).
pub fn extract_action_items(input: &Value) -> Result<Value, String> {
    let meeting = Meeting::from_input(input)?;
    let found = intents::detect(&meeting);
    let items: Vec<Value> = found
        .commitments
        .iter()
        .map(|c| {
            json!({
                "owner": c.owner_role,
                "assignee": assignee(&meeting, c),
                "text": task_text(&c.phrase),
                "intent": c.intent,
                "conditional": c.conditional,
                "segment_index": c.segment_index,
            })
        })
        .collect();
    Ok(json!({ "meeting_id": meeting.id, "items": items }))
}

fn assignee(meeting: &Meeting, c: &Commitment) -> String {
    if c.owner_role == c.speaker_role {
        c.speaker.clone()
    } else {
        let other = if c.owner_role == Role::Rep {
            meeting.owner_rep()
        } else {
            meeting.primary_prospect()
        };
        other.map_or_else(|| c.owner_role.as_str().to_string(), |a| a.name.clone())
    }
}

/// "I'll send the invite for Tuesday" → "Send the invite for Tuesday".
fn task_text(phrase: &str) -> String {
    let lower = phrase.to_ascii_lowercase();
    let rest = [
        "i'll ",
        "i will ",
        "i'm going to ",
        "let me ",
        "we'll ",
        "we will ",
        "let's ",
    ]
    .iter()
    .find(|p| lower.starts_with(*p))
    .map_or(phrase, |p| &phrase[p.len()..]);
    let mut chars = rest.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `suggest-next-actions`: what the rep should do next, from the commitments (given by an
/// earlier detect-intents step, or detected here) and the competitors the org tracks.
pub fn suggest_next_actions(input: &Value) -> Result<Value, String> {
    let meeting = Meeting::from_input(input)?;
    let found = intents::detect(&meeting);
    let mut suggestions = Vec::new();
    for c in &found.commitments {
        let (action, why) = match (c.owner_role, c.conditional) {
            (Role::Rep, false) => (
                format!("{} ({})", task_text(&c.phrase), label(c.intent)),
                "you committed to it on the call",
            ),
            (Role::Rep, true) => (
                format!("Track: {}", task_text(&c.phrase)),
                "conditional on the prospect's side; nothing is queued yet",
            ),
            (Role::Prospect, _) => (
                format!(
                    "Check in if {} has not delivered: {}",
                    c.speaker,
                    task_text(&c.phrase)
                ),
                "the prospect owns it; a gentle reminder keeps momentum",
            ),
        };
        suggestions.push(json!({ "action": action, "why": why, "segment_index": c.segment_index }));
    }
    let competitors = input
        .pointer("/context/org/product_profile/competitors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for name in competitors.iter().filter_map(Value::as_str) {
        if meeting.segments.iter().any(|s| s.text.contains(name)) {
            suggestions.push(json!({
                "action": format!("Prepare a comparison with {name}"),
                "why": format!("{name} came up in the meeting"),
            }));
        }
    }
    if found.commitments.is_empty() {
        suggestions.push(json!({
            "action": "Propose a concrete next step by email",
            "why": "no commitments were made on the call",
        }));
    }
    Ok(json!({ "meeting_id": meeting.id, "suggestions": suggestions }))
}

fn label(intent: Intent) -> &'static str {
    match intent {
        Intent::SendProposal => "proposal",
        Intent::ScheduleMeeting => "scheduling",
        Intent::SendContract => "contract",
        Intent::Pricing => "pricing",
        Intent::Intro => "introduction",
        Intent::FollowUpCall => "call",
        Intent::SendInfo => "information",
    }
}

/// `post-meeting-followup-drafter`: the recap email the rep sends after the call.
pub fn post_meeting_followup_drafter(input: &Value) -> Result<Value, String> {
    let meeting = Meeting::from_input(input)?;
    let found = intents::detect(&meeting);
    let to = meeting
        .primary_prospect()
        .ok_or("the meeting has no prospect attendee to write to")?;
    let rep = meeting.owner_rep().map_or("", |a| a.name.as_str());
    let mine: Vec<String> = found
        .commitments
        .iter()
        .filter(|c| c.owner_role == Role::Rep)
        .map(|c| format!("- {}", task_text(&c.phrase)))
        .collect();
    let theirs: Vec<String> = found
        .commitments
        .iter()
        .filter(|c| c.owner_role == Role::Prospect)
        .map(|c| format!("- {}: {}", first_name(&c.speaker), task_text(&c.phrase)))
        .collect();
    let mut body = format!(
        "Hi {},\n\nThanks for your time today. Here is what we agreed.\n",
        first_name(&to.name)
    );
    if !mine.is_empty() {
        body.push_str(&format!("\nFrom my side:\n{}\n", mine.join("\n")));
    }
    if !theirs.is_empty() {
        body.push_str(&format!("\nFrom your side:\n{}\n", theirs.join("\n")));
    }
    if mine.is_empty() && theirs.is_empty() {
        body.push_str("\nI'll follow up with a proposed next step shortly.\n");
    }
    body.push_str(&format!(
        "\nLet me know if I missed anything.\n\nBest,\n{}",
        first_name(rep)
    ));
    let subject = match meeting.title.split(" — ").next() {
        Some(t) if !t.is_empty() => format!("Follow-up: {t}"),
        _ => "Thanks for today".to_string(),
    };
    Ok(json!({
        "meeting_id": meeting.id,
        "to": { "name": to.name, "email": to.email, "contact_id": to.contact_id },
        "subject": subject,
        "body": body,
        "commitments_included": mine.len() + theirs.len(),
    }))
}

/// `slack-post-meeting`: the inform-only summary for the rep (the notifier renders and
/// delivers it; no buttons, nothing to approve).
pub fn slack_post_meeting(input: &Value) -> Result<Value, String> {
    let meeting = Meeting::from_input(input)?;
    let found = intents::detect(&meeting);
    let phrases = |role: Role| -> Vec<&str> {
        found
            .commitments
            .iter()
            .filter(|c| c.owner_role == role)
            .map(|c| c.phrase.as_str())
            .collect()
    };
    let followups = queued_followups(input);
    let data = json!({
        "title": meeting.title,
        "rep_commitments": phrases(Role::Rep),
        "prospect_commitments": phrases(Role::Prospect),
        "declined_or_deferred": found.non_commitments.len(),
        "follow_ups": followups,
        "email_sent": input.pointer("/outputs/send_followup_email/message_id").is_some(),
        "tasks_created": input.pointer("/outputs/create_tasks/created").and_then(Value::as_u64).unwrap_or(0),
    });
    let message = crate::messages::post_meeting_summary(&data);
    Ok(json!({
        "notification": {
            "template": "post_meeting_summary",
            "inform_only": true,
            "meeting_id": meeting.id,
            "title": meeting.title,
            "rep_commitments": data["rep_commitments"].as_array().map_or(0, Vec::len),
            "prospect_commitments": data["prospect_commitments"].as_array().map_or(0, Vec::len),
            "declined_or_deferred": found.non_commitments.len(),
            "follow_ups": followups,
            "text": message.text,
            "blocks": message.blocks,
        }
    }))
}

/// The follow-up events the job actually queued: every follow-up step's output
/// (`followups_queued`), in step order, each type once. Nothing when the job queued nothing —
/// never what the commitments might have called for.
fn queued_followups(input: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let outputs = input["outputs"].as_object().into_iter().flatten();
    for event in
        outputs.flat_map(|(_, o)| crate::messages::strings(&o[baton_core::job::FOLLOWUPS_QUEUED]))
    {
        if !out.iter().any(|e| e == event) {
            out.push(event.to_string());
        }
    }
    out
}
