//! The approvals inbox: the signed-in rep's open gates (an admin's: the org's), each shown
//! as its Slack message shows it, with Approve / Edit / Skip / Cancel. A decision goes the
//! way a Slack click goes — an ApprovalDecision on the bus, which the approval-gateway
//! authorises against the gate and applies once — after the console has refused what it
//! can already tell is not allowed (another rep's gate, a read-only user, a closed gate, an
//! edit the gate does not accept) with a page that says why.

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use baton_approval_gateway::{
    By,
    blocks::{self, Detail},
    publish_decision,
};
use baton_core::status::PendingActionStatus;
use baton_platform::store;
use baton_schemas::{Decision, PendingActionId};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{
    Console, Failure,
    page::{self, at, badge},
    session::{Role, Viewer},
};

/// A gate as the inbox shows it (the columns of `slack_pending_actions` it reads).
struct Gate {
    id: uuid::Uuid,
    job_id: uuid::Uuid,
    user_id: String,
    kind: String,
    step_index: i32,
    status: String,
    draft: Value,
    editable_fields: Vec<String>,
    allowed_deciders: Vec<String>,
    expires_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl Gate {
    fn id(&self) -> PendingActionId {
        PendingActionId::from_uuid(self.id)
    }

    fn pending(&self) -> bool {
        self.status == PendingActionStatus::Pending.as_str()
    }

    /// The viewer may decide it: one of its deciders (its rep), or an admin.
    fn decidable_by(&self, v: &Viewer) -> Result<(), Failure> {
        v.may_act()?;
        let own = self.user_id == v.user.as_str()
            || self.allowed_deciders.iter().any(|d| d == v.user.as_str());
        if own || v.role == Role::Admin {
            Ok(())
        } else {
            Err(Failure::Forbidden(format!(
                "gate {} is {}'s: only its rep or an org admin may decide it",
                self.id(),
                self.user_id
            )))
        }
    }
}

async fn load(c: &Console, v: &Viewer, id: PendingActionId) -> Result<Gate, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &v.org).await?;
    sqlx::query_as!(
        Gate,
        "SELECT id, job_id, user_id, kind, step_index, status, draft, editable_fields,
                allowed_deciders, expires_at, decided_by, decided_at
         FROM slack_pending_actions WHERE id = $1",
        id.uuid(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Failure::NotFound(format!("no gate {id} in {}", v.org)))
}

/// The gates the viewer sees: open ones of running jobs first, then the recently decided.
async fn visible(c: &Console, v: &Viewer) -> Result<Vec<Gate>, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &v.org).await?;
    Ok(sqlx::query_as!(
        Gate,
        "SELECT id, job_id, user_id, kind, step_index, status, draft, editable_fields,
                allowed_deciders, expires_at, decided_by, decided_at
         FROM slack_pending_actions p
         WHERE ($1::text IS NULL OR p.user_id = $1 OR $1 = ANY(p.allowed_deciders))
           AND (p.status <> 'pending' OR EXISTS (SELECT 1 FROM sequence_jobs j
                WHERE j.id = p.job_id AND j.status = 'awaiting_approval'))
         ORDER BY p.status = 'pending' DESC, COALESCE(p.decided_at, p.created_at) DESC
         LIMIT 100",
        v.scope(None),
    )
    .fetch_all(&mut *tx)
    .await?)
}

#[derive(Deserialize)]
pub struct Shown {
    /// The decision just sent, to say so.
    sent: Option<String>,
}

/// `GET /approvals`.
pub async fn inbox(
    State(c): State<Console>,
    viewer: Viewer,
    Query(q): Query<Shown>,
) -> Result<Markup, Failure> {
    let gates = visible(&c, &viewer).await?;
    Ok(render(&viewer, &gates, q.sent.as_deref(), None))
}

