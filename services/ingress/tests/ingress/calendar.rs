//! Google Calendar against a local server speaking Google's wire format (the OAuth token
//! endpoint, `events.list` with sync tokens, pages and 410, `events.watch`): the upkeep
//! watches a connected user's calendar and syncs it; the fixtures' pushes (`sync`
//! recorded, `exists` → a sync) move and remove the pre-meeting prep; pushes replayed out
//! of order, or some dropped, end in the server's state once the sweep has run; an expired
//! sync token means a full resync.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use baton_core::clock::Clock;
use baton_ingress::{
    google::{channels::Syncer, sync::Target},
    schedules::Scheduler,
};
use baton_platform::{component::Component, config::Config, service::Service};
use baton_schemas::OrgId;
use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;
use serde_json::{Value, json};

use super::{Running, fixture, start_with};

pub(super) const ACCESS: &str = "ya29.local-test";
pub(super) const REFRESH: &str = "1//refresh-daniel";
const DANIEL: &str = "u_bl_daniel";
pub(super) const ORG: &str = "org_brightlane";
pub(super) const PUSH_AUDIENCE: &str = "https://baton.example.test/webhooks/gmail";
pub(super) const PUSH_ACCOUNT: &str = "gmail-push@brightlane-baton.iam.gserviceaccount.com";

/// The calendar as Google holds it: each event with the version that last changed it.
#[derive(Default)]
pub(super) struct FakeGoogle {
    version: Mutex<u64>,
    events: Mutex<BTreeMap<String, (u64, Value)>>,
    /// Sync tokens Google no longer honours (410).
    expired: Mutex<Vec<String>>,
    lists: AtomicUsize,
    /// Answer this many `events.list` calls 503 first.
    unavailable: AtomicUsize,
    watches: Mutex<Vec<Value>>,
    /// The mailbox: each message with the historyId its arrival made, oldest first.
    pub(super) mail: Mutex<Vec<(u64, Value)>>,
    /// History before this id is gone (404 for an older start).
    pub(super) oldest_history: Mutex<u64>,
    pub(super) mail_watches: AtomicUsize,
}

impl FakeGoogle {
    /// A new message in the inbox: the mailbox's historyId moves on.
    pub(super) fn deliver(&self, message: Value) {
        let mut mail = self.mail.lock().unwrap();
        let next = mail.last().map_or(8_841_500, |(h, _)| h + 3);
        mail.push((next, message));
    }

    fn mail_history(&self) -> u64 {
        self.mail
            .lock()
            .unwrap()
            .last()
            .map_or(8_841_500, |(h, _)| *h)
    }

    fn put(&self, event: Value) {
        let mut v = self.version.lock().unwrap();
        *v += 1;
        let id = event["id"].as_str().unwrap().to_string();
        self.events.lock().unwrap().insert(id, (*v, event));
    }

    fn cancel(&self, id: &str) {
        let mut v = self.version.lock().unwrap();
        *v += 1;
        let mut events = self.events.lock().unwrap();
        let e = events.get_mut(id).unwrap();
        e.1["status"] = json!("cancelled");
        e.0 = *v;
    }

    fn delete_quietly(&self, id: &str) {
        self.events.lock().unwrap().remove(id);
    }

    fn current_token(&self) -> String {
        format!("v{}", self.version.lock().unwrap())
    }

    /// What a full sync should leave: id → start, for events not cancelled.
    fn truth(&self) -> BTreeMap<String, DateTime<Utc>> {
        self.events
            .lock()
            .unwrap()
            .values()
            .filter(|(_, e)| e["status"] != "cancelled")
            .map(|(_, e)| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    e["start"]["dateTime"].as_str().unwrap().parse().unwrap(),
                )
            })
            .collect()
    }
}

async fn token(body: String) -> Response {
    let form: BTreeMap<String, String> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("refresh_token")
        || form.get("client_id").map(String::as_str) != Some("baton-test-client")
    {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_request" })),
        )
            .into_response();
    }
    if !form
        .get("refresh_token")
        .is_some_and(|t| t.starts_with("1//refresh-"))
    {
        let e = json!({ "error": "invalid_grant", "error_description": "Token has been expired or revoked." });
        return (StatusCode::BAD_REQUEST, Json(e)).into_response();
    }
    Json(json!({ "access_token": ACCESS, "expires_in": 3599, "token_type": "Bearer" }))
        .into_response()
}

