//! The soak (`--variant soak`): PM5's fixed-rate open loop at 80 % of variant a's median (or
//! `--rate`) for `--duration-s`, with the services as processes of their own, and each
//! process's resident memory after a warm-up (a tenth of the run, at most a minute: caches
//! and pools fill first) and at the end. The bar: no process grows by more than
//! 10 % over ten minutes — reported, not enforced (memory is measured in benchmarks, not
//! asserted by tests).

use std::{collections::BTreeMap, time::Duration};

use serde_json::{Value, json};

use super::{Plan, setup::Running, variants};

/// What a process may grow by between the warm-up and the end before the report says so.
const GROWTH_BAR_PCT: f64 = 10.0;

pub async fn drive(r: &Running, plan: &Plan) -> anyhow::Result<Value> {
    let warmup = (plan.duration / 10).min(Duration::from_secs(60));
    let (load, start) = tokio::try_join!(variants::fixed_rate(r, plan), async {
        tokio::time::sleep(warmup).await;
        r.memory().await
    })?;
    let end = r.memory().await?;
    let mut per = BTreeMap::new();
    let mut worst = f64::MIN;
    for (name, before) in &start {
        let Some(after) = end.get(name) else {
            continue;
        };
        let growth = (*after as f64 - *before as f64) * 100.0 / (*before).max(1) as f64;
        worst = worst.max(growth);
        per.insert(
            name.clone(),
            json!({ "after_warmup_kib": before, "end_kib": after, "growth_pct": round1(growth) }),
        );
    }
    Ok(variants::merge(
        load,
        json!({
            "duration_s": plan.duration.as_secs(),
            "warmup_s": warmup.as_secs_f64(),
            "memory": per,
            "max_growth_pct": round1(worst),
            "memory_within_bar": worst <= GROWTH_BAR_PCT,
        }),
    ))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
