//! The frame every page shares (navigation, who is signed in, the style sheet) and small
//! renderers the pages use. Links and forms; the one script is a running run's live reload
//! (live.rs).

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use crate::session::Viewer;

const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#222;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{margin-left:auto}
main{padding:1rem;max-width:72rem;margin:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.wrap{overflow-x:auto}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.8rem;background:#e5e5ea}
.badge.completed,.badge.approved,.badge.edited,.badge.succeeded{background:#d1f2d9}
.badge.failed,.badge.cancelled,.badge.expired{background:#f8d0d0}
.badge.awaiting_approval,.badge.pending,.badge.deferred,.badge.paused{background:#fde9b8}
.card{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.8rem;margin:.8rem 0}
.why{border-left:4px solid #e0a800}
.warn{background:#fff3cd;padding:.5rem}
.error{background:#f8d0d0;padding:.5rem}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f3f3;padding:.5rem;font-size:.8rem}
form.inline{display:inline}
textarea{width:100%;min-height:8rem}
input,select,button,textarea{font-size:1rem}
button{margin:.2rem .2rem .2rem 0}
ul.tree{list-style:none;padding-left:1rem}
@media (max-width:40rem){th,td{padding:.3rem}.hide-sm{display:none}}
";

/// A whole page: the frame around `body`.
pub fn layout(title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Baton" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/runs" { "Baton" }
                    @if let Some(v) = viewer {
                        a href="/runs" { "Runs" }
                        a href="/approvals" { "Approvals" }
                        a href="/inbox" { "Inbox" }
                        a href="/costs" { "Costs" }
                        a href="/connections" { "Connections" }
                        @if v.role != crate::session::Role::Rep { a href="/ops" { "Ops" } }
                        form method="post" action="/signout" {
                            span #whoami { (v.name) " · " (v.role.as_str()) " · " (v.org) " " }
                            input type="hidden" name="csrf" value=(v.csrf());
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page that only says something (an error, a refusal).
pub fn message(title: &str, text: &str) -> Markup {
    layout(title, None, html! { p #message { (text) } })
}

/// A status as a coloured badge.
pub fn badge(status: &str) -> Markup {
    html! { span class={ "badge " (status) } { (status.replace('_', " ")) } }
}

/// A time as the console shows it (UTC).
pub fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// JSON, indented.
pub fn json(v: &Value) -> Markup {
    html! { pre { (serde_json::to_string_pretty(v).unwrap_or_default()) } }
}

/// The hidden CSRF field of a form.
pub fn csrf(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(viewer.csrf()); }
}
