//! Whose fault a failure is decides what happens to the message. The message's own (a
//! handler error, a constraint): retried up to the cap, then dead-lettered
//! `retries_exhausted`, and the partition moves on. The environment's (the connection was
//! terminated): retried without a cap, not ready meanwhile, nothing dead-lettered. The
//! deployment's (a revoked privilege, class 42): the consumer stops, naming it.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use baton_platform::{
    bus::{Bus, BusConsumer, Delivery},
    runtime::{self, Handler, HandlerCtx, HandlerError, Producer, RetryPolicy},
    wire::Wire,
};
use baton_schemas::{DeadLetter, DeadLetterClass, OrchestratorEvent};
use tokio_util::sync::CancellationToken;

use crate::{
    runtime::{applied_table, event, spec, wait_for_count},
    support::{Harness, ack, both, recv},
};

both!(
    a_message_that_never_succeeds_is_dead_lettered_after_the_cap,
    exhausted_body
);

/// Quick retries, so a test sees the cap reached in well under a second.
fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        min_delay_ms: 10,
        max_delay_ms: 50,
    }
}

/// Applies events like the runtime tests' recorder; an event of type `always_fails` fails
/// on every attempt (counted), one of type `drop_connection` terminates its own database
/// connection on its first attempt and records, on its second, whether the process was
/// reporting not ready in between.
#[derive(Clone, Default)]
struct Flaky {
    attempts: Arc<AtomicU32>,
    not_ready_seen: Arc<AtomicU32>,
    /// A superuser connection, to terminate the handler's own.
    owner: Option<sqlx::PgPool>,
}

impl Handler for Flaky {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        match ev.event_type.as_str() {
            "always_fails" => {
                self.attempts.fetch_add(1, Ordering::SeqCst);
                return Err(HandlerError::Retryable(anyhow::anyhow!(
                    "the CRM said no (attempt {})",
                    self.attempts.load(Ordering::SeqCst)
                )));
            }
            "drop_connection" if self.attempts.fetch_add(1, Ordering::SeqCst) == 0 => {
                // An operator (or a failover) ends this connection mid-transaction.
                let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
                    .fetch_one(&mut *ctx.tx)
                    .await?;
                if let Some(owner) = &self.owner {
                    sqlx::query("SELECT pg_terminate_backend($1)")
                        .bind(pid)
                        .execute(owner)
                        .await?;
                }
            }
            "drop_connection" => {
                let problems = baton_platform::health::process().problems();
                if problems.iter().any(|p| p.starts_with("consumer ")) {
                    self.not_ready_seen.fetch_add(1, Ordering::SeqCst);
                }
            }
            _ => {}
        }
        sqlx::query("INSERT INTO it_applied (event_id, body) VALUES ($1, $2)")
            .bind(&ev.event_id)
            .bind(ev.payload.to_string())
            .execute(&mut *ctx.tx)
            .await?;
        Ok(())
    }
}

/// Runs `handler` as consumer `spec` on `h` until `shutdown`.
fn spawn_consumer<B: Bus>(
    h: &Harness<B>,
    spec: baton_platform::runtime::ConsumerSpec,
    handler: Flaky,
    shutdown: &CancellationToken,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    let (bus, pool, s) = (h.bus.clone(), h.pool.clone(), shutdown.clone());
    tokio::spawn(async move { runtime::run(spec, bus, pool, handler, s).await })
}

