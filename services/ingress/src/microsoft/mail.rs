//! Connected Microsoft mailboxes: their mail fetched and their subscriptions kept.
//!
//! The `sync:graph` timer (scheduled by a notification, a lifecycle event or the sweep) does
//! one of: fetch the message a notification named and publish it as `email_received`
//! (source `webhook:email`, event id derived from the mailbox and message); run the inbox's
//! delta query from the stored delta link, publishing each new message (a mailbox not
//! started only takes a link: no backfill); or act on a lifecycle event —
//! `reauthorizationRequired` renews the subscription, `subscriptionRemoved` creates a new
//! one, `missed` runs the delta. The upkeep (every `microsoft.sweep_every_s`, per org) keeps a
//! `graph_mailboxes` row per Microsoft connection, schedules each a delta round, creates a
//! subscription where there is none (at `ingress.public_url` + `/webhooks/msgraph`) and
//! renews one past half its lifetime, with an alert a day before one expires.

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    connections::Keyring,
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    timers::{self, Timer},
};
use baton_schemas::{OrgId, Topic};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::Graph;
use crate::google::{GoogleError as GraphError, sync::SyncError};

pub const SYNC: &str = "sync:graph";
const MAX_PAGES: usize = 20;

/// What a `sync:graph` timer does.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fetch {
    pub user_id: String,
    /// The message a notification named; none = a delta round.
    #[serde(default)]
    pub message_id: Option<String>,
    /// A lifecycle event to act on, for `subscription_id`.
    #[serde(default)]
    pub lifecycle: Option<String>,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub attempt: u32,
}

#[derive(Clone)]
pub struct Mailboxes {
    svc: Service,
    graph: Graph,
    keys: Keyring,
    cfg: Arc<Config>,
}

struct Mailbox {
    address: String,
    connection_id: Uuid,
    delta_link: Option<String>,
}

impl Mailboxes {
    /// `None` without a Microsoft OAuth client configured.
    pub fn new(svc: Service, config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(graph) = Graph::new(&config.microsoft)? else {
            return Ok(None);
        };
        Ok(Some(Mailboxes {
            svc,
            graph,
            keys: Keyring::new(&config.connections)?,
            cfg: Arc::new(config.clone()),
        }))
    }

    async fn access(
        &self,
        tx: &mut PgConnection,
        connection: Uuid,
    ) -> Result<secrecy::SecretString, SyncError> {
        let refresh = crate::upkeep::refresh_token(tx, &self.keys, connection).await?;
        Ok(self.graph.access_token(&refresh).await?)
    }

    async fn mailbox(tx: &mut PgConnection, org: &OrgId, user: &str) -> Result<Mailbox, SyncError> {
        let r = sqlx::query!(
            "SELECT address, connection_id, delta_link FROM graph_mailboxes
             WHERE org_id = $1 AND user_id = $2 FOR UPDATE",
            org.as_str(),
            user,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| SyncError::Stored(format!("{user} has no connected Microsoft mailbox")))?;
        Ok(Mailbox {
            address: r.address,
            connection_id: r.connection_id,
            delta_link: r.delta_link,
        })
    }

    /// Does what the timer asks; how many messages it published.
    async fn run_fetch(
        &self,
        ctx: &mut HandlerCtx<'_>,
        org: &OrgId,
        f: &Fetch,
    ) -> Result<usize, SyncError> {
        let mb = Self::mailbox(ctx.tx, org, &f.user_id).await?;
        let access = self.access(ctx.tx, mb.connection_id).await?;
        match (f.lifecycle.as_deref(), &f.message_id) {
            (Some("reauthorizationRequired"), _) => {
                let sub = f.subscription_id.as_deref().unwrap_or_default();
                self.renew(ctx.tx, org, &access, sub, ctx.now()).await?;
                Ok(0)
            }
            (Some("subscriptionRemoved"), _) => {
                sqlx::query!(
                    "DELETE FROM graph_subscriptions WHERE org_id = $1 AND subscription_id = $2",
                    org.as_str(),
                    f.subscription_id,
                )
                .execute(&mut *ctx.tx)
                .await?;
                self.subscribe(ctx.tx, org, &f.user_id, &mb.address, &access, ctx.now())
                    .await?;
                Ok(0)
            }
            (_, Some(id)) => {
                let m = match self.graph.message(&access, &mb.address, id).await {
                    Err(GraphError::NotFound(_)) => return Ok(0), // deleted since
                    other => other?,
                };
                Ok(self.publish(ctx, org, &f.user_id, &mb.address, &m).await? as usize)
            }
            // A delta round: the sweep, or a `missed` lifecycle event.
            (_, None) => self.delta(ctx, org, &f.user_id, &mb, &access).await,
        }
    }

