//! Dead letters for operators (`baton deadletters list|show|replay`): read from the
//! dead-letter topic — the embedded log through `baton_bus_fetch`, Kafka with a throwaway
//! group that commits nothing — and replayed by releasing the consuming group's inbox claim
//! and republishing the original bytes, key and headers in one transaction (otherwise the
//! copy would be dropped as a duplicate), audited `deadletter.replayed` in the message's org.
//! A dead letter is replayed at most once.

use std::time::Duration;

use baton_schemas::{
    ApprovalDecision, ApprovalRequest, AuditRecord, ContextRequest, DeadLetter, Message,
    Notification, OrchestratorEvent, OrgId, StepRequest, StepResult, Topic,
};
use serde_json::json;

use crate::{
    Error, Result,
    bus::{AnyBus, Bus, BusConsumer, Envelope},
    runtime::HandlerCtx,
    service::Service,
};

/// A dead letter and where it is on the dead-letter topic (its id: `partition:offset`).
#[derive(Debug, Clone)]
pub struct Lettered {
    pub partition: i32,
    pub offset: i64,
    pub letter: DeadLetter,
}

impl Lettered {
    pub fn id(&self) -> String {
        format!("{}:{}", self.partition, self.offset)
    }
}

/// Every dead letter on the topic, oldest first per partition.
pub async fn list(svc: &Service) -> Result<Vec<Lettered>> {
    let topic = Topic::DeadLetter.name(&svc.topic_prefix);
    let mut out = Vec::new();
    for (partition, offset, payload) in read_topic(svc, &topic).await? {
        let letter = svc
            .wire
            .decode::<DeadLetter>(&payload)
            .await
            .map_err(|e| Error::Config(vec![format!("{topic}[{partition}]@{offset}: {e}")]))?;
        out.push(Lettered {
            partition,
            offset,
            letter,
        });
    }
    out.sort_by_key(|l| (l.letter.failed_at, l.partition, l.offset));
    Ok(out)
}

/// The dead letter `id` (`partition:offset`).
pub async fn find(svc: &Service, id: &str) -> Result<Lettered> {
    list(svc)
        .await?
        .into_iter()
        .find(|l| l.id() == id)
        .ok_or_else(|| {
            Error::Config(vec![format!(
                "no dead letter {id} (ids are partition:offset, as `baton deadletters list` shows)"
            )])
        })
}

/// (partition, offset, payload) of every message on `topic`.
async fn read_topic(svc: &Service, topic: &str) -> Result<Vec<(i32, i64, Vec<u8>)>> {
    match &svc.bus {
        AnyBus::Embedded(_) => {
            let from: Vec<(i32, i64)> = crate::bus::embedded::partition_ends(&svc.pool, topic)
                .await?
                .into_iter()
                .map(|(p, _)| (p, 0))
                .collect();
            let read = crate::bus::embedded::read(&svc.pool, topic, &from, i64::MAX).await?;
            Ok(read
                .into_iter()
                .map(|l| (l.partition, l.offset, l.payload))
                .collect())
        }
        AnyBus::Kafka(_) => {
            let group = format!("baton-ops-read-{}", uuid::Uuid::now_v7());
            let mut c = svc.bus.subscribe(&group, &[topic.to_string()]).await?;
            let mut out = Vec::new();
            // Until the topic has been quiet for a while (nothing is acknowledged: the
            // throwaway group commits nothing).
            let mut quiet = Duration::from_secs(10);
            while let Ok(d) = tokio::time::timeout(quiet, c.next()).await {
                let d = d?;
                out.push((d.partition, d.offset, d.payload));
                quiet = Duration::from_secs(2);
            }
            c.close().await?;
            Ok(out)
        }
    }
}