/// How many messages the embedded bus holds on the dead-letter topic `dlq` (`pool`: the
/// owner's, which sees every org's rows).
async fn lettered(pool: &sqlx::PgPool, dlq: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM bus_log WHERE topic = $1")
        .bind(dlq)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn typed(n: usize, event_type: &str) -> OrchestratorEvent {
    let mut e = event(n);
    e.event_type = event_type.into();
    e
}

async fn exhausted_body<B: Bus>(h: &Harness<B>) {
    applied_table(&h.db.owner_pool().await).await;
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, "f").await;
    let producer = Producer::new("it", &prefix);
    let batch = vec![
        producer.envelope(&event(1)).unwrap(),
        producer.envelope(&typed(2, "always_fails")).unwrap(),
        producer.envelope(&event(3)).unwrap(),
    ];
    h.bus.publish(batch).await.unwrap();

    let handler = Flaky::default();
    let mut spec = spec("it-flaky", &input, &prefix, Wire::default());
    spec.retry = quick(3);
    let shutdown = CancellationToken::new();
    let consumer = spawn_consumer(h, spec, handler.clone(), &shutdown);
    let relay = tokio::spawn(baton_platform::relay::supervise(
        h.pool.clone(),
        h.bus.clone(),
        shutdown.clone(),
    ));
    let applied = wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 2).await;
    assert_eq!(applied, 2, "the message behind the failing one is applied");

    let mut dl = h
        .bus
        .subscribe(&baton_testkit::unique("dlq"), &[dlq])
        .await
        .unwrap();
    let d = recv(&mut dl).await;
    let letter = baton_schemas::decode::<DeadLetter>(&d.payload).unwrap();
    ack(&h.pool, &mut dl, &d).await;
    dl.close().await.unwrap();
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    relay.await.unwrap();

    assert_eq!(letter.error_class, DeadLetterClass::RetriesExhausted);
    assert_eq!(letter.original_offset, 1);
    assert!(
        letter.error_message.contains("gave up after 3 attempts")
            && letter.error_message.contains("the CRM said no (attempt 3)"),
        "{}",
        letter.error_message
    );
    assert_eq!(
        handler.attempts.load(Ordering::SeqCst),
        3,
        "tried exactly the cap"
    );
}

/// A terminated connection is not the message's fault: with a cap of one attempt it is still
/// retried (so it was not counted), nothing is dead-lettered, and the process said it was
/// not ready until the retry went through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminated_connection_is_retried_uncapped_and_dead_letters_nothing() {
    let h = crate::support::embedded().await;
    let owner = h.db.owner_pool().await;
    applied_table(&owner).await;
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, "f").await;
    let producer = Producer::new("it", &prefix);
    h.bus
        .publish(vec![
            producer.envelope(&typed(1, "drop_connection")).unwrap(),
            producer.envelope(&event(2)).unwrap(),
        ])
        .await
        .unwrap();
    let handler = Flaky {
        owner: Some(owner),
        ..Flaky::default()
    };
    let mut spec = spec("it-drop", &input, &prefix, Wire::default());
    spec.retry = quick(1);
    let shutdown = CancellationToken::new();
    let consumer = spawn_consumer(&h, spec, handler.clone(), &shutdown);
    let applied = wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 2).await;
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    assert_eq!(applied, 2, "both messages applied");
    assert_eq!(handler.attempts.load(Ordering::SeqCst), 2, "one retry");
    assert_eq!(
        handler.not_ready_seen.load(Ordering::SeqCst),
        1,
        "not ready while the connection was lost"
    );
    assert!(
        baton_platform::health::process().problems().is_empty(),
        "ready again"
    );
    assert_eq!(
        lettered(&h.db.owner_pool().await, &dlq).await,
        0,
        "nothing dead-lettered"
    );
}

/// A privilege revoked from the service role (SQLSTATE 42501) would fail every message: the
/// consumer stops with an error naming it instead of dead-lettering the traffic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_privilege_stops_the_consumer_naming_it() {
    let h = crate::support::embedded().await;
    let owner = h.db.owner_pool().await;
    applied_table(&owner).await;
    sqlx::raw_sql("REVOKE INSERT ON it_applied FROM baton_app")
        .execute(&owner)
        .await
        .unwrap();
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, "f").await;
    let producer = Producer::new("it", &prefix);
    h.bus
        .publish(vec![producer.envelope(&event(1)).unwrap()])
        .await
        .unwrap();
    let spec = spec("it-revoked", &input, &prefix, Wire::default());
    let stopped = tokio::time::timeout(
        Duration::from_secs(30),
        runtime::run(
            spec,
            h.bus.clone(),
            h.pool.clone(),
            Flaky::default(),
            CancellationToken::new(),
        ),
    )
    .await
    .expect("the consumer stops by itself");
    let error = format!("{:#}", stopped.unwrap_err());
    assert!(
        error.contains("SQLSTATE 42501") && error.contains("it_applied"),
        "{error}"
    );
    assert_eq!(
        lettered(&h.db.owner_pool().await, &dlq).await,
        0,
        "nothing dead-lettered"
    );
}

