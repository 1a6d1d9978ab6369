//! Connections in the database (`connections`, migration 0018): tenant rows under row-level
//! security, one per (provider, account) — a Slack team id, a mailbox address — across all
//! orgs; a Slack workspace is found by its team id before the org is known only through
//! `baton_slack_connection()`.

use baton_schemas::OrgId;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{KeyError, Keyring, Provider, Sealed, SlackWorkspace};
use crate::{Error, Result};

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Config(vec![e.to_string()])
    }
}

/// A connection as listed: never its secret.
#[derive(Debug, Clone)]
pub struct Connection {
    pub id: Uuid,
    pub provider: String,
    pub account: String,
    pub user_id: Option<String>,
    pub key_id: String,
    pub updated_at: DateTime<Utc>,
}

/// What adding a connection did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Created(Uuid),
    Replaced(Uuid),
}

/// Stores (or replaces) `org`'s credential for `account` at `provider`, sealed under the
/// active key. An account connected to another org is refused.
pub async fn add(
    tx: &mut PgConnection,
    keys: &Keyring,
    org: &OrgId,
    provider: Provider,
    account: &str,
    user: Option<&str>,
    secret: &Value,
) -> Result<Added> {
    provider.check(secret).map_err(|e| Error::Config(vec![e]))?;
    let existing = sqlx::query_scalar!(
        "SELECT id FROM connections WHERE provider = $1 AND account = $2",
        provider.as_str(),
        account,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let id = existing.unwrap_or_else(Uuid::now_v7);
    let s = keys.seal(id, secret)?;
    let written = sqlx::query!(
        "INSERT INTO connections (id, org_id, provider, account, user_id, key_id, wrapped_key, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, key_id = EXCLUDED.key_id,
           wrapped_key = EXCLUDED.wrapped_key, sealed = EXCLUDED.sealed, updated_at = now()",
        id,
        org.as_str(),
        provider.as_str(),
        account,
        user,
        s.key_id,
        s.wrapped_key,
        s.sealed,
    )
    .execute(&mut *tx)
    .await;
    match written {
        Ok(_) if existing.is_some() => Ok(Added::Replaced(id)),
        Ok(_) => Ok(Added::Created(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(Error::Config(vec![format!(
                "{provider} account {account:?} is connected to another org"
            )]))
        }
        Err(e) => Err(e.into()),
    }
}

/// `org`'s connections, by provider and account.
pub async fn list(tx: &mut PgConnection, org: &OrgId) -> Result<Vec<Connection>> {
    Ok(sqlx::query_as!(
        Connection,
        "SELECT id, provider, account, user_id, key_id, updated_at FROM connections
         WHERE org_id = $1 ORDER BY provider, account",
        org.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Removes `org`'s connection to `account` at `provider`; whether there was one.
pub async fn remove(
    tx: &mut PgConnection,
    org: &OrgId,
    provider: Provider,
    account: &str,
) -> Result<bool> {
    let n = sqlx::query!(
        "DELETE FROM connections WHERE org_id = $1 AND provider = $2 AND account = $3",
        org.as_str(),
        provider.as_str(),
        account,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Rewraps `org`'s credentials under the active key; how many moved.
pub async fn rotate(tx: &mut PgConnection, keys: &Keyring, org: &OrgId) -> Result<u64> {
    let rows = sqlx::query!(
        "SELECT id, key_id, wrapped_key, sealed FROM connections WHERE org_id = $1 FOR UPDATE",
        org.as_str(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut moved = 0;
    for r in rows {
        let s = Sealed {
            key_id: r.key_id,
            wrapped_key: r.wrapped_key,
            sealed: r.sealed,
        };
        if let Some(n) = keys.rewrap(r.id, &s)? {
            sqlx::query!(
                "UPDATE connections SET key_id = $2, wrapped_key = $3, updated_at = now() WHERE id = $1",
                r.id,
                n.key_id,
                n.wrapped_key,
            )
            .execute(&mut *tx)
            .await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Connection `id`'s secret, opened (inside its org's scoped transaction); `None` when it
/// is gone (disconnected).
pub async fn secret(tx: &mut PgConnection, keys: &Keyring, id: Uuid) -> Result<Option<Value>> {
    let row = sqlx::query!(
        "SELECT key_id, wrapped_key, sealed FROM connections WHERE id = $1",
        id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|r| {
        let s = Sealed {
            key_id: r.key_id,
            wrapped_key: r.wrapped_key,
            sealed: r.sealed,
        };
        Ok(keys.open(id, &s)?)
    })
    .transpose()
}

/// `org`'s Slack workspace, opened (inside the org's scoped transaction).
pub async fn slack_for_org(
    tx: &mut PgConnection,
    keys: &Keyring,
    org: &OrgId,
) -> Result<Option<SlackWorkspace>> {
    let row = sqlx::query!(
        "SELECT id, account, key_id, wrapped_key, sealed FROM connections
         WHERE org_id = $1 AND provider = 'slack' ORDER BY updated_at DESC LIMIT 1",
        org.as_str(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|r| {
        let s = Sealed {
            key_id: r.key_id,
            wrapped_key: r.wrapped_key,
            sealed: r.sealed,
        };
        workspace(keys, r.id, r.account, &s)
    })
    .transpose()
}

/// The org connected to Slack workspace `team` and its credentials, before any org is
/// known (the ingress verifying a request signed with that workspace's secret).
pub async fn slack_for_team(
    pool: &PgPool,
    keys: &Keyring,
    team: &str,
) -> Result<Option<(OrgId, SlackWorkspace)>> {
    let row = sqlx::query!(
        r#"SELECT org_id AS "org_id!", id AS "id!", key_id AS "key_id!",
                  wrapped_key AS "wrapped_key!", sealed AS "sealed!"
           FROM baton_slack_connection($1)"#,
        team,
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let org = OrgId::try_from(r.org_id).map_err(|e| Error::bad_row("connections", "org_id", e))?;
    let s = Sealed {
        key_id: r.key_id,
        wrapped_key: r.wrapped_key,
        sealed: r.sealed,
    };
    Ok(Some((org, workspace(keys, r.id, team.to_string(), &s)?)))
}

fn workspace(keys: &Keyring, id: Uuid, team_id: String, s: &Sealed) -> Result<SlackWorkspace> {
    let secret = keys.open(id, s)?;
    let field = |name: &str| {
        secret[name]
            .as_str()
            .map(|v| SecretString::from(v.to_string()))
            .ok_or_else(|| Error::bad_row("connections", "sealed", format!("no {name}")))
    };
    Ok(SlackWorkspace {
        team_id,
        bot_token: field("bot_token")?,
        signing_secret: field("signing_secret")?,
    })
}
