//! The shape every Baton service has, in one place: a service is a [`Component`] — the
//! topics its consumer group reads, the timer kinds it fires, how it is built from
//! configuration, and its two handlers (a delivery, a timer). The platform runs it: one
//! consumer group through the effectively-once runtime, the outbox relay (Kafka mode), the
//! ops endpoints (when `http.listen` is set), and a timer loop when it fires timers.
//!
//! A service crate keeps only what is its own: its state, `build`, `handle` and `fire`; its
//! `run(config, shutdown)` is [`launch`].

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context as _;
use baton_core::clock::Clock;
use baton_schemas::Topic;
use tokio_util::sync::CancellationToken;

use crate::{
    bus::Delivery,
    config::Config,
    db_clock::DatabaseClock,
    runtime::{Handler, HandlerCtx, HandlerError},
    service::Service,
    timers::{self, Timer},
};

/// A Baton service.
pub trait Component: Clone + Send + Sync + 'static {
    /// The service's name: its consumer group (after the topic prefix), its `ce_source`, the
    /// `service` of its audit records.
    const NAME: &'static str;
    /// The topics its consumer group reads.
    const TOPICS: &'static [Topic];
    /// The timer kinds it fires; none means no timer loop.
    const TIMERS: &'static [&'static str] = &[];

    /// Connects and loads what the service needs; an error names the setting to fix.
    fn build(
        config: &Config,
        clock: Arc<dyn Clock>,
    ) -> impl Future<Output = anyhow::Result<Self>> + Send;

    /// Its connection to the database and the bus.
    fn service(&self) -> &Service;

    /// Connects as this service, on `clock` (what `build` starts with).
    fn connect(
        config: &Config,
        clock: Arc<dyn Clock>,
    ) -> impl Future<Output = anyhow::Result<Service>> + Send {
        async move {
            let svc = Service::start(Self::NAME, config)
                .await
                .with_context(|| format!("starting the {}", Self::NAME))?;
            Ok(svc.with_clock(clock))
        }
    }

    /// Applies one delivery inside its transaction; what it emits is staged there.
    fn handle(
        &self,
        ctx: &mut HandlerCtx<'_>,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send;

    /// Fires one claimed timer of a kind in [`Component::TIMERS`] inside its transaction.
    fn fire(
        &self,
        _ctx: &mut HandlerCtx<'_>,
        timer: &Timer,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send {
        let kind = timer.kind.clone();
        async move {
            Err(HandlerError::invalid(format!(
                "{} fires no timers (got a `{kind}` timer)",
                Self::NAME
            )))
        }
    }

    /// Consumes and fires timers until `shutdown`.
    fn run(self, shutdown: CancellationToken) -> impl Future<Output = anyhow::Result<()>> + Send {
        run(self, shutdown)
    }

    /// Fires every due timer of this service's kinds once; returns how many fired.
    fn fire_due_timers(&self) -> impl Future<Output = anyhow::Result<usize>> + Send {
        timers::fire_due(self)
    }
}

/// A service binary's `main`: `C` configured from `BATON_CONFIG` and `BATON_*` variables,
/// until SIGTERM/Ctrl-C (see [`crate::service::main`]).
pub async fn main<C: Component>() -> std::process::ExitCode {
    crate::service::main(C::NAME, launch::<C>).await
}

/// Runs service `C` until `shutdown`: built on the database's clock (see
/// [`crate::db_clock`]), consuming and firing its timers. What every service binary,
/// `baton run`, `baton dev` and `baton demo` call. Not ready on `/readyz` until built; a
/// database or broker that is away is waited for (see [`crate::startup`]).
pub async fn launch<C: Component>(
    config: Config,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let built = crate::startup::start(C::NAME, &config, &shutdown, |attempt| {
        build::<C>(&config, attempt)
    });
    let Some(c) = built.await? else {
        return Ok(()); // shut down while starting
    };
    crate::health::process().ready(C::NAME);
    c.run(shutdown).await
}

/// Builds `C` on the database's clock, which is kept fresh until `stop`.
async fn build<C: Component>(config: &Config, stop: CancellationToken) -> anyhow::Result<C> {
    let mut db = config.database.clone();
    db.max_connections = 1;
    let pool = crate::store::connect(&crate::store::service_database(&db, C::NAME)?)
        .await
        .with_context(|| format!("starting the {}: reading the database clock", C::NAME))?;
    let clock = DatabaseClock::start(pool, stop).await?;
    C::build(config, Arc::new(clock)).await
}

/// Runs `c`'s consumer group (and its timer loop, if it fires timers) until `shutdown`; a
/// consumer that stops on a fatal error takes the timer loop down with it.
pub async fn run<C: Component>(c: C, shutdown: CancellationToken) -> anyhow::Result<()> {
    let svc = c.service().clone();
    let group = format!("{}{}", svc.topic_prefix, C::NAME);
    let timers =
        (!C::TIMERS.is_empty()).then(|| tokio::spawn(timers::run(c.clone(), shutdown.clone())));
    let consumed = svc
        .consume(&group, C::TOPICS, Consumer(c), shutdown.clone())
        .await;
    shutdown.cancel();
    let fired = match timers {
        Some(timers) => timers.await?,
        None => Ok(()),
    };
    consumed.and(fired)
}

/// The runtime's handler for a component.
struct Consumer<C>(C);

impl<C: Component> Handler for Consumer<C> {
    fn handle(
        &self,
        ctx: &mut HandlerCtx<'_>,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send {
        self.0.handle(ctx, delivery)
    }
}

/// `poll_ms` from a service's configuration, never below 10 ms.
pub fn poll_interval(poll_ms: u64) -> Duration {
    Duration::from_millis(poll_ms.max(10))
}
