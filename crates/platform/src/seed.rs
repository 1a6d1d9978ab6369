//! Loading an org and its meetings in the sample-data format (the data README's `org/*.json`
//! and `meetings/*.json`): what tests, `baton seed`, `baton dev` and the demo start from.
//! Idempotent: seeding twice updates rows in place.

use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use crate::{Error, Result, store};

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn req<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a str> {
    s(v, key).ok_or_else(|| Error::Config(vec![format!("{what}: `{key}` is missing")]))
}

/// The org id at `key`, parsed.
fn org_of(v: &Value, key: &str, what: &str) -> Result<baton_schemas::OrgId> {
    req(v, key, what)?
        .parse()
        .map_err(|e| Error::Config(vec![format!("{what}: {e}")]))
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter())
        .into_iter()
        .flatten()
}

/// Seeds the org in `org` (the sample-data format): the org with its profile, ICP, product
/// profile and AI budget (what it has spent this period becomes one ledger row), feature
/// settings, users with their Slack preferences and mappings, companies, contacts, deals, and
/// campaigns with their daily metrics.
pub async fn org(pool: &PgPool, org: &Value) -> Result<String> {
    let org_id = req(org, "id", "org")?.to_string();
    let mut tx = store::begin_for_org(pool, &org_of(org, "id", "org")?).await?;
    let budget = org.get("ai_budget").cloned().unwrap_or(Value::Null);
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
    sqlx::query(
        "INSERT INTO orgs (id, name, domain, default_currency, profile, icp, product_profile, slack,
                           ai_monthly_budget_usd, ai_budget_alert_pct, ai_budget_hard_stop)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::float8::numeric, $10, $11)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain,
           default_currency = EXCLUDED.default_currency, profile = EXCLUDED.profile,
           icp = EXCLUDED.icp, product_profile = EXCLUDED.product_profile, slack = EXCLUDED.slack,
           ai_monthly_budget_usd = EXCLUDED.ai_monthly_budget_usd,
           ai_budget_alert_pct = EXCLUDED.ai_budget_alert_pct,
           ai_budget_hard_stop = EXCLUDED.ai_budget_hard_stop",
    )
    .bind(&org_id)
    .bind(req(org, "name", "org")?)
    .bind(s(org, "domain"))
    .bind(s(org, "default_currency").unwrap_or("USD"))
    .bind(serde_json::json!({ "as_of": org.get("as_of") }))
    .bind(org.get("icp").cloned().unwrap_or_default())
    .bind(org.get("product_profile").cloned().unwrap_or_default())
    .bind(org.get("slack").cloned().unwrap_or_default())
    .bind(num(&budget, "monthly_limit_usd").unwrap_or(0.0))
    .bind(budget.get("alert_at_pct").and_then(Value::as_i64).unwrap_or(80) as i32)
    .bind(budget.get("hard_stop").and_then(Value::as_bool).unwrap_or(true))
    .execute(&mut *tx)
    .await?;
    if let (Some(period), Some(spent)) = (s(&budget, "period"), num(&budget, "spent_usd")) {
        sqlx::query(
            "INSERT INTO ai_cost_ledger (id, org_id, skill, model, cost_usd, period, idempotency_key)
             VALUES ($1, $2, 'seed', 'seed', $3::float8::numeric, $4, $5)
             ON CONFLICT (idempotency_key) DO UPDATE SET cost_usd = EXCLUDED.cost_usd",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(&org_id)
        .bind(spent)
        .bind(period)
        .bind(format!("seed:{org_id}:{period}"))
        .execute(&mut *tx)
        .await?;
    }
    if let Some(features) = org.get("feature_settings").and_then(Value::as_object) {
        for (feature, enabled) in features {
            sqlx::query(
                "INSERT INTO notification_feature_settings (org_id, feature, enabled)
                 VALUES ($1, $2, $3)
                 ON CONFLICT (org_id, feature) DO UPDATE SET enabled = EXCLUDED.enabled",
            )
            .bind(&org_id)
            .bind(feature)
            .bind(enabled.as_bool().unwrap_or(false))
            .execute(&mut *tx)
            .await?;
        }
    }
    for u in items(org, "users") {
        user(&mut tx, &org_id, org, u).await?;
    }
    upsert_all(
        &mut tx,
        COMPANIES,
        &org_id,
        org,
        ("companies", "company"),
        &["id", "name"],
    )
    .await?;
    upsert_all(
        &mut tx,
        CONTACTS,
        &org_id,
        org,
        ("contacts", "contact"),
        &["id", "name"],
    )
    .await?;
    let deal = ["id", "name", "stage"];
    upsert_all(&mut tx, DEALS, &org_id, org, ("deals", "deal"), &deal).await?;
    upsert_all(
        &mut tx,
        CAMPAIGNS,
        &org_id,
        org,
        ("campaigns", "campaign"),
        &["id", "name"],
    )
    .await?;
    upsert_all(
        &mut tx,
        CAMPAIGN_METRICS,
        &org_id,
        org,
        ("campaigns", "campaign"),
        &["id"],
    )
    .await?;
    tx.commit().await?;
    Ok(org_id)
}

