//! `baton contacts erase` on a contact from the sample data, after a meeting with them has
//! run to its approval gate (so drafts, job outputs, the gate, notifications and the embedded
//! log all hold their name and email): afterwards no table holds either — searched through
//! the catalog, every text, JSON and byte column — the log's records still decode, and the
//! audit trail says what was erased without the data.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::config::BusKind;
use baton_schemas::ApprovalRequest;
use sqlx::PgPool;

use crate::harness::{Env, InProcess, ORG, meeting_ended};

/// Every `table.column` (text, JSON, byte or text-array) holding `term`.
async fn holding(owner: &PgPool, term: &str) -> Vec<String> {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND (c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY'))",
    )
    .fetch_all(owner)
    .await
    .unwrap();
    assert!(columns.len() > 50, "the catalog lists the columns");
    let mut found = Vec::new();
    for (table, column, kind) in columns {
        let test = match kind.as_str() {
            "bytea" => format!("position(convert_to($1, 'UTF8') IN \"{column}\") > 0"),
            "ARRAY" => format!("strpos(array_to_string(\"{column}\", ' '), $1) > 0"),
            _ => format!("strpos(\"{column}\"::text, $1) > 0"),
        };
        let sql = format!("SELECT count(*) FROM \"{table}\" WHERE {test}");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(term)
            .fetch_one(owner)
            .await
            .unwrap();
        if n > 0 {
            found.push(format!("{table}.{column} ({n})"));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasing_a_contact_leaves_their_name_and_email_in_no_table() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        "SELECT count(*) >= 1 FROM sequence_jobs WHERE status = 'awaiting_approval'",
        "the meeting's job to reach its approval gate",
    )
    .await;
    services.stop().await;

    let (name, email): (String, String) =
        sqlx::query_as("SELECT name, email FROM contacts WHERE id = 'ct_linda_marsh'")
            .fetch_one(&env.owner)
            .await
            .unwrap();
    let before = holding(&env.owner, &email).await;
    assert!(
        before.iter().any(|c| c.starts_with("bus_log.payload")),
        "the log holds the email before: {before:?}"
    );
    assert!(!holding(&env.owner, &name).await.is_empty(), "and the name");

    let (ok, out, err) = env
        .cli_async(&["contacts", "erase", "ct_linda_marsh", "--org", ORG])
        .await;
    assert!(ok, "{err}");
    assert!(out.contains("contacts: 1 row(s)"), "{out}");
    assert!(out.contains("emails already sent"), "{out}");

    assert_eq!(holding(&env.owner, &email).await, Vec::<String>::new());
    assert_eq!(holding(&env.owner, &name).await, Vec::<String>::new());
    // The log's records still decode (bytes were overwritten in place).
    let requests: Vec<ApprovalRequest> = env.logged().await;
    assert!(!requests.is_empty());
    // What was erased is audited, without the data.
    let detail: serde_json::Value = env
        .scalar("SELECT detail FROM audit_log WHERE action = 'contact.erased'")
        .await;
    assert_eq!(detail["contact_id"], "ct_linda_marsh");
    assert!(
        detail["rows"]["bus_log.payload"].as_u64().unwrap() > 0,
        "{detail}"
    );
    let row: (String, Option<String>, bool) = sqlx::query_as(
        "SELECT name, email, do_not_contact FROM contacts WHERE id = 'ct_linda_marsh'",
    )
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert_eq!(row, ("[erased]".to_string(), None, true));
    // An unknown contact is refused, naming it.
    let (ok, _, err) = env
        .cli_async(&["contacts", "erase", "ct_nobody", "--org", ORG])
        .await;
    assert!(!ok && err.contains("no contact ct_nobody in org"), "{err}");
}
