//! The web inbox: every notification the notifier recorded for the signed-in user (the
//! morning brief, summaries, alerts, approval requests), whatever became of its Slack
//! delivery, newest first.

use axum::extract::State;
use baton_platform::store;
use maud::{Markup, html};

use crate::{
    Console, Failure,
    page::{self, at},
    session::Viewer,
};

/// `GET /inbox`.
pub async fn list(State(c): State<Console>, viewer: Viewer) -> Result<Markup, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let rows = sqlx::query!(
        "SELECT kind, text, job_id, pending_action_id, created_at FROM web_inbox
         WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100",
        viewer.user.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let body = html! {
        @if rows.is_empty() { p { "No notifications yet." } }
        @for n in &rows {
            div.card.notification {
                small { (at(n.created_at)) " · " (n.kind) }
                @if let Some(job) = n.job_id { " · " a href={ "/runs/" (job) } { "run" } }
                @if n.pending_action_id.is_some() { " · " a href="/approvals" { "decide" } }
                pre { (n.text) }
            }
        }
    };
    Ok(page::layout("Inbox", Some(&viewer), body))
}