async fn list(
    State(g): State<Arc<FakeGoogle>>,
    Path(_cal): Path<String>,
    h: HeaderMap,
    uri: Uri,
) -> Response {
    let q: BTreeMap<String, String> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    g.lists.fetch_add(1, Ordering::SeqCst);
    if g.unavailable
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        let e =
            json!({ "error": { "code": 503, "message": "The service is currently unavailable." } });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(e)).into_response();
    }
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {ACCESS}")) {
        let e = json!({ "error": { "code": 401, "message": "Invalid Credentials" } });
        return (StatusCode::UNAUTHORIZED, Json(e)).into_response();
    }
    let since = match q.get("syncToken") {
        Some(t) if g.expired.lock().unwrap().contains(t) => {
            let e = json!({ "error": { "code": 410, "message": "Sync token is no longer valid, a full sync is required." } });
            return (StatusCode::GONE, Json(e)).into_response();
        }
        Some(t) => Some(t.trim_start_matches('v').parse::<u64>().unwrap()),
        None => None,
    };
    let items: Vec<Value> = g
        .events
        .lock()
        .unwrap()
        .values()
        .filter(|(v, e)| match since {
            Some(s) => *v > s,
            None => e["status"] != "cancelled",
        })
        .map(|(_, e)| e.clone())
        .collect();
    // Two per page, to exercise paging.
    let offset: usize = q.get("pageToken").map_or(0, |p| p.parse().unwrap());
    let page: Vec<Value> = items.iter().skip(offset).take(2).cloned().collect();
    let mut body = json!({ "kind": "calendar#events", "items": page });
    if offset + 2 < items.len() {
        body["nextPageToken"] = json!((offset + 2).to_string());
    } else {
        body["nextSyncToken"] = json!(g.current_token());
    }
    Json(body).into_response()
}

async fn watch(State(g): State<Arc<FakeGoogle>>, Json(body): Json<Value>) -> Json<Value> {
    g.watches.lock().unwrap().push(body.clone());
    Json(json!({
        "kind": "api#channel",
        "id": body["id"],
        "resourceId": format!("res-{}", body["id"].as_str().unwrap()),
        "resourceUri": "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json",
        "token": body["token"],
        "expiration": body["expiration"],
    }))
}

/// Google's 401 unless the request carries the access token the token endpoint gave.
fn refused(h: &HeaderMap) -> Option<Response> {
    if h.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {ACCESS}")) {
        return None;
    }
    let e = json!({ "error": { "code": 401, "message": "Invalid Credentials" } });
    Some((StatusCode::UNAUTHORIZED, Json(e)).into_response())
}

async fn profile(State(g): State<Arc<FakeGoogle>>, h: HeaderMap) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    Json(json!({ "emailAddress": "me", "historyId": g.mail_history().to_string() })).into_response()
}

/// `users.history.list`: messagesAdded after the start, three history records a page.
async fn history(State(g): State<Arc<FakeGoogle>>, h: HeaderMap, uri: Uri) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    let q: BTreeMap<String, String> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let start: u64 = q["startHistoryId"].parse().unwrap();
    if start < *g.oldest_history.lock().unwrap() {
        let e = json!({ "error": { "code": 404, "message": "Requested entity was not found." } });
        return (StatusCode::NOT_FOUND, Json(e)).into_response();
    }
    let records: Vec<Value> = g
        .mail
        .lock()
        .unwrap()
        .iter()
        .filter(|(hid, _)| *hid > start)
        .map(|(hid, m)| {
            json!({ "id": hid.to_string(), "messagesAdded": [{ "message": {
                "id": m["id"], "threadId": m["threadId"], "labelIds": m["labelIds"] } }] })
        })
        .collect();
    let offset: usize = q.get("pageToken").map_or(0, |p| p.parse().unwrap());
    let mut body = json!({
        "history": records.iter().skip(offset).take(3).collect::<Vec<_>>(),
        "historyId": g.mail_history().to_string(),
    });
    if offset + 3 < records.len() {
        body["nextPageToken"] = json!((offset + 3).to_string());
    }
    Json(body).into_response()
}

async fn message(
    State(g): State<Arc<FakeGoogle>>,
    Path(id): Path<String>,
    h: HeaderMap,
) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    let mail = g.mail.lock().unwrap();
    match mail.iter().find(|(_, m)| m["id"] == id.as_str()) {
        Some((_, m)) => Json(m.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": { "code": 404 } })),
        )
            .into_response(),
    }
}

