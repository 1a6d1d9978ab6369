#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Schema evolution guard. `schemas/history/<schema>/vN.avsc` freezes every released version
//! of each topic value. The committed schema must be able to read data written with every
//! earlier version (backward compatible, so consumers can be upgraded first), the version
//! before it must read what it writes (forward across one release, so producers can be
//! upgraded first too), and the newest frozen version must be the committed one: changing a
//! schema means adding a version here, where this test checks it.

use std::{fs, path::Path};

use apache_avro::{Schema, schema_compatibility::SchemaCompatibility};

fn parse(path: &Path) -> Schema {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Schema::parse_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Errors describing each frozen version the current schema cannot read.
fn backward_problems(history: &[(String, Schema)], current: &Schema) -> Vec<String> {
    history
        .iter()
        .filter_map(|(version, old)| {
            SchemaCompatibility::can_read(old, current)
                .err()
                .map(|e| format!("cannot read data written with {version}: {e}"))
        })
        .collect()
}

#[test]
fn committed_schemas_read_every_frozen_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut problems = Vec::new();
    for entry in fs::read_dir(root.join("avro")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let current = parse(&path);
        let dir = root.join("history").join(&stem);
        let mut versions: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|_| {
                panic!(
                    "{stem}: no history folder {}: freeze v1 there",
                    dir.display()
                )
            })
            .map(|e| e.unwrap().path())
            .collect();
        versions.sort_by_key(|p| {
            p.file_stem()
                .unwrap()
                .to_string_lossy()
                .trim_start_matches('v')
                .parse::<u32>()
                .unwrap_or(0)
        });
        let history: Vec<_> = versions
            .iter()
            .map(|p| {
                (
                    format!("{stem}/{}", p.file_name().unwrap().to_string_lossy()),
                    parse(p),
                )
            })
            .collect();
        problems.extend(
            backward_problems(&history, &current)
                .into_iter()
                .map(|p| format!("{stem}: {p}")),
        );
        // Forward across one release: the previous release's schema (the frozen version
        // before the newest) reads what the committed one writes, so consumers not yet
        // upgraded keep reading during a rolling deploy.
        if let [.., (previous, old), _] = history.as_slice()
            && let Err(e) = SchemaCompatibility::can_read(&current, old)
        {
            problems.push(format!(
                "{stem}: the previous release ({previous}) cannot read what the committed schema writes: {e}"
            ));
        }
        let newest = &history.last().unwrap().1;
        if newest.canonical_form() != current.canonical_form() {
            problems.push(format!(
                "{stem}: avro/{stem}.avsc differs from its newest frozen version: copy it to history/{stem}/v{}.avsc",
                history.len() + 1
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 9, "one schema per topic");
    let listed: std::collections::BTreeSet<&str> = baton_schemas::codec::HISTORY
        .iter()
        .map(|(v, _)| *v)
        .collect();
    for entry in fs::read_dir(root.join("history")).unwrap() {
        let dir = entry.unwrap().path();
        let stem = dir.file_name().unwrap().to_string_lossy().into_owned();
        for version in fs::read_dir(&dir).unwrap() {
            let v = version.unwrap().path();
            let name = format!("{stem}/{}", v.file_stem().unwrap().to_string_lossy());
            if !listed.contains(name.as_str()) {
                problems.push(format!(
                    "history/{name}.avsc is not in codec::HISTORY: messages written with it would not be read"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The guard catches the changes that break consumers.
#[test]
fn incompatible_changes_are_caught() {
    let v1 = Schema::parse_str(include_str!("../history/orchestrator_event/v1.avsc")).unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../avro/orchestrator_event.avsc")).unwrap();
    json["fields"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "priority", "type": "int"}));
    let added_required = Schema::parse(&json).unwrap();
    let problems = backward_problems(&[("v1".into(), v1.clone())], &added_required);
    assert_eq!(
        problems.len(),
        1,
        "a new field without a default breaks old data"
    );

    json["fields"].as_array_mut().unwrap().pop();
    json["fields"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "priority", "type": "int", "default": 0}));
    let added_with_default = Schema::parse(&json).unwrap();
    assert!(backward_problems(&[("v1".into(), v1.clone())], &added_with_default).is_empty());

    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../avro/orchestrator_event.avsc")).unwrap();
    json["fields"][7]["type"] = serde_json::json!("string"); // occurred_at: long → string
    let retyped = Schema::parse(&json).unwrap();
    assert_eq!(backward_problems(&[("v1".into(), v1)], &retyped).len(), 1);
}
