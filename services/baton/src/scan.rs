//! `baton scan pipeline`: runs the pipeline scan for an org now (the router's
//! `pipeline_scan` timer): one stale_deal_revival event per stale deal, for its owner.

use baton_platform::{config::Config, store};
use baton_schemas::OrgId;
use clap::{Args, Subcommand};
use serde_json::json;

use crate::router_timer;

#[derive(Subcommand)]
pub enum ScanCmd {
    /// The org's open deals through find-stale-deals; each stale one becomes a
    /// stale_deal_revival event for its owner.
    Pipeline(PipelineArgs),
}

#[derive(Args)]
pub struct PipelineArgs {
    #[arg(long)]
    org: OrgId,
    /// Inactive strictly longer than this many days is stale (default 14).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    threshold_days: Option<u32>,
    /// Seconds to wait for the router to run it (0: do not wait).
    #[arg(long, default_value_t = 15)]
    wait: u64,
}

pub async fn scan(config: &Config, cmd: ScanCmd) -> anyhow::Result<()> {
    let ScanCmd::Pipeline(a) = cmd;
    let pool = store::connect(&config.database).await?;
    let mut tx = store::begin_for_org(&pool, &a.org).await?;
    let payload = json!({ "threshold_days": a.threshold_days });
    let kind = baton_router::PIPELINE_SCAN;
    let key = router_timer::schedule(&mut tx, &a.org, kind, &payload).await?;
    tx.commit().await?;
    println!("asked the router to scan the pipeline of {}", a.org);
    if !router_timer::fired(&pool, &a.org, kind, &key, a.wait).await? {
        return Ok(());
    }
    let mut tx = store::begin_for_org(&pool, &a.org).await?;
    let detail = sqlx::query_scalar!(
        "SELECT detail FROM audit_log WHERE action = 'pipeline.scanned' AND detail->>'request' = $1",
        key,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(d) = detail else {
        anyhow::bail!("the scan ran but recorded nothing; see the router's log");
    };
    let stale = baton_skills::messages::strings(&d["stale"]).collect::<Vec<_>>();
    println!(
        "{} open deals, {} stale: {}",
        d["open_deals"],
        stale.len(),
        if stale.is_empty() {
            "none".into()
        } else {
            stale.join(", ")
        }
    );
    let unowned: Vec<&str> = baton_skills::messages::strings(&d["stale_without_owner"]).collect();
    if !unowned.is_empty() {
        println!(
            "stale but without an owner (no event): {}",
            unowned.join(", ")
        );
    }
    println!(
        "one stale_deal_revival event each, for the deal's owner (`baton jobs list --org {}`)",
        a.org
    );
    Ok(())
}
