//! `baton_deferrals_total{reason}`: work put off — never dropped — and why. The reasons are a
//! fixed set, each a series from a process's start (0 until it happens).

/// Every reason counted.
pub const REASONS: [&str; 6] = [
    // The router: a job created in its user's quiet hours starts at their next window.
    "quiet_hours",
    // The router: the org's AI budget is spent; the job is paused until it is not.
    "budget_exceeded",
    // The router: a step's skill asked to be run later (a provider's 429, …).
    "step_deferred",
    // The router: a step's skill paused the job (a budget estimate, …).
    "step_paused",
    // The notifier: the user's hourly limit of Slack messages is reached.
    "rate_limit",
    // The notifier: Slack answered `ratelimited`.
    "slack_ratelimited",
];

/// Counts one deferral for `reason` (one of [`REASONS`]; the notifier's quiet hours are
/// `quiet_hours` too).
pub fn count(reason: &'static str) {
    debug_assert!(
        REASONS.contains(&reason),
        "{reason} is not a deferral reason"
    );
    metrics::counter!("baton_deferrals_total", "reason" => reason).increment(1);
}

/// Makes every reason a series (at 0).
pub fn register() {
    for reason in REASONS {
        metrics::counter!("baton_deferrals_total", "reason" => reason).increment(0);
    }
}
