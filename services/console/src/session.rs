//! Who is signed in: a session cookie signed with the console's key (HttpOnly, SameSite=Lax,
//! Secure behind https), naming the user, their org, when it expires, and the CSRF token
//! every form of the session carries. The user's role is read from the database on every
//! request, so a change applies at once.
//!
//! Sign-in: with Slack ([`crate::slack_signin`], when `console.slack_client_id` is set), and
//! with `console.dev_signin` (`baton dev`, `baton demo --keep`) a picker of every user.

use axum::{
    Form,
    extract::{FromRequestParts, State},
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::{
    SignedCookieJar,
    cookie::{Cookie, SameSite},
};
use baton_platform::store;
use baton_schemas::{OrgId, UserId};
use chrono::Utc;
use maud::html;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::{Console, Failure, page};

const COOKIE: &str = "baton_session";

/// What the cookie holds.
#[derive(Serialize, Deserialize)]
struct Session {
    org: String,
    user: String,
    csrf: String,
    /// Unix seconds.
    expires: i64,
}

/// What a user may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Their own runs and gates.
    Rep,
    /// The org's runs and gates.
    Admin,
    /// Sees the org's runs; acts on nothing.
    ReadOnly,
}

impl Role {
    /// From the user's row: `console_access = 'read_only'` wins over `is_admin`.
    pub fn of(is_admin: bool, console_access: &str) -> Role {
        match (console_access, is_admin) {
            ("read_only", _) => Role::ReadOnly,
            (_, true) => Role::Admin,
            _ => Role::Rep,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Admin => "admin",
            Role::ReadOnly => "read-only",
        }
    }
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub org: OrgId,
    pub user: UserId,
    pub name: String,
    pub role: Role,
    csrf: String,
}

impl Viewer {
    /// The session's CSRF token, for a form's hidden field.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// A form's token is the session's (compared in constant time).
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), Failure> {
        let ok = token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(self.csrf.as_bytes())));
        if ok {
            Ok(())
        } else {
            tracing::info!(user = %self.user, "console: a form without this session's CSRF token was refused");
            Err(Failure::Forbidden(
                "the form's CSRF token is missing or not this session's: reload the page and try again".into(),
            ))
        }
    }

    /// Read-only users act on nothing.
    pub fn may_act(&self) -> Result<(), Failure> {
        match self.role {
            Role::ReadOnly => Err(Failure::Forbidden(format!(
                "{} is a read-only user: the console shows them everything and lets them act on nothing",
                self.user
            ))),
            Role::Rep | Role::Admin => Ok(()),
        }
    }

    /// Whether the viewer sees what belongs to `owner`: a rep their own, the others the org's.
    pub fn sees(&self, owner: &str) -> bool {
        self.role != Role::Rep || owner == self.user.as_str()
    }

    /// The user filter a list applies: a rep's own, else the one asked for.
    pub fn scope<'a>(&'a self, asked: Option<&'a str>) -> Option<&'a str> {
        match self.role {
            Role::Rep => Some(self.user.as_str()),
            Role::Admin | Role::ReadOnly => asked,
        }
    }
}

impl FromRequestParts<Console> for Viewer {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, c: &Console) -> Result<Self, Failure> {
        let jar = SignedCookieJar::<axum_extra::extract::cookie::Key>::from_request_parts(parts, c)
            .await
            .map_err(|_| Failure::SignIn)?;
        let s: Session = jar
            .get(COOKIE)
            .and_then(|cookie| serde_json::from_str(cookie.value()).ok())
            .ok_or(Failure::SignIn)?;
        if s.expires <= Utc::now().timestamp() {
            return Err(Failure::SignIn);
        }
        let (Ok(org), Ok(user)) = (s.org.parse::<OrgId>(), s.user.parse::<UserId>()) else {
            return Err(Failure::SignIn);
        };
        let mut tx = store::begin_for_org(&c.svc().pool, &org).await?;
        let row = sqlx::query!(
            "SELECT name, is_admin, console_access FROM users WHERE id = $1",
            user.as_str()
        )
        .fetch_optional(&mut *tx)
        .await?;
        // A user removed since signing in is signed out.
        let row = row.ok_or(Failure::SignIn)?;
        Ok(Viewer {
            org,
            user,
            name: row.name,
            role: Role::of(row.is_admin, &row.console_access),
            csrf: s.csrf,
        })
    }
}

