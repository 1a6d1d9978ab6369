//! The event pipeline: each rule of ARCHITECTURE.md's "validate, then route", in its
//! order, as one small function that lets the event through or stops it with a [`Skip`]
//! (recorded with its reason: nothing is dropped silently). An admitted event becomes a job
//! that starts now, paused (the org's AI budget is spent) or deferred (the user's quiet
//! hours).

use std::time::Duration;

use baton_core::{
    budget::BudgetDecision,
    chain,
    expr::Scope,
    job::{JobState, JobStatus},
    quiet_hours::UserTime,
    sequence::{Action, Sequence},
};
use baton_platform::{
    jobs::Recipient,
    runtime::{Handled, HandlerCtx, Stop},
};
use baton_schemas::{JobId, OrchestratorEvent};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::{
    Router,
    event::Event,
    messages::{self, JobRef},
    repo::{self, DedupeClaim},
    slack,
    timers::JOB_START,
};

/// Why an event does nothing: a reason (`skipped_events.reason`) and what explains it.
pub(crate) struct Skip {
    reason: &'static str,
    detail: Value,
}

impl Skip {
    fn new(reason: &'static str) -> Self {
        Skip::with(reason, json!({}))
    }

    fn with(reason: &'static str, detail: Value) -> Self {
        Skip { reason, detail }
    }
}

impl From<Skip> for Stop<Skip> {
    fn from(s: Skip) -> Self {
        Stop::Refused(s)
    }
}

/// A rule: the event passes it, or is stopped (skipped with a reason, or the rule could
/// not be applied at all and the runtime retries or dead-letters the event).
type Rule<T = ()> = Result<T, Stop<Skip>>;

/// How an admitted event's job starts.
enum Start {
    Now,
    /// The org's AI budget is spent.
    Paused,
    /// In the user's quiet hours: at their next active window.
    Deferred {
        until: DateTime<Utc>,
        timezone: String,
    },
}

/// What the pipeline admitted.
struct Admitted<'s> {
    seq: &'s Sequence,
    start: Start,
}

