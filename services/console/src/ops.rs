//! Operations, for admins and read-only users (a rep gets 403): the org's dead letters with
//! their class and coordinates — inspected, and replayed one at a time or all at once by an
//! admin — the consumer groups' lag per partition, and the events the router skipped, with reasons.
//!
//! Dead letters are read from the dead-letter topic (`baton_platform::deadletters`, as
//! `baton deadletters` reads them) and shown when their original message names this org; one
//! whose bytes name no org is only in `baton deadletters list`. A replay releases the
//! consuming group's dedupe claim and republishes the original in one transaction, audited
//! `deadletter.replayed`; each dead letter is replayed at most once.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use baton_platform::{config::BusKind, deadletters, store};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    Console, Failure,
    page::{self, at},
    session::{Role, Viewer},
};

/// Admins and read-only users.
fn may_see(v: &Viewer) -> Result<(), Failure> {
    match v.role {
        Role::Admin | Role::ReadOnly => Ok(()),
        Role::Rep => Err(Failure::Forbidden(
            "the operations page is for the org's admins and read-only users".into(),
        )),
    }
}

/// The org's dead letters, oldest first.
async fn letters(c: &Console, v: &Viewer) -> Result<Vec<deadletters::Lettered>, Failure> {
    let all = deadletters::list(c.svc()).await?;
    let mut mine = Vec::new();
    for l in all {
        if deadletters::org_of(c.svc(), &l).await.ok().as_ref() == Some(&v.org) {
            mine.push(l);
        }
    }
    Ok(mine)
}

/// `GET /ops`.
pub async fn show(State(c): State<Console>, viewer: Viewer) -> Result<Markup, Failure> {
    may_see(&viewer)?;
    let letters = letters(&c, &viewer).await?;
    let replayed = replayed_ids(&c, &viewer).await?;
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let skipped = sqlx::query!(
        "SELECT created_at, event_type, reason, user_id FROM skipped_events
         ORDER BY created_at DESC LIMIT 50"
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let lag = sqlx::query!(
        r#"SELECT a AS "group!", b AS "topic!", c AS "partition!", value AS "lag!"
           FROM baton_metrics_sample() WHERE series = 'consumer_lag' ORDER BY 1, 2, 3"#
    )
    .fetch_all(&c.svc().pool)
    .await?;
    let kafka = c.bus_kind() == BusKind::Kafka;
    let waiting = letters
        .iter()
        .filter(|l| !replayed.contains(&l.id()))
        .count();
    let body = html! {
        section #deadletters {
            h2 { "Dead letters" }
            @if letters.is_empty() { p { "None for this org." } }
            @if viewer.role == Role::Admin && waiting > 0 {
                form.card method="post" action="/ops/deadletters/replay" {
                    (page::csrf(&viewer))
                    button #replay-all type="submit" { "Replay the " (waiting) " not replayed yet" }
                }
            }
            div.wrap { table {
                thead { tr {
                    th { "Id" } th { "Failed" } th { "Class" } th { "Group" }
                    th { "Original (topic[partition]@offset)" } th { "Error" } th { "" }
                } }
                tbody { @for l in &letters {
                    @let d = &l.letter;
                    @let id = l.id();
                    tr.letter {
                        td { a href={ "/ops/deadletters/" (id) } { (id) } } td { (at(d.failed_at)) } td { (d.error_class.as_str()) }
                        td { (d.consumer_group) }
                        td { (d.original_topic) "[" (d.original_partition) "]@" (d.original_offset) }
                        td { (baton_core::outputs::clip(&d.error_message, 200)) }
                        td {
                            @if replayed.contains(&id) { "replayed" }
                            @else if viewer.role == Role::Admin {
                                form.inline method="post" action={ "/ops/deadletters/" (id) "/replay" } {
                                    (page::csrf(&viewer))
                                    button type="submit" { "Replay" }
                                }
                            }
                        }
                    }
                } }
            } }
        }
        section #lag {
            h2 { "Consumer lag" }
            @if kafka {
                p { "On Kafka the lag comes from the brokers: see baton_consumer_lag_messages in /metrics (and the Grafana dashboard)." }
            } @else {
                div.wrap { table {
                    thead { tr { th { "Group" } th { "Topic" } th { "Partition" } th { "Behind" } } }
                    tbody { @for r in &lag { tr {
                        td { (r.group) } td { (r.topic) } td { (r.partition) } td { (r.lag) }
                    } } }
                } }
            }
        }
        section #skipped {
            h2 { "Skipped events" }
            div.wrap { table {
                thead { tr { th { "When" } th { "Event" } th { "User" } th { "Reason" } } }
                tbody { @for s in &skipped { tr {
                    td { (at(s.created_at)) } td { (s.event_type) }
                    td { (s.user_id.as_deref().unwrap_or("-")) } td { (s.reason) }
                } } }
            } }
        }
    };
    Ok(page::layout("Operations", Some(&viewer), body))
}

