//! The watched calendars' upkeep, every `google.sweep_every_s`, per org (each in its own
//! scoped transaction): every user with a Google connection has their primary calendar
//! watched (a `calendar_syncs` row); each watched calendar gets a sync now (the
//! reconciliation sweep — pushes get dropped); and a calendar whose newest channel has less
//! than `google.renew_before_hours` left gets a new one (`events.watch`, overlapping the old)
//! when `ingress.public_url` says where Google can reach this ingress. A channel within a
//! day of expiring with no successor is logged as an alert and counted in
//! `baton_calendar_channels_expiring`.
//!
//! [`Syncer`] is the component that fires the `sync:calendar` timers.

use std::sync::Arc;

use baton_core::clock::Clock;
use baton_platform::{
    bus::Delivery,
    component::Component,
    config::Config,
    connections::Keyring,
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    timers::Timer,
};
use baton_schemas::{OrgId, Topic};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;

use super::{
    Google, gmail,
    sync::{self, Target},
};
use crate::schedules::Scheduler;

/// The ingress's calendar syncing.
#[derive(Clone)]
pub struct Syncer {
    svc: Service,
    google: Google,
    keys: Keyring,
    scheduler: Option<Scheduler>,
    cfg: Arc<Config>,
}

impl Syncer {
    /// `None` without a Google OAuth client configured.
    pub fn new(
        svc: Service,
        config: &Config,
        scheduler: Option<Scheduler>,
    ) -> anyhow::Result<Option<Self>> {
        let Some(google) = Google::new(&config.google)? else {
            return Ok(None);
        };
        Ok(Some(Syncer {
            svc,
            google,
            keys: Keyring::new(&config.connections)?,
            scheduler,
            cfg: Arc::new(config.clone()),
        }))
    }

    pub(crate) fn google(&self) -> &Google {
        &self.google
    }

    pub(crate) fn scheduler(&self) -> Option<&Scheduler> {
        self.scheduler.as_ref()
    }

    /// An access token from connection `id`'s refresh token.
    pub(crate) async fn access_token(
        &self,
        tx: &mut PgConnection,
        id: uuid::Uuid,
    ) -> Result<secrecy::SecretString, sync::SyncError> {
        let refresh = crate::upkeep::refresh_token(tx, &self.keys, id).await?;
        Ok(self.google.access_token(&refresh).await?)
    }

    /// One round of upkeep over every org (what the loop runs every `sweep_every_s`).
    pub async fn sweep(&self) -> anyhow::Result<()> {
        crate::upkeep::round(self).await
    }

