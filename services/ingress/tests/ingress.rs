//! The ingress over real HTTP, on the embedded bus, with the sample webhooks: each fixture
//! gets its documented outcome once however often it is sent, and forged, stale, oversized
//! or malformed requests are refused with their status code, publish nothing and are counted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{path::PathBuf, sync::Arc};

#[path = "ingress/calendar.rs"]
mod calendar;
#[path = "ingress/gmail.rs"]
mod gmail;
#[path = "ingress/graph.rs"]
mod graph;

use baton_core::clock::ManualClock;
use baton_ingress::Ingress;
use baton_platform::{
    config::{BusKind, Config},
    service::Service,
};
use baton_schemas::{ApprovalDecision, Decision, DecisionChannel, Message, OrchestratorEvent};
use baton_testkit::TestDb;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn data() -> PathBuf {
    std::env::var_os("BATON_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn fixture(name: &str) -> Value {
    let path = data().join("webhooks").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

const SLACK: [&str; 5] = [
    "slack/block_actions_approve.json",
    "slack/block_actions_skip.json",
    "slack/block_actions_cancel.json",
    "slack/block_actions_edit.json",
    "slack/view_submission_edit.json",
];
const MEETINGBAAS: [&str; 3] = [
    "meetingbaas_complete.json",
    "meetingbaas_status_change.json",
    "meetingbaas_failed.json",
];

/// A running ingress on a fresh database with the sample org and meetings.
struct Running {
    db: TestDb,
    config: Config,
    owner: sqlx::PgPool,
    url: String,
    clock: Arc<ManualClock>,
    prefix: String,
    shutdown: CancellationToken,
    client: reqwest::Client,
}

async fn start(max_body_bytes: usize) -> Running {
    start_with(max_body_bytes, |_| {}).await
}

/// `start` with the configuration changed by `configure` before the ingress starts.
async fn start_with(max_body_bytes: usize, configure: impl FnOnce(&mut Config)) -> Running {
    let db = TestDb::new().await;
    let mut config = Config {
        database: db.service_config(),
        ..Config::default()
    };
    config.bus.kind = BusKind::Embedded;
    config.bus.partitions = 2;
    config.bus.topic_prefix = format!("{}.", baton_testkit::unique("ing"));
    config.ingress.max_body_bytes = max_body_bytes;
    let key = fixture(MEETINGBAAS[0])["request"]["headers"]["x-meeting-baas-api-key"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = fixture(SLACK[0])["_meta"]["signing_secret_for_tests"]
        .as_str()
        .unwrap()
        .to_string();
    config.ingress.meetingbaas_api_keys = vec![
        SecretString::from("rotated-out".to_string()),
        SecretString::from(key),
    ];
    config.ingress.slack_signing_secrets = vec![SecretString::from(secret)];
    configure(&mut config);

    let seeder = Service::start_as_owner("test", &config).await.unwrap();
    let org: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("org/org_brightlane.json")).unwrap(),
    )
    .unwrap();
    baton_platform::seed::org(&seeder.pool, &org).await.unwrap();
    let meeting: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("meetings/mtg_dev_009.json")).unwrap(),
    )
    .unwrap();
    baton_platform::seed::meeting(&seeder.pool, &meeting)
        .await
        .unwrap();
    let calendar: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("calendars/u_bl_daniel.json")).unwrap(),
    )
    .unwrap();
    baton_platform::seed::calendar(&seeder.pool, "org_brightlane", &calendar)
        .await
        .unwrap();

    // Between the Slack fixtures' timestamps, so each is inside the 5-minute window.
    let stamps: Vec<i64> = SLACK
        .iter()
        .map(|f| {
            fixture(f)["request"]["headers"]["X-Slack-Request-Timestamp"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    let (lo, hi) = (stamps.iter().min().unwrap(), stamps.iter().max().unwrap());
    assert!(hi - lo < 600, "the fixtures fit one window");
    let clock = Arc::new(ManualClock::at(
        chrono::DateTime::from_timestamp((lo + hi) / 2, 0).unwrap(),
    ));
    let svc = Service::start(baton_ingress::NAME, &config)
        .await
        .unwrap()
        .with_clock(clock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    tokio::spawn(baton_ingress::serve(
        Ingress::new(svc, &config).unwrap(),
        listener,
        shutdown.clone(),
    ));
    let owner = db.owner_pool().await;
    Running {
        db,
        prefix: config.bus.topic_prefix.clone(),
        config,
        owner,
        url,
        clock,
        shutdown,
        client: {
            baton_platform::install_crypto_provider();
            reqwest::Client::new()
        },
    }
}

impl Running {
    /// Sends `request` (a fixture's `{method, path, headers, body | body_raw}`) with `body`
    /// in place of its own when given; returns the status.
    async fn send(&self, request: &Value, body: Option<Vec<u8>>) -> reqwest::StatusCode {
        let body = body.unwrap_or_else(|| match request.get("body_raw") {
            Some(raw) => raw.as_str().unwrap().as_bytes().to_vec(),
            None => serde_json::to_vec(&request["body"]).unwrap(),
        });
        let mut req = self
            .client
            .post(format!("{}{}", self.url, request["path"].as_str().unwrap()))
            .body(body);
        for (name, value) in request["headers"].as_object().unwrap() {
            req = req.header(name.as_str(), value.as_str().unwrap());
        }
        req.send().await.unwrap().status()
    }

    async fn logged<M: Message>(&self) -> Vec<M> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(
            r#"SELECT payload FROM bus_log WHERE topic = $1 ORDER BY appended_at, "offset""#,
        )
        .bind(M::TOPIC.name(&self.prefix))
        .fetch_all(&self.owner)
        .await
        .unwrap();
        rows.iter()
            .map(|p| baton_schemas::decode::<M>(p).unwrap())
            .collect()
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.owner)
            .await
            .unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.cancel();
        let _ = &self.db;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_gets_its_outcome_once_however_often_it_is_sent() {
    let r = start(4 * 1024 * 1024).await;
    for name in MEETINGBAAS.iter().chain(SLACK.iter()) {
        let f = fixture(name);
        for attempt in 1..=2 {
            assert_eq!(
                r.send(&f["request"], None).await,
                200,
                "{name}, delivery {attempt}"
            );
        }
    }

    // MeetingBaaS: the transcript stored on its meeting, one meeting_ended for the organiser.
    let events: Vec<OrchestratorEvent> = r.logged().await;
    assert_eq!(events.len(), 1, "{events:?}");
    let ev = &events[0];
    assert_eq!(
        (
            ev.event_type.as_str(),
            ev.source.as_str(),
            ev.org_id.as_str(),
            ev.user_id.as_str()
        ),
        (
            "meeting_ended",
            "webhook:meetingbaas",
            "org_brightlane",
            "u_bl_daniel"
        )
    );
    assert_eq!(ev.payload["meeting_id"], "mtg_dev_009");
    assert_eq!(ev.payload["deal_id"], "d_lakeshore");
    let stored: Value =
        sqlx::query_scalar("SELECT transcript FROM meetings WHERE id = 'mtg_dev_009'")
            .fetch_one(&r.owner)
            .await
            .unwrap();
    let meeting: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("meetings/mtg_dev_009.json")).unwrap(),
    )
    .unwrap();
    let texts = |segs: &Value, key: &str| -> Vec<String> {
        segs.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}|{}|{}",
                    s["speaker"],
                    s["role"],
                    s[key].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        texts(&stored["segments"], "text"),
        texts(&meeting["segments"], "text"),
        "the webhook's words are the recorder's text, with each speaker's role"
    );

    // Slack: Approve, Skip, Cancel → one decision each by the clicking user of that
    // workspace; Edit and the edit modal, for a gate this database does not have, skipped.
    let decisions: Vec<ApprovalDecision> = r.logged().await;
    let got: Vec<(Decision, &str, &str, Option<&str>, DecisionChannel)> = decisions
        .iter()
        .map(|d| {
            (
                d.decision,
                d.pending_action_id.as_str(),
                d.decided_by.as_str(),
                d.slack_team_id.as_deref(),
                d.via,
            )
        })
        .collect();
    let gate = fixture(SLACK[0])["_meta"]["pending_action_id"]
        .as_str()
        .unwrap()
        .to_string();
    let want: Vec<(Decision, &str, &str, Option<&str>, DecisionChannel)> =
        [Decision::Approve, Decision::Skip, Decision::Cancel]
            .into_iter()
            .map(|d| {
                (
                    d,
                    gate.as_str(),
                    "U05K2M8QZ1A",
                    Some("T03BRLN7QK2"),
                    DecisionChannel::Slack,
                )
            })
            .collect();
    assert_eq!(got, want);
    assert!(decisions.iter().all(|d| d.org_id == "org_brightlane"));

    let receipts: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT provider, kind, outcome FROM webhook_receipts ORDER BY received_at, provider, kind",
    )
    .fetch_all(&r.owner)
    .await
    .unwrap();
    let receipts: Vec<(&str, &str, &str)> = receipts
        .iter()
        .map(|(p, k, o)| (p.as_str(), k.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        receipts,
        vec![
            ("meetingbaas", "complete", "published"),
            ("meetingbaas", "bot.status_change", "recorded"),
            ("meetingbaas", "failed", "recorded"),
            ("slack", "block_actions", "published"),
            ("slack", "block_actions", "published"),
            ("slack", "block_actions", "published"),
            ("slack", "block_actions", "skipped"),
            ("slack", "view_submission", "skipped"),
        ]
    );
    // The sample's gate is not one of this database's: nothing to edit.
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT detail->>'reason' FROM webhook_receipts WHERE outcome = 'skipped' ORDER BY received_at",
    )
    .fetch_all(&r.owner)
    .await
    .unwrap();
    assert_eq!(reasons, ["no pending action of this org has that id"; 2]);
    // The failed bot: its calendar event (Daniel's) marked not recorded, in its org.
    let marked: Vec<(String, String)> = sqlx::query_as(
        "SELECT data->>'recording', data->>'recording_error' FROM calendar_events WHERE id = 'ev_dan_004'",
    )
    .fetch_all(&r.owner)
    .await
    .unwrap();
    assert_eq!(
        marked,
        [(
            "not_recorded".to_string(),
            "TimeoutWaitingToStart".to_string()
        )]
    );
    let org: Option<String> = sqlx::query_scalar(
        "SELECT org_id FROM webhook_receipts WHERE provider = 'meetingbaas' AND kind = 'failed'",
    )
    .fetch_one(&r.owner)
    .await
    .unwrap();
    assert_eq!(org.as_deref(), Some("org_brightlane"));
}

