//! Starting a service while what it needs is not there yet. A process started beside its
//! database or broker — at boot, in a rolling restart, while PostgreSQL restarts — does not
//! exit because a connection was refused or reset: it tries again with backoff, for up to
//! `database.start_wait_s`, and says on `/readyz` that it is starting and what it waits for.
//! What waiting cannot fix (a refused login, a missing privilege, a bad setting) still
//! stops it at once, with the error.

use std::{
    future::Future,
    time::{Duration, Instant},
};

use backon::BackoffBuilder;
use rdkafka::{error::KafkaError, types::RDKafkaErrorCode};
use tokio_util::sync::CancellationToken;

use crate::{config::Config, health};

/// Starts service `name` with `build`: not ready on `/readyz` ("starting") until the caller
/// says it is, and tried again while the database or broker is unavailable (0.5 s doubling
/// to 10 s) for up to `database.start_wait_s`. None when `shutdown`
/// came first.
pub async fn start<T, F, Fut>(
    name: &str,
    config: &Config,
    shutdown: &CancellationToken,
    build: F,
) -> anyhow::Result<Option<T>>
where
    F: FnMut(CancellationToken) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    health::process().not_ready(name, health::STARTING);
    let wait = Duration::from_secs(config.database.start_wait_s);
    retrying_from(Duration::from_millis(500), name, wait, shutdown, build).await
}

/// Runs `start` until it succeeds, again after each failure that says a dependency is
/// unavailable (`first` doubling to 10 s, with jitter) while `wait` allows, marking `part`
/// not ready meanwhile. Each attempt gets a token of its own, cancelled when the attempt
/// fails, so what a failed attempt started in the background stops with it. None when
/// `shutdown` came first.
async fn retrying_from<T, F, Fut>(
    first: Duration,
    part: &str,
    wait: Duration,
    shutdown: &CancellationToken,
    mut start: F,
) -> anyhow::Result<Option<T>>
where
    F: FnMut(CancellationToken) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let deadline = Instant::now() + wait;
    let mut delays = backon::ExponentialBuilder::default()
        .with_min_delay(first)
        .with_max_delay(Duration::from_secs(10))
        .with_jitter()
        .without_max_times()
        .build();
    for attempt in 1u32.. {
        let attempt_token = shutdown.child_token();
        let guard = attempt_token.clone().drop_guard();
        let e = match start(attempt_token).await {
            Ok(t) => {
                guard.disarm();
                return Ok(Some(t));
            }
            Err(e) => e,
        };
        drop(guard);
        let Some(what) = unavailable(&e) else {
            return Err(e);
        };
        let delay = delays.next().unwrap_or(Duration::from_secs(10));
        if Instant::now() + delay > deadline {
            return Err(e.context(format!(
                "the {what} was still unavailable after {attempt} attempts in {} s \
                 (database.start_wait_s)",
                wait.as_secs()
            )));
        }
        health::process().not_ready(
            part,
            format!(
                "{}: waiting for the {what} (attempt {attempt})",
                health::STARTING
            ),
        );
        tracing::warn!(part, attempt, error = %format!("{e:#}"), retry_in_ms = delay.as_millis() as u64, "starting: the {what} is unavailable");
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(None),
            _ = tokio::time::sleep(delay) => {}
        }
    }
    unreachable!("the attempts are counted without end")
}

/// Which dependency `e` says could not be reached (rather than refused what was asked), if
/// any: "database" or "broker".
fn unavailable(e: &anyhow::Error) -> Option<&'static str> {
    e.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<crate::Error>() {
            return match e {
                crate::Error::Db(db) => crate::runtime::db_unavailable(db).then_some("database"),
                crate::Error::Kafka { source, .. } => {
                    broker_unavailable(source).then_some("broker")
                }
                _ => None,
            };
        }
        let db = cause.downcast_ref::<sqlx::Error>()?;
        crate::runtime::db_unavailable(db).then_some("database")
    })
}

