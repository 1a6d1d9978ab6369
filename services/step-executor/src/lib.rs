//! The step-executor: runs one step of a job given its accumulated outputs, and publishes
//! the result as a StepFinished event.
//!
//! - Before every `ai` step it checks the org's budget: spent → the step comes back
//!   `Deferred` with `pause: budget_exceeded` (the router pauses the job and tells the rep,
//!   once per budget period); near the limit → the step runs and the rep is alerted once.
//! - Skills run from the registry (built-in or HTTP); `function` steps call the configured
//!   edge function; `crm` actions ([`crm`]) write CRM rows here, in the step's transaction,
//!   each with a unique idempotency key; `notify` steps and inform-only skill output become
//!   Notifications. All of that is [`step`].
//! - An HTTP 429 defers the step (Retry-After, else 5 minutes); transient failures are
//!   retryable failures (the sequence's `on_failure` decides); nothing sleeps here.
//! - Every side effect carries the idempotency key `job:step:attempt-group`; the cost goes
//!   to `ai_cost_ledger` (once per attempt); the attempt is recorded in `step_runs`
//!   ([`repo`]). A request for an attempt that already finished re-publishes that result.
//! - Every minute it rolls the ledger up into the per-org totals the budget check reads
//!   ([`baton_platform::ai_costs`]).

mod crm;
mod meetings;
mod repo;
mod step;

use std::{sync::Arc, time::Instant};

use baton_core::{clock::Clock, job::JobState, sequence::Step, status::JobStatus};
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    jobs::JobRow,
    runtime::{Handled, HandlerCtx, HandlerError},
    sequences::Definitions,
    service::Service,
};
use baton_schemas::{StepFinished, StepOutcome, StepRequest, StepResult, Topic};
use baton_skills::Registry;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::repo::Run;

pub const SERVICE: &str = "step-executor";
/// How long a rate-limited step waits when the service gave no Retry-After.
pub const RATE_LIMIT_DEFAULT_MS: u64 = 5 * 60 * 1000;

#[derive(Clone)]
pub struct Executor {
    svc: Service,
    registry: Arc<Registry>,
    defs: Arc<Definitions>,
    /// The meetings transcript skills read, cached by row version.
    meetings: Arc<meetings::Meetings>,
}

impl Component for Executor {
    const NAME: &'static str = SERVICE;
    const TOPICS: &'static [Topic] = &[Topic::StepRequests];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let (registry, defs) = baton_skills::config::load(config)?;
        let svc = Self::connect(config, clock).await?;
        Ok(Self {
            svc,
            registry: Arc::new(registry),
            defs: Arc::new(defs),
            meetings: Default::default(),
        })
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    /// Consumes step requests, and rolls AI costs up beside it.
    async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let roll_up = tokio::spawn(baton_platform::ai_costs::run(
            self.svc.pool.clone(),
            shutdown.clone(),
        ));
        let consumed = baton_platform::component::run(self, shutdown.clone()).await;
        shutdown.cancel();
        roll_up.await.ok();
        consumed
    }

    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Handled {
        let req: StepRequest = ctx.decode(d).await?;
        self.execute(ctx, req).await
    }
}

impl Executor {
    /// Runs the step `req` asks for, once per attempt, and publishes its result.
    async fn execute(&self, ctx: &mut HandlerCtx<'_>, req: StepRequest) -> Handled {
        ctx.enter_org(&req.org_id).await?;
        let job = JobRow::named(ctx.tx, &req.job_id, false).await?;
        let job_id = job.id;
        if let Some(previous) =
            repo::finished_run(ctx.tx, job_id, req.step_index, req.attempt).await?
        {
            // Already ran (a redelivered or re-dispatched request): say the same again.
            return ctx.emit(&result(&req, previous, ctx.now()));
        }
        let state = job.state()?;
        if !is_current(&state, &req) {
            tracing::debug!(job = %job_id, index = req.step_index, attempt = req.attempt, "step request is not the job's current step: ignored");
            return Ok(());
        }
        let seq = self
            .defs
            .pinned(ctx.tx, &req.sequence_version)
            .await
            .map_err(|e| HandlerError::Retryable(anyhow::anyhow!("{e}")))?;
        let Some(step) = usize::try_from(req.step_index)
            .ok()
            .and_then(|i| seq.steps.get(i))
        else {
            return Err(HandlerError::invalid(format!(
                "step {} does not exist in sequence {} version {}",
                req.step_index, seq.event, seq.version
            )));
        };
        self.run_and_record(ctx, &job, &state, step, &req).await
    }

    async fn run_and_record(
        &self,
        ctx: &mut HandlerCtx<'_>,
        job: &JobRow,
        state: &JobState,
        step: &Step,
        req: &StepRequest,
    ) -> Handled {
        let started = Instant::now();
        let now = ctx.now();
        let done = step::run(self, ctx, job, state, step, req).await?;
        let elapsed = started.elapsed();
        let duration_ms = elapsed.as_millis() as i64;
        let run = repo::record(ctx.tx, job, step, req, done, duration_ms, now).await?;
        metrics::histogram!("baton_step_duration_seconds", "sequence" => job.event_type.clone(),
            "step" => step.name.clone(), "status" => run.status.to_string())
        .record(elapsed.as_secs_f64());
        tracing::info!(job = %job.id, step = %step.name, attempt = req.attempt, status = %run.status, duration_ms, "step ran");
        ctx.emit(&result(req, run, now))
    }
}

/// The request is for the step and attempt the job is waiting for.
fn is_current(state: &JobState, req: &StepRequest) -> bool {
    state.status == JobStatus::InProgress
        && state.current_step == usize::try_from(req.step_index).ok()
        && i32::try_from(state.attempt).ok() == Some(req.attempt)
}

fn result(req: &StepRequest, run: Run, now: chrono::DateTime<chrono::Utc>) -> StepResult {
    StepResult {
        result_id: Uuid::now_v7().to_string(),
        job_id: req.job_id.clone(),
        org_id: req.org_id.clone(),
        result: StepOutcome::StepFinished(StepFinished {
            step_index: req.step_index,
            step_name: req.step_name.clone(),
            attempt: req.attempt,
            status: run.status,
            output: run.output,
            error: run.error,
            retryable: run.retryable,
            cost_usd: run.cost_usd,
            duration_ms: run.duration_ms,
            finished_at: now,
        }),
    }
}
