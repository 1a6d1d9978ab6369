//! Where an approval is applied, it is checked: an `ApprovalResolved` moves a job only when
//! it matches a pending action of the same job and step that the approval-gateway has
//! already moved to that decision (or to `expired`). The decider and the rep's edits are
//! read from that row, never from the message. Anything else — a forged result, a replay
//! naming the wrong step, a decision the gateway never recorded, a result appended by
//! another service's database login (the embedded log records who appended each entry) — is
//! rejected with the reason.

use baton_core::status::PendingActionStatus;
use baton_schemas::{ApprovalResolved, JobId, Resolution};
use serde_json::Value;

/// A pending action as the gateway left it.
pub(crate) struct GateRow {
    pub job_id: JobId,
    pub step_index: i32,
    pub status: PendingActionStatus,
    pub decided_by: Option<String>,
    pub user_modifications: Option<Value>,
}

/// What the gateway recorded for an accepted decision.
#[derive(Debug)]
pub(crate) struct Accepted {
    pub decided_by: Option<String>,
    pub user_modifications: Option<Value>,
}

/// The status the gateway gives a gate it resolved this way.
fn status_of(r: Resolution) -> PendingActionStatus {
    match r {
        Resolution::Approve => PendingActionStatus::Approved,
        Resolution::Edit => PendingActionStatus::Edited,
        Resolution::Skip => PendingActionStatus::Skipped,
        Resolution::Cancel => PendingActionStatus::Cancelled,
        Resolution::Expired => PendingActionStatus::Expired,
    }
}

/// Whether `a`, for job `job`, is what the gateway decided (`row`: the pending action it
/// names, if the job's org has one).
pub(crate) fn check(
    job: JobId,
    a: &ApprovalResolved,
    row: Option<GateRow>,
    from_gateway: bool,
) -> Result<Accepted, String> {
    if !from_gateway {
        return Err(
            "the result was produced by another service's login, not the approval-gateway's".into(),
        );
    }
    let Some(row) = row else {
        return Err(format!(
            "no pending action {} in this org",
            a.pending_action_id
        ));
    };
    if row.job_id != job {
        return Err(format!("the pending action belongs to job {}", row.job_id));
    }
    if row.step_index != a.step_index {
        return Err(format!(
            "the result names step {} but the gate is at step {}",
            a.step_index, row.step_index
        ));
    }
    if row.status == PendingActionStatus::Pending {
        return Err("the approval-gateway has not decided this gate".into());
    }
    let claimed = status_of(a.decision);
    if row.status != claimed {
        return Err(format!(
            "the result says {} but the gate was {}",
            claimed, row.status
        ));
    }
    Ok(Accepted {
        decided_by: row.decided_by,
        user_modifications: row.user_modifications,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(decision: Resolution, step: i32) -> ApprovalResolved {
        ApprovalResolved {
            pending_action_id: "pa_0190b0e0-0000-7000-8000-000000000001".into(),
            step_index: step,
            decision,
            decided_by: Some("mallory".into()),
            user_modifications: Some(serde_json::json!({"body": "forged"})),
            resolved_at: chrono::Utc::now(),
        }
    }

    fn row(job: JobId, status: PendingActionStatus) -> Option<GateRow> {
        Some(GateRow {
            job_id: job,
            step_index: 4,
            status,
            decided_by: Some("u_bl_maya".into()),
            user_modifications: None,
        })
    }

    #[test]
    fn only_what_the_gateway_decided_is_accepted() {
        let job = JobId::generate();
        let ok = check(
            job,
            &resolved(Resolution::Approve, 4),
            row(job, PendingActionStatus::Approved),
            true,
        )
        .expect("the gateway approved it");
        assert_eq!(
            ok.decided_by.as_deref(),
            Some("u_bl_maya"),
            "the decider is the row's"
        );
        assert_eq!(
            ok.user_modifications, None,
            "the edits are the row's, not the message's"
        );

        let refused =
            |a: ApprovalResolved, r: Option<GateRow>| check(job, &a, r, true).unwrap_err();
        // The gateway's decision, appended by another service's login.
        assert!(
            check(
                job,
                &resolved(Resolution::Approve, 4),
                row(job, PendingActionStatus::Approved),
                false
            )
            .unwrap_err()
            .contains("not the approval-gateway")
        );
        assert!(refused(resolved(Resolution::Approve, 4), None).contains("no pending action"));
        assert!(
            refused(
                resolved(Resolution::Approve, 4),
                row(JobId::generate(), PendingActionStatus::Approved)
            )
            .contains("belongs to job")
        );
        assert!(
            refused(
                resolved(Resolution::Approve, 4),
                row(job, PendingActionStatus::Pending)
            )
            .contains("has not decided")
        );
        assert!(
            refused(
                resolved(Resolution::Approve, 3),
                row(job, PendingActionStatus::Approved)
            )
            .contains("gate is at step 4")
        );
        assert!(
            refused(
                resolved(Resolution::Approve, 4),
                row(job, PendingActionStatus::Skipped)
            )
            .contains("the gate was skipped")
        );
        assert!(
            check(
                job,
                &resolved(Resolution::Expired, 4),
                row(job, PendingActionStatus::Expired),
                true
            )
            .is_ok()
        );
    }
}
