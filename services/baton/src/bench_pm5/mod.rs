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

mod setup;
mod tracker;
mod variants;
mod verify;

use std::time::Duration;

use baton_platform::config::{BusKind, Config};
use clap::ValueEnum;
use serde_json::{Value, json};

use setup::Scratch;

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
}

impl Variant {
    fn tag(self) -> &'static str {
        match self {
            Variant::A => "A",
            Variant::Rate => "R",
            Variant::B => "B",
        }
    }

    fn event_type(self) -> &'static str {
        match self {
            Variant::B => "pm5_gated",
            _ => "pm5",
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
}

pub async fn run(config: &Config, args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.reps > 0, "--reps must be at least 1");
    anyhow::ensure!(args.in_flight > 0, "--in-flight must be at least 1");
    let scratch = Scratch::create(config).await?;
    let result = all_buses(config, &scratch, args).await;
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
            (Variant::Rate, Some(r)) => r,
            (Variant::Rate, None) => {
                let (median, f) = repeat(config, scratch, args, Variant::A, bus, 0.0).await?;
                failed += f;
                (median / 2.0).round().max(1.0)
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
    for rep in 1..=args.reps {
        let plan = Plan {
            variant,
            bus,
            tag: format!("{}{rep}", variant.tag()),
            n: args.n.unwrap_or(match variant {
                Variant::A => 5000,
                Variant::Rate => ((30.0 * rate) as usize).min(5000),
                Variant::B => 2000,
            }),
            in_flight: args.in_flight,
            rate,
        };
        let report = one(config, scratch, &plan).await?;
        if report["verification"]["ok"] != json!(true) {
            failed += 1;
        }
        rates.push(report["runs_per_s"].as_f64().unwrap_or(0.0));
        println!("{report}");
    }
    let mut sorted = rates;
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if args.reps > 1 {
        let summary = json!({
            "summary": variant.tag(), "bus": bus_name(bus), "reps": args.reps,
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
    let running = setup::Running::start(config, scratch, plan).await?;
    let cpu = crate::cpu::Snapshot::now();
    let measured = variants::drive(&running, plan).await;
    let cores = cpu.cores();
    running.stop().await?;
    let mut report = measured?;
    let verification = verify::check(&scratch.owner, plan).await?;
    report["variant"] = json!(format!("{:?}", plan.variant).to_lowercase());
    report["bus"] = json!(bus_name(plan.bus));
    report["tag"] = json!(plan.tag);
    report["n"] = json!(plan.n);
    report["services"] = json!(
        "router, context-loader, step-executor (and for b the approval-gateway and notifier) in this process"
    );
    report["effect_in_step_transaction"] = json!(true);
    report["cpu_cores"] = cores.map_or(
        Value::Null,
        |c| json!({ "machine": c.machine, "postgres": c.postgres, "baton": c.own }),
    );
    report["verification"] = verification;
    Ok(report)
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
