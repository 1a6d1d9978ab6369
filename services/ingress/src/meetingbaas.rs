//! MeetingBaaS bot webhooks, authenticated by the API key header.
//!
//! - `complete`: the transcript is stored on the meeting Baton asked the bot to record (the
//!   ids Baton gave the bot come back in `data.extra`), and `meeting_ended` is published for
//!   the meeting's organiser. Keyed `{bot_id}:complete`.
//! - `bot.status_change`: recorded, nothing runs. Keyed by bot, status code and time.
//! - `failed`: no transcript and no follow-up; the meeting (or the calendar event the bot was
//!   sent to) marked not recorded in the bot's org. Keyed `{bot_id}:failed`.
//! - Anything else: recorded as skipped.
//!
//! A `complete` for an org or meeting Baton does not know is recorded as skipped, never a job.

use std::borrow::Cow;

use axum::http::HeaderMap;
use baton_schemas::{Message, OrchestratorEvent, OrgId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json, value::RawValue};

use crate::{
    Answer, Ingress,
    receipts::{self, Outcome, Receipt},
    verify,
};

const PROVIDER: &str = "meetingbaas";
/// The event it publishes, and its source.
const MEETING_ENDED: &str = "meeting_ended";
const SOURCE: &str = "webhook:meetingbaas";

/// The envelope; `data` is parsed once, into what the event needs (a transcript is the
/// largest body Baton receives: word by word, it is never built as a JSON tree).
#[derive(Deserialize)]
struct Webhook<'a> {
    event: String,
    #[serde(borrow)]
    data: &'a RawValue,
}

#[derive(Deserialize)]
struct Complete<'a> {
    bot_id: String,
    #[serde(borrow)]
    transcript: Vec<Segment<'a>>,
    #[serde(default)]
    extra: Extra,
}

/// What Baton attached to the bot when it asked for it.
#[derive(Deserialize, Default)]
struct Extra {
    baton_org_id: Option<String>,
    baton_meeting_id: Option<String>,
    /// The calendar event the bot was sent to (before any meeting row exists).
    #[serde(default)]
    calendar_event_id: Option<String>,
}

/// A speaker's turn as the bot sends it; words borrowed from the body where they need no
/// unescaping (a transcript is hundreds of words: one allocation each adds up).
#[derive(Deserialize)]
struct Segment<'a> {
    #[serde(borrow)]
    speaker: Cow<'a, str>,
    start_time: f64,
    end_time: f64,
    #[serde(borrow)]
    words: Vec<Word<'a>>,
}

#[derive(Deserialize)]
struct Word<'a> {
    #[serde(borrow)]
    word: Cow<'a, str>,
}

/// A turn in the recorder's format Baton's skills read.
#[derive(Serialize)]
struct StoredSegment<'a> {
    speaker: &'a str,
    role: &'a str,
    start_s: f64,
    end_s: f64,
    text: String,
}

#[derive(Serialize)]
struct StoredTranscript<'a> {
    segments: Vec<StoredSegment<'a>>,
}

/// The meeting a transcript is for, as stored.
struct Meeting {
    id: String,
    organizer: Option<String>,
    deal_id: Option<String>,
    contact_id: Option<String>,
    attendees: Value,
}

pub async fn receive(ing: &Ingress, headers: &HeaderMap, body: &[u8]) -> Answer {
    let given = headers.get(verify::MEETINGBAAS_KEY).map(|v| v.as_bytes());
    if let Err(e) = verify::api_key(given, &ing.config().meetingbaas_api_keys) {
        return e.into();
    }
    let hook: Webhook = match serde_json::from_slice(body) {
        Ok(h) => h,
        Err(e) => return Answer::malformed(format!("not a MeetingBaaS webhook: {e}")),
    };
    if hook.event == "complete" {
        return match serde_json::from_str::<Complete>(hook.data.get()) {
            Ok(c) if c.bot_id.is_empty() => Answer::malformed("data.bot_id is missing"),
            Ok(c) => complete(ing, c).await,
            Err(e) => Answer::malformed(format!("a complete webhook: {e}")),
        };
    }
    let data: Value = match serde_json::from_str(hook.data.get()) {
        Ok(d) => d,
        Err(e) => return Answer::malformed(format!("data: {e}")),
    };
    let bot = data["bot_id"].as_str().unwrap_or_default().to_string();
    if bot.is_empty() {
        return Answer::malformed("data.bot_id is missing");
    }
    match hook.event.as_str() {
        "bot.status_change" => {
            let status = &data["status"];
            let key = format!(
                "{bot}:status:{}:{}",
                status["code"].as_str().unwrap_or("?"),
                status["created_at"].as_str().unwrap_or("?")
            );
            let detail = json!({ "bot_id": bot, "status": status["code"] });
            record(ing, key, &hook.event, Outcome::Recorded, detail).await
        }
        "failed" => failed(ing, &bot, &data).await,
        other => {
            let detail = json!({ "bot_id": bot, "reason": "an event kind Baton does not act on" });
            record(
                ing,
                format!("{bot}:{other}"),
                other,
                Outcome::Skipped,
                detail,
            )
            .await
        }
    }
}

