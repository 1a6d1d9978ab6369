//! Asking the router to do something now: a router timer due at once (the router is the
//! only writer of job state and the one that runs scans), then waiting until it has fired.
//! Used by `baton jobs resume|cancel|retry` and `baton scan pipeline`.

use std::time::{Duration, Instant};

use baton_platform::store;
use baton_schemas::OrgId;
use serde_json::Value;

/// Schedules a router timer of `kind` for `org`, due at once; returns its key.
pub(crate) async fn schedule(
    tx: &mut sqlx::PgConnection,
    org: &OrgId,
    kind: &str,
    payload: &Value,
) -> anyhow::Result<String> {
    let key = format!("cli:{}", uuid::Uuid::now_v7());
    let at_once = chrono::DateTime::UNIX_EPOCH;
    baton_platform::timers::schedule(tx, org, kind, &key, at_once, payload).await?;
    Ok(key)
}

/// Waits up to `wait_s` seconds for the timer to fire; false when it has not (the router is
/// not running), after saying so.
pub(crate) async fn fired(
    pool: &sqlx::PgPool,
    org: &OrgId,
    kind: &str,
    key: &str,
    wait_s: u64,
) -> anyhow::Result<bool> {
    let deadline = Instant::now() + Duration::from_secs(wait_s);
    loop {
        let mut tx = store::begin_for_org(pool, org).await?;
        let fired = sqlx::query_scalar!(
            "SELECT fired_at IS NOT NULL AS \"fired!\" FROM timers WHERE kind = $1 AND dedupe_key = $2",
            kind,
            key,
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(true);
        if fired {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            println!(
                "not applied yet: the router applies it when it runs (is `baton run router` up?)"
            );
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
