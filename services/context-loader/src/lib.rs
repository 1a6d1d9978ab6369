//! The context-loader: answers a job's ContextRequest with the tiers it needs.
//!
//! - Tier 1, always: the org (profile, ICP, product profile), the user (role, time zone,
//!   quiet hours), the org's feature settings and its AI budget for the period.
//! - Tier 2, when the event names a contact or deal: the deal, the contact (the deal's
//!   primary contact when only the deal is named), the company, meeting history (titles and
//!   times; transcripts stay in `meetings` and are referenced by id), email threads (subjects
//!   and counts, never bodies) and recent activities.
//! - Tier 3, only the sources a step declares (`requires_context`): POSTed to the endpoint
//!   configured under `context.sources.<name>` with a timeout. A source that is not
//!   configured, fails or times out is listed in `skipped_sources` and the job goes on with
//!   what is available.

use std::{collections::BTreeMap, sync::Arc};

use anyhow::Context as _;
use baton_core::clock::{Clock, SystemClock};
use baton_platform::{
    bus::Delivery,
    config::Config,
    jobs,
    runtime::{HandlerCtx, HandlerError},
    service::Service,
};
use baton_schemas::{ContextLoaded, ContextRequest, StepOutcome, StepResult, Topic};
use baton_skills::HttpSkill;
use serde_json::{Map, Value, json};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;

pub const SERVICE: &str = "context-loader";

#[derive(Clone)]
pub struct ContextLoader {
    svc: Service,
    sources: Arc<BTreeMap<String, HttpSkill>>,
    client: reqwest::Client,
    clock: Arc<dyn Clock>,
    group: String,
}

/// Runs the context-loader until `shutdown`.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    ContextLoader::start(&config, Arc::new(SystemClock))
        .await?
        .run(shutdown)
        .await
}

