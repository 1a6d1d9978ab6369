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

fn variant_a_and_rate(bus: &str) {
    let runs = bench(bus, &["--variant", "a", "--n", "60", "--in-flight", "16"]);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_verified(&runs[0], "a", 60);
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
