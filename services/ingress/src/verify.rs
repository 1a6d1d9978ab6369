//! Who sent a request: checked on the bytes as received, in constant time, against every
//! configured credential (so one can be rotated while the other still works).

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Why a request was not accepted as coming from its provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unverified {
    #[error("the {0} header is missing")]
    Missing(&'static str),
    #[error("the {0} header does not match any configured credential")]
    Mismatch(&'static str),
    #[error("the request timestamp is {0} s away from now (over the allowed window)")]
    Stale(i64),
    #[error("the request timestamp is not a number of seconds")]
    BadTimestamp,
    #[error("no credential is configured for this endpoint")]
    Unconfigured,
}

/// MeetingBaaS sends the API key it was given, as is.
pub const MEETINGBAAS_KEY: &str = "x-meeting-baas-api-key";

/// Checks MeetingBaaS's API key header against `keys`.
pub fn api_key(given: Option<&[u8]>, keys: &[SecretString]) -> Result<(), Unverified> {
    if keys.is_empty() {
        return Err(Unverified::Unconfigured);
    }
    let given = given.ok_or(Unverified::Missing(MEETINGBAAS_KEY))?;
    // Every key is compared (no early exit), each in constant time.
    let matched = keys.iter().fold(subtle::Choice::from(0), |acc, k| {
        acc | k.expose_secret().as_bytes().ct_eq(given)
    });
    if bool::from(matched) {
        Ok(())
    } else {
        Err(Unverified::Mismatch(MEETINGBAAS_KEY))
    }
}

pub const SLACK_TIMESTAMP: &str = "x-slack-request-timestamp";
pub const SLACK_SIGNATURE: &str = "x-slack-signature";

/// A Slack request, as the headers and raw body it came with.
pub struct SlackRequest<'a> {
    pub timestamp: Option<&'a [u8]>,
    pub signature: Option<&'a [u8]>,
    pub body: &'a [u8],
}

/// Slack's `v0` signing: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the
/// signing secret; the timestamp within `max_age_s` of `now` either way (a replay window).
pub fn slack(
    req: &SlackRequest<'_>,
    secrets: &[SecretString],
    now: DateTime<Utc>,
    max_age_s: i64,
) -> Result<(), Unverified> {
    if secrets.is_empty() {
        return Err(Unverified::Unconfigured);
    }
    let ts = req.timestamp.ok_or(Unverified::Missing(SLACK_TIMESTAMP))?;
    let sig = req.signature.ok_or(Unverified::Missing(SLACK_SIGNATURE))?;
    let seconds: i64 = std::str::from_utf8(ts)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or(Unverified::BadTimestamp)?;
    let skew = (now.timestamp() - seconds).abs();
    if skew > max_age_s {
        return Err(Unverified::Stale(skew));
    }
    let Some(given) = sig
        .strip_prefix(b"v0=")
        .and_then(|hex_sig| hex::decode(hex_sig).ok())
    else {
        return Err(Unverified::Mismatch(SLACK_SIGNATURE));
    };
    let matched = secrets.iter().any(|secret| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
            return false;
        };
        mac.update(b"v0:");
        mac.update(ts);
        mac.update(b":");
        mac.update(req.body);
        // verify_slice compares in constant time.
        mac.verify_slice(&given).is_ok()
    });
    if matched {
        Ok(())
    } else {
        Err(Unverified::Mismatch(SLACK_SIGNATURE))
    }
}

