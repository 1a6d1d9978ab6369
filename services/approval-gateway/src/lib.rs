//! The approval-gateway: human-in-the-loop gates.
//!
//! - An ApprovalRequest becomes a `slack_pending_actions` row *before* anything is sent (so
//!   no decision can arrive for a gate that does not exist), then an approval Notification
//!   with Block Kit and the four buttons, an expiry timer and a reminder timer (moved before
//!   the rep's quiet hours when it would fall in them). It checks that the router did put
//!   the job in `awaiting_approval` at that step.
//! - An ApprovalDecision (Slack, web inbox, CLI) is applied at most once: only the job's user
//!   (a Slack user through `slack_user_mappings`) or an org admin may decide — anyone else is
//!   refused and audited; `edit` may change only the gate's editable fields; a decision after
//!   expiry, cancellation or another decision changes nothing and says so. An applied
//!   decision is published as ApprovalResolved for the router.
//! - Expiry resolves the gate per `on_timeout` (skip or cancel — never approve).

pub mod blocks;

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;
use baton_core::{
    clock::{Clock, SystemClock},
    quiet_hours::UserTime,
};
use baton_platform::{
    bus::{Bus, Delivery},
    config::Config,
    jobs::{self, JobRow},
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    timers,
};
use baton_schemas::{
    ApprovalDecision, ApprovalRequest, ApprovalResolved, Decision, DecisionChannel, Notification,
    NotificationKind, Resolution, StepOutcome, StepResult, TimeoutAction, Topic,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub const SERVICE: &str = "approval-gateway";
pub const EXPIRE: &str = "approval_expire";
pub const REMIND: &str = "approval_reminder";
const KINDS: &[&str] = &[EXPIRE, REMIND];

#[derive(Clone)]
pub struct Gateway {
    svc: Service,
    clock: Arc<dyn Clock>,
    reminder_before: chrono::Duration,
    timer_poll: Duration,
    group: String,
}

/// Runs the approval-gateway until `shutdown`.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    Gateway::start(&config, Arc::new(SystemClock))
        .await?
        .run(shutdown)
        .await
}

/// A `slack_pending_actions` row.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Pending {
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
}

impl Pending {
    async fn load(tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Option<Pending>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, org_id, job_id, user_id, step_index, kind, draft, editable_fields, status,
                    expires_at, on_timeout, decided_by
             FROM slack_pending_actions WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(tx)
        .await
    }
}

impl Gateway {
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let svc = Service::start(SERVICE, config)
            .await
            .context("starting the approval-gateway")?;
        Ok(Self {
            svc,
            clock,
            reminder_before: chrono::Duration::milliseconds(
                config.approvals.reminder_before_ms as i64,
            ),
            timer_poll: Duration::from_millis(config.approvals.timer_poll_ms.max(10)),
            group: format!("{}approval-gateway", config.bus.topic_prefix),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let (svc, group, poll) = (self.svc.clone(), self.group.clone(), self.timer_poll);
        let topics = [Topic::ApprovalRequests, Topic::ApprovalDecisions];
        svc.consume_with_timers(&group, &topics, self, KINDS, poll, shutdown)
            .await
    }

    /// Fires due expiries and reminders once each; returns how many fired.
    pub async fn fire_due_timers(&self) -> anyhow::Result<usize> {
        timers::fire_due(self, KINDS).await
    }

    async fn fire_timer(
        &self,
        ctx: &mut HandlerCtx<'_>,
        timer: &timers::Timer,
    ) -> Result<(), HandlerError> {
        let id = timer.payload["pending_action_id"]
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| HandlerError::invalid("approval timer without pending_action_id"))?;
        let Some(p) = Pending::load(ctx.tx, id).await? else {
            return Ok(());
        };
        if p.status != "pending" {
            return Ok(()); // decided in time: nothing to expire or remind
        }
        let now = self.clock.now();
        match timer.kind.as_str() {
            REMIND => {
                let step = self.step_name(ctx, &p).await?;
                ctx.emit(&Notification {
                    notification_id: Uuid::new_v5(&p.id, b"reminder").to_string(),
                    org_id: p.org_id.clone(),
                    user_id: p.user_id.clone(),
                    kind: NotificationKind::Inform,
                    text: blocks::reminder(
                        &p.kind,
                        &step,
                        &p.draft,
                        &blocks::plain_date(p.expires_at),
                    ),
                    blocks: None,
                    job_id: Some(p.job_id.to_string()),
                    pending_action_id: Some(p.id.to_string()),
                    created_at: now,
                })?;
                self.audit(
                    ctx,
                    &p,
                    "approval.reminded",
                    json!({ "expires_at": p.expires_at }),
                )
                .await
            }
            EXPIRE => {
                // An email send (or anything else) is never approved by a timeout: the gate
                // resolves to its on_timeout, which is skip or cancel.
                let to = if p.on_timeout == "cancel" {
                    "cancel"
                } else {
                    "skip"
                };
                sqlx::query(
                    "UPDATE slack_pending_actions SET status = 'expired', decision = $2, decided_at = $3 WHERE id = $1",
                )
                .bind(p.id)
                .bind(format!("expired:{to}"))
                .bind(now)
                .execute(&mut *ctx.tx)
                .await?;
                self.resolved(ctx, &p, Resolution::Expired, None, None, now)?;
                let done = if to == "cancel" {
                    "cancelled"
                } else {
                    "skipped"
                };
                let outcome = format!(
                    "Expired at {} without an answer: {done}.",
                    now.format("%Y-%m-%d %H:%M UTC")
                );
                self.show_outcome(ctx, &p, outcome).await?;
                self.audit(ctx, &p, "approval.expired", json!({ "on_timeout": to }))
                    .await
            }
            other => Err(HandlerError::invalid(format!(
                "unknown approval timer kind {other}"
            ))),
        }
    }

