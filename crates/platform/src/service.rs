//! What a service process starts with: the pool (acting as the service role), the bus the
//! configuration names, the wire format, the producer and the clock; and `consume`, which
//! runs one consumer group with the outbox relay (Kafka mode) until shutdown.
//! [`crate::component`] builds services on it; [`main`] runs a service binary with its ops
//! endpoints (one listener per process, when `http.listen` is set).

use std::{sync::Arc, time::Duration};

use baton_core::clock::{Clock, SystemClock};
use baton_schemas::{Message, Topic};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use tokio_util::sync::CancellationToken;

use crate::{
    Result,
    bus::{AnyBus, Bus},
    config::Config,
    relay,
    runtime::{self, ConsumerSpec, Handler, Producer, RetryPolicy},
    store,
    wire::Wire,
};

#[derive(Clone)]
pub struct Service {
    pub name: String,
    pub pool: PgPool,
    pub bus: AnyBus,
    pub wire: Wire,
    pub producer: Producer,
    pub topic_prefix: String,
    /// The time every rule runs on (the system clock, or a test's).
    pub clock: Arc<dyn Clock>,
    /// How often the timer loop looks for due timers.
    pub timer_poll: Duration,
    /// How a failing message is retried before it is dead-lettered.
    pub retry: RetryPolicy,
    /// The most messages a consumer applies in one transaction (`bus.batch_max`).
    pub batch_max: usize,
    /// How many partitions a consumer applies at once (`bus.concurrency`).
    pub concurrency: usize,
}

impl Service {
    /// Connects to the database as service `name`'s own login (refusing a superuser or
    /// BYPASSRLS one, see [`store::connect_service`]) and to the bus, and makes sure the
    /// topics exist.
    pub async fn start(name: &str, config: &Config) -> Result<Service> {
        let pool = store::connect_service(&config.database, name).await?;
        Self::start_on(name, config, pool).await
    }

    /// The owner's tools (`baton demo`, the benchmarks, the test harness), which created and
    /// seed the database: `database.url` acting as `database.service_role`.
    pub async fn start_as_owner(name: &str, config: &Config) -> Result<Service> {
        let pool = store::connect(&config.database).await?;
        Self::start_on(name, config, pool).await
    }

    async fn start_on(name: &str, config: &Config, pool: sqlx::PgPool) -> Result<Service> {
        baton_schemas::limits::set(config.limits);
        let bus = AnyBus::from_config(&config.bus, &pool)?;
        let prefix = config.bus.topic_prefix.clone();
        let topics: Vec<String> = Topic::ALL.iter().map(|t| t.name(&prefix)).collect();
        bus.create_topics(&topics).await?;
        let wire = Wire::connect(config.bus.schema_registry_url.as_deref(), &prefix).await?;
        Ok(Service {
            name: name.to_string(),
            producer: Producer::new(name, &prefix).with_wire(wire.clone()),
            pool,
            bus,
            wire,
            topic_prefix: prefix,
            clock: Arc::new(SystemClock),
            timer_poll: crate::component::poll_interval(500),
            retry: config.bus.retry.clone(),
            batch_max: config.bus.batch_max,
            concurrency: config.bus.concurrency,
        })
    }

    /// The same service on `clock` (its messages are stamped with it too).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.producer = self.producer.with_clock(clock.clone());
        self.clock = clock;
        self
    }

    /// The same service, looking for due timers every `poll_ms` (at least 10 ms).
    pub fn with_timer_poll(mut self, poll_ms: u64) -> Self {
        self.timer_poll = crate::component::poll_interval(poll_ms);
        self
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Stages `msg` in `tx`: published if and only if `tx` commits.
    pub async fn stage<M: Message>(&self, tx: &mut PgConnection, msg: &M) -> Result<()> {
        let envelope = self.producer.envelope(msg)?;
        self.bus.stage(tx, std::slice::from_ref(&envelope)).await
    }

    /// Runs consumer group `group` on `topics` with `handler` until `shutdown`; in Kafka mode
    /// the outbox relay runs beside it. Returns when both have stopped.
    pub async fn consume<H: Handler>(
        &self,
        group: &str,
        topics: &[Topic],
        handler: H,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let spec = ConsumerSpec {
            service: self.name.clone(),
            group: group.to_string(),
            topics: topics.iter().map(|t| t.name(&self.topic_prefix)).collect(),
            topic_prefix: self.topic_prefix.clone(),
            wire: self.wire.clone(),
            clock: self.clock.clone(),
            retry: self.retry.clone(),
            batch_max: self.batch_max,
            concurrency: self.concurrency,
        };
        let relay = match &self.bus {
            AnyBus::Kafka(_) => Some(tokio::spawn(relay::supervise(
                self.pool.clone(),
                self.bus.clone(),
                shutdown.clone(),
            ))),
            AnyBus::Embedded(_) => None,
        };
        let result = runtime::run(
            spec,
            self.bus.clone(),
            self.pool.clone(),
            handler,
            shutdown.clone(),
        )
        .await;
        // A consumer that stopped on its own (fatal error) takes the process down with it.
        shutdown.cancel();
        if let Some(relay) = relay {
            relay.await?;
        }
        result
    }
}

/// A service binary's `main`: configuration from `BATON_CONFIG` (a TOML file, optional) and
/// `BATON_*` variables, telemetry, shutdown on SIGTERM/Ctrl-C, then `run`. Errors are
/// printed with their causes and the process exits non-zero.
pub async fn main<F, Fut>(name: &str, run: F) -> std::process::ExitCode
where
    F: FnOnce(Config, CancellationToken) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    // `--help` and `--version`; the service takes no other arguments.
    clap::Command::new(format!("baton-{name}"))
        .version(env!("CARGO_PKG_VERSION"))
        .about(format!(
            "Baton's {name} service: runs until SIGTERM or Ctrl-C."
        ))
        .after_help(
            "Configuration: the TOML file in BATON_CONFIG (optional), then BATON_* variables \
             (sections joined by `__`, e.g. BATON_DATABASE__URL, BATON_BUS__KIND=kafka). \
             `baton config sample` prints every key with its default and what it does.",
        )
        .get_matches();
    let file = std::env::var_os("BATON_CONFIG").map(std::path::PathBuf::from);
    let config = match Config::load(file.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let _telemetry = match crate::telemetry::init(name, &config.telemetry) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: starting telemetry: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Err(e) = crate::failpoints::arm_from_env() {
        eprintln!("error: {e:#}");
        return std::process::ExitCode::FAILURE;
    }
    let shutdown = crate::shutdown::on_signals();
    let ops = match crate::http::spawn_for_process(&config, &[name], &shutdown).await {
        Ok(ops) => ops,
        Err(e) => {
            eprintln!("error: {name}: ops endpoints: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let ran = run(config, shutdown.clone()).await;
    shutdown.cancel();
    let served = match ops {
        Some(ops) => ops.await.map_err(anyhow::Error::from).and_then(|r| r),
        None => Ok(()),
    };
    match ran.and(served) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {name}: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
