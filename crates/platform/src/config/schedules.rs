//! `[schedules]`: what the ingress fires by itself. The morning brief follows each user's
//! `morning_brief_time` in their zone on their working days; the pre-meeting prep goes
//! `lead_minutes` before each external calendar event with CRM contacts; the pipeline scan,
//! the campaign check and the coaching digest follow a cron expression (`min hour dom month
//! dow`) in a time zone — the org's configured one, or each user's own when unset for the
//! per-user schedules (campaign check per campaign owner, coaching digest per rep).
//!
//! `[schedules.orgs.<org_id>.<schedule>]` replaces one schedule's settings for one org
//! (fields it leaves out take the defaults, not the global table's values).

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulesConfig {
    /// Plan and fire the schedules in this process's ingress. Several replicas may: every
    /// firing has a deterministic key, so each slot fires once.
    pub enabled: bool,
    /// How often each org's firings are planned (new users, changed brief times, synced or
    /// moved calendar events).
    pub plan_every_s: u64,
    /// How far ahead firings are planned, in hours.
    pub horizon_hours: u32,
    /// After downtime, slots up to this many hours back are still planned: each fires if it
    /// is inside its grace window and is recorded as missed otherwise.
    pub catch_up_hours: u32,
    pub morning_brief: BriefSchedule,
    pub pre_meeting: PreMeetingSchedule,
    pub pipeline_scan: CronSchedule,
    pub campaign_check: CronSchedule,
    pub coaching_weekly: CronSchedule,
    /// Per-org replacements, by org id.
    pub orgs: BTreeMap<String, OrgSchedules>,
}

impl Default for SchedulesConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            plan_every_s: 60,
            horizon_hours: 36,
            catch_up_hours: 24,
            morning_brief: BriefSchedule::default(),
            pre_meeting: PreMeetingSchedule::default(),
            pipeline_scan: CronSchedule::daily("0 6 * * *", Some("UTC"), 360),
            campaign_check: CronSchedule::daily("0 7 * * *", None, 360),
            coaching_weekly: CronSchedule::daily("0 16 * * FRI", None, 720),
            orgs: BTreeMap::new(),
        }
    }
}

/// One org's replacements; a schedule it leaves out keeps the global settings.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct OrgSchedules {
    pub morning_brief: Option<BriefSchedule>,
    pub pre_meeting: Option<PreMeetingSchedule>,
    pub pipeline_scan: Option<CronSchedule>,
    pub campaign_check: Option<CronSchedule>,
    pub coaching_weekly: Option<CronSchedule>,
}

/// The morning brief: each user's own time and working days.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BriefSchedule {
    pub enabled: bool,
    /// A brief this many minutes late (after downtime) is skipped and recorded.
    pub grace_minutes: u32,
}

