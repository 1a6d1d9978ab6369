//! The consumer runtime: effectively-once processing of one consumer group.
//!
//! Per message: claim the message in `inbox` (a conflict is a duplicate delivery: counted,
//! skipped) → the handler's state change → the messages it produces, staged on the bus
//! (outbox rows, or log appends in embedded mode) → commit → store the offset. What a
//! partition has ready is applied as one batch in one transaction ([`batch`]; a failing
//! message rolls it back, and the messages before it are applied again without it);
//! partitions are applied concurrently, each in order ([`lanes`]).
//! A message the handler rejects as permanently bad goes to the dead-letter topic with its
//! original bytes and coordinates, in the same kind of transaction, and the messages behind
//! it carry on.
//!
//! Failures are sorted by whose fault they are. The message's (its data, a constraint, a
//! limit, a handler error): retried with backoff up to `bus.retry.max_attempts`, then
//! dead-lettered `retries_exhausted` with the last error, so no message holds its partition
//! for ever. The environment's (the database connection lost or shutting down): retried
//! without a cap while `/readyz` says not ready, dead-lettering nothing. The deployment's (a
//! missing privilege or object, SQLSTATE class 42): the process exits non-zero naming it,
//! rather than dead-lettering all traffic.
//!
//! Tenancy: a handler scopes its transaction to the org its message names
//! ([`HandlerCtx::enter_org`]); on the embedded bus that org must be the one whose
//! transaction appended the message (the row's tag, checked by the database when it was
//! written), else the message is dead-lettered `invalid` and audited `message.rejected` in the
//! org it named — a login scoped to one org cannot speak for another. What a handler emits
//! must be for the org it entered.

use std::{collections::VecDeque, future::Future, sync::Arc, time::Instant};

use backon::BackoffBuilder;
use baton_core::clock::{Clock, SystemClock};
use baton_schemas::{
    CeHeaders, DeadLetter, DeadLetterClass, ErrorClass, Header, Message, OrgId, Topic,
};
use sqlx::{PgConnection, PgPool};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::{
    Error,
    bus::{Acker, Bus, BusConsumer, Delivery, Envelope, Tenancy},
    telemetry,
    wire::{Wire, WireError},
};

/// What to do with a message whose handling failed.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The message can never be applied: dead-letter it and move on.
    #[error("{class:?}: {reason}")]
    Permanent {
        class: DeadLetterClass,
        reason: String,
    },
    /// Try the same message again after a backoff (the offset is not stored), up to the
    /// retry cap; then it is dead-lettered `retries_exhausted`.
    #[error("retryable: {0:#}")]
    Retryable(anyhow::Error),
    /// The environment failed, not the message (the database connection): retry without a
    /// cap, reporting not ready meanwhile.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Stop the consumer: the process exits non-zero.
    #[error("fatal: {0:#}")]
    Fatal(anyhow::Error),
    /// The message names an org other than the one whose transaction appended it: dead-letter
    /// it and audit the attempt in the org it named.
    #[error("message for org {named} was appended {appended}")]
    WrongOrg { named: OrgId, appended: String },
}

impl HandlerError {
    pub fn invalid(reason: impl Into<String>) -> Self {
        HandlerError::Permanent {
            class: DeadLetterClass::Invalid,
            reason: reason.into(),
        }
    }
}

/// What a handler returns.
pub type Handled<T = ()> = Result<T, HandlerError>;

/// Why a handler's pipeline of checks stopped a message: one of its checks refused it, with
/// a reason `R` the handler records (a skipped event, a refused decision), or a check could
/// not be made at all (the runtime retries or dead-letters the message).
#[derive(Debug)]
pub enum Stop<R> {
    Refused(R),
    Failed(HandlerError),
}

impl<R> From<HandlerError> for Stop<R> {
    fn from(e: HandlerError) -> Self {
        Stop::Failed(e)
    }
}

impl<R> From<sqlx::Error> for Stop<R> {
    fn from(e: sqlx::Error) -> Self {
        Stop::Failed(e.into())
    }
}

impl<R> From<Error> for Stop<R> {
    fn from(e: Error) -> Self {
        Stop::Failed(e.into())
    }
}

