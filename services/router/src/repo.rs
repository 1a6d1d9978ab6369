//! All of the router's SQL: job rows (created, locked, saved version-checked), skipped
//! events, the dedupe window, the audit trail, pauses, timers and pinned definitions. Every
//! function runs in the caller's transaction, so one handler composes several of them.

use std::{sync::Arc, time::Duration};

use baton_core::{budget::Budget, job::JobState, sequence::Sequence};
use baton_platform::{
    jobs::{self, Actor, BudgetNotice, JobRow, Recipient},
    runtime::{HandlerCtx, HandlerError},
    sequences::Definitions,
    timers,
};
use baton_schemas::{DeadLetterClass, EventId, JobId, OrgId, UserId};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::SERVICE;

/// A user's time zone and quiet hours (`HH:MM`, when set).
pub(crate) struct UserPrefs {
    pub timezone: String,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
}

pub(crate) async fn org_exists(tx: &mut PgConnection, org: &OrgId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $1) AS "exists!""#,
        org.as_str()
    )
    .fetch_one(tx)
    .await
}

/// The user's preferences, or `None` when the org has no such user.
pub(crate) async fn user_prefs(
    tx: &mut PgConnection,
    org: &OrgId,
    user: &UserId,
) -> Result<Option<UserPrefs>, sqlx::Error> {
    sqlx::query_as!(
        UserPrefs,
        r#"SELECT COALESCE(p.timezone, 'UTC') AS "timezone!",
                  to_char(p.quiet_hours_start, 'HH24:MI') AS quiet_start,
                  to_char(p.quiet_hours_end, 'HH24:MI') AS quiet_end
           FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id
           WHERE u.id = $1 AND u.org_id = $2"#,
        user.as_str(),
        org.as_str(),
    )
    .fetch_optional(tx)
    .await
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
pub(crate) async fn claim_dedupe(
    tx: &mut PgConnection,
    c: &DedupeClaim<'_>,
) -> Result<bool, sqlx::Error> {
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
) -> Result<Option<(EventId, DateTime<Utc>)>, sqlx::Error> {
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
) -> Result<bool, sqlx::Error> {
    let enabled = sqlx::query_scalar!(
        "SELECT enabled FROM notification_feature_settings WHERE org_id = $1 AND feature = $2",
        org.as_str(),
        feature,
    )
    .fetch_optional(tx)
    .await?;
    Ok(enabled != Some(false))
}

/// An event that did nothing, and why.
pub(crate) struct Skipped<'a> {
    pub org: &'a OrgId,
    pub user: &'a UserId,
    pub event_id: EventId,
    pub event_type: &'a str,
    pub reason: &'static str,
    pub detail: Value,
}

/// Records a skip in `skipped_events` and the audit trail (the detail there also names the
/// event and the reason).
pub(crate) async fn record_skip(
    ctx: &mut HandlerCtx<'_>,
    s: Skipped<'_>,
) -> Result<(), HandlerError> {
    sqlx::query!(
        "INSERT INTO skipped_events (id, org_id, user_id, event_id, event_type, reason, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        Uuid::now_v7(),
        s.org.as_str(),
        s.user.as_str(),
        s.event_id.uuid(),
        s.event_type,
        s.reason,
        &s.detail,
    )
    .execute(&mut *ctx.tx)
    .await?;
    let mut detail = json!({
        "event_id": s.event_id.to_string(),
        "event_type": s.event_type,
        "user_id": s.user.as_str(),
        "reason": s.reason,
    });
    if let (Some(d), Value::Object(extra)) = (detail.as_object_mut(), s.detail) {
        d.extend(extra);
    }
    audit(ctx, s.org, None, "event.skipped", detail).await
}

/// A job about to be created.
pub(crate) struct NewJob<'a> {
    pub id: JobId,
    pub org: &'a OrgId,
    pub user: &'a UserId,
    pub event_id: EventId,
    pub event_type: &'a str,
    pub event_source: &'a str,
    pub event_chain: Value,
    pub trigger_payload: &'a Value,
    pub state: &'a JobState,
    pub chain_depth: i32,
    pub sequence_version: &'a str,
}

