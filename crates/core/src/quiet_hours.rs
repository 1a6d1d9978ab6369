//! Quiet hours: a daily window in the user's own time zone during which Baton starts no run
//! and delivers no message for them; work is deferred to the start of the next active window,
//! never dropped.
//!
//! The window is `[start, end)` in local wall-clock time and wraps midnight when
//! `start > end` (20:00–07:30). Time zones are IANA names (chrono-tz), and DST is handled by
//! wall-clock rules:
//! - an end time that falls in a spring-forward gap (02:30 on a day that skips 02:00–03:00)
//!   ends the window at the jump, the first instant whose local time is past it;
//! - an end time that occurs twice in a fall-back overlap ends the window at the first
//!   occurrence after the moment being deferred.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("unknown time zone {0:?}: use an IANA name such as America/New_York")]
    UnknownTimeZone(String),
    #[error("{field} {value:?} is not a local time of day (HH:MM)")]
    BadTime { field: &'static str, value: String },
    #[error("quiet hours need both a start and an end (got only the {0})")]
    HalfWindow(&'static str),
}

/// A daily quiet window in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether local wall-clock time `t` is inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Less => self.start <= t && t < self.end,
            std::cmp::Ordering::Greater => t >= self.start || t < self.end,
            std::cmp::Ordering::Equal => false,
        }
    }
}

/// A user's time zone and quiet hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserTime {
    pub tz: Tz,
    pub quiet: Option<QuietHours>,
}

fn parse_time(field: &'static str, value: &str) -> Result<NaiveTime, Error> {
    NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .map_err(|_| Error::BadTime {
            field,
            value: value.to_string(),
        })
}

impl UserTime {
    /// From settings as stored: an IANA zone and optional `HH:MM` bounds.
    pub fn parse(
        timezone: &str,
        quiet_start: Option<&str>,
        quiet_end: Option<&str>,
    ) -> Result<Self, Error> {
        let tz: Tz = timezone
            .parse()
            .map_err(|_| Error::UnknownTimeZone(timezone.to_string()))?;
        let quiet = match (quiet_start, quiet_end) {
            (Some(s), Some(e)) => Some(QuietHours {
                start: parse_time("quiet_hours_start", s)?,
                end: parse_time("quiet_hours_end", e)?,
            }),
            (None, None) => None,
            (Some(_), None) => return Err(Error::HalfWindow("start")),
            (None, Some(_)) => return Err(Error::HalfWindow("end")),
        };
        Ok(UserTime { tz, quiet })
    }

    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.tz)
    }

    /// Whether `at` falls in the user's quiet hours.
    pub fn is_quiet(&self, at: DateTime<Utc>) -> bool {
        self.quiet
            .is_some_and(|q| q.contains(self.local(at).time()))
    }

    /// `at` itself when it is not in quiet hours; otherwise the instant the quiet window
    /// around `at` ends (the start of the next active window).
    pub fn next_active(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let Some(q) = self.quiet else { return at };
        let local = self.local(at);
        let t = local.time();
        if !q.contains(t) {
            return at;
        }
        let mut end_date = local.date_naive();
        if q.start > q.end && t >= q.start {
            // Evening part of a window that wraps midnight: it ends tomorrow.
            end_date = end_date.succ_opt().unwrap_or(end_date);
        }
        first_instant_at_or_after(self.tz, end_date.and_time(q.end), at)
    }
}

impl UserTime {
    /// When the quiet window around `at` began; `None` when `at` is not in quiet hours. A
    /// message meant to arrive before `at` that would land in quiet hours is moved to just
    /// before this instant.
    pub fn quiet_since(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let q = self.quiet?;
        let local = self.local(at);
        let t = local.time();
        if !q.contains(t) {
            return None;
        }
        let mut start_date = local.date_naive();
        if q.start > q.end && t < q.end {
            // Morning part of a window that wraps midnight: it began yesterday evening.
            start_date = start_date.pred_opt().unwrap_or(start_date);
        }
        Some(first_instant_at_or_after(
            self.tz,
            start_date.and_time(q.start),
            at - Duration::days(2),
        ))
    }
}

