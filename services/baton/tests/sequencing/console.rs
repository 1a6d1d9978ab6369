//! The web console in headless Chromium (Debian's `chromium` and `chromium-driver`, driven
//! over WebDriver with fantoccini), against the five services as processes, a local email
//! provider and Slack: a rep signs in and sees the runs, a run's steps, gates and child job;
//! approves one gate and edits another from the approvals inbox (the edited body is what the
//! email provider receives); a second rep cannot see or decide the first rep's gate; a form
//! without its CSRF token is refused; a read-only user sees the runs and cannot act; a job
//! deferred by quiet hours says why and until when; an admin's bulk retry by filter shows
//! its count and runs first and leaves one audit record per run with the reason; `baton demo
//! --keep` leaves the console serving the demo's runs. Screenshots of the runs list, a run page
//! and the approvals inbox go to `target/console-screenshots/`.

use std::{
    path::PathBuf,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use baton_platform::{config::BusKind, service::Service};

/// The connect flows: Add to Slack, Google and Microsoft consent.
mod connect;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use baton_schemas::Decision;

use crate::harness::{
    EmailProvider, Env, FIVE, delivery_vars, meeting_ended, repo, slack_api, slack_click,
};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Where the screenshots go (the README names it).
fn screenshots() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The console in this process on a free port, signed in by picking a user.
async fn start_console(env: &Env, stop: &CancellationToken) -> String {
    start_console_with(env, stop, |c| c.dev_signin = true).await
}

/// The console in this process on a free port, its `[console]` section set by `set`.
async fn start_console_with(
    env: &Env,
    stop: &CancellationToken,
    set: impl FnOnce(&mut baton_platform::config::ConsoleConfig),
) -> String {
    start_console_config(env, stop, |c| set(&mut c.console)).await
}

/// The console in this process on a free port, its configuration set by `set`.
async fn start_console_config(
    env: &Env,
    stop: &CancellationToken,
    set: impl FnOnce(&mut baton_platform::config::Config),
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = env.config.clone();
    config.console.public_base_url = Some(base.clone());
    set(&mut config);
    let svc = Service::start(baton_console::NAME, &config).await.unwrap();
    let console = baton_console::Console::new(svc, &config).unwrap();
    tokio::spawn(baton_console::serve(console, listener, stop.clone()));
    base
}

/// The link labelled `label` in the Slack messages posted so far (`<url|label>`).
fn slack_link(api: &crate::harness::SlackApi, label: &str) -> Option<String> {
    let posts = api.posts.lock().unwrap();
    posts.iter().find_map(|(_, body)| {
        let text = body["blocks"].to_string();
        let end = text.find(&format!("|{label}>"))?;
        let start = text[..end].rfind('<')? + 1;
        Some(text[start..end].to_string())
    })
}

/// Whether a WebDriver command failed because the page replaced the element.
fn stale(e: &fantoccini::error::CmdError) -> bool {
    matches!(e, fantoccini::error::CmdError::Standard(w)
        if w.error == fantoccini::error::ErrorStatus::StaleElementReference)
}

/// Headless Chromium through chromedriver, on the console at `base`.
struct Browser {
    client: Client,
    base: String,
    _driver: tokio::process::Child,
}

impl Browser {
    async fn start(base: &str) -> Browser {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists(),
            "the console's browser test needs Debian's chromium and chromium-driver packages \
             (`apt-get install chromium chromium-driver`; .ci/run installs them)"
        );
        let port = crate::harness::free_port();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                // As root, Chromium runs only without its sandbox.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1200,1000"],
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(c) => break c,
                Err(e) if tokio::time::Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("chromedriver did not start: {e}"),
            }
        };
        Browser {
            client,
            base: base.to_string(),
            _driver: driver,
        }
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// The element `css` finds, once the page has one (a click's navigation may still be
    /// under way).
    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// The text of `css` — found again when the page reloaded itself (a running run's page
    /// does, on live updates) between finding the element and reading it.
    async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            match self.element(css).await.text().await {
                Ok(text) => return text,
                Err(e) if stale(&e) => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(e) => panic!("{css}: {e}"),
            }
        }
        panic!("{css}: replaced by every reload for five seconds")
    }

    async fn click(&self, css: &str) {
        for _ in 0..50 {
            match self.element(css).await.click().await {
                Ok(()) => return,
                Err(e) if stale(&e) => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(e) => panic!("{css}: {e}"),
            }
        }
        panic!("{css}: replaced by every reload for five seconds")
    }

    async fn sign_in(&self, user: &str) {
        self.goto("/signin").await;
        self.client
            .find(Locator::Css("select[name=user]"))
            .await
            .unwrap()
            .select_by_value(user)
            .await
            .unwrap();
        self.click("form button[type=submit]").await;
        // Signed in: the header names who (and the page is no longer the picker).
        let who = self.text("#whoami").await;
        assert!(who.contains("·"), "{user}: {who}");
    }

    async fn sign_out(&self) {
        self.click("header form button").await;
        self.client
            .wait()
            .for_element(Locator::Css("select[name=user]"))
            .await
            .unwrap();
    }

    /// Signs out on a console whose sign-in page offers Slack only.
    async fn sign_out_to_slack(&self) {
        self.click("header form button").await;
        self.client
            .wait()
            .for_element(Locator::Css("#slack-signin"))
            .await
            .unwrap();
    }

    /// POSTs a form from the page (as a forged or hand-made form would), with this
    /// session's CSRF token when `with_csrf`; the answer's status.
    async fn post(&self, path: &str, fields: Value, with_csrf: bool) -> u64 {
        let script = r#"
            const [path, fields, withCsrf] = arguments;
            const body = new URLSearchParams(fields);
            if (withCsrf) body.set('csrf', document.querySelector('input[name=csrf]').value);
            return fetch(path, { method: 'POST', body, redirect: 'manual' }).then(r => r.status);
        "#;
        let status = self
            .client
            .execute(script, vec![json!(path), fields, json!(with_csrf)])
            .await
            .unwrap();
        status.as_u64().unwrap()
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
    }
}

