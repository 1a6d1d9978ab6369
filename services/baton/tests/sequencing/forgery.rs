//! Results are checked where they are applied: a hand-made `ApprovalResolved` (a random gate,
//! or the real one the rep has not decided) moves nothing and is audited as rejected; a
//! `StepFinished` for a step never dispatched changes nothing; the rep's real decision,
//! through the approval-gateway, still resumes the job. On both buses. And the bus's rows are
//! a tenant's like any other: a login scoped to another org cannot append for the victim's
//! (its row is tagged with its own org and the consumer refuses it), and scoped to another
//! org no table, the bus's included, shows a row of the victim's.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::{
    bus::{Bus, embedded::EmbeddedBus},
    config::BusKind,
    store,
};
use baton_schemas::{
    ApprovalResolved, DeadLetter, DeadLetterClass, JobId, PendingActionId, Resolution,
    StepFinished, StepOutcome, StepResult, StepStatus,
};
use serde_json::{Value, json};

use crate::harness::{EmailProvider, Env, InProcess, ORG, meeting_ended, resolve_gate};

fn forged(job: &str, gate: String, step: i32) -> StepResult {
    StepResult {
        result_id: uuid::Uuid::now_v7().to_string(),
        job_id: job.into(),
        org_id: ORG.into(),
        result: StepOutcome::ApprovalResolved(ApprovalResolved {
            pending_action_id: gate,
            step_index: step,
            decision: Resolution::Approve,
            decided_by: Some("mallory".into()),
            user_modifications: Some(json!({"body": "wire the money"})),
            resolved_at: chrono::Utc::now(),
        }),
    }
}

/// A job of the sample meeting waiting at its email gate, the gateway's pending action open.
struct AtTheGate {
    env: Env,
    services: InProcess,
    email: EmailProvider,
    job: String,
    step: i32,
    real: PendingActionId,
    before: Value,
}

async fn at_the_gate(bus: BusKind) -> AtTheGate {
    let email = EmailProvider::start().await;
    let mut env = Env::new(bus, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start_with_gateway(&env, Arc::new(clock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    let job = env.job_at_gate(&ev).await;
    let before: Value = env.job(&job).await["context"].clone();
    let step = before["pending_approvals"][0].as_i64().unwrap() as i32;
    let real = PendingActionId::for_gate(job.parse::<JobId>().unwrap(), step as usize, 1);
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM slack_pending_actions WHERE id = '{}'",
            real.uuid()
        ),
        "the gateway's pending action",
    )
    .await;
    AtTheGate {
        env,
        services,
        email,
        job,
        step,
        real,
        before,
    }
}

/// The job has not moved: same state, no decision recorded, the gate still pending, nothing
/// sent.
async fn nothing_moved(g: &AtTheGate) {
    let (env, job) = (&g.env, &g.job);
    let after: Value = env.job(job).await["context"].clone();
    assert_eq!(after, g.before, "the job did not move");
    let resolved: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM audit_log WHERE job_id = '{job}' AND action = 'approval.resolved'"
        ))
        .await;
    assert_eq!(resolved, 0, "nothing reads 'approved by mallory'");
    let status: String = env.gate_status(&g.real).await;
    assert_eq!(status, "pending");
    assert_eq!(g.email.count(), 0, "nothing was sent");
}

