//! Least privilege per service: each service logs in as its own role (never the owner with
//! a `SET ROLE` that `RESET ROLE` undoes), none a superuser or BYPASSRLS; each is refused
//! (SQLSTATE 42501) on what it does not need — only the router writes jobs, only the
//! approval-gateway decides gates; a service whose login is privileged refuses to start.
//! (That each can do its job is what every integration test shows: the services there run
//! on these logins, and a missing privilege stops a service, naming it.)

use baton_platform::{config::DatabaseConfig, store};
use baton_testkit::TestDb;
use secrecy::SecretString;
use sqlx::PgPool;

const SERVICES: [&str; 8] = [
    "router",
    "context-loader",
    "step-executor",
    "approval-gateway",
    "notifier",
    "ingress",
    "console",
    "cli",
];

async fn login(db: &TestDb, service: &str) -> PgPool {
    store::connect_service(&db.service_config(), service)
        .await
        .unwrap_or_else(|e| panic!("{service}: {e}"))
}

/// The SQLSTATE `sql` fails with as `pool`'s role, or None when it runs.
async fn refusal(pool: &PgPool, sql: &str) -> Option<String> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(pool)
        .await
        .err()
        .map(|e| {
            e.as_database_error()
                .and_then(|d| d.code())
                .map_or_else(|| e.to_string(), |c| c.into_owned())
        })
}

#[tokio::test]
async fn every_service_logs_in_as_its_own_unprivileged_role() {
    let db = TestDb::new().await;
    for service in SERVICES {
        let pool = login(&db, service).await;
        let (session, current, superuser, bypass): (String, String, bool, bool) = sqlx::query_as(
            "SELECT session_user::text, current_user::text, r.rolsuper, r.rolbypassrls
             FROM pg_roles r WHERE r.rolname = session_user",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let role = store::service_login_role(service);
        assert_eq!(
            (session.as_str(), current.as_str()),
            (role.as_str(), role.as_str())
        );
        assert!(!superuser && !bypass, "{role} is not privileged");
        // Nothing to undo: RESET ROLE leaves it what it logged in as.
        let mut conn = pool.acquire().await.unwrap();
        sqlx::raw_sql("RESET ROLE")
            .execute(&mut *conn)
            .await
            .unwrap();
        let still: String = sqlx::query_scalar("SELECT current_user::text")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(still, role);
    }
}

/// Per service, a statement its work needs runs and one it does not need is refused 42501.
#[tokio::test]
async fn each_service_is_refused_what_it_does_not_need() {
    let db = TestDb::new().await;
    let cases = [
        (
            "router",
            "UPDATE sequence_jobs SET version = version WHERE false",
            "UPDATE slack_pending_actions SET status = status WHERE false",
        ),
        (
            "context-loader",
            "SELECT count(*) FROM contacts",
            "UPDATE contacts SET name = name WHERE false",
        ),
        (
            "step-executor",
            "INSERT INTO step_runs SELECT * FROM step_runs WHERE false",
            "UPDATE sequence_jobs SET version = version WHERE false",
        ),
        (
            "approval-gateway",
            "UPDATE slack_pending_actions SET status = status WHERE false",
            "UPDATE sequence_jobs SET version = version WHERE false",
        ),
        (
            "notifier",
            "UPDATE notification_deliveries SET status = status WHERE false",
            "SELECT count(*) FROM deals",
        ),
        (
            "ingress",
            "UPDATE meetings SET transcript = transcript WHERE false",
            "UPDATE meetings SET title = title WHERE false",
        ),
        // The ingress syncs calendars and reads contacts and deals to match them; it may not
        // change a deal or a stored credential.
        (
            "ingress",
            "UPDATE calendar_events SET title = title WHERE false",
            "UPDATE deals SET stage = stage WHERE false",
        ),
        (
            "ingress",
            "SELECT count(*) FROM connections",
            "UPDATE connections SET sealed = sealed WHERE false",
        ),
        // The console reads gates and jobs; decisions go through the gateway and job
        // changes through the router, so it writes neither.
        (
            "console",
            "SELECT count(*) FROM slack_pending_actions",
            "UPDATE slack_pending_actions SET status = status WHERE false",
        ),
        (
            "console",
            "SELECT count(*) FROM audit_log",
            "UPDATE sequence_jobs SET version = version WHERE false",
        ),
        (
            "cli",
            "SELECT count(*) FROM sequence_jobs",
            "UPDATE slack_pending_actions SET status = status WHERE false",
        ),
    ];
    for (service, allowed, refused) in cases {
        let pool = login(&db, service).await;
        assert_eq!(refusal(&pool, allowed).await, None, "{service}: {allowed}");
        assert_eq!(
            refusal(&pool, refused).await.as_deref(),
            Some("42501"),
            "{service}: {refused}"
        );
        // No service may change the migrations or own a table.
        assert_eq!(
            refusal(&pool, "TRUNCATE outbox").await.as_deref(),
            Some("42501"),
            "{service}"
        );
    }
}

#[tokio::test]
async fn a_service_refuses_a_superuser_login_unless_insecure_dev() {
    let db = TestDb::new().await;
    let mut config: DatabaseConfig = db.service_config();
    config
        .service_urls
        .insert("router".into(), SecretString::from(db.owner_url()));
    let err = store::connect_service(&config, "router")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a superuser or BYPASSRLS role") && err.contains("baton_router"),
        "{err}"
    );
    // The owner's login acting as the service role is refused too: SET ROLE can be undone.
    let mut set_role = db.service_config();
    set_role.service_logins = false;
    let err = store::connect_service(&set_role, "router")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("acting as baton_app"), "{err}");
    set_role.insecure_dev = true;
    assert!(store::connect_service(&set_role, "router").await.is_ok());
}
