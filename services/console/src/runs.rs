//! The runs: the org's jobs, filtered, and one job's page.

use axum::extract::{Path, Query, State};
use baton_core::{outputs::describe, status::JobStatus};
use baton_platform::{jobs::JobRow, store};
use baton_schemas::{JobId, PendingActionId};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{
    Console, Failure,
    page::{self, at, badge},
    session::Viewer,
    why,
};

/// A running page's live updates: reload on the stream's `changed`; `since` is the version
/// of the run the page shows, so a change between the page and the stream is not missed.
fn live_script(since: i64) -> String {
    format!(
        "if (window.EventSource) {{ \
         new EventSource(location.pathname + '/live?since={since}') \
         .addEventListener('changed', function () {{ location.reload(); }}); }}"
    )
}

/// A job is "stuck" when it is deferred, paused or at a gate, or has not changed for this
/// long while pending or running.
const STUCK_AFTER_SECONDS: f64 = 600.0;

/// The list's filters, as the form sends them (an empty field is no filter).
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    status: Option<String>,
    event_type: Option<String>,
    user: Option<String>,
    /// Created on or after this day (UTC).
    since: Option<String>,
    stuck: Option<String>,
}

/// The filters, checked: each bad one named.
pub(crate) struct Checked<'a> {
    status: Option<JobStatus>,
    event_type: Option<&'a str>,
    user: Option<&'a str>,
    since: Option<DateTime<Utc>>,
    stuck: bool,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Filters {
    /// The filters as hidden fields, for a form that acts on what they match.
    pub(crate) fn hidden(&self) -> Markup {
        let fields = [
            ("status", &self.status),
            ("event_type", &self.event_type),
            ("user", &self.user),
            ("since", &self.since),
            ("stuck", &self.stuck),
        ];
        html! {
            @for (name, value) in fields {
                @if let Some(v) = given(value) { input type="hidden" name=(name) value=(v); }
            }
        }
    }

    /// What the filters select, in words.
    pub(crate) fn describe(&self) -> String {
        let fields = [
            ("status", &self.status),
            ("event type", &self.event_type),
            ("user", &self.user),
            ("created since", &self.since),
        ];
        let mut parts: Vec<String> = fields
            .iter()
            .filter_map(|(name, v)| given(v).map(|v| format!("{name} {v}")))
            .collect();
        if given(&self.stuck).is_some() {
            parts.push("stuck".into());
        }
        if parts.is_empty() {
            "every run you see".into()
        } else {
            parts.join(", ")
        }
    }

    pub(crate) fn check<'a>(&'a self, viewer: &'a Viewer) -> Result<Checked<'a>, Failure> {
        let status = given(&self.status)
            .map(str::parse::<JobStatus>)
            .transpose()
            .map_err(|e| Failure::BadRequest(format!("status: {e}")))?;
        let since = given(&self.since)
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
            .transpose()
            .map_err(|e| Failure::BadRequest(format!("since must be a date (YYYY-MM-DD): {e}")))?
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
        Ok(Checked {
            status,
            event_type: given(&self.event_type),
            user: viewer.scope(given(&self.user)),
            since,
            stuck: given(&self.stuck).is_some(),
        })
    }
}

/// A run as lists show it.
pub(crate) struct RunRow {
    pub id: Uuid,
    pub event_type: String,
    pub status: String,
    pub user_id: String,
    pub chain_depth: i32,
    pub created_at: DateTime<Utc>,
    pub cost: f64,
}

