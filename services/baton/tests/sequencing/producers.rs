//! A producer in another language: the Python example (`schemas/producers/python`, fastavro
//! and confluent-kafka) publishes a meeting_ended event that the router turns into a job —
//! on Kafka straight from Python, and on the embedded bus from the message it writes out.

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::{
    bus::{Bus, Envelope},
    config::BusKind,
};
use serde_json::Value;

use crate::harness::{Env, InProcess, ORG, REP, repo};

async fn python_producer(bus: BusKind) {
    let env = Env::new(bus, None).await;
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let script = repo().join("schemas/producers/python/produce_event.py");
    let topic = baton_schemas::Topic::Events.name(&env.config.bus.topic_prefix);
    let out = std::env::temp_dir().join(format!("{}.json", uuid::Uuid::now_v7()));
    // infra/test.sh provides an interpreter with fastavro and confluent-kafka.
    let python = std::env::var("BATON_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut cmd = tokio::process::Command::new(python);
    cmd.arg(&script).args([
        "--org",
        ORG,
        "--user",
        REP,
        "--type",
        "meeting_ended",
        "--payload",
        r#"{"meeting_id": "mtg_dev_001", "deal_id": "d_keystone", "contact_id": "ct_linda_marsh"}"#,
        "--topic",
        &topic,
    ]);
    match bus {
        BusKind::Kafka => cmd.args(["--bootstrap", &env.config.bus.kafka.bootstrap_servers]),
        BusKind::Embedded => cmd.arg("--out").arg(&out),
    };
    let run = cmd.output().await.unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let event_id = String::from_utf8(run.stdout).unwrap().trim().to_string();
    if bus == BusKind::Embedded {
        // What a Python producer on the embedded bus appends: its bytes, key and headers.
        let m: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let headers = m["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
            .collect();
        let envelope = Envelope {
            topic,
            key: Some(m["key"].as_str().unwrap().as_bytes().to_vec()),
            payload: hex::decode(m["value"].as_str().unwrap()).unwrap(),
            headers,
            org: Some(ORG.into()),
        };
        env.svc.bus.publish(vec![envelope]).await.unwrap();
        let _ = std::fs::remove_file(&out);
    }
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM sequence_jobs WHERE event_id = '{event_id}' AND event_type = 'meeting_ended'"
        ),
        "the Python producer's event to become a job",
    )
    .await;
    // Read from the dead-letter topic itself, so the check holds on Kafka too.
    let dead: Vec<baton_schemas::DeadLetter> = env.consume(std::time::Duration::from_secs(3)).await;
    assert!(dead.is_empty(), "nothing dead-lettered: {dead:?}");
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_producers_event_becomes_a_job_on_the_embedded_bus() {
    python_producer(BusKind::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_producers_event_becomes_a_job_on_kafka() {
    python_producer(BusKind::Kafka).await;
}