/// Parses field `name` of a message (an id, mostly); a bad value makes the message invalid,
/// with the field named.
pub fn parse_field<T>(name: &str, value: &str) -> Result<T, HandlerError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|e| HandlerError::invalid(format!("{name}: {e}")))
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        let code = e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned());
        match code.as_deref() {
            // A missing privilege or object: every message would fail the same way.
            Some(c) if c.starts_with("42") => HandlerError::Fatal(anyhow::anyhow!(
                "the database refused the service (SQLSTATE {c}: a missing privilege, table or \
                 column — check the migrations and grants): {e}"
            )),
            _ if db_unavailable(&e) => HandlerError::Unavailable(e.into()),
            _ => HandlerError::Retryable(e.into()),
        }
    }
}

/// Whether `e` says the database could not be reached, lost the connection, is shutting
/// down or starting, or is out of resources (rather than what a query returned).
pub(crate) fn db_unavailable(e: &sqlx::Error) -> bool {
    match e.as_database_error().and_then(|d| d.code()) {
        Some(c) => c.starts_with("08") || c.starts_with("57P") || c.starts_with("53"),
        None => matches!(
            e,
            sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Protocol(_)
        ),
    }
}

impl From<Error> for HandlerError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => e.into(),
            Error::Encode(e) => HandlerError::Fatal(e.into()),
            // A stored row that does not parse will not parse on a retry either.
            e @ Error::BadRow { .. } => HandlerError::Permanent {
                class: DeadLetterClass::HandlerRejected,
                reason: e.to_string(),
            },
            e @ Error::Kafka { .. } => HandlerError::Unavailable(e.into()),
            other => HandlerError::Retryable(other.into()),
        }
    }
}

impl From<WireError> for HandlerError {
    fn from(e: WireError) -> Self {
        match e {
            WireError::Decode(e) => HandlerError::Permanent {
                class: e.class(),
                reason: e.to_string(),
            },
            WireError::Registry(reason) => HandlerError::Retryable(anyhow::anyhow!(reason)),
        }
    }
}

/// Builds outgoing messages: encodes (in the deployment's wire format), adds CloudEvents
/// headers and the current trace context.
#[derive(Clone, Debug)]
pub struct Producer {
    service: Arc<str>,
    prefix: Arc<str>,
    wire: Wire,
    clock: Arc<dyn Clock>,
}

impl Producer {
    /// A producer framing values as Avro single-object messages, stamped by the system clock.
    pub fn new(service: &str, topic_prefix: &str) -> Self {
        Producer {
            service: service.into(),
            prefix: topic_prefix.into(),
            wire: Wire::SingleObject,
            clock: Arc::new(SystemClock),
        }
    }

    pub fn with_wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }

    /// Stamps messages (`ce_time`, dead letters' `failed_at`) with `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn topic(&self, topic: Topic) -> String {
        topic.name(&self.prefix)
    }

    pub fn envelope<M: Message>(&self, msg: &M) -> Result<Envelope, Error> {
        let mut headers = CeHeaders::for_message(msg, &self.service, self.clock.now()).to_headers();
        telemetry::inject_current(&mut headers);
        Ok(Envelope {
            topic: self.topic(M::TOPIC),
            key: Some(msg.key().into_bytes()),
            payload: self.wire.encode(msg)?,
            headers,
            org: msg.org_id().map(str::to_string),
        })
    }
}

/// What a handler works with: the message's transaction and a place for what it produces.
pub struct HandlerCtx<'t> {
    pub tx: &'t mut PgConnection,
    producer: &'t Producer,
    out: Vec<Envelope>,
    /// The login that produced the message being handled, when the bus knows it.
    source_login: Option<String>,
    /// Which org's transaction appended the message being handled.
    tenancy: Tenancy,
    /// The org the transaction is scoped to, once a handler entered one.
    org: Option<OrgId>,
}