/// Whether `e` says the broker could not be reached or did not answer in time.
fn broker_unavailable(e: &KafkaError) -> bool {
    use RDKafkaErrorCode as C;
    let code = match e {
        // rdkafka gives no code for a failed admin operation; it is the one topic creation
        // fails with.
        KafkaError::AdminOp(code) => Some(*code),
        e => e.rdkafka_error_code(),
    };
    matches!(
        code,
        Some(
            C::OperationTimedOut
                | C::RequestTimedOut
                | C::BrokerTransportFailure
                | C::AllBrokersDown
                | C::BrokerNotAvailable
                | C::LeaderNotAvailable
                | C::NotController
                | C::NetworkException
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused() -> anyhow::Error {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        anyhow::Error::from(crate::Error::Db(sqlx::Error::Io(io))).context("starting the router")
    }

    #[test]
    fn a_refused_connection_is_waited_out_and_a_bad_setting_is_not() {
        assert_eq!(unavailable(&refused()), Some("database"));
        let timed_out = anyhow::Error::from(sqlx::Error::PoolTimedOut).context("x");
        assert_eq!(unavailable(&timed_out), Some("database"));
        let broker = anyhow::Error::from(crate::Error::kafka(
            "creating topics",
            KafkaError::AdminOp(RDKafkaErrorCode::OperationTimedOut),
        ));
        assert_eq!(unavailable(&broker), Some("broker"));
        let setting = anyhow::Error::from(crate::Error::Config(vec!["database.url".into()]));
        assert_eq!(unavailable(&setting), None);
        let exists = anyhow::Error::from(crate::Error::kafka(
            "creating topics",
            KafkaError::AdminOp(RDKafkaErrorCode::InvalidReplicationFactor),
        ));
        assert_eq!(unavailable(&exists), None);
    }

    const FIRST: Duration = Duration::from_millis(5);

    #[tokio::test]
    async fn a_start_is_retried_while_the_database_is_away_and_not_past_the_wait() {
        let shutdown = CancellationToken::new();
        let mut tries = 0;
        let started = retrying_from(FIRST, "svc-a", Duration::from_secs(60), &shutdown, |_| {
            tries += 1;
            let t = tries;
            async move { if t < 4 { Err(refused()) } else { Ok(t) } }
        })
        .await
        .unwrap();
        assert_eq!(started, Some(4));

        let mut tries = 0;
        let e = retrying_from(
            FIRST,
            "svc-b",
            Duration::from_millis(300),
            &shutdown,
            |_| {
                tries += 1;
                async { Err::<(), _>(refused()) }
            },
        )
        .await
        .unwrap_err();
        assert!(
            format!("{e:#}").contains("still unavailable") && tries >= 3,
            "{tries} tries: {e:#}"
        );
        assert!(
            health::process()
                .problems()
                .iter()
                .any(|p| p.starts_with("svc-b: starting: waiting for the database")),
            "{:?}",
            health::process().problems()
        );
    }

    #[tokio::test]
    async fn a_failed_attempt_stops_what_it_started_and_a_bad_setting_is_not_retried() {
        let shutdown = CancellationToken::new();
        let mut tokens = Vec::new();
        let mut tries = 0;
        let e = retrying_from(
            FIRST,
            "svc-c",
            Duration::from_secs(60),
            &shutdown,
            |token| {
                tokens.push(token);
                tries += 1;
                let t = tries;
                async move {
                    if t == 1 {
                        Err::<(), _>(refused())
                    } else {
                        Err(crate::Error::Config(vec!["bus.partitions".into()]).into())
                    }
                }
            },
        )
        .await
        .unwrap_err();
        assert_eq!(tries, 2, "{e:#}");
        assert!(tokens.iter().all(|t| t.is_cancelled()));
        assert!(!shutdown.is_cancelled());
    }
}
