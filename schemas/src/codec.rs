//! Avro single-object encoding: `C3 01`, the writer schema's 8-byte little-endian Rabin
//! fingerprint, then the Avro binary datum.
//!
//! Decoding checks the marker and the fingerprint before touching the datum, requires the
//! datum to be consumed exactly, and then runs the message's own validation, so each way a
//! message can be bad has its own typed error and dead-letter class.
//!
//! Fingerprints follow the Avro specification ([`fingerprint`]), so messages written by other
//! languages' libraries (fastavro, the Java library) are read. Baton before 0.2 wrote the
//! fingerprint of apache-avro's canonical form, which differs for logical types; those
//! ([`legacy_fingerprint`]) are still read, while they may be in a topic's retention.

use std::{collections::HashMap, sync::LazyLock};

use apache_avro::{
    Schema, rabin::Rabin, reader::datum::GenericDatumReader, writer::datum::GenericDatumWriter,
};

use crate::{
    ApprovalDecision, ApprovalRequest, AuditRecord, ContextRequest, DeadLetter, DeadLetterClass,
    Message, Notification, OrchestratorEvent, StepRequest, StepResult, Topic, limits::Violation,
};

/// The single-object encoding marker.
pub const MARKER: [u8; 2] = [0xC3, 0x01];
const HEADER_LEN: usize = 10;

/// Why a message could not be decoded. Each maps to a dead-letter class.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not an Avro single-object message ({len} bytes, starting {prefix})")]
    NotAvro { len: usize, prefix: String },
    #[error(
        "expected a {expected} (fingerprint {expected_fingerprint}) but the message was written with {found}"
    )]
    UnknownFingerprint {
        expected: &'static str,
        expected_fingerprint: String,
        /// The fingerprint, and the schema it belongs to when it is one of ours.
        found: String,
    },
    #[error("malformed {schema} record: {reason}")]
    Malformed {
        schema: &'static str,
        reason: String,
    },
    #[error("invalid {schema}: {reason}")]
    Invalid {
        schema: &'static str,
        reason: String,
    },
    #[error("{schema} over a limit: {reason}")]
    TooLarge {
        schema: &'static str,
        reason: String,
    },
}

/// The dead-letter class of a decode failure.
pub trait ErrorClass {
    fn class(&self) -> DeadLetterClass;
}

