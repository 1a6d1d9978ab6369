//! meeting_ended with `detect-intents` served by a model: a local server speaking the
//! OpenAI-compatible chat-completions format answers from the transcript it is sent; the
//! job runs on the model's commitments, the call is priced from the reported usage into the
//! cost ledger, and the rest of the sequence goes on to the email gate.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use axum::{Json, Router, extract::State, routing::post};
use baton_core::clock::SystemClock;
use baton_platform::config::{BusKind, LlmConfig, LlmProvider, ModelPrice, Serving};
use serde_json::{Value, json};

use crate::harness::{Env, InProcess, meeting_ended};

const PROMISE: &str = "I'll put together a proposal with both options, Pro and Enterprise, and get it to you by Friday";

/// A model that reads the transcript it is sent and reports the one promise it finds.
async fn model(State(seen): State<Arc<Mutex<Vec<Value>>>>, Json(body): Json<Value>) -> Json<Value> {
    seen.lock().unwrap().push(body.clone());
    let transcript = body["messages"][1]["content"].as_str().unwrap_or_default();
    let commitments: Vec<Value> = transcript
        .lines()
        .filter(|l| l.contains(PROMISE))
        .map(|_| {
            json!({"evidence": PROMISE, "segment_index": 0, "owner_role": "rep",
                   "intent": "send_proposal", "strength": "explicit", "conditional": false,
                   "condition": null, "due": "2026-11-20"})
        })
        .collect();
    let content = json!({"commitments": commitments, "non_commitments": []}).to_string();
    Json(json!({
        "id": "chatcmpl-e2e", "object": "chat.completion", "model": "gpt-e2e",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 4000, "completion_tokens": 500},
    }))
}

/// The fake model on a free port, and the requests it received.
async fn start_model() -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(model))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

/// `detect-intents` served by the fake model, priced at $2.50 / $10 per million tokens.
fn serve_with_model(env: &mut Env, base: String) {
    env.config.skills.llm = Some(LlmConfig {
        provider: LlmProvider::Openai,
        base_url: base,
        api_key: Some("sk-e2e".to_string().into()),
        api_key_header: None,
        model: "gpt-e2e".into(),
        timeout_ms: Some(5_000),
        max_output_tokens: 2048,
        prices: BTreeMap::from([(
            "gpt-e2e".into(),
            ModelPrice {
                input_per_mtok: 2.5,
                output_per_mtok: 10.0,
            },
        )]),
    });
    env.config
        .skills
        .serve
        .insert("detect-intents".into(), Serving::Llm);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_ended_runs_on_the_models_commitments_and_prices_the_call() {
    let (base, seen) = start_model().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    serve_with_model(&mut env, base);
    let services = InProcess::start(&env, Arc::new(SystemClock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    let job = env.job_at_gate(&ev).await;
    let state = env.job(&job).await;
    let found = &state["context"]["outputs"]["detect_intents"];
    // The model's one commitment, not the rules' three.
    assert_eq!(found["commitments"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["commitments"][0]["phrase"], PROMISE);
    assert_eq!(found["commitments"][0]["speaker"], "Maya Okafor");
    assert_eq!(
        found["follow_up_events"],
        json!(["followup_email_draft", "proposal_generation"])
    );
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "one call for the step");
        let user = seen[0]["messages"][1]["content"].as_str().unwrap();
        assert!(
            user.contains("Linda Marsh (prospect)"),
            "the transcript was sent"
        );
    }
    // 4,000 prompt tokens at $2.50/M and 500 completion tokens at $10/M: $0.015.
    let ledger: Value = env
        .scalar(&format!(
            "SELECT jsonb_build_object('model', model, 'in', input_tokens, 'out', output_tokens, 'usd', cost_usd::float8)
             FROM ai_cost_ledger WHERE job_id = '{job}' AND step_name = 'detect_intents'"
        ))
        .await;
    assert_eq!(
        ledger,
        json!({"model": "gpt-e2e", "in": 4000, "out": 500, "usd": 0.015})
    );
    services.stop().await;
}

/// The call is priced from its prompt before it is made: a call that would overrun a
/// hard-stop budget pauses the job and the model is never asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_would_overrun_the_budget_pauses_the_job_unasked() {
    let (base, seen) = start_model().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    // The built-ins cost nothing here, so only the model's estimate can reach the limit.
    env.config.skills.input_price_per_mtok = 0.0;
    env.config.skills.output_price_per_mtok = 0.0;
    serve_with_model(&mut env, base);
    // Half a cent left: the transcript alone is estimated above it.
    sqlx::query(
        "UPDATE orgs SET ai_monthly_budget_usd = 0.005, ai_budget_hard_stop = true WHERE id = 'org_brightlane'",
    )
    .execute(&env.owner)
    .await
    .unwrap();
    let services = InProcess::start(&env, Arc::new(SystemClock)).await;
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        "SELECT bool_or(status = 'paused') FROM sequence_jobs",
        "the job to pause",
    )
    .await;
    let job: Value = env.scalar("SELECT to_jsonb(j) FROM sequence_jobs j").await;
    assert_eq!(job["paused_reason"], "budget_exceeded");
    assert!(seen.lock().unwrap().is_empty(), "the model was not called");
    services.stop().await;
}
