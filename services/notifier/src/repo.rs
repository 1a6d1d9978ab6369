//! All of the notifier's SQL: the web inbox, each Slack delivery (`notification_deliveries`)
//! and its post attempts (`slack_post_attempts`), and who the rep is in Slack. Every
//! function runs in the caller's transaction.

use baton_core::status::DeliveryStatus;
use baton_platform::Error;
use baton_platform::Result;
use baton_schemas::{Notification, OrgId, PendingActionId, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Posted;

/// Puts `n` in the rep's web inbox; false when it is there already (a redelivery).
pub(crate) async fn to_inbox(
    tx: &mut PgConnection,
    id: Uuid,
    n: &Notification,
    job: Option<Uuid>,
    gate: Option<PendingActionId>,
) -> Result<bool> {
    let first = sqlx::query!(
        "INSERT INTO web_inbox (notification_id, org_id, user_id, kind, text, blocks, job_id, pending_action_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        id,
        &n.org_id,
        &n.user_id,
        n.kind.as_str(),
        &n.text,
        n.blocks.as_ref(),
        job,
        gate.map(PendingActionId::uuid),
        n.created_at,
    )
    .execute(tx)
    .await?
    .rows_affected();
    Ok(first == 1)
}

/// The notification's Slack delivery, created `pending` the first time, locked; returns
/// its status.
pub(crate) async fn claim_delivery(
    tx: &mut PgConnection,
    id: Uuid,
    n: &Notification,
) -> Result<DeliveryStatus> {
    sqlx::query!(
        "INSERT INTO notification_deliveries (id, org_id, user_id, notification_id, channel, kind, status)
         VALUES ($1, $2, $3, $4, 'slack', $5, $6) ON CONFLICT (notification_id, channel) DO NOTHING",
        Uuid::now_v7(),
        &n.org_id,
        &n.user_id,
        id,
        n.kind.as_str(),
        DeliveryStatus::Pending.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    let status = sqlx::query_scalar!(
        "SELECT status FROM notification_deliveries WHERE notification_id = $1 AND channel = 'slack' FOR UPDATE",
        id,
    )
    .fetch_one(&mut *tx)
    .await?;
    status
        .parse()
        .map_err(|e| Error::bad_row("notification_deliveries", "status", e))
}

/// Where and when a rep may be messaged in Slack.
pub(crate) struct Target {
    pub slack_user: String,
    pub timezone: String,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub per_hour: i32,
}

/// The rep's Slack user, time zone, quiet hours and hourly limit; `None` without a mapping.
pub(crate) async fn target(
    tx: &mut PgConnection,
    org: &OrgId,
    user: &UserId,
) -> Result<Option<Target>> {
    sqlx::query_as!(
        Target,
        r#"SELECT m.slack_user_id AS slack_user, COALESCE(p.timezone, 'UTC') AS "timezone!",
                  to_char(p.quiet_hours_start, 'HH24:MI') AS quiet_start,
                  to_char(p.quiet_hours_end, 'HH24:MI') AS quiet_end,
                  COALESCE(p.max_notifications_per_hour, 10) AS "per_hour!"
           FROM slack_user_mappings m LEFT JOIN slack_user_preferences p ON p.user_id = m.user_id
           WHERE m.org_id = $1 AND m.user_id = $2"#,
        org.as_str(),
        user.as_str(),
    )
    .fetch_optional(tx)
    .await
    .map_err(Into::into)
}

/// Messages posted to the rep in the hour before `now` (updates of earlier messages do not
/// count), and when the oldest of them was posted.
pub(crate) async fn posted_last_hour(
    tx: &mut PgConnection,
    org: &OrgId,
    user: &UserId,
    now: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    let r = sqlx::query!(
        r#"SELECT count(*) AS "sent!", min(delivered_at) AS oldest FROM notification_deliveries
           WHERE org_id = $1 AND user_id = $2 AND channel = 'slack' AND status = $3
             AND kind <> 'update' AND delivered_at > $4::timestamptz - interval '1 hour'"#,
        org.as_str(),
        user.as_str(),
        DeliveryStatus::Sent.as_str(),
        now,
    )
    .fetch_one(tx)
    .await?;
    Ok((r.sent, r.oldest))
}

/// Where the first message about approval gate `gate` was posted, if it was (other than
/// notification `id` itself).
pub(crate) async fn posted_for_gate(
    tx: &mut PgConnection,
    gate: PendingActionId,
    id: Uuid,
) -> Result<Option<Posted>> {
    sqlx::query_as!(
        Posted,
        r#"SELECT d.slack_channel AS "channel!", d.slack_ts AS "ts!" FROM notification_deliveries d
           JOIN web_inbox w ON w.notification_id = d.notification_id
           WHERE w.pending_action_id = $1 AND d.channel = 'slack' AND d.status = $3
             AND d.notification_id <> $2 AND d.slack_ts IS NOT NULL AND d.slack_channel IS NOT NULL
           ORDER BY d.delivered_at LIMIT 1"#,
        gate.uuid(),
        id,
        DeliveryStatus::Sent.as_str(),
    )
    .fetch_optional(tx)
    .await
    .map_err(Into::into)
}

/// What became of an attempt at a Slack delivery.
pub(crate) enum Recorded<'a> {
    /// Posted (or, `update`, an earlier message updated: that does not count against the
    /// hourly limit) at `at`.
    Sent {
        posted: &'a Posted,
        update: bool,
        at: DateTime<Utc>,
    },
    /// Waiting until `until`, and why.
    Deferred {
        until: DateTime<Utc>,
        reason: &'a str,
    },
    /// Given up on, and why (the web inbox still has the notification).
    Failed { reason: &'a str },
}

/// Records what became of the latest attempt at the Slack delivery.
pub(crate) async fn record(tx: &mut PgConnection, id: Uuid, r: &Recorded<'_>) -> Result<()> {
    let (status, posted, update, at, until, reason) = match *r {
        Recorded::Sent { posted, update, at } => (
            DeliveryStatus::Sent,
            Some(posted),
            update,
            Some(at),
            None,
            None,
        ),
        Recorded::Deferred { until, reason } => (
            DeliveryStatus::Deferred,
            None,
            false,
            None,
            Some(until),
            Some(reason),
        ),
        Recorded::Failed { reason } => (
            DeliveryStatus::Failed,
            None,
            false,
            None,
            None,
            Some(reason),
        ),
    };
    sqlx::query!(
        "UPDATE notification_deliveries
         SET status = $2, attempts = attempts + 1,
             slack_channel = COALESCE($3, slack_channel), slack_ts = COALESCE($4, slack_ts),
             delivered_at = COALESCE($5, delivered_at),
             deferred_until = CASE WHEN $2 = $9 THEN NULL ELSE COALESCE($6, deferred_until) END,
             deferral_reason = COALESCE($7, deferral_reason),
             kind = CASE WHEN $8 THEN 'update' ELSE kind END
         WHERE notification_id = $1 AND channel = 'slack'",
        id,
        status.as_str(),
        posted.map(|p| p.channel.as_str()),
        posted.map(|p| p.ts.as_str()),
        at,
        until,
        reason,
        update,
        DeliveryStatus::Sent.as_str(),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// An attempt to post, recorded before the call: how many attempts so far, when the first
/// was made, and whether an earlier one may have posted.
pub(crate) struct Attempt {
    pub attempts: i32,
    pub first: DateTime<Utc>,
    pub earlier_in_doubt: Option<bool>,
}

pub(crate) async fn record_attempt(
    tx: &mut PgConnection,
    id: Uuid,
    org: &str,
    at: DateTime<Utc>,
) -> Result<Attempt> {
    sqlx::query_as!(
        Attempt,
        r#"WITH earlier AS (SELECT in_doubt FROM slack_post_attempts WHERE notification_id = $1)
           INSERT INTO slack_post_attempts (notification_id, org_id, attempts, in_doubt, first_attempt_at, last_attempt_at)
           VALUES ($1, $2, 1, true, $3, $3)
           ON CONFLICT (notification_id) DO UPDATE
             SET attempts = slack_post_attempts.attempts + 1, in_doubt = true, last_attempt_at = $3
           RETURNING attempts, first_attempt_at AS first, (SELECT in_doubt FROM earlier) AS earlier_in_doubt"#,
        id,
        org,
        at,
    )
    .fetch_one(tx)
    .await
    .map_err(Into::into)
}

/// Slack answered that it did not post: a later attempt need not look for the message.
pub(crate) async fn not_in_doubt(tx: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query!(
        "UPDATE slack_post_attempts SET in_doubt = false WHERE notification_id = $1",
        id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Once a delivery is recorded (with the outcome, in one transaction) its post attempts are
/// no longer needed: a redelivery stops at the recorded delivery.
pub(crate) async fn clear_attempts(tx: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query!(
        "DELETE FROM slack_post_attempts WHERE notification_id = $1",
        id
    )
    .execute(tx)
    .await?;
    Ok(())
}
