//! Firing one claimed slot: its event published (or, for the pipeline scan, the router asked
//! to scan), unless it is later than its grace window or its meeting moved — then recorded
//! in the audit trail instead, with why.

use baton_platform::{
    config::SchedulesConfig,
    jobs::{self, Actor},
    runtime::{HandlerCtx, HandlerError},
    timers::{self, Timer},
};
use baton_schemas::OrchestratorEvent;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Schedule, repo};

/// The namespace of fired events' ids: `v5(org/kind/key)`, the same for every replica.
const EVENT_IDS: Uuid = Uuid::from_u128(0x6a1e_53c4_8f0b_4d0e_9a57_1c2b_7d3e_0f41);

/// The router's timer kind for a pipeline scan.
const ROUTER_PIPELINE_SCAN: &str = "pipeline_scan";

/// What a slot's timer carries (see `repo::reconcile`).
#[derive(Debug, Deserialize)]
struct Firing {
    user_id: Option<String>,
    payload: Value,
    dedupe: String,
}

pub(super) async fn fire(
    cfg: &SchedulesConfig,
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
) -> Result<(), HandlerError> {
    let schedule = Schedule::from_kind(&timer.kind)
        .ok_or_else(|| HandlerError::invalid(format!("no schedule has kind {}", timer.kind)))?;
    let firing: Firing = serde_json::from_value(timer.payload.clone())
        .map_err(|e| HandlerError::invalid(format!("{} timer {}: {e}", timer.kind, timer.id)))?;
    let cfg = cfg.for_org(timer.org_id.as_str());
    let late = ctx.now() - timer.due_at;
    if late > schedule.grace(&cfg) {
        let detail =
            json!({ "late_s": late.num_seconds(), "grace_s": schedule.grace(&cfg).num_seconds() });
        return record(ctx, timer, "schedule.missed", detail).await;
    }
    if schedule == Schedule::PreMeeting && !meeting_unchanged(ctx, timer, &firing).await? {
        return record(
            ctx,
            timer,
            "schedule.obsolete",
            json!({ "reason": "the meeting moved, was cancelled or was declined" }),
        )
        .await;
    }
    match schedule.event_type() {
        Some(event_type) => ctx.emit(&event(timer, event_type, firing))?,
        None => {
            // The router reads the deals and publishes one revival per stale deal; its
            // timer is keyed by this slot, so a second firing asks nothing twice.
            let key = format!("{}:{}", timer.kind, timer.dedupe_key);
            let payload = json!({ "source": timer.kind });
            timers::schedule(
                ctx.tx,
                &timer.org_id,
                ROUTER_PIPELINE_SCAN,
                &key,
                ctx.now(),
                &payload,
            )
            .await?;
        }
    }
    tracing::info!(org = %timer.org_id, schedule = schedule.name(), key = %timer.dedupe_key, "schedule fired");
    Ok(())
}

/// The slot's event: its id and dedupe key derive from the slot.
fn event(timer: &Timer, event_type: &str, firing: Firing) -> OrchestratorEvent {
    let name = format!("{}/{}/{}", timer.org_id, timer.kind, timer.dedupe_key);
    OrchestratorEvent {
        event_id: Uuid::new_v5(&EVENT_IDS, name.as_bytes()).to_string(),
        event_type: event_type.into(),
        source: timer.kind.clone(),
        org_id: timer.org_id.to_string(),
        user_id: firing.user_id.unwrap_or_default(),
        payload: firing.payload,
        parent_job_id: None,
        occurred_at: timer.due_at,
        chain_depth: 0,
        dedupe_key: Some(firing.dedupe),
    }
}

/// Whether the prep's meeting still starts when it was planned for.
async fn meeting_unchanged(
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
    firing: &Firing,
) -> Result<bool, HandlerError> {
    let p = &firing.payload;
    let (Some(owner), Some(event_id), Some(starts_at)) = (
        firing.user_id.as_deref(),
        p["event_id"].as_str(),
        p["starts_at"]
            .as_str()
            .and_then(|s| s.parse::<DateTime<Utc>>().ok()),
    ) else {
        return Err(HandlerError::invalid(format!(
            "pre-meeting timer {} names no owner, event or start",
            timer.id
        )));
    };
    Ok(repo::meeting_still_at(ctx.tx, &timer.org_id, owner, event_id, starts_at).await?)
}

/// Records a slot that did not fire, and why.
async fn record(
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
    action: &str,
    mut detail: Value,
) -> Result<(), HandlerError> {
    detail["schedule"] = json!(timer.kind);
    detail["key"] = json!(timer.dedupe_key);
    detail["due_at"] = json!(timer.due_at);
    tracing::warn!(org = %timer.org_id, schedule = %timer.kind, key = %timer.dedupe_key, action, "schedule not fired");
    let org = timer.org_id.clone();
    let who = Actor {
        service: crate::NAME,
        actor: "schedules",
        org_id: &org,
        job_id: None,
    };
    jobs::audit(ctx, who, action, detail).await
}