/// The runs matching `q`, newest first, at most `limit`.
pub(crate) async fn matching(
    tx: &mut sqlx::PgConnection,
    q: &Checked<'_>,
    limit: i64,
) -> Result<Vec<RunRow>, Failure> {
    Ok(sqlx::query_as!(
        RunRow,
        r#"SELECT j.id, j.event_type, j.status, j.user_id, j.chain_depth, j.created_at,
                  (SELECT COALESCE(sum(s.cost_usd), 0)::float8 FROM step_runs s WHERE s.job_id = j.id) AS "cost!"
           FROM sequence_jobs j
           WHERE ($1::text IS NULL OR j.status = $1)
             AND ($2::text IS NULL OR j.event_type = $2)
             AND ($3::text IS NULL OR j.user_id = $3)
             AND ($4::timestamptz IS NULL OR j.created_at >= $4)
             AND (NOT $5 OR j.status IN ('deferred', 'paused', 'awaiting_approval')
                  OR (j.status IN ('pending', 'in_progress')
                      AND j.updated_at < now() - make_interval(secs => $6)))
           ORDER BY j.created_at DESC LIMIT $7"#,
        q.status.map(JobStatus::as_str),
        q.event_type,
        q.user,
        q.since,
        q.stuck,
        STUCK_AFTER_SECONDS,
        limit,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// `GET /runs`.
pub async fn list(
    State(c): State<Console>,
    viewer: Viewer,
    Query(f): Query<Filters>,
) -> Result<Markup, Failure> {
    let q = f.check(&viewer)?;
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let rows = matching(&mut tx, &q, i64::from(c.config().page_size)).await?;
    let body = html! {
        (filter_form(&f, &viewer))
        p #count { (rows.len()) " runs" }
        (table(&rows))
        @if viewer.may_act().is_ok() && !rows.is_empty() {
            form.card method="get" action="/runs/bulk" {
                (f.hidden())
                "Act on every run this filter matches: "
                select name="control" aria-label="action" {
                    @for c in crate::actions::CONTROLS { option value=(c.0) { (c.1) } }
                }
                button #bulk type="submit" { "Review…" }
            }
        }
    };
    Ok(page::layout("Runs", Some(&viewer), body))
}

/// Runs as a table.
pub(crate) fn table(rows: &[RunRow]) -> Markup {
    html! {
        div.wrap { table #runs {
            thead { tr {
                th { "Run" } th { "Event" } th { "Status" } th { "User" }
                th.hide-sm { "Depth" } th.hide-sm { "Cost" } th { "Created" }
            } }
            tbody { @for r in rows { tr {
                td { a href={ "/runs/" (r.id) } { (short(r.id)) } }
                td { (r.event_type) }
                td { (badge(&r.status)) }
                td { (r.user_id) }
                td.hide-sm { (r.chain_depth) }
                td.hide-sm { "$" (format!("{:.4}", r.cost)) }
                td { (at(r.created_at)) }
            } } }
        } }
    }
}

fn filter_form(f: &Filters, viewer: &Viewer) -> Markup {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        form.card method="get" action="/runs" {
            select name="status" aria-label="status" {
                option value="" { "any status" }
                @for s in JobStatus::ALL {
                    option value=(s.as_str()) selected[f.status.as_deref() == Some(s.as_str())] { (s.as_str()) }
                }
            }
            input name="event_type" placeholder="event type" value=(value(&f.event_type));
            @if viewer.role != crate::session::Role::Rep {
                input name="user" placeholder="user" value=(value(&f.user));
            }
            input name="since" type="date" aria-label="since" value=(value(&f.since));
            label { input type="checkbox" name="stuck" value="1" checked[f.stuck.is_some()]; " stuck only" }
            button type="submit" { "Filter" }
        }
    }
}

/// The first block of a job id, as lists show it.
pub(crate) fn short(id: Uuid) -> String {
    id.to_string()[..8].to_string()
}

/// Run `id` of the viewer's org, when the viewer sees it (a rep: their own).
pub(crate) async fn visible_job(
    tx: &mut sqlx::PgConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<JobRow, Failure> {
    let id: JobId = id
        .parse()
        .map_err(|e| Failure::BadRequest(format!("run id: {e}")))?;
    let job = JobRow::load(tx, id, false)
        .await?
        .ok_or_else(|| Failure::NotFound(format!("no run {id} in {}", viewer.org)))?;
    if !viewer.sees(job.user_id.as_str()) {
        return Err(Failure::Forbidden(format!(
            "run {id} is {}'s: a rep sees and acts on their own runs",
            job.user_id
        )));
    }
    Ok(job)
}

#[derive(Deserialize)]
pub struct Asked {
    /// The action just asked of the router, to say so.
    asked: Option<String>,
}

/// `GET /runs/{id}`.
pub async fn show(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<Asked>,
) -> Result<Markup, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let job = visible_job(&mut tx, &viewer, &id).await?;
    let id = job.id;
    let steps = steps(&mut tx, &job).await?;
    let gates = gates(&mut tx, id).await?;
    let lineage = lineage(&mut tx, &job).await?;
    let waiting = waiting(&mut tx, &job).await?;
    let audit = audit(&mut tx, id).await?;
    let since = crate::live::version(&mut tx, id.uuid()).await?;
    let body = html! {
        p {
            (badge(job.status.as_str())) " " (job.event_type) " from " (job.event_source)
            " · user " (job.user_id) " · chain depth " (job.chain_depth)
            " · created " (at(job.created_at))
        }
        @if let Some(a) = &q.asked {
            p.warn #asked { "Asked the router to " (a) " this run; the audit trail shows what it did." }
        }
        (crate::actions::form(&viewer, id, job.status))
        @if !waiting.is_empty() {
            section.card.why #why {
                h2 { "Why is it waiting?" }
                ul { @for w in &waiting { li { (w) } } }
            }
        }
        section #steps { h2 { "Steps" } (steps) }
        section #gates { h2 { "Gates" } (gates) }
        section #lineage { h2 { "Lineage" } (lineage) }
        section #trigger { h2 { "Trigger payload" } (page::json(&job.trigger_payload)) }
        section #metadata {
            h2 { "Execution metadata" }
            (page::json(job.context.get("execution_metadata").unwrap_or(&Value::Null)))
        }
        section #audit { h2 { "Audit trail" } (audit) }
        @if !job.status.is_terminal() {
            // Reload when the run changes (server-sent events; see live.rs).
            script { (maud::PreEscaped(live_script(since.timestamp_micros()))) }
        }
    };
    Ok(page::layout(
        &format!("Run {}", short(id.uuid())),
        Some(&viewer),
        body,
    ))
}

