//! What `/readyz` reports besides the database: the process's background parts (each
//! consumer group, the outbox relay) say here whether they can do their work. A consumer that
//! keeps losing its database connection, or a relay that cannot publish, is *not ready* with
//! its reason, so the orchestrator stops routing to it and an operator sees why — rather than
//! a process that looks healthy while nothing moves.
//!
//! One registry per process (like the metrics recorder), shared by every service it runs:
//! the process has one ops listener.

use std::{
    collections::BTreeMap,
    sync::{LazyLock, Mutex},
};

/// A service's reason while it connects and builds itself (see
/// [`crate::component::launch`]).
pub const STARTING: &str = "starting";

/// The parts of this process that are not ready, with their reasons.
#[derive(Default)]
pub struct Health {
    not_ready: Mutex<BTreeMap<String, String>>,
}

static PROCESS: LazyLock<Health> = LazyLock::new(Health::default);

/// The process's registry.
pub fn process() -> &'static Health {
    &PROCESS
}

impl Health {
    /// `part` can do its work (again).
    pub fn ready(&self, part: &str) {
        if let Ok(mut m) = self.not_ready.lock()
            && m.remove(part).is_some()
        {
            tracing::info!(part, "ready again");
        }
    }

    /// `part` cannot do its work, because of `reason` (no database error text: it is shown
    /// on `/readyz`).
    pub fn not_ready(&self, part: &str, reason: impl Into<String>) {
        if let Ok(mut m) = self.not_ready.lock() {
            m.insert(part.to_string(), reason.into());
        }
    }

    /// Each part that is not ready, as `part: reason`, in name order.
    pub fn problems(&self) -> Vec<String> {
        self.not_ready
            .lock()
            .map(|m| m.iter().map(|(p, r)| format!("{p}: {r}")).collect())
            .unwrap_or_else(|_| vec!["health registry poisoned".into()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_not_ready_until_it_says_so() {
        let h = Health::default();
        assert!(h.problems().is_empty());
        h.not_ready("outbox relay", "cannot publish");
        h.not_ready("consumer baton.router", "database unavailable");
        assert_eq!(
            h.problems(),
            vec![
                "consumer baton.router: database unavailable".to_string(),
                "outbox relay: cannot publish".to_string()
            ]
        );
        h.ready("outbox relay");
        assert_eq!(h.problems().len(), 1);
    }
}
