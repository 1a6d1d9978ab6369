#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Codec properties: every message type round-trips through the wire format, and every
//! kind of bad input is a typed error with the right dead-letter class.

use baton_schemas::*;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

fn ts() -> impl Strategy<Value = DateTime<Utc>> {
    // Millisecond precision: the wire type is timestamp-millis.
    (0i64..4_102_444_800_000)
        .prop_map(|ms| Utc.timestamp_millis_opt(ms).single().unwrap_or_default())
}
fn uuid_s() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).to_string())
}
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9_ .:/é✓-]{0,23}"
}
fn json_obj() -> impl Strategy<Value = serde_json::Value> {
    prop::collection::btree_map(
        "[a-z_]{1,8}",
        prop_oneof![
            any::<i64>().prop_map(serde_json::Value::from),
            text().prop_map(serde_json::Value::from),
            any::<bool>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ],
        0..5,
    )
    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()))
}

prop_compose! {
    fn event()(event_id in uuid_s(), event_type in text(), source in text(), org_id in text(),
               user_id in text(), payload in json_obj(), parent_job_id in prop::option::of(uuid_s()),
               occurred_at in ts(), chain_depth in 0i32..4, dedupe_key in prop::option::of(text()))
        -> OrchestratorEvent {
        OrchestratorEvent { event_id, event_type, source, org_id, user_id, payload, parent_job_id,
                            occurred_at, chain_depth, dedupe_key }
    }
}
prop_compose! {
    fn context_request()(job_id in uuid_s(), org_id in text(), user_id in text(), event_type in text(),
                         tiers in prop::collection::vec(1i32..=3, 0..3),
                         tier3_sources in prop::collection::vec(text(), 0..3),
                         contact_id in prop::option::of(text()), deal_id in prop::option::of(text()),
                         participant_contact_ids in prop::collection::vec(text(), 0..3),
                         requested_at in ts()) -> ContextRequest {
        ContextRequest { job_id, org_id, user_id, event_type, tiers, tier3_sources, contact_id, deal_id, participant_contact_ids, requested_at }
    }
}
prop_compose! {
    fn step_request()(job_id in uuid_s(), org_id in text(), user_id in text(), step_index in 0i32..50,
                      step_name in text(), attempt in 1i32..10, sequence_version in text(),
                      idempotency_key in text(), requested_at in ts()) -> StepRequest {
        StepRequest { job_id, org_id, user_id, step_index, step_name, attempt, sequence_version,
                      idempotency_key, requested_at }
    }
}
fn outcome() -> impl Strategy<Value = StepOutcome> {
    let status = prop_oneof![
        Just(StepStatus::Succeeded),
        Just(StepStatus::Failed),
        Just(StepStatus::Skipped),
        Just(StepStatus::Deferred)
    ];
    let resolution = prop_oneof![
        Just(Resolution::Approve),
        Just(Resolution::Edit),
        Just(Resolution::Skip),
        Just(Resolution::Cancel),
        Just(Resolution::Expired)
    ];
    prop_oneof![
        (json_obj(), prop::collection::vec(text(), 0..3), ts()).prop_map(
            |(context, skipped_sources, loaded_at)| StepOutcome::ContextLoaded(ContextLoaded {
                context,
                skipped_sources,
                loaded_at
            })
        ),
        (
            0i32..20,
            text(),
            1i32..5,
            status,
            prop::option::of(json_obj()),
            prop::option::of(text()),
            any::<bool>(),
            0.0f64..100.0,
            0i64..1_000_000,
            ts()
        )
            .prop_map(
                |(
                    step_index,
                    step_name,
                    attempt,
                    status,
                    output,
                    error,
                    retryable,
                    cost_usd,
                    duration_ms,
                    finished_at,
                )| StepOutcome::StepFinished(StepFinished {
                    step_index,
                    step_name,
                    attempt,
                    status,
                    output,
                    error,
                    retryable,
                    cost_usd,
                    duration_ms,
                    finished_at
                })
            ),
        (
            uuid_s(),
            0i32..20,
            resolution,
            prop::option::of(text()),
            prop::option::of(json_obj()),
            ts()
        )
            .prop_map(
                |(
                    pending_action_id,
                    step_index,
                    decision,
                    decided_by,
                    user_modifications,
                    resolved_at,
                )| StepOutcome::ApprovalResolved(ApprovalResolved {
                    pending_action_id,
                    step_index,
                    decision,
                    decided_by,
                    user_modifications,
                    resolved_at
                })
            ),
    ]
}
prop_compose! {
    fn step_result()(result_id in uuid_s(), job_id in uuid_s(), org_id in text(), result in outcome()) -> StepResult {
        StepResult { result_id, job_id, org_id, result }
    }
}
prop_compose! {
    fn approval_request()(pending_action_id in uuid_s(), job_id in uuid_s(), org_id in text(), user_id in text(),
                          step_index in 0i32..20, step_name in text(), pattern in text(), draft in json_obj(),
                          editable_fields in prop::collection::vec(text(), 0..3), expires_at in ts(),
                          cancel in any::<bool>(), requested_at in ts()) -> ApprovalRequest {
        ApprovalRequest { pending_action_id, job_id, org_id, user_id, step_index, step_name, pattern, draft,
                          editable_fields, expires_at,
                          on_timeout: if cancel { TimeoutAction::Cancel } else { TimeoutAction::Skip },
                          requested_at }
    }
}
fn approval_decision() -> impl Strategy<Value = ApprovalDecision> {
    let decision = prop_oneof![
        Just(Decision::Approve),
        Just(Decision::Edit),
        Just(Decision::Skip),
        Just(Decision::Cancel)
    ];
    let via = prop_oneof![
        Just(DecisionChannel::Slack),
        Just(DecisionChannel::Web),
        Just(DecisionChannel::Cli)
    ];
    (
        uuid_s(),
        uuid_s(),
        text(),
        decision,
        text(),
        via,
        json_obj(),
        ts(),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                decision_id,
                pending_action_id,
                org_id,
                decision,
                decided_by,
                via,
                mods,
                decided_at,
                (slack_team_id, operator, as_admin),
            )| ApprovalDecision {
                decision_id,
                pending_action_id,
                org_id,
                decided_by,
                via,
                decided_at,
                user_modifications: (decision == Decision::Edit).then_some(mods),
                decision,
                slack_team_id,
                operator,
                as_admin,
            },
        )
}
prop_compose! {
    fn notification()(notification_id in uuid_s(), org_id in text(), user_id in text(), approval in any::<bool>(),
                      text in text(), blocks in prop::option::of(prop::collection::vec(json_obj(), 0..3)),
                      job_id in prop::option::of(uuid_s()), pending_action_id in prop::option::of(uuid_s()),
                      created_at in ts()) -> Notification {
        Notification { notification_id, org_id, user_id,
                       kind: if approval { NotificationKind::Approval } else { NotificationKind::Inform },
                       text, blocks: blocks.map(serde_json::Value::from), job_id, pending_action_id, created_at }
    }
}
prop_compose! {
    fn audit()(audit_id in uuid_s(), org_id in text(), job_id in prop::option::of(uuid_s()), service in text(),
               actor in text(), action in text(), detail in json_obj(), occurred_at in ts()) -> AuditRecord {
        AuditRecord { audit_id, org_id, job_id, service, actor, action, detail, occurred_at }
    }
}
fn dead_letter() -> impl Strategy<Value = DeadLetter> {
    let class = prop_oneof![
        Just(DeadLetterClass::NotAvro),
        Just(DeadLetterClass::UnknownFingerprint),
        Just(DeadLetterClass::MalformedRecord),
        Just(DeadLetterClass::Invalid),
        Just(DeadLetterClass::HandlerRejected),
        Just(DeadLetterClass::TooLarge),
        Just(DeadLetterClass::RetriesExhausted)
    ];
    (
        text(),
        0i32..64,
        any::<i64>(),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..16)),
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec((text(), prop::collection::vec(any::<u8>(), 0..8)), 0..3),
        text(),
        class,
        text(),
        ts(),
    )
        .prop_map(
            |(
                original_topic,
                original_partition,
                original_offset,
                original_key,
                original_value,
                headers,
                consumer_group,
                error_class,
                error_message,
                failed_at,
            )| DeadLetter {
                original_topic,
                original_partition,
                original_offset,
                original_key,
                original_value,
                original_headers: headers
                    .into_iter()
                    .map(|(name, value)| Header { name, value })
                    .collect(),
                consumer_group,
                error_class,
                error_message,
                failed_at,
            },
        )
}

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(msg: M) -> Result<(), TestCaseError> {
    let bytes = encode(&msg).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&bytes[..2], &[0xC3, 0x01]);
    prop_assert_eq!(&bytes[2..10], &schema_of::<M>().fingerprint[..]);
    let back: M = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back, msg);
    Ok(())
}

