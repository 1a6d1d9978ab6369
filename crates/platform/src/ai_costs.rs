//! The AI cost totals the budget check reads (migration 0028): every minute (the
//! step-executor runs [`run`] beside its consumer) the ledger entries not yet counted are
//! added to their org's total for the period, so a check reads one total and at most a
//! minute's entries instead of the month's.

use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

/// How often the entries are rolled up: the most a check's tail holds.
pub const ROLL_UP_EVERY: Duration = Duration::from_secs(60);
/// Entries per roll-up transaction.
const BATCH: i32 = 10_000;

/// Adds every entry not yet counted to its total, in batches; returns how many. 0 also when
/// another process is rolling up right now (it takes them).
pub async fn roll_up(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = sqlx::query_scalar!(r#"SELECT baton_roll_up_ai_costs($1) AS "n!""#, BATCH)
            .fetch_one(pool)
            .await?;
        total += n as u64;
        if n < i64::from(BATCH) {
            return Ok(total);
        }
    }
}

/// Rolls up every [`ROLL_UP_EVERY`] until `shutdown`; a failed pass is logged and retried
/// at the next.
pub async fn run(pool: PgPool, shutdown: CancellationToken) {
    loop {
        match roll_up(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(entries = n, "AI costs rolled up"),
            Err(e) => tracing::warn!(error = %e, "rolling up AI costs failed; will retry"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(ROLL_UP_EVERY) => {}
        }
    }
}