    async fn sweep_org(&self, tx: &mut PgConnection, org: &OrgId) -> anyhow::Result<()> {
        let now = self.svc.now();
        sqlx::query!(
            "INSERT INTO calendar_syncs (org_id, user_id, calendar_id, connection_id)
             SELECT c.org_id, c.user_id, 'primary', c.id FROM connections c
             WHERE c.org_id = $1 AND c.provider = 'google' AND c.user_id IS NOT NULL
             ON CONFLICT (org_id, user_id, calendar_id) DO UPDATE SET connection_id = EXCLUDED.connection_id",
            org.as_str(),
        )
        .execute(&mut *tx)
        .await?;
        let watched = sqlx::query!(
            r#"SELECT s.user_id, s.calendar_id, s.connection_id,
                      (SELECT max(ch.expires_at) FROM calendar_channels ch
                       WHERE ch.org_id = s.org_id AND ch.user_id = s.user_id
                         AND ch.calendar_id = s.calendar_id) AS newest
               FROM calendar_syncs s WHERE s.org_id = $1 ORDER BY s.user_id, s.calendar_id"#,
            org.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?;
        let round = now.timestamp() / self.cfg.google.sweep_every_s.max(1) as i64;
        self.keep_mailboxes(tx, org, round, now).await?;
        crate::mail::forget_seen(tx, org, now).await?;
        // Channels a day past their expiry are gone on Google's side too.
        sqlx::query!(
            "DELETE FROM calendar_channels WHERE org_id = $1 AND expires_at < $2",
            org.as_str(),
            now - Duration::days(1),
        )
        .execute(&mut *tx)
        .await?;
        for w in watched {
            let t = Target {
                user_id: w.user_id,
                calendar_id: w.calendar_id,
                attempt: 0,
            };
            let key = format!("sweep:{}:{}:{round}", t.user_id, t.calendar_id);
            sync::schedule(tx, org, &t, &key, now).await?;
            // A channel Google will not open (revoked consent, Google down) does not stop
            // the sweep's syncs; the next round tries again.
            if let Err(e) = self
                .keep_watching(tx, org, &t, w.connection_id, w.newest, now)
                .await
            {
                tracing::warn!(%org, user = %t.user_id, error = %format!("{e:#}"), "could not open a calendar channel");
            }
        }
        Ok(())
    }

    /// Every user's connected Google mailbox: watched (`users.watch` daily when
    /// `google.gmail_topic` is set; an alert a day before a watch expires) and swept.
    async fn keep_mailboxes(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
        round: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query!(
            "INSERT INTO mailbox_syncs (org_id, user_id, address, connection_id)
             SELECT c.org_id, c.user_id, lower(c.account), c.id FROM connections c
             WHERE c.org_id = $1 AND c.provider = 'google' AND c.user_id IS NOT NULL
             ON CONFLICT (org_id, user_id) DO UPDATE
               SET address = EXCLUDED.address, connection_id = EXCLUDED.connection_id",
            org.as_str(),
        )
        .execute(&mut *tx)
        .await?;
        let boxes = sqlx::query!(
            "SELECT user_id, connection_id, watch_expires_at, watch_renewed_at FROM mailbox_syncs
             WHERE org_id = $1 ORDER BY user_id",
            org.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?;
        for b in boxes {
            let m = gmail::Mailbox {
                user_id: b.user_id.clone(),
                attempt: 0,
            };
            let key = format!("sweep:{}:{round}", b.user_id);
            let payload = serde_json::to_value(&m).unwrap_or_default();
            baton_platform::timers::schedule(tx, org, gmail::SYNC, &key, now, &payload).await?;
            if b.watch_expires_at
                .is_some_and(|e| e - now < Duration::days(1))
            {
                tracing::warn!(%org, user = %b.user_id, "a Gmail watch expires within a day");
            }
            let Some(topic) = &self.cfg.google.gmail_topic else {
                continue;
            };
            if b.watch_renewed_at
                .is_some_and(|r| now - r < Duration::days(1))
            {
                continue;
            }
            let watched = async {
                let access = self.access_token(tx, b.connection_id).await?;
                Ok::<_, sync::SyncError>(self.google.watch_mailbox(&access, topic).await?)
            }
            .await;
            match watched {
                Ok((history, expires)) => {
                    sqlx::query!(
                        "UPDATE mailbox_syncs SET watch_expires_at = $3, watch_renewed_at = $4,
                           history_id = COALESCE(history_id, $5)
                         WHERE org_id = $1 AND user_id = $2",
                        org.as_str(),
                        b.user_id,
                        expires,
                        now,
                        history.map(|h| h as i64),
                    )
                    .execute(&mut *tx)
                    .await?;
                }
                Err(e) => {
                    tracing::warn!(%org, user = %b.user_id, error = %e, "could not renew the Gmail watch")
                }
            }
        }
        Ok(())
    }

    /// Opens a new channel when the newest has less than `renew_before_hours` left.
    async fn keep_watching(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
        t: &Target,
        connection: uuid::Uuid,
        newest: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let g = &self.cfg.google;
        if let Some(until) = newest {
            if until - now > Duration::hours(g.renew_before_hours.into()) {
                return Ok(());
            }
            if until - now < Duration::days(1) {
                metrics::gauge!("baton_calendar_channels_expiring").increment(1.0);
                tracing::warn!(%org, user = %t.user_id, expires_at = %until, "a calendar channel expires within a day and has no successor");
            }
        }
        let Some(base) = &self.cfg.ingress.public_url else {
            return Ok(());
        };
        let access = self.access_token(tx, connection).await?;
        let (id, token) = (
            sync::channel_id(),
            uuid::Uuid::new_v4().simple().to_string(),
        );
        let address = format!("{}/webhooks/google-calendar", base.trim_end_matches('/'));
        let wanted = now + Duration::hours(g.channel_ttl_hours.into());
        let w = self
            .google
            .watch(&access, &t.calendar_id, &id, &token, &address, wanted)
            .await?;
        open_channel(tx, org, t, &id, &token, Some(&w.resource_id), w.expires_at).await?;
        tracing::info!(%org, user = %t.user_id, channel = %id, expires_at = %w.expires_at, "calendar channel opened");
        Ok(())
    }

    /// Fires due syncs and runs the upkeep until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        crate::upkeep::run(self, shutdown).await
    }
}

impl crate::upkeep::Upkeep for Syncer {
    fn every(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.cfg.google.sweep_every_s)
    }

    async fn upkeep_org(&self, tx: &mut PgConnection, org: &OrgId) -> anyhow::Result<()> {
        self.sweep_org(tx, org).await
    }
}

/// Records a channel Google opened: its token only as a SHA-256.
pub async fn open_channel(
    tx: &mut PgConnection,
    org: &OrgId,
    t: &Target,
    channel_id: &str,
    token: &str,
    resource_id: Option<&str>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO calendar_channels (channel_id, org_id, user_id, calendar_id, token_sha256, resource_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        channel_id,
        org.as_str(),
        t.user_id,
        t.calendar_id,
        Sha256::digest(token.as_bytes()).to_vec(),
        resource_id,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Component for Syncer {
    const NAME: &'static str = crate::NAME;
    const TOPICS: &'static [Topic] = &[];
    const TIMERS: &'static [&'static str] = &[sync::SYNC, gmail::SYNC];

    async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let svc = Self::connect(config, clock).await?;
        let scheduler = Scheduler::new(svc.clone(), config);
        Syncer::new(svc, config, Some(scheduler))?
            .ok_or_else(|| anyhow::anyhow!("google.client_id is not set: no calendar is synced"))
    }

    fn service(&self) -> &Service {
        &self.svc
    }

    async fn handle(&self, _: &mut HandlerCtx<'_>, _: &Delivery) -> Result<(), HandlerError> {
        Err(HandlerError::invalid("calendar syncing consumes no topic"))
    }

    async fn fire(&self, ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Result<(), HandlerError> {
        match timer.kind.as_str() {
            gmail::SYNC => gmail::fire(self, ctx, timer).await,
            _ => sync::fire(self, ctx, timer).await,
        }
    }
}
