//! What the router sends: a job's ContextRequest, its StepRequests, the ApprovalRequest at a
//! gate, and the follow-up events it queues. Pure: the caller stages them in its
//! transaction.

use std::{collections::BTreeSet, time::Duration};

use baton_core::{
    expr::Scope,
    job::{JobState, QueuedFollowup},
    sequence::{OnTimeout, Sequence},
};
use baton_platform::jobs::JobRow;
use baton_schemas::{
    ApprovalRequest, ContextRequest, JobId, Notification, NotificationKind, OrchestratorEvent,
    OrgId, PendingActionId, StepRequest, TimeoutAction, UserId,
};
use baton_skills::messages::esc;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Who a job belongs to and what started it.
pub(crate) struct JobRef<'a> {
    pub id: JobId,
    pub org: &'a OrgId,
    pub user: &'a UserId,
    pub event_type: &'a str,
    pub payload: &'a Value,
}

impl<'a> From<&'a JobRow> for JobRef<'a> {
    fn from(job: &'a JobRow) -> Self {
        JobRef {
            id: job.id,
            org: &job.org_id,
            user: &job.user_id,
            event_type: &job.event_type,
            payload: &job.trigger_payload,
        }
    }
}

/// The context a job needs: tier 1 always, tier 2 when the payload names a contact or deal,
/// tier 3 for the sources its steps declare.
pub(crate) fn context_request(
    job: JobRef<'_>,
    seq: &Sequence,
    now: DateTime<Utc>,
) -> ContextRequest {
    let id = |k: &str| {
        job.payload
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (contact_id, deal_id) = (id("contact_id"), id("deal_id"));
    let participants = participants(job.payload, contact_id.as_deref());
    let tier3: BTreeSet<String> = seq
        .steps
        .iter()
        .flat_map(|s| s.requires_context.iter().cloned())
        .collect();
    let mut tiers = vec![1];
    if contact_id.is_some() || deal_id.is_some() {
        tiers.push(2);
    }
    if !tier3.is_empty() {
        tiers.push(3);
    }
    ContextRequest {
        job_id: job.id.to_string(),
        org_id: job.org.to_string(),
        user_id: job.user.to_string(),
        event_type: job.event_type.to_string(),
        tiers,
        tier3_sources: tier3.into_iter().collect(),
        contact_id,
        deal_id,
        participant_contact_ids: participants,
        requested_at: now,
    }
}

/// Contacts a job's event says take part besides its contact (`participant_contact_ids`),
/// each once, at most [`MAX_PARTICIPANTS`]; anything not a non-blank string is passed over.
fn participants(payload: &Value, contact: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let listed = payload["participant_contact_ids"]
        .as_array()
        .into_iter()
        .flatten();
    for id in listed.filter_map(Value::as_str).map(str::trim) {
        if !id.is_empty() && Some(id) != contact && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out.truncate(MAX_PARTICIPANTS);
    out
}

/// Participants besides the job's contact a context request names at most.
const MAX_PARTICIPANTS: usize = 10;

pub(crate) fn step_request(
    job: &JobRow,
    seq: &Sequence,
    index: usize,
    attempt: u32,
    now: DateTime<Utc>,
) -> StepRequest {
    StepRequest {
        job_id: job.id.to_string(),
        org_id: job.org_id.to_string(),
        user_id: job.user_id.to_string(),
        step_index: index as i32,
        step_name: seq.steps[index].name.clone(),
        attempt: attempt as i32,
        sequence_version: seq.version.clone(),
        // job:step:attempt-group. Automatic retries and deferrals stay in one group, so a
        // retried send whose first attempt did reach the provider is not sent twice.
        idempotency_key: format!("{}:{index}:1", job.id),
        requested_at: now,
    }
}

/// The gate at step `index`. Its draft is what the gated step would act on: its `input`
/// evaluated now (the `draft` entry when it has one, as the email steps do).
pub(crate) fn approval_request(
    job: &JobRow,
    seq: &Sequence,
    state: &JobState,
    event: &Value,
    index: usize,
    now: DateTime<Utc>,
) -> ApprovalRequest {
    let step = &seq.steps[index];
    let approval = step.approval.as_ref();
    let expires_in = approval.map_or(Duration::from_secs(24 * 3600), |a| a.expires_in);
    ApprovalRequest {
        pending_action_id: PendingActionId::for_gate(job.id, index, state.approval_gates_hit)
            .to_string(),
        job_id: job.id.to_string(),
        org_id: job.org_id.to_string(),
        user_id: job.user_id.to_string(),
        step_index: index as i32,
        step_name: step.name.clone(),
        pattern: approval
            .map_or("generic", |a| a.pattern.as_str())
            .to_string(),
        draft: draft(job, seq, state, event, index),
        editable_fields: approval.map(|a| a.editable.clone()).unwrap_or_default(),
        expires_at: now + chrono::Duration::from_std(expires_in).unwrap_or_default(),
        on_timeout: match approval.map(|a| &a.on_timeout) {
            Some(OnTimeout::Cancel) => TimeoutAction::Cancel,
            _ => TimeoutAction::Skip,
        },
        requested_at: now,
    }
}

/// The gated step's input, evaluated as the step would see it now.
fn draft(job: &JobRow, seq: &Sequence, state: &JobState, event: &Value, index: usize) -> Value {
    let step = &seq.steps[index];
    let context = state.context.clone().unwrap_or(Value::Null);
    let outputs = Value::Object(state.outputs.clone());
    let scope = Scope {
        event,
        context: &context,
        outputs: &outputs,
        item: None,
    };
    let mut input = Map::new();
    for (k, e) in &step.input {
        let v = e.eval(&scope).unwrap_or_else(|err| {
            tracing::warn!(job = %job.id, step = %step.name, input = %k, error = %err, "gate draft input did not evaluate");
            Value::Null
        });
        input.insert(k.clone(), v);
    }
    match input.remove("draft") {
        Some(d) if input.is_empty() => d,
        Some(d) => {
            input.insert("draft".into(), d);
            Value::Object(input)
        }
        None => Value::Object(input),
    }
}

/// A follow-up event of `job`: its id derived from the job and the queuing step (so a
/// re-applied result queues the same event), one level deeper in the chain.
pub(crate) fn followup(job: &JobRow, q: &QueuedFollowup, now: DateTime<Utc>) -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: Uuid::new_v5(
            &job.id.uuid(),
            format!("followup:{}:{}", q.step, q.item).as_bytes(),
        )
        .to_string(),
        event_type: q.event.clone(),
        source: format!("baton/followup/{}", job.event_type),
        org_id: job.org_id.to_string(),
        user_id: job.user_id.to_string(),
        payload: q.payload.clone(),
        parent_job_id: Some(job.id.to_string()),
        occurred_at: now,
        chain_depth: job.chain_depth + 1,
        dedupe_key: None,
    }
}

