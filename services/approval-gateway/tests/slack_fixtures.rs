//! The buttons the gateway sends are the ones Slack echoes back: the recorded block_actions
//! payloads in ../shared/data/webhooks/slack (a click on each button of an approval message)
//! name their gate and decision exactly as `blocks` reads and writes them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use baton_approval_gateway::blocks;
use baton_schemas::{Decision, PendingActionId};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let dir = std::env::var_os("BATON_DATA_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let path = dir.join("webhooks/slack").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The `actions` block of the message the click came from.
fn actions_block(payload: &Value) -> &Value {
    payload["message"]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap()
}

#[test]
fn a_clicked_buttons_value_block_and_action_name_the_gate_and_the_decision() {
    for (file, decision) in [
        ("block_actions_approve.json", Decision::Approve),
        ("block_actions_edit.json", Decision::Edit),
        ("block_actions_skip.json", Decision::Skip),
        ("block_actions_cancel.json", Decision::Cancel),
    ] {
        let f = fixture(file);
        let named: PendingActionId = f["_meta"]["pending_action_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let action = &f["payload_decoded"]["actions"][0];
        let value: PendingActionId = action["value"].as_str().unwrap().parse().unwrap();
        assert_eq!(value, named, "{file}: the button's value is the gate");
        assert_eq!(
            blocks::gate_of_block(action["block_id"].as_str().unwrap()),
            Some(named),
            "{file}: the block id names the gate"
        );
        assert_eq!(
            blocks::decision_of(action["action_id"].as_str().unwrap()),
            Some(decision),
            "{file}"
        );
        assert_eq!(f["_meta"]["decision"], decision.as_str(), "{file}");
        // The gate's id round-trips: shown with its prefix, stored as the bare UUID.
        assert_eq!(
            PendingActionId::from_uuid(named.uuid()).to_string(),
            action["value"]
        );
        assert_eq!(
            named.uuid().to_string().parse::<PendingActionId>().unwrap(),
            named
        );
    }
}

#[test]
fn the_gateways_buttons_are_the_ones_slack_echoes_back() {
    let f = fixture("block_actions_approve.json");
    let gate: PendingActionId = f["_meta"]["pending_action_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (ours, _) = blocks::approval(
        "email_draft",
        "send_follow_up",
        &json!({ "subject": "Recap", "body": "Hi", "to": { "name": "Linda Marsh" } }),
        gate,
        "tomorrow",
        &["body".to_string()],
        None,
    );
    let ours = ours
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap()
        .clone();
    let theirs = actions_block(&f["payload_decoded"]);
    assert_eq!(ours["block_id"], theirs["block_id"]);
    let shape = |b: &Value| -> Vec<(Value, Value, Value)> {
        b["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["type"].clone(),
                    e["action_id"].clone(),
                    e["value"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&ours), shape(theirs));
    assert_eq!(
        blocks::decision_of("baton.approve"),
        Some(Decision::Approve)
    );
    assert_eq!(
        blocks::decision_of("baton_approve"),
        None,
        "the old underscore form is not ours"
    );
    assert_eq!(
        blocks::gate_of_block("baton:pa_0193385b-7c4e-7a21-9f3d-2b6e8c1a4d07"),
        None
    );
}
