//! Partitions applied concurrently: per-key order holds whatever the interleaving. A
//! property test: random keys and random handler durations (so the partitions' batches
//! overlap and finish in random orders), on both buses; every message is applied once and
//! each key's messages in the order they were published.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use baton_platform::{
    bus::{Bus, Delivery, partition_for},
    runtime::{self, Handler, HandlerCtx, HandlerError, Producer},
    wire::Wire,
};
use baton_schemas::{Message, OrchestratorEvent};
use proptest::{prelude::*, test_runner::TestRunner};
use tokio_util::sync::CancellationToken;

use crate::{
    runtime::{event, spec, wait_for_count},
    support::{Harness, both},
};

both!(
    per_key_order_holds_with_partitions_applied_concurrently,
    concurrent_order
);

/// A consumer held up for longer than `max.poll.interval.ms` (its only lane applying one
/// slow message, the rest waiting) stays in its group: its fetcher pauses the partitions and
/// polls on, so librdkafka never reports the interval exceeded, and every message is
/// applied once, in order, after the pause.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_held_up_past_its_poll_interval_stays_in_its_group() {
    let metrics = baton_platform::http::metrics_handle().unwrap();
    let mut config = baton_testkit::kafka();
    config.session_timeout_ms = 6_000;
    config.max_poll_interval_ms = 6_000;
    let h = crate::support::kafka_with(&config).await;
    let owner = order_table(&h).await;
    let run = baton_testkit::unique("held");
    // One key: one partition, one lane. The first message takes 8 s to apply, more than
    // the 6 s interval; the other 11 wait behind it (more than the lane and channel hold).
    let messages: Vec<(u8, u64)> = (0..12)
        .map(|i| (1, if i == 0 { 8_000 } else { 0 }))
        .collect();
    let lanes = Lanes {
        concurrency: 1,
        batch_max: 2,
    };
    let applied = apply_all(&h, &owner, &run, &messages, lanes, Default::default()).await;
    assert_eq!(
        applied,
        (0..12).map(|s| (1, s)).collect::<Vec<_>>(),
        "each once, in order"
    );
    let group = format!("{run}-g");
    let errors = metrics
        .render()
        .lines()
        .filter(|l| l.starts_with("baton_consumer_receive_errors_total") && l.contains(&group))
        .map(str::to_string)
        .collect::<Vec<_>>();
    assert!(
        errors.is_empty(),
        "no receive error (max.poll.interval exceeded): {errors:?}"
    );
}

/// The keys a case draws from: over the harness's 3 partitions they cover more than one.
const KEYS: u8 = 8;

/// Records each message it applies (run, key, sequence number) after sleeping the message's
/// `delay_ms`; counts how many it is applying at once.
struct Sequencer {
    in_flight: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

impl Handler for Sequencer {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        let delay = ev.payload["delay_ms"].as_u64().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        let inserted = sqlx::query("INSERT INTO it_order (run, key, seq) VALUES ($1, $2, $3)")
            .bind(ev.payload["run"].as_str())
            .bind(ev.payload["key"].as_i64())
            .bind(ev.payload["seq"].as_i64())
            .execute(&mut *ctx.tx)
            .await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        inserted?;
        Ok(())
    }
}

/// How the consumer under test applies partitions.
#[derive(Clone, Copy)]
struct Lanes {
    concurrency: usize,
    batch_max: usize,
}

/// The table the [`Sequencer`] records into; the owner's pool, to read it.
async fn order_table<B: Bus>(h: &Harness<B>) -> sqlx::PgPool {
    let owner = h.db.owner_pool().await;
    sqlx::raw_sql(
        "CREATE TABLE it_order (id BIGSERIAL PRIMARY KEY, run TEXT NOT NULL, key BIGINT NOT NULL,
                                seq BIGINT NOT NULL);
         GRANT SELECT, INSERT ON it_order TO baton_app;
         GRANT USAGE ON SEQUENCE it_order_id_seq TO baton_app;",
    )
    .execute(&owner)
    .await
    .unwrap();
    owner
}

