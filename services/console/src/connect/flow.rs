//! The consent round trip: to the provider with a fresh state, back with a code, the code
//! exchanged for the credential, the credential stored sealed.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::SignedCookieJar;
use baton_platform::{
    connections::{Provider, store},
    store as db,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Connect, MICROSOFT_SCOPES, may_connect, provider};
use crate::{
    Console, Failure,
    round_trip::{self, Kept},
    session::Viewer,
};

const FLOW: &str = "baton_connect";
const FLOW_PATH: &str = "/connect";
/// The most of a provider's answer read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// What the flow cookie keeps between the redirect and the callback.
#[derive(Serialize, Deserialize)]
struct Flow {
    provider: String,
    user: String,
    state: String,
    /// PKCE's code verifier (RFC 7636), for the providers that take one.
    verifier: Option<String>,
    expires: i64,
}

impl Kept for Flow {
    fn expires(&self) -> i64 {
        self.expires
    }
}

/// A PKCE code verifier: 64 characters from two random UUIDs (RFC 7636 asks for 43–128 of
/// its unreserved characters).
fn verifier() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Its S256 challenge: BASE64URL(SHA-256(verifier)), unpadded.
fn challenge(verifier: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

/// `GET /connect/{provider}`: to the provider's consent page.
pub async fn start(
    State(c): State<Console>,
    viewer: Viewer,
    jar: SignedCookieJar,
    Path(p): Path<String>,
) -> Result<Response, Failure> {
    let p = provider(&p)?;
    may_connect(&viewer, p)?;
    let connect = c.connect();
    let app = connect.app(p)?;
    let flow = Flow {
        provider: p.to_string(),
        user: viewer.user.to_string(),
        state: round_trip::random(),
        verifier: app.pkce.then(verifier),
        expires: round_trip::deadline(),
    };
    let redirect_uri = connect.redirect_uri(p);
    let mut params: Vec<(&str, &str)> = vec![
        ("client_id", &app.client_id),
        ("redirect_uri", &redirect_uri),
        ("state", &flow.state),
    ];
    params.extend(app.params.iter().map(|(k, v)| (*k, v.as_str())));
    let challenge = flow.verifier.as_deref().map(challenge);
    if let Some(ch) = &challenge {
        params.extend([
            ("code_challenge", ch.as_str()),
            ("code_challenge_method", "S256"),
        ]);
    }
    let url = reqwest::Url::parse_with_params(&app.authorize_url, &params)
        .map_err(|e| Failure::Upstream(format!("{p}'s consent URL: {e}")))?;
    round_trip::go(jar, FLOW, FLOW_PATH, &flow, url.as_str(), &redirect_uri)
}

/// `GET /connect/{provider}/callback`: the code for tokens, the tokens stored sealed.
pub async fn callback(
    State(c): State<Console>,
    viewer: Viewer,
    jar: SignedCookieJar,
    Path(p): Path<String>,
    Query(q): Query<round_trip::Callback>,
) -> Result<Response, Failure> {
    let p = provider(&p)?;
    may_connect(&viewer, p)?;
    let again = "start again from the connections page";
    let flow: Flow = round_trip::kept(&jar, FLOW).ok_or_else(|| {
        Failure::Forbidden(format!(
            "this connection did not start here or took over ten minutes: {again}"
        ))
    })?;
    let state_ok = round_trip::matches(q.state.as_deref(), &flow.state);
    if !state_ok || flow.provider != p.as_str() || flow.user != viewer.user.as_str() {
        tracing::warn!(provider = %p, "console: a connect callback not of this flow was refused");
        return Err(Failure::Forbidden(format!(
            "the connection's state does not match: {again}"
        )));
    }
    if let Some(e) = q.error {
        return Err(Failure::Forbidden(format!(
            "{p} did not grant access ({}): {again}",
            page_safe(&e)
        )));
    }
    let code = q
        .code
        .ok_or_else(|| Failure::BadRequest(format!("{p}'s callback has no code")))?;
    let connect = c.connect();
    let (account, secret) = connect.exchange(p, &code, flow.verifier.as_deref()).await?;
    let keys = connect
        .keys
        .as_ref()
        .map_err(|e| Failure::Conflict(e.clone()))?;
    let user = (p != Provider::Slack).then(|| viewer.user.as_str());
    let mut tx = db::begin_for_org(&c.svc().pool, &viewer.org).await?;
    store::add(&mut tx, keys, &viewer.org, p, &account, user, &secret)
        .await
        .map_err(|e| match e {
            baton_platform::Error::Config(why) => Failure::Conflict(why.join("; ")),
            other => Failure::from(other),
        })?;
    tx.commit().await?;
    // The account is a mailbox address for Google and Microsoft: not logged.
    tracing::info!(provider = %p, user = %viewer.user, "console: connected");
    let jar = round_trip::forget(jar, FLOW, FLOW_PATH);
    Ok((jar, Redirect::to("/connections")).into_response())
}

/// An error code from a provider's redirect, shortened to what a page shows.
fn page_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_-.".contains(*c))
        .take(80)
        .collect()
}
impl Connect {
    /// The code for the account and the credential to store.
    async fn exchange(
        &self,
        p: Provider,
        code: &str,
        verifier: Option<&str>,
    ) -> Result<(String, Value), Failure> {
        let app = self.app(p)?;
        let redirect_uri = self.redirect_uri(p);
        let mut form = vec![
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.expose_secret()),
            ("code", code),
            ("redirect_uri", redirect_uri.as_str()),
            ("grant_type", "authorization_code"),
        ];
        if p == Provider::Microsoft {
            form.push(("scope", MICROSOFT_SCOPES));
        }
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        let sent = self.http.post(&app.token_url).form(&form).send().await;
        let answer = self.answer(p, "token", sent).await?;
        match p {
            Provider::Slack => self.slack_workspace(&answer),
            Provider::Google | Provider::Microsoft => self.mailbox(p, &answer).await,
        }
    }

    /// `oauth.v2.access`'s answer: the workspace and its bot token.
    fn slack_workspace(&self, a: &Value) -> Result<(String, Value), Failure> {
        if a["ok"] != json!(true) {
            return Err(Failure::Forbidden(format!(
                "Slack did not connect the workspace ({})",
                page_safe(a["error"].as_str().unwrap_or("no reason given"))
            )));
        }
        let (Some(team), Some(token)) = (a["team"]["id"].as_str(), a["access_token"].as_str())
        else {
            return Err(Failure::Upstream(
                "Slack's oauth.v2.access answer has no team id or access token".into(),
            ));
        };
        if !token.starts_with("xoxb-") {
            return Err(Failure::Upstream(
                "Slack answered a token that is not a bot token (xoxb-)".into(),
            ));
        }
        let signing = self
            .slack_signing_secret
            .as_ref()
            .ok_or_else(|| Failure::Conflict("ingress.slack_signing_secrets is empty".into()))?;
        let secret = json!({
            "bot_token": token,
            "signing_secret": signing.expose_secret(),
            "bot_user_id": a["bot_user_id"],
            "scope": a["scope"],
        });
        Ok((team.to_string(), secret))
    }

    /// A Google or Microsoft token answer: the refresh token, and the mailbox it opens.
    async fn mailbox(&self, p: Provider, a: &Value) -> Result<(String, Value), Failure> {
        let (Some(access), Some(refresh)) =
            (a["access_token"].as_str(), a["refresh_token"].as_str())
        else {
            return Err(Failure::Upstream(format!(
                "{p} answered no refresh token: remove Baton's access in your {p} account and connect again"
            )));
        };
        let (url, fields): (String, &[&str]) = match p {
            Provider::Google => (
                format!("{}/users/me/profile", self.gmail_base_url),
                &["emailAddress"],
            ),
            _ => (
                format!("{}/me?$select=mail,userPrincipalName", self.graph_base_url),
                &["mail", "userPrincipalName"],
            ),
        };
        let sent = self.http.get(&url).bearer_auth(access).send().await;
        let profile = self.answer(p, "profile", sent).await?;
        let address = fields
            .iter()
            .find_map(|f| profile[*f].as_str().filter(|s| s.contains('@')))
            .ok_or_else(|| Failure::Upstream(format!("{p}'s profile names no mailbox")))?;
        let secret = json!({ "refresh_token": refresh, "scope": a["scope"] });
        Ok((address.to_lowercase(), secret))
    }

    /// A provider's JSON answer, read up to [`MAX_ANSWER_BYTES`]; an error status is said
    /// with the provider's own error code.
    async fn answer(
        &self,
        p: Provider,
        what: &str,
        sent: reqwest::Result<reqwest::Response>,
    ) -> Result<Value, Failure> {
        let mut resp =
            sent.map_err(|e| Failure::Upstream(format!("{p}'s {what} endpoint: {e}")))?;
        let status = resp.status();
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| Failure::Upstream(format!("{p}'s {what} answer: {e}")))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_ANSWER_BYTES {
                return Err(Failure::Upstream(format!(
                    "{p}'s {what} answer is over {MAX_ANSWER_BYTES} bytes"
                )));
            }
        }
        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if !status.is_success() {
            let code = v["error"]
                .as_str()
                .or(v["error"]["code"].as_str())
                .unwrap_or("no error code");
            return Err(Failure::Forbidden(format!(
                "{p} refused the {what} request ({status}, {})",
                page_safe(code)
            )));
        }
        if !v.is_object() {
            return Err(Failure::Upstream(format!(
                "{p}'s {what} answer is not JSON"
            )));
        }
        Ok(v)
    }
}
