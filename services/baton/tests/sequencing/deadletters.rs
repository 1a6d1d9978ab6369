//! `baton deadletters`: an event over the payload limit is dead-lettered by the router; once
//! the limit is raised, `replay` sends it back — the router's inbox claim released, so it
//! becomes a job rather than a skipped duplicate — audited, and only once.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::config::BusKind;
use serde_json::json;

use crate::harness::{Env, InProcess, meeting_ended};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_letter_is_listed_shown_and_replayed_once() {
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.limits.payload_bytes = 1024;
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    ev.payload["notes"] = json!("n".repeat(2_000));
    env.publish_unchecked(&ev).await;
    env.wait(
        "SELECT count(*) = 1 FROM bus_log WHERE topic LIKE '%deadletter'",
        "the oversized event to be dead-lettered",
    )
    .await;

    let (ok, out, err) = env.cli_async(&["deadletters", "list"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("too_large"), "{out}");
    assert!(out.contains("limits.payload_bytes"), "{out}");
    let id = out.split_whitespace().next().unwrap().to_string();
    let (ok, shown, err) = env.cli_async(&["deadletters", "show", &id]).await;
    assert!(ok, "{err}");
    assert!(
        shown.contains("consumer group") && shown.contains("router"),
        "{shown}"
    );
    assert!(
        !shown.contains("nnnnnnnn"),
        "no payload unless asked: {shown}"
    );

    // The limit raised (as a redeploy with the new setting would), the event replayed.
    baton_schemas::limits::set(baton_schemas::limits::Limits::default());
    let (ok, out, err) = env.cli_async(&["deadletters", "replay", &id]).await;
    assert!(ok, "{err}");
    assert!(out.contains("its claim released"), "{out}");
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the replayed event to become a job",
    )
    .await;
    let audited: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'deadletter.replayed' AND detail->>'deadletter' = '{id}'"
        ))
        .await;
    assert_eq!(audited, 1);

    let (ok, _, err) = env.cli_async(&["deadletters", "replay", &id]).await;
    assert!(!ok, "a second replay is refused");
    assert!(err.contains("replayed already"), "{err}");
    let (ok, _, err) = env.cli_async(&["deadletters", "show", "9:999"]).await;
    assert!(!ok && err.contains("no dead letter 9:999"), "{err}");
    services.stop().await;
}