/// The Prometheus counter of ingress answers for `endpoint` and `outcome`.
fn counted(rendered: &str, endpoint: &str, outcome: &str) -> u64 {
    rendered
        .lines()
        .find(|l| {
            l.starts_with("baton_ingress_requests_total{")
                && l.contains(&format!("endpoint=\"{endpoint}\""))
                && l.contains(&format!("outcome=\"{outcome}\""))
        })
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_stale_oversized_and_malformed_requests_are_refused_and_counted() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let r = start(64 * 1024).await;
    let hook = fixture(MEETINGBAAS[1]);
    let approve = fixture(SLACK[0]);

    // MeetingBaaS: a wrong key, no key; then the right key on a body that is not JSON and
    // on one too big.
    let mut wrong = hook["request"].clone();
    wrong["headers"]["x-meeting-baas-api-key"] = "mb-test-guessed".into();
    assert_eq!(r.send(&wrong, None).await, 401);
    let mut keyless = hook["request"].clone();
    keyless["headers"]
        .as_object_mut()
        .unwrap()
        .remove("x-meeting-baas-api-key");
    assert_eq!(r.send(&keyless, None).await, 401);
    assert_eq!(
        r.send(&hook["request"], Some(b"{\"event\": ".to_vec()))
            .await,
        400
    );
    assert_eq!(
        r.send(&hook["request"], Some(vec![b' '; 65 * 1024])).await,
        413
    );

    // Slack: one byte of the signed body changed (a space in the JSON), a forged signature,
    // and the real request replayed six minutes after its timestamp.
    let raw = approve["request"]["body_raw"].as_str().unwrap();
    let respaced = raw.replacen("%2C", "%2C+", 1);
    assert_eq!(
        r.send(&approve["request"], Some(respaced.into_bytes()))
            .await,
        401
    );
    let mut forged = approve["request"].clone();
    forged["headers"]["X-Slack-Signature"] =
        baton_ingress::verify::slack_signature("not-the-secret", 1_794_931_771, raw.as_bytes())
            .into();
    assert_eq!(r.send(&forged, None).await, 401);
    let ts: i64 = approve["request"]["headers"]["X-Slack-Request-Timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    r.clock
        .set(chrono::DateTime::from_timestamp(ts + 360, 0).unwrap());
    assert_eq!(r.send(&approve["request"], None).await, 401);
    // Correctly signed, but not a form with a payload.
    r.clock
        .set(chrono::DateTime::from_timestamp(ts, 0).unwrap());
    let mut junk = approve["request"].clone();
    let body = b"hello=world".to_vec();
    junk["headers"]["X-Slack-Signature"] = baton_ingress::verify::slack_signature(
        approve["_meta"]["signing_secret_for_tests"]
            .as_str()
            .unwrap(),
        ts,
        &body,
    )
    .into();
    assert_eq!(r.send(&junk, Some(body)).await, 400);

    assert_eq!(
        r.count("SELECT count(*) FROM bus_log").await,
        0,
        "nothing published"
    );
    assert_eq!(
        r.count("SELECT count(*) FROM webhook_receipts").await,
        0,
        "nothing recorded"
    );
    let rendered = metrics.render();
    assert_eq!(
        counted(&rendered, "meetingbaas", "unauthorized"),
        2,
        "{rendered}"
    );
    assert_eq!(counted(&rendered, "meetingbaas", "malformed"), 1);
    assert_eq!(counted(&rendered, "meetingbaas", "too_large"), 1);
    assert_eq!(counted(&rendered, "slack", "unauthorized"), 3);
    assert_eq!(counted(&rendered, "slack", "malformed"), 1);
    // And the genuine click, inside its window, is still taken.
    assert_eq!(r.send(&approve["request"], None).await, 200);
    assert_eq!(r.logged::<ApprovalDecision>().await.len(), 1);
}

/// A hundred deliveries of one click at once: one decision, a hundred 200s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_identical_deliveries_at_once_make_one_decision() {
    let r = Arc::new(start(4 * 1024 * 1024).await);
    let approve = fixture(SLACK[0]);
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (r, request) = (r.clone(), approve["request"].clone());
        sends.spawn(async move { r.send(&request, None).await });
    }
    let mut statuses = Vec::new();
    while let Some(status) = sends.join_next().await {
        statuses.push(status.unwrap().as_u16());
    }
    assert_eq!(statuses, vec![200; 100]);
    assert_eq!(r.logged::<ApprovalDecision>().await.len(), 1);
    assert_eq!(r.count("SELECT count(*) FROM webhook_receipts").await, 1);
}

