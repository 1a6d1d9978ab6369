//! Every status Baton stores, one enum each, with the strings the database keeps. The
//! CHECK constraints on their columns are tested against `ALL`
//! (`crates/platform/tests/it/statuses.rs`), so a status added here and not there (or the
//! other way round) fails a test. A step attempt's status is the wire's
//! [`baton_schemas::StepStatus`], stored as is in `step_runs.status`.

use baton_schemas::{Decision, str_enum};
use serde::{Deserialize, Serialize};

str_enum! {
    /// `sequence_jobs.status` (and the job state's own status).
    #[derive(Serialize, Deserialize)] #[serde(rename_all = "snake_case")]
    pub enum JobStatus: "job status" {
        /// Created; its context has been asked for.
        Pending = "pending",
        /// Created in the user's quiet hours: starts at the timer for their next window.
        Deferred = "deferred", InProgress = "in_progress",
        AwaitingApproval = "awaiting_approval",
        /// Stopped visibly with a reason (`paused_reason`) until someone acts.
        Paused = "paused", Completed = "completed", Failed = "failed", Cancelled = "cancelled",
    }
}

impl JobStatus {
    /// Nothing more will happen to a job in this status.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Cancelled)
    }
}

str_enum! {
    /// `slack_pending_actions.status`: a gate, open or how it was closed.
    pub enum PendingActionStatus: "pending action status" {
        Pending = "pending", Approved = "approved", Edited = "edited", Skipped = "skipped",
        Cancelled = "cancelled", Expired = "expired",
    }
}

impl PendingActionStatus {
    /// The status a gate takes when a rep decides it.
    pub fn decided(decision: Decision) -> Self {
        match decision {
            Decision::Approve => Self::Approved,
            Decision::Edit => Self::Edited,
            Decision::Skip => Self::Skipped,
            Decision::Cancel => Self::Cancelled,
        }
    }
}

str_enum! {
    /// `notification_deliveries.status`: one notification on one channel.
    pub enum DeliveryStatus: "delivery status" {
        Pending = "pending",
        /// Waiting for the rep's quiet hours or hourly limit to pass (a timer is set).
        Deferred = "deferred", Sent = "sent", Failed = "failed",
    }
}

str_enum! {
    /// `proposals.status`: drafted (stored with its document), or sent to the prospect.
    pub enum ProposalStatus: "proposal status" {
        Draft = "draft", Sent = "sent",
    }
}

impl DeliveryStatus {
    /// Delivered or given up on: a redelivered notification does nothing.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Sent | Self::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_status_serde_name_is_its_stored_string() {
        for s in JobStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(s.as_str().parse::<JobStatus>(), Ok(*s));
        }
        let err = "running".parse::<JobStatus>().unwrap_err().to_string();
        assert!(
            err.starts_with("unknown job status `running` (expected one of: pending, deferred"),
            "{err}"
        );
    }

    #[test]
    fn every_decision_closes_a_gate_its_own_way() {
        let closed: Vec<_> = [
            Decision::Approve,
            Decision::Edit,
            Decision::Skip,
            Decision::Cancel,
        ]
        .into_iter()
        .map(PendingActionStatus::decided)
        .collect();
        assert!(!closed.contains(&PendingActionStatus::Pending));
        assert!(!closed.contains(&PendingActionStatus::Expired));
        let mut unique = closed.clone();
        unique.dedup();
        assert_eq!(unique.len(), 4);
    }
}