/// Signs `body` as Slack would at `timestamp` (for tests and local tools).
pub fn slack_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(format!("v0:{timestamp}:").as_bytes());
    mac.update(body);
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(s: &[&str]) -> Vec<SecretString> {
        s.iter()
            .map(|s| SecretString::from(s.to_string()))
            .collect()
    }

    #[test]
    fn any_configured_key_is_accepted_and_nothing_else() {
        let keys = secrets(&["old-key", "new-key"]);
        assert_eq!(api_key(Some(b"new-key"), &keys), Ok(()));
        assert_eq!(api_key(Some(b"old-key"), &keys), Ok(()));
        assert_eq!(
            api_key(Some(b"new-kez"), &keys),
            Err(Unverified::Mismatch(MEETINGBAAS_KEY))
        );
        assert_eq!(
            api_key(Some(b"new-key "), &keys),
            Err(Unverified::Mismatch(MEETINGBAAS_KEY))
        );
        assert_eq!(
            api_key(None, &keys),
            Err(Unverified::Missing(MEETINGBAAS_KEY))
        );
        assert_eq!(api_key(Some(b""), &[]), Err(Unverified::Unconfigured));
    }

    #[test]
    fn a_slack_signature_holds_for_its_exact_bytes_within_the_window() {
        let now: DateTime<Utc> = "2026-11-18T12:00:00Z".parse().unwrap_or_default();
        let ts = now.timestamp();
        let body = b"payload=%7B%22type%22%3A%22block_actions%22%7D";
        let sig = slack_signature("s3cret", ts, body);
        let ts_text = ts.to_string();
        let req = |body: &'static [u8], ts: &str| -> (Vec<u8>, Vec<u8>, &'static [u8]) {
            (ts.as_bytes().to_vec(), sig.as_bytes().to_vec(), body)
        };
        let check = |(t, s, b): (Vec<u8>, Vec<u8>, &[u8]), at: DateTime<Utc>| {
            slack(
                &SlackRequest {
                    timestamp: Some(&t),
                    signature: Some(&s),
                    body: b,
                },
                &secrets(&["other", "s3cret"]),
                at,
                300,
            )
        };
        assert_eq!(check(req(body, &ts_text), now), Ok(()));
        // One byte of the body, or the timestamp, changed: refused.
        assert_eq!(
            check(
                req(b"payload=%7B%22type%22%3A%22block_actions%22%7D ", &ts_text),
                now
            ),
            Err(Unverified::Mismatch(SLACK_SIGNATURE))
        );
        assert_eq!(
            check(req(body, &(ts + 1).to_string()), now),
            Err(Unverified::Mismatch(SLACK_SIGNATURE))
        );
        // Replayed six minutes later, or dated six minutes ahead: refused.
        let later = now + chrono::Duration::seconds(360);
        assert_eq!(
            check(req(body, &ts_text), later),
            Err(Unverified::Stale(360))
        );
        let earlier = now - chrono::Duration::seconds(360);
        assert_eq!(
            check(req(body, &ts_text), earlier),
            Err(Unverified::Stale(360))
        );
    }

    proptest::proptest! {
        /// Whitespace added anywhere in a signed Slack body, or its JSON's keys in another
        /// order: the signature no longer holds (the bytes are checked as received, never
        /// re-serialised).
        #[test]
        fn any_change_to_the_signed_bytes_is_refused(
            at in 0usize..10_000,
            space in proptest::sample::select(vec![" ", "\n", "\t", "+", "%20"]),
            reorder in proptest::bool::ANY,
        ) {
            let json = r#"{"type":"block_actions","user":{"id":"U1","team_id":"T1"},"actions":[{"action_id":"baton.approve","value":"pa_x"}],"trigger_id":"t1"}"#;
            let body: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("payload", json)
                .finish();
            let ts = 1_794_931_771;
            let now = DateTime::from_timestamp(ts, 0).unwrap_or_default();
            let sig = slack_signature("s3cret", ts, body.as_bytes());
            let changed = if reorder {
                // The same JSON, its keys sorted: equal as data, not as bytes.
                let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("payload", &v.to_string())
                    .finish()
            } else {
                let at = at % (body.len() + 1);
                format!("{}{}{}", &body[..at], space, &body[at..])
            };
            proptest::prop_assume!(changed != body);
            let ts_text = ts.to_string();
            let verdict = slack(
                &SlackRequest {
                    timestamp: Some(ts_text.as_bytes()),
                    signature: Some(sig.as_bytes()),
                    body: changed.as_bytes(),
                },
                &secrets(&["s3cret"]),
                now,
                300,
            );
            proptest::prop_assert_eq!(verdict, Err(Unverified::Mismatch(SLACK_SIGNATURE)));
        }
    }
}
