//! `POST /webhooks/gmail`: a Gmail push through Cloud Pub/Sub — `{"message": {"data":
//! base64 of {"emailAddress", "historyId"}, "messageId", …}, "subscription"}`, authenticated
//! by the push's OIDC bearer token ([`super::oidc`]). The mailbox must be one connected to
//! Baton (found through `baton_mailbox()`); the push is recorded, keyed by its Pub/Sub
//! `messageId`, with a fetch of the mailbox's new mail scheduled in the same transaction —
//! answered as soon as that commits (Pub/Sub's deadline is 10 s), the mail fetched afterwards.
//! A push for a mailbox Baton does not know is answered 200 and recorded as skipped.

use axum::http::HeaderMap;
use base64::Engine as _;
use baton_schemas::OrgId;
use serde_json::{Value, json};

use super::gmail::{self, Mailbox};
use crate::{
    Answer, Ingress,
    receipts::{self, Outcome, Receipt},
};

const PROVIDER: &str = "gmail";

pub async fn receive(ing: &Ingress, headers: &HeaderMap, body: &[u8]) -> Answer {
    let now = ing.svc().now();
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    if let Err(e) = ing.oidc().verify(bearer, now).await {
        return e.into();
    }
    let (message_id, address, history) = match parse(body) {
        Ok(p) => p,
        Err(why) => return Answer::malformed(why),
    };
    let mailbox = match sqlx::query!(
        r#"SELECT org_id AS "org_id!", user_id AS "user_id!" FROM baton_mailbox($1)"#,
        address,
    )
    .fetch_optional(&ing.svc().pool)
    .await
    {
        Ok(m) => m,
        Err(e) => return e.into(),
    };
    let mut receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: message_id,
        org: None,
        kind: "push".into(),
        outcome: Outcome::Skipped,
        detail: json!({ "history_id": history }),
    };
    let Some(m) = mailbox else {
        receipt.detail["reason"] = json!("no connected mailbox has this address");
        return receipts::record(ing, &receipt).await;
    };
    let Ok(org) = m.org_id.parse::<OrgId>() else {
        return Answer::malformed("the mailbox's org id does not parse");
    };
    receipt.org = Some(org.clone());
    receipt.outcome = Outcome::Recorded;
    receipt.detail["user_id"] = json!(m.user_id);
    let payload = serde_json::to_value(Mailbox {
        user_id: m.user_id.clone(),
        attempt: 0,
    })
    .unwrap_or_default();
    let key = format!("push:{}:{history}", m.user_id);
    receipts::record_with_fetch(ing, &receipt, gmail::SYNC, &key, &payload).await
}

/// The push's `messageId`, the mailbox address (lower case) and its historyId.
fn parse(body: &[u8]) -> Result<(String, String, u64), String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let message = &v["message"];
    let id = message["messageId"]
        .as_str()
        .or_else(|| message["message_id"].as_str())
        .filter(|i| !i.is_empty() && i.len() <= 256)
        .ok_or("the push has no message.messageId")?;
    let data = message["data"]
        .as_str()
        .ok_or("the push has no message.data")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| "message.data is not base64")?;
    let inner: Value = serde_json::from_slice(&decoded).map_err(|_| "message.data is not JSON")?;
    let address = inner["emailAddress"]
        .as_str()
        .filter(|a| a.contains('@') && a.len() <= 320)
        .ok_or("message.data has no emailAddress")?;
    let history = super::history_id(&inner["historyId"]).ok_or("message.data has no historyId")?;
    Ok((id.to_string(), address.to_lowercase(), history))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_id_may_be_a_number_or_a_string_and_bad_data_is_named() {
        let data = |inner: &str| base64::engine::general_purpose::STANDARD.encode(inner);
        for inner in [
            r#"{"emailAddress":"Maya.Okafor@brightlane.io","historyId":8841532}"#,
            r#"{"emailAddress":"maya.okafor@brightlane.io","historyId":"8841532"}"#,
        ] {
            let body = json!({ "message": { "data": data(inner), "messageId": "1318" } });
            let (id, address, history) = parse(body.to_string().as_bytes()).unwrap();
            assert_eq!(
                (id.as_str(), address.as_str(), history),
                ("1318", "maya.okafor@brightlane.io", 8841532)
            );
        }
        let bad = json!({ "message": { "data": "%%%", "messageId": "1" } });
        assert_eq!(
            parse(bad.to_string().as_bytes()).unwrap_err(),
            "message.data is not base64"
        );
        let none = json!({ "message": { "data": data("{}"), "messageId": "1" } });
        assert!(
            parse(none.to_string().as_bytes())
                .unwrap_err()
                .contains("emailAddress")
        );
    }
}
