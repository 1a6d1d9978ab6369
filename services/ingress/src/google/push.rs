//! `POST /webhooks/google-calendar`: a Calendar channel's push — headers only. The channel
//! (`X-Goog-Channel-ID`) must be one Baton opened (found through `baton_calendar_channel()`),
//! the token (`X-Goog-Channel-Token`) must hash to the one stored for it (compared in
//! constant time), and the resource id must be the one Google gave the channel; else 401.
//! `sync` (the channel's first message) is recorded; `exists` / `not_exists` record the
//! push and schedule a sync of that calendar in the same transaction — answered as soon as
//! that commits, the events fetched afterwards. Keyed by (channel, message number).

use axum::http::HeaderMap;
use baton_schemas::OrgId;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::sync::{self, Target};
use crate::{
    Answer, Ingress,
    receipts::{self, Outcome, Receipt},
    verify::Unverified,
};

const PROVIDER: &str = "google_calendar";
const CHANNEL_ID: &str = "x-goog-channel-id";
const CHANNEL_TOKEN: &str = "x-goog-channel-token";

pub async fn receive(ing: &Ingress, headers: &HeaderMap) -> Answer {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(channel) = header(CHANNEL_ID) else {
        return Unverified::Missing(CHANNEL_ID).into();
    };
    let Some(token) = header(CHANNEL_TOKEN) else {
        return Unverified::Missing(CHANNEL_TOKEN).into();
    };
    let (Some(state), Some(number)) = (
        header("x-goog-resource-state"),
        header("x-goog-message-number").and_then(|n| n.parse::<u64>().ok()),
    ) else {
        return Answer::malformed(
            "X-Goog-Resource-State and a numeric X-Goog-Message-Number are required",
        );
    };
    let known = match sqlx::query!(
        r#"SELECT org_id AS "org_id!", user_id AS "user_id!", calendar_id AS "calendar_id!",
                  token_sha256 AS "token_sha256!", resource_id
           FROM baton_calendar_channel($1)"#,
        channel,
    )
    .fetch_optional(&ing.svc().pool)
    .await
    {
        Ok(k) => k,
        Err(e) => return e.into(),
    };
    let Some(c) = known else {
        return Unverified::Mismatch(CHANNEL_ID).into();
    };
    let hash = Sha256::digest(token.as_bytes());
    if !bool::from(hash.as_slice().ct_eq(&c.token_sha256)) {
        return Unverified::Mismatch(CHANNEL_TOKEN).into();
    }
    if let Some(expected) = &c.resource_id
        && header("x-goog-resource-id") != Some(expected.as_str())
    {
        return Unverified::Mismatch("x-goog-resource-id").into();
    }
    let Ok(org) = c.org_id.parse::<OrgId>() else {
        return Answer::malformed("the channel's org id does not parse");
    };
    let mut receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: format!("{channel}:{number}"),
        org: Some(org.clone()),
        kind: state.to_string(),
        outcome: Outcome::Recorded,
        detail: json!({ "channel": channel, "user_id": c.user_id }),
    };
    match state {
        "sync" => receipts::record(ing, &receipt).await,
        "exists" | "not_exists" => {
            receipt.detail["sync"] = json!(true);
            let t = Target {
                user_id: c.user_id,
                calendar_id: c.calendar_id,
                attempt: 0,
            };
            let payload = serde_json::to_value(&t).unwrap_or_default();
            let key = receipt.dedupe_key.clone();
            receipts::record_with_fetch(ing, &receipt, sync::SYNC, &key, &payload).await
        }
        other => {
            receipt.outcome = Outcome::Skipped;
            receipt.detail["reason"] = json!(format!("resource state {other:?} is not acted on"));
            receipts::record(ing, &receipt).await
        }
    }
}
