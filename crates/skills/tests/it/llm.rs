//! detect-intents served by a model, against a local server speaking the OpenAI-compatible
//! chat-completions and the Anthropic messages wire formats: what is sent (model, messages,
//! schema, headers), usage → cost, unusable answers (failed with the reason, or the built-in
//! when configured as the fallback), 429 and timeouts.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::post,
};
use baton_platform::config::{LlmConfig, LlmProvider, ModelPrice, Serving, SkillsConfig};
use baton_skills::{Registry, SkillError};
use serde_json::{Value, json};

use crate::{data_dir, read_json};

/// What the fake provider answers: the JSON the model "writes", or a failure.
#[derive(Clone)]
enum Reply {
    Answer(Value),
    Text(&'static str),
    RateLimited,
    Slow,
}

#[derive(Clone)]
struct Provider {
    reply: Arc<Mutex<Reply>>,
    seen: Arc<Mutex<Vec<(String, HeaderMap, Value)>>>,
}

async fn handler(
    State(p): State<Provider>,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    p.seen
        .lock()
        .unwrap()
        .push((uri.path().to_string(), headers, body.clone()));
    let reply = p.reply.lock().unwrap().clone();
    let anthropic = uri.path() == "/v1/messages";
    let content = match reply {
        Reply::RateLimited => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "9")],
                "slow down",
            )
                .into_response();
        }
        Reply::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            return StatusCode::OK.into_response();
        }
        Reply::Answer(v) => v,
        Reply::Text(t) => Value::String(t.into()),
    };
    if anthropic {
        let input = if content.is_string() {
            json!({})
        } else {
            content
        };
        Json(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test-1",
            "stop_reason": "tool_use",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": body["tool_choice"]["name"], "input": input}],
            "usage": {"input_tokens": 2000, "output_tokens": 300},
        }))
        .into_response()
    } else {
        let text = content
            .as_str()
            .map_or_else(|| content.to_string(), str::to_string);
        Json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-test-2026",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200},
        }))
        .into_response()
    }
}

async fn provider(reply: Reply) -> (String, Provider) {
    let p = Provider {
        reply: Arc::new(Mutex::new(reply)),
        seen: Arc::default(),
    };
    let app = Router::new()
        .route("/v1/chat/completions", post(handler))
        .route("/v1/messages", post(handler))
        .with_state(p.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, p)
}

fn registry(provider: LlmProvider, base: &str, serving: Serving) -> Registry {
    registry_serving(provider, base, &[("detect-intents", serving)])
}

fn registry_serving(provider: LlmProvider, base: &str, serve: &[(&str, Serving)]) -> Registry {
    let base_url = match provider {
        LlmProvider::Openai => format!("{base}/v1"),
        LlmProvider::Anthropic => base.to_string(),
    };
    let config = SkillsConfig {
        llm: Some(LlmConfig {
            provider,
            base_url,
            api_key: Some("sk-test".to_string().into()),
            api_key_header: None,
            model: "model-test".into(),
            timeout_ms: Some(500),
            max_output_tokens: 1024,
            prices: BTreeMap::from([
                (
                    "gpt-test-2026".into(),
                    ModelPrice {
                        input_per_mtok: 1.0,
                        output_per_mtok: 2.0,
                    },
                ),
                (
                    "claude-test-1".into(),
                    ModelPrice {
                        input_per_mtok: 3.0,
                        output_per_mtok: 15.0,
                    },
                ),
            ]),
        }),
        serve: serve.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        ..SkillsConfig::default()
    };
    Registry::from_config(&config).unwrap()
}

fn meeting() -> Value {
    read_json(data_dir().join("meetings/mtg_dev_001.json"))
}

/// What a model reading mtg_dev_001 answers: one commitment and one look-alike, quoted.
fn answer() -> Value {
    json!({
        "commitments": [{
            "evidence": "I'll put together a proposal with both options, Pro and Enterprise, and get it to you by Friday",
            "segment_index": 58, "owner_role": "rep", "intent": "send_proposal", "strength": "explicit",
            "conditional": false, "condition": null, "due": "2026-11-20"
        }, {
            "evidence": "I'll pull last quarter's ticket volume by branch and get it to you by Thursday",
            "segment_index": 3, "owner_role": "prospect", "intent": "send_info", "strength": "explicit",
            "conditional": false, "condition": null, "due": "2026-11-19"
        }],
        "non_commitments": []
    })
}

