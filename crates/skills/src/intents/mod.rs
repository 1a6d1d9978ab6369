//! `detect-intents`: commitments made in a meeting, with who said them, who has to act, the
//! intent, the verbatim phrase, when it is due and a confidence; and the look-alikes that are
//! not commitments (negations, deferrals, declined offers), kept apart so no task or
//! follow-up is ever made from them.
//!
//! Built on the structure of what is said, not on phrases (see the research note the issue
//! names): a promise opens with who will act ([`promise`]: "I'll", "let me", "we should be
//! able to", "you'll have", "Dana will", "so you'll send me…"), and its owner follows from
//! that subject; what it promises comes from the verb and the first thing it names
//! ([`object`]); a negated opening or a deferring verb ("hold off", "park") makes it a
//! look-alike; a condition before or after it ("once security signs off") makes it
//! conditional; a request or an offer counts only when the other side agrees in the next
//! turn; the due date is the sentence's time expression against the meeting date ([`due`]).
//! A recap at the end of a call restates earlier commitments and adds none.

mod detector;
mod due;
mod object;
mod promise;

pub use detector::detect;

use regex::Regex;
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::transcript::{Meeting, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// What a conditional commitment waits on, verbatim ("once security signs off").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// When it is due, from what was said, against the meeting's date.
    pub due: Option<NaiveDate>,
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
    re_cased(&format!("(?i){pattern}"))
}

/// A case-sensitive built-in pattern (where a capital matters: names).
pub(crate) fn re_cased(pattern: &str) -> Regex {
    // The patterns are literals in this crate, covered by the tests: compiling cannot fail.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("a valid built-in pattern")
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