/// `users.messages.list` (the last day's inbox: here, all of it), newest first.
async fn messages(State(g): State<Arc<FakeGoogle>>, h: HeaderMap) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    let ids: Vec<Value> = g
        .mail
        .lock()
        .unwrap()
        .iter()
        .rev()
        .map(|(_, m)| json!({ "id": m["id"], "threadId": m["threadId"] }))
        .collect();
    Json(json!({ "messages": ids })).into_response()
}

async fn mail_watch(
    State(g): State<Arc<FakeGoogle>>,
    h: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = refused(&h) {
        return r;
    }
    assert!(body["topicName"].as_str().unwrap().starts_with("projects/"));
    g.mail_watches.fetch_add(1, Ordering::SeqCst);
    let expires = (Utc::now() + Duration::days(7)).timestamp_millis();
    Json(json!({ "historyId": g.mail_history().to_string(), "expiration": expires.to_string() }))
        .into_response()
}

async fn certs() -> ([(&'static str, &'static str); 1], &'static str) {
    (
        [("cache-control", "public, max-age=19800")],
        include_str!("keys/google_test_jwks.json"),
    )
}

pub(super) async fn fake_google() -> (String, Arc<FakeGoogle>) {
    let g = Arc::new(FakeGoogle::default());
    let app = Router::new()
        .route("/token", post(token))
        .route("/certs", get(certs))
        .route("/calendars/{cal}/events", get(list))
        .route("/calendars/{cal}/events/watch", post(watch))
        .route("/gmail/v1/users/me/profile", get(profile))
        .route("/gmail/v1/users/me/history", get(history))
        .route("/gmail/v1/users/me/messages", get(messages))
        .route("/gmail/v1/users/me/messages/{id}", get(message))
        .route("/gmail/v1/users/me/watch", post(mail_watch))
        .with_state(g.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, g)
}

/// A Google event: a meeting of Daniel's with Keystone's Linda Marsh, or an internal one.
fn meeting(id: &str, start: &str, external: bool) -> Value {
    let start: DateTime<Utc> = start.parse().unwrap();
    let mut attendees = vec![
        json!({ "email": "daniel.reyes@brightlane.io", "self": true, "responseStatus": "accepted" }),
    ];
    if external {
        attendees.push(
            json!({ "email": "LMarsh@keystonecomfort.com", "responseStatus": "needsAction" }),
        );
    }
    json!({
        "kind": "calendar#event",
        "id": id,
        "status": "confirmed",
        "summary": format!("meeting {id}"),
        "start": { "dateTime": start.to_rfc3339(), "timeZone": "America/Chicago" },
        "end": { "dateTime": (start + Duration::minutes(30)).to_rfc3339(), "timeZone": "America/Chicago" },
        "organizer": { "email": "daniel.reyes@brightlane.io" },
        "attendees": attendees,
    })
}

pub(super) struct Setup {
    pub(super) ing: Running,
    pub(super) google: Arc<FakeGoogle>,
    pub(super) syncer: Syncer,
}

