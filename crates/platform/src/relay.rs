//! The outbox relay (Kafka mode): publishes rows that handlers inserted into `outbox` inside
//! their transactions, then marks them sent. A crash between publishing and marking
//! republishes those rows with the same `ce_id`, which every consumer's inbox dedupes.
//! One relay publishes at a time (an advisory lock), so per-key order is the commit order.
//!
//! The relay is supervised: a failure (the broker refuses, the database listener connection
//! is lost) marks it not ready on `/readyz` and it starts again with backoff — it never ends
//! quietly while the process looks healthy.

use std::time::Duration;

use sqlx::{PgConnection, PgPool, postgres::PgListener};
use tokio_util::sync::CancellationToken;

use crate::{
    Result,
    bus::{Bus, Envelope},
};

const CHANNEL: &str = "baton_outbox";
const BATCH: i64 = 500;
const FALLBACK_POLL: Duration = Duration::from_millis(500);
/// Sent rows are kept this many hours for inspection, then deleted.
const RETAIN_SENT_HOURS: i32 = 1;

/// Inserts `messages` in `tx`, each row tagged with its message's org (row-level security
/// checks the tag against the transaction's org: the caller has scoped it).
pub(crate) async fn insert_outbox(tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let topics: Vec<&str> = messages.iter().map(|m| m.topic.as_str()).collect();
    let keys: Vec<Option<&[u8]>> = messages.iter().map(|m| m.key.as_deref()).collect();
    let payloads: Vec<&[u8]> = messages.iter().map(|m| m.payload.as_slice()).collect();
    let headers: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| serde_json::json!(m.headers))
        .collect();
    let orgs: Vec<Option<&str>> = messages.iter().map(|m| m.org.as_deref()).collect();
    sqlx::query!(
        "INSERT INTO outbox (topic, key, payload, headers, org_id)
         SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::jsonb[], $5::text[])",
        &topics as _,
        &keys as _,
        &payloads as _,
        &headers,
        &orgs as _,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("SELECT pg_notify($1, '')", CHANNEL)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Publishes one batch; returns how many rows it published.
pub async fn relay_once<B: Bus>(pool: &PgPool, bus: &B) -> Result<usize> {
    fail::fail_point!("relay_down", |_| Err(crate::Error::Registry(
        "failpoint relay_down".into()
    )));
    let mut tx = pool.begin().await?;
    let locked = sqlx::query_scalar!(
        r#"SELECT pg_try_advisory_xact_lock(hashtext('baton_outbox_relay')) AS "locked!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    if !locked {
        return Ok(0);
    }
    // Every org's rows, so through the function that may read them (migration 0015).
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", topic AS "topic!", key, payload AS "payload!", headers AS "headers!"
           FROM baton_outbox_unsent($1)"#,
        BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut ids = Vec::with_capacity(rows.len());
    let mut messages = Vec::with_capacity(rows.len());
    for row in rows {
        ids.push(row.id);
        messages.push(Envelope {
            topic: row.topic,
            key: row.key,
            payload: row.payload,
            // Written by insert_outbox above; anything else is refused, not sent bare.
            headers: serde_json::from_value(row.headers)
                .map_err(|e| crate::Error::bad_row("outbox", "headers", e))?,
            // Kafka carries no org of its own; consumers check the one the message names.
            org: None,
        });
    }
    fail::fail_point!("relay_before_publish");
    bus.publish(messages).await?;
    fail::fail_point!("relay_after_publish");
    sqlx::query_scalar!("SELECT baton_outbox_mark_sent($1)", &ids)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    metrics::counter!("baton_outbox_relayed_total").increment(ids.len() as u64);
    Ok(ids.len())
}

/// How the relay is named on `/readyz`.
const PART: &str = "outbox relay";

/// Relays until `shutdown`, restarting after any failure with backoff (1 s doubling to
/// 30 s); not ready on `/readyz` from a failure until a batch goes through again.
pub async fn supervise<B: Bus>(pool: PgPool, bus: B, shutdown: CancellationToken) {
    let health = crate::health::process();
    let mut delay = Duration::from_secs(1);
    loop {
        match run(pool.clone(), bus.clone(), shutdown.clone()).await {
            Ok(()) => {
                health.ready(PART);
                return;
            }
            Err(e) => {
                health.not_ready(PART, "stopped by an error; restarting");
                metrics::counter!("baton_outbox_relay_restarts_total").increment(1);
                tracing::warn!(error = %e, ?delay, "outbox relay stopped; restarting");
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// Relays until `shutdown`, woken by `NOTIFY baton_outbox` (with a fallback poll). A batch
/// that fails is retried after a second (not ready meanwhile); a lost listener connection
/// ends it with the error, for [`supervise`] to start it again.
pub async fn run<B: Bus>(pool: PgPool, bus: B, shutdown: CancellationToken) -> Result<()> {
    let health = crate::health::process();
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    let mut since_cleanup = 0usize;
    loop {
        let sent = match relay_once(&pool, &bus).await {
            Ok(n) => {
                health.ready(PART);
                n
            }
            Err(e) => {
                health.not_ready(PART, "cannot publish the outbox; retrying");
                tracing::warn!(error = %e, "outbox relay failed; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        since_cleanup += sent;
        if since_cleanup > 10_000 {
            since_cleanup = 0;
            sqlx::query_scalar!("SELECT baton_outbox_prune_sent($1)", RETAIN_SENT_HOURS)
                .fetch_one(&pool)
                .await?;
        }
        if sent as i64 == BATCH {
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            r = tokio::time::timeout(FALLBACK_POLL, listener.recv()) => {
                if let Ok(r) = r { r?; }
                while listener.next_buffered().is_some() {}
            }
        }
    }
}
