//! The two wire formats: OpenAI-compatible chat completions (`POST …/chat/completions`) and
//! Anthropic messages (`POST …/v1/messages`), as each provider documents them.

use serde_json::{Value, json};

use super::Prompt;

/// The Anthropic API version Baton speaks (sent as `anthropic-version`).
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// A model's answer: the constrained JSON, the model that wrote it, the tokens it used.
#[derive(Debug)]
pub struct Answer {
    pub json: Value,
    pub model: Option<String>,
    pub input_tokens: u32,
    pub output_tokens: u32,
}

/// Structured output in strict mode: the answer must match `prompt.schema`.
pub fn openai_request(model: &str, max_output_tokens: u32, prompt: &Prompt) -> Value {
    json!({
        "model": model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": prompt.name, "strict": true, "schema": prompt.schema},
        },
        "max_completion_tokens": max_output_tokens,
    })
}

/// A forced tool call whose input schema is the answer's.
pub fn anthropic_request(model: &str, max_output_tokens: u32, prompt: &Prompt) -> Value {
    json!({
        "model": model,
        "max_tokens": max_output_tokens,
        "system": prompt.system,
        "messages": [{"role": "user", "content": prompt.user}],
        "tools": [{
            "name": prompt.name,
            "description": "Record the answer.",
            "input_schema": prompt.schema,
        }],
        "tool_choice": {"type": "tool", "name": prompt.name},
    })
}

fn tokens(v: &Value) -> u32 {
    v.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

pub fn openai_answer(reply: &Value) -> Result<Answer, String> {
    let choice = reply
        .pointer("/choices/0")
        .ok_or("no choices in the reply")?;
    if let Some(refusal) = choice.pointer("/message/refusal").and_then(Value::as_str) {
        return Err(format!("the model refused: {}", short(refusal)));
    }
    if choice["finish_reason"] == "length" {
        return Err(
            "the answer was cut off at the output token limit (skills.llm.max_output_tokens)"
                .into(),
        );
    }
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or("the reply has no message content")?;
    let json = serde_json::from_str(content)
        .map_err(|e| format!("the message content is not JSON: {e}"))?;
    Ok(Answer {
        json,
        model: reply["model"].as_str().map(str::to_string),
        input_tokens: tokens(&reply["usage"]["prompt_tokens"]),
        output_tokens: tokens(&reply["usage"]["completion_tokens"]),
    })
}

pub fn anthropic_answer(reply: &Value, tool: &str) -> Result<Answer, String> {
    if reply["stop_reason"] == "max_tokens" {
        return Err(
            "the answer was cut off at the output token limit (skills.llm.max_output_tokens)"
                .into(),
        );
    }
    let call = reply["content"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["type"] == "tool_use" && b["name"] == tool)
        .ok_or_else(|| format!("the reply has no `{tool}` tool call"))?;
    Ok(Answer {
        json: call["input"].clone(),
        model: reply["model"].as_str().map(str::to_string),
        input_tokens: tokens(&reply["usage"]["input_tokens"]),
        output_tokens: tokens(&reply["usage"]["output_tokens"]),
    })
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_both_formats() {
        let openai = json!({"model": "m-1", "choices": [{"finish_reason": "stop", "message": {"role": "assistant", "content": "{\"a\": 1}"}}], "usage": {"prompt_tokens": 10, "completion_tokens": 3}});
        let a = openai_answer(&openai).unwrap();
        assert_eq!(
            (a.json, a.input_tokens, a.output_tokens),
            (json!({"a": 1}), 10, 3)
        );
        let cut =
            json!({"choices": [{"finish_reason": "length", "message": {"content": "{\"a\""}}]});
        assert!(openai_answer(&cut).unwrap_err().contains("cut off"));
        let anthropic = json!({"model": "c-1", "stop_reason": "tool_use", "content": [{"type": "text", "text": "ok"}, {"type": "tool_use", "id": "t1", "name": "answer", "input": {"a": 2}}], "usage": {"input_tokens": 7, "output_tokens": 2}});
        let a = anthropic_answer(&anthropic, "answer").unwrap();
        assert_eq!((a.json, a.model.as_deref()), (json!({"a": 2}), Some("c-1")));
        assert!(anthropic_answer(&anthropic, "other").is_err());
    }
}
