//! Resuming after approval (through the ApprovalResolved path the gateway will use): the
//! edited email is what is sent, tasks and the deal-stage change are written once each with
//! their idempotency keys, the inform-only summary goes to the notifier, and the job
//! completes with its execution metadata. A re-delivered step request changes nothing.

use std::sync::Arc;

use baton_core::clock::SystemClock;
use baton_platform::{bus::Bus, config::BusKind};
use baton_schemas::{Notification, NotificationKind, Resolution, StepRequest};
use serde_json::{Value, json};

use crate::harness::{EmailProvider, Env, InProcess, ORG, REP, meeting_ended, resolve_gate};

async fn decide(env: &Env, job: &str, r: Resolution, edits: Option<Value>) {
    resolve_gate(env, job, r, REP, edits).await;
}

async fn wait_gate(env: &Env, job: &str, step: &str) {
    env.wait(
        &format!(
            "SELECT status = 'awaiting_approval' AND context->'current_step' = to_jsonb({step}) FROM sequence_jobs WHERE id = '{job}'"
        ),
        &format!("job {job} at the gate of step {step}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_gates_send_once_write_crm_rows_once_and_complete() {
    let email = EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    let services = InProcess::start_with_gateway(&env, Arc::new(SystemClock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    let job = env.job_at_gate(&ev).await;

    // Edit: the rep's body is what goes out.
    decide(
        &env,
        &job,
        Resolution::Edit,
        Some(json!({ "body": "Hi Linda, edited by Maya." })),
    )
    .await;
    wait_gate(&env, &job, "7").await; // create_tasks
    {
        let sent = email.sends();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, format!("{job}:6:1"));
        let draft = &sent[0].1["input"]["draft"];
        assert_eq!(draft["body"], "Hi Linda, edited by Maya.");
        let sender = &sent[0].1["input"]["sender"];
        assert_eq!(
            (&sender["org_id"], &sender["user_id"], &sender["name"]),
            (&json!(ORG), &json!(REP), &json!("Maya Okafor")),
            "the provider is told which rep of which org sends"
        );
        assert!(
            draft["subject"].as_str().unwrap().starts_with("Follow-up:"),
            "unedited fields stay"
        );
    }

    // Approve the task list: one task per rep action item, each with its own key.
    let state: Value = env.job(&job).await["context"].clone();
    let rep_items = state["outputs"]["extract_action_items"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["owner"] == "rep")
        .count() as i64;
    assert!(rep_items >= 2, "mtg_dev_001 has rep commitments");
    decide(&env, &job, Resolution::Approve, None).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the meeting job to complete",
    )
    .await;
    let tasks: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM tasks WHERE source_job_id = '{job}' AND idempotency_key LIKE '{job}:7:1:%' AND deal_id = 'd_keystone'"
        ))
        .await;
    assert_eq!(tasks, rep_items);

    // The inform-only summary went to the notifier; execution metadata is recorded.
    let notes: Vec<Notification> = env.logged().await;
    let summary: Vec<_> = notes
        .iter()
        .filter(|n| {
            n.job_id.as_deref() == Some(job.as_str()) && n.text.starts_with("Meeting recap: ")
        })
        .collect();
    assert_eq!(summary.len(), 1, "{notes:#?}");
    // Rendered for Slack as Block Kit: a header, no buttons.
    let blocks = summary[0].blocks.as_ref().expect("the summary has blocks");
    assert_eq!(blocks[0]["type"], "header");
    assert!(
        blocks
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["type"] != "actions")
    );
    assert_eq!(summary[0].kind, NotificationKind::Inform);
    let meta = env.job(&job).await["context"]["execution_metadata"].clone();
    assert_eq!(meta["status"], "completed");
    assert_eq!(meta["approval_gates_hit"], 2);
    assert!(meta["followups_queued"].as_u64().unwrap() >= 1);
    assert_eq!(meta["sequence_job_id"], job);
    assert_eq!(meta["event_source"], "test/webhook");
    assert!(meta["total_ai_cost_usd"].as_f64().unwrap() > 0.0);

    // The proposal child: approve the send, then the deal-stage change.
    let child: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_type = 'proposal_generation' AND event_chain->>'parent' = '{job}'"
        ))
        .await;
    // Stored as a draft (step 1), then the send gate (step 2), then the stage gate (step 4).
    wait_gate(&env, &child, "2").await;
    decide(&env, &child, Resolution::Approve, None).await;
    wait_gate(&env, &child, "4").await;
    assert_eq!(
        env.scalar::<String>("SELECT stage FROM deals WHERE id = 'd_keystone'")
            .await,
        "discovery",
        "nothing moves before the rep approves"
    );
    decide(&env, &child, Resolution::Approve, None).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{child}'"),
        "the proposal job to complete",
    )
    .await;
    assert_eq!(
        env.scalar::<String>("SELECT stage FROM deals WHERE id = 'd_keystone'")
            .await,
        "proposal"
    );
    let out = env.job(&child).await["context"]["outputs"]["move_deal_stage"].clone();
    assert_eq!(
        out,
        json!({ "deal_id": "d_keystone", "from": "discovery", "to": "proposal" })
    );
    assert_eq!(email.count(), 2, "the recap and the proposal");

    // A step request delivered again (a producer retry, a replay) runs nothing twice: the
    // recorded result is re-published and the router ignores it.
    let executor_seen: i64 = env
        .scalar("SELECT count(*) FROM inbox WHERE consumer_group LIKE '%step-executor'")
        .await;
    let router_seen: i64 = env
        .scalar("SELECT count(*) FROM inbox WHERE consumer_group LIKE '%router'")
        .await;
    let again = StepRequest {
        job_id: job.clone(),
        org_id: ORG.into(),
        user_id: REP.into(),
        step_index: 7,
        step_name: "create_tasks".into(),
        attempt: 1,
        sequence_version: env.job(&job).await["sequence_version"]
            .as_str()
            .unwrap()
            .into(),
        idempotency_key: format!("{job}:7:1"),
        requested_at: chrono::Utc::now(),
    };
    env.svc
        .bus
        .publish(vec![env.svc.producer.envelope(&again).unwrap()])
        .await
        .unwrap();
    env.wait(
        &format!(
            "SELECT count(*) = {} FROM inbox WHERE consumer_group LIKE '%step-executor'",
            executor_seen + 1
        ),
        "the executor to take the repeated request",
    )
    .await;
    env.wait(
        &format!(
            "SELECT count(*) = {} FROM inbox WHERE consumer_group LIKE '%router'",
            router_seen + 1
        ),
        "the router to take the re-published result",
    )
    .await;
    assert_eq!(
        env.scalar::<i64>(&format!(
            "SELECT count(*) FROM tasks WHERE source_job_id = '{job}'"
        ))
        .await,
        rep_items,
        "no task twice"
    );
    assert_eq!(
        email.count(),
        2,
        "no email twice (the recap and the proposal)"
    );

    assert_eq!(
        env.scalar::<String>(&format!(
            "SELECT status FROM sequence_jobs WHERE id = '{job}'"
        ))
        .await,
        "completed",
        "the repeated result changed nothing"
    );
    services.stop().await;
}
