#!/usr/bin/env python3
"""Publish an OrchestratorEvent to Baton from Python, as a webhook or cron producer would.

The value is an Avro single-object message: C3 01, the schema's 8-byte CRC-64-AVRO
fingerprint (little-endian, as the Avro specification and fastavro compute it), then the
binary datum written with Baton's own schema (schemas/avro/orchestrator_event.avsc). The key
is `org_id:user_id` (per-user ordering); the headers are CloudEvents' Kafka binding.

    pip install fastavro confluent-kafka
    python3 produce_event.py --bootstrap 127.0.0.1:9092 --topic baton.events \
        --org org_brightlane --user u_bl_maya --type meeting_ended \
        --payload '{"meeting_id": "mtg_dev_001", "deal_id": "d_keystone", "contact_id": "ct_linda_marsh"}'

`--out FILE` writes the message (key, headers and value as JSON with the value in hex)
instead of producing it, for the embedded bus or inspection.
"""

import argparse
import datetime
import io
import json
import pathlib
import uuid

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "avro" / "orchestrator_event.avsc"


def encode(record: dict) -> bytes:
    raw = json.loads(SCHEMA.read_text())
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, fastavro.parse_schema(raw), record)
    fp = bytes.fromhex(fingerprint(to_parsing_canonical_form(raw), "CRC-64-AVRO"))
    return b"\xc3\x01" + fp + buf.getvalue()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--org", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--type", required=True, help="the event type, e.g. meeting_ended")
    p.add_argument("--payload", default="{}", help="a JSON object")
    p.add_argument("--source", default="python-producer")
    p.add_argument("--dedupe-key")
    p.add_argument("--bootstrap", help="Kafka bootstrap servers")
    p.add_argument("--topic", default="baton.events")
    p.add_argument("--out", help="write the message to this file instead of producing it")
    a = p.parse_args()
    payload = json.loads(a.payload)
    if not isinstance(payload, dict):
        raise SystemExit("--payload must be a JSON object")
    event_id = str(uuid.uuid7()) if hasattr(uuid, "uuid7") else str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc)
    record = {
        "event_id": event_id,
        "type": a.type,
        "source": a.source,
        "org_id": a.org,
        "user_id": a.user,
        "payload": json.dumps(payload),
        "parent_job_id": None,
        "occurred_at": now,
        "chain_depth": 0,
        "dedupe_key": a.dedupe_key,
    }
    key = f"{a.org}:{a.user}"
    headers = [
        ("ce_specversion", "1.0"),
        ("ce_id", event_id),
        ("ce_source", a.source),
        ("ce_type", "io.baton.v1.OrchestratorEvent"),
        ("ce_time", now.isoformat().replace("+00:00", "Z")),
        ("content-type", "avro/binary"),
    ]
    value = encode(record)
    if a.out:
        pathlib.Path(a.out).write_text(json.dumps(
            {"key": key, "headers": headers, "value": value.hex(), "event_id": event_id}))
    elif a.bootstrap:
        from confluent_kafka import Producer

        producer = Producer({"bootstrap.servers": a.bootstrap, "enable.idempotence": True})
        producer.produce(a.topic, key=key.encode(), value=value,
                         headers=[(k, v.encode()) for k, v in headers])
        if producer.flush(30) != 0:
            raise SystemExit("the message was not acknowledged within 30 s")
    else:
        raise SystemExit("give --bootstrap (produce to Kafka) or --out (write the message)")
    print(event_id)


if __name__ == "__main__":
    main()
