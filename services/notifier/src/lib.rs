//! The notifier: every Notification goes to the web inbox at once (the console shows it),
//! to the log channel (ids and kinds, never the text), and to the rep's Slack DM — unless the
//! rep is in quiet hours or has had `max_notifications_per_hour` messages in the last hour, in
//! which case the Slack delivery is deferred through `timers` to when it is allowed, never
//! dropped. Deliveries are idempotent per (notification, channel): a redelivered Notification
//! posts once; Slack's channel and ts are kept for later updates. Slack rate limits (HTTP 429
//! or `ratelimited`) defer by Retry-After. Posting itself is crash-safe ([`post`]); [`repo`]
//! holds the SQL. An org with a Slack connection (`baton connections add --provider slack`)
//! is posted to with its own workspace's bot token; the others with `notifier.slack_token`.

mod post;
mod repo;

use std::{sync::Arc, time::Duration};

use baton_core::{clock::Clock, quiet_hours::UserTime};
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    connections::{self, Keyring},
    jobs::{self, Actor},
    runtime::{Handled, HandlerCtx, HandlerError, parse_field},
    service::Service,
    timers::{self, Timer},
};
use baton_schemas::{JobId, Notification, OrgId, PendingActionId, Topic, UserId};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde_json::json;
use uuid::Uuid;

pub use baton_platform::slack::{self, Posted, Slack, SlackError};

use crate::{post::Posting, repo::Target};

pub const SERVICE: &str = "notifier";
pub const DELIVER: &str = "notify_deliver";

#[derive(Clone)]
pub struct Notifier {
    svc: Service,
    /// The Slack Web API client: with `notifier.slack_token` when set (the default
    /// workspace), else without a token — an org's own workspace (its connection) lends it one.
    api: Slack,
    default_workspace: bool,
    keys: Keyring,
    log_channel: bool,
}

impl Component for Notifier {
    const NAME: &'static str = SERVICE;
    const TOPICS: &'static [Topic] = &[Topic::Notifications];
    const TIMERS: &'static [&'static str] = &[DELIVER];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let n = &config.notifier;
        let token = n.slack_token.as_ref().map(|t| t.expose_secret());
        let api = Slack::new(
            &n.slack_base_url,
            token.unwrap_or_default(),
            Duration::from_millis(n.timeout_ms),
        )
        .map_err(|e| anyhow::anyhow!("notifier.slack_base_url: {e}"))?;
        if token.is_none() {
            tracing::info!(
                "notifier.slack_token is not set: only orgs with a Slack connection get Slack messages; the rest go to the web inbox and the log"
            );
        }
        let svc = Self::connect(config, clock)
            .await?
            .with_timer_poll(n.timer_poll_ms);
        Ok(Self {
            svc,
            api,
            default_workspace: token.is_some(),
            keys: Keyring::new(&config.connections)?,
            log_channel: n.log_channel,
        })
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Handled {
        let n: Notification = ctx.decode(d).await?;
        let note = Note::parse(&n)?;
        ctx.set_org(&note.org).await?;
        self.to_inbox(ctx, &note).await?;
        self.deliver_slack(ctx, &note).await
    }

    /// A deferred Slack delivery whose time has come.
    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
        let n: Notification = serde_json::from_value(timer.payload.clone()).map_err(|e| {
            HandlerError::invalid(format!("deferred notification does not parse: {e}"))
        })?;
        self.deliver_slack(ctx, &Note::parse(&n)?).await
    }
}

/// A notification with its ids parsed.
struct Note<'a> {
    id: Uuid,
    org: OrgId,
    user: UserId,
    job: Option<JobId>,
    gate: Option<PendingActionId>,
    n: &'a Notification,
}

impl<'a> Note<'a> {
    fn parse(n: &'a Notification) -> Handled<Note<'a>> {
        Ok(Note {
            id: parse_field("notification_id", &n.notification_id)?,
            org: parse_field("org_id", &n.org_id)?,
            user: parse_field("user_id", &n.user_id)?,
            job: optional_field("job_id", n.job_id.as_deref())?,
            gate: optional_field("pending_action_id", n.pending_action_id.as_deref())?,
            n,
        })
    }
}

fn optional_field<T>(name: &str, value: Option<&str>) -> Handled<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value.map(|v| parse_field(name, v)).transpose()
}

/// Why a Slack post must wait, and until when.
struct Wait {
    until: DateTime<Utc>,
    reason: &'static str,
}

impl Notifier {
    async fn to_inbox(&self, ctx: &mut HandlerCtx<'_>, note: &Note<'_>) -> Handled {
        let job = note.job.map(JobId::uuid);
        let first = repo::to_inbox(ctx.tx, note.id, note.n, job, note.gate).await?;
        if first && self.log_channel {
            tracing::info!(notification = %note.id, kind = %note.n.kind, user = %note.user, job = ?note.n.job_id, chars = note.n.text.chars().count(), "notification (log channel)");
        }
        Ok(())
    }

    /// The org's Slack workspace (its connection), else the configured one, else none.
    async fn workspace(&self, ctx: &mut HandlerCtx<'_>, org: &OrgId) -> Handled<Option<Slack>> {
        let own = connections::store::slack_for_org(ctx.tx, &self.keys, org).await?;
        Ok(match own {
            Some(w) => Some(self.api.with_token(w.bot_token.expose_secret())),
            None => self.default_workspace.then(|| self.api.clone()),
        })
    }

