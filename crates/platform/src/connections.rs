//! Connections: an org's credentials for the outside services Baton acts through — a Slack
//! workspace (bot token and signing secret, per team id) and each user's Google or
//! Microsoft mailbox and calendar (OAuth refresh tokens).
//!
//! Stored encrypted by envelope encryption: each credential is sealed with AES-256-GCM
//! under a data key of its own, and that data key is wrapped under a master key from
//! `[connections]` (by key id), both bound to the connection's id as associated data, so a
//! sealed value copied onto another row does not open. Rotating the master key rewraps the
//! data keys only ([`store::rotate`]); the database never sees a key. The secrets are
//! `SecretString`s once opened and never logged.

pub mod store;

use std::{collections::BTreeMap, fmt, str::FromStr};

use aes_gcm::{
    Aes256Gcm, Key, KeyInit, Nonce,
    aead::{Aead, Generate, Payload},
};
use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use uuid::Uuid;

use crate::config::ConnectionsConfig;

/// Whose API a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Slack,
    Google,
    Microsoft,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Slack => "slack",
            Provider::Google => "google",
            Provider::Microsoft => "microsoft",
        }
    }

    /// What its secret must hold: the fields, each a non-empty string.
    fn required(self) -> &'static [&'static str] {
        match self {
            Provider::Slack => &["bot_token", "signing_secret"],
            Provider::Google | Provider::Microsoft => &["refresh_token"],
        }
    }

    /// Checks a secret before it is stored; the error names the missing field.
    pub fn check(self, secret: &Value) -> Result<(), String> {
        let Some(obj) = secret.as_object() else {
            return Err(format!("a {self} credential is a JSON object"));
        };
        for field in self.required() {
            if obj
                .get(*field)
                .and_then(Value::as_str)
                .is_none_or(|v| v.trim().is_empty())
            {
                return Err(format!("a {self} credential needs a non-empty \"{field}\""));
            }
        }
        if self == Provider::Slack
            && !obj["bot_token"]
                .as_str()
                .is_some_and(|t| t.starts_with("xoxb-"))
        {
            return Err("a Slack bot_token starts with xoxb-".into());
        }
        Ok(())
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "slack" => Ok(Provider::Slack),
            "google" => Ok(Provider::Google),
            "microsoft" => Ok(Provider::Microsoft),
            _ => Err(format!(
                "unknown provider {s:?}: slack, google or microsoft"
            )),
        }
    }
}

/// A Slack workspace's credentials, opened.
#[derive(Clone)]
pub struct SlackWorkspace {
    pub team_id: String,
    pub bot_token: SecretString,
    pub signing_secret: SecretString,
}

/// A credential as stored: the wrapped data key and the sealed secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub wrapped_key: Vec<u8>,
    pub sealed: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("connections.{0}")]
    Config(String),
    #[error("connections.active_key is not set: adding or rotating credentials needs a master key")]
    NoActiveKey,
    #[error("the credential was wrapped with key {0:?}, which connections.keys does not have")]
    UnknownKey(String),
    #[error("the credential does not open with key {0:?}: wrong key, or the row was altered")]
    DoesNotOpen(String),
}

/// The configured master keys.
#[derive(Clone)]
pub struct Keyring {
    keys: BTreeMap<String, Key<Aes256Gcm>>,
    active: Option<String>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("keys", &self.keys.keys().collect::<Vec<_>>())
            .field("active", &self.active)
            .finish()
    }
}

impl Keyring {
    /// The keys of `[connections]`; each must be base64 of 32 bytes, and `active_key` one
    /// of them.
    pub fn new(c: &ConnectionsConfig) -> Result<Self, KeyError> {
        let mut keys = BTreeMap::new();
        for (id, b64) in &c.keys {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.expose_secret().trim())
                .map_err(|_| KeyError::Config(format!("keys.{id} is not base64")))?;
            let key = Key::<Aes256Gcm>::try_from(bytes.as_slice()).map_err(|_| {
                KeyError::Config(format!(
                    "keys.{id} must be 32 bytes (openssl rand -base64 32), not {}",
                    bytes.len()
                ))
            })?;
            keys.insert(id.clone(), key);
        }
        if let Some(a) = &c.active_key
            && !keys.contains_key(a)
        {
            return Err(KeyError::Config(format!(
                "active_key {a:?} is not one of connections.keys"
            )));
        }
        Ok(Keyring {
            keys,
            active: c.active_key.clone(),
        })
    }

    /// Seals `secret` for connection `id` under a new data key wrapped by the active key.
    pub fn seal(&self, id: Uuid, secret: &Value) -> Result<Sealed, KeyError> {
        let (key_id, master) = self.active()?;
        let data_key = Key::<Aes256Gcm>::generate();
        let plain = serde_json::to_vec(secret).unwrap_or_default();
        Ok(Sealed {
            key_id: key_id.to_string(),
            wrapped_key: encrypt(master, &aad(id, key_id), &data_key),
            sealed: encrypt(&data_key, &aad(id, "secret"), &plain),
        })
    }

    /// Opens connection `id`'s secret.
    pub fn open(&self, id: Uuid, s: &Sealed) -> Result<Value, KeyError> {
        let data_key = self.unwrap_key(id, s)?;
        let plain = decrypt(&data_key, &aad(id, "secret"), &s.sealed)
            .ok_or_else(|| KeyError::DoesNotOpen(s.key_id.clone()))?;
        serde_json::from_slice(&plain).map_err(|_| KeyError::DoesNotOpen(s.key_id.clone()))
    }

    /// The same secret with its data key wrapped by the active key instead; `None` when it
    /// already is.
    pub fn rewrap(&self, id: Uuid, s: &Sealed) -> Result<Option<Sealed>, KeyError> {
        let (key_id, master) = self.active()?;
        if s.key_id == key_id {
            return Ok(None);
        }
        let data_key = self.unwrap_key(id, s)?;
        Ok(Some(Sealed {
            key_id: key_id.to_string(),
            wrapped_key: encrypt(master, &aad(id, key_id), &data_key),
            sealed: s.sealed.clone(),
        }))
    }

    fn active(&self) -> Result<(&str, &Key<Aes256Gcm>), KeyError> {
        let id = self.active.as_deref().ok_or(KeyError::NoActiveKey)?;
        let key = self
            .keys
            .get(id)
            .ok_or_else(|| KeyError::UnknownKey(id.into()))?;
        Ok((id, key))
    }

    fn unwrap_key(&self, id: Uuid, s: &Sealed) -> Result<Key<Aes256Gcm>, KeyError> {
        let master = self
            .keys
            .get(&s.key_id)
            .ok_or_else(|| KeyError::UnknownKey(s.key_id.clone()))?;
        let raw = decrypt(master, &aad(id, &s.key_id), &s.wrapped_key)
            .ok_or_else(|| KeyError::DoesNotOpen(s.key_id.clone()))?;
        Key::<Aes256Gcm>::try_from(raw.as_slice())
            .map_err(|_| KeyError::DoesNotOpen(s.key_id.clone()))
    }
}

