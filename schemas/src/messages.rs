//! One Rust type per topic value, field for field the records in `schemas/avro/`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Message, Topic,
    limits::{self, Limits, Violation},
};

type Timestamp = DateTime<Utc>;

macro_rules! avsc {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/avro/", $file))
    };
}

fn require_uuid(field: &str, value: &str) -> Result<(), String> {
    uuid::Uuid::parse_str(value)
        .map(drop)
        .map_err(|_| format!("{field} must be a UUID"))
}

fn require_pending_action(field: &str, value: &str) -> Result<(), String> {
    value
        .parse::<crate::PendingActionId>()
        .map(drop)
        .map_err(|_| format!("{field} must be a pending action id (pa_<uuid>, or the bare UUID)"))
}

fn require_non_empty(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{field} must not be empty"))
    } else {
        Ok(())
    }
}

fn require_object(field: &str, value: &serde_json::Value) -> Result<(), String> {
    if value.is_object() {
        Ok(())
    } else {
        Err(format!("{field} must be a JSON object"))
    }
}

/// The payload fits the payload limit, a transcript in it the transcript limit, and it holds
/// no NUL character (keys included).
fn require_payload(value: &serde_json::Value, limits: &Limits) -> Result<(), Violation> {
    limits::json_bytes_at_most("payload", value, limits.payload_bytes, "payload_bytes")?;
    if let Some(t) = value.get("transcript") {
        limits::json_bytes_at_most(
            "payload.transcript",
            t,
            limits.transcript_bytes,
            "transcript_bytes",
        )?;
    }
    fn has_nul(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(a) => a.iter().any(has_nul),
            serde_json::Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    if has_nul(value) {
        return Err(Violation::Invalid(
            "payload contains a NUL character".into(),
        ));
    }
    Ok(())
}

/// A system event (`baton.events`): the seed's interface plus identity, time, chain depth and
/// dedupe key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrchestratorEvent {
    pub event_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub source: String,
    pub org_id: String,
    pub user_id: String,
    #[serde(with = "crate::json_text")]
    pub payload: serde_json::Value,
    pub parent_job_id: Option<String>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub occurred_at: Timestamp,
    pub chain_depth: i32,
    pub dedupe_key: Option<String>,
}

impl Message for OrchestratorEvent {
    const NAME: &'static str = "io.baton.v1.OrchestratorEvent";
    const SCHEMA: &'static str = avsc!("orchestrator_event.avsc");
    const TOPIC: Topic = Topic::Events;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        format!("{}:{}", self.org_id, self.user_id)
    }
    fn subject(&self) -> Option<String> {
        self.parent_job_id.clone()
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("event_id", &self.event_id)?;
        require_non_empty("type", &self.event_type)?;
        require_non_empty("source", &self.source)?;
        require_non_empty("org_id", &self.org_id)?;
        require_non_empty("user_id", &self.user_id)?;
        let limits = limits::current();
        limits::chars_at_most("type", &self.event_type, limits.event_type_chars)?;
        limits::chars_at_most("source", &self.source, limits.source_chars)?;
        limits::chars_at_most("org_id", &self.org_id, limits.id_chars)?;
        limits::chars_at_most("user_id", &self.user_id, limits.id_chars)?;
        if let Some(key) = &self.dedupe_key {
            limits::chars_at_most("dedupe_key", key, limits.dedupe_key_chars)?;
        }
        require_object("payload", &self.payload)?;
        require_payload(&self.payload, &limits)?;
        if let Some(parent) = &self.parent_job_id {
            require_uuid("parent_job_id", parent)?;
        }
        if self.chain_depth < 0 {
            return Err("chain_depth must not be negative".into());
        }
        Ok(())
    }
}

/// Router → context-loader: load these tiers for a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextRequest {
    pub job_id: String,
    pub org_id: String,
    pub user_id: String,
    pub event_type: String,
    pub tiers: Vec<i32>,
    pub tier3_sources: Vec<String>,
    pub contact_id: Option<String>,
    pub deal_id: Option<String>,
    /// Other contacts taking part (a meeting's attendees, a thread's cc).
    #[serde(default)]
    pub participant_contact_ids: Vec<String>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub requested_at: Timestamp,
}

