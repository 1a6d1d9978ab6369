//! `morning-brief`: one rep's brief for one local date, from the six sources the product
//! names: the calendar (today's meetings with CRM contacts), prep status per meeting, the
//! inbox (threads needing a response, read by `classify-email`), pipeline analysis
//! (`find-stale-deals` at the brief's due time), campaign metrics (`monitor-campaigns`) and
//! the CRM activity log (overnight changes). Due at the user's `morning_brief_time` on their
//! working days only (a day without working hours gets no brief).
//!
//! Input: `{"org", "calendars": [...], "user_id", "date", "emails"?, "activities"?, "prep"?}`;
//! in a job without `date`, the user's local date at the step's `now`. The output carries
//! the rendered brief as a `notification` for the notifier.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::{
    brief_text,
    calendar::{self, Calendar, at, clock, local},
    json::list,
    pipeline, triage,
};

/// Overnight means the 16 hours before the brief is due.
const OVERNIGHT_HOURS: i64 = 16;
/// Inbox items older than this before the brief are not "needs your attention" any more.
const INBOX_DAYS: i64 = 7;
/// A meeting's prep brief is delivered this long before it starts (pre_meeting_90min).
const PREP_LEAD_MIN: i64 = 90;

/// Everything the brief is made of, before rendering.
pub struct Brief<'a> {
    pub user: &'a Value,
    pub tz: Tz,
    pub date: NaiveDate,
    pub due: DateTime<Utc>,
    pub meetings: Vec<Value>,
    pub attention: Vec<Value>,
    pub pipeline: Value,
    pub overnight: Vec<Value>,
}

pub fn morning_brief(input: &Value) -> Result<Value, String> {
    let org = input
        .get("org")
        .filter(|o| o.is_object())
        .ok_or("`org` is missing")?;
    let user_id = input["user_id"].as_str().ok_or("`user_id` is missing")?;
    let user = list(org, "users")
        .find(|u| u["id"] == user_id)
        .ok_or_else(|| format!("user {user_id} is not in the org"))?;
    let cal = list(input, "calendars")
        .find(|c| c.pointer("/owner/id").and_then(Value::as_str) == Some(user_id))
        .map(Calendar::parse)
        .transpose()?
        .ok_or_else(|| {
            format!("no calendar for {user_id}: the brief's meetings and working days come from it")
        })?;
    let date = match input["date"].as_str() {
        Some(d) => d
            .parse()
            .map_err(|_| format!("`date` {d:?} is not YYYY-MM-DD"))?,
        None => {
            let now = input["now"]
                .as_str()
                .ok_or("`date` is missing (or, in a job, `now`)")?;
            calendar::instant(now)?
                .with_timezone(&cal.timezone)
                .date_naive()
        }
    };
    if !cal.works_on(date) {
        return Ok(
            json!({"user_id": user_id, "date": date, "working_day": false, "due_utc": null, "meetings": [], "text": ""}),
        );
    }
    let tz = cal.timezone;
    let time = cal
        .morning_brief_time
        .as_deref()
        .or_else(|| user["morning_brief_time"].as_str())
        .unwrap_or("08:00");
    let due = at(tz, date.and_time(clock(time)?));
    let brief = Brief {
        user,
        tz,
        date,
        due,
        meetings: meetings(org, &cal, date, due, input.get("prep"))?,
        attention: attention(org, input, user, due)?,
        pipeline: pulse(org, user_id, due)?,
        overnight: overnight(org, input, user_id, due)?,
    };
    let text = brief_text::render(&brief);
    let blocks = brief_text::blocks(&text);
    Ok(json!({
        "user_id": user_id,
        "date": date,
        "working_day": true,
        "due_utc": calendar::utc_string(due),
        "due_local": calendar::local_string(tz, due),
        "meetings": brief.meetings,
        "needs_attention": brief.attention,
        "pipeline_pulse": brief.pipeline,
        "overnight_updates": brief.overnight,
        "buttons": brief_text::BUTTONS.iter().map(|(id, label)| json!({"action_id": id, "text": label})).collect::<Vec<_>>(),
        "blocks": blocks,
        "notification": {"template": "morning_brief", "inform_only": true, "text": text, "blocks": blocks},
        "text": text,
    }))
}

