//! JSON values carried in Avro `string` fields (payloads, drafts, outputs): typed as
//! `serde_json::Value` in Rust, text on the wire, so any Avro reader can still read them.

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

pub fn serialize<S: Serializer>(value: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_string())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    let text = String::deserialize(d)?;
    serde_json::from_str(&text).map_err(|e| D::Error::custom(format!("field is not JSON: {e}")))
}

pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<serde_json::Value>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<serde_json::Value>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| D::Error::custom(format!("field is not JSON: {e}"))),
            None => Ok(None),
        }
    }
}
