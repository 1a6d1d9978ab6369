//! `baton demo`, the README's first command, as a newcomer runs it: no configuration beyond
//! where PostgreSQL is, its own fresh database, and the whole story in its output.

use std::{path::Path, time::Duration};

use crate::harness::{data, repo};

/// `baton demo <args>` run from `dir` against the test server, in a database of its own
/// (dropped afterwards): (success, stdout, stderr).
async fn demo(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let name = baton_testkit::unique("baton_demo");
    let base = baton_testkit::base_url();
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["demo", "--database", &name])
        .args(args)
        .current_dir(dir)
        // The server only; the demo makes a database of its own on it.
        .env("BATON_DATABASE__URL", &base)
        .env_remove("BATON_TELEMETRY__LOG_FILTER")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("baton demo finished")
        .unwrap();
    {
        use sqlx::migrate::MigrateDatabase;
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        sqlx::Postgres::force_drop_database(&url).await.ok();
    }
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each of `story` in `stdout`, in order.
/// Neither the demo's output nor its logs show an email address (a URL's `user@host` is not
/// one).
fn no_email_addresses(stdout: &str, stderr: &str) {
    let addresses: Vec<&str> = stdout
        .split_whitespace()
        .chain(stderr.split_whitespace())
        .filter(|w| !w.contains("://"))
        .filter(|w| {
            w.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host
                        .split('.')
                        .nth(1)
                        .is_some_and(|tld| tld.starts_with(char::is_alphabetic))
            })
        })
        .collect();
    assert!(
        addresses.is_empty(),
        "email addresses in the demo's output or logs: {addresses:?}"
    );
}

/// What the scheduling chapter must say, given how many start times it found: the sample's
/// request ("Thursday after 2pm or Friday morning before 11, Eastern") is moved to this
/// week, so late in the week fewer of its times lie ahead of the wall clock, and from Friday
/// 11:00 Eastern none do. Up to three are offered by email; with none, other times are
/// asked for.
fn scheduling_answer(stdout: &str) -> (String, &'static str) {
    let marker = " start times fit both calendars; the best ";
    let at = stdout
        .find(marker)
        .unwrap_or_else(|| panic!("no scheduling answer in:\n{stdout}"));
    let found: usize = stdout[..at]
        .rsplit(char::is_whitespace)
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {marker:?} in:\n{stdout}"));
    let line = format!("{found}{marker}{} are offered:", found.min(3));
    let subject = if found > 0 {
        "Times to meet"
    } else {
        "Finding a time"
    };
    (line, subject)
}

