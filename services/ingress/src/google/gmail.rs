//! Fetching a connected mailbox's new mail: `users.history.list` from the stored high-water
//! historyId (a mailbox not started yet just takes its current one: no backfill), each new
//! inbound message fetched (`users.messages.get`), put in the data README's email format and
//! published through [`crate::mail`] (once per mailbox, whichever path finds it). A start id Google no longer has (404)
//! means the day's inbox is listed instead. The historyId moves forward in the same
//! transaction as the events are staged. It runs as the ingress's `sync:gmail` timer, which
//! a push or the sweep schedules; retries and failures as for calendars.

use base64::Engine as _;
use baton_platform::{
    runtime::{HandlerCtx, HandlerError},
    timers::Timer,
};
use baton_schemas::OrgId;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{GoogleError, channels::Syncer, sync::SyncError};

/// The timer kind.
pub const SYNC: &str = "sync:gmail";
/// At most this many history pages, and messages, per sync.
const MAX_PAGES: usize = 20;
const MAX_MESSAGES: usize = 500;
/// Headers kept with the message (what triage reads to spot autoreplies and lists).
const KEPT_HEADERS: [&str; 5] = [
    "Auto-Submitted",
    "List-Unsubscribe",
    "Precedence",
    "X-Autoreply",
    "Content-Language",
];

/// A mailbox sync timer's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mailbox {
    pub user_id: String,
    #[serde(default)]
    pub attempt: u32,
}

pub(crate) async fn fire(
    s: &Syncer,
    ctx: &mut HandlerCtx<'_>,
    timer: &Timer,
) -> Result<(), HandlerError> {
    let m: Mailbox = serde_json::from_value(timer.payload.clone())
        .map_err(|e| HandlerError::invalid(format!("{SYNC} timer {}: {e}", timer.id)))?;
    match sync(s, ctx, &timer.org_id, &m.user_id).await {
        Ok(n) => {
            tracing::info!(org = %timer.org_id, user = %m.user_id, messages = n, "mailbox synced");
            Ok(())
        }
        Err(e) => {
            let retry = Mailbox {
                attempt: m.attempt + 1,
                ..m.clone()
            };
            let retry = serde_json::to_value(&retry).unwrap_or_default();
            let detail = json!({ "user_id": m.user_id, "provider": "google" });
            crate::upkeep::failed(
                ctx,
                timer,
                m.attempt,
                e,
                retry,
                "mailbox.sync_failed",
                detail,
            )
            .await
        }
    }
}

/// Fetches and publishes `user`'s new mail inside the timer's transaction; how many.
async fn sync(
    s: &Syncer,
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    user: &str,
) -> Result<usize, SyncError> {
    let row = sqlx::query!(
        "SELECT connection_id, address, history_id FROM mailbox_syncs
         WHERE org_id = $1 AND user_id = $2 FOR UPDATE",
        org.as_str(),
        user,
    )
    .fetch_optional(&mut *ctx.tx)
    .await?
    .ok_or_else(|| SyncError::Stored(format!("{user} has no connected mailbox")))?;
    let access = s.access_token(ctx.tx, row.connection_id).await?;
    let google = s.google();
    let (ids, high) = match row.history_id {
        None => (Vec::new(), Some(google.mailbox_history_id(&access).await?)),
        Some(start) => match added_since(s, &access, start as u64).await {
            Err(SyncError::Google(GoogleError::NotFound(_))) => {
                // Too old a start: the day's inbox instead, from the mailbox's id now.
                let now_id = google.mailbox_history_id(&access).await?;
                (google.recent_inbox(&access).await?, Some(now_id))
            }
            other => other?,
        },
    };
    let mut published = 0;
    for id in ids.iter().take(MAX_MESSAGES) {
        let message = google.message(&access, id).await?;
        let Some(email) = email(&message) else {
            continue;
        };
        let from = from_address(&email);
        let fetched = crate::mail::Fetched {
            provider: "gmail",
            address: &row.address,
            from: &from,
            email,
        };
        published += crate::mail::publish(ctx, org, user, fetched).await? as usize;
    }
    let high = high.map(|h| h.max(row.history_id.unwrap_or(0) as u64) as i64);
    sqlx::query!(
        "UPDATE mailbox_syncs SET history_id = COALESCE($3, history_id), synced_at = $4
         WHERE org_id = $1 AND user_id = $2",
        org.as_str(),
        user,
        high,
        ctx.now(),
    )
    .execute(&mut *ctx.tx)
    .await?;
    Ok(published)
}

