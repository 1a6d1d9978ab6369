//! The ingress: where providers' webhooks and Slack's interactivity enter Baton.
//!
//! Each request is verified on its raw bytes ([`verify`]), parsed, and applied in one
//! transaction with its receipt ([`receipts`]): the event or decision it means is staged on
//! the bus there (the outbox, or the embedded log), and the provider is answered 2xx only
//! after that transaction committed. A redelivery finds its receipt and publishes nothing; a
//! failed commit answers 503, never a late 2xx.
//!
//! - `POST /webhooks/meetingbaas` ([`meetingbaas`]): a bot's `complete` stores the
//!   transcript on its meeting and publishes `meeting_ended`; status changes and failures
//!   are recorded.
//! - `POST /slack/interactivity` ([`slack`]): Approve, Skip and Cancel clicks become
//!   ApprovalDecisions for the approval-gateway, which decides whether the clicking user may;
//!   Edit opens a modal of the draft and its submission is the edit decision ([`edit`]).
//!
//! - `POST /webhooks/gmail` ([`google::gmail_push`]): a connected mailbox has new mail (an
//!   OIDC-signed Pub/Sub push); the mail is fetched afterwards ([`google::gmail`]).
//! - `POST /webhooks/msgraph` ([`microsoft::push`]): Microsoft Graph's validation handshake,
//!   and change and lifecycle notifications checked by their subscription's clientState;
//!   the message is fetched afterwards ([`microsoft::mail`]).
//! - `POST /webhooks/google-calendar` ([`google::push`]): a watched calendar changed; its
//!   sync ([`google::sync`]) runs afterwards as a timer, and the upkeep ([`google::channels`])
//!   renews channels and sweeps every calendar because pushes get dropped.
//! - The schedules ([`schedules`]): morning briefs, pre-meeting prep, the pipeline scan,
//!   campaign checks and coaching digests, planned as `timers` rows and fired once each.
//!
//! Answers: 401 when the credential is missing or wrong (or a Slack request is outside its
//! 5-minute window), 413 over `ingress.max_body_bytes`, 400 for a body that does not parse,
//! 503 when the database is unavailable; every answer is counted in
//! `baton_ingress_requests_total{endpoint, outcome}` and logged without the body.

pub mod batch;
pub mod edit;
pub mod google;
pub mod mail;
pub mod meetingbaas;
pub mod microsoft;
pub mod receipts;
pub mod schedules;
pub mod slack;
pub mod teams;
pub mod upkeep;
pub mod verify;

use std::sync::Arc;

use anyhow::Context;
use axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use baton_platform::{config::Config, service::Service};
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;

use receipts::Outcome;
use verify::Unverified;

/// The service's name: its database login is `baton_ingress`.
pub const NAME: &str = "ingress";

/// What a request handler shares.
#[derive(Clone)]
pub struct Ingress {
    inner: Arc<Inner>,
}

struct Inner {
    svc: Service,
    config: baton_platform::config::IngressConfig,
    /// The Slack Web API (`notifier.slack_base_url`), for the edit modal: with
    /// `notifier.slack_token` (the default workspace) when set; a workspace's connection
    /// lends it that workspace's token.
    api: baton_platform::slack::Slack,
    default_workspace: bool,
    /// Opens workspaces' connections (their signing secrets and bot tokens).
    keys: baton_platform::connections::Keyring,
    /// Checks Gmail pushes' OIDC tokens.
    oidc: google::oidc::Oidc,
    /// Writes receipts and what they publish, several per transaction.
    batcher: batch::Batcher,
    /// Slack workspaces' orgs, as recently found.
    teams: teams::TeamOrgs,
}

/// How a request was answered.
#[derive(Debug)]
pub enum Answer {
    /// Applied now (its receipt written with it).
    Accepted(Outcome),
    /// Received before: nothing done again.
    Duplicate,
    /// Accepted for later (Graph's notifications): 202.
    Queued(Outcome),
    /// A subscription's validation handshake: the token echoed as text/plain.
    Validation(String),
    /// A Slack modal's fields are not acceptable: shown there (200, `response_action:
    /// errors`), nothing published.
    FieldErrors(serde_json::Value),
    Rejected(Rejection),
}

/// Why a request was refused.
#[derive(Debug)]
pub enum Rejection {
    Unauthorized(Unverified),
    TooLarge,
    Malformed(String),
    /// The database could not take it; the provider will retry.
    Unavailable(String),
}

impl From<Unverified> for Answer {
    fn from(e: Unverified) -> Self {
        Answer::Rejected(Rejection::Unauthorized(e))
    }
}

impl From<baton_platform::Error> for Answer {
    fn from(e: baton_platform::Error) -> Self {
        Answer::Rejected(Rejection::Unavailable(e.to_string()))
    }
}

impl From<sqlx::Error> for Answer {
    fn from(e: sqlx::Error) -> Self {
        Answer::Rejected(Rejection::Unavailable(e.to_string()))
    }
}

impl Answer {
    pub fn malformed(reason: impl Into<String>) -> Self {
        Answer::Rejected(Rejection::Malformed(reason.into()))
    }

