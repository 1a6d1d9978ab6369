//! Sequence definitions: parsing, every validation rule with its file and line, pinning.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use baton_core::sequence::{Action, Catalog, Effect, OnFailure, SequenceSet};

fn catalog() -> Catalog {
    let mut c = Catalog::default();
    for k in ["summarise", "draft"] {
        c.skills.insert(k.into(), Effect::default());
    }
    c.skills.insert(
        "email-send-as-rep".into(),
        Effect {
            requires_approval: true,
            sends_email: true,
        },
    );
    c.crm_actions.insert(
        "create-task".into(),
        Effect {
            requires_approval: true,
            sends_email: false,
        },
    );
    c.notify_templates.insert("post_meeting_summary".into());
    c
}

const GOOD: &str = r#"
event: meeting_ended
feature: post_meeting_followup
steps:
  - name: summarise
    skill: summarise
    ai: true
  - name: maybe_skip
    branch:
      when: "outputs.summarise.empty"
      goto: tell
  - name: draft
    skill: draft
    on_failure: { retry: { attempts: 3, backoff: 30s } }
  - name: send
    skill: email-send-as-rep
    input: { draft: outputs.draft }
    approval: { pattern: email_draft, editable: [subject, body], on_timeout: skip }
  - name: queue
    followup:
      event: proposal_generation
      for_each: "outputs.summarise.items.filter(i, i.kind == 'proposal')"
      payload: { phrase: item.phrase }
  - name: tell
    notify: post_meeting_summary
    on_failure: continue
"#;

const CHILD: &str = "event: proposal_generation\nsteps:\n  - name: one\n    skill: draft\n";

fn parse(files: &[(&str, &str)]) -> Result<SequenceSet, String> {
    SequenceSet::parse(files.iter().copied(), &catalog()).map_err(|e| e.to_string())
}

/// The one problem reported for `yaml` (as meeting_ended.yaml, with a valid child sequence).
fn problem(yaml: &str) -> String {
    let err = parse(&[
        ("sequences/meeting_ended.yaml", yaml),
        ("sequences/proposal_generation.yaml", CHILD),
    ])
    .expect_err("the definition should be rejected");
    let lines: Vec<&str> = err.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "expected one problem, got: {err}");
    lines[0].trim().to_string()
}

#[test]
fn a_valid_set_parses_with_every_field() {
    let set = parse(&[
        ("sequences/meeting_ended.yaml", GOOD),
        ("sequences/proposal_generation.yaml", CHILD),
    ])
    .unwrap();
    assert_eq!(set.len(), 2);
    let seq = set.get("meeting_ended").unwrap();
    assert_eq!(seq.feature.as_deref(), Some("post_meeting_followup"));
    assert_eq!(seq.dedupe_window, Duration::from_secs(86_400));
    assert_eq!(seq.steps.len(), 6);
    assert_eq!(seq.steps[0].line, 5);
    assert!(seq.steps[0].ai);
    assert!(matches!(&seq.steps[1].action, Action::Branch(b) if b.target == 5));
    let OnFailure::Retry(policy) = seq.steps[2].on_failure else {
        panic!("retry expected");
    };
    assert_eq!(policy.attempts, 3);
    assert_eq!(policy.max_backoff, Duration::from_secs(30 * 32));
    assert!(seq.steps[3].approval.is_some());
    assert!(matches!(&seq.steps[4].action, Action::Followup(f) if f.for_each.is_some()));
    assert_eq!(seq.steps[5].on_failure, OnFailure::Continue);
    assert_eq!(seq.version.len(), 64);
    // The stored form is JSON with expressions as their text.
    let json = serde_json::to_value(seq).unwrap();
    assert_eq!(
        json["steps"][1]["action"]["branch"]["when"],
        "outputs.summarise.empty"
    );
    assert_eq!(json["dedupe_window"], "1day");
}

#[test]
fn the_version_is_the_hash_of_the_file() {
    let a = parse(&[
        ("meeting_ended.yaml", GOOD),
        ("proposal_generation.yaml", CHILD),
    ])
    .unwrap();
    let again = parse(&[
        ("meeting_ended.yaml", GOOD),
        ("proposal_generation.yaml", CHILD),
    ])
    .unwrap();
    let changed = GOOD.replace("attempts: 3", "attempts: 4");
    let b = parse(&[
        ("meeting_ended.yaml", &changed),
        ("proposal_generation.yaml", CHILD),
    ])
    .unwrap();
    let v = |s: &SequenceSet| s.get("meeting_ended").unwrap().version.clone();
    assert_eq!(v(&a), v(&again));
    assert_ne!(v(&a), v(&b));
    assert_eq!(
        a.get("proposal_generation").unwrap().version,
        b.get("proposal_generation").unwrap().version
    );
}

