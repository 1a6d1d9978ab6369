//! `baton dev` on a machine with only Postgres: it creates and migrates its database, seeds
//! the sample org, runs every service (the ingress too) in one process on the embedded bus, and an event
//! published with `baton publish` becomes a job waiting at its approval gate.

use std::{process::Stdio, time::Duration};

use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::harness::{data, repo};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_migrates_seeds_runs_everything_and_takes_an_event() {
    let name = baton_testkit::unique("baton_dev");
    let base = baton_testkit::base_url();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let vars = [
        ("BATON_DATABASE__URL", url.as_str()),
        ("BATON_BUS__TOPIC_PREFIX", "dev."),
        ("BATON_TELEMETRY__LOG_FILTER", "warn"),
        ("BATON_INGRESS__LISTEN", "127.0.0.1:0"),
    ];
    let mut dev = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("dev")
        .arg("--seed")
        .arg(data())
        .current_dir(repo())
        .envs(vars)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(dev.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push(line.clone());
            if line.starts_with("services running") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(ready, "baton dev did not start: {seen:#?}");
    assert!(
        seen.iter()
            .any(|l| l.starts_with("seeded org org_brightlane")),
        "{seen:#?}"
    );
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(
        "UPDATE slack_user_preferences SET quiet_hours_start = NULL, quiet_hours_end = NULL",
    )
    .execute(&mut db)
    .await
    .unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args([
            "publish",
            "meeting_ended",
            "--org",
            "org_brightlane",
            "--user",
            "u_bl_maya",
            "--payload",
            r#"{"meeting_id": "mtg_dev_001", "deal_id": "d_keystone", "contact_id": "ct_linda_marsh"}"#,
        ])
        .current_dir(repo())
        .envs(vars)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (waiting, pending, inbox): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM sequence_jobs WHERE status = 'awaiting_approval' AND event_type = 'meeting_ended'),
                    (SELECT count(*) FROM slack_pending_actions),
                    (SELECT count(*) FROM web_inbox WHERE kind = 'approval')",
        )
        .fetch_one(&mut db)
        .await
        .unwrap();
        if waiting == 1 && pending >= 1 && inbox >= 1 {
            // Routed, run and gated; the gateway made its pending action; the notifier
            // delivered the approval to the web inbox.
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no job reached its gate"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(db);
    dev.kill().await.unwrap();
    let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