    /// The metrics label.
    fn outcome(&self) -> &'static str {
        match self {
            Answer::Accepted(o) => o.as_str(),
            Answer::Duplicate => "duplicate",
            Answer::Queued(o) => o.as_str(),
            Answer::Validation(_) => "validation",
            Answer::FieldErrors(_) => "field_errors",
            Answer::Rejected(Rejection::Unauthorized(_)) => "unauthorized",
            Answer::Rejected(Rejection::TooLarge) => "too_large",
            Answer::Rejected(Rejection::Malformed(_)) => "malformed",
            Answer::Rejected(Rejection::Unavailable(_)) => "unavailable",
        }
    }

    fn into_response(self) -> Response {
        match self {
            Answer::Accepted(_) | Answer::Duplicate => StatusCode::OK.into_response(),
            Answer::Queued(_) => StatusCode::ACCEPTED.into_response(),
            Answer::Validation(token) => (
                StatusCode::OK,
                [(axum::http::header::CONTENT_TYPE, "text/plain")],
                token,
            )
                .into_response(),
            Answer::FieldErrors(errors) => (StatusCode::OK, axum::Json(errors)).into_response(),
            Answer::Rejected(Rejection::Unauthorized(e)) => {
                (StatusCode::UNAUTHORIZED, format!("unauthorized: {e}\n")).into_response()
            }
            Answer::Rejected(Rejection::TooLarge) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is over the limit\n",
            )
                .into_response(),
            Answer::Rejected(Rejection::Malformed(reason)) => {
                (StatusCode::BAD_REQUEST, format!("malformed: {reason}\n")).into_response()
            }
            Answer::Rejected(Rejection::Unavailable(_)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "not accepted: try again later\n",
            )
                .into_response(),
        }
    }
}

impl Ingress {
    pub fn new(svc: Service, config: &Config) -> anyhow::Result<Self> {
        let n = &config.notifier;
        let token = n.slack_token.as_ref().map(|t| t.expose_secret());
        let api = baton_platform::slack::Slack::new(
            &n.slack_base_url,
            token.unwrap_or_default(),
            // Slack's trigger_id lives three seconds.
            std::time::Duration::from_millis(2_500),
        )
        .map_err(|e| anyhow::anyhow!("notifier.slack_base_url: {e}"))?;
        let batcher = batch::Batcher::start(
            svc.clone(),
            config.ingress.group_commit_max,
            config.ingress.group_commit_writers,
        );
        Ok(Ingress {
            inner: Arc::new(Inner {
                batcher,
                svc,
                config: config.ingress.clone(),
                api,
                default_workspace: token.is_some(),
                keys: baton_platform::connections::Keyring::new(&config.connections)?,
                oidc: google::oidc::Oidc::new(&config.google)?,
                teams: teams::TeamOrgs::default(),
            }),
        })
    }

    pub(crate) fn batcher(&self) -> &batch::Batcher {
        &self.inner.batcher
    }

    pub(crate) fn oidc(&self) -> &google::oidc::Oidc {
        &self.inner.oidc
    }

    pub(crate) fn teams(&self) -> &teams::TeamOrgs {
        &self.inner.teams
    }

    pub(crate) fn keys(&self) -> &baton_platform::connections::Keyring {
        &self.inner.keys
    }

    /// The Web API for workspace `team`: its connection's bot token, else the configured
    /// one, else none.
    pub(crate) async fn slack_for_team(
        &self,
        team: &str,
    ) -> Result<Option<baton_platform::slack::Slack>, Answer> {
        use baton_platform::connections::store;
        let own = store::slack_for_team(&self.svc().pool, self.keys(), team).await?;
        Ok(match own {
            Some((_, w)) => Some(self.inner.api.with_token(w.bot_token.expose_secret())),
            None => self.inner.default_workspace.then(|| self.inner.api.clone()),
        })
    }

    pub(crate) fn svc(&self) -> &Service {
        &self.inner.svc
    }

    pub(crate) fn config(&self) -> &baton_platform::config::IngressConfig {
        &self.inner.config
    }

    /// The webhook endpoints.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/webhooks/meetingbaas", post(meetingbaas_endpoint))
            .route("/slack/interactivity", post(slack_endpoint))
            .route("/webhooks/google-calendar", post(calendar_endpoint))
            .route("/webhooks/gmail", post(gmail_endpoint))
            .route("/webhooks/msgraph", post(graph_endpoint))
            .layer(tower_http::trace::TraceLayer::new_for_http())
            .with_state(self.clone())
    }

    /// Reads a request body up to the configured limit.
    async fn body(&self, body: Body) -> Result<Bytes, Answer> {
        axum::body::to_bytes(body, self.config().max_body_bytes)
            .await
            .map_err(|_| Answer::Rejected(Rejection::TooLarge))
    }
}

/// Counts and logs `answer` for `endpoint`, then turns it into the HTTP answer.
fn answered(endpoint: &'static str, answer: Answer) -> Response {
    let outcome = answer.outcome();
    metrics::counter!("baton_ingress_requests_total", "endpoint" => endpoint, "outcome" => outcome)
        .increment(1);
    match &answer {
        Answer::Rejected(Rejection::Unavailable(e)) => {
            tracing::warn!(endpoint, error = %e, "not accepted: the database is unavailable");
        }
        Answer::Rejected(r) => tracing::info!(endpoint, rejection = ?r, "request refused"),
        _ => tracing::debug!(endpoint, outcome, "request answered"),
    }
    answer.into_response()
}