/// The inbound messages added since `start`, oldest first, and the historyId reached.
async fn added_since(
    s: &Syncer,
    access: &secrecy::SecretString,
    start: u64,
) -> Result<(Vec<String>, Option<u64>), SyncError> {
    let (mut ids, mut high, mut page) = (Vec::new(), None, None);
    for _ in 0..MAX_PAGES {
        let p = s.google().history(access, start, page.as_deref()).await?;
        for id in p.added {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        high = p.history_id.or(high);
        match p.next_page_token {
            Some(next) => page = Some(next),
            None => return Ok((ids, high)),
        }
    }
    Err(SyncError::Stored(format!(
        "more than {MAX_PAGES} pages of history: not synced"
    )))
}

/// A Gmail message (format `full`) in the data README's email format.
pub fn email(m: &Value) -> Option<Value> {
    let id = m["id"].as_str()?;
    let headers: Vec<(&str, &str)> = m
        .pointer("/payload/headers")?
        .as_array()?
        .iter()
        .filter_map(|h| Some((h["name"].as_str()?, h["value"].as_str()?)))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    let date = header("Date")
        .and_then(|d| DateTime::parse_from_rfc2822(d.trim()).ok())
        .map(|d| d.to_rfc3339())
        .or_else(|| {
            let ms = super::history_id(&m["internalDate"])?;
            Some(DateTime::from_timestamp_millis(ms as i64)?.to_rfc3339())
        });
    let body = text_body(&m["payload"]).unwrap_or_default();
    let kept: Map<String, Value> = KEPT_HEADERS
        .iter()
        .filter_map(|k| Some((k.to_string(), json!(header(k)?))))
        .collect();
    Some(json!({
        "id": id,
        "thread_id": m["threadId"],
        "message_id": header("Message-ID"),
        "in_reply_to": header("In-Reply-To"),
        "from": header("From").map(|f| addresses(f).into_iter().next().unwrap_or_else(|| f.to_string())),
        "to": header("To").map(addresses).unwrap_or_default(),
        "cc": header("Cc").map(addresses).unwrap_or_default(),
        "subject": header("Subject"),
        "date": date,
        "body_text": body,
        "headers": kept,
        "source": "gmail",
    }))
}

/// The addresses of an address-list header, each as `Name <address>` as the data format
/// writes them (groups flattened, quotes dropped).
fn addresses(value: &str) -> Vec<String> {
    let Ok(list) = mailparse::addrparse(value) else {
        return vec![value.trim().to_string()];
    };
    let named = |s: &mailparse::SingleInfo| match &s.display_name {
        Some(name) => format!("{name} <{}>", s.addr),
        None => s.addr.clone(),
    };
    list.iter()
        .flat_map(|a| match a {
            mailparse::MailAddr::Single(s) => vec![named(s)],
            mailparse::MailAddr::Group(g) => g.addrs.iter().map(named).collect(),
        })
        .collect()
}

/// The bare address of an email's `from`.
fn from_address(email: &Value) -> String {
    let from = email["from"].as_str().unwrap_or_default();
    match mailparse::addrparse(from)
        .ok()
        .and_then(|l| l.extract_single_info())
    {
        Some(s) => s.addr,
        None => from.to_string(),
    }
}

/// The first `text/plain` part's text (base64url in Gmail's JSON).
fn text_body(part: &Value) -> Option<String> {
    if part["mimeType"] == "text/plain"
        && let Some(data) = part.pointer("/body/data").and_then(Value::as_str)
    {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(data.trim_end_matches('='))
            .ok()?;
        return Some(String::from_utf8_lossy(&bytes).into_owned());
    }
    part["parts"].as_array()?.iter().find_map(text_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gmail_message_becomes_an_email_in_the_data_format() {
        let text = "Hi Maya,\n\nIs there anything else you can do?\n\nAlicia";
        let m = json!({
            "id": "18d31b8ec2f05a99", "threadId": "18d31b8ec2f05a37", "internalDate": "1796066800000",
            "payload": {
                "mimeType": "multipart/alternative",
                "headers": [
                    { "name": "From", "value": "Alicia Moreno <alicia.moreno@pinecresthome.com>" },
                    { "name": "To", "value": "\"Okafor, Maya\" <maya.okafor@brightlane.io>, ops@brightlane.io" },
                    { "name": "Subject", "value": "Re: Pricing options" },
                    { "name": "Date", "value": "Mon, 30 Nov 2026 11:26:40 -0800" },
                    { "name": "Message-ID", "value": "<CAAmoreno.7710@mail.gmail.com>" },
                    { "name": "Auto-Submitted", "value": "no" },
                ],
                "parts": [
                    { "mimeType": "text/html", "body": { "data": "PGI-aGk8L2I-" } },
                    { "mimeType": "text/plain", "body": { "data": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text) } },
                ],
            },
        });
        let e = email(&m).unwrap();
        assert_eq!(e["body_text"], text);
        assert_eq!(e["date"], "2026-11-30T11:26:40-08:00");
        assert_eq!(e["message_id"], "<CAAmoreno.7710@mail.gmail.com>");
        assert_eq!(e["to"].as_array().unwrap().len(), 2, "{}", e["to"]);
        assert!(
            e["to"][0]
                .as_str()
                .unwrap()
                .contains("maya.okafor@brightlane.io")
        );
        assert_eq!(e["headers"]["Auto-Submitted"], "no");
        assert_eq!(from_address(&e), "alicia.moreno@pinecresthome.com");
    }
}
