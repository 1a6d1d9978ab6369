//! PostgreSQL: pools, migrations, and tenant-scoped transactions.
//!
//! Store functions elsewhere take `&mut PgConnection`, so one handler composes several of
//! them inside one transaction.

use std::str::FromStr;

use baton_schemas::OrgId;
use secrecy::ExposeSecret;
use sqlx::{
    Connection, Executor, PgConnection, PgPool, Postgres, Transaction,
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

/// The login role of service `service` (`router` → `baton_router`).
pub fn service_login_role(service: &str) -> String {
    format!("baton_{}", service.replace('-', "_"))
}

/// Whether a message whose producer logged in as `login` may be one that only `service`
/// produces: yes when `login` is that service's role, no when it is another Baton service
/// role, and yes for anything else (unknown, or the owner's login of a development setup,
/// which may do anything anyway).
pub fn produced_by(login: Option<&str>, service: &str) -> bool {
    match login {
        Some(l) if l.starts_with("baton_") => l == service_login_role(service),
        _ => true,
    }
}

/// How service `service` connects: its own URL when configured; else, with
/// `service_logins`, `url` with the user replaced by its role and no password; else `url`
/// and `SET ROLE service_role` as given.
pub fn service_database(config: &DatabaseConfig, service: &str) -> Result<DatabaseConfig> {
    if let Some(url) = config.service_urls.get(service) {
        return Ok(DatabaseConfig {
            url: url.clone(),
            service_role: String::new(),
            ..config.clone()
        });
    }
    if !config.service_logins {
        return Ok(config.clone());
    }
    let bad = |why: &str| {
        crate::Error::Config(vec![format!(
            "database.url: {why} (expected postgres://user@host:port/database)"
        )])
    };
    let mut url = url::Url::parse(config.url.expose_secret()).map_err(|_| bad("not a URL"))?;
    url.set_username(&service_login_role(service))
        .map_err(|()| bad("has no host"))?;
    url.set_password(None).map_err(|()| bad("has no host"))?;
    Ok(DatabaseConfig {
        url: secrecy::SecretString::from(url.to_string()),
        service_role: String::new(),
        ..config.clone()
    })
}

/// Service `service`'s pool, logged in as itself (see [`service_database`]). Refuses a
/// login that is a superuser or bypasses row-level security — unless `insecure_dev`, which
/// is said loudly.
pub async fn connect_service(config: &DatabaseConfig, service: &str) -> Result<PgPool> {
    let own = service_database(config, service)?;
    let pool = connect(&own).await.map_err(|e| match &e {
        crate::Error::Db(db)
            if db
                .as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|c| c.starts_with("28")) =>
        {
            let role = service_login_role(service);
            crate::Error::Config(vec![format!(
                "the {service} could not log in as {role}: {db}. Run `baton migrate` (it \
                 creates the role), give it a password (ALTER ROLE {role} PASSWORD …) in \
                 PGPASSWORD or ~/.pgpass, or set database.service_urls.{service}; on a \
                 development machine, `baton dev --insecure-dev`"
            )])
        }
        _ => e,
    })?;
    let roles = sqlx::query!(
        r#"SELECT session_user AS "session!", current_user AS "current!",
                  bool_or(rolsuper OR rolbypassrls) FILTER (WHERE rolname = session_user) AS "session_privileged!",
                  bool_or(rolsuper OR rolbypassrls) FILTER (WHERE rolname = current_user) AS "current_privileged!"
           FROM pg_roles WHERE rolname IN (session_user, current_user)"#
    )
    .fetch_one(&pool)
    .await?;
    if roles.session_privileged || roles.current_privileged {
        if !config.insecure_dev {
            pool.close().await;
            return Err(crate::Error::Config(vec![format!(
                "the {service} logged in as {} (acting as {}), a superuser or BYPASSRLS role:                  row-level security would not bind it. Let it log in as its own role ({},                  created by `baton migrate`; database.service_logins = true, or                  database.service_urls.{service}); database.insecure_dev = true allows this on                  a development machine only",
                roles.session,
                roles.current,
                service_login_role(service)
            )]));
        }
        tracing::warn!(service, login = %roles.session, "INSECURE: database.insecure_dev is set and this service logged in as a superuser or BYPASSRLS role; row-level security does not bind it");
        eprintln!(
            "WARNING: INSECURE DEVELOPMENT MODE: the {service} logged in as {} (a superuser or BYPASSRLS role); row-level security does not bind it",
            roles.session
        );
    }
    Ok(pool)
}

/// How long a pooled connection may sit idle before it is checked on its next use.
const PING_IF_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// A pool for services: every connection acts as the configured service role, so row-level
/// security applies to everything a service does.
pub async fn connect(config: &DatabaseConfig) -> Result<PgPool> {
    let (pool, options) = pool_options(config)?;
    Ok(pool.connect_with(options).await?)
}

/// The same pool as [`connect`], connecting on first use instead of now, and giving up
/// on a connection after 2 s: for a probe that must start while the database is away and
/// answer quickly that it is (the ops listener's `/readyz`).
pub fn connect_lazy(config: &DatabaseConfig) -> Result<PgPool> {
    let (pool, options) = pool_options(config)?;
    Ok(pool
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect_lazy_with(options))
}

fn pool_options(config: &DatabaseConfig) -> Result<(PgPoolOptions, PgConnectOptions)> {
    let options = PgConnectOptions::from_str(config.url.expose_secret())?;
    let role = config.service_role.clone();
    let pool = PgPoolOptions::new()
        .max_connections(config.max_connections)
        // A connection that sat idle is pinged before use (the server or a proxy may have
        // dropped it); a busy one is not, which saves a round trip per query. A connection
        // that breaks between two uses fails that query, which the caller retries.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IF_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
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
        });
    Ok((pool, options))
}

fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Scopes the current transaction to one tenant: row-level security shows and accepts only
/// that org's rows until the transaction ends.
pub async fn set_org(conn: &mut PgConnection, org_id: &OrgId) -> Result<()> {
    set_scope(conn, Some(org_id.as_str())).await
}

/// Scopes the current transaction to `org` as a bus message names it, or to no org (a dead
/// letter of a message whose org is unknown): the bus tables accept only rows tagged so.
pub async fn set_scope(conn: &mut PgConnection, org: Option<&str>) -> Result<()> {
    sqlx::query_scalar!(
        "SELECT set_config('app.org_id', $1, true)",
        org.unwrap_or_default()
    )
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
