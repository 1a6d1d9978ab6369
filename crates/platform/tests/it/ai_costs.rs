//! AI cost totals (migration 0028): the budget an org reads is the same before and after its
//! ledger is rolled up, every entry is counted once, a second roll-up at the same moment
//! counts nothing, and an org reads only its own spend.

use baton_platform::{ai_costs, jobs, store};
use baton_testkit::TestDb;
use chrono::{TimeZone, Utc};

/// Entries of two orgs over two periods; a = 0.75 in December (three entries) and 1.00 in
/// November, b = 4.00 in December.
async fn seed(owner: &sqlx::PgPool) {
    sqlx::raw_sql(
        "INSERT INTO orgs (id, name, ai_monthly_budget_usd) VALUES ('org_a', 'A', 10), ('org_b', 'B', 10);
         INSERT INTO ai_cost_ledger (id, org_id, cost_usd, period, idempotency_key)
         SELECT gen_random_uuid(), o, c, p, o || p || n
         FROM (VALUES ('org_a', 0.25, '2026-12', 1), ('org_a', 0.25, '2026-12', 2),
                      ('org_a', 0.25, '2026-12', 3), ('org_a', 1.00, '2026-11', 1),
                      ('org_b', 2.00, '2026-12', 1), ('org_b', 2.00, '2026-12', 2)) v(o, c, p, n);",
    )
    .execute(owner)
    .await
    .unwrap();
}

/// What `org` has spent in December 2026, read as the service role under its org.
async fn spent(pool: &sqlx::PgPool, org: &str) -> f64 {
    let org = org.parse().unwrap();
    let mut tx = store::begin_for_org(pool, &org).await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
    let budget = jobs::budget(&mut tx, &org, now).await.unwrap().unwrap();
    budget.spent.usd()
}

async fn add(owner: &sqlx::PgPool, org: &str, usd: f64, key: &str) {
    sqlx::query(
        "INSERT INTO ai_cost_ledger (id, org_id, cost_usd, period, idempotency_key)
         VALUES (gen_random_uuid(), $1, $2, '2026-12', $3)",
    )
    .bind(org)
    .bind(usd)
    .bind(key)
    .execute(owner)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_budget_reads_the_same_before_and_after_the_ledger_is_rolled_up() {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    seed(&owner).await;
    let pool = db.service_pool().await;
    assert_eq!(
        (spent(&pool, "org_a").await, spent(&pool, "org_b").await),
        (0.75, 4.0)
    );

    assert_eq!(ai_costs::roll_up(&pool).await.unwrap(), 6, "every entry");
    assert_eq!(ai_costs::roll_up(&pool).await.unwrap(), 0, "each once");
    assert_eq!(
        (spent(&pool, "org_a").await, spent(&pool, "org_b").await),
        (0.75, 4.0),
        "the totals stand for the entries"
    );
    let totals: Vec<(String, String, f64, i64)> = sqlx::query_as(
        "SELECT org_id, period, cost_usd::float8, entries FROM ai_cost_totals ORDER BY 1, 2",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    assert_eq!(
        totals,
        vec![
            ("org_a".into(), "2026-11".into(), 1.0, 1),
            ("org_a".into(), "2026-12".into(), 0.75, 3),
            ("org_b".into(), "2026-12".into(), 4.0, 2),
        ]
    );

    // Spent since the roll-up is read from the tail, then from the total.
    add(&owner, "org_a", 0.5, "late").await;
    assert_eq!(spent(&pool, "org_a").await, 1.25);
    assert_eq!(ai_costs::roll_up(&pool).await.unwrap(), 1);
    assert_eq!(spent(&pool, "org_a").await, 1.25);
    assert_eq!(spent(&pool, "org_b").await, 4.0, "another org's entry");
}

#[tokio::test]
async fn a_roll_up_while_another_runs_counts_nothing() {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    seed(&owner).await;
    let pool = db.service_pool().await;
    // The first roll-up's transaction stays open; the second finds it running.
    let mut first = pool.begin().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT baton_roll_up_ai_costs(100)")
        .fetch_one(&mut *first)
        .await
        .unwrap();
    assert_eq!(n, 6);
    assert_eq!(ai_costs::roll_up(&pool).await.unwrap(), 0);
    first.commit().await.unwrap();
    assert_eq!(spent(&pool, "org_b").await, 4.0);
    assert_eq!(ai_costs::roll_up(&pool).await.unwrap(), 0);
}

#[tokio::test]
async fn an_org_reads_only_its_own_totals() {
    let db = TestDb::new().await;
    let owner = db.owner_pool().await;
    seed(&owner).await;
    let pool = db.service_pool().await;
    ai_costs::roll_up(&pool).await.unwrap();
    let mut tx = store::begin_for_org(&pool, &"org_a".parse().unwrap())
        .await
        .unwrap();
    let orgs: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT org_id FROM ai_cost_totals ORDER BY 1")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    assert_eq!(orgs, vec!["org_a"]);
}