impl Message for ContextRequest {
    const NAME: &'static str = "io.baton.v1.ContextRequest";
    const SCHEMA: &'static str = avsc!("context_request.avsc");
    const TOPIC: Topic = Topic::ContextRequests;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.job_id.clone()
    }
    fn subject(&self) -> Option<String> {
        Some(self.job_id.clone())
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("job_id", &self.job_id)?;
        require_non_empty("org_id", &self.org_id)?;
        if let Some(tier) = self.tiers.iter().find(|t| !(1..=3).contains(*t)) {
            return Err(format!("tiers must be 1, 2 or 3, got {tier}").into());
        }
        Ok(())
    }
}

/// Router → step-executor: run one step of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRequest {
    pub job_id: String,
    pub org_id: String,
    pub user_id: String,
    pub step_index: i32,
    pub step_name: String,
    pub attempt: i32,
    pub sequence_version: String,
    pub idempotency_key: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub requested_at: Timestamp,
}

impl Message for StepRequest {
    const NAME: &'static str = "io.baton.v1.StepRequest";
    const SCHEMA: &'static str = avsc!("step_request.avsc");
    const TOPIC: Topic = Topic::StepRequests;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.job_id.clone()
    }
    fn subject(&self) -> Option<String> {
        Some(self.job_id.clone())
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("job_id", &self.job_id)?;
        require_non_empty("org_id", &self.org_id)?;
        if self.step_index < 0 || self.attempt < 1 {
            return Err("step_index must be ≥ 0 and attempt ≥ 1".into());
        }
        Ok(())
    }
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum StepStatus: "step status" {
        Succeeded = "succeeded", Failed = "failed", Skipped = "skipped", Deferred = "deferred",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextLoaded {
    #[serde(with = "crate::json_text")]
    pub context: serde_json::Value,
    pub skipped_sources: Vec<String>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub loaded_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepFinished {
    pub step_index: i32,
    pub step_name: String,
    pub attempt: i32,
    pub status: StepStatus,
    #[serde(with = "crate::json_text::option")]
    pub output: Option<serde_json::Value>,
    pub error: Option<String>,
    pub retryable: bool,
    pub cost_usd: f64,
    pub duration_ms: i64,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub finished_at: Timestamp,
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum Resolution: "resolution" {
        Approve = "approve", Edit = "edit", Skip = "skip", Cancel = "cancel",
        Expired = "expired",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalResolved {
    pub pending_action_id: String,
    pub step_index: i32,
    pub decision: Resolution,
    pub decided_by: Option<String>,
    #[serde(with = "crate::json_text::option")]
    pub user_modifications: Option<serde_json::Value>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub resolved_at: Timestamp,
}

/// The union in `StepResult.result`; variant order is the union's branch order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StepOutcome {
    ContextLoaded(ContextLoaded),
    StepFinished(StepFinished),
    ApprovalResolved(ApprovalResolved),
}

/// Context-loader, step-executor, approval-gateway → router: something happened to a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    pub result_id: String,
    pub job_id: String,
    pub org_id: String,
    pub result: StepOutcome,
}

impl Message for StepResult {
    const NAME: &'static str = "io.baton.v1.StepResult";
    const SCHEMA: &'static str = avsc!("step_result.avsc");
    const TOPIC: Topic = Topic::StepResults;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.job_id.clone()
    }
    fn subject(&self) -> Option<String> {
        Some(self.job_id.clone())
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("result_id", &self.result_id)?;
        require_uuid("job_id", &self.job_id)?;
        require_non_empty("org_id", &self.org_id)?;
        if let StepOutcome::ContextLoaded(c) = &self.result {
            require_object("context", &c.context)?;
        }
        Ok(())
    }
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum TimeoutAction: "timeout action" {
        Skip = "skip", Cancel = "cancel",
    }
}

/// Router → approval-gateway: a job reached a human-in-the-loop gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    pub pending_action_id: String,
    pub job_id: String,
    pub org_id: String,
    pub user_id: String,
    pub step_index: i32,
    pub step_name: String,
    pub pattern: String,
    #[serde(with = "crate::json_text")]
    pub draft: serde_json::Value,
    pub editable_fields: Vec<String>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub expires_at: Timestamp,
    pub on_timeout: TimeoutAction,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub requested_at: Timestamp,
}

