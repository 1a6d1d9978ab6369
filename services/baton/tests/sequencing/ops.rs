//! `baton run` with every service and `http.listen` set: one ops listener for the process
//! answers `/livez`, `/readyz` and `/metrics` for all of them (each service used to bind the
//! address itself: the first won, the rest failed and the process exited 1).

use std::{process::Stdio, time::Duration};

use baton_platform::config::BusKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Env, repo};

/// The response to `GET path`, or None when nothing listens yet.
async fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).await.ok()?;
    Some(out)
}

/// A free 127.0.0.1 address.
fn free_addr() -> String {
    format!("127.0.0.1:{}", crate::harness::free_port())
}

/// `/readyz`'s first answer that `wanted` accepts, polling every 100 ms for up to `secs`;
/// the last answer (or None) when none did.
async fn readyz_until(addr: &str, secs: u64, wanted: impl Fn(&str) -> bool) -> Option<String> {
    let mut last = None;
    for _ in 0..secs * 10 {
        if let Some(r) = get(addr, "/readyz").await {
            if wanted(&r) {
                return Some(r);
            }
            last = Some(r);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_listener_serves_the_ops_endpoints_of_every_service_in_the_process() {
    let env = Env::new(BusKind::Embedded, None).await;
    let addr = free_addr();
    let mut run = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("run")
        .current_dir(repo())
        .envs(env.vars())
        .env("BATON_HTTP__LISTEN", &addr)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let ready = readyz_until(&addr, 30, |r| r.starts_with("HTTP/1.1 200"))
        .await
        .unwrap_or_default();
    assert!(
        ready.starts_with("HTTP/1.1 200"),
        "200 within 30 s: {ready}"
    );
    assert!(ready.ends_with("ready"), "{ready}");
    // Give every service time to start (and, before, to fail binding).
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        run.try_wait().unwrap().is_none(),
        "baton run is still running: {:?}",
        run.try_wait()
    );
    let live = get(&addr, "/livez").await.unwrap();
    assert!(
        live.starts_with("HTTP/1.1 200") && live.ends_with("ok"),
        "{live}"
    );
    let metrics = get(&addr, "/metrics").await.unwrap();
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    let ready = get(&addr, "/readyz").await.unwrap();
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    run.start_kill().unwrap();
    run.wait().await.unwrap();
}

/// A privilege revoked from a service's login (SQLSTATE class 42) stops the process with a
/// non-zero exit naming it, instead of dead-lettering every message it cannot apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_privilege_makes_the_service_exit_naming_it() {
    let env = Env::new(BusKind::Embedded, None).await;
    sqlx::raw_sql("REVOKE INSERT ON sequence_jobs FROM baton_router")
        .execute(&env.owner)
        .await
        .unwrap();
    let router = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "router"])
        .current_dir(repo())
        .envs(env.vars())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    env.publish(&crate::harness::meeting_ended(
        "mtg_dev_001",
        "d_keystone",
        "ct_linda_marsh",
    ))
    .await;
    let out = tokio::time::timeout(Duration::from_secs(60), router.wait_with_output())
        .await
        .expect("the router exits by itself")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("SQLSTATE 42501") && stderr.contains("sequence_jobs"),
        "{stderr}"
    );
    let lettered: i64 = env
        .scalar("SELECT count(*) FROM bus_log WHERE topic LIKE '%deadletter'")
        .await;
    assert_eq!(lettered, 0, "nothing dead-lettered");
}

/// A service whose login is a superuser refuses to start, naming the role to use; with
/// `database.insecure_dev` (what `--insecure-dev` sets) it starts and says it loudly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_on_a_superuser_login_refuses_to_start() {
    let env = Env::new(BusKind::Embedded, None).await;
    let owner_url = env.db.owner_url();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "notifier"])
        .current_dir(repo())
        .envs(env.vars())
        .env("BATON_DATABASE__SERVICE_URLS__NOTIFIER", &owner_url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(60), out)
        .await
        .expect("it exits by itself")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("a superuser or BYPASSRLS role") && stderr.contains("baton_notifier"),
        "{stderr}"
    );

    let mut insecure = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "notifier"])
        .current_dir(repo())
        .envs(env.vars())
        .env("BATON_DATABASE__SERVICE_URLS__NOTIFIER", &owner_url)
        .env("BATON_DATABASE__INSECURE_DEV", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = tokio::io::BufReader::new(insecure.stderr.take().unwrap());
    let mut line = String::new();
    let warned = tokio::time::timeout(Duration::from_secs(60), async {
        use tokio::io::AsyncBufReadExt;
        while stderr.read_line(&mut line).await.unwrap() > 0 {
            if line.contains("INSECURE DEVELOPMENT MODE") {
                return true;
            }
            line.clear();
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(warned, "said loudly: {line}");
    assert!(insecure.try_wait().unwrap().is_none(), "and it runs");
    insecure.start_kill().unwrap();
    insecure.wait().await.unwrap();
}

/// A service started while its database is away waits for it — alive, and not ready on
/// `/readyz` with the reason — and works once the database answers. (It used to exit at
/// once, and the ops listener with it: a PostgreSQL restart while a service started stopped
/// PM5's chaos run.) The database is behind a TCP relay that first closes every connection
/// as it opens (as a restarting server does), then relays to the real server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_started_before_its_database_waits_for_it() {
    let env = Env::new(BusKind::Embedded, None).await;
    let ops = free_addr();
    let owner = env.db.owner_url();
    let (server, database) = owner
        .split_once('@')
        .and_then(|(_, rest)| rest.split_once('/'))
        .expect("postgres://user@host:port/database");
    let (proxy, up) = relay(server.to_string()).await;
    let url = format!("postgres://baton_router@{proxy}/{database}");
    let mut router = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "router"])
        .current_dir(repo())
        .envs(env.vars())
        .env("BATON_DATABASE__SERVICE_URLS__ROUTER", &url)
        .env("BATON_HTTP__LISTEN", &ops)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let waiting = readyz_until(&ops, 30, |r| r.contains("waiting for the database"))
        .await
        .expect("the ops listener is up while the database is away");
    assert!(
        waiting.starts_with("HTTP/1.1 503")
            && waiting.contains("database: not answering")
            && waiting.contains("router: starting: waiting for the database (attempt "),
        "{waiting}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        router.try_wait().unwrap().is_none(),
        "still waiting: {:?}",
        router.try_wait()
    );

    up.store(true, std::sync::atomic::Ordering::SeqCst);
    let ready = readyz_until(&ops, 60, |r| r.starts_with("HTTP/1.1 200"))
        .await
        .unwrap_or_default();
    assert!(
        ready.starts_with("HTTP/1.1 200"),
        "ready within 60 s of the database answering: {ready}"
    );
    env.publish(&crate::harness::meeting_ended(
        "mtg_dev_001",
        "d_keystone",
        "ct_linda_marsh",
    ))
    .await;
    env.wait(
        "SELECT count(*) = 1 FROM sequence_jobs",
        "the router to start the meeting's job",
    )
    .await;
    router.start_kill().unwrap();
    router.wait().await.unwrap();
}

/// A TCP relay to `server` on a port of its own: while the flag is false it closes each
/// connection as it accepts it; then it relays.
async fn relay(
    server: String,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = up.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if !flag.load(std::sync::atomic::Ordering::SeqCst) {
                continue; // dropped: closed
            }
            let server = server.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(&server).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (addr, up)
}
