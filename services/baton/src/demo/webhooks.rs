//! The demo's producers reach Baton as the real ones do: the recorder's bot posts its
//! `complete` webhook and the rep's Slack clicks arrive signed, over HTTP, at the ingress
//! this process runs.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use baton_platform::config::Config;
use secrecy::{ExposeSecret, SecretString};

use crate::provider_requests::Request;

/// How long the ingress may take to start listening.
const STARTUP: Duration = Duration::from_secs(30);

/// Sends to the demo's ingress with the credentials it checks.
pub(super) struct Webhooks {
    base: String,
    client: reqwest::Client,
    meetingbaas_key: String,
    slack_secret: String,
}

impl Webhooks {
    /// For the ingress `config` describes: the first configured MeetingBaaS key and Slack
    /// signing secret, or — as on the embedded default, where none is — ones made for this
    /// run and configured.
    pub(super) fn configure(config: &mut Config) -> anyhow::Result<Webhooks> {
        let made = || SecretString::from(format!("demo-{}", uuid::Uuid::new_v4().simple()));
        let ingress = &mut config.ingress;
        if ingress.meetingbaas_api_keys.is_empty() {
            ingress.meetingbaas_api_keys.push(made());
        }
        if ingress.slack_signing_secrets.is_empty() {
            ingress.slack_signing_secrets.push(made());
        }
        baton_platform::install_crypto_provider();
        Ok(Webhooks {
            base: format!("http://{}", ingress.listen),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            meetingbaas_key: ingress.meetingbaas_api_keys[0].expose_secret().to_string(),
            slack_secret: ingress.slack_signing_secrets[0].expose_secret().to_string(),
        })
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(super) fn meetingbaas_key(&self) -> &str {
        &self.meetingbaas_key
    }

    pub(super) fn slack_secret(&self) -> &str {
        &self.slack_secret
    }

    /// Posts `request` to `path`; an answer other than 2xx is an error naming it. Waits for
    /// the ingress to listen (it starts with the services) for up to [`STARTUP`].
    pub(super) async fn post(&self, path: &str, (headers, body): Request) -> anyhow::Result<u16> {
        let started = Instant::now();
        let answer = loop {
            let mut req = self.client.post(self.url(path)).body(body.clone());
            for (name, value) in &headers {
                req = req.header(*name, value);
            }
            match req.send().await {
                Ok(answer) => break answer,
                Err(e) if e.is_connect() && started.elapsed() < STARTUP => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e).with_context(|| format!("POST {}", self.url(path))),
            }
        };
        let status = answer.status();
        if !status.is_success() {
            let text = answer.text().await.unwrap_or_default();
            bail!("POST {} answered {status}: {}", self.url(path), text.trim());
        }
        Ok(status.as_u16())
    }
}
