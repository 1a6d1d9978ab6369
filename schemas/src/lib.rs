//! Baton's wire contract: the Avro schema of every topic value (`schemas/avro/*.avsc`, the
//! source of truth), the Rust type of each, the codec that frames them on the wire, and the
//! CloudEvents binary-mode headers every message carries.
//!
//! Framing is Avro single-object encoding (`C3 01` + 8-byte Rabin fingerprint + datum): a
//! message says which schema wrote it, so no registry server is needed to read it.

pub mod cloudevents;
pub mod codec;
pub mod ids;
mod json_text;
pub mod limits;
pub mod messages;
mod str_enum;
mod topic;

pub use cloudevents::{CeHeaders, Headers};
pub use codec::{
    DecodeError, EncodeError, ErrorClass, decode, encode, read_datum, schema_of, write_datum,
};
pub use ids::{BadId, EventId, JobId, OrgId, PendingActionId, UserId};
pub use messages::*;
pub use str_enum::UnknownValue;
pub use topic::Topic;

/// A value of one topic: its schema, its topic and its partition key.
pub trait Message: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static {
    /// The record's full name in its `.avsc` (also the CloudEvents `ce_type`).
    const NAME: &'static str;
    /// The `.avsc` text.
    const SCHEMA: &'static str;
    /// The topic this message is published on.
    const TOPIC: Topic;

    /// The partition key: ordering holds only within one key.
    fn key(&self) -> String;
    /// The org the message is for (every message but a dead letter names one). The bus tags
    /// the message's row with it, and a consumer checks the two agree.
    fn org_id(&self) -> Option<&str> {
        None
    }
    /// The CloudEvents subject (the job id, when there is one).
    fn subject(&self) -> Option<String> {
        None
    }
    /// Checks what Avro cannot express (ids are ids, JSON fields are objects).
    fn validate(&self) -> Result<(), limits::Violation> {
        Ok(())
    }
}
