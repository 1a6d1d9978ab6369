//! The router: the only writer of a job's state.
//!
//! - On `baton.events` it validates each event in the order ARCHITECTURE.md gives — decode
//!   (the runtime dead-letters what does not), org and user exist, chain depth, dedupe window,
//!   feature enabled, sequence defined, budget, quiet hours — and records every skip with its
//!   reason (`skipped_events` + an audit record). An accepted event becomes a `sequence_jobs`
//!   row pinned to its definition's version and a ContextRequest; in quiet hours the job is
//!   created `deferred` with a timer for the user's next active window.
//! - On `baton.step.results` it applies the result to the job's state with the pure state
//!   machine (`baton_core::job`), persists it (version-checked) and carries out what the
//!   machine decided: dispatch a step, schedule a retry or deferral on `timers`, ask for
//!   approval, queue follow-up events, pause, finish with the execution metadata.
//! - A timer loop fires due `job_start` and `step_retry` timers, each exactly once.
//!
//! Every write and every message a step of this produces commit in one transaction.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use anyhow::Context as _;
use baton_core::{
    budget::BudgetDecision,
    chain,
    clock::{Clock, SystemClock},
    expr::Scope,
    job::{self, Command, Decision, JobState, JobStatus, Signal, StepOutcome as Outcome},
    quiet_hours::UserTime,
    sequence::{Action, OnTimeout, Sequence},
};
use baton_platform::{
    bus::Delivery,
    config::Config,
    jobs::{self, JobRow},
    runtime::{HandlerCtx, HandlerError},
    sequences::Definitions,
    service::Service,
    store, timers,
};
use baton_schemas::{
    ApprovalRequest, ContextRequest, Message, OrchestratorEvent, Resolution, StepRequest,
    StepResult, StepStatus, TimeoutAction, Topic,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub const SERVICE: &str = "router";
/// Timer kinds the router fires.
pub const JOB_START: &str = "job_start";
pub const STEP_RETRY: &str = "step_retry";
const KINDS: &[&str] = &[JOB_START, STEP_RETRY];

/// The router's state: shared by its consumer and its timer loop.
#[derive(Clone)]
pub struct Router {
    svc: Service,
    defs: Arc<Definitions>,
    clock: Arc<dyn Clock>,
    timer_poll: Duration,
    group: String,
}

/// Runs the router until `shutdown`.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    Router::start(&config, Arc::new(SystemClock))
        .await?
        .run(shutdown)
        .await
}

impl Router {
    /// Connects and loads the sequence definitions (start-up fails on any invalid one).
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Router> {
        let (_registry, defs) = baton_skills::config::load(config)?;
        let svc = Service::start(SERVICE, config)
            .await
            .context("starting the router")?;
        Ok(Router {
            svc,
            defs: Arc::new(defs),
            clock,
            timer_poll: Duration::from_millis(config.router.timer_poll_ms.max(10)),
            group: format!("{}router", config.bus.topic_prefix),
        })
    }

