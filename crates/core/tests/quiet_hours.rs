//! Quiet hours against arbitrary windows, zones and instants, and against the sample org.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton_core::UserTime;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

/// Zones with DST (including Lord Howe's 30-minute shift and Chatham's :45 offset), without
/// DST, and southern-hemisphere ones.
const ZONES: [&str; 8] = [
    "America/New_York",
    "Europe/London",
    "America/Denver",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "UTC",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `next_active` is the first minute at or after `at` that is not quiet.
    #[test]
    fn next_active_is_the_first_active_minute(
        zone in 0usize..ZONES.len(),
        start in 0u32..1440,
        end in 0u32..1440,
        minute_of_2026 in 0i64..(365 * 1440),
    ) {
        let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let user = UserTime::parse(ZONES[zone], Some(&hhmm(start)), Some(&hhmm(end))).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minute_of_2026);
        let next = user.next_active(at);
        prop_assert!(next >= at);
        prop_assert!(!user.is_quiet(next), "{next} is still quiet");
        prop_assert!(next - at <= Duration::hours(26), "deferred {} hours", (next - at).num_hours());
        let mut m = at;
        while m < next {
            prop_assert!(user.is_quiet(m), "{m} is active, before the returned {next}");
            m += Duration::minutes(1);
        }
    }
}

fn fixture_users() -> Vec<serde_json::Value> {
    // The shared fixtures live beside the repository (`../shared/data`), as in CI;
    // BATON_SHARED_DATA points elsewhere.
    let dir = std::env::var("BATON_SHARED_DATA").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").to_string()
    });
    let path = format!("{dir}/org/org_brightlane.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{path}: {e}; the fixtures are expected in ../shared/data beside the repository (or set BATON_SHARED_DATA)")
    });
    let org: serde_json::Value = serde_json::from_str(&text).unwrap();
    org["users"].as_array().unwrap().clone()
}

#[test]
fn the_sample_org_users_quiet_hours() {
    let as_of: DateTime<Utc> = "2026-11-30T12:00:00Z".parse().unwrap();
    let mut seen = Vec::new();
    for u in fixture_users() {
        let user = UserTime::parse(
            u["timezone"].as_str().unwrap(),
            u["quiet_hours_start"].as_str(),
            u["quiet_hours_end"].as_str(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", u["id"]));
        seen.push((
            u["id"].as_str().unwrap().to_string(),
            user.is_quiet(as_of),
            user.next_active(as_of),
        ));
    }
    let get = |id: &str| seen.iter().find(|(i, ..)| i == id).cloned().unwrap();
    // 07:00 in New York, before Maya's 07:30 end: deferred to 07:30 EST.
    assert_eq!(
        get("u_bl_maya"),
        (
            "u_bl_maya".into(),
            true,
            "2026-11-30T12:30:00Z".parse().unwrap()
        )
    );
    // Noon in London: Priya is active.
    assert!(!get("u_bl_priya").1);
    // 05:00 in Denver, before Tom's 06:30 end.
    assert_eq!(
        get("u_bl_tom").2,
        "2026-11-30T13:30:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(seen.len(), 5);
}
