//! `baton publish` (an event onto `baton.events`, as a webhook producer would),
//! `baton jobs list|show` (what became of it) and `baton jobs resume|cancel|retry` (an
//! operator's request, applied by the router — the only writer of a job's state).

use std::path::PathBuf;

use anyhow::Context;
use baton_core::{job::Control, outputs::describe, status::JobStatus};
use baton_platform::{bus::Bus, config::Config, service::Service, store};
use baton_schemas::{JobId, Message, OrchestratorEvent, OrgId, UserId};
use baton_skills::messages::strings;
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Args)]
pub struct PublishArgs {
    /// The event type, e.g. meeting_ended.
    event_type: String,
    #[arg(long)]
    org: OrgId,
    #[arg(long)]
    user: UserId,
    /// The payload as a JSON object.
    #[arg(long, conflicts_with = "file")]
    payload: Option<String>,
    /// The payload from a JSON file.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Where the event came from.
    #[arg(long, default_value = "cli")]
    source: String,
    /// Dedupe key (default: the sequence's `dedupe.key`).
    #[arg(long)]
    dedupe_key: Option<String>,
}

pub async fn publish(config: &Config, a: PublishArgs) -> anyhow::Result<()> {
    let payload: Value = match (&a.payload, &a.file) {
        (Some(p), _) => serde_json::from_str(p).context("--payload is not JSON")?,
        (None, Some(f)) => serde_json::from_str(
            &std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?,
        )
        .with_context(|| format!("{} is not JSON", f.display()))?,
        (None, None) => serde_json::json!({}),
    };
    let ev = OrchestratorEvent {
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: a.event_type,
        source: a.source,
        org_id: a.org.to_string(),
        user_id: a.user.to_string(),
        payload,
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        dedupe_key: a.dedupe_key,
    };
    ev.validate()
        .map_err(|e| anyhow::anyhow!("the event is not valid: {e}"))?;
    let svc = Service::start("cli", config).await?;
    svc.bus.publish(vec![svc.producer.envelope(&ev)?]).await?;
    println!(
        "published {} {} for {}/{} on {}",
        ev.event_type,
        ev.event_id,
        ev.org_id,
        ev.user_id,
        svc.producer.topic(OrchestratorEvent::TOPIC)
    );
    Ok(())
}

#[derive(Subcommand)]
pub enum JobsCmd {
    /// The org's most recent jobs.
    List {
        #[arg(long)]
        org: OrgId,
        /// Only jobs in this status (pending, deferred, in_progress, awaiting_approval, paused,
        /// completed, failed, cancelled).
        #[arg(long)]
        status: Option<JobStatus>,
        /// How many (1 to 1000).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=1000))]
        limit: i64,
    },
    /// One job: status, steps, pending approvals, children and the audit trail.
    Show {
        id: JobId,
        #[arg(long)]
        org: OrgId,
    },
    /// A paused job (budget, …) runs its step again.
    Resume(ControlArgs),
    /// A job that has not finished stops; nothing after its current step runs.
    Cancel(ControlArgs),
    /// A failed job runs the step that failed again, as a new attempt.
    Retry(ControlArgs),
}

#[derive(Args)]
pub struct ControlArgs {
    id: JobId,
    #[arg(long)]
    org: OrgId,
    /// Who asks (recorded in the job's audit trail; default: $USER).
    #[arg(long)]
    by: Option<String>,
    /// Seconds to wait for the router to apply it (0: do not wait).
    #[arg(long, default_value_t = 15)]
    wait: u64,
}

pub async fn jobs(config: &Config, cmd: JobsCmd) -> anyhow::Result<()> {
    let pool = store::connect(&config.database).await?;
    match cmd {
        JobsCmd::List { org, status, limit } => list(&pool, &org, status, limit).await,
        JobsCmd::Show { id, org } => show(&pool, &org, id).await,
        JobsCmd::Resume(a) => control(&pool, Control::Resume, a).await,
        JobsCmd::Cancel(a) => control(&pool, Control::Cancel, a).await,
        JobsCmd::Retry(a) => control(&pool, Control::Retry, a).await,
    }
}

async fn list(
    pool: &sqlx::PgPool,
    org: &OrgId,
    status: Option<JobStatus>,
    limit: i64,
) -> anyhow::Result<()> {
    let mut tx = store::begin_for_org(pool, org).await?;
    let rows = sqlx::query!(
        "SELECT id, event_type, status, user_id, chain_depth, created_at FROM sequence_jobs
         WHERE $1::text IS NULL OR status = $1 ORDER BY created_at DESC LIMIT $2",
        status.map(JobStatus::as_str),
        limit,
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        println!("no jobs in {org}");
    }
    for r in rows {
        println!(
            "{}  {:<22} {:<18} {:<14} depth {}  {}",
            r.id,
            r.event_type,
            r.status,
            r.user_id,
            r.chain_depth,
            r.created_at.format("%Y-%m-%d %H:%M:%S")
        );
    }
    Ok(())
}