    /// Consumes events and step results, and fires timers, until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let (svc, group, poll) = (self.svc.clone(), self.group.clone(), self.timer_poll);
        let topics = [Topic::Events, Topic::StepResults];
        svc.consume_with_timers(&group, &topics, self, KINDS, poll, shutdown)
            .await
    }

    /// Fires every due router timer once; returns how many fired.
    pub async fn fire_due_timers(&self) -> anyhow::Result<usize> {
        timers::fire_due(self, KINDS).await
    }

    async fn fire_timer(
        &self,
        ctx: &mut HandlerCtx<'_>,
        timer: &timers::Timer,
    ) -> Result<(), HandlerError> {
        let job_id = timer.payload["job_id"]
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| HandlerError::invalid("timer payload has no job_id"))?;
        let Some(job) = JobRow::load(ctx.tx, job_id, true).await? else {
            tracing::warn!(job = %job_id, "timer for a job that does not exist");
            return Ok(());
        };
        let now = self.clock.now();
        match timer.kind.as_str() {
            JOB_START => {
                if job.status != "deferred" {
                    return Ok(());
                }
                let seq = self.pinned(ctx, &job).await?;
                sqlx::query(
                    "UPDATE sequence_jobs SET status = 'pending', version = version + 1, updated_at = now()
                     WHERE id = $1 AND version = $2",
                )
                .bind(job.id)
                .bind(job.version)
                .execute(&mut *ctx.tx)
                .await?;
                ctx.emit(&context_request(
                    job.id,
                    &job.org_id,
                    &job.user_id,
                    &job.event_type,
                    &job.trigger_payload,
                    &seq,
                    now,
                ))?;
                self.audit(
                    ctx,
                    &job.org_id,
                    Some(job.id),
                    "job.started",
                    json!({ "after": "quiet_hours", "deferred_until": timer.due_at }),
                )
                .await
            }
            STEP_RETRY => {
                let state = job.state()?;
                let index = timer.payload["index"].as_u64().unwrap_or(u64::MAX) as usize;
                let attempt = timer.payload["attempt"].as_u64().unwrap_or(0) as u32;
                if state.status != JobStatus::InProgress
                    || state.current_step != Some(index)
                    || state.attempt != attempt
                {
                    tracing::debug!(job = %job.id, index, attempt, "retry timer no longer current");
                    return Ok(());
                }
                let seq = self.pinned(ctx, &job).await?;
                ctx.emit(&step_request(&job, &seq, index, attempt, now))
            }
            other => Err(HandlerError::invalid(format!("unknown timer kind {other}"))),
        }
    }

    async fn pinned(
        &self,
        ctx: &mut HandlerCtx<'_>,
        job: &JobRow,
    ) -> Result<Arc<Sequence>, HandlerError> {
        self.defs
            .pinned(ctx.tx, &job.sequence_version)
            .await
            .map_err(|e| {
                HandlerError::Retryable(anyhow::anyhow!(
                    "job {}: sequence version {}: {e}",
                    job.id,
                    job.sequence_version
                ))
            })
    }

    async fn audit(
        &self,
        ctx: &mut HandlerCtx<'_>,
        org_id: &str,
        job_id: Option<Uuid>,
        action: &str,
        detail: Value,
    ) -> Result<(), HandlerError> {
        jobs::audit(
            ctx,
            SERVICE,
            org_id,
            job_id,
            "router",
            action,
            detail,
            self.clock.now(),
        )
        .await
    }

    /// Records a pause; a budget pause also tells the rep (once per budget period).
    async fn paused(
        &self,
        ctx: &mut HandlerCtx<'_>,
        org_id: &str,
        user_id: &str,
        job_id: Uuid,
        reason: &str,
        step: Option<usize>,
    ) -> Result<(), HandlerError> {
        if reason == "budget_exceeded" {
            jobs::notify_budget_exceeded(ctx, org_id, user_id, job_id, self.clock.now()).await?;
        }
        self.audit(
            ctx,
            org_id,
            Some(job_id),
            "job.paused",
            json!({ "reason": reason, "step": step }),
        )
        .await
    }

    // ---- events ----------------------------------------------------------------------

    async fn skip(
        &self,
        ctx: &mut HandlerCtx<'_>,
        ev: &OrchestratorEvent,
        reason: &str,
        detail: Value,
    ) -> Result<(), HandlerError> {
        tracing::info!(org = %ev.org_id, event_type = %ev.event_type, event_id = %ev.event_id, reason, "event skipped");
        sqlx::query(
            "INSERT INTO skipped_events (id, org_id, user_id, event_id, event_type, reason, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(&ev.org_id)
        .bind(&ev.user_id)
        .bind(Uuid::parse_str(&ev.event_id).ok())
        .bind(&ev.event_type)
        .bind(reason)
        .bind(&detail)
        .execute(&mut *ctx.tx)
        .await?;
        let mut d = json!({
            "event_id": ev.event_id,
            "event_type": ev.event_type,
            "user_id": ev.user_id,
            "reason": reason,
        });
        if let (Some(d), Some(extra)) = (d.as_object_mut(), detail.as_object()) {
            d.extend(extra.clone());
        }
        self.audit(ctx, &ev.org_id, None, "event.skipped", d).await
    }

    async fn on_event(
        &self,
        ctx: &mut HandlerCtx<'_>,
        ev: OrchestratorEvent,
    ) -> Result<(), HandlerError> {
        ctx.set_org(&ev.org_id).await?;
        let now = self.clock.now();
        // Org and user exist.
        let org_exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $1)")
                .bind(&ev.org_id)
                .fetch_one(&mut *ctx.tx)
                .await?;
        if !org_exists {
            return self.skip(ctx, &ev, "unknown_org", json!({})).await;
        }
        let user: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT COALESCE(p.timezone, 'UTC'), to_char(p.quiet_hours_start, 'HH24:MI'),
                    to_char(p.quiet_hours_end, 'HH24:MI')
             FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id
             WHERE u.id = $1 AND u.org_id = $2",
        )
        .bind(&ev.user_id)
        .bind(&ev.org_id)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        let Some((tz, quiet_start, quiet_end)) = user else {
            return self.skip(ctx, &ev, "unknown_user", json!({})).await;
        };
        // Chain depth.
        if let Err(e) = chain::admit(ev.chain_depth) {
            tracing::warn!(org = %ev.org_id, event_type = %ev.event_type, depth = ev.chain_depth, parent = ?ev.parent_job_id, "{e}: no job created");
            return self
                .skip(
                    ctx,
                    &ev,
                    "chain_depth_exceeded",
                    json!({ "chain_depth": ev.chain_depth, "max": chain::MAX_CHAIN_DEPTH, "parent_job_id": ev.parent_job_id }),
                )
                .await;
        }
        let seq = self.defs.current(&ev.event_type);
        let event = event_json(&ev);
        // Dedupe window.
        let (key, window) = dedupe_key(&ev, &event, seq);
        let claimed = sqlx::query(
            "INSERT INTO processed_events (org_id, event_type, dedupe_key, event_id, first_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $5 + $6 * interval '1 millisecond')
             ON CONFLICT (org_id, event_type, dedupe_key) DO UPDATE
               SET event_id = EXCLUDED.event_id, first_seen_at = EXCLUDED.first_seen_at,
                   expires_at = EXCLUDED.expires_at
               WHERE processed_events.expires_at <= EXCLUDED.first_seen_at
                  OR processed_events.event_id = EXCLUDED.event_id",
        )
        .bind(&ev.org_id)
        .bind(&ev.event_type)
        .bind(&key)
        .bind(Uuid::parse_str(&ev.event_id).map_err(|e| HandlerError::invalid(format!("event_id: {e}")))?)
        .bind(now)
        .bind(window.as_millis() as f64)
        .execute(&mut *ctx.tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            let first: Option<(Uuid, DateTime<Utc>)> = sqlx::query_as(
                "SELECT event_id, first_seen_at FROM processed_events
                 WHERE org_id = $1 AND event_type = $2 AND dedupe_key = $3",
            )
            .bind(&ev.org_id)
            .bind(&ev.event_type)
            .bind(&key)
            .fetch_optional(&mut *ctx.tx)
            .await?;
            return self
                .skip(
                    ctx,
                    &ev,
                    "duplicate",
                    json!({
                        "dedupe_key": key,
                        "window_s": window.as_secs(),
                        "first_event_id": first.as_ref().map(|f| f.0.to_string()),
                        "first_seen_at": first.map(|f| f.1),
                    }),
                )
                .await;
        }
        // Feature enabled for the org (no row: enabled, the column's default).
        let feature = seq
            .and_then(|s| s.feature.clone())
            .unwrap_or_else(|| ev.event_type.clone());
        let enabled: Option<bool> = sqlx::query_scalar(
            "SELECT enabled FROM notification_feature_settings WHERE org_id = $1 AND feature = $2",
        )
        .bind(&ev.org_id)
        .bind(&feature)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        if enabled == Some(false) {
            return self
                .skip(ctx, &ev, "feature_disabled", json!({ "feature": feature }))
                .await;
        }
        // Sequence defined.
        let Some(seq) = seq else {
            tracing::warn!(org = %ev.org_id, event_type = %ev.event_type, "no sequence is defined for this event type: ignored");
            return self.skip(ctx, &ev, "unknown_event_type", json!({})).await;
        };
        if ev.chain_depth == chain::MAX_CHAIN_DEPTH
            && seq
                .steps
                .iter()
                .any(|s| matches!(s.action, Action::Followup(_)))
        {
            tracing::warn!(org = %ev.org_id, event_type = %ev.event_type, depth = ev.chain_depth, "job at the maximum chain depth: its follow-ups will not be queued");
        }
        // Budget available (only sequences with AI steps spend it).
        let job_id = Uuid::now_v7();
        let mut status = "pending";
        let mut paused_reason = None;
        let mut deferred_until = None;
        if seq.steps.iter().any(|s| s.ai) {
            let budget = jobs::budget(ctx.tx, &ev.org_id, now).await?;
            if budget.is_some_and(|b| b.check(Default::default()) == BudgetDecision::Pause) {
                status = "paused";
                paused_reason = Some("budget_exceeded");
            }
        }
        // Quiet hours: defer the run to the user's next active window.
        if status == "pending" && !seq.run_in_quiet_hours {
            match UserTime::parse(&tz, quiet_start.as_deref(), quiet_end.as_deref()) {
                Ok(ut) if ut.is_quiet(now) => {
                    status = "deferred";
                    deferred_until = Some(ut.next_active(now));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(org = %ev.org_id, user = %ev.user_id, error = %e, "user's quiet hours are invalid; running now")
                }
            }
        }
        // Create the job.
        self.defs.store(ctx.tx, seq).await?;
        let mut state = JobState::default();
        if let Some(reason) = paused_reason {
            state.status = JobStatus::Paused;
            state.paused_reason = Some(reason.to_string());
        }
        let created = sqlx::query(
            "INSERT INTO sequence_jobs (id, org_id, user_id, event_id, event_type, event_source, event_chain,
                                        trigger_payload, context, status, paused_reason, chain_depth, sequence_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (org_id, event_id) DO NOTHING",
        )
        .bind(job_id)
        .bind(&ev.org_id)
        .bind(&ev.user_id)
        .bind(Uuid::parse_str(&ev.event_id).unwrap_or_default())
        .bind(&ev.event_type)
        .bind(&ev.source)
        .bind(chain::new_chain(ev.parent_job_id.as_deref()))
        .bind(&ev.payload)
        .bind(serde_json::to_value(&state).unwrap_or_default())
        .bind(status)
        .bind(paused_reason)
        .bind(ev.chain_depth)
        .bind(&seq.version)
        .execute(&mut *ctx.tx)
        .await?
        .rows_affected();
        if created == 0 {
            return self.skip(ctx, &ev, "already_routed", json!({})).await;
        }
        if let Some(parent) = ev
            .parent_job_id
            .as_deref()
            .and_then(|p| Uuid::parse_str(p).ok())
        {
            // Only event_chain changes here; the parent's state and version are the
            // parent's own results' to write.
            sqlx::query(
                "UPDATE sequence_jobs
                 SET event_chain = jsonb_set(event_chain, '{children}',
                                             COALESCE(event_chain -> 'children', '[]'::jsonb) || to_jsonb($2::text))
                 WHERE id = $1 AND NOT COALESCE(event_chain -> 'children', '[]'::jsonb) ? $2",
            )
            .bind(parent)
            .bind(job_id.to_string())
            .execute(&mut *ctx.tx)
            .await?;
        }
        let detail = json!({
            "event_id": ev.event_id,
            "event_type": ev.event_type,
            "event_source": ev.source,
            "sequence_version": seq.version,
            "chain_depth": ev.chain_depth,
            "parent_job_id": ev.parent_job_id,
            "status": status,
        });
        self.audit(ctx, &ev.org_id, Some(job_id), "job.created", detail)
            .await?;
        match status {
            "paused" => {
                tracing::warn!(org = %ev.org_id, job = %job_id, "AI budget exhausted: job created paused");
                self.paused(
                    ctx,
                    &ev.org_id,
                    &ev.user_id,
                    job_id,
                    "budget_exceeded",
                    None,
                )
                .await
            }
            "deferred" => {
                let until = deferred_until.unwrap_or(now);
                timers::schedule(
                    ctx.tx,
                    &ev.org_id,
                    JOB_START,
                    &job_id.to_string(),
                    until,
                    &json!({ "job_id": job_id.to_string() }),
                )
                .await?;
                tracing::info!(org = %ev.org_id, job = %job_id, %until, "quiet hours: run deferred");
                self.audit(
                    ctx,
                    &ev.org_id,
                    Some(job_id),
                    "job.deferred",
                    json!({ "reason": "quiet_hours", "until": until, "timezone": tz }),
                )
                .await
            }
            _ => ctx.emit(&context_request(
                job_id,
                &ev.org_id,
                &ev.user_id,
                &ev.event_type,
                &ev.payload,
                seq,
                now,
            )),
        }
    }

    // ---- results ---------------------------------------------------------------------

    async fn on_result(&self, ctx: &mut HandlerCtx<'_>, r: StepResult) -> Result<(), HandlerError> {
        let job_id = Uuid::parse_str(&r.job_id)
            .map_err(|e| HandlerError::invalid(format!("job_id: {e}")))?;
        ctx.set_org(&r.org_id).await?;
        let Some(job) = JobRow::load(ctx.tx, job_id, true).await? else {
            return Err(HandlerError::invalid(format!(
                "a result for job {job_id}, which does not exist in org {}",
                r.org_id
            )));
        };
        let seq = self.pinned(ctx, &job).await?;
        let mut state = job.state()?;
        let event = job.event();
        let now = self.clock.now();
        let signal = match r.result {
            baton_schemas::StepOutcome::ContextLoaded(c) => {
                if !c.skipped_sources.is_empty() {
                    self.audit(
                        ctx,
                        &job.org_id,
                        Some(job.id),
                        "context.sources_skipped",
                        json!({ "sources": c.skipped_sources }),
                    )
                    .await?;
                }
                Signal::ContextLoaded { context: c.context }
            }
            baton_schemas::StepOutcome::StepFinished(f) => {
                let index = usize::try_from(f.step_index).unwrap_or(usize::MAX);
                let attempt = u32::try_from(f.attempt).unwrap_or(0);
                let cost_micros = (f.cost_usd * 1e6).round() as i64;
                match f.status {
                    StepStatus::Deferred => {
                        let out = f.output.unwrap_or_default();
                        if let Some(pause) = out.get("pause") {
                            Signal::StepPaused {
                                index,
                                attempt,
                                reason: pause["reason"].as_str().unwrap_or("paused").to_string(),
                            }
                        } else {
                            let defer = &out["defer"];
                            Signal::StepDeferred {
                                index,
                                attempt,
                                delay: Duration::from_millis(
                                    defer["delay_ms"].as_u64().unwrap_or(300_000),
                                ),
                                reason: defer["reason"].as_str().unwrap_or("deferred").to_string(),
                            }
                        }
                    }
                    status => Signal::StepFinished {
                        index,
                        attempt,
                        outcome: match status {
                            StepStatus::Succeeded => Outcome::Succeeded,
                            StepStatus::Skipped => Outcome::Skipped,
                            _ => Outcome::Failed,
                        },
                        output: f.output,
                        error: f.error,
                        retryable: f.retryable,
                        cost_micros,
                    },
                }
            }
            baton_schemas::StepOutcome::ApprovalResolved(a) => {
                let index = usize::try_from(a.step_index).unwrap_or(usize::MAX);
                let step = seq.steps.get(index);
                let decision = match a.decision {
                    Resolution::Approve => Decision::Approve,
                    Resolution::Edit => {
                        if let (Some(step), Some(m)) = (step, &a.user_modifications) {
                            state.approval_edits.insert(step.name.clone(), m.clone());
                        }
                        Decision::Approve
                    }
                    Resolution::Skip => Decision::Skip,
                    Resolution::Cancel => Decision::Cancel,
                    Resolution::Expired => match step
                        .and_then(|s| s.approval.as_ref())
                        .map(|a| &a.on_timeout)
                    {
                        Some(OnTimeout::Cancel) => Decision::Cancel,
                        _ => Decision::Skip,
                    },
                };
                self.audit(
                    ctx,
                    &job.org_id,
                    Some(job.id),
                    "approval.resolved",
                    json!({
                        "pending_action_id": a.pending_action_id,
                        "step_index": a.step_index,
                        "decision": format!("{:?}", a.decision).to_lowercase(),
                        "decided_by": a.decided_by,
                    }),
                )
                .await?;
                Signal::ApprovalResolved { index, decision }
            }
        };
        let commands = match job::apply(
            &seq,
            &mut state,
            &event,
            job.chain_depth,
            signal,
            fastrand::f64(),
        ) {
            Ok(c) => c,
            Err(ignored) => {
                tracing::debug!(job = %job.id, result = %r.result_id, "result changes nothing: {ignored}");
                return Ok(());
            }
        };
        let mut metadata = None;
        for command in commands {
            match command {
                Command::Dispatch { index, attempt } => {
                    ctx.emit(&step_request(&job, &seq, index, attempt, now))?;
                }
                Command::DispatchLater {
                    index,
                    attempt,
                    delay,
                    reason,
                } => {
                    let due = now + chrono::Duration::from_std(delay).unwrap_or_default();
                    timers::schedule(
                        ctx.tx,
                        &job.org_id,
                        STEP_RETRY,
                        &format!("{}:{index}:{attempt}:{}", job.id, r.result_id),
                        due,
                        &json!({ "job_id": job.id.to_string(), "index": index, "attempt": attempt, "reason": reason }),
                    )
                    .await?;
                    self.audit(
                        ctx,
                        &job.org_id,
                        Some(job.id),
                        "step.scheduled",
                        json!({ "step": seq.steps[index].name, "attempt": attempt, "delay_ms": delay.as_millis() as u64, "due_at": due, "reason": reason }),
                    )
                    .await?;
                }
                Command::RequestApproval { index } => {
                    let request = approval_request(&job, &seq, &state, &event, index, now);
                    self.audit(
                        ctx,
                        &job.org_id,
                        Some(job.id),
                        "approval.requested",
                        json!({ "step": request.step_name, "pattern": request.pattern, "pending_action_id": request.pending_action_id, "expires_at": request.expires_at }),
                    )
                    .await?;
                    ctx.emit(&request)?;
                }
                Command::Followup(q) => {
                    let child = OrchestratorEvent {
                        event_id: Uuid::new_v5(
                            &job.id,
                            format!("followup:{}:{}", q.step, q.item).as_bytes(),
                        )
                        .to_string(),
                        event_type: q.event.clone(),
                        source: format!("baton/followup/{}", job.event_type),
                        org_id: job.org_id.clone(),
                        user_id: job.user_id.clone(),
                        payload: q.payload.clone(),
                        parent_job_id: Some(job.id.to_string()),
                        occurred_at: now,
                        chain_depth: job.chain_depth + 1,
                        dedupe_key: None,
                    };
                    self.audit(
                        ctx,
                        &job.org_id,
                        Some(job.id),
                        "followup.queued",
                        json!({ "event_type": q.event, "event_id": child.event_id, "step": seq.steps[q.step].name, "chain_depth": child.chain_depth }),
                    )
                    .await?;
                    ctx.emit(&child)?;
                }
                Command::Pause { reason } => {
                    tracing::warn!(job = %job.id, reason, "job paused");
                    self.paused(
                        ctx,
                        &job.org_id,
                        &job.user_id,
                        job.id,
                        &reason,
                        state.current_step,
                    )
                    .await?;
                }
                Command::Finish(status) => {
                    let m = execution_metadata(&job, &state, status, now);
                    tracing::info!(job = %job.id, event_type = %job.event_type, status = ?status, "job finished");
                    self.audit(
                        ctx,
                        &job.org_id,
                        Some(job.id),
                        &format!("job.{}", status_str(status)),
                        m.clone(),
                    )
                    .await?;
                    metadata = Some(m);
                }
            }
        }
        let mut context = serde_json::to_value(&state).unwrap_or_default();
        if let Some(m) = metadata {
            context["execution_metadata"] = m;
        }
        let updated = sqlx::query(
            "UPDATE sequence_jobs
             SET context = $3, status = $4, paused_reason = $5, version = version + 1, updated_at = now(),
                 completed_at = CASE WHEN $6 THEN now() ELSE completed_at END
             WHERE id = $1 AND version = $2",
        )
        .bind(job.id)
        .bind(job.version)
        .bind(context)
        .bind(status_str(state.status))
        .bind(&state.paused_reason)
        .bind(state.status.is_terminal())
        .execute(&mut *ctx.tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(HandlerError::Retryable(anyhow::anyhow!(
                "job {} changed under us (version {}): retrying",
                job.id,
                job.version
            )));
        }
        Ok(())
    }
}

