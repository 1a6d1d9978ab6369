//! From a provider's webhook to an email sent, through the ingress: MeetingBaaS's `complete`
//! fixture becomes a meeting_ended job for the meeting's organiser, which waits at its email
//! gate. Then the rep decides in Slack, with the fixtures' clicks on that gate by that rep,
//! re-signed for the clock (an injected one in process; now, for processes): Approve
//! (delivered three times) sends the email once; Edit opens the draft in a modal
//! (`views.open` on a local Slack server), an emptied body is shown back as the field's
//! error, and the edited body is what is sent. Each runs with the services in this process,
//! and again with the five services and the ingress as six `baton run` processes (on both
//! buses for Approve).

use std::sync::Arc;

use baton_core::clock::{Clock, ManualClock, SystemClock};
use baton_platform::{config::BusKind, service::Service};
use baton_schemas::{JobId, PendingActionId};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::harness::{
    EmailProvider, Env, FIVE, InProcess, SlackApi, data, delivery_vars, slack_api,
};

fn fixture(name: &str) -> Value {
    let path = data().join("webhooks").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Daniel Reyes, the organiser of the sample recording, in the sample workspace.
const DANIEL_SLACK: &str = "U05K3RDX7PN";

/// The recorded meeting's job at its email gate, with the ingress and the services running.
struct AtTheGate {
    env: Env,
    running: Running,
    email: EmailProvider,
    slack: Arc<SlackApi>,
    base: String,
    clock: Arc<dyn Clock>,
    secret: String,
    job: String,
    gate: PendingActionId,
}

/// How the services run.
enum Running {
    /// In this process on an injected clock, the ingress served from here.
    InProcess {
        services: Box<InProcess>,
        shutdown: CancellationToken,
    },
    /// Each of the five services and the ingress a `baton run` process of its own, on the
    /// database's clock.
    Processes(Vec<tokio::process::Child>),
}

/// Where the services run.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    InProcess,
    Processes,
}

async fn at_the_gate(bus: BusKind, mode: Mode) -> AtTheGate {
    let complete = fixture("meetingbaas_complete.json");
    let key = complete["request"]["headers"]["x-meeting-baas-api-key"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = fixture("slack/block_actions_approve.json")["_meta"]["signing_secret_for_tests"]
        .as_str()
        .unwrap()
        .to_string();

    let email = EmailProvider::start().await;
    let (slack_url, slack) = slack_api().await;
    let mut env = Env::new(bus, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    env.config.notifier.slack_base_url = slack_url.clone();
    env.config.notifier.slack_token = Some(SecretString::from("xoxb-test".to_string()));
    env.config.ingress.meetingbaas_api_keys = vec![SecretString::from(key.clone())];
    env.config.ingress.slack_signing_secrets = vec![SecretString::from(secret.clone())];
    let (running, base, clock): (Running, String, Arc<dyn Clock>) = match mode {
        Mode::InProcess => {
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
                baton_ingress::Ingress::new(ingress, &env.config).unwrap(),
                listener,
                shutdown.clone(),
            ));
            let services = Box::new(services);
            (Running::InProcess { services, shutdown }, base, clock)
        }
        Mode::Processes => {
            let port = crate::harness::free_port();
            let mut extra = delivery_vars(&email, &slack_url);
            extra.extend([
                (
                    "BATON_INGRESS__LISTEN".to_string(),
                    format!("127.0.0.1:{port}"),
                ),
                (
                    "BATON_INGRESS__MEETINGBAAS_API_KEYS".to_string(),
                    format!("[\"{key}\"]"),
                ),
                (
                    "BATON_INGRESS__SLACK_SIGNING_SECRETS".to_string(),
                    format!("[\"{secret}\"]"),
                ),
            ]);
            let mut children = env.spawn_each(&FIVE, &extra);
            children.push(env.spawn_with("ingress", &extra));
            let base = format!("http://127.0.0.1:{port}");
            wait_listening(&base).await;
            (Running::Processes(children), base, Arc::new(SystemClock))
        }
    };

    // The recording is done: its transcript and the meeting_ended job.
    let headers = [
        ("content-type", "application/json".to_string()),
        ("x-meeting-baas-api-key", key),
    ];
    let body = serde_json::to_vec(&complete["request"]["body"]).unwrap();
    let (status, _) = post(&format!("{base}/webhooks/meetingbaas"), &headers, body).await;
    assert_eq!(status, 200);
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
    AtTheGate {
        env,
        running,
        email,
        slack,
        base,
        clock,
        secret,
        job,
        gate,
    }
}

