//! The step-executor: runs one step of a job given its accumulated outputs, and publishes
//! the result as a StepFinished event.
//!
//! - Before every `ai` step it checks the org's budget: spent → the step comes back
//!   `Deferred` with `pause: budget_exceeded` (the router pauses the job and tells the rep,
//!   once per budget period); near the limit → the step runs and the rep is alerted once.
//! - Skills run from the registry (built-in or HTTP); `function` steps call the configured
//!   edge function; `crm` actions write CRM rows here, in the step's transaction, each with
//!   a unique idempotency key; `notify` steps and inform-only skill output become
//!   Notifications.
//! - An HTTP 429 defers the step (Retry-After, else 5 minutes); transient failures are
//!   retryable failures (the sequence's `on_failure` decides); nothing sleeps here.
//! - Every side effect carries the idempotency key `job:step:attempt-group`; the cost goes
//!   to `ai_cost_ledger` (once per attempt); the attempt is recorded in `step_runs`. A
//!   request for an attempt that already finished re-publishes that result.

use std::{sync::Arc, time::Instant};

use anyhow::Context as _;
use baton_core::{
    budget::BudgetDecision,
    clock::{Clock, SystemClock},
    expr::Scope,
    job::JobStatus,
    sequence::{Action, Step},
};
use baton_platform::{
    bus::Delivery,
    config::Config,
    jobs::{self, JobRow},
    runtime::{HandlerCtx, HandlerError},
    sequences::Definitions,
    service::Service,
};
use baton_schemas::{
    Notification, NotificationKind, StepFinished, StepOutcome, StepRequest, StepResult, StepStatus,
    Topic,
};
use baton_skills::{Cost, Kind, Registry, SkillError, SkillOutput};
use serde_json::{Map, Value, json};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub const SERVICE: &str = "step-executor";
/// How long a rate-limited step waits when the service gave no Retry-After.
pub const RATE_LIMIT_DEFAULT_MS: u64 = 5 * 60 * 1000;

#[derive(Clone)]
pub struct Executor {
    svc: Service,
    registry: Arc<Registry>,
    defs: Arc<Definitions>,
    clock: Arc<dyn Clock>,
    group: String,
}

/// Runs the step-executor until `shutdown`.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    Executor::start(&config, Arc::new(SystemClock))
        .await?
        .run(shutdown)
        .await
}

/// What a step came to.
enum Done {
    Finished {
        status: StepStatus,
        output: Option<Value>,
        error: Option<String>,
        retryable: bool,
        cost: Cost,
    },
    /// Not run: `output` says why (`defer` with a delay, or `pause` with a reason).
    NotRun { output: Value, error: String },
}

