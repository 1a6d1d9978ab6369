//! The PM5 run's world: a scratch database with the benchmark's tenants (`org-0…49`,
//! `user-0…499`, no quiet hours, no AI budget involved: the sequences have no AI step) and
//! its `sent_emails` table, the two sequences, and per run the services and the client.

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use baton_platform::{config::Config, service::Service};
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::{Plan, Variant, private_pg::PrivatePg, processes::Processes, tracker::Tracker};
use crate::{
    bench_seq::{Tasks, spawn},
    ops::ServiceName,
};

/// The sequences, built into the binary: the benchmark runs from any directory.
const SEQUENCES: [(&str, &str); 2] = [
    ("pm5.yaml", include_str!("../../bench/pm5.yaml")),
    ("pm5_gated.yaml", include_str!("../../bench/pm5_gated.yaml")),
];

/// The fault run's: the email through the run's HTTP endpoint (`skills.http.pm5_email`),
/// which only the fault run configures.
const CHAOS_SEQUENCES: [(&str, &str); 2] = [
    ("pm5_chaos.yaml", include_str!("../../bench/pm5_chaos.yaml")),
    (
        "pm5_chaos_gated.yaml",
        include_str!("../../bench/pm5_chaos_gated.yaml"),
    ),
];

/// The specification's side-effect table, written by the step-executor's login only.
const SENT_EMAILS: &str = "
CREATE TABLE IF NOT EXISTS sent_emails (
  meeting_id text PRIMARY KEY, body text NOT NULL,
  attempts int NOT NULL DEFAULT 1, sent_at timestamptz NOT NULL DEFAULT clock_timestamp());
GRANT SELECT, INSERT, UPDATE ON sent_emails TO baton_step_executor;";

const TENANTS: &str = "
INSERT INTO orgs (id, name) SELECT 'org-' || i, 'PM5 org ' || i FROM generate_series(0, 49) AS i;
INSERT INTO users (id, org_id, name, email)
SELECT 'user-' || k, 'org-' || (k % 50), 'PM5 user ' || k, 'user-' || k || '@pm5.invalid'
FROM generate_series(0, 499) AS k;";

/// Baton's durable state and the side effects, emptied before every run (tenants and
/// sequence definitions stay).
const WIPE: &str = "TRUNCATE bus_log, bus_offsets, inbox, outbox, sequence_jobs, step_runs,
    slack_pending_actions, timers, processed_events, ai_cost_ledger, notification_deliveries,
    skipped_events, audit_log, web_inbox, sent_emails CASCADE";

/// `services` started in this process until `shutdown`.
async fn in_process(
    c: &Config,
    shutdown: &CancellationToken,
    services: &[ServiceName],
) -> anyhow::Result<Tasks> {
    let mut tasks = Tasks::new();
    for s in services {
        match s {
            ServiceName::Router => spawn::<baton_router::Router>(c, shutdown, &mut tasks).await?,
            ServiceName::ContextLoader => {
                spawn::<baton_context_loader::ContextLoader>(c, shutdown, &mut tasks).await?
            }
            ServiceName::StepExecutor => {
                spawn::<baton_step_executor::Executor>(c, shutdown, &mut tasks).await?
            }
            ServiceName::ApprovalGateway => {
                spawn::<baton_approval_gateway::Gateway>(c, shutdown, &mut tasks).await?
            }
            ServiceName::Notifier => {
                spawn::<baton_notifier::Notifier>(c, shutdown, &mut tasks).await?
            }
            ServiceName::Ingress | ServiceName::Console => {
                anyhow::bail!("PM5 does not run the {}", s.name())
            }
        }
    }
    Ok(tasks)
}

/// The invocation's database, seeded, and the sequences' directory.
pub struct Scratch {
    db: crate::bench::Scratch,
    /// The fault run's own PostgreSQL, which the database lives on.
    pub private_pg: Option<PrivatePg>,
    pub owner: PgPool,
    sequences: PathBuf,
}

impl Scratch {
    pub async fn create(config: &Config, variant: Variant) -> anyhow::Result<Scratch> {
        let mut base = config.database.clone();
        let private_pg = if variant == Variant::Chaos {
            let pg = tokio::task::block_in_place(PrivatePg::start)?;
            base.url = pg.url("postgres").into();
            Some(pg)
        } else {
            None
        };
        let db = crate::bench::Scratch::create(&base).await?;
        let sequences =
            std::env::temp_dir().join(format!("baton-pm5-{}", uuid::Uuid::now_v7().simple()));
        let made = async {
            std::fs::create_dir_all(&sequences)
                .with_context(|| format!("creating {}", sequences.display()))?;
            let set = if variant == Variant::Chaos {
                CHAOS_SEQUENCES
            } else {
                SEQUENCES
            };
            for (name, text) in set {
                std::fs::write(sequences.join(name), text)?;
            }
            // The database's owner itself (DDL, tenants across orgs), not a service role.
            let owner = sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .connect(db.config.url.expose_secret())
                .await?;
            sqlx::raw_sql(SENT_EMAILS).execute(&owner).await?;
            sqlx::raw_sql(TENANTS).execute(&owner).await?;
            anyhow::Ok(owner)
        }
        .await;
        match made {
            Ok(owner) => Ok(Scratch {
                db,
                private_pg,
                owner,
                sequences,
            }),
            Err(e) => {
                db.drop_db().await;
                let _ = std::fs::remove_dir_all(&sequences);
                Err(e)
            }
        }
    }

