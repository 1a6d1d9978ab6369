//! `baton schedules list --org`: an org's next firings — what the ingress's planner computes
//! from the org's users, calendars and campaigns under the configured `[schedules]`, each
//! with whether it is already planned (a timer row), fired, or not planned yet (beyond the
//! planner's horizon, or no ingress running).

use std::collections::HashMap;

use baton_ingress::schedules::{Schedule, plan, repo};
use baton_platform::{config::Config, service::Service, store};
use baton_schemas::OrgId;
use chrono::Duration;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum SchedulesCmd {
    /// The org's next firings, soonest first.
    List {
        #[arg(long)]
        org: OrgId,
        /// How far ahead, in hours.
        #[arg(long, default_value_t = 48, value_parser = clap::value_parser!(u32).range(1..=744))]
        hours: u32,
        /// At most this many lines.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub async fn schedules(config: &Config, cmd: SchedulesCmd) -> anyhow::Result<()> {
    let SchedulesCmd::List { org, hours, limit } = cmd;
    let svc = Service::start("cli", config).await?;
    let cfg = config.schedules.for_org(org.as_str());
    print_settings(&cfg);
    let now = svc.now();
    let to = now + Duration::hours(hours.into());
    let mut tx = store::begin_for_org(&svc.pool, &org).await?;
    let snap = repo::snapshot(&mut tx, &org, now, to).await?;
    let slots = plan::plan(&snap, &cfg, now, to).map_err(|e| anyhow::anyhow!(e))?;
    let planned: HashMap<(String, String), repo::Planned> =
        repo::planned(&mut tx, &org, now, 10_000)
            .await?
            .into_iter()
            .map(|p| ((p.kind.clone(), p.key.clone()), p))
            .collect();
    tx.commit().await?;
    if slots.is_empty() {
        println!("no firings for {org} in the next {hours} h");
        return Ok(());
    }
    println!(
        "{:<22} {:<16} {:<44} state",
        "due (UTC)", "schedule", "subject"
    );
    for s in slots.iter().take(limit) {
        let state = match planned.get(&(s.schedule.kind().to_string(), s.key.clone())) {
            Some(p) if p.fired_at.is_some() => "fired",
            Some(p) if p.due_at == s.due_at => "planned",
            Some(_) => "planned (moving)",
            None => "not planned yet",
        };
        println!(
            "{:<22} {:<16} {:<44} {state}",
            s.due_at.format("%Y-%m-%d %H:%M:%SZ"),
            s.schedule.name(),
            s.key
        );
    }
    if slots.len() > limit {
        println!("… {} more (--limit)", slots.len() - limit);
    }
    if !config.schedules.enabled {
        println!("schedules.enabled = false: no ingress here fires them");
    }
    Ok(())
}

fn print_settings(cfg: &baton_platform::config::SchedulesConfig) {
    let on = |b: bool| if b { "" } else { " (off)" };
    println!(
        "morning_brief: each user's brief time and working days, grace {} min{}",
        cfg.morning_brief.grace_minutes,
        on(cfg.morning_brief.enabled)
    );
    println!(
        "pre_meeting: {} min before external meetings with CRM contacts, grace {} min{}",
        cfg.pre_meeting.lead_minutes,
        cfg.pre_meeting.grace_minutes,
        on(cfg.pre_meeting.enabled)
    );
    for (s, c) in [
        (Schedule::PipelineScan, &cfg.pipeline_scan),
        (Schedule::CampaignCheck, &cfg.campaign_check),
        (Schedule::CoachingWeekly, &cfg.coaching_weekly),
    ] {
        println!(
            "{}: {:?} in {}, grace {} min{}",
            s.name(),
            c.cron,
            c.timezone
                .as_deref()
                .unwrap_or(if s == Schedule::PipelineScan {
                    "UTC"
                } else {
                    "each user's zone"
                }),
            c.grace_minutes,
            on(c.enabled)
        );
    }
    println!();
}
