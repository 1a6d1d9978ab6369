//! The message bus: one contract, two implementations.
//!
//! - [`kafka::KafkaBus`]: rdkafka against any Kafka-protocol broker. Handlers' output goes to
//!   the `outbox` table in their transaction and the relay publishes it afterwards.
//! - [`embedded::EmbeddedBus`]: a partitioned log in Postgres (`bus_log`). Handlers' output
//!   is appended to the log in their transaction, and the group offset advances in it too,
//!   so consume → apply → produce is one transaction: exactly once.
//!
//! Ordering holds within a key: a key always maps to the same partition.

pub mod embedded;
pub mod kafka;

use std::future::Future;

use baton_schemas::Headers;
use sqlx::PgConnection;

use crate::Result;

/// A message to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub topic: String,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Headers,
    /// The org it is for (none: a dead letter of a message whose org is unknown). Its log or
    /// outbox row is tagged with it, and it must be appended in a transaction scoped to it.
    pub org: Option<String>,
}

/// Which org's transaction appended a consumed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tenancy {
    /// The bus does not say: Kafka (where topic ACLs say who may produce), or an embedded-log
    /// row appended before the log recorded producers.
    Unknown,
    /// Appended by a transaction scoped to no org.
    Unscoped,
    /// Appended by a transaction scoped to this org (the database checks the tag).
    Org(String),
}

impl Tenancy {
    /// The org of the row, when there is one.
    pub fn org(&self) -> Option<&str> {
        match self {
            Tenancy::Org(org) => Some(org),
            Tenancy::Unknown | Tenancy::Unscoped => None,
        }
    }
}

/// A consumed message and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Headers,
    /// The database login that appended it (embedded bus: stamped by the database, so it is
    /// the producing service's credential, not a claim of the message). None on Kafka, where
    /// the topic ACLs say who may produce.
    pub producer: Option<String>,
    /// Which org's transaction appended it.
    pub tenancy: Tenancy,
}

impl Delivery {
    pub fn header(&self, name: &str) -> Option<&str> {
        baton_schemas::cloudevents::header(&self.headers, name)
    }

    /// The message id the inbox dedupes on: the CloudEvents `ce_id`, or the message's
    /// coordinates when a producer sent none.
    pub fn message_id(&self) -> String {
        match self.header("ce_id") {
            Some(id) => id.to_string(),
            None => format!("{}/{}/{}", self.topic, self.partition, self.offset),
        }
    }
}

