//! `baton bench skills`: time per call of the built-in skills on the sample data (each
//! meeting for the transcript skills, the org for the pipeline and campaign skills, each
//! email for triage, a brief and a week's slot search per calendar owner), as median and
//! p99 over repeated calls. Pure computation: no database, no network.

use std::time::Instant;

use baton_skills::Registry;
use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::sample::{Sample, SampleData};

/// The skills measured.
const SKILLS: [&str; 8] = [
    "detect-intents",
    "extract-action-items",
    "coaching-analysis",
    "classify-email",
    "find-available-slots",
    "morning-brief",
    "find-stale-deals",
    "monitor-campaigns",
];

/// The inputs a skill is measured on.
fn inputs(key: &str, s: &Sample) -> Vec<Value> {
    let as_of = s.org["as_of"].as_str().unwrap_or("2026-12-01T00:00:00Z");
    let date = &as_of[..10];
    let users: Vec<&Value> = s
        .calendars
        .iter()
        .filter(|c| c["owner"]["type"] == "user")
        .collect();
    match key {
        "detect-intents" | "extract-action-items" | "coaching-analysis" => s.meetings.clone(),
        "classify-email" => s
            .emails
            .iter()
            .map(|e| json!({"email": e, "org": s.org}))
            .collect(),
        "find-available-slots" => users
            .iter()
            .map(|c| {
                let within = json!({"start_date": date, "end_date": next_week(date), "timezone": c["timezone"]});
                let request = json!({"participants": [c["owner"]["id"]], "duration_min": 30, "created_at": as_of, "within": within});
                json!({"request": request, "calendars": s.calendars})
            })
            .collect(),
        "morning-brief" => users
            .iter()
            .map(|c| json!({"org": s.org, "calendars": s.calendars, "user_id": c["owner"]["id"], "date": date, "emails": s.emails}))
            .collect(),
        _ => vec![s.org.clone()],
    }
}

fn next_week(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(7)).to_string())
        .unwrap_or_else(|_| date.to_string())
}

pub async fn run(data: &SampleData, runs: usize) -> anyhow::Result<()> {
    let registry = Registry::builtin();
    let sample = data.load()?;
    println!("{runs} calls per input on {}", sample.from);
    for key in SKILLS {
        let inputs = inputs(key, &sample);
        if inputs.is_empty() {
            println!("  {key:<24} (no input in this sample set)");
            continue;
        }
        let mut h = Histogram::<u64>::new(3)?;
        for _ in 0..runs {
            for i in &inputs {
                let started = Instant::now();
                registry.run(key, "bench:1:1", i).await?;
                h.record(started.elapsed().as_micros().max(1) as u64)?;
            }
        }
        println!(
            "  {key:<24} {:>5} calls   median {:>8.3} ms   p99 {:>8.3} ms",
            h.len(),
            h.value_at_quantile(0.5) as f64 / 1000.0,
            h.value_at_quantile(0.99) as f64 / 1000.0
        );
    }
    Ok(())
}
