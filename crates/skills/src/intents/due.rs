//! When a commitment is due: the first time expression of its sentence, resolved against the
//! meeting's local date ("by Friday" said on Tue 2026-11-17 → 2026-11-20; "end of next
//! week"; "on the fifteenth" said on 16 December → 15 January). A vague time ("next week",
//! "in February", "the second week of January") gives no date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::said::{self, ORDINALS};

patterns! {
    TODAY = r"\b(today|tonight|this (morning|afternoon|evening)|end of (the )?day|eod|later on|same day|close of business|cob|(right|straight|just) after (this|the) (call|meeting)|after (this|the) call|after lunch|over lunch|by lunch(time)?|before lunch)\b";
    /// "the second week of January": its Monday.
    WEEK_OF_MONTH = r"\b(first|second|third|fourth) week of (january|february|march|april|may|june|july|august|september|october|november|december)\b";
    TOMORROW = r"\btomorrow\b";
    THAT_DAY = r"\bthat (?:same )?(?:day|morning|afternoon|evening|night)\b";
    END_OF_WEEK = r"\b(end of|by the end of|later) (the |this )?week\b";
    END_OF_NEXT_WEEK = r"\bend of next week\b";
    END_OF_MONTH = r"\b(end of (the |this )?month|month[- ]end)\b";
    /// A vague span: no date is given for these even when a weekday follows.
    VAGUE = r"\b(next week|week of|weeks? after|in (january|february|march|april|may|june|july|august|september|october|november|december))\b";
    MONTH_DAY = r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? (\d{1,2})(st|nd|rd|th)?\b";
    /// "the fifteenth", "the 15th of January" — a day, not "the first couple of weeks".
    ORDINAL = r"\bthe (\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|twenty-second|twenty-third|twenty-fourth|twenty-fifth|twenty-sixth|twenty-seventh|twenty-eighth|twenty-ninth|thirtieth|thirty-first)(?: of ([a-z]+))?(?:$|[,.?!;]|\s+(?:at|by|and|for|so|to|then|or|in|when|if|is|works|morning|afternoon|evening|—|-))";
}

/// The due date of a promise: what `text` names, or, for "that afternoon" and "that same
/// day", the date named `before` it in the turn ("The board meets on the seventeenth. If they
/// approve, I'll send it that afternoon").
pub fn resolve_in(text: &str, before: &str, today: NaiveDate) -> Option<NaiveDate> {
    if THAT_DAY.is_match(text) {
        return resolve(before, today);
    }
    resolve(text, today)
}

/// The due date `text` names, said on `today`.
pub fn resolve(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    if TOMORROW.is_match(text) {
        return Some(today + Duration::days(1));
    }
    if END_OF_NEXT_WEEK.is_match(text) {
        return Some(friday_of(said::next_monday(today)));
    }
    if END_OF_MONTH.is_match(text) {
        let next_month = NaiveDate::from_ymd_opt(
            today.year() + i32::from(today.month() == 12),
            today.month() % 12 + 1,
            1,
        )?;
        return Some(next_month - Duration::days(1));
    }
    if END_OF_WEEK.is_match(text) {
        return Some(friday_of(today).max(today));
    }
    if let Some(day) = said::DAY.captures(text) {
        // "by COB Thursday" said on a Thursday is today.
        let date = said::resolve(&day, today)?;
        return Some(
            if TODAY.is_match(text) && date == today + Duration::days(7) {
                today
            } else {
                date
            },
        );
    }
    if let Some(date) = ordinal(text, today)
        .or_else(|| month_day(text, today))
        .or_else(|| week_of_month(text, today))
    {
        return Some(date);
    }
    if TODAY.is_match(text) && !VAGUE.is_match(text) {
        return Some(today);
    }
    None
}

fn friday_of(day: NaiveDate) -> NaiveDate {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    monday + Duration::days(i64::from(Weekday::Fri.num_days_from_monday()))
}

/// "the fifteenth", "the 15th", "the fifteenth of January": the first such day from today.
fn ordinal(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let c = ORDINAL.captures(text)?;
    let token = c[1].to_lowercase();
    let day = match token
        .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
        .parse()
    {
        Ok(n) => n,
        Err(_) => ORDINALS.iter().position(|o| *o == token)? as u32 + 1,
    };
    let month = c.get(2).and_then(|m| said::month_of(m.as_str()));
    first_from(today, day, month)
}

/// "the second week of January": the Monday that starts it (the month's second Monday).
fn week_of_month(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let c = WEEK_OF_MONTH.captures(text)?;
    let n = ["first", "second", "third", "fourth"]
        .iter()
        .position(|w| c[1].eq_ignore_ascii_case(w))?;
    let month = said::month_of(&c[2])?;
    let first = first_from(today, 1, Some(month))?;
    let monday = (0..7)
        .map(|i| first + Duration::days(i))
        .find(|d| d.weekday() == Weekday::Mon)?;
    Some(monday + Duration::weeks(n as i64))
}

/// "January 15", "Dec 3rd".
fn month_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let c = MONTH_DAY.captures(text)?;
    let month = said::month_of(&c[1])?;
    first_from(today, c[2].parse().ok()?, Some(month))
}

/// The first date on or after `today` with that day of the month (and month, when given).
fn first_from(today: NaiveDate, day: u32, month: Option<u32>) -> Option<NaiveDate> {
    (0..=400)
        .map(|i| today + Duration::days(i))
        .find(|d| d.day() == day && month.is_none_or(|m| d.month() == m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn time_expressions_against_the_meeting_date() {
        let tue = d("2026-11-17");
        let cases = [
            ("get it to you by Friday", Some("2026-11-20")),
            (
                "send the invite for Tuesday the first at one",
                Some("2026-12-01"),
            ),
            ("over to you by end of day tomorrow", Some("2026-11-18")),
            ("I'll send it over today", Some("2026-11-17")),
            ("I'll give you a ring end of next week", Some("2026-11-27")),
            ("by the end of this week", Some("2026-11-20")),
            ("by next Wednesday", Some("2026-11-25")),
            (
                "the signed copy back to you by the fifteenth",
                Some("2026-12-15"),
            ),
            ("before the fifteenth of January", Some("2027-01-15")),
            ("by January 8th", Some("2027-01-08")),
            ("a call the second week of January", Some("2027-01-11")),
            ("a demo for next week", None),
            ("an answer on the fifteen by Tuesday", Some("2026-11-24")),
            ("I'll send you the recording", None),
            ("the PO over by month end", Some("2026-11-30")),
            (
                "book a check-in to see how the first couple of weeks went",
                None,
            ),
            ("by the 3rd.", Some("2026-12-03")),
        ];
        for (text, want) in cases {
            assert_eq!(resolve(text, tue), want.map(d), "{text}");
        }
        assert_eq!(
            resolve_in(
                "send it that afternoon",
                "The board meets on the seventeenth.",
                tue
            ),
            Some(d("2026-11-17"))
        );
        // "by the fifteenth" said on the sixteenth is next month's.
        assert_eq!(
            resolve("by the fifteenth", d("2026-12-16")),
            Some(d("2027-01-15"))
        );
    }
}