/// The org the original message names, read by its topic's schema.
pub async fn org_of(svc: &Service, l: &Lettered) -> Result<OrgId> {
    let prefix = &svc.topic_prefix;
    let topic = Topic::ALL
        .into_iter()
        .find(|t| t.name(prefix) == l.letter.original_topic)
        .ok_or_else(|| {
            Error::Config(vec![format!(
                "{} is not one of Baton's topics under prefix {prefix}",
                l.letter.original_topic
            )])
        })?;
    let bytes = &l.letter.original_value;
    let org = match topic {
        Topic::Events => named::<OrchestratorEvent>(svc, bytes).await,
        Topic::ContextRequests => named::<ContextRequest>(svc, bytes).await,
        Topic::StepRequests => named::<StepRequest>(svc, bytes).await,
        Topic::StepResults => named::<StepResult>(svc, bytes).await,
        Topic::ApprovalRequests => named::<ApprovalRequest>(svc, bytes).await,
        Topic::ApprovalDecisions => named::<ApprovalDecision>(svc, bytes).await,
        Topic::Notifications => named::<Notification>(svc, bytes).await,
        Topic::Audit => named::<AuditRecord>(svc, bytes).await,
        Topic::DeadLetter => None,
    };
    let why = "its original bytes do not decode to a message naming a known org: it cannot be replayed as it is";
    org.and_then(|o| o.parse().ok())
        .ok_or_else(|| Error::Config(vec![format!("dead letter {}: {why}", l.id())]))
}

async fn named<M: Message>(svc: &Service, bytes: &[u8]) -> Option<String> {
    let m: M = svc.wire.decode(bytes).await.ok()?;
    m.org_id().map(str::to_string)
}

/// What a replay did.
#[derive(Debug)]
pub struct Replayed {
    pub org: OrgId,
    /// Whether the group had claimed the message (false: it never applied it).
    pub released_claim: bool,
}

/// Republishes dead letter `l` for its consuming group, as `operator`.
pub async fn replay(svc: &Service, l: &Lettered, operator: &str) -> Result<Replayed> {
    let org = org_of(svc, l).await?;
    let mut tx = crate::store::begin_for_org(&svc.pool, &org).await?;
    let replayed_before = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'deadletter.replayed'
                   AND detail->>'deadletter' = $1) AS "replayed!""#,
        l.id()
    )
    .fetch_one(&mut *tx)
    .await?;
    if replayed_before {
        return Err(Error::Config(vec![format!(
            "dead letter {} was replayed already (audit_log: deadletter.replayed)",
            l.id()
        )]));
    }
    let headers: Vec<(String, String)> = l
        .letter
        .original_headers
        .iter()
        .map(|h| {
            (
                h.name.clone(),
                String::from_utf8_lossy(&h.value).into_owned(),
            )
        })
        .collect();
    let message_id = baton_schemas::cloudevents::header(&headers, "ce_id")
        .map(str::to_string)
        .unwrap_or_else(|| {
            let d = &l.letter;
            format!(
                "{}/{}/{}",
                d.original_topic, d.original_partition, d.original_offset
            )
        });
    let released_claim = sqlx::query_scalar!(
        r#"SELECT baton_inbox_release($1, $2) AS "released!""#,
        &l.letter.consumer_group,
        &message_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let original = Envelope {
        topic: l.letter.original_topic.clone(),
        key: l.letter.original_key.clone(),
        payload: l.letter.original_value.clone(),
        headers,
        org: Some(org.to_string()),
    };
    let mut ctx = HandlerCtx::in_org(&mut tx, &svc.producer, org.clone());
    let detail = json!({
        "deadletter": l.id(),
        "topic": l.letter.original_topic,
        "partition": l.letter.original_partition,
        "offset": l.letter.original_offset,
        "consumer_group": l.letter.consumer_group,
        "error_class": l.letter.error_class,
        "released_claim": released_claim,
    });
    let who = crate::jobs::Actor {
        service: "cli",
        actor: operator,
        org_id: &org,
        job_id: None,
    };
    crate::jobs::audit(&mut ctx, who, "deadletter.replayed", detail)
        .await
        .map_err(|e| Error::Config(vec![format!("recording the replay: {e}")]))?;
    let mut out = ctx.into_messages();
    out.push(original);
    svc.bus.stage(&mut tx, &out).await?;
    tx.commit().await?;
    Ok(Replayed {
        org,
        released_claim,
    })
}
