//! The checker's reader of a Kafka topic: every partition assigned directly from its start up
//! to the high watermark it had when the read began — no consumer group, so nothing depends
//! on the broker's group coordinator (which the fault run has just killed and restarted),
//! and the end is known rather than guessed from a quiet spell.

use std::time::{Duration, Instant};

use anyhow::Context;
use rdkafka::{
    ClientConfig, Message, Offset, TopicPartitionList,
    consumer::{BaseConsumer, Consumer},
};

/// How long the whole read may take.
const READ_LIMIT: Duration = Duration::from_secs(180);
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// One record: partition, offset, payload.
pub type Record = (i32, i64, Vec<u8>);

/// Every record of `topic` on `bootstrap`, in partition then offset order.
pub async fn all(bootstrap: String, topic: String) -> anyhow::Result<Vec<Record>> {
    tokio::task::spawn_blocking(move || read(&bootstrap, &topic)).await?
}

fn read(bootstrap: &str, topic: &str) -> anyhow::Result<Vec<Record>> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        // Required by the client; never joined (the partitions are assigned, not subscribed).
        .set("group.id", "baton-bench-pm5-checker")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        .create()
        .context("creating the checker's Kafka reader")?;
    let metadata = consumer
        .fetch_metadata(Some(topic), CALL_TIMEOUT)
        .with_context(|| format!("reading {topic}'s partitions"))?;
    let partitions = metadata
        .topics()
        .first()
        .map_or(0, |t| t.partitions().len() as i32);
    let mut ends = std::collections::BTreeMap::new();
    let mut assignment = TopicPartitionList::new();
    for p in 0..partitions {
        let (low, high) = consumer.fetch_watermarks(topic, p, CALL_TIMEOUT)?;
        if high > low {
            ends.insert(p, high);
            assignment.add_partition_offset(topic, p, Offset::Beginning)?;
        }
    }
    consumer.assign(&assignment)?;
    let started = Instant::now();
    let mut records = Vec::new();
    while !ends.is_empty() {
        anyhow::ensure!(
            started.elapsed() < READ_LIMIT,
            "{topic}: partitions {:?} not read to their end within {}s",
            ends.keys().collect::<Vec<_>>(),
            READ_LIMIT.as_secs()
        );
        let Some(m) = consumer.poll(Duration::from_millis(500)) else {
            continue;
        };
        let m = m?;
        let (p, offset) = (m.partition(), m.offset());
        records.push((p, offset, m.payload().unwrap_or_default().to_vec()));
        if ends.get(&p).is_some_and(|&end| offset + 1 >= end) {
            ends.remove(&p);
        }
    }
    records.sort_by_key(|(p, o, _)| (*p, *o));
    Ok(records)
}
