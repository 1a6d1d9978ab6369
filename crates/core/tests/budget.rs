//! The budget rule's properties, and the sample org's budget.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton_core::budget::{Budget, BudgetDecision, MicroUsd};
use proptest::prelude::*;

fn rank(d: BudgetDecision) -> u8 {
    match d {
        BudgetDecision::Allow => 0,
        BudgetDecision::AllowAndAlert { .. } => 1,
        BudgetDecision::Pause => 2,
    }
}

proptest! {
    #[test]
    fn within_the_limit_never_pauses_and_more_spending_is_never_more_permissive(
        limit in 0i64..1_000_000_000,
        spent_a in 0i64..1_000_000_000,
        extra in 0i64..1_000_000_000,
        estimate in 0i64..10_000_000,
        alert_at_pct in 1u32..=100,
        hard_stop in any::<bool>(),
    ) {
        let at = |spent| Budget { monthly_limit: MicroUsd(limit), spent: MicroUsd(spent), alert_at_pct, hard_stop };
        let a = at(spent_a).check(MicroUsd(estimate));
        let b = at(spent_a + extra).check(MicroUsd(estimate));
        prop_assert!(rank(a) <= rank(b), "{a:?} then {b:?}");
        if spent_a + estimate <= limit {
            prop_assert_ne!(a, BudgetDecision::Pause);
        }
        if !hard_stop {
            prop_assert_ne!(a, BudgetDecision::Pause, "a soft budget never pauses");
        }
    }
}

#[test]
fn the_sample_org_budget() {
    let dir = std::env::var("BATON_SHARED_DATA").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").to_string()
    });
    let path = format!("{dir}/org/org_brightlane.json");
    let org: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
    )
    .unwrap();
    let b = &org["ai_budget"];
    let budget = Budget {
        monthly_limit: MicroUsd::from_usd(b["monthly_limit_usd"].as_f64().unwrap()),
        spent: MicroUsd::from_usd(b["spent_usd"].as_f64().unwrap()),
        alert_at_pct: b["alert_at_pct"].as_u64().unwrap() as u32,
        hard_stop: b["hard_stop"].as_bool().unwrap(),
    };
    // 241.37 of 300 spent (80.5 %, past the 80 % alert line): a small step is allowed with
    // an alert; one that would cross the limit pauses; reaching it exactly is allowed.
    assert_eq!(
        budget.check(MicroUsd::from_usd(0.25)),
        BudgetDecision::AllowAndAlert { used_pct: 81 }
    );
    assert_eq!(
        budget.check(MicroUsd::from_usd(60.0)),
        BudgetDecision::Pause
    );
    assert_eq!(
        budget.check(MicroUsd::from_usd(58.63)),
        BudgetDecision::AllowAndAlert { used_pct: 100 }
    );
}