fn render(
    v: &Viewer,
    gates: &[Gate],
    sent: Option<&str>,
    error: Option<(&PendingActionId, &str)>,
) -> Markup {
    let (open, decided): (Vec<&Gate>, Vec<&Gate>) = gates.iter().partition(|g| g.pending());
    let body = html! {
        @if let Some(s) = sent {
            p.warn #sent { "Decision sent (" (s) "): the approval-gateway applies it; the gate shows the outcome once it has." }
        }
        h2 { "Waiting for a decision" }
        @if open.is_empty() { p #none { "Nothing is waiting for you." } }
        @for g in &open { (card(v, g, error.filter(|(id, _)| **id == g.id()).map(|e| e.1))) }
        h2 { "Decided" }
        @for g in &decided {
            div.card.decided id={ "gate-" (g.id()) } {
                (badge(&g.status)) " " b { (g.kind) } " · " a href={ "/runs/" (g.job_id) } { "run" }
                " · " (g.decided_by.as_deref().unwrap_or("on expiry"))
                @if let Some(t) = g.decided_at { " at " (at(t)) }
            }
        }
    };
    page::layout("Approvals", Some(v), body)
}

/// One open gate: the draft as the Slack message shows it, the buttons, the edit form.
fn card(v: &Viewer, g: &Gate, error: Option<&str>) -> Markup {
    let acts = g.decidable_by(v).is_ok();
    html! {
        div.card.open id={ "gate-" (g.id()) } {
            small { (g.kind) " for " (g.user_id) " · " a href={ "/runs/" (g.job_id) } { "run" } }
            (message(g))
            @if acts {
                @for (d, label) in [("approve", "Approve"), ("skip", "Skip"), ("cancel", "Cancel")] {
                    form.inline method="post" action={ "/approvals/" (g.id()) "/decide" } {
                        (page::csrf(v))
                        input type="hidden" name="decision" value=(d);
                        button type="submit" name="do" value=(d) { (label) }
                    }
                }
                @let fields = text_fields(g);
                @if !fields.is_empty() {
                    details open[error.is_some()] {
                        summary { "Edit" }
                        @if let Some(e) = error { p.error.field-error { (e) } }
                        form.edit method="post" action={ "/approvals/" (g.id()) "/edit" } {
                            (page::csrf(v))
                            @for (name, value) in &fields {
                                label for={ (g.id()) "-" (name) } { (name) }
                                textarea id={ (g.id()) "-" (name) } name=(name) { (value) }
                            }
                            button type="submit" { "Send edited" }
                        }
                    }
                }
            }
        }
    }
}

/// The gate's message as Slack shows it (the gateway's [`blocks::message`]), in HTML.
fn message(g: &Gate) -> Markup {
    let m = blocks::message(&g.kind, &g.step_index.to_string(), &g.draft);
    html! {
        div.message {
            p.headline { b { (m.headline) } }
            @for d in &m.details {
                @match d {
                    Detail::Fields(fields) => {
                        p { @for (label, value) in fields { b { (label) ": " } (value) " " } }
                    }
                    Detail::Quote(text) => { blockquote { pre { (text) } } }
                    Detail::Bullets(items) => { ul { @for i in items { li { (i) } } } }
                    Detail::Code(text) => { pre { (text) } }
                }
            }
            p { small {
                "Expires " (at(g.expires_at)) "."
                @if !g.editable_fields.is_empty() { " Editable: " (g.editable_fields.join(", ")) "." }
            } }
        }
    }
}

/// The editable fields a form can edit as text (the draft's strings), with their values.
fn text_fields(g: &Gate) -> Vec<(String, String)> {
    g.editable_fields
        .iter()
        .filter_map(|f| match g.draft.get(f) {
            Some(Value::String(s)) => Some((f.clone(), s.clone())),
            None | Some(Value::Null) => Some((f.clone(), String::new())),
            _ => None,
        })
        .collect()
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: Option<String>,
    decision: String,
}

/// `POST /approvals/{id}/decide`: Approve, Skip or Cancel.
pub async fn decide(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Result<Response, Failure> {
    viewer.check_csrf(f.csrf.as_deref())?;
    let decision = match f.decision.as_str() {
        "approve" => Decision::Approve,
        "skip" => Decision::Skip,
        "cancel" => Decision::Cancel,
        other => {
            return Err(Failure::BadRequest(format!(
                "decision must be approve, skip or cancel (an edit is sent from the edit form), not {other:?}"
            )));
        }
    };
    let gate = open_gate(&c, &viewer, &id).await?;
    send(&c, &viewer, &gate, decision, None).await
}

/// `POST /approvals/{id}/edit`: the edited fields, checked under the rule the gateway
/// applies (`baton_core::edits`); a refused edit shows the form again with the reason.
pub async fn edit(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(mut form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    viewer.check_csrf(form.remove("csrf").as_deref())?;
    let gate = open_gate(&c, &viewer, &id).await?;
    // Only what changed is an edit; a field the gate does not let be edited is refused by
    // the rule, named.
    let edits: Map<String, Value> = form
        .into_iter()
        .filter(|(k, v)| gate.draft.get(k).and_then(Value::as_str) != Some(v.as_str()))
        .map(|(k, v)| (k, Value::String(v.replace("\r\n", "\n"))))
        .collect();
    let edits = Value::Object(edits);
    if let Err(e) = baton_core::edits::validate(&gate.draft, &gate.editable_fields, Some(&edits)) {
        let gates = visible(&c, &viewer).await?;
        let page = render(&viewer, &gates, None, Some((&gate.id(), &e.message)));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    send(&c, &viewer, &gate, Decision::Edit, Some(edits)).await
}

/// The gate, when the viewer may decide it and it is still open.
async fn open_gate(c: &Console, v: &Viewer, id: &str) -> Result<Gate, Failure> {
    let id: PendingActionId = id
        .parse()
        .map_err(|e| Failure::BadRequest(format!("gate id: {e}")))?;
    let gate = load(c, v, id).await?;
    gate.decidable_by(v)?;
    if !gate.pending() {
        return Err(Failure::Conflict(format!(
            "gate {id} is already {}{}: there is nothing to decide",
            gate.status,
            gate.decided_by
                .as_deref()
                .map(|b| format!(" (by {b})"))
                .unwrap_or_default()
        )));
    }
    Ok(gate)
}

async fn send(
    c: &Console,
    v: &Viewer,
    gate: &Gate,
    decision: Decision,
    edits: Option<Value>,
) -> Result<Response, Failure> {
    let by = By::Web {
        user: v.user.as_str(),
    };
    let id = publish_decision(c.svc(), &v.org, gate.id(), decision, by, edits)
        .await
        .map_err(|e| Failure::Unavailable(format!("{e:#}")))?;
    tracing::info!(gate = %gate.id(), decision = %decision, user = %v.user, "console: decision published");
    Ok(Redirect::to(&format!("/approvals?sent={id}")).into_response())
}
