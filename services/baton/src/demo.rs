//! `baton demo`: one meeting, start to finish, narrated. A fresh database of its own, the
//! sample org, all five services in this process on the embedded bus, a local stand-in for
//! the email provider — then a recorder's `complete` webhook posted to the ingress (which
//! stores the transcript and publishes meeting_ended), the steps as they finish, the approval
//! request as the rep sees it, the rep's Approve click posted to the ingress signed as Slack
//! signs it, the email sent, the summary, the chained proposal job, execution metadata and
//! the audit trail. No Kafka and no configuration needed.

use std::{
    collections::BTreeSet,
    future::Future,
    path::PathBuf,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use baton_core::{job::StepOutcome, sequence::Sequence, status::JobStatus};
use baton_platform::{
    bus::Bus,
    config::{BusKind, Config},
    service::Service,
    store,
};
use baton_schemas::{OrchestratorEvent, OrgId, PendingActionId, StepStatus};
use clap::Args;
use secrecy::ExposeSecret;
use serde_json::Value;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    mailbox::Mailbox,
    provider_requests::{slack_click, slack_interaction},
    sample::{Sample, SampleData},
};

mod day;
mod meeting;
mod render;
mod webhooks;

use render::{count, heading, line, redact, short, show_decided, show_run};

#[derive(Args)]
pub struct DemoArgs {
    /// Keep the services running after the story, to explore with the other commands.
    #[arg(long)]
    keep: bool,
    /// The demo's own database on the configured server (dropped and created afresh).
    #[arg(long, default_value = "baton_demo")]
    database: String,
    /// A sample-data directory (org/<org>.json, meetings/) instead of the set built into baton.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The meeting whose transcript is ready (default: the sample data's first meeting).
    #[arg(long)]
    meeting: Option<String>,
    /// Which part of the day to tell (default: all of it).
    #[arg(long, value_enum, default_value_t)]
    scenario: day::Scenario,
    /// Run the services on the configured login (acting as database.service_role) when
    /// their own roles cannot log in to this server: row-level security does not bind them.
    #[arg(long)]
    insecure_dev: bool,
}

/// How long any one wait may take before the demo says what it was waiting for and stops.
const PATIENCE: Duration = Duration::from_secs(30);
const WIDTH: usize = 78;

/// The story's cast, read from the sample data: the org, the meeting, and its rep.
struct Cast {
    sample: Sample,
    org_id: OrgId,
    meeting: Value,
    rep_id: String,
    rep_name: String,
}

/// The sample org's user `id`.
fn org_user<'a>(sample: &'a Sample, id: &str) -> anyhow::Result<&'a Value> {
    sample.org["users"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["id"] == id)
        .with_context(|| format!("{id} is not a user of the org in {}", sample.from))
}

impl Cast {
    fn read(a: &DemoArgs) -> anyhow::Result<Cast> {
        // The sample's week becomes this week, so "today" in the story has its meetings.
        let today = chrono::Utc::now().date_naive();
        let sample = SampleData::from_arg(a.data.clone())
            .load()?
            .moved_to_week_of(today);
        let org = &sample.org;
        let meeting = match &a.meeting {
            Some(id) => sample.meetings.iter().find(|m| m["id"] == id.as_str()),
            None => sample.meetings.first(),
        }
        .cloned()
        .with_context(|| {
            format!(
                "{} has no meeting {}",
                sample.from,
                a.meeting.as_deref().unwrap_or("at all")
            )
        })?;
        let rep_id = meeting["organizer_user_id"]
            .as_str()
            .with_context(|| format!("meeting {} has no organizer_user_id", meeting["id"]))?
            .to_string();
        let rep = org_user(&sample, &rep_id)?;
        let org_id: OrgId = org["id"]
            .as_str()
            .context("the org file has no id")?
            .parse()?;
        Ok(Cast {
            rep_name: rep["name"].as_str().unwrap_or(&rep_id).to_string(),
            sample,
            org_id,
            meeting,
            rep_id,
        })
    }

