//! The calendar_find_times sequence's two built-ins around [`slots`]: the scheduling request
//! built from what was said (the commitment or the email, read by [`said`]) and the job's
//! context, and `draft-scheduling-email`, the rep's email offering the proposed times in the
//! contact's zone.
//!
//! With zero configuration a contact without a shared calendar is assumed to keep
//! [`ASSUMED_HOURS`] in their CRM time zone; the output names who was assumed.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::{
    calendar::{self, at, instant, zone},
    email, said,
};

/// Working hours assumed for a participant with no calendar: weekdays 09:00–17:00 local.
pub const ASSUMED_HOURS: [&str; 2] = ["09:00", "17:00"];
/// How far ahead a request without named days searches (days after the one it was said).
const DEFAULT_DAYS: i64 = 7;
/// Default notice before the first slot.
const DEFAULT_NOTICE_HOURS: f64 = 2.0;

/// A scheduling request (the data README's format) and the participants' calendars, from a
/// job: `event.payload` (`commitment` or `text`, `said_at`, `duration_min`), `context`
/// (`user`, `contact`, the other `participants`, `calendars`) and the step's `now` (the search never starts before it;
/// without `said_at` the words are read as of `now`).
pub fn request_from_job(input: &Value) -> Result<(Value, Vec<Value>, Vec<String>), String> {
    let user = input
        .pointer("/context/user")
        .filter(|u| u.is_object())
        .ok_or("the job's context has no user")?;
    let contact = input.pointer("/context/contact").filter(|c| c.is_object());
    let payload = input.pointer("/event/payload").unwrap_or(&Value::Null);
    let text = ["text", "commitment"]
        .iter()
        .find_map(|k| {
            input
                .get(*k)
                .or_else(|| payload.get(*k))
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    let said_at = payload
        .get("said_at")
        .or_else(|| input.get("now"))
        .and_then(Value::as_str)
        .ok_or("neither `event.payload.said_at` nor the step's `now` is set: the request needs a reference time")?;
    let said_at = instant(said_at)?;
    // Never a slot in the past: an old email is read as of when it was written, but the
    // search starts now at the earliest.
    let now = input
        .get("now")
        .and_then(Value::as_str)
        .map(instant)
        .transpose()?;
    let created_at = now.map_or(said_at, |n| n.max(said_at));
    let user_tz = zone(&user["timezone"], "context.user.timezone")?;
    let contact_tz = contact.and_then(|c| zone(&c["timezone"], "context.contact.timezone").ok());
    let display = contact_tz.unwrap_or(user_tz);
    let parsed = said::parse(text, said_at.with_timezone(&display).date_naive());
    let spoken_tz = parsed.zone.unwrap_or(display);
    let duration = parsed
        .duration_min
        .or_else(|| payload["duration_min"].as_i64())
        .unwrap_or(30);
    let today = said_at.with_timezone(&spoken_tz).date_naive();
    let (windows, start, end) = windows(&parsed, spoken_tz, today, duration);
    // The thread's or the meeting's other contacts, as the CRM has them (context.participants).
    let others: Vec<&Value> = input
        .pointer("/context/participants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p["id"].is_string() && &p["id"] != contact.map_or(&Value::Null, |c| &c["id"]))
        .collect();
    let mut participants = vec![user["id"].clone()];
    participants.extend(contact.map(|c| c["id"].clone()));
    participants.extend(others.iter().map(|p| p["id"].clone()));
    let request = json!({
        "id": format!("job:{}", input.pointer("/event/event_id").and_then(Value::as_str).unwrap_or("request")),
        "source": {"text": text},
        "organizer_user_id": user["id"],
        "participants": participants,
        "optional_participants": [],
        "duration_min": duration,
        "within": {"start_date": start, "end_date": end, "timezone": spoken_tz.name()},
        "created_at": created_at.to_rfc3339(),
        "display_timezone": display.name(),
        "constraints": {"allowed_windows": windows, "min_notice_hours": DEFAULT_NOTICE_HOURS},
    });
    let mut calendars: Vec<Value> = input
        .pointer("/context/calendars")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut assumed = Vec::new();
    let mut people = vec![
        (Some(user), user_tz),
        (contact, contact_tz.unwrap_or(user_tz)),
    ];
    for p in &others {
        let tz = zone(&p["timezone"], "a participant's timezone").unwrap_or(display);
        people.push((Some(*p), tz));
    }
    for (person, tz) in people {
        let Some(id) = person.and_then(|p| p["id"].as_str()) else {
            continue;
        };
        if !calendars
            .iter()
            .any(|c| c.pointer("/owner/id").and_then(Value::as_str) == Some(id))
        {
            calendars.push(assumed_calendar(id, tz));
            assumed.push(id.to_string());
        }
    }
    Ok((request, calendars, assumed))
}

/// The allowed windows and the date range, from the days (and hours) said; without days, the
/// next week (when said) or the coming [`DEFAULT_DAYS`], minus the days ruled out.
fn windows(
    s: &said::Said,
    tz: Tz,
    today: NaiveDate,
    duration: i64,
) -> (Vec<Value>, NaiveDate, NaiveDate) {
    let days: Vec<(NaiveDate, said::Hours)> = if s.days.is_empty() {
        let (first, n) = if s.next_week {
            (said::next_monday(today), 5)
        } else {
            (today, DEFAULT_DAYS + 1)
        };
        (0..n)
            .map(|i| (first + Duration::days(i), s.any_day.unwrap_or_default()))
            .collect()
    } else {
        s.days.clone()
    };
    let days: Vec<_> = days
        .into_iter()
        .filter(|(d, _)| !s.excluded.contains(d))
        .collect();
    let (start, end) = (
        days.first().map_or(today, |d| d.0),
        days.last().map_or(today, |d| d.0),
    );
    let windows = days
        .iter()
        .map(|(d, h)| {
            let from = at(tz, d.and_time(h.start.unwrap_or(NaiveTime::MIN)));
            let to = match (h.point, h.end) {
                (true, _) => from + Duration::minutes(duration),
                (false, Some(e)) => at(tz, d.and_time(e)),
                (false, None) => at(tz, (*d + Duration::days(1)).and_time(NaiveTime::MIN)),
            };
            json!({"start": calendar::local_string(tz, from), "end": calendar::local_string(tz, to)})
        })
        .collect();
    (windows, start, end)
}

fn assumed_calendar(id: &str, tz: Tz) -> Value {
    let day = json!([ASSUMED_HOURS]);
    json!({
        "owner": {"id": id, "type": "contact"},
        "timezone": tz.name(),
        "working_hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": [], "sun": []},
        "events": [],
    })
}

/// `draft-scheduling-email`: the rep's email offering the proposed slots (`slots`: the
/// find-available-slots output), times in the contact's zone, in the language the request
/// was made in; with no slot, it asks for other times instead.
pub fn draft_scheduling_email(input: &Value) -> Result<Value, String> {
    let found = input
        .get("slots")
        .filter(|s| s.is_object())
        .ok_or("`slots` (the find-available-slots output) is missing")?;
    let user = input.pointer("/context/user").unwrap_or(&Value::Null);
    let contact = input.pointer("/context/contact").filter(|c| c.is_object());
    let tz = zone(
        &found
            .pointer("/request/display_timezone")
            .cloned()
            .unwrap_or(json!("UTC")),
        "slots.request.display_timezone",
    )?;
    let text = found
        .pointer("/request/source/text")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let spanish = !text.is_empty() && email::language(text) == "es";
    let proposed: Vec<DateTime<Utc>> = found["proposed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["start_utc"].as_str().and_then(|t| instant(t).ok()))
        .collect();
    let minutes = found
        .pointer("/request/duration_min")
        .and_then(Value::as_i64)
        .unwrap_or(30);
    let name = contact.and_then(|c| c["name"].as_str()).unwrap_or_default();
    let first = name.split_whitespace().next().unwrap_or("there");
    let rep = user["name"]
        .as_str()
        .and_then(|n| n.split_whitespace().next())
        .unwrap_or_default();
    let lines: Vec<String> = proposed
        .iter()
        .map(|t| {
            let (s, e) = (
                t.with_timezone(&tz),
                (*t + Duration::minutes(minutes)).with_timezone(&tz),
            );
            format!(
                "- {} – {} ({})",
                s.format("%A, %B %-d, %-I:%M %p"),
                e.format("%-I:%M %p"),
                s.format("%Z")
            )
        })
        .collect();
    let (subject, body) = match (spanish, lines.is_empty()) {
        (false, false) => (
            "Times to meet".to_string(),
            format!(
                "Hi {first},\n\nHere are a few times that work on my side:\n\n{}\n\nJust reply with the one that suits you best and I'll send the invite.\n\nBest,\n{rep}",
                lines.join("\n")
            ),
        ),
        (false, true) => (
            "Finding a time".to_string(),
            format!(
                "Hi {first},\n\nI couldn't find a time in that window that works on both sides. Could you suggest a couple of other times, or is the following week open?\n\nBest,\n{rep}"
            ),
        ),
        (true, false) => (
            "Horarios para la reunión".to_string(),
            format!(
                "Hola {first}:\n\nEstos horarios me vienen bien:\n\n{}\n\nDime cuál te encaja mejor y te envío la invitación.\n\nUn saludo,\n{rep}",
                lines.join("\n")
            ),
        ),
        (true, true) => (
            "Buscando horario".to_string(),
            format!(
                "Hola {first}:\n\nNo encuentro un hueco en esas fechas que nos venga bien a ambos. ¿Podrías proponerme otros horarios?\n\nUn saludo,\n{rep}"
            ),
        ),
    };
    Ok(json!({
        "to": {"name": name, "email": contact.and_then(|c| c.get("email")).cloned(), "contact_id": contact.and_then(|c| c.get("id")).cloned()},
        "subject": subject,
        "body": body,
        "slots_offered": proposed.len(),
        "language": if spanish { "es" } else { "en" },
    }))
}