/// Real errors from Postgres, sorted: data and constraint errors are the message's (capped
/// retries), a terminated connection the environment's, a missing privilege fatal.
#[tokio::test]
async fn database_errors_are_sorted_by_whose_fault_they_are() {
    let h = crate::support::embedded().await;
    let kind = |e: HandlerError| match e {
        HandlerError::Retryable(_) => "message",
        HandlerError::Unavailable(_) => "environment",
        HandlerError::Fatal(_) => "fatal",
        HandlerError::Permanent { .. } | HandlerError::WrongOrg { .. } => "permanent",
    };
    let owner = h.db.owner_pool().await;
    let err = |sql: &'static str| {
        let pool = if sql.contains("terminate") {
            owner.clone()
        } else {
            h.pool.clone()
        };
        async move {
            let mut conn = pool.acquire().await.unwrap();
            sqlx::raw_sql(sql).execute(&mut *conn).await.unwrap_err()
        }
    };
    assert_eq!(kind(err("SELECT 'x'::int").await.into()), "message"); // 22P02
    assert_eq!(kind(err("SELECT 1/0").await.into()), "message"); // 22012
    assert_eq!(
        kind(
            err("SELECT pg_terminate_backend(pg_backend_pid())")
                .await
                .into()
        ),
        "environment"
    ); // 57P01
    assert_eq!(
        kind(err("SELECT * FROM no_such_table").await.into()),
        "fatal"
    ); // 42P01
    assert_eq!(kind(err("TRUNCATE sequence_jobs").await.into()), "fatal"); // 42501
}

/// The relay's listener connection is terminated (Kafka mode): the relay starts again and
/// the outbox drains. Held down by a failpoint, it makes `/readyz` not ready.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_recovers_from_a_lost_listener_and_is_not_ready_while_down() {
    let h = crate::support::kafka().await;
    let (prefix, input, _) = crate::support::consumer_topics(&h.bus, "f").await;
    let producer = Producer::new("it", &prefix);
    let shutdown = CancellationToken::new();
    let relay = tokio::spawn(baton_platform::relay::supervise(
        h.pool.clone(),
        h.bus.clone(),
        shutdown.clone(),
    ));
    let owner = h.db.owner_pool().await;
    let listening = "SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND query LIKE 'LISTEN%'";
    assert_eq!(wait_for_count(&owner, listening, 1).await, 1);
    sqlx::raw_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .execute(&owner)
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let org = "org_a".parse().unwrap();
    let mut tx = baton_platform::store::begin_for_org(&h.pool, &org)
        .await
        .unwrap();
    h.bus
        .stage(&mut tx, &[producer.envelope(&event(1)).unwrap()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut consumer = h
        .bus
        .subscribe(&baton_testkit::unique("g"), &[input])
        .await
        .unwrap();
    let d = recv(&mut consumer).await;
    assert!(baton_schemas::decode::<OrchestratorEvent>(&d.payload).is_ok());
    let unsent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(unsent, 0, "the outbox drained after the restart");

    let readiness = baton_platform::http::Readiness {
        pool: h.pool.clone(),
        outbox_lag: Some(Duration::from_secs(60)),
    };
    assert_eq!(readiness.problems().await, Vec::<String>::new());
    fail::cfg("relay_down", "return").unwrap();
    let mut tx = baton_platform::store::begin_for_org(&h.pool, &org)
        .await
        .unwrap();
    h.bus
        .stage(&mut tx, &[producer.envelope(&event(2)).unwrap()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let problems = loop {
        let p = readiness.problems().await;
        if !p.is_empty() || tokio::time::Instant::now() > deadline {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        problems,
        vec!["outbox relay: cannot publish the outbox; retrying".to_string()]
    );
    fail::remove("relay_down");
    let d = recv(&mut consumer).await;
    assert!(baton_schemas::decode::<OrchestratorEvent>(&d.payload).is_ok());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !readiness.problems().await.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        readiness.problems().await.is_empty(),
        "ready again once it publishes"
    );
    consumer.close().await.unwrap();
    shutdown.cancel();
    relay.await.unwrap();
}
