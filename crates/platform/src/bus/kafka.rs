//! The Kafka bus on rdkafka.
//!
//! Producer: idempotent (acks=all) unless configured off. Consumer: `enable.auto.offset.store
//! = false`, so an offset is stored only by `ack_committed`, after the database transaction
//! that applied the message committed; librdkafka auto-commits stored offsets, and we commit
//! synchronously on partition revoke and on close. Cooperative-sticky assignment.

use std::{sync::Arc, time::Duration};

use rdkafka::{
    ClientConfig, ClientContext, Message as _, Offset, TopicPartitionList,
    admin::{AdminClient, AdminOptions, NewTopic, TopicReplication},
    client::DefaultClientContext,
    consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer},
    error::{KafkaError, RDKafkaErrorCode},
    message::{Header, Headers as _, OwnedHeaders},
    producer::{FutureProducer, FutureRecord},
};
use sqlx::PgConnection;

use super::{Acker, Bus, BusConsumer, Delivery, Envelope};
use crate::{Error, Result, config::KafkaConfig};

#[derive(Clone)]
pub struct KafkaBus {
    /// Shared by the bus's clones (it is large: the security settings).
    config: std::sync::Arc<KafkaConfig>,
    producer: FutureProducer,
    partitions: i32,
    replication_factor: i32,
}

impl KafkaBus {
    pub fn new(config: &KafkaConfig, partitions: i32, replication_factor: i32) -> Result<Self> {
        let mut producer = base_config(config);
        producer
            .set("acks", "all")
            .set("enable.idempotence", config.idempotence.to_string())
            .set("linger.ms", "2")
            .set("message.timeout.ms", "30000")
            .set("compression.type", config.compression.librdkafka());
        apply_overrides(&mut producer, config);
        let producer = producer
            .create()
            .map_err(|e| Error::kafka("creating the producer", e))?;
        tracing::debug!(
            config = %crate::config::redacted(&config.client_properties()),
            "kafka client configuration (secrets redacted)"
        );
        Ok(KafkaBus {
            config: std::sync::Arc::new(config.clone()),
            producer,
            partitions,
            replication_factor,
        })
    }
}

/// The brokers, TLS and SASL ([`KafkaConfig::client_properties`]).
fn base_config(config: &KafkaConfig) -> ClientConfig {
    let mut c = ClientConfig::new();
    for p in config.client_properties() {
        c.set(p.key, p.value);
    }
    c
}

fn apply_overrides(c: &mut ClientConfig, config: &KafkaConfig) {
    for (k, v) in &config.properties {
        c.set(k, v);
    }
}

fn owned_headers(headers: &[(String, String)]) -> OwnedHeaders {
    headers.iter().fold(OwnedHeaders::new(), |h, (k, v)| {
        h.insert(Header {
            key: k,
            value: Some(v.as_bytes()),
        })
    })
}

impl Bus for KafkaBus {
    type Consumer = KafkaConsumer;

