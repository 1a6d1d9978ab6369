//! `baton demo`: one meeting, start to finish, narrated. A fresh database of its own, the
//! sample org, all five services in this process on the embedded bus, a local stand-in for
//! the email provider — then a meeting_ended event for a real transcript, the steps as they
//! finish, the approval request as the rep sees it, an approval through the path a Slack click
//! takes, the email sent, the summary, the chained proposal job, execution metadata and the
//! audit trail. No Kafka and no configuration needed.

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
    sequences::Definitions,
    service::Service,
    store,
};
use baton_schemas::{
    Decision, DecisionChannel, Message, OrchestratorEvent, OrgId, PendingActionId, StepStatus,
};
use clap::Args;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    jobs::{clip, describe},
    mailbox::Mailbox,
    sample::{Sample, SampleData},
};

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
}

/// How long any one wait may take before the demo says what it was waiting for and stops.
const PATIENCE: Duration = Duration::from_secs(30);
const WIDTH: usize = 78;

/// The story's cast, read from the sample data: the org, the meeting, and its rep.
struct Cast {
    sample: Sample,
    org_id: OrgId,
    meeting: Value,
    rep: Value,
    rep_id: String,
    rep_name: String,
}

impl Cast {
    fn read(a: &DemoArgs) -> anyhow::Result<Cast> {
        let sample = SampleData::from_arg(a.data.clone()).load()?;
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
        let rep = org["users"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|u| u["id"] == rep_id.as_str())
            .cloned()
            .with_context(|| format!("{rep_id} is not a user of the org in {}", sample.from))?;
        let org_id: OrgId = org["id"]
            .as_str()
            .context("the org file has no id")?
            .parse()?;
        Ok(Cast {
            rep_name: rep["name"].as_str().unwrap_or(&rep_id).to_string(),
            sample,
            org_id,
            meeting,
            rep,
            rep_id,
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
    let cast = Cast::read(&a)?;

    println!("Baton demo — one sales meeting, start to finish");
    println!("(everything runs in this process on the embedded bus: no Kafka, no configuration)");
    heading("Setting up");
    fresh_database(&config, &a.database).await?;
    let svc = Service::start("demo", &config).await?;
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

    let shutdown = CancellationToken::new();
    let services = start_services(&config, &shutdown);
    line(
        "services",
        "router, context-loader, step-executor, approval-gateway, notifier: running",
    );
    let story = async {
        let demo = Demo {
            svc: &svc,
            pool: &svc.pool,
            org_id: &cast.org_id,
            rep_id: &cast.rep_id,
            first_name: cast.first_name(),
            mailbox: &mailbox,
            config: &config,
        };
        let rep = Rep {
            name: &cast.rep_name,
            slack_id: cast.rep["slack_user_id"].as_str().unwrap_or(&cast.rep_id),
        };
        demo.tell(&cast.meeting, &rep).await
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
    // Quiet hours follow the wall clock: clear the rep's so the demo is not deferred to the
    // morning (the notifier and router tests cover quiet hours).
    let mut tx = store::begin_for_org(&svc.pool, &cast.org_id).await?;
    sqlx::query(
        "UPDATE slack_user_preferences SET quiet_hours_start = NULL, quiet_hours_end = NULL WHERE user_id = $1",
    )
    .bind(&cast.rep_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    line(
        "",
        &format!(
            "(quiet hours off for {}, so nothing waits for their morning)",
            cast.rep_name
        ),
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
        println!("The services keep running (--keep); Ctrl-C stops them.");
    } else {
        println!("(`baton demo --keep` leaves the services running too.)");
    }
}

/// The five services as tasks; `wait` returns when one stops (with its error, if any).
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

fn start_services(config: &Config, shutdown: &CancellationToken) -> Running {
    let mut tasks = tokio::task::JoinSet::new();
    for s in crate::ops::ServiceName::ALL {
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
    rep_id: &'a str,
    first_name: &'a str,
    mailbox: &'a Mailbox,
    config: &'a Config,
}

/// The rep the story is about: their name, and who they are in Slack.
struct Rep<'a> {
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
    /// The story, chapter by chapter; returns the meeting's job.
    async fn tell(&self, meeting: &Value, rep: &Rep<'_>) -> anyhow::Result<Uuid> {
        let (_, defs) = baton_skills::config::load(self.config)?;
        let seq = defs
            .current("meeting_ended")
            .context("no meeting_ended sequence")?;
        let ev = self.meeting_ended(meeting, rep.name).await?;
        let job_id = self.routed(&ev, seq).await?;
        heading("3  The steps");
        let mut shown = Shown::default();
        let first_gate = "the first approval gate";
        let gate = self
            .follow(job_id, seq, &mut shown, first_gate, Self::open_gate)
            .await?;
        self.approve_email(job_id, seq, gate, &mut shown, rep)
            .await?;
        self.approve_the_rest(job_id, seq, &mut shown, rep).await?;
        self.summary(job_id, rep.name).await?;
        heading("7  The chained job");
        self.chained(job_id, &defs).await?;
        self.metadata_and_audit(job_id).await?;
        Ok(job_id)
    }

    /// 1: the recorder's webhook producer publishes meeting_ended.
    async fn meeting_ended(
        &self,
        meeting: &Value,
        rep_name: &str,
    ) -> anyhow::Result<OrchestratorEvent> {
        heading("1  A meeting ended");
        let others: Vec<&str> = meeting["attendees"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["role"] != "rep")
            .filter_map(|p| p["name"].as_str())
            .collect();
        println!(
            "   \"{}\" — {rep_name} with {}; {} transcript segments",
            meeting["title"].as_str().unwrap_or("?"),
            others.join(", "),
            count(&meeting["segments"])
        );
        let mut payload = json!({ "meeting_id": meeting["id"] });
        for k in ["deal_id", "contact_id"] {
            if let Some(v) = meeting.get(k).filter(|v| v.is_string()) {
                payload[k] = v.clone();
            }
        }
        let ev = OrchestratorEvent {
            event_id: Uuid::now_v7().to_string(),
            event_type: "meeting_ended".into(),
            source: "demo-recorder-webhook".into(),
            org_id: self.org_id.to_string(),
            user_id: self.rep_id.to_string(),
            payload: payload.clone(),
            parent_job_id: None,
            occurred_at: self.svc.now(),
            chain_depth: 0,
            dedupe_key: None,
        };
        self.svc
            .bus
            .publish(vec![self.svc.producer.envelope(&ev)?])
            .await?;
        println!(
            "   published meeting_ended {} on {} (as the recorder's webhook producer would)",
            short(&ev.event_id),
            self.svc.producer.topic(OrchestratorEvent::TOPIC)
        );
        println!("   payload {payload}");
        Ok(ev)
    }

    /// 2: the router's checks, the job, and the context it loaded.
    async fn routed(&self, ev: &OrchestratorEvent, seq: &Sequence) -> anyhow::Result<Uuid> {
        heading("2  The router takes it");
        let event_id = Uuid::parse_str(&ev.event_id)?;
        let job_id: Uuid = self
            .wait("the router to create the job", || async {
                let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
                Ok(
                    sqlx::query_scalar("SELECT id FROM sequence_jobs WHERE event_id = $1")
                        .bind(event_id)
                        .fetch_optional(&mut *tx)
                        .await?,
                )
            })
            .await?;
        // The router creates a job only once the event passed its checks; a deferred or paused
        // job says which one held it.
        let first = self.job(job_id).await?;
        match first.status {
            JobStatus::Deferred | JobStatus::Paused => bail!(
                "the router {} the job ({}): the demo expects it to run now",
                first.status,
                first.state["paused_reason"]
                    .as_str()
                    .unwrap_or("quiet hours")
            ),
            _ => println!(
                "   checked: the org and user exist, not a duplicate, feature {} on, AI budget left, not in quiet hours",
                seq.feature.as_deref().unwrap_or("-")
            ),
        }
        println!(
            "   job {} runs sequence meeting_ended ({} steps, pinned to version {})",
            short(&job_id.to_string()),
            seq.steps.len(),
            &seq.version[..12]
        );
        // What the context-loader actually loaded (tier 1 always; tier 2 for the payload's
        // contact and deal).
        let loaded: Vec<String> = self
            .wait("the context-loader's result", || async {
                let job = self.job(job_id).await?;
                Ok(job.state["context"].as_object().map(|c| {
                    let mut keys: Vec<String> = c
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| match v.as_array() {
                            Some(a) => format!("{k} ({})", a.len()),
                            None => k.replace('_', " "),
                        })
                        .collect();
                    keys.sort();
                    keys
                }))
            })
            .await?;
        println!("   context loaded: {}", loaded.join(", "));
        Ok(job_id)
    }

    /// 4 and 5: the email gate as the rep sees it, approved through the Slack path, and the
    /// email the provider received.
    async fn approve_email(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        gate: i32,
        shown: &mut Shown,
        rep: &Rep<'_>,
    ) -> anyhow::Result<()> {
        heading(&format!("4  What {} sees in Slack", self.first_name));
        let (pending, blocks, text) = self.approval_message(job_id, gate).await?;
        slack_box(rep.name, &blocks, &text);
        heading(&format!("5  {} clicks Approve", self.first_name));
        self.click(pending, rep.slack_id).await?;
        let sent = self
            .wait("the email provider to receive the send", || async {
                Ok(self.mailbox.sends().into_iter().next())
            })
            .await?;
        let approved = |j: &JobView| step_done(j, gate);
        self.follow(job_id, seq, shown, "the approved step to finish", approved)
            .await?;
        let (key, body) = sent;
        println!(
            "   ✉  the email provider received 1 request: \"{}\" to {} (Idempotency-Key {key})",
            body["input"]["draft"]["subject"].as_str().unwrap_or("?"),
            body["input"]["draft"]["to"]["name"]
                .as_str()
                .unwrap_or("the prospect"),
        );
        let (status, by): (String, String) = {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            sqlx::query_as(
                "SELECT status, COALESCE(decided_by, '') FROM slack_pending_actions WHERE id = $1",
            )
            .bind(pending.uuid())
            .fetch_one(&mut *tx)
            .await?
        };
        println!(
            "   the gate is {status} (by {by}); the notifier updates the original message to say so"
        );
        Ok(())
    }

    /// The task gate follows, if the meeting gave the rep tasks; approved the same way.
    async fn approve_the_rest(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        shown: &mut Shown,
        rep: &Rep<'_>,
    ) -> anyhow::Result<()> {
        let next = self
            .follow(job_id, seq, shown, "the next gate or the end", gate_or_end)
            .await?;
        if let Some(gate) = next {
            let (pending, blocks, text) = self.approval_message(job_id, gate).await?;
            println!();
            println!("   the next gate:");
            slack_box(rep.name, &blocks, &text);
            println!("   {} approves this one too", self.first_name);
            self.click(pending, rep.slack_id).await?;
            let completed = |j: &JobView| (j.status == JobStatus::Completed).then_some(());
            self.follow(job_id, seq, shown, "the job to complete", completed)
                .await?;
        }
        let tasks: i64 = {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            sqlx::query_scalar("SELECT count(*) FROM tasks WHERE source_job_id = $1")
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?
        };
        if tasks > 0 {
            println!("   {tasks} CRM tasks written (each with its own idempotency key)");
        }
        Ok(())
    }

    /// 6: the post-meeting summary as delivered.
    async fn summary(&self, job_id: Uuid, rep_name: &str) -> anyhow::Result<()> {
        heading("6  The summary in Slack (inform only, no buttons)");
        self.wait("the post-meeting summary", || async {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM web_inbox WHERE job_id = $1 AND kind = 'inform' AND blocks IS NOT NULL",
            )
            .bind(job_id)
            .fetch_one(&mut *tx)
            .await?;
            Ok((n > 0).then_some(()))
        })
        .await?;
        let informs: Vec<(Option<Value>, String)> = self
            .rows(
                "SELECT blocks, text FROM web_inbox WHERE job_id = $1 AND kind = 'inform' ORDER BY created_at",
                job_id,
            )
            .await?;
        for (blocks, text) in informs {
            slack_box(rep_name, &blocks.unwrap_or(Value::Null), &text);
        }
        Ok(())
    }

    /// 7: each follow-up job, followed until it waits or ends.
    async fn chained(&self, job_id: Uuid, defs: &Definitions) -> anyhow::Result<()> {
        let job = self.job(job_id).await?;
        let children: Vec<Uuid> = job.chain["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().and_then(|c| Uuid::parse_str(c).ok()))
            .collect();
        if children.is_empty() {
            println!("   this meeting queued no follow-up jobs");
        }
        for (n, child) in children.iter().enumerate() {
            if n > 0 {
                println!();
            }
            self.chained_job(*child, defs).await?;
        }
        Ok(())
    }

    /// One follow-up job: its link to the parent, its steps, and where it settled.
    async fn chained_job(&self, child: Uuid, defs: &Definitions) -> anyhow::Result<()> {
        let c = self.job(child).await?;
        println!(
            "   {} job {} — parent {} (chain depth {})",
            c.event_type,
            short(&child.to_string()),
            short(c.chain["parent"].as_str().unwrap_or("-")),
            c.depth
        );
        let Some(seq) = defs.current(&c.event_type) else {
            println!(
                "   (no sequence for {}: the router skipped it)",
                c.event_type
            );
            return Ok(());
        };
        let mut shown = Shown::default();
        let settled = self
            .follow(child, seq, &mut shown, "the chained job to settle", |j| {
                (j.status == JobStatus::AwaitingApproval
                    || j.status == JobStatus::Paused
                    || j.status.is_terminal())
                .then(|| (j.status, Self::open_gate(j)))
            })
            .await?;
        match settled {
            (_, Some(gate)) => {
                let (_, _, text) = self.approval_message(child, gate).await?;
                println!("   it waits at its own gate: \"{text}\"");
            }
            (status, None) => {
                let c = self.job(child).await?;
                match c.state["failure"].as_str() {
                    Some(f) if f.contains("not configured") => println!(
                        "   {status}: its step calls an edge function the demo does not run (the ✗ above says which setting)"
                    ),
                    Some(f) => println!("   {status}: {}", clip(f, 100)),
                    None => println!("   {status}"),
                }
            }
        }
        Ok(())
    }

    /// 8 and 9: the execution metadata and the audit trail.
    async fn metadata_and_audit(&self, job_id: Uuid) -> anyhow::Result<()> {
        heading("8  Execution metadata");
        let job = self.job(job_id).await?;
        let m = &job.state["execution_metadata"];
        println!(
            "   status {} · steps: {} succeeded, {} skipped, {} failed ({} run by the step-executor, the rest decided by the router)",
            m["status"].as_str().unwrap_or(job.status.as_str()),
            m["steps_completed"],
            m["steps_skipped"],
            m["steps_failed"],
            m["steps_attempted"],
        );
        println!(
            "   {} approval gates · {} follow-ups queued · {} ms from event to done · AI cost ${:.4}",
            m["approval_gates_hit"],
            m["followups_queued"],
            m["total_duration_ms"],
            m["total_ai_cost_usd"].as_f64().unwrap_or(0.0)
        );
        heading(&format!(
            "9  Audit trail of job {}",
            short(&job_id.to_string())
        ));
        type Audit = (chrono::DateTime<chrono::Utc>, String, String, Value);
        let audit: Vec<Audit> = self
            .rows(
                "SELECT occurred_at, service, action, detail FROM audit_log WHERE job_id = $1 ORDER BY occurred_at, id",
                job_id,
            )
            .await?;
        for (at, service, action, detail) in audit {
            let detail = compact(&detail, 56);
            println!(
                "   {}  {service:<16} {action:<22} {detail}",
                at.format("%H:%M:%S%.3f")
            );
        }
        Ok(())
    }

    /// Publishes the decision a Slack click on Approve produces: from the Slack user, on the
    /// button's pending action, through the approval-gateway.
    async fn click(&self, pending: PendingActionId, slack_user: &str) -> anyhow::Result<()> {
        baton_approval_gateway::publish_decision(
            self.svc,
            self.org_id,
            pending,
            Decision::Approve,
            slack_user,
            DecisionChannel::Slack,
            None,
        )
        .await?;
        println!(
            "   ApprovalDecision approve from Slack user {slack_user} on pending action {} (what the Approve button sends)",
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
                "SELECT status, context, event_chain, event_type, chain_depth FROM sequence_jobs WHERE id = $1",
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
                show_decided(i, step, outcome);
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

/// A step the step-executor ran: its mark, duration, cost and what it produced.
fn show_run(r: &RunView) {
    let what = match (&r.error, &r.output) {
        (Some(e), _) => clip(e, 110),
        (None, Some(o)) => describe(o),
        (None, None) => String::new(),
    };
    let mark = match r.status {
        StepStatus::Succeeded => "✓",
        StepStatus::Skipped => "–",
        StepStatus::Deferred => "…",
        StepStatus::Failed => "✗",
    };
    println!(
        "   {:>2} {:<22} {mark} {:>5} ms  ${:.4}  {what}",
        r.index + 1,
        r.name,
        r.ms,
        r.cost
    );
}

/// A step the router decided itself (step `i`).
fn show_decided(i: i32, step: &baton_core::sequence::Step, outcome: StepOutcome) {
    use baton_core::sequence::Action;
    let what = match (&step.action, outcome) {
        (Action::Followup(f), StepOutcome::Succeeded) => {
            format!("queued {} (a child job)", f.event)
        }
        (Action::Followup(f), _) => format!("{} not needed: its condition was false", f.event),
        (_, StepOutcome::Skipped) => {
            "skipped: its condition was false or the rep skipped it".into()
        }
        (_, StepOutcome::Succeeded) => "succeeded".into(),
        (_, StepOutcome::Failed) => "failed".into(),
    };
    let mark = if outcome == StepOutcome::Succeeded {
        "✓"
    } else {
        "–"
    };
    println!(
        "   {:>2} {:<22} {mark}           router  {what}",
        i + 1,
        step.name
    );
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

/// A Slack message as the rep sees it, boxed for the terminal: headers and sections as text
/// (mrkdwn bold and escapes undone, quotes kept), context lines, buttons in brackets.
fn slack_box(to: &str, blocks: &Value, text: &str) {
    let inner = WIDTH - 6;
    let title = format!("─ Slack · Baton → {to} ");
    println!(
        "   ┌{title}{}",
        "─".repeat(inner + 1 - title.chars().count().min(inner))
    );
    let mut out: Vec<String> = Vec::new();
    let Some(blocks) = blocks.as_array().filter(|b| !b.is_empty()) else {
        for l in text.lines() {
            out.extend(wrap(l, inner));
        }
        return finish_box(out);
    };
    for (n, b) in blocks.iter().enumerate() {
        if n > 0 && b["type"] != "actions" {
            out.push(String::new());
        }
        match b["type"].as_str().unwrap_or("") {
            "header" => {
                let t = b["text"]["text"].as_str().unwrap_or("");
                out.extend(wrap(&t.to_uppercase(), inner));
            }
            "section" => {
                for l in b["text"]["text"].as_str().unwrap_or("").lines() {
                    out.extend(wrap(&mrkdwn(l), inner));
                }
            }
            "context" => {
                let t: Vec<String> = b["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["text"].as_str())
                    .map(mrkdwn)
                    .collect();
                for l in wrap(&t.join("  "), inner - 2) {
                    out.push(format!("  {l}"));
                }
            }
            "actions" => {
                out.push(String::new());
                let buttons: Vec<String> = b["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["text"]["text"].as_str())
                    .map(|t| format!("[ {t} ]"))
                    .collect();
                out.push(buttons.join("  "));
            }
            _ => {}
        }
    }
    finish_box(out);
}

fn finish_box(lines: Vec<String>) {
    for l in lines {
        println!("   │ {l}");
    }
    println!("   └{}", "─".repeat(WIDTH - 5));
}

/// Slack mrkdwn to terminal text: `*bold*` markers dropped, `<!date^…|fallback>` shown as
/// its fallback, entities undone.
fn mrkdwn(s: &str) -> String {
    let mut s = s.to_string();
    while let Some(start) = s.find("<!date^") {
        let Some(end) = s[start..].find('>').map(|e| start + e) else {
            break;
        };
        let fallback = s[start..end]
            .rsplit_once('|')
            .map_or(String::new(), |(_, f)| f.to_string());
        s.replace_range(start..=end, &fallback);
    }
    s.replace('*', "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Word-wraps `s` to `width` columns, keeping a leading "> " quote on every line.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let (prefix, rest) = s.strip_prefix("> ").map_or(("", s), |r| ("│ ", r));
    let width = width - prefix.chars().count();
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in rest.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("{prefix}{cur}"));
            cur.clear();
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(format!("{prefix}{cur}"));
    }
    lines
}

/// An audit record's detail as `key=value` pairs (ids shortened), within `width` columns.
fn compact(detail: &Value, width: usize) -> String {
    let Some(m) = detail.as_object() else {
        return clip(&detail.to_string(), width);
    };
    let parts: Vec<String> = m
        .iter()
        .filter(|(_, v)| !v.is_null() && !v.is_object() && !v.is_array())
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let v = if Uuid::parse_str(&v).is_ok() || v.parse::<PendingActionId>().is_ok() {
                short(&v).to_string()
            } else {
                clip(&v, 24)
            };
            format!("{k}={v}")
        })
        .collect();
    clip(&parts.join(" "), width)
}

fn heading(s: &str) {
    println!();
    println!("{s}");
}

fn line(label: &str, s: &str) {
    println!("   {label:<11} {s}");
}

fn count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn short(id: &str) -> &str {
    &id[..id.len().min(13)]
}

/// The URL without a password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let user_end = s + 3 + url[s + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_string(),
    }
}
