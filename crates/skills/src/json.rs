//! The two ways the built-ins read loosely shaped JSON (an org or a job's context).

use serde_json::Value;

/// The items of the list at `key` (none when it is absent or not a list).
pub(crate) fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The string at `key`, or "".
pub(crate) fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}
