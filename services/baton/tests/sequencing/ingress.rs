//! From a provider's webhook to an email sent, through the ingress: MeetingBaaS's `complete`
//! fixture becomes a meeting_ended job for the meeting's organiser, which waits at its email
//! gate; the Slack Approve fixture, clicked by that rep on that gate (re-signed for the test
//! clock), becomes the decision that sends the email — once, however often Slack delivers
//! the click.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::{config::BusKind, service::Service};
use baton_schemas::{JobId, PendingActionId};
use secrecy::SecretString;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::harness::{EmailProvider, Env, InProcess, data};

fn fixture(name: &str) -> Value {
    let path = data().join("webhooks").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Posts `body` to `url` with `headers`; the status.
async fn post(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> u16 {
    baton_platform::install_crypto_provider();
    let mut req = reqwest::Client::new().post(url).body(body);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn webhooks_to_an_email(bus: BusKind) {
    let complete = fixture("meetingbaas_complete.json");
    let approve = fixture("slack/block_actions_approve.json");
    let key = complete["request"]["headers"]["x-meeting-baas-api-key"]
        .as_str()
        .unwrap();
    let secret = approve["_meta"]["signing_secret_for_tests"]
        .as_str()
        .unwrap();

    let email = EmailProvider::start().await;
    let mut env = Env::new(bus, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    env.config.ingress.meetingbaas_api_keys = vec![SecretString::from(key.to_string())];
    env.config.ingress.slack_signing_secrets = vec![SecretString::from(secret.to_string())];
    let clock = Arc::new(ManualClock::at("2026-11-18T21:00:00Z".parse().unwrap()));
    let services = InProcess::start_with_gateway(&env, clock.clone()).await;
    let ingress = Service::start(baton_ingress::NAME, &env.config)
        .await
        .unwrap()
        .with_clock(clock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    tokio::spawn(baton_ingress::serve(
        baton_ingress::Ingress::new(ingress, &env.config),
        listener,
        shutdown.clone(),
    ));

    // The recording is done: its transcript and the meeting_ended job.
    let headers = [
        ("content-type", "application/json".to_string()),
        ("x-meeting-baas-api-key", key.to_string()),
    ];
    let body = serde_json::to_vec(&complete["request"]["body"]).unwrap();
    assert_eq!(
        post(&format!("{base}/webhooks/meetingbaas"), &headers, body).await,
        200
    );
    env.wait(
        "SELECT COALESCE(bool_or(status = 'awaiting_approval'), false) FROM sequence_jobs
         WHERE event_type = 'meeting_ended' AND trigger_payload->>'meeting_id' = 'mtg_dev_009'",
        "the follow-up email's gate",
    )
    .await;
    let (job, user): (String, String) = sqlx::query_as(
        "SELECT id::text, user_id FROM sequence_jobs WHERE trigger_payload->>'meeting_id' = 'mtg_dev_009'",
    )
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert_eq!(user, "u_bl_daniel", "the meeting's organiser");
    let step = env.job(&job).await["context"]["pending_approvals"][0]
        .as_i64()
        .unwrap() as usize;
    let gate = PendingActionId::for_gate(job.parse::<JobId>().unwrap(), step, 1);
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM slack_pending_actions WHERE id = '{}'",
            gate.uuid()
        ),
        "the gateway's pending action",
    )
    .await;

    // Daniel clicks Approve on that gate: the fixture's click, his user id and this gate's id,
    // signed now.
    let mut payload = approve["payload_decoded"].clone();
    payload["user"]["id"] = "U05K3RDX7PN".into();
    payload["actions"][0]["value"] = gate.to_string().into();
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload.to_string())
        .finish();
    let ts = baton_core::clock::Clock::now(&*clock).timestamp();
    let headers = [
        (
            "content-type",
            "application/x-www-form-urlencoded".to_string(),
        ),
        ("x-slack-request-timestamp", ts.to_string()),
        (
            "x-slack-signature",
            baton_ingress::verify::slack_signature(secret, ts, body.as_bytes()),
        ),
    ];
    for _ in 0..3 {
        let status = post(
            &format!("{base}/slack/interactivity"),
            &headers,
            body.clone().into_bytes(),
        )
        .await;
        assert_eq!(status, 200);
    }
    env.wait(
        &format!("SELECT count(*) = 1 FROM audit_log WHERE job_id = '{job}' AND action = 'approval.resolved' AND detail->>'decided_by' = 'u_bl_daniel'"),
        "Daniel's decision to be applied",
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while email.count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the approved email was not sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(email.count(), 1, "the email was sent once");
    let receipts: i64 = env
        .scalar("SELECT count(*) FROM webhook_receipts WHERE provider = 'slack'")
        .await;
    assert_eq!(receipts, 1, "three deliveries of one click, one receipt");
    shutdown.cancel();
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_meeting_and_the_reps_click_send_the_email_once_on_the_embedded_bus() {
    webhooks_to_an_email(BusKind::Embedded).await;
}

/// On Kafka the ingress's outbox is published by the relay (here, the other services').
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_meeting_and_the_reps_click_send_the_email_once_on_kafka() {
    webhooks_to_an_email(BusKind::Kafka).await;
}
