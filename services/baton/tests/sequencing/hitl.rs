//! Human in the loop end to end with all five services as separate processes, on the
//! embedded bus and on Kafka, against a local Slack Web API server and email provider: the
//! approval message arrives in the rep's Slack DM with four buttons; the rep's Slack click
//! (an ApprovalDecision naming the button's pending action) sends the email exactly once and
//! updates the message; the task gate follows; approving it completes the job with the
//! inform-only summary delivered; the proposal child job reaches its own gate.

use std::{sync::atomic::Ordering, time::Duration};

use baton_platform::config::BusKind;
use baton_schemas::{ApprovalDecision, Decision, DecisionChannel};
use serde_json::Value;

use crate::harness::{EmailProvider, Env, ORG, meeting_ended, slack_api};

const MAYA_SLACK: &str = "U05K2M8QZ1A";

/// The pending action id on the buttons of the `n`-th approval message posted.
async fn wait_for_buttons(api: &crate::harness::SlackApi, n: usize) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let with_buttons: Vec<Value> = api
            .posts
            .lock()
            .unwrap()
            .iter()
            .filter_map(|(_, body)| {
                body["blocks"]
                    .as_array()?
                    .iter()
                    .find(|b| b["type"] == "actions")
                    .cloned()
            })
            .collect();
        if let Some(actions) = with_buttons.get(n) {
            let buttons = actions["elements"].as_array().unwrap();
            assert_eq!(buttons.len(), 4, "{actions}");
            return buttons[0]["value"].as_str().unwrap().to_string();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "approval message {n} never posted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(env: &Env, pending: &str, decision: Decision) {
    env.publish_message(&ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        pending_action_id: pending.to_string(),
        org_id: ORG.into(),
        decision,
        decided_by: MAYA_SLACK.into(),
        via: DecisionChannel::Slack,
        user_modifications: None,
        decided_at: chrono::Utc::now(),
    })
    .await;
}

async fn approve_through_slack(bus: BusKind) {
    let email = EmailProvider::start().await;
    let (slack, api) = slack_api().await;
    let env = Env::new(bus, None).await;
    let extra = [
        ("BATON_SKILLS__EMAIL_URL".to_string(), email.url.clone()),
        ("BATON_NOTIFIER__SLACK_BASE_URL".to_string(), slack),
        (
            "BATON_NOTIFIER__SLACK_TOKEN".to_string(),
            "xoxb-e2e".to_string(),
        ),
    ];
    let _procs: Vec<_> = [
        "router",
        "context-loader",
        "step-executor",
        "approval-gateway",
        "notifier",
    ]
    .iter()
    .map(|s| env.spawn_with(s, &extra))
    .collect();
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;

    // The email gate, in Maya's DM, with four buttons naming the pending action.
    let email_gate = wait_for_buttons(&api, 0).await;
    let job: String = env
        .scalar(&format!(
            "SELECT job_id::text FROM slack_pending_actions WHERE id = '{email_gate}'"
        ))
        .await;
    assert!(
        api.posts
            .lock()
            .unwrap()
            .iter()
            .all(|(auth, b)| auth == "Bearer xoxb-e2e" && b["channel"] == MAYA_SLACK)
    );
    click(&env, &email_gate, Decision::Approve).await;
    // Approving sent the email once, under the job's key, and the task gate followed.
    env.wait(
        &format!("SELECT status = 'awaiting_approval' AND context->'current_step' = '7' FROM sequence_jobs WHERE id = '{job}'"),
        "the task gate",
    )
    .await;
    assert_eq!(email.count(), 1);
    assert_eq!(email.sends()[0].0, format!("{job}:6:1"));
    // The gateway records the gate (and sends its message) just after the router asked.
    env.wait(
        &format!("SELECT count(*) = 1 FROM slack_pending_actions WHERE job_id = '{job}' AND step_index = 7"),
        "the task gate's pending action",
    )
    .await;
    let task_gate: String = env
        .scalar(&format!(
            "SELECT id::text FROM slack_pending_actions WHERE job_id = '{job}' AND step_index = 7"
        ))
        .await;
    // The email gate's message now says who approved it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while api.updates.lock().unwrap().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the approved message was never updated"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        api.updates.lock().unwrap()[0]["text"]
            .as_str()
            .unwrap()
            .contains("Approved by u_bl_maya")
    );

    click(&env, &task_gate, Decision::Approve).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to complete",
    )
    .await;
    // The inform-only summary reaches Slack too (no buttons).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let summary = api.posts.lock().unwrap().iter().any(|(_, b)| {
            b["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Meeting recap: "))
                && b["blocks"][0]["type"] == "header"
        });
        if summary {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the summary never reached Slack"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tasks: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM tasks WHERE source_job_id = '{job}'"
        ))
        .await;
    assert!(tasks >= 2);
    assert_eq!(email.count(), 1, "the email went out exactly once");
    // The proposal child job waits at its own gate, with its own message.
    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_chain->>'parent' = '{job}' AND event_type = 'proposal_generation'"
        ),
        "the proposal job's gate",
    )
    .await;
    assert!(api.calls.load(Ordering::SeqCst) >= 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_approval_end_to_end_embedded_bus() {
    approve_through_slack(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_approval_end_to_end_kafka() {
    approve_through_slack(BusKind::Kafka).await;
}