/// Waits until the ingress process answers on `base`.
async fn wait_listening(base: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let addr = base.trim_start_matches("http://").to_string();
    while tokio::net::TcpStream::connect(&addr).await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the ingress never listened on {addr}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Posts `body` to `url` with `headers`; the status and the answer's body.
async fn post(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> (u16, String) {
    baton_platform::install_crypto_provider();
    let mut req = reqwest::Client::new()
        .post(url)
        .timeout(std::time::Duration::from_secs(30))
        .body(body);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

impl AtTheGate {
    /// Sends `payload` to the interactivity endpoint as Slack would now: form-encoded, signed.
    async fn slack(&self, payload: &Value) -> (u16, String) {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &payload.to_string())
            .finish();
        let ts = self.clock.now().timestamp();
        let signature = baton_ingress::verify::slack_signature(&self.secret, ts, body.as_bytes());
        let headers = [
            (
                "content-type",
                "application/x-www-form-urlencoded".to_string(),
            ),
            ("x-slack-request-timestamp", ts.to_string()),
            ("x-slack-signature", signature),
        ];
        post(
            &format!("{}/slack/interactivity", self.base),
            &headers,
            body.into_bytes(),
        )
        .await
    }

    /// A fixture's interaction, by Daniel, on this job's gate.
    fn click(&self, name: &str) -> Value {
        let mut payload = fixture(name)["payload_decoded"].clone();
        payload["user"]["id"] = DANIEL_SLACK.into();
        if payload["actions"].is_array() {
            payload["actions"][0]["value"] = self.gate.to_string().into();
        }
        payload
    }

    async fn email_sent(&self) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while self.email.count() == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the approved email was not sent"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.email.sends()[0].1.clone()
    }

    async fn stop(self) {
        match self.running {
            Running::InProcess { services, shutdown } => {
                shutdown.cancel();
                services.stop().await;
            }
            Running::Processes(mut children) => {
                for c in &mut children {
                    c.kill().await.unwrap();
                }
            }
        }
    }
}

async fn approve_in_slack(bus: BusKind, mode: Mode) {
    let g = at_the_gate(bus, mode).await;
    let click = g.click("slack/block_actions_approve.json");
    for _ in 0..3 {
        assert_eq!(g.slack(&click).await.0, 200);
    }
    g.env
        .wait(
            &format!(
                "SELECT count(*) = 1 FROM audit_log WHERE job_id = '{}' AND action = 'approval.resolved' AND detail->>'decided_by' = 'u_bl_daniel'",
                g.job
            ),
            "Daniel's decision to be applied",
        )
        .await;
    g.email_sent().await;
    assert_eq!(g.email.count(), 1, "the email was sent once");
    let receipts: i64 = g
        .env
        .scalar("SELECT count(*) FROM webhook_receipts WHERE provider = 'slack'")
        .await;
    assert_eq!(receipts, 1, "three deliveries of one click, one receipt");
    g.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_meeting_and_the_reps_click_send_the_email_once_on_the_embedded_bus() {
    approve_in_slack(BusKind::Embedded, Mode::InProcess).await;
}

/// On Kafka the ingress's outbox is published by the relay (here, the other services').
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_meeting_and_the_reps_click_send_the_email_once_on_kafka() {
    approve_in_slack(BusKind::Kafka, Mode::InProcess).await;
}

/// The five services and the ingress each a process of its own, on each bus: the recording
/// through to the email, the click signed for now.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_processes_take_the_recording_to_the_sent_email_on_the_embedded_bus() {
    approve_in_slack(BusKind::Embedded, Mode::Processes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_processes_take_the_recording_to_the_sent_email_on_kafka() {
    approve_in_slack(BusKind::Kafka, Mode::Processes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_processes_open_the_edit_modal_and_send_the_edit() {
    edit_in_slack(Mode::Processes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rep_edits_the_draft_in_a_slack_modal_and_the_edit_is_sent() {
    edit_in_slack(Mode::InProcess).await;
}

async fn edit_in_slack(mode: Mode) {
    let g = at_the_gate(BusKind::Embedded, mode).await;
    let draft: Value = g
        .env
        .scalar(&format!(
            "SELECT draft FROM slack_pending_actions WHERE id = '{}'",
            g.gate.uuid()
        ))
        .await;

    // Edit: the modal opens with the draft's subject and body, naming the gate.
    assert_eq!(
        g.slack(&g.click("slack/block_actions_edit.json")).await.0,
        200
    );
    let opened = g.slack.views.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "{opened:#?}");
    let edit_fixture = fixture("slack/block_actions_edit.json");
    assert_eq!(
        opened[0]["trigger_id"],
        edit_fixture["payload_decoded"]["trigger_id"]
    );
    let view = &opened[0]["view"];
    assert_eq!(view["callback_id"], "baton.edit_draft");
    let metadata: Value = serde_json::from_str(view["private_metadata"].as_str().unwrap()).unwrap();
    assert_eq!(metadata["pending_action_id"], g.gate.to_string());
    let initial = |block: &str| {
        view["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["block_id"] == block)
            .map(|b| b["element"]["initial_value"].clone())
    };
    assert_eq!(initial("draft_subject"), Some(draft["subject"].clone()));
    assert_eq!(initial("draft_body"), Some(draft["body"].clone()));

    // Submitted with the body emptied: the modal shows why, nothing is decided.
    let submit = |body: &str| {
        let mut p = g.click("slack/view_submission_edit.json");
        p["view"]["private_metadata"] = view["private_metadata"].clone();
        p["view"]["state"]["values"] = json!({
            "draft_subject": { "subject_input": { "type": "plain_text_input", "value": draft["subject"] } },
            "draft_body": { "body_input": { "type": "plain_text_input", "value": body } },
        });
        p["trigger_id"] = uuid::Uuid::now_v7().to_string().into();
        p
    };
    let (status, answer) = g.slack(&submit("   ")).await;
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["response_action"], "errors");
    assert!(
        answer["errors"]["draft_body"]
            .as_str()
            .unwrap()
            .contains("may not be empty"),
        "{answer}"
    );

    // Submitted with the rep's words: that is what is sent.
    let edited = "Frank, Tina — thanks for the time today. Proposal by Friday.\n\nDaniel";
    let (status, answer) = g.slack(&submit(edited)).await;
    assert_eq!((status, answer.as_str()), (200, ""));
    let sent = g.email_sent().await;
    assert_eq!(sent["input"]["draft"]["body"], edited);
    assert_eq!(g.env.gate_status(&g.gate).await, "edited");
    g.stop().await;
}

/// The ingress process is killed -9 after it committed an accepted webhook and before its
/// outbox relay published the event (Kafka): restarted, it publishes the event once, and the
/// provider's redelivery changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_kill_9_ingress_between_commit_and_publish_publishes_the_event_once() {
    let complete = fixture("meetingbaas_complete.json");
    let key = complete["request"]["headers"]["x-meeting-baas-api-key"]
        .as_str()
        .unwrap()
        .to_string();
    let env = Env::new(BusKind::Kafka, None).await;
    let port = crate::harness::free_port();
    let extra = vec![
        (
            "BATON_INGRESS__LISTEN".to_string(),
            format!("127.0.0.1:{port}"),
        ),
        (
            "BATON_INGRESS__MEETINGBAAS_API_KEYS".to_string(),
            format!("[\"{key}\"]"),
        ),
    ];
    let mut crashing = extra.clone();
    crashing.push((
        "BATON_CRASH_AT".to_string(),
        "relay_before_publish:1".to_string(),
    ));
    let url = format!("http://127.0.0.1:{port}/webhooks/meetingbaas");
    let headers = [
        ("content-type", "application/json".to_string()),
        ("x-meeting-baas-api-key", key),
    ];
    let body = serde_json::to_vec(&complete["request"]["body"]).unwrap();
    let deliver = || async {
        // Until the process listens.
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return post(&url, &headers, body.clone()).await.0;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the ingress did not listen on {port}");
    };

    let (mut ingress, mut out) = env.spawn_piped("ingress", &crashing);
    assert_eq!(
        deliver().await,
        200,
        "accepted: committed before the answer"
    );
    crate::harness::wait_for_line(&mut out, "CRASHPOINT relay_before_publish").await;
    ingress.kill().await.unwrap();
    let unsent: i64 = env
        .scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .await;
    assert_eq!(unsent, 1, "the event is in the outbox, not yet on Kafka");

    let _ingress = env.spawn_with("ingress", &extra);
    assert_eq!(deliver().await, 200, "the provider's retry: a duplicate");
    env.wait(
        "SELECT count(*) = 0 FROM outbox WHERE sent_at IS NULL",
        "the restarted relay to publish",
    )
    .await;
    let events: Vec<baton_schemas::OrchestratorEvent> =
        env.consume(std::time::Duration::from_secs(5)).await;
    let meeting_ended: Vec<_> = events
        .iter()
        .filter(|e| e.source == "webhook:meetingbaas")
        .collect();
    assert_eq!(meeting_ended.len(), 1, "{events:#?}");
    let outbox: i64 = env.scalar("SELECT count(*) FROM outbox").await;
    assert_eq!(outbox, 1, "one event staged for two deliveries");
}
