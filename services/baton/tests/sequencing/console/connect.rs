//! The connect flows in the browser, against one local server speaking Slack's, Google's and
//! Microsoft's OAuth wire formats (authorize redirect, code exchange, and the profile that
//! names the mailbox): an admin adds the Slack workspace, a rep connects their Google and
//! Microsoft mailboxes; the credentials are stored sealed and open to what the provider
//! issued; a rep cannot add the workspace, a read-only user connects nothing, a forged or
//! refused consent stores nothing, another rep cannot disconnect someone else's mailbox, and
//! a workspace connected to one org cannot be taken by another.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Form, Json,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use baton_platform::{
    config::{BusKind, Config},
    connections::Keyring,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::{Browser, start_console_config};
use crate::harness::Env;

const ID: &str = "connect-client.42";
const SECRET: &str = "connect-client-secret";
const SIGNING: &str = "app-signing-secret";
const TEAM: &str = "T0CONNECT1";
/// base64 of 32 bytes.
const K1: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A code issued.
struct Issued {
    provider: String,
    redirect_uri: String,
    /// PKCE's S256 challenge (Google, Microsoft).
    challenge: Option<String>,
    /// The refresh or bot token the code redeems for.
    token: String,
}

/// The providers' state: the codes issued, whether consent is refused, the mailbox each
/// provider names.
#[derive(Clone, Default)]
struct Providers {
    codes: Arc<Mutex<HashMap<String, Issued>>>,
    deny: Arc<Mutex<bool>>,
    mailbox: Arc<Mutex<String>>,
}

impl Providers {
    /// The consent page: `provider`'s user agrees (or refuses) and is sent back.
    fn authorize(&self, provider: &str, q: &HashMap<String, String>) -> Response {
        assert_eq!(q["client_id"], ID, "{provider}");
        let scope = &q["scope"];
        let expected = match provider {
            "slack" => "chat:write",
            "google" => "gmail.readonly",
            _ => "offline_access",
        };
        assert!(scope.contains(expected), "{provider}: {scope}");
        let back = &q["redirect_uri"];
        assert!(
            back.ends_with(&format!("/connect/{provider}/callback")),
            "{back}"
        );
        if *self.deny.lock().unwrap() {
            let to = format!("{back}?error=access_denied&state={}", q["state"]);
            return Redirect::to(&to).into_response();
        }
        let code = uuid::Uuid::new_v4().simple().to_string();
        let token = match provider {
            "slack" => format!("xoxb-{}", &code[..8]),
            _ => format!("1//refresh-{}", &code[..8]),
        };
        let challenge = q.get("code_challenge").cloned();
        if provider != "slack" {
            assert_eq!(q["code_challenge_method"], "S256", "{provider}");
            assert!(challenge.is_some(), "{provider}: no PKCE challenge");
        }
        let issued = Issued {
            provider: provider.into(),
            redirect_uri: back.clone(),
            challenge,
            token,
        };
        self.codes.lock().unwrap().insert(code.clone(), issued);
        let to = format!("{back}?code={code}&state={}", q["state"]);
        Redirect::to(&to).into_response()
    }

    /// The code exchange: the token it was issued for, once, to this client and redirect,
    /// with the verifier of the challenge it was issued with.
    fn redeem(&self, provider: &str, f: &HashMap<String, String>) -> Option<String> {
        use base64::Engine as _;
        use sha2::Digest as _;
        let issued = self.codes.lock().unwrap().remove(f.get("code")?)?;
        let verified = match (&issued.challenge, f.get("code_verifier")) {
            (None, None) => true,
            (Some(ch), Some(v)) => {
                *ch == base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .encode(sha2::Sha256::digest(v))
            }
            _ => false,
        };
        let ok = verified
            && issued.provider == provider
            && f.get("client_id").map(String::as_str) == Some(ID)
            && f.get("client_secret").map(String::as_str) == Some(SECRET)
            && f.get("redirect_uri") == Some(&issued.redirect_uri)
            && f.get("grant_type").map(String::as_str) == Some("authorization_code");
        ok.then_some(issued.token)
    }
}

fn bearer_ok(h: &HeaderMap) -> bool {
    h.get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "Bearer access-token-1")
}

