//! What an edit of a gate's draft may change: only the gate's editable fields, each keeping
//! the type the draft gave it, and no text emptied. One rule for the approval-gateway (which
//! applies an edit) and the ingress (which shows a Slack modal's field errors before any
//! decision is published).

use serde_json::{Map, Value};

/// Why an edit is refused, and which field, when one is to blame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub field: Option<String>,
    pub message: String,
}

/// The edits to merge into `draft`, or why not.
pub fn validate(
    draft: &Value,
    editable: &[String],
    edits: Option<&Value>,
) -> Result<Map<String, Value>, EditError> {
    let Some(map) = edits.and_then(Value::as_object).filter(|m| !m.is_empty()) else {
        return Err(EditError {
            field: None,
            message: "an edit needs user_modifications: an object of the changed fields".into(),
        });
    };
    for (k, v) in map {
        let refuse = |message: String| EditError {
            field: Some(k.clone()),
            message,
        };
        if !editable.contains(k) {
            let editable = if editable.is_empty() {
                "none".to_string()
            } else {
                editable.join(", ")
            };
            return Err(refuse(format!(
                "field `{k}` is not editable at this gate (editable: {editable})"
            )));
        }
        if !same_type(draft.get(k), v) {
            return Err(refuse(format!(
                "field `{k}` must keep its type (the draft's is {})",
                draft[k]
            )));
        }
        if v.as_str().is_some_and(|t| t.trim().is_empty()) {
            return Err(refuse(format!("field `{k}` may not be empty")));
        }
    }
    Ok(map.clone())
}

fn same_type(draft: Option<&Value>, edit: &Value) -> bool {
    match draft {
        None | Some(Value::Null) => true,
        Some(Value::String(_)) => edit.is_string(),
        Some(Value::Array(_)) => edit.is_array(),
        Some(Value::Object(_)) => edit.is_object(),
        Some(Value::Number(_)) => edit.is_number(),
        Some(Value::Bool(_)) => edit.is_boolean(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_editable_fields_of_the_same_type_and_not_emptied() {
        let draft = json!({"subject": "Recap", "body": "Hi", "to": ["a@x.test"]});
        let editable = vec!["subject".to_string(), "body".to_string()];
        let ok = validate(&draft, &editable, Some(&json!({"body": "Hello"}))).unwrap();
        assert_eq!(Value::Object(ok), json!({"body": "Hello"}));
        let field = |edits: Value| validate(&draft, &editable, Some(&edits)).unwrap_err();
        assert_eq!(
            field(json!({"to": ["b@x.test"]})).field.as_deref(),
            Some("to")
        );
        assert!(field(json!({"to": []})).message.contains("not editable"));
        assert!(field(json!({"body": 3})).message.contains("keep its type"));
        assert!(
            field(json!({"body": "  \n"}))
                .message
                .contains("may not be empty")
        );
        assert_eq!(
            validate(&draft, &editable, Some(&json!({})))
                .unwrap_err()
                .field,
            None
        );
        assert!(validate(&draft, &editable, None).is_err());
    }
}
