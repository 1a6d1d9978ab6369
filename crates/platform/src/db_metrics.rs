//! The gauges `/metrics` reads from the database: jobs by org and status, open gates and the
//! oldest one's age, this month's AI spend against the budget, the outbox's depth and the
//! embedded bus's consumer lag. One call of `baton_metrics_sample()` (migration 0033) across
//! orgs, made when Prometheus scrapes — at most once per [`MIN_INTERVAL`] however often it
//! does — by the ops listener of a process that runs the router, so a deployment reports
//! them once per router replica (dashboards take `max`).
//!
//! A label set that is gone from the database (an org's last open gate decided) is set to 0,
//! not left at its last value.

use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

use sqlx::PgPool;
use tokio::sync::Mutex;

/// Scrapes closer together than this reuse the last reading.
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);

/// A series and its labels, as set last time.
type Series = (&'static str, Vec<(&'static str, String)>);

pub struct DbGauges {
    pool: PgPool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    read_at: Option<Instant>,
    set: HashSet<Series>,
}

impl DbGauges {
    pub fn new(pool: PgPool) -> Self {
        DbGauges {
            pool,
            state: Mutex::default(),
        }
    }

    /// Reads the database unless it was read less than [`MIN_INTERVAL`] ago; a failed read
    /// is logged and leaves the gauges as they were.
    pub async fn refresh(&self) {
        let mut state = self.state.lock().await;
        if state.read_at.is_some_and(|t| t.elapsed() < MIN_INTERVAL) {
            return;
        }
        state.read_at = Some(Instant::now());
        let rows = match sqlx::query!(
            r#"SELECT series AS "series!", a AS "a!", b AS "b!", c AS "c!", value AS "value!"
               FROM baton_metrics_sample()"#
        )
        .fetch_all(&self.pool)
        .await
        {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "metrics: reading the database's gauges failed");
                return;
            }
        };
        let mut now = HashSet::new();
        let mut spend = Vec::new();
        let mut budget = Vec::new();
        for r in rows {
            let Some(series) = series(&r.series, r.a, r.b, r.c) else {
                continue;
            };
            match series.0 {
                "baton_ai_spend_usd" => spend.push((series.1[0].1.clone(), r.value)),
                "baton_ai_budget_usd" => budget.push((series.1[0].1.clone(), r.value)),
                _ => {}
            }
            set(&series, r.value);
            now.insert(series);
        }
        for (org, spent) in &spend {
            let limit = budget.iter().find(|(o, _)| o == org).map_or(0.0, |b| b.1);
            if limit > 0.0 {
                let s: Series = ("baton_ai_budget_used_ratio", vec![("org", org.clone())]);
                set(&s, spent / limit);
                now.insert(s);
            }
        }
        for gone in state.set.difference(&now) {
            set(gone, 0.0);
        }
        state.set = now;
    }
}

fn set((name, labels): &Series, value: f64) {
    metrics::gauge!(*name, labels).set(value);
}

/// The Prometheus series a row of `baton_metrics_sample()` is.
fn series(kind: &str, a: String, b: String, c: String) -> Option<Series> {
    Some(match kind {
        "jobs" => ("baton_jobs", vec![("org", a), ("status", b)]),
        "gates_pending" => ("baton_gates_pending", vec![("org", a)]),
        "gate_oldest_pending_age_seconds" => {
            ("baton_gate_oldest_pending_age_seconds", vec![("org", a)])
        }
        "ai_spend_usd" => ("baton_ai_spend_usd", vec![("org", a)]),
        "ai_budget_usd" => ("baton_ai_budget_usd", vec![("org", a)]),
        "outbox_depth" => ("baton_outbox_depth_messages", vec![]),
        "consumer_lag" => (
            "baton_consumer_lag_messages",
            vec![("group", a), ("topic", b), ("partition", c)],
        ),
        other => {
            tracing::debug!(
                series = other,
                "metrics: a database series this build does not know"
            );
            return None;
        }
    })
}
