//! The context-loader: answers a job's ContextRequest with the tiers it needs.
//!
//! - Tier 1, always: the org (profile, ICP, product profile), the user (role, time zone,
//!   quiet hours), the org's feature settings and its AI budget for the period.
//! - Tier 2, when the event names a contact or deal: the deal, the contact (the deal's
//!   primary contact when only the deal is named), the company, meeting history (titles and
//!   times; transcripts stay in `meetings` and are referenced by id), email threads (subjects
//!   and counts, never bodies) and recent activities.
//! - Tier 3, only the sources a step declares (`requires_context`): `calendars` (the user's
//!   and the contact's calendars), `crm` (the org in the sample-data format: users,
//!   contacts, companies, the user's deals and campaigns), `inbox` (the user's last week of
//!   messages) and `week_meetings` (the user's recorded meetings of the last 7 days, with
//!   transcripts, for coaching) are built in, read from Postgres; every other source is POSTed to
//!   the endpoint configured under `context.sources.<name>` with a timeout. A source that is
//!   not configured, fails or times out is listed in `skipped_sources` and the job goes on
//!   with what is available.
//!
//! Tiers 1 and 2 are read in [`tiers`] (all of the loader's SQL); tier 3 is [`sources`].

mod sources;
mod tiers;

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    runtime::{Handled, HandlerCtx, parse_field},
    service::Service,
};
use baton_schemas::{ContextLoaded, ContextRequest, StepOutcome, StepResult, Topic, UserId};
use serde_json::{Map, Value};

use crate::sources::Sources;

pub const SERVICE: &str = "context-loader";

#[derive(Clone)]
pub struct ContextLoader {
    svc: Service,
    sources: Arc<Sources>,
}

impl Component for ContextLoader {
    const NAME: &'static str = SERVICE;
    const TOPICS: &'static [Topic] = &[Topic::ContextRequests];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let sources = Sources::from_config(&config.context)?;
        let svc = Self::connect(config, clock).await?;
        Ok(Self {
            svc,
            sources: Arc::new(sources),
        })
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Handled {
        let req: ContextRequest = ctx.decode(d).await?;
        let org = ctx.enter_org(&req.org_id).await?;
        let user: UserId = parse_field("user_id", &req.user_id)?;
        let mut context = Map::new();
        tiers::one(ctx, &org, &user, &mut context).await?;
        if req.tiers.contains(&2) {
            tiers::two(ctx.tx, &req, &mut context).await?;
        }
        let wants = |name: &str| req.tier3_sources.iter().any(|s| s == name);
        if wants(sources::CALENDARS) {
            tiers::calendars(ctx.tx, &req, ctx.now(), &mut context).await?;
        }
        if wants(sources::CRM) {
            tiers::crm(ctx.tx, &req, ctx.now(), &mut context).await?;
        }
        if wants(sources::INBOX) {
            tiers::inbox(ctx.tx, &req, ctx.now(), &mut context).await?;
        }
        if wants(sources::WEEK_MEETINGS) {
            tiers::week_meetings(ctx.tx, &req, ctx.now(), &mut context).await?;
        }
        let skipped_sources = self.sources.load(&req, &mut context).await;
        let loaded_at = ctx.now();
        ctx.emit(&StepResult {
            result_id: uuid::Uuid::now_v7().to_string(),
            job_id: req.job_id.clone(),
            org_id: req.org_id.clone(),
            result: StepOutcome::ContextLoaded(ContextLoaded {
                context: Value::Object(context),
                skipped_sources,
                loaded_at,
            }),
        })
    }
}
