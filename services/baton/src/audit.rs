//! `baton audit tail`: follows the audit topic as an ops consumer would — one line per
//! record (when, org, job, who, action, detail: ids and reasons, never message bodies) —
//! without joining a consumer group that would hold the embedded log's retention: the
//! embedded log is read through `baton_bus_fetch` from its current end (or its start), Kafka
//! with a throwaway group that commits nothing.

use std::time::Duration;

use baton_platform::{
    bus::{AnyBus, Bus, BusConsumer},
    config::Config,
    service::Service,
};
use baton_schemas::{AuditRecord, Topic};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Print audit records as they are published, until Ctrl-C.
    Tail {
        /// Only this org's records.
        #[arg(long)]
        org: Option<String>,
        /// Only this job's records.
        #[arg(long)]
        job: Option<String>,
        /// From the oldest record still on the topic, not from now.
        #[arg(long)]
        from_start: bool,
    },
}

pub async fn audit(config: &Config, cmd: AuditCmd) -> anyhow::Result<()> {
    let AuditCmd::Tail {
        org,
        job,
        from_start,
    } = cmd;
    let svc = Service::start("cli", config).await?;
    let shutdown = baton_platform::shutdown::on_signals();
    let wanted = |r: &AuditRecord| {
        org.as_ref().is_none_or(|o| *o == r.org_id)
            && job.as_ref().is_none_or(|j| r.job_id.as_ref() == Some(j))
    };
    let started = chrono::Utc::now();
    // Kafka is read from its start: without --from-start, records from before the command
    // started are passed over by their time.
    let print = |r: AuditRecord, by_time: bool| {
        let recent = !by_time || r.occurred_at >= started - chrono::Duration::seconds(5);
        if wanted(&r) && (from_start || recent) {
            println!(
                "{} {} job={} {}/{} {} {}",
                r.occurred_at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
                r.org_id,
                r.job_id.as_deref().unwrap_or("-"),
                r.service,
                r.actor,
                r.action,
                r.detail
            );
        }
    };
    let topic = Topic::Audit.name(&svc.topic_prefix);
    // Said once the starting point is fixed: what is published after this line is shown.
    let following = || {
        println!(
            "following {topic} {}",
            if from_start {
                "from its start"
            } else {
                "from now"
            }
        )
    };
    match &svc.bus {
        AnyBus::Embedded(_) => {
            use baton_platform::bus::embedded;
            let mut cursors: Vec<(i32, i64)> = embedded::partition_ends(&svc.pool, &topic)
                .await?
                .into_iter()
                .map(|(p, end)| (p, if from_start { 0 } else { end }))
                .collect();
            following();
            while !shutdown.is_cancelled() {
                let read = embedded::read(&svc.pool, &topic, &cursors, 500).await?;
                for l in &read {
                    if let Some(c) = cursors.iter_mut().find(|c| c.0 == l.partition) {
                        c.1 = c.1.max(l.offset + 1);
                    }
                    match svc.wire.decode::<AuditRecord>(&l.payload).await {
                        Ok(rec) => print(rec, false),
                        Err(e) => eprintln!("{topic}[{}]@{}: {e}", l.partition, l.offset),
                    }
                }
                if read.is_empty() {
                    tokio::select! {
                        _ = shutdown.cancelled() => break,
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    }
                }
            }
        }
        AnyBus::Kafka(_) => {
            let group = format!("baton-ops-audit-{}", uuid::Uuid::now_v7());
            let mut c = svc
                .bus
                .subscribe(&group, std::slice::from_ref(&topic))
                .await?;
            following();
            loop {
                let d = tokio::select! {
                    _ = shutdown.cancelled() => break,
                    d = c.next() => d?,
                };
                match svc.wire.decode::<AuditRecord>(&d.payload).await {
                    Ok(rec) => print(rec, true),
                    Err(e) => eprintln!("{topic}[{}]@{}: {e}", d.partition, d.offset),
                }
            }
            c.close().await?;
        }
    }
    Ok(())
}