/// A bot that failed (never admitted, kicked out, …): no transcript and no follow-up; the
/// meeting — or, before one exists, the calendar event the bot was sent to — is marked not
/// recorded, with the error code, in the org Baton gave the bot (checked under its
/// row-level security), in the receipt's transaction.
async fn failed(ing: &Ingress, bot: &str, data: &Value) -> Answer {
    let extra: Extra = serde_json::from_value(data["extra"].clone()).unwrap_or_default();
    let error = data["error"].as_str().unwrap_or("unknown").to_string();
    let mut receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: format!("{bot}:failed"),
        org: None,
        kind: "failed".into(),
        outcome: Outcome::Recorded,
        detail: json!({ "bot_id": bot, "error": error }),
    };
    let Some(org) = extra
        .baton_org_id
        .as_deref()
        .and_then(|o| o.parse::<OrgId>().ok())
    else {
        return receipts::record(ing, &receipt).await;
    };
    match lookup(ing, &org, None).await {
        Ok((true, _)) => receipt.org = Some(org.clone()),
        Ok((false, _)) => return receipts::record(ing, &receipt).await,
        Err(a) => return a,
    }
    receipt.detail["meeting_id"] = json!(extra.baton_meeting_id);
    receipt.detail["calendar_event_id"] = json!(extra.calendar_event_id);
    let mut tx = match receipts::begin(ing, &receipt).await {
        Ok(tx) => tx,
        Err(answer) => return answer,
    };
    let marked = match (&extra.baton_meeting_id, &extra.calendar_event_id) {
        (Some(meeting), _) => {
            sqlx::query!(
                "UPDATE meetings SET status = 'not_recorded' WHERE org_id = $1 AND id = $2",
                org.as_str(),
                meeting,
            )
            .execute(&mut *tx)
            .await
        }
        (None, Some(event)) => {
            sqlx::query!(
                "UPDATE calendar_events
                 SET data = data || jsonb_build_object('recording', 'not_recorded', 'recording_error', $3::text)
                 WHERE org_id = $1 AND id = $2",
                org.as_str(),
                event,
                error,
            )
            .execute(&mut *tx)
            .await
        }
        (None, None) => return receipts::commit(tx, &receipt).await,
    };
    if let Err(e) = marked {
        return e.into();
    }
    receipts::commit(tx, &receipt).await
}

/// Records a delivery that publishes nothing.
async fn record(ing: &Ingress, key: String, kind: &str, outcome: Outcome, detail: Value) -> Answer {
    let receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: key,
        org: None,
        kind: kind.to_string(),
        outcome,
        detail,
    };
    receipts::record(ing, &receipt).await
}

/// A finished recording: stored on its meeting, then `meeting_ended`.
async fn complete(ing: &Ingress, c: Complete<'_>) -> Answer {
    let key = complete_key(&c.bot_id);
    let skipped = |org: Option<OrgId>, reason: &str| Receipt {
        provider: PROVIDER,
        dedupe_key: key.clone(),
        org,
        kind: "complete".into(),
        outcome: Outcome::Skipped,
        detail: json!({ "bot_id": c.bot_id, "reason": reason }),
    };
    let org = match c.extra.baton_org_id.as_deref().map(str::parse::<OrgId>) {
        Some(Ok(org)) => org,
        _ => return receipts::record(ing, &skipped(None, "no Baton org in data.extra")).await,
    };
    let (known, meeting) = match lookup(ing, &org, c.extra.baton_meeting_id.as_deref()).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(meeting) = meeting else {
        let skip = skipped(known.then_some(org), "no such meeting in the org");
        return receipts::record(ing, &skip).await;
    };
    let transcript = StoredTranscript {
        segments: segments(&c.transcript, &meeting.attendees),
    };
    let transcript = match serde_json::to_string(&transcript) {
        Ok(t) => t,
        Err(e) => return Answer::malformed(format!("the transcript: {e}")),
    };
    let limit = baton_schemas::limits::current().transcript_bytes;
    if transcript.len() > limit {
        let reason = format!("the transcript is over limits.transcript_bytes ({limit})");
        return receipts::record(ing, &skipped(Some(org), &reason)).await;
    }
    let Some(user) = meeting.organizer.clone() else {
        return receipts::record(ing, &skipped(Some(org), "the meeting has no organiser")).await;
    };
    let event = meeting_ended(&key, &org, &user, &meeting, &c.bot_id, ing.svc().now());
    if let Err(v) = event.validate() {
        return Answer::malformed(format!("the event it would publish: {v}"));
    }
    let receipt = Receipt {
        provider: PROVIDER,
        dedupe_key: key.clone(),
        org: Some(org),
        kind: "complete".into(),
        outcome: Outcome::Published,
        detail: json!({ "bot_id": c.bot_id, "meeting_id": meeting.id, "event_id": event.event_id }),
    };
    let transcript = Transcript {
        meeting_id: meeting.id,
        transcript,
    };
    receipts::publish_storing(ing, &receipt, &event, Some(transcript)).await
}

