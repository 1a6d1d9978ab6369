//! `baton bench sequencing`: meeting_ended jobs/s and steps/s through the three sequencing
//! services (in this process), and event → awaiting_approval latency, on each bus. Runs in a
//! scratch database seeded from the sample data.

use std::{sync::Arc, time::Instant};

use baton_core::{clock::SystemClock, status::JobStatus};
use baton_platform::{
    bus::Bus,
    component::Component,
    config::{BusKind, Config, DatabaseConfig},
    service::Service,
};
use baton_schemas::OrchestratorEvent;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::sample::SampleData;

pub struct Sizes {
    pub jobs: usize,
    pub latency_samples: usize,
}

/// Seeds the sample org and meetings into the benchmark's database.
/// Returns the org's id and the meetings.
async fn seed(db: &DatabaseConfig, data: &SampleData) -> anyhow::Result<(String, Vec<Value>)> {
    let sample = data.load()?;
    let pool = baton_platform::store::connect(db).await?;
    let org_id = sample.seed(&pool).await?;
    pool.close().await;
    Ok((org_id, sample.meetings))
}

fn event(m: &Value) -> OrchestratorEvent {
    let id = uuid::Uuid::now_v7().to_string();
    OrchestratorEvent {
        event_id: id.clone(),
        event_type: "meeting_ended".into(),
        source: "bench".into(),
        org_id: m["org_id"].as_str().unwrap_or_default().into(),
        user_id: m["organizer_user_id"].as_str().unwrap_or_default().into(),
        payload: json!({ "meeting_id": m["id"], "deal_id": m["deal_id"], "contact_id": m["contact_id"] }),
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        // Every event its own dedupe key: the same meetings are replayed many times.
        dedupe_key: Some(id),
    }
}

/// Builds service `C` on the system clock and runs it as a task until `shutdown`.
pub(crate) async fn spawn<C: Component>(
    config: &Config,
    shutdown: &CancellationToken,
    tasks: &mut Tasks,
) -> anyhow::Result<()> {
    let c = C::build(config, Arc::new(SystemClock)).await?;
    tasks.push(tokio::spawn(c.run(shutdown.clone())));
    Ok(())
}

async fn count(pool: &PgPool, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await?)
}

