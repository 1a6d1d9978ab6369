//! Timers: one table drives deferred runs, retry backoff, approval expiry and cron.
//!
//! A timer is scheduled inside the transaction that decided it (so it exists if and only if
//! that decision committed), and fired in a transaction that claims it (`fired_at`) and
//! stages what firing produces: a timer fires exactly once even if the process restarts.
//! Due times are compared with the service's clock (the system clock in production, an
//! injected one in tests).

use baton_schemas::OrgId;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use crate::{
    Error, Result,
    bus::Bus,
    component::Component,
    runtime::{HandlerCtx, HandlerError},
};

#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    pub id: uuid::Uuid,
    pub org_id: OrgId,
    pub kind: String,
    pub dedupe_key: String,
    pub due_at: DateTime<Utc>,
    pub payload: Value,
}

/// Schedules a timer; a second one with the same `(org, kind, dedupe_key)` is ignored.
/// Returns whether this call created it.
pub async fn schedule(
    tx: &mut PgConnection,
    org_id: &OrgId,
    kind: &str,
    dedupe_key: &str,
    due_at: DateTime<Utc>,
    payload: &Value,
) -> Result<bool> {
    let created = sqlx::query!(
        "INSERT INTO timers (id, org_id, kind, dedupe_key, due_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id, kind, dedupe_key) DO NOTHING",
        uuid::Uuid::now_v7(),
        org_id.as_str(),
        kind,
        dedupe_key,
        due_at,
        payload,
    )
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
) -> Result<Vec<(OrgId, uuid::Uuid)>> {
    let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    let rows = sqlx::query!(
        r#"SELECT org_id AS "org_id!", id AS "id!" FROM baton_due_timers($1, $2, $3)"#,
        now,
        &kinds,
        limit,
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let org =
                OrgId::try_from(r.org_id).map_err(|e| Error::bad_row("timers", "org_id", e))?;
            Ok((org, r.id))
        })
        .collect()
}

/// Claims timer `id` inside `tx` (scoped to its org). `None` when another firer claimed it
/// first; the claim is undone if `tx` rolls back.
pub async fn claim(tx: &mut PgConnection, id: uuid::Uuid) -> Result<Option<Timer>> {
    let row = sqlx::query!(
        "UPDATE timers SET fired_at = now() WHERE id = $1 AND fired_at IS NULL
         RETURNING id, org_id, kind, dedupe_key, due_at, payload",
        id,
    )
    .fetch_optional(tx)
    .await?;
    row.map(|r| {
        Ok(Timer {
            id: r.id,
            org_id: OrgId::try_from(r.org_id).map_err(|e| Error::bad_row("timers", "org_id", e))?,
            kind: r.kind,
            dedupe_key: r.dedupe_key,
            due_at: r.due_at,
            payload: r.payload,
        })
    })
    .transpose()
}

/// Fires every due timer of `C`'s kinds once; returns how many fired. A timer that fails
/// with a retryable error is released for the next pass; one that can never fire stays
/// claimed and the error is logged.
pub async fn fire_due<C: Component>(c: &C) -> anyhow::Result<usize> {
    let svc = c.service();
    let due = due(&svc.pool, svc.now(), C::TIMERS, 100).await?;
    let mut fired = 0;
    for (org_id, id) in due {
        let mut tx = crate::store::begin_for_org(&svc.pool, &org_id).await?;
        let Some(timer) = claim(&mut tx, id).await? else {
            continue;
        };
        let mut ctx = HandlerCtx::in_org(&mut tx, &svc.producer, org_id);
        let out = match c.fire(&mut ctx, &timer).await {
            Ok(()) => ctx.into_messages(),
            Err(e @ HandlerError::Permanent { .. }) => {
                tracing::error!(timer = %timer.id, kind = %timer.kind, error = %e, "timer cannot fire; left claimed");
                Vec::new()
            }
            Err(HandlerError::Fatal(e)) => {
                return Err(anyhow::Error::new(Fatal(format!(
                    "timer {} ({}): {e:#}",
                    timer.id, timer.kind
                ))));
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

/// A timer failed in a way no retry mends (a missing privilege): the service stops.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fatal(String);

/// Fires `C`'s due timers every poll interval (at once again while there are more) until
/// `shutdown`; a fatal failure cancels `shutdown` and is returned.
pub async fn run<C: Component>(
    c: C,
    shutdown: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    let poll = c.service().timer_poll;
    loop {
        match fire_due(&c).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) if e.is::<Fatal>() => {
                shutdown.cancel();
                return Err(e);
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "firing timers failed; retrying"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tokio::time::sleep(poll) => {}
        }
    }
}