const K1: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub(super) async fn setup() -> Setup {
    let (url, google) = fake_google().await;
    let configure = |c: &mut Config| {
        c.google.oauth_base_url = url.clone();
        c.google.calendar_base_url = url.clone();
        c.google.gmail_base_url = format!("{url}/gmail/v1");
        c.google.jwks_url = format!("{url}/certs");
        c.google.pubsub_audience = Some(PUSH_AUDIENCE.into());
        c.google.pubsub_service_account = Some(PUSH_ACCOUNT.into());
        c.google.gmail_topic = Some("projects/brightlane-baton/topics/gmail".into());
        c.google.client_id = Some("baton-test-client".into());
        c.google.client_secret = Some(SecretString::from("client-secret".to_string()));
        c.ingress.public_url = Some("https://baton.example.test".into());
        c.connections
            .keys
            .insert("k1".into(), SecretString::from(K1.to_string()));
        c.connections.active_key = Some("k1".into());
    };
    let ing = start_with(1024 * 1024, configure).await;
    // Daniel connects his Google account.
    let owner = Service::start_as_owner("test", &ing.config).await.unwrap();
    let org: OrgId = ORG.parse().unwrap();
    let keys = baton_platform::connections::Keyring::new(&ing.config.connections).unwrap();
    let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
        .await
        .unwrap();
    baton_platform::connections::store::add(
        &mut tx,
        &keys,
        &org,
        baton_platform::connections::Provider::Google,
        "daniel.reyes@brightlane.io",
        Some(DANIEL),
        &json!({ "refresh_token": REFRESH }),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let svc = Service::start(baton_ingress::NAME, &ing.config)
        .await
        .unwrap()
        .with_clock(ing.clock.clone());
    let scheduler = Scheduler::new(svc.clone(), &ing.config);
    let syncer = Syncer::new(svc, &ing.config, Some(scheduler))
        .unwrap()
        .unwrap();
    Setup {
        ing,
        google,
        syncer,
    }
}

impl Setup {
    /// Connects `user`'s Google account `address` with `refresh` (replacing one).
    pub(super) async fn connect(&self, user: &str, address: &str, refresh: &str) {
        let org: OrgId = ORG.parse().unwrap();
        let keys = baton_platform::connections::Keyring::new(&self.ing.config.connections).unwrap();
        let owner = Service::start_as_owner("test", &self.ing.config)
            .await
            .unwrap();
        let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
            .await
            .unwrap();
        baton_platform::connections::store::add(
            &mut tx,
            &keys,
            &org,
            baton_platform::connections::Provider::Google,
            address,
            Some(user),
            &json!({ "refresh_token": refresh }),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }

    /// Daniel's synced events: id → (start, status).
    async fn synced(&self) -> BTreeMap<String, (DateTime<Utc>, String)> {
        let rows: Vec<(String, DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT id, starts_at, status FROM calendar_events WHERE owner_id = $1 AND data->>'source' = 'google'",
        )
        .bind(DANIEL)
        .fetch_all(&self.ing.owner)
        .await
        .unwrap();
        rows.into_iter().map(|(i, s, st)| (i, (s, st))).collect()
    }

    fn live(m: &BTreeMap<String, (DateTime<Utc>, String)>) -> BTreeMap<String, DateTime<Utc>> {
        m.iter()
            .filter(|(_, (_, st))| st != "cancelled")
            .map(|(i, (s, _))| (i.clone(), *s))
            .collect()
    }

    /// Pre-meeting slots planned for Daniel's Google events: event id → due.
    async fn preps(&self) -> BTreeMap<String, DateTime<Utc>> {
        let rows: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT dedupe_key, due_at FROM timers WHERE kind = 'cron:pre_meeting' AND fired_at IS NULL
               AND dedupe_key LIKE 'u_bl_daniel:g_%'",
        )
        .fetch_all(&self.ing.owner)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(k, d)| (k.split(':').nth(1).unwrap().to_string(), d))
            .collect()
    }

    /// The fixture's push with `state` and message `number`.
    fn push(&self, state: &str, number: u64) -> Value {
        let mut r = fixture("google_calendar_push_exists.json")["request"].clone();
        r["headers"]["X-Goog-Resource-State"] = json!(state);
        r["headers"]["X-Goog-Message-Number"] = json!(number.to_string());
        r
    }

    /// Opens the fixture's channel on Daniel's primary calendar (as the upkeep would have).
    async fn open_fixture_channel(&self) {
        let r = fixture("google_calendar_push_exists.json")["request"].clone();
        let h = &r["headers"];
        let org: OrgId = ORG.parse().unwrap();
        let owner = Service::start_as_owner("test", &self.ing.config)
            .await
            .unwrap();
        let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
            .await
            .unwrap();
        baton_ingress::google::channels::open_channel(
            &mut tx,
            &org,
            &Target {
                user_id: DANIEL.into(),
                calendar_id: "primary".into(),
                attempt: 0,
            },
            h["X-Goog-Channel-ID"].as_str().unwrap(),
            h["X-Goog-Channel-Token"].as_str().unwrap(),
            Some(h["X-Goog-Resource-ID"].as_str().unwrap()),
            Utc::now() + Duration::days(3),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_sync_the_calendar_and_move_the_meetings_prep() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let s = setup().await;
    let now = s.ing.clock.now();
    let t0 = now + Duration::hours(5);
    s.google.put(meeting("g_call", &t0.to_rfc3339(), true));
    s.google.put(meeting(
        "g_standup",
        &(t0 + Duration::hours(2)).to_rfc3339(),
        false,
    ));
    s.google.put(meeting(
        "g_later",
        &(t0 + Duration::hours(4)).to_rfc3339(),
        true,
    ));

    // The upkeep watches Daniel's calendar (a channel at the public address) and syncs it.
    s.syncer.sweep().await.unwrap();
    let watch = s.google.watches.lock().unwrap()[0].clone();
    assert_eq!(
        watch["address"],
        "https://baton.example.test/webhooks/google-calendar"
    );
    assert_eq!(watch["type"], "web_hook");
    let token = watch["token"].as_str().unwrap();
    let stored: i64 = s
        .ing
        .count(&format!(
            "SELECT count(*) FROM calendar_channels WHERE channel_id = '{}' AND token_sha256 = sha256(convert_to('{token}', 'UTF8'))",
            watch["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored, 1, "the channel is kept with its token's SHA-256");
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(Setup::live(&s.synced().await), s.google.truth());
    let kind: String = sqlx::query_scalar(
        "SELECT data->>'kind' || ':' || (data->'contact_ids'->>0) || ':' || (data->>'deal_id') FROM calendar_events WHERE id = 'g_call'",
    )
    .fetch_one(&s.ing.owner)
    .await
    .unwrap();
    assert_eq!(kind, "external:ct_linda_marsh:d_keystone");
    let preps = s.preps().await;
    assert_eq!(preps.keys().collect::<Vec<_>>(), ["g_call", "g_later"]);
    assert_eq!(preps["g_call"], t0 - Duration::minutes(90));

    // The fixtures' channel: `sync` is recorded; `exists` syncs — once however often sent.
    s.open_fixture_channel().await;
    let sync = fixture("google_calendar_push_sync.json");
    assert_eq!(s.ing.send(&sync["request"], None).await, 200);
    s.google.put(meeting(
        "g_call",
        &(t0 + Duration::hours(1)).to_rfc3339(),
        true,
    ));
    let exists = fixture("google_calendar_push_exists.json");
    for _ in 0..3 {
        assert_eq!(s.ing.send(&exists["request"], None).await, 200);
    }
    let syncs: i64 = s
        .ing
        .count("SELECT count(*) FROM timers WHERE kind = 'sync:calendar' AND dedupe_key LIKE '01938d2e%'")
        .await;
    assert_eq!(syncs, 1, "the push once, the sync once");
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(
        s.preps().await["g_call"],
        t0 + Duration::hours(1) - Duration::minutes(90)
    );

    // Cancelled on Google: the prep goes.
    s.google.cancel("g_later");
    assert_eq!(s.ing.send(&s.push("exists", 4130), None).await, 200);
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(s.synced().await["g_later"].1, "cancelled");
    assert!(!s.preps().await.contains_key("g_later"));

    // Forged: another token, an unknown channel, another resource.
    let mut forged = s.push("exists", 4131);
    forged["headers"]["X-Goog-Channel-Token"] =
        json!("org=org_brightlane&user=u_bl_daniel&sig=00000000");
    assert_eq!(s.ing.send(&forged, None).await, 401);
    let mut unknown = s.push("exists", 4132);
    unknown["headers"]["X-Goog-Channel-ID"] = json!("not-a-channel");
    assert_eq!(s.ing.send(&unknown, None).await, 401);
    let mut moved = s.push("exists", 4133);
    moved["headers"]["X-Goog-Resource-ID"] = json!("another-resource");
    assert_eq!(s.ing.send(&moved, None).await, 401);
    let receipts: i64 = s
        .ing
        .count("SELECT count(*) FROM webhook_receipts WHERE provider = 'google_calendar'")
        .await;
    assert_eq!(receipts, 3, "sync, exists 4127, exists 4130");
    let rendered = metrics.render();
    assert_eq!(
        super::counted(&rendered, "google_calendar", "unauthorized"),
        3,
        "{rendered}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shuffled_or_dropped_pushes_end_in_the_servers_state_after_the_sweep() {
    let s = setup().await;
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    s.open_fixture_channel().await;
    let base = s.ing.clock.now() + Duration::hours(3);
    // Twenty changes, their pushes delivered out of order.
    let mut pushes = Vec::new();
    for i in 0..20u64 {
        let id = format!("g_{}", i % 7);
        if i % 9 == 8 {
            s.google.cancel(&format!("g_{}", (i - 1) % 7));
        } else {
            let start = base + Duration::minutes(30 * (i as i64 % 11));
            s.google.put(meeting(&id, &start.to_rfc3339(), i % 2 == 0));
        }
        pushes.push(s.push("exists", 5000 + i * 3));
    }
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    // A fixed shuffle: reversed halves interleaved.
    order.sort_by_key(|i| (i % 3, std::cmp::Reverse(*i)));
    for i in order {
        assert_eq!(s.ing.send(&pushes[i], None).await, 200);
        s.syncer.fire_due_timers().await.unwrap();
    }
    assert_eq!(Setup::live(&s.synced().await), s.google.truth());
    // A change whose push was dropped is found by the sweep.
    s.google.put(meeting(
        "g_late",
        &(base + Duration::hours(1)).to_rfc3339(),
        true,
    ));
    assert!(!s.synced().await.contains_key("g_late"));
    s.ing.clock.advance(Duration::seconds(
        s.ing.config.google.sweep_every_s as i64 + 1,
    ));
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(Setup::live(&s.synced().await), s.google.truth());
    assert!(s.preps().await.contains_key("g_late"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sync_token_means_a_full_resync() {
    let s = setup().await;
    let base = s.ing.clock.now() + Duration::hours(4);
    s.google.put(meeting("g_a", &base.to_rfc3339(), true));
    s.google.put(meeting(
        "g_b",
        &(base + Duration::hours(1)).to_rfc3339(),
        true,
    ));
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(Setup::live(&s.synced().await).len(), 2);
    // Google forgets the token and, meanwhile, g_b disappears without a trace.
    let stale = s.google.current_token();
    s.google.expired.lock().unwrap().push(stale);
    s.google.delete_quietly("g_b");
    s.google.put(meeting(
        "g_c",
        &(base + Duration::hours(2)).to_rfc3339(),
        true,
    ));
    s.ing.clock.advance(Duration::seconds(
        s.ing.config.google.sweep_every_s as i64 + 1,
    ));
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(Setup::live(&s.synced().await), s.google.truth());
    assert!(
        !s.synced().await.contains_key("g_b"),
        "removed by the full sync"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_consent_is_audited_not_retried() {
    let s = setup().await;
    // The stored refresh token no longer works: reconnect needed.
    s.connect(DANIEL, "daniel.reyes@brightlane.io", "1//revoked")
        .await;
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    let failed: i64 = s
        .ing
        .count("SELECT count(*) FROM audit_log WHERE action = 'calendar.sync_failed' AND detail->>'reason' LIKE '%revoked%'")
        .await;
    assert_eq!(failed, 1);
    let retries: i64 = s
        .ing
        .count("SELECT count(*) FROM timers WHERE kind = 'sync:calendar' AND fired_at IS NULL")
        .await;
    assert_eq!(retries, 0);
    assert_eq!(s.google.lists.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_google_cannot_serve_is_retried_with_backoff() {
    let s = setup().await;
    s.google.put(meeting(
        "g_a",
        &(s.ing.clock.now() + Duration::hours(4)).to_rfc3339(),
        true,
    ));
    s.google.unavailable.store(2, Ordering::SeqCst);
    s.syncer.sweep().await.unwrap();
    s.syncer.fire_due_timers().await.unwrap();
    assert!(s.synced().await.is_empty());
    let due: Vec<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT due_at FROM timers WHERE kind = 'sync:calendar' AND fired_at IS NULL",
    )
    .fetch_all(&s.ing.owner)
    .await
    .unwrap();
    assert_eq!(due, vec![s.ing.clock.now() + Duration::seconds(30)]);
    // Not before its time; then again after a longer wait; then it succeeds.
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(s.google.lists.load(Ordering::SeqCst), 1);
    s.ing.clock.advance(Duration::seconds(30));
    s.syncer.fire_due_timers().await.unwrap();
    assert!(s.synced().await.is_empty());
    s.ing.clock.advance(Duration::seconds(60));
    s.syncer.fire_due_timers().await.unwrap();
    assert_eq!(Setup::live(&s.synced().await), s.google.truth());
    let failed: i64 = s
        .ing
        .count("SELECT count(*) FROM audit_log WHERE action = 'calendar.sync_failed'")
        .await;
    assert_eq!(failed, 0);
}
