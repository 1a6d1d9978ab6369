//! Ops endpoints every service serves: `/metrics` (Prometheus), `/livez` (the process is
//! up; no dependency checks) and `/readyz` (the database answers).

use std::{net::SocketAddr, sync::OnceLock};

use axum::{Router, extract::State, http::StatusCode, routing::get};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    if let Some(h) = RECORDER.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new().install_recorder()?;
    Ok(RECORDER.get_or_init(|| handle).clone())
}

#[derive(Clone)]
struct Ops {
    metrics: PrometheusHandle,
    pool: PgPool,
}

pub fn router(pool: PgPool) -> anyhow::Result<Router> {
    let state = Ops {
        metrics: metrics_handle()?,
        pool,
    };
    Ok(Router::new()
        .route(
            "/metrics",
            get(|State(s): State<Ops>| async move { s.metrics.render() }),
        )
        .route("/livez", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(|State(s): State<Ops>| async move {
                match sqlx::query!("SELECT 1 AS ready").fetch_one(&s.pool).await {
                    Ok(_) => (StatusCode::OK, "ready".to_string()),
                    Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}")),
                }
            }),
        )
        .with_state(state))
}

/// Serves the ops endpoints on `addr` until `shutdown`.
pub async fn serve(
    addr: SocketAddr,
    pool: PgPool,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "ops endpoints listening");
    axum::serve(listener, router(pool)?)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
    Ok(())
}