impl timers::Fire for Router {
    fn service(&self) -> &Service {
        &self.svc
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn fire(
        &self,
        ctx: &mut HandlerCtx<'_>,
        timer: &timers::Timer,
    ) -> Result<(), HandlerError> {
        self.fire_timer(ctx, timer).await
    }
}

impl baton_platform::runtime::Handler for Router {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        if d.topic == self.svc.producer.topic(Topic::Events) {
            let ev: OrchestratorEvent = ctx.decode(d).await?;
            self.on_event(ctx, ev).await
        } else {
            let r: StepResult = ctx.decode(d).await?;
            self.on_result(ctx, r).await
        }
    }
}

fn status_str(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Pending => "pending",
        JobStatus::InProgress => "in_progress",
        JobStatus::AwaitingApproval => "awaiting_approval",
        JobStatus::Paused => "paused",
        JobStatus::Completed => "completed",
        JobStatus::Failed => "failed",
        JobStatus::Cancelled => "cancelled",
    }
}

/// The event as expressions see it (`event.*`), before a job exists.
fn event_json(ev: &OrchestratorEvent) -> Value {
    json!({
        "event_id": ev.event_id,
        "type": ev.event_type,
        "source": ev.source,
        "org_id": ev.org_id,
        "user_id": ev.user_id,
        "payload": ev.payload,
        "parent_job_id": ev.parent_job_id,
        "chain_depth": ev.chain_depth,
    })
}

