//! The Confluent wire format against a local server speaking the Schema Registry API.

use baton_platform::{
    bus::embedded::EmbeddedBus,
    bus::{Bus, Envelope},
    runtime::{self, Producer},
    wire::Wire,
};
use baton_schemas::{DeadLetter, DeadLetterClass, Message, OrchestratorEvent};
use baton_testkit::SchemaRegistry;
use tokio_util::sync::CancellationToken;

use crate::{
    runtime::{Recorder, applied_table, event, spec, wait_for_count},
    support::{Harness, ack, recv},
};

/// `event` written by a producer still on an earlier schema (no `dedupe_key`), framed with
/// that schema's registry id.
fn older_writer_bytes(registry: &SchemaRegistry, subject: &str, n: usize) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_str(OrchestratorEvent::SCHEMA).unwrap();
    json["fields"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["name"] != "dedupe_key");
    let text = json.to_string();
    let id = registry.register(subject, &text);
    let writer = apache_avro::Schema::parse_str(&text).unwrap();
    let apache_avro::types::Value::Record(mut fields) = apache_avro::to_value(event(n)).unwrap()
    else {
        panic!("record")
    };
    fields.retain(|(name, _)| name != "dedupe_key");
    let value = apache_avro::types::Value::Record(fields)
        .resolve(&writer)
        .unwrap();
    let datum = apache_avro::writer::datum::GenericDatumWriter::builder(&writer)
        .build()
        .unwrap()
        .write_value_to_vec(value)
        .unwrap();
    let mut bytes = vec![0];
    bytes.extend_from_slice(&id.to_be_bytes());
    bytes.extend_from_slice(&datum);
    bytes
}

/// The embedded bus with the applied table, a registry, a Confluent wire (schemas
/// registered) under a fresh prefix, and its created input and dead-letter topics.
struct Confluent {
    h: Harness<EmbeddedBus>,
    registry: SchemaRegistry,
    prefix: String,
    wire: Wire,
    input: String,
    dlq: String,
}

async fn confluent(name: &str) -> Confluent {
    let h = crate::support::embedded().await;
    applied_table(&h.db.owner_pool().await).await;
    let registry = SchemaRegistry::start().await;
    let (prefix, input, dlq) = crate::support::consumer_topics(&h.bus, name).await;
    let wire = Wire::connect(Some(&registry.url), &prefix).await.unwrap();
    Confluent {
        h,
        registry,
        prefix,
        wire,
        input,
        dlq,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluent_wire_format_through_the_runtime() {
    let Confluent {
        h,
        registry,
        prefix,
        wire,
        input,
        dlq,
    } = confluent("cf").await;

    let subjects: Vec<String> = registry.subjects().into_iter().map(|(s, _)| s).collect();
    assert_eq!(subjects.len(), 9, "every schema registered: {subjects:?}");
    assert!(subjects.contains(&format!("{prefix}events-value")));
    assert!(subjects.contains(&format!("{prefix}deadletter-value")));
    let events_id = wire.schema_id::<OrchestratorEvent>().unwrap();
    // Registering again (another replica starting) keeps the ids.
    let again = Wire::connect(Some(&registry.url), &prefix).await.unwrap();
    assert_eq!(again.schema_id::<OrchestratorEvent>(), Some(events_id));

    let producer = Producer::new("it", &prefix).with_wire(wire.clone());
    let current = producer.envelope(&event(1)).unwrap();
    assert_eq!(current.payload[0], 0, "magic byte");
    assert_eq!(&current.payload[1..5], &events_id.to_be_bytes());
    let raw = |payload: Vec<u8>| Envelope {
        topic: input.clone(),
        key: Some(b"org_a:u1".to_vec()),
        payload,
        headers: vec![("ce_id".into(), uuid::Uuid::now_v7().to_string())],
        org: None,
    };
    let mut unknown_id = vec![0, 0, 0, 0x10, 0x92]; // id 4242
    unknown_id.extend_from_slice(&current.payload[5..]);
    h.bus
        .publish(vec![
            current,
            raw(older_writer_bytes(
                &registry,
                &format!("{prefix}events-value"),
                2,
            )),
            raw(unknown_id),
            raw(baton_schemas::encode(&event(3)).unwrap()), // single-object, still accepted
        ])
        .await
        .unwrap();

    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(runtime::run(
        spec("it-confluent", &input, &prefix, wire.clone()),
        h.bus.clone(),
        h.pool.clone(),
        Recorder,
        shutdown.clone(),
    ));
    assert_eq!(
        wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 3).await,
        3
    );
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM it_applied ORDER BY body")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    assert_eq!(bodies, vec![r#"{"n":1}"#, r#"{"n":2}"#, r#"{"n":3}"#]);

    let mut dl = h.bus.subscribe("it-dlq", &[dlq]).await.unwrap();
    let d = recv(&mut dl).await;
    ack(&h.pool, &mut dl, &d).await;
    assert_eq!(
        d.payload[0], 0,
        "the dead letter is itself in the Confluent format"
    );
    let letter: DeadLetter = wire.decode(&d.payload).await.unwrap();
    assert_eq!(letter.error_class, DeadLetterClass::UnknownFingerprint);
    assert!(
        letter.error_message.contains("4242"),
        "{}",
        letter.error_message
    );
    assert_eq!(letter.original_offset, 2);
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
}

/// A registry outage while a new writer schema must be fetched delays the message; it is
/// never dead-lettered, and it is applied once the registry answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_outage_is_retried_not_dead_lettered() {
    let Confluent {
        h,
        registry,
        prefix,
        wire,
        input,
        ..
    } = confluent("cfo").await;
    let older = older_writer_bytes(&registry, &format!("{prefix}events-value"), 7);
    registry.set_unavailable(true);
    h.bus
        .publish(vec![Envelope {
            topic: input.clone(),
            key: Some(b"k".to_vec()),
            payload: older,
            headers: vec![],
            org: None,
        }])
        .await
        .unwrap();
    let shutdown = CancellationToken::new();
    let consumer = tokio::spawn(runtime::run(
        spec("it-outage", &input, &prefix, wire),
        h.bus.clone(),
        h.pool.clone(),
        Recorder,
        shutdown.clone(),
    ));
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let during: i64 = sqlx::query_scalar("SELECT count(*) FROM it_applied")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let dead: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bus_log WHERE topic LIKE '%deadletter'")
            .fetch_one(&h.db.owner_pool().await)
            .await
            .unwrap();
    assert_eq!(
        (during, dead),
        (0, 0),
        "waiting, not applied and not dead-lettered"
    );
    registry.set_unavailable(false);
    assert_eq!(
        wait_for_count(&h.pool, "SELECT count(*) FROM it_applied", 1).await,
        1
    );
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
}