impl Message for ApprovalRequest {
    const NAME: &'static str = "io.baton.v1.ApprovalRequest";
    const SCHEMA: &'static str = avsc!("approval_request.avsc");
    const TOPIC: Topic = Topic::ApprovalRequests;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.job_id.clone()
    }
    fn subject(&self) -> Option<String> {
        Some(self.job_id.clone())
    }
    fn validate(&self) -> Result<(), Violation> {
        require_pending_action("pending_action_id", &self.pending_action_id)?;
        require_uuid("job_id", &self.job_id)?;
        Ok(require_object("draft", &self.draft)?)
    }
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum Decision: "decision" {
        Approve = "approve", Edit = "edit", Skip = "skip", Cancel = "cancel",
    }
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum DecisionChannel: "decision channel" {
        Slack = "slack", Web = "web", Cli = "cli",
    }
}

/// Slack gateway, web inbox, CLI → approval-gateway: what the rep chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalDecision {
    pub decision_id: String,
    pub pending_action_id: String,
    pub org_id: String,
    pub decision: Decision,
    pub decided_by: String,
    pub via: DecisionChannel,
    #[serde(with = "crate::json_text::option")]
    pub user_modifications: Option<serde_json::Value>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub decided_at: Timestamp,
    /// Via Slack: the workspace the deciding user belongs to.
    #[serde(default)]
    pub slack_team_id: Option<String>,
    /// Via the CLI: who ran it.
    #[serde(default)]
    pub operator: Option<String>,
    /// Via the CLI: deciding another user's gate as an admin.
    #[serde(default)]
    pub as_admin: bool,
}

impl Message for ApprovalDecision {
    const NAME: &'static str = "io.baton.v1.ApprovalDecision";
    const SCHEMA: &'static str = avsc!("approval_decision.avsc");
    const TOPIC: Topic = Topic::ApprovalDecisions;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        // One gate, one partition, whichever form the producer wrote the id in.
        self.pending_action_id
            .parse::<crate::PendingActionId>()
            .map_or_else(|_| self.pending_action_id.clone(), |id| id.to_string())
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("decision_id", &self.decision_id)?;
        require_pending_action("pending_action_id", &self.pending_action_id)?;
        require_non_empty("decided_by", &self.decided_by)?;
        match (&self.decision, &self.user_modifications) {
            (Decision::Edit, Some(m)) => Ok(require_object("user_modifications", m)?),
            (Decision::Edit, None) => Err("an edit decision needs user_modifications".into()),
            (_, Some(_)) => Err("only an edit decision carries user_modifications".into()),
            (_, None) => Ok(()),
        }
    }
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum NotificationKind: "notification kind" {
        Inform = "inform", Approval = "approval",
    }
}

/// Router, approval-gateway → notifier: a message for a rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub notification_id: String,
    pub org_id: String,
    pub user_id: String,
    pub kind: NotificationKind,
    pub text: String,
    #[serde(with = "crate::json_text::option")]
    pub blocks: Option<serde_json::Value>,
    pub job_id: Option<String>,
    pub pending_action_id: Option<String>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: Timestamp,
}

