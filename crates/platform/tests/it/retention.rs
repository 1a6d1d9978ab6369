//! Retention prunes only what no consumer can still need.

use baton_platform::{
    bus::{Bus, BusConsumer},
    retention::{self, Pruned, RetentionConfig},
};

use crate::support::{ack, envelope, recv, text, topic};

#[tokio::test]
async fn prunes_old_consumed_log_entries_and_old_inbox_rows_only() {
    let h = crate::support::embedded().await;
    let owner = h.db.owner_pool().await;
    let t = topic(&h.bus, "ret").await;
    h.bus
        .publish(
            (0..6)
                .map(|i| envelope(&t, "one-key", &i.to_string()))
                .collect(),
        )
        .await
        .unwrap();
    // Group a consumes four messages, group b three.
    for (group, n) in [("a", 4), ("b", 3)] {
        let mut c = h
            .bus
            .subscribe(group, std::slice::from_ref(&t))
            .await
            .unwrap();
        for _ in 0..n {
            let d = recv(&mut c).await;
            ack(&h.pool, &mut c, &d).await;
        }
        c.close().await.unwrap();
    }
    sqlx::raw_sql(
        r#"UPDATE bus_log SET appended_at = now() - interval '8 days' WHERE "offset" < 5;
           INSERT INTO inbox (consumer_group, message_id, topic, partition, "offset", received_at)
           VALUES ('g', 'old', 't', 0, 0, now() - interval '8 days'), ('g', 'new', 't', 0, 1, now());"#,
    )
    .execute(&owner)
    .await
    .unwrap();

    let pruned = retention::prune(&h.pool, &RetentionConfig::default())
        .await
        .unwrap();
    assert_eq!(
        pruned,
        Pruned { inbox: 1, log: 3 },
        "offsets 0-2: old and consumed by both groups"
    );
    let left: Vec<i64> = sqlx::query_scalar(r#"SELECT "offset" FROM bus_log ORDER BY 1"#)
        .fetch_all(&owner)
        .await
        .unwrap();
    assert_eq!(
        left,
        vec![3, 4, 5],
        "3 is unread by group b; 4 and 5 too; 5 is recent"
    );
    let inbox: Vec<String> =
        sqlx::query_scalar("SELECT message_id FROM inbox WHERE consumer_group = 'g'")
            .fetch_all(&owner)
            .await
            .unwrap();
    assert_eq!(inbox, vec!["new"]);

    let mut b = h
        .bus
        .subscribe("b", std::slice::from_ref(&t))
        .await
        .unwrap();
    assert_eq!(
        text(&recv(&mut b).await),
        "3",
        "group b resumes where it was"
    );
    b.close().await.unwrap();
    assert_eq!(
        retention::prune(&h.pool, &RetentionConfig::default())
            .await
            .unwrap(),
        Pruned::default(),
        "nothing more is eligible"
    );
}
