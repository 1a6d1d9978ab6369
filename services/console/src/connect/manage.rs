//! `/connections`: the org's connections, the connect buttons, disconnecting.

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use baton_platform::{
    connections::{Provider, store},
    store as db,
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{may_connect, provider};
use crate::{
    Console, Failure, page,
    session::{Role, Viewer},
};

/// `GET /connections`: the org's connections, and the connect buttons the viewer may use.
pub async fn list(State(c): State<Console>, viewer: Viewer) -> Result<Markup, Failure> {
    let mut tx = db::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let rows = store::list(&mut tx, &viewer.org).await?;
    tx.commit().await?;
    let connect = c.connect();
    let shown = rows
        .iter()
        .filter(|r| r.provider == "slack" || viewer.sees(r.user_id.as_deref().unwrap_or("")));
    let body = html! {
        section #connected {
            h2 { "Connected" }
            div.wrap { table {
                thead { tr { th { "Provider" } th { "Account" } th { "User" } th { "Updated" } th {} } }
                tbody { @for r in shown {
                    tr.connection data-provider=(r.provider) {
                        td { (r.provider) } td { (r.account) }
                        td { (r.user_id.as_deref().unwrap_or("the org")) }
                        td { (page::at(r.updated_at)) }
                        td { @if may_remove(&viewer, r) {
                            form.inline method="post" action="/connections/remove" {
                                (page::csrf(&viewer))
                                input type="hidden" name="provider" value=(r.provider);
                                input type="hidden" name="account" value=(r.account);
                                button.disconnect type="submit" { "Disconnect" }
                            }
                        } }
                    }
                } }
            } }
        }
        section #connect {
            h2 { "Connect" }
            @for p in [Provider::Slack, Provider::Google, Provider::Microsoft] {
                p {
                    @match (connect.unavailable(p), may_connect(&viewer, p)) {
                        (None, Ok(())) => a.button id={ "connect-" (p) } href={ "/connect/" (p) } { (label(p)) },
                        (Some(why), _) => { (label(p)) ": not available (" (why) ")" },
                        (None, Err(_)) => { (label(p)) ": " (who_may(p)) },
                    }
                }
            }
        }
    };
    Ok(page::layout("Connections", Some(&viewer), body))
}

fn label(p: Provider) -> &'static str {
    match p {
        Provider::Slack => "Add to Slack",
        Provider::Google => "Connect your Google mailbox and calendar",
        Provider::Microsoft => "Connect your Microsoft 365 mailbox and calendar",
    }
}

fn who_may(p: Provider) -> &'static str {
    match p {
        Provider::Slack => "an org admin connects the workspace",
        Provider::Google | Provider::Microsoft => "read-only users connect nothing",
    }
}

/// An admin removes any of the org's connections, a rep their own mailboxes.
fn may_remove(viewer: &Viewer, r: &store::Connection) -> bool {
    match viewer.role {
        Role::Admin => true,
        Role::Rep => r.user_id.as_deref() == Some(viewer.user.as_str()),
        Role::ReadOnly => false,
    }
}

#[derive(Deserialize)]
pub struct Remove {
    csrf: Option<String>,
    provider: String,
    account: String,
}

/// `POST /connections/remove`: disconnects one account.
pub async fn remove(
    State(c): State<Console>,
    viewer: Viewer,
    Form(f): Form<Remove>,
) -> Result<Response, Failure> {
    viewer.check_csrf(f.csrf.as_deref())?;
    viewer.may_act()?;
    let p = provider(&f.provider)?;
    let mut tx = db::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let row = store::list(&mut tx, &viewer.org)
        .await?
        .into_iter()
        .find(|r| r.provider == p.as_str() && r.account == f.account)
        .ok_or_else(|| Failure::NotFound(format!("{} has no such {p} connection", viewer.org)))?;
    if !may_remove(&viewer, &row) {
        return Err(Failure::Forbidden(format!(
            "{} may disconnect only their own mailboxes",
            viewer.user
        )));
    }
    store::remove(&mut tx, &viewer.org, p, &f.account).await?;
    tx.commit().await?;
    tracing::info!(provider = %p, user = %viewer.user, "console: disconnected");
    Ok(Redirect::to("/connections").into_response())
}
