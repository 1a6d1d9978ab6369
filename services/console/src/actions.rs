//! Acting on runs: retry, resume or cancel one run, or every run a filter matches (after a
//! review page that shows how many and which), each with a reason that lands in the job's
//! audit trail. The console never writes a job: it asks the router with a `job_control`
//! timer due at once, as `baton jobs retry|resume|cancel` does, and the router applies it
//! under the job's lock through the state machine, refusing (in the audit trail) what no
//! longer applies by then.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use baton_core::{job::Control, status::JobStatus};
use baton_platform::store;
use baton_schemas::{JobId, OrgId};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::{
    Console, Failure, page,
    runs::{self, Filters, RunRow},
    session::Viewer,
};

/// The actions, as forms offer them: (value, label).
pub const CONTROLS: [(&str, &str); 3] = [
    ("retry", "Retry the failed step"),
    ("resume", "Resume"),
    ("cancel", "Cancel"),
];

/// A reason is required, and at most this long.
const MAX_REASON: usize = 500;
/// A bulk action takes at most this many runs; a filter matching more is refused.
const MAX_BULK: usize = 500;

fn control(name: &str) -> Result<Control, Failure> {
    serde_json::from_value(json!(name)).map_err(|_| {
        Failure::BadRequest(format!(
            "control must be retry, resume or cancel, not {name:?}"
        ))
    })
}

fn reason(r: Option<&str>) -> Result<String, Failure> {
    let r = r.map(str::trim).unwrap_or_default();
    if r.is_empty() {
        return Err(Failure::BadRequest(
            "a reason is required: it is kept in the run's audit trail".into(),
        ));
    }
    if r.chars().count() > MAX_REASON {
        return Err(Failure::BadRequest(format!(
            "the reason is over {MAX_REASON} characters"
        )));
    }
    Ok(r.to_string())
}