/// A meeting's transcript, to store in the transaction of the delivery that brought it:
/// serialised once, in the request's task (the writer only binds it).
pub struct Transcript {
    meeting_id: String,
    transcript: String,
}

/// Stores `transcripts` (in the transaction's org scope) in one statement; for a meeting
/// named twice, the later one.
pub(crate) async fn store_transcripts(
    tx: &mut sqlx::PgConnection,
    transcripts: &[&Transcript],
) -> Result<(), sqlx::Error> {
    if transcripts.is_empty() {
        return Ok(());
    }
    let mut last: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for t in transcripts {
        last.insert(&t.meeting_id, &t.transcript);
    }
    let (ids, texts): (Vec<&str>, Vec<&str>) = last.into_iter().unzip();
    sqlx::query!(
        "UPDATE meetings m SET transcript = x.t::jsonb
         FROM unnest($1::text[], $2::text[]) AS x(id, t) WHERE m.id = x.id",
        &ids as _,
        &texts as _,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Whether Baton knows `org`, and its meeting `id` when there is one — read under that org's
/// row-level security, in one call (`baton_meeting_in_org`, migration 0024).
async fn lookup(
    ing: &Ingress,
    org: &OrgId,
    id: Option<&str>,
) -> Result<(bool, Option<Meeting>), Answer> {
    let row = sqlx::query!(
        r#"SELECT known AS "known!", id, organizer_user_id, deal_id, contact_id, attendees
           FROM baton_meeting_in_org($1, $2)"#,
        org.as_str(),
        id,
    )
    .fetch_one(&ing.svc().pool)
    .await?;
    let meeting = row.id.map(|id| Meeting {
        id,
        organizer: row.organizer_user_id,
        deal_id: row.deal_id,
        contact_id: row.contact_id,
        attendees: row.attendees.unwrap_or(Value::Null),
    });
    Ok((row.known, meeting))
}

/// MeetingBaaS segments in the recorder's format Baton's skills read: speaker, role (from
/// the meeting's attendees by name; `unknown` otherwise), start and end in seconds, text.
fn segments<'a>(transcript: &'a [Segment<'a>], attendees: &'a Value) -> Vec<StoredSegment<'a>> {
    let role_of = |speaker: &str| {
        attendees
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["name"].as_str() == Some(speaker))
            .and_then(|a| a["role"].as_str())
            .unwrap_or("unknown")
    };
    transcript
        .iter()
        .map(|s| {
            let text: Vec<&str> = s.words.iter().map(|w| w.word.as_ref()).collect();
            StoredSegment {
                speaker: &s.speaker,
                role: role_of(&s.speaker),
                start_s: s.start_time,
                end_s: s.end_time,
                text: text.join(" "),
            }
        })
        .collect()
}

/// The receipt key of bot `bot`'s `complete`.
fn complete_key(bot: &str) -> String {
    format!("{bot}:complete")
}

/// The id of the `meeting_ended` that bot `bot`'s `complete` publishes (the same from every
/// replica and every redelivery).
pub fn meeting_ended_id(bot: &str) -> uuid::Uuid {
    receipts::event_id(PROVIDER, &complete_key(bot))
}

/// `meeting_ended` for the meeting's organiser; its id and dedupe key derive from the
/// delivery's, so a second ingress replica receiving the same webhook publishes the same event.
fn meeting_ended(
    key: &str,
    org: &OrgId,
    user: &str,
    meeting: &Meeting,
    bot: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> OrchestratorEvent {
    let dedupe = format!("{PROVIDER}:{key}");
    OrchestratorEvent {
        event_id: meeting_ended_id(bot).to_string(),
        event_type: MEETING_ENDED.into(),
        source: SOURCE.into(),
        org_id: org.to_string(),
        user_id: user.to_string(),
        payload: json!({
            "meeting_id": meeting.id,
            "deal_id": meeting.deal_id,
            "contact_id": meeting.contact_id,
            "bot_id": bot,
        }),
        parent_job_id: None,
        occurred_at: now,
        chain_depth: 0,
        dedupe_key: Some(dedupe),
    }
}
