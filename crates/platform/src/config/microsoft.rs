//! `[microsoft]`: Microsoft Graph for users who connected a Microsoft 365 mailbox — the
//! OAuth client whose refresh tokens the connections hold, the base URLs (a local server in
//! tests), and the mail subscriptions' lifetime.

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct MicrosoftConfig {
    /// `{oauth_base_url}/{tenant}/oauth2/v2.0/token` exchanges a refresh token.
    pub oauth_base_url: String,
    pub tenant: String,
    pub graph_base_url: String,
    /// Unset = no Graph call is made and every Graph notification is refused.
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    pub timeout_ms: u64,
    /// How long a new mail subscription asks to live, in minutes (Graph allows under 7
    /// days for messages); it is renewed at half its lifetime.
    pub subscription_minutes: u32,
    /// How often every connected mailbox is swept with a delta query.
    pub sweep_every_s: u64,
}

impl Default for MicrosoftConfig {
    fn default() -> Self {
        Self {
            oauth_base_url: "https://login.microsoftonline.com".into(),
            tenant: "common".into(),
            graph_base_url: "https://graph.microsoft.com/v1.0".into(),
            client_id: None,
            client_secret: None,
            timeout_ms: 10_000,
            subscription_minutes: 4_200,
            sweep_every_s: 900,
        }
    }
}

impl MicrosoftConfig {
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        for (key, url) in [
            ("microsoft.oauth_base_url", &self.oauth_base_url),
            ("microsoft.graph_base_url", &self.graph_base_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                p.push(format!("{key} {url:?} must be an http:// or https:// URL"));
            }
        }
        if self.client_id.is_some() != self.client_secret.is_some() {
            p.push("microsoft.client_id and microsoft.client_secret are set together".into());
        }
        if !(60..10_080).contains(&self.subscription_minutes) {
            p.push("microsoft.subscription_minutes must be from 60 to 10079".into());
        }
        if self.sweep_every_s == 0 || self.timeout_ms == 0 {
            p.push("microsoft.sweep_every_s and microsoft.timeout_ms must be at least 1".into());
        }
        p
    }
}