    async fn step_name(
        &self,
        ctx: &mut HandlerCtx<'_>,
        p: &Pending,
    ) -> Result<String, HandlerError> {
        let name: Option<String> = sqlx::query_scalar(
            "SELECT step_name FROM step_runs WHERE job_id = $1 AND step_index = $2 LIMIT 1",
        )
        .bind(p.job_id)
        .bind(p.step_index)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        Ok(name.unwrap_or_else(|| format!("#{}", p.step_index)))
    }

    async fn audit(
        &self,
        ctx: &mut HandlerCtx<'_>,
        p: &Pending,
        action: &str,
        mut detail: Value,
    ) -> Result<(), HandlerError> {
        detail["pending_action_id"] = json!(p.id.to_string());
        detail["step_index"] = json!(p.step_index);
        detail["kind"] = json!(p.kind);
        jobs::audit(
            ctx,
            SERVICE,
            &p.org_id,
            Some(p.job_id),
            SERVICE,
            action,
            detail,
            self.clock.now(),
        )
        .await
    }

    /// Replaces the approval message with the outcome (the notifier turns a second approval
    /// notification for the same gate into `chat.update`).
    async fn show_outcome(
        &self,
        ctx: &mut HandlerCtx<'_>,
        p: &Pending,
        outcome: String,
    ) -> Result<(), HandlerError> {
        let step = self.step_name(ctx, p).await?;
        let (blocks, text) = blocks::resolved(&p.kind, &step, &p.draft, &outcome);
        ctx.emit(&Notification {
            notification_id: Uuid::new_v5(&p.id, b"outcome").to_string(),
            org_id: p.org_id.clone(),
            user_id: p.user_id.clone(),
            kind: NotificationKind::Approval,
            text,
            blocks: Some(blocks),
            job_id: Some(p.job_id.to_string()),
            pending_action_id: Some(p.id.to_string()),
            created_at: self.clock.now(),
        })
    }

    fn resolved(
        &self,
        ctx: &mut HandlerCtx<'_>,
        p: &Pending,
        decision: Resolution,
        decided_by: Option<String>,
        modifications: Option<Value>,
        now: DateTime<Utc>,
    ) -> Result<(), HandlerError> {
        ctx.emit(&StepResult {
            result_id: Uuid::now_v7().to_string(),
            job_id: p.job_id.to_string(),
            org_id: p.org_id.clone(),
            result: StepOutcome::ApprovalResolved(ApprovalResolved {
                pending_action_id: p.id.to_string(),
                step_index: p.step_index,
                decision,
                decided_by,
                user_modifications: modifications,
                resolved_at: now,
            }),
        })
    }