/// Validates `wire` and creates its job, or records why it does nothing.
pub(crate) async fn on_event(
    r: &Router,
    ctx: &mut HandlerCtx<'_>,
    wire: OrchestratorEvent,
) -> Handled {
    let ev = Event::parse(wire)?;
    ctx.set_org(&ev.org).await?;
    if ev.wire.event_type == slack::EVENT {
        return match slack::decision(&ev.wire, ctx.now()) {
            Ok(decision) => ctx.emit(&decision),
            Err(problem) => {
                let skip = Skip::with("bad_approval_event", json!({ "problem": problem }));
                record(ctx, &ev, skip).await
            }
        };
    }
    match admit(r, ctx, &ev).await {
        Ok(admitted) => start_job(r, ctx, &ev, admitted).await,
        Err(Stop::Refused(skip)) => record(ctx, &ev, skip).await,
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// The rules, in the spec's order; the first that refuses stops the event.
async fn admit<'r>(r: &'r Router, ctx: &mut HandlerCtx<'_>, ev: &Event) -> Rule<Admitted<'r>> {
    let who = repo::who(ctx.tx, ev).await?;
    org_exists(&who)?;
    let user = user_exists(who)?;
    chain_depth(ev)?;
    let seq = r.defs.current(&ev.wire.event_type);
    not_duplicate(ctx, ev, seq).await?;
    feature_enabled(ctx, ev, seq).await?;
    let seq = sequence_defined(ev, seq)?;
    warn_at_max_depth(ev, seq);
    let start = if budget_spent(ctx, ev, seq).await? {
        Start::Paused
    } else {
        quiet_hours(ev, seq, user, ctx.now())
    };
    Ok(Admitted { seq, start })
}

fn org_exists(who: &repo::Who) -> Result<(), Skip> {
    who.org
        .then_some(())
        .ok_or_else(|| Skip::new("unknown_org"))
}

/// The user exists in the org; what the quiet-hours rule reads of them.
fn user_exists(who: repo::Who) -> Result<repo::Who, Skip> {
    match who.user {
        Some(_) => Ok(who),
        None => Err(Skip::new("unknown_user")),
    }
}

fn chain_depth(ev: &Event) -> Result<(), Skip> {
    let w = &ev.wire;
    chain::admit(w.chain_depth).map(drop).map_err(|e| {
        tracing::warn!(org = %ev.org, event_type = %w.event_type, depth = w.chain_depth, parent = ?w.parent_job_id, "{e}: no job created");
        Skip::with(
            "chain_depth_exceeded",
            json!({ "chain_depth": w.chain_depth, "max": chain::MAX_CHAIN_DEPTH, "parent_job_id": w.parent_job_id }),
        )
    })
}

/// The first event with its dedupe key in the window claims it; the rest are duplicates.
async fn not_duplicate(ctx: &mut HandlerCtx<'_>, ev: &Event, seq: Option<&Sequence>) -> Rule {
    let (key, window) = dedupe_key(ev, seq);
    let claim = DedupeClaim {
        org: &ev.org,
        event_type: &ev.wire.event_type,
        key: &key,
        event_id: ev.id,
        now: ctx.now(),
        window,
    };
    if repo::claim_dedupe(ctx.tx, &claim).await? {
        return Ok(());
    }
    let first = repo::first_seen(ctx.tx, &ev.org, &ev.wire.event_type, &key).await?;
    Err(Skip::with(
        "duplicate",
        json!({
            "dedupe_key": key,
            "window_s": window.as_secs(),
            "first_event_id": first.as_ref().map(|f| f.0.to_string()),
            "first_seen_at": first.map(|f| f.1),
        }),
    )
    .into())
}

/// The dedupe key and window: the event's own key, else the sequence's `dedupe.key`, else
/// the event id; the sequence's window, else 24 hours.
fn dedupe_key(ev: &Event, seq: Option<&Sequence>) -> (String, Duration) {
    let window = seq.map_or(Duration::from_secs(24 * 3600), |s| s.dedupe_window);
    if let Some(k) = &ev.wire.dedupe_key {
        return (k.clone(), window);
    }
    let event = ev.json();
    let computed = seq.and_then(|s| s.dedupe_key.as_ref()).and_then(|e| {
        let empty = Value::Object(Map::new());
        e.eval(&Scope {
            event: &event,
            context: &Value::Null,
            outputs: &empty,
            item: None,
        })
        .ok()
    });
    let key = match computed {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => ev.wire.event_id.clone(),
        Some(other) => other.to_string(),
    };
    (key, window)
}

/// The feature the sequence belongs to (its `feature`, else the event type) is on for the org.
async fn feature_enabled(ctx: &mut HandlerCtx<'_>, ev: &Event, seq: Option<&Sequence>) -> Rule {
    let feature = seq
        .and_then(|s| s.feature.clone())
        .unwrap_or_else(|| ev.wire.event_type.clone());
    if repo::feature_enabled(ctx.tx, &ev.org, &feature).await? {
        Ok(())
    } else {
        Err(Skip::with("feature_disabled", json!({ "feature": feature })).into())
    }
}

fn sequence_defined<'s>(ev: &Event, seq: Option<&'s Sequence>) -> Result<&'s Sequence, Skip> {
    seq.ok_or_else(|| {
        tracing::warn!(org = %ev.org, event_type = %ev.wire.event_type, "no sequence is defined for this event type: ignored");
        Skip::new("unknown_event_type")
    })
}

/// A job at the maximum depth runs, but queues no follow-ups: say so once, here.
fn warn_at_max_depth(ev: &Event, seq: &Sequence) {
    let queues = seq
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::Followup(_)));
    if ev.wire.chain_depth == chain::MAX_CHAIN_DEPTH && queues {
        tracing::warn!(org = %ev.org, event_type = %ev.wire.event_type, depth = ev.wire.chain_depth, "job at the maximum chain depth: its follow-ups will not be queued");
    }
}

/// Only sequences with AI steps spend the budget; a spent hard-stop budget pauses the job.
async fn budget_spent(ctx: &mut HandlerCtx<'_>, ev: &Event, seq: &Sequence) -> Rule<bool> {
    if !seq.steps.iter().any(|s| s.ai) {
        return Ok(false);
    }
    let budget = repo::budget(ctx.tx, &ev.org, ctx.now()).await?;
    Ok(budget.is_some_and(|b| b.check(Default::default()) == BudgetDecision::Pause))
}

