//! Ops endpoints, one listener per process whatever services it runs: `/metrics`
//! (Prometheus), `/livez` (the process is up; no dependency checks) and `/readyz` (the
//! database answers, every background part says it is ready — see [`crate::health`] — and,
//! in Kafka mode, the outbox relay is not behind).

use std::{net::SocketAddr, sync::OnceLock, time::Duration};

use axum::{Router, extract::State, http::StatusCode, routing::get};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::config::{BusKind, Config};

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    if let Some(h) = RECORDER.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new().install_recorder()?;
    Ok(RECORDER.get_or_init(|| handle).clone())
}

/// What `/readyz` checks.
#[derive(Clone)]
pub struct Readiness {
    pub pool: PgPool,
    /// Not ready while the oldest unsent outbox message is older than this (Kafka mode,
    /// where a relay publishes the outbox); None to skip the check.
    pub outbox_lag: Option<Duration>,
}

impl Readiness {
    /// Readiness as `config` describes it, on `pool`.
    pub fn for_config(pool: PgPool, config: &Config) -> Self {
        Readiness {
            pool,
            outbox_lag: (config.bus.kind == BusKind::Kafka)
                .then(|| Duration::from_millis(config.http.ready_outbox_lag_ms)),
        }
    }

    /// Every reason the process is not ready; empty when it is. Never a raw database
    /// error (it is logged instead): the endpoint may be reachable by more people than the
    /// logs are.
    pub async fn problems(&self) -> Vec<String> {
        let mut problems = crate::health::process().problems();
        if let Err(e) = sqlx::query!("SELECT 1 AS ready")
            .fetch_one(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "readiness: the database did not answer");
            problems.insert(0, "database: not answering".into());
            return problems;
        }
        if let Some(max) = self.outbox_lag {
            match oldest_unsent(&self.pool).await {
                Ok(Some(age)) if age > max => problems.push(format!(
                    "outbox: the oldest unsent message is {} s old (limit {} s)",
                    age.as_secs(),
                    max.as_secs()
                )),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "readiness: reading the outbox failed");
                    problems.push("outbox: cannot be read".into());
                }
            }
        }
        problems
    }
}

/// How long the oldest unsent outbox message has waited.
async fn oldest_unsent(pool: &PgPool) -> Result<Option<Duration>, sqlx::Error> {
    // Every org's rows, through the function that may read them (migration 0015).
    let ms = sqlx::query_scalar!("SELECT baton_outbox_lag_ms()")
        .fetch_one(pool)
        .await?;
    Ok(ms.map(|ms| Duration::from_millis(ms.max(0) as u64)))
}

#[derive(Clone)]
struct Ops {
    metrics: PrometheusHandle,
    readiness: Readiness,
    /// The database's gauges, in a process that runs the router.
    db: Option<std::sync::Arc<crate::db_metrics::DbGauges>>,
}

pub fn router(readiness: Readiness) -> anyhow::Result<Router> {
    router_with(readiness, None)
}

/// The ops endpoints; with `db`, `/metrics` also reports the database's gauges.
pub fn router_with(
    readiness: Readiness,
    db: Option<crate::db_metrics::DbGauges>,
) -> anyhow::Result<Router> {
    let state = Ops {
        metrics: metrics_handle()?,
        readiness,
        db: db.map(std::sync::Arc::new),
    };
    Ok(Router::new()
        .route(
            "/metrics",
            get(|State(s): State<Ops>| async move {
                if let Some(db) = &s.db {
                    db.refresh().await;
                }
                s.metrics.render()
            }),
        )
        .route("/livez", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(|State(s): State<Ops>| async move {
                let problems = s.readiness.problems().await;
                if problems.is_empty() {
                    (StatusCode::OK, "ready".to_string())
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n"))
                }
            }),
        )
        .with_state(state))
}

/// Serves the ops endpoints on `addr` until `shutdown` (with the database's gauges when `db`).
pub async fn serve(
    addr: SocketAddr,
    readiness: Readiness,
    db: Option<crate::db_metrics::DbGauges>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("http.listen {addr}: {e}"))?;
    tracing::info!(%addr, "ops endpoints listening");
    axum::serve(listener, router_with(readiness, db)?)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
    Ok(())
}

/// The process's ops listener, when `http.listen` is set: a small pool of its own (as
/// `services[0]`, connecting when asked, so the listener is up while the database is not)
/// and serves until `shutdown`. Each of `services` is not ready ("starting") until its
/// launch says it started (see [`crate::component::launch`]). A listener that cannot bind
/// cancels `shutdown` (the process exits non-zero with the address named).
pub async fn spawn_for_process(
    config: &Config,
    services: &[&str],
    shutdown: &CancellationToken,
) -> anyhow::Result<Option<tokio::task::JoinHandle<anyhow::Result<()>>>> {
    for s in services {
        crate::health::process().not_ready(s, crate::health::STARTING);
    }
    let Some(addr) = config.http.listen else {
        return Ok(None);
    };
    // The recorder first: a series registered before it exists is lost.
    metrics_handle()?;
    crate::deferrals::register();
    let service = services
        .first()
        .ok_or_else(|| anyhow::anyhow!("a process runs at least one service"))?;
    let mut db = config.database.clone();
    db.max_connections = 2;
    let pool = crate::store::connect_lazy(&crate::store::service_database(&db, service)?)?;
    // The database's gauges are reported by the router's processes only: once per replica.
    let gauges = services
        .contains(&"router")
        .then(|| crate::db_metrics::DbGauges::new(pool.clone()));
    let readiness = Readiness::for_config(pool, config);
    let shutdown = shutdown.clone();
    Ok(Some(tokio::spawn(async move {
        let served = serve(addr, readiness, gauges, shutdown.clone()).await;
        if served.is_err() {
            shutdown.cancel();
        }
        served
    })))
}
