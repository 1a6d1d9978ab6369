//! What the AI costs: this month's spend against the org's budget, the cost per sequence per
//! day (the last 14 days), and the month's most expensive runs. A rep sees their own runs'
//! costs; the budget line is the org's, as the router checks it.

use axum::extract::State;
use baton_platform::{jobs, store};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};

use crate::{
    Console, Failure,
    page::{self, at},
    runs::short,
    session::Viewer,
};

/// Days the per-sequence table covers.
const DAYS: i32 = 14;

/// `GET /costs`.
pub async fn show(State(c): State<Console>, viewer: Viewer) -> Result<Markup, Failure> {
    let now = Utc::now();
    let user = viewer.scope(None);
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let budget = jobs::budget(&mut tx, &viewer.org, now).await?;
    let by_day = sqlx::query!(
        r#"SELECT s.started_at::date AS "day!: NaiveDate", j.event_type AS "sequence!",
                  count(DISTINCT j.id) AS "runs!", sum(s.cost_usd)::float8 AS "cost!"
           FROM step_runs s JOIN sequence_jobs j ON j.id = s.job_id
           WHERE s.started_at >= now() - make_interval(days => $1)
             AND ($2::text IS NULL OR j.user_id = $2)
           GROUP BY 1, 2 ORDER BY 1 DESC, 2"#,
        DAYS,
        user,
    )
    .fetch_all(&mut *tx)
    .await?;
    let top = sqlx::query!(
        r#"SELECT j.id, j.event_type, j.user_id, j.created_at AS "created_at: DateTime<Utc>",
                  sum(s.cost_usd)::float8 AS "cost!"
           FROM step_runs s JOIN sequence_jobs j ON j.id = s.job_id
           WHERE s.started_at >= date_trunc('month', now()) AND ($1::text IS NULL OR j.user_id = $1)
           GROUP BY j.id HAVING sum(s.cost_usd) > 0 ORDER BY 5 DESC LIMIT 20"#,
        user,
    )
    .fetch_all(&mut *tx)
    .await?;
    let body = html! {
        @if let Some(b) = &budget {
            section.card #budget {
                h2 { "This month" }
                p {
                    "The org has spent $" (format!("{:.2}", b.spent.usd())) " of its $"
                    (format!("{:.2}", b.monthly_limit.usd())) " AI budget"
                    @if b.monthly_limit.usd() > 0.0 {
                        " (" (format!("{:.1}", 100.0 * b.spent.usd() / b.monthly_limit.usd())) " %)"
                    }
                    "; alert at " (b.alert_at_pct) " %"
                    @if b.hard_stop { ", AI steps stop at the limit" } @else { ", AI steps go on past it" }
                    "."
                }
            }
        }
        section #by-sequence {
            h2 { "By sequence and day (last " (DAYS) " days)" }
            div.wrap { table {
                thead { tr { th { "Day" } th { "Sequence" } th { "Runs" } th { "Cost" } } }
                tbody { @for r in &by_day { tr {
                    td { (r.day) } td { (r.sequence) } td { (r.runs) }
                    td { "$" (format!("{:.4}", r.cost)) }
                } } }
            } }
        }
        section #top-runs {
            h2 { "Most expensive runs this month" }
            div.wrap { table {
                thead { tr { th { "Run" } th { "Sequence" } th { "User" } th { "Created" } th { "Cost" } } }
                tbody { @for r in &top { tr {
                    td { a href={ "/runs/" (r.id) } { (short(r.id)) } }
                    td { (r.event_type) } td { (r.user_id) } td { (at(r.created_at)) }
                    td { "$" (format!("{:.4}", r.cost)) }
                } } }
            } }
        }
    };
    Ok(page::layout("Costs", Some(&viewer), body))
}
