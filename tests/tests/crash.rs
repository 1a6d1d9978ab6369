//! Crash safety with real processes: a consumer is kill -9'd at exact points of the
//! inbox → apply → outbox → commit → offset / relay protocol, restarted, and every message
//! must then be applied exactly once, downstream too. The inbox's duplicate counts show the
//! redeliveries that the fault caused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{process::Stdio, time::Duration};

use baton_platform::{
    bus::{Bus, Delivery, kafka::KafkaBus},
    runtime::{self, ConsumerSpec, Handler, HandlerCtx, HandlerError, Producer},
};
use baton_schemas::{AuditRecord, Message, OrchestratorEvent};
use baton_testkit::TestDb;
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_util::sync::CancellationToken;

const EVENTS: usize = 30;

struct Downstream;

impl Handler for Downstream {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let a: AuditRecord = ctx.decode(d).await?;
        sqlx::query("INSERT INTO e2e_downstream (event_id) VALUES ($1)")
            .bind(a.detail["event_id"].as_str().unwrap_or_default())
            .execute(&mut *ctx.tx)
            .await?;
        Ok(())
    }
}

fn spawn_consumer(db: &TestDb, prefix: &str, crash_at: Option<&str>) -> tokio::process::Child {
    consumer_command(db, prefix, crash_at)
        .spawn()
        .expect("start crash-consumer")
}

fn consumer_command(db: &TestDb, prefix: &str, crash_at: Option<&str>) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_crash-consumer"));
    cmd.env("BATON_E2E_DB", db.owner_url())
        .env("BATON_E2E_KAFKA", baton_testkit::kafka().bootstrap_servers)
        .env("BATON_E2E_PREFIX", prefix)
        .env_remove("BATON_CRASH_AT")
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    if let Some(at) = crash_at {
        cmd.env("BATON_CRASH_AT", at);
    }
    cmd
}

async fn wait_for_line(child: &mut tokio::process::Child, wanted: &str) {
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let found = tokio::time::timeout(Duration::from_secs(90), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.starts_with(wanted) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(found, "child never printed {wanted}");
}

async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn wait_until(pool: &PgPool, sql: &str, want: i64) -> i64 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let n = scalar(pool, sql).await;
        if n >= want || tokio::time::Instant::now() > deadline {
            // Let any stray duplicate land before the caller checks for exactly-once.
            tokio::time::sleep(Duration::from_secs(2)).await;
            return scalar(pool, sql).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the fault left behind, read right after the kill and after recovery.
struct Evidence {
    applied_at_crash: i64,
    unsent_at_crash: i64,
    /// Deliveries to the restarted consumer that its inbox recognised as already applied.
    redelivered: i64,
    /// Records the downstream consumer received twice (republished by the relay).
    downstream_duplicates: i64,
}

/// A fresh database with the tables the crash-consumer and the downstream consumer write,
/// topics under a fresh prefix, and `n` events published on the input topic (spread over
/// three orgs and five users, so over several partitions when there are several).
struct Setup {
    db: TestDb,
    owner: PgPool,
    prefix: String,
    bus: KafkaBus,
}

async fn setup(name: &str, partitions: i32, n: usize) -> Setup {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    sqlx::raw_sql(
        "CREATE TABLE e2e_applied (event_id TEXT NOT NULL);
         CREATE TABLE e2e_downstream (event_id TEXT NOT NULL);
         GRANT SELECT, INSERT ON e2e_applied, e2e_downstream TO baton_app;",
    )
    .execute(&owner)
    .await
    .unwrap();
    let prefix = format!("{}.", baton_testkit::unique(name));
    let bus = KafkaBus::new(&baton_testkit::kafka(), partitions, 1).unwrap();
    bus.create_topics(&[
        OrchestratorEvent::TOPIC.name(&prefix),
        AuditRecord::TOPIC.name(&prefix),
        format!("{prefix}deadletter"),
    ])
    .await
    .unwrap();
    let producer = Producer::new("e2e", &prefix);
    let events = (0..n).map(|i| {
        producer
            .envelope(&OrchestratorEvent {
                event_id: uuid::Uuid::now_v7().to_string(),
                event_type: "meeting_ended".into(),
                source: "e2e".into(),
                org_id: format!("org_{}", i % 3),
                user_id: format!("u_{}", i % 5),
                payload: serde_json::json!({ "i": i }),
                parent_job_id: None,
                occurred_at: chrono::Utc::now(),
                chain_depth: 0,
                dedupe_key: None,
            })
            .unwrap()
    });
    bus.publish(events.collect()).await.unwrap();
    Setup {
        db,
        owner,
        prefix,
        bus,
    }
}

async fn crash_and_recover(crash_at: &str) -> Evidence {
    let Setup {
        db,
        owner,
        prefix,
        bus,
    } = setup("crash", 3, EVENTS).await;
    let output = AuditRecord::TOPIC.name(&prefix);

    // Downstream consumer of what the crash-consumer produces, in this process.
    let service_pool = db.service_pool().await;
    let shutdown = CancellationToken::new();
    let downstream = tokio::spawn(runtime::run(
        ConsumerSpec {
            service: "e2e".into(),
            group: format!("{prefix}downstream"),
            topics: vec![output],
            topic_prefix: prefix.clone(),
            wire: Default::default(),
            clock: std::sync::Arc::new(baton_core::clock::SystemClock),
            retry: Default::default(),
            batch_max: 32,
            concurrency: 3,
        },
        bus.clone(),
        service_pool.clone(),
        Downstream,
        shutdown.clone(),
    ));
    // No relay here: only the crash-consumer's own relay (after its restart) may publish
    // what it left in the outbox.

    // No periodic auto-commit in the process that will be killed: nothing it consumed is
    // committed to Kafka, so its successor is redelivered everything it applied.
    let mut child = consumer_command(&db, &prefix, Some(crash_at))
        .env("BATON_E2E_AUTOCOMMIT_MS", "600000")
        .spawn()
        .unwrap();
    let point = crash_at.split(':').next().unwrap();
    wait_for_line(&mut child, &format!("CRASHPOINT {point}")).await;
    child.kill().await.unwrap(); // SIGKILL
    let applied_at_crash = scalar(&owner, "SELECT count(*) FROM e2e_applied").await;
    assert!(
        applied_at_crash >= 1,
        "the crash happened after at least one commit"
    );
    let unsent_at_crash = scalar(&owner, "SELECT count(*) FROM outbox WHERE sent_at IS NULL").await;

    let mut restarted = spawn_consumer(&db, &prefix, None);
    let n = EVENTS as i64;
    // The killed process committed no offsets, so its successor is redelivered everything
    // it applied: wait for those redeliveries before judging exactly-once.
    let duplicates_of = |group: &str| {
        format!(
            "SELECT coalesce(sum(duplicates), 0)::bigint FROM inbox WHERE consumer_group = '{group}'"
        )
    };
    let redelivered = wait_until(
        &owner,
        &duplicates_of(&format!("{prefix}crash-consumer")),
        applied_at_crash,
    )
    .await;
    let applied = wait_until(&owner, "SELECT count(*) FROM e2e_applied", n).await;
    let distinct = scalar(&owner, "SELECT count(DISTINCT event_id) FROM e2e_applied").await;
    let delivered = wait_until(&owner, "SELECT count(*) FROM e2e_downstream", n).await;
    let delivered_distinct = scalar(
        &owner,
        "SELECT count(DISTINCT event_id) FROM e2e_downstream",
    )
    .await;
    let unsent = scalar(&owner, "SELECT count(*) FROM outbox WHERE sent_at IS NULL").await;
    let downstream_duplicates =
        scalar(&owner, &duplicates_of(&format!("{prefix}downstream"))).await;
    restarted.kill().await.unwrap();
    shutdown.cancel();
    downstream.await.unwrap().unwrap();

    assert_eq!(
        (applied, distinct),
        (n, n),
        "every event applied exactly once"
    );
    assert_eq!(
        (delivered, delivered_distinct),
        (n, n),
        "every produced record applied downstream exactly once"
    );
    assert_eq!(
        unsent, 0,
        "the relay published everything after the restart"
    );
    assert_eq!(
        redelivered, applied_at_crash,
        "each message applied before the kill was redelivered once and skipped by the inbox"
    );
    Evidence {
        applied_at_crash,
        unsent_at_crash,
        redelivered,
        downstream_duplicates,
    }
}

/// (a) After the database commit, before the Kafka offset is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_after_commit_before_offset_store() {
    // Batches: 30 events take a few commits, each of several messages.
    let e = crash_and_recover("consumer_after_commit:2").await;
    assert!(
        e.applied_at_crash >= 2,
        "the second commit happened before the kill"
    );
    assert!(
        e.redelivered >= 1,
        "the applied-but-unstored messages were redelivered and deduped by the inbox"
    );
}

/// (b) After the outbox insert committed, before the relay publishes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_after_outbox_insert_before_relay_publishes() {
    let e = crash_and_recover("relay_before_publish:2").await;
    assert!(
        e.redelivered >= 1,
        "messages applied before the kill were redelivered and deduped by the inbox"
    );
    assert!(
        e.unsent_at_crash >= 1,
        "the kill stranded committed outbox rows, published after the restart"
    );
}

