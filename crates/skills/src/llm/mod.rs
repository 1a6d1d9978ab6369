//! AI skills served by a model provider: a prompt rendered from the skill's template, the
//! answer constrained to the skill's answer schema (OpenAI-compatible: `response_format`
//! `json_schema` in strict mode; Anthropic: a forced tool call whose input schema is the
//! skill's), then checked — schema, and every evidence quote against the transcript — before
//! it becomes the skill's output. Usage is priced from the configured price table.
//! Timeouts, 429 (Retry-After) and 5xx are sorted like every HTTP skill's. The prompt, which
//! holds the transcript, goes only to the configured provider and is never logged.

mod tasks;
mod wire;

use std::{collections::BTreeMap, time::Duration};

use baton_platform::config::{LlmConfig, LlmProvider, ModelPrice};
use secrecy::ExposeSecret;
use serde_json::Value;

pub use tasks::{ModelTask, task};

use crate::{Cost, SkillError, SkillOutput, builtin::BuiltinFn, output_schema};

/// A configured model provider.
#[derive(Debug, Clone)]
pub struct LlmClient {
    provider: LlmProvider,
    url: reqwest::Url,
    api_key: Option<String>,
    api_key_header: String,
    model: String,
    timeout: Duration,
    max_output_tokens: u32,
    prices: BTreeMap<String, ModelPrice>,
    /// The price of a model missing from `prices`.
    default_price: ModelPrice,
}

/// What a skill asks the model: the instructions with the input rendered in, and the shape
/// of the answer.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub system: String,
    pub user: String,
    /// The answer's JSON Schema (every field required, no others: strict mode's rules).
    pub schema: Value,
    /// The name the schema (OpenAI) or the tool (Anthropic) goes by.
    pub name: String,
}

impl LlmClient {
    pub fn new(
        c: &LlmConfig,
        default_timeout_ms: u64,
        default_price: ModelPrice,
    ) -> Result<Self, String> {
        let base = c.base_url.trim_end_matches('/');
        let url = match c.provider {
            LlmProvider::Openai => format!("{base}/chat/completions"),
            LlmProvider::Anthropic => format!("{base}/v1/messages"),
        };
        let default_header = match c.provider {
            LlmProvider::Openai => "authorization",
            LlmProvider::Anthropic => "x-api-key",
        };
        Ok(LlmClient {
            provider: c.provider,
            url: url
                .parse()
                .map_err(|e| format!("skills.llm.base_url: {url} is not a URL: {e}"))?,
            api_key: c.api_key.as_ref().map(|k| k.expose_secret().to_string()),
            api_key_header: c
                .api_key_header
                .clone()
                .unwrap_or_else(|| default_header.into())
                .to_ascii_lowercase(),
            model: c.model.clone(),
            timeout: Duration::from_millis(c.timeout_ms.unwrap_or(default_timeout_ms)),
            max_output_tokens: c.max_output_tokens,
            prices: c.prices.clone(),
            default_price,
        })
    }

    fn price(&self, model: &str) -> ModelPrice {
        self.prices
            .get(model)
            .or_else(|| self.prices.get(&self.model))
            .copied()
            .unwrap_or(self.default_price)
    }

    fn cost(&self, model: &str, input_tokens: u32, output_tokens: u32) -> Cost {
        let p = self.price(model);
        let usd = f64::from(input_tokens) * p.input_per_mtok / 1e6
            + f64::from(output_tokens) * p.output_per_mtok / 1e6;
        Cost {
            model: model.to_string(),
            input_tokens,
            output_tokens,
            usd_micros: (usd * 1e6).round() as i64,
        }
    }

    /// What a call with `prompt` is expected to cost, for the budget check before it: the
    /// prompt's characters / 4 as input tokens, and a quarter of that (at most the answer
    /// limit) as output.
    pub fn estimate(&self, prompt: &Prompt) -> Cost {
        let chars = prompt.system.len() + prompt.user.len() + prompt.schema.to_string().len();
        let input = u32::try_from(chars.div_ceil(4)).unwrap_or(u32::MAX);
        self.cost(&self.model, input, (input / 4).min(self.max_output_tokens))
    }

