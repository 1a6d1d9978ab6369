//! What a message may hold at most. Anything larger is refused where it enters — the CLI
//! before publishing, a consumer before a job exists (dead-lettered `too_large` with the
//! limit named), the step-executor before a skill runs — so a producer's bug or an
//! attacker's payload cannot fill memory, the AI budget or an index row.
//!
//! The limits are configuration (`[limits]`); a process sets them once at start-up with
//! [`set`] and every `validate()` reads them with [`current`].

use std::sync::RwLock;

use serde::{Deserialize, Serialize};

/// The maxima, each named after the unit it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Characters of an event type (`meeting_ended`, …).
    pub event_type_chars: usize,
    /// Characters of an org or user id.
    pub id_chars: usize,
    /// Characters of an event's `source`.
    pub source_chars: usize,
    /// Characters of a dedupe key.
    pub dedupe_key_chars: usize,
    /// Bytes of an event's payload as JSON.
    pub payload_bytes: usize,
    /// Bytes of a meeting's transcript as JSON (in a payload, or stored and read by a skill):
    /// roughly three hours of talk by default.
    pub transcript_bytes: usize,
    /// Bytes of the input a skill is given (event, context, outputs, transcript) as JSON.
    pub skill_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            event_type_chars: 64,
            id_chars: 128,
            source_chars: 256,
            dedupe_key_chars: 512,
            payload_bytes: 256 * 1024,
            transcript_bytes: 1024 * 1024,
            skill_input_bytes: 2 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Every setting that cannot work, named (`limits.<field> …`).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, value, least) in [
            ("event_type_chars", self.event_type_chars, 16),
            ("id_chars", self.id_chars, 16),
            ("source_chars", self.source_chars, 16),
            ("dedupe_key_chars", self.dedupe_key_chars, 16),
            ("payload_bytes", self.payload_bytes, 1024),
            ("transcript_bytes", self.transcript_bytes, 1024),
            ("skill_input_bytes", self.skill_input_bytes, 1024),
        ] {
            if value < least {
                problems.push(format!("limits.{name} must be at least {least}"));
            }
        }
        // The index on processed_events holds the dedupe key: Postgres refuses a btree entry
        // over about 2,700 bytes (SQLSTATE 54000), which would make the event un-storable.
        if self.dedupe_key_chars > 512 {
            problems.push("limits.dedupe_key_chars must be at most 512 (it is indexed)".into());
        }
        problems
    }
}

static CURRENT: RwLock<Option<Limits>> = RwLock::new(None);

/// The process's limits (the defaults until [`set`]).
pub fn current() -> Limits {
    CURRENT
        .read()
        .map(|l| l.unwrap_or_default())
        .unwrap_or_default()
}

/// Sets the process's limits (at start-up, from configuration).
pub fn set(limits: Limits) {
    if let Ok(mut l) = CURRENT.write() {
        *l = Some(limits);
    }
}

/// Why a message was refused: it breaks a rule, or it is over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    TooLarge(String),
}

impl From<String> for Violation {
    fn from(reason: String) -> Self {
        Violation::Invalid(reason)
    }
}

impl From<&str> for Violation {
    fn from(reason: &str) -> Self {
        Violation::Invalid(reason.into())
    }
}

/// `value` is at most `max` characters and holds no NUL character.
pub fn chars_at_most(field: &str, value: &str, max: usize) -> Result<(), Violation> {
    if value.contains('\0') {
        return Err(Violation::Invalid(format!(
            "{field} contains a NUL character"
        )));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Violation::TooLarge(format!(
            "{field} is {n} characters; the limit is {max} (limits.{})",
            limit_key(field)
        )));
    }
    Ok(())
}

/// `value`, as JSON, is at most `max` bytes; `key` names the setting (`payload_bytes`).
pub fn json_bytes_at_most(
    field: &str,
    value: &serde_json::Value,
    max: usize,
    key: &str,
) -> Result<(), Violation> {
    let bytes = serde_json::to_vec(value).map_or(usize::MAX, |v| v.len());
    if bytes > max {
        return Err(Violation::TooLarge(format!(
            "{field} is {bytes} bytes; the limit is {max} (limits.{key})"
        )));
    }
    Ok(())
}

fn limit_key(field: &str) -> &'static str {
    match field {
        "type" => "event_type_chars",
        "source" => "source_chars",
        "dedupe_key" => "dedupe_key_chars",
        _ => "id_chars",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_work_and_a_setting_that_cannot_is_named() {
        assert!(Limits::default().problems().is_empty());
        let l = Limits {
            payload_bytes: 10,
            dedupe_key_chars: 4000,
            ..Limits::default()
        };
        assert_eq!(
            l.problems(),
            vec![
                "limits.payload_bytes must be at least 1024".to_string(),
                "limits.dedupe_key_chars must be at most 512 (it is indexed)".to_string()
            ]
        );
    }

    #[test]
    fn a_nul_is_invalid_and_a_long_value_too_large() {
        assert!(matches!(
            chars_at_most("user_id", "u\0", 10),
            Err(Violation::Invalid(r)) if r == "user_id contains a NUL character"
        ));
        assert_eq!(
            chars_at_most("type", "abcdef", 3),
            Err(Violation::TooLarge(
                "type is 6 characters; the limit is 3 (limits.event_type_chars)".into()
            ))
        );
        assert_eq!(chars_at_most("org_id", "org_a", 5), Ok(()));
    }
}
