//! The embedded bus: a durable, partitioned log in Postgres.
//!
//! - `bus_partitions` holds each partition's next offset. Appending updates that row, so
//!   concurrent appenders to one partition serialize and offsets become visible in order.
//! - `bus_offsets` holds each group's next offset per partition. A consumer advances it in
//!   the same transaction that applied the message (compare-and-set on the expected offset,
//!   so two members of one group can never both apply a message).
//! - Appends `NOTIFY baton_bus`; idle consumers wait on `LISTEN` (with a slow fallback poll)
//!   rather than busy-polling.

use std::{
    collections::VecDeque,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use sqlx::{PgConnection, PgPool, postgres::PgListener};

use super::{Acker, Bus, BusConsumer, Delivery, Envelope, Tenancy, partition_for};
use crate::{Error, Result};

const CHANNEL: &str = "baton_bus";
const FETCH_BATCH: i64 = 256;
/// A missed notification (e.g. a dropped listener connection) costs at most this much latency.
const FALLBACK_POLL: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub struct EmbeddedBus {
    pool: PgPool,
    partitions: i32,
}

impl EmbeddedBus {
    pub fn new(pool: PgPool, partitions: i32) -> Self {
        EmbeddedBus { pool, partitions }
    }
}

fn headers_json(headers: &[(String, String)]) -> serde_json::Value {
    serde_json::Value::Array(
        headers
            .iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect(),
    )
}

/// A logged message's headers; a log row whose headers are not `[[name, value], …]` was not
/// written by Baton and is refused rather than delivered without them.
fn headers_from_json(value: serde_json::Value) -> Result<Vec<(String, String)>> {
    serde_json::from_value(value).map_err(|e| Error::bad_row("bus_log", "headers", e))
}

/// Appends `messages` inside `conn`'s transaction in one statement: it locks the partitions
/// the messages go to in (topic, partition) order — so concurrent appenders queue in one
/// order and never deadlock, and a partition's offsets become visible in the order they were
/// given — reserves a range of offsets in each, and inserts the rows, each partition keeping
/// the caller's order. Then one NOTIFY per topic. Each row is tagged with its message's org,
/// which row-level security checks against the transaction's: the caller has scoped the
/// transaction to it.
pub(crate) async fn append(
    conn: &mut PgConnection,
    partitions: i32,
    messages: &[Envelope],
) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let mut placed: Vec<(&Envelope, i32)> = messages
        .iter()
        .map(|m| (m, partition_for(m.key.as_deref(), partitions)))
        .collect();
    placed.sort_by(|a, b| (&a.0.topic, a.1).cmp(&(&b.0.topic, b.1)));
    // Per partition, how many messages; per message, its place in its partition's range.
    let (mut wanted_topics, mut wanted_parts, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    let mut ranks: Vec<i64> = Vec::with_capacity(placed.len());
    for batch in placed.chunk_by(|a, b| a.0.topic == b.0.topic && a.1 == b.1) {
        wanted_topics.push(batch[0].0.topic.as_str());
        wanted_parts.push(batch[0].1);
        counts.push(batch.len() as i64);
        ranks.extend(0..batch.len() as i64);
    }
    let topics: Vec<&str> = placed.iter().map(|(m, _)| m.topic.as_str()).collect();
    let parts: Vec<i32> = placed.iter().map(|(_, p)| *p).collect();
    let keys: Vec<Option<&[u8]>> = placed.iter().map(|(m, _)| m.key.as_deref()).collect();
    let payloads: Vec<&[u8]> = placed.iter().map(|(m, _)| m.payload.as_slice()).collect();
    let headers: Vec<serde_json::Value> = placed
        .iter()
        .map(|(m, _)| headers_json(&m.headers))
        .collect();
    let orgs: Vec<Option<&str>> = placed.iter().map(|(m, _)| m.org.as_deref()).collect();
    let appended = sqlx::query!(
        r#"WITH wanted AS (
               SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]) AS w(topic, partition, n)
           ), locked AS (
               SELECT p.topic, p.partition, p.next_offset, w.n
               FROM bus_partitions p JOIN wanted w ON w.topic = p.topic AND w.partition = p.partition
               ORDER BY p.topic, p.partition
               FOR UPDATE OF p
           ), reserved AS (
               UPDATE bus_partitions p SET next_offset = l.next_offset + l.n
               FROM locked l WHERE p.topic = l.topic AND p.partition = l.partition
               RETURNING p.topic, p.partition, l.next_offset AS first
           )
           INSERT INTO bus_log (topic, partition, "offset", key, payload, headers, org_id)
           SELECT m.topic, m.partition, r.first + m.rank, m.k, m.p, m.h, m.o
           FROM unnest($4::text[], $5::int[], $6::bigint[], $7::bytea[], $8::bytea[],
                       $9::jsonb[], $10::text[]) AS m(topic, partition, rank, k, p, h, o)
           JOIN reserved r ON r.topic = m.topic AND r.partition = m.partition"#,
        &wanted_topics as _,
        &wanted_parts,
        &counts,
        &topics as _,
        &parts,
        &ranks,
        &keys as _,
        &payloads as _,
        &headers,
        &orgs as _,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if appended != placed.len() as u64 {
        return Err(unknown_topic(conn, &wanted_topics).await);
    }
    let mut named: Vec<&str> = wanted_topics.clone();
    named.dedup();
    sqlx::query!(
        "SELECT pg_notify($1, t) FROM unnest($2::text[]) AS t",
        CHANNEL,
        &named as _
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}

