//! CloudEvents binary content mode for Kafka: the event's attributes travel as `ce_*` headers
//! next to the Avro value, so standard tooling can route and inspect messages without
//! decoding them.

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::Message;

/// Message headers, in order. Values are text: all of ours are.
pub type Headers = Vec<(String, String)>;

pub const CONTENT_TYPE: &str = "avro/binary";

/// The CloudEvents attributes of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct CeHeaders {
    /// UUIDv7 message id: the consumer's inbox dedupes on it.
    pub id: String,
    pub ty: String,
    /// `/baton/<service>`.
    pub source: String,
    pub subject: Option<String>,
    pub time: DateTime<Utc>,
}

impl CeHeaders {
    /// Fresh attributes for `msg` produced by `service` at `time`.
    pub fn for_message<M: Message>(msg: &M, service: &str, time: DateTime<Utc>) -> Self {
        CeHeaders {
            id: Uuid::now_v7().to_string(),
            ty: M::NAME.to_string(),
            source: format!("/baton/{service}"),
            subject: msg.subject(),
            time,
        }
    }

    pub fn to_headers(&self) -> Headers {
        let mut h = vec![
            ("ce_specversion".to_string(), "1.0".to_string()),
            ("ce_id".to_string(), self.id.clone()),
            ("ce_type".to_string(), self.ty.clone()),
            ("ce_source".to_string(), self.source.clone()),
            (
                "ce_time".to_string(),
                self.time.to_rfc3339_opts(SecondsFormat::Millis, true),
            ),
            ("content-type".to_string(), CONTENT_TYPE.to_string()),
        ];
        if let Some(subject) = &self.subject {
            h.push(("ce_subject".to_string(), subject.clone()));
        }
        h
    }

    /// Reads the attributes back; `None` when a required one (`ce_id`, `ce_type`,
    /// `ce_source`) is missing.
    pub fn from_headers(headers: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        Some(CeHeaders {
            id: get("ce_id")?,
            ty: get("ce_type")?,
            source: get("ce_source")?,
            subject: get("ce_subject"),
            time: get("ce_time")
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(Utc::now),
        })
    }
}

/// The value of header `name`, if present.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuditRecord;

    #[test]
    fn headers_round_trip() {
        let audit = AuditRecord {
            audit_id: Uuid::now_v7().to_string(),
            org_id: "org_a".into(),
            job_id: Some("job-1".into()),
            service: "router".into(),
            actor: "system".into(),
            action: "job.created".into(),
            detail: serde_json::json!({}),
            occurred_at: Utc::now(),
        };
        let ce = CeHeaders::for_message(&audit, "router", Utc::now());
        let headers = ce.to_headers();
        assert_eq!(header(&headers, "ce_subject"), Some("job-1"));
        assert_eq!(header(&headers, "ce_specversion"), Some("1.0"));
        let back = CeHeaders::from_headers(&headers).map(|c| (c.id, c.ty, c.source));
        assert_eq!(back, Some((ce.id, ce.ty, "/baton/router".into())));
        assert!(
            CeHeaders::from_headers(&headers[2..]).is_none(),
            "ce_id missing"
        );
    }
}
