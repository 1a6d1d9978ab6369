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
    let meeting = read_json(data_dir().join("meetings/mtg_dev_001.json"));
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
    // mtg_dev_001 promises a proposal: the summary says it was queued.
    assert!(
        blocks.last().unwrap().contains("a proposal draft"),
        "{blocks:?}"
    );
    assert!(
        text.contains(
            "Queued for you: the follow-up email, a proposal draft, times for the next meeting."
        ),
        "{text}"
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