proptest! {
    #[test] fn orchestrator_event_round_trips(m in event()) { round_trip(m)?; }
    #[test] fn context_request_round_trips(m in context_request()) { round_trip(m)?; }
    #[test] fn step_request_round_trips(m in step_request()) { round_trip(m)?; }
    #[test] fn step_result_round_trips(m in step_result()) { round_trip(m)?; }
    #[test] fn approval_request_round_trips(m in approval_request()) { round_trip(m)?; }
    #[test] fn approval_decision_round_trips(m in approval_decision()) { round_trip(m)?; }
    #[test] fn notification_round_trips(m in notification()) { round_trip(m)?; }
    #[test] fn audit_record_round_trips(m in audit()) { round_trip(m)?; }
    #[test] fn dead_letter_round_trips(m in dead_letter()) { round_trip(m)?; }

    /// Arbitrary bytes never panic the decoder: they are an error or (rarely) a valid record.
    #[test] fn random_bytes_are_an_error_not_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode::<OrchestratorEvent>(&bytes);
        let mut framed = vec![0xC3, 0x01];
        framed.extend_from_slice(&schema_of::<StepResult>().fingerprint);
        framed.extend_from_slice(&bytes);
        let _ = decode::<StepResult>(&framed);
    }
}

fn sample_event() -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: "meeting_ended".into(),
        source: "webhook:recorder".into(),
        org_id: "org_brightlane".into(),
        user_id: "u_bl_maya".into(),
        payload: serde_json::json!({"meeting_id": "mtg_dev_001"}),
        parent_job_id: None,
        occurred_at: Utc::now(),
        chain_depth: 0,
        dedupe_key: Some("mtg_dev_001".into()),
    }
}

