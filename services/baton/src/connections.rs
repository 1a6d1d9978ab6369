//! `baton connections list|add|remove|rotate`: an org's credentials for Slack workspaces
//! and users' Google or Microsoft mailboxes, stored sealed under `[connections]`'s keys.
//! Secrets are read from a file or standard input, never from the command line (which shell
//! history and `ps` keep), and never printed.

use std::{io::Read as _, path::PathBuf};

use anyhow::Context as _;
use baton_platform::{
    config::Config,
    connections::{
        Keyring, Provider,
        store::{self, Added},
    },
    service::Service,
    store as db,
};
use baton_schemas::OrgId;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ConnectionsCmd {
    /// The org's connections (never their secrets).
    List {
        #[arg(long)]
        org: OrgId,
    },
    /// Connect (or reconnect) an account: the secret is a JSON object read from
    /// `--secret-file`, or standard input — Slack `{"bot_token", "signing_secret"}`, Google or
    /// Microsoft `{"refresh_token", …}`.
    Add {
        #[arg(long)]
        org: OrgId,
        #[arg(long)]
        provider: Provider,
        /// The Slack team id, or the mailbox address.
        #[arg(long)]
        account: String,
        /// Whose mailbox and calendar (Google, Microsoft).
        #[arg(long)]
        user: Option<String>,
        /// A file holding the secret JSON; `-` or unset: standard input.
        #[arg(long)]
        secret_file: Option<PathBuf>,
    },
    /// Disconnect an account.
    Remove {
        #[arg(long)]
        org: OrgId,
        #[arg(long)]
        provider: Provider,
        #[arg(long)]
        account: String,
    },
    /// Rewrap every org's credentials under `connections.active_key` (after adding a new
    /// key; the old one can be removed once this has run).
    Rotate,
}

pub async fn connections(config: &Config, cmd: ConnectionsCmd) -> anyhow::Result<()> {
    let keys = Keyring::new(&config.connections)?;
    let svc = Service::start("cli", config).await?;
    match cmd {
        ConnectionsCmd::List { org } => {
            let mut tx = db::begin_for_org(&svc.pool, &org).await?;
            let rows = store::list(&mut tx, &org).await?;
            tx.commit().await?;
            if rows.is_empty() {
                println!("{org} has no connections");
            }
            for c in rows {
                println!(
                    "{:<10} {:<36} user {:<16} key {:<8} updated {}",
                    c.provider,
                    c.account,
                    c.user_id.as_deref().unwrap_or("-"),
                    c.key_id,
                    c.updated_at.format("%Y-%m-%d %H:%M:%SZ")
                );
            }
        }
        ConnectionsCmd::Add {
            org,
            provider,
            account,
            user,
            secret_file,
        } => {
            let secret = read_secret(secret_file)?;
            let mut tx = db::begin_for_org(&svc.pool, &org).await?;
            let added = store::add(
                &mut tx,
                &keys,
                &org,
                provider,
                &account,
                user.as_deref(),
                &secret,
            )
            .await?;
            tx.commit().await?;
            match added {
                Added::Created(id) => println!("connected {provider} {account} to {org} ({id})"),
                Added::Replaced(id) => {
                    println!("replaced the credential of {provider} {account} in {org} ({id})")
                }
            }
        }
        ConnectionsCmd::Remove {
            org,
            provider,
            account,
        } => {
            let mut tx = db::begin_for_org(&svc.pool, &org).await?;
            let gone = store::remove(&mut tx, &org, provider, &account).await?;
            tx.commit().await?;
            anyhow::ensure!(gone, "{org} has no {provider} connection {account:?}");
            println!("disconnected {provider} {account} from {org}");
        }
        ConnectionsCmd::Rotate => {
            let orgs = sqlx::query_scalar!(r#"SELECT baton_schedule_orgs() AS "id!""#)
                .fetch_all(&svc.pool)
                .await?;
            let mut moved = 0;
            for org in orgs {
                let org: OrgId = org.parse().map_err(|e| anyhow::anyhow!("orgs.id: {e}"))?;
                let mut tx = db::begin_for_org(&svc.pool, &org).await?;
                moved += store::rotate(&mut tx, &keys, &org).await?;
                tx.commit().await?;
            }
            println!(
                "{moved} credential(s) rewrapped under {}",
                config.connections.active_key.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(())
}

/// The secret JSON from `file`, or standard input; at most 64 KiB.
fn read_secret(file: Option<PathBuf>) -> anyhow::Result<serde_json::Value> {
    const MAX: u64 = 64 * 1024;
    let mut raw = String::new();
    match file.filter(|f| f.as_os_str() != "-") {
        Some(f) => {
            std::fs::File::open(&f)
                .with_context(|| format!("reading {}", f.display()))?
                .take(MAX + 1)
                .read_to_string(&mut raw)?;
        }
        None => {
            std::io::stdin().take(MAX + 1).read_to_string(&mut raw)?;
        }
    }
    anyhow::ensure!(raw.len() as u64 <= MAX, "the secret is over 64 KiB");
    serde_json::from_str(&raw)
        .context("the secret is not JSON (an object such as {\"refresh_token\": \"…\"})")
}
