//! `find-available-slots`: every start at which the required participants are all free, from
//! their calendars, and the best three to propose.
//!
//! Input: `{"request": <scheduling request>, "calendars": [<calendar>…]}`. The rules:
//! a slot is `[start, start + duration)`, starting on a :00 or :30 UTC boundary, inside the
//! request's range (local to `within.timezone`) and no earlier than `created_at +
//! min_notice_hours`; for every required participant it lies inside one working-hours
//! interval of their local date, overlaps no blocking event padded by `buffer_min`, and
//! respects their `not_before_local` / `not_after_local`; with `allowed_windows` it lies
//! inside one of them. `slots_all_attendees` also requires the optional participants.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    calendar::{self, Busy, Calendar, at, clock, instant, local},
    scheduling,
};

/// Longest meeting a request may ask for, and the widest range it may search.
const MAX_DURATION_MIN: i64 = 12 * 60;
const MAX_RANGE_DAYS: i64 = 62;

#[derive(Debug, Deserialize)]
pub struct Request {
    #[serde(default)]
    pub id: String,
    pub participants: Vec<String>,
    #[serde(default)]
    pub optional_participants: Vec<String>,
    #[serde(default = "thirty")]
    pub duration_min: i64,
    pub within: Within,
    pub created_at: String,
    pub display_timezone: Option<Tz>,
    #[serde(default)]
    pub constraints: Constraints,
}

fn thirty() -> i64 {
    30
}

#[derive(Debug, Deserialize)]
pub struct Within {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub timezone: Tz,
}

#[derive(Debug, Default, Deserialize)]
pub struct Constraints {
    #[serde(default)]
    pub allowed_windows: Vec<Window>,
    #[serde(default)]
    pub participant_limits: BTreeMap<String, Limits>,
    #[serde(default)]
    pub buffer_min: i64,
    #[serde(default)]
    pub min_notice_hours: f64,
}

#[derive(Debug, Deserialize)]
pub struct Window {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Limits {
    pub not_before_local: Option<String>,
    pub not_after_local: Option<String>,
}

/// One participant's calendar with its blocking intervals expanded.
struct Person<'a> {
    calendar: &'a Calendar,
    busy: Vec<Busy>,
    not_before: Option<NaiveTime>,
    not_after: Option<NaiveTime>,
}

impl Person<'_> {
    fn free(&self, s: DateTime<Utc>, e: DateTime<Utc>, buffer: Duration) -> Result<bool, String> {
        let tz = self.calendar.timezone;
        let (ls, le) = (local(tz, s), local(tz, e));
        let d = ls.date();
        let inside = self
            .calendar
            .working_intervals(d)?
            .iter()
            .any(|(ws, we)| *ws <= ls && le <= *we);
        if !inside
            || self.not_before.is_some_and(|t| ls.time() < t)
            || self.not_after.is_some_and(|t| le > d.and_time(t))
        {
            return Ok(false);
        }
        Ok(!self
            .busy
            .iter()
            .any(|(bs, be)| *bs - buffer < e && s < *be + buffer))
    }
}

