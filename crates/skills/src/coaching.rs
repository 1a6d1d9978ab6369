//! `coaching-analysis`: how a call went for the rep, from its transcript: talk ratio (the
//! seller side's share of the words), the open discovery questions the sellers asked, and
//! whether the call ended with agreed next steps (the recap, and which segment holds it).
//! Weekly figures are the per-meeting ones summed over the week (`coaching-digest` input).

use serde_json::{Value, json};

use crate::transcript::{Meeting, Role};

patterns! {
    /// A question that opens the floor: an interrogative or an invitation to explain.
    OPEN = r"(?i)(^|[,;:—–-]\s*|\b(and|so|but|then|now|okay|ok|great|right)\s+|^\w+(\s+\w+){0,4},\s*)((can|could|would) you )?(what|how|why|where|who|which|tell me|walk me through|help me understand|talk me through|anything (else|new|that'?s changed|changed)|anyone else|is there any(thing|one)|has anything|have things|qu[eé]|c[oó]mo|por qu[eé]|d[oó]nde|qui[eé]n|cu[aá]l)\b";
    /// Questions about the call itself or a time, not discovery.
    LOGISTICS = r"(?i)\b(hear me|see my screen|see the screen|still there|you there|make sense|sound (good|ok|okay|fair)|did i get that right|how about (\w+ )?(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d)|what time|when works|work for you|how('s| is) (your|the) (day|week|weekend|weather)|how are you( doing| today)?\?$|how('s| is) it going|treating you|how does (next |this )?(mon|tues|wednes|thurs|fri)day|(what|which) (day|time)s?)\b";
    /// A recap of what each side will do.
    RECAP = r"(?i)(\bto recap\b|\bjust to (recap|summari[sz]e)\b|\bnext steps\b|\bso from (me|us|our side)\b|\blet me (recap|summari[sz]e)\b|(^|[.!?]\s+)so[,:]?\s|\bdid i get that right\b|\bpara resumir\b)";
    /// A short yes to a recap.
    ASSENT = r"(?i)^\W*(yes|yep|yeah|yup|that's it|that's right|sounds (good|great|right)|perfect|great|works( for (me|us))?|correct|exactly|right|deal|agreed|s[ií]|perfecto|vale|de acuerdo)\b";
    ACTION = r"(?i)\b(i'll|we'll|i will|sends?|send|gets?|set up|sets up|by (monday|tuesday|wednesday|thursday|friday|next|the|tomorrow|end of)|tomorrow|today|this week|next week)\b";
}

/// Words as a person would count them: whitespace-separated tokens with a letter or digit.
pub fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The rep-side questions, split at sentence ends only (an em dash stays inside a question).
fn open_questions(m: &Meeting) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, s) in m
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role == Role::Rep)
    {
        for q in s
            .text
            .split_inclusive(['.', '!', '?'])
            .map(str::trim)
            .filter(|q| q.ends_with('?'))
        {
            if OPEN.is_match(q) && !LOGISTICS.is_match(q) {
                out.push((i, q.to_string()));
            }
        }
    }
    out
}

/// The segment that recaps the agreed next steps: in the last half of the call, the one with
/// the strongest recap cues, a list of actions and the other side's yes; failing that (a call cut short), the last
/// seller commitment.
fn next_steps(m: &Meeting) -> Option<(usize, String)> {
    let n = m.segments.len();
    let assented = |i: usize| {
        m.segments[i + 1..n.min(i + 3)]
            .iter()
            .any(|s| s.role == Role::Prospect && words(&s.text) <= 8 && ASSENT.is_match(&s.text))
    };
    let score = |i: usize, text: &str| {
        let assent = if assented(i) { 3 } else { 0 };
        let recap = RECAP.find_iter(text).count().min(2) * 3;
        let items = (text.matches(',').count() + text.matches(" and ").count()).min(5);
        let actions = ACTION.find_iter(text).count().min(3);
        recap + items + actions + assent
    };
    let best = m
        .segments
        .iter()
        .enumerate()
        .skip(n / 2)
        .filter(|(_, s)| s.role == Role::Rep)
        .map(|(i, s)| (score(i, &s.text), i))
        .filter(|(sc, _)| *sc >= 7)
        .max();
    let i = best.map(|(_, i)| i).or_else(|| {
        m.segments
            .iter()
            .rposition(|s| s.role == Role::Rep && s.text.to_lowercase().contains("i'll"))
    })?;
    let text = &m.segments[i].text;
    let start = RECAP.find(text).map_or(0, |c| c.start());
    let phrase = text[start..]
        .trim_start_matches(['.', '!', '?', ' '])
        .trim();
    Some((i, phrase.to_string()))
}

pub fn coaching_analysis(input: &Value) -> Result<Value, String> {
    let m = Meeting::from_input(input)?;
    let total: usize = m.segments.iter().map(|s| words(&s.text)).sum();
    let rep: usize = m
        .segments
        .iter()
        .filter(|s| s.role == Role::Rep)
        .map(|s| words(&s.text))
        .sum();
    let ratio = if total == 0 {
        0.0
    } else {
        (rep as f64 / total as f64 * 100.0).round() / 100.0
    };
    let questions = open_questions(&m);
    let steps = next_steps(&m);
    Ok(json!({
        "meeting_id": m.id,
        "rep_talk_ratio": ratio,
        "rep_words": rep,
        "total_words": total,
        "turns": m.segments.len(),
        "open_questions_count": questions.len(),
        "open_questions": questions.iter().map(|(i, q)| json!({"segment_index": i, "phrase": q})).collect::<Vec<_>>(),
        "next_steps_agreed": steps.is_some(),
        "next_steps": steps.iter().map(|(i, p)| json!({"segment_index": i, "phrase": p})).collect::<Vec<_>>(),
    }))
}