impl Executor {
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let (registry, defs) = baton_skills::config::load(config)?;
        let svc = Service::start(SERVICE, config)
            .await
            .context("starting the step-executor")?;
        Ok(Self {
            svc,
            registry: Arc::new(registry),
            defs: Arc::new(defs),
            clock,
            group: format!("{}step-executor", config.bus.topic_prefix),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let svc = self.svc.clone();
        let group = self.group.clone();
        svc.consume(&group, &[Topic::StepRequests], self, shutdown)
            .await
    }

    async fn execute(
        &self,
        ctx: &mut HandlerCtx<'_>,
        req: StepRequest,
    ) -> Result<(), HandlerError> {
        let job_id = Uuid::parse_str(&req.job_id)
            .map_err(|e| HandlerError::invalid(format!("job_id: {e}")))?;
        ctx.set_org(&req.org_id).await?;
        let Some(job) = JobRow::load(ctx.tx, job_id, false).await? else {
            return Err(HandlerError::invalid(format!(
                "a step request for job {job_id}, which does not exist in org {}",
                req.org_id
            )));
        };
        let (index, attempt) = (req.step_index, req.attempt);
        if let Some(previous) = finished_run(ctx.tx, job_id, index, attempt).await? {
            // Already ran (a redelivered or re-dispatched request): say the same again.
            return ctx.emit(&result(&req, previous, self.clock.now()));
        }
        let state = job.state()?;
        if state.status != JobStatus::InProgress
            || state.current_step != usize::try_from(index).ok()
            || i32::try_from(state.attempt).ok() != Some(attempt)
        {
            tracing::debug!(job = %job_id, index, attempt, "step request is not the job's current step: ignored");
            return Ok(());
        }
        let seq = self
            .defs
            .pinned(ctx.tx, &req.sequence_version)
            .await
            .map_err(|e| HandlerError::Retryable(anyhow::anyhow!("{e}")))?;
        let Some(step) = usize::try_from(index).ok().and_then(|i| seq.steps.get(i)) else {
            return Err(HandlerError::invalid(format!(
                "step {index} does not exist in sequence {} version {}",
                seq.event, seq.version
            )));
        };
        let started = Instant::now();
        let now = self.clock.now();
        let done = self.run_step(ctx, &job, &state, step, &req).await?;
        let duration_ms = started.elapsed().as_millis() as i64;
        let finished = match done {
            Done::Finished {
                status,
                output,
                error,
                retryable,
                cost,
            } => {
                if cost.usd_micros > 0 {
                    sqlx::query(
                        "INSERT INTO ai_cost_ledger (id, org_id, job_id, step_name, skill, model, input_tokens,
                                                     output_tokens, cost_usd, period, idempotency_key)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::float8::numeric, $10, $11)
                         ON CONFLICT (idempotency_key) DO NOTHING",
                    )
                    .bind(Uuid::now_v7())
                    .bind(&req.org_id)
                    .bind(job_id)
                    .bind(&step.name)
                    .bind(step.action.describe())
                    .bind(&cost.model)
                    .bind(cost.input_tokens as i32)
                    .bind(cost.output_tokens as i32)
                    .bind(cost.usd_micros as f64 / 1e6)
                    .bind(baton_core::budget::period_of(now))
                    .bind(format!("{}:{attempt}", req.idempotency_key))
                    .execute(&mut *ctx.tx)
                    .await?;
                }
                Previous {
                    status,
                    output,
                    error,
                    retryable,
                    cost_usd: cost.usd_micros as f64 / 1e6,
                    duration_ms,
                }
            }
            Done::NotRun { output, error } => Previous {
                status: StepStatus::Deferred,
                output: Some(output),
                error: Some(error),
                retryable: true,
                cost_usd: 0.0,
                duration_ms,
            },
        };
        record_run(ctx.tx, &req, &finished, now).await?;
        tracing::info!(job = %job_id, step = %step.name, attempt, status = ?finished.status, duration_ms, "step ran");
        ctx.emit(&result(&req, finished, now))
    }

    async fn run_step(
        &self,
        ctx: &mut HandlerCtx<'_>,
        job: &JobRow,
        state: &baton_core::job::JobState,
        step: &Step,
        req: &StepRequest,
    ) -> Result<Done, HandlerError> {
        let now = self.clock.now();
        if step.ai
            && let Some(budget) = jobs::budget(ctx.tx, &job.org_id, now).await?
        {
            match budget.check(Default::default()) {
                BudgetDecision::Pause => {
                    // The router pauses the job and tells the rep (once per period).
                    return Ok(Done::NotRun {
                        output: json!({ "pause": { "reason": "budget_exceeded" } }),
                        error: "budget_exceeded".into(),
                    });
                }
                BudgetDecision::AllowAndAlert { used_pct } => {
                    jobs::budget_notice_once(
                        ctx,
                        &job.org_id,
                        &job.user_id,
                        job.id,
                        "budget_alert",
                        format!("Your org has used {used_pct}% of this month's AI budget."),
                        now,
                    )
                    .await?;
                }
                BudgetDecision::Allow => {}
            }
        }
        let event = job.event();
        let context = state.context.clone().unwrap_or(Value::Null);
        let outputs = Value::Object(state.outputs.clone());
        let scope = Scope {
            event: &event,
            context: &context,
            outputs: &outputs,
            item: None,
        };
        let mut input = Map::new();
        for (k, e) in &step.input {
            match e.eval(&scope) {
                Ok(v) => {
                    input.insert(k.clone(), v);
                }
                Err(err) => {
                    return Ok(failed(
                        format!("step {} input `{k}`: {err}", step.name),
                        false,
                    ));
                }
            }
        }
        if let Some(edits) = state.approval_edits.get(&step.name) {
            merge_edits(&mut input, edits);
        }
        let key = req.idempotency_key.as_str();
        let run = async {
            match &step.action {
                Action::Skill(skill) => self.skill(ctx, job, skill, key, input, &scope).await,
                Action::Function(name) => Ok(self
                    .registry
                    .call_function(name, key, &Value::Object(input))
                    .await),
                Action::Crm(action) => crm(ctx.tx, job, action, key, &input).await,
                Action::Notify(template) => {
                    let n = notification(job, key, template, &Value::Object(input), now);
                    ctx.emit(&n)?;
                    Ok(Ok(SkillOutput {
                        output: json!({ "notification_id": n.notification_id, "template": template }),
                        cost: Cost::default(),
                    }))
                }
                Action::Followup(_) | Action::Branch(_) => Ok(Err(SkillError::Failed {
                    key: step.name.clone(),
                    message: "follow-up and branch steps are decided by the router, not run".into(),
                })),
            }
        };
        let outcome = match tokio::time::timeout(step.timeout, run).await {
            Ok(r) => r?,
            Err(_) => Err(SkillError::Transient {
                key: step.name.clone(),
                message: format!("timed out after {}s", step.timeout.as_secs()),
            }),
        };
        Ok(match outcome {
            Ok(out) => Done::Finished {
                status: StepStatus::Succeeded,
                output: Some(out.output),
                error: None,
                retryable: false,
                cost: out.cost,
            },
            Err(SkillError::RateLimited { retry_after, .. }) => {
                let delay_ms = if retry_after.is_zero() {
                    RATE_LIMIT_DEFAULT_MS
                } else {
                    retry_after.as_millis() as u64
                };
                Done::NotRun {
                    output: json!({ "defer": { "delay_ms": delay_ms, "reason": "rate_limited" } }),
                    error: format!("rate limited: deferred {}s", delay_ms / 1000),
                }
            }
            Err(e) => failed(e.to_string(), e.retryable()),
        })
    }

    async fn skill(
        &self,
        ctx: &mut HandlerCtx<'_>,
        job: &JobRow,
        key: &str,
        idempotency_key: &str,
        mut input: Map<String, Value>,
        scope: &Scope<'_>,
    ) -> Result<Result<SkillOutput, SkillError>, HandlerError> {
        let Some(info) = self.registry.get(key) else {
            return Ok(Err(SkillError::Unknown { key: key.into() }));
        };
        if let Kind::Builtin(_) = info.kind {
            // Built-ins read the whole job; HTTP skills get only the step's input.
            input.insert("event".into(), scope.event.clone());
            input.insert("context".into(), scope.context.clone());
            input.insert("outputs".into(), scope.outputs.clone());
        }
        if info.needs_transcript {
            let Some(meeting_id) = job
                .trigger_payload
                .get("meeting_id")
                .and_then(Value::as_str)
            else {
                return Ok(Err(SkillError::BadInput {
                    key: key.into(),
                    message: "the event payload has no meeting_id".into(),
                }));
            };
            match baton_platform::seed::load_meeting(ctx.tx, meeting_id).await? {
                Some(m) => {
                    input.insert("meeting".into(), m);
                }
                None => {
                    return Ok(Err(SkillError::BadInput {
                        key: key.into(),
                        message: format!("meeting {meeting_id} is not in this org's meetings"),
                    }));
                }
            }
        }
        let result = self
            .registry
            .run(key, idempotency_key, &Value::Object(input))
            .await;
        // Inform-only output (slack-post-meeting) goes to the notifier.
        if let Ok(out) = &result
            && let Some(n) = out.output.get("notification")
        {
            let template = n["template"].as_str().unwrap_or("inform");
            ctx.emit(&notification(
                job,
                idempotency_key,
                template,
                n,
                self.clock.now(),
            ))?;
        }
        Ok(result)
    }
}