/// The rep's notice that a job stopped on a failure (the spec's `on_failure: stop`: "notify
/// the user via Slack with error context"): which work, which step, the error, what did
/// not happen, and how to run it again. One per failure (its id is the job's and the
/// failed attempt's).
pub(crate) fn failure_notice(
    job: &JobRow,
    seq: &Sequence,
    state: &JobState,
    now: DateTime<Utc>,
) -> Notification {
    let failed = state
        .steps_completed
        .last()
        .map(|(i, _)| seq.steps[*i].name.as_str())
        .unwrap_or("?");
    let what = seq
        .description
        .as_deref()
        .unwrap_or(job.event_type.as_str());
    let error = state.failure.as_deref().unwrap_or("failed");
    let text = format!(
        "Baton stopped \"{what}\" at step {failed}: {error}. The steps after it did not run. \
         Job {id}; once the cause is fixed, `baton jobs retry {id}` runs the step again.",
        id = job.id
    );
    let blocks = serde_json::json!([
        { "type": "section", "text": { "type": "mrkdwn", "text": format!(
            ":warning: *Baton stopped {}* at step `{}`\n{}",
            esc(what), failed, esc(error)) } },
        { "type": "context", "elements": [{ "type": "mrkdwn", "text": format!(
            "The steps after it did not run. Job `{}`: `baton jobs retry {}` runs the step again once the cause is fixed.",
            job.id, job.id) }] },
    ]);
    Notification {
        notification_id: Uuid::new_v5(
            &job.id.uuid(),
            format!("failed:{}:{}", state.steps_completed.len(), state.attempt).as_bytes(),
        )
        .to_string(),
        org_id: job.org_id.to_string(),
        user_id: job.user_id.to_string(),
        kind: NotificationKind::Inform,
        text,
        blocks: Some(blocks),
        job_id: Some(job.id.to_string()),
        pending_action_id: None,
        created_at: now,
    }
}
