//! Planning, without I/O: an org's snapshot and a window of time → every slot its schedules
//! fire in that window, each with the key that makes it fire once (schedule, subject, local
//! date or week or meeting start) and its due instant, computed in the subject's zone
//! (croner over chrono-tz: a time in a spring-forward gap runs when the gap ends, one in a
//! fall-back overlap runs once).

use std::collections::HashSet;

use baton_platform::config::{CronSchedule, SchedulesConfig};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use croner::{Cron, Direction};
use serde_json::{Value, json};

use super::Schedule;

/// What planning reads of one org.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Features switched off for the org (`notification_feature_settings`).
    pub disabled_features: HashSet<String>,
    pub users: Vec<User>,
    /// Users who own an active campaign.
    pub campaign_owners: HashSet<String>,
    /// External, not cancelled or declined, calendar events with CRM contacts, on users'
    /// calendars.
    pub meetings: Vec<Meeting>,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub role: String,
    pub zone: Tz,
    pub brief_time: NaiveTime,
    /// Monday first: whether the user works that weekday (their calendar's working hours;
    /// Monday to Friday without a calendar).
    pub working_days: [bool; 7],
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub owner_id: String,
    pub event_id: String,
    pub starts_at: DateTime<Utc>,
    pub contact_ids: Vec<String>,
    pub deal_id: Option<String>,
}

/// One firing.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub schedule: Schedule,
    /// The timer's key within the org and schedule: the same slot always has the same key.
    pub key: String,
    pub due_at: DateTime<Utc>,
    /// Whom the event is for (none for the org-wide pipeline scan).
    pub user_id: Option<String>,
    /// The event's payload.
    pub payload: Value,
    /// The event's dedupe key (the one its sequence computes from the payload).
    pub dedupe: String,
}

/// Roles that get the weekly coaching digest.
const COACHED_ROLES: &[&str] = &[
    "account_executive",
    "ae",
    "sdr",
    "bdr",
    "solutions_engineer",
];

