//! Schedules: the cron producers that make Baton proactive, run by the ingress.
//!
//! Every `schedules.plan_every_s` the planner lists the orgs (a narrow cross-org function)
//! and, in one scoped transaction per org, turns what it reads — users' brief times, zones
//! and working days, calendar events, campaign owners, switched-off features — into the
//! slots due from `catch_up_hours` ago to `horizon_hours` ahead ([`plan`]), written as rows
//! of the `timers` table ([`repo::reconcile`]): new slots are inserted, a slot whose time
//! changed (a new brief time, a rescheduled meeting) is moved, and a future slot no longer
//! planned (a cancelled or declined meeting, a switched-off feature) is removed.
//!
//! The timer loop fires each due slot once ([`fire`]): a slot is a row keyed by (org,
//! schedule, subject, local date), its firing claims the row, and its event's id derives
//! from that key — so several ingress replicas, or a restart, never fire a slot twice. A
//! slot found later than its grace window (downtime) is recorded as missed, not fired.

mod fire;
pub mod plan;
pub mod repo;

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::{Config, SchedulesConfig},
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    timers::Timer,
};
use baton_schemas::{OrgId, Topic};
use chrono::Duration;
use tokio_util::sync::CancellationToken;

pub use repo::Changes;

/// One of the schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    MorningBrief,
    PreMeeting,
    PipelineScan,
    CampaignCheck,
    CoachingWeekly,
}

impl Schedule {
    pub const ALL: [Schedule; 5] = [
        Schedule::MorningBrief,
        Schedule::PreMeeting,
        Schedule::PipelineScan,
        Schedule::CampaignCheck,
        Schedule::CoachingWeekly,
    ];

    /// Every schedule's timer kind.
    pub const KINDS: &'static [&'static str] = &[
        "cron:morning",
        "cron:pre_meeting",
        "cron:pipeline_scan",
        "cron:campaign_check",
        "cron:coaching_weekly",
    ];

    /// Its timer kind, which is also the `source` of the events it fires.
    pub fn kind(self) -> &'static str {
        Self::KINDS[self as usize]
    }

    pub fn from_kind(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.kind() == kind)
    }

    /// Its name in `[schedules]`.
    pub fn name(self) -> &'static str {
        match self {
            Schedule::MorningBrief => "morning_brief",
            Schedule::PreMeeting => "pre_meeting",
            Schedule::PipelineScan => "pipeline_scan",
            Schedule::CampaignCheck => "campaign_check",
            Schedule::CoachingWeekly => "coaching_weekly",
        }
    }

    /// The org feature that switches it off.
    pub fn feature(self) -> &'static str {
        match self {
            Schedule::MorningBrief => "morning_brief",
            Schedule::PreMeeting => "pre_meeting_prep",
            Schedule::PipelineScan => "stale_deal_scan",
            Schedule::CampaignCheck => "campaign_monitor",
            Schedule::CoachingWeekly => "weekly_coaching",
        }
    }

    /// The event it publishes; the pipeline scan instead asks the router to scan, which
    /// publishes one `stale_deal_revival` per stale deal.
    pub fn event_type(self) -> Option<&'static str> {
        match self {
            Schedule::MorningBrief => Some("morning_brief"),
            Schedule::PreMeeting => Some("pre_meeting_90min"),
            Schedule::PipelineScan => None,
            Schedule::CampaignCheck => Some("campaign_check"),
            Schedule::CoachingWeekly => Some("coaching_digest"),
        }
    }

    /// How late a firing may still run (after downtime).
    pub fn grace(self, cfg: &SchedulesConfig) -> Duration {
        let minutes = match self {
            Schedule::MorningBrief => cfg.morning_brief.grace_minutes,
            Schedule::PreMeeting => cfg.pre_meeting.grace_minutes,
            Schedule::PipelineScan => cfg.pipeline_scan.grace_minutes,
            Schedule::CampaignCheck => cfg.campaign_check.grace_minutes,
            Schedule::CoachingWeekly => cfg.coaching_weekly.grace_minutes,
        };
        Duration::minutes(minutes.into())
    }
}

/// The ingress's schedules: plans each org's slots and fires them.
#[derive(Clone)]
pub struct Scheduler {
    svc: Service,
    cfg: Arc<SchedulesConfig>,
}

impl Scheduler {
    pub fn new(svc: Service, config: &Config) -> Self {
        Scheduler {
            svc,
            cfg: Arc::new(config.schedules.clone()),
        }
    }

    /// Plans one org's slots around now; returns what changed.
    pub async fn plan_org(&self, org: &OrgId) -> anyhow::Result<Changes> {
        let mut tx = baton_platform::store::begin_for_org(&self.svc.pool, org).await?;
        let changes = self.plan_in(&mut tx, org).await?;
        tx.commit().await?;
        Ok(changes)
    }

    /// Plans one org's slots inside `tx` (scoped to it): what a calendar sync calls, so the
    /// slots move with the events in one commit.
    pub async fn plan_in(
        &self,
        tx: &mut sqlx::PgConnection,
        org: &OrgId,
    ) -> anyhow::Result<Changes> {
        let now = self.svc.now();
        let cfg = self.cfg.for_org(org.as_str());
        let from = now - Duration::hours(cfg.catch_up_hours.into());
        let to = now + Duration::hours(cfg.horizon_hours.into());
        let snap = repo::snapshot(tx, org, from, to).await?;
        let slots = plan::plan(&snap, &cfg, from, to)
            .map_err(|e| anyhow::anyhow!("planning the schedules of {org}: {e}"))?;
        repo::reconcile(tx, org, &slots, now).await
    }

    /// Plans every org once; an org that fails is logged and the others still planned.
    pub async fn plan_all(&self) -> anyhow::Result<Changes> {
        let mut total = Changes::default();
        for org in repo::orgs(&self.svc.pool).await? {
            match self.plan_org(&org).await {
                Ok(c) => {
                    if c != Changes::default() {
                        tracing::info!(%org, created = c.created, moved = c.moved, removed = c.removed, "schedules planned");
                    }
                    total += c;
                }
                Err(e) => {
                    tracing::warn!(%org, error = %format!("{e:#}"), "planning the org's schedules failed; retrying next round")
                }
            }
        }
        Ok(total)
    }

    /// Plans every `plan_every_s` and fires due slots until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let every = std::time::Duration::from_secs(self.cfg.plan_every_s);
        let planner = {
            let s = self.clone();
            let shutdown = shutdown.clone();
            async move {
                loop {
                    if let Err(e) = s.plan_all().await {
                        tracing::warn!(error = %format!("{e:#}"), "planning the schedules failed; retrying");
                    }
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(every) => {}
                    }
                }
            }
        };
        let (_, fired) = tokio::join!(planner, baton_platform::timers::run(self, shutdown));
        fired
    }
}

impl Component for Scheduler {
    const NAME: &'static str = crate::NAME;
    const TOPICS: &'static [Topic] = &[];
    const TIMERS: &'static [&'static str] = Schedule::KINDS;

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        Ok(Scheduler::new(Self::connect(config, clock).await?, config))
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, _: &mut HandlerCtx<'_>, _: &Delivery) -> Result<(), HandlerError> {
        Err(HandlerError::invalid("the scheduler consumes no topic"))
    }

    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Result<(), HandlerError> {
        fire::fire(&self.cfg, ctx, timer).await
    }
}