    async fn delta(
        &self,
        ctx: &mut HandlerCtx<'_>,
        org: &OrgId,
        user: &str,
        mb: &Mailbox,
        access: &secrecy::SecretString,
    ) -> Result<usize, SyncError> {
        let started = mb.delta_link.is_some();
        let (mut link, mut messages, mut next_delta) = (mb.delta_link.clone(), Vec::new(), None);
        for _ in 0..MAX_PAGES {
            let page = self
                .graph
                .delta(access, &mb.address, link.as_deref())
                .await?;
            messages.extend(page.messages);
            match (page.next_link, page.delta_link) {
                (Some(next), _) => link = Some(next),
                (None, delta) => {
                    next_delta = delta;
                    break;
                }
            }
        }
        let Some(next_delta) = next_delta else {
            return Err(SyncError::Stored(format!(
                "more than {MAX_PAGES} pages of delta: not synced"
            )));
        };
        let mut published = 0;
        if started {
            for m in &messages {
                published += self.publish(ctx, org, user, &mb.address, m).await? as usize;
            }
        }
        sqlx::query!(
            "UPDATE graph_mailboxes SET delta_link = $3, synced_at = $4 WHERE org_id = $1 AND user_id = $2",
            org.as_str(),
            user,
            next_delta,
            ctx.now(),
        )
        .execute(&mut *ctx.tx)
        .await?;
        Ok(published)
    }

    /// Publishes one fetched message (see [`crate::mail`]); whether it did.
    async fn publish(
        &self,
        ctx: &mut HandlerCtx<'_>,
        org: &OrgId,
        user: &str,
        address: &str,
        m: &serde_json::Value,
    ) -> Result<bool, SyncError> {
        let Some(email) = super::email(m) else {
            return Ok(false);
        };
        let from = m
            .pointer("/from/emailAddress/address")
            .and_then(|a| a.as_str())
            .unwrap_or_default();
        let fetched = crate::mail::Fetched {
            provider: "graph",
            address,
            from,
            email,
        };
        crate::mail::publish(ctx, org, user, fetched).await
    }

    fn lifetime(&self) -> Duration {
        Duration::minutes(self.cfg.microsoft.subscription_minutes.into())
    }

