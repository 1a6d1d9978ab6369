//! When people said they could meet, read from a sentence of a call or an email, in English
//! or Spanish: the days named ("Thursday Dec 3", "Wednesday the ninth", "el martes 1",
//! "next week"), the hours on each ("after 1pm", "before ten", "between 8 and 10:30am",
//! "por la tarde, a partir de las 16:00", "9.30"), days ruled out ("el lunes 7 no estamos"),
//! the zone the times are in ("Eastern", "hora de Madrid") and the length ("an hour").
//!
//! A time qualifier belongs to the day it follows; a day without one shares the next (or
//! previous) day's in the same sentence ("Tuesday or Wednesday, between 8 and 10:30"), then
//! the qualifiers said without a day. Explicit bounds beat parts of the day.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use regex::{Captures, Regex};

use crate::intents::re;

/// Hours said for a day: `[start, end)` local, `None` meaning the day's start or end; a
/// point time ("at two") is a start with `point` set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hours {
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub point: bool,
}

#[derive(Debug, Default, PartialEq)]
pub struct Said {
    pub days: Vec<(NaiveDate, Hours)>,
    pub excluded: Vec<NaiveDate>,
    /// "next week" / "la semana que viene" without a day named.
    pub next_week: bool,
    /// Hours said without any day ("mornings are best"): for every day searched.
    pub any_day: Option<Hours>,
    pub zone: Option<Tz>,
    pub duration_min: Option<i64>,
}

const WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];
pub(crate) const ORDINALS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];
const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre";
const TIME: &str = r"(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday|mediod[ií]a)";

pub(crate) static DAY: LazyLock<Regex> = LazyLock::new(|| {
    let ord = ORDINALS.join("|");
    re(&format!(
        r"\b(?:(next|this|el|este|el próximo|el proximo)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b(?:,?\s+(?:the\s+)?(?:({MONTHS})\.?\s+)?(\d{{1,2}}|{ord})(?:st|nd|rd|th)?\b(?:\s+(?:of\s+|de\s+)?({MONTHS})\b)?)?"
    ))
});
static BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:between|from|entre las?|de)\s+{TIME}\s*(?:and|to|until|-|–|y las?|a las?)\s*{TIME}|\b{TIME}\s*[-–]\s*{TIME}"
    ))
});
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:after|from|a partir de las?|despu[ée]s de las?|desde las?)\s+{TIME}"
    ))
});
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:before|until|till|by|no later than|antes de las?|hasta las?)\s+{TIME}"
    ))
});
static AT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:at|a las?|around|sobre las?)\s+{TIME}|\b(\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?)"
    ))
});
patterns! {
    MORNING = r"\bmornings?\b|\bpor la mañana\b|\bmañanas\b|\bam\b";
    AFTERNOON = r"\bafternoons?\b|\bpor la tarde\b|\btardes\b";
    NEGATION = r"\b(not (available|free|around|in|able)|no estamos|no estoy|no puedo|no podemos|can'?t (do|make)|cannot|unavailable|won'?t be (around|available|in)|out of (the )?office|(i'?m|we'?re|i am|we are) (off|out|away)|fuera|festivo|puente|holiday)\b";
    NEXT_WEEK = r"\bnext week\b|\bla semana que viene\b|\bla pr[óo]xima semana\b";
    LONG_MEETING = r"\b(demo|demonstration|walk-?through|workshop|training|deep-?dive|demostraci[oó]n|formaci[oó]n)\b";
    /// A sentence ends at `.`, `?`, `!` or `;` before a space (not inside "9.30"), or a line.
    SENTENCE_END = r"[.?!;](\s+|$)|\n";
    DURATION = r"\b(\d{1,3})\s*-?\s*(?:minutes?|mins?|minutos?)\b|\b(half an hour|media hora)\b|\b(hour and a half|hora y media)\b|\b(an|one|una|1)\s+hours?\b|\buna hora\b|\b(\d(?:\.\d)?)\s*(?:hours?|horas)\b";
}

/// Zone words and the zone they name, compiled once.
static ZONES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        ("eastern|et|est|edt|new york", "America/New_York"),
        ("central|ct|cst|cdt|chicago", "America/Chicago"),
        ("mountain|mt|mst|mdt|denver", "America/Denver"),
        ("pacific|pt|pst|pdt", "America/Los_Angeles"),
        ("arizona|phoenix", "America/Phoenix"),
        ("uk time|london|gmt|bst", "Europe/London"),
        ("madrid|cet|hora peninsular|hora de españa", "Europe/Madrid"),
        ("utc", "UTC"),
    ]
    .into_iter()
    .map(|(words, zone)| (re(&format!(r"\b(?:{words})\b")), zone))
    .collect()
});

fn zone_word(text: &str) -> Option<Tz> {
    ZONES
        .iter()
        .find(|(r, _)| r.is_match(text))
        .and_then(|(_, z)| z.parse().ok())
}

