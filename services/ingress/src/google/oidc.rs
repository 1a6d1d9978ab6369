//! The OIDC bearer token on a Pub/Sub push: an RS256 JWT signed by Google, checked against
//! Google's keys (`google.jwks_url`, through [`baton_platform::jwks`]), for the configured audience, issued
//! by `accounts.google.com`, for the configured service account (its `email`, verified), and
//! not expired by the service's clock (a minute's leeway).

use std::time::Duration;

use baton_platform::{config::GoogleConfig, jwks::Jwks};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use crate::verify::Unverified;

const AUTHORIZATION: &str = "authorization";
const ISSUERS: [&str; 2] = ["accounts.google.com", "https://accounts.google.com"];
const LEEWAY_S: i64 = 60;

#[derive(Debug, Deserialize)]
struct Claims {
    exp: i64,
    email: Option<String>,
    email_verified: Option<bool>,
}

#[derive(Clone)]
pub struct Oidc {
    keys: Jwks,
    audience: Option<String>,
    account: Option<String>,
}

impl Oidc {
    pub fn new(cfg: &GoogleConfig) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(cfg.timeout_ms);
        Ok(Oidc {
            keys: Jwks::new("google", &cfg.jwks_url, timeout)?,
            audience: cfg.pubsub_audience.clone(),
            account: cfg.pubsub_service_account.clone(),
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
            .keys
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
}