    async fn deliver_slack(&self, ctx: &mut HandlerCtx<'_>, note: &Note<'_>) -> Handled {
        let Some(slack) = self.workspace(ctx, &note.org).await? else {
            return Ok(());
        };
        let slack = &slack;
        let status = repo::claim_delivery(ctx.tx, note.id, note.n).await?;
        if status.is_final() {
            tracing::debug!(notification = %note.id, %status, "already delivered: not posting again");
            return Ok(());
        }
        let Some(target) = repo::target(ctx.tx, &note.org, &note.user).await? else {
            return self
                .failed(ctx, note, "the user has no Slack mapping")
                .await;
        };
        // A later notification for a gate already posted (the decision) updates that message
        // instead of posting a new one: no ping, so quiet hours and the hourly limit do not
        // apply, and it does not count against the limit.
        if let Some(gate) = note.gate
            && let Some(posted) = repo::posted_for_gate(ctx.tx, gate, note.id).await?
        {
            let updated = slack
                .update(&posted, &note.n.text, note.n.blocks.as_ref())
                .await;
            return self
                .record(ctx, note, updated.map(|()| (posted, false)), true)
                .await;
        }
        if let Some(wait) = self.must_wait(ctx, note, &target).await? {
            return self.defer(ctx, note, wait).await;
        }
        let posting =
            post::post_once(self, slack, note.n, &note.org, note.id, &target.slack_user).await?;
        self.record(ctx, note, posting, false).await
    }

    /// Quiet hours, then the hourly limit: either makes the post wait.
    async fn must_wait(
        &self,
        ctx: &mut HandlerCtx<'_>,
        note: &Note<'_>,
        t: &Target,
    ) -> Handled<Option<Wait>> {
        let now = ctx.now();
        if let Ok(ut) = UserTime::parse(
            &t.timezone,
            t.quiet_start.as_deref(),
            t.quiet_end.as_deref(),
        ) && ut.is_quiet(now)
        {
            let until = ut.next_active(now);
            return Ok(Some(Wait {
                until,
                reason: "quiet_hours",
            }));
        }
        let (sent, oldest) = repo::posted_last_hour(ctx.tx, &note.org, &note.user, now).await?;
        if sent >= i64::from(t.per_hour) {
            let until = oldest.unwrap_or(now) + chrono::Duration::hours(1);
            return Ok(Some(Wait {
                until,
                reason: "rate_limit",
            }));
        }
        Ok(None)
    }

    /// Records what Slack said: sent (posted, found from an earlier attempt, or updated),
    /// rate limited (deferred), refused (failed), or unreachable (the message is retried).
    async fn record(
        &self,
        ctx: &mut HandlerCtx<'_>,
        note: &Note<'_>,
        posting: Posting,
        update: bool,
    ) -> Handled {
        let now = ctx.now();
        match posting {
            Ok((posted, recovered)) => {
                if recovered {
                    let detail =
                        json!({ "notification_id": note.id.to_string(), "slack_ts": posted.ts });
                    self.audit(ctx, note, "notification.recovered", detail)
                        .await?;
                }
                let sent = repo::Recorded::Sent {
                    posted: &posted,
                    update,
                    at: now,
                };
                repo::record(ctx.tx, note.id, &sent).await?;
                repo::clear_attempts(ctx.tx, note.id).await?;
                Ok(())
            }
            Err(SlackError::RateLimited(after)) => {
                let until = now + chrono::Duration::from_std(after).unwrap_or_default();
                self.defer(
                    ctx,
                    note,
                    Wait {
                        until,
                        reason: "slack_ratelimited",
                    },
                )
                .await
            }
            Err(SlackError::Refused(code)) => {
                self.failed(ctx, note, &format!("slack: {code}")).await
            }
            // Slack being down is not the notification's fault: wait for it, uncapped.
            Err(e @ SlackError::Transient(_)) => Err(HandlerError::Unavailable(e.into())),
        }
    }

    async fn defer(&self, ctx: &mut HandlerCtx<'_>, note: &Note<'_>, wait: Wait) -> Handled {
        let Wait { until, reason } = wait;
        repo::record(ctx.tx, note.id, &repo::Recorded::Deferred { until, reason }).await?;
        let payload = serde_json::to_value(note.n).map_err(|e| HandlerError::Fatal(e.into()))?;
        let key = format!("{}:{}", note.id, until.timestamp_millis());
        timers::schedule(ctx.tx, &note.org, DELIVER, &key, until, &payload).await?;
        tracing::info!(notification = %note.id, %until, reason, "slack delivery deferred");
        baton_platform::deferrals::count(reason);
        let detail =
            json!({ "notification_id": note.id.to_string(), "until": until, "reason": reason });
        self.audit(ctx, note, "notification.deferred", detail).await
    }

    async fn failed(&self, ctx: &mut HandlerCtx<'_>, note: &Note<'_>, reason: &str) -> Handled {
        repo::record(ctx.tx, note.id, &repo::Recorded::Failed { reason }).await?;
        repo::clear_attempts(ctx.tx, note.id).await?;
        tracing::warn!(notification = %note.id, reason, "slack delivery failed (the web inbox has it)");
        let detail =
            json!({ "notification_id": note.id.to_string(), "channel": "slack", "reason": reason });
        self.audit(ctx, note, "notification.failed", detail).await
    }

    async fn audit(
        &self,
        ctx: &mut HandlerCtx<'_>,
        note: &Note<'_>,
        action: &str,
        detail: serde_json::Value,
    ) -> Handled {
        let who = Actor {
            service: SERVICE,
            actor: SERVICE,
            org_id: &note.org,
            job_id: note.job,
        };
        jobs::audit(ctx, who, action, detail).await
    }
}