impl<'t> HandlerCtx<'t> {
    /// A context outside a consumer (a timer firing, a CLI command): the caller stages
    /// [`HandlerCtx::into_messages`] on the bus in `tx` before committing.
    pub fn new(tx: &'t mut PgConnection, producer: &'t Producer) -> Self {
        HandlerCtx {
            tx,
            producer,
            out: Vec::new(),
            source_login: None,
            tenancy: Tenancy::Unknown,
            org: None,
        }
    }

    /// A context for a transaction the caller already scoped to `org` (a timer's).
    pub fn in_org(tx: &'t mut PgConnection, producer: &'t Producer, org: OrgId) -> Self {
        HandlerCtx {
            org: Some(org),
            ..HandlerCtx::new(tx, producer)
        }
    }

    /// The database login that appended the message being handled (the embedded bus stamps
    /// it from the producer's credential); None on Kafka and outside a consumer.
    pub fn source_login(&self) -> Option<&str> {
        self.source_login.as_deref()
    }

    /// What was emitted, to stage.
    pub fn into_messages(self) -> Vec<Envelope> {
        self.out
    }

    /// Produces `msg` when (and only if) this message's transaction commits. It must be for
    /// the org the handler entered: anything else is a bug, stopped here with what it was
    /// rather than by the database's row-level security.
    pub fn emit<M: Message>(&mut self, msg: &M) -> Result<(), HandlerError> {
        let entered = self.org.as_ref().map(OrgId::as_str);
        if let Some(named) = msg.org_id()
            && entered != Some(named)
        {
            return Err(HandlerError::Fatal(anyhow::anyhow!(
                "a handler emitted a {} for org {named} in a transaction scoped to {}",
                M::NAME,
                entered.map_or("no org".to_string(), |o| format!("org {o}"))
            )));
        }
        let mut envelope = self.producer.envelope(msg)?;
        envelope.org = entered.map(str::to_string);
        self.out.push(envelope);
        Ok(())
    }

    /// Decodes a delivery as `M` in the deployment's wire format. A bad message is a
    /// permanent error with its dead-letter class; an unreachable registry is retryable.
    pub async fn decode<M: Message>(&self, d: &Delivery) -> Result<M, HandlerError> {
        Ok(self.producer.wire.decode(&d.payload).await?)
    }

    /// Scopes the transaction to one tenant (row-level security) — the org the message
    /// names, which must be the org whose transaction appended it, when the bus knows that.
    pub async fn set_org(&mut self, org_id: &OrgId) -> Result<(), HandlerError> {
        let appended = match &self.tenancy {
            Tenancy::Unknown => None,
            Tenancy::Org(org) if org == org_id.as_str() => None,
            Tenancy::Org(org) => Some(format!("by a transaction scoped to org {org}")),
            Tenancy::Unscoped => Some("by a transaction scoped to no org".to_string()),
        };
        if let Some(appended) = appended {
            return Err(HandlerError::WrongOrg {
                named: org_id.clone(),
                appended,
            });
        }
        crate::store::set_org(self.tx, org_id).await?;
        self.org = Some(org_id.clone());
        Ok(())
    }

    /// Parses a message's `org_id` and scopes the transaction to that org.
    pub async fn enter_org(&mut self, org_id: &str) -> Result<OrgId, HandlerError> {
        let org: OrgId = parse_field("org_id", org_id)?;
        self.set_org(&org).await?;
        Ok(org)
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.producer.clock.now()
    }
}

/// A consumer group's message handler.
pub trait Handler: Send + Sync + 'static {
    fn handle(
        &self,
        ctx: &mut HandlerCtx<'_>,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send;
}

/// Which group, on which topics, for which service.
#[derive(Debug, Clone)]
pub struct ConsumerSpec {
    pub service: String,
    pub group: String,
    pub topics: Vec<String>,
    pub topic_prefix: String,
    /// How values are framed (what `HandlerCtx::decode` and `emit` use).
    pub wire: Wire,
    /// The service's clock: what `HandlerCtx::now` says, and what stamps its messages.
    pub clock: Arc<dyn Clock>,
    /// How often and how long a failing message is retried.
    pub retry: RetryPolicy,
    /// The most messages applied in one transaction (1 = one transaction per message).
    pub batch_max: usize,
    /// How many partitions are applied at once (each in order; each holds a connection).
    pub concurrency: usize,
}

