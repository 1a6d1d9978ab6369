//! Running services, seeding sample data, and deciding approvals from the command line.

use std::path::PathBuf;

use anyhow::Context;
use baton_platform::{config::Config, service::Service};
use baton_schemas::Resolution;
use clap::{Subcommand, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ServiceName {
    Router,
    ContextLoader,
    StepExecutor,
    ApprovalGateway,
}

/// Runs `services` in this process until SIGTERM/Ctrl-C (each is also its own binary:
/// baton-router, baton-context-loader, baton-step-executor, baton-approval-gateway).
pub async fn run_services(config: Config, services: Vec<ServiceName>) -> anyhow::Result<()> {
    let shutdown = baton_platform::shutdown::on_signals();
    let mut tasks = tokio::task::JoinSet::new();
    let all = if services.is_empty() {
        vec![
            ServiceName::Router,
            ServiceName::ContextLoader,
            ServiceName::StepExecutor,
            ServiceName::ApprovalGateway,
        ]
    } else {
        services
    };
    for s in all {
        let (config, shutdown) = (config.clone(), shutdown.clone());
        tasks.spawn(async move {
            let r = match s {
                ServiceName::Router => baton_router::run(config, shutdown.clone()).await,
                ServiceName::ContextLoader => {
                    baton_context_loader::run(config, shutdown.clone()).await
                }
                ServiceName::StepExecutor => {
                    baton_step_executor::run(config, shutdown.clone()).await
                }
                ServiceName::ApprovalGateway => {
                    baton_approval_gateway::run(config, shutdown.clone()).await
                }
            };
            // One service failing stops the others: the process exits non-zero.
            shutdown.cancel();
            r.with_context(|| format!("{s:?}"))
        });
    }
    println!("services running; Ctrl-C stops them");
    let mut result = Ok(());
    while let Some(r) = tasks.join_next().await {
        if let Err(e) = r? {
            result = Err(e);
        }
    }
    result
}

/// Seeds an org (and optionally meetings) in the sample-data format.
pub async fn seed(config: &Config, org: PathBuf, meetings: Option<PathBuf>) -> anyhow::Result<()> {
    let pool = baton_platform::store::connect(&config.database).await?;
    let (org_id, seeded) = baton_platform::seed::from_files(&pool, &org, meetings.as_deref())
        .await
        .with_context(|| format!("seeding {}", org.display()))?;
    println!("seeded org {org_id} from {}", org.display());
    if let Some(dir) = meetings {
        println!("seeded {} meetings from {}", seeded.len(), dir.display());
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ApprovalsCmd {
    /// Decide a job's open approval gate: publishes the same ApprovalResolved result the
    /// approval-gateway publishes for a Slack click.
    Decide {
        /// The job waiting for approval.
        job_id: uuid::Uuid,
        #[arg(value_enum)]
        decision: DecisionArg,
        #[arg(long)]
        org: String,
        /// Who decided (a user id).
        #[arg(long, default_value = "cli")]
        by: String,
        /// For `edit`: the edited fields as a JSON object, e.g. '{"body": "…"}'.
        #[arg(long)]
        edits: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DecisionArg {
    Approve,
    Edit,
    Skip,
    Cancel,
}

pub async fn approvals(config: &Config, cmd: ApprovalsCmd) -> anyhow::Result<()> {
    match cmd {
        ApprovalsCmd::Decide {
            job_id,
            decision,
            org,
            by,
            edits,
        } => {
            let edits = edits
                .map(|e| serde_json::from_str::<serde_json::Value>(&e))
                .transpose()
                .context("--edits must be a JSON object")?;
            if matches!(decision, DecisionArg::Edit)
                && !edits.as_ref().is_some_and(|e| e.is_object())
            {
                anyhow::bail!("`edit` needs --edits with a JSON object of the changed fields");
            }
            let svc = Service::start("cli", config).await?;
            let resolution = match decision {
                DecisionArg::Approve => Resolution::Approve,
                DecisionArg::Edit => Resolution::Edit,
                DecisionArg::Skip => Resolution::Skip,
                DecisionArg::Cancel => Resolution::Cancel,
            };
            let step = baton_router::decide(&svc, &org, job_id, resolution, &by, edits).await?;
            println!("decision {decision:?} for job {job_id} step {step} published");
            Ok(())
        }
    }
}
