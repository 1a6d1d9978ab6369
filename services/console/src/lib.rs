//! The web console: server-rendered pages of an org's runs, its approval gates and its
//! users' web inbox.
//!
//! - `/runs` ([`runs`]): the org's jobs filtered by status, event type, user, date, or only
//!   those not moving; a run's page has its steps, gates, lineage, trigger, execution
//!   metadata, audit trail, and why it is waiting ([`why`]).
//! - `/approvals` ([`approvals`]): the signed-in rep's open gates, shown as the Slack message
//!   shows them, decided with Approve / Edit / Skip / Cancel through the same path as a Slack
//!   click (an ApprovalDecision the approval-gateway authorises and applies).
//! - `/inbox` ([`inbox`]): the user's notifications as the notifier recorded them.
//! - `/costs` ([`costs`]): the month's AI spend against the budget, cost per sequence per
//!   day, the most expensive runs.
//! - `/ops` ([`ops`]): dead letters (inspect, replay), consumer lag, skipped events.
//!
//! Who is signed in comes from a signed session cookie ([`session`]); every query runs in a
//! transaction scoped to the session's org, so row-level security applies, and on top of it
//! the console checks the user's role: a rep sees and decides their own, an admin the org's,
//! a read-only user sees and acts on nothing. Every form carries the session's CSRF token.
//!
//! - Actions ([`actions`]): retry, resume or cancel a run, or every run a filter matches,
//!   with a reason kept in the audit trail; the router applies them.
//!
//! A run's page that is not finished reloads itself when the run changes ([`live`]:
//! server-sent events from one watcher per console, reading every 2 s).
//!
//! Connections ([`connect`]): "Add to Slack" per workspace (admins) and Google or Microsoft
//! consent per user, stored sealed like `baton connections add` stores them.

pub mod actions;
pub mod approvals;
pub mod connect;
pub mod costs;
pub mod inbox;
pub mod live;
pub mod ops;
pub mod page;
pub mod round_trip;
pub mod runs;
pub mod session;
pub mod slack_signin;
pub mod why;

use std::sync::Arc;

use anyhow::Context;
use axum::{
    Router,
    extract::FromRef,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::Key;
use baton_platform::{
    config::{Config, ConsoleConfig},
    service::Service,
};
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;

/// The service's name: its database login is `baton_console`.
pub const NAME: &str = "console";

/// What every page handler shares.
#[derive(Clone)]
pub struct Console {
    inner: Arc<Inner>,
}

struct Inner {
    /// The runs open pages watch (live updates).
    live: live::Live,
    /// Sign in with Slack, when configured.
    slack: Option<slack_signin::SlackSignIn>,
    /// The connect flows (Add to Slack, Google and Microsoft consent).
    connect: connect::Connect,
    svc: Service,
    config: ConsoleConfig,
    key: Key,
    bus: baton_platform::config::BusKind,
}

impl FromRef<Console> for Key {
    fn from_ref(c: &Console) -> Key {
        c.inner.key.clone()
    }
}

impl Console {
    /// The console on `svc`: its session key from `console.session_key`, else a random one
    /// (said in the log: sessions then end when the console restarts).
    pub fn new(svc: Service, config: &Config) -> anyhow::Result<Self> {
        // The HTTP clients (Slack, Google, Microsoft) speak TLS.
        baton_platform::install_crypto_provider();
        let key = match &config.console.session_key {
            Some(k) => Key::try_from(k.expose_secret().as_bytes())
                .map_err(|e| anyhow::anyhow!("console.session_key: {e}"))?,
            None => {
                tracing::warn!(
                    "console.session_key is not set: a random key signs the sessions, which end when the console restarts"
                );
                Key::generate()
            }
        };
        Ok(Console {
            inner: Arc::new(Inner {
                live: live::Live::default(),
                slack: slack_signin::SlackSignIn::from_config(&config.console)?,
                connect: connect::Connect::from_config(config)?,
                svc,
                config: config.console.clone(),
                key,
                bus: config.bus.kind,
            }),
        })
    }

    pub(crate) fn svc(&self) -> &Service {
        &self.inner.svc
    }

    pub(crate) fn config(&self) -> &ConsoleConfig {
        &self.inner.config
    }

    pub(crate) fn live(&self) -> &live::Live {
        &self.inner.live
    }

    pub(crate) fn connect(&self) -> &connect::Connect {
        &self.inner.connect
    }

    pub(crate) fn slack(&self) -> Option<&slack_signin::SlackSignIn> {
        self.inner.slack.as_ref()
    }

    pub(crate) fn bus_kind(&self) -> baton_platform::config::BusKind {
        self.inner.bus
    }

    /// `path` as a link: absolute under `console.public_base_url` when it is set.
    pub fn link(&self, path: &str) -> String {
        match &self.inner.config.public_base_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => path.to_string(),
        }
    }

    /// The pages.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(|| async { Redirect::to("/runs") }))
            .route("/signin", get(session::signin_page).post(session::signin))
            .route("/signout", post(session::signout))
            .route("/signin/slack", get(slack_signin::start))
            .route("/signin/slack/callback", get(slack_signin::callback))
            .route("/runs", get(runs::list))
            .route("/runs/bulk", get(actions::review).post(actions::run))
            .route("/runs/{id}", get(runs::show))
            .route("/runs/{id}/control", post(actions::one))
            .route("/runs/{id}/live", get(live::stream))
            .route("/approvals", get(approvals::inbox))
            .route("/approvals/{id}/decide", post(approvals::decide))
            .route("/approvals/{id}/edit", post(approvals::edit))
            .route("/inbox", get(inbox::list))
            .route("/costs", get(costs::show))
            .route("/connections", get(connect::list))
            .route("/connections/remove", post(connect::remove))
            .route("/connect/{provider}", get(connect::start))
            .route("/connect/{provider}/callback", get(connect::callback))
            .route("/ops", get(ops::show))
            .route("/ops/deadletters/replay", post(ops::replay_all))
            .route("/ops/deadletters/{id}", get(ops::letter))
            .route("/ops/deadletters/{id}/replay", post(ops::replay))
            .layer(tower_http::limit::RequestBodyLimitLayer::new(
                self.inner.config.max_body_bytes,
            ))
            .layer(tower_http::trace::TraceLayer::new_for_http())
            .with_state(self.clone())
    }
}

