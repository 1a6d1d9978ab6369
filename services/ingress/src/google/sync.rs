//! Syncing one watched calendar into `calendar_events`: `events.list` from the stored
//! `nextSyncToken` (every event from a day back when there is none, or when Google answers
//! 410), all pages fetched before anything is written, then each event upserted as the
//! morning brief and the pre-meeting schedule read it (external when an attendee is outside
//! the owner's domain; the CRM contacts among the attendees; the open deal of their
//! company; the owner's own response), a cancelled one marked cancelled, and — after a full
//! sync — the Google events no longer there removed. The org's schedules are re-planned in
//! the same transaction, so a moved meeting moves its prep at once.
//!
//! It runs as the ingress's `sync:calendar` timer, which a push or the sweep schedules; a
//! failure Google may mend is retried with backoff (a few times), one it will not (revoked
//! consent) is audited `calendar.sync_failed` for the user to reconnect.

use std::collections::{HashMap, HashSet};

use baton_platform::{
    runtime::{HandlerCtx, HandlerError},
    timers::{self, Timer},
};
use baton_schemas::OrgId;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Google, GoogleError};

/// The timer kind.
pub const SYNC: &str = "sync:calendar";
/// At most this many pages (of 250 events) per sync.
const MAX_PAGES: usize = 40;

/// A sync timer's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub user_id: String,
    pub calendar_id: String,
    #[serde(default)]
    pub attempt: u32,
}

