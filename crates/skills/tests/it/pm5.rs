//! PM5's compute steps reproduce the specification's test vectors byte for byte
//! (`../shared/bench/PM5.md`, "Test vectors": compact JSON, keys in the given order,
//! `length sha256[:16]`), and the registered skills compute the same values from a step's
//! input.

use baton_skills::{
    Registry,
    pm5::{self, Event},
};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The specification's vectors: meeting, what, length, sha256 prefix.
const VECTORS: &str = "\
m-vec-000000 event 90 3e90224ea82d330f
m-vec-000000 extract_action_items 990 1623626ea407b75a
m-vec-000000 detect_intents 868 52640d5ce930b988
m-vec-000000 suggest_next_actions 1107 cc6305aa64154d4c
m-vec-000000 draft_followup_email 1048 245b7462a3269801
m-vec-000001 event 93 208a401079e84fc4
m-vec-000001 extract_action_items 1006 7df629d00d038f17
m-vec-000001 detect_intents 880 060600eb1e619e16
m-vec-000001 suggest_next_actions 1136 19dff40c4ff9925e
m-vec-000001 draft_followup_email 1083 246f1d5ca330ee82
m-vec-004999 event 96 9dd99605c65e111e
m-vec-004999 extract_action_items 1010 6a977c8da0b63d0a
m-vec-004999 detect_intents 892 55f2d8a4882e4aa1
m-vec-004999 suggest_next_actions 1149 6ffb526f8a6352a3
m-vec-004999 draft_followup_email 1100 d471f5c429043c3b";

fn fingerprint(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{} {}", json.len(), &hex[..16])
}

/// Every step's compact JSON for event `i` of run `vec`, by name.
fn computed(i: u64) -> Vec<(&'static str, String)> {
    let ev = Event::nth("vec", i);
    let a = pm5::extract_action_items(&ev);
    let b = pm5::detect_intents(&ev, &a);
    let c = pm5::suggest_next_actions(&ev, &b);
    let d = pm5::draft_followup_email(&ev, &c);
    let s = |v: Result<String, serde_json::Error>| v.unwrap();
    vec![
        ("event", s(serde_json::to_string(&ev))),
        ("extract_action_items", s(serde_json::to_string(&a))),
        ("detect_intents", s(serde_json::to_string(&b))),
        ("suggest_next_actions", s(serde_json::to_string(&c))),
        ("draft_followup_email", s(serde_json::to_string(&d))),
    ]
}

#[test]
fn the_compute_steps_reproduce_the_published_vectors_byte_for_byte() {
    let mut mismatches = Vec::new();
    for line in VECTORS.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let i: u64 = f[0].trim_start_matches("m-vec-").parse().unwrap();
        let (_, json) = computed(i).into_iter().find(|(w, _)| *w == f[1]).unwrap();
        let want = format!("{} {}", f[2], f[3]);
        if fingerprint(&json) != want {
            mismatches.push(format!(
                "{} {}: got {}, want {want}\n{json}",
                f[0],
                f[1],
                fingerprint(&json)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_registered_skills_compute_the_same_values_from_a_steps_input() {
    let registry = Registry::builtin().with_benchmark_skills();
    let ev = Event::nth("vec", 1);
    let mut input = json!({
        "event": { "org_id": ev.org_id, "user_id": ev.user_id,
                   "payload": { "meeting_id": ev.meeting_id, "contact_id": ev.contact_id } },
        "outputs": {},
    });
    let steps = [
        "extract_action_items",
        "detect_intents",
        "suggest_next_actions",
        "draft_followup_email",
    ];
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for ((key, _, _), step) in pm5::SKILLS.iter().zip(steps) {
        let out = rt.block_on(registry.run(key, "k", &input)).unwrap();
        // Not a model's work: nothing is charged to the AI budget.
        assert_eq!(out.cost, baton_skills::Cost::default(), "{key}");
        input["outputs"][step] = out.output;
    }
    let d = pm5::draft_followup_email(
        &ev,
        &pm5::suggest_next_actions(
            &ev,
            &pm5::detect_intents(&ev, &pm5::extract_action_items(&ev)),
        ),
    );
    assert_eq!(
        input["outputs"]["draft_followup_email"],
        serde_json::to_value(&d).unwrap()
    );
    // A step whose predecessor did not run says which output it needed.
    input["outputs"] = json!({});
    let err = rt
        .block_on(registry.run("pm5-detect-intents", "k", &input))
        .unwrap_err();
    assert!(
        err.to_string().contains("outputs.extract_action_items"),
        "{err}"
    );
}

#[test]
fn the_benchmark_skills_are_absent_unless_asked_for() {
    assert!(
        Registry::builtin()
            .get("pm5-extract-action-items")
            .is_none()
    );
    assert!(
        !Registry::builtin()
            .catalog()
            .crm_actions
            .contains_key(pm5::SEND_EMAIL)
    );
    let with = Registry::builtin().with_benchmark_skills();
    assert!(with.get("pm5-draft-followup-email").is_some());
    assert!(with.catalog().crm_actions.contains_key(pm5::SEND_EMAIL));
}