/// (c) After the relay published, before it marked the rows sent: they are published again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_after_relay_publishes_before_marking_sent() {
    let e = crash_and_recover("relay_after_publish:1").await;
    assert!(
        e.unsent_at_crash >= 1,
        "published rows were still unmarked at the kill"
    );
    assert!(
        e.downstream_duplicates >= 1,
        "their second publication was deduped downstream by the inbox"
    );
}

/// SIGTERM: the consumer finishes, commits its offsets and exits 0; nothing is redelivered
/// to its successor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_commits_offsets_and_exits_cleanly() {
    let Setup {
        db, owner, prefix, ..
    } = setup("term", 1, 5).await;
    let kafka = baton_testkit::kafka();
    let input = OrchestratorEvent::TOPIC.name(&prefix);
    // Periodic auto-commit pushed out of the test's reach: only the commit on shutdown
    // can store these offsets.
    let mut child = consumer_command(&db, &prefix, None)
        .env("BATON_E2E_AUTOCOMMIT_MS", "600000")
        .spawn()
        .unwrap();
    assert_eq!(
        wait_until(&owner, "SELECT count(*) FROM e2e_applied", 5).await,
        5
    );
    let pid = child.id().unwrap();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exits 0 on SIGTERM: {status}");

    let group = format!("{prefix}crash-consumer");
    let committed = tokio::task::spawn_blocking(move || {
        baton_platform::bus::kafka::committed_offset(&kafka, &group, &input, 0)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        committed,
        Some(5),
        "every applied message's offset was committed on the way out"
    );
}

/// (d) In the middle of a batch: half of it applied inside the transaction, nothing
/// committed. After the restart every message is applied exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_in_the_middle_of_a_batch() {
    // The second batch (the first committed before it): several messages ready at once.
    let e = crash_and_recover("consumer_mid_batch:2").await;
    assert!(
        e.redelivered >= 1,
        "the first batch's messages were redelivered and deduped by the inbox"
    );
}