/// The skill: `{"request", "calendars"}`, or inside a job (no `request`) the request built
/// from what was said and the job's context ([`scheduling::request_from_job`]).
pub fn find_available_slots(input: &Value) -> Result<Value, String> {
    let (request, calendars, assumed) = match input.get("request") {
        Some(r) => {
            let cals = input
                .get("calendars")
                .and_then(Value::as_array)
                .ok_or("`calendars` is missing: a list of the participants' calendars")?;
            (r.clone(), cals.clone(), Vec::new())
        }
        None => scheduling::request_from_job(input)?,
    };
    let req = Request::deserialize(&request)
        .map_err(|e| format!("`request` is not a scheduling request: {e}"))?;
    let calendars = calendars
        .iter()
        .map(Calendar::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let found = search(&req, &calendars)?;
    let tz = req.display_timezone.unwrap_or(req.within.timezone);
    let dur = Duration::minutes(req.duration_min);
    let show = |ts: &[DateTime<Utc>]| {
        ts.iter()
            .map(|t| slot_json(tz, *t, dur))
            .collect::<Vec<_>>()
    };
    let mut out = json!({
        "request_id": req.id,
        "count": found.required.len(),
        "slots": show(&found.required),
        "proposed": show(&propose(tz, &found.required, 3)),
        "request": request,
        "assumed_working_hours": assumed,
    });
    if !req.optional_participants.is_empty() {
        out["slots_all_attendees"] = json!(show(&found.everyone));
        out["optional_without_calendar"] = json!(found.unknown);
    }
    Ok(out)
}

fn slot_json(tz: Tz, t: DateTime<Utc>, dur: Duration) -> Value {
    json!({
        "start_utc": calendar::utc_string(t),
        "end_utc": calendar::utc_string(t + dur),
        "start_local": calendar::local_string(tz, t),
        "end_local": calendar::local_string(tz, t + dur),
    })
}

pub struct Found {
    pub required: Vec<DateTime<Utc>>,
    pub everyone: Vec<DateTime<Utc>>,
    /// Optional participants with no calendar: not counted in `everyone`.
    pub unknown: Vec<String>,
}

/// Every valid start for the required participants, and those the optional ones can make.
pub fn search(req: &Request, calendars: &[Calendar]) -> Result<Found, String> {
    if !(5..=MAX_DURATION_MIN).contains(&req.duration_min) {
        return Err(format!(
            "`duration_min` must be 5 to {MAX_DURATION_MIN}, not {}",
            req.duration_min
        ));
    }
    if req.participants.is_empty() {
        return Err("`participants` is empty".into());
    }
    let c = &req.constraints;
    let (first, last) = range(req)?;
    // Recurrences are expanded only around the search (UTC dates ± the widest zone offset
    // and the buffer), not over their whole span.
    let margin = Duration::days(2 + c.buffer_min.max(0) / 1440);
    let days = (first.date_naive() - margin, last.date_naive() + margin);
    let by_id: BTreeMap<&str, &Calendar> =
        calendars.iter().map(|c| (c.owner.id.as_str(), c)).collect();
    let required = req
        .participants
        .iter()
        .map(|p| {
            person(&by_id, c, p, days)?.ok_or_else(|| format!("no calendar for participant {p}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut optional = Vec::new();
    let mut unknown = Vec::new();
    for p in &req.optional_participants {
        match person(&by_id, c, p, days)? {
            Some(x) => optional.push(x),
            None => unknown.push(p.clone()),
        }
    }
    let windows = c
        .allowed_windows
        .iter()
        .map(|w| Ok((instant(&w.start)?, instant(&w.end)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let (dur, buffer) = (
        Duration::minutes(req.duration_min),
        Duration::minutes(c.buffer_min),
    );
    let mut found = Found {
        required: Vec::new(),
        everyone: Vec::new(),
        unknown,
    };
    let mut t = first;
    while t + dur <= last {
        let e = t + dur;
        let in_window = windows.is_empty() || windows.iter().any(|(ws, we)| *ws <= t && e <= *we);
        if in_window && all_free(&required, t, e, buffer)? {
            found.required.push(t);
            if all_free(&optional, t, e, buffer)? {
                found.everyone.push(t);
            }
        }
        t += Duration::minutes(30);
    }
    Ok(found)
}

fn all_free(
    people: &[Person<'_>],
    s: DateTime<Utc>,
    e: DateTime<Utc>,
    buf: Duration,
) -> Result<bool, String> {
    for p in people {
        if !p.free(s, e, buf)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn person<'a>(
    by_id: &BTreeMap<&str, &'a Calendar>,
    c: &Constraints,
    id: &'a str,
    days: (NaiveDate, NaiveDate),
) -> Result<Option<Person<'a>>, String> {
    let Some(calendar) = by_id.get(id).copied() else {
        return Ok(None);
    };
    let limits = c.participant_limits.get(id);
    let limit = |f: fn(&Limits) -> &Option<String>| -> Result<Option<NaiveTime>, String> {
        limits.and_then(|l| f(l).as_deref()).map(clock).transpose()
    };
    Ok(Some(Person {
        calendar,
        busy: calendar.busy(Some(days))?,
        not_before: limit(|l| &l.not_before_local)?,
        not_after: limit(|l| &l.not_after_local)?,
    }))
}

/// The first candidate start (the range's start or the notice deadline, rounded up to :00 or
/// :30 UTC) and the instant every slot must end by.
fn range(req: &Request) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let w = &req.within;
    if w.end_date < w.start_date || (w.end_date - w.start_date).num_days() > MAX_RANGE_DAYS {
        return Err(format!(
            "`within` must run forward and span at most {MAX_RANGE_DAYS} days ({} to {})",
            w.start_date, w.end_date
        ));
    }
    let start = at(w.timezone, w.start_date.and_time(NaiveTime::MIN));
    let end = at(
        w.timezone,
        (w.end_date + Duration::days(1)).and_time(NaiveTime::MIN),
    );
    let notice = req.constraints.min_notice_hours;
    if !(0.0..=24.0 * 366.0).contains(&notice) {
        return Err(format!(
            "`min_notice_hours` must be 0 to 8784, not {notice}"
        ));
    }
    let earliest = instant(&req.created_at)? + Duration::seconds((notice * 3600.0).round() as i64);
    let t = start.max(earliest);
    let floor = t
        .with_minute(t.minute() / 30 * 30)
        .and_then(|x| x.with_second(0))
        .and_then(|x| x.with_nanosecond(0))
        .ok_or("cannot round the first start")?;
    Ok((
        if floor < t {
            floor + Duration::minutes(30)
        } else {
            floor
        },
        end,
    ))
}

/// Up to `n` slots to offer: the earliest slot of each of the first days that have one (so
/// the contact gets a choice of days), then the earliest others, as far apart as the slots
/// allow (two hours, then one, then any).
pub fn propose(tz: Tz, slots: &[DateTime<Utc>], n: usize) -> Vec<DateTime<Utc>> {
    let mut days = Vec::new();
    let mut picked: Vec<DateTime<Utc>> = Vec::new();
    for t in slots {
        let d = local(tz, *t).date();
        if picked.len() < n && !days.contains(&d) {
            days.push(d);
            picked.push(*t);
        }
    }
    for gap in [120, 60, 1] {
        for t in slots {
            if picked.len() < n && picked.iter().all(|p| (*p - *t).num_minutes().abs() >= gap) {
                picked.push(*t);
            }
        }
    }
    picked.sort();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(id: &str, tz: &str, hours: &[[&str; 2]], events: Value) -> Value {
        json!({"owner": {"id": id, "type": "user"}, "timezone": tz,
               "working_hours": {"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours},
               "events": events})
    }

    fn starts(out: &Value) -> Vec<&str> {
        out["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["start_utc"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn a_slot_must_fit_one_working_interval_and_clear_the_buffer() {
        let input = json!({
            "request": {"participants": ["a", "b"], "duration_min": 60,
                        "within": {"start_date": "2026-12-01", "end_date": "2026-12-01", "timezone": "UTC"},
                        "created_at": "2026-11-01T00:00:00Z", "constraints": {"buffer_min": 15}},
            "calendars": [
                cal("a", "UTC", &[["09:00", "12:00"], ["13:00", "15:00"]], json!([])),
                cal("b", "UTC", &[["08:00", "18:00"]], json!([
                    {"id": "x", "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:30:00Z"},
                    {"id": "y", "start": "2026-12-01T13:00:00Z", "end": "2026-12-01T14:00:00Z", "busy": false},
                    {"id": "z", "start": "2026-12-01T14:00:00Z", "end": "2026-12-01T15:00:00Z", "status": "cancelled"}]))
            ]
        });
        let out = find_available_slots(&input).unwrap();
        // 09:00 ends 10:00, within 15 min of x; 11:00 is the first clear of x + 15 min.
        assert_eq!(
            starts(&out),
            [
                "2026-12-01T11:00:00Z",
                "2026-12-01T13:00:00Z",
                "2026-12-01T13:30:00Z",
                "2026-12-01T14:00:00Z"
            ]
        );
        let proposed: Vec<&str> = out["proposed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["start_utc"].as_str().unwrap())
            .collect();
        // one day: the earliest, then two hours apart, then one hour apart
        assert_eq!(
            proposed,
            [
                "2026-12-01T11:00:00Z",
                "2026-12-01T13:00:00Z",
                "2026-12-01T14:00:00Z"
            ]
        );
    }

    #[test]
    fn a_missing_calendar_or_a_bad_duration_is_named() {
        let mut input = json!({
            "request": {"participants": ["a", "ghost"], "within": {"start_date": "2026-12-01", "end_date": "2026-12-01", "timezone": "UTC"},
                        "created_at": "2026-11-01T00:00:00Z"},
            "calendars": [cal("a", "UTC", &[["09:00", "17:00"]], json!([]))]
        });
        assert!(find_available_slots(&input).unwrap_err().contains("ghost"));
        input["request"]["participants"] = json!(["a"]);
        input["request"]["duration_min"] = json!(100000);
        assert!(
            find_available_slots(&input)
                .unwrap_err()
                .contains("duration_min")
        );
    }
}
