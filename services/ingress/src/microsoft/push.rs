//! `POST /webhooks/msgraph`: Microsoft Graph's change and lifecycle notifications for the
//! mail subscriptions Baton created.
//!
//! - `?validationToken=…` (when a subscription is created): answered 200 `text/plain` with
//!   the decoded token, nothing recorded.
//! - `{"value": [...]}`: every notification must name a subscription Baton holds (found
//!   through `baton_graph_subscription()`) and carry its `clientState` (its SHA-256 compared
//!   in constant time), or the whole request is 401 and nothing is recorded. Each is then
//!   recorded — keyed by (subscription, change type, message id, etag) for a change, (subscription,
//!   lifecycle event, expiry) for a lifecycle event — with a `sync:graph` timer in the same
//!   transaction (the message fetched; or the subscription renewed or re-created, or a delta
//!   run for `missed`), and the request is answered 202 within Graph's 3 seconds.

use baton_schemas::OrgId;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::mail::{Fetch, SYNC};
use crate::{
    Answer, Ingress,
    receipts::{self, Outcome, Receipt},
    verify::Unverified,
};

const PROVIDER: &str = "msgraph";
const MAX_NOTIFICATIONS: usize = 1000;
const MAX_TOKEN_BYTES: usize = 2048;

pub async fn receive(ing: &Ingress, query: Option<&str>, body: &[u8]) -> Answer {
    if let Some(token) = query.and_then(validation_token) {
        return if token.len() <= MAX_TOKEN_BYTES {
            Answer::Validation(token)
        } else {
            Answer::malformed("validationToken is over 2 KiB")
        };
    }
    let notes = match parse(body) {
        Ok(n) => n,
        Err(why) => return Answer::malformed(why),
    };
    let mut checked = Vec::with_capacity(notes.len());
    for n in &notes {
        match subscription(ing, n).await {
            Ok(s) => checked.push(s),
            Err(answer) => return answer,
        }
    }
    let mut outcome = Outcome::Recorded;
    for (n, (org, user)) in notes.iter().zip(checked) {
        match record(ing, n, org, user).await {
            Answer::Accepted(o) => outcome = o,
            Answer::Duplicate => {}
            other => return other,
        }
    }
    Answer::Queued(outcome)
}

fn validation_token(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "validationToken")
        .map(|(_, v)| v.into_owned())
}

fn parse(body: &[u8]) -> Result<Vec<Value>, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let notes = v["value"].as_array().ok_or("the body has no value array")?;
    if notes.is_empty() || notes.len() > MAX_NOTIFICATIONS {
        return Err(format!(
            "1 to {MAX_NOTIFICATIONS} notifications, not {}",
            notes.len()
        ));
    }
    for n in notes {
        if n["subscriptionId"].as_str().is_none() || n["clientState"].as_str().is_none() {
            return Err("a notification has no subscriptionId or clientState".into());
        }
    }
    Ok(notes.clone())
}

/// The org and user of the subscription `n` names, when its clientState is that
/// subscription's.
async fn subscription(ing: &Ingress, n: &Value) -> Result<(OrgId, String), Answer> {
    let id = n["subscriptionId"].as_str().unwrap_or_default();
    let state = n["clientState"].as_str().unwrap_or_default();
    let row = sqlx::query!(
        r#"SELECT org_id AS "org_id!", user_id AS "user_id!", client_state_sha256 AS "hash!"
           FROM baton_graph_subscription($1)"#,
        id,
    )
    .fetch_optional(&ing.svc().pool)
    .await?
    .ok_or(Answer::from(Unverified::Mismatch("subscriptionId")))?;
    let hash = Sha256::digest(state.as_bytes());
    if !bool::from(hash.as_slice().ct_eq(&row.hash)) {
        return Err(Unverified::Mismatch("clientState").into());
    }
    let org = row
        .org_id
        .parse()
        .map_err(|_| Answer::malformed("the subscription's org id does not parse"))?;
    Ok((org, row.user_id))
}

/// Records one notification with what it asks for, in one transaction.
async fn record(ing: &Ingress, n: &Value, org: OrgId, user: String) -> Answer {
    let sub = n["subscriptionId"].as_str().unwrap_or_default();
    let (key, kind, fetch) = match n["lifecycleEvent"].as_str() {
        Some(event) => (
            format!(
                "{sub}:{event}:{}",
                n["subscriptionExpirationDateTime"].as_str().unwrap_or("")
            ),
            event.to_string(),
            Fetch {
                user_id: user.clone(),
                lifecycle: Some(event.to_string()),
                subscription_id: Some(sub.to_string()),
                ..Fetch::default()
            },
        ),
        None => {
            let Some(message) = n.pointer("/resourceData/id").and_then(Value::as_str) else {
                return Answer::malformed("a change notification has no resourceData.id");
            };
            let etag = n
                .pointer("/resourceData/@odata.etag")
                .and_then(Value::as_str)
                .unwrap_or("");
            let change = n["changeType"].as_str().unwrap_or("created");
            (
                format!("{sub}:{change}:{message}:{etag}"),
                change.to_string(),
                Fetch {
                    user_id: user.clone(),
                    message_id: Some(message.to_string()),
                    ..Fetch::default()
                },
            )
        }
    };
    let receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: key,
        org: Some(org.clone()),
        kind,
        outcome: Outcome::Recorded,
        detail: json!({ "subscription": sub, "user_id": user }),
    };
    let payload = serde_json::to_value(&fetch).unwrap_or_default();
    let key = receipt.dedupe_key.clone();
    receipts::record_with_fetch(ing, &receipt, SYNC, &key, &payload).await
}
