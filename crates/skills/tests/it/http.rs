//! The HTTP skill adapter against a local server speaking its wire format.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use baton_skills::{Endpoints, HttpSkill, Pricing, Registry, SkillError};
use serde_json::{Value, json};

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(HeaderMap, Value)>>>);

async fn handler(
    State(seen): State<Seen>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    seen.0.lock().unwrap().push((headers, body.clone()));
    match body["input"]["mode"].as_str().unwrap_or("ok") {
        "ok" => Json(json!({
            "output": {"echo": body["input"]["text"]},
            "usage": {"model": "m-1", "input_tokens": 120, "output_tokens": 30, "cost_usd": 0.0123}
        }))
        .into_response(),
        "429" => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "7")],
            "slow down",
        )
            .into_response(),
        "429-bare" => StatusCode::TOO_MANY_REQUESTS.into_response(),
        "500" => StatusCode::BAD_GATEWAY.into_response(),
        "400" => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "text is required"})),
        )
            .into_response(),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(json!({"output": {}})).into_response()
        }
        _ => (StatusCode::OK, "not json").into_response(),
    }
}

async fn server() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/skill", post(handler))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/skill", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn registry(url: &str) -> Registry {
    let http = HttpSkill {
        url: url.parse().unwrap(),
        timeout: Duration::from_millis(500),
        token: Some("s3cret".into()),
    };
    Registry::new(
        Endpoints {
            email: Some(http.clone()),
            skills: BTreeMap::from([("summarise-remote".to_string(), http)]),
            functions: BTreeMap::new(),
        },
        Pricing::default(),
    )
}

#[tokio::test]
async fn posts_with_idempotency_key_and_token_and_reads_usage() {
    let (url, seen) = server().await;
    let out = registry(&url)
        .run(
            "summarise-remote",
            "job-1:draft:1",
            &json!({"text": "hello"}),
        )
        .await
        .unwrap();
    assert_eq!(out.output, json!({"echo": "hello"}));
    assert_eq!(out.cost.usd_micros, 12_300);
    assert_eq!(out.cost.model, "m-1");
    let seen = seen.0.lock().unwrap();
    let (headers, body) = &seen[0];
    assert_eq!(headers["idempotency-key"], "job-1:draft:1");
    assert_eq!(headers["authorization"], "Bearer s3cret");
    assert_eq!(body["skill"], "summarise-remote");
    assert_eq!(body["idempotency_key"], "job-1:draft:1");
}

#[tokio::test]
async fn errors_say_whether_to_retry() {
    let (url, _) = server().await;
    let r = registry(&url);
    let run = |mode: &'static str| {
        let r = r.clone();
        async move {
            r.run("email-send-as-rep", "k", &json!({"mode": mode}))
                .await
                .unwrap_err()
        }
    };
    match run("429").await {
        SkillError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Duration::from_secs(7))
        }
        e => panic!("{e}"),
    }
    match run("429-bare").await {
        SkillError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Duration::from_secs(300))
        }
        e => panic!("{e}"),
    }
    let e = run("500").await;
    assert!(e.retryable() && e.to_string().contains("502"), "{e}");
    let e = run("400").await;
    assert!(
        !e.retryable() && e.to_string().contains("text is required"),
        "{e}"
    );
    let e = run("slow").await;
    assert!(e.retryable() && e.to_string().contains("within"), "{e}");
    let e = run("garbage").await;
    assert!(!e.retryable() && e.to_string().contains("expected"), "{e}");
    // Nothing listening: transient.
    let closed = registry("http://127.0.0.1:9/skill");
    let e = closed
        .run("email-send-as-rep", "k", &json!({}))
        .await
        .unwrap_err();
    assert!(e.retryable(), "{e}");
}
