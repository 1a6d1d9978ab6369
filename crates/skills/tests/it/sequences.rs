//! The repository's sequences validate against the real skill registry.

use std::path::PathBuf;

use baton_core::sequence::{Action, SequenceSet};
use baton_skills::Registry;

#[test]
fn the_shipped_sequences_are_valid() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sequences");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = format!("sequences/{}", path.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    let set = SequenceSet::parse(
        files.iter().map(|(n, t)| (n.as_str(), t.as_str())),
        &Registry::builtin().catalog(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let meeting = set.get("meeting_ended").unwrap();
    let names: Vec<&str> = meeting.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "extract_action_items",
            "detect_intents",
            "suggest_next_actions",
            "draft_followup",
            "queue_proposal",
            "queue_scheduling",
            "send_followup_email",
            "create_tasks",
            "slack_summary"
        ]
    );
    // Every send, every deal-stage change and every task creation is gated; recording an
    // inbound email on its thread and contact is not a change the rep approves.
    let catalog = Registry::builtin().catalog();
    assert!(!catalog.crm_actions["record-email"].requires_approval);
    for seq in set.iter() {
        for step in &seq.steps {
            let gated_action = match &step.action {
                Action::Crm(k) => catalog.crm_actions[k].requires_approval,
                Action::Skill(k) => k == "email-send-as-rep",
                _ => false,
            };
            if gated_action {
                assert!(
                    step.approval.is_some(),
                    "{}: {} is not gated",
                    seq.event,
                    step.name
                );
            }
        }
    }
    assert!(
        set.get("proposal_generation").unwrap().steps[0].requires_context == ["proposal_templates"]
    );
}
