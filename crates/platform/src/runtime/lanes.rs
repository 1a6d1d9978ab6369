//! Partitions applied concurrently. A fetcher takes what the consumer delivers; the
//! dispatcher queues it per partition (a lane) and drains up to `concurrency` lanes at once,
//! one batch per lane at a time, so each partition — and with it each key, which always maps
//! to one partition — is applied in order while a slow partition does not hold up the
//! others. What waits while a lane's batch is applied becomes its next batch (batching by
//! load, no timer). Memory is bounded: the dispatcher stops taking deliveries once
//! `concurrency × batch_max × 2` wait, and the fetcher then stops asking the bus.

use std::collections::{HashMap, HashSet, VecDeque};

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Bus, Delivery, Drained, Handler, MAX_BATCH, Member};
use crate::bus::BusConsumer;

/// A lane: one partition of one topic.
type Lane = (String, i32);

/// Deliveries waiting, per lane, and which lanes are being drained.
#[derive(Default)]
struct Lanes {
    waiting: HashMap<Lane, VecDeque<Delivery>>,
    /// Lanes with deliveries waiting and no drain running, in the order they became so.
    queued: VecDeque<Lane>,
    busy: HashSet<Lane>,
    /// Deliveries waiting in all lanes.
    held: usize,
}

impl Lanes {
    fn push(&mut self, d: Delivery) {
        let lane = (d.topic.clone(), d.partition);
        let waiting = self.waiting.entry(lane.clone()).or_default();
        if waiting.is_empty() && !self.busy.contains(&lane) {
            self.queued.push_back(lane);
        }
        waiting.push_back(d);
        self.held += 1;
    }

    /// The next lane to drain and up to `max` of its deliveries; the lane is busy until
    /// [`Lanes::finished`].
    fn take(&mut self, max: usize) -> Option<(Lane, VecDeque<Delivery>)> {
        let lane = self.queued.pop_front()?;
        let waiting = self.waiting.get_mut(&lane)?;
        let batch: VecDeque<Delivery> = waiting.drain(..waiting.len().min(max)).collect();
        self.held -= batch.len();
        self.busy.insert(lane.clone());
        Some((lane, batch))
    }

    /// A lane's drain ended: it queues again when more waits. After it was superseded what
    /// waits is stale (the consumer refetches from the group's stored offsets): dropped.
    fn finished(&mut self, lane: Lane, drained: &Drained) {
        self.busy.remove(&lane);
        let Some(waiting) = self.waiting.get_mut(&lane) else {
            return;
        };
        if *drained == Drained::Superseded {
            self.held -= waiting.len();
            waiting.clear();
        }
        if waiting.is_empty() {
            self.waiting.remove(&lane);
        } else {
            self.queued.push_back(lane);
        }
    }
}

/// Fetches and applies until shutdown or a fatal error; then lets the drains in flight
/// finish. What was fetched and not applied is not acknowledged: it is delivered again.
pub(super) async fn run<B: Bus, H: Handler>(
    m: &Member<'_, B, H>,
    consumer: &mut B::Consumer,
) -> anyhow::Result<()> {
    let batch_max = m.spec.batch_max.clamp(1, MAX_BATCH);
    let (deliveries, mut received) = mpsc::channel(batch_max);
    let stop = m.shutdown.child_token();
    let dispatcher = async {
        let result = dispatch(m, &mut received, batch_max).await;
        stop.cancel();
        result
    };
    let ((), result) = tokio::join!(
        fetch(consumer, deliveries, &stop, &m.spec.group),
        dispatcher
    );
    result
}

/// Hands what the consumer delivers to the dispatcher until `stop`. When the dispatcher has
/// stayed full for [`PAUSE_AFTER`] the consumer is paused, and polled on where its bus needs
/// that to keep the group membership (Kafka: otherwise a consumer held up longer than
/// `max.poll.interval.ms`, say by a dependency being retried, is expelled and its group
/// rebalances); what it delivers before the pause takes hold, or from partitions assigned
/// since (paused in turn), waits here in order. It resumes once all of it is handed over.
async fn fetch<C: BusConsumer>(
    consumer: &mut C,
    deliveries: mpsc::Sender<Delivery>,
    stop: &CancellationToken,
    group: &str,
) {
    let mut waiting = VecDeque::new();
    // Some(poll on) while paused.
    let mut paused: Option<bool> = None;
    loop {
        if waiting.is_empty() {
            if paused.take().is_some() && !resume(consumer, stop, group).await {
                return;
            }
            match next(consumer, stop, group).await {
                Some(d) => waiting.push_back(d),
                None => return,
            }
        }
        let Some(d) = waiting.pop_front() else {
            continue;
        };
        match deliveries.try_send(d) {
            Ok(()) => continue,
            Err(mpsc::error::TrySendError::Closed(_)) => return,
            Err(mpsc::error::TrySendError::Full(d)) => waiting.push_front(d),
        }
        // Room usually opens within a batch; only a consumer kept waiting is paused (a
        // Kafka pause drops what librdkafka prefetched).
        let poll_on = paused.unwrap_or(false);
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            permit = deliveries.reserve() => match (permit, waiting.pop_front()) {
                (Ok(permit), Some(d)) => permit.send(d),
                _ => return,
            },
            _ = tokio::time::sleep(PAUSE_AFTER), if paused.is_none() => {
                paused = Some(paused_now(consumer, group));
            }
            d = next(consumer, stop, group), if poll_on => match d {
                Some(d) => {
                    waiting.push_back(d);
                    paused = Some(paused_now(consumer, group));
                }
                None => return,
            },
        }
    }
}

