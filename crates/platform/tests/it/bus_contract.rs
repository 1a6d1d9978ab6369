//! The bus contract, written once and run against the embedded log and Kafka (Tansu).

use baton_platform::{
    bus::{Acker, Bus, BusConsumer},
    relay,
};

use crate::support::{Harness, ack, both, envelope, recv, text, topic};

both!(per_key_ordering, per_key_ordering_body);
both!(
    offsets_survive_a_consumer_restart,
    offsets_survive_restart_body
);
both!(unacknowledged_message_is_redelivered, redelivery_body);
both!(headers_round_trip, headers_round_trip_body);
both!(staged_messages_leave_only_on_commit, staging_body);

async fn per_key_ordering_body<B: Bus>(h: &Harness<B>) {
    let t = topic(&h.bus, "order").await;
    let keys = ["org_a:u1", "org_b:u2", "org_c:u3", "org_d:u4"];
    let mut messages = Vec::new();
    for i in 0..40 {
        for k in keys {
            messages.push(envelope(&t, k, &format!("{k}|{i}")));
        }
    }
    h.bus.publish(messages).await.unwrap();
    let mut c = h
        .bus
        .subscribe(&baton_testkit::unique("g"), std::slice::from_ref(&t))
        .await
        .unwrap();
    let mut seen: std::collections::HashMap<String, Vec<u32>> = Default::default();
    for _ in 0..160 {
        let d = recv(&mut c).await;
        let body = text(&d);
        let (key, i) = body.split_once('|').unwrap();
        assert_eq!(d.key.as_deref(), Some(key.as_bytes()));
        seen.entry(key.to_string())
            .or_default()
            .push(i.parse().unwrap());
        ack(&h.pool, &mut c, &d).await;
    }
    for k in keys {
        assert_eq!(seen[k], (0..40).collect::<Vec<_>>(), "order of key {k}");
    }
    c.close().await.unwrap();
}

async fn offsets_survive_restart_body<B: Bus>(h: &Harness<B>) {
    let t = topic(&h.bus, "restart").await;
    let group = baton_testkit::unique("g");
    let messages = (0..10)
        .map(|i| envelope(&t, "one-key", &i.to_string()))
        .collect();
    h.bus.publish(messages).await.unwrap();
    let mut c = h
        .bus
        .subscribe(&group, std::slice::from_ref(&t))
        .await
        .unwrap();
    for i in 0..4 {
        let d = recv(&mut c).await;
        assert_eq!(text(&d), i.to_string());
        ack(&h.pool, &mut c, &d).await;
    }
    c.close().await.unwrap();

    let mut c = h
        .bus
        .subscribe(&group, std::slice::from_ref(&t))
        .await
        .unwrap();
    let d = recv(&mut c).await;
    assert_eq!(
        text(&d),
        "4",
        "a restarted member resumes after the last acknowledged message"
    );
    c.close().await.unwrap();
}

async fn redelivery_body<B: Bus>(h: &Harness<B>) {
    let t = topic(&h.bus, "redeliver").await;
    let group = baton_testkit::unique("g");
    let messages = (0..3).map(|i| envelope(&t, "k", &i.to_string())).collect();
    h.bus.publish(messages).await.unwrap();
    let mut c = h
        .bus
        .subscribe(&group, std::slice::from_ref(&t))
        .await
        .unwrap();
    let first = recv(&mut c).await;
    ack(&h.pool, &mut c, &first).await;
    // Processing of the second crashes before its transaction commits: no ack.
    let second = recv(&mut c).await;
    let mut tx = h.pool.begin().await.unwrap();
    c.acker()
        .ack_in_tx(&mut tx, std::slice::from_ref(&second))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    c.close().await.unwrap();

    let mut c = h
        .bus
        .subscribe(&group, std::slice::from_ref(&t))
        .await
        .unwrap();
    let again = recv(&mut c).await;
    assert_eq!((text(&again), again.offset), (text(&second), second.offset));
    c.close().await.unwrap();
}

async fn headers_round_trip_body<B: Bus>(h: &Harness<B>) {
    let t = topic(&h.bus, "headers").await;
    let mut m = envelope(&t, "org_a:u1", "payload");
    m.headers.extend([
        (
            "ce_type".to_string(),
            "io.baton.v1.OrchestratorEvent".to_string(),
        ),
        (
            "traceparent".to_string(),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".to_string(),
        ),
        ("x-note".to_string(), "naïve ✓".to_string()),
    ]);
    m.payload = vec![0xC3, 0x01, 0, 255, 7];
    h.bus.publish(vec![m.clone()]).await.unwrap();
    let mut c = h
        .bus
        .subscribe(&baton_testkit::unique("g"), &[t])
        .await
        .unwrap();
    let d = recv(&mut c).await;
    assert_eq!(d.headers, m.headers);
    assert_eq!(d.key, m.key);
    assert_eq!(d.payload, m.payload);
    assert_eq!(d.message_id(), m.headers[0].1);
    c.close().await.unwrap();
}

