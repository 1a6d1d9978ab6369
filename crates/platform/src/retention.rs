//! Retention: what the effectively-once machinery keeps only for a while.
//!
//! - `inbox` rows: needed while a message can still be redelivered (a consumer restarting
//!   behind its committed offsets, the relay republishing after a crash): hours at most;
//!   kept `inbox_hours` (7 days by default) to be generous.
//! - `bus_log` entries (embedded bus): deleted once every consumer group has consumed them
//!   *and* they are older than `log_hours`. A group that stopped consuming holds its
//!   partitions' entries until it resumes or its `bus_offsets` rows are removed.
//! - Sent `outbox` rows are deleted by the relay itself.
//! - The records that grow with every event (`baton_prune_records`, migration 0012, across
//!   orgs as the bypass role): `audit_log` older than `audit_days` (90), `skipped_events`
//!   older than `skipped_days` (30), `processed_events` whose dedupe window has passed, and
//!   the `step_runs` of jobs finished more than `step_run_days` (30) ago.
//! - The ingress's `webhook_receipts` (its dedupe records) older than `webhook_days` (7).
//!
//! Deletes run in batches so no statement holds locks for long.

use std::time::Duration;

use serde::Deserialize;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::Result;

const BATCH: i64 = 5_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    pub inbox_hours: u32,
    pub log_hours: u32,
    /// Days the audit trail is kept.
    pub audit_days: u32,
    /// Days skipped events (why an event did nothing) are kept.
    pub skipped_days: u32,
    /// Days a finished job's step attempts are kept.
    pub step_run_days: u32,
    /// Days the ingress keeps a delivery's receipt (its dedupe record): longer than any
    /// provider retries a delivery.
    pub webhook_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            inbox_hours: 24 * 7,
            log_hours: 24 * 7,
            audit_days: 90,
            skipped_days: 30,
            step_run_days: 30,
            webhook_days: 7,
        }
    }
}

/// Rows deleted by one pass.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub inbox: u64,
    pub log: u64,
    pub audit: u64,
    pub skipped: u64,
    pub processed: u64,
    pub step_runs: u64,
    pub webhooks: u64,
}

/// One pass of pruning.
pub async fn prune(pool: &PgPool, config: &RetentionConfig) -> Result<Pruned> {
    let mut pruned = Pruned::default();
    bus(pool, config, &mut pruned).await?;
    records(pool, config, &mut pruned).await?;
    pruned.webhooks = webhook_receipts(pool, config.webhook_days).await?;
    if pruned != Pruned::default() {
        tracing::info!(
            inbox = pruned.inbox,
            log = pruned.log,
            audit = pruned.audit,
            skipped = pruned.skipped,
            processed = pruned.processed,
            step_runs = pruned.step_runs,
            webhooks = pruned.webhooks,
            "pruned"
        );
    }
    Ok(pruned)
}

/// The growing records, in batches until no table had a full one.
async fn records(pool: &PgPool, config: &RetentionConfig, pruned: &mut Pruned) -> Result<()> {
    let days = |d: u32| i32::try_from(d).unwrap_or(i32::MAX);
    loop {
        let r = sqlx::query!(
            r#"SELECT audit AS "audit!", skipped AS "skipped!", processed AS "processed!", step_runs AS "step_runs!"
               FROM baton_prune_records($1, $2, $3, $4)"#,
            days(config.audit_days),
            days(config.skipped_days),
            days(config.step_run_days),
            BATCH as i32,
        )
        .fetch_one(pool)
        .await?;
        let counts = [r.audit, r.skipped, r.processed, r.step_runs];
        pruned.audit += r.audit as u64;
        pruned.skipped += r.skipped as u64;
        pruned.processed += r.processed as u64;
        pruned.step_runs += r.step_runs as u64;
        if counts.iter().all(|n| *n < BATCH) {
            return Ok(());
        }
    }
}

/// Consumed inbox claims and log entries past their retention, in batches until neither
/// had a full one (across orgs, as the bypass role: `baton_prune_bus`, migration 0015).
async fn bus(pool: &PgPool, config: &RetentionConfig, pruned: &mut Pruned) -> Result<()> {
    let hours = |h: u32| i32::try_from(h).unwrap_or(i32::MAX);
    loop {
        let r = sqlx::query!(
            r#"SELECT inbox AS "inbox!", log AS "log!" FROM baton_prune_bus($1, $2, $3)"#,
            hours(config.inbox_hours),
            hours(config.log_hours),
            BATCH as i32,
        )
        .fetch_one(pool)
        .await?;
        pruned.inbox += r.inbox as u64;
        pruned.log += r.log as u64;
        if r.inbox < BATCH && r.log < BATCH {
            return Ok(());
        }
    }
}

/// The ingress's receipts older than `days`, in batches (`baton_prune_webhook_receipts`,
/// migration 0016).
async fn webhook_receipts(pool: &PgPool, days: u32) -> Result<u64> {
    let days = i32::try_from(days).unwrap_or(i32::MAX);
    let mut total = 0;
    loop {
        let n = sqlx::query_scalar!(
            r#"SELECT baton_prune_webhook_receipts($1, $2) AS "n!""#,
            days,
            BATCH as i32
        )
        .fetch_one(pool)
        .await?;
        total += n as u64;
        if n < BATCH {
            return Ok(total);
        }
    }
}

/// Prunes every `every` until `shutdown`; a failed pass is logged and retried next time.
pub async fn run(
    pool: PgPool,
    config: RetentionConfig,
    every: Duration,
    shutdown: CancellationToken,
) {
    loop {
        if let Err(e) = prune(&pool, &config).await {
            tracing::warn!(error = %e, "pruning failed; will retry");
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}
