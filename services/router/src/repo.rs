//! All of the router's SQL: job rows (created, locked, saved version-checked), skipped
//! events, the dedupe window, the audit trail, pauses, timers and pinned definitions. Every
//! function runs in the caller's transaction, so one handler composes several of them.

use std::{sync::Arc, time::Duration};

use baton_core::{budget::Budget, chain, job::JobState, sequence::Sequence};
use baton_platform::Result;
use baton_platform::{
    jobs::{self, Actor, BudgetNotice, JobRow, Recipient},
    runtime::{Handled, HandlerCtx, HandlerError},
    sequences::Definitions,
    timers,
};
use baton_schemas::{DeadLetterClass, EventId, JobId, OrgId};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{SERVICE, event::Event};

/// Whether the event's org exists, and its user in that org with their time zone and quiet
/// hours (`HH:MM`, when set).
pub(crate) struct Who {
    pub org: bool,
    pub user: Option<String>,
    pub timezone: String,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
}

pub(crate) async fn who(tx: &mut PgConnection, ev: &Event) -> Result<Who> {
    let who = sqlx::query_as!(
        Who,
        r#"SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $1) AS "org!", u.id AS "user?",
                  COALESCE(p.timezone, 'UTC') AS "timezone!",
                  to_char(p.quiet_hours_start, 'HH24:MI') AS quiet_start, to_char(p.quiet_hours_end, 'HH24:MI') AS quiet_end
           FROM (SELECT 1) AS one
           LEFT JOIN users u ON u.id = $2 AND u.org_id = $1
           LEFT JOIN slack_user_preferences p ON p.user_id = u.id"#,
        ev.org.as_str(),
        ev.user.as_str(),
    )
    .fetch_one(tx)
    .await?;
    Ok(who)
}

/// One event's claim on the dedupe window.
pub(crate) struct DedupeClaim<'a> {
    pub org: &'a OrgId,
    pub event_type: &'a str,
    pub key: &'a str,
    pub event_id: EventId,
    pub now: DateTime<Utc>,
    pub window: Duration,
}

/// Claims `(org, type, key)` until the window ends: true for the first event (or the same
/// event again, or after an earlier claim expired), false for a duplicate.
pub(crate) async fn claim_dedupe(tx: &mut PgConnection, c: &DedupeClaim<'_>) -> Result<bool> {
    let claimed = sqlx::query!(
        "INSERT INTO processed_events (org_id, event_type, dedupe_key, event_id, first_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz + $6::float8 * interval '1 millisecond')
         ON CONFLICT (org_id, event_type, dedupe_key) DO UPDATE
           SET event_id = EXCLUDED.event_id, first_seen_at = EXCLUDED.first_seen_at,
               expires_at = EXCLUDED.expires_at
           WHERE processed_events.expires_at <= EXCLUDED.first_seen_at
              OR processed_events.event_id = EXCLUDED.event_id",
        c.org.as_str(),
        c.event_type,
        c.key,
        c.event_id.uuid(),
        c.now,
        c.window.as_millis() as f64,
    )
    .execute(tx)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// The event that holds the dedupe claim, and when it was first seen.
pub(crate) async fn first_seen(
    tx: &mut PgConnection,
    org: &OrgId,
    event_type: &str,
    key: &str,
) -> Result<Option<(EventId, DateTime<Utc>)>> {
    let row = sqlx::query!(
        "SELECT event_id, first_seen_at FROM processed_events
         WHERE org_id = $1 AND event_type = $2 AND dedupe_key = $3",
        org.as_str(),
        event_type,
        key,
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (EventId::from_uuid(r.event_id), r.first_seen_at)))
}

/// Whether `feature` is on for the org; no row means on (the column's default).
pub(crate) async fn feature_enabled(
    tx: &mut PgConnection,
    org: &OrgId,
    feature: &str,
) -> Result<bool> {
    let enabled = sqlx::query_scalar!(
        "SELECT enabled FROM notification_feature_settings WHERE org_id = $1 AND feature = $2",
        org.as_str(),
        feature,
    )
    .fetch_optional(tx)
    .await?;
    Ok(enabled != Some(false))
}

