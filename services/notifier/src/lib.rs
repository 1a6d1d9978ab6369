//! The notifier: every Notification goes to the web inbox at once (the console shows it),
//! to the log channel (ids and kinds, never the text), and to the rep's Slack DM — unless the
//! rep is in quiet hours or has had `max_notifications_per_hour` messages in the last hour, in
//! which case the Slack delivery is deferred through `timers` to when it is allowed, never
//! dropped. Deliveries are idempotent per (notification, channel): a redelivered Notification
//! posts once; Slack's channel and ts are kept for later updates. Slack rate limits (HTTP 429
//! or `ratelimited`) defer by Retry-After.

pub mod slack;

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;
use baton_core::{
    clock::{Clock, SystemClock},
    quiet_hours::UserTime,
};
use baton_platform::{
    bus::Delivery,
    config::Config,
    jobs,
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    store, timers,
};
use baton_schemas::{Notification, NotificationKind, Topic};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub use slack::{Posted, Slack, SlackError};

pub const SERVICE: &str = "notifier";
pub const DELIVER: &str = "notify_deliver";
const KINDS: &[&str] = &[DELIVER];

#[derive(Clone)]
pub struct Notifier {
    svc: Service,
    clock: Arc<dyn Clock>,
    slack: Option<Slack>,
    log_channel: bool,
    timer_poll: Duration,
    group: String,
}

/// Runs the notifier until `shutdown`.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    Notifier::start(&config, Arc::new(SystemClock))
        .await?
        .run(shutdown)
        .await
}

