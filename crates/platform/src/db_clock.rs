//! The database's clock for production services. Timers are stored with due times and
//! found by comparing them with "now"; every service, and every host, must agree on it, so
//! the time is the database server's. Reading it per call would cost a round trip on every
//! rule, so [`DatabaseClock`] reads the host clock plus the offset to the server's
//! `clock_timestamp()`, measured at start-up and again every minute (corrected by half the
//! round trip). Tests keep injecting their own clock through the same [`Clock`] seam.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use baton_core::clock::Clock;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::Result;

const REFRESH: Duration = Duration::from_secs(60);

/// Host time corrected to the database server's.
#[derive(Debug, Clone)]
pub struct DatabaseClock {
    offset_us: Arc<AtomicI64>,
}

impl DatabaseClock {
    /// Measures the offset now and keeps it fresh until `shutdown`.
    pub async fn start(pool: PgPool, shutdown: CancellationToken) -> Result<DatabaseClock> {
        let clock = DatabaseClock {
            offset_us: Arc::new(AtomicI64::new(offset_us(&pool).await?)),
        };
        let offset = clock.offset_us.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(REFRESH) => {}
                }
                match offset_us(&pool).await {
                    Ok(us) => offset.store(us, Ordering::Relaxed),
                    // The last offset stays good for a while; clocks drift slowly.
                    Err(e) => tracing::warn!(error = %e, "reading the database clock failed"),
                }
            }
        });
        Ok(clock)
    }

    /// The database clock minus the host's, as last measured.
    pub fn offset(&self) -> chrono::Duration {
        chrono::Duration::microseconds(self.offset_us.load(Ordering::Relaxed))
    }
}

impl Clock for DatabaseClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset()
    }
}

/// The server's clock minus the host's, in microseconds.
async fn offset_us(pool: &PgPool) -> Result<i64> {
    let before = Utc::now();
    let server = sqlx::query_scalar!(r#"SELECT clock_timestamp() AS "now!""#)
        .fetch_one(pool)
        .await?;
    let after = Utc::now();
    let midpoint = before + (after - before) / 2;
    Ok((server - midpoint).num_microseconds().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_the_host_clock_plus_the_offset() {
        let clock = DatabaseClock {
            offset_us: Arc::new(AtomicI64::new(90 * 1_000_000)),
        };
        let drift = clock.now() - Utc::now();
        assert!(
            drift > chrono::Duration::seconds(89) && drift <= chrono::Duration::seconds(90),
            "{drift}"
        );
    }
}