/// Records a skip in `skipped_events` and the audit trail (the detail there also names the
/// event and the reason).
pub(crate) async fn record_skip(
    ctx: &mut HandlerCtx<'_>,
    ev: &Event,
    reason: &str,
    detail: Value,
) -> Handled {
    sqlx::query!(
        "INSERT INTO skipped_events (id, org_id, user_id, event_id, event_type, reason, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        Uuid::now_v7(),
        ev.org.as_str(),
        ev.user.as_str(),
        ev.id.uuid(),
        &ev.wire.event_type,
        reason,
        &detail,
    )
    .execute(&mut *ctx.tx)
    .await?;
    let mut audited = json!({
        "event_id": ev.id.to_string(),
        "event_type": ev.wire.event_type,
        "user_id": ev.user.as_str(),
        "reason": reason,
    });
    if let (Some(d), Value::Object(extra)) = (audited.as_object_mut(), detail) {
        d.extend(extra);
    }
    audit(ctx, &ev.org, None, "event.skipped", audited).await
}

/// Creates job `job` for `ev`, pinned to `version`, in `state` — a job that has not started:
/// no context loaded, no step run (those are written by [`save_state`]); false when the org
/// already has a job for this event (a redelivery after the dedupe window).
pub(crate) async fn insert_job(
    tx: &mut PgConnection,
    ev: &Event,
    job: JobId,
    state: &JobState,
    version: &str,
) -> Handled<bool> {
    debug_assert!(
        state.context.is_none() && state.outputs.is_empty(),
        "a new job has no loaded context or outputs"
    );
    let w = &ev.wire;
    let created = sqlx::query!(
        "INSERT INTO sequence_jobs (id, org_id, user_id, event_id, event_type, event_source, event_chain,
                                    trigger_payload, context, status, paused_reason, chain_depth, sequence_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (org_id, event_id) DO NOTHING",
        job.uuid(),
        ev.org.as_str(),
        ev.user.as_str(),
        ev.id.uuid(),
        &w.event_type,
        &w.source,
        chain::new_chain(w.parent_job_id.as_deref()),
        &w.payload,
        state_json(job, state)?,
        state.status.as_str(),
        state.paused_reason.as_deref(),
        w.chain_depth,
        version,
    )
    .execute(tx)
    .await?
    .rows_affected();
    Ok(created == 1)
}

