//! detect-intents scored as issue 15 scores it (and as `../shared/tools/score_intents.py`
//! scores the held-out set): a predicted commitment matches an unused truth commitment when
//! the intents agree, the owner sides agree and the phrases overlap (one contains the other,
//! or the prediction covers at least half of the truth phrase's words). Everything else
//! predicted is a false positive, every truth commitment left unmatched a miss.
//!
//! Two sets: the DEV meetings in ../shared/data and our own (`tests/data/meetings`, built by
//! `tests/data/build_meetings.py`), written before the detector's rules were changed.

use std::{collections::HashSet, path::Path};

use baton_skills::{
    intents::{self, Commitment},
    transcript::Meeting,
};
use serde_json::Value;

use crate::{data_dir, meeting_files, read_json};

#[derive(Debug, Default)]
struct Score {
    matched: usize,
    predicted: usize,
    truth: usize,
    meetings: usize,
    /// Predictions that restate a phrase the truth marks as not a commitment.
    from_non_commitments: Vec<String>,
    misses: Vec<String>,
    false_positives: Vec<String>,
    /// Matched commitments whose truth has a due date, and those given the same date.
    dues: usize,
    dues_right: usize,
    /// Matched commitments whose conditional flag differs from the truth's.
    conditional_wrong: Vec<String>,
}

impl Score {
    fn precision(&self) -> f64 {
        self.matched as f64 / self.predicted.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.matched as f64 / self.truth.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn line(&self, set: &str) -> String {
        format!(
            "{set}: commitments F1 {:.2} (P {:.2} R {:.2}) over {} meetings: {} of {} found, {} predicted; due dates right {} of {}; conditional flag wrong {}",
            self.f1(),
            self.precision(),
            self.recall(),
            self.meetings,
            self.matched,
            self.truth,
            self.predicted,
            self.dues_right,
            self.dues,
            self.conditional_wrong.len()
        )
    }
}

fn words(s: &str) -> HashSet<String> {
    s.to_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The scorer's phrase rule: containment either way, or half the truth phrase's words.
fn overlap(predicted: &str, truth: &str) -> bool {
    let (p, t) = (predicted.to_lowercase(), truth.to_lowercase());
    if !p.is_empty() && (p.contains(&t) || t.contains(&p)) {
        return true;
    }
    let t_words = words(&t);
    !t_words.is_empty()
        && words(&p).intersection(&t_words).count() as f64 / t_words.len() as f64 >= 0.5
}

fn agrees(c: &Commitment, t: &Value) -> bool {
    c.intent.as_str() == t["intent"]
        && c.owner_role.as_str() == t["owner_role"]
        && overlap(&c.phrase, t["phrase"].as_str().unwrap_or_default())
}

fn score(dir: &Path) -> Score {
    let mut s = Score::default();
    for path in meeting_files(dir) {
        let meeting: Meeting = serde_json::from_value(read_json(path.clone())).unwrap();
        let truth = read_json(path.with_extension("truth.json"));
        let gold = truth["commitments"].as_array().unwrap();
        let found = intents::detect(&meeting).commitments;
        let mut used = vec![false; gold.len()];
        for c in &found {
            // Every phrase is verbatim.
            assert!(meeting.segments[c.segment_index].text.contains(&c.phrase));
            match (0..gold.len()).find(|&i| !used[i] && agrees(c, &gold[i])) {
                Some(i) => {
                    used[i] = true;
                    s.matched += 1;
                    let t = &gold[i];
                    if let Some(due) = t["due"].as_str() {
                        s.dues += 1;
                        let got = c.due.map(|d| d.to_string());
                        if got.as_deref() == due.get(..10) {
                            s.dues_right += 1;
                        } else {
                            eprintln!("{} {:?}: due {got:?}, truth {due}", meeting.id, c.phrase);
                        }
                    }
                    if t["conditional"].as_bool() != Some(c.conditional) {
                        s.conditional_wrong
                            .push(format!("{} {:?}", meeting.id, c.phrase));
                    }
                }
                None => {
                    let label = format!(
                        "{} #{} {} {} {:?}",
                        meeting.id,
                        c.segment_index,
                        c.owner_role.as_str(),
                        c.intent.as_str(),
                        c.phrase
                    );
                    let negated = truth["non_commitments"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|n| {
                            n["segment_index"].as_u64() == Some(c.segment_index as u64)
                                && overlap(&c.phrase, n["phrase"].as_str().unwrap_or_default())
                        });
                    if negated {
                        s.from_non_commitments.push(label.clone());
                    }
                    s.false_positives.push(label);
                }
            }
        }
        for (t, _) in gold.iter().zip(&used).filter(|(_, used)| !**used) {
            s.misses.push(format!(
                "{} #{} {} {} {}",
                meeting.id, t["segment_index"], t["owner_role"], t["intent"], t["phrase"]
            ));
        }
        s.predicted += found.len();
        s.truth += gold.len();
        s.meetings += 1;
    }
    eprintln!(
        "missed: {:#?}\nfalse positives: {:#?}\nconditional flag wrong: {:#?}",
        s.misses, s.false_positives, s.conditional_wrong
    );
    s
}

#[test]
fn the_scorer_follows_the_matching_rule() {
    assert!(overlap(
        "I'll send the deck",
        "I'll send the deck by Friday"
    ));
    assert!(overlap(
        "send the deck by Friday to Ana",
        "the deck by Friday"
    ));
    // 3 of the truth phrase's 6 words: half is enough.
    assert!(overlap(
        "send proposal today",
        "I'll send the proposal by today"
    ));
    assert!(!overlap("send it", "I'll send the proposal by today"));
    assert!(!overlap("", "anything"));
}

#[test]
fn dev_meetings() {
    let s = score(&data_dir().join("meetings"));
    eprintln!("{}", s.line("DEV"));
    assert_eq!(s.meetings, 12);
    assert!(s.from_non_commitments.is_empty());
    assert!(s.f1() >= 0.95, "{}", s.line("DEV"));
}

/// Our own meetings. 001 … 012 were written before the rules were changed; with the
/// detector of that day (the DEV set's rules) they scored F1 0.64 (P 0.84 R 0.52), 27 of 52
/// found, 32 predicted, one of them a negation. 013 … 020 were written after the structural
/// detector passed 001 … 012 and scored once before any rule was changed for them: F1 0.64
/// (P 0.78 R 0.55), 18 of 33 (the DEV-set rules: 0.39); later rounds (021 … 050) likewise,
/// each first scored unseen. The README lists every round.
#[test]
fn own_meetings() {
    let s = score(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/meetings"));
    eprintln!("{}", s.line("own"));
    assert!(s.meetings >= 12 && s.truth >= 50, "{}", s.line("own"));
    assert!(
        s.from_non_commitments.is_empty(),
        "{:?}",
        s.from_non_commitments
    );
    assert!(s.f1() >= 0.90, "{}", s.line("own"));
}
