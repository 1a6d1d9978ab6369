//! The notifier against a local server speaking the Slack Web API wire format: delivery
//! once per notification, the web inbox always, quiet hours and the hourly limit deferring
//! (never dropping), and Slack's rate limit honoured by Retry-After. Injected clock.

use std::sync::{Arc, atomic::Ordering};

use baton_core::clock::ManualClock;
use baton_platform::{component::Component, config::BusKind};
use baton_schemas::{Notification, NotificationKind};
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::json;

use crate::harness::{Env, ORG, REP, SlackApi, slack_api};

fn note(text: &str) -> Notification {
    Notification {
        notification_id: uuid::Uuid::now_v7().to_string(),
        org_id: ORG.into(),
        user_id: REP.into(),
        kind: NotificationKind::Inform,
        text: text.into(),
        blocks: None,
        job_id: None,
        pending_action_id: None,
        created_at: Utc::now(),
    }
}

struct Setup {
    env: Env,
    base: String,
    clock: ManualClock,
    api: Arc<SlackApi>,
    shutdown: tokio_util::sync::CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

async fn start(at: &str) -> Setup {
    let (base, api) = slack_api().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.notifier.slack_base_url = base.clone();
    env.config.notifier.slack_token = Some(SecretString::from("xoxb-test-token"));
    env.config.notifier.timer_poll_ms = 50;
    let clock = ManualClock::at(at.parse().unwrap());
    let notifier = baton_notifier::Notifier::build(&env.config, Arc::new(clock.clone()))
        .await
        .unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(notifier.run(shutdown.clone()));
    Setup {
        env,
        base,
        clock,
        api,
        shutdown,
        task,
    }
}

impl Setup {
    fn posts(&self) -> usize {
        self.api.posts.lock().unwrap().len()
    }

    async fn delivery(&self, n: &Notification) -> (String, Option<DateTime<Utc>>, Option<String>) {
        sqlx::query_as(
            "SELECT status, deferred_until, deferral_reason FROM notification_deliveries WHERE notification_id = $1::uuid",
        )
        .bind(&n.notification_id)
        .fetch_one(&self.env.owner)
        .await
        .unwrap()
    }