/// `GET /signin`: Sign in with Slack when configured, the development picker when on.
pub async fn signin_page(State(c): State<Console>) -> Result<Response, Failure> {
    let slack = c.slack().is_some();
    if !slack && !c.config().dev_signin {
        return Ok(page::message(
            "Sign in",
            "Neither sign-in with Slack (console.slack_client_id) nor the development \
             sign-in (console.dev_signin) is configured: there is no way to sign in here.",
        )
        .into_response());
    }
    let users = if c.config().dev_signin {
        sqlx::query!(
            r#"SELECT id AS "id!", org_id AS "org_id!", name AS "name!" FROM baton_console_users()"#
        )
        .fetch_all(&c.svc().pool)
        .await?
    } else {
        Vec::new()
    };
    let body = html! {
        @if slack {
            p { a #slack-signin href="/signin/slack" { "Sign in with Slack" } }
        }
        @if c.config().dev_signin {
            p.warn { "Development sign-in: pick anyone. Never turn console.dev_signin on in production." }
            form method="post" action="/signin" {
                label for="user" { "User" }
                select #user name="user" {
                    @for u in &users {
                        option value=(u.id) { (u.name) " (" (u.id) ", " (u.org_id) ")" }
                    }
                }
                button type="submit" { "Sign in" }
            }
        }
    };
    Ok(page::layout("Sign in", None, body).into_response())
}

#[derive(Deserialize)]
pub struct SignIn {
    user: String,
}

/// `POST /signin` (development sign-in only): the picked user's session.
pub async fn signin(
    State(c): State<Console>,
    jar: SignedCookieJar,
    Form(f): Form<SignIn>,
) -> Result<Response, Failure> {
    if !c.config().dev_signin {
        return Err(Failure::NotFound(
            "development sign-in is off (console.dev_signin)".into(),
        ));
    }
    let org = sqlx::query_scalar!(
        r#"SELECT org_id AS "org_id!" FROM baton_console_users() WHERE id = $1"#,
        f.user
    )
    .fetch_optional(&c.svc().pool)
    .await?
    .ok_or_else(|| Failure::BadRequest(format!("there is no user {:?}", f.user)))?;
    tracing::info!(user = %f.user, "console: signed in (development sign-in)");
    let jar = begin(&c, jar, org, f.user)?;
    Ok((jar, Redirect::to("/runs")).into_response())
}

/// A new session for `user` of `org` (with a fresh CSRF token), as the cookie in `jar`.
pub(crate) fn begin(
    c: &Console,
    jar: SignedCookieJar,
    org: String,
    user: String,
) -> Result<SignedCookieJar, Failure> {
    let hours = i64::from(c.config().session_hours);
    let s = Session {
        org,
        user,
        csrf: uuid::Uuid::new_v4().simple().to_string(),
        expires: Utc::now().timestamp() + hours * 3600,
    };
    let value = serde_json::to_string(&s).map_err(|e| Failure::Unavailable(e.to_string()))?;
    let secure = c
        .config()
        .public_base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let cookie = Cookie::build((COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    Ok(jar.add(cookie))
}

#[derive(Deserialize)]
pub struct Token {
    csrf: Option<String>,
}

/// `POST /signout`.
pub async fn signout(
    viewer: Viewer,
    jar: SignedCookieJar,
    Form(f): Form<Token>,
) -> Result<Response, Failure> {
    viewer.check_csrf(f.csrf.as_deref())?;
    Ok((
        jar.remove(Cookie::build(COOKIE).path("/")),
        Redirect::to("/signin"),
    )
        .into_response())
}
