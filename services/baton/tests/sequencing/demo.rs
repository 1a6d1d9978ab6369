//! `baton demo`, the README's first command, as a newcomer runs it: no configuration beyond
//! where PostgreSQL is, its own fresh database, and the whole story in its output.

use std::time::Duration;

use crate::harness::{data, repo};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_tells_the_whole_story_and_exits_zero() {
    let name = baton_testkit::unique("baton_demo");
    let base = baton_testkit::base_url();
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["demo", "--database", &name, "--data"])
        .arg(data())
        .current_dir(repo())
        // The server only; the demo makes a database of its own on it.
        .env("BATON_DATABASE__URL", &base)
        .env_remove("BATON_TELEMETRY__LOG_FILTER")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("baton demo finished")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Drop the demo's database whatever happened.
    {
        use sqlx::migrate::MigrateDatabase;
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        sqlx::Postgres::force_drop_database(&url).await.ok();
    }
    assert!(
        out.status.success(),
        "baton demo failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    // The story, in order.
    let story = [
        "(fresh), ",
        " migrations applied, ",
        "sample org  Brightlane Software",
        "1  A meeting ended",
        "published meeting_ended",
        "2  The router takes it",
        "context loaded: activities (",
        "3  The steps",
        "extract_action_items   ✓",
        "detect_intents         ✓",
        "draft_followup         ✓",
        "queue_proposal         ✓           router  queued proposal_generation",
        "send_followup_email    ⏸",
        "4  What Maya sees in Slack",
        "Send this follow-up email to Linda Marsh?",
        "[ Approve ]  [ Edit ]  [ Skip ]  [ Cancel ]",
        "5  Maya clicks Approve",
        "ApprovalDecision approve from Slack user U05K2M8QZ1A",
        "send_followup_email    ✓",
        "the email provider received 1 request",
        "the gate is approved (by u_bl_maya)",
        "Create 2 CRM tasks?",
        "create_tasks           ✓",
        "2 CRM tasks written",
        "6  The summary in Slack",
        "MEETING RECAP: KEYSTONE COMFORT",
        "You committed to:",
        "7  The chained job",
        "proposal_generation job",
        "(chain depth 1)",
        "it waits at its own gate: \"Send this proposal?",
        "8  Execution metadata",
        "status completed",
        "9  Audit trail of job",
        "approval.decided",
        "job.completed",
        "The whole story took",
    ];
    let mut at = 0;
    for line in story {
        match stdout[at..].find(line) {
            Some(i) => at += i + line.len(),
            None => panic!("the demo's output lacks {line:?} (after byte {at}):\n{stdout}"),
        }
    }
    // The proposal job names its parent: the meeting job.
    let parent = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("9  Audit trail of job "))
        .unwrap()
        .to_string();
    assert!(
        stdout.contains(&format!("— parent {parent} (chain depth 1)")),
        "{stdout}"
    );
    for address in ["@keystonecomfort.com", "@brightlane.io"] {
        assert!(
            !stdout.contains(address) && !stderr.contains(address),
            "no email addresses in the demo's output or logs"
        );
    }
}
