//! What the schedules read and write: the orgs (through `baton_schedule_orgs()`), an org's
//! snapshot for planning, and its slots as `timers` rows.

use baton_schemas::OrgId;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};

use super::{
    Schedule,
    plan::{Meeting, Slot, Snapshot, User},
};

/// What a planning round changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub created: u64,
    pub moved: u64,
    pub removed: u64,
}

impl std::ops::AddAssign for Changes {
    fn add_assign(&mut self, o: Self) {
        self.created += o.created;
        self.moved += o.moved;
        self.removed += o.removed;
    }
}

/// Every org's id (the one cross-org read planning makes).
pub async fn orgs(pool: &PgPool) -> anyhow::Result<Vec<OrgId>> {
    let ids = sqlx::query_scalar!(r#"SELECT baton_schedule_orgs() AS "id!""#)
        .fetch_all(pool)
        .await?;
    ids.into_iter()
        .map(|id| OrgId::try_from(id).map_err(|e| anyhow::anyhow!("orgs.id: {e}")))
        .collect()
}

/// What planning `[from, to]` reads of `org`, inside its scoped transaction. A user whose
/// zone or brief time does not parse is left out and logged.
pub async fn snapshot(
    tx: &mut PgConnection,
    org: &OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Snapshot> {
    let disabled_features = sqlx::query_scalar!(
        "SELECT feature FROM notification_feature_settings WHERE org_id = $1 AND NOT enabled",
        org.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let campaign_owners = sqlx::query_scalar!(
        r#"SELECT DISTINCT owner_user_id AS "owner!" FROM campaigns
           WHERE org_id = $1 AND status = 'active' AND owner_user_id IS NOT NULL"#,
        org.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    Ok(Snapshot {
        disabled_features,
        users: users(tx, org).await?,
        campaign_owners,
        meetings: meetings(tx, org, from, to).await?,
    })
}

async fn users(tx: &mut PgConnection, org: &OrgId) -> anyhow::Result<Vec<User>> {
    // The user's own settings (zone, brief time) first, their calendar's zone else.
    let rows = sqlx::query!(
        r#"SELECT u.id, u.role,
                  COALESCE(p.timezone, c.timezone, 'UTC') AS "zone!",
                  COALESCE(p.morning_brief_time, TIME '08:00') AS "brief_time!",
                  c.working_hours AS "working_hours?"
           FROM users u
           LEFT JOIN slack_user_preferences p ON p.user_id = u.id
           LEFT JOIN calendars c ON c.org_id = u.org_id AND c.owner_id = u.id
           WHERE u.org_id = $1
           ORDER BY u.id"#,
        org.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for r in rows {
        let Ok(zone) = r.zone.parse() else {
            tracing::warn!(%org, user = %r.id, zone = %r.zone, "not an IANA time zone: no schedules for this user");
            continue;
        };
        users.push(User {
            id: r.id,
            role: r.role,
            zone,
            brief_time: r.brief_time,
            working_days: working_days(r.working_hours.as_ref()),
        });
    }
    Ok(users)
}

/// Monday first: the weekdays with at least one working-hours interval; Monday to Friday
/// without a calendar.
fn working_days(hours: Option<&Value>) -> [bool; 7] {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    match hours.and_then(Value::as_object).filter(|h| !h.is_empty()) {
        Some(h) => DAYS.map(|d| {
            h.get(d)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        }),
        None => [true, true, true, true, true, false, false],
    }
}

/// External timed events with CRM contacts starting in `[from, to + 1 day]` (preps are due
/// before the start), not cancelled and not declined by the calendar's owner.
async fn meetings(
    tx: &mut PgConnection,
    org: &OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Vec<Meeting>> {
    let rows = sqlx::query!(
        r#"SELECT e.owner_id, e.id, e.starts_at, e.data
           FROM calendar_events e
           WHERE e.org_id = $1 AND e.starts_at >= $2 AND e.starts_at <= $3::timestamptz + interval '1 day'
             AND COALESCE(e.status, 'confirmed') <> 'cancelled'
             AND e.data->>'kind' = 'external'
             AND COALESCE(e.data->>'all_day', 'false') <> 'true'
             AND COALESCE(e.data->>'response_status', '') <> 'declined'
             AND jsonb_typeof(e.data->'contact_ids') = 'array'
             AND jsonb_array_length(e.data->'contact_ids') > 0
           ORDER BY e.starts_at, e.id"#,
        org.as_str(),
        from,
        to,
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Meeting {
            owner_id: r.owner_id,
            event_id: r.id,
            starts_at: r.starts_at,
            contact_ids: r.data["contact_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str().map(String::from))
                .collect(),
            deal_id: r.data["deal_id"].as_str().map(String::from),
        })
        .collect())
}

/// Writes `slots` as `org`'s timers: inserts the new ones, moves an unfired one whose time
/// or payload changed, and removes future unfired ones no longer planned. A fired slot is
/// never touched.
pub async fn reconcile(
    tx: &mut PgConnection,
    org: &OrgId,
    slots: &[Slot],
    now: DateTime<Utc>,
) -> anyhow::Result<Changes> {
    let ids: Vec<uuid::Uuid> = slots.iter().map(|_| uuid::Uuid::now_v7()).collect();
    let kinds: Vec<String> = slots.iter().map(|s| s.schedule.kind().into()).collect();
    let keys: Vec<String> = slots.iter().map(|s| s.key.clone()).collect();
    let dues: Vec<DateTime<Utc>> = slots.iter().map(|s| s.due_at).collect();
    let payloads: Vec<Value> = slots.iter().map(timer_payload).collect();
    let written = sqlx::query_scalar!(
        r#"INSERT INTO timers (id, org_id, kind, dedupe_key, due_at, payload)
           SELECT s.id, $1, s.kind, s.key, s.due_at, s.payload
           FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
                AS s(id, kind, key, due_at, payload)
           ON CONFLICT (org_id, kind, dedupe_key) DO UPDATE
             SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload
             WHERE timers.fired_at IS NULL
               AND (timers.due_at, timers.payload) IS DISTINCT FROM (EXCLUDED.due_at, EXCLUDED.payload)
           RETURNING (xmax = 0) AS "created!""#,
        org.as_str(),
        &ids,
        &kinds,
        &keys,
        &dues,
        &payloads,
    )
    .fetch_all(&mut *tx)
    .await?;
    let created = written.iter().filter(|c| **c).count() as u64;
    let wanted: Vec<String> = slots
        .iter()
        .map(|s| format!("{}|{}", s.schedule.kind(), s.key))
        .collect();
    let all: Vec<String> = Schedule::KINDS.iter().map(|k| k.to_string()).collect();
    let removed = sqlx::query!(
        "DELETE FROM timers
         WHERE org_id = $1 AND kind = ANY($2) AND fired_at IS NULL AND due_at > $3
           AND NOT (kind || '|' || dedupe_key) = ANY($4)",
        org.as_str(),
        &all,
        now,
        &wanted,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(Changes {
        created,
        moved: written.len() as u64 - created,
        removed,
    })
}

/// What a slot's timer carries to its firing.
fn timer_payload(s: &Slot) -> Value {
    json!({ "user_id": s.user_id, "payload": s.payload, "dedupe": s.dedupe })
}

/// A planned or fired slot, as `baton schedules list` shows it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub kind: String,
    pub key: String,
    pub due_at: DateTime<Utc>,
    pub fired_at: Option<DateTime<Utc>>,
}

/// `org`'s schedule timers due from `from`, soonest first, at most `limit`.
pub async fn planned(
    tx: &mut PgConnection,
    org: &OrgId,
    from: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<Planned>> {
    let all: Vec<String> = Schedule::KINDS.iter().map(|k| k.to_string()).collect();
    Ok(sqlx::query_as!(
        Planned,
        "SELECT kind, dedupe_key AS key, due_at, fired_at FROM timers
         WHERE org_id = $1 AND kind = ANY($2) AND due_at >= $3
         ORDER BY due_at, kind, dedupe_key LIMIT $4",
        org.as_str(),
        &all,
        from,
        limit,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Whether the calendar event a prep was planned for still starts at `starts_at` and is
/// still a meeting to prepare (not cancelled or declined since).
pub async fn meeting_still_at(
    tx: &mut PgConnection,
    org: &OrgId,
    owner: &str,
    event_id: &str,
    starts_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM calendar_events e
           WHERE e.org_id = $1 AND e.owner_id = $2 AND e.id = $3 AND e.starts_at = $4
             AND COALESCE(e.status, 'confirmed') <> 'cancelled'
             AND COALESCE(e.data->>'response_status', '') <> 'declined'"#,
        org.as_str(),
        owner,
        event_id,
        starts_at,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(n > 0)
}
