//! The ingress's schedules on an injected clock, as the ingress's own login: every user's
//! morning brief fires once at the instant morning_brief_truth.json gives, and at the local
//! time across the 2027-03 DST changes; a rescheduled meeting moves its prep and a cancelled
//! one removes it; two schedulers at once, and two ingress processes, fire each slot once; after downtime a slot inside
//! its grace window fires once and an older one is recorded as missed.

use std::{collections::BTreeMap, sync::Arc};

use baton_core::clock::ManualClock;
use baton_ingress::schedules::Scheduler;
use baton_platform::{component::Component, config::BusKind, service::Service};
use baton_schemas::OrchestratorEvent;
use chrono::{DateTime, Duration, Utc};

use crate::harness::{Env, data, read_json};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A scheduler on `clock`, logged in as the ingress.
async fn scheduler(env: &Env, clock: &Arc<ManualClock>) -> Scheduler {
    let svc = Service::start(baton_ingress::NAME, &env.config)
        .await
        .unwrap()
        .with_clock(clock.clone());
    Scheduler::new(svc, &env.config)
}

/// The briefs published so far: (user, local date) → the instants their events name.
async fn briefs(env: &Env) -> BTreeMap<(String, String), Vec<DateTime<Utc>>> {
    let mut out: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for e in env.logged::<OrchestratorEvent>().await {
        if e.event_type == "morning_brief" {
            assert_eq!(e.source, "cron:morning");
            let date = e.payload["date"].as_str().unwrap().to_string();
            out.entry((e.user_id.clone(), date))
                .or_default()
                .push(e.occurred_at);
        }
    }
    out
}

