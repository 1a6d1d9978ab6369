//! Human in the loop end to end with all five services as separate processes, on the
//! embedded bus and on Kafka, against a local Slack Web API server and email provider: the
//! approval message arrives in the rep's Slack DM with four buttons; the rep's Slack click
//! (an ApprovalDecision naming the button's pending action) sends the email exactly once and
//! updates the message; the task gate follows; approving it completes the job with the
//! inform-only summary delivered; the proposal child job reaches its own gate.

use std::time::Duration;

use baton_platform::config::BusKind;
use baton_schemas::Decision;
use serde_json::{Value, json};

use crate::harness::{
    EmailProvider, Env, FIVE, MAYA_SLACK, delivery_vars, gate_uuid, meeting_ended, slack_api,
    slack_click,
};

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

async fn approve_through_slack(bus: BusKind) {
    let email = EmailProvider::start().await;
    let (slack, api) = slack_api().await;
    let env = Env::new(bus, None).await;
    let _procs = env.spawn_each(&FIVE, &delivery_vars(&email, &slack));
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;

    // The email gate, in Maya's DM, with four buttons naming the pending action.
    let email_gate = wait_for_buttons(&api, 0).await;
    let job: String = env
        .scalar(&format!(
            "SELECT job_id::text FROM slack_pending_actions WHERE id = '{}'",
            gate_uuid(&email_gate)
        ))
        .await;
    assert!(
        api.posts
            .lock()
            .unwrap()
            .iter()
            .all(|(auth, b)| auth == "Bearer xoxb-e2e" && b["channel"] == MAYA_SLACK)
    );
    slack_click(&env, &email_gate, Decision::Approve, None).await;
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
    until("the approved message was never updated", || {
        !api.updates.lock().unwrap().is_empty()
    })
    .await;
    assert!(
        api.updates.lock().unwrap()[0]["text"]
            .as_str()
            .unwrap()
            .contains("Approved by u_bl_maya")
    );

    slack_click(&env, &task_gate, Decision::Approve, None).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to complete",
    )
    .await;
    // The inform-only summary reaches Slack too (no buttons).
    until("the summary never reached Slack", || {
        api.posts.lock().unwrap().iter().any(|(_, b)| {
            b["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Meeting recap: "))
                && b["blocks"][0]["type"] == "header"
        })
    })
    .await;
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
    // Its message follows the gate: the gateway records the pending action, then the
    // notifier posts it (not within the same instant as the job's status — a CI run caught
    // a check made before the post).
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM slack_pending_actions p JOIN sequence_jobs j ON j.id = p.job_id WHERE j.event_chain->>'parent' = '{job}' AND j.event_type = 'proposal_generation'"
        ),
        "the proposal gate's pending action",
    )
    .await;
    let pending: String = env
        .scalar(&format!(
            "SELECT 'pa_' || p.id::text FROM slack_pending_actions p JOIN sequence_jobs j ON j.id = p.job_id WHERE j.event_chain->>'parent' = '{job}' AND j.event_type = 'proposal_generation'"
        ))
        .await;
    until("the proposal gate's message never reached Slack", || {
        let posts = api.posts.lock().unwrap();
        posts.iter().any(|(_, b)| b.to_string().contains(&pending))
    })
    .await;
}

