//! Running one step: the budget check before an AI step, the step's input evaluated over
//! the job (with the rep's edits from its gate), then its action — a skill, an edge
//! function, a CRM action or a notification — within the step's timeout, and what that
//! came to.

use baton_core::{
    budget::{BudgetDecision, MicroUsd},
    expr::Scope,
    job::JobState,
    sequence::{Action, Step},
};
use baton_platform::{
    jobs::{self, BudgetNotice, JobRow, Recipient},
    runtime::{Handled, HandlerCtx},
};
use baton_schemas::{Notification, NotificationKind, StepRequest, StepStatus, limits};
use baton_skills::{Cost, Kind, SkillError, SkillOutput};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{Executor, RATE_LIMIT_DEFAULT_MS, crm, meetings::Meetings};

/// What a step came to.
pub(crate) enum Done {
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

/// What an action returned: its output, or the skill's error (which the sequence's
/// `on_failure` handles); `Err` of the outer result is the handler's own failure.
type Outcome = Result<SkillOutput, SkillError>;

pub(crate) async fn run(
    x: &Executor,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    state: &JobState,
    step: &Step,
    req: &StepRequest,
) -> Handled<Done> {
    if step.ai
        && let Some(paused) = budget_check(ctx, job).await?
    {
        return Ok(paused);
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
    let input = match input(step, &scope, state) {
        Ok(i) => i,
        Err(message) => return Ok(failed(message, false)),
    };
    let key = req.idempotency_key.as_str();
    let outcome = match tokio::time::timeout(
        step.timeout,
        act(x, ctx, job, step, key, input, &scope),
    )
    .await
    {
        Ok(r) => r?,
        Err(_) => Err(SkillError::Transient {
            key: step.name.clone(),
            message: format!("timed out after {}s", step.timeout.as_secs()),
        }),
    };
    Ok(done(outcome))
}

/// Before an AI step: a spent budget pauses the job (the router tells the rep); near the
/// limit the step runs and the rep is alerted once per period.
async fn budget_check(ctx: &mut HandlerCtx<'_>, job: &JobRow) -> Handled<Option<Done>> {
    let Some(budget) = jobs::budget(ctx.tx, &job.org_id, ctx.now()).await? else {
        return Ok(None);
    };
    match budget.check(Default::default()) {
        BudgetDecision::Pause => Ok(Some(Done::NotRun {
            output: json!({ "pause": { "reason": "budget_exceeded" } }),
            error: "budget_exceeded".into(),
        })),
        BudgetDecision::AllowAndAlert { used_pct } => {
            let to = Recipient {
                org_id: &job.org_id,
                user_id: &job.user_id,
                job_id: job.id,
            };
            jobs::budget_notice_once(ctx, to, BudgetNotice::Alert { used_pct }).await?;
            Ok(None)
        }
        BudgetDecision::Allow => Ok(None),
    }
}

/// The step's input evaluated over the job, with the rep's edits at its gate merged in; an
/// input that does not evaluate fails the step, naming the input.
fn input(step: &Step, scope: &Scope<'_>, state: &JobState) -> Result<Map<String, Value>, String> {
    let mut input = Map::new();
    for (k, e) in &step.input {
        let v = e
            .eval(scope)
            .map_err(|err| format!("step {} input `{k}`: {err}", step.name))?;
        input.insert(k.clone(), v);
    }
    if let Some(edits) = state.approval_edits.get(&step.name) {
        merge_edits(&mut input, edits);
    }
    Ok(input)
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

/// The step's action.
async fn act(
    x: &Executor,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    step: &Step,
    key: &str,
    input: Map<String, Value>,
    scope: &Scope<'_>,
) -> Handled<Outcome> {
    match &step.action {
        Action::Skill(skill) => self::skill(x, ctx, job, skill, key, input, scope).await,
        Action::Function(name) => Ok(x
            .registry
            .call_function(name, key, &Value::Object(input))
            .await),
        Action::Crm(action) => crm::apply(ctx.tx, job, action, key, &input).await,
        Action::Notify(template) => {
            let n = notification(job, key, template, &Value::Object(input), ctx.now());
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
}

/// A skill: built-ins read the whole job and the executor's clock as `now` (and the
/// meeting, for transcript skills); HTTP
/// skills get only the step's input. Inform-only output goes to the notifier.
async fn skill(
    x: &Executor,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    key: &str,
    idempotency_key: &str,
    mut input: Map<String, Value>,
    scope: &Scope<'_>,
) -> Handled<Outcome> {
    let Some(info) = x.registry.get(key) else {
        return Ok(Err(SkillError::Unknown { key: key.into() }));
    };
    if let Kind::Builtin(_) = info.kind {
        input.insert("event".into(), scope.event.clone());
        input.insert("context".into(), scope.context.clone());
        input.insert("outputs".into(), scope.outputs.clone());
        input.insert("now".into(), json!(ctx.now().to_rfc3339()));
    }
    if info.needs_sender_crm
        && !input.contains_key("org")
        && let Some(from) = input.get("email").and_then(|e| e["from"].as_str())
    {
        let address = baton_skills::email::address(from).unwrap_or_default();
        let email = &input["email"];
        let on_thread: Vec<String> = ["to", "cc"]
            .iter()
            .flat_map(|k| baton_skills::messages::strings(&email[*k]))
            .filter_map(baton_skills::email::address)
            .collect();
        let records = crm::sender_records(ctx.tx, &address, &on_thread).await?;
        input.insert("org".into(), records);
    }
    if info.effect.sends_email
        && let Some(reason) = refused_recipient(ctx, &input).await?
    {
        return Ok(Err(SkillError::Failed {
            key: key.into(),
            message: format!("not sent: the recipient {reason}"),
        }));
    }
    if info.effect.sends_email {
        // Who sends, from the job (the state that authorises the send), for the provider.
        let sender = json!({
            "org_id": job.org_id.as_str(),
            "user_id": job.user_id.as_str(),
            "name": scope.context.pointer("/user/name"),
        });
        input.insert("sender".into(), sender);
    }
    if info.needs_transcript {
        match meeting(&x.meetings, ctx, job, key, scope.context).await? {
            Ok(Some(m)) => {
                input.insert("meeting".into(), m);
            }
            Ok(None) => {}
            Err(e) => return Ok(Err(e)),
        }
    }
    let input = Value::Object(input);
    if let Err(v) = limits::json_bytes_at_most(
        "the skill's input",
        &input,
        limits::current().skill_input_bytes,
        "skill_input_bytes",
    ) {
        return Ok(Err(SkillError::BadInput {
            key: key.into(),
            message: v.to_string(),
        }));
    }
    // A model's call is priced from its prompt before it is made: one that would overrun a
    // hard-stop budget pauses the job like any spent budget.
    if let Some(estimate) = x.registry.estimate_before(key, &input)
        && let Some(budget) = jobs::budget(ctx.tx, &job.org_id, ctx.now()).await?
        && matches!(
            budget.check(MicroUsd(estimate.usd_micros)),
            BudgetDecision::Pause
        )
    {
        return Ok(Err(SkillError::BudgetExceeded { key: key.into() }));
    }
    let result = x.registry.run(key, idempotency_key, &input).await;
    if let Ok(out) = &result
        && let Some(n) = out.output.get("notification")
    {
        let template = n["template"].as_str().unwrap_or("inform");
        ctx.emit(&notification(job, idempotency_key, template, n, ctx.now()))?;
    }
    // The manager's copy goes to the rep's manager as the CRM records them, never to a
    // recipient a skill's output could name.
    if let Ok(out) = &result
        && let Some(n) = out.output.get("manager_notification")
        && let Some(manager) = scope
            .context
            .pointer("/user/manager_id")
            .and_then(Value::as_str)
    {
        let template = n["template"].as_str().unwrap_or("inform");
        let mut copy = notification(
            job,
            &format!("{idempotency_key}:manager"),
            template,
            n,
            ctx.now(),
        );
        copy.user_id = manager.to_string();
        ctx.emit(&copy)?;
    }
    Ok(result)
}

/// Whether the email's recipient (`draft.to`, or `to`) is a contact who must not be emailed.
async fn refused_recipient(
    ctx: &mut HandlerCtx<'_>,
    input: &Map<String, Value>,
) -> Handled<Option<String>> {
    let to = input
        .get("draft")
        .unwrap_or(&Value::Null)
        .get("to")
        .or_else(|| input.get("to"));
    let Some(to) = to else { return Ok(None) };
    let (id, address) = (
        to.get("contact_id").and_then(Value::as_str),
        to.get("email").and_then(Value::as_str),
    );
    crm::do_not_contact(ctx.tx, id, address).await
}

/// The meeting a transcript skill reads: the one the event names, else the most recent one
/// with a transcript in the job's tier-2 history (what meeting-prep reads). None when there
/// is none: the skill says what it needs.
async fn meeting(
    meetings: &Meetings,
    ctx: &mut HandlerCtx<'_>,
    job: &JobRow,
    key: &str,
    context: &Value,
) -> Handled<Result<Option<Value>, SkillError>> {
    let named = job
        .trigger_payload
        .get("meeting_id")
        .and_then(Value::as_str);
    let latest = || {
        context["meetings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["has_transcript"] == true)
            .and_then(|m| m["id"].as_str())
    };
    let Some(meeting_id) = named.or_else(latest) else {
        return Ok(Ok(None));
    };
    match meetings.load(ctx.tx, &job.org_id, meeting_id).await? {
        // A transcript over the limit is refused before a model is paid to read it.
        Some(m) => Ok(limits::json_bytes_at_most(
            &format!("the transcript of meeting {meeting_id}"),
            &m,
            limits::current().transcript_bytes,
            "transcript_bytes",
        )
        .map(|()| Some(Value::clone(&m)))
        .map_err(|v| SkillError::BadInput {
            key: key.into(),
            message: v.to_string(),
        })),
        None => Ok(Err(SkillError::BadInput {
            key: key.into(),
            message: format!("meeting {meeting_id} is not in this org's meetings"),
        })),
    }
}

/// What an action's outcome makes of the step.
fn done(outcome: Outcome) -> Done {
    match outcome {
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
        Err(SkillError::BudgetExceeded { .. }) => Done::NotRun {
            output: json!({ "pause": { "reason": "budget_exceeded" } }),
            error: "budget_exceeded".into(),
        },
        Err(e) => failed(e.to_string(), e.retryable()),
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

/// A notification of `job`'s: skills that notify render their message (text, and Block Kit
/// for Slack); a plain `notify` step says what it is.
fn notification(
    job: &JobRow,
    key: &str,
    template: &str,
    data: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Notification {
    let text = data["text"].as_str().map_or_else(
        || format!("{template} for {}", job.event_type),
        str::to_string,
    );
    let blocks = data.get("blocks").filter(|b| b.is_array()).cloned();
    Notification {
        notification_id: Uuid::new_v5(
            &job.id.uuid(),
            format!("notify:{key}:{template}").as_bytes(),
        )
        .to_string(),
        org_id: job.org_id.to_string(),
        user_id: job.user_id.to_string(),
        kind: NotificationKind::Inform,
        text,
        blocks,
        job_id: Some(job.id.to_string()),
        pending_action_id: None,
        created_at: now,
    }
}
