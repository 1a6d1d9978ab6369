//! A consumer process for the crash tests: applies OrchestratorEvents (one row each) and
//! produces one AuditRecord per event through the outbox relay, on the Kafka bus.
//!
//! `BATON_CRASH_AT=<failpoint>:<n>` makes the n-th pass through that failpoint print
//! `CRASHPOINT <failpoint>` and hang, so the test can `kill -9` it exactly there.

use anyhow::Context;
use baton_platform::{
    bus::{Delivery, kafka::KafkaBus},
    config::{DatabaseConfig, KafkaConfig},
    relay,
    runtime::{self, ConsumerSpec, Handler, HandlerCtx, HandlerError},
    store,
};
use baton_schemas::{AuditRecord, Message, OrchestratorEvent};
use secrecy::SecretString;

struct Apply;

impl Handler for Apply {
    async fn handle(&self, ctx: &mut HandlerCtx<'_>, d: &Delivery) -> Result<(), HandlerError> {
        let ev: OrchestratorEvent = ctx.decode(d).await?;
        ctx.enter_org(&ev.org_id).await?;
        sqlx::query("INSERT INTO e2e_applied (event_id) VALUES ($1)")
            .bind(&ev.event_id)
            .execute(&mut *ctx.tx)
            .await?;
        ctx.emit(&AuditRecord {
            audit_id: uuid::Uuid::now_v7().to_string(),
            org_id: ev.org_id,
            job_id: None,
            service: "crash-consumer".into(),
            actor: "system".into(),
            action: "e2e.applied".into(),
            detail: serde_json::json!({ "event_id": ev.event_id }),
            occurred_at: chrono::Utc::now(),
        })
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let var = |k: &str| std::env::var(k).with_context(|| format!("{k} is required"));
    baton_platform::failpoints::arm_from_env()?;
    let db = DatabaseConfig {
        url: SecretString::from(var("BATON_E2E_DB")?),
        service_role: "baton_app".into(),
        max_connections: 4,
        ..DatabaseConfig::default()
    };
    let mut kafka = KafkaConfig {
        bootstrap_servers: var("BATON_E2E_KAFKA")?,
        session_timeout_ms: 6000,
        ..KafkaConfig::default()
    };
    // Lets a test take periodic auto-commit out of the picture.
    if let Ok(ms) = std::env::var("BATON_E2E_AUTOCOMMIT_MS") {
        kafka
            .properties
            .insert("auto.commit.interval.ms".into(), ms);
    }
    let prefix = var("BATON_E2E_PREFIX")?;
    let pool = store::connect(&db).await?;
    let bus = KafkaBus::new(&kafka, 3, 1)?;
    let shutdown = baton_platform::shutdown::on_signals();
    let spec = ConsumerSpec {
        service: "crash-consumer".into(),
        group: format!("{prefix}crash-consumer"),
        topics: vec![OrchestratorEvent::TOPIC.name(&prefix)],
        topic_prefix: prefix.clone(),
        wire: Default::default(),
        clock: std::sync::Arc::new(baton_core::clock::SystemClock),
        retry: Default::default(),
        batch_max: 32,
        concurrency: 3,
    };
    println!("READY");
    let relay = tokio::spawn(relay::run(pool.clone(), bus.clone(), shutdown.clone()));
    runtime::run(spec, bus, pool, Apply, shutdown).await?;
    relay.await??;
    println!("STOPPED");
    Ok(())
}