#[tokio::test]
async fn openai_compatible_request_answer_and_cost() {
    let (base, p) = provider(Reply::Answer(answer())).await;
    let r = registry(LlmProvider::Openai, &base, Serving::Llm);
    let input = meeting();
    let estimate = r.estimate_before("detect-intents", &input).unwrap();
    assert!(estimate.input_tokens > 1000, "{estimate:?}");
    let out = r.run("detect-intents", "job:step:1", &input).await.unwrap();
    let c = &out.output["commitments"];
    assert_eq!(c[0]["intent"], "send_proposal");
    assert_eq!(c[0]["speaker"], "Maya Okafor");
    // Said in another segment than the one named: the quote decides where.
    assert_eq!(c[1]["owner_role"], "prospect");
    assert_ne!(c[1]["segment_index"], 3);
    assert_eq!(
        out.output["follow_up_events"],
        json!(["followup_email_draft", "proposal_generation"])
    );
    // 1,000 prompt tokens at $1/M and 200 completion tokens at $2/M.
    assert_eq!(
        (out.cost.model.as_str(), out.cost.usd_micros),
        ("gpt-test-2026", 1_400)
    );
    let seen = p.seen.lock().unwrap();
    let (path, headers, body) = &seen[0];
    assert_eq!(path, "/v1/chat/completions");
    assert_eq!(headers["authorization"], "Bearer sk-test");
    assert_eq!(body["model"], "model-test");
    assert_eq!(body["max_completion_tokens"], 1024);
    assert_eq!(body["messages"][0]["role"], "system");
    assert!(
        body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("2026-11-17")
    );
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("[0] Maya Okafor (rep): Hi Linda, hi Greg"),
        "{user}"
    );
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let item = &format["json_schema"]["schema"]["properties"]["commitments"]["items"];
    assert_eq!(item["additionalProperties"], false);
    assert_eq!(
        item["required"][0], "evidence",
        "evidence before the labels"
    );
    assert_eq!(
        item["required"].as_array().unwrap().len(),
        item["properties"].as_object().unwrap().len()
    );
}

#[tokio::test]
async fn anthropic_forced_tool_call_and_cost() {
    let (base, p) = provider(Reply::Answer(answer())).await;
    let r = registry(LlmProvider::Anthropic, &base, Serving::Llm);
    let out = r
        .run("detect-intents", "job:step:1", &meeting())
        .await
        .unwrap();
    assert_eq!(out.output["commitments"].as_array().unwrap().len(), 2);
    // 2,000 input tokens at $3/M and 300 output tokens at $15/M.
    assert_eq!((out.cost.input_tokens, out.cost.usd_micros), (2000, 10_500));
    let seen = p.seen.lock().unwrap();
    let (path, headers, body) = &seen[0];
    assert_eq!(path, "/v1/messages");
    assert_eq!(headers["x-api-key"], "sk-test");
    assert_eq!(headers["anthropic-version"], "2023-06-01");
    assert_eq!(body["max_tokens"], 1024);
    assert_eq!(
        body["tool_choice"],
        json!({"type": "tool", "name": "detect_intents"})
    );
    assert_eq!(body["tools"][0]["name"], "detect_intents");
    assert_eq!(
        body["tools"][0]["input_schema"]["required"],
        json!(["commitments", "non_commitments"])
    );
    assert!(body["system"].as_str().unwrap().contains("Negations"));
    assert_eq!(body["messages"][0]["role"], "user");
}