/// Retries of one message: exponential backoff with jitter between `min_delay_ms` and
/// `max_delay_ms`; a message whose own handling fails `max_attempts` times is dead-lettered
/// (`bus.retry.*`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub min_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            min_delay_ms: 100,
            max_delay_ms: 30_000,
        }
    }
}

impl RetryPolicy {
    fn backoff(&self) -> impl Iterator<Item = std::time::Duration> {
        backon::ExponentialBuilder::default()
            .with_min_delay(std::time::Duration::from_millis(self.min_delay_ms))
            .with_max_delay(std::time::Duration::from_millis(self.max_delay_ms))
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// Every setting that cannot work, named.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=100).contains(&self.max_attempts) {
            problems.push("bus.retry.max_attempts must be between 1 and 100".into());
        }
        if self.min_delay_ms == 0 || self.min_delay_ms > self.max_delay_ms {
            problems.push(
                "bus.retry.min_delay_ms must be at least 1 and at most bus.retry.max_delay_ms"
                    .into(),
            );
        }
        problems
    }
}

mod batch;
mod lanes;

pub use batch::MAX_BATCH;

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Applied,
    Duplicate,
    /// Another member of the group consumed it first (embedded bus): dropped here.
    Superseded,
    DeadLettered(DeadLetterClass),
}