const COMPANIES: &str = "INSERT INTO companies (id, org_id, name, domain, industry, employees, field_technicians, hq, timezone)
    SELECT x.id, $1, x.name, x.domain, x.industry, x.employees, x.field_technicians, x.hq, x.timezone
    FROM jsonb_to_recordset($2) AS x(id text, name text, domain text, industry text, employees int,
                                     field_technicians int, hq text, timezone text)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain,
      industry = EXCLUDED.industry, employees = EXCLUDED.employees,
      field_technicians = EXCLUDED.field_technicians, hq = EXCLUDED.hq, timezone = EXCLUDED.timezone";

const CONTACTS: &str = "INSERT INTO contacts (id, org_id, company_id, name, title, email, phone, timezone)
    SELECT x.id, $1, x.company_id, x.name, x.title, x.email, x.phone, x.timezone
    FROM jsonb_to_recordset($2) AS x(id text, company_id text, name text, title text, email text,
                                     phone text, timezone text)
    ON CONFLICT (id) DO UPDATE SET company_id = EXCLUDED.company_id, name = EXCLUDED.name,
      title = EXCLUDED.title, email = EXCLUDED.email, phone = EXCLUDED.phone, timezone = EXCLUDED.timezone";

const DEALS: &str = r#"INSERT INTO deals (id, org_id, company_id, primary_contact_id, owner_user_id, name, stage,
                       deal_type, amount, currency, close_date, created_at, last_activity_at)
    SELECT x.id, $1, x.company_id, x.primary_contact_id, x.owner_user_id, x.name, x.stage, x."type",
           x.amount, x.currency, x.close_date::date, x.created_at::timestamptz,
           x.last_activity_at::timestamptz
    FROM jsonb_to_recordset($2) AS x(id text, company_id text, primary_contact_id text,
                                     owner_user_id text, name text, stage text, "type" text,
                                     amount numeric, currency text, close_date text,
                                     created_at text, last_activity_at text)
    ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, amount = EXCLUDED.amount,
      name = EXCLUDED.name, last_activity_at = EXCLUDED.last_activity_at"#;

const CAMPAIGNS: &str = r#"INSERT INTO campaigns (id, org_id, owner_user_id, name, channel, status, audience, author_intent)
    SELECT x.id, $1, x.owner_user_id, x.name, x.channel, x.status, to_jsonb(x.audience), x.author_intent
    FROM jsonb_to_recordset($2) AS x(id text, owner_user_id text, name text, channel text, status text,
                                     audience text, author_intent text)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status,
      owner_user_id = EXCLUDED.owner_user_id"#;