impl ErrorClass for DecodeError {
    fn class(&self) -> DeadLetterClass {
        match self {
            DecodeError::NotAvro { .. } => DeadLetterClass::NotAvro,
            DecodeError::UnknownFingerprint { .. } => DeadLetterClass::UnknownFingerprint,
            DecodeError::Malformed { .. } => DeadLetterClass::MalformedRecord,
            DecodeError::Invalid { .. } => DeadLetterClass::Invalid,
            DecodeError::TooLarge { .. } => DeadLetterClass::TooLarge,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot encode {schema}: {reason}")]
pub struct EncodeError {
    pub schema: &'static str,
    pub reason: String,
}

macro_rules! history {
    ($schema:literal, $version:literal) => {
        (
            concat!($schema, "/", $version),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/history/",
                $schema,
                "/",
                $version,
                ".avsc"
            )),
        )
    };
}

/// A message type's schema: its name, text and topic, parsed, with its fingerprint.
pub struct SchemaEntry {
    pub name: &'static str,
    /// The `.avsc` text.
    pub text: &'static str,
    pub topic: Topic,
    pub schema: Schema,
    /// The specification's fingerprint: what Baton writes.
    pub fingerprint: [u8; 8],
    /// apache-avro's, which older Baton wrote; still read.
    pub legacy_fingerprint: [u8; 8],
}

/// The Rabin fingerprint (CRC-64-AVRO) of `schema`'s Parsing Canonical Form as the Avro
/// specification defines it. apache-avro 0.22 strips `logicalType` but then keeps the
/// object it leaves (`{"type":"long"}`) where the specification's [PRIMITIVES] rule reduces
/// it to `"long"`; that is corrected here, so the fingerprint is fastavro's and Java's.
pub fn fingerprint(schema: &Schema) -> [u8; 8] {
    let mut pcf = schema.canonical_form();
    for primitive in [
        "null", "boolean", "int", "long", "float", "double", "bytes", "string",
    ] {
        pcf = pcf.replace(
            &format!(r#"{{"type":"{primitive}"}}"#),
            &format!(r#""{primitive}""#),
        );
    }
    use digest::Digest;
    let mut out = [0u8; 8];
    out.copy_from_slice(&Rabin::digest(pcf.as_bytes())[..8]);
    out
}

/// The fingerprint older Baton wrote: apache-avro's canonical form, as it is.
pub fn legacy_fingerprint(schema: &Schema) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(&schema.fingerprint::<Rabin>().bytes[..8]);
    out
}

struct Registry {
    by_name: HashMap<&'static str, SchemaEntry>,
    by_fingerprint: HashMap<[u8; 8], &'static str>,
}

fn entry<M: Message>() -> SchemaEntry {
    // The .avsc files are compiled in and parsed by a unit test of every schema, so a
    // parse failure here is a build defect, not an input error.
    #[allow(clippy::expect_used)]
    let schema = Schema::parse_str(M::SCHEMA).expect("committed .avsc parses (tested)");
    SchemaEntry {
        name: M::NAME,
        text: M::SCHEMA,
        topic: M::TOPIC,
        fingerprint: fingerprint(&schema),
        legacy_fingerprint: legacy_fingerprint(&schema),
        schema,
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let entries = [
        entry::<OrchestratorEvent>(),
        entry::<ContextRequest>(),
        entry::<StepRequest>(),
        entry::<StepResult>(),
        entry::<ApprovalRequest>(),
        entry::<ApprovalDecision>(),
        entry::<Notification>(),
        entry::<AuditRecord>(),
        entry::<DeadLetter>(),
    ];
    let by_fingerprint = entries
        .iter()
        .flat_map(|e| [(e.fingerprint, e.name), (e.legacy_fingerprint, e.name)])
        .collect();
    let by_name = entries.into_iter().map(|e| (e.name, e)).collect();
    Registry {
        by_name,
        by_fingerprint,
    }
});

/// Every frozen version of every schema (`schemas/history/<schema>/vN.avsc`), so a message
/// written by a producer that is not yet upgraded is still read (Avro resolution fills the
/// fields added since). A compatibility test checks that this list names every file there.
pub const HISTORY: &[(&str, &str)] = &[
    history!("approval_decision", "v1"),
    history!("approval_decision", "v2"),
    history!("approval_request", "v1"),
    history!("audit_record", "v1"),
    history!("context_request", "v1"),
    history!("context_request", "v2"),
    history!("dead_letter", "v1"),
    history!("dead_letter", "v2"),
    history!("notification", "v1"),
    history!("orchestrator_event", "v1"),
    history!("step_request", "v1"),
    history!("step_result", "v1"),
];

/// Earlier versions by (record name, fingerprint), under both fingerprints.
static EARLIER: LazyLock<HashMap<(String, [u8; 8]), Schema>> = LazyLock::new(|| {
    HISTORY
        .iter()
        .filter_map(|(_, text)| Schema::parse_str(text).ok())
        .filter_map(|schema| {
            let name = schema.name()?.fullname(None);
            Some([
                ((name.clone(), fingerprint(&schema)), schema.clone()),
                ((name, legacy_fingerprint(&schema)), schema),
            ])
        })
        .flatten()
        .collect()
});

fn earlier_version(name: &str, fingerprint: &[u8]) -> Option<&'static Schema> {
    let fp: [u8; 8] = fingerprint.try_into().ok()?;
    EARLIER.get(&(name.to_string(), fp))
}

/// Every message type's schema (one per topic value).
pub fn entries() -> impl Iterator<Item = &'static SchemaEntry> {
    REGISTRY.by_name.values()
}

/// The parsed schema of message type `M`.
pub fn schema_of<M: Message>() -> &'static SchemaEntry {
    // Every Message type is listed in REGISTRY; a missing one fails every codec test.
    #[allow(clippy::expect_used)]
    REGISTRY
        .by_name
        .get(M::NAME)
        .expect("every Message type is registered")
}

/// Encodes `msg` as an Avro single-object message.
pub fn encode<M: Message>(msg: &M) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(&MARKER);
    out.extend_from_slice(&schema_of::<M>().fingerprint);
    write_datum(msg, &mut out)?;
    Ok(out)
}

