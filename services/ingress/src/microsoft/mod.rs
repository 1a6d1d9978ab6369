//! Microsoft Graph mail, for users who connected a Microsoft 365 mailbox: the notification
//! endpoint ([`push`]), the fetch a notification or the sweep asks for and the subscriptions'
//! upkeep ([`mail`]). [`Graph`] is the HTTP client: the OAuth token exchange and the few
//! Graph calls used, on reqwest with configurable base URLs.

pub mod mail;
pub mod push;

use std::time::Duration;

use baton_platform::config::MicrosoftConfig;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::google::GoogleError as GraphError;

#[derive(Clone)]
pub struct Graph {
    http: reqwest::Client,
    cfg: MicrosoftConfig,
    client_id: String,
    client_secret: SecretString,
}

/// A page of a delta query: its messages (removed ones left out) and where to go next.
#[derive(Debug, Default)]
pub struct DeltaPage {
    pub messages: Vec<Value>,
    pub next_link: Option<String>,
    pub delta_link: Option<String>,
}

impl Graph {
    /// The client, or `None` when no OAuth client is configured (`microsoft.client_id`).
    pub fn new(cfg: &MicrosoftConfig) -> anyhow::Result<Option<Self>> {
        let (Some(id), Some(secret)) = (&cfg.client_id, &cfg.client_secret) else {
            return Ok(None);
        };
        baton_platform::install_crypto_provider();
        Ok(Some(Graph {
            http: reqwest::Client::builder()
                .timeout(Duration::from_millis(cfg.timeout_ms))
                .build()?,
            cfg: cfg.clone(),
            client_id: id.clone(),
            client_secret: secret.clone(),
        }))
    }

    /// An access token for the mailbox whose refresh token this is.
    pub async fn access_token(&self, refresh_token: &str) -> Result<SecretString, GraphError> {
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", refresh_token)
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .append_pair("scope", "offline_access Mail.Read")
            .finish();
        let url = format!(
            "{}/{}/oauth2/v2.0/token",
            self.cfg.oauth_base_url.trim_end_matches('/'),
            self.cfg.tenant
        );
        let resp = self
            .http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await;
        let v = crate::google::answer(resp).await.map_err(|e| match e {
            GraphError::Refused(m) => GraphError::Unauthorized(m),
            e => e,
        })?;
        v["access_token"]
            .as_str()
            .map(|t| SecretString::from(t.to_string()))
            .ok_or_else(|| GraphError::Refused("the token answer has no access_token".into()))
    }

    /// One message, its body as text.
    pub async fn message(
        &self,
        token: &SecretString,
        mailbox: &str,
        id: &str,
    ) -> Result<Value, GraphError> {
        let url = format!("{}/messages/{}", self.user(mailbox), encode(id));
        self.get(token, &url).await
    }

    /// A page of the inbox's delta: from `link` (a stored delta link or a next link), or
    /// a new delta query.
    pub async fn delta(
        &self,
        token: &SecretString,
        mailbox: &str,
        link: Option<&str>,
    ) -> Result<DeltaPage, GraphError> {
        let url = match link {
            Some(l) => l.to_string(),
            None => format!("{}/mailFolders('inbox')/messages/delta", self.user(mailbox)),
        };
        let v = self.get(token, &url).await?;
        Ok(DeltaPage {
            messages: v["value"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|m| m.get("@removed").is_none())
                .cloned()
                .collect(),
            next_link: v["@odata.nextLink"].as_str().map(String::from),
            delta_link: v["@odata.deltaLink"].as_str().map(String::from),
        })
    }

    /// Creates a subscription to the mailbox's new inbox messages; its id.
    pub async fn subscribe(
        &self,
        token: &SecretString,
        mailbox: &str,
        address: &str,
        client_state: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<String, GraphError> {
        let body = json!({
            "changeType": "created",
            "notificationUrl": address,
            "lifecycleNotificationUrl": address,
            "resource": format!("/users/{mailbox}/mailFolders('inbox')/messages"),
            "expirationDateTime": expires_at.to_rfc3339(),
            "clientState": client_state,
        });
        let url = format!("{}/subscriptions", self.base());
        let v = self.send(token, self.http.post(url), &body).await?;
        v["id"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| GraphError::Refused("the subscription has no id".into()))
    }

    /// Extends a subscription (also what reauthorizes it).
    pub async fn renew(
        &self,
        token: &SecretString,
        subscription: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), GraphError> {
        let url = format!("{}/subscriptions/{}", self.base(), encode(subscription));
        let body = json!({ "expirationDateTime": expires_at.to_rfc3339() });
        self.send(token, self.http.patch(url), &body)
            .await
            .map(drop)
    }

    fn base(&self) -> &str {
        self.cfg.graph_base_url.trim_end_matches('/')
    }

    fn user(&self, mailbox: &str) -> String {
        format!("{}/users/{}", self.base(), encode(mailbox))
    }

    async fn get(&self, token: &SecretString, url: &str) -> Result<Value, GraphError> {
        let resp = self
            .http
            .get(url)
            .bearer_auth(token.expose_secret())
            .header("prefer", "outlook.body-content-type=\"text\"")
            .send()
            .await;
        crate::google::answer(resp).await
    }

    async fn send(
        &self,
        token: &SecretString,
        req: reqwest::RequestBuilder,
        body: &Value,
    ) -> Result<Value, GraphError> {
        let resp = req
            .bearer_auth(token.expose_secret())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        crate::google::answer(resp).await
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A Graph message in the data README's email format.
pub fn email(m: &Value) -> Option<Value> {
    let id = m["id"].as_str()?;
    let who = |a: &Value| {
        let addr = a.pointer("/emailAddress/address")?.as_str()?;
        Some(
            match a.pointer("/emailAddress/name").and_then(Value::as_str) {
                Some(n) if !n.is_empty() && n != addr => format!("{n} <{addr}>"),
                _ => addr.to_string(),
            },
        )
    };
    let list = |key: &str| -> Vec<String> {
        m[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(who)
            .collect()
    };
    let headers: serde_json::Map<String, Value> = m["internetMessageHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h["name"].as_str()?.to_string(), h["value"].clone())))
        .filter(|(n, _)| {
            [
                "Auto-Submitted",
                "List-Unsubscribe",
                "Precedence",
                "X-Autoreply",
            ]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(n))
        })
        .collect();
    let date = m["receivedDateTime"]
        .as_str()
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.to_rfc3339());
    Some(json!({
        "id": id,
        "thread_id": m["conversationId"],
        "message_id": m["internetMessageId"],
        "in_reply_to": Value::Null,
        "from": who(&m["from"]),
        "to": list("toRecipients"),
        "cc": list("ccRecipients"),
        "subject": m["subject"],
        "date": date,
        "body_text": m.pointer("/body/content").and_then(Value::as_str).unwrap_or_default(),
        "headers": headers,
        "source": "microsoft",
    }))
}
