//! Reading sequence jobs (the router is their only writer), the audit trail every service
//! writes, and the AI budget checks the router and the step-executor share.

use baton_core::{
    budget::{Budget, MicroUsd},
    job::JobState,
    status::JobStatus,
};
use baton_schemas::{AuditRecord, EventId, JobId, Notification, NotificationKind, OrgId, UserId};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::runtime::{HandlerCtx, HandlerError};

/// A `sequence_jobs` row, typed.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: JobId,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub event_id: EventId,
    pub event_type: String,
    pub event_source: String,
    pub event_chain: Value,
    pub trigger_payload: Value,
    /// The SequenceState, with the loaded context (`loaded_context`, written once) and the
    /// step outputs (a row per step, `sequence_job_outputs`) merged in as `context` and
    /// `outputs`.
    pub context: Value,
    pub status: JobStatus,
    pub paused_reason: Option<String>,
    pub chain_depth: i32,
    pub sequence_version: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// The row as stored, before its ids and status are parsed.
struct StoredJob {
    id: Uuid,
    org_id: String,
    user_id: String,
    event_id: Uuid,
    event_type: String,
    event_source: String,
    event_chain: Value,
    trigger_payload: Value,
    context: Value,
    status: String,
    paused_reason: Option<String>,
    chain_depth: i32,
    sequence_version: String,
    version: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<StoredJob> for JobRow {
    type Error = crate::Error;

    fn try_from(r: StoredJob) -> crate::Result<JobRow> {
        let bad =
            |column, e: &dyn std::fmt::Display| crate::Error::bad_row("sequence_jobs", column, e);
        Ok(JobRow {
            id: JobId::from_uuid(r.id),
            org_id: r.org_id.try_into().map_err(|e| bad("org_id", &e))?,
            user_id: r.user_id.try_into().map_err(|e| bad("user_id", &e))?,
            event_id: EventId::from_uuid(r.event_id),
            event_type: r.event_type,
            event_source: r.event_source,
            event_chain: r.event_chain,
            trigger_payload: r.trigger_payload,
            context: r.context,
            status: r.status.parse().map_err(|e| bad("status", &e))?,
            paused_reason: r.paused_reason,
            chain_depth: r.chain_depth,
            sequence_version: r.sequence_version,
            version: r.version,
            created_at: r.created_at,
        })
    }
}

/// `SELECT`s one job by id, with `$lock` appended (`" FOR UPDATE"` or `""`).
macro_rules! select_job {
    ($tx:expr, $id:expr, $lock:literal) => {
        sqlx::query_as!(
            StoredJob,
            r#"SELECT id, org_id, user_id, event_id, event_type, event_source, event_chain,
                      trigger_payload,
                      context || jsonb_build_object('context', loaded_context, 'outputs', (
                          SELECT COALESCE(jsonb_object_agg(o.step_name, o.output), '{}')
                          FROM sequence_job_outputs o WHERE o.job_id = sequence_jobs.id)) AS "context!",
                      status, paused_reason, chain_depth, sequence_version, version, created_at
               FROM sequence_jobs WHERE id = $1"# + $lock,
            $id
        )
        .fetch_optional($tx)
        .await?
    };
}

impl JobRow {
    /// Loads job `id` (in the transaction's org); `lock` takes the row lock the router
    /// holds while it applies a result.
    pub async fn load(
        tx: &mut PgConnection,
        id: JobId,
        lock: bool,
    ) -> crate::Result<Option<JobRow>> {
        let row = if lock {
            select_job!(tx, id.uuid(), " FOR UPDATE")
        } else {
            select_job!(tx, id.uuid(), "")
        };
        row.map(JobRow::try_from).transpose()
    }

    /// The job a message names by `job_id`, in the transaction's org (`lock`: as in
    /// [`JobRow::load`]); a message for a job the org does not have is invalid.
    pub async fn named(
        tx: &mut PgConnection,
        job_id: &str,
        lock: bool,
    ) -> Result<JobRow, HandlerError> {
        let id: JobId = crate::runtime::parse_field("job_id", job_id)?;
        JobRow::load(tx, id, lock)
            .await?
            .ok_or_else(|| HandlerError::invalid(format!("job {id} does not exist in this org")))
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
            "org_id": self.org_id.as_str(),
            "user_id": self.user_id.as_str(),
            "payload": self.trigger_payload,
            "parent_job_id": self.event_chain.get("parent").cloned().unwrap_or(Value::Null),
            "chain_depth": self.chain_depth,
        })
    }
}

/// Who did something and to what, for the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The service recording it.
    pub service: &'a str,
    /// Who acted: the service itself, or a user it acted for.
    pub actor: &'a str,
    pub org_id: &'a OrgId,
    pub job_id: Option<JobId>,
}

