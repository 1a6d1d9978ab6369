//! Every rule of the router and the step-executor, each with a test that fails without it.
//! The services run in this process on the embedded bus with an injected clock.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{Json, Router as Http, extract::State, http::StatusCode, routing::post};
use baton_core::clock::ManualClock;
use baton_platform::{
    component::Component,
    config::{BusKind, EndpointConfig},
};
use baton_schemas::Notification;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::harness::{Env, InProcess, ORG, REP, event, meeting_ended, repo};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

async fn skipped(env: &Env, reason: &str) -> i64 {
    env.scalar(&format!(
        "SELECT count(*) FROM skipped_events WHERE reason = '{reason}'"
    ))
    .await
}

async fn wait_skip(env: &Env, reason: &str, n: i64) {
    env.wait(
        &format!("SELECT count(*) = {n} FROM skipped_events WHERE reason = '{reason}'"),
        &format!("{n} skip(s) with reason {reason}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_skip_is_recorded_with_its_reason() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at(at("2026-11-17T16:00:00Z"));
    let services = InProcess::start(&env, Arc::new(clock)).await;

    // Accepted.
    let first = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&first).await;
    env.wait(
        "SELECT count(*) = 1 FROM sequence_jobs WHERE event_type = 'meeting_ended'",
        "the first job",
    )
    .await;
    // Its follow-ups run under the same feature: let them be routed before it is disabled.
    env.wait(
        "SELECT count(*) = 1 FROM sequence_jobs WHERE event_type = 'proposal_generation'",
        "the first job's proposal follow-up",
    )
    .await;

    // The same meeting again within the 24 h window: a different event, the same dedupe key.
    env.publish(&meeting_ended(
        "mtg_dev_001",
        "d_keystone",
        "ct_linda_marsh",
    ))
    .await;
    wait_skip(&env, "duplicate", 1).await;
    let detail: Value = env
        .scalar("SELECT detail FROM skipped_events WHERE reason = 'duplicate'")
        .await;
    assert_eq!(detail["dedupe_key"], "mtg_dev_001");
    assert_eq!(detail["first_event_id"], first.event_id);

    let mut unknown_org = meeting_ended("mtg_dev_002", "d_keystone", "ct_linda_marsh");
    unknown_org.org_id = "org_nope".into();
    env.publish(&unknown_org).await;
    wait_skip(&env, "unknown_org", 1).await;

    let mut unknown_user = meeting_ended("mtg_dev_002", "d_keystone", "ct_linda_marsh");
    unknown_user.user_id = "u_nobody".into();
    env.publish(&unknown_user).await;
    wait_skip(&env, "unknown_user", 1).await;

    env.publish(&event("weather_changed", json!({}))).await;
    wait_skip(&env, "unknown_event_type", 1).await;

    let mut too_deep = event("proposal_generation", json!({ "deal_id": "d_keystone" }));
    too_deep.chain_depth = 4;
    too_deep.parent_job_id = Some(uuid::Uuid::now_v7().to_string());
    env.publish(&too_deep).await;
    wait_skip(&env, "chain_depth_exceeded", 1).await;

    sqlx::query(
        "UPDATE notification_feature_settings SET enabled = false WHERE org_id = $1 AND feature = 'post_meeting_followup'",
    )
    .bind(ORG)
    .execute(&env.owner)
    .await
    .unwrap();
    env.publish(&meeting_ended(
        "mtg_dev_003",
        "d_keystone",
        "ct_linda_marsh",
    ))
    .await;
    wait_skip(&env, "feature_disabled", 1).await;

    // Nothing else became a job, and every skip is in the audit trail too.
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM sequence_jobs WHERE event_type = 'meeting_ended'")
            .await,
        1
    );
    let reasons: Value = env
        .scalar("SELECT jsonb_agg(reason ORDER BY reason) FROM skipped_events ")
        .await;
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM audit_log WHERE action = 'event.skipped'")
            .await,
        6,
        "{reasons}"
    );
    assert_eq!(skipped(&env, "duplicate").await, 1);
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_defer_the_run_to_the_next_active_window_across_dst() {
    let env = Env::new(BusKind::Embedded, None).await;
    sqlx::query(
        "UPDATE slack_user_preferences SET timezone = 'America/New_York',
                quiet_hours_start = '20:00', quiet_hours_end = '07:30' WHERE user_id = $1",
    )
    .bind(REP)
    .execute(&env.owner)
    .await
    .unwrap();
    // 01:30 EST on the night the clocks go forward (02:00 EST → 03:00 EDT): the window ends
    // at 07:30 EDT = 11:30 UTC, not 12:30 UTC as a fixed -05:00 offset would say.
    let clock = ManualClock::at(at("2026-03-08T06:30:00Z"));
    let services = InProcess::start(&env, Arc::new(clock.clone())).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        "SELECT bool_or(status = 'deferred') FROM sequence_jobs",
        "a deferred job",
    )
    .await;
    let due: DateTime<Utc> = env
        .scalar("SELECT due_at FROM timers WHERE kind = 'job_start'")
        .await;
    assert_eq!(due, at("2026-03-08T11:30:00Z"));

    clock.set(at("2026-03-08T11:29:59Z"));
    assert_eq!(services.router.fire_due_timers().await.unwrap(), 0);
    assert_eq!(
        env.scalar::<String>("SELECT status FROM sequence_jobs")
            .await,
        "deferred",
        "still quiet a second before the window opens"
    );

    clock.set(at("2026-03-08T11:30:00Z"));
    env.wait(
        "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_type = 'meeting_ended'",
        "the deferred job to run",
    )
    .await;
    // It ran once, as the same job for the same event.
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM sequence_jobs WHERE event_type = 'meeting_ended'")
            .await,
        1
    );
    let event_id: String = env
        .scalar("SELECT event_id::text FROM sequence_jobs WHERE event_type = 'meeting_ended'")
        .await;
    assert_eq!(event_id, ev.event_id);
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM audit_log WHERE action = 'job.started'")
            .await,
        1
    );
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM timers WHERE fired_at IS NOT NULL")
            .await,
        1
    );
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_budget_pauses_before_the_ai_step_and_notifies_once() {
    let env = Env::new(BusKind::Embedded, None).await;
    // The sample org has spent $241.37 of this period; leave it a hundredth of a cent.
    sqlx::query("UPDATE orgs SET ai_monthly_budget_usd = 241.3701 WHERE id = $1")
        .bind(ORG)
        .execute(&env.owner)
        .await
        .unwrap();
    let clock = ManualClock::at(at("2026-11-17T16:00:00Z"));
    let services = InProcess::start(&env, Arc::new(clock.clone())).await;

    // The first AI step still fits; it spends past the limit; the next AI step pauses.
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        "SELECT bool_or(status = 'paused') FROM sequence_jobs",
        "the job to pause",
    )
    .await;
    let job: Value = env
        .scalar(
            "SELECT jsonb_set(to_jsonb(j), '{context}', baton_job_state(j)) FROM sequence_jobs j",
        )
        .await;
    assert_eq!(job["paused_reason"], "budget_exceeded");
    assert_eq!(
        job["context"]["current_step"], 1,
        "paused before detect_intents"
    );
    assert_eq!(job["context"]["steps_completed"], json!([[0, "succeeded"]]));
    let ran: i64 = env
        .scalar("SELECT count(*) FROM step_runs WHERE step_name = 'detect_intents' AND status = 'succeeded'")
        .await;
    assert_eq!(ran, 0, "the AI step did not run");
    let spent: f64 = env
        .scalar("SELECT sum(cost_usd)::float8 FROM ai_cost_ledger WHERE job_id IS NOT NULL")
        .await;
    assert!(
        spent > 0.0001,
        "the first step's cost is in the ledger: {spent}"
    );

    // A second event while the budget is spent: paused at the router, no second notice.
    env.publish(&meeting_ended(
        "mtg_dev_002",
        "d_keystone",
        "ct_linda_marsh",
    ))
    .await;
    env.wait(
        "SELECT count(*) = 2 FROM sequence_jobs WHERE status = 'paused'",
        "the second job to be created paused",
    )
    .await;
    let notices: Vec<Notification> = env.logged().await;
    let exceeded = notices
        .iter()
        .filter(|n| n.text.contains("budget is used up"))
        .count();
    assert_eq!(exceeded, 1, "notified once per budget period: {notices:#?}");

    // Nobody has to do anything but raise the limit: each paused job looks again within 15
    // minutes, and both run on — the first from detect_intents, the second from its context.
    let checks: i64 = env
        .scalar("SELECT count(*) FROM timers WHERE kind = 'budget_check' AND fired_at IS NULL")
        .await;
    assert_eq!(checks, 2, "one budget check per paused job");
    clock.advance(chrono::Duration::minutes(16));
    env.wait(
        "SELECT count(*) = 2 FROM timers WHERE kind = 'budget_check' AND fired_at IS NOT NULL",
        "the budget checks to fire",
    )
    .await;
    assert_eq!(
        env.scalar::<i64>("SELECT count(*) FROM sequence_jobs WHERE status = 'paused'")
            .await,
        2,
        "still spent: they stay paused"
    );
    sqlx::query("UPDATE orgs SET ai_monthly_budget_usd = 1000 WHERE id = $1")
        .bind(ORG)
        .execute(&env.owner)
        .await
        .unwrap();
    clock.advance(chrono::Duration::minutes(16));
    env.wait(
        "SELECT count(*) = 2 FROM sequence_jobs WHERE event_type = 'meeting_ended' AND status = 'awaiting_approval'",
        "both jobs to resume and reach their email gate",
    )
    .await;
    let resumed: i64 = env
        .scalar("SELECT count(*) FROM audit_log WHERE action = 'job.resume' AND detail->>'by' = 'budget'")
        .await;
    assert_eq!(resumed, 2);
    let ran: i64 = env
        .scalar("SELECT count(*) FROM step_runs WHERE step_name = 'detect_intents' AND status = 'succeeded'")
        .await;
    assert_eq!(ran, 2, "each job's detect_intents ran once");
    services.stop().await;
}