/// Appends the bare Avro datum of `msg` (no framing) to `out`.
pub fn write_datum<M: Message>(msg: &M, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let err = |e: apache_avro::Error| EncodeError {
        schema: M::NAME,
        reason: e.to_string(),
    };
    let writer = GenericDatumWriter::builder(&schema_of::<M>().schema)
        .human_readable(false)
        .build()
        .map_err(err)?;
    writer.write_ser(out, msg).map_err(err)?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes and validates a single-object message of type `M`.
pub fn decode<M: Message>(bytes: &[u8]) -> Result<M, DecodeError> {
    let entry = schema_of::<M>();
    if bytes.len() < HEADER_LEN || bytes[..2] != MARKER {
        return Err(DecodeError::NotAvro {
            len: bytes.len(),
            prefix: hex(&bytes[..bytes.len().min(4)]),
        });
    }
    let fingerprint = &bytes[2..HEADER_LEN];
    if fingerprint != entry.fingerprint && fingerprint != entry.legacy_fingerprint {
        // Written by an earlier version of M (a producer not yet upgraded): resolve it.
        if let Some(earlier) = earlier_version(M::NAME, fingerprint) {
            return read_datum(&bytes[HEADER_LEN..], Some(earlier));
        }
        let found = match fingerprint
            .try_into()
            .ok()
            .and_then(|fp: [u8; 8]| REGISTRY.by_fingerprint.get(&fp))
        {
            Some(name) => format!("{name} ({})", hex(fingerprint)),
            None => format!("unknown schema {}", hex(fingerprint)),
        };
        return Err(DecodeError::UnknownFingerprint {
            expected: M::NAME,
            expected_fingerprint: hex(&entry.fingerprint),
            found,
        });
    }
    read_datum(&bytes[HEADER_LEN..], None)
}

/// Decodes and validates a bare Avro datum of type `M`. `writer` is the schema it was
/// written with when that is not `M`'s own (an earlier version from a schema registry): the
/// datum is then resolved to `M`'s schema by Avro's rules (defaults fill added fields).
pub fn read_datum<M: Message>(datum: &[u8], writer: Option<&Schema>) -> Result<M, DecodeError> {
    let entry = schema_of::<M>();
    let malformed = |reason: String| DecodeError::Malformed {
        schema: M::NAME,
        reason,
    };
    let writer = writer.filter(|w| w.canonical_form() != entry.schema.canonical_form());
    let mut datum = datum;
    let msg: M = match writer {
        None => GenericDatumReader::builder(&entry.schema)
            .human_readable(false)
            .build()
            .and_then(|r| r.read_deser(&mut datum))
            .map_err(|e| malformed(e.to_string()))?,
        Some(writer) => {
            let value = GenericDatumReader::builder(writer)
                .reader_schema(&entry.schema)
                .human_readable(false)
                .build()
                .and_then(|r| r.read_value(&mut datum))
                .map_err(|e| malformed(format!("reading with its writer schema: {e}")))?;
            apache_avro::from_value(&value).map_err(|e| malformed(e.to_string()))?
        }
    };
    if !datum.is_empty() {
        return Err(malformed(format!(
            "{} bytes left after the record: it was written with another schema",
            datum.len()
        )));
    }
    msg.validate().map_err(|v| match v {
        Violation::Invalid(reason) => DecodeError::Invalid {
            schema: M::NAME,
            reason,
        },
        Violation::TooLarge(reason) => DecodeError::TooLarge {
            schema: M::NAME,
            reason,
        },
    })?;
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_parses_and_fingerprints_are_distinct() {
        assert_eq!(REGISTRY.by_name.len(), 9);
        let spec: std::collections::HashSet<[u8; 8]> =
            REGISTRY.by_name.values().map(|e| e.fingerprint).collect();
        assert_eq!(spec.len(), 9, "one fingerprint per schema");
        let read: std::collections::HashSet<[u8; 8]> = REGISTRY
            .by_name
            .values()
            .flat_map(|e| [e.fingerprint, e.legacy_fingerprint])
            .collect();
        assert_eq!(
            REGISTRY.by_fingerprint.len(),
            read.len(),
            "no fingerprint, current or legacy, names two schemas"
        );
    }
}
