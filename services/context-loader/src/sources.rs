//! Tier 3: the external sources steps declare (`requires_context`), each POSTed to the
//! endpoint configured under `context.sources.<name>` with a timeout. A source that is not
//! configured, fails or times out is skipped, never fatal.

use std::collections::BTreeMap;

use baton_platform::config::ContextConfig;
use baton_schemas::ContextRequest;
use baton_skills::HttpSkill;
use serde_json::{Map, Value, json};

/// The tier-3 sources read from Postgres by the loader itself (see `tiers`).
pub(crate) const CALENDARS: &str = "calendars";
pub(crate) const CRM: &str = "crm";
pub(crate) const INBOX: &str = "inbox";
pub(crate) const WEEK_MEETINGS: &str = "week_meetings";

pub(crate) struct Sources {
    endpoints: BTreeMap<String, HttpSkill>,
    client: reqwest::Client,
}

impl Sources {
    pub(crate) fn from_config(config: &ContextConfig) -> anyhow::Result<Sources> {
        baton_platform::install_crypto_provider();
        let endpoints = config
            .sources
            .iter()
            .map(|(name, e)| {
                baton_skills::config::endpoint(e, config.timeout_ms)
                    .map(|h| (name.clone(), h))
                    .map_err(|err| anyhow::anyhow!("context.sources.{name}.url: {err}"))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Sources {
            endpoints,
            client: reqwest::Client::new(),
        })
    }

    /// Adds each requested source to `ctx`; returns the ones that were skipped.
    pub(crate) async fn load(
        &self,
        req: &ContextRequest,
        ctx: &mut Map<String, Value>,
    ) -> Vec<String> {
        let mut skipped = Vec::new();
        for source in req
            .tier3_sources
            .iter()
            .filter(|s| ![CALENDARS, CRM, INBOX, WEEK_MEETINGS].contains(&s.as_str()))
        {
            match self.fetch(req, source, ctx).await {
                Ok(v) => {
                    ctx.insert(source.clone(), v);
                }
                Err(reason) => {
                    tracing::warn!(job = %req.job_id, source, reason, "tier-3 source skipped");
                    skipped.push(source.clone());
                }
            }
        }
        skipped
    }

    async fn fetch(
        &self,
        req: &ContextRequest,
        source: &str,
        ctx: &Map<String, Value>,
    ) -> Result<Value, String> {
        let http = self
            .endpoints
            .get(source)
            .ok_or_else(|| format!("context.sources.{source}.url is not configured"))?;
        let input = json!({
            "org_id": req.org_id,
            "source": source,
            "event_type": req.event_type,
            "deal": ctx.get("deal"),
            "contact": ctx.get("contact"),
            "company": ctx.get("company"),
        });
        http.call(
            &self.client,
            source,
            &format!("{}:context:{source}", req.job_id),
            &input,
        )
        .await
        .map(|o| o.output)
        .map_err(|e| e.to_string())
    }
}
