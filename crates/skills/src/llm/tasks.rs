//! The skills a model can serve: each renders its prompt from a template kept beside the
//! skill (`crates/skills/prompts/<key>.md`), declares the answer's schema (evidence before
//! labels), and turns a checked answer into the skill's output — the same output the
//! built-in gives, validated against the same declared schema by the registry.

use std::sync::LazyLock;

use serde_json::{Value, json};

use super::Prompt;
use crate::{
    builtin::intents_output,
    intents::{Commitment, Intent, Intents, NonCommitment, Strength},
    output_schema::{CATEGORIES, INTENTS, LANGUAGES},
    transcript::{Meeting, Role},
};

/// A skill a model can serve.
pub trait ModelTask: Send + Sync {
    /// The prompt for `input` (the same input the built-in gets).
    fn prompt(&self, input: &Value) -> Result<Prompt, String>;
    /// The skill's output from the model's answer, or why the answer is unusable.
    fn output(&self, input: &Value, answer: &Value) -> Result<Value, String>;
}

/// The model task of skill `key`, if a model can serve it.
pub fn task(key: &str) -> Option<&'static dyn ModelTask> {
    match key {
        "detect-intents" => Some(&DetectIntents),
        "classify-email" => Some(&ClassifyEmail),
        _ => None,
    }
}

/// A prompt template's two parts: the instructions (the system prompt) and, after a `---`
/// line, what is asked about (the user message).
fn parts(template: &str) -> (&str, &str) {
    template.split_once("\n---\n").unwrap_or((template, ""))
}

/// The answer against its schema. The error says where, not what: the value may quote the
/// transcript or the email, which are never logged.
fn matches_schema(
    validator: &LazyLock<Option<jsonschema::Validator>>,
    answer: &Value,
) -> Result<(), String> {
    let validator = validator
        .as_ref()
        .ok_or("the answer schema does not compile")?;
    validator.validate(answer).map_err(|e| {
        format!(
            "the answer does not match its schema at `{}`",
            e.instance_path()
        )
    })
}

/// The answer detect-intents asks for: evidence first, then the labels; every field
/// required and no others, as strict structured output demands.
static INTENTS_ANSWER: LazyLock<Value> = LazyLock::new(|| {
    let roles = json!({"type": "string", "enum": ["rep", "prospect"]});
    let intent = json!({"type": "string", "enum": INTENTS});
    let evidence =
        json!({"type": "string", "description": "the promise quoted verbatim from its segment"});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["commitments", "non_commitments"],
        "properties": {
            "commitments": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["evidence", "segment_index", "owner_role", "intent", "strength", "conditional", "condition", "due"],
                "properties": {
                    "evidence": evidence,
                    "segment_index": {"type": "integer"},
                    "owner_role": roles,
                    "intent": intent,
                    "strength": {"type": "string", "enum": ["explicit", "implicit"]},
                    "conditional": {"type": "boolean"},
                    "condition": {"type": ["string", "null"]},
                    "due": {"type": ["string", "null"], "description": "YYYY-MM-DD"},
                },
            }},
            "non_commitments": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["evidence", "segment_index", "looks_like"],
                "properties": {
                    "evidence": evidence,
                    "segment_index": {"type": "integer"},
                    "looks_like": intent,
                },
            }},
        },
    })
});

static INTENTS_VALIDATOR: LazyLock<Option<jsonschema::Validator>> =
    LazyLock::new(|| jsonschema::validator_for(&INTENTS_ANSWER).ok());

const INTENTS_TEMPLATE: &str = include_str!("../../prompts/detect-intents.md");

struct DetectIntents;