    /// The org's user `id` as the story shows them.
    fn rep(&self, id: &str) -> anyhow::Result<Rep<'_>> {
        let user = org_user(&self.sample, id)?;
        let id = user["id"].as_str().unwrap_or_default();
        Ok(Rep {
            id,
            name: user["name"].as_str().unwrap_or(id),
            slack_id: user["slack_user_id"].as_str().unwrap_or(id),
        })
    }

    fn first_name(&self) -> &str {
        self.rep_name
            .split_whitespace()
            .next()
            .unwrap_or(&self.rep_name)
    }
}

/// The demo from end to end. Longer than most on purpose: it is the demo's outline, read top
/// to bottom (configuration, set-up, the services, the story, what to explore); each part that
/// does more than print is a function of its own.
pub async fn run(config: Config, a: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut config = config;
    config.bus.kind = BusKind::Embedded;
    anyhow::ensure!(
        a.database != config.database.database_name(),
        "--database {} is the configured database: the demo drops and recreates its database, so give it one of its own",
        a.database
    );
    config.database = config.database.with_database(&a.database)?;
    config.router.timer_poll_ms = config.router.timer_poll_ms.min(200);
    if a.insecure_dev {
        crate::ops::insecure_dev(&mut config);
    }
    let cast = Cast::read(&a)?;

    println!("Baton demo — one sales meeting, start to finish");
    println!("(everything runs in this process on the embedded bus: no Kafka, no configuration)");
    heading("Setting up");
    fresh_database(&config, &a.database).await?;
    let svc = Service::start_as_owner("demo", &config).await?;
    seed(&svc, &cast).await?;
    let mailbox = Mailbox::start().await?;
    config.skills.email_url = Some(mailbox.url.clone());
    line(
        "email",
        &format!(
            "a local stand-in for the provider at {} (records, sends nothing)",
            mailbox.url
        ),
    );
    let slack = if config.notifier.slack_token.is_some() {
        format!("Slack at {}", config.notifier.slack_base_url)
    } else {
        "Slack is not configured: messages go to the web inbox, as the console shows them"
            .to_string()
    };
    line("notifier", &slack);

    // The ingress takes webhooks on a free local port: the recorder's and Slack's requests
    // go there; the schedules stay off (they would add today's briefs and preps to the story).
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    config.ingress.listen = format!("127.0.0.1:{port}");
    config.schedules.enabled = false;
    let webhooks = webhooks::Webhooks::configure(&mut config)?;
    // With --keep, the console too, signed in by picking a user.
    config.console.dev_signin = a.keep;
    let shutdown = CancellationToken::new();
    let services = start_services(&config, &shutdown, a.keep);
    // With http.listen set, /metrics, /livez and /readyz as `baton run` serves them.
    let names = crate::ops::ServiceName::EVERY.map(crate::ops::ServiceName::name);
    let _ops = baton_platform::http::spawn_for_process(&config, &names, &shutdown).await?;
    if let Some(addr) = config.http.listen {
        line("ops", &format!("metrics on http://{addr}/metrics"));
    }
    line(
        "services",
        "router, context-loader, step-executor, approval-gateway, notifier: running",
    );
    line(
        "ingress",
        &format!(
            "webhooks and Slack interactivity on http://{} (schedules off in the demo)",
            config.ingress.listen
        ),
    );
    let story = async {
        let demo = Demo {
            svc: &svc,
            pool: &svc.pool,
            org_id: &cast.org_id,
            first_name: cast.first_name(),
            mailbox: &mailbox,
            config: &config,
            webhooks: &webhooks,
        };
        demo.day(a.scenario, &cast).await
    };
    let outcome = tokio::select! {
        r = story => r,
        r = services.wait() => Err(r.err().unwrap_or_else(|| anyhow::anyhow!("the services stopped"))),
    };
    let parent = match outcome {
        Ok(parent) => parent,
        Err(e) => {
            services.stop(&shutdown).await.ok();
            return Err(e);
        }
    };

    heading("Done");
    println!(
        "The whole story took {:.1} s. The demo database {} is left for exploring, e.g.:",
        started.elapsed().as_secs_f64(),
        a.database
    );
    explore(&config, &cast.org_id, parent, a.keep);
    if a.keep {
        let signals = baton_platform::shutdown::on_signals();
        tokio::select! {
            () = signals.cancelled() => {}
            r = services.wait() => r?,
        }
    }
    services.stop(&shutdown).await?;
    svc.pool.close().await;
    Ok(())
}

