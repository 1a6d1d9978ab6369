//! `[google]`: the Google APIs Baton calls for a connected user (Calendar, Gmail),
//! each with a configurable base URL (a local server in tests), and the OAuth client whose
//! refresh tokens the connections hold.

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct GoogleConfig {
    /// OAuth 2.0 base: `{oauth_base_url}/token` exchanges a refresh token for an access token.
    pub oauth_base_url: String,
    /// The consent page (OAuth 2.0 authorize endpoint) the console sends a user connecting
    /// their mailbox and calendar to.
    pub consent_url: String,
    /// Calendar API v3 base.
    pub calendar_base_url: String,
    /// Gmail API v1 base.
    pub gmail_base_url: String,
    /// Google's signing keys for the OIDC tokens Pub/Sub pushes carry.
    pub jwks_url: String,
    /// The audience the Gmail push subscription's tokens are issued for; unset = every
    /// Gmail push is refused.
    pub pubsub_audience: Option<String>,
    /// The service account the push subscription authenticates as (the token's `email`);
    /// unset = any Google-signed token for the audience.
    pub pubsub_service_account: Option<String>,
    /// The Pub/Sub topic `users.watch` publishes a mailbox's changes to
    /// (`projects/<project>/topics/<topic>`); unset = no mailbox watch is opened.
    pub gmail_topic: Option<String>,
    /// The OAuth client the users consented to; unset = no Google API is called.
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    /// Per request.
    pub timeout_ms: u64,
    /// How often every watched calendar is synced even without a push (pushes get dropped).
    pub sweep_every_s: u64,
    /// A calendar channel is replaced when it has less than this many hours left (the new
    /// one overlaps the old); an alert is logged a day before any expires unreplaced.
    pub renew_before_hours: u32,
    /// How long a new calendar channel asks to live, in hours (Google caps it).
    pub channel_ttl_hours: u32,
}

impl Default for GoogleConfig {
    fn default() -> Self {
        Self {
            oauth_base_url: "https://oauth2.googleapis.com".into(),
            consent_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            calendar_base_url: "https://www.googleapis.com/calendar/v3".into(),
            gmail_base_url: "https://gmail.googleapis.com/gmail/v1".into(),
            jwks_url: "https://www.googleapis.com/oauth2/v3/certs".into(),
            pubsub_audience: None,
            pubsub_service_account: None,
            gmail_topic: None,
            client_id: None,
            client_secret: None,
            timeout_ms: 10_000,
            sweep_every_s: 900,
            renew_before_hours: 48,
            channel_ttl_hours: 24 * 7,
        }
    }
}

impl GoogleConfig {
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        for (key, url) in [
            ("google.oauth_base_url", &self.oauth_base_url),
            ("google.consent_url", &self.consent_url),
            ("google.calendar_base_url", &self.calendar_base_url),
            ("google.gmail_base_url", &self.gmail_base_url),
            ("google.jwks_url", &self.jwks_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                p.push(format!("{key} {url:?} must be an http:// or https:// URL"));
            }
        }
        if self.client_id.is_some() != self.client_secret.is_some() {
            p.push("google.client_id and google.client_secret are set together".into());
        }
        if self.sweep_every_s == 0 || self.timeout_ms == 0 {
            p.push("google.sweep_every_s and google.timeout_ms must be at least 1".into());
        }
        if self.renew_before_hours >= self.channel_ttl_hours {
            p.push("google.renew_before_hours must be less than google.channel_ttl_hours".into());
        }
        p
    }
}