/// The dedupe key and window: the event's own key, else the sequence's `dedupe.key`, else
/// the event id; the sequence's window, else 24 hours.
fn dedupe_key(ev: &OrchestratorEvent, event: &Value, seq: Option<&Sequence>) -> (String, Duration) {
    let window = seq.map_or(Duration::from_secs(24 * 3600), |s| s.dedupe_window);
    if let Some(k) = &ev.dedupe_key {
        return (k.clone(), window);
    }
    let computed = seq.and_then(|s| s.dedupe_key.as_ref()).and_then(|e| {
        let empty = Value::Object(Map::new());
        e.eval(&Scope {
            event,
            context: &Value::Null,
            outputs: &empty,
            item: None,
        })
        .ok()
    });
    let key = match computed {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => ev.event_id.clone(),
        Some(other) => other.to_string(),
    };
    (key, window)
}

fn context_request(
    job_id: Uuid,
    org_id: &str,
    user_id: &str,
    event_type: &str,
    payload: &Value,
    seq: &Sequence,
    now: DateTime<Utc>,
) -> ContextRequest {
    let id = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_string);
    let (contact_id, deal_id) = (id("contact_id"), id("deal_id"));
    let tier3: BTreeSet<String> = seq
        .steps
        .iter()
        .flat_map(|s| s.requires_context.iter().cloned())
        .collect();
    let mut tiers = vec![1];
    if contact_id.is_some() || deal_id.is_some() {
        tiers.push(2);
    }
    if !tier3.is_empty() {
        tiers.push(3);
    }
    ContextRequest {
        job_id: job_id.to_string(),
        org_id: org_id.to_string(),
        user_id: user_id.to_string(),
        event_type: event_type.to_string(),
        tiers,
        tier3_sources: tier3.into_iter().collect(),
        contact_id,
        deal_id,
        requested_at: now,
    }
}