/// Drops the demo database if it is there, creates and migrates it afresh, and creates the
/// topics on its embedded bus.
async fn fresh_database(config: &Config, name: &str) -> anyhow::Result<()> {
    use sqlx::migrate::MigrateDatabase;
    let url = config.database.url.expose_secret();
    let exists = sqlx::Postgres::database_exists(url).await.map_err(|e| {
        if crate::pg::is_unreachable(&e) {
            crate::pg::unreachable("The demo", url, &e)
        } else {
            anyhow::Error::new(e)
                .context(format!("reaching PostgreSQL for the demo database {name}"))
        }
    })?;
    if exists {
        sqlx::Postgres::force_drop_database(url)
            .await
            .with_context(|| format!("dropping the previous demo database {name}"))?;
    }
    store::migrate(&config.database)
        .await
        .context("creating and migrating the demo database")?;
    let topics = crate::topic_names(&config.bus.topic_prefix);
    let pool = store::connect(&config.database).await?;
    baton_platform::bus::embedded::EmbeddedBus::new(pool, config.bus.partitions)
        .create_topics(&topics)
        .await?;
    line(
        "database",
        &format!(
            "{name} (fresh), {} migrations applied, {} topics on the embedded bus",
            store::MIGRATOR.iter().count(),
            topics.len()
        ),
    );
    Ok(())
}