/// Each campaign's `daily_metrics`, one row per day.
const CAMPAIGN_METRICS: &str = r#"INSERT INTO campaign_metrics (org_id, campaign_id, day, sent, delivered, opened, replied, bounced, unsubscribed)
    SELECT $1, c.id, m.date::date, m.sent, m.delivered, m.opened, m.replied, m.bounced, COALESCE(m.unsubscribed, 0)
    FROM jsonb_to_recordset($2) AS c(id text, daily_metrics jsonb),
         jsonb_to_recordset(c.daily_metrics) AS m(date text, sent int, delivered int, opened int,
                                                   replied int, bounced int, unsubscribed int)
    ON CONFLICT (campaign_id, day) DO UPDATE SET sent = EXCLUDED.sent, delivered = EXCLUDED.delivered,
      opened = EXCLUDED.opened, replied = EXCLUDED.replied, bounced = EXCLUDED.bounced,
      unsubscribed = EXCLUDED.unsubscribed"#;

/// Inserts (or updates) every item of `org[key]` with `upsert` (`$1` the org, `$2` the items
/// as a JSON array), after checking each `what` has the `required` fields.
async fn upsert_all(
    tx: &mut PgConnection,
    upsert: &'static str,
    org_id: &str,
    org: &Value,
    (key, what): (&str, &str),
    required: &[&str],
) -> Result<()> {
    for item in items(org, key) {
        for field in required {
            req(item, field, what)?;
        }
    }
    let all = Value::Array(items(org, key).cloned().collect());
    sqlx::query(upsert)
        .bind(org_id)
        .bind(all)
        .execute(tx)
        .await?;
    Ok(())
}