    fn system(&self) -> &'static str {
        "kafka"
    }

    async fn create_topics(&self, topics: &[String]) -> Result<()> {
        let admin: AdminClient<DefaultClientContext> = base_config(&self.config)
            .create()
            .map_err(|e| Error::kafka("creating the admin client", e))?;
        let new: Vec<NewTopic<'_>> = topics
            .iter()
            .map(|t| {
                NewTopic::new(
                    t,
                    self.partitions,
                    TopicReplication::Fixed(self.replication_factor),
                )
            })
            .collect();
        let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
        let results = admin
            .create_topics(&new, &opts)
            .await
            .map_err(|e| Error::kafka("creating topics", e))?;
        for result in results {
            match result {
                Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
                Err((topic, code)) => {
                    return Err(Error::kafka(
                        format!("creating topic {topic}"),
                        KafkaError::AdminOp(code),
                    ));
                }
            }
        }
        Ok(())
    }

    async fn publish(&self, messages: Vec<Envelope>) -> Result<()> {
        let sends = messages.iter().map(|m| {
            let mut record = FutureRecord::<[u8], [u8]>::to(&m.topic)
                .payload(&m.payload)
                .headers(owned_headers(&m.headers));
            if let Some(key) = &m.key {
                record = record.key(key);
            }
            self.producer.send(record, Duration::from_secs(30))
        });
        for (result, m) in futures::future::join_all(sends)
            .await
            .into_iter()
            .zip(&messages)
        {
            if let Err((e, _)) = result {
                return Err(match e {
                    KafkaError::MessageProduction(RDKafkaErrorCode::UnknownTopicOrPartition) => {
                        Error::UnknownTopic {
                            topic: m.topic.clone(),
                        }
                    }
                    e => Error::kafka(format!("publishing to {}", m.topic), e),
                });
            }
        }
        Ok(())
    }

    async fn stage(&self, tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
        crate::relay::insert_outbox(tx, messages).await
    }

    async fn reserve(&self, _tx: &mut PgConnection, _messages: &[Envelope]) -> Result<()> {
        // Outbox rows lock nothing shared; the relay orders publishing.
        Ok(())
    }

    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<KafkaConsumer> {
        let mut c = base_config(&self.config);
        c.set("group.id", group)
            .set("enable.auto.commit", "true")
            .set("auto.commit.interval.ms", "1000")
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", "earliest")
            .set("partition.assignment.strategy", "cooperative-sticky")
            .set(
                "session.timeout.ms",
                self.config.session_timeout_ms.to_string(),
            )
            .set(
                "max.poll.interval.ms",
                self.config.max_poll_interval_ms.to_string(),
            )
            .set("fetch.wait.max.ms", "10")
            // Consumer lag per partition for /metrics (see CommitOnRevoke::stats).
            .set("statistics.interval.ms", "15000");
        apply_overrides(&mut c, &self.config);
        let context = CommitOnRevoke {
            group: group.to_string(),
        };
        let consumer: StreamConsumer<CommitOnRevoke> = c
            .create_with_context(context)
            .map_err(|e| Error::kafka(format!("creating consumer for group {group}"), e))?;
        let names: Vec<&str> = topics.iter().map(String::as_str).collect();
        consumer
            .subscribe(&names)
            .map_err(|e| Error::kafka(format!("subscribing group {group}"), e))?;
        Ok(KafkaConsumer {
            consumer: Arc::new(consumer),
            group: group.to_string(),
            paused: TopicPartitionList::new(),
        })
    }
}

/// Commits stored offsets before partitions are taken away, so the next owner starts after
/// everything this member applied; reports the group's lag from librdkafka's statistics.
pub struct CommitOnRevoke {
    group: String,
}

impl ClientContext for CommitOnRevoke {
    /// `baton_consumer_lag_messages{group, topic, partition}` for the partitions this member
    /// holds (librdkafka reports -1 while it does not know yet: skipped).
    fn stats(&self, statistics: rdkafka::Statistics) {
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                if *partition < 0 || p.consumer_lag < 0 {
                    continue;
                }
                metrics::gauge!("baton_consumer_lag_messages", "group" => self.group.clone(),
                    "topic" => topic.clone(), "partition" => partition.to_string())
                .set(p.consumer_lag as f64);
            }
        }
    }
}

impl ConsumerContext for CommitOnRevoke {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(tpl) = rebalance {
            match consumer.commit_consumer_state(CommitMode::Sync) {
                Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
                Err(e) => {
                    tracing::warn!(error = %e, partitions = tpl.count(), "commit on revoke failed")
                }
            }
        }
    }
}

pub struct KafkaConsumer {
    consumer: Arc<StreamConsumer<CommitOnRevoke>>,
    group: String,
    /// What [`BusConsumer::pause`] paused since the last resume (the assignment may change
    /// meanwhile: all of it is resumed).
    paused: TopicPartitionList,
}

impl KafkaConsumer {
    fn assignment(&self) -> Result<TopicPartitionList> {
        self.consumer
            .assignment()
            .map_err(|e| Error::kafka(format!("reading the assignment of group {}", self.group), e))
    }
}

/// Adds to `into` the partitions of `from` it does not list yet.
fn add_missing(into: &mut TopicPartitionList, from: &TopicPartitionList) {
    for p in from.elements() {
        if into.find_partition(p.topic(), p.partition()).is_none() {
            into.add_partition(p.topic(), p.partition());
        }
    }
}