/// Polls `done` every 100 ms for up to a minute; fails saying `never` if it never holds.
async fn until(never: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "{never}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_approval_end_to_end_embedded_bus() {
    approve_through_slack(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_approval_end_to_end_kafka() {
    approve_through_slack(BusKind::Kafka).await;
}

/// Waits for the Slack message whose buttons carry `pending`.
async fn wait_for_gate_message(api: &crate::harness::SlackApi, pending: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let posted = api.posts.lock().unwrap().iter().any(|(_, body)| {
            body["blocks"].as_array().is_some_and(|bs| {
                bs.iter().any(|b| {
                    b["type"] == "actions"
                        && b["elements"].as_array().is_some_and(|es| {
                            es.len() == 4 && es.iter().all(|e| e["value"] == pending)
                        })
                })
            })
        });
        if posted {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the message for gate {pending} never reached Slack"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Three of Maya's meetings, each gated at its follow-up email, decided from Slack three
/// ways: edit (the edited body is what the provider receives), skip (the send is skipped and
/// the sequence goes on to the task gate), cancel (the job is cancelled, nothing is sent).
async fn edit_skip_cancel_through_slack(bus: BusKind) {
    let email = EmailProvider::start().await;
    let (slack, api) = slack_api().await;
    let env = Env::new(bus, None).await;
    // Three jobs' messages within the hour: lift Maya's hourly limit (notifier.rs tests it).
    sqlx::query("UPDATE slack_user_preferences SET max_notifications_per_hour = 100")
        .execute(&env.owner)
        .await
        .unwrap();
    let _procs = env.spawn_each(&FIVE, &delivery_vars(&email, &slack));
    let meetings = [
        ("mtg_dev_001", "d_keystone", "ct_linda_marsh"),
        ("mtg_dev_003", "d_harbor", "ct_victor_amadi"),
        ("mtg_dev_008", "d_pinecrest", "ct_alicia_moreno"),
    ];
    let mut gates = Vec::new();
    for (m, d, c) in meetings {
        let ev = meeting_ended(m, d, c);
        env.publish(&ev).await;
        let job_of = format!(
            "(SELECT id FROM sequence_jobs WHERE event_id = '{}')",
            ev.event_id
        );
        env.wait(
            &format!("SELECT count(*) = 1 FROM slack_pending_actions WHERE job_id = {job_of} AND step_index = 6"),
            &format!("{m}'s email gate"),
        )
        .await;
        let (pending, job): (String, String) = env
            .scalar::<Value>(&format!(
                "SELECT jsonb_build_array('pa_' || id::text, job_id::text) FROM slack_pending_actions WHERE job_id = {job_of} AND step_index = 6"
            ))
            .await
            .as_array()
            .map(|a| (a[0].as_str().unwrap().to_string(), a[1].as_str().unwrap().to_string()))
            .unwrap();
        wait_for_gate_message(&api, &pending).await;
        gates.push((pending, job));
    }
    let [
        (edit_gate, edited),
        (skip_gate, skipped),
        (cancel_gate, cancelled),
    ] = <[(String, String); 3]>::try_from(gates).unwrap();

    let body = "Hi Linda,\n\nEdited in Slack before sending.\n\nMaya";
    slack_click(
        &env,
        &edit_gate,
        Decision::Edit,
        Some(json!({ "body": body })),
    )
    .await;
    slack_click(&env, &skip_gate, Decision::Skip, None).await;
    slack_click(&env, &cancel_gate, Decision::Cancel, None).await;

    // Edit: the edited body is what was sent, once, under the job's key; on to the task gate.
    env.wait(
        &format!("SELECT status = 'awaiting_approval' AND context->'current_step' = '7' FROM sequence_jobs WHERE id = '{edited}'"),
        "the edited job's task gate",
    )
    .await;
    // Skip: the send is skipped and the sequence goes on (to its task gate, or to the end).
    env.wait(
        &format!(
            "SELECT context->'steps_completed' @> '[[6, \"skipped\"]]' AND status IN ('awaiting_approval', 'completed')
             FROM sequence_jobs WHERE id = '{skipped}'"
        ),
        "the skipped job to go on",
    )
    .await;
    // Cancel: the job is cancelled.
    env.wait(
        &format!("SELECT status = 'cancelled' FROM sequence_jobs WHERE id = '{cancelled}'"),
        "the cancelled job",
    )
    .await;
    let sends = email.sends();
    assert_eq!(sends.len(), 1, "only the edited email went out");
    assert_eq!(sends[0].0, format!("{edited}:6:1"));
    assert_eq!(sends[0].1["input"]["draft"]["body"], body);
    let skipped_runs: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM step_runs WHERE job_id = '{skipped}' AND step_index = 6"
        ))
        .await;
    assert_eq!(skipped_runs, 0, "a skipped send never ran");
    for (gate, status) in [
        (&edit_gate, "edited"),
        (&skip_gate, "skipped"),
        (&cancel_gate, "cancelled"),
    ] {
        let got: String = env
            .scalar(&format!(
                "SELECT status FROM slack_pending_actions WHERE id = '{}'",
                gate_uuid(gate)
            ))
            .await;
        assert_eq!(got, status);
    }
    let later: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM sequence_jobs WHERE id = '{cancelled}' AND context->'steps_completed' @> '[[7, \"succeeded\"]]'"
        ))
        .await;
    assert_eq!(later, 0, "nothing ran after the cancel");
    // Each decided message was updated in place to say who decided what.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let texts: Vec<String> = api
            .updates
            .lock()
            .unwrap()
            .iter()
            .filter_map(|u| u["text"].as_str().map(str::to_string))
            .collect();
        let said = |word: &str| {
            texts
                .iter()
                .any(|t| t.contains(word) && t.contains("u_bl_maya"))
        };
        if said("Edited") && said("Skipped") && said("Cancelled") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the decided messages were not all updated: {texts:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_edit_skip_cancel_embedded_bus() {
    edit_skip_cancel_through_slack(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_edit_skip_cancel_kafka() {
    edit_skip_cancel_through_slack(BusKind::Kafka).await;
}