/// The error for an append that named a partition the log does not have.
async fn unknown_topic(conn: &mut PgConnection, topics: &[&str]) -> Error {
    let missing = sqlx::query_scalar!(
        r#"SELECT t AS "t!" FROM unnest($1::text[]) AS t
           WHERE NOT EXISTS (SELECT 1 FROM bus_partitions p WHERE p.topic = t) LIMIT 1"#,
        topics as _
    )
    .fetch_optional(&mut *conn)
    .await;
    match missing {
        Ok(Some(topic)) => Error::UnknownTopic { topic },
        Ok(None) => Error::UnknownTopic {
            topic: format!("a partition of {}", topics.join(", ")),
        },
        Err(e) => e.into(),
    }
}

impl Bus for EmbeddedBus {
    type Consumer = EmbeddedConsumer;

    fn system(&self) -> &'static str {
        "embedded"
    }

    async fn create_topics(&self, topics: &[String]) -> Result<()> {
        for topic in topics {
            sqlx::query!(
                "INSERT INTO bus_partitions (topic, partition)
                 SELECT $1, p FROM generate_series(0, $2 - 1) p
                 ON CONFLICT DO NOTHING",
                topic,
                self.partitions,
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// In order, one transaction per run of messages for one org, scoped to that org (a
    /// batch of one org's messages, the usual case, is one transaction).
    async fn publish(&self, messages: Vec<Envelope>) -> Result<()> {
        for (org, batch) in super::org_runs(messages) {
            let mut tx = self.pool.begin().await?;
            crate::store::set_scope(&mut tx, org.as_deref()).await?;
            append(&mut tx, self.partitions, &batch).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    async fn stage(&self, tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
        append(tx, self.partitions, messages).await
    }

    async fn reserve(&self, tx: &mut PgConnection, messages: &[Envelope]) -> Result<()> {
        let (topics, parts): (Vec<&str>, Vec<i32>) = messages
            .iter()
            .map(|m| {
                (
                    m.topic.as_str(),
                    partition_for(m.key.as_deref(), self.partitions),
                )
            })
            .unzip();
        sqlx::query!(
            "SELECT p.partition FROM bus_partitions p
             JOIN unnest($1::text[], $2::int[]) AS w(topic, partition)
               ON w.topic = p.topic AND w.partition = p.partition
             ORDER BY p.topic, p.partition
             FOR UPDATE OF p",
            &topics as _,
            &parts,
        )
        .fetch_all(tx)
        .await?;
        Ok(())
    }

    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<EmbeddedConsumer> {
        // Listen before the first read, so nothing appended after it goes unnoticed.
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        let mut partitions = Vec::new();
        for topic in topics {
            let found = sqlx::query_scalar!(
                "SELECT partition FROM bus_partitions WHERE topic = $1 ORDER BY partition",
                topic,
            )
            .fetch_all(&self.pool)
            .await?;
            if found.is_empty() {
                return Err(Error::UnknownTopic {
                    topic: topic.clone(),
                });
            }
            partitions.extend(found.into_iter().map(|p| (topic.clone(), p)));
        }
        let mut consumer = EmbeddedConsumer {
            pool: self.pool.clone(),
            group: group.to_string(),
            listener,
            cursors: partitions.into_iter().map(|(t, p)| (t, p, 0)).collect(),
            buffer: VecDeque::new(),
            reload: Arc::new(AtomicBool::new(true)),
            more: true,
        };
        consumer.join().await?;
        Ok(consumer)
    }
}

/// Which org's transaction appended a log row; rows from before the log recorded producers
/// (migration 0014) cannot say.
fn tenancy(has_producer: bool, org_id: Option<String>) -> Tenancy {
    match (has_producer, org_id) {
        (_, Some(org)) => Tenancy::Org(org),
        (true, None) => Tenancy::Unscoped,
        (false, None) => Tenancy::Unknown,
    }
}

/// A logged message read without a consumer group (an operator's view of a topic).
#[derive(Debug, Clone)]
pub struct Logged {
    pub partition: i32,
    pub offset: i64,
    pub payload: Vec<u8>,
}

/// Each partition of `topic` with its next offset (where an appended message would go).
pub async fn partition_ends(pool: &PgPool, topic: &str) -> Result<Vec<(i32, i64)>> {
    let rows = sqlx::query!(
        "SELECT partition, next_offset FROM bus_partitions WHERE topic = $1 ORDER BY partition",
        topic
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.partition, r.next_offset))
        .collect())
}

/// Up to `limit` messages per partition of `topic` from each `(partition, offset)`, without
/// joining a consumer group (a group that stops consuming would hold the log's retention);
/// across orgs, through `baton_bus_fetch`.
pub async fn read(
    pool: &PgPool,
    topic: &str,
    from: &[(i32, i64)],
    limit: i64,
) -> Result<Vec<Logged>> {
    let topics = vec![topic.to_string(); from.len()];
    let (parts, offsets): (Vec<i32>, Vec<i64>) = from.iter().copied().unzip();
    let rows = sqlx::query!(
        r#"SELECT partition AS "partition!", "offset" AS "offset!", payload AS "payload!"
           FROM baton_bus_fetch($1, $2, $3, $4)"#,
        &topics,
        &parts,
        &offsets,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Logged {
            partition: r.partition,
            offset: r.offset,
            payload: r.payload,
        })
        .collect())
}

pub struct EmbeddedConsumer {
    pool: PgPool,
    group: String,
    listener: PgListener,
    /// (topic, partition, next offset to fetch).
    cursors: Vec<(String, i32, i64)>,
    buffer: VecDeque<Delivery>,
    /// Re-read cursors from `bus_offsets` before the next fetch (after joining, or when
    /// another member turned out to have consumed a message first): set by the acker.
    reload: Arc<AtomicBool>,
    /// Fetch again without waiting for a notification: after joining or reloading, or when
    /// the last fetch filled a partition's limit (more may be there). Otherwise everything
    /// appended since the last fetch has notified (the listener was listening before it), so
    /// an empty buffer waits rather than refetching for nothing.
    more: bool,
}

/// Advances the group's offsets in the applying transactions; a compare-and-set that fails
/// (another member applied the message first) tells the consumer to re-read its cursors.
#[derive(Clone)]
pub struct EmbeddedAcker {
    group: Arc<str>,
    reload: Arc<AtomicBool>,
}

impl EmbeddedConsumer {
    async fn join(&mut self) -> Result<()> {
        let (topics, parts): (Vec<String>, Vec<i32>) =
            self.cursors.iter().map(|(t, p, _)| (t.clone(), *p)).unzip();
        sqlx::query!(
            "INSERT INTO bus_offsets (consumer_group, topic, partition)
             SELECT $1, t, p FROM unnest($2::text[], $3::int[]) AS x(t, p)
             ON CONFLICT DO NOTHING",
            &self.group,
            &topics,
            &parts,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn reload_cursors(&mut self) -> Result<()> {
        let rows = sqlx::query!(
            "SELECT topic, partition, next_offset FROM bus_offsets WHERE consumer_group = $1",
            &self.group,
        )
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            if let Some(c) = self
                .cursors
                .iter_mut()
                .find(|c| c.0 == row.topic && c.1 == row.partition)
            {
                c.2 = row.next_offset;
            }
        }
        self.buffer.clear();
        self.reload.store(false, Ordering::SeqCst);
        self.more = true;
        Ok(())
    }

    /// Returns at the next notification naming one of this consumer's topics, the ones
    /// queued behind it drained so a burst wakes us once. Appends to other topics — most
    /// of them, with several services on one log — do not cost a fetch.
    async fn appended(&mut self) -> Result<()> {
        loop {
            let n = self.listener.recv().await?;
            if self.cursors.iter().any(|c| c.0 == n.payload()) {
                while self.listener.next_buffered().is_some() {}
                return Ok(());
            }
        }
    }

    /// Fetches what follows the cursors into the buffer; whether it may not have
    /// taken all there is (a partition may have filled its limit).
    async fn fetch(&mut self) -> Result<bool> {
        let topics: Vec<String> = self.cursors.iter().map(|c| c.0.clone()).collect();
        let parts: Vec<i32> = self.cursors.iter().map(|c| c.1).collect();
        let from: Vec<i64> = self.cursors.iter().map(|c| c.2).collect();
        // Up to FETCH_BATCH per partition, interleaved by offset rank so one busy partition
        // does not starve the others.
        // Across orgs, so through the function that may (migration 0015).
        let rows = sqlx::query!(
            r#"SELECT topic AS "topic!", partition AS "partition!", "offset" AS "offset!",
                      key, payload AS "payload!", headers AS "headers!", producer, org_id
               FROM baton_bus_fetch($1, $2, $3, $4)"#,
            &topics,
            &parts,
            &from,
            FETCH_BATCH,
        )
        .fetch_all(&self.pool)
        .await?;
        // A partition that filled its limit may have more at once; it can only have if the
        // rows together reach the limit (a refetch too many at worst, never one too few).
        let full = rows.len() as i64 >= FETCH_BATCH;
        for row in rows {
            let d = Delivery {
                topic: row.topic,
                partition: row.partition,
                offset: row.offset,
                key: row.key,
                payload: row.payload,
                headers: headers_from_json(row.headers)?,
                tenancy: tenancy(row.producer.is_some(), row.org_id),
                producer: row.producer,
            };
            if let Some(c) = self
                .cursors
                .iter_mut()
                .find(|c| c.0 == d.topic && c.1 == d.partition)
            {
                c.2 = d.offset + 1;
            }
            self.buffer.push_back(d);
        }
        Ok(full)
    }
}

impl BusConsumer for EmbeddedConsumer {
    type Acker = EmbeddedAcker;

    async fn next(&mut self) -> Result<Delivery> {
        loop {
            if self.reload.load(Ordering::SeqCst) {
                self.reload_cursors().await?;
            }
            if let Some(d) = self.buffer.pop_front() {
                return Ok(d);
            }
            if !self.more {
                // Wait for an append to one of our topics (or the fallback poll).
                if let Ok(r) = tokio::time::timeout(FALLBACK_POLL, self.appended()).await {
                    r?;
                }
            }
            self.more = self.fetch().await?;
        }
    }

    fn acker(&self) -> EmbeddedAcker {
        EmbeddedAcker {
            group: self.group.as_str().into(),
            reload: self.reload.clone(),
        }
    }

    async fn close(self) -> Result<()> {
        Ok(())
    }
}

impl EmbeddedAcker {
    /// Moves the group's offset of `first`'s partition from `first` to after `last` (a
    /// compare-and-set); fails stale when another member moved it first (the consumer then
    /// reloads the group's offsets).
    async fn advance(
        &self,
        tx: &mut PgConnection,
        first: &Delivery,
        last: &Delivery,
    ) -> Result<()> {
        let advanced = sqlx::query!(
            "UPDATE bus_offsets SET next_offset = $5::BIGINT + 1, updated_at = now()
             WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND next_offset = $4",
            &*self.group,
            &first.topic,
            first.partition,
            first.offset,
            last.offset,
        )
        .execute(tx)
        .await?;
        if advanced.rows_affected() == 0 {
            self.reload.store(true, Ordering::SeqCst);
            return Err(Error::StaleOffset {
                group: self.group.to_string(),
                topic: first.topic.clone(),
                partition: first.partition,
                offset: first.offset,
            });
        }
        Ok(())
    }
}

impl Acker for EmbeddedAcker {
    /// One compare-and-set for the run: from its first offset to after its last. The log's
    /// offsets of a partition are consecutive (appends to it are serialised on its row), so
    /// a run that is not, or spans partitions, is acknowledged message by message.
    async fn ack_in_tx(&self, tx: &mut PgConnection, run: &[Delivery]) -> Result<()> {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            return Ok(());
        };
        let consecutive = run.windows(2).all(|w| {
            (&w[0].topic, w[0].partition, w[0].offset + 1)
                == (&w[1].topic, w[1].partition, w[1].offset)
        });
        if consecutive {
            return self.advance(tx, first, last).await;
        }
        for d in run {
            self.advance(&mut *tx, d, d).await?;
        }
        Ok(())
    }

    fn ack_committed(&self, _d: &Delivery) -> Result<()> {
        Ok(())
    }
}