/// Seeds the sample org and its meetings, with the rep's quiet hours off.
async fn seed(svc: &Service, cast: &Cast) -> anyhow::Result<()> {
    cast.sample.seed(&svc.pool).await?;
    let (org, meetings) = (&cast.sample.org, &cast.sample.meetings);
    line(
        "sample org",
        &format!(
            "{}: {} users, {} contacts, {} deals; {} meeting transcript{}",
            org["name"].as_str().unwrap_or(cast.org_id.as_str()),
            count(&org["users"]),
            count(&org["contacts"]),
            count(&org["deals"]),
            meetings.len(),
            if meetings.len() == 1 { "" } else { "s" }
        ),
    );
    // Quiet hours follow the wall clock: clear the org's so the demo is not deferred to the
    // morning (the notifier and router tests cover quiet hours).
    let mut tx = store::begin_for_org(&svc.pool, &cast.org_id).await?;
    sqlx::query(
        "UPDATE slack_user_preferences SET quiet_hours_start = NULL, quiet_hours_end = NULL",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    line(
        "",
        "(quiet hours off for the org's users, so nothing waits for their morning)",
    );
    Ok(())
}

/// The commands to explore what the story left behind.
fn explore(config: &Config, org_id: &OrgId, parent: Uuid, keep: bool) {
    let env = format!(
        "BATON_DATABASE__URL={}",
        redact(config.database.url.expose_secret())
    );
    println!("  {env} cargo run -p baton -- jobs list --org {org_id}");
    println!("  {env} cargo run -p baton -- jobs show {parent} --org {org_id}");
    if keep {
        println!("  {env} cargo run -p baton -- approvals list --org {org_id}");
        println!(
            "  the console: http://{}/runs/{parent} (pick a user to sign in)",
            config.console.listen
        );
        println!("The services keep running (--keep); Ctrl-C stops them.");
    } else {
        println!("(`baton demo --keep` leaves the services running too.)");
    }
}

/// The five services and the ingress as tasks; `wait` returns when one stops (with its
/// error, if any).
struct Running {
    tasks: tokio::sync::Mutex<tokio::task::JoinSet<anyhow::Result<()>>>,
}

impl Running {
    async fn wait(&self) -> anyhow::Result<()> {
        let mut tasks = self.tasks.lock().await;
        match tasks.join_next().await {
            Some(r) => r.context("a service panicked")?,
            None => std::future::pending().await,
        }
    }

    /// Cancels the services and waits (a while) for them to finish what they hold.
    async fn stop(self, shutdown: &CancellationToken) -> anyhow::Result<()> {
        shutdown.cancel();
        let mut tasks = self.tasks.into_inner();
        let all = async {
            let mut result = Ok(());
            while let Some(r) = tasks.join_next().await {
                if let Err(e) = r.context("a service panicked").and_then(|r| r) {
                    result = Err(e);
                }
            }
            result
        };
        tokio::time::timeout(Duration::from_secs(10), all)
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the services did not stop within 10 s")))
    }
}

/// Every service, and with `console` the console.
fn start_services(config: &Config, shutdown: &CancellationToken, console: bool) -> Running {
    use crate::ops::ServiceName;
    let mut tasks = tokio::task::JoinSet::new();
    let console = console.then_some(ServiceName::Console);
    for s in ServiceName::EVERY.into_iter().chain(console) {
        let (config, shutdown) = (config.clone(), shutdown.clone());
        tasks.spawn(async move {
            s.launch(config, shutdown)
                .await
                .with_context(|| format!("{s:?}"))
        });
    }
    Running {
        tasks: tokio::sync::Mutex::new(tasks),
    }
}

struct Demo<'a> {
    svc: &'a Service,
    pool: &'a PgPool,
    org_id: &'a OrgId,
    first_name: &'a str,
    mailbox: &'a Mailbox,
    config: &'a Config,
    /// The recorder's and Slack's requests to the ingress.
    webhooks: &'a webhooks::Webhooks,
}

/// The rep a chapter is about: their user id, name, and who they are in Slack.
struct Rep<'a> {
    id: &'a str,
    name: &'a str,
    slack_id: &'a str,
}

/// A job as the demo reads it.
struct JobView {
    status: JobStatus,
    state: Value,
    chain: Value,
    event_type: String,
    depth: i32,
}

/// A finished step run.
struct RunView {
    index: i32,
    name: String,
    attempt: i32,
    status: StepStatus,
    ms: i64,
    cost: f64,
    output: Option<Value>,
    error: Option<String>,
}

