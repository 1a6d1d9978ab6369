//! Running services, seeding sample data, and deciding approvals from the command line.

use anyhow::Context;
use baton_core::status::PendingActionStatus;
use baton_platform::{config::Config, service::Service};
use baton_schemas::{Decision, OrgId, PendingActionId, UserId};
use clap::{Subcommand, ValueEnum};

use crate::sample::SampleData;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ServiceName {
    Router,
    ContextLoader,
    StepExecutor,
    ApprovalGateway,
    Notifier,
    /// The webhook endpoints (`ingress.listen`).
    Ingress,
    /// The web console (`console.listen`); not among those `baton run` starts unnamed.
    Console,
}

impl ServiceName {
    /// What `baton run`, `baton dev` and `baton demo` start when no service is named: the
    /// pipeline and the ingress.
    pub const EVERY: [ServiceName; 6] = [
        ServiceName::Router,
        ServiceName::ContextLoader,
        ServiceName::StepExecutor,
        ServiceName::ApprovalGateway,
        ServiceName::Notifier,
        ServiceName::Ingress,
    ];

    /// The service's name (its consumer group, its database login `baton_<name>`).
    pub fn name(self) -> &'static str {
        use baton_platform::component::Component;
        match self {
            ServiceName::Router => baton_router::Router::NAME,
            ServiceName::ContextLoader => baton_context_loader::ContextLoader::NAME,
            ServiceName::StepExecutor => baton_step_executor::Executor::NAME,
            ServiceName::ApprovalGateway => baton_approval_gateway::Gateway::NAME,
            ServiceName::Notifier => baton_notifier::Notifier::NAME,
            ServiceName::Ingress => baton_ingress::NAME,
            ServiceName::Console => baton_console::NAME,
        }
    }

    /// Runs this service until `shutdown`.
    pub async fn launch(self, config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
        use baton_platform::component::launch;
        match self {
            ServiceName::Router => launch::<baton_router::Router>(config, shutdown).await,
            ServiceName::ContextLoader => {
                launch::<baton_context_loader::ContextLoader>(config, shutdown).await
            }
            ServiceName::StepExecutor => {
                launch::<baton_step_executor::Executor>(config, shutdown).await
            }
            ServiceName::ApprovalGateway => {
                launch::<baton_approval_gateway::Gateway>(config, shutdown).await
            }
            ServiceName::Notifier => launch::<baton_notifier::Notifier>(config, shutdown).await,
            ServiceName::Ingress => baton_ingress::launch(config, shutdown).await,
            ServiceName::Console => baton_console::launch(config, shutdown).await,
        }
    }
}

