//! The meetings transcript skills read, cached per org and meeting with the row's version.
//! Each step still asks PostgreSQL — under the job's org, so row-level security decides what
//! it may see — but for the row's version only; the meeting (its transcript rebuilt as JSON)
//! comes back only when that version is not the one cached. A meeting_ended job's transcript
//! steps read the transcript once, not once each.

use std::sync::{Arc, Mutex};

use baton_schemas::OrgId;
use hashlink::LruCache;
use serde_json::Value;
use sqlx::PgConnection;

/// Meetings kept: enough for the jobs in flight on one executor.
const CAPACITY: usize = 64;

/// A meeting as last read, and the row version it was read at.
struct Cached {
    version: String,
    meeting: Arc<Value>,
}

pub(crate) struct Meetings {
    cache: Mutex<LruCache<(OrgId, String), Cached>>,
}

impl Default for Meetings {
    fn default() -> Self {
        Meetings {
            cache: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl Meetings {
    /// Meeting `id` of `org` in the recorder's format (what `seed::meeting` stores, segments
    /// and all); None when the org has no such meeting. `tx` is scoped to `org`.
    pub(crate) async fn load(
        &self,
        tx: &mut PgConnection,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<Arc<Value>>, sqlx::Error> {
        let key = (org.clone(), id.to_string());
        let mut known = self.lock().get(&key).map(|c| c.version.clone());
        loop {
            let Some((version, meeting)) = read(tx, id, known.as_deref()).await? else {
                return Ok(None);
            };
            let mut cache = self.lock();
            if let Some(meeting) = meeting {
                let meeting = Arc::new(meeting);
                let cached = Cached {
                    version,
                    meeting: meeting.clone(),
                };
                cache.insert(key, cached);
                metrics::counter!("baton_meeting_reads_total", "cache" => "miss").increment(1);
                return Ok(Some(meeting));
            }
            match cache.get(&key) {
                Some(c) if c.version == version => {
                    metrics::counter!("baton_meeting_reads_total", "cache" => "hit").increment(1);
                    return Ok(Some(c.meeting.clone()));
                }
                // Evicted or replaced since the look (another step's read): read it in full.
                _ => known = None,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<(OrgId, String), Cached>> {
        // A panic while holding it leaves nothing half-written: the cache is only a copy.
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Meeting `id`'s row version and, unless `known` is that version, the meeting.
async fn read(
    tx: &mut PgConnection,
    id: &str,
    known: Option<&str>,
) -> Result<Option<(String, Option<Value>)>, sqlx::Error> {
    // The row version: the transaction that wrote it and the tuple's place, which every
    // update of the row changes.
    let row = sqlx::query!(
        r#"SELECT xmin::text || ':' || ctid::text AS "version!",
                  CASE WHEN xmin::text || ':' || ctid::text = $2 THEN NULL ELSE jsonb_build_object(
                    'id', id, 'org_id', org_id, 'title', COALESCE(title, ''), 'kind', kind,
                    'status', status, 'start', starts_at, 'end', ends_at, 'timezone', timezone,
                    'organizer_user_id', organizer_user_id, 'company_id', company_id,
                    'contact_id', contact_id, 'deal_id', deal_id, 'attendees', attendees,
                    'segments', COALESCE(transcript -> 'segments', '[]'::jsonb)) END AS meeting
           FROM meetings WHERE id = $1"#,
        id,
        known.unwrap_or(""),
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.version, r.meeting)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use baton_platform::{seed, store};
    use serde_json::json;

    use super::*;

    async fn load(meetings: &Meetings, pool: &sqlx::PgPool, org: &str) -> Option<Arc<Value>> {
        let org: OrgId = org.parse().unwrap();
        let mut tx = store::begin_for_org(pool, &org).await.unwrap();
        meetings.load(&mut tx, &org, "m-1").await.unwrap()
    }

    fn meeting(said: &str) -> Value {
        json!({ "id": "m-1", "org_id": "org_m", "title": "Kickoff",
                "segments": [{ "speaker": "Ana", "start": 0.0, "end": 1.0, "text": said }] })
    }

    #[tokio::test]
    async fn a_meeting_is_read_again_only_when_its_row_changed_and_only_in_its_org() {
        let db = baton_testkit::TestDb::new().await;
        let owner = db.owner_pool().await;
        for org in ["org_m", "org_n"] {
            seed::org(&owner, &json!({ "id": org, "name": org }))
                .await
                .unwrap();
        }
        seed::meeting(&owner, &meeting("first")).await.unwrap();
        let pool = db.service_pool().await;
        let meetings = Meetings::default();

        let first = load(&meetings, &pool, "org_m").await.unwrap();
        assert_eq!(first["segments"][0]["text"], "first");
        let again = load(&meetings, &pool, "org_m").await.unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the cached copy, not a new read"
        );

        seed::meeting(&owner, &meeting("second")).await.unwrap();
        let changed = load(&meetings, &pool, "org_m").await.unwrap();
        assert_eq!(changed["segments"][0]["text"], "second", "the row changed");

        assert!(
            load(&meetings, &pool, "org_n").await.is_none(),
            "another org's job does not see it, cached or not"
        );
    }
}