fn step_request(
    job: &JobRow,
    seq: &Sequence,
    index: usize,
    attempt: u32,
    now: DateTime<Utc>,
) -> StepRequest {
    StepRequest {
        job_id: job.id.to_string(),
        org_id: job.org_id.clone(),
        user_id: job.user_id.clone(),
        step_index: index as i32,
        step_name: seq.steps[index].name.clone(),
        attempt: attempt as i32,
        sequence_version: seq.version.clone(),
        // job:step:attempt-group. Automatic retries and deferrals stay in one group, so a
        // retried send whose first attempt did reach the provider is not sent twice.
        idempotency_key: format!("{}:{index}:1", job.id),
        requested_at: now,
    }
}

/// The gate's draft is what the gated step would act on: its `input` evaluated now (the
/// `draft` entry when it has one, as the email steps do).
fn approval_request(
    job: &JobRow,
    seq: &Sequence,
    state: &JobState,
    event: &Value,
    index: usize,
    now: DateTime<Utc>,
) -> ApprovalRequest {
    let step = &seq.steps[index];
    let context = state.context.clone().unwrap_or(Value::Null);
    let outputs = Value::Object(state.outputs.clone());
    let scope = Scope {
        event,
        context: &context,
        outputs: &outputs,
        item: None,
    };
    let mut input = Map::new();
    for (k, e) in &step.input {
        let v = e.eval(&scope).unwrap_or_else(|err| {
            tracing::warn!(job = %job.id, step = %step.name, input = %k, error = %err, "gate draft input did not evaluate");
            Value::Null
        });
        input.insert(k.clone(), v);
    }
    let draft = match input.remove("draft") {
        Some(d) if input.is_empty() => d,
        Some(d) => {
            input.insert("draft".into(), d);
            Value::Object(input)
        }
        None => Value::Object(input),
    };
    let approval = step.approval.as_ref();
    let expires_in = approval.map_or(Duration::from_secs(24 * 3600), |a| a.expires_in);
    ApprovalRequest {
        pending_action_id: Uuid::new_v5(
            &job.id,
            format!("gate:{index}:{}", state.approval_gates_hit).as_bytes(),
        )
        .to_string(),
        job_id: job.id.to_string(),
        org_id: job.org_id.clone(),
        user_id: job.user_id.clone(),
        step_index: index as i32,
        step_name: step.name.clone(),
        pattern: approval
            .map_or("generic", |a| a.pattern.as_str())
            .to_string(),
        draft,
        editable_fields: approval.map(|a| a.editable.clone()).unwrap_or_default(),
        expires_at: now + chrono::Duration::from_std(expires_in).unwrap_or_default(),
        on_timeout: match approval.map(|a| &a.on_timeout) {
            Some(OnTimeout::Cancel) => TimeoutAction::Cancel,
            _ => TimeoutAction::Skip,
        },
        requested_at: now,
    }
}