    pub async fn wipe(&self) -> anyhow::Result<()> {
        sqlx::raw_sql(WIPE).execute(&self.owner).await?;
        Ok(())
    }

    pub async fn drop_db(self) {
        self.owner.close().await;
        self.db.drop_db().await;
        let _ = std::fs::remove_dir_all(&self.sequences);
    }
}

/// One run's services, the client's connection and its view of completions.
pub struct Running {
    pub client: Service,
    pub tracker: Tracker,
    pub owner: PgPool,
    services: Services,
    /// How long a killed service stays down before it is started again: the
    /// specification's 200 ms; on Kafka the consumer session timeout and 2 s more, since
    /// Tansu 0.6 can leave a replacement that joins before the dead member's session has
    /// expired without an assignment for minutes (Apache Kafka rebalances after the session
    /// timeout either way).
    pub restart_after: Duration,
    shutdown: CancellationToken,
    watcher: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Where the pipeline's services run: in this process (tasks), or each in a process of its
/// own (the crash check kills one).
enum Services {
    InProcess(Tasks),
    Processes(tokio::sync::Mutex<Processes>),
}

/// The services a PM5 variant runs through.
pub(super) fn services(variant: Variant) -> &'static [ServiceName] {
    const PIPELINE: [ServiceName; 3] = [
        ServiceName::Router,
        ServiceName::ContextLoader,
        ServiceName::StepExecutor,
    ];
    const GATED: [ServiceName; 5] = [
        ServiceName::Router,
        ServiceName::ContextLoader,
        ServiceName::StepExecutor,
        ServiceName::ApprovalGateway,
        ServiceName::Notifier,
    ];
    if matches!(variant, Variant::B | Variant::Chaos) {
        &GATED
    } else {
        &PIPELINE
    }
}

impl Running {
    /// The run's services (`vars`: what their processes get besides the run's configuration),
    /// the client and its audit consumer.
    pub async fn start(
        config: &Config,
        scratch: &Scratch,
        plan: &Plan,
        vars: &[(String, String)],
    ) -> anyhow::Result<Running> {
        let mut c = config.clone();
        c.database = scratch.db.config.clone();
        c.bus.kind = plan.bus;
        c.bus.topic_prefix = format!("pm5{}.", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        c.http.listen = None;
        c.skills.benchmark = true;
        c.sequences.dir = scratch.sequences.clone();
        c.notifier.slack_token = None;
        let shutdown = CancellationToken::new();
        let services = if plan.in_processes() {
            let p = Processes::start(&c, plan.config_file.clone(), services(plan.variant), vars)
                .await?;
            Services::Processes(tokio::sync::Mutex::new(p))
        } else {
            Services::InProcess(in_process(&c, &shutdown, services(plan.variant)).await?)
        };
        let client = Service::start_as_owner("bench", &c).await?;
        let (tracker, watcher) = Tracker::start(&client, shutdown.clone()).await?;
        let restart_after = if c.bus.kind == baton_platform::config::BusKind::Kafka {
            Duration::from_millis(u64::from(c.bus.kafka.session_timeout_ms) + 2_000)
        } else {
            Duration::from_millis(200)
        };
        Ok(Running {
            restart_after,
            client,
            tracker,
            owner: scratch.owner.clone(),
            services,
            shutdown,
            watcher,
        })
    }

    /// SIGKILL to `service`'s process (services run as processes only).
    pub async fn kill(&self, service: ServiceName) -> anyhow::Result<()> {
        self.processes()?.lock().await.kill(service).await
    }

    /// Starts `service`'s process again; how long it took to be ready.
    pub async fn restart(&self, service: ServiceName) -> anyhow::Result<Duration> {
        self.processes()?.lock().await.restart(service).await
    }

    /// Fails if a service process exited by itself.
    pub async fn check_processes(&self) -> anyhow::Result<()> {
        match &self.services {
            Services::Processes(p) => p.lock().await.check_alive(),
            Services::InProcess(_) => Ok(()),
        }
    }

    /// Resident memory (KiB) of each service process and of this one (the client).
    pub async fn memory(&self) -> anyhow::Result<std::collections::BTreeMap<String, u64>> {
        let mut m = self.processes()?.lock().await.memory();
        if let Some(own) = super::processes::rss_kib(std::process::id()) {
            m.insert("client (this process)".into(), own);
        }
        Ok(m)
    }

    fn processes(&self) -> anyhow::Result<&tokio::sync::Mutex<Processes>> {
        match &self.services {
            Services::Processes(p) => Ok(p),
            Services::InProcess(_) => anyhow::bail!("the services run in this process"),
        }
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        match self.services {
            Services::InProcess(tasks) => {
                for t in tasks {
                    t.await??;
                }
            }
            Services::Processes(p) => p.into_inner().stop().await?,
        }
        self.watcher.await??;
        self.client.pool.close().await;
        Ok(())
    }
}
