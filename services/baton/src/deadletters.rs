//! `baton deadletters list|show|replay`: what consumers could not accept, and sending one
//! back to its consumer once the cause is fixed (see `baton_platform::deadletters`).

use baton_platform::{config::Config, deadletters, service::Service};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum DeadlettersCmd {
    /// Every dead letter: its id, when, which group refused what, and why.
    List,
    /// One dead letter whole (the original's bytes as hex with `--payload`).
    Show {
        /// `partition:offset` on the dead-letter topic, as `list` shows.
        id: String,
        #[arg(long)]
        payload: bool,
    },
    /// Republish the original message for the group that refused it (its inbox claim
    /// released, so it is applied rather than skipped as a duplicate); audited, once.
    Replay { id: String },
}

pub async fn deadletters(config: &Config, cmd: DeadlettersCmd) -> anyhow::Result<()> {
    let svc = Service::start("cli", config).await?;
    match cmd {
        DeadlettersCmd::List => {
            let all = deadletters::list(&svc).await?;
            if all.is_empty() {
                println!("no dead letters");
            }
            for l in all {
                let d = &l.letter;
                println!(
                    "{:<10} {}  {} refused {}[{}]@{}: {} — {}",
                    l.id(),
                    d.failed_at.format("%Y-%m-%d %H:%M:%S"),
                    d.consumer_group,
                    d.original_topic,
                    d.original_partition,
                    d.original_offset,
                    d.error_class,
                    d.error_message
                );
            }
        }
        DeadlettersCmd::Show { id, payload } => {
            let l = deadletters::find(&svc, &id).await?;
            let d = &l.letter;
            println!("dead letter {}", l.id());
            println!("  failed at       {}", d.failed_at);
            println!("  consumer group  {}", d.consumer_group);
            println!(
                "  original        {}[{}]@{}",
                d.original_topic, d.original_partition, d.original_offset
            );
            println!("  class           {}", d.error_class);
            println!("  reason          {}", d.error_message);
            let names: Vec<&str> = d.original_headers.iter().map(|h| h.name.as_str()).collect();
            println!("  headers         {}", names.join(", "));
            println!("  bytes           {}", d.original_value.len());
            if payload {
                println!("  payload (hex)   {}", hex::encode(&d.original_value));
            }
        }
        DeadlettersCmd::Replay { id } => {
            let l = deadletters::find(&svc, &id).await?;
            let operator = config.cli.operator();
            let r = deadletters::replay(&svc, &l, &operator).await?;
            println!(
                "replayed {} to {} for {} ({}; audited as deadletter.replayed by {operator} in {})",
                l.id(),
                l.letter.original_topic,
                l.letter.consumer_group,
                if r.released_claim {
                    "its claim released"
                } else {
                    "it had never been applied"
                },
                r.org
            );
        }
    }
    Ok(())
}