/// Stores offsets of applied messages for librdkafka's next commit.
#[derive(Clone)]
pub struct KafkaAcker {
    consumer: Arc<StreamConsumer<CommitOnRevoke>>,
}

/// What a Kafka message is to a consumer (its org is not known until it is decoded).
fn delivery(m: &rdkafka::message::BorrowedMessage<'_>) -> Delivery {
    let headers = m
        .headers()
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    (
                        h.key.to_string(),
                        String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Delivery {
        topic: m.topic().to_string(),
        partition: m.partition(),
        offset: m.offset(),
        key: m.key().map(<[u8]>::to_vec),
        payload: m.payload().unwrap_or_default().to_vec(),
        headers,
        producer: None,
        tenancy: super::Tenancy::Unknown,
    }
}

impl BusConsumer for KafkaConsumer {
    type Acker = KafkaAcker;

    async fn next(&mut self) -> Result<Delivery> {
        let m = self
            .consumer
            .recv()
            .await
            .map_err(|e| Error::kafka(format!("consuming for group {}", self.group), e))?;
        Ok(delivery(&m))
    }

    fn acker(&self) -> KafkaAcker {
        KafkaAcker {
            consumer: self.consumer.clone(),
        }
    }

    /// Pauses the partitions assigned now. librdkafka drops what it prefetched of them and,
    /// on resume, fetches from the message after the last one delivered here.
    fn pause(&mut self) -> Result<bool> {
        let assigned = self.assignment()?;
        self.consumer
            .pause(&assigned)
            .map_err(|e| Error::kafka(format!("pausing group {}", self.group), e))?;
        add_missing(&mut self.paused, &assigned);
        Ok(true)
    }

    /// Resumes what was paused and what is assigned now. A partition paused here, revoked
    /// and assigned back later would otherwise stay paused: librdkafka keeps the flag.
    fn resume(&mut self) -> Result<()> {
        let mut partitions = std::mem::take(&mut self.paused);
        add_missing(&mut partitions, &self.assignment()?);
        self.consumer
            .resume(&partitions)
            .map_err(|e| Error::kafka(format!("resuming group {}", self.group), e))
    }

    async fn close(self) -> Result<()> {
        let consumer = self.consumer;
        let group = self.group;
        // Blocking librdkafka calls: keep them off the async workers.
        tokio::task::spawn_blocking(move || {
            match consumer.commit_consumer_state(CommitMode::Sync) {
                Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
                Err(e) => tracing::warn!(group = %group, error = %e, "final commit failed"),
            }
            consumer.unsubscribe();
            drop(consumer);
        })
        .await
        .ok();
        Ok(())
    }
}

impl Acker for KafkaAcker {
    async fn ack_in_tx(&self, _tx: &mut PgConnection, _run: &[Delivery]) -> Result<()> {
        Ok(())
    }

    fn ack_committed(&self, d: &Delivery) -> Result<()> {
        match self.consumer.store_offset(&d.topic, d.partition, d.offset) {
            Ok(()) => Ok(()),
            // The partition moved to another member since: it will redeliver, and the
            // inbox makes that a no-op.
            Err(e) => {
                tracing::warn!(topic = %d.topic, partition = d.partition, offset = d.offset, error = %e,
                    "could not store offset (partition revoked?)");
                Ok(())
            }
        }
    }
}

/// The committed offset of `group` for one partition, for diagnostics and tests.
pub fn committed_offset(
    config: &KafkaConfig,
    group: &str,
    topic: &str,
    partition: i32,
) -> Result<Option<i64>> {
    let c: BaseConsumer = base_config(config)
        .set("group.id", group)
        .create()
        .map_err(|e| Error::kafka("creating an offsets client", e))?;
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition(topic, partition);
    let committed = c
        .committed_offsets(tpl, Duration::from_secs(10))
        .map_err(|e| Error::kafka("reading committed offsets", e))?;
    Ok(committed.elements().first().and_then(|e| match e.offset() {
        Offset::Offset(o) => Some(o),
        _ => None,
    }))
}
