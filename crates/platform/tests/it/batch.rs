//! The batching consumer runtime: what a consumer holds is applied in one transaction, each
//! message under its own savepoint and starting scoped to no org; a poison message in the
//! middle is rolled back to its savepoint and dead-lettered, the rest applied once.

use baton_platform::{
    bus::{Bus, BusConsumer, Delivery},
    relay,
    runtime::{self, Handler, HandlerCtx, HandlerError, Producer},
    wire::Wire,
};
use baton_schemas::{DeadLetter, DeadLetterClass, OrchestratorEvent};
use tokio_util::sync::CancellationToken;

use crate::{
    runtime::{event, spec, wait_for_count},
    support::{Harness, ack, both, recv},
};

both!(
    a_poison_message_inside_a_batch_is_dead_lettered_and_the_rest_applied_once,
    poison_in_batch
);

both!(
    a_message_failing_once_inside_a_batch_is_retried_and_all_applied_once_in_order,
    failing_once_in_batch
);

/// Records each event's `n` in the order applied; event 5 fails (retryably) the first time.
struct FailsOnce(std::sync::atomic::AtomicBool);

impl Handler for FailsOnce {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        let n = ev.payload["n"].as_i64().unwrap_or(-1);
        ctx.enter_org(&ev.org_id).await?;
        sqlx::query("INSERT INTO it_once (n) VALUES ($1)")
            .bind(n)
            .execute(&mut *ctx.tx)
            .await?;
        if n == 5 && !self.0.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(HandlerError::Retryable(anyhow::anyhow!("a passing fault")));
        }
        Ok(())
    }
}

/// The batch containing event 5 rolls back when 5 fails (its own insert with it); the
/// events before it are applied again, 5 is retried alone and succeeds, the rest follow:
/// each of the twelve applied once, in published order, nothing dead-lettered.
async fn failing_once_in_batch<B: Bus>(h: &Harness<B>) {
    let owner = record_table(h, "it_once").await;
    let (prefix, input) = one_key_events(h, "f1", 12).await;
    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(runtime::run(
        spec("it-once", &input, &prefix, Wire::default()),
        h.bus.clone(),
        h.pool.clone(),
        FailsOnce(Default::default()),
        shutdown.clone(),
    ));
    wait_for_count(&owner, "SELECT count(*) FROM it_once", 12).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    let applied: Vec<i64> = sqlx::query_scalar("SELECT n FROM it_once ORDER BY id")
        .fetch_all(&owner)
        .await
        .unwrap();
    assert_eq!(applied, (0..12).collect::<Vec<i64>>());
}

/// Records each event it applies with the transaction it ran in and the tenant setting it
/// found before scoping itself to the event's org; refuses events of type "reject".
struct Witness;

impl Handler for Witness {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        let (txid, org_seen): (i64, Option<String>) =
            sqlx::query_as("SELECT txid_current(), current_setting('app.org_id', true)")
                .fetch_one(&mut *ctx.tx)
                .await?;
        ctx.enter_org(&ev.org_id).await?;
        if ev.event_type == "reject" {
            return Err(HandlerError::invalid("type reject is refused"));
        }
        sqlx::query("INSERT INTO it_batch (event_id, txid, org_seen) VALUES ($1, $2, $3)")
            .bind(&ev.event_id)
            .bind(txid)
            .bind(org_seen)
            .execute(&mut *ctx.tx)
            .await?;
        Ok(())
    }
}

async fn poison_in_batch<B: Bus>(h: &Harness<B>) {
    let owner = h.db.owner_pool().await;
    sqlx::raw_sql(
        "CREATE TABLE it_batch (event_id TEXT NOT NULL, txid BIGINT NOT NULL, org_seen TEXT);
         GRANT SELECT, INSERT ON it_batch TO baton_app;",
    )
    .execute(&owner)
    .await
    .unwrap();
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, "b").await;
    let producer = Producer::new("it", &prefix);
    // Twelve events of two orgs on one key (one partition, so one order), the sixth refused.
    let events: Vec<_> = (0..12)
        .map(|i| {
            let mut e = event(i);
            e.org_id = if i % 2 == 0 { "org_a" } else { "org_b" }.into();
            if i == 5 {
                e.event_type = "reject".into();
            }
            let mut env = producer.envelope(&e).unwrap();
            env.key = Some(b"one-key".to_vec());
            env.org = Some(e.org_id.clone());
            env
        })
        .collect();
    h.bus.publish(events).await.unwrap();

    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(runtime::run(
        spec("it-batch", &input, &prefix, Wire::default()),
        h.bus.clone(),
        h.pool.clone(),
        Witness,
        shutdown.clone(),
    ));
    let relay = tokio::spawn(relay::run(h.pool.clone(), h.bus.clone(), shutdown.clone()));
    assert_eq!(
        wait_for_count(&owner, "SELECT count(*) FROM it_batch", 11).await,
        11
    );
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
    relay.await.unwrap().unwrap();

    assert_eq!(letter.error_class, DeadLetterClass::Invalid);
    assert_eq!(
        letter.original_offset, 5,
        "the refused message, by its offset"
    );
    let (rows, distinct, carried, txids): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT event_id),
                count(*) FILTER (WHERE coalesce(org_seen, '') <> ''), count(DISTINCT txid)
         FROM it_batch",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(
        (rows, distinct),
        (11, 11),
        "every good message applied once"
    );
    assert_eq!(
        carried, 0,
        "no message started scoped to the org of the one before it"
    );
    // On the embedded bus all twelve are fetched at once: the five before the refused one
    // are applied in one transaction, the six after it in another. (Kafka hands over what
    // librdkafka has prefetched, which the test does not control.)
    if h.bus.system() == "embedded" {
        assert_eq!(txids, 2, "the messages were applied in two batches");
    }
}

