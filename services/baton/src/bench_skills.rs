//! `baton bench skills`: time per call of the built-in skills on the sample data (each
//! meeting for the transcript skills, the org for the pipeline and campaign skills), as
//! median and p99 over repeated calls. Pure computation: no database, no network.

use std::time::Instant;

use baton_skills::Registry;
use hdrhistogram::Histogram;
use serde_json::Value;

use crate::sample::{Sample, SampleData};

/// The skills measured, and what each reads.
const SKILLS: [(&str, Input); 4] = [
    ("detect-intents", Input::Meeting),
    ("extract-action-items", Input::Meeting),
    ("find-stale-deals", Input::Org),
    ("monitor-campaigns", Input::Org),
];

#[derive(Clone, Copy)]
enum Input {
    Meeting,
    Org,
}

pub async fn run(data: &SampleData, runs: usize) -> anyhow::Result<()> {
    let registry = Registry::builtin();
    let Sample {
        org,
        meetings,
        from,
    } = data.load()?;
    println!("{runs} calls per input on {from}");
    for (key, input) in SKILLS {
        let inputs: Vec<&Value> = match input {
            Input::Meeting => meetings.iter().collect(),
            Input::Org => vec![&org],
        };
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
