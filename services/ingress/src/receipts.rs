//! Receipts: one row per accepted delivery, keyed by the provider's dedupe key, written in
//! the transaction that applies the delivery, which commits before the provider is answered.
//! A redelivery finds the row and changes nothing.

use baton_schemas::OrgId;
use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};

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
#[derive(Debug)]
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

/// Begins the delivery's transaction, scoped to its org, and records its receipt; None when
/// the delivery was received before (the transaction is dropped: nothing happens twice).
pub async fn begin(
    pool: &PgPool,
    receipt: &Receipt,
) -> baton_platform::Result<Option<Transaction<'static, Postgres>>> {
    let mut tx = pool.begin().await?;
    baton_platform::store::set_scope(&mut tx, receipt.org.as_ref().map(OrgId::as_str)).await?;
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
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok((inserted == 1).then_some(tx))
}
