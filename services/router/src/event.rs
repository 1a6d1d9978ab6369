//! An event from `baton.events` with its ids parsed: what the pipeline checks, what a skip
//! records and what a new job is made of.

use baton_platform::runtime::{Handled, parse_field};
use baton_schemas::{EventId, JobId, OrchestratorEvent, OrgId, UserId};
use serde_json::{Value, json};

pub(crate) struct Event {
    pub id: EventId,
    pub org: OrgId,
    pub user: UserId,
    pub parent: Option<JobId>,
    pub wire: OrchestratorEvent,
}

impl Event {
    /// The event, its ids checked (a bad one makes the message invalid, naming the field).
    pub fn parse(wire: OrchestratorEvent) -> Handled<Event> {
        let parent = wire.parent_job_id.as_deref();
        Ok(Event {
            id: parse_field("event_id", &wire.event_id)?,
            org: parse_field("org_id", &wire.org_id)?,
            user: parse_field("user_id", &wire.user_id)?,
            parent: parent
                .map(|p| parse_field("parent_job_id", p))
                .transpose()?,
            wire,
        })
    }

    /// The event as expressions see it (`event.*`), before a job exists.
    pub fn json(&self) -> Value {
        let ev = &self.wire;
        json!({
            "event_id": ev.event_id,
            "type": ev.event_type,
            "source": ev.source,
            "org_id": ev.org_id,
            "user_id": ev.user_id,
            "payload": ev.payload,
            "parent_job_id": ev.parent_job_id,
            "chain_depth": ev.chain_depth,
        })
    }
}
