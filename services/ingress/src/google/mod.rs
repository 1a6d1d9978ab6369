//! Google Calendar, for users who connected a Google account: the push endpoint
//! ([`push`]), the incremental sync a push (or the periodic sweep) asks for ([`sync`]), and
//! the channels Baton keeps open ([`channels`]). [`Google`] is the HTTP client: the OAuth
//! token exchange (a connection's refresh token for an access token) and Calendar v3,
//! on reqwest with configurable base URLs.

pub mod channels;
pub mod gmail;
pub mod gmail_push;
pub mod oidc;
pub mod push;
pub mod sync;

use std::time::Duration;

use baton_platform::config::GoogleConfig;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// How a call to Google failed.
#[derive(Debug, thiserror::Error)]
pub enum GoogleError {
    /// 410: the sync token is no longer valid; a full sync is needed.
    #[error("gone: a full sync is needed")]
    Gone,
    /// 404: no such resource (for Gmail's history: the start id is too old).
    #[error("not found: {0}")]
    NotFound(String),
    /// The refresh token was refused (revoked consent) or the access token was: the user
    /// must reconnect.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Network trouble, 429 or a 5xx: worth retrying later.
    #[error("unavailable: {0}")]
    Transient(String),
    /// Any other refusal (4xx), with Google's message.
    #[error("refused: {0}")]
    Refused(String),
}

/// One page of `events.list`.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Value>,
    pub next_page_token: Option<String>,
    pub next_sync_token: Option<String>,
}

/// One page of `users.history.list`: the inbound messages added.
#[derive(Debug, Default)]
pub struct HistoryPage {
    pub added: Vec<String>,
    pub next_page_token: Option<String>,
    pub history_id: Option<u64>,
}

/// Google writes 64-bit ids as strings in JSON (and sometimes as numbers): either.
pub fn history_id(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

/// A channel `events.watch` opened.
#[derive(Debug)]
pub struct Watched {
    pub resource_id: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone)]
pub struct Google {
    http: reqwest::Client,
    cfg: GoogleConfig,
    client_id: String,
    client_secret: SecretString,
}