impl ModelTask for DetectIntents {
    fn prompt(&self, input: &Value) -> Result<Prompt, String> {
        let meeting = Meeting::from_input(input)?;
        let (rules, call) = parts(INTENTS_TEMPLATE);
        let date = meeting
            .local_date()
            .map_or_else(|| "unknown".to_string(), |d| d.to_string());
        let attendees: Vec<String> = meeting
            .attendees
            .iter()
            .map(|a| format!("- {} ({})", a.name, a.role.as_str()))
            .collect();
        let transcript: Vec<String> = meeting
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| format!("[{i}] {} ({}): {}", s.speaker, s.role.as_str(), s.text))
            .collect();
        Ok(Prompt {
            system: rules.replace("{{meeting_date}}", &date),
            user: call
                .replace("{{attendees}}", &attendees.join("\n"))
                .replace("{{transcript}}", &transcript.join("\n")),
            schema: INTENTS_ANSWER.clone(),
            name: "detect_intents".into(),
        })
    }

    fn output(&self, input: &Value, answer: &Value) -> Result<Value, String> {
        let meeting = Meeting::from_input(input)?;
        matches_schema(&INTENTS_VALIDATOR, answer)?;
        let mut found = Intents::default();
        for (n, c) in answer["commitments"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (index, phrase) = evidence(&meeting, c, "commitment", n)?;
            let segment = &meeting.segments[index];
            let strength = if c["strength"] == "implicit" {
                Strength::Implicit
            } else {
                Strength::Explicit
            };
            let due =
                match c["due"].as_str() {
                    Some(d) => Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(
                        |_| format!("commitment {n}: due {d:?} is not a YYYY-MM-DD date"),
                    )?),
                    None => None,
                };
            let conditional = c["conditional"].as_bool().unwrap_or(false);
            found.commitments.push(Commitment {
                speaker: segment.speaker.clone(),
                speaker_role: segment.role,
                owner_role: role(&c["owner_role"]),
                intent: intent(&c["intent"])?,
                phrase,
                strength,
                conditional,
                condition: conditional
                    .then(|| c["condition"].as_str().map(str::to_string))
                    .flatten(),
                due,
                confidence: match strength {
                    Strength::Explicit => 0.9,
                    Strength::Implicit => 0.8,
                },
                segment_index: index,
            });
        }
        for (n, c) in answer["non_commitments"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (index, phrase) = evidence(&meeting, c, "non-commitment", n)?;
            let segment = &meeting.segments[index];
            found.non_commitments.push(NonCommitment {
                speaker: segment.speaker.clone(),
                speaker_role: segment.role,
                looks_like: intent(&c["looks_like"])?,
                phrase,
                segment_index: index,
            });
        }
        Ok(intents_output(&meeting, &found))
    }
}

/// An item's evidence, checked: a verbatim quote of the segment it names (or, said in
/// another segment, of that one). A quote found nowhere makes the answer unusable.
fn evidence(
    meeting: &Meeting,
    item: &Value,
    what: &str,
    n: usize,
) -> Result<(usize, String), String> {
    let quote = item["evidence"].as_str().unwrap_or_default().trim();
    let quote = quote.trim_matches(['"', '“', '”']).trim();
    if quote.is_empty() {
        return Err(format!("{what} {n} has no evidence quote"));
    }
    let named = item["segment_index"].as_u64().map(|i| i as usize);
    let said_in = |i: usize| {
        meeting
            .segments
            .get(i)
            .is_some_and(|s| s.text.contains(quote))
    };
    let index = named
        .filter(|&i| said_in(i))
        .or_else(|| (0..meeting.segments.len()).find(|&i| said_in(i)))
        .ok_or_else(|| {
            format!("{what} {n}'s evidence is not a verbatim quote of the transcript")
        })?;
    Ok((index, quote.to_string()))
}

fn role(v: &Value) -> Role {
    if v == "prospect" {
        Role::Prospect
    } else {
        Role::Rep
    }
}

fn intent(v: &Value) -> Result<Intent, String> {
    serde_json::from_value(v.clone()).map_err(|_| format!("unknown intent {v}"))
}

/// classify-email's answer: the deciding sentence first, then the labels.
static EMAIL_ANSWER: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["evidence", "category", "language"],
        "properties": {
            "evidence": {"type": "string", "description": "the deciding sentence, verbatim"},
            "category": {"type": "string", "enum": CATEGORIES},
            "language": {"type": "string", "enum": LANGUAGES},
        },
    })
});

static EMAIL_VALIDATOR: LazyLock<Option<jsonschema::Validator>> =
    LazyLock::new(|| jsonschema::validator_for(&EMAIL_ANSWER).ok());

const EMAIL_TEMPLATE: &str = include_str!("../../prompts/classify-email.md");

/// classify-email by a model: the model reads the category and language; the rules still
/// match the sender in the CRM, strip the quotes, and derive the action (an autoreply is
/// never answered, whatever the model says).
struct ClassifyEmail;

impl ModelTask for ClassifyEmail {
    fn prompt(&self, input: &Value) -> Result<Prompt, String> {
        let raw = input
            .get("email")
            .filter(|e| e.is_object())
            .unwrap_or(input);
        let e = crate::email::Email::parse(raw)?;
        let (rules, call) = parts(EMAIL_TEMPLATE);
        Ok(Prompt {
            system: rules.to_string(),
            user: call
                .replace("{{from}}", raw["from"].as_str().unwrap_or_default())
                .replace("{{subject}}", &e.subject)
                .replace(
                    "{{autoreply}}",
                    if e.auto_submitted() { "yes" } else { "none" },
                )
                .replace("{{body}}", &e.new_text()),
            schema: EMAIL_ANSWER.clone(),
            name: "classify_email".into(),
        })
    }

