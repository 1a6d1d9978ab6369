//! The catalog commands as a user runs them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{path::PathBuf, process::Command};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn baton(args: &[&str], sequences_dir: Option<&PathBuf>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baton"));
    cmd.args(args).current_dir(repo());
    if let Some(dir) = sequences_dir {
        cmd.env("BATON_SEQUENCES__DIR", dir);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_lists_the_shipped_sequences() {
    let (ok, out, err) = baton(&["sequences", "validate"], None);
    assert!(ok, "{err}");
    for event in [
        "meeting_ended",
        "proposal_generation",
        "calendar_find_times",
        "email_received",
        "morning_brief",
        "stale_deal_revival",
        "campaign_check",
        "pre_meeting_90min",
        "coaching_digest",
    ] {
        assert!(out.contains(event), "{out}");
    }
    assert!(out.contains("9 sequences valid"), "{out}");
    let (ok, out, _) = baton(&["sequences", "show", "proposal_generation"], None);
    assert!(ok);
    assert!(
        out.contains("approval: proposal (editable: subject, body)"),
        "{out}"
    );
    let (ok, _, err) = baton(&["sequences", "show", "nope"], None);
    assert!(!ok);
    assert!(err.contains("no sequence for event type \"nope\""), "{err}");
}

#[test]
fn validate_fails_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("baton-seq-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("meeting_ended.yaml"),
        "event: meeting_ended\nsteps:\n  - name: a\n    skill: no-such-skill\n  - name: b\n    branch: { goto: z }\n",
    )
    .unwrap();
    let (ok, _, err) = baton(&["sequences", "validate"], Some(&dir));
    std::fs::remove_dir_all(&dir).ok();
    assert!(!ok);
    assert!(
        err.contains("2 problems in the sequence definitions"),
        "{err}"
    );
    assert!(
        err.contains("meeting_ended.yaml:4:12: unknown skill `no-such-skill`"),
        "{err}"
    );
    assert!(
        err.contains("meeting_ended.yaml:6:21: goto to a missing step `z`"),
        "{err}"
    );
}

#[test]
fn skills_run_prints_the_output_of_a_meeting_file() {
    let meeting = repo().join("../shared/data/meetings/mtg_dev_001.json");
    let (ok, out, err) = baton(
        &[
            "skills",
            "run",
            "detect-intents",
            "--input",
            meeting.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["commitments"].as_array().unwrap().len(), 3);
    assert!(err.contains("cost: $"), "{err}");
    let (ok, out, _) = baton(&["skills", "list"], None);
    assert!(ok);
    assert!(out.contains("crm: create-task"), "{out}");
    let (ok, _, err) = baton(
        &[
            "skills",
            "run",
            "email-send-as-rep",
            "--input",
            meeting.to_str().unwrap(),
        ],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("not configured: set skills.email_url"),
        "{err}"
    );
}

#[test]
fn skills_show_prints_the_output_schema() {
    let (ok, out, err) = baton(&["skills", "show", "detect-intents"], None);
    assert!(ok, "{err}");
    assert!(out.starts_with("detect-intents: "), "{out}");
    let schema = out.split_once("output schema:\n").unwrap().1;
    let schema: serde_json::Value = serde_json::from_str(schema).unwrap();
    let intents = &schema["properties"]["commitments"]["items"]["properties"]["intent"]["enum"];
    assert_eq!(intents.as_array().unwrap().len(), 7, "{schema}");
    let (ok, _, err) = baton(&["skills", "show", "nope"], None);
    assert!(!ok);
    assert!(err.contains("no skill `nope`"), "{err}");
}