/// `GET /ops/deadletters/{id}`: one dead letter — where it failed and why, its headers and
/// size (not its payload, which may hold a transcript or an email: `baton deadletters show
/// --payload` prints it for an operator).
pub async fn letter(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Markup, Failure> {
    may_see(&viewer)?;
    let l = one(&c, &viewer, &id).await?;
    let d = &l.letter;
    let replayed = replayed_ids(&c, &viewer).await?.contains(&id);
    let headers: Vec<&str> = d.original_headers.iter().map(|h| h.name.as_str()).collect();
    let body = html! {
        dl #letter {
            dt { "Failed" } dd { (at(d.failed_at)) }
            dt { "Class" } dd { (d.error_class.as_str()) }
            dt { "Consumer group" } dd { (d.consumer_group) }
            dt { "Original" } dd { (d.original_topic) "[" (d.original_partition) "]@" (d.original_offset) }
            dt { "Reason" } dd { pre { (d.error_message) } }
            dt { "Headers" } dd { (headers.join(", ")) }
            dt { "Size" } dd { (d.original_value.len()) " bytes" }
            dt { "Replayed" } dd { @if replayed { "yes" } @else { "no" } }
        }
        @if viewer.role == Role::Admin && !replayed {
            form method="post" action={ "/ops/deadletters/" (id) "/replay" } {
                (page::csrf(&viewer))
                button #replay type="submit" { "Replay" }
            }
        }
        p { a href="/ops" { "All dead letters" } }
    };
    Ok(page::layout(
        &format!("Dead letter {id}"),
        Some(&viewer),
        body,
    ))
}

/// The org's dead letter `id`.
async fn one(c: &Console, v: &Viewer, id: &str) -> Result<deadletters::Lettered, Failure> {
    letters(c, v)
        .await?
        .into_iter()
        .find(|l| l.id() == id)
        .ok_or_else(|| Failure::NotFound(format!("no dead letter {id} of {}", v.org)))
}

/// The ids of the org's dead letters replayed already (from the audit trail).
async fn replayed_ids(c: &Console, v: &Viewer) -> Result<Vec<String>, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &v.org).await?;
    Ok(sqlx::query_scalar!(
        r#"SELECT detail->>'deadletter' AS "id!" FROM audit_log
           WHERE action = 'deadletter.replayed' AND detail ? 'deadletter'"#
    )
    .fetch_all(&mut *tx)
    .await?)
}

#[derive(Deserialize)]
pub struct Token {
    csrf: Option<String>,
}

/// An admin's replay: the CSRF token, the role.
fn may_replay(viewer: &Viewer, csrf: Option<&str>) -> Result<(), Failure> {
    viewer.check_csrf(csrf)?;
    viewer.may_act()?;
    if viewer.role != Role::Admin {
        return Err(Failure::Forbidden(
            "only an org admin replays dead letters".into(),
        ));
    }
    Ok(())
}

async fn replay_one(
    c: &Console,
    viewer: &Viewer,
    l: &deadletters::Lettered,
) -> Result<(), Failure> {
    let operator = format!("{} (console)", viewer.user);
    deadletters::replay(c.svc(), l, &operator)
        .await
        .map_err(|e| match e {
            baton_platform::Error::Config(why) => Failure::Conflict(why.join("; ")),
            other => Failure::from(other),
        })?;
    tracing::info!(deadletter = %l.id(), user = %viewer.user, "console: dead letter replayed");
    Ok(())
}

/// `POST /ops/deadletters/replay` (admins): every dead letter of the org not replayed yet.
pub async fn replay_all(
    State(c): State<Console>,
    viewer: Viewer,
    Form(f): Form<Token>,
) -> Result<Response, Failure> {
    may_replay(&viewer, f.csrf.as_deref())?;
    let done = replayed_ids(&c, &viewer).await?;
    for l in letters(&c, &viewer).await? {
        if !done.contains(&l.id()) {
            replay_one(&c, &viewer, &l).await?;
        }
    }
    Ok(Redirect::to("/ops").into_response())
}

/// `POST /ops/deadletters/{id}/replay` (admins).
pub async fn replay(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Token>,
) -> Result<Response, Failure> {
    may_replay(&viewer, f.csrf.as_deref())?;
    let l = one(&c, &viewer, &id).await?;
    replay_one(&c, &viewer, &l).await?;
    Ok(Redirect::to("/ops").into_response())
}