impl Google {
    /// The client, or `None` when no OAuth client is configured (`google.client_id`).
    pub fn new(cfg: &GoogleConfig) -> anyhow::Result<Option<Self>> {
        let (Some(id), Some(secret)) = (&cfg.client_id, &cfg.client_secret) else {
            return Ok(None);
        };
        baton_platform::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(cfg.timeout_ms))
            .build()?;
        Ok(Some(Google {
            http,
            cfg: cfg.clone(),
            client_id: id.clone(),
            client_secret: secret.clone(),
        }))
    }

    /// An access token for the user whose refresh token this is.
    pub async fn access_token(&self, refresh_token: &str) -> Result<SecretString, GoogleError> {
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", refresh_token)
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .finish();
        let resp = self
            .http
            .post(format!(
                "{}/token",
                self.cfg.oauth_base_url.trim_end_matches('/')
            ))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await;
        let v = answer(resp).await.map_err(|e| match e {
            // `invalid_grant`: revoked or expired consent.
            GoogleError::Refused(m) => GoogleError::Unauthorized(m),
            e => e,
        })?;
        v["access_token"]
            .as_str()
            .map(|t| SecretString::from(t.to_string()))
            .ok_or_else(|| GoogleError::Refused("the token answer has no access_token".into()))
    }

    /// `events.list`: changes since `sync_token`, or (without one) every event from
    /// `time_min` on; recurring events expanded into instances.
    pub async fn list_events(
        &self,
        token: &SecretString,
        calendar_id: &str,
        sync_token: Option<&str>,
        page_token: Option<&str>,
        time_min: chrono::DateTime<chrono::Utc>,
    ) -> Result<Page, GoogleError> {
        let mut q: Vec<(&str, String)> = vec![
            ("singleEvents", "true".into()),
            ("maxResults", "250".into()),
        ];
        match sync_token {
            Some(s) => q.push(("syncToken", s.into())),
            None => q.push(("timeMin", time_min.to_rfc3339())),
        }
        if let Some(p) = page_token {
            q.push(("pageToken", p.into()));
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&q)
            .finish();
        let resp = self
            .http
            .get(format!(
                "{}?{query}",
                self.calendar_url(calendar_id, "events")
            ))
            .bearer_auth(token.expose_secret())
            .send()
            .await;
        let v = answer(resp).await?;
        Ok(Page {
            items: v["items"].as_array().cloned().unwrap_or_default(),
            next_page_token: v["nextPageToken"].as_str().map(String::from),
            next_sync_token: v["nextSyncToken"].as_str().map(String::from),
        })
    }

    /// `events.watch`: a channel delivering the calendar's changes to `address`.
    pub async fn watch(
        &self,
        token: &SecretString,
        calendar_id: &str,
        channel_id: &str,
        channel_token: &str,
        address: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Watched, GoogleError> {
        let body = serde_json::json!({
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": channel_token,
            "expiration": expires_at.timestamp_millis().to_string(),
        });
        let resp = self
            .http
            .post(self.calendar_url(calendar_id, "events/watch"))
            .bearer_auth(token.expose_secret())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        let v = answer(resp).await?;
        let expiration = v["expiration"]
            .as_str()
            .and_then(|e| e.parse::<i64>().ok())
            .or_else(|| v["expiration"].as_i64())
            .and_then(chrono::DateTime::from_timestamp_millis)
            .unwrap_or(expires_at);
        Ok(Watched {
            resource_id: v["resourceId"].as_str().unwrap_or_default().to_string(),
            expires_at: expiration,
        })
    }

    /// `users.history.list` from `start`: the messages added since, one page.
    pub async fn history(
        &self,
        token: &SecretString,
        start: u64,
        page_token: Option<&str>,
    ) -> Result<HistoryPage, GoogleError> {
        let query = {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("startHistoryId", &start.to_string())
                .append_pair("historyTypes", "messageAdded");
            if let Some(p) = page_token {
                q.append_pair("pageToken", p);
            }
            q.finish()
        };
        let v = self
            .gmail_get(token, &format!("users/me/history?{query}"))
            .await?;
        let added = v["history"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|h| h["messagesAdded"].as_array().into_iter().flatten())
            .filter_map(|m| {
                let labels: Vec<&str> = m
                    .pointer("/message/labelIds")?
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let inbound = labels.contains(&"INBOX")
                    && !labels
                        .iter()
                        .any(|l| matches!(*l, "SENT" | "DRAFT" | "SPAM"));
                inbound.then(|| m.pointer("/message/id")?.as_str().map(String::from))?
            })
            .collect();
        Ok(HistoryPage {
            added,
            next_page_token: v["nextPageToken"].as_str().map(String::from),
            history_id: history_id(&v["historyId"]),
        })
    }

    /// `users.messages.get`, format `full`.
    pub async fn message(&self, token: &SecretString, id: &str) -> Result<Value, GoogleError> {
        let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
        self.gmail_get(token, &format!("users/me/messages/{id}?format=full"))
            .await
    }

    /// The inbox's messages of the last day (`users.messages.list`), oldest first: what a
    /// sync reads when its start id is too old.
    pub async fn recent_inbox(&self, token: &SecretString) -> Result<Vec<String>, GoogleError> {
        let v = self
            .gmail_get(
                token,
                "users/me/messages?q=in%3Ainbox%20newer_than%3A1d&maxResults=100",
            )
            .await?;
        let mut ids: Vec<String> = v["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["id"].as_str().map(String::from))
            .collect();
        ids.reverse();
        Ok(ids)
    }

    /// The mailbox's current historyId (`users.getProfile`).
    pub async fn mailbox_history_id(&self, token: &SecretString) -> Result<u64, GoogleError> {
        let v = self.gmail_get(token, "users/me/profile").await?;
        history_id(&v["historyId"])
            .ok_or_else(|| GoogleError::Refused("the profile has no historyId".into()))
    }

    /// `users.watch`: the mailbox's inbox changes published to `topic`; the historyId then
    /// and when the watch expires.
    pub async fn watch_mailbox(
        &self,
        token: &SecretString,
        topic: &str,
    ) -> Result<(Option<u64>, Option<chrono::DateTime<chrono::Utc>>), GoogleError> {
        let body = serde_json::json!({ "topicName": topic, "labelIds": ["INBOX"], "labelFilterBehavior": "include" });
        let resp = self
            .http
            .post(format!(
                "{}/users/me/watch",
                self.cfg.gmail_base_url.trim_end_matches('/')
            ))
            .bearer_auth(token.expose_secret())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        let v = answer(resp).await?;
        let expires = history_id(&v["expiration"])
            .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64));
        Ok((history_id(&v["historyId"]), expires))
    }

    async fn gmail_get(&self, token: &SecretString, path: &str) -> Result<Value, GoogleError> {
        let resp = self
            .http
            .get(format!(
                "{}/{path}",
                self.cfg.gmail_base_url.trim_end_matches('/')
            ))
            .bearer_auth(token.expose_secret())
            .send()
            .await;
        answer(resp).await
    }

    fn calendar_url(&self, calendar_id: &str, rest: &str) -> String {
        let id: String = form_urlencoded::byte_serialize(calendar_id.as_bytes()).collect();
        format!(
            "{}/calendars/{id}/{rest}",
            self.cfg.calendar_base_url.trim_end_matches('/')
        )
    }
}

/// A Google answer: its JSON on 2xx, else the error it means.
pub(crate) async fn answer(resp: reqwest::Result<reqwest::Response>) -> Result<Value, GoogleError> {
    let resp = resp.map_err(|e| GoogleError::Transient(e.without_url().to_string()))?;
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| GoogleError::Transient(e.without_url().to_string()))?;
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let message = || {
        v.pointer("/error/message")
            .or_else(|| v.get("error_description"))
            .or_else(|| v.get("error"))
            .and_then(Value::as_str)
            .unwrap_or("no message")
            .to_string()
    };
    match status.as_u16() {
        200..=299 => Ok(v),
        410 => Err(GoogleError::Gone),
        404 => Err(GoogleError::NotFound(message())),
        401 | 403 => Err(GoogleError::Unauthorized(format!(
            "{status}: {}",
            message()
        ))),
        429 | 500..=599 => Err(GoogleError::Transient(format!("{status}: {}", message()))),
        _ => Err(GoogleError::Refused(format!("{status}: {}", message()))),
    }
}