async fn user(tx: &mut PgConnection, org_id: &str, org: &Value, u: &Value) -> Result<()> {
    let id = req(u, "id", "user")?;
    sqlx::query(
        "INSERT INTO users (id, org_id, name, email, role, is_admin, manager_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
           role = EXCLUDED.role, is_admin = EXCLUDED.is_admin, manager_id = EXCLUDED.manager_id",
    )
    .bind(id)
    .bind(org_id)
    .bind(req(u, "name", "user")?)
    .bind(s(u, "email").unwrap_or_default())
    .bind(s(u, "role").unwrap_or("ae"))
    .bind(u.get("is_admin").and_then(Value::as_bool).unwrap_or(false))
    .bind(s(u, "manager_id"))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO slack_user_preferences (user_id, org_id, timezone, quiet_hours_start, quiet_hours_end,
                                             max_notifications_per_hour, morning_brief_time)
         VALUES ($1, $2, $3, $4::text::time, $5::text::time, $6, COALESCE($7::text::time, '08:00'))
         ON CONFLICT (user_id) DO UPDATE SET timezone = EXCLUDED.timezone,
           quiet_hours_start = EXCLUDED.quiet_hours_start, quiet_hours_end = EXCLUDED.quiet_hours_end,
           max_notifications_per_hour = EXCLUDED.max_notifications_per_hour,
           morning_brief_time = EXCLUDED.morning_brief_time",
    )
    .bind(id)
    .bind(org_id)
    .bind(s(u, "timezone").unwrap_or("UTC"))
    .bind(s(u, "quiet_hours_start"))
    .bind(s(u, "quiet_hours_end"))
    .bind(u.get("max_notifications_per_hour").and_then(Value::as_i64).unwrap_or(10) as i32)
    .bind(s(u, "morning_brief_time"))
    .execute(&mut *tx)
    .await?;
    let team = org.pointer("/slack/team_id").and_then(Value::as_str);
    if let (Some(team), Some(slack_user)) = (team, s(u, "slack_user_id")) {
        sqlx::query(
            "INSERT INTO slack_user_mappings (org_id, user_id, slack_team_id, slack_user_id)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(org_id)
        .bind(id)
        .bind(team)
        .bind(slack_user)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The meeting files in `dir` (`*.json`, leaving out the `*.truth.json` annotations), sorted.
pub fn meeting_files(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".truth.json")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Seeds one meeting (the recorder's format): its attendees, and its transcript stored once
/// here, referenced by id everywhere else.
pub async fn meeting(pool: &PgPool, meeting: &Value) -> Result<String> {
    let id = req(meeting, "id", "meeting")?.to_string();
    let org_id = req(meeting, "org_id", "meeting")?;
    let mut tx = store::begin_for_org(pool, &org_of(meeting, "org_id", "meeting")?).await?;
    sqlx::query(
        "INSERT INTO meetings (id, org_id, title, kind, status, starts_at, ends_at, timezone,
                               organizer_user_id, company_id, contact_id, deal_id, attendees, transcript)
         VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz, $7::text::timestamptz, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status,
           attendees = EXCLUDED.attendees, transcript = EXCLUDED.transcript",
    )
    .bind(&id)
    .bind(org_id)
    .bind(s(meeting, "title"))
    .bind(s(meeting, "kind"))
    .bind(s(meeting, "status"))
    .bind(s(meeting, "start"))
    .bind(s(meeting, "end"))
    .bind(s(meeting, "timezone"))
    .bind(s(meeting, "organizer_user_id"))
    .bind(s(meeting, "company_id"))
    .bind(s(meeting, "contact_id"))
    .bind(s(meeting, "deal_id"))
    .bind(meeting.get("attendees").cloned().unwrap_or(Value::Array(vec![])))
    .bind(serde_json::json!({
        "segments": meeting.get("segments").cloned().unwrap_or(Value::Array(vec![])),
        "recording": meeting.get("recording"),
    }))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Seeds one calendar (the sample-data format: owner, time zone, working hours, weekly
/// recurrences and events) for the org: the calendar row, then its events replaced.
pub async fn calendar(pool: &PgPool, org_id: &str, cal: &Value) -> Result<String> {
    let owner = cal.get("owner").cloned().unwrap_or_default();
    let id = req(&owner, "id", "calendar owner")?.to_string();
    let org: baton_schemas::OrgId = org_id
        .parse()
        .map_err(|e| Error::Config(vec![format!("calendar {id}: {e}")]))?;
    let mut tx = store::begin_for_org(pool, &org).await?;
    sqlx::query(
        "INSERT INTO calendars (org_id, owner_id, owner_type, owner_name, timezone, working_hours, recurring, brief_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (org_id, owner_id) DO UPDATE SET owner_type = EXCLUDED.owner_type,
           owner_name = EXCLUDED.owner_name, timezone = EXCLUDED.timezone,
           working_hours = EXCLUDED.working_hours, recurring = EXCLUDED.recurring,
           brief_time = EXCLUDED.brief_time, updated_at = now()",
    )
    .bind(org_id)
    .bind(&id)
    .bind(s(&owner, "type").unwrap_or("contact"))
    .bind(s(&owner, "name"))
    .bind(req(cal, "timezone", "calendar")?)
    .bind(cal.get("working_hours").cloned().unwrap_or_default())
    .bind(cal.get("recurring").cloned().unwrap_or(Value::Array(vec![])))
    .bind(s(cal, "morning_brief_time"))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM calendar_events WHERE owner_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    for e in items(cal, "events") {
        // An all-day event spans the owner's local days (end date exclusive).
        sqlx::query(
            "INSERT INTO calendar_events (id, org_id, owner_id, title, starts_at, ends_at, timezone, status, attendees, data)
             VALUES ($1, $2, $3, $4,
                     COALESCE($5::text::timestamptz, $6::text::date::timestamp AT TIME ZONE $9),
                     COALESCE($7::text::timestamptz, $8::text::date::timestamp AT TIME ZONE $9),
                     $9, $10, $11, $12)",
        )
        .bind(req(e, "id", "calendar event")?)
        .bind(org_id)
        .bind(&id)
        .bind(s(e, "title"))
        .bind(s(e, "start"))
        .bind(s(e, "start_date"))
        .bind(s(e, "end"))
        .bind(s(e, "end_date"))
        .bind(req(cal, "timezone", "calendar")?)
        .bind(s(e, "status"))
        .bind(e.get("attendees").cloned().unwrap_or(Value::Array(vec![])))
        .bind(e)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}