/// A `complete` is resolved under the org it names: a meeting of another org is not found
/// (nothing stored on it, nothing published), nor is an org Baton does not know.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_naming_another_orgs_meeting_stores_and_publishes_nothing() {
    let r = start(4 * 1024 * 1024).await;
    for sql in [
        "INSERT INTO orgs (id, name) VALUES ('org_other', 'Other')",
        "INSERT INTO meetings (id, org_id, title) VALUES ('mtg_other', 'org_other', 'theirs')",
    ] {
        sqlx::query(sql).execute(&r.owner).await.unwrap();
    }
    let ours = "SELECT md5(transcript::text) FROM meetings WHERE id = 'mtg_dev_009'";
    let before: Option<String> = sqlx::query_scalar(ours).fetch_one(&r.owner).await.unwrap();
    let f = fixture(MEETINGBAAS[0]);
    let cases = [
        ("org_brightlane", "mtg_other", "no such meeting in the org"),
        ("org_other", "mtg_dev_009", "no such meeting in the org"),
        ("org_nobody", "mtg_dev_009", "no such meeting in the org"),
    ];
    for (i, (org, meeting, _)) in cases.iter().enumerate() {
        let mut request = f["request"].clone();
        let data = &mut request["body"]["data"];
        data["bot_id"] = json!(format!("bot-{i}"));
        data["extra"]["baton_org_id"] = json!(org);
        data["extra"]["baton_meeting_id"] = json!(meeting);
        assert_eq!(r.send(&request, None).await, 200, "{org} / {meeting}");
    }
    assert!(r.logged::<OrchestratorEvent>().await.is_empty());
    assert_eq!(
        r.count("SELECT count(*) FROM meetings WHERE id = 'mtg_other' AND transcript IS NOT NULL")
            .await,
        0
    );
    let after: Option<String> = sqlx::query_scalar(ours).fetch_one(&r.owner).await.unwrap();
    assert_eq!(
        after, before,
        "the seeded meeting's transcript is untouched"
    );
    let skipped: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT org_id, detail->>'reason' FROM webhook_receipts
         WHERE provider = 'meetingbaas' AND outcome = 'skipped' ORDER BY dedupe_key",
    )
    .fetch_all(&r.owner)
    .await
    .unwrap();
    let expected: Vec<(Option<String>, String)> = cases
        .iter()
        .map(|(org, _, reason)| {
            let known = *org != "org_nobody";
            (known.then(|| org.to_string()), reason.to_string())
        })
        .collect();
    assert_eq!(skipped, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_with_its_own_app_is_verified_with_its_connections_secret() {
    let secret = fixture(SLACK[0])["_meta"]["signing_secret_for_tests"]
        .as_str()
        .unwrap()
        .to_string();
    let ing = start_with(1024 * 1024, |c| {
        // The app's secret is not the one the fixtures are signed with.
        c.ingress.slack_signing_secrets = vec![SecretString::from("the-apps-own".to_string())];
        c.connections.keys.insert(
            "k1".into(),
            SecretString::from("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_string()),
        );
        c.connections.active_key = Some("k1".into());
    })
    .await;
    let approve = fixture(SLACK[0]);
    assert_eq!(
        ing.send(&approve["request"], None).await,
        401,
        "not the app's secret, and the workspace is not connected yet"
    );

    // The sample workspace connects its own app.
    let keys = baton_platform::connections::Keyring::new(&ing.config.connections).unwrap();
    let owner = Service::start_as_owner("test", &ing.config).await.unwrap();
    let org: baton_schemas::OrgId = "org_brightlane".parse().unwrap();
    let mut tx = baton_platform::store::begin_for_org(&owner.pool, &org)
        .await
        .unwrap();
    baton_platform::connections::store::add(
        &mut tx,
        &keys,
        &org,
        baton_platform::connections::Provider::Slack,
        "T03BRLN7QK2",
        None,
        &serde_json::json!({ "bot_token": "xoxb-brightlane", "signing_secret": secret }),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(ing.send(&approve["request"], None).await, 200);
    assert_eq!(
        ing.count("SELECT count(*) FROM webhook_receipts WHERE provider = 'slack'")
            .await,
        1
    );
    // Signed with another secret: refused.
    let mut forged = fixture(SLACK[1])["request"].clone();
    let raw = forged["body_raw"].as_str().unwrap().to_string();
    let ts: i64 = forged["headers"]["X-Slack-Request-Timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    forged["headers"]["X-Slack-Signature"] =
        baton_ingress::verify::slack_signature("not-the-secret", ts, raw.as_bytes()).into();
    assert_eq!(ing.send(&forged, None).await, 401);
    // The workspace's secret does not speak for another workspace.
    let mut elsewhere = fixture(SLACK[1])["request"].clone();
    let other = raw.replace("T03BRLN7QK2", "T09OTHERWS");
    assert_ne!(other, raw);
    elsewhere["headers"]["X-Slack-Signature"] =
        baton_ingress::verify::slack_signature(&secret, ts, other.as_bytes()).into();
    assert_eq!(ing.send(&elsewhere, Some(other.into_bytes())).await, 401);
    assert_eq!(
        ing.count("SELECT count(*) FROM webhook_receipts WHERE provider = 'slack'")
            .await,
        1,
        "nothing refused was recorded"
    );
}