/// One job: status, steps, pending approvals, children and the audit trail.
async fn show(pool: &sqlx::PgPool, org: &OrgId, id: JobId) -> anyhow::Result<()> {
    let mut tx = store::begin_for_org(pool, org).await?;
    let job = baton_platform::jobs::JobRow::load(&mut tx, id, false)
        .await?
        .with_context(|| format!("no job {id} in org {org}"))?;
    let state = &job.context;
    println!(
        "job {}  {}  ({} from {})",
        job.id, job.status, job.event_type, job.event_source
    );
    if let Some(r) = &job.paused_reason {
        println!("  paused: {r}");
    }
    if let Some(f) = state.get("failure").and_then(Value::as_str) {
        println!("  failure: {f}");
    }
    println!(
        "  user {}  chain depth {}  parent {}  sequence {}",
        job.user_id,
        job.chain_depth,
        job.event_chain["parent"].as_str().unwrap_or("-"),
        &job.sequence_version[..12.min(job.sequence_version.len())]
    );
    show_steps(&mut tx, id, state).await?;
    if let Some(p) = state["pending_approvals"]
        .as_array()
        .filter(|p| !p.is_empty())
    {
        let steps: Vec<String> = p.iter().map(Value::to_string).collect();
        println!("  waiting for approval at step {}", steps.join(", "));
    }
    let children: Vec<&str> = strings(&job.event_chain["children"]).collect();
    if !children.is_empty() {
        println!("  children: {}", children.join(", "));
    }
    if let Some(m) = state.get("execution_metadata") {
        println!("  execution metadata: {m}");
    }
    show_audit(&mut tx, id).await
}

/// The steps the executor ran (with durations, costs and what they produced), then the
/// ones the router decided itself (`when` false, follow-ups, branches, skipped gates).
async fn show_steps(tx: &mut sqlx::PgConnection, id: JobId, state: &Value) -> anyhow::Result<()> {
    let runs = sqlx::query!(
        r#"SELECT step_index, step_name, attempt, status, duration_ms, cost_usd::float8 AS "cost!", error
           FROM step_runs WHERE job_id = $1 ORDER BY step_index, attempt"#,
        id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    println!("  steps:");
    let ran: std::collections::BTreeSet<i32> = runs.iter().map(|r| r.step_index).collect();
    for r in runs {
        let out = state["outputs"]
            .get(&r.step_name)
            .map(describe)
            .unwrap_or_default();
        println!(
            "    {:>2} {:<24} #{} {:<10} {:>6} ms  ${:.4}  {}",
            r.step_index,
            r.step_name,
            r.attempt,
            r.status,
            r.duration_ms.unwrap_or(0),
            r.cost,
            r.error.unwrap_or(out)
        );
    }
    let decided = state["steps_completed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get(0)?.as_i64()?, p.get(1)?.as_str()?)));
    for (i, outcome) in decided {
        if !ran.contains(&(i as i32)) {
            println!("    {i:>2} (decided by the router: {outcome})");
        }
    }
    Ok(())
}

async fn show_audit(tx: &mut sqlx::PgConnection, id: JobId) -> anyhow::Result<()> {
    let audit = sqlx::query!(
        "SELECT occurred_at, service, action, detail FROM audit_log WHERE job_id = $1 ORDER BY occurred_at, id",
        id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    println!("  audit trail:");
    for a in audit {
        println!(
            "    {}  {:<16} {:<24} {}",
            a.occurred_at.format("%H:%M:%S%.3f"),
            a.service,
            a.action,
            a.detail
        );
    }
    Ok(())
}

/// Hands an operator's request to the router as a timer due at once (the router applies it
/// under the job's lock through the state machine, so it cannot race a step's result), then
/// waits for the router to say what it did.
async fn control(pool: &sqlx::PgPool, control: Control, a: ControlArgs) -> anyhow::Result<()> {
    let by =
        a.by.or_else(|| std::env::var("USER").ok())
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "operator".into());
    let mut tx = store::begin_for_org(pool, &a.org).await?;
    let job = baton_platform::jobs::JobRow::load(&mut tx, a.id, false)
        .await?
        .with_context(|| format!("no job {} in org {}", a.id, a.org))?;
    control
        .check(job.status)
        .map_err(|refused| anyhow::anyhow!("job {}: {refused}", a.id))?;
    let name = serde_json::to_value(control)?;
    let payload = serde_json::json!({ "job_id": a.id.to_string(), "control": name, "by": by });
    let kind = baton_router::JOB_CONTROL;
    let key = crate::router_timer::schedule(&mut tx, &a.org, kind, &payload).await?;
    tx.commit().await?;
    println!(
        "asked the router to {} job {} (as {by})",
        name.as_str().unwrap_or("?"),
        a.id
    );
    if !crate::router_timer::fired(pool, &a.org, kind, &key, a.wait).await? {
        return Ok(());
    }
    outcome(pool, &a.org, a.id, &key).await
}

/// What the router made of the request: refused (an error, with its reason) or the job's
/// status now.
async fn outcome(pool: &sqlx::PgPool, org: &OrgId, id: JobId, key: &str) -> anyhow::Result<()> {
    let mut tx = store::begin_for_org(pool, org).await?;
    let refused = sqlx::query_scalar!(
        "SELECT detail->>'refused' FROM audit_log WHERE job_id = $1
         AND action = 'job.control_refused' AND detail->>'request' = $2",
        id.uuid(),
        key,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(reason) = refused {
        anyhow::bail!("the router refused: {}", reason.unwrap_or_default());
    }
    let status = sqlx::query_scalar!("SELECT status FROM sequence_jobs WHERE id = $1", id.uuid())
        .fetch_one(&mut *tx)
        .await?;
    println!("done: job {id} is now {status}");
    Ok(())
}