impl Message for Notification {
    const NAME: &'static str = "io.baton.v1.Notification";
    const SCHEMA: &'static str = avsc!("notification.avsc");
    const TOPIC: Topic = Topic::Notifications;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.user_id.clone()
    }
    fn subject(&self) -> Option<String> {
        self.job_id.clone()
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("notification_id", &self.notification_id)?;
        require_non_empty("user_id", &self.user_id)?;
        if let Some(job) = &self.job_id {
            require_uuid("job_id", job)?;
        }
        if let Some(gate) = &self.pending_action_id {
            require_pending_action("pending_action_id", gate)?;
        }
        if let Some(blocks) = &self.blocks
            && !blocks.is_array()
        {
            return Err("blocks must be a JSON array of Block Kit blocks".into());
        }
        Ok(())
    }
}

/// Every service → ops: what was done, or deliberately not done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub audit_id: String,
    pub org_id: String,
    pub job_id: Option<String>,
    pub service: String,
    pub actor: String,
    pub action: String,
    #[serde(with = "crate::json_text")]
    pub detail: serde_json::Value,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub occurred_at: Timestamp,
}

impl Message for AuditRecord {
    const NAME: &'static str = "io.baton.v1.AuditRecord";
    const SCHEMA: &'static str = avsc!("audit_record.avsc");
    const TOPIC: Topic = Topic::Audit;

    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }

    fn key(&self) -> String {
        self.job_id.clone().unwrap_or_else(|| self.org_id.clone())
    }
    fn subject(&self) -> Option<String> {
        self.job_id.clone()
    }
    fn validate(&self) -> Result<(), Violation> {
        require_uuid("audit_id", &self.audit_id)?;
        require_non_empty("action", &self.action)?;
        Ok(require_object("detail", &self.detail)?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    #[serde(with = "serde_bytes_vec")]
    pub value: Vec<u8>,
}

crate::str_enum! {
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum DeadLetterClass: "dead-letter class" {
        NotAvro = "not_avro", UnknownFingerprint = "unknown_fingerprint",
        MalformedRecord = "malformed_record", Invalid = "invalid",
        HandlerRejected = "handler_rejected", TooLarge = "too_large",
        RetriesExhausted = "retries_exhausted",
    }
}

/// A message a consumer could not accept, kept whole with where it came from and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub original_topic: String,
    pub original_partition: i32,
    pub original_offset: i64,
    #[serde(with = "serde_bytes_opt")]
    pub original_key: Option<Vec<u8>>,
    #[serde(with = "serde_bytes_vec")]
    pub original_value: Vec<u8>,
    pub original_headers: Vec<Header>,
    pub consumer_group: String,
    pub error_class: DeadLetterClass,
    pub error_message: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub failed_at: Timestamp,
}

impl Message for DeadLetter {
    const NAME: &'static str = "io.baton.v1.DeadLetter";
    const SCHEMA: &'static str = avsc!("dead_letter.avsc");
    const TOPIC: Topic = Topic::DeadLetter;

    fn key(&self) -> String {
        self.original_key
            .as_deref()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .unwrap_or_default()
    }
}

/// Avro `bytes` through serde: serialize as bytes, not as a sequence of u8.
mod serde_bytes_vec {
    use serde::{Deserializer, Serializer, de::Visitor};
    use std::fmt;

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub(super) struct BytesVisitor;
    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("bytes")
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        d.deserialize_byte_buf(BytesVisitor)
    }
}

