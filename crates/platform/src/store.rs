//! PostgreSQL: pools, migrations, and tenant-scoped transactions.
//!
//! Store functions elsewhere take `&mut PgConnection`, so one handler composes several of
//! them inside one transaction.

use std::str::FromStr;

use baton_schemas::OrgId;
use secrecy::ExposeSecret;
use sqlx::{
    Executor, PgConnection, PgPool, Postgres, Transaction,
    migrate::{MigrateDatabase, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::{Result, config::DatabaseConfig};

/// The forward-only migrations in `migrations/`.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// Creates the database if it does not exist, then applies pending migrations (sqlx holds
/// an advisory lock, so concurrent runs are safe). Connects with the configured URL as is:
/// this is the owner's job, not a service's.
pub async fn migrate(config: &DatabaseConfig) -> Result<()> {
    let url = config.url.expose_secret();
    if !Postgres::database_exists(url).await? {
        tracing::info!("creating database");
        Postgres::create_database(url).await?;
    }
    let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(())
}

/// A pool for services: every connection acts as the configured service role, so row-level
/// security applies to everything a service does.
pub async fn connect(config: &DatabaseConfig) -> Result<PgPool> {
    let options = PgConnectOptions::from_str(config.url.expose_secret())?;
    let role = config.service_role.clone();
    let pool = PgPoolOptions::new()
        .max_connections(config.max_connections)
        .after_connect(move |conn, _meta| {
            let role = role.clone();
            Box::pin(async move {
                if !role.is_empty() {
                    // The role name comes from configuration, quoted as an identifier.
                    let sql = format!("SET ROLE {}", quote_ident(&role));
                    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Scopes the current transaction to one tenant: row-level security shows and accepts only
/// that org's rows until the transaction ends.
pub async fn set_org(conn: &mut PgConnection, org_id: &OrgId) -> Result<()> {
    sqlx::query_scalar!("SELECT set_config('app.org_id', $1, true)", org_id.as_str())
        .fetch_one(conn)
        .await?;
    Ok(())
}

/// Begins a transaction scoped to `org_id`.
pub async fn begin_for_org(
    pool: &PgPool,
    org_id: &OrgId,
) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    set_org(&mut tx, org_id).await?;
    Ok(tx)
}
