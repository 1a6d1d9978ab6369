//! The monthly AI budget: checked before every `ai` step, with the step's estimated cost.
//!
//! Money is counted in micro-dollars (integers), as the cost ledger stores it to 6 places,
//! so sums never drift. Periods are calendar months in UTC (`YYYY-MM`).

use chrono::{DateTime, Datelike, TimeZone, Utc};

/// An amount in millionths of a US dollar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct MicroUsd(pub i64);

impl MicroUsd {
    /// From dollars as stored in settings (rounded to the micro-dollar).
    pub fn from_usd(usd: f64) -> Self {
        MicroUsd((usd * 1_000_000.0).round() as i64)
    }

    pub fn usd(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }
}

/// An org's budget for one period and what it has spent in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub monthly_limit: MicroUsd,
    pub spent: MicroUsd,
    /// Alert the rep when spending reaches this share of the limit.
    pub alert_at_pct: u32,
    /// Refuse AI steps over the limit (otherwise: allow, and alert).
    pub hard_stop: bool,
}

/// What to do before an AI step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetDecision {
    Allow,
    /// Allow, and tell the org it is at `used_pct` of its budget (once per period: the
    /// caller keys the alert on [`period_of`]).
    AllowAndAlert {
        used_pct: u32,
    },
    /// Pause the job with reason `budget_exceeded`; notify once per period.
    Pause,
}

/// The budget period containing `at`.
pub fn period_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// When the budget period after the one containing `at` begins (the next UTC month).
pub fn next_period_start(at: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = (at.year(), at.month());
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or(at)
}

impl Budget {
    /// Share of the limit used after spending `estimate` more, in whole percent (rounded up).
    pub fn used_pct_after(&self, estimate: MicroUsd) -> u32 {
        let after = self.spent.0.saturating_add(estimate.0).max(0) as i128;
        let limit = self.monthly_limit.0.max(0) as i128;
        if limit == 0 {
            return if after == 0 { 0 } else { u32::MAX };
        }
        let pct = (after * 100 + limit - 1) / limit;
        u32::try_from(pct).unwrap_or(u32::MAX)
    }

    /// Spent to the limit with the hard stop on: no AI step may run until the period ends
    /// or the limit is raised.
    pub fn exhausted(&self) -> bool {
        self.hard_stop && self.spent.0 >= self.monthly_limit.0
    }

    /// The decision for a step estimated to cost `estimate`.
    pub fn check(&self, estimate: MicroUsd) -> BudgetDecision {
        let after = self.spent.0.saturating_add(estimate.0);
        let over = after > self.monthly_limit.0;
        if over && self.hard_stop {
            return BudgetDecision::Pause;
        }
        let used_pct = self.used_pct_after(estimate);
        if over || used_pct >= self.alert_at_pct {
            BudgetDecision::AllowAndAlert { used_pct }
        } else {
            BudgetDecision::Allow
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(limit: f64, spent: f64, hard_stop: bool) -> Budget {
        Budget {
            monthly_limit: MicroUsd::from_usd(limit),
            spent: MicroUsd::from_usd(spent),
            alert_at_pct: 80,
            hard_stop,
        }
    }

    #[test]
    fn decisions() {
        let step = MicroUsd::from_usd(0.05);
        assert_eq!(budget(100.0, 10.0, true).check(step), BudgetDecision::Allow);
        assert_eq!(
            budget(100.0, 79.97, true).check(step),
            BudgetDecision::AllowAndAlert { used_pct: 81 }
        );
        assert_eq!(
            budget(100.0, 99.97, true).check(step),
            BudgetDecision::Pause
        );
        assert_eq!(
            budget(100.0, 99.97, false).check(step),
            BudgetDecision::AllowAndAlert { used_pct: 101 },
            "a soft budget allows and alerts"
        );
        assert_eq!(
            budget(100.0, 99.95, true).check(step),
            BudgetDecision::AllowAndAlert { used_pct: 100 },
            "exactly reaching the limit is allowed"
        );
        assert_eq!(budget(0.0, 0.0, true).check(step), BudgetDecision::Pause);
    }

    #[test]
    fn micro_dollars_do_not_drift() {
        let cents: i64 = (0..1000).map(|_| MicroUsd::from_usd(0.1).0).sum();
        assert_eq!(MicroUsd(cents).usd(), 100.0);
    }

    #[test]
    fn the_next_period_starts_on_the_first_of_the_next_utc_month() {
        let at: DateTime<Utc> = "2026-12-31T23:59:59Z".parse().unwrap_or_default();
        assert_eq!(
            next_period_start(at).to_rfc3339(),
            "2027-01-01T00:00:00+00:00"
        );
        let at: DateTime<Utc> = "2026-02-01T00:00:00Z".parse().unwrap_or_default();
        assert_eq!(
            next_period_start(at).to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert!(budget(10.0, 10.0, true).exhausted());
        assert!(!budget(10.0, 9.99, true).exhausted());
        assert!(
            !budget(10.0, 12.0, false).exhausted(),
            "a soft budget never stops work"
        );
    }

    #[test]
    fn periods_are_utc_months() {
        let at: DateTime<Utc> = "2026-11-30T23:59:59Z".parse().unwrap_or_default();
        assert_eq!(period_of(at), "2026-11");
        let at: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap_or_default();
        assert_eq!(period_of(at), "2026-12");
    }
}