fn find<'a>(org: &'a Value, key: &str, id: &str) -> Option<&'a Value> {
    list(org, key).find(|x| x["id"] == id)
}

/// The day's timed, not cancelled events with at least one CRM contact, in start order.
fn meetings(
    org: &Value,
    cal: &Calendar,
    date: NaiveDate,
    due: DateTime<Utc>,
    prep: Option<&Value>,
) -> Result<Vec<Value>, String> {
    let tz = cal.timezone;
    let (day_start, day_end) = (
        at(tz, date.and_time(NaiveTime::MIN)),
        at(tz, (date + Duration::days(1)).and_time(NaiveTime::MIN)),
    );
    let mut found = Vec::new();
    for e in cal
        .events
        .iter()
        .filter(|e| !e.cancelled() && !e.contact_ids.is_empty())
    {
        if let Some((s, end)) = e.span()?
            && day_start <= s
            && s < day_end
        {
            found.push((s, end, e));
        }
    }
    found.sort_by_key(|(s, _, _)| *s);
    Ok(found
        .into_iter()
        .map(|(s, end, e)| {
            let contacts: Vec<Value> = e
                .contact_ids
                .iter()
                .map(|id| {
                    let c = find(org, "contacts", id);
                    let company = c.and_then(|c| c["company_id"].as_str()).and_then(|co| find(org, "companies", co));
                    json!({"id": id, "name": c.and_then(|c| c["name"].as_str()), "company": company.and_then(|c| c["name"].as_str())})
                })
                .collect();
            let prep_status = prep
                .and_then(|p| p.get(&e.id))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| if s - Duration::minutes(PREP_LEAD_MIN) <= due { "in_progress" } else { "scheduled" }.into());
            json!({
                "event_id": e.id,
                "title": e.title,
                "start_local": calendar::local_string(tz, s),
                "start_utc": calendar::utc_string(s),
                "end_utc": calendar::utc_string(end),
                "contacts": contacts,
                "deal_id": e.deal_id,
                "prep": prep_status,
                "prep_at_local": local(tz, s - Duration::minutes(PREP_LEAD_MIN)).format("%H:%M").to_string(),
            })
        })
        .collect())
}

/// Emails to the user in the week before the brief that need them: a reply to approve, times
/// to find, or something only they can handle. Classified by `classify-email`.
fn attention(
    org: &Value,
    input: &Value,
    user: &Value,
    due: DateTime<Utc>,
) -> Result<Vec<Value>, String> {
    let address = user["email"].as_str().unwrap_or_default().to_lowercase();
    let mut items = Vec::new();
    for email in list(input, "emails") {
        let to_user = ["to", "cc"]
            .iter()
            .flat_map(|k| list(email, k))
            .filter_map(Value::as_str)
            .any(|a| a.to_lowercase().contains(&address));
        let when = email["date"].as_str().map(calendar::instant).transpose()?;
        if !to_user || when.is_none_or(|t| t > due || t < due - Duration::days(INBOX_DAYS)) {
            continue;
        }
        let c = triage::classify_email(&json!({"email": email, "org": org}))?;
        let (primary, secondary) = match c["action"].as_str() {
            Some("draft_reply_needs_approval") => ("Review draft", "Snooze"),
            Some("find_meeting_times") => ("Find times", "Snooze"),
            Some("notify_rep") => ("Open thread", "Snooze"),
            _ => continue,
        };
        let contact = c["contact_id"]
            .as_str()
            .and_then(|id| find(org, "contacts", id));
        let company = c["company_id"]
            .as_str()
            .and_then(|id| find(org, "companies", id));
        let sender = email["from"].as_str().unwrap_or_default();
        items.push(json!({
            "email_id": email["id"],
            "contact_name": contact.and_then(|c| c["name"].as_str()).map(str::to_string)
                .or_else(|| crate::email::display_name(sender))
                .unwrap_or_else(|| "someone outside the CRM".into()),
            "company": company.and_then(|c| c["name"].as_str()),
            "category": c["category"],
            "summary": format!("{} re: {}", category_label(c["category"].as_str().unwrap_or_default()), triage::strip_prefixes(email["subject"].as_str().unwrap_or_default())),
            "primary_action": primary,
            "secondary_action": secondary,
            "deal_id": c["deal_id"],
        }));
    }
    Ok(items)
}