#[test]
fn random_bytes_are_not_avro() {
    let err = decode::<OrchestratorEvent>(b"{\"type\":\"meeting_ended\"}").unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::NotAvro, "{err}");
    assert!(
        err.to_string().contains("7b227479"),
        "names the prefix: {err}"
    );
}

#[test]
fn another_topics_message_names_what_it_is() {
    let audit = AuditRecord {
        audit_id: uuid::Uuid::now_v7().to_string(),
        org_id: "o".into(),
        job_id: None,
        service: "s".into(),
        actor: "a".into(),
        action: "x".into(),
        detail: serde_json::json!({}),
        occurred_at: Utc::now(),
    };
    let err = decode::<OrchestratorEvent>(&encode(&audit).unwrap()).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::UnknownFingerprint);
    assert!(err.to_string().contains("io.baton.v1.AuditRecord"), "{err}");
}

#[test]
fn unknown_fingerprint() {
    let mut bytes = encode(&sample_event()).unwrap();
    bytes[2..10].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let err = decode::<OrchestratorEvent>(&bytes).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::UnknownFingerprint);
    assert!(
        err.to_string().contains("unknown schema 0102030405060708"),
        "{err}"
    );
}

/// A record written by a producer whose schema lacks a required field, framed with our
/// fingerprint: either truncated (missing last field) or shifted (missing a middle field).
#[test]
fn record_missing_a_required_field_is_malformed() {
    let mut schema: serde_json::Value =
        serde_json::from_str(<OrchestratorEvent as Message>::SCHEMA).unwrap();
    let fields = schema["fields"].as_array_mut().unwrap();
    fields.retain(|f| f["name"] != "dedupe_key");
    let short = apache_avro::Schema::parse(&schema).unwrap();
    let value = apache_avro::to_value(sample_event()).unwrap();
    let apache_avro::types::Value::Record(mut fields) = value else {
        panic!("record")
    };
    fields.retain(|(name, _)| name != "dedupe_key");
    let record = apache_avro::types::Value::Record(fields)
        .resolve(&short)
        .unwrap();
    let datum = apache_avro::writer::datum::GenericDatumWriter::builder(&short)
        .build()
        .unwrap()
        .write_value_to_vec(record)
        .unwrap();
    let mut bytes = vec![0xC3, 0x01];
    bytes.extend_from_slice(&schema_of::<OrchestratorEvent>().fingerprint);
    bytes.extend_from_slice(&datum);
    let err = decode::<OrchestratorEvent>(&bytes).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::MalformedRecord, "{err}");
}

#[test]
fn trailing_bytes_are_malformed() {
    let mut bytes = encode(&sample_event()).unwrap();
    bytes.extend_from_slice(&[0, 0, 0]);
    let err = decode::<OrchestratorEvent>(&bytes).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::MalformedRecord);
    assert!(err.to_string().contains("3 bytes left"), "{err}");
}

