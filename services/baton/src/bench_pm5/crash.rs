//! PM5's crash check: variant A's closed loop while, once at least N/2 emails are sent, one
//! service process is killed with SIGKILL and restarted (its durable state kept) after a
//! pause (`Running::restart_after`). The run must still verify (every run completes, every
//! email sent once); it reports
//! restart → ready, recovery (kill → first email sent after the restart), kill → all runs
//! done, and the longest pause between two sends.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Plan, ms, setup::Running, variants};
use crate::ops::ServiceName;

/// What the kill did, and when.
struct Kill {
    /// Emails sent when the kill came.
    sent_before: i64,
    at: Instant,
    at_wall: DateTime<Utc>,
    restarted_wall: DateTime<Utc>,
    restart_to_ready: Duration,
}

pub async fn drive(r: &Running, plan: &Plan, victim: ServiceName) -> anyhow::Result<Value> {
    let ((load, ended), kill) = tokio::try_join!(
        variants::closed_loop(r, plan, None),
        kill_midway(r, plan, victim)
    )?;
    let like = plan.meetings_like();
    let first_after: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT min(sent_at) FROM sent_emails WHERE meeting_id LIKE $1 AND sent_at >= $2",
    )
    .bind(&like)
    .bind(kill.restarted_wall)
    .fetch_one(&r.owner)
    .await?;
    let longest_pause: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM max(gap))::float8 FROM (
           SELECT sent_at - lag(sent_at) OVER (ORDER BY sent_at) AS gap
           FROM sent_emails WHERE meeting_id LIKE $1) g",
    )
    .bind(&like)
    .fetch_one(&r.owner)
    .await?;
    let recovery = first_after.map(|t| ms((t - kill.at_wall).to_std().unwrap_or_default()));
    Ok(variants::merge(
        load,
        json!({
            "killed": victim.name(),
            "sent_before_kill": kill.sent_before,
            "restart_after_ms": ms(r.restart_after),
            "restart_to_ready_ms": ms(kill.restart_to_ready),
            "recovery_ms": recovery,
            "kill_to_all_done_ms": ms(ended.saturating_duration_since(kill.at)),
            "longest_pause_between_sends_ms": longest_pause.map(|s| ms(Duration::from_secs_f64(s.max(0.0)))),
        }),
    ))
}

/// Waits for N/2 sent emails, kills `victim`, restarts it after the pause.
async fn kill_midway(r: &Running, plan: &Plan, victim: ServiceName) -> anyhow::Result<Kill> {
    let like = plan.meetings_like();
    let half = (plan.n / 2).max(1) as i64;
    let started = Instant::now();
    let sent_before = loop {
        r.check_processes().await?;
        let sent: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sent_emails WHERE meeting_id LIKE $1")
                .bind(&like)
                .fetch_one(&r.owner)
                .await?;
        if sent >= half {
            break sent;
        }
        anyhow::ensure!(
            started.elapsed() < variants::RUN_TIMEOUT,
            "only {sent} of {half} emails sent within {}s: nothing to kill in the middle of",
            variants::RUN_TIMEOUT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let (at, at_wall) = (Instant::now(), Utc::now());
    r.kill(victim).await?;
    eprintln!("  killed {} (SIGKILL)", victim.name());
    tokio::time::sleep(r.restart_after).await;
    let restarted_wall = Utc::now();
    let restart_to_ready = r.restart(victim).await?;
    eprintln!(
        "  restarted {}: ready in {} ms",
        victim.name(),
        ms(restart_to_ready)
    );
    Ok(Kill {
        sent_before,
        at,
        at_wall,
        restarted_wall,
        restart_to_ready,
    })
}
