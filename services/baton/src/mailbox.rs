//! A local stand-in for the email provider, for `baton demo` and `baton bench approvals`.

use std::sync::{Arc, Mutex};

use anyhow::Context;
use serde_json::{Value, json};

/// A local stand-in for the email provider: speaks the HTTP skill protocol
/// (`{output: …}`), records each request with its Idempotency-Key, sends nothing.
pub struct Mailbox {
    pub url: String,
    sends: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Mailbox {
    pub async fn start() -> anyhow::Result<Mailbox> {
        use axum::{Json, extract::State, http::HeaderMap, routing::post};
        type Sends = Arc<Mutex<Vec<(String, Value)>>>;
        let sends: Sends = Arc::default();
        let app = axum::Router::new()
            .route(
                "/send",
                post(
                    |State(s): State<Sends>, h: HeaderMap, Json(body): Json<Value>| async move {
                        let key = h
                            .get("idempotency-key")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string();
                        let mut sends = s.lock().unwrap_or_else(|e| e.into_inner());
                        // The provider applies a key once.
                        let first = !sends.iter().any(|(k, _)| *k == key);
                        if first {
                            sends.push((key.clone(), body));
                        }
                        Json(json!({ "output": { "message_id": format!("demo-{}", sends.len()), "status": "sent" } }))
                    },
                ),
            )
            .with_state(sends.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("opening a local port for the demo's email provider")?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Mailbox {
            url: format!("http://{addr}/send"),
            sends,
        })
    }

    pub fn sends(&self) -> Vec<(String, Value)> {
        self.sends.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