fn tells_in_order(stdout: &str, story: &[&str]) {
    let mut at = 0;
    for line in story {
        match stdout[at..].find(line) {
            Some(i) => at += i + line.len(),
            None => panic!("the demo's output lacks {line:?} (after byte {at}):\n{stdout}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_tells_the_whole_story_and_exits_zero() {
    let data = data();
    let (ok, stdout, stderr) = demo(&repo(), &["--data", data.to_str().unwrap()]).await;
    assert!(
        ok,
        "baton demo failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    // The story, in order.
    let story = [
        "(fresh), ",
        " migrations applied, ",
        "sample org  Brightlane Software",
        "1  A meeting ended",
        // Through the ingress, as the recorder's bot sends it.
        "the recorder's bot posted complete (",
        "/webhooks/meetingbaas → 200",
        "the ingress stored the transcript (",
        " segments) and published meeting_ended",
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
        "Slack posted the click to http://",
        "/slack/interactivity → 200: ApprovalDecision approve from Slack user U05K2M8QZ1A",
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
    tells_in_order(&stdout, &story);
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
    no_email_addresses(&stdout, &stderr);
}

/// A plain clone: the repository's `sequences/` and nothing beside it (no ../shared). The demo
/// runs on the sample data built into the binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_runs_from_a_plain_clone_on_its_built_in_sample() {
    let clone = std::env::temp_dir()
        .join(baton_testkit::unique("baton_clone"))
        .join("baton");
    std::fs::create_dir_all(clone.join("sequences")).unwrap();
    for f in std::fs::read_dir(repo().join("sequences")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, clone.join("sequences").join(p.file_name().unwrap())).unwrap();
    }
    assert!(!clone.join("../shared").exists());
    let (ok, stdout, stderr) = demo(&clone, &[]).await;
    std::fs::remove_dir_all(clone.parent().unwrap()).ok();
    assert!(
        ok,
        "baton demo failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let (offered, subject) = scheduling_answer(&stdout);
    let sent = format!("the email provider received \"{subject}\" to Marcus Hale");
    tells_in_order(
        &stdout,
        &[
            "sample org  Tidewater Software",
            "1  A meeting ended",
            "\"Harborline Plumbing <> Tidewater — discovery\" — Priya Raman with Rosa Delgado, Owen Pike",
            "detect_intents         ✓",
            "4  What Priya sees in Slack",
            "Send this follow-up email to Rosa Delgado?",
            "5  Priya clicks Approve",
            "ApprovalDecision approve from Slack user U07TWPRIYA",
            "the email provider received 1 request",
            "MEETING RECAP: HARBORLINE PLUMBING",
            "proposal_generation job",
            "it waits at its own gate",
            "calendar_find_times job",
            "find_slots             ✓",
            "draft_email            ✓",
            "status completed",
            // The rest of the day, on the sample's emails and calendar moved to this week.
            "── An email arrives that needs an answer",
            "\"Numbers for 18 techs?\" from Tessa Quinn to Priya Raman",
            "classified: pricing_question → draft_reply_needs_approval (language en, contact ct_tessa_quinn, deal d_cedar_ridge)",
            "Send this follow-up email to Tessa Quinn?",
            "the email provider received \"Re: Numbers for 18 techs?\" to Tessa Quinn",
            "── A prospect asks for a meeting",
            "classified: meeting_request → find_meeting_times (language en, contact ct_marcus_hale, deal d_harborline)",
            "calendar_find_times job",
            &offered,
            "Send this follow-up email to Marcus Hale?",
            &sent,
            "── The morning brief for ",
            "GOOD MORNING, PRIYA.",
            "MEETINGS TODAY (",
            "PIPELINE PULSE",
            "[ Expand pipeline ]  [ Show full inbox ]",
            "The whole story took",
        ],
    );
    assert!(!stdout.contains('✗'), "no step failed:\n{stdout}");
    no_email_addresses(&stdout, &stderr);
}

/// `--scenario` tells one part of the day and nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_scenario_tells_only_that_part() {
    let (ok, stdout, stderr) = demo(&repo(), &["--scenario", "scheduling"]).await;
    assert!(ok, "--- stdout\n{stdout}\n--- stderr\n{stderr}");
    let (offered, subject) = scheduling_answer(&stdout);
    let sent = format!("the email provider received \"{subject}\"");
    tells_in_order(
        &stdout,
        &[
            "── A prospect asks for a meeting",
            "queue_scheduling       ✓           router  queued calendar_find_times",
            &offered,
            &sent,
            "The whole story took",
        ],
    );
    for other in ["A meeting ended", "needs an answer", "The morning brief"] {
        assert!(!stdout.contains(other), "{other} told too:\n{stdout}");
    }
    let (ok, _, stderr) = demo(&repo(), &["--scenario", "lunch"]).await;
    assert!(!ok && stderr.contains("invalid value 'lunch'"), "{stderr}");
}

/// No PostgreSQL at the configured address: one paragraph saying what was tried, how to
/// start a server and which variable to set; exit non-zero, nothing else attempted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_without_postgres_says_how_to_get_one() {
    // A port nothing listens on: bound, then released.
    let port = crate::harness::free_port();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("demo")
        .current_dir(repo())
        .env(
            "BATON_DATABASE__URL",
            format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        )
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("PostgreSQL is not reachable at 127.0.0.1:{port}")),
        "{stderr}"
    );
    for hint in ["pg_ctlcluster", "docker run", "BATON_DATABASE__URL="] {
        assert!(
            stderr.contains(hint),
            "the explanation lacks {hint:?}: {stderr}"
        );
    }
}