// ---- failure policies, 429, tier 3 and `when` --------------------------------------------

const PROBE: &str = r#"
event: rules_probe
description: Exercises the failure rules (test only)
steps:
  - name: flaky
    function: flaky
    on_failure: { retry: { attempts: 3, backoff: 30s, max_backoff: 10m } }
  - name: limited
    function: limited
  - name: optional
    function: echo
    when: "has(event.payload.run_optional) && event.payload.run_optional == true"
  - name: with_templates
    function: echo
    requires_context: [proposal_templates]
    input:
      has_templates: "has(context.proposal_templates)"
      deal: context.deal.id
  - name: tolerated
    function: broken
    on_failure: continue
  - name: fatal
    function: broken
    input: { permanent: "true" }
  - name: never
    function: echo
"#;

#[derive(Default)]
struct Calls {
    flaky: AtomicUsize,
    limited: AtomicUsize,
}

async fn functions() -> (String, Arc<Calls>) {
    let calls = Arc::new(Calls::default());
    let app = Http::new()
        .route(
            "/flaky",
            post(|State(c): State<Arc<Calls>>| async move {
                let n = c.flaky.fetch_add(1, Ordering::SeqCst) + 1;
                if n < 3 {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        Json(json!({ "error": "try again" })),
                    )
                } else {
                    (StatusCode::OK, Json(json!({ "output": { "calls": n } })))
                }
            }),
        )
        .route(
            "/limited",
            post(|State(c): State<Arc<Calls>>| async move {
                if c.limited.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        Json(json!({ "error": "slow down" })),
                    )
                } else {
                    (StatusCode::OK, Json(json!({ "output": { "ok": true } })))
                }
            }),
        )
        .route(
            "/echo",
            post(|Json(v): Json<Value>| async move { Json(json!({ "output": v })) }),
        )
        .route(
            "/broken",
            post(|Json(v): Json<Value>| async move {
                if v["permanent"] == "true" {
                    (StatusCode::BAD_REQUEST, "no")
                } else {
                    (StatusCode::INTERNAL_SERVER_ERROR, "down")
                }
            }),
        )
        .route(
            "/templates",
            post(|| async { (StatusCode::SERVICE_UNAVAILABLE, "templates are down") }),
        )
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), calls)
}

