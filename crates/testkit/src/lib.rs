//! Test support shared by every crate's integration tests.
//!
//! - [`TestDb`]: a fresh database per test, migrated, dropped afterwards
//!   (`BATON_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`, names
//!   the server and a database to connect to while creating it).
//! - [`kafka`]: the test broker's address from `BATON_TEST_KAFKA` (`infra/test.sh` starts
//!   Tansu and sets it). Broker tests fail, not skip, without it.
//! - [`unique`]: names for topics and groups so tests run in parallel.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test support: a failed setup is a failed test

mod registry;

use baton_platform::config::{DatabaseConfig, KafkaConfig};
pub use registry::SchemaRegistry;
use secrecy::SecretString;
use sqlx::{Connection, PgConnection, PgPool, postgres::PgPoolOptions};

pub fn base_url() -> String {
    std::env::var("BATON_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn url_for(db: &str) -> String {
    let base = base_url();
    let (server, _) = base
        .rsplit_once('/')
        .expect("database URL has a /database part");
    format!("{server}/{db}")
}

/// A short unique name: `<prefix>_<12 hex>`.
pub fn unique(prefix: &str) -> String {
    let id = uuid::Uuid::now_v7().simple().to_string();
    format!("{prefix}_{}", &id[id.len() - 12..])
}

/// A migrated database of its own, dropped when this is dropped.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let name = unique("baton_t");
        let mut admin = PgConnection::connect(&base_url())
            .await
            .expect("connect to the test Postgres (BATON_TEST_DATABASE_URL)");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let db = TestDb { name };
        baton_platform::store::migrate(&db.owner_config())
            .await
            .expect("migrate test database");
        db
    }

    /// The owner's URL (what `baton migrate` uses).
    pub fn owner_url(&self) -> String {
        url_for(&self.name)
    }

    /// Configuration of a service: the owner's URL, acting as the service role.
    pub fn service_config(&self) -> DatabaseConfig {
        DatabaseConfig {
            url: SecretString::from(self.owner_url()),
            service_role: "baton_app".into(),
            max_connections: 8,
            ..DatabaseConfig::default()
        }
    }

    pub fn owner_config(&self) -> DatabaseConfig {
        DatabaseConfig {
            service_role: String::new(),
            ..self.service_config()
        }
    }

    /// A pool acting as the service role: row-level security applies.
    pub async fn service_pool(&self) -> PgPool {
        baton_platform::store::connect(&self.service_config())
            .await
            .expect("service pool")
    }

    /// A pool as the owner (superuser here): for seeding and inspecting.
    pub async fn owner_pool(&self) -> PgPool {
        PgPoolOptions::new()
            .max_connections(4)
            .connect(&self.owner_url())
            .await
            .expect("owner pool")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async; use a private runtime on a plain thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                if let Ok(mut c) = PgConnection::connect(&base_url()).await {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut c)
                    .await;
                }
            });
        })
        .join();
    }
}

/// Kafka client settings for the test broker (`BATON_TEST_KAFKA`).
pub fn kafka() -> KafkaConfig {
    let bootstrap = std::env::var("BATON_TEST_KAFKA").unwrap_or_else(|_| {
        panic!(
            "BATON_TEST_KAFKA is not set: broker tests need a Kafka-protocol broker. \
             Run the suite with `bash infra/test.sh`, which starts Tansu and sets it."
        )
    });
    KafkaConfig {
        bootstrap_servers: bootstrap,
        // Tansu's group join waits about half the session timeout.
        session_timeout_ms: 6000,
        // A member kill -9'd mid-rebalance holds the group up at most this long.
        max_poll_interval_ms: 20_000,
        ..KafkaConfig::default()
    }
}
