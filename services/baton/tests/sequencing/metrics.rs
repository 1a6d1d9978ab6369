//! `/metrics` after `baton demo --keep --scenario meeting`: every series the operations
//! issue lists is there with a plausible value, named by Prometheus conventions, and no
//! label carries an id (a job, user, event or pending action).

use crate::harness::{KeptDemo, free_port, repo};

/// Prometheus text: (series name, labels, value) per sample line.
fn samples(text: &str) -> Vec<(String, String, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            let (name, labels) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            Some((name.to_string(), labels.to_string(), value.parse().ok()?))
        })
        .collect()
}

/// The values of `name` whose labels contain each of `with`.
fn values(all: &[(String, String, f64)], name: &str, with: &[&str]) -> Vec<f64> {
    all.iter()
        .filter(|(n, l, _)| n == name && with.iter().all(|w| l.contains(w)))
        .map(|s| s.2)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_after_a_demo_run_have_every_series_and_no_ids() {
    let port = free_port();
    let demo = KeptDemo::start(&[
        ("BATON_HTTP__LISTEN", format!("127.0.0.1:{port}")),
        // --keep serves the console too: on any free port (tests run side by side).
        ("BATON_CONSOLE__LISTEN", "127.0.0.1:0".into()),
    ])
    .await;
    let url = format!("http://127.0.0.1:{port}/metrics");
    baton_platform::install_crypto_provider();
    let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
    demo.stop().await;
    let all = samples(&text);
    let org = "org=\"org_tidewater\"";

    // Messages by group, topic and outcome; none dead-lettered; dead letters by class.
    let applied = values(
        &all,
        "baton_messages_total",
        &["outcome=\"applied\"", "topic=\""],
    );
    assert!(applied.iter().sum::<f64>() >= 10.0, "{applied:?}");
    let dead = values(&all, "baton_dead_letters_total", &["class=\"invalid\""]);
    assert!(
        !dead.is_empty() && dead.iter().all(|v| *v == 0.0),
        "{dead:?}"
    );
    // Steps timed by sequence and step.
    let steps = values(
        &all,
        "baton_step_duration_seconds_count",
        &[
            "sequence=\"meeting_ended\"",
            "step=\"extract_action_items\"",
        ],
    );
    assert_eq!(steps.iter().sum::<f64>(), 1.0, "{steps:?}");
    // Jobs by org and status: the meeting's job completed, its children wait at gates.
    assert!(values(&all, "baton_jobs", &[org, "status=\"completed\""])[0] >= 1.0);
    let waiting = values(&all, "baton_jobs", &[org, "status=\"awaiting_approval\""]);
    assert!(waiting.first().is_some_and(|n| *n >= 1.0), "{waiting:?}");
    let gates = values(&all, "baton_gates_pending", &[org]);
    assert_eq!(gates, waiting, "one open gate per waiting job");
    let age = values(&all, "baton_gate_oldest_pending_age_seconds", &[org]);
    assert!(
        age.first().is_some_and(|a| (0.0..600.0).contains(a)),
        "{age:?}"
    );
    // Deferrals by reason (each reason a series from the start), AI spend against the budget.
    let deferrals = values(&all, "baton_deferrals_total", &["reason=\"rate_limit\""]);
    assert_eq!(deferrals.len(), 1, "{deferrals:?}");
    let spend = values(&all, "baton_ai_spend_usd", &[org]);
    assert!(spend.first().is_some_and(|s| *s > 0.0), "{spend:?}");
    let used = values(&all, "baton_ai_budget_used_ratio", &[org]);
    assert!(
        used.first().is_some_and(|r| *r > 0.0 && *r < 1.0),
        "{used:?}"
    );
    // The outbox (unused on the embedded bus) and the consumer lag per group and partition.
    assert_eq!(values(&all, "baton_outbox_depth_messages", &[]), [0.0]);
    let lag = values(
        &all,
        "baton_consumer_lag_messages",
        &[
            "group=\"baton.router\"",
            "topic=\"baton.events\"",
            "partition=\"",
        ],
    );
    assert!(!lag.is_empty() && lag.iter().all(|l| *l >= 0.0), "{lag:?}");

    // The Grafana dashboard draws only series that exist.
    let dashboard =
        std::fs::read_to_string(repo().join("infra/grafana/dashboards/baton.json")).unwrap();
    let drawn: std::collections::BTreeSet<&str> = dashboard
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| t.starts_with("baton_"))
        .collect();
    assert!(drawn.len() >= 10, "{drawn:?}");
    for series in drawn {
        assert!(
            all.iter().any(|(n, _, _)| n == series),
            "the dashboard draws {series}, which /metrics does not have"
        );
    }

    // Names by convention; no label value is an id.
    for (name, labels, _) in &all {
        assert!(name.starts_with("baton_"), "{name}");
        for pair in labels.split("\",").filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once("=\"").unwrap_or((pair, ""));
            let value = value.trim_end_matches('"');
            assert!(
                [
                    "org",
                    "topic",
                    "group",
                    "partition",
                    "sequence",
                    "step",
                    "status",
                    "reason",
                    "outcome",
                    "class",
                    "endpoint",
                    "cache",
                    "quantile",
                    "le",
                    "service"
                ]
                .contains(&key),
                "{name}: label {key} is not one of the allowed"
            );
            let looks_like_id = value.len() >= 32
                && value.chars().filter(|c| *c == '-').count() == 4
                || value.starts_with("pa_")
                || value.starts_with("u_");
            assert!(!looks_like_id, "{name}: {key}={value} is an id");
        }
    }
}
