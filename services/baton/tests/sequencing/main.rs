//! The sequencing core end to end: router, context-loader and step-executor on real
//! Postgres and a real bus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod approvals;
mod audit;
mod connections;
mod console;
mod crash;
mod day;
mod deadletters;
mod demo;
mod dev;
mod e2e;
mod erase;
mod forgery;
mod gateway;
mod harness;
mod hitl;
mod hitl_crash;
mod ingress;
mod llm;
mod metrics;
mod notifier;
mod ops;
mod pm5;
mod producers;
mod rules;
mod schedules;