/// The pending gate of `job` (its id as the console shows it: `pa_<uuid>`), once there is one.
async fn pending_gate(env: &Env, job: &str) -> String {
    env.wait(
        &format!("SELECT count(*) = 1 FROM slack_pending_actions WHERE job_id = '{job}' AND status = 'pending'"),
        "a pending gate",
    )
    .await;
    env.scalar(&format!(
        "SELECT 'pa_' || id::text FROM slack_pending_actions WHERE job_id = '{job}' AND status = 'pending'"
    ))
    .await
}

/// The gate's id in element ids (`gate-pa_<uuid>`).
fn gate_css(gate: &str) -> String {
    format!("#gate-{gate}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_reviews_and_decides_in_the_browser_and_nobody_else_can() {
    let email = EmailProvider::start().await;
    let (slack, api) = slack_api().await;
    let env = Env::new(BusKind::Embedded, None).await;
    for sql in [
        "UPDATE slack_user_preferences SET max_notifications_per_hour = 100",
        "INSERT INTO users (id, org_id, name, email, console_access)
         VALUES ('u_bl_ada', 'org_brightlane', 'Ada Auditor', 'ada@example.test', 'read_only')",
    ] {
        sqlx::query(sql).execute(&env.owner).await.unwrap();
    }
    let stop = CancellationToken::new();
    let base = start_console(&env, &stop).await;
    // The services link their Slack messages to this console.
    let mut vars = delivery_vars(&email, &slack);
    vars.push(("BATON_CONSOLE__PUBLIC_BASE_URL".into(), base.clone()));
    let _procs = env.spawn_each(&FIVE, &vars);

    let first = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    let second = meeting_ended("mtg_dev_003", "d_harbor", "ct_victor_amadi");
    env.publish(&first).await;
    env.publish(&second).await;
    let approved = env.job_at_gate(&first).await;
    let edited = env.job_at_gate(&second).await;
    let (email_gate, edit_gate) = (
        pending_gate(&env, &approved).await,
        pending_gate(&env, &edited).await,
    );

    let b = Browser::start(&base).await;
    b.sign_in("u_bl_maya").await;
    // The approval message in Slack links to the run's page in the console.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let run_link = loop {
        if let Some(l) = slack_link(&api, "the run") {
            break l;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no Slack message links to the console"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(run_link.starts_with(&format!("{base}/runs/")), "{run_link}");
    b.client.goto(&run_link).await.unwrap();
    assert!(b.text("h1").await.starts_with("Run "));
    b.goto("/runs").await;
    let runs = b.text("#runs").await;
    assert!(
        runs.contains(&approved[..8]) && runs.contains(&edited[..8]),
        "{runs}"
    );
    b.screenshot("runs-list").await;

    // Approve one email gate with its button.
    b.goto("/approvals").await;
    b.screenshot("approvals-inbox").await;
    b.click(&format!("{} button[value=approve]", gate_css(&email_gate)))
        .await;
    assert!(b.text("#sent").await.contains("Decision sent"));
    env.wait(
        &format!(
            "SELECT status = 'approved' FROM slack_pending_actions WHERE id = '{}'",
            &email_gate[3..]
        ),
        "the approved gate",
    )
    .await;

    // Edit the other: the edited body is what the email provider receives.
    let body = "Hi Victor,\n\nEdited in the Baton console before sending.\n\nMaya";
    b.goto("/approvals").await;
    b.click(&format!("{} summary", gate_css(&edit_gate))).await;
    let area = b
        .client
        .find(Locator::Css(&format!(
            "{} textarea[name=body]",
            gate_css(&edit_gate)
        )))
        .await
        .unwrap();
    area.clear().await.unwrap();
    area.send_keys(body).await.unwrap();
    b.click(&format!("{} form.edit button", gate_css(&edit_gate)))
        .await;
    env.wait(
        &format!(
            "SELECT status = 'edited' FROM slack_pending_actions WHERE id = '{}'",
            &edit_gate[3..]
        ),
        "the edited gate",
    )
    .await;
    env.wait(
        &format!("SELECT count(*) = 1 FROM step_runs WHERE job_id = '{edited}' AND step_index = 6 AND status = 'succeeded'"),
        "the edited email's send",
    )
    .await;
    let sent: Vec<Value> = email
        .sends()
        .into_iter()
        .filter(|(key, _)| key.starts_with(&edited))
        .map(|(_, b)| b)
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["input"]["draft"]["body"], body);

    // The approved job's task gate, approved too: the job completes and chains its child.
    let task_gate = pending_gate(&env, &approved).await;
    b.goto("/approvals").await;
    b.click(&format!("{} button[value=approve]", gate_css(&task_gate)))
        .await;
    env.wait(
        &format!("SELECT status = 'completed' AND jsonb_array_length(event_chain->'children') > 0 FROM sequence_jobs WHERE id = '{approved}'"),
        "the job to complete with its child",
    )
    .await;
    let child: String = env
        .scalar(&format!(
            "SELECT event_chain->'children'->>0 FROM sequence_jobs WHERE id = '{approved}'"
        ))
        .await;
    b.goto(&format!("/runs/{approved}")).await;
    let steps = b
        .client
        .find_all(Locator::Css("#steps tr.step"))
        .await
        .unwrap();
    assert!(steps.len() >= 6, "{} step rows", steps.len());
    let gates = b.text("#gates").await;
    assert!(
        gates.contains("approved") && gates.contains("u_bl_maya"),
        "{gates}"
    );
    assert!(b.text("#lineage li.child").await.contains(&child[..8]));
    assert!(b.text("#audit").await.contains("gate"));
    b.screenshot("run-page").await;

    // What the runs cost, by sequence and day, against the org's budget.
    b.goto("/costs").await;
    assert!(b.text("#budget").await.contains("AI budget"));
    let by_sequence = b.text("#by-sequence").await;
    assert!(by_sequence.contains("meeting_ended"), "{by_sequence}");
    assert!(b.text("#top-runs").await.contains(&approved[..8]));

    // A form without its CSRF token is refused; the gate stays open.
    let open = pending_gate(&env, &edited).await;
    let decide = format!("/approvals/{open}/decide");
    assert_eq!(
        b.post(&decide, json!({ "decision": "approve" }), false)
            .await,
        403
    );
    // The operations page is for admins and read-only users.
    b.goto("/ops").await;
    assert!(b.text("#message").await.contains("admins"));
    b.goto("/runs").await;
    b.sign_out().await;

    // Another rep sees neither Maya's runs nor her gate, and cannot decide it.
    b.sign_in("u_bl_daniel").await;
    b.goto("/runs").await;
    assert!(!b.text("#runs").await.contains(&edited[..8]));
    b.goto(&format!("/runs/{edited}")).await;
    assert!(b.text("#message").await.contains("u_bl_maya"));
    b.goto("/approvals").await;
    assert!(b.client.find(Locator::Css(&gate_css(&open))).await.is_err());
    assert_eq!(
        b.post(&decide, json!({ "decision": "approve" }), true)
            .await,
        403
    );
    b.sign_out().await;

    // A read-only user sees the org's runs and acts on nothing.
    b.sign_in("u_bl_ada").await;
    b.goto("/runs").await;
    assert!(b.text("#runs").await.contains(&edited[..8]));
    assert_eq!(
        b.post(&decide, json!({ "decision": "approve" }), true)
            .await,
        403
    );
    b.sign_out().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status: String = env
        .scalar(&format!(
            "SELECT status FROM slack_pending_actions WHERE id = '{}'",
            &open[3..]
        ))
        .await;
    assert_eq!(status, "pending", "nobody but Maya decided her gate");

    // Daniel in his quiet hours: his new run is deferred, and its page says until when.
    sqlx::query(
        "UPDATE slack_user_preferences SET timezone = 'UTC',
            quiet_hours_start = ((now() AT TIME ZONE 'UTC') - interval '1 hour')::time,
            quiet_hours_end = ((now() AT TIME ZONE 'UTC') + interval '1 hour')::time
         WHERE user_id = 'u_bl_daniel'",
    )
    .execute(&env.owner)
    .await
    .unwrap();
    let mut quiet = meeting_ended("mtg_dev_002", "d_keystone", "ct_linda_marsh");
    quiet.user_id = "u_bl_daniel".into();
    env.publish(&quiet).await;
    env.wait(
        &format!(
            "SELECT COALESCE(bool_or(status = 'deferred'), false) FROM sequence_jobs WHERE event_id = '{}'",
            quiet.event_id
        ),
        "the deferred job",
    )
    .await;
    let deferred: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            quiet.event_id
        ))
        .await;
    b.sign_in("u_bl_daniel").await;
    b.goto("/runs?stuck=1").await;
    assert!(b.text("#runs").await.contains(&deferred[..8]));
    b.goto(&format!("/runs/{deferred}")).await;
    let why = b.text("#why").await;
    assert!(why.contains("quiet hours") && why.contains("UTC"), "{why}");

    // Live updates: Maya's page of the run at its task gate reloads by itself when the gate
    // is decided elsewhere (in Slack).
    b.goto("/runs").await;
    b.sign_out().await;
    b.sign_in("u_bl_maya").await;
    b.goto(&format!("/runs/{edited}")).await;
    assert!(b.text("#gates").await.contains("decide"));
    crate::harness::slack_click(&env, &open, Decision::Approve, None).await;
    env.wait(
        &format!(
            "SELECT status = 'approved' FROM slack_pending_actions WHERE id = '{}'",
            &open[3..]
        ),
        "the gate approved in Slack",
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let gates = b.text("#gates").await;
        if gates.contains("approved") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the page never updated: {gates}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.client.close().await.unwrap();
    stop.cancel();
}

