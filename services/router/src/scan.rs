//! The pipeline scan: `find-stale-deals` over the org's open deals at the scan's time, then
//! one `stale_deal_revival` event per stale deal, for the deal's owner. It runs as a router
//! timer (`pipeline_scan`, one org per timer): `baton scan pipeline` schedules one now, the
//! ingress's daily schedule one each day. Event ids derive from the timer and the deal, so a
//! re-fired scan emits the same events; the sequence's dedupe window (a deal per week) keeps
//! tomorrow's scan from reviving the same deal again.

use baton_platform::{
    runtime::{Handled, HandlerCtx, HandlerError},
    timers::Timer,
};
use baton_schemas::OrchestratorEvent;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::repo;

pub const PIPELINE_SCAN: &str = "pipeline_scan";

/// The event type the scan emits.
const REVIVAL: &str = "stale_deal_revival";

pub(crate) async fn pipeline(ctx: &mut HandlerCtx<'_>, timer: &Timer) -> Handled {
    let now = ctx.now();
    let deals = repo::open_deals(ctx.tx).await?;
    let mut input = json!({ "org": { "deals": deals }, "now": now.to_rfc3339() });
    if let Some(days) = timer.payload.get("threshold_days").filter(|d| !d.is_null()) {
        input["threshold_days"] = days.clone();
    }
    let found = baton_skills::pipeline::find_stale_deals(&input)
        .map_err(|e| HandlerError::invalid(format!("pipeline scan of {}: {e}", timer.org_id)))?;
    let stale = found["stale_deals"].as_array().cloned().unwrap_or_default();
    let (mut queued, mut unowned) = (Vec::new(), Vec::new());
    for deal in &stale {
        let id = deal["deal_id"].as_str().unwrap_or_default();
        let Some(owner) = deal["owner_user_id"].as_str() else {
            unowned.push(id.to_string());
            continue;
        };
        ctx.emit(&revival(timer, deal, id, owner, now))?;
        queued.push(id.to_string());
    }
    let detail = json!({
        "open_deals": deals.as_array().map_or(0, Vec::len),
        "stale": queued,
        "stale_without_owner": unowned,
        "threshold_days": input.get("threshold_days"),
        "request": timer.dedupe_key,
    });
    repo::audit(ctx, &timer.org_id, None, "pipeline.scanned", detail).await
}

/// One stale deal's event, from the scan, for its owner.
fn revival(
    timer: &Timer,
    deal: &Value,
    id: &str,
    owner: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: Uuid::new_v5(&timer.id, id.as_bytes()).to_string(),
        event_type: REVIVAL.into(),
        // The schedule that asked (`cron:pipeline_scan`), else an operator's `baton scan`.
        source: timer.payload["source"]
            .as_str()
            .unwrap_or("baton/pipeline-scan")
            .into(),
        org_id: timer.org_id.to_string(),
        user_id: owner.into(),
        payload: json!({
            "deal_id": id,
            "days_since_activity": deal["days_since_activity"],
            "stage": deal["stage"],
        }),
        parent_job_id: None,
        occurred_at: now,
        chain_depth: 0,
        dedupe_key: None,
    }
}
