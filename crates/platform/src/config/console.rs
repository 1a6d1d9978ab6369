//! `[console]`: the web console — where it listens, the key its session cookies are signed
//! with, how people sign in, and the address its links are made absolute with.

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// The address the console listens on.
    pub listen: String,
    /// Signs the session cookies: at least 64 bytes. Unset = a random key each start, so
    /// every session ends when the console restarts (and two replicas would not share
    /// sessions): set it in production.
    pub session_key: Option<SecretString>,
    /// How long a sign-in lasts.
    pub session_hours: u32,
    /// Sign in by picking any user from a list, with no credential. `baton dev` and
    /// `baton demo --keep` turn it on; never in production.
    pub dev_signin: bool,
    /// Where people reach the console (`https://baton.example.com`): links in Slack
    /// messages and pages are made absolute with it. Unset = links are relative.
    pub public_base_url: Option<String>,
    /// Rows per page of the runs list.
    pub page_size: u32,
    /// A request body over this many bytes is answered 413 (the console takes forms only).
    pub max_body_bytes: usize,
    /// Sign in with Slack (OpenID Connect): the Slack app's client id and secret. Unset = no
    /// Slack sign-in. Needs `public_base_url` (the redirect URI is
    /// `<public_base_url>/signin/slack/callback`).
    pub slack_client_id: Option<String>,
    pub slack_client_secret: Option<SecretString>,
    /// Slack's address (a local server in tests).
    pub slack_base_url: String,
    /// Only members of this workspace (team id) sign in; unset = any whose Slack user is
    /// mapped to a Baton user.
    pub slack_team: Option<String>,
    /// "Add to Slack" (OAuth v2, the same app as the sign-in): the bot scopes asked for —
    /// posting, opening a DM, and reading it back to find a message already sent.
    pub slack_bot_scopes: String,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8091".into(),
            session_key: None,
            session_hours: 12,
            dev_signin: false,
            public_base_url: None,
            page_size: 50,
            max_body_bytes: 64 * 1024,
            slack_client_id: None,
            slack_client_secret: None,
            slack_base_url: "https://slack.com".into(),
            slack_team: None,
            slack_bot_scopes: "chat:write,im:write,im:history".into(),
        }
    }
}

impl ConsoleConfig {
    /// What is wrong with this section, each said with its key.
    pub fn problems(&self) -> Vec<String> {
        use secrecy::ExposeSecret;
        let mut problems = Vec::new();
        if self
            .session_key
            .as_ref()
            .is_some_and(|k| k.expose_secret().len() < 64)
        {
            problems.push("console.session_key must be at least 64 bytes".into());
        }
        if self.session_hours == 0 {
            problems.push("console.session_hours must be at least 1".into());
        }
        if !(1..=500).contains(&self.page_size) {
            problems.push("console.page_size must be between 1 and 500".into());
        }
        if let Some(url) = &self.public_base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push("console.public_base_url must be an http(s):// URL".into());
        }
        if self.slack_bot_scopes.trim().is_empty()
            || !self.slack_bot_scopes.split(',').all(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ":._".contains(c))
            })
        {
            problems.push(
                "console.slack_bot_scopes is a comma-separated list of Slack scopes (chat:write,im:write)"
                    .into(),
            );
        }
        if self.slack_client_id.is_some()
            && (self.slack_client_secret.is_none() || self.public_base_url.is_none())
        {
            problems.push(
                "console.slack_client_id needs console.slack_client_secret and \
                 console.public_base_url (the redirect URI is <public_base_url>/signin/slack/callback)"
                    .into(),
            );
        }
        problems
    }
}