#[tokio::test]
async fn an_unusable_answer_fails_with_the_reason_or_falls_back_to_the_rules() {
    let mut wrong_intent = answer();
    wrong_intent["commitments"][0]["intent"] = json!("send_deck");
    let mut invented = answer();
    invented["commitments"][0]["evidence"] = json!("I'll send a proposal on Friday");
    let cases = [
        (Reply::Text("Sure! Here are the commitments: …"), "not JSON"),
        (Reply::Answer(wrong_intent), "/commitments/0/intent"),
        (Reply::Answer(invented), "not a verbatim quote"),
    ];
    let rules = Registry::builtin()
        .run("detect-intents", "k", &meeting())
        .await
        .unwrap()
        .output;
    for (reply, reason) in cases {
        let (base, _) = provider(reply.clone()).await;
        let strict = registry(LlmProvider::Openai, &base, Serving::Llm);
        match strict.run("detect-intents", "k", &meeting()).await {
            Err(SkillError::Failed { message, .. }) => {
                assert!(message.contains(reason), "{message}");
                assert!(
                    !message.contains("Pro and Enterprise"),
                    "no transcript in the reason"
                );
            }
            other => panic!("{reason}: {other:?}"),
        }
        let lenient = registry(LlmProvider::Openai, &base, Serving::LlmOrBuiltin);
        let out = lenient
            .run("detect-intents", "k", &meeting())
            .await
            .unwrap();
        assert_eq!(out.output, rules, "{reason}: the built-in's output");
    }
}

#[tokio::test]
async fn rate_limits_and_timeouts_are_deferred_not_fallen_back() {
    let (base, _) = provider(Reply::RateLimited).await;
    let r = registry(LlmProvider::Anthropic, &base, Serving::LlmOrBuiltin);
    match r.run("detect-intents", "k", &meeting()).await {
        Err(SkillError::RateLimited { retry_after, .. }) => {
            assert_eq!(retry_after, Duration::from_secs(9))
        }
        other => panic!("{other:?}"),
    }
    let (base, _) = provider(Reply::Slow).await;
    let r = registry(LlmProvider::Openai, &base, Serving::LlmOrBuiltin);
    let e = r.run("detect-intents", "k", &meeting()).await.unwrap_err();
    assert!(
        matches!(e, SkillError::Transient { .. }) && e.retryable(),
        "{e:?}"
    );
}

#[test]
fn serving_a_skill_without_a_model_task_is_refused_by_name() {
    let mut config = SkillsConfig {
        llm: Some(LlmConfig {
            provider: LlmProvider::Openai,
            base_url: "http://127.0.0.1:9/v1".into(),
            api_key: None,
            api_key_header: None,
            model: "m".into(),
            timeout_ms: None,
            max_output_tokens: 100,
            prices: BTreeMap::new(),
        }),
        ..SkillsConfig::default()
    };
    config.serve.insert("find-stale-deals".into(), Serving::Llm);
    let err = Registry::from_config(&config).unwrap_err();
    assert!(err.contains("skills.serve.find-stale-deals"), "{err}");
}

#[tokio::test]
async fn classify_email_served_by_the_model_keeps_the_rules_crm_match() {
    let email = read_json(data_dir().join("emails/em_dev_001.json"));
    let org = read_json(data_dir().join("org/org_brightlane.json"));
    let input = json!({"email": email, "org": org});
    let rules = Registry::builtin()
        .run("classify-email", "k", &input)
        .await
        .unwrap()
        .output;
    let text = rules["text"].as_str().unwrap();
    let first_sentence = text.split_inclusive(['.', '?', '!']).next().unwrap().trim();
    let answer =
        json!({"evidence": first_sentence, "category": "pricing_question", "language": "en"});
    let (base, p) = provider(Reply::Answer(answer)).await;
    let r = registry_serving(
        LlmProvider::Anthropic,
        &base,
        &[("classify-email", Serving::Llm)],
    );
    let out = r.run("classify-email", "k", &input).await.unwrap();
    assert_eq!(out.output["category"], "pricing_question");
    assert_eq!(out.output["action"], "draft_reply_needs_approval");
    assert_eq!(
        out.output["contact_id"], rules["contact_id"],
        "the sender is still matched by the rules"
    );
    let seen = p.seen.lock().unwrap();
    assert_eq!(seen[0].2["tool_choice"]["name"], "classify_email");
    assert!(
        seen[0].2["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains(first_sentence)
    );
}
