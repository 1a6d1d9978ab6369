//! Timers: one table drives deferred runs, retry backoff, approval expiry and cron.
//!
//! A timer is scheduled inside the transaction that decided it (so it exists if and only if
//! that decision committed), and fired in a transaction that claims it (`fired_at`) and
//! stages what firing produces: a timer fires exactly once even if the process restarts.
//! Due times are compared with the caller's clock (the database's time in production, an
//! injected clock in tests).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool, Row};

use crate::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    pub id: uuid::Uuid,
    pub org_id: String,
    pub kind: String,
    pub dedupe_key: String,
    pub due_at: DateTime<Utc>,
    pub payload: Value,
}

/// Schedules a timer; a second one with the same `(org, kind, dedupe_key)` is ignored.
/// Returns whether this call created it.
pub async fn schedule(
    tx: &mut PgConnection,
    org_id: &str,
    kind: &str,
    dedupe_key: &str,
    due_at: DateTime<Utc>,
    payload: &Value,
) -> Result<bool> {
    let created = sqlx::query(
        "INSERT INTO timers (id, org_id, kind, dedupe_key, due_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id, kind, dedupe_key) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(org_id)
    .bind(kind)
    .bind(dedupe_key)
    .bind(due_at)
    .bind(payload)
    .execute(tx)
    .await?
    .rows_affected();
    Ok(created == 1)
}

/// Timers of `kinds` due at `now`, oldest first: `(org_id, timer id)` (the only cross-org
/// read; see migration 0005).
pub async fn due(
    pool: &PgPool,
    now: DateTime<Utc>,
    kinds: &[&str],
    limit: i32,
) -> Result<Vec<(String, uuid::Uuid)>> {
    let rows = sqlx::query("SELECT org_id, id FROM baton_due_timers($1, $2, $3)")
        .bind(now)
        .bind(kinds)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.get("org_id"), r.get("id")))
        .collect())
}

/// Claims timer `id` inside `tx` (scoped to its org). `None` when another firer claimed it
/// first; the claim is undone if `tx` rolls back.
pub async fn claim(tx: &mut PgConnection, id: uuid::Uuid) -> Result<Option<Timer>> {
    let row = sqlx::query(
        "UPDATE timers SET fired_at = now() WHERE id = $1 AND fired_at IS NULL
         RETURNING id, org_id, kind, dedupe_key, due_at, payload",
    )
    .bind(id)
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| Timer {
        id: r.get("id"),
        org_id: r.get("org_id"),
        kind: r.get("kind"),
        dedupe_key: r.get("dedupe_key"),
        due_at: r.get("due_at"),
        payload: r.get("payload"),
    }))
}

/// A service that fires timers of its own kinds (the router: deferred runs and retries; the
/// approval-gateway: expiries and reminders).
pub trait Fire: Clone + Send + Sync + 'static {
    fn service(&self) -> &crate::service::Service;
    /// Now, by the service's clock.
    fn now(&self) -> DateTime<Utc>;
    /// Handles one claimed timer inside its transaction; what it emits is staged there.
    fn fire(
        &self,
        ctx: &mut crate::runtime::HandlerCtx<'_>,
        timer: &Timer,
    ) -> impl std::future::Future<Output = Result<(), crate::runtime::HandlerError>> + Send;
}

/// Fires every due timer of `kinds` once; returns how many fired. A timer that fails with a
/// retryable error is released for the next pass; one that can never fire stays claimed and
/// the error is logged.
pub async fn fire_due<F: Fire>(f: &F, kinds: &[&str]) -> anyhow::Result<usize> {
    use crate::{bus::Bus, runtime::HandlerError};
    let svc = f.service();
    let due = due(&svc.pool, f.now(), kinds, 100).await?;
    let mut fired = 0;
    for (org_id, id) in due {
        let mut tx = crate::store::begin_for_org(&svc.pool, &org_id).await?;
        let Some(timer) = claim(&mut tx, id).await? else {
            continue;
        };
        let mut ctx = crate::runtime::HandlerCtx::new(&mut tx, &svc.producer);
        let out = match f.fire(&mut ctx, &timer).await {
            Ok(()) => ctx.into_messages(),
            Err(e @ HandlerError::Permanent { .. }) => {
                tracing::error!(timer = %timer.id, kind = %timer.kind, error = %e, "timer cannot fire; left claimed");
                Vec::new()
            }
            Err(e) => {
                tracing::warn!(timer = %timer.id, kind = %timer.kind, error = %e, "timer failed; it will be retried");
                continue; // dropping tx releases the claim
            }
        };
        svc.bus.stage(&mut tx, &out).await?;
        tx.commit().await?;
        fired += 1;
    }
    Ok(fired)
}

/// Fires due timers every `poll` (at once again while there are more) until `shutdown`.
pub async fn run<F: Fire>(
    f: F,
    kinds: &'static [&'static str],
    poll: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    loop {
        match fire_due(&f, kinds).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "firing timers failed; retrying"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(poll) => {}
        }
    }
}