fn category_label(category: &str) -> &'static str {
    match category {
        "meeting_request" => "Wants to meet",
        "pricing_question" => "Pricing question",
        "objection" => "Objection",
        "positive_interest" => "Positive reply",
        "support_issue" => "Support issue",
        "contract_legal" => "Contract/legal",
        _ => "Email",
    }
}

/// The user's open deals: stale ones at the due time, those closing within a week, and the
/// value sitting in proposals.
fn pulse(org: &Value, user_id: &str, due: DateTime<Utc>) -> Result<Value, String> {
    let stale = pipeline::find_stale_deals(&json!({"org": org, "now": due.to_rfc3339()}))?;
    let at_risk: Vec<Value> = list(&stale, "stale_deals")
        .filter(|d| d["owner_user_id"] == user_id)
        .map(|d| json!({"deal_id": d["deal_id"], "name": find(org, "deals", d["deal_id"].as_str().unwrap_or_default()).and_then(|x| x["name"].as_str()), "days_inactive": d["days_since_activity"]}))
        .collect();
    let mine = || {
        list(org, "deals").filter(|d| {
            d["owner_user_id"] == user_id
                && !d["stage"]
                    .as_str()
                    .is_some_and(|s| pipeline::CLOSED.contains(&s))
        })
    };
    let today = due.date_naive();
    let closing = mine()
        .filter(|d| {
            d["close_date"]
                .as_str()
                .and_then(|c| c.parse::<NaiveDate>().ok())
                .is_some_and(|c| c >= today && c <= today + Duration::days(7))
        })
        .count();
    let proposal_value: f64 = mine()
        .filter(|d| d["stage"] == "proposal")
        .filter_map(|d| d["amount"].as_f64())
        .sum();
    Ok(json!({
        "deals_needing_action": at_risk.len() + closing,
        "closing_this_week": closing,
        "at_risk": at_risk,
        "proposal_value": proposal_value,
        "currency": org["default_currency"].as_str().unwrap_or("USD"),
    }))
}

/// What changed in the 16 hours before the brief: CRM activities on the user's deals and
/// campaigns of theirs that now underperform.
fn overnight(
    org: &Value,
    input: &Value,
    user_id: &str,
    due: DateTime<Utc>,
) -> Result<Vec<Value>, String> {
    let since = due - Duration::hours(OVERNIGHT_HOURS);
    let mine = |deal: &Value| {
        deal.as_str()
            .and_then(|id| find(org, "deals", id))
            .is_some_and(|d| d["owner_user_id"] == user_id)
    };
    let mut updates = Vec::new();
    for a in list(input, "activities").filter(|a| a["user_id"] == user_id || mine(&a["deal_id"])) {
        let t = a["occurred_at"]
            .as_str()
            .map(calendar::instant)
            .transpose()?;
        if t.is_some_and(|t| since < t && t <= due) {
            updates.push(json!({"icon": "•", "summary": a["summary"].as_str().or(a["kind"].as_str()).unwrap_or("activity")}));
        }
    }
    let health = pipeline::monitor_campaigns(&json!({"org": org, "now": due.to_rfc3339()}))?;
    for c in list(&health, "campaigns").filter(|c| c["underperforming"] == true) {
        let campaign = find(
            org,
            "campaigns",
            c["campaign_id"].as_str().unwrap_or_default(),
        );
        if campaign.is_some_and(|x| x["owner_user_id"] == user_id) {
            let reasons: Vec<&str> = list(c, "reasons").filter_map(Value::as_str).collect();
            let name = campaign
                .and_then(|x| x["name"].as_str())
                .unwrap_or_default();
            updates.push(json!({"icon": "!", "summary": format!("Campaign {name}: {}", reasons.join(", ").replace('_', " "))}));
        }
    }
    Ok(updates)
}
