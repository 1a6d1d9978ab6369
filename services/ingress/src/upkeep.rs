//! What the provider components (Google calendars and mail, Microsoft mail) share: a round
//! of upkeep over every org, each in its own scoped transaction, run every so often beside
//! the component's timer loop; the refresh token a connection holds; and what a failed fetch
//! does — a failure the provider may mend is retried with backoff a few times, any other is
//! audited for the user to act on.

use std::time::Duration;

use baton_platform::{
    component::Component,
    connections::{Keyring, store as connections},
    jobs::{self, Actor},
    runtime::{HandlerCtx, HandlerError},
    service::Service,
    timers::{self, Timer},
};
use baton_schemas::OrgId;
use serde_json::{Value, json};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;

use crate::google::{GoogleError, sync::SyncError};

/// Tries of one fetch before it is audited as failed.
pub const MAX_ATTEMPTS: u32 = 6;

/// A component with a periodic round of upkeep per org.
pub trait Upkeep: Component {
    /// How often a round runs.
    fn every(&self) -> Duration;

    /// One org's round, inside its scoped transaction.
    fn upkeep_org(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// One round over every org; an org that fails is logged and the others still done.
pub async fn round<U: Upkeep>(u: &U) -> anyhow::Result<()> {
    let svc: &Service = u.service();
    for org in crate::schedules::repo::orgs(&svc.pool).await? {
        let mut tx = baton_platform::store::begin_for_org(&svc.pool, &org).await?;
        match u.upkeep_org(&mut tx, &org).await {
            Ok(()) => tx.commit().await?,
            Err(e) => {
                tracing::warn!(component = U::NAME, %org, error = %format!("{e:#}"), "upkeep failed; retrying next round")
            }
        }
    }
    Ok(())
}

/// Runs `u`'s rounds and its timer loop until `shutdown`.
pub async fn run<U: Upkeep>(u: U, shutdown: CancellationToken) -> anyhow::Result<()> {
    let rounds = {
        let (u, shutdown) = (u.clone(), shutdown.clone());
        async move {
            loop {
                if let Err(e) = round(&u).await {
                    tracing::warn!(error = %format!("{e:#}"), "upkeep failed; retrying");
                }
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(u.every()) => {}
                }
            }
        }
    };
    let (_, fired) = tokio::join!(rounds, timers::run(u, shutdown));
    fired
}

/// The refresh token connection `id` holds.
pub async fn refresh_token(
    tx: &mut PgConnection,
    keys: &Keyring,
    id: uuid::Uuid,
) -> Result<String, SyncError> {
    let secret = connections::secret(tx, keys, id)
        .await
        .map_err(|e| SyncError::Stored(e.to_string()))?
        .ok_or_else(|| SyncError::Stored("the connection was removed".into()))?;
    secret["refresh_token"]
        .as_str()
        .map(String::from)
        .ok_or_else(|| SyncError::Stored("the connection has no refresh_token".into()))
}

/// A failed fetch of `timer`'s (attempt `attempt`): retried after 30 s × 2^attempt with
/// `retry` (its payload, the attempt counted) while the provider may mend it; else audited
/// `action` with `detail`.
pub async fn failed(
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
    attempt: u32,
    error: SyncError,
    retry: Value,
    action: &str,
    mut detail: Value,
) -> Result<(), HandlerError> {
    let org = timer.org_id.clone();
    match error {
        SyncError::Db(e) => Err(e.into()),
        SyncError::Handler(e) => Err(e),
        SyncError::Google(GoogleError::Transient(why)) if attempt + 1 < MAX_ATTEMPTS => {
            tracing::warn!(%org, kind = %timer.kind, attempt = attempt + 1, %why, "fetch failed; retrying");
            let key = format!("{}#{}", timer.dedupe_key, attempt + 1);
            let due = ctx.now() + chrono::Duration::seconds(30 << attempt);
            timers::schedule(ctx.tx, &org, &timer.kind, &key, due, &retry).await?;
            Ok(())
        }
        e => {
            tracing::warn!(%org, kind = %timer.kind, reason = %e, "fetch failed");
            detail["attempts"] = json!(attempt + 1);
            detail["reason"] = json!(e.to_string());
            let who = Actor {
                service: crate::NAME,
                actor: "provider-sync",
                org_id: &org,
                job_id: None,
            };
            jobs::audit(ctx, who, action, detail).await
        }
    }
}
