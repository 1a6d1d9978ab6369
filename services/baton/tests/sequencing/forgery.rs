//! Results are checked where they are applied: a hand-made `ApprovalResolved` (a random gate,
//! or the real one the rep has not decided) moves nothing and is audited as rejected; a
//! `StepFinished` for a step never dispatched changes nothing; the rep's real decision,
//! through the approval-gateway, still resumes the job. On both buses.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::config::BusKind;
use baton_schemas::{
    ApprovalResolved, JobId, PendingActionId, Resolution, StepFinished, StepOutcome, StepResult,
    StepStatus,
};
use serde_json::{Value, json};

use crate::harness::{Env, InProcess, ORG, meeting_ended, resolve_gate};

fn forged(job: &str, gate: String, step: i32) -> StepResult {
    StepResult {
        result_id: uuid::Uuid::now_v7().to_string(),
        job_id: job.into(),
        org_id: ORG.into(),
        result: StepOutcome::ApprovalResolved(ApprovalResolved {
            pending_action_id: gate,
            step_index: step,
            decision: Resolution::Approve,
            decided_by: Some("mallory".into()),
            user_modifications: Some(json!({"body": "wire the money"})),
            resolved_at: chrono::Utc::now(),
        }),
    }
}

async fn forgeries_move_nothing(bus: BusKind) {
    let email = crate::harness::EmailProvider::start().await;
    let mut env = Env::new(bus, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start_with_gateway(&env, Arc::new(clock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        &format!(
            "SELECT COALESCE(bool_or(status = 'awaiting_approval'), false) FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the email gate",
    )
    .await;
    let job: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ))
        .await;
    let before: Value = env.job(&job).await["context"].clone();
    let step = before["pending_approvals"][0].as_i64().unwrap() as i32;
    let real = PendingActionId::for_gate(job.parse::<JobId>().unwrap(), step as usize, 1);
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM slack_pending_actions WHERE id = '{}'",
            real.uuid()
        ),
        "the gateway's pending action",
    )
    .await;

    // A random gate, the real (undecided) gate, and a result for a step never dispatched.
    env.publish_message(&forged(
        &job,
        PendingActionId::from_uuid(uuid::Uuid::now_v7()).to_string(),
        step,
    ))
    .await;
    env.publish_message(&forged(&job, real.to_string(), step))
        .await;
    env.publish_message(&StepResult {
        result_id: uuid::Uuid::now_v7().to_string(),
        job_id: job.clone(),
        org_id: ORG.into(),
        result: StepOutcome::StepFinished(StepFinished {
            step_index: 7,
            step_name: "create_tasks".into(),
            attempt: 1,
            status: StepStatus::Succeeded,
            output: Some(json!({"created": 99})),
            error: None,
            retryable: false,
            cost_usd: 0.0,
            duration_ms: 1,
            finished_at: chrono::Utc::now(),
        }),
    })
    .await;
    env.wait(
        &format!("SELECT count(*) = 2 FROM audit_log WHERE job_id = '{job}' AND action = 'approval.rejected'"),
        "both forged approvals to be rejected",
    )
    .await;
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT detail->>'reason' FROM audit_log WHERE job_id = $1::uuid AND action = 'approval.rejected' ORDER BY occurred_at, id",
    )
    .bind(&job)
    .fetch_all(&env.owner)
    .await
    .unwrap();
    assert!(reasons[0].contains("no pending action"), "{reasons:?}");
    assert!(reasons[1].contains("has not decided"), "{reasons:?}");
    let after: Value = env.job(&job).await["context"].clone();
    assert_eq!(after, before, "the job did not move");
    let resolved: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM audit_log WHERE job_id = '{job}' AND action = 'approval.resolved'"
        ))
        .await;
    assert_eq!(resolved, 0, "nothing reads 'approved by mallory'");
    let status: String = env
        .scalar(&format!(
            "SELECT status FROM slack_pending_actions WHERE id = '{}'",
            real.uuid()
        ))
        .await;
    assert_eq!(status, "pending");
    assert_eq!(email.count(), 0, "nothing was sent");

    // The rep's own Approve, through the gateway, resumes it; the audit names her.
    resolve_gate(&env, &job, Resolution::Approve, "u_bl_maya", None).await;
    env.wait(
        &format!("SELECT count(*) = 1 FROM audit_log WHERE job_id = '{job}' AND action = 'approval.resolved' AND detail->>'decided_by' = 'u_bl_maya'"),
        "the real decision to be applied",
    )
    .await;
    // Results of one job share a partition, in order: the forged StepFinished (published
    // before the gateway's real result) has been taken by now, and changed nothing.
    let state: Value = env.job(&job).await["context"].clone();
    assert_ne!(state["outputs"]["create_tasks"], json!({"created": 99}));
    assert!(
        !state["steps_completed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s[0] == 7),
        "{state:#}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while email.count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the approved email was not sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_results_move_nothing_on_the_embedded_bus() {
    forgeries_move_nothing(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_results_move_nothing_on_kafka() {
    forgeries_move_nothing(BusKind::Kafka).await;
}
