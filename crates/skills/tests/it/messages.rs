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

/// Maya's morning brief for a day of her sample calendar, built the way the brief step
/// will: the truth file's meetings with contacts, contacts and deals from the org.
fn brief_for(date: &str) -> (Value, Vec<Value>) {
    let truth = read_json(data_dir().join("calendars/morning_brief_truth.json"));
    let org = read_json(data_dir().join("org/org_brightlane.json"));
    let find = |list: &str, id: &str| -> Value {
        org[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} not in {list}"))
    };
    let day = truth["briefs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["user_id"] == "u_bl_maya" && b["local_date"] == date)
        .unwrap()
        .clone();
    let meetings: Vec<Value> = day["meetings_with_contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let deal = m["deal_id"].as_str().map(|d| find("deals", d));
            json!({
                "time": &m["start_local"].as_str().unwrap()[11..16],
                "title": m["title"],
                "contacts": m["contact_ids"].as_array().unwrap().iter()
                    .map(|c| find("contacts", c.as_str().unwrap())["name"].clone())
                    .collect::<Vec<_>>(),
                "deal": deal,
            })
        })
        .collect();
    let data = json!({
        "user_name": "Maya Okafor",
        "date": date,
        "meetings": meetings,
        "pending_approvals": 2,
    });
    (data, meetings)
}

#[test]
fn morning_brief_lists_the_days_customer_meetings_in_local_time() {
    let (data, meetings) = brief_for("2026-11-30");
    assert_eq!(meetings.len(), 1);
    let m = messages::morning_brief(&data);
    let blocks = texts(&m.blocks);
    assert_eq!(blocks[0], "Good morning, Maya — 2026-11-30");
    assert_eq!(blocks[1], "*1 meeting with customers today:*");
    // 10:00 New York time, as the calendar has it; with the people and the deal.
    assert_eq!(
        blocks[2],
        "*10:00*  Keystone — proposal questions (Ray)\nwith Ray Castellano, Linda Marsh · \
         Keystone — Brightlane Field Pro (85 techs) (discovery, 66,300 USD)"
    );
    assert_eq!(blocks[3], "2 drafts are waiting for your approval.");
    assert!(
        m.text.contains(
            "10:00  Keystone — proposal questions (Ray) (with Ray Castellano, Linda Marsh"
        )
    );

    let (data, meetings) = brief_for("2026-12-01");
    assert_eq!(meetings.len(), 1);
    let m = messages::morning_brief(&data);
    assert!(texts(&m.blocks)[2].starts_with(
        "*13:00*  Keystone Comfort — Brightlane demo\nwith Linda Marsh, Greg Tull, Ray Castellano"
    ));
}

#[test]
fn morning_brief_on_a_day_without_customer_meetings_says_so() {
    let (mut data, meetings) = brief_for("2026-12-04");
    assert!(meetings.is_empty());
    data["pending_approvals"] = json!(0);
    data["stale_deals"] = json!([{ "name": "Pinecrest", "days_idle": 15 }]);
    let m = messages::morning_brief(&data);
    assert_eq!(
        texts(&m.blocks),
        vec![
            "Good morning, Maya — 2026-12-04".to_string(),
            "No meetings with customers today.".to_string(),
            "*Deals going quiet:*\n• Pinecrest (no activity for 15 days)".to_string(),
        ]
    );
    assert_eq!(
        m.text,
        "Good morning, Maya — 2026-12-04\nNo meetings with customers today.\nDeals going quiet:\n• Pinecrest (no activity for 15 days)"
    );
}