/// The first instant after `after` whose local wall-clock time in `tz` is `wall` or later.
fn first_instant_at_or_after(tz: Tz, wall: NaiveDateTime, after: DateTime<Utc>) -> DateTime<Utc> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => {
            let first = first.with_timezone(&Utc);
            if first > after {
                first
            } else {
                second.with_timezone(&Utc)
            }
        }
        LocalResult::None => {
            // `wall` is skipped by a DST jump: the answer is the jump itself. Find the last
            // wall-clock minute before the gap; the minute after it is the first one past.
            let mut probe = wall.with_second(0).unwrap_or(wall);
            for _ in 0..(24 * 60) {
                probe -= Duration::minutes(1);
                if let Some(before) = tz.from_local_datetime(&probe).latest() {
                    return before.with_timezone(&Utc) + Duration::minutes(1);
                }
            }
            // No zone has a day-long gap; fall back to reading `wall` as UTC.
            wall.and_utc()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_since_finds_the_window_start() {
        let ut = UserTime::parse("America/New_York", Some("20:00"), Some("07:30"))
            .unwrap_or_else(|e| panic!("{e}"));
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap_or_default();
        // 06:00 EST on a winter morning: the window began 20:00 EST the evening before.
        assert_eq!(
            ut.quiet_since(at("2026-01-15T11:00:00Z")),
            Some(at("2026-01-15T01:00:00Z"))
        );
        // 22:00 EDT: it began at 20:00 EDT the same evening.
        assert_eq!(
            ut.quiet_since(at("2026-07-16T02:00:00Z")),
            Some(at("2026-07-16T00:00:00Z"))
        );
        // Noon: not quiet.
        assert_eq!(ut.quiet_since(at("2026-07-16T16:00:00Z")), None);
        // The morning after DST starts (01:30 EST = 06:30Z): began 20:00 EST on the 7th.
        assert_eq!(
            ut.quiet_since(at("2026-03-08T06:30:00Z")),
            Some(at("2026-03-08T01:00:00Z"))
        );
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn maya() -> UserTime {
        // From the fixture: New York, quiet 20:00–07:30.
        UserTime::parse("America/New_York", Some("20:00"), Some("07:30")).unwrap()
    }

    #[test]
    fn window_that_wraps_midnight() {
        let u = maya();
        assert!(!u.is_quiet(utc("2026-12-01T00:59:00Z"))); // 19:59 local
        assert!(u.is_quiet(utc("2026-12-01T01:00:00Z"))); // 20:00
        assert_eq!(
            u.next_active(utc("2026-12-01T03:00:00Z")), // 22:00 Nov 30
            utc("2026-12-01T12:30:00Z")                 // 07:30 EST Dec 1
        );
        assert_eq!(
            u.next_active(utc("2026-12-01T10:00:00Z")), // 05:00 Dec 1, after midnight
            utc("2026-12-01T12:30:00Z")
        );
        assert!(!u.is_quiet(utc("2026-12-01T12:30:00Z")), "end is exclusive");
        let noon = utc("2026-12-01T17:00:00Z");
        assert_eq!(u.next_active(noon), noon, "active: not deferred");
    }

    #[test]
    fn window_within_a_day() {
        let u = UserTime::parse("Europe/London", Some("12:00"), Some("13:00")).unwrap();
        assert_eq!(
            u.next_active(utc("2026-12-01T12:15:00Z")),
            utc("2026-12-01T13:00:00Z")
        );
        assert!(!u.is_quiet(utc("2026-12-01T11:59:00Z")));
    }

    #[test]
    fn night_across_spring_forward_ends_at_local_end_time() {
        // New York, night of Sat 7 → Sun 8 March 2026: 02:00 EST jumps to 03:00 EDT.
        let u = maya();
        assert_eq!(
            u.next_active(utc("2026-03-08T04:00:00Z")), // 23:00 EST, Mar 7
            utc("2026-03-08T11:30:00Z"), // 07:30 EDT: one hour earlier in UTC than the day before
        );
        assert_eq!(
            u.next_active(utc("2026-03-07T04:00:00Z")), // 23:00 EST, Mar 6
            utc("2026-03-07T12:30:00Z"),
        );
    }

    #[test]
    fn end_time_inside_the_spring_forward_gap_ends_at_the_jump() {
        let u = UserTime::parse("America/New_York", Some("01:00"), Some("02:30")).unwrap();
        assert_eq!(
            u.next_active(utc("2026-03-08T06:30:00Z")), // 01:30 EST
            utc("2026-03-08T07:00:00Z"),                // 03:00 EDT, the jump
        );
    }

    #[test]
    fn end_time_in_the_fall_back_overlap_is_the_next_occurrence() {
        // New York, 1 Nov 2026: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
        let u = UserTime::parse("America/New_York", Some("00:30"), Some("01:30")).unwrap();
        assert_eq!(
            u.next_active(utc("2026-11-01T04:45:00Z")), // 00:45 EDT
            utc("2026-11-01T05:30:00Z"),                // the first 01:30 (EDT)
        );
        // 01:10 EST, the second pass through the hour, is quiet again until 01:30 EST.
        assert!(u.is_quiet(utc("2026-11-01T06:10:00Z")));
        assert_eq!(
            u.next_active(utc("2026-11-01T06:10:00Z")),
            utc("2026-11-01T06:30:00Z"),
        );
    }

    #[test]
    fn no_window_or_an_empty_one_is_never_quiet() {
        let none = UserTime::parse("UTC", None, None).unwrap();
        let empty = UserTime::parse("UTC", Some("09:00"), Some("09:00")).unwrap();
        let at = utc("2026-12-01T09:00:00Z");
        assert!(!none.is_quiet(at) && !empty.is_quiet(at));
        assert_eq!(empty.next_active(at), at);
    }

    #[test]
    fn bad_settings_name_what_is_wrong() {
        assert_eq!(
            UserTime::parse("Mars/Olympus", None, None),
            Err(Error::UnknownTimeZone("Mars/Olympus".into()))
        );
        let err = UserTime::parse("UTC", Some("25:00"), Some("07:00")).unwrap_err();
        assert!(
            err.to_string().contains("quiet_hours_start \"25:00\""),
            "{err}"
        );
        assert_eq!(
            UserTime::parse("UTC", Some("20:00"), None),
            Err(Error::HalfWindow("start"))
        );
    }
}