/// The services' configuration for one bus: the scratch database, fresh topics, no ops
/// endpoints; and the bus's name.
fn bench_config(config: &Config, db: &DatabaseConfig, kind: BusKind) -> (Config, &'static str) {
    let mut c = config.clone();
    c.database = db.clone();
    c.bus.kind = kind;
    c.bus.topic_prefix = format!("bench{}.", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    c.http.listen = None;
    let name = if kind == BusKind::Kafka {
        "kafka"
    } else {
        "embedded"
    };
    (c, name)
}

/// Quiet hours off and a budget that never pauses: the benchmarks measure the pipeline.
async fn open_the_gates(owner: &PgPool) -> anyhow::Result<()> {
    sqlx::raw_sql(
        "UPDATE slack_user_preferences SET quiet_hours_start = NULL, quiet_hours_end = NULL;
         UPDATE orgs SET ai_monthly_budget_usd = 1000000;",
    )
    .execute(owner)
    .await?;
    Ok(())
}

/// What is measured: meeting_ended jobs through the three sequencing services, or gates
/// decided through all five (`baton bench approvals`: the notifier without Slack, web inbox
/// only, and a local email provider; jobs brought to their email gate first, then decided
/// through the approval-gateway as a Slack click would be).
pub enum Workload {
    Jobs(Sizes),
    Approvals {
        gates: usize,
        latency_samples: usize,
    },
}

pub async fn run(
    config: &Config,
    db: &DatabaseConfig,
    owner: &PgPool,
    buses: &[BusKind],
    data: &SampleData,
    workload: &Workload,
) -> anyhow::Result<()> {
    let (org, meetings) = seed(db, data).await?;
    open_the_gates(owner).await?;
    let mailbox = crate::mailbox::Mailbox::start().await?;
    for &kind in buses {
        let (mut c, name) = bench_config(config, db, kind);
        c.skills.email_url = Some(mailbox.url.clone());
        c.notifier.slack_token = None;
        let shutdown = CancellationToken::new();
        let tasks = start_services(&c, &shutdown, workload, name).await?;
        let publisher = Service::start_as_owner("bench", &c).await?;
        let result = match workload {
            Workload::Jobs(sizes) => measure(&publisher, owner, &meetings, sizes).await,
            Workload::Approvals {
                gates,
                latency_samples,
            } => {
                measure_approvals(&publisher, owner, &org, &meetings, *gates, *latency_samples)
                    .await
            }
        };
        shutdown.cancel();
        for t in tasks {
            t.await??;
        }
        result?;
        sqlx::raw_sql("TRUNCATE sequence_jobs, step_runs, ai_cost_ledger, processed_events, audit_log, timers, skipped_events, slack_pending_actions, web_inbox, notification_deliveries, tasks CASCADE")
            .execute(owner)
            .await?;
    }
    Ok(())
}

pub(crate) type Tasks = Vec<tokio::task::JoinHandle<anyhow::Result<()>>>;

/// The services `workload` runs through, in this process, until `shutdown`.
async fn start_services(
    c: &Config,
    shutdown: &CancellationToken,
    workload: &Workload,
    bus: &str,
) -> anyhow::Result<Tasks> {
    let mut tasks = Vec::new();
    spawn::<baton_router::Router>(c, shutdown, &mut tasks).await?;
    spawn::<baton_context_loader::ContextLoader>(c, shutdown, &mut tasks).await?;
    spawn::<baton_step_executor::Executor>(c, shutdown, &mut tasks).await?;
    if let Workload::Approvals { .. } = workload {
        spawn::<baton_approval_gateway::Gateway>(c, shutdown, &mut tasks).await?;
        spawn::<baton_notifier::Notifier>(c, shutdown, &mut tasks).await?;
        println!("\n{bus} bus: all five services in this process");
    } else {
        println!("\n{bus} bus: router, context-loader and step-executor in this process");
    }
    Ok(tasks)
}

async fn measure(
    svc: &Service,
    owner: &PgPool,
    meetings: &[Value],
    sizes: &Sizes,
) -> anyhow::Result<()> {
    let waiting = "SELECT count(*) FROM sequence_jobs WHERE event_type = 'meeting_ended' AND status IN ('awaiting_approval', 'completed', 'failed')";
    // Latency first, one event at a time on idle services (the first warms them up).
    let mut h = Histogram::<u64>::new(3)?;
    for i in 0..=sizes.latency_samples {
        let ev = event(&meetings[i % meetings.len()]);
        let sent = chrono::Utc::now();
        svc.bus.publish(vec![svc.producer.envelope(&ev)?]).await?;
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        let reached = loop {
            let at: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                "SELECT updated_at FROM sequence_jobs WHERE event_id = $1 AND status = 'awaiting_approval'",
            )
            .bind(uuid::Uuid::parse_str(&ev.event_id)?)
            .fetch_optional(owner)
            .await?;
            if let Some(at) = at {
                break at;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "event {} did not reach awaiting_approval in 60 s",
                ev.event_id
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        };
        if i > 0 {
            h.record((reached - sent).num_microseconds().unwrap_or(0).max(1) as u64)?;
        }
    }
    println!(
        "  event → awaiting_approval ({} sequential)      p50 {:>8.1} ms   p99 {:>8.1} ms   max {:>8.1} ms",
        sizes.latency_samples,
        h.value_at_quantile(0.5) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0
    );
    // Throughput: a burst of jobs, until every one is at its gate (or finished).
    let before_jobs = count(owner, waiting).await?;
    let before_steps = count(owner, "SELECT count(*) FROM step_runs").await?;
    let started = Instant::now();
    let batch: Vec<_> = (0..sizes.jobs)
        .map(|i| svc.producer.envelope(&event(&meetings[i % meetings.len()])))
        .collect::<Result<_, _>>()?;
    svc.bus.publish(batch).await?;
    let mut last_report = Instant::now();
    loop {
        let done = count(owner, waiting).await? - before_jobs;
        if done >= sizes.jobs as i64 {
            break;
        }
        if last_report.elapsed().as_secs() >= 5 {
            println!("  … {done}/{} jobs at their gate", sizes.jobs);
            last_report = Instant::now();
        }
        anyhow::ensure!(
            started.elapsed().as_secs() < 600,
            "jobs did not finish within 10 minutes ({done} of {})",
            sizes.jobs
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    // Steps include the follow-up jobs' steps that ran in the same window.
    let steps = count(owner, "SELECT count(*) FROM step_runs").await? - before_steps;
    println!(
        "  meeting_ended burst of {:<5}                  {:>8.1} jobs/s  {:>8.1} steps/s   ({steps} steps in {:.2} s)",
        sizes.jobs,
        sizes.jobs as f64 / elapsed.as_secs_f64(),
        steps as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// Publishes `n` meeting_ended events and waits until each job's email gate has its pending
/// action; returns the (job, user) pairs in publishing order.
async fn to_the_gate(
    svc: &Service,
    owner: &PgPool,
    meetings: &[Value],
    n: usize,
) -> anyhow::Result<Vec<(uuid::Uuid, String)>> {
    let events: Vec<OrchestratorEvent> = (0..n)
        .map(|i| event(&meetings[i % meetings.len()]))
        .collect();
    let batch: Vec<_> = events
        .iter()
        .map(|e| svc.producer.envelope(e))
        .collect::<Result<_, _>>()?;
    svc.bus.publish(batch).await?;
    let ids: Vec<uuid::Uuid> = events
        .iter()
        .map(|e| uuid::Uuid::parse_str(&e.event_id))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    loop {
        let rows: Vec<(uuid::Uuid, String)> = sqlx::query_as(
            "SELECT j.id, j.user_id FROM sequence_jobs j JOIN slack_pending_actions p ON p.job_id = j.id AND p.status = 'pending'
             WHERE j.event_id = ANY($1) AND j.status = 'awaiting_approval'
             ORDER BY j.created_at",
        )
        .bind(&ids)
        .fetch_all(owner)
        .await?;
        if rows.len() >= n {
            return Ok(rows);
        }
        anyhow::ensure!(
            started.elapsed().as_secs() < 600,
            "only {} of {n} jobs reached their gate in 10 minutes",
            rows.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The job's open gate: (pending action, step).
async fn open_gate(owner: &PgPool, job: uuid::Uuid) -> anyhow::Result<Option<(uuid::Uuid, i32)>> {
    Ok(sqlx::query_as(
        "SELECT id, step_index FROM slack_pending_actions WHERE job_id = $1 AND status = 'pending'",
    )
    .bind(job)
    .fetch_optional(owner)
    .await?)
}

/// What a click on Approve publishes.
pub(crate) fn approval(
    org: &str,
    pending: uuid::Uuid,
    user: &str,
) -> baton_schemas::ApprovalDecision {
    baton_schemas::ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        pending_action_id: pending.to_string(),
        org_id: org.to_string(),
        decision: baton_schemas::Decision::Approve,
        decided_by: user.to_string(),
        via: baton_schemas::DecisionChannel::Web,
        user_modifications: None,
        decided_at: chrono::Utc::now(),
        slack_team_id: None,
        operator: None,
        as_admin: false,
    }
}

async fn measure_approvals(
    svc: &Service,
    owner: &PgPool,
    org: &str,
    meetings: &[Value],
    gates: usize,
    latency_samples: usize,
) -> anyhow::Result<()> {
    // Latency: one job at a time; every gate approved as it opens; the last approval to the
    // job's completion is the sample.
    let jobs = to_the_gate(svc, owner, meetings, latency_samples + 1).await?;
    let mut h = Histogram::<u64>::new(3)?;
    for (i, (job, user)) in jobs.iter().enumerate() {
        let (last, done) = approve_until_done(svc, owner, org, *job, user).await?;
        // The first job warms the services up.
        if let (Some(at), Some(done), true) = (last, done, i > 0) {
            h.record((done - at).num_microseconds().unwrap_or(0).max(1) as u64)?;
        }
    }
    println!(
        "  last approval → job completed ({} sequential)   p50 {:>8.1} ms   p99 {:>8.1} ms   max {:>8.1} ms",
        latency_samples,
        h.value_at_quantile(0.5) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0
    );
    approval_burst(svc, owner, org, meetings, gates).await
}

type At = Option<chrono::DateTime<chrono::Utc>>;

/// Approves each of `job`'s gates as it opens until the job completes; returns when the last
/// approval was published and when the job completed.
async fn approve_until_done(
    svc: &Service,
    owner: &PgPool,
    org: &str,
    job: uuid::Uuid,
    user: &str,
) -> anyhow::Result<(At, At)> {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let mut last = None;
    let mut decided: Vec<uuid::Uuid> = Vec::new();
    loop {
        let (status, completed): (String, At) =
            sqlx::query_as("SELECT status, completed_at FROM sequence_jobs WHERE id = $1")
                .bind(job)
                .fetch_one(owner)
                .await?;
        let status: JobStatus = status.parse()?;
        if status == JobStatus::Completed {
            return Ok((last, completed));
        }
        anyhow::ensure!(
            !status.is_terminal() && status != JobStatus::Paused,
            "job {job} ended {status}"
        );
        if let Some((pending, _)) = open_gate(owner, job).await?
            && !decided.contains(&pending)
        {
            decided.push(pending);
            last = Some(chrono::Utc::now());
            let d = approval(org, pending, user);
            svc.bus.publish(vec![svc.producer.envelope(&d)?]).await?;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "job {job} did not complete in 60 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

/// Throughput: `gates` email gates approved at once, until every email has been sent.
async fn approval_burst(
    svc: &Service,
    owner: &PgPool,
    org: &str,
    meetings: &[Value],
    gates: usize,
) -> anyhow::Result<()> {
    let jobs = to_the_gate(svc, owner, meetings, gates).await?;
    let mut decisions = Vec::with_capacity(jobs.len());
    for (job, user) in &jobs {
        let (pending, _) = open_gate(owner, *job)
            .await?
            .ok_or_else(|| anyhow::anyhow!("job {job} has no open gate"))?;
        decisions.push(svc.producer.envelope(&approval(org, pending, user))?);
    }
    let ids: Vec<uuid::Uuid> = jobs.iter().map(|(j, _)| *j).collect();
    let started = Instant::now();
    svc.bus.publish(decisions).await?;
    let mut last_report = Instant::now();
    loop {
        // The approved send has run (or the job moved past the gate).
        let sent: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sequence_jobs WHERE id = ANY($1) AND context->'steps_completed' @> '[[6, \"succeeded\"]]'",
        )
        .bind(&ids)
        .fetch_one(owner)
        .await?;
        if sent >= ids.len() as i64 {
            break;
        }
        if last_report.elapsed().as_secs() >= 5 {
            println!("  … {sent}/{} approved emails sent", ids.len());
            last_report = Instant::now();
        }
        anyhow::ensure!(
            started.elapsed().as_secs() < 600,
            "approvals did not finish within 10 minutes ({sent} of {})",
            ids.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    println!(
        "  burst of {:<5} approvals → emails sent          {:>8.1} approvals/s   ({:.2} s)",
        ids.len(),
        ids.len() as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    Ok(())
}