    // ---- requests --------------------------------------------------------------------

    async fn on_request(
        &self,
        ctx: &mut HandlerCtx<'_>,
        r: ApprovalRequest,
    ) -> Result<(), HandlerError> {
        ctx.set_org(&r.org_id).await?;
        let id = Uuid::parse_str(&r.pending_action_id)
            .map_err(|e| HandlerError::invalid(format!("pending_action_id: {e}")))?;
        let job_id = Uuid::parse_str(&r.job_id)
            .map_err(|e| HandlerError::invalid(format!("job_id: {e}")))?;
        let now = self.clock.now();
        // The gate exists before anything about it is sent.
        let created = sqlx::query(
            "INSERT INTO slack_pending_actions (id, org_id, job_id, user_id, step_index, kind, draft,
                                                editable_fields, allowed_deciders, expires_at, on_timeout)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(&r.org_id)
        .bind(job_id)
        .bind(&r.user_id)
        .bind(r.step_index)
        .bind(&r.pattern)
        .bind(&r.draft)
        .bind(&r.editable_fields)
        .bind(vec![r.user_id.clone()])
        .bind(r.expires_at)
        .bind(match r.on_timeout {
            TimeoutAction::Skip => "skip",
            TimeoutAction::Cancel => "cancel",
        })
        .execute(&mut *ctx.tx)
        .await?
        .rows_affected();
        if created == 0 {
            tracing::debug!(pending_action = %id, "approval request seen before: nothing to do");
            return Ok(());
        }
        // Fault tests stop here: the gate exists (uncommitted), nothing is sent.
        fail::fail_point!("gateway_after_pending_action");
        // The router persisted the job as awaiting_approval at this step; check it.
        match JobRow::load(ctx.tx, job_id, false).await? {
            Some(job)
                if job.status == "awaiting_approval"
                    && job.context["pending_approvals"]
                        .as_array()
                        .is_some_and(|a| a.contains(&json!(r.step_index))) => {}
            Some(job) => {
                tracing::warn!(job = %job_id, status = %job.status, step = r.step_index, "approval requested for a job that is not waiting at that step")
            }
            None => {
                return Err(HandlerError::invalid(format!(
                    "approval request for job {job_id}, which does not exist"
                )));
            }
        }
        timers::schedule(
            ctx.tx,
            &r.org_id,
            EXPIRE,
            &id.to_string(),
            r.expires_at,
            &json!({ "pending_action_id": id.to_string() }),
        )
        .await?;
        if let Some(at) = self.reminder_at(ctx, &r.user_id, r.expires_at, now).await? {
            timers::schedule(
                ctx.tx,
                &r.org_id,
                REMIND,
                &id.to_string(),
                at,
                &json!({ "pending_action_id": id.to_string() }),
            )
            .await?;
        }
        let (blocks, text) = blocks::approval(
            &r.pattern,
            &r.step_name,
            &r.draft,
            &r.pending_action_id,
            &blocks::slack_date(r.expires_at),
            &r.editable_fields,
        );
        ctx.emit(&Notification {
            notification_id: Uuid::new_v5(&id, b"approval").to_string(),
            org_id: r.org_id.clone(),
            user_id: r.user_id.clone(),
            kind: NotificationKind::Approval,
            text,
            blocks: Some(blocks),
            job_id: Some(r.job_id.clone()),
            pending_action_id: Some(r.pending_action_id.clone()),
            created_at: now,
        })?;
        jobs::audit(
            ctx,
            SERVICE,
            &r.org_id,
            Some(job_id),
            SERVICE,
            "approval.pending",
            json!({ "pending_action_id": r.pending_action_id, "step": r.step_name, "kind": r.pattern, "expires_at": r.expires_at }),
            now,
        )
        .await
    }

