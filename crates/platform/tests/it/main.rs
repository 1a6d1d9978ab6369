//! Integration tests of the platform against real Postgres and a real Kafka-protocol broker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ai_costs;
mod batch;
mod bus_contract;
mod failures;
mod kafka_sasl;
mod lanes;
mod logins;
mod ops;
mod otlp;
mod retention;
mod runtime;
mod statuses;
mod support;
mod tenancy;
mod wire;