mod serde_bytes_opt {
    use serde::{Deserializer, Serializer, de::Visitor};
    use std::fmt;

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_some(&Bytes(b)),
            None => s.serialize_none(),
        }
    }

    struct Bytes<'a>(&'a [u8]);
    impl serde::Serialize for Bytes<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<Vec<u8>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("optional bytes")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_byte_buf(super::serde_bytes_vec::BytesVisitor)
                .map(Some)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        d.deserialize_option(OptVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serde (Avro enum symbols, JSON) and `as_str` (database, logs) name every value alike.
    fn serde_names_match<T: Serialize + Copy + std::fmt::Display>(all: &[T]) {
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), v.to_string());
        }
    }

    fn event() -> OrchestratorEvent {
        OrchestratorEvent {
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: "meeting_ended".into(),
            source: "test".into(),
            org_id: "org_a".into(),
            user_id: "u_a".into(),
            payload: serde_json::json!({"meeting_id": "m1"}),
            parent_job_id: None,
            occurred_at: chrono::Utc::now(),
            chain_depth: 0,
            dedupe_key: None,
        }
    }

    #[test]
    fn an_event_over_a_limit_is_too_large_and_says_which() {
        let limits = Limits::default();
        assert_eq!(event().validate(), Ok(()));
        let mut e = event();
        e.event_type = "x".repeat(limits.event_type_chars + 1);
        assert_eq!(
            e.validate(),
            Err(Violation::TooLarge(format!(
                "type is {} characters; the limit is {} (limits.event_type_chars)",
                limits.event_type_chars + 1,
                limits.event_type_chars
            )))
        );
        let mut e = event();
        e.payload = serde_json::json!({"notes": "a".repeat(limits.payload_bytes)});
        assert!(
            matches!(e.validate(), Err(Violation::TooLarge(r)) if r.starts_with("payload is ")),
            "{:?}",
            e.validate()
        );
        let mut e = event();
        e.payload = serde_json::json!({"transcript": "a".repeat(limits.transcript_bytes)});
        e.payload = serde_json::json!({"transcript": {"segments": [e.payload["transcript"]]}});
        let bigger = Limits {
            payload_bytes: 4 * limits.transcript_bytes,
            ..limits
        };
        assert!(matches!(
            crate::messages::require_payload(&e.payload, &bigger),
            Err(Violation::TooLarge(r)) if r.starts_with("payload.transcript is ") && r.ends_with("(limits.transcript_bytes)")
        ));
        let mut e = event();
        e.dedupe_key = Some("k".repeat(limits.dedupe_key_chars + 1));
        assert!(
            matches!(e.validate(), Err(Violation::TooLarge(r)) if r.starts_with("dedupe_key is "))
        );
    }

    #[test]
    fn a_nul_anywhere_in_an_event_is_invalid() {
        let mut e = event();
        e.payload = serde_json::json!({"note": "a\u{0}b"});
        assert_eq!(
            e.validate(),
            Err(Violation::Invalid(
                "payload contains a NUL character".into()
            ))
        );
        let mut e = event();
        e.user_id = "u\u{0}".into();
        assert_eq!(
            e.validate(),
            Err(Violation::Invalid(
                "user_id contains a NUL character".into()
            ))
        );
    }

    #[test]
    fn every_enum_has_one_string_form() {
        serde_names_match(StepStatus::ALL);
        serde_names_match(Resolution::ALL);
        serde_names_match(TimeoutAction::ALL);
        serde_names_match(Decision::ALL);
        serde_names_match(DecisionChannel::ALL);
        serde_names_match(NotificationKind::ALL);
        serde_names_match(DeadLetterClass::ALL);
    }

    #[test]
    fn a_decision_names_its_gate_with_or_without_the_prefix_and_keys_it_one_way() {
        let gate = crate::PendingActionId::from_uuid(uuid::Uuid::now_v7());
        let mut d = ApprovalDecision {
            decision_id: uuid::Uuid::now_v7().to_string(),
            pending_action_id: gate.to_string(),
            org_id: "org_a".into(),
            decision: Decision::Approve,
            decided_by: "u_a".into(),
            via: DecisionChannel::Slack,
            user_modifications: None,
            decided_at: chrono::Utc::now(),
            slack_team_id: None,
            operator: None,
            as_admin: false,
        };
        assert_eq!(d.validate(), Ok(()));
        let prefixed = d.key();
        d.pending_action_id = gate.uuid().to_string();
        assert_eq!(d.validate(), Ok(()));
        assert_eq!(d.key(), prefixed);
        d.pending_action_id = "pa_".into();
        assert!(
            d.validate()
                .unwrap_err()
                .to_string()
                .contains("pending_action_id")
        );
    }
}