impl Default for BriefSchedule {
    fn default() -> Self {
        Self {
            enabled: true,
            grace_minutes: 120,
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct PreMeetingSchedule {
    pub enabled: bool,
    /// Minutes before the meeting's start.
    pub lead_minutes: u32,
    /// A prep this many minutes late is skipped and recorded (keep it under `lead_minutes`:
    /// prep after the meeting started helps nobody).
    pub grace_minutes: u32,
}

impl Default for PreMeetingSchedule {
    fn default() -> Self {
        Self {
            enabled: true,
            lead_minutes: 90,
            grace_minutes: 60,
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct CronSchedule {
    pub enabled: bool,
    /// `minute hour day-of-month month day-of-week`.
    pub cron: String,
    /// IANA zone the expression is read in; unset = each user's zone (per-user schedules)
    /// or UTC (the pipeline scan).
    pub timezone: Option<String>,
    pub grace_minutes: u32,
}

impl Default for CronSchedule {
    fn default() -> Self {
        Self::daily("0 6 * * *", None, 360)
    }
}

impl CronSchedule {
    fn daily(cron: &str, timezone: Option<&str>, grace_minutes: u32) -> Self {
        Self {
            enabled: true,
            cron: cron.into(),
            timezone: timezone.map(Into::into),
            grace_minutes,
        }
    }

    /// The parsed expression.
    pub fn parse(&self) -> Result<croner::Cron, String> {
        self.cron
            .parse::<croner::Cron>()
            .map_err(|e| format!("{:?} is not a cron expression: {e}", self.cron))
    }

    /// The configured zone, if any.
    pub fn zone(&self) -> Result<Option<chrono_tz::Tz>, String> {
        self.timezone
            .as_deref()
            .map(|z| {
                z.parse::<chrono_tz::Tz>()
                    .map_err(|_| format!("{z:?} is not an IANA time zone"))
            })
            .transpose()
    }
}

impl SchedulesConfig {
    /// `org`'s settings: its replacements over the global ones.
    pub fn for_org(&self, org: &str) -> SchedulesConfig {
        let mut c = self.clone();
        if let Some(o) = self.orgs.get(org) {
            if let Some(s) = &o.morning_brief {
                c.morning_brief = s.clone();
            }
            if let Some(s) = &o.pre_meeting {
                c.pre_meeting = s.clone();
            }
            if let Some(s) = &o.pipeline_scan {
                c.pipeline_scan = s.clone();
            }
            if let Some(s) = &o.campaign_check {
                c.campaign_check = s.clone();
            }
            if let Some(s) = &o.coaching_weekly {
                c.coaching_weekly = s.clone();
            }
        }
        c.orgs.clear();
        c
    }

    /// Every problem, each naming its key.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.plan_every_s == 0 {
            problems.push("schedules.plan_every_s must be at least 1".into());
        }
        if !(1..=24 * 31).contains(&self.horizon_hours) {
            problems.push("schedules.horizon_hours must be from 1 to 744".into());
        }
        if self.catch_up_hours > 24 * 7 {
            problems.push("schedules.catch_up_hours must be at most 168".into());
        }
        let mut check = |prefix: String, c: &SchedulesConfig| {
            for (name, s) in [
                ("pipeline_scan", &c.pipeline_scan),
                ("campaign_check", &c.campaign_check),
                ("coaching_weekly", &c.coaching_weekly),
            ] {
                if let Err(e) = s.parse() {
                    problems.push(format!("{prefix}{name}.cron: {e}"));
                }
                if let Err(e) = s.zone() {
                    problems.push(format!("{prefix}{name}.timezone: {e}"));
                }
            }
            let p = &c.pre_meeting;
            if p.lead_minutes == 0 || p.lead_minutes > 24 * 60 {
                problems.push(format!(
                    "{prefix}pre_meeting.lead_minutes must be from 1 to 1440"
                ));
            }
        };
        check("schedules.".into(), self);
        for org in self.orgs.keys() {
            check(format!("schedules.orgs.{org}."), &self.for_org(org));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_mistakes_are_named() {
        assert!(SchedulesConfig::default().problems().is_empty());
        let mut c = SchedulesConfig::default();
        c.pipeline_scan.cron = "at six".into();
        c.orgs.insert(
            "org_x".into(),
            OrgSchedules {
                coaching_weekly: Some(CronSchedule {
                    timezone: Some("Mars/Olympus".into()),
                    ..CronSchedule::default()
                }),
                ..OrgSchedules::default()
            },
        );
        let p = c.problems().join("\n");
        assert!(
            p.contains("schedules.pipeline_scan.cron: \"at six\""),
            "{p}"
        );
        assert!(
            p.contains("schedules.orgs.org_x.coaching_weekly.timezone: \"Mars/Olympus\""),
            "{p}"
        );
    }

    #[test]
    fn an_org_replaces_only_the_schedules_it_names() {
        let mut c = SchedulesConfig::default();
        c.campaign_check.cron = "0 9 * * MON-FRI".into();
        c.orgs.insert(
            "org_x".into(),
            OrgSchedules {
                pipeline_scan: Some(CronSchedule {
                    cron: "30 5 * * *".into(),
                    ..CronSchedule::default()
                }),
                ..OrgSchedules::default()
            },
        );
        let x = c.for_org("org_x");
        assert_eq!(x.pipeline_scan.cron, "30 5 * * *");
        assert_eq!(x.campaign_check.cron, "0 9 * * MON-FRI");
        assert_eq!(c.for_org("org_y").pipeline_scan.cron, "0 6 * * *");
    }
}
