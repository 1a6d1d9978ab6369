//! HTTP skills and edge functions: `POST <url>` with JSON `{skill, idempotency_key, input}`,
//! an `Idempotency-Key` header, a bearer token when configured, and a per-call timeout.
//! The answer is `{output, usage?: {model, input_tokens, output_tokens, cost_usd}}`.
//! Errors say whether a retry can help: 429 → rate limited (Retry-After, default 5 min),
//! 5xx / timeouts / connection errors → transient, other 4xx → permanent.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Cost, SkillError, SkillOutput};

/// The default wait after a 429 without a usable Retry-After.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct HttpSkill {
    pub url: reqwest::Url,
    pub timeout: Duration,
    /// Bearer token, resolved from configuration at start-up.
    pub token: Option<String>,
}

#[derive(Deserialize)]
struct Reply {
    output: Value,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    input_tokens: u32,
    #[serde(default)]
    output_tokens: u32,
    #[serde(default)]
    cost_usd: f64,
}

impl HttpSkill {
    pub async fn call(
        &self,
        client: &reqwest::Client,
        key: &str,
        idempotency_key: &str,
        input: &Value,
    ) -> Result<SkillOutput, SkillError> {
        let mut request = client
            .post(self.url.clone())
            .timeout(self.timeout)
            .header("Idempotency-Key", idempotency_key)
            .json(&json!({ "skill": key, "idempotency_key": idempotency_key, "input": input }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = send(request, key, &self.url, self.timeout).await?;
        let status = response.status();
        let reply: Reply = response.json().await.map_err(|e| SkillError::Failed {
            key: key.to_string(),
            message: format!(
                "{} answered {status} without the expected {{\"output\": …}} JSON: {}",
                self.url,
                without_url(&e)
            ),
        })?;
        let cost = reply.usage.map_or_else(Cost::default, |u| Cost {
            model: u.model.unwrap_or_else(|| key.to_string()),
            input_tokens: u.input_tokens,
            output_tokens: u.output_tokens,
            usd_micros: (u.cost_usd * 1_000_000.0).round() as i64,
        });
        Ok(SkillOutput {
            output: reply.output,
            cost,
        })
    }
}

/// Sends a provider request and sorts a failed answer by whether a retry can help: a 429 is
/// rate limited (Retry-After, default 5 minutes), a 5xx, a timeout or a connection error is
/// transient, any other 4xx is permanent (with at most 200 characters of the provider's
/// `error` message — an error body may echo the input, so nothing else is kept).
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    key: &str,
    url: &reqwest::Url,
    timeout: Duration,
) -> Result<reqwest::Response, SkillError> {
    let transient = |message: String| SkillError::Transient {
        key: key.to_string(),
        message,
    };
    let response = request.send().await.map_err(|e| {
        transient(if e.is_timeout() {
            format!("no answer from {url} within {timeout:?}")
        } else {
            format!("calling {url}: {}", without_url(&e))
        })
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs);
        return Err(SkillError::RateLimited {
            key: key.to_string(),
            retry_after,
        });
    }
    if status.is_server_error() {
        return Err(transient(format!("{url} answered {status}")));
    }
    if !status.is_success() {
        let detail = response
            .json::<Value>()
            .await
            .ok()
            .and_then(|v| {
                let e = v.get("error")?;
                e.as_str().or_else(|| e.get("message")?.as_str()).map(short)
            })
            .unwrap_or_default();
        return Err(SkillError::Failed {
            key: key.to_string(),
            message: format!("{url} answered {status} {detail}")
                .trim_end()
                .to_string(),
        });
    }
    Ok(response)
}

pub(crate) fn without_url(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}