/// How long the fetcher waits for room before it pauses the consumer.
const PAUSE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// How long the fetcher waits before it retries a failed receive or resume.
const RETRY: std::time::Duration = std::time::Duration::from_millis(500);

/// The consumer's next delivery, retrying a failed receive after [`RETRY`]; `None` on `stop`.
async fn next<C: BusConsumer>(
    consumer: &mut C,
    stop: &CancellationToken,
    group: &str,
) -> Option<Delivery> {
    loop {
        let next = tokio::select! {
            biased;
            _ = stop.cancelled() => return None,
            d = consumer.next() => d,
        };
        match next {
            Ok(d) => return Some(d),
            Err(e) => {
                metrics::counter!("baton_consumer_receive_errors_total", "group" => group.to_string())
                    .increment(1);
                tracing::warn!(group = %group, error = %e, "receive failed; retrying");
                tokio::select! {
                    _ = stop.cancelled() => return None,
                    _ = tokio::time::sleep(RETRY) => {}
                }
            }
        }
    }
}

/// Pauses the consumer; whether it must be polled on. A pause that failed is not polled
/// through (nothing would stop the fetches): the consumer waits as an unpaused one would.
fn paused_now<C: BusConsumer>(consumer: &mut C, group: &str) -> bool {
    consumer.pause().unwrap_or_else(|e| {
        tracing::warn!(group = %group, error = %e, "pausing the consumer failed");
        false
    })
}

/// Resumes the consumer, retrying after [`RETRY`] while that fails; false on `stop`.
async fn resume<C: BusConsumer>(consumer: &mut C, stop: &CancellationToken, group: &str) -> bool {
    while let Err(e) = consumer.resume() {
        tracing::warn!(group = %group, error = %e, "resuming the consumer failed; retrying");
        tokio::select! {
            _ = stop.cancelled() => return false,
            _ = tokio::time::sleep(RETRY) => {}
        }
    }
    true
}