/// Runs `services` in this process until SIGTERM/Ctrl-C (each is also its own binary:
/// baton-router, baton-context-loader, baton-step-executor, baton-approval-gateway, baton-notifier,
/// baton-ingress).
pub async fn run_services(config: Config, services: Vec<ServiceName>) -> anyhow::Result<()> {
    let shutdown = baton_platform::shutdown::on_signals();
    let all = if services.is_empty() {
        ServiceName::EVERY.to_vec()
    } else {
        services
    };
    // One ops listener for the process, whatever it runs.
    let names: Vec<&str> = all.iter().map(|s| s.name()).collect();
    let ops = baton_platform::http::spawn_for_process(&config, &names, &shutdown).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for s in all {
        let (config, shutdown) = (config.clone(), shutdown.clone());
        tasks.spawn(async move {
            let r = s.launch(config, shutdown.clone()).await;
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
    shutdown.cancel();
    if let Some(ops) = ops {
        result = result.and(ops.await?);
    }
    result
}

/// `--insecure-dev`: the services log in with `database.url` and act as
/// `database.service_role` instead of logging in as their own roles. Said loudly.
pub fn insecure_dev(config: &mut Config) {
    config.database.service_logins = false;
    config.database.insecure_dev = true;
    eprintln!(
        "WARNING: --insecure-dev: the services log in with database.url; if that is a superuser, row-level security does not bind them. Never in production."
    );
}

/// Seeds the sample org and its meetings.
pub async fn seed(config: &Config, data: &SampleData) -> anyhow::Result<()> {
    let pool = baton_platform::store::connect(&config.database).await?;
    let sample = data.load()?;
    let org_id = sample.seed(&pool).await?;
    println!(
        "seeded org {org_id} and {} meetings from {}",
        sample.meetings.len(),
        sample.from
    );
    Ok(())
}

#[derive(Subcommand)]
pub enum ApprovalsCmd {
    /// Open approval gates (pending actions) of an org whose jobs still wait for them.
    List {
        #[arg(long)]
        org: OrgId,
        /// Only this user's gates.
        #[arg(long)]
        user: Option<UserId>,
    },
    /// Decide a gate: publishes an ApprovalDecision to the approval-gateway, the path a
    /// Slack click or the web inbox takes (the gateway checks who may decide).
    Decide {
        /// The pending action (`pa_<uuid>`, or the bare UUID; see `baton approvals list`).
        pending_action_id: PendingActionId,
        #[arg(value_enum)]
        decision: DecisionArg,
        #[arg(long)]
        org: OrgId,
        /// Who decides: a Baton user id — the gate's user, or with --as-admin an org admin.
        #[arg(long)]
        by: UserId,
        /// Decide another user's gate as an org admin (audited with the operator's name:
        /// cli.operator, else the OS user).
        #[arg(long)]
        as_admin: bool,
        /// For `edit`: the new body (shorthand for --edits '{"body": …}').
        #[arg(long)]
        body: Option<String>,
        /// For `edit`: the edited fields as a JSON object, e.g. '{"subject": "…"}'.
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

/// The gate is one of the org's, still open, and the decider one of its users: said now,
/// with a non-zero exit, rather than published for the gateway to refuse unseen.
async fn open_gate(
    config: &Config,
    org: &OrgId,
    gate: PendingActionId,
    by: &UserId,
    as_admin: bool,
) -> anyhow::Result<()> {
    let pool = baton_platform::store::connect(&config.database).await?;
    let mut tx = baton_platform::store::begin_for_org(&pool, org).await?;
    let row = sqlx::query!(
        "SELECT status, user_id FROM slack_pending_actions WHERE id = $1",
        gate.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        anyhow::bail!("no approval gate {gate} in {org} (see `baton approvals list --org {org}`)");
    };
    let status = row.status;
    anyhow::ensure!(
        status == PendingActionStatus::Pending.as_str(),
        "gate {gate} is already {status}: there is nothing to decide"
    );

    let known = sqlx::query_scalar!(
        "SELECT count(*) AS \"n!\" FROM users WHERE id = $1",
        by.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    anyhow::ensure!(known == 1, "--by {by} is not a user of {org}");
    anyhow::ensure!(
        as_admin || row.user_id == by.as_str(),
        "gate {gate} is {}'s: deciding it as {by} needs --as-admin ({by} must be an org admin)",
        row.user_id
    );
    Ok(())
}

pub async fn approvals(config: &Config, cmd: ApprovalsCmd) -> anyhow::Result<()> {
    match cmd {
        ApprovalsCmd::List { org, user } => {
            let pool = baton_platform::store::connect(&config.database).await?;
            let mut tx = baton_platform::store::begin_for_org(&pool, &org).await?;
            let rows = sqlx::query!(
                "SELECT id, job_id, user_id, step_index, kind, expires_at FROM slack_pending_actions p
                 WHERE status = $2 AND ($1::text IS NULL OR user_id = $1)
                   AND EXISTS (SELECT 1 FROM sequence_jobs j
                               WHERE j.id = p.job_id AND j.status = 'awaiting_approval')
                 ORDER BY created_at",
                user.as_ref().map(UserId::as_str),
                PendingActionStatus::Pending.as_str(),
            )
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                println!("no open approval gates in {org}");
            }
            for r in rows {
                let id = PendingActionId::from_uuid(r.id);
                println!(
                    "{id}  {:<18} job {} step {}  for {}  expires {}",
                    r.kind, r.job_id, r.step_index, r.user_id, r.expires_at
                );
            }
            Ok(())
        }
        ApprovalsCmd::Decide {
            pending_action_id,
            decision,
            org,
            by,
            as_admin,
            body,
            edits,
        } => {
            let mut edits = edits
                .map(|e| serde_json::from_str::<serde_json::Value>(&e))
                .transpose()
                .context("--edits must be a JSON object")?;
            if let Some(body) = body {
                let e = edits.get_or_insert_with(|| serde_json::json!({}));
                anyhow::ensure!(e.is_object(), "--edits must be a JSON object");
                e["body"] = serde_json::Value::String(body);
            }
            let is_edit = matches!(decision, DecisionArg::Edit);
            anyhow::ensure!(
                !is_edit || edits.as_ref().is_some_and(|e| e.is_object()),
                "`edit` needs --body or --edits with the changed fields"
            );
            anyhow::ensure!(
                is_edit || edits.is_none(),
                "--body and --edits go with `edit`"
            );
            open_gate(config, &org, pending_action_id, &by, as_admin).await?;
            let svc = Service::start("cli", config).await?;
            let operator = config.cli.operator();
            let d = match decision {
                DecisionArg::Approve => Decision::Approve,
                DecisionArg::Edit => Decision::Edit,
                DecisionArg::Skip => Decision::Skip,
                DecisionArg::Cancel => Decision::Cancel,
            };
            let id = baton_approval_gateway::publish_decision(
                &svc,
                &org,
                pending_action_id,
                d,
                baton_approval_gateway::By::Cli {
                    user: by.as_str(),
                    operator: &operator,
                    as_admin,
                },
                edits,
            )
            .await?;
            println!(
                "decision {id} ({decision:?} by {by}) published for {pending_action_id}; the approval-gateway applies it (see the job's audit trail)"
            );
            Ok(())
        }
    }
}