    /// Asks the model; the answer is the JSON the schema constrains, and what it cost.
    pub async fn complete(
        &self,
        client: &reqwest::Client,
        key: &str,
        prompt: &Prompt,
    ) -> Result<(Value, Cost), SkillError> {
        let body = match self.provider {
            LlmProvider::Openai => {
                wire::openai_request(&self.model, self.max_output_tokens, prompt)
            }
            LlmProvider::Anthropic => {
                wire::anthropic_request(&self.model, self.max_output_tokens, prompt)
            }
        };
        let mut request = client
            .post(self.url.clone())
            .timeout(self.timeout)
            .json(&body);
        if self.provider == LlmProvider::Anthropic {
            request = request.header("anthropic-version", wire::ANTHROPIC_VERSION);
        }
        if let Some(api_key) = &self.api_key {
            request = match self.api_key_header.as_str() {
                "authorization" => request.bearer_auth(api_key),
                header => request.header(header, api_key),
            };
        }
        let response = crate::http::send(request, key, &self.url, self.timeout).await?;
        let reply: Value = response.json().await.map_err(|e| SkillError::Failed {
            key: key.to_string(),
            message: format!(
                "{} answered without JSON: {}",
                self.url,
                crate::http::without_url(&e)
            ),
        })?;
        let answer = match self.provider {
            LlmProvider::Openai => wire::openai_answer(&reply),
            LlmProvider::Anthropic => wire::anthropic_answer(&reply, &prompt.name),
        }
        .map_err(|message| SkillError::Failed {
            key: key.to_string(),
            message: format!("the model's answer is unusable: {message}"),
        })?;
        let model = answer.model.as_deref().unwrap_or(&self.model).to_string();
        Ok((
            answer.json,
            self.cost(&model, answer.input_tokens, answer.output_tokens),
        ))
    }
}

/// A skill served by the model: its task, the client, and the built-in to fall back on.
#[derive(Clone)]
pub struct Model {
    pub task: &'static dyn ModelTask,
    pub client: LlmClient,
    /// `llm_or_builtin`: the built-in's output when the model's answer is unusable.
    pub fallback: Option<BuiltinFn>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("client", &self.client)
            .field("fallback", &self.fallback.is_some())
            .finish()
    }
}

impl Model {
    /// The skill's output from the model's answer, checked against the skill's schema.
    fn checked(&self, key: &str, input: &Value, answer: &Value) -> Result<Value, String> {
        let output = self.task.output(input, answer)?;
        output_schema::check(key, &output)?;
        Ok(output)
    }

    /// What the call will cost, estimated from the prompt (for the budget check before it).
    pub fn estimate(&self, input: &Value) -> Option<Cost> {
        self.task
            .prompt(input)
            .ok()
            .map(|p| self.client.estimate(&p))
    }

    /// Asks the model and checks its answer. A rate limit or a timeout is returned as such
    /// (the step is deferred or retried); an unusable answer fails the step with the reason,
    /// or, with a fallback, gives the built-in's output (the model's cost still counted).
    pub async fn run(
        &self,
        http: &reqwest::Client,
        key: &str,
        input: &Value,
    ) -> Result<SkillOutput, SkillError> {
        let prompt = self
            .task
            .prompt(input)
            .map_err(|message| SkillError::BadInput {
                key: key.to_string(),
                message,
            })?;
        let (checked, cost) = match self.client.complete(http, key, &prompt).await {
            Ok((answer, cost)) => (self.checked(key, input, &answer), cost),
            // The provider's reply itself was unusable: the fallback still applies.
            Err(e @ SkillError::Failed { .. }) if self.fallback.is_some() => {
                (Err(e.to_string()), Cost::default())
            }
            Err(e) => return Err(e),
        };
        match (checked, self.fallback) {
            (Ok(output), _) => Ok(SkillOutput { output, cost }),
            (Err(reason), Some(builtin)) => {
                tracing::warn!(skill = key, %reason, "the model's answer is unusable: using the built-in rules");
                let output = builtin(input).map_err(|message| SkillError::BadInput {
                    key: key.to_string(),
                    message,
                })?;
                Ok(SkillOutput { output, cost })
            }
            (Err(reason), None) => Err(SkillError::Failed {
                key: key.to_string(),
                message: format!("the model's answer is unusable: {reason}"),
            }),
        }
    }
}
