//! The PM5 run's world: a scratch database with the benchmark's tenants (`org-0…49`,
//! `user-0…499`, no quiet hours, no AI budget involved: the sequences have no AI step) and
//! its `sent_emails` table, the two sequences, and per run the services and the client.

use std::path::PathBuf;

use anyhow::Context;
use baton_platform::{config::Config, service::Service};
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::{Plan, Variant, tracker::Tracker};
use crate::bench_seq::{Tasks, spawn};

/// The sequences, built into the binary: the benchmark runs from any directory.
const SEQUENCES: [(&str, &str); 2] = [
    ("pm5.yaml", include_str!("../../bench/pm5.yaml")),
    ("pm5_gated.yaml", include_str!("../../bench/pm5_gated.yaml")),
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

/// The invocation's database, seeded, and the sequences' directory.
pub struct Scratch {
    db: crate::bench::Scratch,
    pub owner: PgPool,
    sequences: PathBuf,
}

impl Scratch {
    pub async fn create(config: &Config) -> anyhow::Result<Scratch> {
        let db = crate::bench::Scratch::create(&config.database).await?;
        let sequences =
            std::env::temp_dir().join(format!("baton-pm5-{}", uuid::Uuid::now_v7().simple()));
        let made = async {
            std::fs::create_dir_all(&sequences)
                .with_context(|| format!("creating {}", sequences.display()))?;
            for (name, text) in SEQUENCES {
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
    shutdown: CancellationToken,
    tasks: Tasks,
    watcher: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    pub async fn start(config: &Config, scratch: &Scratch, plan: &Plan) -> anyhow::Result<Running> {
        let mut c = config.clone();
        c.database = scratch.db.config.clone();
        c.bus.kind = plan.bus;
        c.bus.topic_prefix = format!("pm5{}.", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        c.http.listen = None;
        c.skills.benchmark = true;
        c.sequences.dir = scratch.sequences.clone();
        c.notifier.slack_token = None;
        let shutdown = CancellationToken::new();
        let mut tasks = Tasks::new();
        spawn::<baton_router::Router>(&c, &shutdown, &mut tasks).await?;
        spawn::<baton_context_loader::ContextLoader>(&c, &shutdown, &mut tasks).await?;
        spawn::<baton_step_executor::Executor>(&c, &shutdown, &mut tasks).await?;
        if plan.variant == Variant::B {
            spawn::<baton_approval_gateway::Gateway>(&c, &shutdown, &mut tasks).await?;
            spawn::<baton_notifier::Notifier>(&c, &shutdown, &mut tasks).await?;
        }
        let client = Service::start_as_owner("bench", &c).await?;
        let (tracker, watcher) = Tracker::start(&client, shutdown.clone()).await?;
        Ok(Running {
            client,
            tracker,
            owner: scratch.owner.clone(),
            shutdown,
            tasks,
            watcher,
        })
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        for t in self.tasks {
            t.await??;
        }
        self.watcher.await??;
        self.client.pool.close().await;
        Ok(())
    }
}
