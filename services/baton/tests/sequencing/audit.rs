//! `baton audit tail`: follows the audit topic from now, filtered by org, one line per record
//! with ids and reasons only.

use std::{process::Stdio, sync::Arc};

use baton_core::clock::ManualClock;
use baton_platform::config::BusKind;

use crate::harness::{Env, InProcess, event, repo, wait_for_line};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_tail_follows_the_orgs_records_as_they_are_published() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut tail = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["audit", "tail", "--org", "org_brightlane"])
        .current_dir(repo())
        .envs(env.vars())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines =
        tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(tail.stdout.take().unwrap()));
    wait_for_line(&mut lines, "following").await;

    // An event for a user the org does not have: skipped, and audited as such.
    let mut ev = event(
        "meeting_ended",
        serde_json::json!({ "meeting_id": "mtg_dev_001" }),
    );
    ev.user_id = "u_nobody".into();
    env.publish(&ev).await;
    wait_for_line(&mut lines, "event.skipped").await;
    tail.kill().await.unwrap();
    services.stop().await;
}