impl Notifier {
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let n = &config.notifier;
        let slack = n
            .slack_token
            .as_ref()
            .map(|t| {
                Slack::new(
                    &n.slack_base_url,
                    t.expose_secret(),
                    Duration::from_millis(n.timeout_ms),
                )
                .map_err(|e| anyhow::anyhow!("notifier.slack_base_url: {e}"))
            })
            .transpose()?;
        if slack.is_none() {
            tracing::info!(
                "notifier.slack_token is not set: notifications go to the web inbox and the log only"
            );
        }
        let svc = Service::start(SERVICE, config)
            .await
            .context("starting the notifier")?;
        Ok(Self {
            svc,
            clock,
            slack,
            log_channel: n.log_channel,
            timer_poll: Duration::from_millis(n.timer_poll_ms.max(10)),
            group: format!("{}notifier", config.bus.topic_prefix),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let (svc, group, poll) = (self.svc.clone(), self.group.clone(), self.timer_poll);
        svc.consume_with_timers(&group, &[Topic::Notifications], self, KINDS, poll, shutdown)
            .await
    }

    /// Fires due deferred deliveries once each; returns how many fired.
    pub async fn fire_due_timers(&self) -> anyhow::Result<usize> {
        timers::fire_due(self, KINDS).await
    }

    async fn accept(&self, ctx: &mut HandlerCtx<'_>, n: &Notification) -> Result<(), HandlerError> {
        ctx.set_org(&n.org_id).await?;
        let id = uuid_of("notification_id", &n.notification_id)?;
        let first = sqlx::query(
            "INSERT INTO web_inbox (notification_id, org_id, user_id, kind, text, blocks, job_id, pending_action_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(&n.org_id)
        .bind(&n.user_id)
        .bind(kind_str(n.kind))
        .bind(&n.text)
        .bind(&n.blocks)
        .bind(n.job_id.as_deref().and_then(|j| Uuid::parse_str(j).ok()))
        .bind(n.pending_action_id.as_deref().and_then(|p| Uuid::parse_str(p).ok()))
        .bind(n.created_at)
        .execute(&mut *ctx.tx)
        .await?
        .rows_affected()
            == 1;
        if first && self.log_channel {
            tracing::info!(notification = %id, kind = kind_str(n.kind), user = %n.user_id, job = ?n.job_id, chars = n.text.chars().count(), "notification (log channel)");
        }
        self.deliver_slack(ctx, n).await
    }

    async fn deliver_slack(
        &self,
        ctx: &mut HandlerCtx<'_>,
        n: &Notification,
    ) -> Result<(), HandlerError> {
        let Some(slack) = &self.slack else {
            return Ok(());
        };
        let id = uuid_of("notification_id", &n.notification_id)?;
        sqlx::query(
            "INSERT INTO notification_deliveries (id, org_id, user_id, notification_id, channel, kind, status)
             VALUES ($1, $2, $3, $4, 'slack', $5, 'pending') ON CONFLICT (notification_id, channel) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(&n.org_id)
        .bind(&n.user_id)
        .bind(id)
        .bind(kind_str(n.kind))
        .execute(&mut *ctx.tx)
        .await?;
        let status: String = sqlx::query_scalar(
            "SELECT status FROM notification_deliveries WHERE notification_id = $1 AND channel = 'slack' FOR UPDATE",
        )
        .bind(id)
        .fetch_one(&mut *ctx.tx)
        .await?;
        if status == "sent" || status == "failed" {
            tracing::debug!(notification = %id, status, "already delivered: not posting again");
            return Ok(());
        }
        // Slack user, time zone, quiet hours, messages per hour.
        type Target = (String, String, Option<String>, Option<String>, i32);
        let target: Option<Target> = sqlx::query_as(
            "SELECT m.slack_user_id, COALESCE(p.timezone, 'UTC'), to_char(p.quiet_hours_start, 'HH24:MI'),
                    to_char(p.quiet_hours_end, 'HH24:MI'), COALESCE(p.max_notifications_per_hour, 10)
             FROM slack_user_mappings m LEFT JOIN slack_user_preferences p ON p.user_id = m.user_id
             WHERE m.org_id = $1 AND m.user_id = $2",
        )
        .bind(&n.org_id)
        .bind(&n.user_id)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        let Some((slack_user, tz, quiet_start, quiet_end, per_hour)) = target else {
            return self
                .failed(ctx, n, id, "the user has no Slack mapping")
                .await;
        };
        let now = self.clock.now();
        // A later notification for a gate already posted (the decision) updates that message
        // instead of posting a new one: no ping, so quiet hours and the hourly limit do not
        // apply, and it does not count against the limit.
        let outcome = if let Some(posted) = self.posted_for_gate(ctx, n, id).await? {
            slack
                .update(&posted, &n.text, n.blocks.as_ref())
                .await
                .map(|()| (posted, true))
        } else {
            if let Ok(ut) = UserTime::parse(&tz, quiet_start.as_deref(), quiet_end.as_deref())
                && ut.is_quiet(now)
            {
                return self
                    .defer(ctx, n, id, ut.next_active(now), "quiet_hours")
                    .await;
            }
            let (sent, oldest): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
                "SELECT count(*), min(delivered_at) FROM notification_deliveries
                 WHERE org_id = $1 AND user_id = $2 AND channel = 'slack' AND status = 'sent'
                   AND kind <> 'update' AND delivered_at > $3 - interval '1 hour'",
            )
            .bind(&n.org_id)
            .bind(&n.user_id)
            .bind(now)
            .fetch_one(&mut *ctx.tx)
            .await?;
            if sent >= i64::from(per_hour) {
                let until = oldest.unwrap_or(now) + chrono::Duration::hours(1);
                return self.defer(ctx, n, id, until, "rate_limit").await;
            }
            match self.post_once(n, id, slack, &slack_user).await? {
                Ok((posted, recovered)) => {
                    if recovered {
                        self.audit(
                            ctx,
                            n,
                            "notification.recovered",
                            json!({ "notification_id": id.to_string(), "slack_ts": posted.ts }),
                        )
                        .await?;
                    }
                    Ok((posted, false))
                }
                Err(e) => Err(e),
            }
        };
        match outcome {
            Ok((posted, update)) => self.sent(ctx, id, &posted, update, now).await,
            Err(SlackError::RateLimited(after)) => {
                let until = now + chrono::Duration::from_std(after).unwrap_or_default();
                self.defer(ctx, n, id, until, "slack_ratelimited").await
            }
            Err(SlackError::Refused(code)) => {
                self.failed(ctx, n, id, &format!("slack: {code}")).await
            }
            Err(e @ SlackError::Transient(_)) => Err(HandlerError::Retryable(e.into())),
        }
    }

    /// Posts `n` to the rep's DM at most once. chat.postMessage has no idempotency key, so
    /// each attempt is recorded (and committed) before the call and the message carries the
    /// notification id in its metadata; a later attempt that finds an earlier one first looks
    /// for that message in the DM (a crash may have come between Slack's 200 and recording the
    /// delivery) and posts only if it is not there. `Ok((posted, true))`: found, not posted.
    async fn post_once(
        &self,
        n: &Notification,
        id: Uuid,
        slack: &Slack,
        to: &str,
    ) -> Result<Result<(Posted, bool), SlackError>, HandlerError> {
        // Slack's clock, not the (injectable) clock rules run on: ts are wall-clock.
        let now = Utc::now();
        let mut tx = store::begin_for_org(&self.svc.pool, &n.org_id).await?;
        let (attempts, first, earlier_in_doubt): (i32, DateTime<Utc>, Option<bool>) =
            sqlx::query_as(
                "WITH earlier AS (SELECT in_doubt FROM slack_post_attempts WHERE notification_id = $1)
                 INSERT INTO slack_post_attempts (notification_id, org_id, attempts, in_doubt, first_attempt_at, last_attempt_at)
                 VALUES ($1, $2, 1, true, $3, $3)
                 ON CONFLICT (notification_id) DO UPDATE
                   SET attempts = slack_post_attempts.attempts + 1, in_doubt = true, last_attempt_at = $3
                 RETURNING attempts, first_attempt_at, (SELECT in_doubt FROM earlier)",
            )
            .bind(id)
            .bind(&n.org_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let delivery = id.to_string();
        // Only an attempt that may have posted (a crash, or no clear answer) needs the lookup.
        if attempts > 1 && earlier_in_doubt == Some(true) {
            let found = match slack.open_dm(to).await {
                Ok(channel) => {
                    slack
                        .find_delivery(&channel, first - chrono::Duration::minutes(1), &delivery)
                        .await
                }
                Err(e) => Err(e),
            };
            match found {
                Ok(Some(posted)) => {
                    tracing::info!(notification = %id, attempts, "an earlier attempt posted this message: recording it, not posting again");
                    return Ok(Ok((posted, true)));
                }
                Ok(None) => {}
                // Without the scopes to look (im:write, im:history), deliver rather than lose
                // the message: at worst the rep sees it twice.
                Err(SlackError::Refused(code)) => {
                    tracing::warn!(notification = %id, code, "cannot look for an earlier post in the DM; posting (grant the bot im:write and im:history)");
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        let posted = slack.post(to, &n.text, n.blocks.as_ref(), &delivery).await;
        match &posted {
            Ok(_) => {
                // Fault tests stop here: Slack has the message, the delivery is not recorded.
                fail::fail_point!("notifier_after_slack_post");
            }
            // Slack answered that it did not post: a retry need not look for the message.
            Err(SlackError::RateLimited(_) | SlackError::Refused(_)) => {
                let mut tx = store::begin_for_org(&self.svc.pool, &n.org_id).await?;
                sqlx::query(
                    "UPDATE slack_post_attempts SET in_doubt = false WHERE notification_id = $1",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            Err(SlackError::Transient(_)) => {}
        }
        Ok(posted.map(|p| (p, false)))
    }

    /// Marks the Slack delivery sent where it was posted; an `update` of an earlier message
    /// is kept apart from posts (it does not count against the hourly limit).
    async fn sent(
        &self,
        ctx: &mut HandlerCtx<'_>,
        id: Uuid,
        posted: &Posted,
        update: bool,
        now: DateTime<Utc>,
    ) -> Result<(), HandlerError> {
        sqlx::query(
            "UPDATE notification_deliveries SET status = 'sent', slack_channel = $2, slack_ts = $3,
                    delivered_at = $4, attempts = attempts + 1, deferred_until = NULL,
                    kind = CASE WHEN $5 THEN 'update' ELSE kind END
             WHERE notification_id = $1 AND channel = 'slack'",
        )
        .bind(id)
        .bind(&posted.channel)
        .bind(&posted.ts)
        .bind(now)
        .bind(update)
        .execute(&mut *ctx.tx)
        .await?;
        clear_attempts(ctx, id).await
    }

    /// Where the first message about the same approval gate was posted, if it was.
    async fn posted_for_gate(
        &self,
        ctx: &mut HandlerCtx<'_>,
        n: &Notification,
        id: Uuid,
    ) -> Result<Option<Posted>, HandlerError> {
        let Some(gate) = n
            .pending_action_id
            .as_deref()
            .and_then(|p| Uuid::parse_str(p).ok())
        else {
            return Ok(None);
        };
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT d.slack_channel, d.slack_ts FROM notification_deliveries d
             JOIN web_inbox w ON w.notification_id = d.notification_id
             WHERE w.pending_action_id = $1 AND d.channel = 'slack' AND d.status = 'sent'
               AND d.notification_id <> $2 AND d.slack_ts IS NOT NULL
             ORDER BY d.delivered_at LIMIT 1",
        )
        .bind(gate)
        .bind(id)
        .fetch_optional(&mut *ctx.tx)
        .await?;
        Ok(row.map(|(channel, ts)| Posted { channel, ts }))
    }

    async fn defer(
        &self,
        ctx: &mut HandlerCtx<'_>,
        n: &Notification,
        id: Uuid,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), HandlerError> {
        sqlx::query(
            "UPDATE notification_deliveries SET status = 'deferred', deferred_until = $2, deferral_reason = $3,
                    attempts = attempts + 1
             WHERE notification_id = $1 AND channel = 'slack'",
        )
        .bind(id)
        .bind(until)
        .bind(reason)
        .execute(&mut *ctx.tx)
        .await?;
        let payload = serde_json::to_value(n).map_err(|e| HandlerError::Fatal(e.into()))?;
        timers::schedule(
            ctx.tx,
            &n.org_id,
            DELIVER,
            &format!("{id}:{}", until.timestamp_millis()),
            until,
            &payload,
        )
        .await?;
        tracing::info!(notification = %id, %until, reason, "slack delivery deferred");
        self.audit(
            ctx,
            n,
            "notification.deferred",
            json!({ "notification_id": id.to_string(), "until": until, "reason": reason }),
        )
        .await
    }

    async fn failed(
        &self,
        ctx: &mut HandlerCtx<'_>,
        n: &Notification,
        id: Uuid,
        reason: &str,
    ) -> Result<(), HandlerError> {
        sqlx::query(
            "UPDATE notification_deliveries SET status = 'failed', deferral_reason = $2, attempts = attempts + 1
             WHERE notification_id = $1 AND channel = 'slack'",
        )
        .bind(id)
        .bind(reason)
        .execute(&mut *ctx.tx)
        .await?;
        clear_attempts(ctx, id).await?;
        tracing::warn!(notification = %id, reason, "slack delivery failed (the web inbox has it)");
        self.audit(
            ctx,
            n,
            "notification.failed",
            json!({ "notification_id": id.to_string(), "channel": "slack", "reason": reason }),
        )
        .await
    }

    async fn audit(
        &self,
        ctx: &mut HandlerCtx<'_>,
        n: &Notification,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<(), HandlerError> {
        let job = n.job_id.as_deref().and_then(|j| Uuid::parse_str(j).ok());
        jobs::audit(
            ctx,
            SERVICE,
            &n.org_id,
            job,
            SERVICE,
            action,
            detail,
            self.clock.now(),
        )
        .await
    }
}

/// Once a delivery is recorded (with the outcome, in one transaction) its post attempts are
/// no longer needed: a redelivery stops at the recorded delivery.
async fn clear_attempts(ctx: &mut HandlerCtx<'_>, id: Uuid) -> Result<(), HandlerError> {
    sqlx::query("DELETE FROM slack_post_attempts WHERE notification_id = $1")
        .bind(id)
        .execute(&mut *ctx.tx)
        .await?;
    Ok(())
}

fn uuid_of(field: &str, v: &str) -> Result<Uuid, HandlerError> {
    Uuid::parse_str(v).map_err(|e| HandlerError::invalid(format!("{field}: {e}")))
}

fn kind_str(k: NotificationKind) -> &'static str {
    match k {
        NotificationKind::Inform => "inform",
        NotificationKind::Approval => "approval",
    }
}

impl timers::Fire for Notifier {
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
        let n: Notification = serde_json::from_value(timer.payload.clone()).map_err(|e| {
            HandlerError::invalid(format!("deferred notification does not parse: {e}"))
        })?;
        self.deliver_slack(ctx, &n).await
    }
}

impl baton_platform::runtime::Handler for Notifier {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let n: Notification = ctx.decode(d).await?;
        self.accept(ctx, &n).await
    }
}