async fn providers() -> (String, Providers) {
    type Q = Query<HashMap<String, String>>;
    type F = Form<HashMap<String, String>>;
    let s = Providers::default();
    *s.mailbox.lock().unwrap() = "Maya.Okafor@Brightlane.example".into();
    let app = axum::Router::new()
        .route(
            "/slack/oauth/v2/authorize",
            get(|State(s): State<Providers>, Query(q): Q| async move { s.authorize("slack", &q) }),
        )
        .route(
            "/slack/api/oauth.v2.access",
            post(|State(s): State<Providers>, Form(f): F| async move {
                match s.redeem("slack", &f) {
                    Some(bot) => Json(json!({
                        "ok": true, "access_token": bot, "token_type": "bot",
                        "scope": "chat:write,im:write,im:history", "bot_user_id": "U0BATONBOT",
                        "app_id": "A0BATON", "team": { "name": "Brightlane", "id": TEAM },
                        "enterprise": null, "is_enterprise_install": false,
                        "authed_user": { "id": "U0TOM" }
                    })),
                    None => Json(json!({ "ok": false, "error": "invalid_code" })),
                }
            }),
        )
        .route(
            "/google/auth",
            get(|State(s): State<Providers>, Query(q): Q| async move {
                assert_eq!(q["access_type"], "offline");
                s.authorize("google", &q)
            }),
        )
        .route(
            "/ms/common/oauth2/v2.0/authorize",
            get(|State(s): State<Providers>, Query(q): Q| async move { s.authorize("microsoft", &q) }),
        )
        .route("/google/token", post(|State(s): State<Providers>, Form(f): F| async move { token(&s, "google", &f) }))
        .route(
            "/ms/common/oauth2/v2.0/token",
            post(|State(s): State<Providers>, Form(f): F| async move { token(&s, "microsoft", &f) }),
        )
        .route(
            "/gmail/v1/users/me/profile",
            get(|State(s): State<Providers>, h: HeaderMap| async move {
                if !bearer_ok(&h) {
                    return StatusCode::UNAUTHORIZED.into_response();
                }
                let mailbox = s.mailbox.lock().unwrap().clone();
                Json(json!({ "emailAddress": mailbox, "messagesTotal": 12, "threadsTotal": 9, "historyId": "4242" }))
                    .into_response()
            }),
        )
        .route(
            "/graph/v1.0/me",
            get(|State(s): State<Providers>, h: HeaderMap| async move {
                if !bearer_ok(&h) {
                    return StatusCode::UNAUTHORIZED.into_response();
                }
                let mailbox = s.mailbox.lock().unwrap().clone();
                Json(json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(mail,userPrincipalName)/$entity",
                             "mail": null, "userPrincipalName": mailbox }))
                .into_response()
            }),
        )
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, s)
}

/// Google's and Microsoft's token endpoint (RFC 6749 §5: errors are 400 with `error`).
fn token(s: &Providers, provider: &str, f: &HashMap<String, String>) -> Response {
    if provider == "microsoft" {
        assert!(f.get("scope").is_some_and(|sc| sc.contains("Mail.Read")));
    }
    match s.redeem(provider, f) {
        Some(refresh) => Json(json!({
            "access_token": "access-token-1", "expires_in": 3599, "token_type": "Bearer",
            "scope": "openid email", "refresh_token": refresh
        }))
        .into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_grant", "error_description": "Bad Request" })),
        )
            .into_response(),
    }
}

/// The console's configuration for the providers at `url`, with a master key.
fn configure(c: &mut Config, url: &str) {
    c.console.slack_client_id = Some(ID.into());
    c.console.slack_client_secret = Some(SecretString::from(SECRET));
    c.console.slack_base_url = format!("{url}/slack");
    c.ingress.slack_signing_secrets = vec![SecretString::from(SIGNING)];
    c.console.dev_signin = true;
    c.google.client_id = Some(ID.into());
    c.google.client_secret = Some(SecretString::from(SECRET));
    c.google.consent_url = format!("{url}/google/auth");
    c.google.oauth_base_url = format!("{url}/google");
    c.google.gmail_base_url = format!("{url}/gmail/v1");
    c.microsoft.client_id = Some(ID.into());
    c.microsoft.client_secret = Some(SecretString::from(SECRET));
    c.microsoft.oauth_base_url = format!("{url}/ms");
    c.microsoft.graph_base_url = format!("{url}/graph/v1.0");
    c.connections
        .keys
        .insert("k1".into(), SecretString::from(K1.to_string()));
    c.connections.active_key = Some("k1".into());
}

/// A `connections` row: id, provider, account, user, key id, wrapped key, sealed secret.
type Row = (
    uuid::Uuid,
    String,
    String,
    Option<String>,
    String,
    Vec<u8>,
    Vec<u8>,
);

