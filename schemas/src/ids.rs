//! Identifiers, parsed once where they enter (a decoded message, a database row, a CLI
//! argument) and typed from then on, so an org id cannot be passed where a user id belongs.
//!
//! - `OrgId`, `UserId`: the platform's own text ids (`org_brightlane`, `u_bl_maya`); never
//!   blank.
//! - `JobId`, `EventId`: UUIDs, shown plainly.
//! - `PendingActionId`: a UUID shown as `pa_<uuid>` (Slack buttons, the CLI, logs); parsed with
//!   or without the prefix, so a button's value and a database id both name the same gate.
//!
//! On the wire (Avro strings) they stay strings: each message's `validate` checks them with
//! these parsers, and handlers parse them with [`FromStr`].

use std::{fmt, str::FromStr};

use uuid::Uuid;

/// A string that is not a valid id of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} `{value}` is not valid: {reason}")]
pub struct BadId {
    pub what: &'static str,
    pub value: String,
    pub reason: &'static str,
}

/// Serde as the id's string form, parsed back with its `FromStr`.
macro_rules! serde_as_string {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident, $what:literal, $prefix:literal, $expected:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                $name(id)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", $prefix, self.0)
            }
        }

        impl FromStr for $name {
            type Err = BadId;

            fn from_str(s: &str) -> Result<Self, BadId> {
                let bare = s.strip_prefix($prefix).unwrap_or(s);
                Uuid::parse_str(bare).map($name).map_err(|_| BadId {
                    what: $what,
                    value: s.to_string(),
                    reason: $expected,
                })
            }
        }

        serde_as_string!($name);
    };
}

macro_rules! text_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = BadId;

            fn from_str(s: &str) -> Result<Self, BadId> {
                if s.trim().is_empty() {
                    return Err(BadId {
                        what: $what,
                        value: s.to_string(),
                        reason: "it is blank",
                    });
                }
                Ok($name(s.to_string()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadId;

            fn try_from(s: String) -> Result<Self, BadId> {
                s.parse()
            }
        }

        serde_as_string!($name);
    };
}

text_id!(
    /// An org (tenant): `orgs.id`.
    OrgId,
    "org id"
);
text_id!(
    /// A Baton user: `users.id`.
    UserId,
    "user id"
);
uuid_id!(
    /// A sequence job: `sequence_jobs.id`.
    JobId,
    "job id",
    "",
    "expected a UUID"
);
uuid_id!(
    /// An event on `baton.events` (`event_id`).
    EventId,
    "event id",
    "",
    "expected a UUID"
);
uuid_id!(
    /// A human-in-the-loop gate: `slack_pending_actions.id`, shown as `pa_<uuid>`.
    PendingActionId,
    "pending action id",
    "pa_",
    "expected a UUID, optionally prefixed `pa_`"
);

impl JobId {
    /// A new, time-ordered job id.
    pub fn generate() -> Self {
        JobId(Uuid::now_v7())
    }
}

impl EventId {
    /// A new, time-ordered event id.
    pub fn generate() -> Self {
        EventId(Uuid::now_v7())
    }
}

impl PendingActionId {
    /// The gate a job opens at step `index` as its `gates_hit`-th gate: derived, so the
    /// router, a redelivered request and the gateway all name the same gate.
    pub fn for_gate(job: JobId, index: usize, gates_hit: u32) -> Self {
        PendingActionId(Uuid::new_v5(
            &job.0,
            format!("gate:{index}:{gates_hit}").as_bytes(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_action_id_shows_its_prefix_and_parses_with_or_without_it() {
        let uuid = Uuid::now_v7();
        let id = PendingActionId::from_uuid(uuid);
        assert_eq!(id.to_string(), format!("pa_{uuid}"));
        assert_eq!(id.to_string().parse::<PendingActionId>(), Ok(id));
        assert_eq!(uuid.to_string().parse::<PendingActionId>(), Ok(id));
        assert_eq!(id.uuid(), uuid);
        let err = "pa_nope".parse::<PendingActionId>().unwrap_err();
        assert_eq!(err.what, "pending action id");
        assert!(
            err.to_string().contains("optionally prefixed `pa_`"),
            "{err}"
        );
    }

    #[test]
    fn uuid_ids_show_plainly_and_refuse_a_prefix() {
        let job = JobId::generate();
        assert_eq!(job.to_string(), job.uuid().to_string());
        assert!(format!("pa_{job}").parse::<JobId>().is_err());
        let err = "x".parse::<EventId>().unwrap_err().to_string();
        assert_eq!(err, "event id `x` is not valid: expected a UUID");
    }

    #[test]
    fn text_ids_are_never_blank() {
        assert_eq!("org_a".parse::<OrgId>().unwrap().as_str(), "org_a");
        let err = " ".parse::<UserId>().unwrap_err();
        assert_eq!(err.to_string(), "user id ` ` is not valid: it is blank");
    }

    #[test]
    fn ids_serialize_as_their_string_form() {
        let id = PendingActionId::from_uuid(Uuid::nil());
        let json = serde_json::to_value(id).unwrap();
        assert_eq!(json, serde_json::json!(format!("pa_{}", Uuid::nil())));
        assert_eq!(serde_json::from_value::<PendingActionId>(json).unwrap(), id);
        let org: OrgId = serde_json::from_value(serde_json::json!("org_a")).unwrap();
        assert_eq!(org.as_str(), "org_a");
        assert!(serde_json::from_value::<OrgId>(serde_json::json!("")).is_err());
    }

    #[test]
    fn a_gate_id_is_the_same_for_the_same_job_step_and_count() {
        let job = JobId::generate();
        assert_eq!(
            PendingActionId::for_gate(job, 6, 1),
            PendingActionId::for_gate(job, 6, 1)
        );
        assert_ne!(
            PendingActionId::for_gate(job, 6, 1),
            PendingActionId::for_gate(job, 6, 2)
        );
    }
}