fn hour_of(s: &str) -> Option<NaiveTime> {
    let t = s
        .trim()
        .to_lowercase()
        .replace('.', ":")
        .replace(":m:", "m")
        .replace("a:m:", "am")
        .replace("p:m:", "pm");
    if ["noon", "midday", "mediodía", "mediodia"].contains(&t.as_str()) {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (num, pm, am) = (
        t.trim_end_matches(['a', 'p', 'm', ' ', ':']),
        t.ends_with("pm") || t.ends_with("p:m"),
        t.ends_with("am") || t.ends_with("a:m"),
    );
    let (h, m) = match num.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => match WORDS.iter().position(|w| *w == num) {
            Some(i) => (i as u32 + 1, 0),
            None => (num.parse().ok()?, 0),
        },
    };
    let h = match (pm, am) {
        (true, _) if h < 12 => h + 12,
        (_, true) if h == 12 => 0,
        (false, false) if (1..=6).contains(&h) => h + 12,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// A month by its English or Spanish name or abbreviation.
pub(crate) fn month_of(s: &str) -> Option<u32> {
    let s = s.to_lowercase();
    let en = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let es = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ];
    en.iter()
        .position(|m| s.starts_with(m))
        .or_else(|| es.iter().position(|m| s.starts_with(m)))
        .map(|i| i as u32 + 1)
}

fn weekday_of(s: &str) -> Option<Weekday> {
    let s = s.to_lowercase();
    let table: [(&[&str], Weekday); 7] = [
        (&["mon", "lun"], Weekday::Mon),
        (&["tue", "mar"], Weekday::Tue),
        (&["wed", "mié", "mie"], Weekday::Wed),
        (&["thu", "jue"], Weekday::Thu),
        (&["fri", "vie"], Weekday::Fri),
        (&["sat", "sáb", "sab"], Weekday::Sat),
        (&["sun", "dom"], Weekday::Sun),
    ];
    table
        .iter()
        .find(|(p, _)| p.iter().any(|p| s.starts_with(p)))
        .map(|(_, w)| *w)
}

/// The date a day mention names: the first one after `today` (within nine weeks) with that
/// weekday and, when said, that day of the month and month.
pub(crate) fn resolve(c: &Captures<'_>, today: NaiveDate) -> Option<NaiveDate> {
    let weekday = weekday_of(&c[2])?;
    let dom = c.get(4).map(|d| {
        let d = d.as_str().to_lowercase();
        ORDINALS
            .iter()
            .position(|o| *o == d)
            .map_or_else(|| d.parse().unwrap_or(0), |i| i as u32 + 1)
    });
    let month = c.get(3).or(c.get(5)).and_then(|m| month_of(m.as_str()));
    let next = c
        .get(1)
        .is_some_and(|p| p.as_str().eq_ignore_ascii_case("next"))
        && dom.is_none();
    let week_start = next_monday(today);
    (1..=63).map(|i| today + Duration::days(i)).find(|d| {
        d.weekday() == weekday
            && dom.is_none_or(|x| d.day() == x)
            && month.is_none_or(|m| d.month() == m)
            && (!next || (*d >= week_start && *d < week_start + Duration::days(7)))
    })
}

/// The hours a stretch of text qualifies, if any.
fn hours(text: &str) -> Option<Hours> {
    if let Some(c) = BETWEEN.captures(text) {
        let (a, b) = (c.get(1).or(c.get(3))?, c.get(2).or(c.get(4))?);
        let end_pm = b.as_str().to_lowercase().contains("pm");
        let mut start = hour_of(a.as_str())?;
        let end = hour_of(b.as_str())?;
        if end_pm && start > end && start.format("%H").to_string().parse::<u32>().ok()? >= 12 {
            start -= Duration::hours(12);
        }
        if !end_pm && !b.as_str().to_lowercase().contains("am") && end < start {
            return Some(Hours {
                start: Some(start),
                end: Some(end + Duration::hours(12)),
                point: false,
            });
        }
        return Some(Hours {
            start: Some(start),
            end: Some(end),
            point: false,
        });
    }
    let after = AFTER.captures(text).and_then(|c| hour_of(&c[1]));
    let before = BEFORE.captures(text).and_then(|c| hour_of(&c[1]));
    if after.is_some() || before.is_some() {
        return Some(Hours {
            start: after,
            end: before,
            point: false,
        });
    }
    if let Some(c) = AT.captures(text) {
        let t = c.get(1).or(c.get(2)).and_then(|m| hour_of(m.as_str()))?;
        return Some(Hours {
            start: Some(t),
            end: None,
            point: true,
        });
    }
    let noon = NaiveTime::from_hms_opt(12, 0, 0);
    if MORNING.is_match(text) {
        return Some(Hours {
            start: None,
            end: noon,
            point: false,
        });
    }
    AFTERNOON.is_match(text).then_some(Hours {
        start: noon,
        end: None,
        point: false,
    })
}

/// The Monday of the week after `today`'s ("next week").
pub(crate) fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()))
}

