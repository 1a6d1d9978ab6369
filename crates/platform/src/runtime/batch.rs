//! Batches: the messages a consumer already holds (up to `batch_max`), applied in one
//! transaction — each under its own savepoint, with the tenant setting cleared before it —
//! acknowledged once for the run that applied (embedded: one compare-and-set of the group
//! offset), committed once, offsets stored after the commit. A message whose handling fails is rolled
//! back to its savepoint; what applied before it commits, and it goes through the
//! one-message path (its retries, its dead letter) before the rest continue in order.

use sqlx::AssertSqlSafe;

use crate::bus::{Acker, Envelope, org_runs};

use super::{Bus, Delivery, Handler, HandlerError, InTx, Member, Outcome, ack_run_in, apply_in};

/// The most messages one transaction applies: fewer than the 64 subtransactions PostgreSQL
/// caches per transaction (`PGPROC_MAX_CACHED_SUBXIDS`), past which every snapshot of every
/// session has to look subtransactions up in `pg_subtrans`.
pub const MAX_BATCH: usize = 63;

/// Why a batch stopped before its end.
pub(super) enum Halt {
    /// The message at the end of the applied prefix failed (this is how): it is processed
    /// alone next.
    Failed(HandlerError),
    /// Another member of the group consumed it first: it and the rest are dropped (the
    /// consumer refetches from the group's stored offsets).
    Superseded,
}

/// The prefix of the batch that committed, and why it stopped short, if it did.
pub(super) struct Done {
    pub outcomes: Vec<Outcome>,
    pub halt: Option<Halt>,
}

/// Applies `batch` in one transaction. An error means nothing of it committed.
pub(super) async fn apply<B: Bus, H: Handler>(
    m: &Member<'_, B, H>,
    batch: &[Delivery],
) -> Result<Done, HandlerError> {
    let mut tx = m.pool.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    // What the applied messages produced, staged together at the end: staging takes the
    // partitions' locks, which a batch must not hold while it applies the rest.
    let mut produced = Vec::new();
    let mut halt = None;
    for (i, d) in batch.iter().enumerate() {
        // A released (or simply left) savepoint keeps the tenant the message before set:
        // every message starts scoped to no org, as in a transaction of its own.
        sqlx::raw_sql(AssertSqlSafe(format!(
            "SAVEPOINT m{i}; SELECT set_config('app.org_id', '', true)"
        )))
        .execute(&mut *tx)
        .await?;
        let applied = apply_in::<B, H>(&mut tx, None, m.producer, m.spec, m.handler, d).await?;
        match applied {
            Ok((InTx::Applied, out)) => {
                outcomes.push(Outcome::Applied);
                produced.extend(out);
            }
            Ok((InTx::Duplicate, _)) => outcomes.push(Outcome::Duplicate),
            Ok((InTx::Superseded, _)) => halt = Some(Halt::Superseded),
            Err(e) => halt = Some(Halt::Failed(e)),
        }
        if halt.is_some() {
            sqlx::raw_sql(AssertSqlSafe(format!("ROLLBACK TO SAVEPOINT m{i}")))
                .execute(&mut *tx)
                .await?;
            break;
        }
        if i + 1 == batch.len() / 2 {
            fail::fail_point!("consumer_mid_batch");
        }
    }
    if outcomes.is_empty() {
        tx.rollback().await?;
        return Ok(Done { outcomes, halt });
    }
    if !ack_run_in(m.acker, &mut tx, &batch[..outcomes.len()]).await? {
        // Another member consumed the run first: nothing of it commits.
        tx.rollback().await?;
        return Ok(Done {
            outcomes: Vec::new(),
            halt: Some(Halt::Superseded),
        });
    }
    stage(m.bus, &mut tx, produced).await?;
    tx.commit().await?;
    fail::fail_point!("consumer_after_commit");
    for d in &batch[..outcomes.len()] {
        m.acker.ack_committed(d)?;
    }
    Ok(Done { outcomes, halt })
}

/// Stages what a batch produced: the locks staging takes, all at once in one order; then
/// each org's messages in the scope of that org (the log's rows are tenant rows).
async fn stage<B: Bus>(
    bus: &B,
    tx: &mut sqlx::PgConnection,
    produced: Vec<Envelope>,
) -> Result<(), HandlerError> {
    if produced.is_empty() {
        return Ok(());
    }
    bus.reserve(tx, &produced).await?;
    // One run per org: every key belongs to one org, so a stable sort keeps per-key order.
    let mut produced = produced;
    produced.sort_by(|a, b| a.org.cmp(&b.org));
    for (org, run) in org_runs(produced) {
        crate::store::set_scope(tx, org.as_deref()).await?;
        bus.stage(tx, &run).await?;
    }
    Ok(())
}
