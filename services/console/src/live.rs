//! Live updates: a run's page reloads itself when its run changes, by server-sent events. One
//! watcher per console reads, every [`CADENCE`], the runs that open pages are watching — one
//! query per org, however many pages are open — and tells each page's event stream when its
//! run's row changed. At most [`MAX_STREAMS`] streams are open at once; a page beyond that
//! gets 503 and stays a plain page.

use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Path, Query, State},
    response::sse::{Event, KeepAlive, Sse},
};
use baton_platform::store;
use baton_schemas::OrgId;
use chrono::{DateTime, Utc};
use futures::Stream;
use sqlx::PgPool;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{Console, Failure, runs, session::Viewer};

/// How often the watched runs are read.
pub const CADENCE: Duration = Duration::from_secs(2);
/// Streams open at once, per console.
pub const MAX_STREAMS: usize = 200;

type Key = (OrgId, Uuid);

struct Watch {
    /// The row's `updated_at` as last read.
    seen: Option<DateTime<Utc>>,
    /// Streams watching it.
    streams: usize,
    changed: broadcast::Sender<()>,
}

/// The runs open pages watch.
#[derive(Clone, Default)]
pub struct Live {
    watched: Arc<Mutex<HashMap<Key, Watch>>>,
}

/// A stream's hold on a watched run: dropping it stops watching.
struct Subscription {
    live: Live,
    key: Key,
    changed: broadcast::Receiver<()>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut w = self.live.lock();
        if let Some(watch) = w.get_mut(&self.key) {
            watch.streams -= 1;
            if watch.streams == 0 {
                w.remove(&self.key);
            }
        }
    }
}

impl Live {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Watch>> {
        self.watched.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The watcher: reads the watched runs on `pool` every [`CADENCE`] until `stop`.
    pub async fn run(self, pool: PgPool, stop: CancellationToken) {
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(CADENCE) => {}
            }
            if let Err(e) = self.read(&pool).await {
                tracing::warn!(error = %e, "console: reading the watched runs failed");
            }
        }
    }

    /// Watches `key`, whose row is at version `now` (a change after it wakes the stream).
    fn subscribe(&self, key: Key, now: DateTime<Utc>) -> Result<Subscription, Failure> {
        let mut w = self.lock();
        let open: usize = w.values().map(|watch| watch.streams).sum();
        if open >= MAX_STREAMS {
            return Err(Failure::Busy(format!(
                "{MAX_STREAMS} live pages are open already"
            )));
        }
        let watch = w.entry(key.clone()).or_insert_with(|| Watch {
            seen: Some(now),
            streams: 0,
            changed: broadcast::channel(4).0,
        });
        watch.streams += 1;
        let changed = watch.changed.subscribe();
        Ok(Subscription {
            live: self.clone(),
            key,
            changed,
        })
    }

    /// One read per org of the runs watched in it; a changed row wakes its streams.
    async fn read(&self, pool: &PgPool) -> Result<(), baton_platform::Error> {
        let mut by_org: HashMap<OrgId, Vec<Uuid>> = HashMap::new();
        for (org, job) in self.lock().keys() {
            by_org.entry(org.clone()).or_default().push(*job);
        }
        for (org, jobs) in by_org {
            let mut tx = store::begin_for_org(pool, &org).await?;
            let rows = sqlx::query!(
                "SELECT id, updated_at FROM sequence_jobs WHERE id = ANY($1)",
                &jobs
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut w = self.lock();
            for r in rows {
                if let Some(watch) = w.get_mut(&(org.clone(), r.id)) {
                    let before = watch.seen.replace(r.updated_at);
                    if before.is_some_and(|b| b != r.updated_at) {
                        let _ = watch.changed.send(());
                    }
                }
            }
        }
        Ok(())
    }
}

/// The version of run `job` a page shows (its row's `updated_at`).
pub async fn version(tx: &mut sqlx::PgConnection, job: Uuid) -> Result<DateTime<Utc>, Failure> {
    Ok(
        sqlx::query_scalar!("SELECT updated_at FROM sequence_jobs WHERE id = $1", job)
            .fetch_one(&mut *tx)
            .await?,
    )
}

#[derive(serde::Deserialize)]
pub struct Since {
    /// The version the page shows ([`version`], in microseconds).
    since: Option<i64>,
}

/// `GET /runs/{id}/live?since=<version>`: an event `changed` each time the run changes — at
/// once when it changed since the page's version.
pub async fn stream(
    State(c): State<Console>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<Since>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Failure> {
    let mut tx = store::begin_for_org(&c.svc().pool, &viewer.org).await?;
    let job = runs::visible_job(&mut tx, &viewer, &id).await?;
    let now = version(&mut tx, job.id.uuid()).await?;
    tx.commit().await?;
    let sub = c
        .live()
        .subscribe((viewer.org.clone(), job.id.uuid()), now)?;
    let stale = q.since.is_some_and(|s| s != now.timestamp_micros());
    let events = futures::stream::unfold((sub, stale), |(mut sub, stale)| async move {
        if stale {
            let changed = Event::default().event("changed").data("run");
            return Some((Ok(changed), (sub, false)));
        }
        loop {
            match sub.changed.recv().await {
                Ok(()) => {
                    let changed = Event::default().event("changed").data("run");
                    return Some((Ok(changed), (sub, false)));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
