//! The sales-day skills against the DEV truth in ../shared/data: find-available-slots
//! (every scheduling request, exact), morning-brief (due time and meeting list of every
//! brief, exact), classify-email (category and action accuracy ≥ 0.9, and our own harder
//! set in tests/data), coaching-analysis (the data README's tolerances).

use std::path::PathBuf;

use baton_skills::Registry;
use serde_json::{Value, json};

use crate::{data_dir, read_json};

async fn run(key: &str, input: &Value) -> Value {
    Registry::builtin()
        .run(key, "job:step:1", input)
        .await
        .unwrap_or_else(|e| panic!("{key}: {e}"))
        .output
}

fn files(dir: PathBuf, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| keep(p.file_name().unwrap().to_str().unwrap()))
        .collect();
    out.sort();
    out
}

fn calendars() -> Vec<Value> {
    calendars_in(data_dir().join("calendars"))
}

fn calendars_in(dir: PathBuf) -> Vec<Value> {
    files(dir, |n| n.ends_with(".json"))
        .into_iter()
        .map(read_json)
        .filter(|c| c.get("owner").is_some())
        .collect()
}

fn org() -> Value {
    read_json(data_dir().join("org/org_brightlane.json"))
}

fn starts(slots: &Value) -> Vec<String> {
    slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start_utc"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_scheduling_request_gets_exactly_the_true_slots() {
    exact_slots(data_dir().join("calendars"), 7).await;
}

/// Our own requests (four zones, a recurrence across the US DST change, a slot at a window's
/// edge, notice and buffers), with the truth the DEV set's reference computed
/// (`tests/data/build_calendars.py`).
#[tokio::test]
async fn our_own_scheduling_requests_get_exactly_the_true_slots() {
    exact_slots(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/calendars"),
        4,
    )
    .await;
}

async fn exact_slots(dir: PathBuf, n: usize) {
    let file = read_json(dir.join("scheduling_requests.json"));
    let cals = calendars_in(dir);
    let requests = file["requests"].as_array().unwrap();
    assert_eq!(requests.len(), n);
    for r in requests {
        let out = run(
            "find-available-slots",
            &json!({"request": r, "calendars": cals}),
        )
        .await;
        let truth = &file["truth"][r["id"].as_str().unwrap()];
        assert_eq!(
            starts(&out["slots"]),
            starts(&truth["slots"]),
            "{}",
            r["id"]
        );
        if !r["optional_participants"].as_array().unwrap().is_empty() {
            assert_eq!(
                starts(&out["slots_all_attendees"]),
                starts(&truth["slots_all_attendees"]),
                "{}",
                r["id"]
            );
        }
        let proposed = out["proposed"].as_array().unwrap();
        assert_eq!(
            proposed.len(),
            truth["count"].as_u64().unwrap().min(3) as usize,
            "{}",
            r["id"]
        );
    }
}

#[tokio::test]
async fn every_morning_brief_is_due_on_time_with_the_true_meetings() {
    let truth = read_json(data_dir().join("calendars/morning_brief_truth.json"));
    let (org, cals) = (org(), calendars());
    let briefs = truth["briefs"].as_array().unwrap();
    assert_eq!(briefs.len(), 50);
    for b in briefs {
        let input = json!({"org": org, "calendars": cals, "user_id": b["user_id"], "date": b["local_date"]});
        let out = run("morning-brief", &input).await;
        let what = format!("{} {}", b["user_id"], b["local_date"]);
        assert_eq!(out["due_utc"], b["brief_due_utc"], "{what}");
        let ids = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|m| m["event_id"].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&out["meetings"]),
            ids(&b["meetings_with_contacts"]),
            "{what}"
        );
        let text = out["text"].as_str().unwrap();
        for heading in [
            "MEETINGS TODAY",
            "NEEDS YOUR ATTENTION",
            "PIPELINE PULSE",
            "OVERNIGHT UPDATES",
            "[Expand pipeline ->]",
        ] {
            assert!(text.contains(heading), "{what}: no {heading}");
        }
    }
}

#[tokio::test]
async fn a_day_without_working_hours_gets_no_brief() {
    let out = run("morning-brief", &json!({"org": org(), "calendars": calendars(), "user_id": "u_bl_maya", "date": "2026-12-05"})).await;
    assert_eq!(out["working_day"], false);
    assert_eq!(out["due_utc"], Value::Null);
}

#[tokio::test]
async fn the_brief_lists_the_inbox_items_that_need_the_rep() {
    let emails: Vec<Value> = files(data_dir().join("emails"), |n| n.starts_with("em_"))
        .into_iter()
        .map(read_json)
        .collect();
    let input = json!({"org": org(), "calendars": calendars(), "user_id": "u_bl_maya", "date": "2026-12-01", "emails": emails});
    let out = run("morning-brief", &input).await;
    let items = out["needs_attention"].as_array().unwrap();
    // Maya's mail in the week before 08:00 on Dec 1 that needs her: no autoreplies, no spam.
    assert!(!items.is_empty());
    for i in items {
        assert_ne!(i["category"], "out_of_office");
        assert_ne!(i["category"], "vendor_pitch_spam");
    }
    let text = out["text"].as_str().unwrap();
    assert!(
        !text.contains('@'),
        "the brief shows names, never addresses"
    );
}