/// The org's unfired timers of `kind`: (key, due).
async fn pending(env: &Env, kind: &str) -> Vec<(String, DateTime<Utc>)> {
    sqlx::query_as(
        "SELECT dedupe_key, due_at FROM timers WHERE kind = $1 AND fired_at IS NULL ORDER BY due_at, dedupe_key",
    )
    .bind(kind)
    .fetch_all(&env.owner)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_brief_fires_once_at_the_instant_the_truth_gives() {
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.schedules.horizon_hours = 24 * 16;
    env.config.schedules.catch_up_hours = 0;
    let clock = Arc::new(ManualClock::at(at("2026-11-29T00:00:00Z")));
    let s = scheduler(&env, &clock).await;
    let planned = s.plan_all().await.unwrap();
    assert!(planned.created > 50, "{planned:?}");
    assert_eq!(
        s.plan_all().await.unwrap(),
        Default::default(),
        "planning again changes nothing"
    );

    let truth = read_json(data().join("calendars/morning_brief_truth.json"));
    let mut want: Vec<(DateTime<Utc>, String, String)> = truth["briefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                at(b["brief_due_utc"].as_str().unwrap()),
                b["user_id"].as_str().unwrap().to_string(),
                b["local_date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    want.sort();
    assert_eq!(want.len(), 50);
    for (due, user, date) in &want {
        let key = (user.clone(), date.clone());
        clock.set(*due - Duration::seconds(1));
        s.fire_due_timers().await.unwrap();
        assert!(
            !briefs(&env).await.contains_key(&key),
            "{user}'s brief for {date} fired before {due}"
        );
        clock.set(*due);
        s.fire_due_timers().await.unwrap();
        assert_eq!(
            briefs(&env).await.get(&key),
            Some(&vec![*due]),
            "{user}'s brief for {date} at {due}"
        );
    }
    // Every brief inside the window is one of the truth's, once.
    let fired = briefs(&env).await;
    let in_window: Vec<_> = fired
        .iter()
        .filter(|((_, d), _)| d.as_str() >= "2026-11-30" && d.as_str() <= "2026-12-13")
        .collect();
    assert_eq!(in_window.len(), want.len(), "{in_window:?}");
    assert!(in_window.iter().all(|(_, at)| at.len() == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn briefs_keep_their_local_time_across_both_dst_changes() {
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.schedules.horizon_hours = 24 * 14;
    env.config.schedules.catch_up_hours = 0;
    // The calendars' second window: the US moved on 2027-03-14, the UK moves on 2027-03-28.
    let clock = Arc::new(ManualClock::at(at("2027-03-21T00:00:00Z")));
    let s = scheduler(&env, &clock).await;
    s.plan_all().await.unwrap();
    let timers = pending(&env, "cron:morning").await;
    let due = |key: &str| {
        timers
            .iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("no brief {key}: {timers:?}"))
            .1
    };
    // Priya, London, 08:30: GMT, then BST from the 28th.
    assert_eq!(due("u_bl_priya:2027-03-26"), at("2027-03-26T08:30:00Z"));
    assert_eq!(due("u_bl_priya:2027-03-29"), at("2027-03-29T07:30:00Z"));
    // Maya, New York, 08:00, already on EDT; Tom, Denver, 07:30 MDT.
    assert_eq!(due("u_bl_maya:2027-03-22"), at("2027-03-22T12:00:00Z"));
    assert_eq!(due("u_bl_maya:2027-04-01"), at("2027-04-01T12:00:00Z"));
    assert_eq!(due("u_bl_tom:2027-03-29"), at("2027-03-29T13:30:00Z"));
    // Each user: one brief per working day (Monday to Friday here), at the same local time.
    let zones = [
        ("u_bl_priya", chrono_tz::Europe::London, "08:30"),
        ("u_bl_maya", chrono_tz::America::New_York, "08:00"),
        ("u_bl_daniel", chrono_tz::America::Chicago, "07:45"),
        ("u_bl_tom", chrono_tz::America::Denver, "07:30"),
    ];
    for (user, zone, local) in zones {
        let mine: Vec<_> = timers
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{user}:")))
            .collect();
        assert_eq!(mine.len(), 10, "{user}: two working weeks: {mine:?}");
        for (key, due) in mine {
            let l = due.with_timezone(&zone);
            assert_eq!(l.format("%H:%M").to_string(), local, "{key} at {l}");
            assert_eq!(format!("{user}:{}", l.date_naive()), *key);
        }
    }
    // And it fires then.
    clock.set(at("2027-03-29T07:30:00Z"));
    s.fire_due_timers().await.unwrap();
    let fired = briefs(&env).await;
    assert_eq!(
        fired.get(&("u_bl_priya".into(), "2027-03-29".into())),
        Some(&vec![at("2027-03-29T07:30:00Z")])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rescheduled_meeting_moves_its_prep_and_a_cancelled_one_removes_it() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = Arc::new(ManualClock::at(at("2026-11-30T00:00:00Z")));
    let s = scheduler(&env, &clock).await;
    s.plan_all().await.unwrap();
    // Maya's Keystone call at 10:00 New York (15:00Z): prep at 13:30Z.
    let prep = "u_bl_maya:ev_maya_001:";
    let preps = |t: Vec<(String, DateTime<Utc>)>| -> Vec<DateTime<Utc>> {
        t.into_iter()
            .filter(|(k, _)| k.starts_with(prep))
            .map(|(_, d)| d)
            .collect()
    };
    assert_eq!(
        preps(pending(&env, "cron:pre_meeting").await),
        vec![at("2026-11-30T13:30:00Z")]
    );
    // No prep for an internal meeting, or for Maya's cancelled one.
    let keys: Vec<String> = pending(&env, "cron:pre_meeting")
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let cancelled: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM calendar_events WHERE status = 'cancelled' AND owner_id LIKE 'u_%'",
    )
    .fetch_all(&env.owner)
    .await
    .unwrap();
    assert!(!cancelled.is_empty());
    for id in &cancelled {
        assert!(!keys.iter().any(|k| k.contains(&format!(":{id}:"))), "{id}");
    }

    // Moved two hours later.
    sqlx::query(
        "UPDATE calendar_events SET starts_at = starts_at + interval '2 hours',
           ends_at = ends_at + interval '2 hours' WHERE id = 'ev_maya_001'",
    )
    .execute(&env.owner)
    .await
    .unwrap();
    let moved = s.plan_all().await.unwrap();
    assert_eq!((moved.created, moved.removed), (1, 1), "{moved:?}");
    assert_eq!(
        preps(pending(&env, "cron:pre_meeting").await),
        vec![at("2026-11-30T15:30:00Z")]
    );

    // Moved again, but the planner has not run when the old slot comes due: it checks the
    // calendar and records the prep as obsolete instead of preparing a meeting that moved.
    sqlx::query(
        "UPDATE calendar_events SET starts_at = starts_at + interval '1 day',
           ends_at = ends_at + interval '1 day' WHERE id = 'ev_maya_001'",
    )
    .execute(&env.owner)
    .await
    .unwrap();
    clock.set(at("2026-11-30T15:30:00Z"));
    s.fire_due_timers().await.unwrap();
    let preps_published = env
        .logged::<OrchestratorEvent>()
        .await
        .into_iter()
        .filter(|e| e.event_type == "pre_meeting_90min" && e.payload["event_id"] == "ev_maya_001")
        .count();
    assert_eq!(preps_published, 0);
    let obsolete: i64 = env
        .scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'schedule.obsolete'
             AND detail->>'key' LIKE 'u_bl_maya:ev_maya_001:%'",
        )
        .await;
    assert_eq!(obsolete, 1);

    // Cancelled: its prep is removed.
    s.plan_all().await.unwrap();
    assert_eq!(
        preps(pending(&env, "cron:pre_meeting").await),
        vec![at("2026-12-01T15:30:00Z")]
    );
    sqlx::query("UPDATE calendar_events SET status = 'cancelled' WHERE id = 'ev_maya_001'")
        .execute(&env.owner)
        .await
        .unwrap();
    let removed = s.plan_all().await.unwrap();
    assert_eq!(removed.removed, 1, "{removed:?}");
    assert!(preps(pending(&env, "cron:pre_meeting").await).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_at_once_fire_each_slot_once() {
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.schedules.catch_up_hours = 0;
    let clock = Arc::new(ManualClock::at(at("2026-12-01T00:00:00Z")));
    let (a, b) = (scheduler(&env, &clock).await, scheduler(&env, &clock).await);
    let (pa, pb) = tokio::join!(a.plan_all(), b.plan_all());
    let (pa, pb) = (pa.unwrap(), pb.unwrap());
    assert!(pa.created + pb.created > 0);
    let slots: i64 = env
        .scalar("SELECT count(*) FROM timers WHERE kind LIKE 'cron:%' AND due_at <= '2026-12-02T00:00:00Z'")
        .await;
    // The whole day in steps of ten minutes, both firing at each step.
    for step in 1..=(24 * 6) {
        clock.set(at("2026-12-01T00:00:00Z") + Duration::minutes(10 * step));
        let (fa, fb) = tokio::join!(a.fire_due_timers(), b.fire_due_timers());
        fa.unwrap();
        fb.unwrap();
    }
    let events: Vec<OrchestratorEvent> = env
        .logged::<OrchestratorEvent>()
        .await
        .into_iter()
        .filter(|e| e.source.starts_with("cron:"))
        .collect();
    let mut ids: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), events.len(), "an event published twice");
    let kinds: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.event_type.as_str()).collect();
    for k in ["morning_brief", "pre_meeting_90min", "campaign_check"] {
        assert!(kinds.contains(k), "{k}: {kinds:?}");
    }
    // Every slot of the day fired once: an event each, or the router's scan for the scan.
    let scans: i64 = env
        .scalar(
            "SELECT count(*) FROM timers WHERE kind = 'pipeline_scan'
             AND dedupe_key = 'cron:pipeline_scan:2026-12-01' AND payload->>'source' = 'cron:pipeline_scan'",
        )
        .await;
    assert_eq!(scans, 1);
    assert_eq!(events.len() as i64 + scans, slots);
    let unfired: i64 = env
        .scalar("SELECT count(*) FROM timers WHERE kind LIKE 'cron:%' AND due_at <= '2026-12-02T00:00:00Z' AND fired_at IS NULL")
        .await;
    assert_eq!(unfired, 0);
}

/// Two `baton run ingress` processes with the schedules on, on the real clock: meetings
/// starting 90 minutes and a few seconds from now get their preps planned by both and fired
/// by whichever claims each slot first — every prep once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_ingress_processes_fire_each_prep_once() {
    let env = Env::new(BusKind::Embedded, None).await;
    let contact: String = env.scalar("SELECT min(id) FROM contacts").await;
    let now = Utc::now();
    let meetings: Vec<String> = (0..8).map(|i| format!("two-proc-{i}")).collect();
    for (i, id) in meetings.iter().enumerate() {
        let starts = now + Duration::minutes(90) + Duration::seconds(12 + 2 * i as i64);
        sqlx::query(
            "INSERT INTO calendar_events (id, org_id, owner_id, title, starts_at, ends_at, status, data)
             VALUES ($1, 'org_brightlane', 'u_bl_maya', 'Call', $2, $2 + interval '30 minutes', 'confirmed',
                     jsonb_build_object('kind', 'external', 'contact_ids', jsonb_build_array($3::text)))",
        )
        .bind(id)
        .bind(starts)
        .bind(&contact)
        .execute(&env.owner)
        .await
        .unwrap();
    }
    let on = [
        ("BATON_SCHEDULES__ENABLED".to_string(), "true".to_string()),
        ("BATON_SCHEDULES__PLAN_EVERY_S".into(), "1".into()),
        ("BATON_SCHEDULES__CATCH_UP_HOURS".into(), "0".into()),
    ];
    let mut a = env.spawn_with("ingress", &on);
    let mut b = env.spawn_with("ingress", &on);
    let fired = || async {
        env.scalar::<i64>(
            "SELECT count(*) FROM timers WHERE kind = 'cron:pre_meeting'
             AND payload->>'dedupe' LIKE 'two-proc-%' AND fired_at IS NOT NULL",
        )
        .await
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while fired().await < meetings.len() as i64 {
        assert!(
            std::time::Instant::now() < deadline,
            "preps fired: {}",
            fired().await
        );
        assert!(
            a.try_wait().unwrap().is_none() && b.try_wait().unwrap().is_none(),
            "an ingress exited"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // Both keep running over the fired slots for a few more polls.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(a.try_wait().unwrap().is_none() && b.try_wait().unwrap().is_none());
    a.kill().await.unwrap();
    b.kill().await.unwrap();
    let preps: Vec<OrchestratorEvent> = env
        .logged::<OrchestratorEvent>()
        .await
        .into_iter()
        .filter(|e| e.event_type == "pre_meeting_90min")
        .filter(|e| {
            e.payload["event_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("two-proc-"))
        })
        .collect();
    let mut per_meeting: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &preps {
        assert_eq!(e.source, "cron:pre_meeting");
        *per_meeting
            .entry(e.payload["event_id"].as_str().unwrap())
            .or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = meetings.iter().map(|m| (m.as_str(), 1)).collect();
    assert_eq!(per_meeting, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_downtime_a_slot_inside_its_grace_fires_once_and_an_older_one_is_recorded() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = Arc::new(ManualClock::at(at("2026-11-30T00:00:00Z")));
    scheduler(&env, &clock).await.plan_all().await.unwrap();
    // Down until 14:00Z the next day. Maya's brief for the 1st (13:00Z) is an hour late,
    // inside its two hours of grace; hers for the 30th (13:00Z) is a day late.
    clock.set(at("2026-12-01T14:00:00Z"));
    let restarted = scheduler(&env, &clock).await;
    restarted.plan_all().await.unwrap();
    restarted.fire_due_timers().await.unwrap();
    let fired = briefs(&env).await;
    assert_eq!(
        fired.get(&("u_bl_maya".into(), "2026-12-01".into())),
        Some(&vec![at("2026-12-01T13:00:00Z")])
    );
    assert!(!fired.contains_key(&("u_bl_maya".into(), "2026-11-30".into())));
    let missed: i64 = env
        .scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'schedule.missed'
             AND detail->>'key' = 'u_bl_maya:2026-11-30' AND detail->>'schedule' = 'cron:morning'",
        )
        .await;
    assert_eq!(missed, 1);
    // Restarted once more: nothing fires again.
    let before = env.logged::<OrchestratorEvent>().await.len();
    let again = scheduler(&env, &clock).await;
    again.plan_all().await.unwrap();
    again.fire_due_timers().await.unwrap();
    assert_eq!(env.logged::<OrchestratorEvent>().await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fired_slots_become_jobs_and_the_scan_revives_stale_deals() {
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.schedules.catch_up_hours = 0;
    // Daniel's brief on 1 December, 07:45 Chicago; the org's scan at 06:00 UTC.
    let clock = Arc::new(ManualClock::at(at("2026-12-01T05:00:00Z")));
    let services = crate::harness::InProcess::start(&env, clock.clone()).await;
    let s = scheduler(&env, &clock).await;
    s.plan_all().await.unwrap();
    clock.set(at("2026-12-01T06:00:00Z"));
    s.fire_due_timers().await.unwrap();
    clock.set(at("2026-12-01T13:45:00Z"));
    s.fire_due_timers().await.unwrap();
    env.wait(
        "SELECT count(*) = 1 FROM sequence_jobs WHERE event_type = 'morning_brief'
           AND user_id = 'u_bl_daniel' AND trigger_payload->>'date' = '2026-12-01'",
        "Daniel's morning brief job",
    )
    .await;
    env.wait(
        "SELECT count(*) > 0 FROM sequence_jobs WHERE event_type = 'stale_deal_revival'",
        "the scan's revival jobs",
    )
    .await;
    let revivals: Vec<OrchestratorEvent> = env
        .logged::<OrchestratorEvent>()
        .await
        .into_iter()
        .filter(|e| e.event_type == "stale_deal_revival")
        .collect();
    assert!(!revivals.is_empty());
    assert!(
        revivals.iter().all(|e| e.source == "cron:pipeline_scan"),
        "{:?}",
        revivals.iter().map(|e| &e.source).collect::<Vec<_>>()
    );
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_list_shows_the_next_firings_and_whether_they_are_planned() {
    let env = Env::new(BusKind::Embedded, None).await;
    let (ok, out, err) = env
        .cli_async(&[
            "schedules",
            "list",
            "--org",
            crate::harness::ORG,
            "--hours",
            "24",
        ])
        .await;
    assert!(ok, "{err}");
    assert!(out.contains("pipeline_scan: \"0 6 * * *\" in UTC"), "{out}");
    assert!(
        out.contains("not planned yet"),
        "nothing planned before an ingress ran: {out}"
    );
    // The planner on the real clock (the CLI reads the database's).
    let clock = Arc::new(baton_core::clock::SystemClock);
    let svc = Service::start(baton_ingress::NAME, &env.config)
        .await
        .unwrap()
        .with_clock(clock);
    Scheduler::new(svc, &env.config).plan_all().await.unwrap();
    let (ok, out, err) = env
        .cli_async(&[
            "schedules",
            "list",
            "--org",
            crate::harness::ORG,
            "--hours",
            "24",
        ])
        .await;
    assert!(ok, "{err}");
    assert!(out.contains(" planned"), "{out}");
    assert!(!out.contains("not planned yet"), "{out}");
    assert!(out.contains("pipeline_scan"), "{out}");
    let (ok, _, err) = env
        .cli_async(&["schedules", "list", "--org", "org_nobody"])
        .await;
    assert!(ok, "an org with nothing to fire lists nothing: {err}");
}
