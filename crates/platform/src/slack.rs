//! A small Slack Web API client on reqwest (the notifier's `chat.postMessage` and
//! `chat.update`, the ingress's `views.open`), with a
//! configurable base URL. Slack answers HTTP 200 with `{"ok": false, "error": …}` for most
//! failures and HTTP 429 with `Retry-After` when rate limited; both are typed here.

use std::time::Duration;

use serde_json::{Value, json};

/// The metadata event type on every message Baton posts.
pub const DELIVERY_EVENT: &str = "baton_delivery";

#[derive(Debug, Clone)]
pub struct Slack {
    client: reqwest::Client,
    base: String,
    token: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub channel: String,
    pub ts: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SlackError {
    /// HTTP 429 or `ratelimited`: try again after this long.
    #[error("slack rate limited: retry after {}s", .0.as_secs())]
    RateLimited(Duration),
    /// `ok: false` with Slack's error code (e.g. `channel_not_found`, `invalid_auth`).
    #[error("slack refused: {0}")]
    Refused(String),
    /// Network trouble or a 5xx: worth retrying.
    #[error("slack unreachable: {0}")]
    Transient(String),
}

impl Slack {
    pub fn new(base: &str, token: &str, timeout: Duration) -> Result<Self, String> {
        crate::install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
        })
    }

    /// The same client for another workspace's bot token (connections hold one per org).
    pub fn with_token(&self, token: &str) -> Self {
        Self {
            client: self.client.clone(),
            base: self.base.clone(),
            token: token.to_string(),
        }
    }

    async fn call(&self, method: &str, body: &Value) -> Result<Value, SlackError> {
        let resp = self
            .client
            .post(format!("{}/{method}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .map_err(|e| SlackError::Transient(e.without_url().to_string()))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if status.as_u16() == 429 {
            return Err(SlackError::RateLimited(
                retry_after.unwrap_or(Duration::from_secs(30)),
            ));
        }
        if status.is_server_error() {
            return Err(SlackError::Transient(format!("{method} answered {status}")));
        }
        let v: Value = resp
            .json()
            .await
            .map_err(|e| SlackError::Transient(format!("{method}: unreadable answer: {e}")))?;
        if v["ok"] == true {
            return Ok(v);
        }
        let error = v["error"].as_str().unwrap_or("unknown_error").to_string();
        if error == "ratelimited" {
            return Err(SlackError::RateLimited(
                retry_after.unwrap_or(Duration::from_secs(30)),
            ));
        }
        Err(SlackError::Refused(error))
    }

    /// `chat.postMessage` to `channel` (a user id opens the app's DM with them), carrying
    /// `delivery_id` in the message's metadata so the message can be found again
    /// ([`Slack::find_delivery`]).
    pub async fn post(
        &self,
        channel: &str,
        text: &str,
        blocks: Option<&Value>,
        delivery_id: &str,
    ) -> Result<Posted, SlackError> {
        let mut body = json!({
            "channel": channel,
            "text": text,
            "metadata": {
                "event_type": DELIVERY_EVENT,
                "event_payload": { "delivery_id": delivery_id },
            },
        });
        if let Some(b) = blocks {
            body["blocks"] = b.clone();
        }
        let v = self.call("chat.postMessage", &body).await?;
        Ok(Posted {
            channel: v["channel"].as_str().unwrap_or(channel).to_string(),
            ts: v["ts"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// The DM channel id with `user` (`conversations.open`; idempotent on Slack's side).
    /// Opens `view` (a modal) for the interaction `trigger_id` (valid three seconds, once);
    /// returns the view's id.
    pub async fn views_open(&self, trigger_id: &str, view: &Value) -> Result<String, SlackError> {
        let v = self
            .call(
                "views.open",
                &json!({ "trigger_id": trigger_id, "view": view }),
            )
            .await?;
        Ok(v.pointer("/view/id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }

    pub async fn open_dm(&self, user: &str) -> Result<String, SlackError> {
        let v = self
            .call("conversations.open", &json!({ "users": user }))
            .await?;
        v["channel"]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| SlackError::Transient("conversations.open: no channel id".into()))
    }

    /// The message in `channel` (no older than `oldest`) whose metadata carries
    /// `delivery_id`, if this app posted it: `conversations.history` with
    /// `include_all_metadata`, newest first, following the cursor.
    pub async fn find_delivery(
        &self,
        channel: &str,
        oldest: chrono::DateTime<chrono::Utc>,
        delivery_id: &str,
    ) -> Result<Option<Posted>, SlackError> {
        let oldest = format!(
            "{}.{:06}",
            oldest.timestamp(),
            oldest.timestamp_subsec_micros()
        );
        let mut cursor: Option<String> = None;
        // A DM gets few messages in the minutes a retry spans; bound the walk anyway.
        for _ in 0..10 {
            let mut body = json!({
                "channel": channel,
                "oldest": oldest,
                "include_all_metadata": true,
                "limit": 200,
            });
            if let Some(c) = &cursor {
                body["cursor"] = json!(c);
            }
            let v = self.call("conversations.history", &body).await?;
            let found = v["messages"].as_array().into_iter().flatten().find(|m| {
                m["metadata"]["event_type"] == DELIVERY_EVENT
                    && m["metadata"]["event_payload"]["delivery_id"] == delivery_id
            });
            if let Some(m) = found {
                return Ok(Some(Posted {
                    channel: channel.to_string(),
                    ts: m["ts"].as_str().unwrap_or_default().to_string(),
                }));
            }
            cursor = v["response_metadata"]["next_cursor"]
                .as_str()
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            if cursor.is_none() || v["has_more"] != true {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// `chat.update` of a message this app posted.
    pub async fn update(
        &self,
        at: &Posted,
        text: &str,
        blocks: Option<&Value>,
    ) -> Result<(), SlackError> {
        let mut body = json!({ "channel": at.channel, "ts": at.ts, "text": text });
        if let Some(b) = blocks {
            body["blocks"] = b.clone();
        }
        self.call("chat.update", &body).await.map(drop)
    }
}
