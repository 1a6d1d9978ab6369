//! Sign in with Slack (OpenID Connect, authorization code flow). `/signin/slack` sends the
//! browser to Slack's `/openid/connect/authorize` with a fresh `state` and `nonce`, kept in a
//! signed, HttpOnly cookie for ten minutes; Slack sends it back to `/signin/slack/callback`
//! with a code, which is exchanged at `openid.connect.token` for an ID token. The token is
//! checked against Slack's keys (RS256, issuer `https://slack.com`, audience the client id,
//! not expired, the nonce ours), and the Slack identity in it — workspace and user — is the
//! Baton user `slack_user_mappings` maps it to; the console's session begins. An identity
//! mapped to no one is refused, and so is one of another workspace when `console.slack_team`
//! is set.

use std::time::Duration;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::SignedCookieJar;
use baton_platform::{config::ConsoleConfig, jwks::Jwks};
use jsonwebtoken::{Algorithm, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::{
    Console, Failure,
    round_trip::{self, Kept},
    session,
};

const FLOW: &str = "baton_signin";
const FLOW_PATH: &str = "/signin/slack";
const ISSUER: &str = "https://slack.com";

/// The configured Slack app.
pub struct SlackSignIn {
    client_id: String,
    client_secret: SecretString,
    base: String,
    team: Option<String>,
    redirect_uri: String,
    keys: Jwks,
    http: reqwest::Client,
}

impl SlackSignIn {
    /// The Slack app of `c`, when `console.slack_client_id` is set.
    pub fn from_config(c: &ConsoleConfig) -> anyhow::Result<Option<Self>> {
        let (Some(id), Some(secret), Some(public)) = (
            &c.slack_client_id,
            &c.slack_client_secret,
            &c.public_base_url,
        ) else {
            return Ok(None);
        };
        let base = c.slack_base_url.trim_end_matches('/').to_string();
        let timeout = Duration::from_secs(10);
        Ok(Some(SlackSignIn {
            client_id: id.clone(),
            client_secret: secret.clone(),
            team: c.slack_team.clone(),
            redirect_uri: format!("{}/signin/slack/callback", public.trim_end_matches('/')),
            keys: Jwks::new("slack", &format!("{base}/openid/connect/keys"), timeout)?,
            http: reqwest::Client::builder().timeout(timeout).build()?,
            base,
        }))
    }
}

/// What the flow cookie keeps between the redirect and the callback.
#[derive(Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    expires: i64,
}

impl Kept for Flow {
    fn expires(&self) -> i64 {
        self.expires
    }
}

fn slack(c: &Console) -> Result<&SlackSignIn, Failure> {
    c.slack().ok_or_else(|| {
        Failure::NotFound("sign-in with Slack is not configured (console.slack_client_id)".into())
    })
}

/// `GET /signin/slack`.
pub async fn start(State(c): State<Console>, jar: SignedCookieJar) -> Result<Response, Failure> {
    let s = slack(&c)?;
    let flow = Flow {
        state: round_trip::random(),
        nonce: round_trip::random(),
        expires: round_trip::deadline(),
    };
    let mut params = vec![
        ("response_type", "code"),
        ("scope", "openid profile"),
        ("client_id", s.client_id.as_str()),
        ("state", flow.state.as_str()),
        ("nonce", flow.nonce.as_str()),
        ("redirect_uri", s.redirect_uri.as_str()),
    ];
    if let Some(team) = &s.team {
        params.push(("team", team));
    }
    let url =
        reqwest::Url::parse_with_params(&format!("{}/openid/connect/authorize", s.base), &params)
            .map_err(|e| Failure::Upstream(format!("console.slack_base_url: {e}")))?;
    round_trip::go(jar, FLOW, FLOW_PATH, &flow, url.as_str(), &s.redirect_uri)
}

