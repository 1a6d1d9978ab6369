//! When PostgreSQL does not answer, one clear paragraph instead of a driver error: what was
//! tried, how to start a server, which setting points Baton at one.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;

/// Whether `e` means no PostgreSQL server answered (as opposed to one that refused us).
pub fn is_unreachable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut)
}

/// The explanation for a server at `url` that did not answer with `e`; `what` is who needs it
/// ("The demo").
pub fn unreachable(what: &str, url: &str, e: &sqlx::Error) -> anyhow::Error {
    let at = PgConnectOptions::from_str(url).map_or_else(
        |_| "the configured address".to_string(),
        |o| format!("{}:{}", o.get_host(), o.get_port()),
    );
    let cause = match e {
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    anyhow::anyhow!(
        "PostgreSQL is not reachable at {at} ({cause}).\n\
         {what} needs a PostgreSQL server (15 or newer) on which it may create a database of its \
         own. Start one — on Debian or Ubuntu `sudo pg_ctlcluster 15 main start`, on macOS \
         `brew services start postgresql@15`, or in a container `docker run -d -p 5432:5432 -e \
         POSTGRES_HOST_AUTH_METHOD=trust postgres:15` — or point Baton at the server you have \
         with BATON_DATABASE__URL=postgres://USER@HOST:PORT/DATABASE (or `database.url` in the \
         file given with --config)."
    )
}
