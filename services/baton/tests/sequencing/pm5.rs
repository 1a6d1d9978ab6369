//! `baton bench pm5` as a user runs it: each variant on each bus at small N, every run
//! checked by the benchmark's own verification (N sent rows, no duplicate send, N jobs
//! completed) and reported as one JSON object.

use std::process::Command;

use serde_json::Value;

/// Runs `baton bench pm5 <args>` on `bus` against the test server; its JSON lines.
fn bench(bus: &str, args: &[&str]) -> Vec<Value> {
    let url = std::env::var("BATON_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baton"));
    cmd.args(["bench", "pm5", "--bus", bus, "--reps", "1"])
        .args(args)
        .env("BATON_DATABASE__URL", url)
        .env("BATON_TELEMETRY__LOG_FILTER", "error");
    if bus == "kafka" {
        let k = baton_testkit::kafka();
        cmd.env("BATON_BUS__KAFKA__BOOTSTRAP_SERVERS", k.bootstrap_servers)
            .env(
                "BATON_BUS__KAFKA__SESSION_TIMEOUT_MS",
                k.session_timeout_ms.to_string(),
            )
            .env(
                "BATON_BUS__KAFKA__MAX_POLL_INTERVAL_MS",
                k.max_poll_interval_ms.to_string(),
            );
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "baton bench pm5 {args:?} on {bus} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// One verified run of `n` with its figures.
fn assert_verified(run: &Value, variant: &str, n: u64) {
    assert_eq!(run["variant"], variant, "{run}");
    assert_eq!(run["n"], n, "{run}");
    let v = &run["verification"];
    assert_eq!(v["ok"], true, "{run}");
    assert_eq!(v["sent_rows"], n, "{run}");
    assert_eq!(v["sum_attempts"], n, "{run}");
    assert_eq!(v["duplicate_side_effects"], 0, "{run}");
    assert_eq!(v["jobs_completed"], n, "{run}");
    assert_eq!(run["runs_not_completed"], 0, "{run}");
    assert!(run["runs_per_s"].as_f64().unwrap() > 0.0, "{run}");
}

/// PM5.md: on Kafka the services run as processes of their own; embedded a/rate/b run them
/// in the bench's process.
fn assert_services(run: &Value, bus: &str) {
    let services = run["services"].as_str().unwrap();
    let own = services.ends_with("each a `baton run` process of its own");
    assert_eq!(own, bus == "kafka", "{services}");
}

fn variant_a_and_rate(bus: &str) {
    let runs = bench(bus, &["--variant", "a", "--n", "60", "--in-flight", "16"]);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_verified(&runs[0], "a", 60);
    assert_services(&runs[0], bus);
    let l = &runs[0]["latency_ms"];
    assert!(
        l["p50"].as_f64().unwrap() > 0.0 && l["p50"].as_f64() <= l["p99"].as_f64(),
        "{l}"
    );
    let runs = bench(bus, &["--variant", "rate", "--rate", "20", "--n", "40"]);
    assert_verified(&runs[0], "rate", 40);
    assert_eq!(runs[0]["offered_per_s"], 20.0);
}

fn variant_b(bus: &str) {
    let runs = bench(bus, &["--variant", "b", "--n", "30", "--in-flight", "8"]);
    let run = &runs[0];
    assert_verified(run, "b", 30);
    assert_services(run, bus);
    assert!(
        run["services"]
            .as_str()
            .unwrap()
            .contains("approval-gateway, notifier"),
        "{run}"
    );
    for k in ["paused_per_s", "approvals_per_s", "time_to_all_paused_s"] {
        assert!(run[k].as_f64().unwrap() > 0.0, "{k}: {run}");
    }
    assert!(
        run["approval_to_completion_ms"]["p99"].as_f64().unwrap() > 0.0,
        "{run}"
    );
}

#[test]
fn pm5_a_and_rate_embedded() {
    variant_a_and_rate("embedded");
}

#[test]
fn pm5_b_embedded() {
    variant_b("embedded");
}

#[test]
fn pm5_a_and_rate_kafka() {
    variant_a_and_rate("kafka");
}

#[test]
fn pm5_b_kafka() {
    variant_b("kafka");
}

/// The crash check: one run per service killed with SIGKILL once half the emails are sent
/// and restarted; every run still verifies (no email lost, none sent twice).
fn crash(bus: &str) {
    let n = 500;
    let runs = bench(bus, &["--variant", "crash", "--n", "500"]);
    assert_eq!(runs.len(), 4, "three runs and the summary: {runs:?}");
    for (run, victim) in runs
        .iter()
        .zip(["router", "context-loader", "step-executor"])
    {
        assert_verified(run, "crash", n);
        assert_eq!(run["killed"], victim, "{run}");
        let before = run["sent_before_kill"].as_u64().unwrap();
        assert!(
            (n / 2..n).contains(&before),
            "killed in the middle, not at {before} of {n}: {run}"
        );
        assert!(run["restart_to_ready_ms"].as_f64().unwrap() > 0.0, "{run}");
        // Emails were sent after the restart: the run went on through the restarted process.
        assert!(run["recovery_ms"].as_f64().unwrap() > 0.0, "{run}");
    }
    assert_eq!(runs[3]["summary"], "C", "{}", runs[3]);
}

#[test]
fn pm5_crash_embedded() {
    crash("embedded");
}

#[test]
fn pm5_crash_kafka() {
    crash("kafka");
}

/// The fault run: A and B mixed while every service is killed and restarted, PostgreSQL
/// restarted, the broker killed and restarted (Kafka) and the email endpoint failing; its
/// checker finds nothing lost, stuck, sent twice or out of order, and every fault struck
/// a run in progress and was recovered from.
fn chaos(bus: &str) {
    let n = 500;
    let runs = bench(bus, &["--variant", "chaos", "--n", "500"]);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_verified(run, "chaos", n);
    let checker = &run["checker"];
    assert_eq!(checker["runs_lost"], 0, "{run}");
    assert_eq!(checker["runs_stuck"], 0, "{run}");
    assert_eq!(checker["order"]["violations"], 0, "{run}");
    assert_eq!(checker["order"]["jobs_sent_seen"], n, "{run}");
    let faults = run["faults"].as_array().unwrap();
    let names: Vec<&str> = faults
        .iter()
        .map(|f| f["fault"].as_str().unwrap())
        .collect();
    let mut expected = vec![
        "kill -9 router",
        "kill -9 context-loader",
        "kill -9 step-executor",
        "kill -9 approval-gateway",
        "kill -9 notifier",
        "PostgreSQL restart (immediate stop)",
        "email endpoint 500s",
        "email endpoint answers too late",
    ];
    if bus == "kafka" {
        expected.push("kill -9 broker");
    }
    for e in &expected {
        assert!(names.contains(e), "{e} not among the faults: {run}");
    }
    assert_eq!(faults.len(), expected.len(), "{run}");
    for f in faults {
        let after = f["after_runs"].as_u64().unwrap();
        assert!(after > 0 && after < n, "struck in the middle: {f}");
        assert!(f["recovery_ms"].as_f64().unwrap() > 0.0, "recovered: {f}");
    }
}

#[test]
fn pm5_chaos_embedded() {
    chaos("embedded");
}

#[test]
fn pm5_chaos_kafka() {
    chaos("kafka");
}

/// The soak, short: the open loop at a fixed rate with the services as processes, every
/// process's memory reported after the warm-up and at the end (measured, not judged here).
#[test]
fn pm5_soak_embedded() {
    let runs = bench(
        "embedded",
        &["--variant", "soak", "--rate", "10", "--duration-s", "20"],
    );
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_verified(run, "soak", 200);
    assert_eq!(run["duration_s"], 20, "{run}");
    let memory = &run["memory"];
    for p in [
        "router",
        "context-loader",
        "step-executor",
        "client (this process)",
    ] {
        let m = &memory[p];
        assert!(m["after_warmup_kib"].as_u64().unwrap() > 0, "{p}: {run}");
        assert!(m["end_kib"].as_u64().unwrap() > 0, "{p}: {run}");
        assert!(m["growth_pct"].is_number(), "{p}: {run}");
    }
    assert!(run["memory_within_bar"].is_boolean(), "{run}");
}
