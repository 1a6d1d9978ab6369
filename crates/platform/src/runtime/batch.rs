//! Batches: the messages a consumer already holds (up to `batch_max`), applied in one
//! transaction — each starting scoped to no org (the inbox claim, every message's first
//! statement, clears the tenant setting: migration 0029) — acknowledged once for the run
//! (embedded: one compare-and-set of the group offset), committed once, offsets stored
//! after the commit. There is no savepoint per message: when a message fails, the whole
//! batch rolls back, the messages before it are applied again as a batch of their own, and
//! it goes through the one-message path (its retries, its dead letter) before the rest
//! continue in order. Failures are rare and a savepoint per message cost every message a
//! round trip and a subtransaction (PM5 a: +9.5 % runs/s without them).

use crate::bus::{Acker, Envelope, org_runs};

use super::{Bus, Delivery, Handler, HandlerError, InTx, Member, Outcome, ack_in, apply_in};

/// The most messages one transaction applies: a bound on what one failing message rolls
/// back and has applied again.
pub const MAX_BATCH: usize = 63;

/// Why a batch did not commit.
pub(super) enum Halt {
    /// Its message `at` failed (this is how): nothing committed.
    Failed { at: usize, error: HandlerError },
    /// Another member of the group consumed it first: it and the rest are dropped (the
    /// consumer refetches from the group's stored offsets).
    Superseded,
}

/// What became of each message of a batch that committed, or why it did not.
pub(super) type Done = Result<Vec<Outcome>, Halt>;

/// Applies `batch` in one transaction: all of it commits, or nothing (an error, or a halt).
pub(super) async fn apply<B: Bus, H: Handler>(
    m: &Member<'_, B, H>,
    batch: &[Delivery],
) -> Result<Done, HandlerError> {
    let mut tx = m.pool.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    // What the applied messages produced, staged together at the end: staging takes the
    // partitions' locks, which a batch must not hold while it applies the rest.
    let mut produced = Vec::new();
    for (at, d) in batch.iter().enumerate() {
        let halt = match apply_in::<B, H>(&mut tx, None, m.producer, m.spec, m.handler, d).await? {
            Ok((InTx::Applied, out)) => {
                outcomes.push(Outcome::Applied);
                produced.extend(out);
                None
            }
            Ok((InTx::Duplicate, _)) => {
                outcomes.push(Outcome::Duplicate);
                None
            }
            Ok((InTx::Superseded, _)) => Some(Halt::Superseded),
            Err(error) => Some(Halt::Failed { at, error }),
        };
        if let Some(halt) = halt {
            tx.rollback().await?;
            return Ok(Err(halt));
        }
        if at + 1 == batch.len() / 2 {
            fail::fail_point!("consumer_mid_batch");
        }
    }
    if !ack_in(m.acker, &mut tx, batch).await? {
        // Another member consumed the run first: nothing of it commits.
        tx.rollback().await?;
        return Ok(Err(Halt::Superseded));
    }
    stage(m.bus, &mut tx, produced).await?;
    tx.commit().await?;
    fail::fail_point!("consumer_after_commit");
    for d in batch {
        m.acker.ack_committed(d)?;
    }
    Ok(Ok(outcomes))
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