/// What a sync did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Synced {
    pub upserted: usize,
    pub cancelled: usize,
    pub removed: usize,
    pub full: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Google(#[from] GoogleError),
    #[error("{0}")]
    Stored(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// Staging what the sync publishes failed.
    #[error(transparent)]
    Handler(#[from] HandlerError),
}

/// Fires a sync timer: syncs, re-plans, or schedules the retry / records the failure.
pub(crate) async fn fire(
    s: &super::channels::Syncer,
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
) -> Result<(), HandlerError> {
    let t: Target = serde_json::from_value(timer.payload.clone())
        .map_err(|e| HandlerError::invalid(format!("{SYNC} timer {}: {e}", timer.id)))?;
    let now = ctx.now();
    match sync(s, ctx.tx, &timer.org_id, &t, now).await {
        Ok(done) => {
            if let Some(scheduler) = s.scheduler() {
                scheduler
                    .plan_in(ctx.tx, &timer.org_id)
                    .await
                    .map_err(HandlerError::Retryable)?;
            }
            tracing::info!(org = %timer.org_id, user = %t.user_id, upserted = done.upserted, cancelled = done.cancelled, removed = done.removed, full = done.full, "calendar synced");
            Ok(())
        }
        Err(e) => {
            let retry = Target {
                attempt: t.attempt + 1,
                ..t.clone()
            };
            let detail = json!({ "user_id": t.user_id, "calendar_id": t.calendar_id });
            let retry = serde_json::to_value(&retry).unwrap_or_default();
            crate::upkeep::failed(
                ctx,
                timer,
                t.attempt,
                e,
                retry,
                "calendar.sync_failed",
                detail,
            )
            .await
        }
    }
}

/// Syncs `t` inside `tx`, scoped to `org`.
pub async fn sync(
    s: &super::channels::Syncer,
    tx: &mut PgConnection,
    org: &OrgId,
    t: &Target,
    now: DateTime<Utc>,
) -> Result<Synced, SyncError> {
    let row = sqlx::query!(
        "SELECT connection_id, sync_token FROM calendar_syncs
         WHERE org_id = $1 AND user_id = $2 AND calendar_id = $3 FOR UPDATE",
        org.as_str(),
        t.user_id,
        t.calendar_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        SyncError::Stored(format!(
            "{} has no watched calendar {}",
            t.user_id, t.calendar_id
        ))
    })?;
    let access = s.access_token(tx, row.connection_id).await?;
    let google = s.google();

    let since = now - Duration::days(1);
    let (items, next, full) = match fetch(
        google,
        &access,
        &t.calendar_id,
        row.sync_token.as_deref(),
        since,
    )
    .await
    {
        Err(SyncError::Google(GoogleError::Gone)) if row.sync_token.is_some() => {
            let (items, next) = fetch(google, &access, &t.calendar_id, None, since).await?;
            (items, next, true)
        }
        Ok((items, next)) => (items, next, row.sync_token.is_none()),
        Err(e) => return Err(e),
    };

    let crm = Crm::load(tx, org, &t.user_id).await?;
    let mut done = Synced {
        full,
        ..Synced::default()
    };
    let mut seen = HashSet::new();
    for item in &items {
        let Some(id) = item["id"].as_str() else {
            continue;
        };
        seen.insert(id.to_string());
        if item["status"] == "cancelled" {
            done.cancelled += cancel(tx, org, &t.user_id, id).await? as usize;
        } else if let Some(row) = event_row(item, &crm) {
            upsert(tx, org, &t.user_id, &row).await?;
            done.upserted += 1;
        }
    }
    if full {
        let seen: Vec<String> = seen.into_iter().collect();
        done.removed = sqlx::query!(
            "DELETE FROM calendar_events WHERE org_id = $1 AND owner_id = $2
               AND data->>'source' = 'google' AND starts_at >= $3 AND NOT id = ANY($4)",
            org.as_str(),
            t.user_id,
            since,
            &seen,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
    }
    sqlx::query!(
        "UPDATE calendar_syncs SET sync_token = $4, synced_at = $5
         WHERE org_id = $1 AND user_id = $2 AND calendar_id = $3",
        org.as_str(),
        t.user_id,
        t.calendar_id,
        next,
        now,
    )
    .execute(&mut *tx)
    .await?;
    Ok(done)
}

/// Every page of one `events.list`: the items and the final nextSyncToken.
async fn fetch(
    google: &Google,
    access: &secrecy::SecretString,
    calendar: &str,
    sync_token: Option<&str>,
    since: DateTime<Utc>,
) -> Result<(Vec<Value>, Option<String>), SyncError> {
    let mut items = Vec::new();
    let mut page_token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = google
            .list_events(access, calendar, sync_token, page_token.as_deref(), since)
            .await?;
        items.extend(page.items);
        match page.next_page_token {
            Some(p) => page_token = Some(p),
            None => return Ok((items, page.next_sync_token)),
        }
    }
    Err(SyncError::Stored(format!(
        "more than {MAX_PAGES} pages of changes: not synced"
    )))
}

/// What an event is matched against: the owner's domain, the org's contacts by address,
/// and each company's open deal.
struct Crm {
    owner_domain: String,
    zone: chrono_tz::Tz,
    contacts: HashMap<String, (String, Option<String>)>,
    deals: HashMap<String, String>,
}

impl Crm {
    async fn load(tx: &mut PgConnection, org: &OrgId, user: &str) -> Result<Crm, SyncError> {
        let owner = sqlx::query!(
            r#"SELECT u.email, COALESCE(p.timezone, 'UTC') AS "zone!"
               FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id
               WHERE u.org_id = $1 AND u.id = $2"#,
            org.as_str(),
            user,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| SyncError::Stored(format!("no user {user}")))?;
        let contacts = sqlx::query!(
            r#"SELECT lower(email) AS "email!", id, company_id FROM contacts
               WHERE org_id = $1 AND email IS NOT NULL"#,
            org.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.email, (r.id, r.company_id)))
        .collect();
        let deals = sqlx::query!(
            r#"SELECT DISTINCT ON (company_id) company_id AS "company!", id FROM deals
               WHERE org_id = $1 AND company_id IS NOT NULL
                 AND stage NOT IN ('closed_won', 'closed_lost')
               ORDER BY company_id, last_activity_at DESC NULLS LAST"#,
            org.as_str(),
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.company, r.id))
        .collect();
        Ok(Crm {
            owner_domain: domain(&owner.email).to_string(),
            zone: owner.zone.parse().unwrap_or(chrono_tz::UTC),
            contacts,
            deals,
        })
    }
}

fn domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, d)| d)
}

/// A calendar_events row from a Google event.
#[derive(Debug)]
struct EventRow {
    id: String,
    title: Option<String>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    zone: String,
    status: String,
    attendees: Vec<String>,
    data: Value,
}

