use std::time::Duration;

use baton_platform::bus::{
    Acker, Bus, BusConsumer, Delivery, Envelope, embedded::EmbeddedBus, kafka::KafkaBus,
};
use baton_testkit::TestDb;
use sqlx::PgPool;

pub const WAIT: Duration = Duration::from_secs(30);

/// Either bus, with the database it works against.
pub struct Harness<B> {
    pub db: TestDb,
    pub pool: PgPool,
    pub bus: B,
}

pub async fn embedded() -> Harness<EmbeddedBus> {
    let db = TestDb::new().await;
    let pool = db.service_pool().await;
    let bus = EmbeddedBus::new(pool.clone(), 3);
    Harness { db, pool, bus }
}

pub async fn kafka() -> Harness<KafkaBus> {
    kafka_with(&baton_testkit::kafka()).await
}

/// The Kafka harness with the client settings of `config`.
pub async fn kafka_with(config: &baton_platform::config::KafkaConfig) -> Harness<KafkaBus> {
    let db = TestDb::new().await;
    let pool = db.service_pool().await;
    let bus = KafkaBus::new(config, 3, 1).unwrap();
    Harness { db, pool, bus }
}

pub fn envelope(topic: &str, key: &str, payload: &str) -> Envelope {
    Envelope {
        topic: topic.to_string(),
        key: Some(key.as_bytes().to_vec()),
        payload: payload.as_bytes().to_vec(),
        headers: vec![("ce_id".into(), uuid::Uuid::now_v7().to_string())],
        org: None,
    }
}

/// Receives one delivery, failing the test after WAIT.
pub async fn recv<C: BusConsumer>(consumer: &mut C) -> Delivery {
    tokio::time::timeout(WAIT, consumer.next())
        .await
        .expect("a delivery within 30 s")
        .unwrap()
}

/// Acknowledges `d` the way the runtime does: in a transaction, then after commit.
pub async fn ack<C: BusConsumer>(pool: &PgPool, consumer: &mut C, d: &Delivery) {
    let acker = consumer.acker();
    let mut tx = pool.begin().await.unwrap();
    acker
        .ack_in_tx(&mut tx, std::slice::from_ref(d))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    acker.ack_committed(d).unwrap();
}

pub fn text(d: &Delivery) -> String {
    String::from_utf8(d.payload.clone()).unwrap()
}

pub async fn topic<B: Bus>(bus: &B, name: &str) -> String {
    let t = baton_testkit::unique(name);
    bus.create_topics(std::slice::from_ref(&t)).await.unwrap();
    t
}

/// A consumer's topics under a fresh prefix (`tag` plus a unique suffix), created: the
/// prefix, the input (OrchestratorEvent) topic and the dead-letter topic.
pub async fn consumer_topics<B: Bus>(bus: &B, tag: &str) -> (String, String, String) {
    use baton_schemas::{DeadLetter, Message, OrchestratorEvent};
    let prefix = format!("{}.", baton_testkit::unique(tag));
    let input = OrchestratorEvent::TOPIC.name(&prefix);
    let dlq = DeadLetter::TOPIC.name(&prefix);
    bus.create_topics(&[input.clone(), dlq.clone()])
        .await
        .unwrap();
    (prefix, input, dlq)
}

/// Runs an async test body against both buses: `both!(name, body_fn)`.
macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                let h = crate::support::embedded().await;
                super::$body(&h).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn kafka() {
                let h = crate::support::kafka().await;
                super::$body(&h).await;
            }
        }
    };
}
pub(crate) use both;
