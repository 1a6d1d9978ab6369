//! End to end with the three services as separate processes (`baton run <service>`), on the
//! embedded bus and on Kafka (Tansu): a meeting_ended event for a sample transcript reaches
//! awaiting_approval with the drafted email, one ApprovalRequest, and one proposal_generation
//! follow-up job linked to its parent at chain depth 1.

use std::time::Duration;

use baton_platform::config::BusKind;
use baton_schemas::ApprovalRequest;

use crate::harness::{Env, meeting_ended};

async fn meeting_to_approval(bus: BusKind) {
    let env = Env::new(bus, None).await;
    let mut procs = vec![
        env.spawn("router"),
        env.spawn("context-loader"),
        env.spawn("step-executor"),
    ];
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;

    let job_sql = format!(
        "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
        ev.event_id
    );
    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the meeting_ended job to reach awaiting_approval",
    )
    .await;
    let job_id: String = env.scalar(&job_sql).await;
    let job = env.job(&job_id).await;
    assert_eq!(job["event_type"], "meeting_ended");
    assert_eq!(job["event_source"], "test/webhook");
    assert_eq!(job["trigger_payload"]["meeting_id"], "mtg_dev_001");
    let state = &job["context"];
    let draft = &state["outputs"]["draft_followup"];
    assert_eq!(draft["to"]["contact_id"], "ct_linda_marsh", "{draft:#}");
    assert!(
        draft["subject"].as_str().unwrap().starts_with("Follow-up:"),
        "{draft:#}"
    );
    assert!(
        draft["body"].as_str().unwrap().starts_with("Hi Linda,"),
        "{draft:#}"
    );
    // Outputs are rows of their own, each written when its step finished, and the loaded
    // context a column written once; the job's state (rewritten on every result) holds
    // neither.
    let stored: serde_json::Value = env
        .scalar(&format!(
            "SELECT jsonb_build_object(
               'in_row', (SELECT context ?| array['outputs', 'context'] FROM sequence_jobs WHERE id = '{job_id}'),
               'loaded', (SELECT loaded_context -> 'deal' ->> 'id' FROM sequence_jobs WHERE id = '{job_id}'),
               'steps', (SELECT jsonb_agg(step_name ORDER BY step_name) FROM sequence_job_outputs WHERE job_id = '{job_id}'),
               'writes', (SELECT count(DISTINCT xmin::text) FROM sequence_job_outputs WHERE job_id = '{job_id}'))"
        ))
        .await;
    let mut steps: Vec<&String> = state["outputs"].as_object().unwrap().keys().collect();
    steps.sort();
    assert_eq!(stored["in_row"], false, "{stored}");
    assert_eq!(stored["loaded"], "d_keystone", "{stored}");
    assert_eq!(stored["steps"], serde_json::json!(steps), "{stored}");
    assert!(stored["writes"].as_i64().unwrap() > 1, "{stored}");
    assert_eq!(
        state["pending_approvals"],
        serde_json::json!([6]),
        "the send_followup_email gate"
    );
    assert_eq!(
        state["context"]["deal"]["id"], "d_keystone",
        "tier 2 was loaded"
    );
    assert!(
        state["context"]["meetings"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        !state.to_string().contains("\"segments\""),
        "transcripts are referenced by id, never copied into job state"
    );

    // The proposal follow-up: its own job, linked both ways, at depth 1.
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM sequence_jobs WHERE event_type = 'proposal_generation' AND event_chain->>'parent' = '{job_id}'"
        ),
        "the proposal_generation child job",
    )
    .await;
    let child: serde_json::Value = env
        .scalar(&format!(
            "SELECT to_jsonb(j) FROM sequence_jobs j WHERE event_chain->>'parent' = '{job_id}' AND event_type = 'proposal_generation'"
        ))
        .await;
    assert_eq!(child["chain_depth"], 1);
    assert_eq!(child["trigger_payload"]["deal_id"], "d_keystone");
    let parent = env.job(&job_id).await;
    assert!(
        parent["event_chain"]["children"]
            .as_array()
            .unwrap()
            .contains(&child["id"]),
        "{:#}",
        parent["event_chain"]
    );
    let queued: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM sequence_jobs WHERE event_type = 'proposal_generation' AND event_chain->>'parent' = '{job_id}'"
        ))
        .await;
    assert_eq!(queued, 1, "one proposal follow-up, not two");

    // Exactly one approval request for the parent's gate (and the child's, once it gets
    // there); read back from the bus itself.
    env.wait(
        &format!(
            "SELECT status = 'awaiting_approval' FROM sequence_jobs WHERE id = '{}'",
            child["id"].as_str().unwrap()
        ),
        "the proposal job to reach its send gate",
    )
    .await;
    let requests: Vec<ApprovalRequest> = env.consume(Duration::from_secs(8)).await;
    let mine: Vec<_> = requests.iter().filter(|r| r.job_id == job_id).collect();
    assert_eq!(mine.len(), 1, "{requests:#?}");
    assert_eq!(mine[0].pattern, "email_draft");
    assert_eq!(mine[0].step_name, "send_followup_email");
    assert_eq!(mine[0].draft["subject"], draft["subject"]);
    assert_eq!(mine[0].editable_fields, ["subject", "body"]);
    let child_requests: Vec<_> = requests
        .iter()
        .filter(|r| Some(r.job_id.as_str()) == child["id"].as_str())
        .collect();
    assert_eq!(child_requests.len(), 1);
    assert_eq!(child_requests[0].pattern, "proposal");

    for p in &mut procs {
        p.kill().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_ended_reaches_approval_embedded_bus() {
    meeting_to_approval(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_ended_reaches_approval_kafka() {
    meeting_to_approval(BusKind::Kafka).await;
}
