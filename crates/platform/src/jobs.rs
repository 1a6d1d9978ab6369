//! Reading sequence jobs (the router is their only writer), the audit trail every service
//! writes, and the AI budget checks the router and the step-executor share.

use baton_core::{
    budget::{Budget, MicroUsd},
    job::JobState,
};
use baton_schemas::{AuditRecord, Notification, NotificationKind};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::runtime::{HandlerCtx, HandlerError};

/// A `sequence_jobs` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub org_id: String,
    pub user_id: String,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_source: String,
    pub event_chain: Value,
    pub trigger_payload: Value,
    pub context: Value,
    pub status: String,
    pub paused_reason: Option<String>,
    pub chain_depth: i32,
    pub sequence_version: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, org_id, user_id, event_id, event_type, event_source, event_chain, \
    trigger_payload, context, status, paused_reason, chain_depth, sequence_version, version, created_at";

impl JobRow {
    /// Loads job `id` (in the transaction's org); `lock` takes the row lock the router
    /// holds while it applies a result.
    pub async fn load(
        tx: &mut PgConnection,
        id: Uuid,
        lock: bool,
    ) -> Result<Option<JobRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sequence_jobs WHERE id = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(tx)
            .await
    }

    /// The SequenceState (a job that has not started yet has the default one).
    pub fn state(&self) -> Result<JobState, HandlerError> {
        if self.context.as_object().is_none_or(|m| m.is_empty()) {
            return Ok(JobState::default());
        }
        serde_json::from_value(self.context.clone()).map_err(|e| {
            HandlerError::Retryable(anyhow::anyhow!(
                "job {}: its stored state does not parse: {e}",
                self.id
            ))
        })
    }

    /// The triggering event as sequence expressions see it (`event.*`).
    pub fn event(&self) -> Value {
        json!({
            "event_id": self.event_id.to_string(),
            "type": self.event_type,
            "source": self.event_source,
            "org_id": self.org_id,
            "user_id": self.user_id,
            "payload": self.trigger_payload,
            "parent_job_id": self.event_chain.get("parent").cloned().unwrap_or(Value::Null),
            "chain_depth": self.chain_depth,
        })
    }
}

/// Records an audit entry (`audit_log`) and publishes it on `baton.audit` for ops. `detail`
/// carries ids, counts and reasons, never message bodies or addresses.
#[allow(clippy::too_many_arguments)]
pub async fn audit(
    ctx: &mut HandlerCtx<'_>,
    service: &str,
    org_id: &str,
    job_id: Option<Uuid>,
    actor: &str,
    action: &str,
    detail: Value,
    at: DateTime<Utc>,
) -> Result<(), HandlerError> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO audit_log (id, org_id, job_id, service, actor, action, detail, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(org_id)
    .bind(job_id)
    .bind(service)
    .bind(actor)
    .bind(action)
    .bind(&detail)
    .bind(at)
    .execute(&mut *ctx.tx)
    .await?;
    ctx.emit(&AuditRecord {
        audit_id: id.to_string(),
        org_id: org_id.to_string(),
        job_id: job_id.map(|j| j.to_string()),
        service: service.to_string(),
        actor: actor.to_string(),
        action: action.to_string(),
        detail,
        occurred_at: at,
    })
}

/// The org's budget for the period containing `now`: its limit and what the ledger says it
/// has spent. `None` when the org does not exist.
pub async fn budget(
    tx: &mut PgConnection,
    org_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Budget>, sqlx::Error> {
    let row: Option<(f64, i32, bool, f64)> = sqlx::query_as(
        "SELECT o.ai_monthly_budget_usd::float8, o.ai_budget_alert_pct, o.ai_budget_hard_stop,
                COALESCE((SELECT sum(cost_usd) FROM ai_cost_ledger l
                          WHERE l.org_id = o.id AND l.period = $2), 0)::float8
         FROM orgs o WHERE o.id = $1",
    )
    .bind(org_id)
    .bind(baton_core::budget::period_of(now))
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|(limit, alert, hard_stop, spent)| Budget {
        monthly_limit: MicroUsd::from_usd(limit),
        spent: MicroUsd::from_usd(spent),
        alert_at_pct: u32::try_from(alert).unwrap_or(80),
        hard_stop,
    }))
}

/// Tells the rep about the org's budget once per budget period and `kind`
/// (`budget_exceeded`, `budget_alert`): the first caller in a period sends, the rest do not.
/// Returns whether this call sent it.
#[allow(clippy::too_many_arguments)]
pub async fn budget_notice_once(
    ctx: &mut HandlerCtx<'_>,
    org_id: &str,
    user_id: &str,
    job_id: Uuid,
    kind: &str,
    text: String,
    now: DateTime<Utc>,
) -> Result<bool, HandlerError> {
    let period = baton_core::budget::period_of(now);
    let claimed = sqlx::query(
        "INSERT INTO processed_events (org_id, event_type, dedupe_key, event_id, expires_at)
         VALUES ($1, $2, $3, $4, $5 + interval '62 days')
         ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(format!("notice:{kind}"))
    .bind(&period)
    .bind(job_id)
    .bind(now)
    .execute(&mut *ctx.tx)
    .await?
    .rows_affected()
        == 1;
    if claimed {
        ctx.emit(&Notification {
            notification_id: Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("baton:{org_id}:{kind}:{period}").as_bytes(),
            )
            .to_string(),
            org_id: org_id.to_string(),
            user_id: user_id.to_string(),
            kind: NotificationKind::Inform,
            text,
            blocks: None,
            job_id: Some(job_id.to_string()),
            pending_action_id: None,
            created_at: now,
        })?;
    }
    Ok(claimed)
}

/// The rep's notice that AI work is paused because the org's budget for the period is spent
/// (sent once per period, whoever notices first).
pub async fn notify_budget_exceeded(
    ctx: &mut HandlerCtx<'_>,
    org_id: &str,
    user_id: &str,
    job_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, HandlerError> {
    budget_notice_once(
        ctx,
        org_id,
        user_id,
        job_id,
        "budget_exceeded",
        "Baton paused AI work for your org: this month's AI budget is used up. Raise the \
         budget or wait for the next period; paused jobs resume from where they stopped."
            .to_string(),
        now,
    )
    .await
}