fn aad(id: Uuid, what: &str) -> Vec<u8> {
    format!("baton-connection:{id}:{what}").into_bytes()
}

/// `nonce ‖ ciphertext+tag`, a fresh random nonce each time.
fn encrypt(key: &Key<Aes256Gcm>, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let nonce = Nonce::generate();
    let sealed = Aes256Gcm::new(key)
        .encrypt(&nonce, Payload { msg: plain, aad })
        .unwrap_or_default();
    let mut out = nonce.to_vec();
    out.extend(sealed);
    out
}

fn decrypt(key: &Key<Aes256Gcm>, aad: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let (nonce, sealed) = data.split_at_checked(12)?;
    let nonce = Nonce::try_from(nonce).ok()?;
    Aes256Gcm::new(key)
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(keys: &[(&str, &str)], active: &str) -> ConnectionsConfig {
        ConnectionsConfig {
            keys: keys
                .iter()
                .map(|(k, v)| (k.to_string(), SecretString::from(v.to_string())))
                .collect(),
            active_key: Some(active.into()),
        }
    }

    const K1: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    const K2: &str = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    #[test]
    fn a_secret_opens_for_its_own_row_only_and_survives_rotation() {
        let one = Keyring::new(&config(&[("k1", K1)], "k1")).unwrap();
        let (id, other) = (Uuid::now_v7(), Uuid::now_v7());
        let secret = json!({ "bot_token": "xoxb-1", "signing_secret": "s" });
        let s = one.seal(id, &secret).unwrap();
        assert!(!String::from_utf8_lossy(&s.sealed).contains("xoxb"));
        assert_eq!(one.open(id, &s).unwrap(), secret);
        assert!(matches!(one.open(other, &s), Err(KeyError::DoesNotOpen(_))));

        // k2 becomes active: k1's rows still open, and rewrap moves them to k2.
        let both = Keyring::new(&config(&[("k1", K1), ("k2", K2)], "k2")).unwrap();
        assert_eq!(both.open(id, &s).unwrap(), secret);
        let moved = both.rewrap(id, &s).unwrap().unwrap();
        assert_eq!(moved.key_id, "k2");
        assert_eq!(both.rewrap(id, &moved).unwrap(), None);
        let only_k2 = Keyring::new(&config(&[("k2", K2)], "k2")).unwrap();
        assert_eq!(only_k2.open(id, &moved).unwrap(), secret);
        assert!(matches!(only_k2.open(id, &s), Err(KeyError::UnknownKey(k)) if k == "k1"));
    }

    #[test]
    fn bad_keys_and_credentials_are_named() {
        let e = Keyring::new(&config(&[("k1", "c2hvcnQ=")], "k1")).unwrap_err();
        assert!(e.to_string().contains("keys.k1 must be 32 bytes"), "{e}");
        let e = Keyring::new(&config(&[("k1", K1)], "k9")).unwrap_err();
        assert!(e.to_string().contains("active_key \"k9\""), "{e}");
        let none = Keyring::new(&ConnectionsConfig::default()).unwrap();
        assert!(matches!(
            none.seal(Uuid::now_v7(), &json!({})),
            Err(KeyError::NoActiveKey)
        ));
        let e = Provider::Slack
            .check(&json!({ "bot_token": "xoxb-1" }))
            .unwrap_err();
        assert!(e.contains("\"signing_secret\""), "{e}");
        assert!(
            Provider::Google
                .check(&json!({ "refresh_token": "" }))
                .is_err()
        );
        assert!(
            Provider::Microsoft
                .check(&json!({ "refresh_token": "r" }))
                .is_ok()
        );
    }
}
