//! `baton bench pm5`: PM5, the reference workload Baton is compared on beside Restate and DBOS
//! (the README's Benchmarks section describes it), run through Baton's own services exactly
//! as a client would drive them. One JSON object per run on stdout (progress on stderr),
//! each checked by the specification's verification; any failed check makes the command
//! exit non-zero.
//!
//! How Baton runs it: sequences `pm5` and `pm5_gated` (`services/baton/bench/`), the four
//! compute steps as the benchmark's built-in skills and the send as the `pm5-send-email` CRM
//! action, whose `INSERT … ON CONFLICT` commits in the same transaction as the step's result
//! (`effect_in_step_transaction`). Every run has a database of its own, wiped state and
//! topics of its own; the client publishes on `baton.events` and sees completions on
//! `baton.audit`.

mod chaos;
mod checker;
mod crash;
mod email_endpoint;
mod private_broker;
mod private_pg;
mod processes;
mod setup;
mod soak;
mod topic_read;
mod tracker;
mod variants;
mod verify;

use std::{path::PathBuf, time::Duration};

use baton_platform::config::{BusKind, Config};
use clap::ValueEnum;
use serde_json::{Value, json};

use setup::Scratch;

use crate::ops::ServiceName;

/// The crash check's victims, one run each.
const VICTIMS: [ServiceName; 3] = [
    ServiceName::Router,
    ServiceName::ContextLoader,
    ServiceName::StepExecutor,
];

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum Variant {
    /// Closed loop: `--in-flight` clients, each submitting the next run when its last one
    /// completed.
    A,
    /// Open loop at a fixed rate (`--rate`, or half the median of three variant A runs),
    /// latency from each run's scheduled time.
    Rate,
    /// A human gate before the send: all runs paused, then all approved.
    B,
    /// Variant A with the services as processes of their own; once half the emails are
    /// sent, one is killed with SIGKILL and restarted 200 ms later — one run per service
    /// (router, context-loader, step-executor).
    Crash,
    /// A and B mixed (every fourth run gated) with the services as processes and a
    /// PostgreSQL (and on Kafka a Tansu) of the run's own, while faults strike one after
    /// another: each service killed and restarted, PostgreSQL restarted, the broker killed
    /// and restarted, the email endpoint failing and answering too late for a while.
    Chaos,
    /// The open loop at 80 % of variant a's median (or `--rate`) for `--duration-s`, the
    /// services as processes: every process's memory after the warm-up and at the end.
    Soak,
}

impl Variant {
    fn tag(self) -> &'static str {
        match self {
            Variant::A => "A",
            Variant::Rate => "R",
            Variant::B => "B",
            Variant::Crash => "C",
            Variant::Chaos => "X",
            Variant::Soak => "S",
        }
    }

    /// The event types its runs are (the sequences' `event`).
    fn event_types(self) -> &'static [&'static str] {
        match self {
            Variant::B => &["pm5_gated"],
            Variant::Chaos => &["pm5_chaos", "pm5_chaos_gated"],
            _ => &["pm5"],
        }
    }
}

/// What `baton bench pm5` was asked for.
pub struct Args {
    pub variant: Variant,
    pub buses: Vec<BusKind>,
    /// Runs per repetition (default: the specification's N for the variant).
    pub n: Option<usize>,
    pub reps: usize,
    pub rate: Option<f64>,
    pub in_flight: usize,
    /// The configuration file this process read, for the service processes of the crash
    /// check (they inherit the environment).
    pub config_file: Option<PathBuf>,
    /// The fault run's order of faults.
    pub seed: Option<u64>,
    /// How long the soak runs.
    pub duration: Duration,
}

/// One repetition's plan.
pub struct Plan {
    pub variant: Variant,
    pub bus: BusKind,
    pub tag: String,
    pub n: usize,
    pub in_flight: usize,
    /// Variant rate: runs per second offered.
    pub rate: f64,
    /// Variant crash: the service killed in the middle.
    pub victim: Option<ServiceName>,
    pub config_file: Option<PathBuf>,
    /// The fault run's order of faults (random when None).
    pub seed: Option<u64>,
    /// The soak's length.
    pub duration: Duration,
}

impl Plan {
    /// Whether the services run as processes of their own: the variants that kill or watch
    /// them, and every variant on Kafka (PM5.md: "Kafka through Tansu … with the services as
    /// separate processes").
    fn in_processes(&self) -> bool {
        matches!(
            self.variant,
            Variant::Crash | Variant::Chaos | Variant::Soak
        ) || self.bus == BusKind::Kafka
    }

    /// The LIKE pattern of this run's meeting ids (`pm5::Event::nth`'s `m-<tag>-<i>`).
    fn meetings_like(&self) -> String {
        format!("m-{}-%", self.tag)
    }

    /// Run `i`'s event type: in the fault run every fourth is gated.
    fn event_type(&self, i: usize) -> &'static str {
        let types = self.variant.event_types();
        types[(i % 4 == 3) as usize % types.len()]
    }
}

pub async fn run(config: &Config, args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.reps > 0, "--reps must be at least 1");
    anyhow::ensure!(args.in_flight > 0, "--in-flight must be at least 1");
    let scratch = Scratch::create(config, args.variant).await?;
    // A signal ends the run here rather than the process, so what it started — service
    // processes, the fault run's PostgreSQL and broker — is stopped as the run unwinds.
    let stop = baton_platform::shutdown::on_signals();
    let result = tokio::select! {
        r = all_buses(config, &scratch, args) => r,
        _ = stop.cancelled() => Err(anyhow::anyhow!("interrupted: the run was stopped")),
    };
    scratch.drop_db().await;
    let failed = result?;
    anyhow::ensure!(
        failed == 0,
        "{failed} run(s) failed their verification (see `verification` above)"
    );
    Ok(())
}