fn event_row(item: &Value, crm: &Crm) -> Option<EventRow> {
    let id = item["id"].as_str()?.to_string();
    let (starts_at, all_day) = when(&item["start"], crm.zone)?;
    let (ends_at, _) = when(&item["end"], crm.zone)?;
    let attendees: Vec<String> = item["attendees"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["email"].as_str().map(str::to_lowercase))
        .collect();
    let outside = attendees.iter().any(|a| domain(a) != crm.owner_domain);
    let contacts: Vec<&(String, Option<String>)> = attendees
        .iter()
        .filter_map(|a| crm.contacts.get(a))
        .collect();
    let deal = contacts
        .iter()
        .find_map(|(_, company)| company.as_ref().and_then(|c| crm.deals.get(c)));
    let response = item["attendees"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["self"] == true)
        .and_then(|a| a["responseStatus"].as_str());
    let status = item["status"].as_str().unwrap_or("confirmed").to_string();
    let title = item["summary"].as_str().map(String::from);
    let data = json!({
        "id": id,
        "title": title,
        "start": starts_at,
        "end": ends_at,
        "all_day": all_day,
        "busy": item["transparency"] != "transparent",
        "status": status,
        "kind": if outside { "external" } else { "internal" },
        "organizer": item.pointer("/organizer/email"),
        "attendees": attendees,
        "contact_ids": contacts.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "deal_id": deal,
        "response_status": response,
        "source": "google",
    });
    Some(EventRow {
        id,
        title,
        starts_at,
        ends_at,
        zone: item
            .pointer("/start/timeZone")
            .and_then(Value::as_str)
            .unwrap_or(crm.zone.name())
            .to_string(),
        status,
        attendees,
        data,
    })
}

/// A Google `start`/`end`: `dateTime`, or an all-day `date` (midnight in the owner's zone).
fn when(v: &Value, zone: chrono_tz::Tz) -> Option<(DateTime<Utc>, bool)> {
    if let Some(dt) = v["dateTime"].as_str() {
        return DateTime::parse_from_rfc3339(dt)
            .ok()
            .map(|d| (d.with_timezone(&Utc), false));
    }
    let day: NaiveDate = v["date"].as_str()?.parse().ok()?;
    let midnight = zone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some((midnight.with_timezone(&Utc), true))
}

async fn upsert(
    tx: &mut PgConnection,
    org: &OrgId,
    owner: &str,
    e: &EventRow,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO calendar_events (id, org_id, owner_id, title, starts_at, ends_at, timezone, status, attendees, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (org_id, owner_id, id) DO UPDATE SET title = EXCLUDED.title,
           starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, timezone = EXCLUDED.timezone,
           status = EXCLUDED.status, attendees = EXCLUDED.attendees, data = EXCLUDED.data",
        e.id,
        org.as_str(),
        owner,
        e.title,
        e.starts_at,
        e.ends_at,
        e.zone,
        e.status,
        json!(e.attendees),
        e.data,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Marks an event cancelled; whether it was known.
async fn cancel(
    tx: &mut PgConnection,
    org: &OrgId,
    owner: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        r#"UPDATE calendar_events SET status = 'cancelled',
             data = jsonb_set(data, '{status}', '"cancelled"')
           WHERE org_id = $1 AND owner_id = $2 AND id = $3 AND status IS DISTINCT FROM 'cancelled'"#,
        org.as_str(),
        owner,
        id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// A sync of `t` due now, keyed by `key` (the sweep's round; a push's goes through
/// `receipts::record_with_fetch`): scheduled inside `tx`; a second with the same key is nothing.
pub async fn schedule(
    tx: &mut PgConnection,
    org: &OrgId,
    t: &Target,
    key: &str,
    now: DateTime<Utc>,
) -> baton_platform::Result<bool> {
    let payload = serde_json::to_value(t).unwrap_or_default();
    timers::schedule(tx, org, SYNC, key, now, &payload).await
}

/// A fresh channel id.
pub fn channel_id() -> String {
    Uuid::now_v7().to_string()
}
