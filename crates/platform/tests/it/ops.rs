//! `/livez`, `/readyz` and `/metrics` over real HTTP.

use baton_platform::http;
use baton_testkit::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn ops_endpoints_answer() {
    let db = TestDb::new().await;
    let pool = db.service_pool().await;
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let shutdown = CancellationToken::new();
    let readiness = http::Readiness {
        pool: pool.clone(),
        outbox_lag: None,
    };
    let server = tokio::spawn(http::serve(addr, readiness, None, shutdown.clone()));
    let _ = http::metrics_handle().unwrap();
    metrics::counter!("baton_ops_test_total").increment(3);
    let mut live = String::new();
    for _ in 0..50 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(addr).await {
            s.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            s.read_to_string(&mut live).await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        live.starts_with("HTTP/1.1 200") && live.ends_with("ok"),
        "{live}"
    );
    let ready = get(addr, "/readyz").await;
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let metrics = get(addr, "/metrics").await;
    assert!(metrics.contains("baton_ops_test_total 3"), "{metrics}");

    pool.close().await;
    let not_ready = get(addr, "/readyz").await;
    assert!(
        not_ready.starts_with("HTTP/1.1 503"),
        "readiness checks the database: {not_ready}"
    );
    shutdown.cancel();
    server.await.unwrap().unwrap();
}