/// Records each event's `n`; while applying event 2 it moves the group's offset past event
/// 5 from another connection, as another member that consumed 0–5 first would have.
struct Overtaken {
    owner: sqlx::PgPool,
    group: String,
}

impl Handler for Overtaken {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        let n = ev.payload["n"].as_i64().unwrap_or(-1);
        if n == 2 {
            sqlx::query(
                "UPDATE bus_offsets SET next_offset = 6
                 WHERE consumer_group = $1 AND topic = $2 AND partition = $3",
            )
            .bind(&self.group)
            .bind(&d.topic)
            .bind(d.partition)
            .execute(&self.owner)
            .await
            .unwrap();
        }
        ctx.enter_org(&ev.org_id).await?;
        sqlx::query("INSERT INTO it_overtaken (n) VALUES ($1)")
            .bind(n)
            .execute(&mut *ctx.tx)
            .await?;
        Ok(())
    }
}

/// A batch is acknowledged once, for the run it applied, by one compare-and-set of the
/// group's offset (embedded). When another member moved the offset meanwhile, nothing of the
/// batch commits, and the consumer goes on from where the group stands.
#[tokio::test]
async fn a_batch_overtaken_by_another_member_commits_nothing() {
    let h = crate::support::embedded().await;
    let owner = record_table(&h, "it_overtaken").await;
    let (prefix, input) = one_key_events(&h, "ov", 8).await;

    let group = "it-overtaken".to_string();
    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(runtime::run(
        spec(&group, &input, &prefix, Wire::default()),
        h.bus.clone(),
        h.pool.clone(),
        Overtaken {
            owner: owner.clone(),
            group: group.clone(),
        },
        shutdown.clone(),
    ));
    wait_for_count(
        &owner,
        "SELECT count(*) FROM bus_offsets WHERE consumer_group = 'it-overtaken' AND next_offset = 8",
        1,
    )
    .await;
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    let applied: Vec<i64> = sqlx::query_scalar("SELECT n FROM it_overtaken ORDER BY n")
        .fetch_all(&owner)
        .await
        .unwrap();
    assert_eq!(
        applied,
        vec![6, 7],
        "the overtaken batch (0–7) rolled back whole; 6 and 7 applied after the reload"
    );
}

/// A table `name (id, n)` the service role may write (`id` gives the order rows were
/// written in); the owner's pool, to read it.
async fn record_table<B: Bus>(h: &Harness<B>, name: &str) -> sqlx::PgPool {
    let owner = h.db.owner_pool().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE {name} (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL);
         GRANT SELECT, INSERT ON {name} TO baton_app;
         GRANT USAGE ON SEQUENCE {name}_id_seq TO baton_app;"
    )))
    .execute(&owner)
    .await
    .unwrap();
    owner
}

/// Topics of their own (prefix `tag`), and events 0..n of org_a published on one key (one
/// partition, so one order); the topic prefix and the events topic.
async fn one_key_events<B: Bus>(h: &Harness<B>, tag: &str, n: usize) -> (String, String) {
    let (prefix, input, _) = crate::support::consumer_topics(&h.bus, tag).await;
    let producer = Producer::new("it", &prefix);
    let events: Vec<_> = (0..n)
        .map(|i| {
            let mut env = producer.envelope(&event(i)).unwrap();
            env.key = Some(b"one-key".to_vec());
            env.org = Some("org_a".into());
            env
        })
        .collect();
    h.bus.publish(events).await.unwrap();
    (prefix, input)
}