#[test]
fn well_formed_but_invalid_names_the_field() {
    let mut ev = sample_event();
    ev.payload = serde_json::json!([1, 2]);
    let err = decode::<OrchestratorEvent>(&encode(&ev).unwrap()).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::Invalid);
    assert!(
        err.to_string().contains("payload must be a JSON object"),
        "{err}"
    );
    let mut ev = sample_event();
    ev.event_id = "not-a-uuid".into();
    let err = decode::<OrchestratorEvent>(&encode(&ev).unwrap()).unwrap_err();
    assert!(err.to_string().contains("event_id must be a UUID"), "{err}");
}

#[test]
fn topic_names_follow_the_prefix() {
    assert_eq!(Topic::StepResults.name("baton."), "baton.step.results");
    assert_eq!(OrchestratorEvent::TOPIC.name("t1."), "t1.events");
    assert_eq!(sample_event().key(), "org_brightlane:u_bl_maya");
}

/// Writes `msg` with `writer`, a schema derived from `M`'s by `edit`, as another producer
/// on an earlier schema version would.
fn datum_written_with<M: Message>(
    msg: &M,
    edit: impl Fn(&mut serde_json::Value),
) -> (apache_avro::Schema, Vec<u8>) {
    let mut json: serde_json::Value = serde_json::from_str(M::SCHEMA).unwrap();
    edit(&mut json);
    let writer = apache_avro::Schema::parse(&json).unwrap();
    let mut current = Vec::new();
    write_datum(msg, &mut current).unwrap();
    // Re-encode under the older schema: read with ours, resolve to the writer's.
    let value = apache_avro::reader::datum::GenericDatumReader::builder(&schema_of::<M>().schema)
        .reader_schema(&writer)
        .human_readable(false)
        .build()
        .unwrap()
        .read_value(&mut current.as_slice())
        .unwrap();
    let datum = apache_avro::writer::datum::GenericDatumWriter::builder(&writer)
        .build()
        .unwrap()
        .write_value_to_vec(value)
        .unwrap();
    (writer, datum)
}

/// A producer not yet upgraded frames its message with its own (frozen) version's
/// fingerprint: an upgraded consumer reads it, filling the fields added since.
#[test]
fn a_single_object_message_of_a_frozen_version_is_read() {
    let request = ContextRequest {
        job_id: uuid::Uuid::now_v7().to_string(),
        org_id: "org_a".into(),
        user_id: "u_a".into(),
        event_type: "meeting_ended".into(),
        tiers: vec![1, 2],
        tier3_sources: vec![],
        contact_id: Some("ct_1".into()),
        deal_id: None,
        participant_contact_ids: vec![],
        requested_at: Utc.timestamp_millis_opt(1_760_000_000_000).unwrap(),
    };
    let v1_text = include_str!("../history/context_request/v1.avsc");
    let v1 = apache_avro::Schema::parse_str(v1_text).unwrap();
    let (writer, datum) = datum_written_with(&request, |s| {
        *s = serde_json::from_str(v1_text).unwrap();
    });
    assert_eq!(writer.canonical_form(), v1.canonical_form());
    let mut framed = vec![0xC3, 0x01];
    framed.extend_from_slice(&v1.fingerprint::<apache_avro::rabin::Rabin>().bytes[..8]);
    framed.extend_from_slice(&datum);
    assert_ne!(framed[2..10], schema_of::<ContextRequest>().fingerprint);
    assert_eq!(decode::<ContextRequest>(&framed).unwrap(), request);
    // Another record's frozen version is still not this one.
    assert!(decode::<StepRequest>(&framed).is_err());
}

