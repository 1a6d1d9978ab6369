//! The connect flows (OAuth 2.0 authorization code): "Add to Slack" per workspace, by an org
//! admin, and Google or Microsoft consent per user, for their own mailbox and calendar. Each
//! stores its credential through the connections store, sealed under `[connections]`'s
//! active key like `baton connections add` does, and the ingress picks it up on its next
//! sweep (calendar channels, mailbox watches, Graph subscriptions).
//!
//! `/connect/{provider}` sends the browser to the provider's consent page with a fresh
//! `state`, kept with the provider and the signed-in user in a signed, HttpOnly cookie for
//! ten minutes; the provider sends it back to `/connect/{provider}/callback` with a code, which
//! is exchanged for tokens. The account connected is the provider's word for it — the Slack
//! team in `oauth.v2.access`'s answer, the mailbox from Gmail's profile or Graph's `/me` —
//! never a form field. Nothing is stored when the state, the user or the answer is wrong.
//! `/connections` lists the org's connections (a rep their own mailboxes and the workspace)
//! and disconnects them.

mod flow;
mod manage;

use std::time::Duration;

use baton_platform::{
    config::Config,
    connections::{Keyring, Provider},
};
use secrecy::SecretString;

use crate::{
    Failure,
    session::{Role, Viewer},
};

pub use flow::{callback, start};
pub use manage::{list, remove};

/// One provider's OAuth client, as configured.
struct App {
    provider: Provider,
    authorize_url: String,
    token_url: String,
    client_id: String,
    client_secret: SecretString,
    /// The authorize request's own parameters (scope, offline access, …).
    params: Vec<(&'static str, String)>,
    /// Whether the flow carries a PKCE challenge (RFC 7636, S256): Google and Microsoft take
    /// one; Slack's `oauth.v2.access` for a confidential client does not.
    pkce: bool,
}

/// The connect flows as configured: the apps that are, why the others are not.
pub struct Connect {
    apps: Vec<App>,
    /// Why a provider cannot be connected here (not configured), by provider.
    missing: Vec<(Provider, String)>,
    keys: Result<Keyring, String>,
    /// Where the providers send the browser back: `<public_base_url>/connect/…`.
    public: Option<String>,
    /// The Slack app's signing secret, stored with each workspace's bot token.
    slack_signing_secret: Option<SecretString>,
    gmail_base_url: String,
    graph_base_url: String,
    http: reqwest::Client,
}

impl Connect {
    pub fn from_config(c: &Config) -> anyhow::Result<Connect> {
        let mut apps = Vec::new();
        let mut missing = Vec::new();
        let slack_base = c.console.slack_base_url.trim_end_matches('/');
        match (&c.console.slack_client_id, &c.console.slack_client_secret) {
            (Some(id), Some(secret)) => apps.push(App {
                provider: Provider::Slack,
                authorize_url: format!("{slack_base}/oauth/v2/authorize"),
                token_url: format!("{slack_base}/api/oauth.v2.access"),
                client_id: id.clone(),
                client_secret: secret.clone(),
                params: vec![("scope", c.console.slack_bot_scopes.clone())],
                pkce: false,
            }),
            _ => missing.push((Provider::Slack, "console.slack_client_id is not set".into())),
        }
        let g = &c.google;
        match (&g.client_id, &g.client_secret) {
            (Some(id), Some(secret)) => apps.push(App {
                provider: Provider::Google,
                authorize_url: g.consent_url.clone(),
                token_url: format!("{}/token", g.oauth_base_url.trim_end_matches('/')),
                client_id: id.clone(),
                client_secret: secret.clone(),
                params: vec![
                    ("response_type", "code".into()),
                    ("scope", GOOGLE_SCOPES.into()),
                    // A refresh token, asked for again on every consent.
                    ("access_type", "offline".into()),
                    ("prompt", "consent".into()),
                    ("include_granted_scopes", "true".into()),
                ],
                pkce: true,
            }),
            _ => missing.push((Provider::Google, "google.client_id is not set".into())),
        }
        let m = &c.microsoft;
        let ms_base = format!("{}/{}", m.oauth_base_url.trim_end_matches('/'), m.tenant);
        match (&m.client_id, &m.client_secret) {
            (Some(id), Some(secret)) => apps.push(App {
                provider: Provider::Microsoft,
                authorize_url: format!("{ms_base}/oauth2/v2.0/authorize"),
                token_url: format!("{ms_base}/oauth2/v2.0/token"),
                client_id: id.clone(),
                client_secret: secret.clone(),
                params: vec![
                    ("response_type", "code".into()),
                    ("response_mode", "query".into()),
                    ("scope", MICROSOFT_SCOPES.into()),
                ],
                pkce: true,
            }),
            _ => missing.push((Provider::Microsoft, "microsoft.client_id is not set".into())),
        }
        Ok(Connect {
            apps,
            missing,
            keys: Keyring::new(&c.connections).map_err(|e| e.to_string()),
            public: c
                .console
                .public_base_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_string()),
            slack_signing_secret: c.ingress.slack_signing_secrets.first().cloned(),
            gmail_base_url: g.gmail_base_url.trim_end_matches('/').to_string(),
            graph_base_url: m.graph_base_url.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
        })
    }

    /// Why `p` cannot be connected here, if it cannot.
    fn unavailable(&self, p: Provider) -> Option<String> {
        if let Some((_, why)) = self.missing.iter().find(|(m, _)| *m == p) {
            return Some(why.clone());
        }
        if self.public.is_none() {
            return Some(
                "console.public_base_url is not set (the providers redirect to it)".into(),
            );
        }
        if p == Provider::Slack && self.slack_signing_secret.is_none() {
            return Some("ingress.slack_signing_secrets is empty (the app's signing secret is stored with each workspace)".into());
        }
        self.keys.as_ref().err().cloned()
    }

    fn app(&self, p: Provider) -> Result<&App, Failure> {
        if let Some(why) = self.unavailable(p) {
            return Err(Failure::NotFound(format!("connecting {p}: {why}")));
        }
        self.apps
            .iter()
            .find(|a| a.provider == p)
            .ok_or_else(|| Failure::NotFound(format!("connecting {p} is not configured")))
    }

    fn redirect_uri(&self, p: Provider) -> String {
        format!(
            "{}/connect/{p}/callback",
            self.public.as_deref().unwrap_or_default()
        )
    }
}

/// Gmail and Calendar read-only, and the address the consent is for.
const GOOGLE_SCOPES: &str = "openid email https://www.googleapis.com/auth/gmail.readonly \
                             https://www.googleapis.com/auth/calendar.readonly";
/// Mail and calendars read-only, a refresh token, and who signed in.
const MICROSOFT_SCOPES: &str = "offline_access User.Read Mail.Read Calendars.Read";

/// Who may connect `p`: a workspace is the org's (admins), a mailbox its user's (anyone who
/// may act).
fn may_connect(viewer: &Viewer, p: Provider) -> Result<(), Failure> {
    viewer.may_act()?;
    if p == Provider::Slack && viewer.role != Role::Admin {
        return Err(Failure::Forbidden(
            "only an org admin connects a Slack workspace".into(),
        ));
    }
    Ok(())
}

fn provider(s: &str) -> Result<Provider, Failure> {
    s.parse().map_err(Failure::NotFound)
}
