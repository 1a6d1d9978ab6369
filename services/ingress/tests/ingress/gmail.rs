//! Gmail pushes against the same local Google (OIDC keys, `users.history.list`,
//! `users.messages.get`, `users.watch`): the fixture's push, with a token the test signs with
//! its own key, fetches Maya's new message once and publishes it as `email_received`;
//! tokens signed by another key, for another audience or issuer or account, or expired are
//! refused; pushes delivered out of order publish each message once, and a message whose
//! push was dropped is found by the sweep; a start id Google no longer has falls back to the
//! day's inbox without publishing anything twice.

use std::sync::atomic::Ordering;

use base64::Engine as _;
use baton_core::clock::Clock;
use baton_platform::component::Component;
use baton_schemas::OrchestratorEvent;
use chrono::Duration;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::{
    calendar::{PUSH_ACCOUNT, PUSH_AUDIENCE, Setup, setup},
    data, fixture,
};

const MAYA: &str = "u_bl_maya";
const MAYA_MAIL: &str = "maya.okafor@brightlane.io";

/// An OIDC token as Pub/Sub would sign it, with `change` applied to the claims.
fn token(key: &[u8], change: impl FnOnce(&mut Value), now: i64) -> String {
    let mut claims = json!({
        "aud": PUSH_AUDIENCE,
        "iss": "https://accounts.google.com",
        "email": PUSH_ACCOUNT,
        "email_verified": true,
        "sub": "110169484474386276334",
        "iat": now - 10,
        "exp": now + 3590,
    });
    change(&mut claims);
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-kid-1".into());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(key).unwrap()).unwrap()
}

const KEY: &[u8] = include_bytes!("keys/google_test_key.pem");
const OTHER: &[u8] = include_bytes!("keys/other_test_key.pem");

/// A push for Maya's mailbox at `history`, message `id`, authorised by `bearer`.
fn push(bearer: &str, id: &str, history: u64) -> Value {
    let mut r = fixture("gmail_pubsub_push.json")["request"].clone();
    r["headers"]["Authorization"] = json!(format!("Bearer {bearer}"));
    let data = json!({ "emailAddress": MAYA_MAIL, "historyId": history }).to_string();
    r["body"]["message"]["data"] = json!(base64::engine::general_purpose::STANDARD.encode(data));
    r["body"]["message"]["messageId"] = json!(id);
    r["body"]["message"]["message_id"] = json!(id);
    r
}

/// A sample email as Gmail's API gives it (format `full`).
fn gmail_message(email_file: &str, id: &str) -> Value {
    let e: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("emails").join(email_file)).unwrap(),
    )
    .unwrap();
    let date = chrono::DateTime::parse_from_rfc3339(e["date"].as_str().unwrap()).unwrap();
    let list = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut headers = vec![
        json!({ "name": "From", "value": e["from"] }),
        json!({ "name": "To", "value": list(&e["to"]) }),
        json!({ "name": "Subject", "value": e["subject"] }),
        json!({ "name": "Date", "value": date.to_rfc2822() }),
        json!({ "name": "Message-ID", "value": format!("<{id}@mail.example.test>") }),
    ];
    if !e["cc"].as_array().unwrap().is_empty() {
        headers.push(json!({ "name": "Cc", "value": list(&e["cc"]) }));
    }
    let body = base64::engine::general_purpose::URL_SAFE.encode(e["body_text"].as_str().unwrap());
    json!({
        "id": id,
        "threadId": e["thread_id"],
        "labelIds": ["INBOX", "UNREAD"],
        "internalDate": date.timestamp_millis().to_string(),
        "payload": {
            "mimeType": "multipart/alternative",
            "headers": headers,
            "parts": [{ "mimeType": "text/plain", "body": { "data": body } }],
        },
    })
}

