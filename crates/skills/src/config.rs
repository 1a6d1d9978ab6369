//! The registry a deployment's configuration describes (`[skills]`), and the sequence
//! definitions validated against it.

use std::time::Duration;

use baton_platform::{
    config::{Config, EndpointConfig, ModelPrice, Serving, SkillsConfig},
    sequences::Definitions,
};
use secrecy::ExposeSecret;

use crate::{Endpoints, HttpSkill, Pricing, Registry, llm::LlmClient};

/// A configured endpoint as an HTTP client target.
pub fn endpoint(e: &EndpointConfig, default_timeout_ms: u64) -> Result<HttpSkill, String> {
    Ok(HttpSkill {
        url: e
            .url
            .parse()
            .map_err(|err| format!("{} is not a URL: {err}", e.url))?,
        timeout: Duration::from_millis(e.timeout_ms.unwrap_or(default_timeout_ms)),
        token: e.token.as_ref().map(|t| t.expose_secret().to_string()),
    })
}

impl Registry {
    /// The built-ins plus the email provider, HTTP skills and edge functions in `[skills]`.
    pub fn from_config(s: &SkillsConfig) -> Result<Registry, String> {
        let email = s
            .email_url
            .as_ref()
            .map(|url| {
                endpoint(
                    &EndpointConfig {
                        url: url.clone(),
                        timeout_ms: None,
                        token: s.email_token.clone(),
                    },
                    s.timeout_ms,
                )
                .map_err(|e| format!("skills.email_url: {e}"))
            })
            .transpose()?;
        let collect = |section: &str, map: &std::collections::BTreeMap<String, EndpointConfig>| {
            map.iter()
                .map(|(k, e)| {
                    endpoint(e, s.timeout_ms)
                        .map(|h| (k.clone(), h))
                        .map_err(|err| format!("skills.{section}.{k}.url: {err}"))
                })
                .collect::<Result<_, String>>()
        };
        let registry = Registry::new(
            Endpoints {
                email,
                skills: collect("http", &s.http)?,
                functions: collect("functions", &s.functions)?,
            },
            Pricing {
                input_per_mtok: s.input_price_per_mtok,
                output_per_mtok: s.output_price_per_mtok,
            },
        );
        let mut registry = if s.benchmark {
            registry.with_benchmark_skills()
        } else {
            registry
        };
        if let Some(llm) = &s.llm {
            let price = ModelPrice {
                input_per_mtok: s.input_price_per_mtok,
                output_per_mtok: s.output_price_per_mtok,
            };
            let client = LlmClient::new(llm, s.timeout_ms, price)?;
            for (key, serving) in &s.serve {
                match serving {
                    Serving::Builtin => {}
                    Serving::Llm => registry.serve_with_model(key, &client, false)?,
                    Serving::LlmOrBuiltin => registry.serve_with_model(key, &client, true)?,
                }
            }
        }
        Ok(registry)
    }
}

/// The registry and the definitions in `sequences.dir`, validated against it.
pub fn load(config: &Config) -> anyhow::Result<(Registry, Definitions)> {
    let registry = Registry::from_config(&config.skills).map_err(anyhow::Error::msg)?;
    let catalog = registry.catalog();
    let set = baton_platform::sequences::load_dir(&config.sequences.dir, &catalog)?;
    Ok((registry, Definitions::new(set, catalog)))
}
