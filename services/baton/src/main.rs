//! `baton`: the command line.

mod audit;
mod bench;
mod bench_ingress;
mod bench_pm5;
mod bench_seq;
mod bench_skills;
mod catalog;
mod connections;
mod contacts;
mod cpu;
mod deadletters;
mod demo;
mod jobs;
mod mailbox;
mod ops;
mod pg;
mod provider_requests;
mod router_timer;
mod sample;
mod scan;
mod schedules;

use std::path::PathBuf;

use anyhow::Context;
use baton_platform::{
    bus::{Bus, embedded::EmbeddedBus, kafka::KafkaBus},
    config::{BusKind, Config},
    store,
};
use baton_schemas::Topic;
use clap::{Parser, Subcommand};

/// mimalloc, not glibc malloc: a MeetingBaaS `complete` spent a seventh of its CPU in
/// glibc's malloc and free (`baton bench ingress`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "baton",
    version,
    about = "Event-driven orchestrator for proactive sales work"
)]
struct Cli {
    /// TOML configuration file (defaults, then this file, then BATON_* variables).
    #[arg(long, global = true, env = "BATON_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database if missing, apply migrations, and create the topics (idempotent).
    Migrate,
    /// The configuration: a commented sample of every key, or check the one in effect.
    Config {
        #[command(subcommand)]
        what: ConfigCmd,
    },
    /// Delete inbox rows and embedded-log entries past their retention (one pass).
    Prune,
    /// Validate or show the sequence definitions.
    Sequences {
        #[command(subcommand)]
        what: catalog::SequencesCmd,
    },
    /// List or run skills.
    Skills {
        #[command(subcommand)]
        what: catalog::SkillsCmd,
    },
    /// The whole story on one meeting, narrated: a fresh demo database, the sample org, all
    /// five services on the embedded bus, a meeting_ended event through to the approval, the
    /// email, the summary, the chained job and the audit trail. No Kafka, no configuration.
    Demo(demo::DemoArgs),
    /// Development: create and migrate the database, seed the sample org (with --seed), and
    /// run every service in this process on the embedded bus. No configuration needed.
    Dev {
        /// Seed the sample org and meetings first: the built-in set, or this directory
        /// (laid out like services/baton/sample: org/<org>.json, meetings/).
        #[arg(long, num_args = 0..=1, value_name = "DIR")]
        seed: Option<Option<PathBuf>>,
        /// Run the services on the configured login (acting as database.service_role) when
        /// their own roles cannot log in to this server: row-level security does not bind
        /// them. A development machine only.
        #[arg(long)]
        insecure_dev: bool,
    },
    /// The audit trail as published: follow it.
    Audit {
        #[command(subcommand)]
        what: audit::AuditCmd,
    },
    /// Dead letters: list, show, replay.
    Deadletters {
        #[command(subcommand)]
        what: deadletters::DeadlettersCmd,
    },
    /// Connections: an org's Slack workspaces and users' mailboxes, stored encrypted.
    Connections {
        #[command(subcommand)]
        what: connections::ConnectionsCmd,
    },
    /// Contacts: erase one's personal data.
    Contacts {
        #[command(subcommand)]
        what: contacts::ContactsCmd,
    },
    /// The web console alone (`console.listen`): runs, approvals, the web inbox.
    Console,
    /// Run services in this process (all of them when none is named).
    Run {
        #[arg(value_enum)]
        services: Vec<ops::ServiceName>,
    },
    /// Load the sample org and its meetings into the database: the set built into baton, or
    /// a directory laid out like services/baton/sample (org/<org>.json, meetings/).
    Seed {
        /// The sample-data directory (default: the built-in set).
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Publish an event onto baton.events, as a webhook or cron producer would.
    Publish(jobs::PublishArgs),
    /// List jobs, or show one with its steps, gates, children and audit trail.
    Jobs {
        #[command(subcommand)]
        what: jobs::JobsCmd,
    },
    /// The schedules the ingress fires: list an org's next firings.
    Schedules {
        #[command(subcommand)]
        what: schedules::SchedulesCmd,
    },
    /// Run a scan now: `pipeline` emits one stale_deal_revival per stale deal.
    Scan {
        #[command(subcommand)]
        what: scan::ScanCmd,
    },
    /// List and decide approval gates.
    Approvals {
        #[command(subcommand)]
        what: ops::ApprovalsCmd,
    },
    /// Measure throughput and latency.
    Bench {
        #[command(subcommand)]
        what: bench::What,
    },
}

#[derive(Subcommand)]
enum ConfigCmd {
    /// Print a commented configuration file: every key, its default and what it does.
    Sample,
    /// Load the configuration in effect (defaults, --config file, BATON_* variables) and say
    /// whether it is valid; every problem is named.
    Check,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Config { what } = &cli.command {
        return config_cmd(what, cli.config.as_deref());
    }
    let mut config = Config::load(cli.config.as_deref())?;
    if matches!(cli.command, Command::Demo(_))
        && std::env::var_os("BATON_TELEMETRY__LOG_FILTER").is_none()
    {
        // The demo narrates; service logs would drown it (set the filter to see them).
        config.telemetry.log_filter = "error".into();
    }
    let _telemetry =
        baton_platform::telemetry::init("cli", &config.telemetry).context("starting telemetry")?;
    // What `baton publish` checks before publishing is what the consumers will enforce.
    baton_schemas::limits::set(config.limits);
    match cli.command {
        Command::Migrate => migrate(&config).await,
        Command::Config { what } => config_cmd(&what, cli.config.as_deref()),
        Command::Prune => {
            let pool = store::connect(&config.database).await?;
            let pruned = baton_platform::retention::prune(&pool, &config.bus.retention).await?;
            let r = &config.bus.retention;
            println!(
                "pruned {} inbox rows (older than {} h) and {} log entries (consumed by every group, older than {} h)",
                pruned.inbox, r.inbox_hours, pruned.log, r.log_hours
            );
            println!(
                "pruned {} audit records (older than {} days), {} skipped events (older than {} days), {} expired dedupe claims, {} step attempts (of jobs finished over {} days ago), {} webhook receipts (older than {} days)",
                pruned.audit,
                r.audit_days,
                pruned.skipped,
                r.skipped_days,
                pruned.processed,
                pruned.step_runs,
                r.step_run_days,
                pruned.webhooks,
                r.webhook_days
            );
            Ok(())
        }
        Command::Bench { what } => bench::run(&config, cli.config.as_deref(), what).await,
        Command::Sequences { what } => catalog::sequences(&config, what).await,
        Command::Skills { what } => catalog::skills(&config, what).await,
        Command::Demo(args) => demo::run(config, args).await,
        Command::Console => ops::run_services(config, vec![ops::ServiceName::Console]).await,
        Command::Run { services } => {
            baton_platform::failpoints::arm_from_env()?;
            ops::run_services(config, services).await
        }
        Command::Dev { seed, insecure_dev } => {
            let mut config = config;
            if insecure_dev {
                ops::insecure_dev(&mut config);
            }
            if config.bus.kind != BusKind::Embedded {
                println!("baton dev runs on the embedded bus (bus.kind = kafka is ignored here)");
                config.bus.kind = BusKind::Embedded;
            }
            migrate(&config).await?;
            if let Some(dir) = seed {
                ops::seed(&config, &sample::SampleData::from_arg(dir)).await?;
            }
            // The console too, signed in by picking a user.
            config.console.dev_signin = true;
            println!(
                "console: http://{} (pick a user to sign in)",
                config.console.listen
            );
            let mut all = ops::ServiceName::EVERY.to_vec();
            all.push(ops::ServiceName::Console);
            ops::run_services(config, all).await
        }
        Command::Seed { data } => ops::seed(&config, &sample::SampleData::from_arg(data)).await,
        Command::Approvals { what } => ops::approvals(&config, what).await,
        Command::Publish(args) => jobs::publish(&config, args).await,
        Command::Jobs { what } => jobs::jobs(&config, what).await,
        Command::Scan { what } => scan::scan(&config, what).await,
        Command::Schedules { what } => schedules::schedules(&config, what).await,
        Command::Contacts { what } => contacts::contacts(&config, what).await,
        Command::Connections { what } => connections::connections(&config, what).await,
        Command::Deadletters { what } => deadletters::deadletters(&config, what).await,
        Command::Audit { what } => audit::audit(&config, what).await,
    }
}

/// `baton config sample|check`: needs no valid configuration to print the sample.
fn config_cmd(what: &ConfigCmd, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    match what {
        ConfigCmd::Sample => {
            print!("{}", baton_platform::config::SAMPLE);
            Ok(())
        }
        ConfigCmd::Check => {
            Config::load(file)?;
            println!(
                "the configuration is valid ({})",
                file.map_or("defaults and BATON_* variables".to_string(), |f| format!(
                    "{} and BATON_* variables",
                    f.display()
                ))
            );
            Ok(())
        }
    }
}

/// All topic names under the configured prefix.
pub fn topic_names(prefix: &str) -> Vec<String> {
    Topic::ALL.iter().map(|t| t.name(prefix)).collect()
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    println!("applying migrations…");
    store::migrate(&config.database)
        .await
        .context("migrating the database (database.url)")?;
    println!("  database is at the latest migration");
    let topics = topic_names(&config.bus.topic_prefix);
    match config.bus.kind {
        BusKind::Embedded => {
            let pool = store::connect(&config.database).await?;
            EmbeddedBus::new(pool, config.bus.partitions)
                .create_topics(&topics)
                .await?;
        }
        BusKind::Kafka => {
            KafkaBus::new(
                &config.bus.kafka,
                config.bus.partitions,
                config.bus.replication_factor,
            )?
            .create_topics(&topics)
            .await
            .with_context(|| {
                format!("creating topics on {}", config.bus.kafka.bootstrap_servers)
            })?;
        }
    }
    if let Some(url) = &config.bus.schema_registry_url {
        let wire = baton_platform::wire::Wire::connect(Some(url), &config.bus.topic_prefix)
            .await
            .context("registering schemas (bus.schema_registry_url)")?;
        println!(
            "  schemas registered at {url} (subjects <topic>-value); events schema id {}",
            wire.schema_id::<baton_schemas::OrchestratorEvent>()
                .map_or("?".to_string(), |id| id.to_string())
        );
    }
    println!(
        "  {} topics ready on the {} bus ({} partitions each): {}",
        topics.len(),
        match config.bus.kind {
            BusKind::Embedded => "embedded",
            BusKind::Kafka => "kafka",
        },
        config.bus.partitions,
        topics.join(", ")
    );
    Ok(())
}
