//! Microsoft Graph against a local server speaking Graph's wire format (the v2.0 token
//! endpoint, messages, the inbox delta with next and delta links, subscriptions): the
//! validation handshake is echoed as text/plain; the upkeep subscribes Tom's inbox; the
//! fixture's notification (with its subscription's clientState) fetches the message once and
//! publishes it; a wrong clientState or an unknown subscription is 401 and records nothing;
//! lifecycle events renew, re-create, or run the delta; notifications replayed out of order
//! publish each message once, and the sweep publishes exactly the one whose notification
//! was dropped.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, patch, post},
};
use baton_ingress::microsoft::mail::Mailboxes;
use baton_platform::{component::Component, config::Config, service::Service};
use baton_schemas::{OrchestratorEvent, OrgId};
use chrono::Duration;
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::Digest;

use super::{Running, data, fixture, start_with};

const ACCESS: &str = "eyJ0eXAi.graph-access";
const TOM: &str = "u_bl_tom";
const TOM_MAIL: &str = "tom.becker@brightlane.io";
const K1: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

#[derive(Default)]
struct FakeGraph {
    /// The inbox, oldest first.
    inbox: Mutex<Vec<Value>>,
    subscriptions: Mutex<Vec<Value>>,
    renewals: Mutex<Vec<(String, Value)>>,
}

fn refused(h: &HeaderMap) -> Option<Response> {
    if h.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {ACCESS}")) {
        return None;
    }
    let e = json!({ "error": { "code": "InvalidAuthenticationToken", "message": "Access token is empty." } });
    Some((StatusCode::UNAUTHORIZED, Json(e)).into_response())
}

async fn token(Path(_tenant): Path<String>, body: String) -> Response {
    let form: BTreeMap<String, String> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    if !form
        .get("refresh_token")
        .is_some_and(|t| t.starts_with("msrt-"))
    {
        let e = json!({ "error": "invalid_grant", "error_description": "AADSTS70000: The refresh token was revoked." });
        return (StatusCode::BAD_REQUEST, Json(e)).into_response();
    }
    Json(json!({ "token_type": "Bearer", "scope": "Mail.Read", "expires_in": 3599, "access_token": ACCESS })).into_response()
}

async fn message(
    State(g): State<Arc<FakeGraph>>,
    Path((_user, id)): Path<(String, String)>,
    h: HeaderMap,
) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    assert_eq!(
        h.get("prefer").unwrap(),
        "outlook.body-content-type=\"text\""
    );
    match g
        .inbox
        .lock()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id.as_str())
    {
        Some(m) => Json(m.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": { "code": "ErrorItemNotFound" } })),
        )
            .into_response(),
    }
}

/// The inbox delta: a new query gives everything so far, then links carry the position;
/// two messages a page.
async fn delta(State(g): State<Arc<FakeGraph>>, h: HeaderMap, uri: Uri) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    let q: BTreeMap<String, String> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let inbox = g.inbox.lock().unwrap();
    let from: usize = q.get("from").map_or(0, |f| f.parse().unwrap());
    let base = format!("http://{}{}", h["host"].to_str().unwrap(), uri.path());
    let page: Vec<Value> = inbox.iter().skip(from).take(2).cloned().collect();
    let mut body = json!({ "value": page });
    if from + 2 < inbox.len() {
        body["@odata.nextLink"] = json!(format!("{base}?from={}", from + 2));
    } else {
        body["@odata.deltaLink"] = json!(format!("{base}?from={}", inbox.len()));
    }
    Json(body).into_response()
}

async fn subscribe(
    State(g): State<Arc<FakeGraph>>,
    h: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    let mut subs = g.subscriptions.lock().unwrap();
    let id = format!("sub-{}", subs.len() + 1);
    let mut created = body.clone();
    created["id"] = json!(id);
    subs.push(created.clone());
    (StatusCode::CREATED, Json(created)).into_response()
}