/// In the user's quiet hours the run waits for their next active window, unless the
/// sequence must run now. Invalid quiet hours are logged and ignored.
fn quiet_hours(ev: &Event, seq: &Sequence, user: repo::Who, now: DateTime<Utc>) -> Start {
    if seq.run_in_quiet_hours {
        return Start::Now;
    }
    let quiet = (user.quiet_start.as_deref(), user.quiet_end.as_deref());
    match UserTime::parse(&user.timezone, quiet.0, quiet.1) {
        Ok(ut) if ut.is_quiet(now) => Start::Deferred {
            until: ut.next_active(now),
            timezone: user.timezone,
        },
        Ok(_) => Start::Now,
        Err(e) => {
            tracing::warn!(org = %ev.org, user = %ev.user, error = %e, "user's quiet hours are invalid; running now");
            Start::Now
        }
    }
}

/// Creates the job pinned to its definition, links it to its parent, and starts it.
async fn start_job(r: &Router, ctx: &mut HandlerCtx<'_>, ev: &Event, a: Admitted<'_>) -> Handled {
    let job = JobId::generate();
    let mut state = JobState::default();
    match a.start {
        Start::Now => {}
        Start::Paused => {
            state.status = JobStatus::Paused;
            state.paused_reason = Some(repo::BUDGET_EXCEEDED.to_string());
        }
        Start::Deferred { .. } => state.status = JobStatus::Deferred,
    }
    repo::store_definition(&r.defs, ctx.tx, a.seq).await?;
    if !repo::insert_job(ctx.tx, ev, job, &state, &a.seq.version).await? {
        return record(ctx, ev, Skip::new("already_routed")).await;
    }
    if let Some(parent) = ev.parent {
        repo::link_child(ctx.tx, parent, job).await?;
    }
    let w = &ev.wire;
    let detail = json!({
        "event_id": w.event_id,
        "event_type": w.event_type,
        "event_source": w.source,
        "sequence_version": a.seq.version,
        "chain_depth": w.chain_depth,
        "parent_job_id": w.parent_job_id,
        "status": state.status.as_str(),
    });
    repo::audit(ctx, &ev.org, Some(job), "job.created", detail).await?;
    begin(ctx, ev, job, a).await
}

/// What a new job does first: ask for its context, or wait visibly.
async fn begin(ctx: &mut HandlerCtx<'_>, ev: &Event, job: JobId, a: Admitted<'_>) -> Handled {
    match a.start {
        Start::Now => {
            let job_ref = JobRef {
                id: job,
                org: &ev.org,
                user: &ev.user,
                event_type: &ev.wire.event_type,
                payload: &ev.wire.payload,
            };
            let request = messages::context_request(job_ref, a.seq, ctx.now());
            ctx.emit(&request)
        }
        Start::Paused => {
            tracing::warn!(org = %ev.org, job = %job, "AI budget exhausted: job created paused");
            baton_platform::deferrals::count("budget_exceeded");
            let to = Recipient {
                org_id: &ev.org,
                user_id: &ev.user,
                job_id: job,
            };
            repo::record_pause(ctx, to, repo::BUDGET_EXCEEDED, None).await
        }
        Start::Deferred { until, timezone } => {
            let payload = json!({ "job_id": job.to_string() });
            repo::schedule(
                ctx.tx,
                &ev.org,
                JOB_START,
                &job.to_string(),
                until,
                &payload,
            )
            .await?;
            tracing::info!(org = %ev.org, job = %job, %until, "quiet hours: run deferred");
            baton_platform::deferrals::count("quiet_hours");
            let detail = json!({ "reason": "quiet_hours", "until": until, "timezone": timezone });
            repo::audit(ctx, &ev.org, Some(job), "job.deferred", detail).await
        }
    }
}

/// Records why `ev` does nothing.
async fn record(ctx: &mut HandlerCtx<'_>, ev: &Event, skip: Skip) -> Handled {
    tracing::info!(org = %ev.org, event_type = %ev.wire.event_type, event_id = %ev.id, reason = skip.reason, "event skipped");
    repo::record_skip(ctx, ev, skip.reason, skip.detail).await
}