/// Asks the router to apply `control` to `job` (a timer due at once).
async fn ask(
    tx: &mut sqlx::PgConnection,
    org: &OrgId,
    job: Uuid,
    control: Control,
    viewer: &Viewer,
    reason: &str,
) -> Result<(), Failure> {
    let payload = json!({
        "job_id": job.to_string(),
        "control": control,
        "by": format!("{} (console)", viewer.user),
        "reason": reason,
    });
    let key = format!("console:{}", Uuid::now_v7());
    let at_once = chrono::DateTime::UNIX_EPOCH;
    baton_platform::timers::schedule(tx, org, baton_router::JOB_CONTROL, &key, at_once, &payload)
        .await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct One {
    csrf: Option<String>,
    control: String,
    reason: Option<String>,
}

/// `POST /runs/{id}/control`.
pub async fn one(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<One>,
) -> Result<Response, Failure> {
    viewer.check_csrf(f.csrf.as_deref())?;
    viewer.may_act()?;
    let control = control(&f.control)?;
    let reason = reason(f.reason.as_deref())?;
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let job = runs::visible_job(&mut tx, &viewer, &id).await?;
    let id = job.id;
    control
        .check(job.status)
        .map_err(|refused| Failure::Conflict(refused.to_string()))?;
    ask(&mut tx, &viewer.org, id.uuid(), control, &viewer, &reason).await?;
    tx.commit().await?;
    tracing::info!(job = %id, ?control, user = %viewer.user, "console: asked the router");
    Ok(Redirect::to(&format!("/runs/{id}?asked={}", f.control)).into_response())
}

/// The actions a run's page offers for a job in `status`.
pub fn form(viewer: &Viewer, id: JobId, status: JobStatus) -> Markup {
    let allowed: Vec<_> = CONTROLS
        .iter()
        .filter(|(name, _)| control(name).is_ok_and(|c| c.check(status).is_ok()))
        .collect();
    html! {
        @if viewer.may_act().is_ok() && !allowed.is_empty() {
            form.card #actions method="post" action={ "/runs/" (id) "/control" } {
                (page::csrf(viewer))
                select name="control" aria-label="action" {
                    @for (name, label) in &allowed { option value=(name) { (label) } }
                }
                input name="reason" placeholder="reason (kept in the audit trail)" required;
                button type="submit" { "Ask the router" }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct Bulk {
    #[serde(flatten)]
    filters: Filters,
    control: String,
    csrf: Option<String>,
    reason: Option<String>,
    /// How many runs the review page said the action takes.
    expected: Option<String>,
}

/// The runs `b`'s filter matches that `control` applies to, and how many it matched.
async fn eligible(
    c: &Console,
    viewer: &Viewer,
    b: &Bulk,
    control: Control,
) -> Result<(Vec<RunRow>, usize), Failure> {
    let q = b.filters.check(viewer)?;
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let rows = runs::matching(&mut tx, &q, MAX_BULK as i64 + 1).await?;
    if rows.len() > MAX_BULK {
        return Err(Failure::BadRequest(format!(
            "more than {MAX_BULK} runs match ({}): narrow the filter",
            b.filters.describe()
        )));
    }
    let matched = rows.len();
    let takes = rows
        .into_iter()
        .filter(|r| {
            r.status
                .parse::<JobStatus>()
                .is_ok_and(|s| control.check(s).is_ok())
        })
        .collect();
    Ok((takes, matched))
}

/// `GET /runs/bulk`: what the action would take — the count and the runs — and the form
/// that does it.
pub async fn review(
    State(c): State<Console>,
    viewer: Viewer,
    Query(b): Query<Bulk>,
) -> Result<Markup, Failure> {
    viewer.may_act()?;
    let ctl = control(&b.control)?;
    let (runs, matched) = eligible(&c, &viewer, &b, ctl).await?;
    let label = CONTROLS
        .iter()
        .find(|(n, _)| *n == b.control)
        .map_or("", |(_, l)| *l);
    let body = html! {
        p #bulk-count {
            (matched) " runs match " i { (b.filters.describe()) } "; "
            b { (runs.len()) } " of them can take “" (label) "”"
            @if matched > runs.len() { " (the others are in a status it does not apply to)" }
            "."
        }
        @if !runs.is_empty() {
            form.card method="post" action="/runs/bulk" {
                (page::csrf(&viewer))
                (b.filters.hidden())
                input type="hidden" name="control" value=(b.control);
                input type="hidden" name="expected" value=(runs.len());
                input name="reason" placeholder="reason (kept in every run's audit trail)" required;
                button #bulk-run type="submit" { (label) " — " (runs.len()) " runs" }
            }
        }
        (runs::table(&runs))
    };
    Ok(page::layout("Review a bulk action", Some(&viewer), body))
}

/// `POST /runs/bulk`: asks the router for each run, in one transaction, when the filter
/// still matches what the review showed.
pub async fn run(
    State(c): State<Console>,
    viewer: Viewer,
    Form(b): Form<Bulk>,
) -> Result<Markup, Failure> {
    viewer.check_csrf(b.csrf.as_deref())?;
    viewer.may_act()?;
    let ctl = control(&b.control)?;
    let reason = reason(b.reason.as_deref())?;
    let (runs, _) = eligible(&c, &viewer, &b, ctl).await?;
    let expected: Option<usize> = b.expected.as_deref().and_then(|e| e.parse().ok());
    if expected != Some(runs.len()) {
        return Err(Failure::Conflict(format!(
            "the runs the filter matches changed since the review: {} now can take it; review again",
            runs.len()
        )));
    }
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    for r in &runs {
        ask(&mut tx, &viewer.org, r.id, ctl, &viewer, &reason).await?;
    }
    tx.commit().await?;
    tracing::info!(runs = runs.len(), control = %b.control, user = %viewer.user, "console: bulk action asked of the router");
    let body = html! {
        p #bulk-done {
            "Asked the router to " (b.control) " " (runs.len()) " runs; each run's audit trail records it with your reason (or why it was refused, if its state changed meanwhile)."
        }
        (runs::table(&runs))
    };
    Ok(page::layout("Bulk action sent", Some(&viewer), body))
}
