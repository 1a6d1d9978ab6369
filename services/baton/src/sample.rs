//! Sample data for `baton demo`, `baton dev --seed`, `baton seed` and the benchmarks: by
//! default the set that ships inside the binary (`services/baton/sample/`: Tidewater
//! Software, a fictional field-service software vendor, with its reps, prospects, deals and a
//! meeting transcript), or a directory in the same layout (`org/<org>.json`,
//! `meetings/<id>.json`) given with `--data <dir>`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::Value;
use sqlx::PgPool;

/// The embedded org and meetings, in the data README's formats.
const ORG: &str = include_str!("../sample/org/org_tidewater.json");
const MEETINGS: &[&str] = &[include_str!("../sample/meetings/mtg_tw_001.json")];
const CALENDARS: &[&str] = &[include_str!("../sample/calendars/u_tw_priya.json")];
const EMAILS: &[&str] = &[
    include_str!("../sample/emails/em_tw_001.json"),
    include_str!("../sample/emails/em_tw_002.json"),
    include_str!("../sample/emails/em_tw_003.json"),
];

/// Where sample data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleData {
    /// The set compiled into this binary.
    Embedded,
    /// A directory laid out like `services/baton/sample/`.
    Dir(PathBuf),
}

impl SampleData {
    /// A directory when one is given, else the embedded set.
    pub fn from_arg(dir: Option<PathBuf>) -> SampleData {
        dir.map_or(SampleData::Embedded, SampleData::Dir)
    }

    /// What it is, for messages.
    pub fn describe(&self) -> String {
        match self {
            SampleData::Embedded => "the sample data built into baton".to_string(),
            SampleData::Dir(dir) => dir.display().to_string(),
        }
    }

    /// Reads the org and its meetings.
    pub fn load(&self) -> anyhow::Result<Sample> {
        Ok(Sample {
            org: self.org()?,
            meetings: self.meetings()?,
            calendars: self.documents("calendars", CALENDARS, "owner")?,
            emails: self.documents("emails", EMAILS, "body_text")?,
            from: self.describe(),
        })
    }

    /// The org (the one file in `org/`).
    fn org(&self) -> anyhow::Result<Value> {
        match self {
            SampleData::Embedded => parse(ORG, "the built-in org"),
            SampleData::Dir(dir) => read(&org_file(dir)?),
        }
    }

    /// Every meeting (leaving out `*.truth.json` annotations), by file name.
    fn meetings(&self) -> anyhow::Result<Vec<Value>> {
        match self {
            SampleData::Embedded => MEETINGS
                .iter()
                .map(|m| parse(m, "a built-in meeting"))
                .collect(),
            SampleData::Dir(dir) => {
                let meetings = dir.join("meetings");
                baton_platform::seed::meeting_files(&meetings)
                    .with_context(|| format!("reading {}", meetings.display()))?
                    .iter()
                    .map(|f| read(f))
                    .collect()
            }
        }
    }

