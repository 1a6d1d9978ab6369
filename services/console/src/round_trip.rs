//! What an OAuth round trip (Sign in with Slack, the connect flows) keeps between sending the
//! browser to the provider and the provider's callback: a value in a signed, HttpOnly cookie
//! (SameSite=Lax, so the provider's top-level redirect back carries it), for ten minutes,
//! with the `state` the callback must echo compared in constant time.

use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{
    SignedCookieJar,
    cookie::{Cookie, SameSite},
};
use chrono::Utc;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use subtle::ConstantTimeEq;

use crate::Failure;

/// How long a round trip may take.
const SECONDS: i64 = 600;

/// A fresh random value (a state, a nonce): 122 random bits.
pub fn random() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// When a round trip started now must be back by (Unix seconds).
pub fn deadline() -> i64 {
    Utc::now().timestamp() + SECONDS
}

/// What a round trip keeps: it says until when it is good.
pub trait Kept: Serialize + DeserializeOwned {
    fn expires(&self) -> i64;
}

/// What the provider's redirect back carries.
#[derive(Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// The browser sent to the provider's `url`, with `kept` stored as cookie `name` for the
/// paths under `path` (Secure when the callback, `redirect_uri`, is https).
pub fn go<T: Kept>(
    jar: SignedCookieJar,
    name: &'static str,
    path: &'static str,
    kept: &T,
    url: &str,
    redirect_uri: &str,
) -> Result<Response, Failure> {
    let jar = keep(jar, name, path, kept, redirect_uri.starts_with("https://"))?;
    Ok((jar, Redirect::to(url)).into_response())
}

/// `jar` with `kept` stored as cookie `name` for the paths under `path`.
fn keep<T: Kept>(
    jar: SignedCookieJar,
    name: &'static str,
    path: &'static str,
    kept: &T,
    secure: bool,
) -> Result<SignedCookieJar, Failure> {
    let value = serde_json::to_string(kept).map_err(|e| Failure::Upstream(e.to_string()))?;
    let cookie = Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    Ok(jar.add(cookie))
}

/// What cookie `name` kept, when it is there, signed by us and not expired.
pub fn kept<T: Kept>(jar: &SignedCookieJar, name: &str) -> Option<T> {
    jar.get(name)
        .and_then(|cookie| serde_json::from_str(cookie.value()).ok())
        .filter(|k: &T| k.expires() > Utc::now().timestamp())
}

/// `jar` without cookie `name`.
pub fn forget(jar: SignedCookieJar, name: &'static str, path: &'static str) -> SignedCookieJar {
    jar.remove(Cookie::build(name).path(path))
}

/// Whether what came back (a callback's `state`, an ID token's `nonce`) is what was kept
/// (constant time).
pub fn matches(got: Option<&str>, kept: &str) -> bool {
    got.is_some_and(|g| bool::from(g.as_bytes().ct_eq(kept.as_bytes())))
}
