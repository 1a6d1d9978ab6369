//! With `telemetry.otlp_endpoint` set, spans reach an OTLP/HTTP receiver.

use std::sync::{Arc, Mutex};

use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
use baton_platform::{config::TelemetryConfig, telemetry};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_are_exported_over_otlp_http() {
    let received: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
    let app = Router::new().route(
        "/v1/traces",
        post({
            let received = received.clone();
            move |headers: HeaderMap, body: Bytes| async move {
                let ct = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                received.lock().unwrap().push((ct, body.len()));
                ""
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let config = TelemetryConfig {
        otlp_endpoint: Some(format!("http://{addr}")),
        ..TelemetryConfig::default()
    };
    let guard = telemetry::init("it", &config).unwrap();
    tracing::info_span!("exported work", job_id = "j-1").in_scope(|| tracing::info!("inside"));
    // Dropping the guard flushes the batch exporter (a blocking call).
    tokio::task::spawn_blocking(move || drop(guard))
        .await
        .unwrap();

    let got = received.lock().unwrap().clone();
    assert!(!got.is_empty(), "the receiver got an export");
    assert_eq!(got[0].0, "application/x-protobuf");
    assert!(got[0].1 > 0);
}