impl ContextLoader {
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        baton_platform::install_crypto_provider();
        let sources = config
            .context
            .sources
            .iter()
            .map(|(name, e)| {
                baton_skills::config::endpoint(e, config.context.timeout_ms)
                    .map(|h| (name.clone(), h))
                    .map_err(|err| anyhow::anyhow!("context.sources.{name}.url: {err}"))
            })
            .collect::<anyhow::Result<_>>()?;
        let svc = Service::start(SERVICE, config)
            .await
            .context("starting the context-loader")?;
        Ok(Self {
            svc,
            sources: Arc::new(sources),
            client: reqwest::Client::new(),
            clock,
            group: format!("{}context-loader", config.bus.topic_prefix),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let svc = self.svc.clone();
        let group = self.group.clone();
        svc.consume(&group, &[Topic::ContextRequests], self, shutdown)
            .await
    }

    async fn load(
        &self,
        tx: &mut PgConnection,
        req: &ContextRequest,
    ) -> Result<(Value, Vec<String>), HandlerError> {
        let mut ctx = Map::new();
        // Tier 1.
        let one = |sql: &'static str| sqlx::query_scalar::<_, Value>(sql);
        let org: Option<Value> = one(
            "SELECT jsonb_build_object('id', id, 'name', name, 'domain', domain,
                    'default_currency', default_currency, 'profile', profile, 'icp', icp,
                    'product_profile', product_profile)
             FROM orgs WHERE id = $1",
        )
        .bind(&req.org_id)
        .fetch_optional(&mut *tx)
        .await?;
        ctx.insert("org".into(), org.unwrap_or(Value::Null));
        let user: Option<Value> = one(
            "SELECT jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role, 'is_admin', u.is_admin,
                    'manager_id', u.manager_id, 'timezone', COALESCE(p.timezone, 'UTC'),
                    'quiet_hours_start', to_char(p.quiet_hours_start, 'HH24:MI'),
                    'quiet_hours_end', to_char(p.quiet_hours_end, 'HH24:MI'),
                    'max_notifications_per_hour', p.max_notifications_per_hour,
                    'morning_brief_time', to_char(p.morning_brief_time, 'HH24:MI'))
             FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id
             WHERE u.id = $1",
        )
        .bind(&req.user_id)
        .fetch_optional(&mut *tx)
        .await?;
        ctx.insert("user".into(), user.unwrap_or(Value::Null));
        let features: Value = one(
            "SELECT COALESCE(jsonb_object_agg(feature, enabled), '{}'::jsonb)
             FROM notification_feature_settings WHERE org_id = $1",
        )
        .bind(&req.org_id)
        .fetch_one(&mut *tx)
        .await?;
        ctx.insert("features".into(), features);
        let now = self.clock.now();
        if let Some(b) = jobs::budget(tx, &req.org_id, now).await? {
            ctx.insert(
                "budget".into(),
                json!({
                    "period": baton_core::budget::period_of(now),
                    "monthly_limit_usd": b.monthly_limit.usd(),
                    "spent_usd": b.spent.usd(),
                    "alert_at_pct": b.alert_at_pct,
                    "hard_stop": b.hard_stop,
                }),
            );
        }
        // Tier 2.
        if req.tiers.contains(&2) {
            self.tier2(tx, req, &mut ctx).await?;
        }
        // Tier 3.
        let mut skipped = Vec::new();
        for source in &req.tier3_sources {
            match self.tier3(req, source, &ctx).await {
                Ok(v) => {
                    ctx.insert(source.clone(), v);
                }
                Err(reason) => {
                    tracing::warn!(job = %req.job_id, source, reason, "tier-3 source skipped");
                    skipped.push(source.clone());
                }
            }
        }
        Ok((Value::Object(ctx), skipped))
    }

    async fn tier2(
        &self,
        tx: &mut PgConnection,
        req: &ContextRequest,
        ctx: &mut Map<String, Value>,
    ) -> Result<(), HandlerError> {
        let deal = row(
            tx,
            "SELECT to_jsonb(d) - 'org_id' FROM deals d WHERE id = $1",
            req.deal_id.clone(),
        )
        .await?;
        let contact_id = req.contact_id.clone().or_else(|| {
            deal.get("primary_contact_id")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let contact = row(
            tx,
            "SELECT to_jsonb(c) - 'org_id' FROM contacts c WHERE id = $1",
            contact_id.clone(),
        )
        .await?;
        let company_id = deal
            .get("company_id")
            .or_else(|| contact.get("company_id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let company = row(
            tx,
            "SELECT to_jsonb(c) - 'org_id' FROM companies c WHERE id = $1",
            company_id,
        )
        .await?;
        let (deal_id, contact_id) = (req.deal_id.clone(), contact_id);
        let meetings: Value = sqlx::query_scalar(
            "SELECT COALESCE(jsonb_agg(m ORDER BY m->>'starts_at' DESC), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('id', id, 'title', title, 'kind', kind, 'status', status,
                                          'starts_at', starts_at, 'has_transcript', transcript IS NOT NULL) AS m
                FROM meetings WHERE deal_id = $1 OR contact_id = $2
                ORDER BY starts_at DESC NULLS LAST LIMIT 10) recent",
        )
        .bind(&deal_id)
        .bind(&contact_id)
        .fetch_one(&mut *tx)
        .await?;
        let threads: Value = sqlx::query_scalar(
            "SELECT COALESCE(jsonb_agg(t), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('id', id, 'subject', subject, 'messages', jsonb_array_length(messages),
                                          'last_message_at', last_message_at) AS t
                FROM email_threads WHERE deal_id = $1 OR contact_id = $2
                ORDER BY last_message_at DESC NULLS LAST LIMIT 10) recent",
        )
        .bind(&deal_id)
        .bind(&contact_id)
        .fetch_one(&mut *tx)
        .await?;
        let activities: Value = sqlx::query_scalar(
            "SELECT COALESCE(jsonb_agg(a), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('kind', kind, 'summary', summary, 'occurred_at', occurred_at) AS a
                FROM activities WHERE deal_id = $1 OR contact_id = $2
                ORDER BY occurred_at DESC LIMIT 20) recent",
        )
        .bind(&deal_id)
        .bind(&contact_id)
        .fetch_one(&mut *tx)
        .await?;
        ctx.insert("deal".into(), deal);
        ctx.insert("contact".into(), contact);
        ctx.insert("company".into(), company);
        ctx.insert("meetings".into(), meetings);
        ctx.insert("email_threads".into(), threads);
        ctx.insert("activities".into(), activities);
        Ok(())
    }

    async fn tier3(
        &self,
        req: &ContextRequest,
        source: &str,
        ctx: &Map<String, Value>,
    ) -> Result<Value, String> {
        let http = self
            .sources
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

async fn row(
    tx: &mut PgConnection,
    sql: &'static str,
    id: Option<String>,
) -> Result<Value, sqlx::Error> {
    match id {
        Some(id) => sqlx::query_scalar::<_, Value>(sql)
            .bind(id)
            .fetch_optional(tx)
            .await
            .map(|v| v.unwrap_or(Value::Null)),
        None => Ok(Value::Null),
    }
}

impl baton_platform::runtime::Handler for ContextLoader {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let req: ContextRequest = ctx.decode(d).await?;
        ctx.set_org(&req.org_id).await?;
        let (context, skipped_sources) = self.load(ctx.tx, &req).await?;
        ctx.emit(&StepResult {
            result_id: uuid::Uuid::now_v7().to_string(),
            job_id: req.job_id.clone(),
            org_id: req.org_id.clone(),
            result: StepOutcome::ContextLoaded(ContextLoaded {
                context,
                skipped_sources,
                loaded_at: self.clock.now(),
            }),
        })
    }
}
