//! Receipts: one row per accepted delivery, keyed by the provider's dedupe key, written in
//! the transaction that applies the delivery, which commits before the provider is answered.
//! A redelivery finds the row and changes nothing.

use baton_schemas::{Message, OrgId};
use serde_json::Value;
use sqlx::{PgConnection, Postgres, Transaction};

use crate::{Answer, Ingress, batch::Delivery, meetingbaas::Transcript};

/// What an accepted delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An event or a decision was published.
    Published,
    /// Kept for the record (a bot's status change), nothing to run.
    Recorded,
    /// Authentic but not acted on, with the reason in the detail.
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Published => "published",
            Outcome::Recorded => "recorded",
            Outcome::Skipped => "skipped",
        }
    }
}

/// A delivery to record.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub provider: &'static str,
    pub dedupe_key: String,
    /// The org it is for, when it names one Baton knows.
    pub org: Option<OrgId>,
    pub kind: String,
    pub outcome: Outcome,
    /// Ids and reasons, never message text.
    pub detail: Value,
}

/// The id of what a delivery publishes: derived from its dedupe key, so two replicas
/// receiving one delivery publish the same message.
pub fn event_id(provider: &str, dedupe_key: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("{provider}:{dedupe_key}").as_bytes(),
    )
}

/// Begins the delivery's transaction, scoped to its org, with its receipt written; the
/// answer instead when the delivery was received before (nothing happens twice) or the
/// database cannot take it.
pub(crate) async fn begin(
    ing: &Ingress,
    receipt: &Receipt,
) -> Result<Transaction<'static, Postgres>, Answer> {
    let mut tx = ing.svc().pool.begin().await?;
    if insert(&mut tx, receipt).await? {
        Ok(tx)
    } else {
        Err(Answer::Duplicate)
    }
}

/// Writes `receipt` in `conn`'s transaction, scoped to its org; false when the delivery was
/// received before.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    receipt: &Receipt,
) -> Result<bool, baton_platform::Error> {
    baton_platform::store::set_scope(conn, receipt.org.as_ref().map(OrgId::as_str)).await?;
    // Rows affected, not RETURNING, and no conflict target: either makes PostgreSQL check the
    // new row against the read policy, which a receipt for no org never passes.
    let inserted = sqlx::query!(
        "INSERT INTO webhook_receipts (provider, dedupe_key, org_id, kind, outcome, detail)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING",
        receipt.provider,
        &receipt.dedupe_key,
        receipt.org.as_ref().map(OrgId::as_str),
        &receipt.kind,
        receipt.outcome.as_str(),
        &receipt.detail,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Writes `receipts`, all for `org`, in one statement in `conn`'s transaction, scoped to
/// `org`; for each, whether it is new — a redelivery is not, nor is a second copy of one
/// delivery in the same batch.
pub(crate) async fn insert_all(
    conn: &mut PgConnection,
    org: &OrgId,
    receipts: &[&Receipt],
) -> Result<Vec<bool>, baton_platform::Error> {
    baton_platform::store::set_scope(conn, Some(org.as_str())).await?;
    let providers: Vec<&str> = receipts.iter().map(|r| r.provider).collect();
    let keys: Vec<&str> = receipts.iter().map(|r| r.dedupe_key.as_str()).collect();
    let kinds: Vec<&str> = receipts.iter().map(|r| r.kind.as_str()).collect();
    let outcomes: Vec<&str> = receipts.iter().map(|r| r.outcome.as_str()).collect();
    let details: Vec<Value> = receipts.iter().map(|r| r.detail.clone()).collect();
    // RETURNING is read back under the read policy, which the org's own rows pass.
    let inserted = sqlx::query!(
        r#"INSERT INTO webhook_receipts (provider, dedupe_key, org_id, kind, outcome, detail)
           SELECT p, k, $6, kd, o, d
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                AS x(p, k, kd, o, d)
           ON CONFLICT DO NOTHING
           RETURNING provider AS "provider!", dedupe_key AS "dedupe_key!""#,
        &providers as _,
        &keys as _,
        &kinds as _,
        &outcomes as _,
        &details,
        org.as_str(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut new: std::collections::HashSet<(String, String)> = inserted
        .into_iter()
        .map(|r| (r.provider, r.dedupe_key))
        .collect();
    Ok(receipts
        .iter()
        .map(|r| new.remove(&(r.provider.to_string(), r.dedupe_key.clone())))
        .collect())
}

/// Commits the delivery's transaction: accepted, or the database's refusal (a 503).
pub(crate) async fn commit(tx: Transaction<'static, Postgres>, receipt: &Receipt) -> Answer {
    match tx.commit().await {
        Ok(()) => Answer::Accepted(receipt.outcome),
        Err(e) => e.into(),
    }
}

/// Records a delivery that publishes nothing (group-committed with others, see
/// [`crate::batch`]).
pub(crate) async fn record(ing: &Ingress, receipt: &Receipt) -> Answer {
    ing.batcher()
        .submit(Delivery {
            receipt: receipt.clone(),
            staged: Vec::new(),
            transcript: None,
        })
        .await
}

/// Records a delivery and stages what it publishes, in one transaction (group-committed
/// with others, see [`crate::batch`]).
pub(crate) async fn publish<M: Message>(ing: &Ingress, receipt: &Receipt, message: &M) -> Answer {
    publish_storing(ing, receipt, message, None).await
}

/// [`publish`], storing `transcript` in the same transaction.
pub(crate) async fn publish_storing<M: Message>(
    ing: &Ingress,
    receipt: &Receipt,
    message: &M,
    transcript: Option<Transcript>,
) -> Answer {
    let envelope = match ing.svc().producer.envelope(message) {
        Ok(e) => e,
        Err(e) => return e.into(),
    };
    ing.batcher()
        .submit(Delivery {
            receipt: receipt.clone(),
            staged: vec![envelope],
            transcript,
        })
        .await
}

/// Records a delivery with the fetch it asks for — a timer of `kind` keyed `key`, due now —
/// in one transaction (the providers whose pushes carry only ids).
pub(crate) async fn record_with_fetch(
    ing: &Ingress,
    receipt: &Receipt,
    kind: &str,
    key: &str,
    payload: &Value,
) -> Answer {
    let Some(org) = receipt.org.as_ref() else {
        return record(ing, receipt).await;
    };
    let mut tx = match begin(ing, receipt).await {
        Ok(tx) => tx,
        Err(answer) => return answer,
    };
    let now = ing.svc().now();
    if let Err(e) = baton_platform::timers::schedule(&mut tx, org, kind, key, now, payload).await {
        return e.into();
    }
    commit(tx, receipt).await
}