async fn forgeries_move_nothing(bus: BusKind) {
    let g = at_the_gate(bus).await;
    let (env, job, step, real) = (&g.env, &g.job, g.step, &g.real);

    // A random gate, the real (undecided) gate, and a result for a step never dispatched.
    env.publish_message(&forged(
        job,
        PendingActionId::from_uuid(uuid::Uuid::now_v7()).to_string(),
        step,
    ))
    .await;
    env.publish_message(&forged(job, real.to_string(), step))
        .await;
    env.publish_message(&StepResult {
        result_id: uuid::Uuid::now_v7().to_string(),
        job_id: job.clone(),
        org_id: ORG.into(),
        result: StepOutcome::StepFinished(StepFinished {
            step_index: 7,
            step_name: "create_tasks".into(),
            attempt: 1,
            status: StepStatus::Succeeded,
            output: Some(json!({"created": 99})),
            error: None,
            retryable: false,
            cost_usd: 0.0,
            duration_ms: 1,
            finished_at: chrono::Utc::now(),
        }),
    })
    .await;
    env.wait(
        &format!("SELECT count(*) = 2 FROM audit_log WHERE job_id = '{job}' AND action = 'approval.rejected'"),
        "both forged approvals to be rejected",
    )
    .await;
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT detail->>'reason' FROM audit_log WHERE job_id = $1::uuid AND action = 'approval.rejected' ORDER BY occurred_at, id",
    )
    .bind(job)
    .fetch_all(&env.owner)
    .await
    .unwrap();
    assert!(reasons[0].contains("no pending action"), "{reasons:?}");
    assert!(reasons[1].contains("has not decided"), "{reasons:?}");
    nothing_moved(&g).await;
    no_table_shows_another_orgs_rows(env, bus).await;

    // The rep's own Approve, through the gateway, resumes it; the audit names her.
    resolve_gate(env, job, Resolution::Approve, "u_bl_maya", None).await;
    env.wait(
        &format!("SELECT count(*) = 1 FROM audit_log WHERE job_id = '{job}' AND action = 'approval.resolved' AND detail->>'decided_by' = 'u_bl_maya'"),
        "the real decision to be applied",
    )
    .await;
    // Results of one job share a partition, in order: the forged StepFinished (published
    // before the gateway's real result) has been taken by now, and changed nothing.
    let state: Value = env.job(job).await["context"].clone();
    assert_ne!(state["outputs"]["create_tasks"], json!({"created": 99}));
    assert!(
        !state["steps_completed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s[0] == 7),
        "{state:#}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while g.email.count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the approved email was not sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    g.services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_results_move_nothing_on_the_embedded_bus() {
    forgeries_move_nothing(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_results_move_nothing_on_kafka() {
    forgeries_move_nothing(BusKind::Kafka).await;
}

/// A login scoped to another org appends a forged approval for the victim's gate. The
/// database will not tag the row with the victim's org; tagged with the forger's own (or
/// with none), the router refuses it: dead-lettered `invalid`, audited `message.rejected` in
/// the victim's org, and the job does not move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgery_appended_for_another_org_is_rejected() {
    let g = at_the_gate(BusKind::Embedded).await;
    let (env, job) = (&g.env, &g.job);
    let forger = store::connect_service(&env.config.database, "step-executor")
        .await
        .unwrap();
    let forgery = env
        .svc
        .producer
        .envelope(&forged(job, g.real.to_string(), g.step))
        .unwrap();

    // Tagging the row with the victim's org from a transaction scoped to another: refused.
    let mut tx = forger.begin().await.unwrap();
    store::set_org(&mut tx, &"org_mallory".parse().unwrap())
        .await
        .unwrap();
    let refused = sqlx::query(
        r#"INSERT INTO bus_log (topic, partition, "offset", payload, org_id) VALUES ($1, 0, -1, $2, $3)"#,
    )
    .bind(&forgery.topic)
    .bind(&forgery.payload)
    .bind(ORG)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert_eq!(
        refused
            .as_database_error()
            .and_then(|e| e.code())
            .as_deref(),
        Some("42501"),
        "{refused}"
    );
    tx.rollback().await.unwrap();

    // Appended as the forger's own org would (tagged with it), and with no org at all.
    let log = EmbeddedBus::new(forger, env.config.bus.partitions);
    for org in [Some("org_mallory"), None] {
        let mut envelope = forgery.clone();
        envelope.org = org.map(str::to_string);
        envelope.headers.retain(|(name, _)| name != "ce_id");
        log.publish(vec![envelope]).await.unwrap();
    }
    env.wait(
        &format!("SELECT count(*) = 2 FROM audit_log WHERE org_id = '{ORG}' AND action = 'message.rejected'"),
        "both forgeries to be rejected",
    )
    .await;
    let appended_by: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT detail->>'appended_by_org' FROM audit_log WHERE action = 'message.rejected' ORDER BY occurred_at, id",
    )
    .fetch_all(&env.owner)
    .await
    .unwrap();
    assert_eq!(appended_by, vec![Some("org_mallory".to_string()), None]);
    let letters: Vec<DeadLetter> = env.logged().await;
    let reasons: Vec<&str> = letters
        .iter()
        .filter(|l| l.error_class == DeadLetterClass::Invalid)
        .map(|l| l.error_message.as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("appended by a transaction scoped to org org_mallory"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("scoped to no org"), "{reasons:?}");
    let tags: Vec<Option<String>> = env
        .scalar(&format!(
            "SELECT array_agg(org_id ORDER BY appended_at) FROM bus_log WHERE topic = '{}'",
            baton_schemas::Topic::DeadLetter.name(&env.config.bus.topic_prefix)
        ))
        .await;
    assert_eq!(
        tags,
        vec![Some("org_mallory".to_string()), None],
        "each dead letter is the forger's"
    );
    nothing_moved(&g).await;
    g.services.stop().await;
}

/// Scoped to another org, no table with tenant data — the bus's log, outbox and inbox
/// included — returns a row of the sample org's, though every one of those tables holds some
/// (the catalog says which tables have an `org_id`).
async fn no_table_shows_another_orgs_rows(env: &Env, bus: BusKind) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
         WHERE c.relkind = 'r' ORDER BY 1",
    )
    .fetch_all(&env.owner)
    .await
    .unwrap();
    let bus_tables = match bus {
        BusKind::Embedded => vec!["bus_log", "inbox"],
        BusKind::Kafka => vec!["outbox"],
    };
    for t in &bus_tables {
        assert!(tables.iter().any(|n| n == t), "{t} has no org_id");
    }
    // A non-privileged role that may read every table: only row-level security stands between
    // it and the sample org's rows.
    let reader = env.db.service_pool().await;
    let mut held = Vec::new();
    for t in &tables {
        let owned: i64 = env
            .scalar(&format!("SELECT count(*) FROM {t} WHERE org_id = '{ORG}'"))
            .await;
        if owned > 0 {
            held.push(t.clone());
        }
        for org in ["org_elsewhere", ORG] {
            let mut tx = store::begin_for_org(&reader, &org.parse().unwrap())
                .await
                .unwrap();
            let seen: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {t} WHERE org_id = '{ORG}'"
            )))
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            if org == ORG {
                // (The services are still running: the count may have grown since.)
                assert!(owned == 0 || seen > 0, "{t}: its own org sees its rows");
            } else {
                assert_eq!(seen, 0, "{t}, scoped to {org}");
            }
        }
    }
    for t in bus_tables {
        assert!(
            held.iter().any(|h| h == t),
            "{t} holds none of the sample org's rows: {held:?}"
        );
    }
    assert!(
        held.len() >= 12,
        "tables holding the sample org's rows: {held:?}"
    );
}