/// Records an audit entry (`audit_log`) and publishes it on `baton.audit` for ops. `detail`
/// carries ids, counts and reasons, never message bodies or addresses.
pub async fn audit(
    ctx: &mut HandlerCtx<'_>,
    who: Actor<'_>,
    action: &str,
    detail: Value,
) -> Result<(), HandlerError> {
    let id = Uuid::now_v7();
    let at = ctx.now();
    sqlx::query!(
        "INSERT INTO audit_log (id, org_id, job_id, service, actor, action, detail, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        who.org_id.as_str(),
        who.job_id.map(JobId::uuid),
        who.service,
        who.actor,
        action,
        &detail,
        at,
    )
    .execute(&mut *ctx.tx)
    .await?;
    ctx.emit(&AuditRecord {
        audit_id: id.to_string(),
        org_id: who.org_id.to_string(),
        job_id: who.job_id.map(|j| j.to_string()),
        service: who.service.to_string(),
        actor: who.actor.to_string(),
        action: action.to_string(),
        detail,
        occurred_at: at,
    })
}

/// The org's budget for the period containing `now`: its limit and what the ledger says it
/// has spent — the period's rolled-up total plus the entries not rolled up yet, read in one
/// statement (one snapshot; migration 0028). `None` when the org does not exist.
pub async fn budget(
    tx: &mut PgConnection,
    org_id: &OrgId,
    now: DateTime<Utc>,
) -> Result<Option<Budget>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT o.ai_monthly_budget_usd::float8 AS "limit!", o.ai_budget_alert_pct AS "alert_pct",
                  o.ai_budget_hard_stop AS "hard_stop",
                  (COALESCE((SELECT t.cost_usd FROM ai_cost_totals t
                             WHERE t.org_id = o.id AND t.period = $2), 0)
                   + COALESCE((SELECT sum(l.cost_usd) FROM ai_cost_ledger l
                               WHERE l.org_id = o.id AND l.period = $2 AND NOT l.rolled_up), 0)
                  )::float8 AS "spent!"
           FROM orgs o WHERE o.id = $1"#,
        org_id.as_str(),
        baton_core::budget::period_of(now),
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| Budget {
        monthly_limit: MicroUsd::from_usd(r.limit),
        spent: MicroUsd::from_usd(r.spent),
        alert_at_pct: u32::try_from(r.alert_pct).unwrap_or(80),
        hard_stop: r.hard_stop,
    }))
}

/// The rep a job's notices go to.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub org_id: &'a OrgId,
    pub user_id: &'a UserId,
    pub job_id: JobId,
}

/// What Baton tells a rep about the org's AI budget, once per budget period each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetNotice {
    /// The budget is spent: AI work is paused.
    Exceeded,
    /// `used_pct` of the budget is spent (at or past the org's alert threshold).
    Alert { used_pct: u32 },
}

impl BudgetNotice {
    fn kind(self) -> &'static str {
        match self {
            BudgetNotice::Exceeded => "budget_exceeded",
            BudgetNotice::Alert { .. } => "budget_alert",
        }
    }

    fn text(self) -> String {
        match self {
            BudgetNotice::Exceeded => "Baton paused AI work for your org: this month's AI budget \
                is used up. Raise the budget or wait for the next period; paused jobs resume \
                from where they stopped."
                .to_string(),
            BudgetNotice::Alert { used_pct } => {
                format!("Your org has used {used_pct}% of this month's AI budget.")
            }
        }
    }
}

/// Tells the rep about the org's budget once per budget period and kind of notice: the
/// first caller in a period sends, the rest do not. Returns whether this call sent it.
pub async fn budget_notice_once(
    ctx: &mut HandlerCtx<'_>,
    to: Recipient<'_>,
    notice: BudgetNotice,
) -> Result<bool, HandlerError> {
    let now = ctx.now();
    let period = baton_core::budget::period_of(now);
    let kind = notice.kind();
    let claimed = sqlx::query!(
        "INSERT INTO processed_events (org_id, event_type, dedupe_key, event_id, expires_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz + interval '62 days')
         ON CONFLICT DO NOTHING",
        to.org_id.as_str(),
        format!("notice:{kind}"),
        &period,
        to.job_id.uuid(),
        now,
    )
    .execute(&mut *ctx.tx)
    .await?
    .rows_affected()
        == 1;
    if claimed {
        ctx.emit(&Notification {
            notification_id: Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("baton:{}:{kind}:{period}", to.org_id).as_bytes(),
            )
            .to_string(),
            org_id: to.org_id.to_string(),
            user_id: to.user_id.to_string(),
            kind: NotificationKind::Inform,
            text: notice.text(),
            blocks: None,
            job_id: Some(to.job_id.to_string()),
            pending_action_id: None,
            created_at: now,
        })?;
    }
    Ok(claimed)
}
