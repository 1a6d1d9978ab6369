//! Tiers 1 and 2, read in the request's transaction (scoped to its org): each entry is one
//! JSON value built by the database, so what a job's context holds is visible in the SQL.

use baton_platform::{
    jobs,
    runtime::{Handled, HandlerCtx},
};
use baton_schemas::{ContextRequest, OrgId, UserId};
use serde_json::{Map, Value, json};
use sqlx::PgConnection;

/// One JSON value from `$sql` with `$arg`s: `Value::Null` when no row.
macro_rules! json_row {
    ($tx:expr, $sql:literal, $($arg:expr),+) => {
        sqlx::query_scalar!($sql, $($arg),+)
            .fetch_optional(&mut *$tx)
            .await?
            .flatten()
            .unwrap_or(Value::Null)
    };
}

/// Tier 1: the org, the user, the org's features and its AI budget for the period.
pub(crate) async fn one(
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    user: &UserId,
    out: &mut Map<String, Value>,
) -> Handled {
    let tx = &mut *ctx.tx;
    let org_row = json_row!(
        tx,
        "SELECT jsonb_build_object('id', id, 'name', name, 'domain', domain,
                'default_currency', default_currency, 'profile', profile, 'icp', icp,
                'product_profile', product_profile)
         FROM orgs WHERE id = $1",
        org.as_str()
    );
    out.insert("org".into(), org_row);
    let user_row = json_row!(
        tx,
        "SELECT jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role, 'is_admin', u.is_admin,
                'manager_id', u.manager_id, 'timezone', COALESCE(p.timezone, 'UTC'),
                'quiet_hours_start', to_char(p.quiet_hours_start, 'HH24:MI'),
                'quiet_hours_end', to_char(p.quiet_hours_end, 'HH24:MI'),
                'max_notifications_per_hour', p.max_notifications_per_hour,
                'morning_brief_time', to_char(p.morning_brief_time, 'HH24:MI'))
         FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id
         WHERE u.id = $1",
        user.as_str()
    );
    out.insert("user".into(), user_row);
    let features = json_row!(
        tx,
        "SELECT COALESCE(jsonb_object_agg(feature, enabled), '{}'::jsonb)
         FROM notification_feature_settings WHERE org_id = $1",
        org.as_str()
    );
    out.insert("features".into(), features);
    let now = ctx.now();
    if let Some(b) = jobs::budget(ctx.tx, org, now).await? {
        let budget = json!({
            "period": baton_core::budget::period_of(now),
            "monthly_limit_usd": b.monthly_limit.usd(),
            "spent_usd": b.spent.usd(),
            "alert_at_pct": b.alert_at_pct,
            "hard_stop": b.hard_stop,
        });
        out.insert("budget".into(), budget);
    }
    Ok(())
}

/// Tier 2: the deal, the contact (the deal's primary contact when only the deal is named),
/// the company, and the history around them — never transcripts or message bodies.
pub(crate) async fn two(
    tx: &mut PgConnection,
    req: &ContextRequest,
    out: &mut Map<String, Value>,
) -> Handled {
    let deal_id = req.deal_id.as_deref();
    let deal = json_row!(
        tx,
        "SELECT to_jsonb(d) - 'org_id' FROM deals d WHERE id = $1",
        deal_id
    );
    let contact_id = req
        .contact_id
        .clone()
        .or_else(|| deal["primary_contact_id"].as_str().map(str::to_string));
    let contact = json_row!(
        tx,
        "SELECT to_jsonb(c) - 'org_id' FROM contacts c WHERE id = $1",
        contact_id.as_deref()
    );
    let company_id = deal["company_id"]
        .as_str()
        .or_else(|| contact["company_id"].as_str())
        .map(str::to_string);
    let company = json_row!(
        tx,
        "SELECT to_jsonb(c) - 'org_id' FROM companies c WHERE id = $1",
        company_id.as_deref()
    );
    let mut history = history(tx, deal_id, contact_id.as_deref()).await?;
    out.insert("deal".into(), deal);
    out.insert("contact".into(), contact);
    out.insert("company".into(), company);
    for key in ["meetings", "email_threads", "activities", "open_tasks"] {
        out.insert(key.into(), history[key].take());
    }
    Ok(())
}

