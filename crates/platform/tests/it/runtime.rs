//! The consumer runtime on both buses: poison messages are dead-lettered with their
//! coordinates without blocking the messages behind them; a duplicate delivery is applied once.

use std::time::Duration;

use baton_platform::{
    bus::{Bus, BusConsumer, Delivery, Envelope},
    relay,
    runtime::{self, ConsumerSpec, Handler, HandlerCtx, HandlerError, Producer},
    wire::Wire,
};
use baton_schemas::{AuditRecord, DeadLetter, DeadLetterClass, OrchestratorEvent};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::support::{Harness, ack, both, recv, topic};

both!(poison_messages_are_dead_lettered, poison_body);
both!(duplicate_delivery_is_applied_once, duplicate_body);

/// Records each event it applies; fails permanently on events of type "reject".
pub struct Recorder;

impl Handler for Recorder {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        if ev.event_type == "reject" {
            return Err(HandlerError::invalid("type reject is refused"));
        }
        sqlx::query("INSERT INTO it_applied (event_id, body) VALUES ($1, $2)")
            .bind(&ev.event_id)
            .bind(ev.payload.to_string())
            .execute(&mut *ctx.tx)
            .await?;
        Ok(())
    }
}

pub fn event(n: usize) -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: "meeting_ended".into(),
        source: "test".into(),
        org_id: "org_a".into(),
        user_id: "u1".into(),
        payload: serde_json::json!({ "n": n }),
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        dedupe_key: None,
    }
}

pub async fn applied_table(h_pool_owner: &PgPool) {
    sqlx::raw_sql(
        "CREATE TABLE it_applied (event_id TEXT NOT NULL, body TEXT NOT NULL);
         GRANT SELECT, INSERT ON it_applied TO baton_app;",
    )
    .execute(h_pool_owner)
    .await
    .unwrap();
}

/// The spec of a test consumer of `input` in `group`.
pub fn spec(group: &str, input: &str, prefix: &str, wire: Wire) -> ConsumerSpec {
    ConsumerSpec {
        service: "it".into(),
        group: group.into(),
        topics: vec![input.to_string()],
        topic_prefix: prefix.into(),
        wire,
        clock: std::sync::Arc::new(baton_core::clock::SystemClock),
        retry: Default::default(),
        batch_max: 32,
        concurrency: 4,
    }
}

pub async fn wait_for_count(pool: &PgPool, sql: &str, want: i64) -> i64 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(pool)
            .await
            .unwrap();
        if n >= want || tokio::time::Instant::now() > deadline {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn start<B: Bus>(
    h: &Harness<B>,
    input: &str,
    prefix: &str,
    group: &str,
) -> (CancellationToken, Vec<tokio::task::JoinHandle<()>>) {
    let shutdown = CancellationToken::new();
    let spec = spec(group, input, prefix, Wire::default());
    let consumer = tokio::spawn({
        let (bus, pool, s) = (h.bus.clone(), h.pool.clone(), shutdown.clone());
        async move { runtime::run(spec, bus, pool, Recorder, s).await.unwrap() }
    });
    let relay = tokio::spawn({
        let (bus, pool, s) = (h.bus.clone(), h.pool.clone(), shutdown.clone());
        async move { relay::run(pool, bus, s).await.unwrap() }
    });
    (shutdown, vec![consumer, relay])
}

async fn poison_body<B: Bus>(h: &Harness<B>) {
    let owner = h.db.owner_pool().await;
    applied_table(&owner).await;
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, "p").await;
    let producer = Producer::new("it", &prefix);
    let good = |n| producer.envelope(&event(n)).unwrap();
    let raw = |payload: Vec<u8>| Envelope {
        topic: input.clone(),
        key: Some(b"org_a:u1".to_vec()),
        payload,
        headers: vec![("ce_id".into(), uuid::Uuid::now_v7().to_string())],
        org: None,
    };
    // A record that lacks its last required field, framed with the real fingerprint.
    let mut truncated = baton_schemas::encode(&event(99)).unwrap();
    truncated.truncate(truncated.len() - 1);
    let mut reject = event(98);
    reject.event_type = "reject".into();
    let audit = AuditRecord {
        audit_id: uuid::Uuid::now_v7().to_string(),
        org_id: "org_a".into(),
        job_id: None,
        service: "x".into(),
        actor: "x".into(),
        action: "x".into(),
        detail: serde_json::json!({}),
        occurred_at: chrono::Utc::now(),
    };
    let mut wrong_schema = raw(baton_schemas::encode(&audit).unwrap());
    wrong_schema.topic = input.clone();
    let batch = vec![
        good(1),
        raw(b"\x00\x01garbage that is not avro".to_vec()),
        good(2),
        wrong_schema,
        good(3),
        raw(truncated),
        good(4),
        producer.envelope(&reject).unwrap(),
        good(5),
    ];
    h.bus.publish(batch).await.unwrap();

    let (shutdown, tasks) = start(h, &input, &prefix, "it-consumer");
    let applied = wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 5).await;
    assert_eq!(
        applied, 5,
        "every good message behind the poison ones is applied"
    );

    let mut dl = h
        .bus
        .subscribe(&baton_testkit::unique("dlq"), &[dlq])
        .await
        .unwrap();
    let mut letters = Vec::new();
    for _ in 0..4 {
        let d = recv(&mut dl).await;
        letters.push(baton_schemas::decode::<DeadLetter>(&d.payload).unwrap());
        ack(&h.pool, &mut dl, &d).await;
    }
    dl.close().await.unwrap();
    shutdown.cancel();
    for t in tasks {
        t.await.unwrap();
    }
    let classes: Vec<_> = letters
        .iter()
        .map(|l| (l.original_offset, l.error_class))
        .collect();
    assert_eq!(
        classes,
        vec![
            (1, DeadLetterClass::NotAvro),
            (3, DeadLetterClass::UnknownFingerprint),
            (5, DeadLetterClass::MalformedRecord),
            (7, DeadLetterClass::Invalid),
        ],
        "one partition (one key): offsets are positions in the batch"
    );
    for l in &letters {
        assert_eq!(l.original_topic, input);
        assert_eq!(l.consumer_group, "it-consumer");
        assert_eq!(l.original_key.as_deref(), Some(&b"org_a:u1"[..]));
        assert!(!l.error_message.is_empty());
    }
    assert_eq!(
        letters[0].original_value,
        b"\x00\x01garbage that is not avro"
    );
    assert!(
        letters[1].error_message.contains("io.baton.v1.AuditRecord"),
        "{}",
        letters[1].error_message
    );
    assert!(letters[3].error_message.contains("type reject is refused"));
}

