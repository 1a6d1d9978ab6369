//! Follow-up chains: an event's sequence may queue follow-up events, which start jobs of
//! their own linked to it. Chains are at most [`MAX_CHAIN_DEPTH`] deep (event → follow-up →
//! follow-up → stop), so a loop between sequences cannot run away.

use serde_json::{Value, json};

/// The deepest `chain_depth` a job may have: a job at this depth queues no follow-ups.
pub const MAX_CHAIN_DEPTH: i32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "chain depth {depth} exceeds the maximum of {MAX_CHAIN_DEPTH}: the follow-up is not started"
)]
pub struct ChainTooDeep {
    pub depth: i32,
}

/// The depth of a follow-up queued by a job at `parent_depth`, if it may exist.
pub fn follow_up_depth(parent_depth: i32) -> Result<i32, ChainTooDeep> {
    admit(parent_depth + 1)
}

/// Admits an incoming event at `depth` (the router's check).
pub fn admit(depth: i32) -> Result<i32, ChainTooDeep> {
    if (0..=MAX_CHAIN_DEPTH).contains(&depth) {
        Ok(depth)
    } else {
        Err(ChainTooDeep { depth })
    }
}

/// `sequence_jobs.event_chain`: `{"parent": <job id or null>, "children": [<job ids>]}`.
pub fn new_chain(parent: Option<&str>) -> Value {
    json!({ "parent": parent, "children": [] })
}

/// Records `child` under `chain.children`; recording it again changes nothing (a redelivered
/// result must not list a child twice).
pub fn add_child(chain: &mut Value, child: &str) {
    if !chain.is_object() {
        *chain = new_chain(None);
    }
    let children = &mut chain["children"];
    if !children.is_array() {
        *children = json!([]);
    }
    if let Some(list) = children.as_array_mut()
        && !list.iter().any(|c| c == child)
    {
        list.push(json!(child));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_three_is_the_last() {
        assert_eq!(follow_up_depth(0), Ok(1));
        assert_eq!(follow_up_depth(2), Ok(3));
        assert_eq!(follow_up_depth(3), Err(ChainTooDeep { depth: 4 }));
        assert!(admit(-1).is_err(), "a negative depth is not admitted");
        assert!(
            ChainTooDeep { depth: 4 }
                .to_string()
                .contains("maximum of 3"),
            "the warning says why"
        );
    }

    #[test]
    fn children_are_recorded_once() {
        let mut chain = new_chain(Some("job-parent"));
        add_child(&mut chain, "job-a");
        add_child(&mut chain, "job-b");
        add_child(&mut chain, "job-a");
        assert_eq!(
            chain,
            json!({"parent": "job-parent", "children": ["job-a", "job-b"]})
        );
        let mut legacy = json!(null);
        add_child(&mut legacy, "job-c");
        assert_eq!(legacy["children"], json!(["job-c"]));
    }
}
