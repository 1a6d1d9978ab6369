//! The fault run's email provider: an HTTP endpoint speaking Baton's HTTP-skill protocol
//! (`POST {skill, idempotency_key, input}` → `{output}`) that performs PM5's effect — the
//! specification's `INSERT … ON CONFLICT … attempts + 1` into `sent_emails` — and honours the
//! `Idempotency-Key` header as real providers do: a key seen before gets the first answer
//! again and no second effect. So a duplicate row can only come from the caller sending one
//! email under two keys. For a while it can fail the way providers do: 500s (nothing done),
//! or answering too late (the effect done, the answer lost — the case that tempts a caller
//! to send again under a fresh key).

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

/// How much longer than the caller's timeout a "timeout" answer takes.
pub const LATE_BY: Duration = Duration::from_secs(3);

/// What the endpoint does with the next request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Healthy = 0,
    /// 500 before doing anything.
    Failing = 1,
    /// The effect done, the answer only after `LATE_BY` (past the caller's timeout).
    Late = 2,
}

/// The running endpoint; its mode can be changed while it runs.
#[derive(Clone)]
pub struct EmailEndpoint {
    pub url: String,
    mode: Arc<AtomicU8>,
}

#[derive(Clone)]
struct Shared {
    pool: PgPool,
    mode: Arc<AtomicU8>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS pm5_email_requests (
  idempotency_key text PRIMARY KEY, meeting_id text NOT NULL, answer jsonb NOT NULL);";

impl EmailEndpoint {
    /// Serves on a free loopback port until `stop`; `pool` is the run's database (the
    /// database's owner, as a provider's own store would be).
    pub async fn start(pool: PgPool, stop: CancellationToken) -> anyhow::Result<EmailEndpoint> {
        sqlx::raw_sql(SCHEMA).execute(&pool).await?;
        let mode = Arc::new(AtomicU8::new(Mode::Healthy as u8));
        let app = Router::new().route("/send", post(send)).with_state(Shared {
            pool,
            mode: mode.clone(),
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}/send", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop.cancelled_owned())
                .await;
        });
        Ok(EmailEndpoint { url, mode })
    }

    pub fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::Relaxed);
    }
}

async fn send(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mode = s.mode.load(Ordering::Relaxed);
    if mode == Mode::Failing as u8 {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "injected failure");
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let input = &body["input"];
    let (Some(key), Some(meeting), Some(text)) = (
        key,
        input["meeting_id"].as_str(),
        input["draft"]["body"].as_str(),
    ) else {
        return error(
            StatusCode::BAD_REQUEST,
            "needs an Idempotency-Key header, input.meeting_id and input.draft.body",
        );
    };
    let answer = match effect(&s.pool, &key, meeting, text).await {
        Ok(a) => a,
        // The provider's own store is down (the run restarts PostgreSQL): a 503 a caller
        // retries.
        Err(_) => return error(StatusCode::SERVICE_UNAVAILABLE, "store unavailable"),
    };
    if mode == Mode::Late as u8 {
        tokio::time::sleep(LATE_BY).await;
    }
    (StatusCode::OK, Json(json!({ "output": answer })))
}

/// The effect under the key, once: the first answer for a key seen before.
async fn effect(pool: &PgPool, key: &str, meeting: &str, text: &str) -> sqlx::Result<Value> {
    let mut tx = pool.begin().await?;
    let seen: Option<Value> = sqlx::query_scalar(
        "SELECT answer FROM pm5_email_requests WHERE idempotency_key = $1 FOR UPDATE",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(answer) = seen {
        return Ok(answer);
    }
    let attempts: i32 = sqlx::query_scalar(baton_skills::pm5::SEND_EMAIL_SQL)
        .bind(meeting)
        .bind(text)
        .fetch_one(&mut *tx)
        .await?;
    let answer = json!({ "sent": true, "meeting_id": meeting, "attempts": attempts });
    // Two first requests for one key at once: the loser's insert conflicts and its
    // transaction (with its effect) rolls back, so it answers 503 and the retry sees the key.
    sqlx::query(
        "INSERT INTO pm5_email_requests (idempotency_key, meeting_id, answer) VALUES ($1, $2, $3)",
    )
    .bind(key)
    .bind(meeting)
    .bind(&answer)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(answer)
}

fn error(status: StatusCode, message: &str) -> (StatusCode, Json<Value>) {
    (status, Json(json!({ "error": message })))
}
