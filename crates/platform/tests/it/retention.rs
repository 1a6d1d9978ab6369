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
        Pruned {
            inbox: 1,
            log: 3,
            ..Pruned::default()
        },
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

#[tokio::test]
async fn prunes_the_records_past_their_retention_across_orgs() {
    let h = crate::support::embedded().await;
    let owner = h.db.owner_pool().await;
    // Two orgs; in each an old and a recent record of every kind, a job finished long ago
    // and one still waiting (its attempts are kept whatever their age).
    for org in ["org_r1", "org_r2"] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            r#"INSERT INTO orgs (id, name) VALUES ('{org}', '{org}');
               INSERT INTO users (id, org_id, name, email) VALUES ('u_{org}', '{org}', 'U', 'u@{org}.example');
               INSERT INTO sequence_definitions (version_hash, event_type, source_file, definition)
                 VALUES ('v_{org}', 'e', 'e.yaml', '{{}}');
               INSERT INTO sequence_jobs (id, org_id, user_id, event_id, event_type, event_source, status, sequence_version, completed_at)
                 VALUES (gen_random_uuid(), '{org}', 'u_{org}', gen_random_uuid(), 'e', 't', 'completed', 'v_{org}', now() - interval '40 days'),
                        (gen_random_uuid(), '{org}', 'u_{org}', gen_random_uuid(), 'e', 't', 'awaiting_approval', 'v_{org}', NULL);
               INSERT INTO step_runs (id, org_id, job_id, step_index, step_name, status, idempotency_key, started_at)
                 SELECT gen_random_uuid(), org_id, id, 0, 's', 'succeeded', id::text, now() - interval '40 days'
                 FROM sequence_jobs WHERE org_id = '{org}';
               INSERT INTO audit_log (id, org_id, service, actor, action, occurred_at)
                 VALUES (gen_random_uuid(), '{org}', 's', 's', 'old', now() - interval '91 days'),
                        (gen_random_uuid(), '{org}', 's', 's', 'new', now() - interval '89 days');
               INSERT INTO skipped_events (id, org_id, event_type, reason, created_at)
                 VALUES (gen_random_uuid(), '{org}', 'e', 'old', now() - interval '31 days'),
                        (gen_random_uuid(), '{org}', 'e', 'new', now());
               INSERT INTO processed_events (org_id, event_type, dedupe_key, event_id, expires_at)
                 VALUES ('{org}', 'e', 'old', gen_random_uuid(), now() - interval '1 minute'),
                        ('{org}', 'e', 'new', gen_random_uuid(), now() + interval '1 day');
               INSERT INTO webhook_receipts (provider, dedupe_key, org_id, kind, outcome, received_at)
                 VALUES ('slack', 'old-{org}', '{org}', 'block_actions', 'published', now() - interval '8 days'),
                        ('slack', 'new-{org}', '{org}', 'block_actions', 'published', now() - interval '6 days');"#
        )))
        .execute(&owner)
        .await
        .unwrap();
    }
    // The services' role, scoped to no org, prunes both orgs' records.
    let pruned = retention::prune(&h.pool, &RetentionConfig::default())
        .await
        .unwrap();
    assert_eq!(
        (
            pruned.audit,
            pruned.skipped,
            pruned.processed,
            pruned.step_runs,
            pruned.webhooks
        ),
        (2, 2, 2, 2, 2),
        "{pruned:?}"
    );
    let left: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log UNION ALL SELECT reason FROM skipped_events
         UNION ALL SELECT dedupe_key FROM processed_events
         UNION ALL SELECT split_part(dedupe_key, '-', 1) FROM webhook_receipts ORDER BY 1",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    assert_eq!(left, ["new"; 8]);
    let kept: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM step_runs r JOIN sequence_jobs j ON j.id = r.job_id WHERE j.completed_at IS NULL",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(kept, 2, "a waiting job's old attempts stay");
    let shorter = RetentionConfig {
        audit_days: 30,
        ..RetentionConfig::default()
    };
    assert_eq!(
        retention::prune(&h.pool, &shorter).await.unwrap().audit,
        2,
        "configurable"
    );
}