async fn concurrent_order<B: Bus>(h: &Harness<B>) {
    let owner = order_table(h).await;
    let partitions: std::collections::HashSet<i32> = (0..KEYS)
        .map(|k| partition_for(Some(k.to_string().as_bytes()), 3))
        .collect();
    assert!(partitions.len() > 1, "the keys span several partitions");

    let most = Arc::new(AtomicUsize::new(0));
    // Each case: up to 48 messages on random keys, each taking 0–7 ms to apply.
    let plan = prop::collection::vec((0..KEYS, 0u64..8), 8..48);
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&plan, |messages| {
        let most = most.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(one_case(h, &owner, &messages, most))
        })
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    assert!(
        most.load(Ordering::SeqCst) > 1,
        "messages of different partitions were applied at the same time"
    );
}

/// Publishes `messages` (key, handler delay), applies them with 3 partitions at once, and
/// checks every key's messages were applied once each, in the order published.
async fn one_case<B: Bus>(
    h: &Harness<B>,
    owner: &sqlx::PgPool,
    messages: &[(u8, u64)],
    most: Arc<AtomicUsize>,
) -> Result<(), TestCaseError> {
    let run = baton_testkit::unique("o");
    let lanes = Lanes {
        concurrency: 3,
        batch_max: 4,
    };
    let applied = apply_all(h, owner, &run, messages, lanes, most).await;
    prop_assert_eq!(applied.len(), messages.len(), "each message applied once");
    for key in 0..KEYS as i64 {
        let order: Vec<i64> = applied
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, s)| *s)
            .collect();
        let published: Vec<i64> = messages
            .iter()
            .enumerate()
            .filter(|(_, (k, _))| i64::from(*k) == key)
            .map(|(s, _)| s as i64)
            .collect();
        prop_assert_eq!(
            order,
            published,
            "key {}'s messages in published order",
            key
        );
    }
    Ok(())
}

/// Publishes `messages` (key, handler delay) as run `run` on a topic of its own, applies them
/// with a consumer of group `{run}-g` until as many are recorded, and returns what was
/// applied (key, sequence number) in the order it was.
async fn apply_all<B: Bus>(
    h: &Harness<B>,
    owner: &sqlx::PgPool,
    run: &str,
    messages: &[(u8, u64)],
    lanes: Lanes,
    most: Arc<AtomicUsize>,
) -> Vec<(i64, i64)> {
    let prefix = format!("{run}.");
    let input = OrchestratorEvent::TOPIC.name(&prefix);
    h.bus
        .create_topics(std::slice::from_ref(&input))
        .await
        .unwrap();
    let producer = Producer::new("it", &prefix);
    let envelopes = messages
        .iter()
        .enumerate()
        .map(|(seq, (key, delay))| {
            let mut e = event(seq);
            e.payload =
                serde_json::json!({ "run": run, "key": key, "seq": seq, "delay_ms": delay });
            let mut env = producer.envelope(&e).unwrap();
            env.key = Some(key.to_string().into_bytes());
            env.org = Some(e.org_id.clone());
            env
        })
        .collect();
    h.bus.publish(envelopes).await.unwrap();

    let shutdown = CancellationToken::new();
    let mut spec = spec(&format!("{run}-g"), &input, &prefix, Wire::default());
    spec.concurrency = lanes.concurrency;
    spec.batch_max = lanes.batch_max;
    let handler = Sequencer {
        in_flight: Arc::new(AtomicUsize::new(0)),
        most,
    };
    let consumer = tokio::spawn(runtime::run(
        spec,
        h.bus.clone(),
        h.pool.clone(),
        handler,
        shutdown.clone(),
    ));
    let count = format!("SELECT count(*) FROM it_order WHERE run = '{run}'");
    wait_for_count(owner, &count, messages.len() as i64).await;
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    sqlx::query_as("SELECT key, seq FROM it_order WHERE run = $1 ORDER BY id")
        .bind(run)
        .fetch_all(owner)
        .await
        .unwrap()
}
