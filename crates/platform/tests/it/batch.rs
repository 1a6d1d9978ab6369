//! The batching consumer runtime: what a consumer holds is applied in one transaction, each
//! message under its own savepoint and starting scoped to no org; a poison message in the
//! middle is rolled back to its savepoint and dead-lettered, the rest applied once.

use baton_platform::{
    bus::{Bus, BusConsumer, Delivery},
    relay,
    runtime::{self, Handler, HandlerCtx, HandlerError, Producer},
    wire::Wire,
};
use baton_schemas::{DeadLetter, DeadLetterClass, Message, OrchestratorEvent};
use tokio_util::sync::CancellationToken;

use crate::{
    runtime::{event, spec, wait_for_count},
    support::{Harness, ack, both, recv},
};

both!(
    a_poison_message_inside_a_batch_is_dead_lettered_and_the_rest_applied_once,
    poison_in_batch
);

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
    let prefix = format!("{}.", baton_testkit::unique("b"));
    let input = OrchestratorEvent::TOPIC.name(&prefix);
    let dlq = DeadLetter::TOPIC.name(&prefix);
    h.bus
        .create_topics(&[input.clone(), dlq.clone()])
        .await
        .unwrap();
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
