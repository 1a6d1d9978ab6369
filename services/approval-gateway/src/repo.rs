//! All of the approval-gateway's SQL: the gates (`slack_pending_actions`), who may decide
//! them, and what the gateway reads of jobs, steps and users. Every function runs in the
//! caller's transaction.

use baton_core::status::{JobStatus, PendingActionStatus};
use baton_platform::Error;
use baton_platform::Result;
use baton_schemas::{ApprovalRequest, JobId, OrgId, PendingActionId, TimeoutAction, UserId};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// A gate, typed.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub id: PendingActionId,
    pub org_id: OrgId,
    pub job_id: JobId,
    pub user_id: UserId,
    pub step_index: i32,
    /// The HITL pattern (`email_draft`, `task_list`, …).
    pub kind: String,
    pub draft: Value,
    pub editable_fields: Vec<String>,
    pub status: PendingActionStatus,
    pub expires_at: DateTime<Utc>,
    pub on_timeout: TimeoutAction,
    pub decided_by: Option<String>,
    /// Who may decide besides the org's admins (the gate's user, as opened).
    pub allowed_deciders: Vec<String>,
}

/// The row as stored, before its ids and statuses are parsed.
struct Stored {
    id: Uuid,
    org_id: String,
    job_id: Uuid,
    user_id: String,
    step_index: i32,
    kind: String,
    draft: Value,
    editable_fields: Vec<String>,
    status: String,
    expires_at: DateTime<Utc>,
    on_timeout: String,
    decided_by: Option<String>,
    allowed_deciders: Vec<String>,
}

impl TryFrom<Stored> for Pending {
    type Error = Error;

    fn try_from(r: Stored) -> Result<Pending> {
        let bad =
            |column, e: &dyn std::fmt::Display| Error::bad_row("slack_pending_actions", column, e);
        Ok(Pending {
            id: PendingActionId::from_uuid(r.id),
            org_id: r.org_id.try_into().map_err(|e| bad("org_id", &e))?,
            job_id: JobId::from_uuid(r.job_id),
            user_id: r.user_id.try_into().map_err(|e| bad("user_id", &e))?,
            step_index: r.step_index,
            kind: r.kind,
            draft: r.draft,
            editable_fields: r.editable_fields,
            status: r.status.parse().map_err(|e| bad("status", &e))?,
            expires_at: r.expires_at,
            on_timeout: r.on_timeout.parse().map_err(|e| bad("on_timeout", &e))?,
            decided_by: r.decided_by,
            allowed_deciders: r.allowed_deciders,
        })
    }
}

/// Gate `id` (in the transaction's org), locked for the decision or timer at hand.
pub(crate) async fn lock(tx: &mut PgConnection, id: PendingActionId) -> Result<Option<Pending>> {
    let row = sqlx::query_as!(
        Stored,
        "SELECT id, org_id, job_id, user_id, step_index, kind, draft, editable_fields, status,
                expires_at, on_timeout, decided_by, allowed_deciders
         FROM slack_pending_actions WHERE id = $1 FOR UPDATE",
        id.uuid(),
    )
    .fetch_optional(tx)
    .await?;
    row.map(Pending::try_from).transpose()
}

/// Creates the gate a request asks for; false when it exists already (a redelivery).
pub(crate) async fn create(
    tx: &mut PgConnection,
    id: PendingActionId,
    job: JobId,
    r: &ApprovalRequest,
) -> Result<bool> {
    let created = sqlx::query!(
        "INSERT INTO slack_pending_actions (id, org_id, job_id, user_id, step_index, kind, draft,
                                            editable_fields, allowed_deciders, expires_at, on_timeout)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING",
        id.uuid(),
        &r.org_id,
        job.uuid(),
        &r.user_id,
        r.step_index,
        &r.pattern,
        &r.draft,
        &r.editable_fields,
        &[r.user_id.clone()],
        r.expires_at,
        r.on_timeout.as_str(),
    )
    .execute(tx)
    .await?
    .rows_affected();
    Ok(created == 1)
}

/// How an open gate closes: decided by a rep (with their edits), or expired.
pub(crate) struct Closed<'a> {
    pub status: PendingActionStatus,
    /// `approve`, `edit`, …, or `expired:<on_timeout>`.
    pub decision: String,
    pub decided_by: Option<&'a UserId>,
    pub at: DateTime<Utc>,
    pub modifications: Option<&'a Value>,
}

/// Closes gate `id` if it is still open.
pub(crate) async fn close(tx: &mut PgConnection, id: PendingActionId, c: Closed<'_>) -> Result<()> {
    sqlx::query!(
        "UPDATE slack_pending_actions
         SET status = $2, decision = $3, decided_by = $4, decided_at = $5, user_modifications = $6
         WHERE id = $1 AND status = $7",
        id.uuid(),
        c.status.as_str(),
        c.decision,
        c.decided_by.map(UserId::as_str),
        c.at,
        c.modifications,
        PendingActionStatus::Pending.as_str(),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The name of the gated step, as the step-executor recorded it (`#<index>` before it ran).
pub(crate) async fn step_name(tx: &mut PgConnection, p: &Pending) -> Result<String> {
    let name = sqlx::query_scalar!(
        "SELECT step_name FROM step_runs WHERE job_id = $1 AND step_index = $2 LIMIT 1",
        p.job_id.uuid(),
        p.step_index,
    )
    .fetch_optional(tx)
    .await?;
    Ok(name.unwrap_or_else(|| format!("#{}", p.step_index)))
}

/// The job's status, if it exists.
pub(crate) async fn job_status(tx: &mut PgConnection, job: JobId) -> Result<Option<JobStatus>> {
    let status = sqlx::query_scalar!("SELECT status FROM sequence_jobs WHERE id = $1", job.uuid())
        .fetch_optional(tx)
        .await?;
    status
        .map(|s| {
            s.parse()
                .map_err(|e| Error::bad_row("sequence_jobs", "status", e))
        })
        .transpose()
}

/// The Baton user a Slack user is, in `org`.
pub(crate) async fn slack_user(
    tx: &mut PgConnection,
    org: &OrgId,
    slack_team: &str,
    slack_user: &str,
) -> Result<Option<String>> {
    sqlx::query_scalar!(
        "SELECT user_id FROM slack_user_mappings
         WHERE org_id = $1 AND slack_team_id = $2 AND slack_user_id = $3",
        org.as_str(),
        slack_team,
        slack_user,
    )
    .fetch_optional(tx)
    .await
    .map_err(Into::into)
}

/// Whether `user` is an admin of `org` (false when no such user).
pub(crate) async fn is_admin(tx: &mut PgConnection, org: &OrgId, user: &str) -> Result<bool> {
    let admin = sqlx::query_scalar!(
        "SELECT is_admin FROM users WHERE id = $1 AND org_id = $2",
        user,
        org.as_str(),
    )
    .fetch_optional(tx)
    .await?;
    Ok(admin.unwrap_or(false))
}

/// A user's time zone and quiet hours (`HH:MM`), when they have preferences.
pub(crate) struct QuietHours {
    pub timezone: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

pub(crate) async fn quiet_hours(tx: &mut PgConnection, user: &str) -> Result<Option<QuietHours>> {
    sqlx::query_as!(
        QuietHours,
        r#"SELECT timezone, to_char(quiet_hours_start, 'HH24:MI') AS start,
                  to_char(quiet_hours_end, 'HH24:MI') AS end
           FROM slack_user_preferences WHERE user_id = $1"#,
        user,
    )
    .fetch_optional(tx)
    .await
    .map_err(Into::into)
}