/// Every slot of every enabled schedule due in `[from, to]`, in due order.
pub fn plan(
    snap: &Snapshot,
    cfg: &SchedulesConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Slot>, String> {
    let mut slots = Vec::new();
    let on = |s: Schedule| !snap.disabled_features.contains(s.feature());
    if cfg.morning_brief.enabled && on(Schedule::MorningBrief) {
        for u in &snap.users {
            slots.extend(briefs(u, from, to)?);
        }
    }
    if cfg.pre_meeting.enabled && on(Schedule::PreMeeting) {
        let lead = Duration::minutes(cfg.pre_meeting.lead_minutes.into());
        let users: HashSet<&str> = snap.users.iter().map(|u| u.id.as_str()).collect();
        slots.extend(
            snap.meetings
                .iter()
                .filter(|m| users.contains(m.owner_id.as_str()))
                .filter_map(|m| prep(m, lead, from, to)),
        );
    }
    if cfg.pipeline_scan.enabled && on(Schedule::PipelineScan) {
        let zone = cfg.pipeline_scan.zone()?.unwrap_or(Tz::UTC);
        for at in occurrences(&cfg.pipeline_scan.parse()?, zone, from, to) {
            let date = at.date_naive().to_string();
            slots.push(Slot {
                schedule: Schedule::PipelineScan,
                key: date.clone(),
                due_at: at.to_utc(),
                user_id: None,
                payload: json!({ "date": date }),
                dedupe: date,
            });
        }
    }
    if cfg.campaign_check.enabled && on(Schedule::CampaignCheck) {
        let owners = snap
            .users
            .iter()
            .filter(|u| snap.campaign_owners.contains(&u.id));
        for u in owners {
            slots.extend(per_user(
                Schedule::CampaignCheck,
                &cfg.campaign_check,
                u,
                from,
                to,
            )?);
        }
    }
    if cfg.coaching_weekly.enabled && on(Schedule::CoachingWeekly) {
        let reps = snap
            .users
            .iter()
            .filter(|u| COACHED_ROLES.contains(&u.role.as_str()));
        for u in reps {
            slots.extend(per_user(
                Schedule::CoachingWeekly,
                &cfg.coaching_weekly,
                u,
                from,
                to,
            )?);
        }
    }
    slots.sort_by(|a, b| (a.due_at, &a.key).cmp(&(b.due_at, &b.key)));
    Ok(slots)
}

/// The user's briefs: their brief time on each working day, in their zone.
fn briefs(u: &User, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Slot>, String> {
    const DAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
    let days: Vec<&str> = DAYS
        .iter()
        .zip(u.working_days)
        .filter(|(_, works)| *works)
        .map(|(d, _)| *d)
        .collect();
    if days.is_empty() {
        return Ok(Vec::new());
    }
    let expr = format!(
        "{} {} * * {}",
        u.brief_time.minute(),
        u.brief_time.hour(),
        days.join(",")
    );
    let cron: Cron = expr
        .parse()
        .map_err(|e| format!("user {}: brief schedule {expr:?}: {e}", u.id))?;
    Ok(occurrences(&cron, u.zone, from, to)
        .into_iter()
        .map(|at| {
            let date = at.date_naive();
            day_slot(Schedule::MorningBrief, u, date, at.to_utc())
        })
        .collect())
}

/// A per-user cron schedule in its configured zone, else the user's.
fn per_user(
    schedule: Schedule,
    cfg: &CronSchedule,
    u: &User,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Slot>, String> {
    let zone = cfg.zone()?.unwrap_or(u.zone);
    Ok(occurrences(&cfg.parse()?, zone, from, to)
        .into_iter()
        .map(|at| {
            let date = at.date_naive();
            if schedule == Schedule::CoachingWeekly {
                week_slot(u, date, at.to_utc())
            } else {
                day_slot(schedule, u, date, at.to_utc())
            }
        })
        .collect())
}

fn day_slot(schedule: Schedule, u: &User, date: NaiveDate, due_at: DateTime<Utc>) -> Slot {
    let key = format!("{}:{date}", u.id);
    Slot {
        schedule,
        key: key.clone(),
        due_at,
        user_id: Some(u.id.clone()),
        payload: json!({ "date": date.to_string() }),
        dedupe: key,
    }
}

fn week_slot(u: &User, date: NaiveDate, due_at: DateTime<Utc>) -> Slot {
    let w = date.iso_week();
    let week = format!("{}-W{:02}", w.year(), w.week());
    let key = format!("{}:{week}", u.id);
    Slot {
        schedule: Schedule::CoachingWeekly,
        key: key.clone(),
        due_at,
        user_id: Some(u.id.clone()),
        payload: json!({ "week": week }),
        dedupe: key,
    }
}

/// The meeting's prep, `lead` before it starts; keyed by its start, so a rescheduled
/// meeting gets a new slot (and the old one is removed as no longer planned).
fn prep(m: &Meeting, lead: Duration, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Slot> {
    let due_at = m.starts_at - lead;
    (from..=to).contains(&due_at).then(|| Slot {
        schedule: Schedule::PreMeeting,
        key: format!(
            "{}:{}:{}",
            m.owner_id,
            m.event_id,
            m.starts_at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        due_at,
        user_id: Some(m.owner_id.clone()),
        payload: json!({
            "event_id": m.event_id,
            "starts_at": m.starts_at,
            "contact_id": m.contact_ids.first(),
            "contact_ids": m.contact_ids,
            "deal_id": m.deal_id,
        }),
        dedupe: m.event_id.clone(),
    })
}

/// `cron`'s instants in `[from, to]`, read in `zone`.
fn occurrences(cron: &Cron, zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Tz>> {
    cron.iter_from(from.with_timezone(&zone), Direction::Forward)
        .take_while(|at| at.to_utc() <= to)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, zone: &str, brief: &str) -> User {
        User {
            id: id.into(),
            role: "account_executive".into(),
            zone: zone.parse().unwrap(),
            brief_time: brief.parse().unwrap(),
            working_days: [true, true, true, true, true, false, false],
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn briefs_of(snap: &Snapshot, from: &str, to: &str) -> Vec<(String, DateTime<Utc>)> {
        plan(snap, &SchedulesConfig::default(), at(from), at(to))
            .unwrap()
            .into_iter()
            .filter(|s| s.schedule == Schedule::MorningBrief)
            .map(|s| (s.key, s.due_at))
            .collect()
    }

    #[test]
    fn a_brief_follows_the_local_clock_across_each_zones_dst_change() {
        let snap = Snapshot {
            users: vec![
                user("u_london", "Europe/London", "08:30"),
                user("u_ny", "America/New_York", "08:00"),
            ],
            ..Snapshot::default()
        };
        // The US moved on 2027-03-14, the UK moves on 2027-03-28.
        let got = briefs_of(&snap, "2027-03-12T00:00:00Z", "2027-03-30T00:00:00Z");
        let want = |k: &str, t: &str| assert!(got.contains(&(k.into(), at(t))), "{k} {t}: {got:?}");
        want("u_ny:2027-03-12", "2027-03-12T13:00:00Z"); // EST
        want("u_ny:2027-03-15", "2027-03-15T12:00:00Z"); // EDT
        want("u_london:2027-03-26", "2027-03-26T08:30:00Z"); // GMT
        want("u_london:2027-03-29", "2027-03-29T07:30:00Z"); // BST
        assert!(
            !got.iter().any(|(k, _)| k.ends_with("2027-03-13")),
            "a Saturday"
        );
        assert_eq!(got.len(), 2 * 12, "twelve working days each: {got:?}");
    }

    #[test]
    fn a_brief_in_a_spring_forward_gap_runs_when_the_gap_ends() {
        let snap = Snapshot {
            users: vec![User {
                working_days: [true; 7],
                ..user("u", "Europe/London", "01:30")
            }],
            ..Snapshot::default()
        };
        let got = briefs_of(&snap, "2027-03-27T12:00:00Z", "2027-03-29T12:00:00Z");
        // 01:30 does not exist in London on 2027-03-28: 02:00 BST (01:00Z) instead.
        assert_eq!(
            got,
            vec![
                ("u:2027-03-28".into(), at("2027-03-28T01:00:00Z")),
                ("u:2027-03-29".into(), at("2027-03-29T00:30:00Z")),
            ]
        );
    }

    #[test]
    fn a_disabled_feature_plans_nothing_and_a_meeting_is_prepped_before_it_starts() {
        let m = Meeting {
            owner_id: "u".into(),
            event_id: "ev_1".into(),
            starts_at: at("2026-12-01T15:00:00Z"),
            contact_ids: vec!["ct_a".into()],
            deal_id: Some("d_a".into()),
        };
        let mut snap = Snapshot {
            users: vec![user("u", "America/New_York", "08:00")],
            meetings: vec![m],
            ..Snapshot::default()
        };
        let cfg = SchedulesConfig::default();
        let (from, to) = (at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"));
        let preps: Vec<Slot> = plan(&snap, &cfg, from, to)
            .unwrap()
            .into_iter()
            .filter(|s| s.schedule == Schedule::PreMeeting)
            .collect();
        assert_eq!(preps.len(), 1);
        assert_eq!(preps[0].due_at, at("2026-12-01T13:30:00Z"));
        assert_eq!(preps[0].key, "u:ev_1:2026-12-01T15:00:00Z");
        assert_eq!(preps[0].payload["contact_id"], "ct_a");
        snap.disabled_features.insert("pre_meeting_prep".into());
        snap.disabled_features.insert("morning_brief".into());
        let rest = plan(&snap, &cfg, from, to).unwrap();
        assert!(
            rest.iter()
                .all(|s| !matches!(s.schedule, Schedule::PreMeeting | Schedule::MorningBrief)),
            "{rest:?}"
        );
    }

    #[test]
    fn the_weekly_digest_is_keyed_by_iso_week_and_the_scan_by_date() {
        let snap = Snapshot {
            users: vec![user("u", "America/Chicago", "08:00")],
            ..Snapshot::default()
        };
        let slots = plan(
            &snap,
            &SchedulesConfig::default(),
            at("2026-11-30T00:00:00Z"),
            at("2026-12-07T00:00:00Z"),
        )
        .unwrap();
        let digest: Vec<&Slot> = slots
            .iter()
            .filter(|s| s.schedule == Schedule::CoachingWeekly)
            .collect();
        assert_eq!(digest.len(), 1);
        assert_eq!(digest[0].key, "u:2026-W49");
        // Friday 16:00 in Chicago (CST).
        assert_eq!(digest[0].due_at, at("2026-12-04T22:00:00Z"));
        let scans = slots
            .iter()
            .filter(|s| s.schedule == Schedule::PipelineScan)
            .count();
        assert_eq!(scans, 7);
        assert!(
            !slots.iter().any(|s| s.schedule == Schedule::CampaignCheck),
            "no campaigns, no check"
        );
    }
}