    /// The JSON documents of one kind (`<kind>/*.json` in a directory, optional there; the
    /// built-in ones otherwise) that have `key`: calendars (working hours, events and
    /// recurrences of users and contacts) and inbound emails.
    fn documents(&self, kind: &str, builtin: &[&str], key: &str) -> anyhow::Result<Vec<Value>> {
        let all = match self {
            SampleData::Embedded => builtin
                .iter()
                .map(|c| parse(c, &format!("a built-in {kind} file")))
                .collect::<anyhow::Result<Vec<_>>>()?,
            SampleData::Dir(dir) => {
                let dir = dir.join(kind);
                if !dir.is_dir() {
                    return Ok(Vec::new());
                }
                let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .with_context(|| format!("reading {}", dir.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .collect();
                files.sort();
                files
                    .iter()
                    .map(|f| read(f))
                    .collect::<anyhow::Result<Vec<_>>>()?
            }
        };
        Ok(all.into_iter().filter(|c| c.get(key).is_some()).collect())
    }
}

/// An org, its meetings, calendars and inbound emails, read once.
pub struct Sample {
    pub org: Value,
    pub meetings: Vec<Value>,
    pub calendars: Vec<Value>,
    pub emails: Vec<Value>,
    /// Where they came from ([`SampleData::describe`]), for messages.
    pub from: String,
}

impl Sample {
    /// The sample moved by whole weeks so that its first calendar window begins in the week
    /// of `today`: every date and timestamp in it (events, windows, emails, meetings, CRM
    /// activity) moves by the same number of days, so weekdays, times of day and the gaps
    /// between things stay as written. A sample without calendar windows is left as it is.
    /// The demo tells "today" on data written for one particular week this way.
    pub fn moved_to_week_of(mut self, today: chrono::NaiveDate) -> Sample {
        use chrono::Datelike;
        let anchor = self
            .calendars
            .iter()
            .flat_map(|c| c["windows"].as_array().into_iter().flatten())
            .filter_map(|w| w["start_date"].as_str()?.parse::<chrono::NaiveDate>().ok())
            .min();
        let Some(anchor) = anchor else { return self };
        let monday = |d: chrono::NaiveDate| {
            d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
        };
        let days = (monday(today) - monday(anchor)).num_days();
        let values = std::iter::once(&mut self.org)
            .chain(&mut self.meetings)
            .chain(&mut self.calendars)
            .chain(&mut self.emails);
        for v in values {
            shift_dates(v, days);
        }
        self
    }

    /// Seeds the org, every meeting and every calendar; returns the org's id.
    pub async fn seed(&self, pool: &PgPool) -> anyhow::Result<String> {
        let from = &self.from;
        let org_id = baton_platform::seed::org(pool, &self.org)
            .await
            .with_context(|| format!("seeding the org from {from}"))?;
        for m in &self.meetings {
            baton_platform::seed::meeting(pool, m)
                .await
                .with_context(|| format!("seeding meeting {} from {from}", m["id"]))?;
        }
        for c in &self.calendars {
            baton_platform::seed::calendar(pool, &org_id, c)
                .await
                .with_context(|| {
                    format!("seeding the calendar of {} from {from}", c["owner"]["id"])
                })?;
        }
        Ok(org_id)
    }
}

/// The one org file in `<dir>/org`.
fn org_file(dir: &Path) -> anyhow::Result<PathBuf> {
    let orgs = dir.join("org");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&orgs)
        .with_context(|| {
            format!(
                "reading {} (a sample-data directory has org/<org>.json and meetings/)",
                orgs.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    match files.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("{} holds no org file", orgs.display()),
        many => bail!(
            "{} holds {} org files; keep one per sample-data directory",
            orgs.display(),
            many.len()
        ),
    }
}

fn read(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text, &path.display().to_string())
}

fn parse(text: &str, what: &str) -> anyhow::Result<Value> {
    serde_json::from_str(text).with_context(|| format!("{what} is not JSON"))
}

/// Moves every string in `v` that starts with an ISO date (`2026-12-01`, `2026-12-01T10:00…`)
/// by `days`, keeping the rest of the string (time of day, offset) as it is.
fn shift_dates(v: &mut Value, days: i64) {
    match v {
        Value::String(s) => {
            let date = s
                .get(..10)
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok());
            let rest_is_time = s
                .get(10..)
                .is_some_and(|r| r.is_empty() || r.starts_with('T'));
            if let (Some(date), true) = (date, rest_is_time) {
                let moved = date + chrono::Duration::days(days);
                *s = format!("{}{}", moved.format("%Y-%m-%d"), &s[10..]);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| shift_dates(i, days)),
        Value::Object(map) => map.values_mut().for_each(|i| shift_dates(i, days)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The embedded set is complete: an org with users, contacts and deals, and meetings of
    /// that org whose organizer is one of its users and whose links exist.
    #[test]
    fn the_built_in_sample_is_one_consistent_org() {
        let Sample { org, meetings, .. } = SampleData::Embedded.load().unwrap();
        let ids = |k: &str| -> Vec<String> {
            org[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_string())
                .collect()
        };
        let (users, contacts, deals) = (ids("users"), ids("contacts"), ids("deals"));
        assert!(!users.is_empty() && !contacts.is_empty() && !deals.is_empty());
        assert!(!meetings.is_empty());
        for m in meetings {
            assert_eq!(m["org_id"], org["id"]);
            let id = |k: &str| m[k].as_str().unwrap().to_string();
            assert!(users.contains(&id("organizer_user_id")), "{}", m["id"]);
            assert!(contacts.contains(&id("contact_id")), "{}", m["id"]);
            assert!(deals.contains(&id("deal_id")), "{}", m["id"]);
            assert!(m["segments"].as_array().unwrap().len() > 10);
        }
    }

    #[test]
    fn a_sample_moves_by_whole_weeks_to_the_week_of_today() {
        let mut sample = SampleData::Embedded.load().expect("the embedded sample");
        sample.calendars = vec![json!({
            "windows": [{ "start_date": "2026-11-30", "end_date": "2026-12-13" }],
            "events": [{ "start": "2026-12-01T10:00:00-05:00", "all_day_date": "2026-12-03" }],
        })];
        sample.emails = vec![json!({
            "date": "2026-12-02T08:12:00-05:00",
            "subject": "2026-12-02 notes",
            "period": "2026-12",
            "short": "é",
        })];
        // A Sunday three weeks and a bit later: its week's Monday is 2026-12-21.
        let moved = sample.moved_to_week_of("2026-12-27".parse().expect("a date"));
        let c = &moved.calendars[0];
        assert_eq!(c["windows"][0]["start_date"], "2026-12-21");
        assert_eq!(c["windows"][0]["end_date"], "2027-01-03");
        assert_eq!(
            c["events"][0]["start"], "2026-12-22T10:00:00-05:00",
            "same weekday and time"
        );
        assert_eq!(c["events"][0]["all_day_date"], "2026-12-24");
        assert_eq!(moved.emails[0]["date"], "2026-12-23T08:12:00-05:00");
        assert_eq!(
            moved.emails[0]["subject"], "2026-12-02 notes",
            "text is not a date"
        );
        assert_eq!(moved.emails[0]["period"], "2026-12", "nor is a month");
    }
}
