//! Crashes in the middle of human-in-the-loop delivery, with all five services as processes
//! on both buses, a local Slack Web API server and an email provider:
//! - the approval-gateway is killed -9 between creating the pending action and sending its
//!   message: on Kafka after the transaction committed, before the outbox relay published the
//!   message; on the embedded bus (where the message is appended in the same transaction)
//!   after the insert, before the commit;
//! - the notifier is killed -9 after Slack answered 200 to chat.postMessage but before the
//!   delivery was recorded.
//!
//! After the restarts the rep has exactly one message per notification (the notifier found
//! the unrecorded one through conversations.history and the delivery id in its metadata), the
//! Slack click approves, and the run completes with one email.

use std::{collections::BTreeMap, sync::atomic::Ordering, time::Duration};

use baton_platform::config::BusKind;
use baton_schemas::Decision;

use crate::harness::{
    EmailProvider, Env, FIVE, delivery_vars, meeting_ended, slack_api, slack_click, wait_for_line,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_kill_9_gateway_and_notifier_mid_delivery_leave_one_message_each() {
    crash_mid_delivery(BusKind::Embedded, "gateway_after_pending_action").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_kill_9_gateway_and_notifier_mid_delivery_leave_one_message_each() {
    crash_mid_delivery(BusKind::Kafka, "relay_before_publish").await;
}

/// Waits out the session timeout before a killed service comes back on Kafka (see crash.rs:
/// Tansu 0.6 strands a replacement member that joins before it dropped the dead one).
async fn restart_pause(env: &Env) {
    if env.config.bus.kind == BusKind::Kafka {
        let ms = u64::from(env.config.bus.kafka.session_timeout_ms) + 2_000;
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

async fn crash_mid_delivery(bus: BusKind, gateway_point: &str) {
    let email = EmailProvider::start().await;
    let (slack, api) = slack_api().await;
    let env = Env::new(bus, None).await;
    let extra = delivery_vars(&email, &slack);
    let crash_at = |point: &str| {
        let mut e = extra.clone();
        e.push(("BATON_CRASH_AT".to_string(), format!("{point}:1")));
        e
    };
    let _steady = env.spawn_each(&FIVE[..3], &extra);
    let (mut gateway, mut gateway_out) =
        env.spawn_piped("approval-gateway", &crash_at(gateway_point));
    let (mut notifier, mut notifier_out) =
        env.spawn_piped("notifier", &crash_at("notifier_after_slack_post"));

    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;

    // The gateway has made the gate and stops before its message is sent on.
    wait_for_line(&mut gateway_out, &format!("CRASHPOINT {gateway_point}")).await;
    let inbox: i64 = env
        .scalar("SELECT count(*) FROM web_inbox WHERE kind = 'approval'")
        .await;
    assert_eq!(inbox, 0, "the gate's message has not reached the notifier");
    gateway.kill().await.unwrap();
    restart_pause(&env).await;
    let _gateway = env.spawn_with("approval-gateway", &extra);
    env.wait(
        "SELECT count(*) = 1 FROM slack_pending_actions WHERE step_index = 6",
        "the email gate's pending action",
    )
    .await;
    let (pending, job): (String, String) = sqlx::query_as(
        "SELECT id::text, job_id::text FROM slack_pending_actions WHERE step_index = 6",
    )
    .fetch_one(&env.owner)
    .await
    .unwrap();

    // The notifier posts its first message, Slack says 200, and it dies before recording it.
    wait_for_line(&mut notifier_out, "CRASHPOINT notifier_after_slack_post").await;
    let first = api.posts.lock().unwrap()[0].1.clone();
    let first_id = first["metadata"]["event_payload"]["delivery_id"]
        .as_str()
        .unwrap()
        .to_string();
    notifier.kill().await.unwrap();
    let recorded: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM notification_deliveries WHERE notification_id = '{first_id}' AND status = 'sent'"
        ))
        .await;
    assert_eq!(recorded, 0, "killed before the delivery was recorded");
    restart_pause(&env).await;
    let _notifier = env.spawn_with("notifier", &extra);

    // After the restarts: the unrecorded post is found, not repeated; the gate's message
    // arrives once.
    env.wait(
        &format!("SELECT bool_or(status = 'sent') FROM notification_deliveries WHERE notification_id = '{first_id}'"),
        "the restarted notifier to record the first post",
    )
    .await;
    env.wait(
        &format!(
            "SELECT bool_or(d.status = 'sent') FROM notification_deliveries d JOIN web_inbox w USING (notification_id)
             WHERE w.pending_action_id = '{pending}' AND w.kind = 'approval'"
        ),
        "the email gate's message in Slack",
    )
    .await;
    assert!(
        api.history_calls.load(Ordering::SeqCst) >= 1,
        "looked in the DM's history"
    );
    let recovered: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'notification.recovered' AND detail->>'notification_id' = '{first_id}'"
        ))
        .await;
    assert_eq!(recovered, 1);

    // Maya approves from Slack; the task gate follows; she approves that too.
    slack_click(&env, &pending, Decision::Approve, None).await;
    env.wait(
        &format!("SELECT count(*) = 1 FROM slack_pending_actions WHERE job_id = '{job}' AND step_index = 7"),
        "the task gate",
    )
    .await;
    let task_gate: String = env
        .scalar(&format!(
            "SELECT id::text FROM slack_pending_actions WHERE job_id = '{job}' AND step_index = 7"
        ))
        .await;
    slack_click(&env, &task_gate, Decision::Approve, None).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to complete",
    )
    .await;
    assert_eq!(email.count(), 1, "one email");
    // The summary is the job's last message; once it is out, count what Slack got.
    env.wait(
        &format!(
            "SELECT bool_or(d.status = 'sent') FROM notification_deliveries d JOIN web_inbox w USING (notification_id)
             WHERE w.job_id = '{job}' AND w.text LIKE 'Meeting recap:%'"
        ),
        "the summary in Slack",
    )
    .await;

    // Exactly one Slack message per notification, and one per gate.
    let mut per_delivery: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_gate: BTreeMap<String, usize> = BTreeMap::new();
    for (_, body) in api.posts.lock().unwrap().iter() {
        let id = body["metadata"]["event_payload"]["delivery_id"]
            .as_str()
            .unwrap()
            .to_string();
        *per_delivery.entry(id).or_default() += 1;
        if let Some(actions) = body["blocks"]
            .as_array()
            .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        {
            let gate = actions["elements"][0]["value"]
                .as_str()
                .unwrap()
                .to_string();
            *per_gate.entry(gate).or_default() += 1;
        }
    }
    assert!(per_delivery.values().all(|n| *n == 1), "{per_delivery:?}");
    // The buttons name each gate as `pa_<uuid>`.
    assert_eq!(
        per_gate.get(&format!("pa_{pending}")),
        Some(&1),
        "{per_gate:?}"
    );
    assert_eq!(
        per_gate.get(&format!("pa_{task_gate}")),
        Some(&1),
        "{per_gate:?}"
    );
    let sent: i64 = env
        .scalar("SELECT count(*) FROM notification_deliveries WHERE channel = 'slack' AND status = 'sent' AND kind <> 'update'")
        .await;
    assert_eq!(
        sent as usize,
        per_delivery.len(),
        "every post recorded once"
    );
}