/// Why a page could not be shown or an action not taken; each is a page saying so.
#[derive(Debug)]
pub enum Failure {
    /// No session, or it expired: to the sign-in page.
    SignIn,
    Forbidden(String),
    NotFound(String),
    BadRequest(String),
    /// The state changed under the request (a gate already decided).
    Conflict(String),
    /// The database failed; logged, and the page says only that.
    Unavailable(String),
    /// An outside service (Slack, Google, Microsoft) failed or answered nonsense: 502, said.
    Upstream(String),
    /// The console is at a limit it keeps (open live streams): 503, said.
    Busy(String),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Unavailable(e.to_string())
    }
}

impl From<baton_platform::Error> for Failure {
    fn from(e: baton_platform::Error) -> Self {
        Failure::Unavailable(e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Failure::SignIn => return Redirect::to("/signin").into_response(),
            Failure::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            Failure::NotFound(m) => (StatusCode::NOT_FOUND, m),
            Failure::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            Failure::Conflict(m) => (StatusCode::CONFLICT, m),
            Failure::Upstream(m) => {
                tracing::warn!(error = %m, "console: an outside service failed");
                (StatusCode::BAD_GATEWAY, m)
            }
            Failure::Busy(m) => (StatusCode::SERVICE_UNAVAILABLE, m),
            Failure::Unavailable(e) => {
                tracing::warn!(error = %e, "console: the database failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database is not answering; try again shortly".to_string(),
                )
            }
        };
        let title = status.canonical_reason().unwrap_or("error");
        (status, page::message(title, &message)).into_response()
    }
}

/// Serves `console` on `listener` (and watches the runs open pages show) until `shutdown`.
pub async fn serve(
    console: Console,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let watcher = console.live().clone();
    tokio::spawn(watcher.run(console.svc().pool.clone(), shutdown.clone()));
    axum::serve(listener, console.router())
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
        .context("serving the console")
}

/// Runs the console until `shutdown`: its own database login, the pages on
/// `console.listen`.
pub async fn launch(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    let started = baton_platform::startup::start(NAME, &config, &shutdown, |_| async {
        Ok(Service::start(NAME, &config).await?)
    });
    let Some(svc) = started.await? else {
        return Ok(()); // shut down while starting
    };
    let listener = tokio::net::TcpListener::bind(&config.console.listen)
        .await
        .with_context(|| format!("binding console.listen {}", config.console.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(listen = %addr, "console listening");
    if config.console.dev_signin {
        tracing::warn!(
            "console.dev_signin is on: anyone who reaches the console can sign in as any user"
        );
    }
    baton_platform::health::process().ready(NAME);
    serve(Console::new(svc, &config)?, listener, shutdown).await
}
