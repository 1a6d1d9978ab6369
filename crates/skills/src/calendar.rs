//! Calendars in the sample-data format (one file per user or contact): working hours in the
//! owner's zone, events, all-day events and weekly recurrences anchored in their own zone.
//! What `find-available-slots` and `morning-brief` read. Wall-clock comparisons (working
//! hours, participant limits) are made in local time, busy overlaps on instants, so a slot
//! is judged the way a person reading each calendar would judge it, across DST changes too.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A blocking interval, `[start, end)`.
pub type Busy = (DateTime<Utc>, DateTime<Utc>);

#[derive(Debug, Clone, Deserialize)]
pub struct Owner {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub all_day: bool,
    #[serde(default = "yes")]
    pub busy: bool,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub contact_ids: Vec<String>,
    pub deal_id: Option<String>,
}

impl Event {
    pub fn cancelled(&self) -> bool {
        self.status == "cancelled"
    }

    /// Start and end of a timed event (None for an all-day one).
    pub fn span(&self) -> Result<Option<Busy>, String> {
        match (&self.start, &self.end) {
            (Some(s), Some(e)) if !self.all_day => Ok(Some((instant(s)?, instant(e)?))),
            _ if self.all_day => Ok(None),
            _ => Err(format!("event {} has no start/end", self.id)),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Recurring {
    pub id: String,
    pub timezone: Tz,
    pub rrule: String,
    pub start_local: String,
    pub end_local: String,
    pub first_date: NaiveDate,
    pub until_date: NaiveDate,
    #[serde(default)]
    pub exdates: Vec<NaiveDate>,
    #[serde(default = "yes")]
    pub busy: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct Calendar {
    pub owner: Owner,
    pub timezone: Tz,
    #[serde(default)]
    pub working_hours: std::collections::BTreeMap<String, Vec<[String; 2]>>,
    pub morning_brief_time: Option<String>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub recurring: Vec<Recurring>,
}

impl Calendar {
    pub fn parse(v: &Value) -> Result<Calendar, String> {
        Calendar::deserialize(v)
            .map_err(|e| format!("a calendar is not in the calendar format: {e}"))
    }

    /// The working-hours intervals of a local date, as local date-times ("24:00" is the
    /// next midnight).
    pub fn working_intervals(
        &self,
        d: NaiveDate,
    ) -> Result<Vec<(NaiveDateTime, NaiveDateTime)>, String> {
        let day = DAYS[d.weekday().num_days_from_monday() as usize];
        let mut out = Vec::new();
        for [a, b] in self.working_hours.get(day).into_iter().flatten() {
            let start = d.and_time(clock(a)?);
            let end = if b == "24:00" {
                (d + Duration::days(1)).and_time(NaiveTime::MIN)
            } else {
                d.and_time(clock(b)?)
            };
            out.push((start, end));
        }
        Ok(out)
    }

    pub fn works_on(&self, d: NaiveDate) -> bool {
        let day = DAYS[d.weekday().num_days_from_monday() as usize];
        self.working_hours.get(day).is_some_and(|v| !v.is_empty())
    }

    /// Every interval that blocks this calendar: busy, not cancelled events (all-day ones
    /// block the owner's whole local days) and the weekly recurrences, expanded on the dates
    /// of `days` (inclusive; `None`: their whole span).
    pub fn busy(&self, days: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Busy>, String> {
        let mut out = Vec::new();
        for e in self.events.iter().filter(|e| e.busy && !e.cancelled()) {
            match e.span()? {
                Some(span) => out.push(span),
                None => {
                    let (Some(d0), Some(d1)) = (e.start_date, e.end_date) else {
                        return Err(format!("all-day event {} has no start_date/end_date", e.id));
                    };
                    out.push((
                        at(self.timezone, d0.and_time(NaiveTime::MIN)),
                        at(self.timezone, d1.and_time(NaiveTime::MIN)),
                    ));
                }
            }
        }
        for r in self.recurring.iter().filter(|r| r.busy) {
            out.extend(r.occurrences(days)?);
        }
        Ok(out)
    }
}

impl Recurring {
    /// Weekly occurrences (`FREQ=WEEKLY;BYDAY=…[;INTERVAL=n]`), anchored in the series' zone,
    /// on the dates `within` only when given (the interval still counts from `first_date`).
    fn occurrences(&self, within: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Busy>, String> {
        let bad = |what: &str| format!("recurring {}: {what} in rrule {:?}", self.id, self.rrule);
        let mut days = Vec::new();
        let mut interval = 1i64;
        let mut weekly = false;
        for part in self.rrule.split(';') {
            match part.split_once('=') {
                Some(("FREQ", "WEEKLY")) => weekly = true,
                Some(("BYDAY", list)) => {
                    for d in list.split(',') {
                        let i = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
                            .iter()
                            .position(|x| *x == d)
                            .ok_or_else(|| bad("an unknown BYDAY"))?;
                        days.push(i as u32);
                    }
                }
                Some(("INTERVAL", n)) => {
                    interval = n
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| bad("a bad INTERVAL"))?
                }
                _ => return Err(bad("an unsupported part (only FREQ=WEEKLY;BYDAY;INTERVAL)")),
            }
        }
        if !weekly {
            return Err(bad("no FREQ=WEEKLY"));
        }
        let (start, end) = (clock(&self.start_local)?, clock(&self.end_local)?);
        let mut out = Vec::new();
        let (mut d, last) = match within {
            Some((from, to)) => (self.first_date.max(from), self.until_date.min(to)),
            None => (self.first_date, self.until_date),
        };
        while d <= last {
            let weeks = (d - self.first_date).num_days() / 7;
            if days.contains(&d.weekday().num_days_from_monday())
                && weeks % interval == 0
                && !self.exdates.contains(&d)
            {
                out.push((
                    at(self.timezone, d.and_time(start)),
                    at(self.timezone, d.and_time(end)),
                ));
            }
            d += Duration::days(1);
        }
        Ok(out)
    }
}

/// `HH:MM` (or `HH:MM:SS`).
pub fn clock(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map_err(|_| format!("{s:?} is not a local time (HH:MM)"))
}

/// An RFC 3339 instant with offset (`Z` or `±HH:MM`).
pub fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{s:?} is not an RFC 3339 time with offset: {e}"))
}

/// The instant of a local wall-clock time: the earlier one when the clock repeats, and for
/// a time the clock skips, the offset in force before the change (what `zoneinfo` does).
pub fn at(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            let before = at(tz, local - Duration::hours(3));
            before + Duration::hours(3)
        }
    }
}

/// The local wall-clock time of an instant.
pub fn local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// `2026-12-01T14:00:00Z`.
pub fn utc_string(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2026-12-01T09:00:00-05:00`.
pub fn local_string(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// An IANA zone name, or bad input naming the field.
pub fn zone(v: &Value, field: &str) -> Result<Tz, String> {
    let name = v
        .as_str()
        .ok_or_else(|| format!("`{field}` is missing (an IANA time zone name)"))?;
    name.parse()
        .map_err(|_| format!("`{field}` {name:?} is not an IANA time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denver_standup_is_two_pm_in_london_in_december_and_one_pm_in_mid_march() {
        let r: Recurring = serde_json::from_value(serde_json::json!({
            "id": "rec", "timezone": "America/Denver", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "start_local": "07:00", "end_local": "07:15",
            "first_date": "2026-11-30", "until_date": "2027-03-31", "exdates": ["2026-12-25"]
        }))
        .unwrap();
        let occ = r.occurrences(None).unwrap();
        let week = r
            .occurrences(Some((
                "2026-12-07".parse().unwrap(),
                "2026-12-13".parse().unwrap(),
            )))
            .unwrap();
        assert_eq!(week.len(), 5, "Monday to Friday of one week");
        let london: Tz = "Europe/London".parse().unwrap();
        let first = local(london, occ[0].0);
        assert_eq!(first.to_string(), "2026-11-30 14:00:00");
        let mid_march = occ
            .iter()
            .find(|(s, _)| {
                local(london, *s).date() == NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
            })
            .unwrap();
        assert_eq!(local(london, mid_march.0).time().to_string(), "13:00:00");
        assert!(!occ.iter().any(
            |(s, _)| local(london, *s).date() == NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
        ));
    }

    #[test]
    fn a_skipped_local_time_uses_the_offset_before_the_change() {
        let london: Tz = "Europe/London".parse().unwrap();
        let gap = NaiveDate::from_ymd_opt(2027, 3, 28)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(utc_string(at(london, gap)), "2027-03-28T01:30:00Z");
    }
}
