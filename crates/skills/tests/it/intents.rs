//! detect-intents measured against the annotated meetings in ../shared/data.

use baton_skills::{
    intents::{self, Commitment},
    transcript::Meeting,
};
use serde_json::Value;

use crate::{data_dir, meeting_files};

fn meetings() -> Vec<(Meeting, Value)> {
    let dir = data_dir().join("meetings");
    let mut out = Vec::new();
    for path in meeting_files(&dir) {
        let meeting: Meeting =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let truth_path = path.with_extension("truth.json");
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(truth_path).unwrap()).unwrap();
        out.push((meeting, truth));
    }
    assert!(
        out.len() >= 12,
        "expected the 12 DEV meetings in {}",
        dir.display()
    );
    out
}

fn matches(c: &Commitment, t: &Value) -> bool {
    c.segment_index as u64 == t["segment_index"].as_u64().unwrap()
        && c.intent.as_str() == t["intent"]
        && c.owner_role.as_str() == t["owner_role"]
}

#[test]
fn precision_and_recall_against_the_annotated_meetings() {
    let (mut predicted, mut truth_n, mut hits, mut exact_phrase) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    let mut false_positives = Vec::new();
    let mut from_negations = 0;
    let (mut followups_right, mut meetings_n) = (0, 0);
    for (meeting, truth) in meetings() {
        let found = intents::detect(&meeting);
        let commitments = truth["commitments"].as_array().unwrap();
        predicted += found.commitments.len();
        truth_n += commitments.len();
        for t in commitments {
            match found.commitments.iter().find(|c| matches(c, t)) {
                Some(c) => {
                    hits += 1;
                    let phrase = t["phrase"].as_str().unwrap();
                    if c.phrase == phrase {
                        exact_phrase += 1;
                    }
                    assert_eq!(c.conditional, t["conditional"].as_bool().unwrap(), "{c:?}");
                }
                None => misses.push(format!("{} {}", meeting.id, t["phrase"])),
            }
        }
        for c in &found.commitments {
            if !commitments.iter().any(|t| matches(c, t)) {
                false_positives.push(format!(
                    "{} #{} {:?} {}",
                    meeting.id, c.segment_index, c.intent, c.phrase
                ));
            }
            // Every phrase is verbatim.
            assert!(meeting.segments[c.segment_index].text.contains(&c.phrase));
        }
        for n in truth["non_commitments"].as_array().unwrap() {
            let seg = n["segment_index"].as_u64().unwrap() as usize;
            if found.commitments.iter().any(|c| c.segment_index == seg) {
                from_negations += 1;
            }
        }
        // The follow-up rule applied to what was found, compared with the truth (which
        // says calendar_create_event when a time was agreed; Baton queues find-times for
        // both and lets the scheduling sequence see the agreed time).
        let expected: Vec<String> = truth["expected_followups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v.as_str()
                    .unwrap()
                    .replace("calendar_create_event", "calendar_find_times")
            })
            .collect();
        let got = intents::follow_up_events(&meeting, &found);
        meetings_n += 1;
        if got == expected {
            followups_right += 1;
        } else {
            eprintln!("{}: follow-ups {got:?}, truth {expected:?}", meeting.id);
        }
    }
    let precision = hits as f64 / predicted as f64;
    let recall = hits as f64 / truth_n as f64;
    eprintln!(
        "detect-intents: {hits} of {truth_n} commitments found, {predicted} predicted: precision {precision:.3}, recall {recall:.3}; {exact_phrase} phrases exact; follow-ups right for {followups_right}/{meetings_n} meetings"
    );
    eprintln!("missed: {misses:#?}\nfalse positives: {false_positives:#?}");
    assert_eq!(from_negations, 0, "a negation became a commitment");
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}

fn meeting_of(lines: &[(&str, &str)]) -> Meeting {
    let segments: Vec<Value> = lines
        .iter()
        .map(|(role, text)| {
            serde_json::json!({"speaker": if *role == "rep" { "Ana Rep" } else { "Pat Buyer" }, "role": role, "text": text})
        })
        .collect();
    serde_json::from_value(serde_json::json!({"id": "mtg_own", "segments": segments})).unwrap()
}

/// Phrasings written for this test, not taken from the DEV set.
#[test]
fn tells_the_reps_promise_from_the_prospects_and_from_negations() {
    let m = meeting_of(&[
        ("prospect", "Can you send me a proposal next week?"),
        (
            "rep",
            "Sure thing. I'm going to send over a proposal with the three-year option by Thursday.",
        ),
        (
            "prospect",
            "Great, and I'll send you our org chart tomorrow.",
        ),
        (
            "prospect",
            "Please don't send a contract yet, legal is swamped.",
        ),
        ("rep", "Understood, we will hold off on the contract."),
        (
            "rep",
            "If your CFO approves the budget, I'll get you a quote for the add-on.",
        ),
        (
            "rep",
            "Let me set up a call with our implementation lead for next Tuesday.",
        ),
        ("rep", "I'll be honest, that is a common worry."),
    ]);
    let found = intents::detect(&m);
    let got: Vec<(usize, &str, &str, bool)> = found
        .commitments
        .iter()
        .map(|c| {
            (
                c.segment_index,
                c.owner_role.as_str(),
                c.intent.as_str(),
                c.conditional,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "rep", "send_proposal", false),
            (2, "prospect", "send_info", false),
            (5, "rep", "pricing", true),
            (6, "rep", "schedule_meeting", false),
        ]
    );
    assert!(found.commitments[0].confidence >= 0.9);
    assert!(
        found.commitments[2].confidence < 0.8,
        "conditional lowers confidence"
    );
    let declined: Vec<usize> = found
        .non_commitments
        .iter()
        .map(|n| n.segment_index)
        .collect();
    assert_eq!(declined, [3, 4]);
    // Only the rep's unconditional proposal queues work.
    assert_eq!(
        intents::follow_up_events(&m, &found),
        [
            "followup_email_draft",
            "proposal_generation",
            "calendar_find_times"
        ]
    );
}

/// "Could we do a demo next week?" proposes a meeting: whoever proposes it, the seller
/// arranges it once the other side agrees; a proposal of something else, or one turned
/// down, is no promise.
#[test]
fn a_meeting_proposed_by_either_side_is_the_sellers_once_agreed() {
    let m = meeting_of(&[
        (
            "prospect",
            "Could we do a proper demo next week, with the phone app?",
        ),
        ("rep", "Absolutely. What days are good for you?"),
        ("rep", "Shall we set up a call with your finance lead?"),
        ("prospect", "Yes, let's."),
        ("prospect", "Could we do the billing quarterly?"),
        ("rep", "Sure."),
        ("rep", "Could we book a session with the crew leads?"),
        ("prospect", "Not yet, they're slammed."),
    ]);
    let got: Vec<(usize, &str, &str)> = intents::detect(&m)
        .commitments
        .iter()
        .map(|c| (c.segment_index, c.owner_role.as_str(), c.intent.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, "rep", "schedule_meeting"),
            (2, "rep", "schedule_meeting")
        ]
    );
}