/// One of our annotated email sets in `tests/data`: each email with its truth.
fn email_set(name: &str) -> Vec<(Value, Value)> {
    let file = read_json(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    );
    file["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["email"].clone(), i["truth"].clone()))
        .collect()
}

async fn accuracy(items: &[(Value, Value)]) -> (f64, f64, Vec<String>) {
    let (mut cat, mut act, mut misses) = (0, 0, Vec::new());
    for (email, truth) in items {
        let out = run("classify-email", email).await;
        let c = out["category"] == truth["category"]
            || truth["also_acceptable"]
                .as_array()
                .is_some_and(|a| a.contains(&out["category"]));
        let a = out["action"] == truth["action"];
        cat += usize::from(c);
        act += usize::from(a);
        if !(c && a) {
            misses.push(format!(
                "{}: {}/{}",
                email["id"], out["category"], out["action"]
            ));
        }
    }
    let n = items.len() as f64;
    (cat as f64 / n, act as f64 / n, misses)
}

#[tokio::test]
async fn email_triage_is_accurate_on_the_dev_set() {
    let truth = read_json(data_dir().join("emails/truth.json"));
    let org = org();
    let mut items = Vec::new();
    let mut crm_misses = Vec::new();
    for (id, t) in truth.as_object().unwrap() {
        let mut email = read_json(data_dir().join(format!("emails/{id}.json")));
        email["org"] = org.clone();
        let out = run("classify-email", &email).await;
        for field in [
            "language",
            "contact_id",
            "deal_id",
            "return_date",
            "referred_to",
        ] {
            if t.get(field).is_some() && out[field] != t[field] {
                crm_misses.push(format!("{id} {field}: {} (want {})", out[field], t[field]));
            }
        }
        items.push((email, t.clone()));
    }
    let (cat, act, misses) = accuracy(&items).await;
    assert!(
        cat >= 0.9 && act >= 0.9,
        "category {cat:.2}, action {act:.2}: {misses:?}"
    );
    assert!(crm_misses.is_empty(), "{crm_misses:?}");
}

#[tokio::test]
async fn email_triage_holds_on_our_own_harder_set() {
    let items = email_set("emails_extra.json");
    let (cat, act, misses) = accuracy(&items).await;
    assert!(
        cat >= 0.9 && act >= 0.9,
        "category {cat:.2}, action {act:.2}: {misses:?}"
    );
}

/// Indirect meeting requests, autoreplies in four other languages, forwarded chains,
/// pitches that ask for a meeting, replies whose quote says something else: written before
/// the rules were changed for them (scored then: see the README).
#[tokio::test]
async fn email_triage_holds_on_our_harder_set() {
    let items = email_set("emails_harder.json");
    let (cat, act, misses) = accuracy(&items).await;
    eprintln!("harder emails: category {cat:.2}, action {act:.2}; misses {misses:?}");
    // Scored 0.56 / 0.62 by the rules of the day the set was written.
    assert!(
        cat >= 0.9 && act >= 0.9,
        "category {cat:.2}, action {act:.2}: {misses:?}"
    );
    for (email, truth) in &items {
        let out = run("classify-email", email).await;
        assert_eq!(out["language"], truth["language"], "{}", email["id"]);
    }
}

/// Our own annotated email rounds after the first two sets (sessions 12 to 14, every
/// `emails_round*.json`), each written before the rules were changed for it.
fn own_rounds() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let rounds: Vec<String> = files(dir, |n| {
        n.starts_with("emails_round") && n.ends_with(".json")
    })
    .iter()
    .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
    .collect();
    assert!(
        rounds.len() >= 15,
        "our email rounds are missing: {rounds:?}"
    );
    rounds
}

/// Rounds three to seventeen: objections without "expensive", volume pricing without "price",
/// role changes, outages described without "bug", reschedules, autoreplies without headers,
/// German, Spanish and French requests, polite noes, replies above a quote and a signature,
/// Gmail-quoted and mobile replies, disclaimers, longer DEV-like letters, cold pitches that
/// ask for a meeting, mixed signals (interest with a question, a competitor's quote, vendor
/// paperwork, a project on ice) — scored on first sight (category / action) 0.56 / 0.69,
/// 0.31 / 0.44, 0.25 / 0.50, 0.38 / 0.44 and, with the word-count fallback, 0.56 / 0.69,
/// 0.75 / 0.75, 0.82 / 0.86, 0.55 / 0.60, 0.55 / 0.60, 0.50 / 0.50, 0.90 / 0.90, 0.60 / 0.65,
/// 0.70 / 0.75, 0.65 / 0.65 and (terse, non-native, bulleted) 0.60 / 0.65.
#[tokio::test]
async fn email_triage_holds_on_our_own_rounds() {
    let items: Vec<_> = own_rounds().iter().flat_map(|set| email_set(set)).collect();
    let (cat, act, misses) = accuracy(&items).await;
    assert!(
        cat >= 0.9 && act >= 0.9,
        "category {cat:.2}, action {act:.2}: {misses:?}"
    );
    for (email, truth) in &items {
        let out = run("classify-email", email).await;
        assert_eq!(out["language"], truth["language"], "{}", email["id"]);
        if let Some(to) = truth.get("referred_to") {
            assert_eq!(&out["referred_to"]["email"], to, "{}", email["id"]);
        }
    }
}