/// Creates the job; false when the org already has a job for this event (a redelivery
/// after the dedupe window).
pub(crate) async fn insert_job(
    tx: &mut PgConnection,
    job: &NewJob<'_>,
) -> Result<bool, HandlerError> {
    let created = sqlx::query!(
        "INSERT INTO sequence_jobs (id, org_id, user_id, event_id, event_type, event_source, event_chain,
                                    trigger_payload, context, status, paused_reason, chain_depth, sequence_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (org_id, event_id) DO NOTHING",
        job.id.uuid(),
        job.org.as_str(),
        job.user.as_str(),
        job.event_id.uuid(),
        job.event_type,
        job.event_source,
        &job.event_chain,
        job.trigger_payload,
        state_json(job.id, job.state)?,
        job.state.status.as_str(),
        job.state.paused_reason.as_deref(),
        job.chain_depth,
        job.sequence_version,
    )
    .execute(tx)
    .await?
    .rows_affected();
    Ok(created == 1)
}

/// Adds `child` to `parent`'s `event_chain.children` (once). Only event_chain changes: the
/// parent's state and version are the parent's own results' to write.
pub(crate) async fn link_child(
    tx: &mut PgConnection,
    parent: JobId,
    child: JobId,
) -> Result<(), sqlx::Error> {
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

/// Loads job `id` under the row lock the router holds while it changes the job.
pub(crate) async fn lock_job(
    tx: &mut PgConnection,
    id: JobId,
) -> Result<Option<JobRow>, HandlerError> {
    Ok(JobRow::load(tx, id, true).await?)
}

/// Writes `state` (and the execution metadata, when the job finished) over the version the
/// job was loaded at. Another writer in between is a retry, never a lost update.
pub(crate) async fn save_state(
    tx: &mut PgConnection,
    job: &JobRow,
    state: &JobState,
    metadata: Option<Value>,
) -> Result<(), HandlerError> {
    let mut context = state_json(job.id, state)?;
    if let Some(m) = metadata {
        context["execution_metadata"] = m;
    }
    let updated = sqlx::query!(
        "UPDATE sequence_jobs
         SET context = $3, status = $4, paused_reason = $5, version = version + 1, updated_at = now(),
             completed_at = CASE WHEN $6 THEN now() ELSE completed_at END
         WHERE id = $1 AND version = $2",
        job.id.uuid(),
        job.version,
        context,
        state.status.as_str(),
        state.paused_reason.as_deref(),
        state.status.is_terminal(),
    )
    .execute(tx)
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

/// The state as stored in `sequence_jobs.context`. A state that does not serialise is a
/// defect to see, never a `null` state written over the job.
fn state_json(job: JobId, state: &JobState) -> Result<Value, HandlerError> {
    serde_json::to_value(state).map_err(|e| HandlerError::Permanent {
        class: DeadLetterClass::HandlerRejected,
        reason: format!("job {job}: its state does not serialise: {e}"),
    })
}

/// Records an audit entry by the router.
pub(crate) async fn audit(
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    job: Option<JobId>,
    action: &str,
    detail: Value,
) -> Result<(), HandlerError> {
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
) -> Result<(), HandlerError> {
    if reason == BUDGET_EXCEEDED {
        jobs::budget_notice_once(ctx, to, BudgetNotice::Exceeded).await?;
    }
    let detail = json!({ "reason": reason, "step": step });
    audit(ctx, to.org_id, Some(to.job_id), "job.paused", detail).await
}

/// The pause reason when the org's AI budget is spent.
pub(crate) const BUDGET_EXCEEDED: &str = "budget_exceeded";

/// The org's AI budget for the period containing `now`.
pub(crate) async fn budget(
    tx: &mut PgConnection,
    org: &OrgId,
    now: DateTime<Utc>,
) -> Result<Option<Budget>, sqlx::Error> {
    jobs::budget(tx, org, now).await
}

/// Schedules a router timer for `job` (once per `key`).
pub(crate) async fn schedule(
    tx: &mut PgConnection,
    org: &OrgId,
    kind: &str,
    key: &str,
    due: DateTime<Utc>,
    payload: &Value,
) -> Result<(), HandlerError> {
    timers::schedule(tx, org, kind, key, due, payload).await?;
    Ok(())
}

/// Stores the definition a new job is pinned to (once per version).
pub(crate) async fn store_definition(
    defs: &Definitions,
    tx: &mut PgConnection,
    seq: &Sequence,
) -> Result<(), HandlerError> {
    Ok(defs.store(tx, seq).await?)
}

/// The definition `job` is pinned to (read back from the database after the file changed).
pub(crate) async fn pinned(
    defs: &Definitions,
    tx: &mut PgConnection,
    job: &JobRow,
) -> Result<Arc<Sequence>, HandlerError> {
    defs.pinned(tx, &job.sequence_version).await.map_err(|e| {
        HandlerError::Retryable(anyhow::anyhow!(
            "job {}: sequence version {}: {e}",
            job.id,
            job.sequence_version
        ))
    })
}