/// Every run asked for; returns how many failed verification.
async fn all_buses(config: &Config, scratch: &Scratch, args: &Args) -> anyhow::Result<usize> {
    let mut failed = 0;
    for &bus in &args.buses {
        let rate = match (args.variant, args.rate) {
            (Variant::Rate | Variant::Soak, Some(r)) => r,
            (Variant::Rate | Variant::Soak, None) => {
                let (median, f) = repeat(config, scratch, args, Variant::A, bus, 0.0).await?;
                failed += f;
                // Half the maximum for the fixed-rate run, 80 % of it for the soak.
                let share = if args.variant == Variant::Soak {
                    0.8
                } else {
                    0.5
                };
                (median * share).round().max(1.0)
            }
            _ => 0.0,
        };
        failed += repeat(config, scratch, args, args.variant, bus, rate)
            .await?
            .1;
    }
    Ok(failed)
}

/// `args.reps` runs of `variant` on `bus`, each printed; a summary line when there are
/// several. Returns the median runs/s and how many runs failed verification.
async fn repeat(
    config: &Config,
    scratch: &Scratch,
    args: &Args,
    variant: Variant,
    bus: BusKind,
    rate: f64,
) -> anyhow::Result<(f64, usize)> {
    let mut rates = Vec::new();
    let mut failed = 0;
    let victims: Vec<Option<ServiceName>> = match variant {
        Variant::Crash => VICTIMS.iter().copied().map(Some).collect(),
        _ => vec![None],
    };
    // A soak is one long run.
    let reps = if variant == Variant::Soak {
        1
    } else {
        args.reps
    };
    for rep in 1..=reps {
        for (k, &victim) in victims.iter().enumerate() {
            let suffix = if victim.is_some() {
                format!("k{k}")
            } else {
                String::new()
            };
            let plan = Plan {
                variant,
                bus,
                tag: format!("{}{rep}{suffix}", variant.tag()),
                n: args.n.unwrap_or(match variant {
                    Variant::A | Variant::Crash => 5000,
                    Variant::Chaos => 2000,
                    Variant::Rate => ((30.0 * rate) as usize).min(5000),
                    Variant::Soak => (rate * args.duration.as_secs_f64()).round() as usize,
                    Variant::B => 2000,
                }),
                in_flight: args.in_flight,
                rate,
                victim,
                config_file: args.config_file.clone(),
                seed: args.seed,
                duration: args.duration,
            };
            let report = one(config, scratch, &plan).await?;
            if report["verification"]["ok"] != json!(true) {
                failed += 1;
            }
            rates.push(report["runs_per_s"].as_f64().unwrap_or(0.0));
            println!("{report}");
        }
    }
    let mut sorted = rates;
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if sorted.len() > 1 {
        let summary = json!({
            "summary": variant.tag(), "bus": bus_name(bus), "runs": sorted.len(),
            "runs_per_s": { "median": median, "min": sorted[0], "max": sorted[sorted.len() - 1] },
        });
        println!("{summary}");
    }
    Ok((median, failed))
}

/// One run: fresh state, the services started, the variant driven, the services stopped,
/// the run verified.
async fn one(config: &Config, scratch: &Scratch, plan: &Plan) -> anyhow::Result<Value> {
    eprintln!(
        "pm5 {} on the {} bus: {} runs …",
        plan.tag,
        bus_name(plan.bus),
        plan.n
    );
    scratch.wipe().await?;
    let cpu = crate::cpu::Snapshot::now();
    let measured = if plan.variant == Variant::Chaos {
        chaos::one(config, scratch, plan).await
    } else {
        driven(config, scratch, plan).await
    };
    let cores = cpu.cores();
    let mut report = measured?;
    let mut verification = verify::check(&scratch.owner, plan).await?;
    if plan.variant == Variant::Chaos {
        verify::add_checker(&mut verification, &report["checker"]);
    }
    report["variant"] = json!(format!("{:?}", plan.variant).to_lowercase());
    report["bus"] = json!(bus_name(plan.bus));
    report["tag"] = json!(plan.tag);
    report["n"] = json!(plan.n);
    let names = setup::services(plan.variant)
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(", ");
    report["services"] = json!(if plan.in_processes() {
        format!("{names}, each a `baton run` process of its own")
    } else {
        format!("{names}, in this process")
    });
    // The fault run's email goes through an HTTP endpoint under an idempotency key.
    report["effect_in_step_transaction"] = json!(plan.variant != Variant::Chaos);
    // With the services in processes of their own, this process is only the client.
    let own = if plan.in_processes() {
        "client"
    } else {
        "baton"
    };
    report["cpu_cores"] = cores.map_or(
        Value::Null,
        |c| json!({ "machine": c.machine, "postgres": c.postgres, own: c.own }),
    );
    report["verification"] = verification;
    Ok(report)
}

/// A run whose services run in this process or as plain processes: started, driven,
/// stopped.
async fn driven(config: &Config, scratch: &Scratch, plan: &Plan) -> anyhow::Result<Value> {
    let running = setup::Running::start(config, scratch, plan, &[]).await?;
    let measured = variants::drive(&running, plan).await;
    running.stop().await?;
    measured
}

fn bus_name(bus: BusKind) -> &'static str {
    if bus == BusKind::Kafka {
        "kafka"
    } else {
        "embedded"
    }
}

/// Milliseconds, to 0.1.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}