/// What both buses offer.
pub trait Bus: Clone + Send + Sync + 'static {
    type Consumer: BusConsumer;

    /// `"kafka"` or `"embedded"` (the OpenTelemetry `messaging.system`).
    fn system(&self) -> &'static str;

    /// Creates topics that do not exist yet, with `partitions` each. Idempotent.
    fn create_topics(&self, topics: &[String]) -> impl Future<Output = Result<()>> + Send;

    /// Publishes now, outside any transaction; resolves once the messages are durable.
    fn publish(&self, messages: Vec<Envelope>) -> impl Future<Output = Result<()>> + Send;

    /// Stages messages inside the caller's transaction: they are published if and only if
    /// it commits.
    fn stage(
        &self,
        tx: &mut PgConnection,
        messages: &[Envelope],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Before staging `messages` in several calls (one per org, in a batch): takes what
    /// staging them will lock, all at once and in one order every transaction uses, so two
    /// batches cannot deadlock on it (embedded: the partitions' offset rows; Kafka: nothing).
    fn reserve(
        &self,
        tx: &mut PgConnection,
        messages: &[Envelope],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Joins consumer group `group` on `topics`, resuming from the group's stored offsets
    /// (the earliest offset for a new group).
    fn subscribe(
        &self,
        group: &str,
        topics: &[String],
    ) -> impl Future<Output = Result<Self::Consumer>> + Send;
}

/// One member of a consumer group: it fetches; its [`Acker`] acknowledges what was applied.
pub trait BusConsumer: Send {
    type Acker: Acker;

    fn next(&mut self) -> impl Future<Output = Result<Delivery>> + Send;

    /// What acknowledges this member's deliveries; shared by the partitions it applies at
    /// once while it goes on fetching.
    fn acker(&self) -> Self::Acker;

    /// The application holds all it may: stop fetching until [`BusConsumer::resume`].
    /// Returns whether `next` must still be called meanwhile to stay a member of the group
    /// (Kafka: a member that does not poll for `max.poll.interval.ms` is expelled; its
    /// partitions are paused, so polling delivers nothing new of theirs). The embedded bus
    /// fetches only when asked: nothing to pause, nothing to poll.
    fn pause(&mut self) -> Result<bool> {
        Ok(false)
    }

    /// Fetch again after [`BusConsumer::pause`].
    fn resume(&mut self) -> Result<()> {
        Ok(())
    }

    /// Commits what was acknowledged and leaves the group.
    fn close(self) -> impl Future<Output = Result<()>> + Send;
}

/// Acknowledges a member's deliveries. Two-phase, so that offsets follow the database:
/// `ack_in_tx` inside the transaction that applied the messages, `ack_committed` after it
/// committed.
pub trait Acker: Clone + Send + Sync + 'static {
    /// Called inside the transaction that applied `run` — one delivery, or a batch's
    /// consecutive deliveries of one partition, in order (embedded: advances the group
    /// offset past them there).
    fn ack_in_tx(
        &self,
        tx: &mut PgConnection,
        run: &[Delivery],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Called after that transaction committed (Kafka: stores the offset for commit).
    fn ack_committed(&self, delivery: &Delivery) -> Result<()>;
}

/// `messages` cut into runs of one org each, in the caller's order.
pub(crate) fn org_runs(messages: Vec<Envelope>) -> Vec<(Option<String>, Vec<Envelope>)> {
    let mut runs: Vec<(Option<String>, Vec<Envelope>)> = Vec::new();
    for m in messages {
        match runs.last_mut() {
            Some((org, run)) if *org == m.org => run.push(m),
            _ => runs.push((m.org.clone(), vec![m])),
        }
    }
    runs
}

/// The partition of `key` among `partitions`: CRC-32 of the key, as librdkafka's
/// `consistent` partitioner does; keyless messages go to partition 0.
pub fn partition_for(key: Option<&[u8]>, partitions: i32) -> i32 {
    match key {
        Some(k) if partitions > 0 => (crc32fast::hash(k) % partitions as u32) as i32,
        _ => 0,
    }
}

/// Either bus, chosen by configuration (`bus.kind`), so services are not generic over it.
#[derive(Clone)]
pub enum AnyBus {
    Embedded(embedded::EmbeddedBus),
    Kafka(kafka::KafkaBus),
}

pub enum AnyConsumer {
    Embedded(embedded::EmbeddedConsumer),
    Kafka(kafka::KafkaConsumer),
}

#[derive(Clone)]
pub enum AnyAcker {
    Embedded(embedded::EmbeddedAcker),
    Kafka(kafka::KafkaAcker),
}

impl AnyBus {
    /// The bus `config` names; the embedded log lives in `pool`'s database.
    pub fn from_config(config: &crate::config::BusConfig, pool: &sqlx::PgPool) -> Result<Self> {
        Ok(match config.kind {
            crate::config::BusKind::Embedded => {
                AnyBus::Embedded(embedded::EmbeddedBus::new(pool.clone(), config.partitions))
            }
            crate::config::BusKind::Kafka => AnyBus::Kafka(kafka::KafkaBus::new(
                &config.kafka,
                config.partitions,
                config.replication_factor,
            )?),
        })
    }
}

impl Bus for AnyBus {
    type Consumer = AnyConsumer;

    fn system(&self) -> &'static str {
        match self {
            AnyBus::Embedded(b) => b.system(),
            AnyBus::Kafka(b) => b.system(),
        }
    }

    async fn create_topics(&self, topics: &[String]) -> Result<()> {
        match self {
            AnyBus::Embedded(b) => b.create_topics(topics).await,
            AnyBus::Kafka(b) => b.create_topics(topics).await,
        }
    }

    async fn publish(&self, messages: Vec<Envelope>) -> Result<()> {
        match self {
            AnyBus::Embedded(b) => b.publish(messages).await,
            AnyBus::Kafka(b) => b.publish(messages).await,
        }
    }

    async fn stage(&self, tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
        match self {
            AnyBus::Embedded(b) => b.stage(tx, messages).await,
            AnyBus::Kafka(b) => b.stage(tx, messages).await,
        }
    }

    async fn reserve(&self, tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
        match self {
            AnyBus::Embedded(b) => b.reserve(tx, messages).await,
            AnyBus::Kafka(b) => b.reserve(tx, messages).await,
        }
    }

    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<AnyConsumer> {
        Ok(match self {
            AnyBus::Embedded(b) => AnyConsumer::Embedded(b.subscribe(group, topics).await?),
            AnyBus::Kafka(b) => AnyConsumer::Kafka(b.subscribe(group, topics).await?),
        })
    }
}

impl BusConsumer for AnyConsumer {
    type Acker = AnyAcker;

    async fn next(&mut self) -> Result<Delivery> {
        match self {
            AnyConsumer::Embedded(c) => c.next().await,
            AnyConsumer::Kafka(c) => c.next().await,
        }
    }

    fn acker(&self) -> AnyAcker {
        match self {
            AnyConsumer::Embedded(c) => AnyAcker::Embedded(c.acker()),
            AnyConsumer::Kafka(c) => AnyAcker::Kafka(c.acker()),
        }
    }

    fn pause(&mut self) -> Result<bool> {
        match self {
            AnyConsumer::Embedded(c) => c.pause(),
            AnyConsumer::Kafka(c) => c.pause(),
        }
    }

    fn resume(&mut self) -> Result<()> {
        match self {
            AnyConsumer::Embedded(c) => c.resume(),
            AnyConsumer::Kafka(c) => c.resume(),
        }
    }

    async fn close(self) -> Result<()> {
        match self {
            AnyConsumer::Embedded(c) => c.close().await,
            AnyConsumer::Kafka(c) => c.close().await,
        }
    }
}

impl Acker for AnyAcker {
    async fn ack_in_tx(&self, tx: &mut PgConnection, run: &[Delivery]) -> Result<()> {
        match self {
            AnyAcker::Embedded(a) => a.ack_in_tx(tx, run).await,
            AnyAcker::Kafka(a) => a.ack_in_tx(tx, run).await,
        }
    }

    fn ack_committed(&self, delivery: &Delivery) -> Result<()> {
        match self {
            AnyAcker::Embedded(a) => a.ack_committed(delivery),
            AnyAcker::Kafka(a) => a.ack_committed(delivery),
        }
    }
}