    /// When to remind: `reminder_before` ahead of expiry, moved to just before the rep's
    /// quiet hours when it would fall in them; none when that is already past.
    async fn reminder_at(
        &self,
        ctx: &mut HandlerCtx<'_>,
        user_id: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, HandlerError> {
        let prefs: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT timezone, to_char(quiet_hours_start, 'HH24:MI'), to_char(quiet_hours_end, 'HH24:MI')
             FROM slack_user_preferences WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        let mut at = expires_at - self.reminder_before;
        if let Some((tz, start, end)) = prefs
            && let Ok(ut) = UserTime::parse(&tz, start.as_deref(), end.as_deref())
            && let Some(since) = ut.quiet_since(at)
        {
            at = since - chrono::Duration::minutes(5);
        }
        Ok((at > now).then_some(at))
    }

    // ---- decisions -------------------------------------------------------------------

    async fn on_decision(
        &self,
        ctx: &mut HandlerCtx<'_>,
        d: ApprovalDecision,
    ) -> Result<(), HandlerError> {
        ctx.set_org(&d.org_id).await?;
        let now = self.clock.now();
        let id = Uuid::parse_str(&d.pending_action_id)
            .map_err(|e| HandlerError::invalid(format!("pending_action_id: {e}")))?;
        let Some(p) = Pending::load(ctx.tx, id).await? else {
            // Unknown here, or another org's: either way nothing to apply.
            tracing::warn!(org = %d.org_id, pending_action = %id, "decision for a gate this org does not have: refused");
            return jobs::audit(
                ctx,
                SERVICE,
                &d.org_id,
                None,
                &d.decided_by,
                "approval.refused",
                json!({ "pending_action_id": d.pending_action_id, "reason": "no such pending action in this org", "decision_id": d.decision_id }),
                now,
            )
            .await;
        };
        let refuse = |reason: String| json!({ "reason": reason, "decided_by": d.decided_by, "decision": d.decision, "via": d.via, "decision_id": d.decision_id });
        // Who is deciding: a Baton user id, or a Slack user mapped to one.
        let user = match d.via {
            DecisionChannel::Slack => sqlx::query_scalar::<_, String>(
                "SELECT user_id FROM slack_user_mappings WHERE org_id = $1 AND slack_user_id = $2",
            )
            .bind(&p.org_id)
            .bind(&d.decided_by)
            .fetch_optional(&mut *ctx.tx)
            .await?,
            _ => Some(d.decided_by.clone()),
        };
        let allowed = match &user {
            Some(u) if *u == p.user_id => true,
            Some(u) => sqlx::query_scalar::<_, bool>(
                "SELECT is_admin FROM users WHERE id = $1 AND org_id = $2",
            )
            .bind(u)
            .bind(&p.org_id)
            .fetch_optional(&mut *ctx.tx)
            .await?
            .unwrap_or(false),
            None => false,
        };
        if !allowed {
            tracing::warn!(pending_action = %id, "decision by someone who may not decide: refused");
            return self
                .audit(
                    ctx,
                    &p,
                    "approval.refused",
                    refuse("only the job's user or an org admin may decide".into()),
                )
                .await;
        }
        let user = user.unwrap_or_default();
        if p.status != "pending" {
            let reason = match p.status.as_str() {
                "expired" => format!("the gate expired at {}", p.expires_at),
                s => format!(
                    "the gate was already decided ({s}{})",
                    p.decided_by
                        .as_deref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default()
                ),
            };
            return self
                .audit(ctx, &p, "approval.ignored", refuse(reason))
                .await;
        }
        if p.expires_at <= now {
            return self
                .audit(
                    ctx,
                    &p,
                    "approval.ignored",
                    refuse(format!("the gate expired at {}", p.expires_at)),
                )
                .await;
        }
        let job_status: Option<String> =
            sqlx::query_scalar("SELECT status FROM sequence_jobs WHERE id = $1")
                .bind(p.job_id)
                .fetch_optional(&mut *ctx.tx)
                .await?;
        if matches!(
            job_status.as_deref(),
            Some("cancelled" | "completed" | "failed")
        ) {
            return self
                .audit(
                    ctx,
                    &p,
                    "approval.ignored",
                    refuse(format!(
                        "the job is already {}",
                        job_status.unwrap_or_default()
                    )),
                )
                .await;
        }
        let modifications = match d.decision {
            Decision::Edit => match validate_edits(&p, d.user_modifications.as_ref()) {
                Ok(m) => Some(m),
                Err(reason) => {
                    return self
                        .audit(ctx, &p, "approval.refused", refuse(reason))
                        .await;
                }
            },
            _ => None,
        };
        let (status, resolution) = match d.decision {
            Decision::Approve => ("approved", Resolution::Approve),
            Decision::Edit => ("edited", Resolution::Edit),
            Decision::Skip => ("skipped", Resolution::Skip),
            Decision::Cancel => ("cancelled", Resolution::Cancel),
        };
        sqlx::query(
            "UPDATE slack_pending_actions
             SET status = $2, decision = $3, decided_by = $4, decided_at = $5, user_modifications = $6
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(p.id)
        .bind(status)
        .bind(format!("{:?}", d.decision).to_lowercase())
        .bind(&user)
        .bind(now)
        .bind(&modifications)
        .execute(&mut *ctx.tx)
        .await?;
        self.resolved(
            ctx,
            &p,
            resolution,
            Some(user.clone()),
            modifications.clone(),
            now,
        )?;
        let outcome = format!(
            "{} by {user} at {}.",
            capitalised(status),
            now.format("%Y-%m-%d %H:%M UTC")
        );
        self.show_outcome(ctx, &p, outcome).await?;
        let fields: Vec<String> = modifications
            .as_ref()
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        self.audit(
            ctx,
            &p,
            "approval.decided",
            json!({ "decision": status, "decided_by": user, "via": d.via, "edited_fields": fields, "decision_id": d.decision_id }),
        )
        .await
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// An edit may change only the gate's editable fields, and each keeps the type the draft
/// gave it. Returns the edits to merge.
fn validate_edits(p: &Pending, edits: Option<&Value>) -> Result<Value, String> {
    let Some(map) = edits.and_then(Value::as_object).filter(|m| !m.is_empty()) else {
        return Err("an edit needs user_modifications: an object of the changed fields".into());
    };
    for (k, v) in map {
        if !p.editable_fields.contains(k) {
            return Err(format!(
                "field `{k}` is not editable at this gate (editable: {})",
                if p.editable_fields.is_empty() {
                    "none".to_string()
                } else {
                    p.editable_fields.join(", ")
                }
            ));
        }
        let same_type = match p.draft.get(k) {
            None | Some(Value::Null) => true,
            Some(Value::String(_)) => v.is_string(),
            Some(Value::Array(_)) => v.is_array(),
            Some(Value::Object(_)) => v.is_object(),
            Some(Value::Number(_)) => v.is_number(),
            Some(Value::Bool(_)) => v.is_boolean(),
        };
        if !same_type {
            return Err(format!(
                "field `{k}` must keep its type (the draft's is {})",
                p.draft[k]
            ));
        }
    }
    Ok(Value::Object(map.clone()))
}

impl timers::Fire for Gateway {
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

impl baton_platform::runtime::Handler for Gateway {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        if d.topic == self.svc.producer.topic(Topic::ApprovalRequests) {
            let r: ApprovalRequest = ctx.decode(d).await?;
            self.on_request(ctx, r).await
        } else {
            let decision: ApprovalDecision = ctx.decode(d).await?;
            self.on_decision(ctx, decision).await
        }
    }
}

/// Publishes a decision on `baton.approval.decisions`, as the Slack gateway and the web inbox
/// do (`baton approvals decide`).
pub async fn publish_decision(
    svc: &Service,
    org_id: &str,
    pending_action_id: Uuid,
    decision: Decision,
    decided_by: &str,
    via: DecisionChannel,
    modifications: Option<Value>,
) -> anyhow::Result<String> {
    let d = ApprovalDecision {
        decision_id: Uuid::now_v7().to_string(),
        pending_action_id: pending_action_id.to_string(),
        org_id: org_id.to_string(),
        decision,
        decided_by: decided_by.to_string(),
        via,
        user_modifications: modifications,
        decided_at: Utc::now(),
    };
    svc.bus.publish(vec![svc.producer.envelope(&d)?]).await?;
    Ok(d.decision_id)
}