/// Queues deliveries per lane and drains up to `spec.concurrency` lanes at once.
async fn dispatch<B: Bus, H: Handler>(
    m: &Member<'_, B, H>,
    received: &mut mpsc::Receiver<Delivery>,
    batch_max: usize,
) -> anyhow::Result<()> {
    let limit = m.spec.concurrency.max(1);
    let hold_max = limit * batch_max * 2;
    let mut lanes = Lanes::default();
    let mut running = FuturesUnordered::new();
    let mut result = Ok(());
    loop {
        while running.len() < limit {
            let Some((lane, batch)) = lanes.take(batch_max) else {
                break;
            };
            running.push(async move { (lane, m.drain(batch).await) });
        }
        tokio::select! {
            biased;
            _ = m.shutdown.cancelled() => break,
            Some((lane, drained)) = running.next(), if !running.is_empty() => match drained {
                Ok(drained) => lanes.finished(lane, &drained),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            },
            d = received.recv(), if lanes.held < hold_max => match d {
                Some(d) => {
                    lanes.push(d);
                    while lanes.held < hold_max {
                        match received.try_recv() {
                            Ok(d) => lanes.push(d),
                            Err(_) => break,
                        }
                    }
                }
                None => break,
            },
        }
    }
    while let Some((_, drained)) = running.next().await {
        if let (Err(e), Ok(())) = (drained, &result) {
            result = Err(e);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(partition: i32, offset: i64) -> Delivery {
        Delivery {
            topic: "t".into(),
            partition,
            offset,
            key: None,
            payload: Vec::new(),
            headers: Vec::new(),
            producer: None,
            tenancy: crate::bus::Tenancy::Unknown,
        }
    }

    fn offsets(batch: &VecDeque<Delivery>) -> Vec<i64> {
        batch.iter().map(|d| d.offset).collect()
    }

    /// A consumer that behaves as a Kafka one does under `pause`: it goes on being polled,
    /// delivers `late` more (fetched before the pause took hold), then nothing until resumed.
    #[derive(Default)]
    struct Script {
        stream: VecDeque<Delivery>,
        late: usize,
        paused: bool,
        pauses: usize,
        resumes: usize,
        polled_while_paused: usize,
    }

    #[derive(Clone)]
    struct Scripted(std::sync::Arc<std::sync::Mutex<Script>>);

    #[derive(Clone)]
    struct NoAcks;

    impl crate::bus::Acker for NoAcks {
        async fn ack_in_tx(
            &self,
            _tx: &mut sqlx::PgConnection,
            _run: &[Delivery],
        ) -> crate::Result<()> {
            Ok(())
        }

        fn ack_committed(&self, _d: &Delivery) -> crate::Result<()> {
            Ok(())
        }
    }

    impl BusConsumer for Scripted {
        type Acker = NoAcks;

        async fn next(&mut self) -> crate::Result<Delivery> {
            let d = {
                let mut s = self.0.lock().unwrap();
                if s.paused {
                    s.polled_while_paused += 1;
                    if s.late > 0 {
                        s.late -= 1;
                        s.stream.pop_front()
                    } else {
                        None
                    }
                } else {
                    s.stream.pop_front()
                }
            };
            match d {
                Some(d) => Ok(d),
                None => std::future::pending().await,
            }
        }

        fn acker(&self) -> NoAcks {
            NoAcks
        }

        fn pause(&mut self) -> crate::Result<bool> {
            let mut s = self.0.lock().unwrap();
            s.paused = true;
            s.pauses += 1;
            Ok(true)
        }

        fn resume(&mut self) -> crate::Result<()> {
            let mut s = self.0.lock().unwrap();
            s.paused = false;
            s.resumes += 1;
            Ok(())
        }

        async fn close(self) -> crate::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_full_dispatcher_pauses_the_consumer_which_is_polled_on_and_resumed_in_order() {
        let script = Scripted(Default::default());
        {
            let mut s = script.0.lock().unwrap();
            s.stream = (0..6).map(|o| delivery(0, o)).collect();
            s.late = 1;
        }
        let (tx, mut rx) = mpsc::channel(1);
        let stop = CancellationToken::new();
        let fetcher = {
            let (mut consumer, stop) = (script.clone(), stop.clone());
            tokio::spawn(async move { fetch(&mut consumer, tx, &stop, "g").await })
        };
        // Nothing is taken: one delivery fills the channel, the next finds it full.
        let polled = async {
            while script.0.lock().unwrap().polled_while_paused < 2 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), polled)
            .await
            .expect("polled on while paused");
        assert_eq!(script.0.lock().unwrap().resumes, 0, "still full");

        let mut offsets = Vec::new();
        for _ in 0..6 {
            let d = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
                .await
                .expect("delivered after resuming")
                .unwrap();
            offsets.push(d.offset);
        }
        assert_eq!(offsets, (0..6).collect::<Vec<_>>(), "every one, in order");
        stop.cancel();
        fetcher.await.unwrap();
        let s = script.0.lock().unwrap();
        assert!(
            s.pauses >= 1 && s.resumes >= 1 && !s.paused,
            "paused {} resumed {}",
            s.pauses,
            s.resumes
        );
    }

    #[test]
    fn a_busy_lane_is_not_taken_again_until_it_finished() {
        let mut lanes = Lanes::default();
        for (p, o) in [(0, 0), (1, 10), (0, 1)] {
            lanes.push(delivery(p, o));
        }
        let (first, batch) = lanes.take(8).unwrap();
        assert_eq!((first.1, offsets(&batch)), (0, vec![0, 1]));
        lanes.push(delivery(0, 2));
        let (second, batch) = lanes.take(8).unwrap();
        assert_eq!((second.1, offsets(&batch)), (1, vec![10]));
        assert!(
            lanes.take(8).is_none(),
            "partition 0 is busy; 1 has nothing"
        );
        lanes.finished(first, &Drained::Done);
        let (again, batch) = lanes.take(8).unwrap();
        assert_eq!((again.1, offsets(&batch)), (0, vec![2]));
        assert_eq!(lanes.held, 0);
    }

    #[test]
    fn a_batch_is_at_most_max_and_the_rest_waits_its_turn() {
        let mut lanes = Lanes::default();
        (0..5).for_each(|o| lanes.push(delivery(3, o)));
        let (lane, batch) = lanes.take(2).unwrap();
        assert_eq!(offsets(&batch), vec![0, 1]);
        assert_eq!(lanes.held, 3);
        lanes.finished(lane, &Drained::Done);
        let (lane, batch) = lanes.take(2).unwrap();
        assert_eq!(offsets(&batch), vec![2, 3]);
        lanes.finished(lane, &Drained::Superseded);
        assert!(lanes.take(2).is_none(), "a superseded lane's rest is stale");
        assert_eq!(lanes.held, 0);
    }
}