/// The seed's execution metadata, recorded when a job finishes.
fn execution_metadata(
    job: &JobRow,
    state: &JobState,
    status: JobStatus,
    now: DateTime<Utc>,
) -> Value {
    let count = |o: Outcome| {
        state
            .steps_completed
            .iter()
            .filter(|(_, x)| *x == o)
            .count()
    };
    json!({
        "sequence_job_id": job.id.to_string(),
        "event_type": job.event_type,
        "event_source": job.event_source,
        "status": status_str(status),
        "steps_attempted": state.steps_attempted,
        "steps_completed": count(Outcome::Succeeded),
        "steps_failed": count(Outcome::Failed),
        "steps_skipped": count(Outcome::Skipped),
        "approval_gates_hit": state.approval_gates_hit,
        "followups_queued": state.queued_followups.len(),
        "total_duration_ms": (now - job.created_at).num_milliseconds().max(0),
        "total_ai_cost_usd": state.cost_micros as f64 / 1e6,
        "chain_depth": job.chain_depth,
        "failure": state.failure,
    })
}

/// Publishes an approval decision for job `job_id`'s open gate as the router will read it
/// (`baton approvals decide`; the approval-gateway publishes the same result). Returns the
/// step it resolved.
pub async fn decide(
    svc: &Service,
    org_id: &str,
    job_id: Uuid,
    decision: Resolution,
    decided_by: &str,
    modifications: Option<Value>,
) -> anyhow::Result<usize> {
    let mut tx = store::begin_for_org(&svc.pool, org_id).await?;
    let job = JobRow::load(&mut tx, job_id, false)
        .await?
        .with_context(|| format!("no job {job_id} in org {org_id}"))?;
    let state = job.state().map_err(|e| anyhow::anyhow!("{e}"))?;
    let index = *state.pending_approvals.first().with_context(|| {
        format!(
            "job {job_id} has no open approval gate (it is {})",
            job.status
        )
    })?;
    let result = StepResult {
        result_id: Uuid::now_v7().to_string(),
        job_id: job_id.to_string(),
        org_id: org_id.to_string(),
        result: baton_schemas::StepOutcome::ApprovalResolved(baton_schemas::ApprovalResolved {
            pending_action_id: Uuid::new_v5(
                &job.id,
                format!("gate:{index}:{}", state.approval_gates_hit).as_bytes(),
            )
            .to_string(),
            step_index: index as i32,
            decision,
            decided_by: Some(decided_by.to_string()),
            user_modifications: modifications,
            resolved_at: Utc::now(),
        }),
    };
    result.validate().map_err(anyhow::Error::msg)?;
    svc.stage(&mut tx, &result).await?;
    tx.commit().await?;
    Ok(index)
}
