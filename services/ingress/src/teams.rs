//! Which org a Slack workspace belongs to, remembered for a few seconds: every click asks,
//! and the answer changes only when a workspace is connected, disconnected or remapped.
//!
//! Only found orgs are remembered (a workspace connected a moment ago is found on its first
//! click); a disconnected one may still resolve for up to [`TTL`]. That only names the org
//! a click is recorded under: the approval-gateway still checks each decision against the
//! gate and the clicking user's mapping, read when it applies it.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use baton_schemas::OrgId;

/// How long a workspace's org is remembered.
pub const TTL: Duration = Duration::from_secs(10);
/// At most this many workspaces are remembered; past it, the stale ones are dropped, and if
/// none is stale, all.
const MAX: usize = 10_000;

#[derive(Default)]
pub struct TeamOrgs {
    known: Mutex<HashMap<String, (OrgId, Instant)>>,
}

impl TeamOrgs {
    /// The org remembered for `team`, if it was found less than [`TTL`] ago.
    pub fn get(&self, team: &str, now: Instant) -> Option<OrgId> {
        let known = self.known.lock().ok()?;
        let (org, at) = known.get(team)?;
        (now.duration_since(*at) < TTL).then(|| org.clone())
    }

    /// Remembers that `team` belongs to `org`, as found at `now`.
    pub fn put(&self, team: &str, org: OrgId, now: Instant) {
        let Ok(mut known) = self.known.lock() else {
            return;
        };
        if known.len() >= MAX && !known.contains_key(team) {
            known.retain(|_, (_, at)| now.duration_since(*at) < TTL);
            if known.len() >= MAX {
                known.clear();
            }
        }
        known.insert(team.to_string(), (org, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str) -> OrgId {
        id.parse().unwrap()
    }

    #[test]
    fn an_org_is_remembered_for_the_ttl_and_no_longer() {
        let teams = TeamOrgs::default();
        let t0 = Instant::now();
        assert_eq!(teams.get("T1", t0), None);
        teams.put("T1", org("org_a"), t0);
        assert_eq!(teams.get("T1", t0 + TTL / 2), Some(org("org_a")));
        assert_eq!(teams.get("T1", t0 + TTL), None);
        assert_eq!(teams.get("T2", t0), None);
        // Found again later: remembered from then.
        teams.put("T1", org("org_b"), t0 + TTL);
        assert_eq!(teams.get("T1", t0 + TTL + TTL / 2), Some(org("org_b")));
    }

    #[test]
    fn a_full_cache_drops_stale_workspaces_first_then_everything() {
        let teams = TeamOrgs::default();
        let t0 = Instant::now();
        for i in 0..MAX {
            teams.put(&format!("T{i}"), org("org_a"), t0);
        }
        // All still fresh: the next one clears the lot and is kept.
        teams.put("new", org("org_b"), t0 + TTL / 2);
        assert_eq!(teams.known.lock().unwrap().len(), 1);
        assert_eq!(teams.get("new", t0 + TTL / 2), Some(org("org_b")));
        assert_eq!(teams.get("T0", t0 + TTL / 2), None);
        // Stale ones go, fresh ones stay.
        for i in 0..MAX - 1 {
            teams.put(&format!("U{i}"), org("org_a"), t0 + TTL);
        }
        teams.put(
            "last",
            org("org_c"),
            t0 + TTL + TTL / 2 + Duration::from_millis(1),
        );
        let known = teams.known.lock().unwrap();
        assert!(!known.contains_key("new"), "stale: dropped");
        assert_eq!(known.len(), MAX);
    }
}