fn probe_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(baton_testkit::unique("baton_seq"));
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(repo().join("sequences")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.join("rules_probe.yaml"), PROBE).unwrap();
    dir
}

async fn step_status(env: &Env, step: &str) -> Vec<(i32, String)> {
    sqlx::query_as("SELECT attempt, status FROM step_runs WHERE step_name = $1 ORDER BY attempt")
        .bind(step)
        .fetch_all(&env.owner)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_backoff_429_tier3_skips_when_and_continue_or_stop() {
    let dir = probe_dir();
    let mut env = Env::new(BusKind::Embedded, Some(dir.clone())).await;
    let (base, calls) = functions().await;
    let endpoint = |path: &str| EndpointConfig {
        url: format!("{base}/{path}"),
        timeout_ms: Some(5_000),
        token: None,
    };
    for f in ["flaky", "limited", "echo", "broken"] {
        env.config.skills.functions.insert(f.into(), endpoint(f));
    }
    env.config
        .context
        .sources
        .insert("proposal_templates".into(), endpoint("templates"));
    let t0 = at("2026-11-17T16:00:00Z");
    let clock = ManualClock::at(t0);
    let services = InProcess::start(&env, Arc::new(clock.clone())).await;
    env.publish(&event("rules_probe", json!({ "deal_id": "d_keystone" })))
        .await;

    // flaky: attempt 1 fails (500, retryable) → attempt 2 is a timer 30–36 s out.
    env.wait(
        "SELECT count(*) = 1 FROM timers WHERE kind = 'step_retry'",
        "the first retry timer",
    )
    .await;
    let due: DateTime<Utc> = env
        .scalar("SELECT max(due_at) FROM timers WHERE kind = 'step_retry'")
        .await;
    let wait = (due - t0).num_seconds();
    assert!((30..=36).contains(&wait), "first backoff {wait}s");
    assert_eq!(
        calls.flaky.load(Ordering::SeqCst),
        1,
        "nothing retried before its time"
    );

    // Attempt 2 fails too → attempt 3 backs off twice as long.
    clock.set(due);
    env.wait(
        "SELECT count(*) = 2 FROM timers WHERE kind = 'step_retry'",
        "the second retry timer",
    )
    .await;
    let due2: DateTime<Utc> = env
        .scalar("SELECT max(due_at) FROM timers WHERE kind = 'step_retry'")
        .await;
    let wait2 = (due2 - due).num_seconds();
    assert!((60..=72).contains(&wait2), "second backoff {wait2}s");
    clock.set(due2);

    // limited: 429 without Retry-After → deferred 5 minutes exactly, then it runs.
    env.wait(
        "SELECT count(*) = 3 FROM timers WHERE kind = 'step_retry'",
        "the 429 deferral",
    )
    .await;
    let deferred: Value = env
        .scalar("SELECT detail FROM audit_log WHERE action = 'step.scheduled' AND detail->>'step' = 'limited'")
        .await;
    assert_eq!(deferred["delay_ms"], 300_000, "{deferred}");
    assert_eq!(deferred["reason"], "rate_limited");
    let due3: DateTime<Utc> = env
        .scalar("SELECT max(due_at) FROM timers WHERE kind = 'step_retry'")
        .await;
    assert_eq!(due3 - due2, chrono::Duration::minutes(5));
    clock.set(due3);

    env.wait(
        "SELECT bool_or(status = 'failed') FROM sequence_jobs",
        "the job to stop at `fatal`",
    )
    .await;
    assert_eq!(
        step_status(&env, "flaky").await,
        [
            (1, "failed".into()),
            (2, "failed".into()),
            (3, "succeeded".into())
        ]
    );
    assert_eq!(
        step_status(&env, "limited").await,
        [(1, "succeeded".into())]
    );
    assert_eq!(calls.limited.load(Ordering::SeqCst), 2);
    assert!(
        step_status(&env, "optional").await.is_empty(),
        "`when` false: not run"
    );
    assert!(
        step_status(&env, "never").await.is_empty(),
        "stopped before it"
    );
    assert_eq!(step_status(&env, "tolerated").await, [(1, "failed".into())]);

    let job: Value = env
        .scalar(
            "SELECT jsonb_set(to_jsonb(j), '{context}', baton_job_state(j)) FROM sequence_jobs j",
        )
        .await;
    let state = &job["context"];
    // The failing tier-3 source was skipped and the step ran without it.
    let echoed = &state["outputs"]["with_templates"];
    assert_eq!(
        echoed["input"],
        json!({ "has_templates": false, "deal": "d_keystone" })
    );
    // Every side effect carries job:step:attempt-group.
    assert_eq!(
        echoed["idempotency_key"],
        format!("{}:3:1", job["id"].as_str().unwrap())
    );
    let skipped: Value = env
        .scalar("SELECT detail FROM audit_log WHERE action = 'context.sources_skipped'")
        .await;
    assert_eq!(skipped["sources"], json!(["proposal_templates"]));
    assert_eq!(
        state["steps_completed"],
        json!([
            [0, "succeeded"],
            [1, "succeeded"],
            [2, "skipped"],
            [3, "succeeded"],
            [4, "failed"],
            [5, "failed"]
        ])
    );
    let meta = &state["execution_metadata"];
    assert_eq!(meta["status"], "failed");
    assert_eq!(meta["steps_failed"], 2);
    assert_eq!(meta["steps_skipped"], 1);
    assert_eq!(meta["steps_completed"], 3);
    assert_eq!(meta["event_type"], "rules_probe");
    assert!(
        meta["failure"].as_str().unwrap().contains("fatal"),
        "{meta}"
    );
    services.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

// ---- a CRM change the database refuses ----------------------------------------------------

const STAGE_PROBE: &str = r#"
event: stage_probe
description: Moves a deal to a stage the CRM does not have (test only)
steps:
  - name: move_deal
    crm: update-deal-stage
    input:
      deal_id: event.payload.deal_id
      stage: "'not_a_stage'"
    approval:
      pattern: deal_stage_change
      expires_in: 1h
      on_timeout: skip
"#;

/// An approved deal-stage change to a stage the CRM's CHECK refuses fails the step (its
/// transaction stays usable: the step, its run and its result still commit), and the job
/// ends failed with the reason instead of retrying forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_deal_stage_fails_the_step_not_the_partition() {
    let dir = probe_dir();
    std::fs::write(dir.join("stage_probe.yaml"), STAGE_PROBE).unwrap();
    let env = Env::new(BusKind::Embedded, Some(dir)).await;
    let services =
        InProcess::start_with_gateway(&env, Arc::new(baton_core::clock::SystemClock)).await;
    let ev = event("stage_probe", json!({ "deal_id": "d_keystone" }));
    env.publish(&ev).await;
    env.wait(
        "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_type = 'stage_probe'",
        "the stage change's gate",
    )
    .await;
    let job: String = env
        .scalar("SELECT id::text FROM sequence_jobs WHERE event_type = 'stage_probe'")
        .await;
    crate::harness::resolve_gate(&env, &job, baton_schemas::Resolution::Approve, REP, None).await;
    env.wait(
        &format!("SELECT status = 'failed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to fail at the refused stage",
    )
    .await;
    let (status, error): (String, String) =
        sqlx::query_as("SELECT status, error FROM step_runs WHERE step_name = 'move_deal'")
            .fetch_one(&env.owner)
            .await
            .unwrap();
    assert_eq!(status, "failed");
    assert!(
        error.contains("`not_a_stage` is not a deal stage"),
        "{error}"
    );
    let stage: String = env
        .scalar("SELECT stage FROM deals WHERE id = 'd_keystone'")
        .await;
    assert_ne!(stage, "not_a_stage");
    services.stop().await;
}

/// Oversized or NUL-bearing events ahead of a valid one on the same partition (same org and
/// user): each is dead-lettered naming the limit, none becomes a job, and the valid event
/// behind them does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_over_the_limits_are_dead_lettered_and_the_partition_moves_on() {
    use baton_schemas::{DeadLetter, DeadLetterClass, limits};
    let env = Env::new(BusKind::Embedded, None).await;
    let services =
        InProcess::start(&env, Arc::new(ManualClock::at(at("2026-11-17T16:00:00Z")))).await;
    let mut long_type = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    long_type.event_type = "x".repeat(10_000);
    let mut big = meeting_ended("mtg_dev_002", "d_keystone", "ct_linda_marsh");
    big.payload["notes"] = json!("word ".repeat(limits::Limits::default().payload_bytes / 4));
    let mut nul = meeting_ended("mtg_dev_003", "d_harbor", "ct_victor_amadi");
    nul.payload["note"] = json!("a\u{0}b");
    let valid = meeting_ended("mtg_dev_004", "d_keystone", "ct_linda_marsh");
    for ev in [&long_type, &big, &nul, &valid] {
        env.publish_unchecked(ev).await;
    }
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM sequence_jobs WHERE event_id = '{}'",
            valid.event_id
        ),
        "the valid event behind the bad ones to become a job",
    )
    .await;
    let jobs: i64 = env.scalar("SELECT count(*) FROM sequence_jobs").await;
    assert_eq!(jobs, 1, "no bad event became a job");
    let dead: Vec<DeadLetter> = env.logged().await;
    let letters: Vec<(DeadLetterClass, &str)> = dead
        .iter()
        .map(|d| (d.error_class, d.error_message.as_str()))
        .collect();
    assert_eq!(letters.len(), 3, "{letters:?}");
    let limits = limits::Limits::default();
    assert_eq!(letters[0].0, DeadLetterClass::TooLarge, "{letters:?}");
    assert!(
        letters[0]
            .1
            .contains("type is 10000 characters; the limit is 64 (limits.event_type_chars)"),
        "{letters:?}"
    );
    assert_eq!(letters[1].0, DeadLetterClass::TooLarge, "{letters:?}");
    assert!(
        letters[1].1.contains(&format!(
            "the limit is {} (limits.payload_bytes)",
            limits.payload_bytes
        )),
        "{letters:?}"
    );
    assert_eq!(letters[2].0, DeadLetterClass::Invalid, "{letters:?}");
    assert!(
        letters[2].1.contains("payload contains a NUL character"),
        "{letters:?}"
    );
    services.stop().await;
}
