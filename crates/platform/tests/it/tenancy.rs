//! Tenant isolation by row-level security, as the service role.

use baton_platform::store;
use baton_testkit::TestDb;
use sqlx::Row;

async fn seed(db: &TestDb) {
    let owner = db.owner_pool().await;
    sqlx::raw_sql(
        "INSERT INTO orgs (id, name) VALUES ('org_a', 'A'), ('org_b', 'B');
         INSERT INTO users (id, org_id, name, email) VALUES ('ua', 'org_a', 'Ann', 'a@a.test'), ('ub', 'org_b', 'Bob', 'b@b.test');
         INSERT INTO companies (id, org_id, name) VALUES ('co_a', 'org_a', 'Acme'), ('co_b', 'org_b', 'Bolt');",
    )
    .execute(&owner)
    .await
    .unwrap();
}

#[tokio::test]
async fn service_role_sees_and_changes_only_its_org() {
    let db = TestDb::new().await;
    seed(&db).await;
    let pool = db.service_pool().await;

    let mut tx = store::begin_for_org(&pool, &"org_a".parse().unwrap())
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM companies ORDER BY name")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(names, vec!["Acme"]);
    let read_b = sqlx::query("SELECT * FROM companies WHERE org_id = 'org_b'")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(read_b.len(), 0, "reads of org B rows see nothing");
    let upd = sqlx::query("UPDATE companies SET name = 'pwned' WHERE id = 'co_b'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        upd.rows_affected(),
        0,
        "updates of org B rows affect 0 rows"
    );
    let del = sqlx::query("DELETE FROM companies WHERE id = 'co_b'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        del.rows_affected(),
        0,
        "deletes of org B rows affect 0 rows"
    );
    let own = sqlx::query("UPDATE companies SET name = 'Acme Inc' WHERE id = 'co_a'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(own.rows_affected(), 1, "its own rows are writable");
    tx.commit().await.unwrap();

    let mut tx = store::begin_for_org(&pool, &"org_a".parse().unwrap())
        .await
        .unwrap();
    let insert_b =
        sqlx::query("INSERT INTO companies (id, org_id, name) VALUES ('co_x', 'org_b', 'Sneaky')")
            .execute(&mut *tx)
            .await
            .unwrap_err();
    assert!(
        insert_b.to_string().contains("row-level security"),
        "{insert_b}"
    );
    tx.rollback().await.unwrap();

    // No org set: nothing visible, in a fresh transaction and after one that set it.
    let mut conn = pool.acquire().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM companies")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 0);

    let owner = db.owner_pool().await;
    let intact: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = 'co_b'")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(intact, "Bolt");
}

#[tokio::test]
async fn service_role_is_not_privileged() {
    let db = TestDb::new().await;
    let pool = db.service_pool().await;
    let row = sqlx::query(
        "SELECT current_user::text, r.rolsuper, r.rolbypassrls,
                EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) AS owns_tables
         FROM pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>(0), "baton_app");
    assert!(!row.get::<bool, _>(1), "not a superuser");
    assert!(!row.get::<bool, _>(2), "no BYPASSRLS");
    assert!(!row.get::<bool, _>(3), "owns no table");
}

/// Every table with an org_id column has row-level security enabled and forced.
#[tokio::test]
async fn every_tenant_table_has_forced_rls() {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    let rows = sqlx::query(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         WHERE c.relkind = 'r'
           AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
                OR c.relname = 'orgs')",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    assert!(rows.len() >= 20, "tenant tables found: {}", rows.len());
    let unprotected: Vec<String> = rows
        .iter()
        .filter(|r| !(r.get::<bool, _>(1) && r.get::<bool, _>(2) && r.get::<i64, _>(3) > 0))
        .map(|r| r.get(0))
        .collect();
    assert!(
        unprotected.is_empty(),
        "tables without forced RLS: {unprotected:?}"
    );
}
