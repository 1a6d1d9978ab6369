//! How values are framed on the wire.
//!
//! - **Single-object** (default): `C3 01` + the schema's Rabin fingerprint + datum. Needs no
//!   registry.
//! - **Confluent** (`bus.schema_registry_url` set): `00` + the 4-byte big-endian schema id +
//!   datum, for Kafka Connect, ksqlDB and kcat interop. At start-up every Baton schema is
//!   registered under `<topic>-value` (topic-name strategy; registering an existing schema
//!   returns its id). Reading a message written with another registered schema (an earlier
//!   version) fetches that schema by id, caches it, and resolves the datum to ours.
//!
//! Both decoders accept both framings, so switching a deployment from one to the other loses
//! no message.

use std::{collections::HashMap, sync::Arc};

use baton_schemas::{DecodeError, EncodeError, Message};
use schema_registry_converter::{
    async_impl::{
        avro::AvroDecoder,
        schema_registry::{SrSettings, post_schema},
    },
    error::SRCError,
    schema_registry_common::{SchemaType, SuppliedSchema},
};

use crate::{Error, Result};

const CONFLUENT_MAGIC: u8 = 0;

/// The wire format of one deployment. Cheap to clone.
#[derive(Clone, Default)]
pub enum Wire {
    #[default]
    SingleObject,
    Confluent(Arc<Confluent>),
}

impl std::fmt::Debug for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wire::SingleObject => f.write_str("single-object"),
            Wire::Confluent(c) => write!(f, "confluent ({})", c.url),
        }
    }
}

pub struct Confluent {
    url: String,
    /// Registry id of each Baton schema, by record name.
    ids: HashMap<&'static str, u32>,
    /// Fetches and caches writer schemas by id.
    decoder: AvroDecoder,
}

/// Why a value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The registry could not be asked (down, refused, misconfigured): try again later.
    #[error("schema registry: {0}")]
    Registry(String),
}

fn registry_error(context: &str, e: &SRCError) -> Error {
    Error::Registry(format!("{context}: {e}"))
}

impl Wire {
    /// The configured wire format; in Confluent mode registers every schema first.
    pub async fn connect(registry_url: Option<&str>, topic_prefix: &str) -> Result<Wire> {
        let Some(url) = registry_url else {
            return Ok(Wire::SingleObject);
        };
        crate::install_crypto_provider();
        let settings = SrSettings::new(url.trim_end_matches('/').to_string());
        let mut ids = HashMap::new();
        for entry in baton_schemas::codec::entries() {
            let (name, schema, topic) = (entry.name, entry.text, entry.topic);
            let subject = format!("{}-value", topic.name(topic_prefix));
            let supplied =
                SuppliedSchema::new(Some(name.to_string()), SchemaType::Avro, schema.to_string());
            let registered = post_schema(&settings, subject.clone(), supplied)
                .await
                .map_err(|e| registry_error(&format!("registering {subject} at {url}"), &e))?;
            ids.insert(name, registered.id);
        }
        Ok(Wire::Confluent(Arc::new(Confluent {
            url: url.to_string(),
            ids,
            decoder: AvroDecoder::new(settings),
        })))
    }

    /// The registry id of `M`'s schema (Confluent mode).
    pub fn schema_id<M: Message>(&self) -> Option<u32> {
        match self {
            Wire::SingleObject => None,
            Wire::Confluent(c) => c.ids.get(M::NAME).copied(),
        }
    }

    pub fn encode<M: Message>(&self, msg: &M) -> Result<Vec<u8>, EncodeError> {
        match self.schema_id::<M>() {
            None => baton_schemas::encode(msg),
            Some(id) => {
                let mut out = Vec::with_capacity(256);
                out.push(CONFLUENT_MAGIC);
                out.extend_from_slice(&id.to_be_bytes());
                baton_schemas::write_datum(msg, &mut out)?;
                Ok(out)
            }
        }
    }

    pub async fn decode<M: Message>(&self, bytes: &[u8]) -> Result<M, WireError> {
        // Without a registry only single-object framing is read; with one, both are, and
        // anything else is reported as single-object decoding would (naming the bytes).
        let c = match self {
            Wire::Confluent(c) if bytes.len() >= 5 && bytes[0] == CONFLUENT_MAGIC => c,
            _ => return Ok(baton_schemas::decode(bytes)?),
        };
        let id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        let datum = &bytes[5..];
        if c.ids.get(M::NAME) == Some(&id) {
            return Ok(baton_schemas::read_datum(datum, None)?);
        }
        match c.decoder.get_schema(id).await {
            Ok(writer) => Ok(baton_schemas::read_datum(datum, Some(&writer.parsed))?),
            // The library reports the HTTP status only in its message.
            Err(e) if e.error.contains("status 404") => Err(DecodeError::UnknownFingerprint {
                expected: M::NAME,
                expected_fingerprint: format!("registry id {:?}", c.ids.get(M::NAME)),
                found: format!(
                    "schema id {id}, which the registry at {} does not know",
                    c.url
                ),
            }
            .into()),
            Err(e) => {
                // Do not let a transient failure be served from the library's cache.
                c.decoder.remove_errors_from_cache();
                Err(WireError::Registry(format!("fetching schema id {id}: {e}")))
            }
        }
    }
}