/// Records `run` (one delivery, or a batch's run of one partition) consumed inside `tx`.
/// False when another member of the group already consumed it: the caller rolls back and
/// drops it, and the consumer refetches from the group's stored offsets (retrying would
/// fail the same way forever).
async fn ack_in<A: Acker>(
    acker: &A,
    tx: &mut PgConnection,
    run: &[Delivery],
) -> Result<bool, HandlerError> {
    match acker.ack_in_tx(tx, run).await {
        Ok(()) => Ok(true),
        Err(Error::StaleOffset { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Consumes until `shutdown`, then finishes the messages in hand, commits offsets and
/// leaves. Partitions are applied concurrently (up to `spec.concurrency`), each in order.
/// Returns an error only for fatal failures.
pub async fn run<B: Bus, H: Handler>(
    spec: ConsumerSpec,
    bus: B,
    pool: PgPool,
    handler: H,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let producer = Producer::new(&spec.service, &spec.topic_prefix)
        .with_wire(spec.wire.clone())
        .with_clock(spec.clock.clone());
    let mut consumer = bus.subscribe(&spec.group, &spec.topics).await?;
    tracing::info!(group = %spec.group, topics = ?spec.topics, bus = bus.system(),
        concurrency = spec.concurrency, "consumer started");
    // Every dead-letter class and every topic's retries are series from the start (0 until
    // one happens).
    for topic in &spec.topics {
        metrics::counter!("baton_messages_retried_total", "group" => spec.group.clone(), "topic" => topic.clone())
            .increment(0);
    }
    for class in DeadLetterClass::ALL {
        metrics::counter!("baton_dead_letters_total", "group" => spec.group.clone(), "class" => class.as_str())
            .increment(0);
    }
    let acker = consumer.acker();
    let member = Member {
        bus: &bus,
        pool: &pool,
        acker: &acker,
        producer: &producer,
        spec: &spec,
        handler: &handler,
        shutdown: &shutdown,
        part: health_part(&spec),
    };
    let result = lanes::run(&member, &mut consumer).await;
    let closed = consumer.close().await;
    crate::health::process().ready(&health_part(&spec));
    tracing::info!(group = %spec.group, "consumer stopped");
    // A fatal error is what to report; closing after it may fail too.
    result?;
    Ok(closed?)
}

/// How a consumer group is named on `/readyz`.
fn health_part(spec: &ConsumerSpec) -> String {
    format!("consumer {}", spec.group)
}

/// What acknowledges deliveries of bus `B`.
type AckerOf<B> = <<B as Bus>::Consumer as BusConsumer>::Acker;

/// One member of a consumer group, with everything a delivery needs; shared by the
/// partitions it applies at once.
struct Member<'a, B: Bus, H> {
    bus: &'a B,
    pool: &'a PgPool,
    acker: &'a AckerOf<B>,
    producer: &'a Producer,
    spec: &'a ConsumerSpec,
    handler: &'a H,
    shutdown: &'a CancellationToken,
    /// How the group is named on `/readyz`.
    part: String,
}

/// How draining a partition's queue ended.
#[derive(Debug, PartialEq, Eq)]
enum Drained {
    /// Every message applied, skipped or dead-lettered.
    Done,
    /// Another member of the group consumed one first: the rest was dropped (the consumer
    /// refetches from the group's stored offsets).
    Superseded,
    /// Shutdown came first.
    Stopped,
}

impl<B: Bus, H: Handler> Member<'_, B, H> {
    /// Applies `queue` (one partition's messages) in order: batches while more than one
    /// message waits; when one fails inside a batch, the messages before it as a batch of
    /// their own, then it alone. An error when a failure is fatal.
    async fn drain(&self, mut queue: VecDeque<Delivery>) -> anyhow::Result<Drained> {
        // A message that failed inside a batch: its place in `queue`, and how.
        let mut failing: Option<(usize, HandlerError)> = None;
        while !queue.is_empty() {
            let started = Instant::now();
            // How the head already failed inside a batch.
            let mut failed = None;
            let end = failing.as_ref().map_or(queue.len(), |(at, _)| *at);
            if end == 0 {
                failed = failing.take().map(|(_, e)| e);
            } else if end > 1 {
                match batch::apply(self, &queue.make_contiguous()[..end]).await {
                    Ok(Ok(outcomes)) => {
                        let n = outcomes.len();
                        for (d, outcome) in queue.drain(..n).zip(outcomes) {
                            self.record(&d, outcome, started);
                        }
                        if let Some((at, _)) = &mut failing {
                            *at -= n;
                        }
                        continue;
                    }
                    Ok(Err(batch::Halt::Failed { at, error })) => {
                        failing = Some((at, error));
                        continue;
                    }
                    Ok(Err(batch::Halt::Superseded)) => {
                        let d = queue.pop_front();
                        d.inspect(|d| self.record(d, Outcome::Superseded, started));
                        return Ok(Drained::Superseded);
                    }
                    Err(HandlerError::Fatal(e)) => return Err(self.fatal(e, &queue[0])),
                    // Nothing committed: the head goes alone, this counted as its failure.
                    Err(e) => failed = Some(e),
                }
            }
            let Some(d) = queue.pop_front() else {
                break;
            };
            if let Some((at, _)) = &mut failing {
                *at -= 1;
            }
            let outcome = match failed {
                Some(e) => self.after_batch(&d, e).await,
                None => self.deliver(&d, None).await,
            };
            match outcome {
                Ok(Some(outcome)) => {
                    self.record(&d, outcome, started);
                    if let Outcome::Superseded = outcome {
                        return Ok(Drained::Superseded);
                    }
                }
                Ok(None) => return Ok(Drained::Stopped),
                Err(e) => return Err(self.fatal(e, &d)),
            }
        }
        Ok(Drained::Done)
    }

    /// A message whose handling failed inside a batch: dead-lettered now when the error is
    /// the message's for good, as alone; otherwise retried alone, this its first failure.
    async fn after_batch(
        &self,
        d: &Delivery,
        error: HandlerError,
    ) -> anyhow::Result<Option<Outcome>> {
        let error = match Lettered::for_error(error, self.spec) {
            Ok(lettered) => {
                let id = d.message_id();
                let (bus, pool, producer, spec) = (self.bus, self.pool, self.producer, self.spec);
                match dead_letter(bus, pool, self.acker, producer, spec, d, &id, lettered).await {
                    Ok(outcome) => return Ok(Some(outcome)),
                    Err(e) => e,
                }
            }
            Err(e) => e,
        };
        self.deliver(d, Some(error)).await
    }

    fn fatal(&self, e: anyhow::Error, d: &Delivery) -> anyhow::Error {
        e.context(format!(
            "fatal error on {}[{}]@{} in group {}",
            d.topic, d.partition, d.offset, self.spec.group
        ))
    }

    /// Counts and times what became of `d`.
    fn record(&self, d: &Delivery, outcome: Outcome, started: Instant) {
        let group = self.spec.group.clone();
        let label = match outcome {
            Outcome::Applied => "applied",
            Outcome::Duplicate => "duplicate",
            Outcome::Superseded => "superseded",
            Outcome::DeadLettered(class) => {
                tracing::warn!(topic = %d.topic, partition = d.partition,
                    offset = d.offset, group = %self.spec.group, ?class, "dead-lettered");
                metrics::counter!("baton_dead_letters_total", "group" => group.clone(), "class" => class.as_str())
                    .increment(1);
                "dead_lettered"
            }
        };
        metrics::counter!("baton_messages_total", "group" => group.clone(),
            "topic" => d.topic.clone(), "outcome" => label)
        .increment(1);
        metrics::histogram!("baton_message_seconds", "group" => group)
            .record(started.elapsed().as_secs_f64());
    }

    /// Processes `d` until it is applied, skipped or dead-lettered: retried with backoff,
    /// the message's own failures up to the cap, the environment's for as long as they last.
    /// None when shutdown came first; an error when the failure is fatal. `first` is how
    /// an attempt already made (inside a batch) failed: it counts as the first failure.
    async fn deliver(
        &self,
        d: &Delivery,
        mut first: Option<HandlerError>,
    ) -> anyhow::Result<Option<Outcome>> {
        let policy = &self.spec.retry;
        let mut backoff = policy.backoff();
        let mut failures = 0u32;
        // Whether this delivery marked the group not ready (cleared once it goes through).
        let mut unavailable = false;
        loop {
            let attempt = match first.take() {
                Some(failed) => Err(failed),
                None => {
                    let span = telemetry::consume_span(self.bus.system(), &self.spec.group, d);
                    process(
                        self.bus,
                        self.pool,
                        self.acker,
                        self.producer,
                        self.spec,
                        self.handler,
                        d,
                    )
                    .instrument(span)
                    .await
                }
            };
            let error = match attempt {
                Ok(outcome) => {
                    if unavailable {
                        crate::health::process().ready(&self.part);
                    }
                    return Ok(Some(outcome));
                }
                Err(HandlerError::Fatal(e)) => return Err(e),
                Err(HandlerError::Permanent { class, reason }) => {
                    // Outside the handler (dead-lettering itself failed, a stored row did
                    // not parse): counted as the message's failure.
                    HandlerError::Retryable(anyhow::anyhow!("{class:?}: {reason}"))
                }
                Err(e) => e,
            };
            match &error {
                HandlerError::Unavailable(e) => {
                    unavailable = true;
                    crate::health::process().not_ready(
                        &self.part,
                        "a dependency (database, broker or provider) is unavailable; retrying",
                    );
                    tracing::warn!(group = %self.spec.group, error = %format!("{e:#}"), "environment unavailable; retrying the same message");
                }
                _ => {
                    failures += 1;
                    if failures >= policy.max_attempts {
                        let reason = format!("gave up after {failures} attempts: {error}");
                        match self.exhausted(d, reason).await {
                            Ok(lettered) => return Ok(Some(lettered)),
                            Err(e) => tracing::warn!(error = %e, "dead-lettering failed; retrying"),
                        }
                    }
                }
            }
            let delay = backoff
                .next()
                .unwrap_or(std::time::Duration::from_millis(policy.max_delay_ms));
            metrics::counter!("baton_messages_retried_total", "group" => self.spec.group.clone(), "topic" => d.topic.clone())
                .increment(1);
            tracing::warn!(topic = %d.topic, partition = d.partition, offset = d.offset,
                group = %self.spec.group, error = %error, ?delay, failures, "will retry");
            tokio::select! {
                _ = self.shutdown.cancelled() => return Ok(None),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Dead-letters `d` as `retries_exhausted`.
    async fn exhausted(&self, d: &Delivery, reason: String) -> Result<Outcome, HandlerError> {
        let lettered = Lettered {
            class: DeadLetterClass::RetriesExhausted,
            reason,
            rejected_for: None,
        };
        dead_letter(
            self.bus,
            self.pool,
            self.acker,
            self.producer,
            self.spec,
            d,
            &d.message_id(),
            lettered,
        )
        .await
    }
}

/// What applying a delivery inside a transaction came to.
enum InTx {
    Applied,
    Duplicate,
    /// Another member of the group consumed it first (embedded bus): roll back, drop it.
    Superseded,
}

/// Claims, handles and acknowledges `d` inside `tx`, committing nothing; returns what the
/// handler produced, for the caller to stage. With no `acker` the caller acknowledges (a
/// batch: once for the run it applied). The outer error is the machinery's (claim,
/// acknowledging); the inner one the handler's, which the caller dead-letters or retries.
async fn apply_in<B: Bus, H: Handler>(
    tx: &mut PgConnection,
    acker: Option<&AckerOf<B>>,
    producer: &Producer,
    spec: &ConsumerSpec,
    handler: &H,
    d: &Delivery,
) -> Result<Result<(InTx, Vec<Envelope>), HandlerError>, HandlerError> {
    if !claim(tx, &spec.group, &d.message_id(), d).await? {
        let outcome = match acker {
            Some(acker) if !ack_in(acker, tx, std::slice::from_ref(d)).await? => InTx::Superseded,
            _ => InTx::Duplicate,
        };
        return Ok(Ok((outcome, Vec::new())));
    }
    let mut ctx = HandlerCtx {
        tx: &mut *tx,
        producer,
        out: Vec::new(),
        source_login: d.producer.clone(),
        tenancy: d.tenancy.clone(),
        org: None,
    };
    if let Err(e) = handler.handle(&mut ctx, d).await {
        return Ok(Err(e));
    }
    let out = std::mem::take(&mut ctx.out);
    let outcome = match acker {
        Some(acker) if !ack_in(acker, tx, std::slice::from_ref(d)).await? => InTx::Superseded,
        _ => InTx::Applied,
    };
    Ok(Ok((outcome, out)))
}

/// `d` alone, in a transaction of its own.
async fn process<B: Bus, H: Handler>(
    bus: &B,
    pool: &PgPool,
    acker: &AckerOf<B>,
    producer: &Producer,
    spec: &ConsumerSpec,
    handler: &H,
    d: &Delivery,
) -> Result<Outcome, HandlerError> {
    let mut tx = pool.begin().await?;
    let error = match apply_in::<B, H>(&mut tx, Some(acker), producer, spec, handler, d).await? {
        Ok((InTx::Superseded, _)) => {
            tx.rollback().await?;
            return Ok(Outcome::Superseded);
        }
        Ok((InTx::Duplicate, _)) => {
            tx.commit().await?;
            acker.ack_committed(d)?;
            return Ok(Outcome::Duplicate);
        }
        Ok((InTx::Applied, out)) => {
            bus.stage(&mut tx, &out).await?;
            tx.commit().await?;
            fail::fail_point!("consumer_after_commit");
            acker.ack_committed(d)?;
            return Ok(Outcome::Applied);
        }
        Err(e) => e,
    };
    let lettered = Lettered::for_error(error, spec)?;
    tx.rollback().await?;
    dead_letter(
        bus,
        pool,
        acker,
        producer,
        spec,
        d,
        &d.message_id(),
        lettered,
    )
    .await
}

/// Claims `message_id` for `group`; false when it was already applied (the duplicate is
/// counted on the inbox row).
async fn claim(
    conn: &mut PgConnection,
    group: &str,
    message_id: &str,
    d: &Delivery,
) -> Result<bool, sqlx::Error> {
    // Claims span orgs (a claim precedes decoding), so through the function that may make
    // them (migration 0015); the row is tagged with the org that appended the message.
    let first = sqlx::query_scalar!(
        r#"SELECT baton_inbox_claim($1, $2, $3, $4, $5, $6) AS "first!""#,
        group,
        message_id,
        &d.topic,
        d.partition,
        d.offset,
        d.tenancy.org(),
    )
    .fetch_one(conn)
    .await?;
    Ok(first)
}

/// Why a message is dead-lettered, and, when it named an org it could not speak for, that
/// org (where the attempt is audited `message.rejected`).
struct Lettered {
    class: DeadLetterClass,
    reason: String,
    rejected_for: Option<OrgId>,
}

impl Lettered {
    /// How a handler's error is dead-lettered; the error itself when it is not the
    /// message's for good (the caller retries it or stops).
    fn for_error(error: HandlerError, spec: &ConsumerSpec) -> Result<Lettered, HandlerError> {
        match error {
            HandlerError::Permanent { class, reason } => Ok(Lettered {
                class,
                reason,
                rejected_for: None,
            }),
            HandlerError::WrongOrg { named, appended } => {
                metrics::counter!("baton_messages_wrong_org_total", "group" => spec.group.clone())
                    .increment(1);
                Ok(Lettered {
                    class: DeadLetterClass::Invalid,
                    reason: format!("the message is for org {named} but was appended {appended}"),
                    rejected_for: Some(named),
                })
            }
            other => Err(other),
        }
    }
}

/// Dead-letters `d` (its original bytes and coordinates kept), tagged with the org whose
/// transaction appended it; Superseded when another member of the group consumed it first.
#[allow(clippy::too_many_arguments)]
async fn dead_letter<B: Bus>(
    bus: &B,
    pool: &PgPool,
    acker: &AckerOf<B>,
    producer: &Producer,
    spec: &ConsumerSpec,
    d: &Delivery,
    message_id: &str,
    lettered: Lettered,
) -> Result<Outcome, HandlerError> {
    let Lettered {
        class,
        reason,
        rejected_for,
    } = lettered;
    let record = DeadLetter {
        original_topic: d.topic.clone(),
        original_partition: d.partition,
        original_offset: d.offset,
        original_key: d.key.clone(),
        original_value: d.payload.clone(),
        original_headers: d
            .headers
            .iter()
            .map(|(name, value)| Header {
                name: name.clone(),
                value: value.clone().into_bytes(),
            })
            .collect(),
        consumer_group: spec.group.clone(),
        error_class: class,
        error_message: reason,
        failed_at: producer.clock.now(),
    };
    let mut envelope = producer.envelope(&record)?;
    // Keep the original key: the dead letter lands beside its siblings' partition.
    envelope.key = d.key.clone();
    envelope.org = d.tenancy.org().map(str::to_string);
    let mut tx = pool.begin().await?;
    claim(&mut tx, &spec.group, message_id, d).await?;
    if let Some(named) = &rejected_for {
        audit_rejection(bus, &mut tx, producer, spec, d, named).await?;
    }
    crate::store::set_scope(&mut tx, envelope.org.as_deref()).await?;
    bus.stage(&mut tx, &[envelope]).await?;
    if !ack_in(acker, &mut tx, std::slice::from_ref(d)).await? {
        tx.rollback().await?;
        return Ok(Outcome::Superseded);
    }
    tx.commit().await?;
    acker.ack_committed(d)?;
    Ok(Outcome::DeadLettered(class))
}

/// Audits, in the org `named`, that a message for it was refused: where it came from, never
/// what it said.
async fn audit_rejection<B: Bus>(
    bus: &B,
    tx: &mut PgConnection,
    producer: &Producer,
    spec: &ConsumerSpec,
    d: &Delivery,
    named: &OrgId,
) -> Result<(), HandlerError> {
    let mut ctx = HandlerCtx::new(tx, producer);
    ctx.set_org(named).await?;
    let detail = serde_json::json!({
        "topic": d.topic,
        "partition": d.partition,
        "offset": d.offset,
        "consumer_group": spec.group,
        "appended_by_org": d.tenancy.org(),
        "producer": d.producer,
    });
    let who = crate::jobs::Actor {
        service: &spec.service,
        actor: &spec.service,
        org_id: named,
        job_id: None,
    };
    crate::jobs::audit(&mut ctx, who, "message.rejected", detail).await?;
    let out = ctx.into_messages();
    bus.stage(tx, &out).await?;
    Ok(())
}
