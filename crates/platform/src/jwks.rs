//! An OpenID provider's signing keys (a JWKS URL): fetched once, and again when a token names
//! a key id not seen yet — providers rotate them — at most every [`REFETCH_AFTER`]. Used for
//! Google's Pub/Sub push tokens (the ingress) and Slack's sign-in ID tokens (the console).

use std::{collections::HashMap, sync::Arc, time::Duration};

use jsonwebtoken::{DecodingKey, jwk::JwkSet};
use tokio::sync::Mutex;

/// A token naming an unknown key makes a refetch no sooner than this after the last one.
pub const REFETCH_AFTER: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, DecodingKey>,
    fetched: Option<tokio::time::Instant>,
}

/// The keys at one JWKS URL.
#[derive(Clone)]
pub struct Jwks {
    http: reqwest::Client,
    url: String,
    /// Whose keys, for the log.
    provider: &'static str,
    keys: Arc<Mutex<Keys>>,
}

impl Jwks {
    pub fn new(provider: &'static str, url: &str, timeout: Duration) -> anyhow::Result<Self> {
        crate::install_crypto_provider();
        Ok(Jwks {
            http: reqwest::Client::builder().timeout(timeout).build()?,
            url: url.to_string(),
            provider,
            keys: Arc::default(),
        })
    }

    /// The key `kid`, fetching the provider's keys when it is not known yet.
    pub async fn key(&self, kid: &str) -> Option<DecodingKey> {
        let mut keys = self.keys.lock().await;
        if let Some(k) = keys.by_kid.get(kid) {
            return Some(k.clone());
        }
        if keys.fetched.is_some_and(|at| at.elapsed() < REFETCH_AFTER) {
            return None;
        }
        keys.fetched = Some(tokio::time::Instant::now());
        match self.fetch().await {
            Ok(fresh) => keys.by_kid = fresh,
            Err(e) => {
                tracing::warn!(provider = self.provider, error = %e, "fetching signing keys failed")
            }
        }
        keys.by_kid.get(kid).cloned()
    }

    async fn fetch(&self) -> anyhow::Result<HashMap<String, DecodingKey>> {
        let body = self
            .http
            .get(&self.url)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let set: JwkSet = serde_json::from_slice(&body)?;
        Ok(set
            .keys
            .iter()
            .filter_map(|k| Some((k.common.key_id.clone()?, DecodingKey::from_jwk(k).ok()?)))
            .collect())
    }
}