fn failed(error: String, retryable: bool) -> Done {
    Done::Finished {
        status: StepStatus::Failed,
        output: None,
        error: Some(error),
        retryable,
        cost: Cost::default(),
    }
}

/// Merges a rep's edits into the step's input: into `draft` when the input has one (the
/// gate showed the draft), else into the input itself.
fn merge_edits(input: &mut Map<String, Value>, edits: &Value) {
    let Some(edits) = edits.as_object() else {
        return;
    };
    let target = match input.get_mut("draft").and_then(Value::as_object_mut) {
        Some(draft) => draft,
        None => input,
    };
    for (k, v) in edits {
        target.insert(k.clone(), v.clone());
    }
}

fn notification(
    job: &JobRow,
    key: &str,
    template: &str,
    data: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Notification {
    // Skills that notify render their message (text, and Block Kit for Slack).
    let text = data["text"].as_str().map_or_else(
        || format!("{template} for {}", job.event_type),
        str::to_string,
    );
    let blocks = data.get("blocks").filter(|b| b.is_array()).cloned();
    Notification {
        notification_id: Uuid::new_v5(&job.id, format!("notify:{key}:{template}").as_bytes())
            .to_string(),
        org_id: job.org_id.clone(),
        user_id: job.user_id.clone(),
        kind: NotificationKind::Inform,
        text,
        blocks,
        job_id: Some(job.id.to_string()),
        pending_action_id: None,
        created_at: now,
    }
}

/// The CRM actions, applied in the step's transaction; each row carries a unique
/// idempotency key, so a re-run creates nothing twice.
async fn crm(
    tx: &mut PgConnection,
    job: &JobRow,
    action: &str,
    key: &str,
    input: &Map<String, Value>,
) -> Result<Result<SkillOutput, SkillError>, HandlerError> {
    let bad = |message: String| {
        Ok(Err(SkillError::BadInput {
            key: action.to_string(),
            message,
        }))
    };
    match action {
        "create-task" => {
            let Some(tasks) = input.get("tasks").and_then(Value::as_array) else {
                return bad("input.tasks must be a list of action items".into());
            };
            let deal = job.trigger_payload.get("deal_id").and_then(Value::as_str);
            let contact = job
                .trigger_payload
                .get("contact_id")
                .and_then(Value::as_str);
            let mut created = Vec::new();
            for (i, t) in tasks.iter().enumerate() {
                let title = t
                    .get("text")
                    .or_else(|| t.get("title"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if title.trim().is_empty() {
                    return bad(format!("task {i} has no text"));
                }
                let id: Option<Uuid> = sqlx::query_scalar(
                    "INSERT INTO tasks (org_id, owner_user_id, deal_id, contact_id, title, due_date, source_job_id, idempotency_key)
                     VALUES ($1, $2, $3, $4, $5, $6::text::date, $7, $8)
                     ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
                     RETURNING id",
                )
                .bind(&job.org_id)
                .bind(&job.user_id)
                .bind(deal)
                .bind(contact)
                .bind(title)
                .bind(t.get("due_date").and_then(Value::as_str))
                .bind(job.id)
                .bind(format!("{key}:{i}"))
                .fetch_optional(&mut *tx)
                .await?;
                created.extend(id.map(|id| id.to_string()));
            }
            Ok(Ok(SkillOutput {
                output: json!({ "created": created.len(), "task_ids": created }),
                cost: Cost::default(),
            }))
        }
        "update-deal-stage" => {
            let (Some(deal), Some(stage)) = (
                input.get("deal_id").and_then(Value::as_str),
                input.get("stage").and_then(Value::as_str),
            ) else {
                return bad("input needs deal_id and stage".into());
            };
            let from: Option<String> = sqlx::query_scalar("SELECT stage FROM deals WHERE id = $1")
                .bind(deal)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(from) = from else {
                return bad(format!("deal {deal} is not in this org"));
            };
            let moved =
                sqlx::query("UPDATE deals SET stage = $2, last_activity_at = now() WHERE id = $1")
                    .bind(deal)
                    .bind(stage)
                    .execute(&mut *tx)
                    .await;
            match moved {
                Ok(_) => Ok(Ok(SkillOutput {
                    output: json!({ "deal_id": deal, "from": from, "to": stage }),
                    cost: Cost::default(),
                })),
                Err(e)
                    if e.as_database_error()
                        .and_then(|d| d.code())
                        .is_some_and(|c| c == "23514") =>
                {
                    bad(format!("`{stage}` is not a deal stage"))
                }
                Err(e) => Err(e.into()),
            }
        }
        other => Ok(Err(SkillError::Unknown { key: other.into() })),
    }
}

/// A finished attempt, as recorded in `step_runs`.
struct Previous {
    status: StepStatus,
    output: Option<Value>,
    error: Option<String>,
    retryable: bool,
    cost_usd: f64,
    duration_ms: i64,
}

async fn finished_run(
    tx: &mut PgConnection,
    job_id: Uuid,
    index: i32,
    attempt: i32,
) -> Result<Option<Previous>, sqlx::Error> {
    type Row = (String, Option<Value>, Option<String>, f64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT status, output, error, cost_usd::float8, duration_ms FROM step_runs
         WHERE job_id = $1 AND step_index = $2 AND attempt = $3 AND status IN ('succeeded', 'failed', 'skipped')",
    )
    .bind(job_id)
    .bind(index)
    .bind(attempt)
    .fetch_optional(tx)
    .await?;
    Ok(
        row.map(|(status, output, error, cost_usd, duration_ms)| Previous {
            status: match status.as_str() {
                "succeeded" => StepStatus::Succeeded,
                "skipped" => StepStatus::Skipped,
                _ => StepStatus::Failed,
            },
            retryable: output.as_ref().is_some_and(|o| o["retryable"] == true),
            output,
            error,
            cost_usd,
            duration_ms: duration_ms.unwrap_or(0),
        }),
    )
}

async fn record_run(
    tx: &mut PgConnection,
    req: &StepRequest,
    run: &Previous,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    let status = match run.status {
        StepStatus::Succeeded => "succeeded",
        StepStatus::Failed => "failed",
        StepStatus::Skipped => "skipped",
        StepStatus::Deferred => "deferred",
    };
    // A failed attempt keeps whether it was retryable, for a re-published result.
    let output = match (&run.output, run.status) {
        (None, StepStatus::Failed) => Some(json!({ "retryable": run.retryable })),
        (o, _) => o.clone(),
    };
    sqlx::query(
        "INSERT INTO step_runs (id, org_id, job_id, step_index, step_name, attempt, status, input_ref, output,
                                error, cost_usd, idempotency_key, started_at, finished_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::float8::numeric, $12, $13, $13, $14)
         ON CONFLICT (job_id, step_index, attempt) DO UPDATE
           SET status = EXCLUDED.status, output = EXCLUDED.output, error = EXCLUDED.error,
               cost_usd = EXCLUDED.cost_usd, finished_at = EXCLUDED.finished_at,
               duration_ms = EXCLUDED.duration_ms",
    )
    .bind(Uuid::now_v7())
    .bind(&req.org_id)
    .bind(Uuid::parse_str(&req.job_id).unwrap_or_default())
    .bind(req.step_index)
    .bind(&req.step_name)
    .bind(req.attempt)
    .bind(status)
    .bind(json!({ "sequence_version": req.sequence_version }))
    .bind(&output)
    .bind(&run.error)
    .bind(run.cost_usd)
    .bind(&req.idempotency_key)
    .bind(now)
    .bind(run.duration_ms)
    .execute(tx)
    .await?;
    Ok(())
}

fn result(req: &StepRequest, run: Previous, now: chrono::DateTime<chrono::Utc>) -> StepResult {
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

impl baton_platform::runtime::Handler for Executor {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let req: StepRequest = ctx.decode(d).await?;
        self.execute(ctx, req).await
    }
}