async fn renew(
    State(g): State<Arc<FakeGraph>>,
    Path(id): Path<String>,
    h: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    g.renewals.lock().unwrap().push((id.clone(), body.clone()));
    Json(json!({ "id": id, "expirationDateTime": body["expirationDateTime"] })).into_response()
}

async fn fake_graph() -> (String, Arc<FakeGraph>) {
    let g = Arc::new(FakeGraph::default());
    let app = Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/v1.0/users/{user}/messages/{id}", get(message))
        .route("/v1.0/users/{user}/{folder}/messages/delta", get(delta))
        .route("/v1.0/subscriptions", post(subscribe))
        .route("/v1.0/subscriptions/{id}", patch(renew))
        .with_state(g.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, g)
}

/// A sample email as Graph gives it, with message id `id`.
fn graph_message(email_file: &str, id: &str) -> Value {
    let e: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("emails").join(email_file)).unwrap(),
    )
    .unwrap();
    let who = |s: &str| {
        let (name, addr) = s
            .rsplit_once(" <")
            .map_or(("", s), |(n, a)| (n, a.trim_end_matches('>')));
        json!({ "emailAddress": { "name": name, "address": addr } })
    };
    let list = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| who(a.as_str().unwrap()))
            .collect::<Vec<_>>()
    };
    json!({
        "id": id,
        "conversationId": e["thread_id"],
        "internetMessageId": format!("<{id}@outlook.example.test>"),
        "subject": e["subject"],
        "from": who(e["from"].as_str().unwrap()),
        "toRecipients": list(&e["to"]),
        "ccRecipients": list(&e["cc"]),
        "receivedDateTime": chrono::DateTime::parse_from_rfc3339(e["date"].as_str().unwrap()).unwrap().to_utc().to_rfc3339(),
        "body": { "contentType": "text", "content": e["body_text"] },
    })
}

struct Setup {
    ing: Running,
    graph: Arc<FakeGraph>,
    mailboxes: Mailboxes,
}

