//! CEL expressions in sequence definitions (`when`, `for_each`, `input`, follow-up
//! `payload`), compiled once at load time and evaluated over a [`Scope`].

use std::{fmt, sync::Arc};

use serde::{Serialize, Serializer};
use serde_json::Value;

/// The variables an expression may read. `item` exists only inside a follow-up's
/// `for_each` (the element being considered).
pub const VARIABLES: &[&str] = &["event", "context", "outputs", "item"];

/// A compiled CEL expression with the text it came from.
#[derive(Clone)]
pub struct Expr {
    source: String,
    program: Arc<cel::Program>,
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({:?})", self.source)
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    #[error("invalid CEL expression `{expr}`: {message}")]
    Parse { expr: String, message: String },
    #[error("CEL expression `{expr}` reads `{variable}`; expressions may read only {allowed}")]
    UnknownVariable {
        expr: String,
        variable: String,
        allowed: String,
    },
    #[error("evaluating `{expr}`: {message}")]
    Eval { expr: String, message: String },
    #[error("`{expr}` must evaluate to {expected}, got {got}")]
    Type {
        expr: String,
        expected: &'static str,
        got: String,
    },
}

impl Expr {
    /// Compiles `source`; `allow_item` says whether `item` is in scope.
    pub fn compile(source: &str, allow_item: bool) -> Result<Self, ExprError> {
        let program = cel::Program::compile(source).map_err(|e| ExprError::Parse {
            expr: source.to_string(),
            message: e.to_string().replace('\n', " "),
        })?;
        let allowed: Vec<&str> = VARIABLES
            .iter()
            .copied()
            .filter(|v| allow_item || *v != "item")
            .collect();
        let mut free = std::collections::BTreeSet::new();
        free_variables(program.expression(), &mut Vec::new(), &mut free);
        let unknown: Vec<&str> = free.into_iter().filter(|v| !allowed.contains(v)).collect();
        if let Some(variable) = unknown.first() {
            return Err(ExprError::UnknownVariable {
                expr: source.to_string(),
                variable: (*variable).to_string(),
                allowed: allowed.join(", "),
            });
        }
        Ok(Self {
            source: source.to_string(),
            program: Arc::new(program),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates to JSON.
    pub fn eval(&self, scope: &Scope<'_>) -> Result<Value, ExprError> {
        let mut ctx = cel::Context::default();
        let err = |message: String| ExprError::Eval {
            expr: self.source.clone(),
            message,
        };
        for (name, value) in [
            ("event", scope.event),
            ("context", scope.context),
            ("outputs", scope.outputs),
        ] {
            ctx.add_variable(name, value)
                .map_err(|e| err(e.to_string()))?;
        }
        if let Some(item) = scope.item {
            ctx.add_variable("item", item)
                .map_err(|e| err(e.to_string()))?;
        }
        let value = self.program.execute(&ctx).map_err(|e| err(e.to_string()))?;
        value.json().map_err(|e| err(e.to_string()))
    }

    /// Evaluates a condition. A missing field is an error, not `false`: write `has(...)`
    /// when a field may be absent.
    pub fn eval_bool(&self, scope: &Scope<'_>) -> Result<bool, ExprError> {
        match self.eval(scope)? {
            Value::Bool(b) => Ok(b),
            other => Err(self.not_a("a bool", &other)),
        }
    }

    /// Evaluates a `for_each` list.
    pub fn eval_list(&self, scope: &Scope<'_>) -> Result<Vec<Value>, ExprError> {
        match self.eval(scope)? {
            Value::Array(items) => Ok(items),
            other => Err(self.not_a("a list", &other)),
        }
    }

    /// The expression gave `got` where `expected` was needed.
    fn not_a(&self, expected: &'static str, got: &Value) -> ExprError {
        ExprError::Type {
            expr: self.source.clone(),
            expected,
            got: kind(got).to_string(),
        }
    }
}

/// What an expression sees.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub event: &'a Value,
    pub context: &'a Value,
    pub outputs: &'a Value,
    pub item: Option<&'a Value>,
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// The variables `expr` reads that no enclosing comprehension binds: in
/// `list.exists(c, c.owner == 'rep')` the macro binds `c` inside its loop only, so a `c`
/// outside it is still free. (`cel`'s own `references()` lists bound names too.)
fn free_variables<'e>(
    expr: &'e cel::IdedExpr,
    bound: &mut Vec<&'e str>,
    free: &mut std::collections::BTreeSet<&'e str>,
) {
    use cel::common::ast::{EntryExpr, Expr as E, MapExpr, StructExpr};
    match &expr.expr {
        E::Ident(name) => {
            if !name.starts_with('@') && !bound.contains(&name.as_str()) {
                free.insert(name);
            }
        }
        E::Call(call) => {
            if let Some(target) = &call.target {
                free_variables(target, bound, free);
            }
            for arg in &call.args {
                free_variables(arg, bound, free);
            }
        }
        E::Comprehension(c) => {
            free_variables(&c.iter_range, bound, free);
            free_variables(&c.accu_init, bound, free);
            let depth = bound.len();
            bound.push(&c.iter_var);
            bound.extend(c.iter_var2.as_deref());
            bound.push(&c.accu_var);
            for e in [&c.loop_cond, &c.loop_step, &c.result] {
                free_variables(e, bound, free);
            }
            bound.truncate(depth);
        }
        E::List(list) => list
            .elements
            .iter()
            .for_each(|e| free_variables(e, bound, free)),
        E::Map(MapExpr { entries }) | E::Struct(StructExpr { entries, .. }) => {
            for entry in entries {
                match &entry.expr {
                    EntryExpr::MapEntry(m) => {
                        free_variables(&m.key, bound, free);
                        free_variables(&m.value, bound, free);
                    }
                    EntryExpr::StructField(f) => free_variables(&f.value, bound, free),
                }
            }
        }
        E::Select(sel) => free_variables(&sel.operand, bound, free),
        E::Literal(_) | E::Unspecified => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope<'a>(event: &'a Value, outputs: &'a Value) -> Scope<'a> {
        Scope {
            event,
            context: &Value::Null,
            outputs,
            item: None,
        }
    }

    #[test]
    fn evaluates_over_event_and_outputs() {
        let event = json!({"payload": {"deal_id": "d_1"}});
        let outputs = json!({"detect_intents": {"commitments": [
            {"owner_role": "rep", "intent": "send_proposal", "confidence": 0.9},
            {"owner_role": "prospect", "intent": "send_info", "confidence": 0.95}
        ]}});
        let e = Expr::compile(
            "outputs.detect_intents.commitments.exists(c, c.owner_role == 'rep' && c.intent == 'send_proposal' && c.confidence >= 0.8)",
            false,
        )
        .unwrap();
        assert!(e.eval_bool(&scope(&event, &outputs)).unwrap());
        let e = Expr::compile(
            "outputs.detect_intents.commitments.filter(c, c.owner_role == 'prospect')",
            false,
        )
        .unwrap();
        assert_eq!(e.eval_list(&scope(&event, &outputs)).unwrap().len(), 1);
        let e = Expr::compile("event.payload.deal_id", false).unwrap();
        assert_eq!(e.eval(&scope(&event, &outputs)).unwrap(), json!("d_1"));
    }

    #[test]
    fn rejects_bad_syntax_and_unknown_variables() {
        assert!(matches!(
            Expr::compile("outputs.x ==", false),
            Err(ExprError::Parse { .. })
        ));
        let err = Expr::compile("payload.deal_id != ''", false).unwrap_err();
        assert!(
            matches!(&err, ExprError::UnknownVariable { variable, .. } if variable == "payload"),
            "{err}"
        );
        assert!(Expr::compile("item.x", false).is_err());
        // `c` is bound inside the macro only.
        let err = Expr::compile("outputs.l.exists(c, c.ok) && c.ok", false).unwrap_err();
        assert!(
            matches!(&err, ExprError::UnknownVariable { variable, .. } if variable == "c"),
            "{err}"
        );
        assert!(Expr::compile("outputs.l.map(c, c.x).all(d, d > 1)", false).is_ok());
        assert!(Expr::compile("item.x", true).is_ok());
    }

    #[test]
    fn a_condition_must_be_a_bool() {
        let e = Expr::compile("event.payload", false).unwrap();
        let event = json!({"payload": {}});
        let err = e.eval_bool(&scope(&event, &Value::Null)).unwrap_err();
        assert!(err.to_string().contains("must evaluate to a bool"), "{err}");
    }
}
