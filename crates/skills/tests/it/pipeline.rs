//! `find-stale-deals` and `monitor-campaigns` against the DEV truth in the org file
//! (`truth.stale_deals`, `truth.campaign_health`), on every org in ../shared/data/org.

use baton_skills::Registry;
use serde_json::Value;

use crate::{data_dir, read_json};

fn orgs() -> Vec<Value> {
    let mut files: Vec<_> = std::fs::read_dir(data_dir().join("org"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files.into_iter().map(read_json).collect()
}

async fn run(key: &str, input: &Value) -> Value {
    Registry::builtin()
        .run(key, "job:step:1", input)
        .await
        .unwrap()
        .output
}

/// What the truth file pins for each stale deal, in order.
fn stale_keys(deals: &Value) -> Vec<(Value, Value, Value)> {
    let fields = |d: &Value| {
        (
            d["deal_id"].clone(),
            d["days_since_activity"].clone(),
            d["owner_user_id"].clone(),
        )
    };
    deals.as_array().unwrap().iter().map(fields).collect()
}

#[tokio::test]
async fn stale_deals_match_the_truth_exactly() {
    for org in orgs() {
        let out = run("find-stale-deals", &org).await;
        let got = stale_keys(&out["stale_deals"]);
        let want = stale_keys(&org["truth"]["stale_deals"]);
        assert_eq!(got, want, "{}", org["id"]);
    }
}

#[tokio::test]
async fn campaign_health_matches_the_truth_exactly() {
    for org in orgs() {
        let out = run("monitor-campaigns", &org).await;
        let got = out["campaigns"].as_array().unwrap();
        let want = org["truth"]["campaign_health"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{}", org["id"]);
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g["campaign_id"], w["campaign_id"]);
            assert_eq!(
                g["underperforming"], w["underperforming"],
                "{}",
                w["campaign_id"]
            );
            assert_eq!(g["reasons"], w["reasons"], "{}", w["campaign_id"]);
            assert_eq!(g["last_7_days"], w["last_7_days"], "{}", w["campaign_id"]);
        }
    }
}