async fn duplicate_body<B: Bus>(h: &Harness<B>) {
    let owner = h.db.owner_pool().await;
    applied_table(&owner).await;
    let prefix = format!("{}.", baton_testkit::unique("d"));
    let input = topic(&h.bus, "dup").await;
    let producer = Producer::new("it", &prefix);
    let mut first = producer.envelope(&event(1)).unwrap();
    first.topic = input.clone();
    let mut second = producer.envelope(&event(2)).unwrap();
    second.topic = input.clone();
    // The same message delivered twice (a producer retry, a relay crash after publishing).
    h.bus
        .publish(vec![first.clone(), first.clone(), second])
        .await
        .unwrap();
    let group = baton_testkit::unique("g");
    let (shutdown, tasks) = start(h, &input, &prefix, &group);
    assert_eq!(
        wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 2).await,
        2
    );
    let dups = wait_for_count(
        &owner,
        "SELECT coalesce(sum(duplicates), 0)::bigint FROM inbox",
        1,
    )
    .await;
    shutdown.cancel();
    for t in tasks {
        t.await.unwrap();
    }
    let rows: Vec<String> = sqlx::query_scalar("SELECT body FROM it_applied ORDER BY body")
        .fetch_all(&owner)
        .await
        .unwrap();
    assert_eq!(rows, vec![r#"{"n":1}"#, r#"{"n":2}"#]);
    assert_eq!(dups, 1, "the inbox counted the duplicate delivery");
}

/// Two members of one group on the embedded bus: every message is applied exactly once, and
/// a message the other member got to first is dropped, not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_embedded_members_of_one_group_apply_each_message_once() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let h = crate::support::embedded().await;
    applied_table(&h.db.owner_pool().await).await;
    let (prefix, input, _) = crate::support::consumer_topics(&h.bus, "m2").await;
    let producer = Producer::new("it", &prefix);
    let events: Vec<_> = (0..60)
        .map(|i| {
            let mut e = event(i);
            e.user_id = format!("u{}", i % 7);
            producer.envelope(&e).unwrap()
        })
        .collect();
    let shutdown = CancellationToken::new();
    let members: Vec<_> = (0..2)
        .map(|_| {
            tokio::spawn(runtime::run(
                spec("it-two-members", &input, &prefix, Wire::default()),
                h.bus.clone(),
                h.pool.clone(),
                Recorder,
                shutdown.clone(),
            ))
        })
        .collect();
    h.bus.publish(events).await.unwrap();
    assert_eq!(
        wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 60).await,
        60
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    shutdown.cancel();
    for m in members {
        m.await.unwrap().unwrap();
    }
    let (total, distinct): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT event_id) FROM it_applied")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!((total, distinct), (60, 60));
    let rendered = metrics.render();
    // The series exists from the start (at 0); nothing was retried.
    let retried: Vec<&str> = rendered
        .lines()
        .filter(|l| l.starts_with("baton_messages_retried_total") && l.contains("it-two-members"))
        .collect();
    assert!(!retried.is_empty(), "{rendered}");
    assert!(
        retried.iter().all(|l| l.ends_with(" 0")),
        "no retries: {retried:?}"
    );
}