/// The email skills after triage, as `email_received` runs them, match their declared
/// schemas on every email we have (DEV, our first set and issue 15's): the draft for a reply,
/// the notice for the rep.
#[tokio::test]
async fn the_email_skills_outputs_match_their_schemas_on_every_email() {
    let mut emails: Vec<Value> = Vec::new();
    let truth = read_json(data_dir().join("emails/truth.json"));
    for id in truth.as_object().unwrap().keys() {
        let mut email = read_json(data_dir().join(format!("emails/{id}.json")));
        email["org"] = org();
        emails.push(email);
    }
    let sets = ["emails_extra.json", "emails_harder.json"].map(String::from);
    for set in sets.into_iter().chain(own_rounds()) {
        emails.extend(email_set(&set).into_iter().map(|(email, _)| email));
    }
    let (mut drafts, mut notices) = (0, 0);
    for email in &emails {
        // `run` fails the test on any error, a schema mismatch included.
        let triage = run("classify-email", email).await;
        let input = json!({"triage": triage, "email": email});
        match triage["action"].as_str().unwrap() {
            "draft_reply_needs_approval" => {
                run("draft-email-reply", &input).await;
                drafts += 1;
            }
            "notify_rep" | "update_crm" => {
                run("email-triage-notice", &input).await;
                notices += 1;
            }
            _ => {}
        }
    }
    assert!(
        emails.len() >= 63 && drafts > 10 && notices > 10,
        "{drafts} drafts, {notices} notices"
    );
}

#[tokio::test]
async fn coaching_is_within_the_data_readmes_tolerances_on_every_meeting() {
    for truth_file in files(data_dir().join("meetings"), |n| n.ends_with(".truth.json")) {
        let meeting = read_json(PathBuf::from(
            truth_file.to_str().unwrap().replace(".truth.json", ".json"),
        ));
        let truth = read_json(truth_file)["coaching"].clone();
        let out = run("coaching-analysis", &meeting).await;
        let id = &meeting["id"];
        let ratio = out["rep_talk_ratio"].as_f64().unwrap();
        assert!(
            (ratio - truth["rep_talk_ratio"].as_f64().unwrap()).abs() <= 0.05,
            "{id}: talk ratio {ratio}"
        );
        let q = out["open_questions_count"].as_i64().unwrap();
        assert!(
            (q - truth["open_questions_count"].as_i64().unwrap()).abs() <= 2,
            "{id}: {q} open questions"
        );
        assert_eq!(out["next_steps_agreed"], truth["next_steps_agreed"], "{id}");
        let segs = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s["segment_index"].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(segs(&out["next_steps"]), segs(&truth["next_steps"]), "{id}");
    }
}

/// The scheduling request built from what an email said matches the DEV request's windows
/// and length (the DEV requests quote the email in `from_text`).
#[tokio::test]
async fn the_request_built_from_an_email_has_the_windows_it_stated() {
    let file = read_json(data_dir().join("calendars/scheduling_requests.json"));
    let cals = calendars();
    let tz_of =
        |id: &Value| cals.iter().find(|c| c["owner"]["id"] == *id).unwrap()["timezone"].clone();
    let mut checked = 0;
    for r in file["requests"].as_array().unwrap() {
        let (Some(email_id), Some(windows)) = (
            r["source"]["email_id"].as_str(),
            r["constraints"]["allowed_windows"].as_array(),
        ) else {
            continue;
        };
        let email = read_json(data_dir().join(format!("emails/{email_id}.json")));
        let text = baton_skills::email::Email::parse(&email)
            .unwrap()
            .new_text();
        let contact = r["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p.as_str().unwrap().starts_with("ct_"))
            .unwrap();
        let input = json!({
            "event": {"payload": {"text": text, "said_at": email["date"]}},
            "context": {"user": {"id": r["organizer_user_id"], "name": "Rep", "timezone": tz_of(&r["organizer_user_id"])},
                        "contact": {"id": contact, "name": "Contact", "timezone": tz_of(contact)}, "calendars": cals},
        });
        let out = run("find-available-slots", &input).await;
        let instants = |w: &Value| -> Vec<(String, String)> {
            w.as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    let t = |k: &str| {
                        baton_skills::calendar::instant(x[k].as_str().unwrap())
                            .unwrap()
                            .to_rfc3339()
                    };
                    (t("start"), t("end"))
                })
                .collect()
        };
        assert_eq!(
            instants(&out["request"]["constraints"]["allowed_windows"]),
            instants(&Value::Array(windows.clone())),
            "{}",
            r["id"]
        );
        // 45 minutes (sr_dev_005) is the organiser's choice, not something the email says.
        if r["duration_min"] != 45 {
            assert_eq!(
                out["request"]["duration_min"], r["duration_min"],
                "{}",
                r["id"]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 4);
}