    async fn renew(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
        access: &secrecy::SecretString,
        subscription: &str,
        now: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        let until = now + self.lifetime();
        self.graph.renew(access, subscription, until).await?;
        sqlx::query!(
            "UPDATE graph_subscriptions SET expires_at = $3 WHERE org_id = $1 AND subscription_id = $2",
            org.as_str(),
            subscription,
            until,
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    async fn subscribe(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
        user: &str,
        mailbox: &str,
        access: &secrecy::SecretString,
        now: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        let Some(base) = &self.cfg.ingress.public_url else {
            return Ok(());
        };
        let address = format!("{}/webhooks/msgraph", base.trim_end_matches('/'));
        let state = Uuid::new_v4().simple().to_string();
        let until = now + self.lifetime();
        let id = self
            .graph
            .subscribe(access, mailbox, &address, &state, until)
            .await?;
        sqlx::query!(
            "INSERT INTO graph_subscriptions (subscription_id, org_id, user_id, client_state_sha256, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            id,
            org.as_str(),
            user,
            Sha256::digest(state.as_bytes()).to_vec(),
            until,
        )
        .execute(&mut *tx)
        .await?;
        tracing::info!(%org, user, subscription = %id, "Graph subscription created");
        Ok(())
    }

    /// One round of upkeep over every org (what the loop runs every `sweep_every_s`).
    pub async fn sweep(&self) -> anyhow::Result<()> {
        crate::upkeep::round(self).await
    }

    async fn sweep_org(&self, tx: &mut PgConnection, org: &OrgId) -> anyhow::Result<()> {
        let now = self.svc.now();
        sqlx::query!(
            "INSERT INTO graph_mailboxes (org_id, user_id, address, connection_id)
             SELECT c.org_id, c.user_id, lower(c.account), c.id FROM connections c
             WHERE c.org_id = $1 AND c.provider = 'microsoft' AND c.user_id IS NOT NULL
             ON CONFLICT (org_id, user_id) DO UPDATE
               SET address = EXCLUDED.address, connection_id = EXCLUDED.connection_id",
            org.as_str(),
        )
        .execute(&mut *tx)
        .await?;
        let boxes = sqlx::query!(
            r#"SELECT m.user_id, m.address, m.connection_id,
                      s.subscription_id AS "subscription?", s.expires_at AS "expires_at?"
               FROM graph_mailboxes m
               LEFT JOIN LATERAL (SELECT subscription_id, expires_at FROM graph_subscriptions g
                                  WHERE g.org_id = m.org_id AND g.user_id = m.user_id
                                  ORDER BY expires_at DESC LIMIT 1) s ON true
               WHERE m.org_id = $1 ORDER BY m.user_id"#,
            org.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?;
        crate::mail::forget_seen(tx, org, now).await?;
        sqlx::query!(
            "DELETE FROM graph_subscriptions WHERE org_id = $1 AND expires_at < $2",
            org.as_str(),
            now - Duration::days(1),
        )
        .execute(&mut *tx)
        .await?;
        let round = now.timestamp() / self.cfg.microsoft.sweep_every_s.max(1) as i64;
        for b in boxes {
            let f = Fetch {
                user_id: b.user_id.clone(),
                ..Fetch::default()
            };
            let key = format!("sweep:{}:{round}", b.user_id);
            timers::schedule(tx, org, SYNC, &key, now, &serde_json::to_value(&f)?).await?;
            let kept = async {
                let live = b.expires_at.filter(|e| *e > now);
                if live.is_some_and(|e| e - now >= self.lifetime() / 2) {
                    return Ok(());
                }
                if live.is_some_and(|e| e - now < Duration::days(1)) {
                    tracing::warn!(%org, user = %b.user_id, "a Graph subscription expires within a day");
                }
                let access = self.access(tx, b.connection_id).await?;
                match (live, &b.subscription) {
                    (Some(_), Some(sub)) => self.renew(tx, org, &access, sub, now).await,
                    _ => self.subscribe(tx, org, &b.user_id, &b.address, &access, now).await,
                }
            }
            .await;
            if let Err(e) = kept {
                tracing::warn!(%org, user = %b.user_id, error = %e, "could not keep the Graph subscription");
            }
        }
        Ok(())
    }

    /// Fires due fetches and runs the upkeep until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        crate::upkeep::run(self, shutdown).await
    }
}

impl crate::upkeep::Upkeep for Mailboxes {
    fn every(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.cfg.microsoft.sweep_every_s)
    }

    async fn upkeep_org(&self, tx: &mut PgConnection, org: &OrgId) -> anyhow::Result<()> {
        self.sweep_org(tx, org).await
    }
}

impl Component for Mailboxes {
    const NAME: &'static str = crate::NAME;
    const TOPICS: &'static [Topic] = &[];
    const TIMERS: &'static [&'static str] = &[SYNC];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let svc = Self::connect(config, clock).await?;
        Mailboxes::new(svc, config)?
            .ok_or_else(|| anyhow::anyhow!("microsoft.client_id is not set: no mailbox is read"))
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, _: &mut HandlerCtx<'_>, _: &Delivery) -> Result<(), HandlerError> {
        Err(HandlerError::invalid("mailbox fetching consumes no topic"))
    }

    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Result<(), HandlerError> {
        let f: Fetch = serde_json::from_value(timer.payload.clone())
            .map_err(|e| HandlerError::invalid(format!("{SYNC} timer {}: {e}", timer.id)))?;
        let org = timer.org_id.clone();
        match self.run_fetch(ctx, &org, &f).await {
            Ok(n) => {
                tracing::info!(%org, user = %f.user_id, messages = n, "Microsoft mailbox fetched");
                Ok(())
            }
            Err(e) => {
                let retry = Fetch {
                    attempt: f.attempt + 1,
                    ..f.clone()
                };
                let retry = serde_json::to_value(&retry).unwrap_or_default();
                let detail = json!({ "user_id": f.user_id, "provider": "microsoft" });
                crate::upkeep::failed(
                    ctx,
                    timer,
                    f.attempt,
                    e,
                    retry,
                    "mailbox.sync_failed",
                    detail,
                )
                .await
            }
        }
    }
}
