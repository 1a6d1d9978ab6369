//! The OIDC bearer token on a Pub/Sub push: an RS256 JWT signed by Google, checked against
//! Google's keys (`google.jwks_url`, fetched once and again when a token names a key id not
//! yet seen — Google rotates them — at most every 30 s), for the configured audience, issued
//! by `accounts.google.com`, for the configured service account (its `email`, verified), and
//! not expired by the service's clock (a minute's leeway).

use std::{collections::HashMap, sync::Arc, time::Duration};

use baton_platform::config::GoogleConfig;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::verify::Unverified;

const AUTHORIZATION: &str = "authorization";
const ISSUERS: [&str; 2] = ["accounts.google.com", "https://accounts.google.com"];
const LEEWAY_S: i64 = 60;
const REFETCH_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Deserialize)]
struct Claims {
    exp: i64,
    email: Option<String>,
    email_verified: Option<bool>,
}

#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, DecodingKey>,
    fetched: Option<tokio::time::Instant>,
}

#[derive(Clone)]
pub struct Oidc {
    http: reqwest::Client,
    jwks_url: String,
    audience: Option<String>,
    account: Option<String>,
    keys: Arc<Mutex<Keys>>,
}

impl Oidc {
    pub fn new(cfg: &GoogleConfig) -> anyhow::Result<Self> {
        baton_platform::install_crypto_provider();
        Ok(Oidc {
            http: reqwest::Client::builder()
                .timeout(Duration::from_millis(cfg.timeout_ms))
                .build()?,
            jwks_url: cfg.jwks_url.clone(),
            audience: cfg.pubsub_audience.clone(),
            account: cfg.pubsub_service_account.clone(),
            keys: Arc::default(),
        })
    }

    /// Checks the `Authorization: Bearer` value of a push.
    pub async fn verify(
        &self,
        authorization: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Unverified> {
        let Some(audience) = &self.audience else {
            return Err(Unverified::Unconfigured);
        };
        let token = authorization
            .and_then(|a| a.strip_prefix("Bearer "))
            .ok_or(Unverified::Missing(AUTHORIZATION))?;
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| Unverified::Mismatch(AUTHORIZATION))?;
        let kid = header.kid.ok_or(Unverified::Mismatch(AUTHORIZATION))?;
        if header.alg != Algorithm::RS256 {
            return Err(Unverified::Mismatch(AUTHORIZATION));
        }
        let key = self
            .key(&kid)
            .await
            .ok_or(Unverified::Mismatch(AUTHORIZATION))?;
        let mut v = Validation::new(Algorithm::RS256);
        v.set_audience(&[audience]);
        v.set_issuer(&ISSUERS);
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        // Expiry on the service's clock (the database's), below.
        v.validate_exp = false;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &v)
            .map_err(|_| Unverified::Mismatch(AUTHORIZATION))?
            .claims;
        let late = now.timestamp() - claims.exp;
        if late > LEEWAY_S {
            return Err(Unverified::Stale(late));
        }
        if let Some(account) = &self.account
            && (claims.email.as_deref() != Some(account) || claims.email_verified != Some(true))
        {
            return Err(Unverified::Mismatch(AUTHORIZATION));
        }
        Ok(())
    }

    /// The key `kid`, fetching Google's keys when it is not known yet.
    async fn key(&self, kid: &str) -> Option<DecodingKey> {
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
            Err(e) => tracing::warn!(error = %e, "fetching Google's signing keys failed"),
        }
        keys.by_kid.get(kid).cloned()
    }

    async fn fetch(&self) -> anyhow::Result<HashMap<String, DecodingKey>> {
        let body = self
            .http
            .get(&self.jwks_url)
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