    async fn wait_status(&self, n: &Notification, status: &str) {
        self.env
            .wait(
                &format!(
                    "SELECT bool_or(status = '{status}') FROM notification_deliveries WHERE notification_id = '{}'",
                    n.notification_id
                ),
                &format!("notification {} to be {status}", n.notification_id),
            )
            .await;
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_is_posted_once_and_always_in_the_web_inbox() {
    let s = start("2026-11-17T16:00:00Z").await; // 11:00 in New York
    let n = note("Meeting recap ready");
    s.env.publish_message(&n).await;
    s.wait_status(&n, "sent").await;
    // Redelivered (a new message carrying the same notification): nothing posts twice.
    s.env.publish_message(&n).await;
    s.env
        .wait(
            "SELECT count(*) = 2 FROM inbox WHERE consumer_group LIKE '%notifier'",
            "the redelivery to be consumed",
        )
        .await;
    assert_eq!(s.posts(), 1);
    let (auth, body) = s.api.posts.lock().unwrap()[0].clone();
    assert_eq!(auth, "Bearer xoxb-test-token");
    assert_eq!(
        body["channel"], "U05K2M8QZ1A",
        "the rep's DM, through slack_user_mappings"
    );
    assert_eq!(body["text"], "Meeting recap ready");
    let (channel, ts): (String, String) = sqlx::query_as(
        "SELECT slack_channel, slack_ts FROM notification_deliveries WHERE notification_id = $1::uuid",
    )
    .bind(&n.notification_id)
    .fetch_one(&s.env.owner)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), ts.as_str()),
        ("D0REPDM", s.api.ts(0).as_str()),
        "kept for chat.update"
    );
    // The delivery id travels in the message's metadata (to find it again after a crash).
    assert_eq!(
        body["metadata"],
        json!({ "event_type": "baton_delivery", "event_payload": { "delivery_id": n.notification_id } })
    );
    let inbox: i64 = s
        .env
        .scalar(&format!(
            "SELECT count(*) FROM web_inbox WHERE notification_id = '{}'",
            n.notification_id
        ))
        .await;
    assert_eq!(inbox, 1);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_and_the_hourly_limit_defer_and_nothing_is_dropped() {
    // 21:00 EST: inside Maya's quiet hours (20:00–07:30), with at most 2 messages an hour.
    let s = start("2026-11-18T02:00:00Z").await;
    sqlx::query(
        "UPDATE slack_user_preferences SET timezone = 'America/New_York', quiet_hours_start = '20:00',
                quiet_hours_end = '07:30', max_notifications_per_hour = 2 WHERE user_id = $1",
    )
    .bind(REP)
    .execute(&s.env.owner)
    .await
    .unwrap();
    let night = note("Overnight summary");
    s.env.publish_message(&night).await;
    s.wait_status(&night, "deferred").await;
    let (_, until, reason) = s.delivery(&night).await;
    assert_eq!(
        until,
        Some("2026-11-18T12:30:00Z".parse().unwrap()),
        "07:30 EST"
    );
    assert_eq!(reason.as_deref(), Some("quiet_hours"));
    assert_eq!(s.posts(), 0);
    let inbox: i64 = s.env.scalar("SELECT count(*) FROM web_inbox").await;
    assert_eq!(inbox, 1, "the web inbox has it at once");

    // The window opens: delivered, once.
    s.clock.set("2026-11-18T12:30:00Z".parse().unwrap());
    s.wait_status(&night, "sent").await;
    assert_eq!(s.posts(), 1);

    // Two more in the same hour: the first fits the limit, the second waits for the hour to
    // roll past the first delivery.
    s.clock.set("2026-11-18T12:40:00Z".parse().unwrap());
    let second = note("Second");
    let third = note("Third");
    s.env.publish_message(&second).await;
    s.wait_status(&second, "sent").await;
    s.env.publish_message(&third).await;
    s.wait_status(&third, "deferred").await;
    let (_, until, reason) = s.delivery(&third).await;
    assert_eq!(until, Some("2026-11-18T13:30:00Z".parse().unwrap()));
    assert_eq!(reason.as_deref(), Some("rate_limit"));
    assert_eq!(s.posts(), 2);
    s.clock.set("2026-11-18T13:30:00Z".parse().unwrap());
    s.wait_status(&third, "sent").await;
    assert_eq!(s.posts(), 3, "none dropped");
    let deferrals: i64 = s
        .env
        .scalar("SELECT count(*) FROM audit_log WHERE action = 'notification.deferred'")
        .await;
    assert_eq!(deferrals, 2);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_rate_limits_are_retried_after_retry_after() {
    let s = start("2026-11-17T16:00:00Z").await;
    s.api.limited.store(1, Ordering::SeqCst);
    let n = note("Approval waiting");
    s.env.publish_message(&n).await;
    s.wait_status(&n, "deferred").await;
    let (_, until, reason) = s.delivery(&n).await;
    assert_eq!(
        until,
        Some("2026-11-17T16:00:07Z".parse().unwrap()),
        "Retry-After: 7"
    );
    assert_eq!(reason.as_deref(), Some("slack_ratelimited"));
    s.clock.set("2026-11-17T16:00:07Z".parse().unwrap());
    s.wait_status(&n, "sent").await;
    assert_eq!(s.api.calls.load(Ordering::SeqCst), 2);
    assert_eq!(s.posts(), 1);
    assert_eq!(
        s.api.history_calls.load(Ordering::SeqCst),
        0,
        "Slack said it did not post: the retry posts without looking"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decided_gate_updates_its_message_instead_of_posting_again() {
    let s = start("2026-11-17T16:00:00Z").await;
    let gate = uuid::Uuid::now_v7().to_string();
    let mut ask = note("Send this follow-up email to Linda Marsh?");
    ask.kind = NotificationKind::Approval;
    ask.pending_action_id = Some(gate.clone());
    s.env.publish_message(&ask).await;
    s.wait_status(&ask, "sent").await;
    let mut outcome = note("Send this follow-up email to Linda Marsh? — Approved by u_bl_maya.");
    outcome.kind = NotificationKind::Approval;
    outcome.pending_action_id = Some(gate);
    s.env.publish_message(&outcome).await;
    s.wait_status(&outcome, "sent").await;
    assert_eq!(s.posts(), 1, "no second message");
    let updates = s.api.updates.lock().unwrap().clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["channel"], "D0REPDM");
    assert_eq!(
        updates[0]["ts"],
        s.api.ts(0),
        "the message the gate was posted as"
    );
    assert!(
        updates[0]["text"]
            .as_str()
            .unwrap()
            .ends_with("Approved by u_bl_maya.")
    );
    s.stop().await;
}

/// What a crash between Slack's 200 and recording the delivery leaves behind: the attempt
/// recorded, the message in Slack carrying the delivery id, no delivery row. The next attempt
/// finds the message in the DM's history and records it instead of posting again; an attempt
/// that never reached Slack is posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unrecorded_post_is_found_in_slack_history_not_posted_twice() {
    let s = start("2026-11-17T16:00:00Z").await;
    // The earlier attempt's traces.
    let crashed = note("Send this follow-up email to Linda Marsh?");
    let never_sent = note("Create 2 CRM tasks?");
    for n in [&crashed, &never_sent] {
        sqlx::query(
            "INSERT INTO slack_post_attempts (notification_id, org_id, attempts, first_attempt_at, last_attempt_at)
             VALUES ($1::uuid, $2, 1, now(), now())",
        )
        .bind(&n.notification_id)
        .bind(ORG)
        .execute(&s.env.owner)
        .await
        .unwrap();
    }
    // Only the first reached Slack before the crash (on the server the notifier uses).
    let posted = baton_notifier::Slack::new(
        &s.base,
        "xoxb-test-token",
        std::time::Duration::from_secs(5),
    )
    .unwrap()
    .post("U05K2M8QZ1A", &crashed.text, None, &crashed.notification_id)
    .await
    .unwrap();
    assert_eq!(s.posts(), 1);

    s.env.publish_message(&crashed).await;
    s.wait_status(&crashed, "sent").await;
    assert_eq!(s.posts(), 1, "found in the DM's history, not posted again");
    assert!(s.api.history_calls.load(Ordering::SeqCst) >= 1);
    let (channel, ts): (String, String) = sqlx::query_as(
        "SELECT slack_channel, slack_ts FROM notification_deliveries WHERE notification_id = $1::uuid",
    )
    .bind(&crashed.notification_id)
    .fetch_one(&s.env.owner)
    .await
    .unwrap();
    assert_eq!(
        (channel, ts),
        (posted.channel.clone(), posted.ts.clone()),
        "recorded where it was posted"
    );
    let recovered: i64 = s
        .env
        .scalar(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'notification.recovered' AND detail->>'notification_id' = '{}'",
            crashed.notification_id
        ))
        .await;
    assert_eq!(recovered, 1);

    s.env.publish_message(&never_sent).await;
    s.wait_status(&never_sent, "sent").await;
    assert_eq!(s.posts(), 2, "not in Slack: posted");
    let left: i64 = s
        .env
        .scalar("SELECT count(*) FROM slack_post_attempts")
        .await;
    assert_eq!(
        left, 0,
        "attempts are cleared once the delivery is recorded"
    );
    s.stop().await;
}

/// A bot without the scopes to look in the DM still delivers a repeat attempt (a possible
/// duplicate beats a lost message).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_im_scopes_a_repeat_attempt_still_posts() {
    let s = start("2026-11-17T16:00:00Z").await;
    s.api.no_im_scope.store(true, Ordering::SeqCst);
    let n = note("Send this follow-up email to Linda Marsh?");
    sqlx::query(
        "INSERT INTO slack_post_attempts (notification_id, org_id, attempts, first_attempt_at, last_attempt_at)
         VALUES ($1::uuid, $2, 1, now(), now())",
    )
    .bind(&n.notification_id)
    .bind(ORG)
    .execute(&s.env.owner)
    .await
    .unwrap();
    s.env.publish_message(&n).await;
    s.wait_status(&n, "sent").await;
    assert_eq!(s.posts(), 1);
    assert_eq!(s.api.history_calls.load(Ordering::SeqCst), 0);
    s.stop().await;
}