/// Adds `child` to `parent`'s `event_chain.children` (once). Only event_chain changes: the
/// parent's state and version are the parent's own results' to write.
pub(crate) async fn link_child(tx: &mut PgConnection, parent: JobId, child: JobId) -> Result<()> {
    sqlx::query!(
        "UPDATE sequence_jobs
         SET event_chain = jsonb_set(event_chain, '{children}',
                                     COALESCE(event_chain -> 'children', '[]'::jsonb) || to_jsonb($2::text))
         WHERE id = $1 AND NOT COALESCE(event_chain -> 'children', '[]'::jsonb) ? $2::text",
        parent.uuid(),
        child.to_string(),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The job a result names (`job_id`), under the row lock the router holds while it changes
/// the job; a result for a job the org does not have is invalid.
pub(crate) async fn lock_named(tx: &mut PgConnection, job_id: &str) -> Handled<JobRow> {
    JobRow::named(tx, job_id, true).await
}

/// Job `id` under the row lock, if the org has it.
pub(crate) async fn lock_job(tx: &mut PgConnection, id: JobId) -> Handled<Option<JobRow>> {
    Ok(JobRow::load(tx, id, true).await?)
}

/// Writes `state` (and the execution metadata, when the job finished) over the version the
/// job was loaded at, and the step outputs it does not hold yet — one statement. Another
/// writer in between is a retry, never a lost update.
pub(crate) async fn save_state(
    tx: &mut PgConnection,
    job: &JobRow,
    state: &JobState,
    metadata: Option<Value>,
) -> Handled {
    let mut context = state_json(job.id, state)?;
    if let Some(m) = metadata {
        context["execution_metadata"] = m;
    }
    let stored = job.context["outputs"].as_object();
    let updated = sqlx::query!(
        "WITH outputs AS (
             INSERT INTO sequence_job_outputs (job_id, org_id, step_name, output)
             SELECT $1, $7, key, value FROM jsonb_each($8)
             ON CONFLICT (job_id, step_name) DO UPDATE SET output = EXCLUDED.output)
         UPDATE sequence_jobs
         SET context = $3, status = $4, paused_reason = $5, version = version + 1, updated_at = now(),
             completed_at = CASE WHEN $6 THEN now() ELSE completed_at END,
             loaded_context = COALESCE($9, loaded_context)
         WHERE id = $1 AND version = $2",
        job.id.uuid(),
        job.version,
        context,
        state.status.as_str(),
        state.paused_reason.as_deref(),
        state.status.is_terminal(),
        job.org_id.as_str(),
        new_outputs(&state.outputs, stored),
        // Written when it arrives; left alone (its TOAST pointer kept) on later results.
        state
            .context
            .as_ref()
            .filter(|c| job.context.get("context") != Some(*c)),
    )
    .execute(tx)
    .await?
    .rows_affected();
    // The outputs were inserted even so; the retry rolls the transaction back with them.
    if updated == 0 {
        return Err(HandlerError::Retryable(anyhow::anyhow!(
            "job {} changed under us (version {}): retrying",
            job.id,
            job.version
        )));
    }
    Ok(())
}

/// Each of `outputs` that `stored` does not already hold as it is.
fn new_outputs(outputs: &Map<String, Value>, stored: Option<&Map<String, Value>>) -> Value {
    Value::Object(
        outputs
            .iter()
            .filter(|(step, output)| stored.and_then(|s| s.get(*step)) != Some(*output))
            .map(|(step, output)| (step.clone(), output.clone()))
            .collect(),
    )
}

/// The state as stored in `sequence_jobs.context`: without the loaded context (its own
/// column) and the step outputs (a row each). A state that does not serialise is a defect
/// to see, never a `null` state written over the job.
fn state_json(job: JobId, state: &JobState) -> Handled<Value> {
    let mut value = serde_json::to_value(state).map_err(|e| HandlerError::Permanent {
        class: DeadLetterClass::HandlerRejected,
        reason: format!("job {job}: its state does not serialise: {e}"),
    })?;
    if let Some(m) = value.as_object_mut() {
        m.remove("context");
        m.remove("outputs");
    }
    Ok(value)
}

/// Records an audit entry by the router.
pub(crate) async fn audit(
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    job: Option<JobId>,
    action: &str,
    detail: Value,
) -> Handled {
    let who = Actor {
        service: SERVICE,
        actor: SERVICE,
        org_id: org,
        job_id: job,
    };
    jobs::audit(ctx, who, action, detail).await
}

/// Records a pause; a budget pause also tells the rep (once per budget period).
pub(crate) async fn record_pause(
    ctx: &mut HandlerCtx<'_>,
    to: Recipient<'_>,
    reason: &str,
    step: Option<usize>,
) -> Handled {
    if reason == BUDGET_EXCEEDED {
        jobs::budget_notice_once(ctx, to, BudgetNotice::Exceeded).await?;
        schedule_budget_check(ctx.tx, to.org_id, to.job_id, ctx.now()).await?;
    }
    let detail = json!({ "reason": reason, "step": step });
    audit(ctx, to.org_id, Some(to.job_id), "job.paused", detail).await
}

/// A budget-paused job looks again at the next period's start or after
/// [`crate::timers::BUDGET_RECHECK`] (a raised limit), whichever comes first.
pub(crate) async fn schedule_budget_check(
    tx: &mut PgConnection,
    org: &OrgId,
    job: JobId,
    now: DateTime<Utc>,
) -> Handled {
    let due = (now + crate::timers::BUDGET_RECHECK).min(baton_core::budget::next_period_start(now));
    let key = format!("{job}:budget:{}", due.timestamp());
    let payload = json!({ "job_id": job.to_string() });
    schedule(tx, org, crate::timers::BUDGET_CHECK, &key, due, &payload).await
}

/// The pause reason when the org's AI budget is spent.
pub(crate) const BUDGET_EXCEEDED: &str = "budget_exceeded";

/// The org's AI budget for the period containing `now`.
pub(crate) async fn budget(
    tx: &mut PgConnection,
    org: &OrgId,
    now: DateTime<Utc>,
) -> Result<Option<Budget>> {
    Ok(jobs::budget(tx, org, now).await?)
}

/// The org's open deals (what the pipeline scan judges), in the sample-data format; at most
/// [`SCAN_DEALS`], least recently active first.
pub(crate) async fn open_deals(tx: &mut PgConnection) -> Handled<Value> {
    let deals = sqlx::query_scalar!(
        "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'stage', stage,
                'owner_user_id', owner_user_id, 'last_activity_at', last_activity_at,
                'created_at', created_at)), '[]'::jsonb)
         FROM (SELECT * FROM deals WHERE stage NOT IN ('closed_won', 'closed_lost')
               ORDER BY last_activity_at NULLS FIRST LIMIT $1) d",
        SCAN_DEALS,
    )
    .fetch_one(tx)
    .await?;
    Ok(deals.unwrap_or_else(|| json!([])))
}