#[test]
fn an_earlier_writer_schema_is_resolved_with_defaults() {
    let mut ev = sample_event();
    ev.dedupe_key = None;
    ev.occurred_at = Utc
        .timestamp_millis_opt(ev.occurred_at.timestamp_millis())
        .unwrap();
    let (writer, datum) = datum_written_with(&ev, |s| {
        s["fields"]
            .as_array_mut()
            .unwrap()
            .retain(|f| f["name"] != "dedupe_key");
    });
    assert_eq!(
        read_datum::<OrchestratorEvent>(&datum, Some(&writer)).unwrap(),
        ev
    );
    // Read as if it were our own schema, the same bytes are not an OrchestratorEvent.
    assert!(read_datum::<OrchestratorEvent>(&datum, None).is_err());

    let result = StepResult {
        result_id: uuid::Uuid::now_v7().to_string(),
        job_id: uuid::Uuid::now_v7().to_string(),
        org_id: "org_a".into(),
        result: StepOutcome::StepFinished(StepFinished {
            step_index: 2,
            step_name: "draft".into(),
            attempt: 1,
            status: StepStatus::Succeeded,
            output: Some(serde_json::json!({"ok": true})),
            error: None,
            retryable: false,
            cost_usd: 0.0,
            duration_ms: 12,
            finished_at: Utc::now(),
        }),
    };
    let (writer, datum) = datum_written_with(&result, |s| {
        let finished = &mut s["fields"][3]["type"][1]["fields"];
        finished
            .as_array_mut()
            .unwrap()
            .retain(|f| f["name"] != "retryable" && f["name"] != "cost_usd");
    });
    let back = read_datum::<StepResult>(&datum, Some(&writer)).unwrap();
    assert_eq!(back.result_id, result.result_id);
    let StepOutcome::StepFinished(f) = back.result else {
        panic!("variant kept")
    };
    assert_eq!(
        (f.retryable, f.cost_usd, f.step_name.as_str()),
        (false, 0.0, "draft")
    );
}

#[test]
fn an_incompatible_writer_schema_is_malformed() {
    let ev = sample_event();
    let (mut writer_json, datum) = {
        let (w, d) = datum_written_with(&ev, |_| {});
        (serde_json::to_value(&w).unwrap(), d)
    };
    writer_json["fields"][3]["type"] = serde_json::json!("long"); // org_id as a long
    let writer = apache_avro::Schema::parse(&writer_json).unwrap();
    let err = read_datum::<OrchestratorEvent>(&datum, Some(&writer)).unwrap_err();
    assert_eq!(err.class(), DeadLetterClass::MalformedRecord, "{err}");
}

/// Fingerprints follow the Avro specification: each is what fastavro 1.13 computes for the
/// same `.avsc` (`fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")`), so
/// producers in other languages are understood.
#[test]
fn fingerprints_are_the_specifications() {
    let fastavro = [
        ("io.baton.v1.ApprovalDecision", "8aa013ad9fd11894"),
        ("io.baton.v1.ApprovalRequest", "03dff5095bc71d29"),
        ("io.baton.v1.AuditRecord", "db2cae01b660923d"),
        ("io.baton.v1.ContextRequest", "eddb2a96c510ee6f"),
        ("io.baton.v1.DeadLetter", "3eeb2744e53d5a4f"),
        ("io.baton.v1.Notification", "0cee56075ae104f3"),
        ("io.baton.v1.OrchestratorEvent", "f14e45b3d0c4f706"),
        ("io.baton.v1.StepRequest", "aed537ca606c22d4"),
        ("io.baton.v1.StepResult", "0689bf78b0913f19"),
    ];
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    for (name, expected) in fastavro {
        let entry = codec::entries().find(|e| e.name == name).unwrap();
        assert_eq!(hex(&entry.fingerprint), expected, "{name}");
    }
}

/// A single-object message written by fastavro (`tests/data/orchestrator_event.fastavro.bin`:
/// `schemaless_writer` behind `C3 01` and fastavro's fingerprint) is read.
#[test]
fn a_message_written_by_fastavro_is_read() {
    let bytes = include_bytes!("data/orchestrator_event.fastavro.bin");
    let ev: OrchestratorEvent = decode(bytes).unwrap();
    assert_eq!(ev.source, "webhook:python-producer");
    assert_eq!(ev.org_id, "org_brightlane");
    assert_eq!(
        ev.occurred_at,
        Utc.with_ymd_and_hms(2026, 11, 17, 16, 0, 0).unwrap()
    );
    assert_eq!(ev.payload["meeting_id"], "mtg_dev_001");
}

/// What older Baton wrote (apache-avro's own fingerprint, which differs wherever a schema has
/// a logical type) is still read while it may be on a topic.
#[test]
fn a_message_with_the_legacy_fingerprint_is_still_read() {
    let ev = sample_event();
    let entry = schema_of::<OrchestratorEvent>();
    assert_ne!(entry.legacy_fingerprint, entry.fingerprint);
    let mut bytes = encode(&ev).unwrap();
    assert_eq!(bytes[2..10], entry.fingerprint);
    let current = decode::<OrchestratorEvent>(&bytes).unwrap();
    bytes[2..10].copy_from_slice(&entry.legacy_fingerprint);
    assert_eq!(decode::<OrchestratorEvent>(&bytes).unwrap(), current);
    assert_eq!(current.event_id, ev.event_id);
}