async fn staging_body<B: Bus>(h: &Harness<B>) {
    let t = topic(&h.bus, "stage").await;
    let mut tx = h.pool.begin().await.unwrap();
    h.bus
        .stage(&mut tx, &[envelope(&t, "k", "rolled back")])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut tx = h.pool.begin().await.unwrap();
    h.bus
        .stage(&mut tx, &[envelope(&t, "k", "committed")])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Kafka mode publishes staged rows through the outbox relay; embedded needs none.
    relay::relay_once(&h.pool, &h.bus).await.unwrap();
    let mut c = h
        .bus
        .subscribe(&baton_testkit::unique("g"), &[t])
        .await
        .unwrap();
    let d = recv(&mut c).await;
    assert_eq!(text(&d), "committed");
    c.close().await.unwrap();
}

/// Topics are never auto-created: publishing to one that `baton migrate` did not create is
/// an error naming it, and nothing is appended.
#[tokio::test]
async fn embedded_publish_to_an_uncreated_topic_names_it() {
    let h = crate::support::embedded().await;
    let err = h
        .bus
        .publish(vec![envelope("nope.events", "k", "x")])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nope.events"), "{err}");
    assert!(err.to_string().contains("baton migrate"), "{err}");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM bus_log")
        .fetch_one(&h.db.owner_pool().await)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

/// The embedded log's append under contention: transactions appending at once, each to every
/// partition of a topic, never deadlock, leave no gap and no repeated offset, and keep each
/// transaction's messages for a partition together, in the order they were given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_appends_at_once_keep_offsets_dense_and_each_batch_together() {
    let h = crate::support::embedded().await;
    let t = topic(&h.bus, "contended").await;
    let (writers, rounds, per_batch) = (6, 15, 9);
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..writers {
        let (pool, bus, t) = (h.pool.clone(), h.bus.clone(), t.clone());
        tasks.spawn(async move {
            for round in 0..rounds {
                let batch: Vec<_> = (0..per_batch)
                    .map(|i| {
                        envelope(
                            &t,
                            &format!("k{}", (w + i) % 5),
                            &format!("{w}|{round}|{i}"),
                        )
                    })
                    .collect();
                let mut tx = pool.begin().await.unwrap();
                bus.stage(&mut tx, &batch).await.unwrap();
                tx.commit().await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let owner = h.db.owner_pool().await;
    let rows: Vec<(i32, i64, Vec<u8>)> = sqlx::query_as(
        r#"SELECT partition, "offset", payload FROM bus_log WHERE topic = $1 ORDER BY partition, "offset""#,
    )
    .bind(&t)
    .fetch_all(&owner)
    .await
    .unwrap();
    assert_eq!(rows.len(), writers * rounds * per_batch);
    let mut per_partition: std::collections::BTreeMap<i32, Vec<(i64, String)>> = Default::default();
    for (p, offset, payload) in rows {
        per_partition
            .entry(p)
            .or_default()
            .push((offset, String::from_utf8(payload).unwrap()));
    }
    for (p, entries) in per_partition {
        let offsets: Vec<i64> = entries.iter().map(|(o, _)| *o).collect();
        assert_eq!(
            offsets,
            (0..entries.len() as i64).collect::<Vec<_>>(),
            "partition {p}"
        );
        // A transaction's messages in a partition: one run, in the order given.
        let mut runs: Vec<(String, Vec<usize>)> = Vec::new();
        for (_, body) in &entries {
            let (batch, i) = body.rsplit_once('|').unwrap();
            match runs.last_mut() {
                Some((b, is)) if b == batch => is.push(i.parse().unwrap()),
                _ => runs.push((batch.to_string(), vec![i.parse().unwrap()])),
            }
        }
        let mut batches: Vec<&String> = runs.iter().map(|(b, _)| b).collect();
        let before = batches.len();
        batches.sort();
        batches.dedup();
        assert_eq!(
            batches.len(),
            before,
            "partition {p}: a batch split by another's"
        );
        for (b, is) in &runs {
            assert!(
                is.windows(2).all(|w| w[0] < w[1]),
                "partition {p}, batch {b}: {is:?}"
            );
        }
    }
}
