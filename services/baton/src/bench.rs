//! `baton bench bus`: throughput and latency of both buses, raw and through the full
//! consume → Postgres transaction → produce loop. Runs in a scratch database (created and
//! dropped on the configured server) and on uniquely named topics.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use baton_platform::{
    bus::{Bus, BusConsumer, Delivery, Envelope, embedded::EmbeddedBus, kafka::KafkaBus},
    config::{BusKind, Config, DatabaseConfig},
    relay,
    runtime::{self, ConsumerSpec, Handler, HandlerCtx, HandlerError, Producer},
    store,
};
use baton_schemas::{AuditRecord, Message, OrchestratorEvent};
use clap::{Subcommand, ValueEnum};
use hdrhistogram::Histogram;
use secrecy::ExposeSecret;
use sqlx::{Connection, PgConnection};
use tokio_util::sync::CancellationToken;

#[derive(Subcommand)]
pub enum What {
    /// The built-in skills: time per call (median, p99) on the sample data; no services.
    Skills {
        /// Calls per input.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// A sample-data directory (org/<org>.json, meetings/) instead of the built-in set.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
    /// Both buses: publish and consume rates, publish→consume latency, and the full loop.
    Bus {
        /// Messages for the throughput runs.
        #[arg(long, default_value_t = 20_000)]
        messages: usize,
        /// Messages for the loop throughput run (each is a database transaction).
        #[arg(long, default_value_t = 5_000)]
        loop_messages: usize,
        /// Sequential messages for the latency runs.
        #[arg(long, default_value_t = 500)]
        latency_samples: usize,
        #[arg(long, value_enum, default_value_t = Which::Both)]
        bus: Which,
    },
    /// The sequencing services: meeting_ended jobs/s and steps/s, and event →
    /// awaiting_approval latency, on each bus.
    Sequencing {
        /// Jobs in the throughput burst.
        #[arg(long, default_value_t = 200)]
        jobs: usize,
        /// Sequential events for the latency run.
        #[arg(long, default_value_t = 50)]
        latency_samples: usize,
        #[arg(long, value_enum, default_value_t = Which::Both)]
        bus: Which,
        /// A sample-data directory (org/<org>.json, meetings/) instead of the built-in set.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
    /// All five services: decision → job completed latency (the last gate's approval to the
    /// job's end) and approvals/s (a burst of email-gate approvals until each email is sent),
    /// on each bus.
    Approvals {
        /// Gates approved at once for the throughput run.
        #[arg(long, default_value_t = 100)]
        gates: usize,
        /// Jobs decided one at a time for the latency run.
        #[arg(long, default_value_t = 30)]
        latency_samples: usize,
        #[arg(long, value_enum, default_value_t = Which::Both)]
        bus: Which,
        /// A sample-data directory (org/<org>.json, meetings/) instead of the built-in set.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
    /// PM5, the reference workload compared with Restate and DBOS (see the README's
    /// Benchmarks section), through the pipeline services:
    /// one JSON object per run, verified (exit non-zero if a run fails its checks). Each
    /// invocation runs in a scratch database of its own.
    Pm5 {
        #[arg(long, value_enum, default_value_t = crate::bench_pm5::Variant::A)]
        variant: crate::bench_pm5::Variant,
        #[arg(long, value_enum, default_value_t = Which::Embedded)]
        bus: Which,
        /// Runs per repetition (default: 5000 for a and crash, 30 s at the rate for rate, 2000
        /// for b and chaos, the rate times the duration for soak).
        #[arg(long)]
        n: Option<usize>,
        /// Repetitions of the measurement (the specification reports the median of 3).
        #[arg(long, default_value_t = 3)]
        reps: usize,
        /// Runs/s offered by the fixed-rate run and the soak (default: half, for the soak 80 %,
        /// of the median of 3 variant A runs, measured first).
        #[arg(long)]
        rate: Option<f64>,
        /// Clients (variant a) or submissions and approvals (variant b) in flight.
        #[arg(long, default_value_t = 64)]
        in_flight: usize,
        /// The fault run's order of faults (default: random, printed in each run's JSON).
        #[arg(long)]
        seed: Option<u64>,
        /// How long the soak runs, in seconds.
        #[arg(long, default_value_t = 600)]
        duration_s: u64,
    },
    /// The ingress: accepted requests/s and p50/p99 latency of the Slack and MeetingBaaS
    /// endpoints under concurrent load, beside this server's `pgbench -N`.
    Ingress {
        /// Requests per endpoint.
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        /// Clients sending at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long, value_enum, default_value_t = Which::Embedded)]
        bus: Which,
        /// A sample-data directory (org/<org>.json, meetings/) instead of the built-in set.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    Both,
    Embedded,
    Kafka,
}

/// Runs the benchmark `what`; `config_file` is the file `config` was read from, for the
/// service processes some benchmarks start.
pub async fn run(
    config: &Config,
    config_file: Option<&std::path::Path>,
    what: What,
) -> anyhow::Result<()> {
    use crate::bench_seq::{Sizes as Jobs, Workload};
    let (messages, loop_messages, latency_samples, bus) = match what {
        What::Skills { runs, data } => {
            let data = crate::sample::SampleData::from_arg(data);
            return crate::bench_skills::run(&data, runs).await;
        }
        What::Bus {
            messages,
            loop_messages,
            latency_samples,
            bus,
        } => (messages, loop_messages, latency_samples, bus),
        What::Sequencing {
            jobs,
            latency_samples,
            bus,
            data,
        } => {
            let jobs = Jobs {
                jobs,
                latency_samples,
            };
            return sequencing(config, bus, data, Workload::Jobs(jobs)).await;
        }
        What::Approvals {
            gates,
            latency_samples,
            bus,
            data,
        } => {
            let workload = Workload::Approvals {
                gates,
                latency_samples,
            };
            return sequencing(config, bus, data, workload).await;
        }
        What::Pm5 {
            variant,
            bus,
            n,
            reps,
            rate,
            in_flight,
            seed,
            duration_s,
        } => {
            let args = crate::bench_pm5::Args {
                variant,
                buses: buses_of(bus),
                n,
                reps,
                rate,
                in_flight,
                config_file: config_file.map(Into::into),
                seed,
                duration: std::time::Duration::from_secs(duration_s),
            };
            return crate::bench_pm5::run(config, &args).await;
        }
        What::Ingress {
            requests,
            concurrency,
            bus,
            data,
        } => {
            let data = crate::sample::SampleData::from_arg(data);
            let load = crate::bench_ingress::Load {
                requests,
                concurrency,
            };
            return with_scratch(config, |db, _owner| async move {
                crate::bench_ingress::run(config, &db, &buses_of(bus), &data, &load).await
            })
            .await;
        }
    };
    let sizes = Sizes {
        messages,
        loop_messages,
        latency_samples,
    };
    let scratch = Scratch::create(&config.database).await?;
    let result = async {
        let pool = store::connect(&scratch.config).await?;
        sqlx::raw_sql(
            "CREATE TABLE bench_applied (event_id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
             GRANT SELECT, INSERT ON bench_applied TO baton_app;",
        )
        .execute(&mut scratch.owner().await?)
        .await?;
        if bus != Which::Kafka {
            let b = EmbeddedBus::new(pool.clone(), config.bus.partitions);
            bench_bus("embedded", &b, &pool, &sizes).await?;
        }
        if bus != Which::Embedded {
            let b = KafkaBus::new(&config.bus.kafka, config.bus.partitions, config.bus.replication_factor)
                .with_context(|| format!("kafka at {} (bus.kafka.bootstrap_servers)", config.bus.kafka.bootstrap_servers))?;
            bench_bus("kafka", &b, &pool, &sizes).await?;
        }
        pool.close().await;
        anyhow::Ok(())
    }
    .await;
    scratch.drop_db().await;
    result
}

/// A sequencing benchmark on `bus`, in a scratch database seeded from `data`.
async fn sequencing(
    config: &Config,
    bus: Which,
    data: Option<std::path::PathBuf>,
    workload: crate::bench_seq::Workload,
) -> anyhow::Result<()> {
    let data = crate::sample::SampleData::from_arg(data);
    with_scratch(config, |db, owner| async move {
        crate::bench_seq::run(config, &db, &owner, &buses_of(bus), &data, &workload).await
    })
    .await
}

/// Runs `f` with a scratch database (its service config and an owner pool), dropping the
/// database afterwards whatever happened.
async fn with_scratch<F, Fut>(config: &Config, f: F) -> anyhow::Result<()>
where
    F: FnOnce(DatabaseConfig, sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let scratch = Scratch::create(&config.database).await?;
    let result = async {
        let owner = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(scratch.config.url.expose_secret())
            .await?;
        f(scratch.config.clone(), owner).await
    }
    .await;
    scratch.drop_db().await;
    result
}

fn buses_of(which: Which) -> Vec<BusKind> {
    match which {
        Which::Both => vec![BusKind::Embedded, BusKind::Kafka],
        Which::Embedded => vec![BusKind::Embedded],
        Which::Kafka => vec![BusKind::Kafka],
    }
}

struct Sizes {
    messages: usize,
    loop_messages: usize,
    latency_samples: usize,
}

/// A throwaway database on the configured server.
pub(crate) struct Scratch {
    name: String,
    pub(crate) config: DatabaseConfig,
}

impl Scratch {
    pub(crate) async fn create(base: &DatabaseConfig) -> anyhow::Result<Scratch> {
        let name = format!(
            "baton_bench_{}",
            &uuid::Uuid::now_v7().simple().to_string()[20..]
        );
        let mut config = base.with_database(&name)?;
        config.max_connections = base.max_connections.max(8);
        eprintln!("scratch database {name}");
        store::migrate(&config)
            .await
            .context("creating the scratch database")?;
        Ok(Scratch { name, config })
    }

    async fn owner(&self) -> anyhow::Result<PgConnection> {
        Ok(PgConnection::connect(self.config.url.expose_secret()).await?)
    }

    /// Drops the scratch database (through the server's maintenance database, so it works
    /// whether or not the configured database exists). A failure is said, not swallowed.
    pub(crate) async fn drop_db(&self) {
        use sqlx::migrate::MigrateDatabase;
        if let Err(e) = sqlx::Postgres::force_drop_database(self.config.url.expose_secret()).await {
            eprintln!(
                "could not drop the scratch database {} ({e}); drop it by hand",
                self.name
            );
        }
    }
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or_default()
}

fn stamp(d: &Delivery) -> Option<u64> {
    d.header("bench_ts").and_then(|v| v.parse().ok())
}

fn envelope(topic: &str, i: usize) -> Envelope {
    Envelope {
        topic: topic.to_string(),
        key: Some(format!("key-{}", i % 64).into_bytes()),
        payload: vec![0u8; 256],
        headers: vec![
            ("ce_id".into(), uuid::Uuid::now_v7().to_string()),
            ("bench_ts".into(), now_micros().to_string()),
        ],
        org: None,
    }
}

fn report_latency(label: &str, h: &Histogram<u64>) {
    println!(
        "  {label:<44} p50 {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms",
        h.value_at_quantile(0.5) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0
    );
}

fn report_rate(label: &str, n: usize, elapsed: Duration) {
    println!(
        "  {label:<44} {:>10.0} msg/s   ({n} in {:.2} s)",
        n as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
}

async fn recv<C: BusConsumer>(c: &mut C) -> anyhow::Result<Delivery> {
    tokio::time::timeout(Duration::from_secs(60), c.next())
        .await
        .context("no message within 60 s")?
        .map_err(Into::into)
}

async fn bench_bus<B: Bus>(
    name: &str,
    bus: &B,
    pool: &sqlx::PgPool,
    sizes: &Sizes,
) -> anyhow::Result<()> {
    println!("\n{name} bus");
    let prefix = format!("bench{}.", &uuid::Uuid::now_v7().simple().to_string()[24..]);
    let raw = format!("{prefix}raw");
    let lat = format!("{prefix}latency");
    let input = OrchestratorEvent::TOPIC.name(&prefix);
    let output = AuditRecord::TOPIC.name(&prefix);
    bus.create_topics(&[raw.clone(), lat.clone(), input.clone(), output.clone()])
        .await?;

    // Publish throughput: batches of 500, each durable before the next.
    let started = Instant::now();
    let mut sent = 0;
    while sent < sizes.messages {
        let n = 500.min(sizes.messages - sent);
        bus.publish((sent..sent + n).map(|i| envelope(&raw, i)).collect())
            .await?;
        sent += n;
    }
    report_rate("publish (batches of 500, durable)", sent, started.elapsed());

    // Consume throughput of what is already there.
    let mut c = bus.subscribe(&format!("{prefix}g-raw"), &[raw]).await?;
    let first = recv(&mut c).await?;
    let started = Instant::now();
    drop(first);
    for _ in 1..sizes.messages {
        recv(&mut c).await?;
    }
    report_rate("consume (backlog)", sizes.messages - 1, started.elapsed());
    c.close().await?;

    // Latency: one message at a time, consumer waiting.
    let mut c = bus
        .subscribe(&format!("{prefix}g-lat"), std::slice::from_ref(&lat))
        .await?;
    bus.publish(vec![envelope(&lat, 0)]).await?; // warm-up (group join)
    recv(&mut c).await?;
    let mut h = Histogram::<u64>::new(3)?;
    for i in 0..sizes.latency_samples {
        bus.publish(vec![envelope(&lat, i)]).await?;
        let d = recv(&mut c).await?;
        if let Some(ts) = stamp(&d) {
            h.record(now_micros().saturating_sub(ts))?;
        }
    }
    report_latency("publish → consume latency", &h);
    c.close().await?;

    bench_loop(bus, pool, &prefix, &input, &output, sizes).await
}

/// Applies each event in a transaction (insert a row) and produces an audit record.
struct LoopHandler;

impl Handler for LoopHandler {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        sqlx::query("INSERT INTO bench_applied (event_id) VALUES ($1)")
            .bind(&ev.event_id)
            .execute(&mut *ctx.tx)
            .await?;
        ctx.emit(&AuditRecord {
            audit_id: uuid::Uuid::now_v7().to_string(),
            org_id: ev.org_id,
            job_id: None,
            service: "bench".into(),
            actor: "system".into(),
            action: "bench.applied".into(),
            detail: ev.payload,
            occurred_at: chrono::Utc::now(),
        })
    }
}

fn bench_event(i: usize) -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: "bench".into(),
        source: "bench".into(),
        org_id: format!("org_{}", i % 16),
        user_id: format!("u_{}", i % 64),
        payload: serde_json::json!({ "ts": now_micros() }),
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        dedupe_key: None,
    }
}

async fn bench_loop<B: Bus>(
    bus: &B,
    pool: &sqlx::PgPool,
    prefix: &str,
    input: &str,
    output: &str,
    sizes: &Sizes,
) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    let spec = ConsumerSpec {
        service: "bench".into(),
        group: format!("{prefix}loop"),
        topics: vec![input.to_string()],
        topic_prefix: prefix.to_string(),
        wire: Default::default(),
        clock: std::sync::Arc::new(baton_core::clock::SystemClock),
        retry: Default::default(),
        batch_max: 1,
        concurrency: 1,
    };
    let consumer = tokio::spawn(runtime::run(
        spec,
        bus.clone(),
        pool.clone(),
        LoopHandler,
        shutdown.clone(),
    ));
    let relay = tokio::spawn(relay::run(pool.clone(), bus.clone(), shutdown.clone()));
    let producer = Producer::new("bench", prefix);
    let mut out = bus
        .subscribe(&format!("{prefix}g-out"), &[output.to_string()])
        .await?;
    let latency_of = |d: &Delivery| -> Option<u64> {
        let a: AuditRecord = baton_schemas::decode(&d.payload).ok()?;
        a.detail["ts"]
            .as_u64()
            .map(|ts| now_micros().saturating_sub(ts))
    };

    // Latency: one event at a time through consume → transaction → produce → consume.
    bus.publish(vec![producer.envelope(&bench_event(0))?])
        .await?; // warm-up
    recv(&mut out).await?;
    let mut h = Histogram::<u64>::new(3)?;
    for i in 0..sizes.latency_samples.min(300) {
        bus.publish(vec![producer.envelope(&bench_event(i))?])
            .await?;
        let d = recv(&mut out).await?;
        if let Some(us) = latency_of(&d) {
            h.record(us)?;
        }
    }
    report_latency("loop latency (event → tx → produced → consumed)", &h);

    // Throughput: a backlog through the loop, measured at the output.
    let started = Instant::now();
    let mut sent = 0;
    while sent < sizes.loop_messages {
        let n = 500.min(sizes.loop_messages - sent);
        let batch = (sent..sent + n)
            .map(|i| producer.envelope(&bench_event(i)))
            .collect::<Result<Vec<_>, _>>()?;
        bus.publish(batch).await?;
        sent += n;
    }
    for _ in 0..sizes.loop_messages {
        recv(&mut out).await?;
    }
    report_rate(
        "loop throughput (one transaction per message)",
        sizes.loop_messages,
        started.elapsed(),
    );
    out.close().await?;
    shutdown.cancel();
    consumer.await??;
    relay.await??;
    Ok(())
}