/// The latest meetings (titles and times, whether a transcript exists), email threads
/// (subjects and counts), activities and open tasks of the deal or contact, in one round
/// trip.
async fn history(
    tx: &mut PgConnection,
    deal: Option<&str>,
    contact: Option<&str>,
) -> Handled<Value> {
    let history = json_row!(
        tx,
        "SELECT jsonb_build_object(
            'meetings', (SELECT COALESCE(jsonb_agg(m ORDER BY m->>'starts_at' DESC), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('id', id, 'title', title, 'kind', kind, 'status', status,
                                          'starts_at', starts_at, 'has_transcript', transcript IS NOT NULL) AS m
                FROM meetings WHERE deal_id = $1 OR contact_id = $2
                ORDER BY starts_at DESC NULLS LAST LIMIT 10) recent),
            'email_threads', (SELECT COALESCE(jsonb_agg(t), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('id', id, 'subject', subject, 'messages', jsonb_array_length(messages),
                                          'last_message_at', last_message_at) AS t
                FROM email_threads WHERE deal_id = $1 OR contact_id = $2
                ORDER BY last_message_at DESC NULLS LAST LIMIT 10) recent),
            'activities', (SELECT COALESCE(jsonb_agg(a), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('kind', kind, 'summary', summary, 'occurred_at', occurred_at) AS a
                FROM activities WHERE deal_id = $1 OR contact_id = $2
                ORDER BY occurred_at DESC LIMIT 20) recent),
            'open_tasks', (SELECT COALESCE(jsonb_agg(t), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('title', title, 'due_date', due_date) AS t
                FROM tasks WHERE status = 'open' AND (deal_id = $1 OR contact_id = $2)
                ORDER BY due_date NULLS LAST LIMIT 20) open))",
        deal,
        contact
    );
    Ok(history)
}

/// Reach of the `calendars` source around the request: events from a day before to this
/// many days after (enough for any scheduling range find-available-slots accepts).
const CALENDAR_DAYS_AHEAD: i64 = 63;

/// The built-in tier-3 source `calendars`: the calendars of the user, the contact and the
/// other participants the request names (when the CRM has them), in the calendar format
/// find-available-slots reads — time zone, working hours, weekly recurrences and the events
/// in reach — and those participants' contact records (`participants`: id, name, email,
/// time zone; the org's own contacts only, by row-level security).
pub(crate) async fn calendars(
    tx: &mut PgConnection,
    req: &ContextRequest,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Map<String, Value>,
) -> Handled {
    let mut owners = vec![req.user_id.clone()];
    owners.extend(
        out.get("contact")
            .and_then(|c| c["id"].as_str())
            .map(str::to_string),
    );
    owners.extend(req.participant_contact_ids.iter().cloned());
    let participants = json_row!(
        tx,
        "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'email', email,
                'timezone', timezone) ORDER BY array_position($1::text[], id)), '[]'::jsonb)
         FROM contacts WHERE id = ANY($1)",
        &req.participant_contact_ids
    );
    out.insert("participants".into(), participants);
    let (from, to) = (
        now - chrono::Duration::days(1),
        now + chrono::Duration::days(CALENDAR_DAYS_AHEAD),
    );
    let calendars = json_row!(
        tx,
        "SELECT COALESCE(jsonb_agg(jsonb_build_object(
                'owner', jsonb_build_object('id', c.owner_id, 'type', c.owner_type, 'name', c.owner_name),
                'timezone', c.timezone, 'working_hours', c.working_hours, 'recurring', c.recurring,
                'morning_brief_time', c.brief_time,
                'events', (SELECT COALESCE(jsonb_agg(e.data ORDER BY e.starts_at), '[]'::jsonb)
                           FROM calendar_events e
                           WHERE e.owner_id = c.owner_id AND e.ends_at > $2 AND e.starts_at < $3))
                ORDER BY c.owner_id), '[]'::jsonb)
         FROM calendars c WHERE c.owner_id = ANY($1)",
        &owners,
        from,
        to
    );
    out.insert("calendars".into(), calendars);
    Ok(())
}

/// Rows each list of the `crm` source holds at most.
const CRM_ROWS: i64 = 2000;
/// How far back the `inbox` source reads the user's threads.
const INBOX_DAYS: i64 = 7;