impl Demo<'_> {
    /// Publishes an event on `baton.events` for `user`, as a producer would.
    async fn publish(
        &self,
        event_type: &str,
        source: &str,
        user: &str,
        payload: Value,
    ) -> anyhow::Result<OrchestratorEvent> {
        let ev = OrchestratorEvent {
            event_id: Uuid::now_v7().to_string(),
            event_type: event_type.into(),
            source: source.into(),
            org_id: self.org_id.to_string(),
            user_id: user.into(),
            payload,
            parent_job_id: None,
            occurred_at: self.svc.now(),
            chain_depth: 0,
            dedupe_key: None,
        };
        self.svc
            .bus
            .publish(vec![self.svc.producer.envelope(&ev)?])
            .await?;
        Ok(ev)
    }

    /// The job the router made of `ev`, once it has.
    async fn job_of(&self, event_id: &str) -> anyhow::Result<Uuid> {
        let event_id = Uuid::parse_str(event_id)?;
        self.wait("the router to create the job", || async {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            Ok(
                sqlx::query_scalar("SELECT id FROM sequence_jobs WHERE event_id = $1")
                    .bind(event_id)
                    .fetch_optional(&mut *tx)
                    .await?,
            )
        })
        .await
    }

    /// The inform-only messages `job` delivered (blocks, text), once there is one.
    async fn delivered(&self, job: Uuid) -> anyhow::Result<Vec<(Option<Value>, String)>> {
        self.wait("the message to reach the rep", || async {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM web_inbox WHERE job_id = $1 AND kind = 'inform' AND blocks IS NOT NULL",
            )
            .bind(job)
            .fetch_one(&mut *tx)
            .await?;
            Ok((n > 0).then_some(()))
        })
        .await?;
        self.rows(
            "SELECT blocks, text FROM web_inbox WHERE job_id = $1 AND kind = 'inform' ORDER BY created_at",
            job,
        )
        .await
    }

    /// The rep clicks Approve on gate `pending` in Slack: Slack's signed request to the
    /// ingress, which publishes the decision for the approval-gateway to authorise.
    async fn click(&self, pending: PendingActionId, slack_user: &str) -> anyhow::Result<()> {
        let mut tx = baton_platform::store::begin_for_org(self.pool, self.org_id).await?;
        let team: String = sqlx::query_scalar(
            "SELECT slack_team_id FROM slack_user_mappings WHERE slack_user_id = $1",
        )
        .bind(slack_user)
        .fetch_one(&mut *tx)
        .await
        .context("the rep's Slack workspace")?;
        tx.commit().await?;
        let trigger = format!("demo.{}", Uuid::new_v4().simple());
        let click = slack_click(&team, slack_user, "approve", &pending.to_string(), &trigger);
        let request = slack_interaction(self.webhooks.slack_secret(), &click);
        let path = "/slack/interactivity";
        let status = self.webhooks.post(path, request).await?;
        println!(
            "   Slack posted the click to {} → {status}: ApprovalDecision approve from Slack user {slack_user} on pending action {}",
            self.webhooks.url(path),
            short(&pending.to_string())
        );
        Ok(())
    }

    /// Every row `sql` returns for `job` (`$1`), read as the demo's org.
    async fn rows<T>(&self, sql: &'static str, job: Uuid) -> anyhow::Result<Vec<T>>
    where
        T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
        Ok(sqlx::query_as(sql).bind(job).fetch_all(&mut *tx).await?)
    }

    async fn wait<T, F, Fut>(&self, what: &str, mut probe: F) -> anyhow::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = anyhow::Result<Option<T>>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(v) = probe().await? {
                return Ok(v);
            }
            if Instant::now() > deadline {
                bail!("gave up after {} s waiting for {what}", PATIENCE.as_secs());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn job(&self, id: Uuid) -> anyhow::Result<JobView> {
        let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
        let (status, state, chain, event_type, depth): (String, Value, Value, String, i32) =
            sqlx::query_as(
                "SELECT status, baton_job_state(sequence_jobs), event_chain, event_type, chain_depth
                 FROM sequence_jobs WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        Ok(JobView {
            status: status.parse()?,
            state,
            chain,
            event_type,
            depth,
        })
    }

    async fn runs(&self, job: Uuid) -> anyhow::Result<Vec<RunView>> {
        type Row = (
            i32,
            String,
            i32,
            String,
            Option<i64>,
            f64,
            Option<Value>,
            Option<String>,
        );
        let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT step_index, step_name, attempt, status, duration_ms, cost_usd::float8, output, error
             FROM step_runs WHERE job_id = $1 ORDER BY finished_at, step_index",
        )
        .bind(job)
        .fetch_all(&mut *tx)
        .await?;
        rows.into_iter()
            .map(|(index, name, attempt, status, ms, cost, output, error)| {
                Ok(RunView {
                    index,
                    name,
                    attempt,
                    status: status.parse()?,
                    ms: ms.unwrap_or(0),
                    cost,
                    output,
                    error,
                })
            })
            .collect()
    }

    /// Prints what finished since the last look; returns the job as it is now.
    async fn show_progress(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        shown: &mut Shown,
    ) -> anyhow::Result<JobView> {
        let job = self.job(job_id).await?;
        let runs = self.runs(job_id).await?;
        for r in &runs {
            if shown.runs.insert((r.index, r.attempt)) {
                show_run(r);
            }
        }
        // Steps the router decided itself: follow-ups, `when` false, skipped gates.
        let ran: BTreeSet<i32> = runs.iter().map(|r| r.index).collect();
        let decided = job.state["steps_completed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let outcome = serde_json::from_value::<StepOutcome>(p.get(1)?.clone()).ok()?;
                Some((p.get(0)?.as_i64()? as i32, outcome))
            });
        for (i, outcome) in decided {
            if ran.contains(&i) || !shown.decided.insert(i) {
                continue;
            }
            if let Some(step) = seq.steps.get(i as usize) {
                show_decided(i, step, outcome, &job.state["outputs"][&step.name]);
            }
        }
        for i in job.state["pending_approvals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
        {
            if shown.gates.insert(i as i32)
                && let Some(step) = seq.steps.get(i as usize)
            {
                let pattern = step.approval.as_ref().map_or("approval", |a| &a.pattern);
                println!(
                    "   {:>2} {:<22} ⏸           waiting for {} ({pattern} gate)",
                    i + 1,
                    step.name,
                    self.first_name
                );
            }
        }
        Ok(job)
    }

    async fn follow<T>(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        shown: &mut Shown,
        what: &str,
        mut done: impl FnMut(&JobView) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let job = self.show_progress(job_id, seq, shown).await?;
            if let Some(v) = done(&job) {
                return Ok(v);
            }
            if matches!(
                job.status,
                JobStatus::Failed | JobStatus::Cancelled | JobStatus::Paused
            ) {
                bail!(
                    "job {job_id} is {} ({}), not what the demo expected",
                    job.status,
                    job.state["failure"]
                        .as_str()
                        .or(job.state["paused_reason"].as_str())
                        .unwrap_or("no reason recorded")
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "gave up after {} s waiting for {what} (job {job_id} is {})",
                    PATIENCE.as_secs(),
                    job.status
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn open_gate(job: &JobView) -> Option<i32> {
        (job.status == JobStatus::AwaitingApproval)
            .then(|| job.state["pending_approvals"][0].as_i64())
            .flatten()
            .map(|i| i as i32)
    }

    /// The approval notification for `job`'s gate at `step`: (pending action, blocks, text).
    async fn approval_message(
        &self,
        job: Uuid,
        step: i32,
    ) -> anyhow::Result<(PendingActionId, Value, String)> {
        self.wait("the approval request to reach the rep", || async {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            let row: Option<(Uuid, Value, String)> = sqlx::query_as(
                "SELECT p.id, COALESCE(w.blocks, 'null'::jsonb), w.text
                 FROM slack_pending_actions p JOIN web_inbox w ON w.pending_action_id = p.id
                 WHERE p.job_id = $1 AND p.step_index = $2 AND w.kind = 'approval'
                 ORDER BY w.created_at LIMIT 1",
            )
            .bind(job)
            .bind(step)
            .fetch_optional(&mut *tx)
            .await?;
            Ok(row.map(|(id, blocks, text)| (PendingActionId::from_uuid(id), blocks, text)))
        })
        .await
    }
}

/// The job finished step `step`.
fn step_done(j: &JobView, step: i32) -> Option<()> {
    j.state["steps_completed"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p.get(0).and_then(Value::as_i64) == Some(i64::from(step)))
        .then_some(())
}

/// The job's next open gate (`Some(Some(step))`), or that it completed (`Some(None)`).
fn gate_or_end(j: &JobView) -> Option<Option<i32>> {
    if j.status == JobStatus::Completed {
        Some(None)
    } else {
        Demo::open_gate(j).map(Some)
    }
}

#[derive(Default)]
struct Shown {
    runs: BTreeSet<(i32, i32)>,
    decided: BTreeSet<i32>,
    gates: BTreeSet<i32>,
}
