//! What the mailbox fetchers (Gmail, Microsoft Graph) share: a fetched message, already in
//! the data README's email format, published as `email_received` (source `webhook:email`)
//! once per mailbox — whichever path finds it, a push, a sweep or a fallback listing
//! (`mail_seen`, kept a week) — unless the mailbox's owner sent it, with its body cut to a
//! bound (the event's payload has a limit) and its event id derived from the mailbox and the
//! message.

use baton_platform::runtime::HandlerCtx;
use baton_schemas::{OrchestratorEvent, OrgId};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::google::sync::SyncError;

/// A body longer than this is cut, and marked `body_truncated`.
const MAX_BODY_BYTES: usize = 128 * 1024;
/// The namespace of the events' ids: `v5(provider:mailbox:message id)`.
const EVENT_IDS: Uuid = Uuid::from_u128(0x1f0c_92aa_73d4_4b8e_8a61_4c2e_9b0d_55e3);
/// How long a published message is remembered.
const SEEN_DAYS: i64 = 7;

/// A message fetched from `address` (the `provider`'s mailbox of `user`), sent by `from`.
pub struct Fetched<'a> {
    pub provider: &'static str,
    pub address: &'a str,
    pub from: &'a str,
    pub email: Value,
}

/// Publishes `m` for `user` unless its owner sent it or it was published before; whether
/// it was.
pub async fn publish(
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    user: &str,
    m: Fetched<'_>,
) -> Result<bool, SyncError> {
    let mut email = m.email;
    let id = email["id"].as_str().unwrap_or_default().to_string();
    let now = ctx.now();
    if m.from.eq_ignore_ascii_case(m.address)
        || !first_sight(ctx.tx, org, user, &format!("{}:{id}", m.provider), now).await?
    {
        return Ok(false);
    }
    cut(&mut email);
    let occurred_at = email["date"]
        .as_str()
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map_or(now, |d| d.with_timezone(&Utc));
    let name = format!("{}:{}:{id}", m.provider, m.address);
    ctx.emit(&OrchestratorEvent {
        event_id: Uuid::new_v5(&EVENT_IDS, name.as_bytes()).to_string(),
        event_type: "email_received".into(),
        source: "webhook:email".into(),
        org_id: org.to_string(),
        user_id: user.into(),
        payload: json!({ "email": email }),
        parent_job_id: None,
        occurred_at,
        chain_depth: 0,
        dedupe_key: None,
    })?;
    Ok(true)
}

/// Cuts `body_text` at `MAX_BODY_BYTES` (on a character boundary) and says so.
fn cut(email: &mut Value) {
    let Some(body) = email["body_text"]
        .as_str()
        .filter(|b| b.len() > MAX_BODY_BYTES)
    else {
        return;
    };
    let mut end = MAX_BODY_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    email["body_text"] = json!(&body[..end]);
    email["body_truncated"] = json!(true);
}

/// Records that `user`'s message `key` is being published; false when it was before.
async fn first_sight(
    tx: &mut PgConnection,
    org: &OrgId,
    user: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "INSERT INTO mail_seen (org_id, user_id, message_key, seen_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        org.as_str(),
        user,
        key,
        now,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Forgets what `org` published more than a week before `now` (the upkeep's pruning).
pub async fn forget_seen(
    tx: &mut PgConnection,
    org: &OrgId,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM mail_seen WHERE org_id = $1 AND seen_at < $2",
        org.as_str(),
        now - Duration::days(SEEN_DAYS),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_body_is_cut_on_a_character_boundary_and_marked() {
        let mut short = json!({ "body_text": "hello" });
        cut(&mut short);
        assert_eq!(short, json!({ "body_text": "hello" }));
        let mut long = json!({ "body_text": "é".repeat(MAX_BODY_BYTES) });
        cut(&mut long);
        let body = long["body_text"].as_str().unwrap();
        assert!(body.len() <= MAX_BODY_BYTES && body.len() > MAX_BODY_BYTES - 2);
        assert!(body.chars().all(|c| c == 'é'));
        assert_eq!(long["body_truncated"], true);
    }
}
