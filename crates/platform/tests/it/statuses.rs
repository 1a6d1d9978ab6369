//! Every status column's CHECK constraint allows exactly the values of its enum: a status
//! added to the code and not to a migration (or the other way round) fails here, not in
//! production on the first row that uses it.

use std::collections::BTreeSet;

use baton_core::status::{DeliveryStatus, JobStatus, PendingActionStatus, ProposalStatus};
use baton_schemas::{NotificationKind, StepStatus, TimeoutAction};
use baton_testkit::TestDb;
use sqlx::PgPool;

/// The values the CHECK constraint on `table.column` allows, as the migrated database
/// states them (`CHECK ((status = ANY (ARRAY['pending'::text, …])))`).
async fn allowed(owner: &PgPool, table: &str, column: &str) -> BTreeSet<String> {
    let defs: Vec<String> = sqlx::query_scalar(
        "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
         WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND a.attname = $2",
    )
    .bind(table)
    .bind(column)
    .fetch_all(owner)
    .await
    .unwrap();
    assert_eq!(defs.len(), 1, "one CHECK on {table}.{column}: {defs:?}");
    let values: BTreeSet<String> = defs[0]
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(!values.is_empty(), "no values in {}", defs[0]);
    values
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| v.to_string()).collect()
}

#[tokio::test]
async fn each_status_enum_is_exactly_its_columns_check() {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    let columns: [(&str, &str, &[&str]); 7] = [
        ("sequence_jobs", "status", JobStatus::STRS),
        ("step_runs", "status", StepStatus::STRS),
        ("slack_pending_actions", "status", PendingActionStatus::STRS),
        ("slack_pending_actions", "on_timeout", TimeoutAction::STRS),
        ("notification_deliveries", "status", DeliveryStatus::STRS),
        ("web_inbox", "kind", NotificationKind::STRS),
        ("proposals", "status", ProposalStatus::STRS),
    ];
    for (table, column, values) in columns {
        assert_eq!(
            allowed(&owner, table, column).await,
            set(values),
            "{table}.{column}: the CHECK constraint (left) and the enum (right) differ"
        );
    }
}
