//! `meeting-prep`: the brief a rep gets 90 minutes before a customer meeting (inform only):
//! who is coming and their roles, the deal (stage, amount, close date), what each side
//! committed to in the last recorded meeting, open tasks, recent email threads, and
//! suggested talking points. From the job: `event.payload.event_id` (the calendar event),
//! `context` (calendars, deal, contact, company, history, open tasks) and, when the deal or
//! contact has a recorded meeting, `meeting` (the latest, attached by the executor).

use serde_json::{Value, json};

use crate::{
    intents,
    json::{list, text as s},
    transcript::{Meeting, Role},
};

/// The calendar event the prep is for, from the user's calendar.
fn calendar_event<'a>(ctx: &'a Value, id: &str) -> Option<&'a Value> {
    list(ctx, "calendars")
        .flat_map(|c| list(c, "events"))
        .find(|e| e["id"] == id)
}

/// Who is coming: the contact by name and title where the CRM knows them, the rep as "you",
/// anyone else by the name part of their address.
fn attendees(event: &Value, ctx: &Value) -> Vec<Value> {
    let contact = &ctx["contact"];
    list(event, "attendees")
        .filter_map(Value::as_str)
        .map(|a| {
            if contact["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(a))
            {
                json!({"name": contact["name"], "title": contact["title"], "side": "prospect"})
            } else if a.eq_ignore_ascii_case(s(event, "organizer")) {
                json!({"name": "you", "side": "rep"})
            } else {
                let name = a.split('@').next().unwrap_or(a).replace(['.', '_'], " ");
                json!({"name": name, "title": null, "side": "other"})
            }
        })
        .collect()
}

fn commitments(meeting: &Option<Meeting>) -> (Vec<String>, Vec<String>) {
    let Some(m) = meeting else {
        return (Vec::new(), Vec::new());
    };
    let found = intents::detect(m);
    let of = |role: Role| {
        found
            .commitments
            .iter()
            .filter(|c| c.owner_role == role)
            .map(|c| c.phrase.clone())
            .collect()
    };
    (of(Role::Rep), of(Role::Prospect))
}

pub fn meeting_prep(input: &Value) -> Result<Value, String> {
    let ctx = input.get("context").unwrap_or(&Value::Null);
    let id = input
        .pointer("/event/payload/event_id")
        .and_then(Value::as_str)
        .ok_or("the event names no calendar `event_id`")?;
    let event = calendar_event(ctx, id)
        .ok_or_else(|| format!("calendar event {id} is not in the rep's calendar"))?;
    let meeting = input.get("meeting").map(Meeting::from_input).transpose()?;
    let (yours, theirs) = commitments(&meeting);
    let deal = &ctx["deal"];
    let tasks: Vec<String> = list(ctx, "open_tasks")
        .map(|t| s(t, "title").to_string())
        .collect();
    let threads: Vec<String> = list(ctx, "email_threads")
        .take(3)
        .map(|t| s(t, "subject").to_string())
        .collect();
    let mut points = Vec::new();
    if let Some(stage) = deal["stage"].as_str() {
        points.push(format!(
            "Agree the step that moves {} on from {stage}",
            s(deal, "name")
        ));
    }
    points.extend(
        theirs
            .iter()
            .map(|p| format!("Check on what they promised: \"{p}\"")),
    );
    points.extend(yours.iter().map(|p| format!("Show you delivered: \"{p}\"")));
    let competitors: Vec<&str> = list(&ctx["org"]["product_profile"], "competitors")
        .filter_map(Value::as_str)
        .collect();
    if let Some(m) = &meeting {
        for c in competitors
            .iter()
            .filter(|c| m.segments.iter().any(|s| s.text.contains(*c)))
        {
            points.push(format!("{c} came up last time: have the comparison ready"));
        }
    }
    points.extend(tasks.iter().map(|t| format!("Close out: {t}")));
    let people = attendees(event, ctx);
    let text = render(
        event,
        deal,
        &people,
        (&yours, &theirs),
        &tasks,
        &threads,
        &points,
        meeting.as_ref(),
    );
    Ok(json!({
        "event_id": id,
        "title": event["title"],
        "start": event["start"],
        "attendees": people,
        "deal": {"id": deal["id"], "name": deal["name"], "stage": deal["stage"], "amount": deal["amount"], "currency": deal["currency"], "close_date": deal["close_date"]},
        "last_meeting": meeting.as_ref().map(|m| json!({"id": m.id, "title": m.title})),
        "open_commitments": {"yours": yours, "theirs": theirs},
        "open_tasks": tasks,
        "recent_threads": threads,
        "talking_points": points,
        "notification": {"template": "meeting_prep", "inform_only": true, "text": text},
    }))
}

#[allow(clippy::too_many_arguments)]
fn render(
    event: &Value,
    deal: &Value,
    people: &[Value],
    (yours, theirs): (&[String], &[String]),
    tasks: &[String],
    threads: &[String],
    points: &[String],
    last: Option<&Meeting>,
) -> String {
    let mut t = format!("PREP: {} ({})\n", s(event, "title"), s(event, "start"));
    let who: Vec<String> = people
        .iter()
        .map(|p| match p["title"].as_str() {
            Some(title) => format!("{} ({title})", s(p, "name")),
            None => s(p, "name").to_string(),
        })
        .collect();
    t.push_str(&format!("Attendees: {}\n", who.join(", ")));
    if deal.is_object() {
        t.push_str(&format!(
            "Deal: {}, {} stage, {} {}, closes {}\n",
            s(deal, "name"),
            s(deal, "stage"),
            deal["amount"].as_f64().map_or_else(
                || "?".into(),
                |a| crate::messages::thousands(a.round() as i64)
            ),
            deal["currency"].as_str().unwrap_or(""),
            deal["close_date"].as_str().unwrap_or("(no date)")
        ));
    }
    let section = |t: &mut String, head: &str, items: &[String]| {
        if !items.is_empty() {
            t.push_str(&format!(
                "{head}\n{}\n",
                items
                    .iter()
                    .map(|i| format!("  • {i}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    };
    if let Some(m) = last {
        t.push_str(&format!("Last recorded meeting: {}\n", m.title));
    }
    section(&mut t, "You committed to:", yours);
    section(&mut t, "They committed to:", theirs);
    section(&mut t, "Open tasks:", tasks);
    section(&mut t, "Recent threads:", threads);
    section(&mut t, "Talking points:", points);
    t.trim_end().to_string()
}