/// The built-in tier-3 source `crm`: the org in the sample-data format (users with their
/// brief times, contacts, companies, the user's deals, campaigns with daily metrics), for
/// the morning brief's pipeline pulse and overnight updates; each list capped.
pub(crate) async fn crm(
    tx: &mut PgConnection,
    req: &ContextRequest,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Map<String, Value>,
) -> Handled {
    let crm = json_row!(
        tx,
        "SELECT jsonb_build_object(
            'id', o.id, 'name', o.name, 'default_currency', o.default_currency, 'as_of', $3::timestamptz,
            'users', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name, 'email', u.email,
                        'timezone', p.timezone, 'morning_brief_time', to_char(p.morning_brief_time, 'HH24:MI'))), '[]'::jsonb)
                      FROM users u LEFT JOIN slack_user_preferences p ON p.user_id = u.id),
            'contacts', (SELECT COALESCE(jsonb_agg(c), '[]'::jsonb) FROM
                          (SELECT to_jsonb(c) - 'org_id' AS c FROM contacts c ORDER BY c.id LIMIT $4) x),
            'companies', (SELECT COALESCE(jsonb_agg(c), '[]'::jsonb) FROM
                          (SELECT to_jsonb(c) - 'org_id' AS c FROM companies c ORDER BY c.id LIMIT $4) x),
            'deals', (SELECT COALESCE(jsonb_agg(d), '[]'::jsonb) FROM
                       (SELECT to_jsonb(d) - 'org_id' AS d FROM deals d WHERE d.owner_user_id = $2
                        ORDER BY d.last_activity_at DESC NULLS LAST LIMIT $4) x),
            'campaigns', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name,
                            'owner_user_id', c.owner_user_id, 'status', c.status,
                            'daily_metrics', (SELECT COALESCE(jsonb_agg(jsonb_build_object('date', m.day, 'sent', m.sent,
                                 'delivered', m.delivered, 'opened', m.opened, 'replied', m.replied, 'bounced', m.bounced)
                                 ORDER BY m.day), '[]'::jsonb)
                               FROM campaign_metrics m WHERE m.campaign_id = c.id))), '[]'::jsonb)
                          FROM campaigns c WHERE c.owner_user_id = $2))
         FROM orgs o WHERE o.id = $1",
        req.org_id.as_str(),
        req.user_id.as_str(),
        now,
        CRM_ROWS
    );
    out.insert("crm".into(), crm);
    Ok(())
}

/// The built-in tier-3 source `inbox`: the messages of the user's threads from the last
/// week (what the brief's "needs your attention" reads), newest first, at most 200.
pub(crate) async fn inbox(
    tx: &mut PgConnection,
    req: &ContextRequest,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Map<String, Value>,
) -> Handled {
    let since = now - chrono::Duration::days(INBOX_DAYS);
    let inbox = json_row!(
        tx,
        "SELECT COALESCE(jsonb_agg(m ORDER BY m->>'date' DESC), '[]'::jsonb) FROM (
            SELECT m FROM email_threads t, jsonb_array_elements(t.messages) m
            WHERE t.user_id = $1 AND t.last_message_at > $2 LIMIT 200) x",
        req.user_id.as_str(),
        since
    );
    out.insert("inbox".into(), inbox);
    Ok(())
}

/// Recorded meetings the `week_meetings` source reads at most.
const WEEK_MEETINGS: i64 = 20;

/// The built-in tier-3 source `week_meetings`: the meetings the user organised in the 7 days
/// before now that have a transcript, in the recorder's format (what coaching-analysis
/// reads), oldest first, at most 20.
pub(crate) async fn week_meetings(
    tx: &mut PgConnection,
    req: &ContextRequest,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Map<String, Value>,
) -> Handled {
    let since = now - chrono::Duration::days(7);
    let meetings = json_row!(
        tx,
        "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'title', COALESCE(title, ''), 'status', status,
                'start', starts_at, 'organizer_user_id', organizer_user_id, 'attendees', attendees,
                'segments', COALESCE(transcript -> 'segments', '[]'::jsonb)) ORDER BY starts_at), '[]'::jsonb)
         FROM (SELECT * FROM meetings WHERE organizer_user_id = $1 AND transcript IS NOT NULL
               AND starts_at > $2 AND starts_at <= $3 ORDER BY starts_at DESC LIMIT $4) m",
        req.user_id.as_str(),
        since,
        now,
        WEEK_MEETINGS
    );
    out.insert("week_meetings".into(), meetings);
    Ok(())
}
