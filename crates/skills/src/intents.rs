//! `detect-intents`: commitments made in a meeting, with who said them, who has to act, the
//! intent, the verbatim phrase and a confidence; and the look-alikes that are not
//! commitments (negations, deferrals, declined offers), kept apart so no task or follow-up
//! is ever made from them.
//!
//! Deterministic rules over sentences: a first-person future ("I'll", "let me", "we'll",
//! "let's", "you'll have") followed by what is promised. The intent comes from what is
//! promised (proposal, meeting, contract, pricing, intro, call, information). A negation
//! inside the promise makes it a non-commitment; a dependency on someone else's decision
//! ("once security signs off") makes it conditional; a recap at the end of a call restates
//! earlier commitments and adds none.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::transcript::{Meeting, Role, sentences};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    SendProposal,
    ScheduleMeeting,
    SendContract,
    Pricing,
    Intro,
    FollowUpCall,
    SendInfo,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::SendProposal => "send_proposal",
            Intent::ScheduleMeeting => "schedule_meeting",
            Intent::SendContract => "send_contract",
            Intent::Pricing => "pricing",
            Intent::Intro => "intro",
            Intent::FollowUpCall => "follow_up_call",
            Intent::SendInfo => "send_info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub speaker: String,
    pub speaker_role: Role,
    pub owner_role: Role,
    pub intent: Intent,
    /// Exact substring of the segment's text.
    pub phrase: String,
    pub strength: Strength,
    pub conditional: bool,
    pub confidence: f64,
    pub segment_index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Explicit,
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NonCommitment {
    pub speaker: String,
    pub speaker_role: Role,
    pub looks_like: Intent,
    pub phrase: String,
    pub segment_index: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Intents {
    pub commitments: Vec<Commitment>,
    pub non_commitments: Vec<NonCommitment>,
}

/// A case-insensitive built-in pattern.
pub(crate) fn re(pattern: &str) -> Regex {
    // The patterns are literals in this crate, covered by the tests: compiling cannot fail.
    #[allow(clippy::expect_used)]
    Regex::new(&format!("(?i){pattern}")).expect("a valid built-in pattern")
}

patterns! {
    TRIGGER = r"\b(I'll|I will|I'm going to|let me|we'll|we will|we're going to|let's|you'll have)\b";
    /// First-person futures that are not promises to the other side.
    NOT_A_PROMISE = r"^(I'll|we'll) (need|be|have to|let)\b|^let me (share|show|recap)\b";
    NEGATION = r"\b(don't|do not|won't|will not|not ready|no need|not yet|hold off|rather not|no point)\b";
    CONDITION = r"\b(once|if|as soon as|assuming|pending|after)\b";
    DECISION = r"\b(signs? off|approves?|approval|agrees?|decides?|picks?|chooses?|confirms?|green light|go-ahead)\b";
    RESTATEMENT = r"^((okay|ok|perfect|great|lovely|right|alright)[,.]? )?(so,|so to recap|to recap|will do\b)";
    RECAP = r"\brecap\b";
    DELIVERY = r"\b(send|sending|get|have|put together|pull together|work up|find out|pop|email|over to you|back to you|to you)\b";
    IMPLICIT_VERB = r"^I'll (pop|get you)\b";
    TIMED = r"\b(by|today|tonight|tomorrow|this week|next week|end of day|monday|tuesday|wednesday|thursday|friday)\b";
    /// Where a promise's phrase ends: the next clause is context, not the promise.
    CLAUSE_END = r", so |\bso that\b|, and if\b|, and you\b| and add\b| and come back\b|, with the\b|, which\b| after this\b";
}

static INTENTS: LazyLock<Vec<(Intent, Regex, bool)>> = LazyLock::new(|| {
    // (intent, what is promised, whether it needs a delivery verb), in priority order.
    vec![
        (
            Intent::SendProposal,
            re(r"\bproposal\b|\bin writing\b"),
            false,
        ),
        (
            Intent::ScheduleMeeting,
            re(
                r"\binvites?\b|\bcalendar\b|\bbook\b|\bcheck-in\b|\bfind (a )?time\b|\btimes for\b|\boptions for (the week|next week|monday|tuesday|wednesday|thursday|friday)\b|\bset up\b.*\b(demo|call|meeting|sessions?|workshop|training)\b",
            ),
            false,
        ),
        (
            Intent::SendContract,
            re(
                r"\border form\b|\bcontract\b|\bpaperwork\b|\bredlines?\b|\bMSA\b|\bDPA\b|\blegal team",
            ),
            true,
        ),
        (
            Intent::Pricing,
            re(
                r"\bpricing\b|\bprices?\b|\bquote\b|\bpayment terms\b|\bprepay\b|\brenewal options\b|\bdiscount\b",
            ),
            true,
        ),
        (
            Intent::Intro,
            re(r"\bintroduce you\b|\bconnect you\b|\bput you in touch\b|\bintro\b"),
            false,
        ),
        (
            Intent::FollowUpCall,
            re(r"\bgive you a (call|ring)\b|\bcall you\b|\bring you\b"),
            false,
        ),
        (
            Intent::SendInfo,
            re(
                r"\bsend\b|\bsending\b|\bget you\b|\bget (it|them) to you\b|\bpop\b|\bemail\b|\bcome back to you\b|\bget back to you\b|\bforward\b",
            ),
            false,
        ),
    ]
});

/// The first intent `text` promises, if any.
fn classify(text: &str, delivery: bool) -> Option<Intent> {
    INTENTS
        .iter()
        .find(|(_, pattern, needs_delivery)| {
            pattern.is_match(text) && (!needs_delivery || delivery || DELIVERY.is_match(text))
        })
        .map(|(intent, _, _)| *intent)
}

/// Distinct intents a sentence mentions (a recap mentions several).
fn mentioned(text: &str) -> usize {
    INTENTS
        .iter()
        .filter(|(intent, pattern, _)| *intent != Intent::SendInfo && pattern.is_match(text))
        .count()
}

/// Runs the detector over a meeting.
pub fn detect(meeting: &Meeting) -> Intents {
    let mut out = Intents::default();
    for (index, segment) in meeting.segments.iter().enumerate() {
        if RECAP.is_match(&segment.text) {
            continue;
        }
        // "Will do — I'll email you both a few times…" restates what was just agreed.
        let segment_restates = RESTATEMENT.is_match(&segment.text);
        for sentence in sentences(&segment.text) {
            let restating = segment_restates || RESTATEMENT.is_match(sentence.text);
            if restating && mentioned(sentence.text) >= 2 {
                continue; // "So, pricing to you by Monday, the guide to Derek, and the intro…"
            }
            let Some(trigger) = TRIGGER.find(sentence.text) else {
                if let Some(negation) = NEGATION.find(sentence.text)
                    && let Some(intent) = classify(&sentence.text[negation.start()..], true)
                {
                    out.non_commitments.push(NonCommitment {
                        speaker: segment.speaker.clone(),
                        speaker_role: segment.role,
                        looks_like: intent,
                        phrase: sentence.text[negation.start()..]
                            .trim_end_matches(['.', '?', '!'])
                            .to_string(),
                        segment_index: index,
                    });
                }
                continue;
            };
            let clause = sentence.text[trigger.start()..].trim_end_matches(['.', '?', '!']);
            if NOT_A_PROMISE.is_match(clause) {
                continue;
            }
            let you_have = trigger.as_str().eq_ignore_ascii_case("you'll have");
            let phrase = CLAUSE_END
                .find(clause)
                .map_or(clause, |end| &clause[..end.start()])
                .trim_end_matches([',', ' ']);
            let negated = NEGATION.is_match(phrase);
            // "we will hold off on the contract" promises no delivery, yet looks like one.
            let Some(intent) = classify(clause, you_have || negated) else {
                continue;
            };
            if negated {
                out.non_commitments.push(NonCommitment {
                    speaker: segment.speaker.clone(),
                    speaker_role: segment.role,
                    looks_like: intent,
                    phrase: phrase.to_string(),
                    segment_index: index,
                });
                continue;
            }
            let owner_role = segment.role;
            let duplicate = |c: &Commitment| c.owner_role == owner_role && c.intent == intent;
            if out
                .commitments
                .iter()
                .any(|c| c.segment_index == index && duplicate(c))
                || (restating && out.commitments.iter().any(duplicate))
            {
                continue;
            }
            let lead = trigger.as_str().to_ascii_lowercase();
            let strength = if matches!(
                lead.as_str(),
                "let me" | "we'll" | "we will" | "you'll have"
            ) || IMPLICIT_VERB.is_match(clause)
            {
                Strength::Implicit
            } else {
                Strength::Explicit
            };
            let conditional = CONDITION.is_match(sentence.text) && DECISION.is_match(sentence.text);
            let mut confidence: f64 = match strength {
                Strength::Explicit => 0.9,
                Strength::Implicit => 0.8,
            };
            if TIMED.is_match(phrase) {
                confidence += 0.05;
            }
            if conditional {
                confidence -= 0.2;
            }
            out.commitments.push(Commitment {
                speaker: segment.speaker.clone(),
                speaker_role: segment.role,
                owner_role,
                intent,
                phrase: phrase.to_string(),
                strength,
                conditional,
                confidence: (confidence * 100.0).round() / 100.0,
                segment_index: index,
            });
        }
    }
    out
}

/// The follow-up event types a meeting's commitments call for (the product's rule: rep-owned,
/// unconditional commitments only, each type once, in first-occurrence order).
pub fn follow_up_events(meeting: &Meeting, intents: &Intents) -> Vec<&'static str> {
    let mut out = Vec::new();
    if meeting.completed() {
        out.push("followup_email_draft");
    }
    for c in &intents.commitments {
        if c.owner_role != Role::Rep || c.conditional {
            continue;
        }
        let event = match c.intent {
            Intent::SendProposal => "proposal_generation",
            Intent::ScheduleMeeting => "calendar_find_times",
            Intent::SendInfo => "send_collateral",
            Intent::Intro => "intro_email_draft",
            Intent::SendContract => "contract_generation",
            Intent::Pricing => "pricing_quote",
            Intent::FollowUpCall => "crm_task_create",
        };
        if !out.contains(&event) {
            out.push(event);
        }
    }
    out
}