/// `GET /signin/slack/callback`.
pub async fn callback(
    State(c): State<Console>,
    jar: SignedCookieJar,
    Query(q): Query<round_trip::Callback>,
) -> Result<Response, Failure> {
    let s = slack(&c)?;
    let again = "sign in again from the sign-in page";
    let flow: Flow = round_trip::kept(&jar, FLOW).ok_or_else(|| {
        Failure::Forbidden(format!(
            "this sign-in did not start here or took over ten minutes: {again}"
        ))
    })?;
    if let Some(e) = q.error {
        return Err(Failure::Forbidden(format!(
            "Slack did not sign you in ({e}): {again}"
        )));
    }
    let state_ok = round_trip::matches(q.state.as_deref(), &flow.state);
    if !state_ok {
        tracing::warn!("console: a Slack sign-in callback with the wrong state was refused");
        return Err(Failure::Forbidden(format!(
            "the sign-in's state does not match: {again}"
        )));
    }
    let code = q
        .code
        .ok_or_else(|| Failure::BadRequest("Slack's callback has no code".into()))?;
    let id_token = s.exchange(&code).await?;
    let who = s.verify(&id_token, &flow.nonce).await?;
    if s.team.as_deref().is_some_and(|t| t != who.team_id) {
        return Err(Failure::Forbidden(format!(
            "this console signs in members of the Slack workspace {} only",
            s.team.as_deref().unwrap_or_default()
        )));
    }
    let mapped = sqlx::query!(
        r#"SELECT org_id AS "org_id!", user_id AS "user_id!" FROM baton_console_user_for_slack($1, $2)"#,
        who.team_id,
        who.user_id,
    )
    .fetch_optional(&c.svc().pool)
    .await?
    .ok_or_else(|| {
        Failure::Forbidden(format!(
            "the Slack user {} of workspace {} is not a Baton user (ask an admin to map them)",
            who.user_id, who.team_id
        ))
    })?;
    tracing::info!(user = %mapped.user_id, "console: signed in with Slack");
    let jar = round_trip::forget(jar, FLOW, FLOW_PATH);
    let jar = session::begin(&c, jar, mapped.org_id, mapped.user_id)?;
    Ok((jar, Redirect::to("/runs")).into_response())
}

/// The identity an ID token carries.
#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(rename = "https://slack.com/team_id")]
    team_id: String,
    #[serde(rename = "https://slack.com/user_id")]
    user_id: String,
    nonce: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    ok: bool,
    id_token: Option<String>,
    error: Option<String>,
}

impl SlackSignIn {
    /// `openid.connect.token`: the code for an ID token.
    async fn exchange(&self, code: &str) -> Result<String, Failure> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("grant_type", "authorization_code"),
        ];
        let answer: TokenAnswer = self
            .http
            .post(format!("{}/api/openid.connect.token", self.base))
            .form(&form)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| Failure::Upstream(format!("Slack's openid.connect.token: {e}")))?
            .json()
            .await
            .map_err(|e| Failure::Upstream(format!("Slack's openid.connect.token answer: {e}")))?;
        match (answer.ok, answer.id_token) {
            (true, Some(t)) => Ok(t),
            _ => Err(Failure::Forbidden(format!(
                "Slack did not accept the sign-in ({}): sign in again",
                answer.error.unwrap_or_else(|| "no id_token".into())
            ))),
        }
    }

    /// The identity in `token`, when Slack signed it for this app and this sign-in.
    async fn verify(&self, token: &str, nonce: &str) -> Result<Claims, Failure> {
        let refused = |why: &str| {
            tracing::warn!(why, "console: a Slack ID token was refused");
            Failure::Forbidden(format!(
                "Slack's answer could not be verified ({why}): sign in again"
            ))
        };
        let header = jsonwebtoken::decode_header(token).map_err(|_| refused("not a JWT"))?;
        if header.alg != Algorithm::RS256 {
            return Err(refused("not RS256"));
        }
        let kid = header.kid.ok_or_else(|| refused("no key id"))?;
        let key = self
            .keys
            .key(&kid)
            .await
            .ok_or_else(|| refused("an unknown signing key"))?;
        let mut v = Validation::new(Algorithm::RS256);
        v.set_audience(&[&self.client_id]);
        v.set_issuer(&[ISSUER]);
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &v)
            .map_err(|_| refused("signature, issuer, audience or expiry"))?
            .claims;
        let nonce_ok = round_trip::matches(claims.nonce.as_deref(), nonce);
        if !nonce_ok {
            return Err(refused("the nonce is not this sign-in's"));
        }
        Ok(claims)
    }
}
