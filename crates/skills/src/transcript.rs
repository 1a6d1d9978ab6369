//! Meetings in the recorder's format (`meetings/<id>.json`, as in `services/baton/sample/`):
//! attendees and speaker-labelled segments. Transcript text is read here and never logged.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub status: Option<String>,
    /// When it was scheduled to start, with the organiser's offset (`2026-11-17T10:00:00-05:00`).
    #[serde(default)]
    pub start: Option<String>,
    pub organizer_user_id: Option<String>,
    pub contact_id: Option<String>,
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attendee {
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub contact_id: Option<String>,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Segment {
    pub speaker: String,
    pub role: Role,
    #[serde(default)]
    pub start_s: f64,
    #[serde(default)]
    pub end_s: f64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Prospect,
}

impl Role {
    pub fn other(self) -> Self {
        match self {
            Role::Rep => Role::Prospect,
            Role::Prospect => Role::Rep,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Prospect => "prospect",
        }
    }
}

impl Meeting {
    /// The meeting in a skill's input: the input itself when it is a meeting file, else its
    /// `meeting` field.
    pub fn from_input(input: &Value) -> Result<Self, String> {
        let value = if input.get("segments").is_some() {
            input
        } else {
            input.get("meeting").ok_or(
                "input has no meeting: pass a meeting (with segments) or {\"meeting\": {...}}",
            )?
        };
        serde_json::from_value(value.clone()).map_err(|e| format!("input.meeting: {e}"))
    }

    /// The meeting's local date (the date part of its start, which carries the organiser's
    /// offset): what "tomorrow" and "by Friday" were said against.
    pub fn local_date(&self) -> Option<chrono::NaiveDate> {
        let start = self.start.as_deref()?;
        chrono::NaiveDate::parse_from_str(start.get(..10)?, "%Y-%m-%d").ok()
    }

    pub fn completed(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "completed")
    }

    pub fn attendee(&self, role: Role) -> Option<&Attendee> {
        self.attendees.iter().find(|a| a.role == role)
    }

    /// The main prospect: the meeting's contact if present, else the first prospect.
    pub fn primary_prospect(&self) -> Option<&Attendee> {
        self.attendees
            .iter()
            .find(|a| a.role == Role::Prospect && a.contact_id == self.contact_id)
            .or_else(|| self.attendee(Role::Prospect))
    }

    /// The rep who owns the meeting: the organizer, else the first rep.
    pub fn owner_rep(&self) -> Option<&Attendee> {
        self.attendees
            .iter()
            .find(|a| a.role == Role::Rep && a.user_id == self.organizer_user_id)
            .or_else(|| self.attendee(Role::Rep))
    }
}

/// A sentence of a segment with its byte offset in the segment's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    pub offset: usize,
}

/// Splits text into sentences at `.`, `?` and `!` followed by a space (or the end), and at
/// a spaced em dash, which speakers use like a full stop.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let end_here = if rest.starts_with(" — ") {
            Some((i, i + " — ".len()))
        } else if matches!(bytes[i], b'.' | b'?' | b'!')
            && (i + 1 == text.len() || bytes[i + 1] == b' ')
        {
            Some((i + 1, i + 1))
        } else {
            None
        };
        if let Some((end, next)) = end_here {
            push(&mut out, text, start, end);
            start = next;
            i = next;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    push(&mut out, text, start, text.len());
    out
}

fn push<'a>(out: &mut Vec<Sentence<'a>>, text: &'a str, start: usize, end: usize) {
    let s = &text[start..end];
    let trimmed = s.trim_start();
    let offset = start + (s.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    if !trimmed.is_empty() {
        out.push(Sentence {
            text: trimmed,
            offset,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_and_keeps_offsets() {
        let t = "Yes, absolutely. I'll send it today — you'll need an NDA. Sound fair?";
        let s = sentences(t);
        let texts: Vec<&str> = s.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                "Yes, absolutely.",
                "I'll send it today",
                "you'll need an NDA.",
                "Sound fair?"
            ]
        );
        for s in &s {
            assert_eq!(&t[s.offset..s.offset + s.text.len()], s.text);
        }
    }
}