/// The step attempts with durations, costs and what each produced, then the steps the
/// router decided itself.
async fn steps(tx: &mut sqlx::PgConnection, job: &JobRow) -> Result<Markup, Failure> {
    let runs = sqlx::query!(
        r#"SELECT step_index, step_name, attempt, status, duration_ms, cost_usd::float8 AS "cost!", error
           FROM step_runs WHERE job_id = $1 ORDER BY step_index, attempt"#,
        job.id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let outputs = &job.context["outputs"];
    let ran: std::collections::BTreeSet<i64> =
        runs.iter().map(|r| i64::from(r.step_index)).collect();
    let decided: Vec<(i64, &str)> = job.context["steps_completed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get(0)?.as_i64()?, p.get(1)?.as_str()?)))
        .filter(|(i, _)| !ran.contains(i))
        .collect();
    let total: f64 = runs.iter().map(|r| r.cost).sum();
    Ok(html! {
        div.wrap { table {
            thead { tr { th { "#" } th { "Step" } th { "Attempt" } th { "Status" } th { "Duration" } th { "Cost" } th { "Output" } } }
            tbody {
                @for r in &runs { tr.step {
                    td { (r.step_index) } td { (r.step_name) } td { (r.attempt) }
                    td { (badge(&r.status)) }
                    td { (r.duration_ms.unwrap_or(0)) " ms" }
                    td { "$" (format!("{:.4}", r.cost)) }
                    td { (r.error.clone().unwrap_or_else(|| outputs.get(&r.step_name).map(describe).unwrap_or_default())) }
                } }
                @for (i, outcome) in &decided { tr.step {
                    td { (i) } td colspan="5" { "decided by the router" } td { (outcome) }
                } }
            }
        } }
        p { "Cost of this run: $" (format!("{total:.4}")) }
    })
}

/// The job's gates: who decided what, and when.
async fn gates(tx: &mut sqlx::PgConnection, id: JobId) -> Result<Markup, Failure> {
    let gates = sqlx::query!(
        "SELECT id, step_index, kind, status, user_id, decided_by, decided_at, expires_at
         FROM slack_pending_actions WHERE job_id = $1 ORDER BY step_index",
        id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(html! {
        @if gates.is_empty() { p { "No gates." } }
        @for g in &gates {
            div.card.gate {
                (badge(&g.status)) " " b { (g.kind) } " at step " (g.step_index) " for " (g.user_id)
                @match (&g.decided_by, g.decided_at) {
                    (Some(by), Some(t)) => { " · decided by " (by) " at " (at(t)) }
                    _ => { " · open until " (at(g.expires_at)) " · " a href="/approvals" { "decide" } }
                }
            }
        }
    })
}

/// The follow-up lineage: the parent, this run, and its children with their status.
async fn lineage(tx: &mut sqlx::PgConnection, job: &JobRow) -> Result<Markup, Failure> {
    let ids = |v: &Value| -> Vec<Uuid> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str()?.parse().ok())
            .collect()
    };
    let parent: Option<Uuid> = job.event_chain["parent"]
        .as_str()
        .and_then(|p| p.parse().ok());
    let mut wanted = ids(&job.event_chain["children"]);
    wanted.extend(parent);
    let related = sqlx::query!(
        "SELECT id, event_type, status, chain_depth FROM sequence_jobs WHERE id = ANY($1)",
        &wanted,
    )
    .fetch_all(&mut *tx)
    .await?;
    let line = |id: Uuid| -> Markup {
        match related.iter().find(|r| r.id == id) {
            Some(r) => html! {
                a href={ "/runs/" (r.id) } { (short(r.id)) } " " (r.event_type) " " (badge(&r.status)) " depth " (r.chain_depth)
            },
            None => html! { (short(id)) " (not visible)" },
        }
    };
    let children = ids(&job.event_chain["children"]);
    Ok(html! {
        ul.tree {
            @if let Some(p) = parent { li.parent { "parent: " (line(p)) } }
            li.self { b { "this run: " (short(job.id.uuid())) " " (job.event_type) } " depth " (job.chain_depth)
                ul.tree { @for ch in &children { li.child { (line(*ch)) } } }
            }
        }
    })
}

/// What holds the job, from its timers, open gates and pause reason ([`why`]).
async fn waiting(tx: &mut sqlx::PgConnection, job: &JobRow) -> Result<Vec<String>, Failure> {
    if job.status.is_terminal() {
        return Ok(Vec::new());
    }
    let id = job.id.to_string();
    let timers = sqlx::query!(
        "SELECT kind, due_at, payload FROM timers WHERE fired_at IS NULL AND payload->>'job_id' = $1",
        id,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|t| why::DueTimer {
        kind: t.kind,
        due_at: t.due_at,
        payload: t.payload,
    })
    .collect::<Vec<_>>();
    let open = sqlx::query!(
        "SELECT id, kind, user_id, expires_at, on_timeout FROM slack_pending_actions
         WHERE job_id = $1 AND status = 'pending'",
        job.id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    // The messages the job may be waiting on: its open gates' and its notify steps'.
    let mut messages: Vec<(Uuid, String)> = open
        .iter()
        .map(|g| {
            let id = baton_approval_gateway::message_id(PendingActionId::from_uuid(g.id));
            (id, format!("the {} gate's approval message", g.kind))
        })
        .collect();
    messages.extend(notify_messages(tx, job.id).await?);
    let held = held_messages(tx, &messages).await?;
    let gates = open
        .into_iter()
        .map(|g| why::OpenGate {
            kind: g.kind,
            user: g.user_id,
            expires_at: g.expires_at,
            on_timeout: g.on_timeout,
        })
        .collect::<Vec<_>>();
    let last_error = sqlx::query_scalar!(
        "SELECT error FROM step_runs WHERE job_id = $1 AND error IS NOT NULL
         ORDER BY started_at DESC LIMIT 1",
        job.id.uuid(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    Ok(why::explain(&why::Holds {
        status: job.status,
        paused_reason: job.paused_reason.as_deref(),
        timers: &timers,
        gates: &gates,
        held: &held,
        last_error: last_error.as_deref(),
    }))
}

/// The messages the job's finished notify steps sent (their outputs name them).
async fn notify_messages(
    tx: &mut sqlx::PgConnection,
    job: JobId,
) -> Result<Vec<(Uuid, String)>, Failure> {
    let rows = sqlx::query!(
        r#"SELECT step_name, (output->>'notification_id')::uuid AS "id!" FROM sequence_job_outputs
           WHERE job_id = $1 AND output ? 'notification_id'"#,
        job.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, format!("step {}'s message", r.step_name)))
        .collect())
}

/// Which of `messages` the notifier holds back, with until when and why.
async fn held_messages(
    tx: &mut sqlx::PgConnection,
    messages: &[(Uuid, String)],
) -> Result<Vec<why::HeldMessage>, Failure> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = messages.iter().map(|m| m.0).collect();
    let rows = sqlx::query!(
        r#"SELECT notification_id, deferred_until, deferral_reason AS "reason!" FROM notification_deliveries
           WHERE notification_id = ANY($1) AND status = 'deferred' AND deferral_reason IS NOT NULL
           ORDER BY deferred_until"#,
        &ids,
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let what = messages
                .iter()
                .find(|m| m.0 == r.notification_id)?
                .1
                .clone();
            Some(why::HeldMessage {
                what,
                until: r.deferred_until,
                reason: r.reason,
            })
        })
        .collect())
}

async fn audit(tx: &mut sqlx::PgConnection, id: JobId) -> Result<Markup, Failure> {
    let rows = sqlx::query!(
        "SELECT occurred_at, service, actor, action, detail FROM audit_log
         WHERE job_id = $1 ORDER BY occurred_at, id",
        id.uuid(),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(html! {
        div.wrap { table {
            thead { tr { th { "When" } th { "Service" } th { "Actor" } th { "Action" } th.hide-sm { "Detail" } } }
            tbody { @for a in &rows { tr {
                td { (a.occurred_at.format("%H:%M:%S%.3f")) }
                td { (a.service) } td { (a.actor) } td { (a.action) }
                td.hide-sm { code { (a.detail) } }
            } } }
        } }
    })
}