/// The org's connections as (provider, account, user, the secret opened).
async fn stored(env: &Env, keys: &Keyring) -> Vec<(String, String, Option<String>, Value)> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, provider, account, user_id, key_id, wrapped_key, sealed FROM connections
             ORDER BY provider, account",
    )
    .fetch_all(&env.owner)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, p, a, u, key_id, wrapped_key, sealed)| {
            let s = baton_platform::connections::Sealed {
                key_id,
                wrapped_key,
                sealed,
            };
            (p, a, u, keys.open(id, &s).unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_slack_reps_connect_their_mailboxes_and_nothing_else_gets_in() {
    let (url, providers) = providers().await;
    let env = Env::new(BusKind::Embedded, None).await;
    sqlx::query(
        "INSERT INTO users (id, org_id, name, email, console_access)
         VALUES ('u_bl_ada', 'org_brightlane', 'Ada Auditor', 'ada@example.test', 'read_only')",
    )
    .execute(&env.owner)
    .await
    .unwrap();
    let stop = CancellationToken::new();
    let base = start_console_config(&env, &stop, |c| configure(c, &url)).await;
    let mut config = env.config.clone();
    configure(&mut config, &url);
    let keys = Keyring::new(&config.connections).unwrap();
    let b = Browser::start(&base).await;

    // A rep: no "Add to Slack", and going there directly is refused.
    b.sign_in("u_bl_maya").await;
    b.goto("/connections").await;
    let offer = b.text("#connect").await;
    assert!(
        offer.contains("an org admin connects the workspace"),
        "{offer}"
    );
    b.goto("/connect/slack").await;
    assert!(b.text("#message").await.contains("only an org admin"));

    // Maya connects her Google mailbox, then her Microsoft one: each stored sealed under
    // her, the account the provider named (lower-cased), the refresh token it issued.
    b.goto("/connections").await;
    b.click("#connect-google").await;
    b.element("#connected tr[data-provider=google]").await;
    b.click("#connect-microsoft").await;
    b.element("#connected tr[data-provider=microsoft]").await;
    let rows = stored(&env, &keys).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (p, account, user, secret) in &rows {
        assert_eq!(account, "maya.okafor@brightlane.example", "{p}");
        assert_eq!(user.as_deref(), Some("u_bl_maya"), "{p}");
        let refresh = secret["refresh_token"].as_str().unwrap();
        assert!(refresh.starts_with("1//refresh-"), "{p}: {secret}");
    }

    // A refused consent, then a callback that is not this browser's flow: nothing stored.
    *providers.deny.lock().unwrap() = true;
    b.click("#connect-google").await;
    let refused = b.text("#message").await;
    assert!(
        refused.contains("did not grant access (access_denied)"),
        "{refused}"
    );
    *providers.deny.lock().unwrap() = false;
    b.goto("/connect/google/callback?code=stolen&state=forged")
        .await;
    assert!(b.text("#message").await.contains("state does not match"));
    assert_eq!(stored(&env, &keys).await.len(), 2);

    // Another rep neither sees Maya's mailboxes nor disconnects them.
    b.goto("/connections").await;
    b.sign_out().await;
    b.sign_in("u_bl_daniel").await;
    b.goto("/connections").await;
    assert!(!b.text("#connected").await.contains("maya.okafor"));
    let status = b
        .post(
            "/connections/remove",
            json!({ "provider": "google", "account": "maya.okafor@brightlane.example" }),
            true,
        )
        .await;
    assert_eq!(status, 403);

    // A read-only user connects nothing.
    b.sign_out().await;
    b.sign_in("u_bl_ada").await;
    b.goto("/connections").await;
    assert!(
        b.text("#connect")
            .await
            .contains("read-only users connect nothing")
    );
    b.goto("/connect/google").await;
    assert!(b.text("#message").await.contains("read-only"));

    // The admin adds the workspace: its bot token and the app's signing secret, for the org.
    b.goto("/connections").await;
    b.sign_out().await;
    b.sign_in("u_bl_tom").await;
    b.goto("/connections").await;
    b.click("#connect-slack").await;
    b.element("#connected tr[data-provider=slack]").await;
    let table = b.text("#connected").await;
    assert!(
        table.contains(TEAM) && table.contains("maya.okafor"),
        "{table}"
    );
    let rows = stored(&env, &keys).await;
    let slack = rows.iter().find(|r| r.0 == "slack").expect("a slack row");
    assert_eq!((slack.1.as_str(), slack.2.as_deref()), (TEAM, None));
    assert!(slack.3["bot_token"].as_str().unwrap().starts_with("xoxb-"));
    assert_eq!(slack.3["signing_secret"], SIGNING);

    // Maya disconnects her Microsoft mailbox.
    b.sign_out().await;
    b.sign_in("u_bl_maya").await;
    b.goto("/connections").await;
    b.click("#connected tr[data-provider=microsoft] button.disconnect")
        .await;
    env.wait(
        "SELECT count(*) = 2 FROM connections",
        "the Microsoft mailbox disconnected",
    )
    .await;
    let left: Vec<String> = stored(&env, &keys).await.into_iter().map(|r| r.0).collect();
    assert_eq!(left, ["google", "slack"]);

    // Another org's admin cannot take the workspace: the store refuses, nothing changes.
    for sql in [
        "INSERT INTO orgs (id, name) VALUES ('org_other', 'Other Co')",
        "INSERT INTO users (id, org_id, name, email, is_admin)
         VALUES ('u_ot_sam', 'org_other', 'Sam Other', 'sam@other.test', true)",
    ] {
        sqlx::query(sql).execute(&env.owner).await.unwrap();
    }
    b.sign_out().await;
    b.sign_in("u_ot_sam").await;
    b.goto("/connections").await;
    b.click("#connect-slack").await;
    let taken = b.text("#message").await;
    assert!(taken.contains("connected to another org"), "{taken}");
    let owners: Vec<String> =
        sqlx::query_scalar("SELECT org_id FROM connections WHERE provider = 'slack'")
            .fetch_all(&env.owner)
            .await
            .unwrap();
    assert_eq!(owners, ["org_brightlane"]);
    b.client.close().await.unwrap();
    stop.cancel();
}