#[test]
fn unknown_skill_names_file_line_and_the_known_skills() {
    let p = problem(&GOOD.replace("skill: draft\n", "skill: drafty\n"));
    assert!(p.starts_with("sequences/meeting_ended.yaml:13:"), "{p}");
    assert!(p.contains("unknown skill `drafty`"), "{p}");
    assert!(p.contains("draft, email-send-as-rep, summarise"), "{p}");
}

#[test]
fn bad_expression_names_its_line() {
    let p = problem(&GOOD.replace("outputs.summarise.empty", "outputs.summarise.empty &&"));
    assert!(p.starts_with("sequences/meeting_ended.yaml:10:13:"), "{p}");
    assert!(p.contains("invalid CEL expression"), "{p}");
    let p = problem(&GOOD.replace("outputs.summarise.empty", "payload.empty"));
    assert!(p.contains("reads `payload`"), "{p}");
    // `item` exists only under for_each.
    let p = problem(&GOOD.replace("input: { draft: outputs.draft }", "input: { draft: item }"));
    assert!(p.contains("reads `item`"), "{p}");
}

#[test]
fn goto_to_a_missing_or_earlier_step() {
    let p = problem(&GOOD.replace("goto: tell", "goto: nowhere"));
    assert!(p.starts_with("sequences/meeting_ended.yaml:11:13:"), "{p}");
    assert!(p.contains("goto to a missing step `nowhere`"), "{p}");
    let p = problem(&GOOD.replace("goto: tell", "goto: summarise"));
    assert!(p.contains("may only jump forward"), "{p}");
}

#[test]
fn unconditional_branch_makes_steps_unreachable() {
    let yaml = GOOD.replace("      when: \"outputs.summarise.empty\"\n", "");
    let err = parse(&[
        ("meeting_ended.yaml", &yaml),
        ("proposal_generation.yaml", CHILD),
    ])
    .unwrap_err();
    for step in ["draft", "send", "queue"] {
        assert!(
            err.contains(&format!("step `{step}` is unreachable")),
            "{err}"
        );
    }
}

#[test]
fn follow_up_to_an_undefined_event_type() {
    let err = parse(&[("sequences/meeting_ended.yaml", GOOD)]).unwrap_err();
    assert!(
        err.contains(
            "meeting_ended.yaml:21:14: follow-up to undefined event type `proposal_generation`"
        ),
        "{err}"
    );
    // Declared as handled elsewhere, it is fine.
    let mut c = catalog();
    c.external_events.insert("proposal_generation".into());
    assert!(SequenceSet::parse([("meeting_ended.yaml", GOOD)], &c).is_ok());
}

#[test]
fn email_send_and_task_creation_need_approval() {
    let p = problem(&GOOD.replace(
        "    approval: { pattern: email_draft, editable: [subject, body], on_timeout: skip }\n",
        "",
    ));
    assert!(
        p.contains("sends email as the rep: it must have an `approval` gate"),
        "{p}"
    );
    // There is no auto-approve on timeout.
    let p = problem(&GOOD.replace("on_timeout: skip", "on_timeout: approve"));
    assert!(p.contains("approve"), "{p}");
    assert!(p.starts_with("sequences/meeting_ended.yaml:"), "{p}");
}

#[test]
fn structural_errors_have_lines_too() {
    let p = problem(&GOOD.replace("    ai: true\n", "    ai: true\n    retries: 3\n"));
    assert!(p.starts_with("sequences/meeting_ended.yaml:8:"), "{p}");
    assert!(p.contains("retries"), "{p}");
    let p = problem(&GOOD.replace("    notify: post_meeting_summary\n", ""));
    assert!(p.contains("exactly one action"), "{p}");
    let p = problem(&GOOD.replace("backoff: 30s", "backoff: soon"));
    assert!(p.contains("`soon` is not a duration"), "{p}");
    let p = problem(&GOOD.replace("event: meeting_ended", "event: meeting_over"));
    assert!(p.contains("does not match the file name"), "{p}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let yaml = GOOD
        .replace("skill: draft\n", "skill: drafty\n")
        .replace("goto: tell", "goto: nowhere");
    let err = parse(&[
        ("meeting_ended.yaml", &yaml),
        ("proposal_generation.yaml", CHILD),
    ])
    .unwrap_err();
    assert!(
        err.starts_with("2 problems in the sequence definitions"),
        "{err}"
    );
}
