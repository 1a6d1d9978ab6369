//! The sales-day sequences end to end on the embedded bus with the three sequencing services
//! in this process, on the DEV data (calendars seeded from ../shared/data/calendars).

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::config::BusKind;
use serde_json::{Value, json};

use crate::harness::{Env, InProcess, data, event, read_json};

/// What Rachel Kim wrote (em_dev_027), as the payload an email triage or a producer sends.
const RACHEL: &str = "For the permitting session I can do Tuesday Dec 1 or Wednesday Dec 2, anywhere between 8 and 10:30am Mountain. An hour would be ideal.";

fn starts(v: &Value) -> Vec<Value> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["start_utc"].clone())
        .collect()
}

#[tokio::test]
async fn calendar_find_times_offers_the_true_slots_for_approval() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-30T15:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = event(
        "calendar_find_times",
        json!({"contact_id": "ct_rachel_kim", "text": RACHEL, "said_at": "2026-11-30T07:45:00-07:00"}),
    );
    ev.user_id = "u_bl_priya".into();
    env.publish(&ev).await;
    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the calendar_find_times job to reach its send gate",
    )
    .await;
    let id: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ))
        .await;
    let state = env.job(&id).await["context"].clone();
    let found = &state["outputs"]["find_slots"];
    // The same request as sr_dev_002 without its optional attendee: the same slots.
    let truth =
        read_json(data().join("calendars/scheduling_requests.json"))["truth"]["sr_dev_002"].clone();
    assert_eq!(
        starts(&found["slots"]),
        starts(&truth["slots"]),
        "{found:#}"
    );
    assert_eq!(found["request"]["duration_min"], 60);
    assert_eq!(
        found["assumed_working_hours"],
        json!([]),
        "both calendars were loaded"
    );
    let draft = &state["outputs"]["draft_email"];
    let body = draft["body"].as_str().unwrap();
    assert!(body.starts_with("Hi Rachel,"), "{body}");
    assert_eq!(
        body.matches("\n- ").count(),
        draft["slots_offered"].as_u64().unwrap() as usize
    );
    assert!(draft["slots_offered"].as_u64().unwrap() >= 1);
    assert!(body.contains("MST"), "times in Rachel's zone: {body}");
    assert_eq!(draft["to"]["contact_id"], "ct_rachel_kim");
    assert_eq!(
        state["pending_approvals"],
        json!([2]),
        "the send_times gate"
    );
    services.stop().await;
}