/// An email provider that refuses every send for good (400): the send step fails and, with
/// nothing to retry automatically, so does the job.
async fn refusing_provider() -> String {
    let app = axum::Router::new().route(
        "/send",
        axum::routing::post(|| async {
            (
                axum::http::StatusCode::BAD_REQUEST,
                "recipient mailbox unknown",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/send")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_retry_by_filter_shows_its_count_and_audits_each_run_with_the_reason() {
    let refusing = refusing_provider().await;
    let (slack, _api) = slack_api().await;
    let env = Env::new(BusKind::Embedded, None).await;
    sqlx::query("UPDATE slack_user_preferences SET max_notifications_per_hour = 100")
        .execute(&env.owner)
        .await
        .unwrap();
    let vars = [
        ("BATON_SKILLS__EMAIL_URL", refusing.as_str()),
        ("BATON_NOTIFIER__SLACK_BASE_URL", slack.as_str()),
        ("BATON_NOTIFIER__SLACK_TOKEN", "xoxb-e2e"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let _procs = env.spawn_each(&FIVE, &vars);
    let stop = CancellationToken::new();
    let base = start_console(&env, &stop).await;

    // Two runs whose approved email the provider refuses: both fail.
    let mut failed = Vec::new();
    for (m, d, ct) in [
        ("mtg_dev_001", "d_keystone", "ct_linda_marsh"),
        ("mtg_dev_003", "d_harbor", "ct_victor_amadi"),
    ] {
        let ev = meeting_ended(m, d, ct);
        env.publish(&ev).await;
        let job = env.job_at_gate(&ev).await;
        let gate = pending_gate(&env, &job).await;
        slack_click(&env, &gate, Decision::Approve, None).await;
        failed.push(job);
    }
    for job in &failed {
        env.wait(
            &format!("SELECT status = 'failed' FROM sequence_jobs WHERE id = '{job}'"),
            "the refused send to fail the job",
        )
        .await;
    }

    // The admin filters the failed runs, reviews the retry (its count and its runs), and
    // sends it with a reason.
    let b = Browser::start(&base).await;
    b.sign_in("u_bl_tom").await;
    b.goto("/runs?status=failed").await;
    assert_eq!(b.text("#count").await, "2 runs");
    b.click("#bulk").await;
    let review = b.text("#bulk-count").await;
    assert!(
        review.starts_with("2 runs match") && review.contains("2 of them"),
        "{review}"
    );
    let listed = b.text("#runs").await;
    assert!(failed.iter().all(|j| listed.contains(&j[..8])), "{listed}");
    let reason = "provider fixed the recipient check";
    b.client
        .find(Locator::Css("input[name=reason]"))
        .await
        .unwrap()
        .send_keys(reason)
        .await
        .unwrap();
    b.click("#bulk-run").await;
    assert!(b.text("#bulk-done").await.contains("retry 2 runs"));

    // Two dead letters of the org on the ops page, with class and coordinates; the admin
    // inspects one and replays it, then replays the rest at once; their events become jobs.
    let events = crate::harness::topic(&env, baton_schemas::Topic::Events);
    let mut lost = Vec::new();
    for (offset, meeting) in [(41, "mtg_dev_004"), (42, "mtg_dev_005")] {
        let ev = meeting_ended(meeting, "d_keystone", "ct_linda_marsh");
        let original = env.svc.producer.envelope(&ev).unwrap();
        env.publish_unchecked(&baton_schemas::DeadLetter {
            original_topic: events.clone(),
            original_partition: 0,
            original_offset: offset,
            original_key: original.key.clone(),
            original_value: original.payload.clone(),
            original_headers: original
                .headers
                .iter()
                .map(|(n, v)| baton_schemas::Header {
                    name: n.clone(),
                    value: v.as_bytes().to_vec(),
                })
                .collect(),
            consumer_group: format!("{}router", env.config.bus.topic_prefix),
            error_class: baton_schemas::DeadLetterClass::HandlerRejected,
            error_message: "the router refused it (a test's stand-in)".into(),
            failed_at: chrono::Utc::now(),
        })
        .await;
        lost.push(ev);
    }
    b.goto("/ops").await;
    let table = b.text("#deadletters table").await;
    assert!(
        table.contains("handler_rejected") && table.contains(&format!("{events}[0]@41")),
        "{table}"
    );
    assert!(b.text("#replay-all").await.contains("Replay the 2"));
    b.click("#deadletters tr.letter a").await;
    let detail = b.text("#letter").await;
    assert!(
        detail.contains("ce_id") && detail.contains("handler_rejected"),
        "{detail}"
    );
    b.click("#replay").await;
    assert!(b.text("#replay-all").await.contains("Replay the 1"));
    b.click("#replay-all").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while b.client.find(Locator::Css("#replay-all")).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the page still offers a replay"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for ev in &lost {
        env.wait(
            &format!(
                "SELECT count(*) = 1 FROM sequence_jobs WHERE event_id = '{}'",
                ev.event_id
            ),
            "the replayed event's job",
        )
        .await;
    }

    // One audit record per run, with the reason; each ran its failed step again.
    for job in &failed {
        env.wait(
            &format!(
                "SELECT count(*) = 1 FROM audit_log WHERE job_id = '{job}' AND action = 'job.retry'
                 AND detail->>'reason' = '{reason}' AND detail->>'by' = 'u_bl_tom (console)'"
            ),
            "the retry's audit record",
        )
        .await;
        env.wait(
            &format!(
                "SELECT count(*) = 2 FROM step_runs WHERE job_id = '{job}' AND step_index = 6"
            ),
            "a second attempt at the send",
        )
        .await;
    }
    b.client.close().await.unwrap();
    stop.cancel();
}

/// A run at its gate whose approval message the notifier holds back (Maya's hourly limit is
/// reached) says so on its page, and until when.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gate_message_held_by_the_hourly_limit_says_so_and_until_when() {
    let (slack, _api) = slack_api().await;
    let env = Env::new(BusKind::Embedded, None).await;
    for sql in [
        "UPDATE slack_user_preferences SET max_notifications_per_hour = 1
         WHERE user_id = 'u_bl_maya'",
        "INSERT INTO notification_deliveries
           (id, org_id, user_id, notification_id, channel, kind, status, delivered_at)
         VALUES (gen_random_uuid(), 'org_brightlane', 'u_bl_maya', gen_random_uuid(), 'slack',
                 'alert', 'sent', now() - interval '10 minutes')",
    ] {
        sqlx::query(sql).execute(&env.owner).await.unwrap();
    }
    let vars = [
        ("BATON_NOTIFIER__SLACK_BASE_URL", slack.as_str()),
        ("BATON_NOTIFIER__SLACK_TOKEN", "xoxb-e2e"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let _procs = env.spawn_each(&FIVE, &vars);
    let stop = CancellationToken::new();
    let base = start_console(&env, &stop).await;

    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    let job = env.job_at_gate(&ev).await;
    env.wait(
        "SELECT count(*) = 1 FROM notification_deliveries
         WHERE kind = 'approval' AND status = 'deferred' AND deferral_reason = 'rate_limit'",
        "the approval message held by the hourly limit",
    )
    .await;
    let b = Browser::start(&base).await;
    b.sign_in("u_bl_maya").await;
    b.goto(&format!("/runs/{job}")).await;
    let why = b.text("#why").await;
    assert!(
        why.contains(
            "gate's approval message is held by the user's hourly notification limit until"
        ) && why.contains("UTC"),
        "{why}"
    );
    b.client.close().await.unwrap();
    stop.cancel();
}

/// A local Slack speaking Sign in with Slack's wire format: `/openid/connect/authorize`
/// signs in whoever `user` names and redirects back with a code; `openid.connect.token`
/// answers an ID token signed with the test key (for the nonce the authorize step was given);
/// `/openid/connect/keys` serves the test key set.
struct SlackOidc {
    url: String,
    user: Arc<Mutex<String>>,
}

const CLIENT_ID: &str = "test-client.123";
const CLIENT_SECRET: &str = "test-client-secret";

async fn slack_oidc() -> SlackOidc {
    use axum::{
        Form, Json,
        extract::{Query, State},
        response::Redirect,
        routing::{get, post},
    };
    use std::collections::HashMap;
    #[derive(Clone, Default)]
    struct S {
        user: Arc<Mutex<String>>,
        /// code → (nonce, Slack user)
        codes: Arc<Mutex<HashMap<String, (String, String)>>>,
    }
    let s = S::default();
    *s.user.lock().unwrap() = crate::harness::MAYA_SLACK.to_string();
    let keys = std::fs::read_to_string(
        repo().join("services/ingress/tests/ingress/keys/google_test_jwks.json"),
    )
    .unwrap();
    let app = axum::Router::new()
        .route(
            "/openid/connect/authorize",
            get(|State(s): State<S>, Query(q): Query<HashMap<String, String>>| async move {
                assert_eq!(q["client_id"], CLIENT_ID);
                assert_eq!(q["response_type"], "code");
                let code = uuid::Uuid::new_v4().to_string();
                let user = s.user.lock().unwrap().clone();
                s.codes.lock().unwrap().insert(code.clone(), (q["nonce"].clone(), user));
                Redirect::to(&format!("{}?code={code}&state={}", q["redirect_uri"], q["state"]))
            }),
        )
        .route(
            "/api/openid.connect.token",
            post(|State(s): State<S>, Form(f): Form<HashMap<String, String>>| async move {
                let known = f.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                    && f.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
                let Some((nonce, user)) = known
                    .then(|| s.codes.lock().unwrap().remove(&f["code"]))
                    .flatten()
                else {
                    return Json(json!({ "ok": false, "error": "invalid_code" }));
                };
                let now = chrono::Utc::now().timestamp();
                let claims = json!({
                    "iss": "https://slack.com", "aud": CLIENT_ID, "sub": user,
                    "iat": now, "exp": now + 300, "nonce": nonce,
                    "https://slack.com/team_id": crate::harness::TEAM,
                    "https://slack.com/user_id": user,
                    "name": "Maya Okafor",
                });
                let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
                header.kid = Some("test-kid-1".into());
                let key = std::fs::read(
                    repo().join("services/ingress/tests/ingress/keys/google_test_key.pem"),
                )
                .unwrap();
                let token = jsonwebtoken::encode(
                    &header,
                    &claims,
                    &jsonwebtoken::EncodingKey::from_rsa_pem(&key).unwrap(),
                )
                .unwrap();
                Json(json!({ "ok": true, "access_token": "xoxp-test", "token_type": "Bearer", "id_token": token }))
            }),
        )
        .route(
            "/openid/connect/keys",
            get(move || async move { keys.clone() }),
        )
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    SlackOidc { url, user: s.user }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_signs_in_with_slack_and_an_unmapped_or_forged_sign_in_is_refused() {
    let slack = slack_oidc().await;
    let env = Env::new(BusKind::Embedded, None).await;
    let stop = CancellationToken::new();
    let slack_url = slack.url.clone();
    let base = start_console_with(&env, &stop, move |c| {
        c.slack_client_id = Some(CLIENT_ID.into());
        c.slack_client_secret = Some(secrecy::SecretString::from(CLIENT_SECRET));
        c.slack_base_url = slack_url;
    })
    .await;
    let b = Browser::start(&base).await;

    // Maya's Slack identity is Maya.
    b.goto("/signin").await;
    assert!(
        b.client
            .find(Locator::Css("select[name=user]"))
            .await
            .is_err(),
        "no picker"
    );
    b.click("#slack-signin").await;
    let who = b.text("#whoami").await;
    assert!(
        who.starts_with("Maya Okafor · rep · org_brightlane"),
        "{who}"
    );
    b.sign_out_to_slack().await;

    // A Slack user mapped to no Baton user is refused.
    *slack.user.lock().unwrap() = "U0NOBODY00".into();
    b.click("#slack-signin").await;
    let refused = b.text("#message").await;
    assert!(
        refused.contains("U0NOBODY00") && refused.contains("not a Baton user"),
        "{refused}"
    );

    // A callback whose state is not the sign-in's is refused before Slack is asked.
    b.goto("/signin/slack/callback?code=stolen&state=forged")
        .await;
    assert!(b.text("#message").await.contains("state does not match"));
    b.goto("/runs").await;
    assert!(
        b.client.find(Locator::Css("#slack-signin")).await.is_ok(),
        "still signed out"
    );
    b.client.close().await.unwrap();
    stop.cancel();
}

/// `baton demo --keep` leaves the console up on the demo's runs: Priya signs in with the
/// development picker and finds the meeting's run and the chained proposal run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_keeps_its_console_serving_the_demos_runs() {
    let port = crate::harness::free_port();
    let demo =
        crate::harness::KeptDemo::start(&[("BATON_CONSOLE__LISTEN", format!("127.0.0.1:{port}"))])
            .await;
    let b = Browser::start(&format!("http://127.0.0.1:{port}")).await;
    b.sign_in("u_tw_priya").await;
    b.goto("/runs").await;
    let runs = b.text("#runs").await;
    b.client.close().await.unwrap();
    demo.stop().await;
    assert!(
        runs.contains("meeting_ended") && runs.contains("proposal_generation"),
        "{runs}"
    );
}
