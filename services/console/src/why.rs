//! "Why is it waiting?": what holds a job that is not moving, said from what the database
//! holds — its status and pause reason, the router's timers still due for it (quiet hours, a
//! step's retry, a budget recheck), its open gates, and its messages the notifier holds back
//! (the user's quiet hours or hourly limit, Slack's rate limit).

use baton_core::status::JobStatus;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A router timer not yet fired for the job.
#[derive(Debug, Clone)]
pub struct DueTimer {
    pub kind: String,
    pub due_at: DateTime<Utc>,
    pub payload: Value,
}

/// A gate of the job still waiting for its decision.
#[derive(Debug, Clone)]
pub struct OpenGate {
    pub kind: String,
    pub user: String,
    pub expires_at: DateTime<Utc>,
    pub on_timeout: String,
}

/// A message of the job (a gate's approval message, a notify step's) the notifier holds.
#[derive(Debug, Clone)]
pub struct HeldMessage {
    /// Which message, said for a reader ("the send_email gate's approval message").
    pub what: String,
    pub until: Option<DateTime<Utc>>,
    /// The notifier's deferral reason.
    pub reason: String,
}

/// What the job is in and waits on.
#[derive(Debug)]
pub struct Holds<'a> {
    pub status: JobStatus,
    pub paused_reason: Option<&'a str>,
    pub timers: &'a [DueTimer],
    pub gates: &'a [OpenGate],
    pub held: &'a [HeldMessage],
    /// The last failed attempt's error, when a retry is due.
    pub last_error: Option<&'a str>,
}

/// Every reason the job waits, most important first; empty when it is moving or finished.
pub fn explain(h: &Holds<'_>) -> Vec<String> {
    if h.status.is_terminal() {
        return Vec::new();
    }
    let at = crate::page::at;
    let mut why = Vec::new();
    for t in h.timers {
        match t.kind.as_str() {
            baton_router::JOB_START => why.push(format!(
                "Deferred by the user's quiet hours: starts at {}",
                at(t.due_at)
            )),
            baton_router::STEP_RETRY => why.push(format!(
                "Step {} retries at {} (attempt {}){}",
                t.payload["index"],
                at(t.due_at),
                t.payload["attempt"],
                h.last_error
                    .map(|e| format!(" after: {e}"))
                    .unwrap_or_default()
            )),
            baton_router::BUDGET_CHECK => why.push(format!(
                "Paused: the org's AI budget is spent; the budget is checked again at {}",
                at(t.due_at)
            )),
            _ => {}
        }
    }
    for g in h.gates {
        why.push(format!(
            "Waiting for {}'s decision on the {} gate until {}; then it is {}",
            g.user,
            g.kind,
            at(g.expires_at),
            match g.on_timeout.as_str() {
                "cancel" => "cancelled",
                _ => "skipped",
            }
        ));
    }
    for m in h.held {
        let until = m.until.map(at).unwrap_or_else(|| "an unknown time".into());
        why.push(match m.reason.as_str() {
            "quiet_hours" => format!(
                "{} is held for the user's quiet hours until {until}",
                capital(&m.what)
            ),
            "rate_limit" => format!(
                "{} is held by the user's hourly notification limit until {until}",
                capital(&m.what)
            ),
            "slack_ratelimited" => format!(
                "{} waits out Slack's rate limit: sent again at {until}",
                capital(&m.what)
            ),
            other => format!("{} is deferred ({other}) until {until}", capital(&m.what)),
        });
    }
    match (h.status, h.paused_reason) {
        (JobStatus::Paused, Some(r)) if !why.iter().any(|w| w.starts_with("Paused")) => why.push(
            format!("Paused: {r}; it stays paused until someone resumes it"),
        ),
        (JobStatus::Deferred, _) if why.is_empty() => {
            why.push("Deferred, with no start time scheduled".into())
        }
        _ => {}
    }
    why
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    #[test]
    fn quiet_hours_say_until_when() {
        let timers = [DueTimer {
            kind: "job_start".into(),
            due_at: t(8),
            payload: Value::Null,
        }];
        let h = Holds {
            status: JobStatus::Deferred,
            paused_reason: None,
            timers: &timers,
            gates: &[],
            held: &[],
            last_error: None,
        };
        assert_eq!(
            explain(&h),
            ["Deferred by the user's quiet hours: starts at 2026-03-02 08:00:00 UTC"]
        );
    }

    #[test]
    fn a_gate_says_whose_and_what_happens_at_expiry() {
        let gates = [OpenGate {
            kind: "send_email".into(),
            user: "u-1".into(),
            expires_at: t(12),
            on_timeout: "skip".into(),
        }];
        let h = Holds {
            status: JobStatus::AwaitingApproval,
            paused_reason: None,
            timers: &[],
            gates: &gates,
            held: &[],
            last_error: None,
        };
        assert_eq!(
            explain(&h),
            [
                "Waiting for u-1's decision on the send_email gate until 2026-03-02 12:00:00 UTC; then it is skipped"
            ]
        );
    }

    #[test]
    fn a_retry_names_its_step_and_error_and_a_pause_its_reason() {
        let timers = [DueTimer {
            kind: "step_retry".into(),
            due_at: t(9),
            payload: serde_json::json!({ "index": 2, "attempt": 3 }),
        }];
        let h = Holds {
            status: JobStatus::InProgress,
            paused_reason: None,
            timers: &timers,
            gates: &[],
            held: &[],
            last_error: Some("email provider answered 503"),
        };
        assert_eq!(
            explain(&h),
            [
                "Step 2 retries at 2026-03-02 09:00:00 UTC (attempt 3) after: email provider answered 503"
            ]
        );
        let paused = Holds {
            status: JobStatus::Paused,
            paused_reason: Some("skill failed"),
            timers: &[],
            gates: &[],
            held: &[],
            last_error: None,
        };
        assert_eq!(
            explain(&paused),
            ["Paused: skill failed; it stays paused until someone resumes it"]
        );
    }

    #[test]
    fn a_finished_job_waits_for_nothing() {
        let h = Holds {
            status: JobStatus::Completed,
            paused_reason: Some("stale"),
            timers: &[],
            gates: &[],
            held: &[],
            last_error: None,
        };
        assert!(explain(&h).is_empty());
    }

    #[test]
    fn a_held_message_says_what_holds_it_and_until_when() {
        let gates = [OpenGate {
            kind: "send_email".into(),
            user: "u-1".into(),
            expires_at: t(12),
            on_timeout: "skip".into(),
        }];
        let held = [
            HeldMessage {
                what: "the send_email gate's approval message".into(),
                until: Some(t(10)),
                reason: "rate_limit".into(),
            },
            HeldMessage {
                what: "step notify_rep's message".into(),
                until: Some(t(11)),
                reason: "slack_ratelimited".into(),
            },
        ];
        let h = Holds {
            status: JobStatus::AwaitingApproval,
            paused_reason: None,
            timers: &[],
            gates: &gates,
            held: &held,
            last_error: None,
        };
        let why = explain(&h);
        assert_eq!(
            why[1..],
            [
                "The send_email gate's approval message is held by the user's hourly notification limit until 2026-03-02 10:00:00 UTC",
                "Step notify_rep's message waits out Slack's rate limit: sent again at 2026-03-02 11:00:00 UTC",
            ]
        );
    }
}