    fn output(&self, input: &Value, answer: &Value) -> Result<Value, String> {
        matches_schema(&EMAIL_VALIDATOR, answer)?;
        let mut out = crate::triage::classify_email(input)?;
        let quote = answer["evidence"].as_str().unwrap_or_default().trim();
        let read = format!(
            "{}\n{}",
            out["subject"].as_str().unwrap_or_default(),
            out["text"].as_str().unwrap_or_default()
        );
        if quote.is_empty() || !read.contains(quote) {
            return Err("the evidence is not a verbatim quote of the email".into());
        }
        let autoreply =
            out["autoreply"].as_bool() == Some(true) && out["category"] == "out_of_office";
        let category = if autoreply {
            "out_of_office"
        } else {
            answer["category"].as_str().unwrap_or("positive_interest")
        };
        out["category"] = json!(category);
        out["action"] = json!(crate::triage::action_for(category));
        out["language"] = answer["language"].clone();
        out["evidence"] = json!(quote);
        out["scores"] = json!({"model": category});
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Value {
        json!({"id": "m1", "start": "2026-11-17T10:00:00-05:00", "attendees": [
            {"name": "Ana Rep", "role": "rep"}, {"name": "Pat Buyer", "role": "prospect"}],
          "segments": [
            {"speaker": "Ana Rep", "role": "rep", "text": "I'll send the proposal by Friday."},
            {"speaker": "Pat Buyer", "role": "prospect", "text": "Don't send the contract yet."}]})
    }

    #[test]
    fn an_email_is_read_by_the_model_and_an_autoreply_stays_unanswered() {
        let t = task("classify-email").unwrap();
        let email = json!({"id": "e1", "from": "Pat <pat@buyer.com>", "to": ["ana@seller.io"], "subject": "Re: demo",
                           "date": "2026-12-07T09:00:00-05:00", "headers": {},
                           "body_text": "Could we look at Tuesday afternoon for the demo?\n\n> earlier text"});
        let p = t.prompt(&json!({"email": email})).unwrap();
        assert!(
            p.user.contains("Tuesday afternoon") && !p.user.contains("earlier text"),
            "{}",
            p.user
        );
        let answer = json!({"evidence": "Could we look at Tuesday afternoon for the demo?", "category": "meeting_request", "language": "en"});
        let out = t.output(&json!({"email": email}), &answer).unwrap();
        assert_eq!(
            (out["category"].as_str(), out["action"].as_str()),
            (Some("meeting_request"), Some("find_meeting_times"))
        );
        crate::output_schema::check("classify-email", &out).unwrap();
        let mut invented = answer.clone();
        invented["evidence"] = json!("Can we meet Tuesday?");
        assert!(t.output(&json!({"email": email}), &invented).is_err());
        let mut auto = email.clone();
        auto["headers"] = json!({"Auto-Submitted": "auto-replied"});
        auto["body_text"] = json!("I am out of the office until Monday.");
        let answer = json!({"evidence": "I am out of the office until Monday.", "category": "meeting_request", "language": "en"});
        let out = t.output(&json!({"email": auto}), &answer).unwrap();
        assert_eq!(
            out["action"], "update_crm",
            "an autoreply is never answered"
        );
    }

    #[test]
    fn the_prompt_carries_the_transcript_and_the_answer_is_checked() {
        let t = task("detect-intents").unwrap();
        let p = t.prompt(&meeting()).unwrap();
        assert!(p.system.contains("2026-11-17"), "{}", p.system);
        assert!(
            p.user
                .contains("[1] Pat Buyer (prospect): Don't send the contract yet.")
        );
        let good = json!({"commitments": [{"evidence": "I'll send the proposal by Friday", "segment_index": 0, "owner_role": "rep", "intent": "send_proposal", "strength": "explicit", "conditional": false, "condition": null, "due": "2026-11-20"}],
                          "non_commitments": [{"evidence": "Don't send the contract yet", "segment_index": 1, "looks_like": "send_contract"}]});
        let out = t.output(&meeting(), &good).unwrap();
        assert_eq!(out["commitments"][0]["due"], "2026-11-20");
        assert_eq!(
            out["follow_up_events"],
            json!(["followup_email_draft", "proposal_generation"])
        );
        crate::output_schema::check("detect-intents", &out).unwrap();
        let mut invented = good.clone();
        invented["commitments"][0]["evidence"] = json!("I'll send a proposal on Friday");
        assert!(
            t.output(&meeting(), &invented)
                .unwrap_err()
                .contains("not a verbatim quote")
        );
        let mut wrong = good.clone();
        wrong["commitments"][0]["intent"] = json!("send_deck");
        assert!(
            t.output(&meeting(), &wrong)
                .unwrap_err()
                .contains("/commitments/0/intent")
        );
    }
}
