//! The inform-only messages as the rep sees them: Block Kit and plain text.

use baton_skills::{Registry, messages};
use serde_json::{Value, json};

use crate::{data_dir, read_json};

fn texts(blocks: &Value) -> Vec<String> {
    blocks
        .as_array()
        .unwrap()
        .iter()
        .map(|b| match b["type"].as_str().unwrap() {
            "header" | "section" => b["text"]["text"].as_str().unwrap().to_string(),
            "context" => b["elements"][0]["text"].as_str().unwrap().to_string(),
            other => panic!("unexpected block type {other}"),
        })
        .collect()
}

#[tokio::test]
async fn post_meeting_summary_lists_both_sides_commitments_and_what_was_queued() {
    let mut meeting = read_json(data_dir().join("meetings/mtg_dev_001.json"));
    // What the job did before the summary step: one follow-up step queued a proposal, the
    // other (its `when` false) queued nothing, the email went out, three tasks were written.
    meeting["outputs"] = json!({
        "queue_proposal": { "followups_queued": ["proposal_generation"] },
        "queue_scheduling": { "followups_queued": [] },
        "send_followup_email": { "message_id": "msg_1", "status": "sent" },
        "create_tasks": { "created": 3, "task_ids": ["a", "b", "c"] },
    });
    let out = Registry::builtin()
        .run("slack-post-meeting", "job:9:1", &meeting)
        .await
        .unwrap()
        .output;
    let n = &out["notification"];
    let intents = Registry::builtin()
        .run("detect-intents", "job:2:1", &meeting)
        .await
        .unwrap()
        .output;
    let rep: Vec<&str> = intents["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["owner_role"] == "rep")
        .map(|c| c["phrase"].as_str().unwrap())
        .collect();
    assert!(!rep.is_empty());
    assert_eq!(n["rep_commitments"], rep.len());

    let blocks = texts(&n["blocks"]);
    assert_eq!(n["blocks"][0]["type"], "header");
    assert_eq!(
        blocks[0],
        format!("Meeting recap: {}", meeting["title"].as_str().unwrap())
    );
    let mine = blocks
        .iter()
        .find(|b| b.starts_with("*You committed to:*"))
        .expect("a section with the rep's commitments");
    let text = n["text"].as_str().unwrap();
    for phrase in &rep {
        assert!(mine.contains(&messages::esc(phrase)), "{phrase} in {mine}");
        assert!(text.contains(phrase), "{phrase} in the plain text");
    }
    // Only what the job queued and did: the proposal, the sent email, the tasks — not the
    // scheduling it might have queued.
    assert!(
        blocks.last().unwrap().contains("a proposal draft"),
        "{blocks:?}"
    );
    assert!(
        text.contains(
            "Queued for you: a proposal draft. Follow-up email sent. 3 tasks added to your CRM."
        ),
        "{text}"
    );
    assert!(!text.contains("times for the next meeting"), "{text}");

    // Run alone (no job behind it), it claims nothing was queued or sent.
    meeting.as_object_mut().unwrap().remove("outputs");
    let alone = Registry::builtin()
        .run("slack-post-meeting", "job:9:1", &meeting)
        .await
        .unwrap()
        .output;
    let alone = alone["notification"]["text"].as_str().unwrap();
    assert!(alone.contains("Nothing queued."), "{alone}");
    assert!(
        !alone.contains("sent") && !alone.contains("added"),
        "{alone}"
    );
    // No buttons: inform only.
    assert!(
        n["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["type"] != "actions")
    );
}

#[test]
fn summary_escapes_what_slack_would_read_as_markup() {
    let m = messages::post_meeting_summary(&json!({
        "title": "R&D <sync>",
        "rep_commitments": ["send the <draft> & pricing"],
        "prospect_commitments": [],
        "follow_ups": [],
    }));
    let blocks = texts(&m.blocks);
    assert_eq!(
        blocks[0], "Meeting recap: R&D <sync>",
        "header is plain text"
    );
    assert!(
        blocks
            .iter()
            .any(|b| b.contains("send the &lt;draft&gt; &amp; pricing"))
    );
    assert!(
        m.text.contains("send the <draft> & pricing"),
        "plain text is not escaped"
    );
    assert!(m.text.contains("Nothing queued."));
}