/// Reads `text` as said on `today` (the speaker's local date).
pub fn parse(text: &str, today: NaiveDate) -> Said {
    let mut said = Said {
        zone: zone_word(text),
        duration_min: duration(text),
        ..Said::default()
    };
    let mut loose: Option<Hours> = None;
    let mut pending: Vec<NaiveDate> = Vec::new();
    for sentence in SENTENCE_END.split(text).filter(|s| !s.trim().is_empty()) {
        let marks: Vec<(usize, NaiveDate)> = DAY
            .captures_iter(sentence)
            .filter_map(|c| Some((c.get(0)?.start(), resolve(&c, today)?)))
            .collect();
        if marks.is_empty() {
            loose = loose.or(hours(sentence));
            said.next_week |= NEXT_WEEK.is_match(sentence);
            continue;
        }
        if NEGATION.is_match(sentence) {
            said.excluded.extend(marks.iter().map(|(_, d)| *d));
            continue;
        }
        let shared = hours(&sentence[..marks[0].0]);
        let own: Vec<Option<Hours>> = marks
            .iter()
            .enumerate()
            .map(|(i, (at, _))| {
                hours(&sentence[*at..marks.get(i + 1).map_or(sentence.len(), |m| m.0)])
            })
            .collect();
        for (i, (_, d)) in marks.iter().enumerate() {
            let inherited = own[i..]
                .iter()
                .flatten()
                .next()
                .or_else(|| own[..i].iter().flatten().last());
            match own[i].or(inherited.copied()).or(shared) {
                Some(h) => said.days.push((*d, h)),
                None => pending.push(*d),
            }
        }
    }
    said.days
        .extend(pending.into_iter().map(|d| (d, loose.unwrap_or_default())));
    said.any_day = loose;
    said.days.sort_by_key(|(d, _)| *d);
    said.days.dedup_by_key(|(d, _)| *d);
    said
}

/// The length said, else an hour for a demo, workshop or training (what they take), else
/// none (the request's default).
fn duration(text: &str) -> Option<i64> {
    let Some(c) = DURATION.captures(text) else {
        return LONG_MEETING.is_match(text).then_some(60);
    };
    if let Some(m) = c.get(1) {
        return m.as_str().parse().ok().filter(|m| (5..=480).contains(m));
    }
    if c.get(2).is_some() {
        return Some(30);
    }
    if c.get(3).is_some() {
        return Some(90);
    }
    if let Some(h) = c.get(5) {
        return h.as_str().parse::<f64>().ok().map(|h| (h * 60.0) as i64);
    }
    Some(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn each_day_keeps_its_own_hours_and_a_bare_day_shares_the_next_ones() {
        let s = parse(
            "I'm free Thursday after 2pm or Friday morning before 11, Eastern.",
            d("2026-12-02"),
        );
        assert_eq!(
            s.days,
            vec![
                (
                    d("2026-12-03"),
                    Hours {
                        start: t(14, 0),
                        end: None,
                        point: false
                    }
                ),
                (
                    d("2026-12-04"),
                    Hours {
                        start: None,
                        end: t(11, 0),
                        point: false
                    }
                ),
            ]
        );
        assert_eq!(s.zone, Some(chrono_tz::America::New_York));
        let s = parse(
            "I can do Tuesday Dec 1 or Wednesday Dec 2, anywhere between 8 and 10:30am Mountain. An hour would be ideal.",
            d("2026-11-28"),
        );
        assert_eq!(s.days.len(), 2);
        assert!(s.days.iter().all(|(_, h)| *h
            == Hours {
                start: t(8, 0),
                end: t(10, 30),
                point: false
            }));
        assert_eq!(s.duration_min, Some(60));
    }

    #[test]
    fn spanish_days_hours_and_days_ruled_out() {
        let s = parse(
            "Nos vendría bien el martes 1 o el jueves 3 por la tarde, a partir de las 16:00 (hora de Madrid). El lunes 7 y el martes 8 no estamos.",
            d("2026-11-27"),
        );
        let days: Vec<NaiveDate> = s.days.iter().map(|(d, _)| *d).collect();
        assert_eq!(days, [d("2026-12-01"), d("2026-12-03")]);
        assert!(
            s.days
                .iter()
                .all(|(_, h)| h.start == t(16, 0) && h.end.is_none())
        );
        assert_eq!(s.excluded, [d("2026-12-07"), d("2026-12-08")]);
        assert_eq!(s.zone, Some(chrono_tz::Europe::Madrid));
    }

    #[test]
    fn ordinals_and_point_times() {
        let s = parse(
            "Great, I'll send the invite for Wednesday the ninth at two Eastern and add Inés.",
            d("2026-12-01"),
        );
        assert_eq!(
            s.days,
            vec![(
                d("2026-12-09"),
                Hours {
                    start: t(14, 0),
                    end: None,
                    point: true
                }
            )]
        );
    }
}