/// The `email_received` events published so far: (event id, Gmail message id).
async fn emails(s: &Setup) -> Vec<(String, String)> {
    let rows: Vec<Vec<u8>> = sqlx::query_scalar(
        r#"SELECT payload FROM bus_log WHERE topic = $1 ORDER BY appended_at, "offset""#,
    )
    .bind(format!("{}events", s.ing.prefix))
    .fetch_all(&s.ing.owner)
    .await
    .unwrap();
    rows.iter()
        .map(|p| baton_schemas::decode::<OrchestratorEvent>(p).unwrap())
        // Daniel's mailbox is connected too (and the local Google has one inbox for both).
        .filter(|e| e.event_type == "email_received" && e.user_id == MAYA)
        .map(|e| {
            assert_eq!(e.source, "webhook:email");
            (
                e.event_id,
                e.payload["email"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Maya connected, her mailbox watched and started (no backfill).
async fn maya() -> Setup {
    let s = setup().await;
    s.connect(MAYA, MAYA_MAIL, "1//refresh-maya").await;
    s.google.deliver(gmail_message("em_dev_001.json", "m_old"));
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    assert!(s.google.mail_watches.load(Ordering::SeqCst) >= 1);
    assert!(
        emails(&s).await.is_empty(),
        "mail from before the connection is not fetched"
    );
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_push_fetches_the_new_message_once() {
    let s = maya().await;
    let now = s.ing.clock.now().timestamp();
    s.google.deliver(gmail_message("em_dev_008.json", "m_008"));
    let good = token(KEY, |_| {}, now);
    // The fixture's body as sent (its historyId, Maya's mailbox), with a real token.
    let mut fixture_push = fixture("gmail_pubsub_push.json")["request"].clone();
    fixture_push["headers"]["Authorization"] = json!(format!("Bearer {good}"));
    for _ in 0..3 {
        assert_eq!(s.ing.send(&fixture_push, None).await, 200);
    }
    let pending: i64 = s
        .ing
        .count("SELECT count(*) FROM timers WHERE kind = 'sync:gmail' AND fired_at IS NULL")
        .await;
    assert_eq!(pending, 1, "one fetch for the push, however often sent");
    s.syncer.fire_due_timers().await.unwrap();
    let got = emails(&s).await;
    assert_eq!(
        got.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>(),
        ["m_008"]
    );
    let e: Value = {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar("SELECT payload FROM bus_log")
            .fetch_all(&s.ing.owner)
            .await
            .unwrap();
        rows.iter()
            .filter_map(|p| baton_schemas::decode::<OrchestratorEvent>(p).ok())
            .find(|e| e.event_type == "email_received" && e.user_id == MAYA)
            .unwrap()
            .payload["email"]
            .clone()
    };
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("emails/em_dev_008.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(e["body_text"], truth["body_text"]);
    assert_eq!(e["subject"], truth["subject"]);
    assert_eq!(e["from"], truth["from"]);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(e["date"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(truth["date"].as_str().unwrap()).unwrap()
    );
    // Another push with nothing new publishes nothing.
    assert_eq!(s.ing.send(&push(&good, "999", 99_999_999), None).await, 200);
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(emails(&s).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_forged_stale_and_misaddressed_tokens_are_refused() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let s = maya().await;
    let now = s.ing.clock.now().timestamp();
    let cases: Vec<(&str, String)> = vec![
        ("signed by another key", token(OTHER, |_| {}, now)),
        (
            "for another audience",
            token(
                KEY,
                |c| c["aud"] = json!("https://elsewhere.test/push"),
                now,
            ),
        ),
        (
            "from another issuer",
            token(KEY, |c| c["iss"] = json!("https://evil.example"), now),
        ),
        (
            "for another account",
            token(KEY, |c| c["email"] = json!("someone@evil.example"), now),
        ),
        (
            "with the email unverified",
            token(KEY, |c| c["email_verified"] = json!(false), now),
        ),
        ("expired", token(KEY, |c| c["exp"] = json!(now - 3600), now)),
        ("not a JWT", "not.a.jwt".into()),
    ];
    for (i, (what, bearer)) in cases.iter().enumerate() {
        let status = s
            .ing
            .send(&push(bearer, &format!("f{i}"), 8_841_600), None)
            .await;
        assert_eq!(status, 401, "a token {what}");
    }
    let mut missing = push("x", "f-missing", 8_841_600);
    missing["headers"]
        .as_object_mut()
        .unwrap()
        .remove("Authorization");
    assert_eq!(s.ing.send(&missing, None).await, 401);
    // Authentic but malformed: 400; authentic for a mailbox Baton does not know: skipped.
    let good = token(KEY, |_| {}, now);
    let mut bad = push(&good, "f-bad", 1);
    bad["body"]["message"]["data"] = json!("%%%");
    assert_eq!(s.ing.send(&bad, None).await, 400);
    let mut stranger = push(&good, "f-stranger", 1);
    let data = json!({ "emailAddress": "nobody@elsewhere.test", "historyId": 5 }).to_string();
    stranger["body"]["message"]["data"] =
        json!(base64::engine::general_purpose::STANDARD.encode(data));
    assert_eq!(s.ing.send(&stranger, None).await, 200);
    let receipts: Vec<(String, String)> = sqlx::query_as(
        "SELECT dedupe_key, outcome FROM webhook_receipts WHERE provider = 'gmail' ORDER BY dedupe_key",
    )
    .fetch_all(&s.ing.owner)
    .await
    .unwrap();
    assert_eq!(
        receipts,
        vec![("f-stranger".to_string(), "skipped".to_string())]
    );
    let fetches: i64 = s
        .ing
        .count("SELECT count(*) FROM timers WHERE kind = 'sync:gmail' AND dedupe_key LIKE 'push:%'")
        .await;
    assert_eq!(fetches, 0);
    let rendered = metrics.render();
    assert_eq!(
        super::counted(&rendered, "gmail", "unauthorized"),
        8,
        "{rendered}"
    );
    assert_eq!(super::counted(&rendered, "gmail", "malformed"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shuffled_pushes_publish_each_message_once_and_the_sweep_finds_a_dropped_one() {
    let s = maya().await;
    let now = s.ing.clock.now().timestamp();
    let good = token(KEY, |_| {}, now);
    let files = [
        "em_dev_002.json",
        "em_dev_003.json",
        "em_dev_004.json",
        "em_dev_005.json",
    ];
    let mut pushes = Vec::new();
    for i in 0..19 {
        s.google
            .deliver(gmail_message(files[i % files.len()], &format!("m_{i:02}")));
        let history = s.google.mail.lock().unwrap().last().unwrap().0;
        pushes.push(push(&good, &format!("p{i}"), history));
    }
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    order.sort_by_key(|i| (i % 4, std::cmp::Reverse(*i)));
    for i in order {
        assert_eq!(s.ing.send(&pushes[i], None).await, 200);
        s.syncer.fire_due_timers().await.unwrap();
    }
    let got = emails(&s).await;
    assert_eq!(got.len(), 19, "each message once");
    // The twentieth message's push is dropped: the sweep publishes exactly it.
    s.google.deliver(gmail_message("em_dev_006.json", "m_19"));
    s.ing.clock.advance(Duration::seconds(
        s.ing.config.google.sweep_every_s as i64 + 1,
    ));
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    let after = emails(&s).await;
    assert_eq!(after.len(), 20);
    assert_eq!(after[19].1, "m_19");
    let mut ids: Vec<&String> = after.iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_id_google_no_longer_has_falls_back_to_the_days_inbox() {
    let s = maya().await;
    s.google.deliver(gmail_message("em_dev_002.json", "m_a"));
    let good = token(KEY, |_| {}, s.ing.clock.now().timestamp());
    assert_eq!(s.ing.send(&push(&good, "q1", 8_841_503), None).await, 200);
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(emails(&s).await.len(), 1);
    // Google drops the history from before now; a new message arrives.
    *s.google.oldest_history.lock().unwrap() = 9_000_000;
    s.google.deliver(gmail_message("em_dev_003.json", "m_b"));
    assert_eq!(s.ing.send(&push(&good, "q2", 8_841_506), None).await, 200);
    s.syncer.fire_due_timers().await.unwrap();
    let got = emails(&s).await;
    let new: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
    assert!(new.contains(&"m_b"), "{new:?}");
    // What the listing finds again is not published again.
    assert_eq!(new.iter().filter(|m| **m == "m_a").count(), 1, "{new:?}");
    let mut ids: Vec<&String> = got.iter().map(|(id, _)| id).collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "{got:?}");
}