async fn meetingbaas_endpoint(
    State(ing): State<Ingress>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let answer = match ing.body(body).await {
        Ok(bytes) => meetingbaas::receive(&ing, &headers, &bytes).await,
        Err(a) => a,
    };
    answered("meetingbaas", answer)
}

async fn slack_endpoint(State(ing): State<Ingress>, headers: HeaderMap, body: Body) -> Response {
    let answer = match ing.body(body).await {
        Ok(bytes) => slack::receive(&ing, &headers, &bytes).await,
        Err(a) => a,
    };
    answered("slack", answer)
}

async fn graph_endpoint(State(ing): State<Ingress>, uri: axum::http::Uri, body: Body) -> Response {
    let answer = match ing.body(body).await {
        Ok(bytes) => microsoft::push::receive(&ing, uri.query(), &bytes).await,
        Err(a) => a,
    };
    answered("msgraph", answer)
}

async fn gmail_endpoint(State(ing): State<Ingress>, headers: HeaderMap, body: Body) -> Response {
    let answer = match ing.body(body).await {
        Ok(bytes) => google::gmail_push::receive(&ing, &headers, &bytes).await,
        Err(a) => a,
    };
    answered("gmail", answer)
}

async fn calendar_endpoint(State(ing): State<Ingress>, headers: HeaderMap, body: Body) -> Response {
    // Google sends no body; one over the limit is still refused.
    let answer = match ing.body(body).await {
        Ok(_) => google::push::receive(&ing, &headers).await,
        Err(a) => a,
    };
    answered("google_calendar", answer)
}

/// Serves `ingress` on `listener` until `shutdown`.
pub async fn serve(
    ingress: Ingress,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    axum::serve(listener, ingress.router())
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
        .context("serving the ingress")
}

/// The ingress's connection on the database's clock, which is kept fresh until `stop`.
async fn connect(config: &Config, stop: CancellationToken) -> anyhow::Result<Service> {
    let svc = Service::start(NAME, config).await?;
    let clock = baton_platform::db_clock::DatabaseClock::start(svc.pool.clone(), stop).await?;
    Ok(svc.with_clock(Arc::new(clock)))
}

/// Runs the ingress until `shutdown`: its own database login, the database's clock, the
/// outbox relay in Kafka mode, the endpoints on `ingress.listen`, and the schedules
/// (unless `schedules.enabled = false`).
pub async fn launch(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    let started =
        baton_platform::startup::start(NAME, &config, &shutdown, |stop| connect(&config, stop));
    let Some(svc) = started.await? else {
        return Ok(()); // shut down while starting
    };
    let listener = tokio::net::TcpListener::bind(&config.ingress.listen)
        .await
        .with_context(|| format!("binding ingress.listen {}", config.ingress.listen))?;
    tracing::info!(listen = %listener.local_addr()?, "ingress listening");
    baton_platform::health::process().ready(NAME);
    if config.ingress.meetingbaas_api_keys.is_empty() {
        tracing::warn!(
            "ingress.meetingbaas_api_keys is empty: every MeetingBaaS webhook is refused"
        );
    }
    if config.ingress.slack_signing_secrets.is_empty() {
        tracing::warn!("ingress.slack_signing_secrets is empty: every Slack request is refused");
    }
    let relay = matches!(svc.bus, baton_platform::bus::AnyBus::Kafka(_)).then(|| {
        tokio::spawn(baton_platform::relay::supervise(
            svc.pool.clone(),
            svc.bus.clone(),
            shutdown.clone(),
        ))
    });
    let scheduler = schedules::Scheduler::new(svc.clone(), &config);
    let calendars =
        match google::channels::Syncer::new(svc.clone(), &config, Some(scheduler.clone()))? {
            Some(syncer) => Some(tokio::spawn(syncer.run(shutdown.clone()))),
            None => {
                tracing::info!("google.client_id is not set: no Google calendar is synced");
                None
            }
        };
    let mailboxes = match microsoft::mail::Mailboxes::new(svc.clone(), &config)? {
        Some(m) => Some(tokio::spawn(m.run(shutdown.clone()))),
        None => {
            tracing::info!("microsoft.client_id is not set: no Microsoft mailbox is read");
            None
        }
    };
    let schedules = config
        .schedules
        .enabled
        .then(|| tokio::spawn(scheduler.run(shutdown.clone())));
    if schedules.is_none() {
        tracing::info!("schedules.enabled = false: this ingress fires no schedules");
    }
    let served = serve(Ingress::new(svc, &config)?, listener, shutdown.clone()).await;
    shutdown.cancel();
    if let Some(relay) = relay {
        relay.await?;
    }
    let mut finished = served;
    for task in [schedules, calendars, mailboxes].into_iter().flatten() {
        finished = finished.and(task.await?);
    }
    finished
}
