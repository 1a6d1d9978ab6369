//! The built-in skills on the sample meetings and org.

use baton_skills::{Registry, SkillError};
use serde_json::{Value, json};

use crate::{data_dir, meeting_files, read_json};

fn meeting(id: &str) -> Value {
    read_json(data_dir().join(format!("meetings/{id}.json")))
}

async fn run(key: &str, input: &Value) -> Value {
    let out = Registry::builtin()
        .run(key, "job:step:1", input)
        .await
        .unwrap();
    assert!(out.cost.usd_micros > 0, "{key} reports its cost");
    assert_eq!(out.cost.model, format!("builtin:{key}"));
    out.output
}

#[tokio::test]
async fn action_items_keep_the_prospects_items_apart() {
    let out = run("extract-action-items", &meeting("mtg_dev_001")).await;
    let items = out["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["owner"], "rep");
    assert_eq!(items[0]["assignee"], "Maya Okafor");
    assert!(
        items[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Put together a proposal")
    );
    let greg = items.iter().find(|i| i["owner"] == "prospect").unwrap();
    assert_eq!(greg["assignee"], "Greg Tull");
}

#[tokio::test]
async fn the_draft_is_addressed_to_the_prospect_and_lists_both_sides() {
    // Input as the executor passes it: {meeting, ...}.
    let out = run(
        "post-meeting-followup-drafter",
        &json!({ "meeting": meeting("mtg_dev_001") }),
    )
    .await;
    assert_eq!(out["to"]["contact_id"], "ct_linda_marsh");
    let body = out["body"].as_str().unwrap();
    assert!(body.starts_with("Hi Linda,"), "{body}");
    assert!(
        body.contains("From my side:\n- Put together a proposal"),
        "{body}"
    );
    assert!(
        body.contains("From your side:\n- Greg: Pull last quarter's ticket volume"),
        "{body}"
    );
    assert!(body.ends_with("Best,\nMaya"), "{body}");
    assert_eq!(out["subject"], "Follow-up: Keystone Comfort <> Brightlane");
}

#[tokio::test]
async fn a_negation_never_becomes_a_task_or_follow_up() {
    // mtg_dev_009: "we're not ready for a proposal", "I won't bury you in a proposal".
    let out = run("detect-intents", &meeting("mtg_dev_009")).await;
    assert!(
        out["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["intent"] != "send_proposal")
    );
    assert_eq!(out["non_commitments"].as_array().unwrap().len(), 2);
    assert!(
        !out["follow_up_events"]
            .as_array()
            .unwrap()
            .contains(&json!("proposal_generation"))
    );
    let summary = run("slack-post-meeting", &meeting("mtg_dev_009")).await;
    assert_eq!(summary["notification"]["inform_only"], true);
    assert_eq!(summary["notification"]["declined_or_deferred"], 2);
}

#[tokio::test]
async fn suggestions_mention_competitors_the_org_tracks() {
    let org = read_json(data_dir().join("org/org_brightlane.json"));
    let input = json!({
        "meeting": meeting("mtg_dev_001"),
        "context": { "org": { "product_profile": org["product_profile"] } },
    });
    let out = run("suggest-next-actions", &input).await;
    let actions: Vec<&str> = out["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"Prepare a comparison with ServiceGrid"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn proposal_from_deal_and_product_profile() {
    let org = read_json(data_dir().join("org/org_brightlane.json"));
    let deal = org["deals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "d_keystone")
        .unwrap();
    let company = org["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == deal["company_id"])
        .unwrap();
    let contact = org["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == deal["primary_contact_id"])
        .unwrap();
    let input = json!({
        "event": { "payload": { "commitment": "I'll put together a proposal" } },
        "context": { "org": { "product_profile": org["product_profile"] }, "deal": deal, "company": company, "contact": contact },
    });
    let out = run("generate-proposal", &input).await;
    let plans: Vec<&str> = out["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["plan"].as_str().unwrap())
        .collect();
    assert_eq!(plans, ["Pro", "Enterprise"], "USD plans only");
    let technicians = company["field_technicians"].as_f64().unwrap();
    assert_eq!(
        out["options"][0]["annual_total"].as_f64().unwrap(),
        technicians * 65.0 * 12.0
    );
    assert_eq!(out["template_used"], false);
    let body = out["email"]["body"].as_str().unwrap();
    assert!(body.starts_with("Hi Linda,"), "{body}");
    // The document is rendered and attached; the email says so because it is.
    let doc = out["document"].as_str().unwrap();
    assert!(doc.starts_with("# Proposal: "), "{doc}");
    for section in [
        "## Your goals",
        "## Proposed solution",
        "## Pricing",
        "## Implementation plan",
        "## Next steps",
    ] {
        assert!(doc.contains(section), "{section} in\n{doc}");
    }
    assert!(
        doc.contains("I'll put together a proposal"),
        "the commitment it answers"
    );
    assert!(
        doc.contains(&format!("| Pro | 65 USD | {technicians:.0} |")),
        "{doc}"
    );
    let attachment = &out["email"]["attachments"][0];
    let filename = attachment["filename"].as_str().unwrap();
    assert!(
        filename.ends_with(".md") && !filename.contains(' '),
        "{filename}"
    );
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(attachment["content_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), doc);
    assert!(body.contains(&format!("attached ({filename})")), "{body}");
    // With the tier-3 template, its sections are used.
    let mut with_template = input.clone();
    with_template["context"]["proposal_templates"] = json!({"sections": ["Summary", "Pricing"]});
    with_template["context"]["proposal_templates"] =
        json!({"sections": ["Summary", "Pricing", "Security review"]});
    let out = run("generate-proposal", &with_template).await;
    assert_eq!(
        out["sections"],
        json!(["Summary", "Pricing", "Security review"])
    );
    let doc = out["document"].as_str().unwrap();
    assert!(
        doc.contains("## Security review\n\n_To be written by your account executive"),
        "a section the facts say nothing about is left to the rep, visibly: {doc}"
    );
}

#[tokio::test]
async fn bad_input_names_what_is_missing() {
    let err = Registry::builtin()
        .run("generate-proposal", "k", &json!({"context": {}}))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("context.deal is missing"), "{err}");
    assert!(!err.retryable());
    let err = Registry::builtin()
        .run("detect-intents", "k", &json!({}))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("input has no meeting"), "{err}");
    let err = Registry::builtin()
        .run("email-send-as-rep", "k", &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, SkillError::NotConfigured { .. }), "{err}");
    let err = Registry::builtin()
        .run("nope", "k", &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, SkillError::Unknown { .. }));
}

/// Every meeting skill's output matches its declared schema (the registry checks it on every
/// run) on each DEV meeting and each of our own.
#[tokio::test]
async fn every_meeting_skill_matches_its_schema_on_dev_and_own_meetings() {
    let own = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/meetings");
    let mut meetings = 0;
    for dir in [data_dir().join("meetings"), own] {
        for path in meeting_files(&dir) {
            let name = path.to_string_lossy().to_string();
            let m = read_json(path);
            for key in [
                "detect-intents",
                "extract-action-items",
                "suggest-next-actions",
                "post-meeting-followup-drafter",
                "slack-post-meeting",
                "coaching-analysis",
            ] {
                if let Err(e) = Registry::builtin().run(key, "job:step:1", &m).await {
                    panic!("{key} on {name}: {e}");
                }
            }
            meetings += 1;
        }
    }
    assert!(meetings >= 12 + 66, "{meetings} meetings");
}
