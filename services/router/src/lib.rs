//! The router: the only writer of a job's state.
//!
//! - On `baton.events` it runs the event pipeline ([`validate`]): decode (the runtime
//!   dead-letters what does not), org and user exist, chain depth, dedupe window, feature
//!   enabled, sequence defined, then budget and quiet hours decide how the job starts. Every
//!   skip is recorded with its reason (`skipped_events` + an audit record). An accepted event
//!   becomes a `sequence_jobs` row pinned to its definition's version and a ContextRequest;
//!   in quiet hours the job is created `deferred` with a timer for the user's next window.
//! - On `baton.step.results` it applies the result ([`apply`]) with the pure state machine
//!   (`baton_core::job`), persists it (version-checked) and carries out what the machine
//!   decided: dispatch a step, schedule a retry or deferral, ask for approval, queue
//!   follow-up events, pause, finish with the execution metadata.
//! - Its timers ([`timers`]) start deferred jobs, re-dispatch retried steps, apply an
//!   operator's resume/cancel/retry (`baton jobs`), resume budget-paused jobs when the
//!   budget allows, and run the pipeline scan ([`scan`]: one stale_deal_revival per stale
//!   deal), each once.
//!
//! [`repo`] holds all of its SQL and [`messages`] builds what it sends; `validate` and `apply`
//! use both, never each other. Every write and every message a step of this produces commit
//! in one transaction.

mod apply;
mod event;
mod gate;
mod messages;
mod repo;
mod scan;
mod slack;
mod timers;
mod validate;

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    runtime::{Handled, HandlerCtx},
    sequences::Definitions,
    service::Service,
    timers::Timer,
};
use baton_schemas::{OrchestratorEvent, StepResult, Topic};

pub const SERVICE: &str = "router";
/// Timer kinds the router fires.
pub use scan::PIPELINE_SCAN;
pub use timers::{BUDGET_CHECK, JOB_CONTROL, JOB_START, STEP_RETRY};

/// The router: shared by its consumer and its timer loop.
#[derive(Clone)]
pub struct Router {
    svc: Service,
    defs: Arc<Definitions>,
}

impl Component for Router {
    const NAME: &'static str = SERVICE;
    const TOPICS: &'static [Topic] = &[Topic::Events, Topic::StepResults];
    const TIMERS: &'static [&'static str] = &[
        JOB_START,
        STEP_RETRY,
        JOB_CONTROL,
        BUDGET_CHECK,
        PIPELINE_SCAN,
    ];

    /// Connects and loads the sequence definitions (start-up fails on any invalid one).
    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Router> {
        let (_registry, defs) = baton_skills::config::load(config)?;
        let svc = Self::connect(config, clock)
            .await?
            .with_timer_poll(config.router.timer_poll_ms);
        Ok(Router {
            svc,
            defs: Arc::new(defs),
        })
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Handled {
        if d.topic == self.svc.producer.topic(Topic::Events) {
            let ev: OrchestratorEvent = ctx.decode(d).await?;
            validate::on_event(self, ctx, ev).await
        } else {
            let r: StepResult = ctx.decode(d).await?;
            apply::on_result(self, ctx, r).await
        }
    }

    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
        timers::fire(self, ctx, timer).await
    }
}