async fn setup() -> Setup {
    let (url, graph) = fake_graph().await;
    let configure = |c: &mut Config| {
        c.microsoft.oauth_base_url = url.clone();
        c.microsoft.graph_base_url = format!("{url}/v1.0");
        c.microsoft.client_id = Some("baton-graph-client".into());
        c.microsoft.client_secret = Some(SecretString::from("graph-secret".to_string()));
        c.ingress.public_url = Some("https://baton.example.test".into());
        c.connections
            .keys
            .insert("k1".into(), SecretString::from(K1.to_string()));
        c.connections.active_key = Some("k1".into());
    };
    let ing = start_with(1024 * 1024, configure).await;
    let org: OrgId = "org_brightlane".parse().unwrap();
    let keys = baton_platform::connections::Keyring::new(&ing.config.connections).unwrap();
    let owner = Service::start_as_owner("test", &ing.config).await.unwrap();
    let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
        .await
        .unwrap();
    baton_platform::connections::store::add(
        &mut tx,
        &keys,
        &org,
        baton_platform::connections::Provider::Microsoft,
        TOM_MAIL,
        Some(TOM),
        &json!({ "refresh_token": "msrt-tom" }),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let svc = Service::start(baton_ingress::NAME, &ing.config)
        .await
        .unwrap()
        .with_clock(ing.clock.clone());
    let mailboxes = Mailboxes::new(svc, &ing.config).unwrap().unwrap();
    // An old message: no backfill.
    graph
        .inbox
        .lock()
        .unwrap()
        .push(graph_message("em_dev_029.json", "AAMk-old"));
    mailboxes.sweep().await.unwrap();
    mailboxes.fire_due_timers().await.unwrap();
    let s = Setup {
        ing,
        graph,
        mailboxes,
    };
    assert!(s.emails().await.is_empty());
    s
}

impl Setup {
    /// Tom's `email_received` events: (event id, Graph message id).
    async fn emails(&self) -> Vec<(String, String)> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(
            r#"SELECT payload FROM bus_log WHERE topic = $1 ORDER BY appended_at, "offset""#,
        )
        .bind(format!("{}events", self.ing.prefix))
        .fetch_all(&self.ing.owner)
        .await
        .unwrap();
        rows.iter()
            .map(|p| baton_schemas::decode::<OrchestratorEvent>(p).unwrap())
            .filter(|e| e.event_type == "email_received")
            .map(|e| {
                assert_eq!(
                    (e.user_id.as_str(), e.source.as_str()),
                    (TOM, "webhook:email")
                );
                (
                    e.event_id,
                    e.payload["email"]["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The subscription the upkeep created, with its clientState (as Graph would echo it).
    fn subscription(&self) -> (String, String) {
        let subs = self.graph.subscriptions.lock().unwrap();
        let s = subs.last().expect("a subscription");
        (
            s["id"].as_str().unwrap().into(),
            s["clientState"].as_str().unwrap().into(),
        )
    }

    /// A change notification for message `id` on the upkeep's subscription.
    fn notification(&self, id: &str) -> Value {
        let (sub, state) = self.subscription();
        let mut r = fixture("msgraph_message_created.json")["request"].clone();
        let n = &mut r["body"]["value"][0];
        n["subscriptionId"] = json!(sub);
        n["clientState"] = json!(state);
        n["resourceData"]["id"] = json!(id);
        n["resourceData"]["@odata.etag"] = json!(format!("W/\"{id}\""));
        r
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_is_echoed_and_a_notification_fetches_its_message_once() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let s = setup().await;
    // Validation: 200 text/plain, the decoded token.
    let v = fixture("msgraph_validation_request.json");
    let resp = reqwest::Client::new()
        .post(format!(
            "{}{}",
            s.ing.url,
            v["request"]["path"].as_str().unwrap()
        ))
        .header("content-type", "text/plain; charset=utf-8")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/plain");
    assert_eq!(
        resp.text().await.unwrap(),
        v["_meta"]["expected_response"]["body"].as_str().unwrap()
    );

    // The upkeep subscribed Tom's inbox at the public address.
    let subs = s.graph.subscriptions.lock().unwrap().clone();
    assert_eq!(subs.len(), 1);
    assert_eq!(
        subs[0]["notificationUrl"],
        "https://baton.example.test/webhooks/msgraph"
    );
    assert_eq!(
        subs[0]["resource"],
        "/users/tom.becker@brightlane.io/mailFolders('inbox')/messages"
    );

    // The fixture's notification, on a subscription with the fixture's clientState.
    let f = fixture("msgraph_message_created.json");
    let n = &f["request"]["body"]["value"][0];
    let org: OrgId = "org_brightlane".parse().unwrap();
    let owner = Service::start_as_owner("test", &s.ing.config)
        .await
        .unwrap();
    let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO graph_subscriptions (subscription_id, org_id, user_id, client_state_sha256, expires_at)
         VALUES ($1, 'org_brightlane', $2, $3, now() + interval '2 days')",
    )
    .bind(n["subscriptionId"].as_str().unwrap())
    .bind(TOM)
    .bind(sha2::Sha256::digest(n["clientState"].as_str().unwrap().as_bytes()).to_vec())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let id = n["resourceData"]["id"].as_str().unwrap();
    s.graph
        .inbox
        .lock()
        .unwrap()
        .push(graph_message("em_dev_030.json", id));
    for _ in 0..3 {
        assert_eq!(s.ing.send(&f["request"], None).await, 202);
    }
    s.mailboxes.fire_due_timers().await.unwrap();
    let got = s.emails().await;
    assert_eq!(
        got.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>(),
        [id]
    );

    // Forged: another clientState, an unknown subscription; nothing recorded.
    let before: i64 = s
        .ing
        .count("SELECT count(*) FROM webhook_receipts WHERE provider = 'msgraph'")
        .await;
    let mut forged = f["request"].clone();
    forged["body"]["value"][0]["clientState"] = json!("baton-org_brightlane-000000");
    assert_eq!(s.ing.send(&forged, None).await, 401);
    let mut unknown = f["request"].clone();
    unknown["body"]["value"][0]["subscriptionId"] = json!("00000000-0000-0000-0000-000000000000");
    assert_eq!(s.ing.send(&unknown, None).await, 401);
    let mut mixed = s.notification("AAMk-x");
    let bad = forged["body"]["value"][0].clone();
    mixed["body"]["value"].as_array_mut().unwrap().push(bad);
    assert_eq!(
        s.ing.send(&mixed, None).await,
        401,
        "one bad notification refuses the request"
    );
    let after: i64 = s
        .ing
        .count("SELECT count(*) FROM webhook_receipts WHERE provider = 'msgraph'")
        .await;
    assert_eq!(after, before);
    let rendered = metrics.render();
    assert_eq!(
        super::counted(&rendered, "msgraph", "unauthorized"),
        3,
        "{rendered}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_events_renew_recreate_and_catch_up() {
    let s = setup().await;
    let (sub, state) = s.subscription();
    let lifecycle = |event: &str| {
        json!({
            "method": "POST", "path": "/webhooks/msgraph",
            "headers": { "Content-Type": "application/json" },
            "body": { "value": [{
                "subscriptionId": sub, "clientState": state, "lifecycleEvent": event,
                "subscriptionExpirationDateTime": "2026-11-20T18:23:45.9356913+00:00",
                "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95",
                "resource": "/users/tom.becker@brightlane.io/mailFolders('inbox')/messages",
            }]},
        })
    };
    assert_eq!(
        s.ing
            .send(&lifecycle("reauthorizationRequired"), None)
            .await,
        202
    );
    s.mailboxes.fire_due_timers().await.unwrap();
    assert_eq!(s.graph.renewals.lock().unwrap().len(), 1);
    assert_eq!(s.graph.renewals.lock().unwrap()[0].0, sub);

    // Missed notifications: the delta publishes what arrived.
    s.graph
        .inbox
        .lock()
        .unwrap()
        .push(graph_message("em_dev_028.json", "AAMk-missed"));
    assert_eq!(s.ing.send(&lifecycle("missed"), None).await, 202);
    s.mailboxes.fire_due_timers().await.unwrap();
    assert_eq!(
        s.emails()
            .await
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>(),
        ["AAMk-missed"]
    );

    // Removed: a new subscription replaces it.
    assert_eq!(
        s.ing.send(&lifecycle("subscriptionRemoved"), None).await,
        202
    );
    s.mailboxes.fire_due_timers().await.unwrap();
    assert_eq!(s.graph.subscriptions.lock().unwrap().len(), 2);
    let held: Vec<String> = sqlx::query_scalar("SELECT subscription_id FROM graph_subscriptions")
        .fetch_all(&s.ing.owner)
        .await
        .unwrap();
    assert_eq!(held, ["sub-2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shuffled_notifications_publish_once_and_the_sweep_publishes_exactly_the_dropped_one() {
    let s = setup().await;
    let files = ["em_dev_020.json", "em_dev_021.json", "em_dev_022.json"];
    let mut notes = Vec::new();
    for i in 0..20 {
        let id = format!("AAMk-{i:02}");
        s.graph
            .inbox
            .lock()
            .unwrap()
            .push(graph_message(files[i % 3], &id));
        notes.push(s.notification(&id));
    }
    notes.remove(13); // dropped
    let mut order: Vec<usize> = (0..notes.len()).collect();
    order.sort_by_key(|i| (i % 5, std::cmp::Reverse(*i)));
    for i in order {
        assert_eq!(s.ing.send(&notes[i], None).await, 202);
    }
    s.mailboxes.fire_due_timers().await.unwrap();
    assert_eq!(s.emails().await.len(), 19);
    s.ing.clock.advance(Duration::seconds(
        s.ing.config.microsoft.sweep_every_s as i64 + 1,
    ));
    s.mailboxes.sweep().await.unwrap();
    s.mailboxes.fire_due_timers().await.unwrap();
    let got = s.emails().await;
    assert_eq!(got.len(), 20, "exactly the missing one");
    assert_eq!(got[19].1, "AAMk-13");
}