/// The pending action an approval result names, as the approval-gateway left it (the
/// transaction's org only). A malformed id names none.
pub(crate) async fn pending_action(
    tx: &mut PgConnection,
    id: &str,
) -> Handled<Option<crate::gate::GateRow>> {
    let Ok(id) = id.parse::<baton_schemas::PendingActionId>() else {
        return Ok(None);
    };
    let row = sqlx::query!(
        "SELECT job_id, step_index, status, decided_by, user_modifications
         FROM slack_pending_actions WHERE id = $1",
        id.uuid(),
    )
    .fetch_optional(tx)
    .await?;
    row.map(|r| {
        Ok(crate::gate::GateRow {
            job_id: JobId::from_uuid(r.job_id),
            step_index: r.step_index,
            status: r.status.parse().map_err(|e| {
                HandlerError::from(baton_platform::Error::bad_row(
                    "slack_pending_actions",
                    "status",
                    e,
                ))
            })?,
            decided_by: r.decided_by,
            user_modifications: r.user_modifications,
        })
    })
    .transpose()
}

/// Open deals one scan reads at most.
const SCAN_DEALS: i64 = 10_000;

/// Schedules a router timer for `job` (once per `key`).
pub(crate) async fn schedule(
    tx: &mut PgConnection,
    org: &OrgId,
    kind: &str,
    key: &str,
    due: DateTime<Utc>,
    payload: &Value,
) -> Handled {
    timers::schedule(tx, org, kind, key, due, payload).await?;
    Ok(())
}

/// Stores the definition a new job is pinned to (once per version).
pub(crate) async fn store_definition(
    defs: &Definitions,
    tx: &mut PgConnection,
    seq: &Sequence,
) -> Handled {
    Ok(defs.store(tx, seq).await?)
}

/// The definition `job` is pinned to (read back from the database after the file changed).
pub(crate) async fn pinned(
    defs: &Definitions,
    tx: &mut PgConnection,
    job: &JobRow,
) -> Handled<Arc<Sequence>> {
    defs.pinned(tx, &job.sequence_version).await.map_err(|e| {
        HandlerError::Retryable(anyhow::anyhow!(
            "job {}: sequence version {}: {e}",
            job.id,
            job.sequence_version
        ))
    })
}
