//! What every Baton service stands on: the [`bus`] (Kafka, or the embedded log in Postgres),
//! the [`store`], the effectively-once consumer [`runtime`] with its outbox [`relay`],
//! [`config`] loading, [`telemetry`] and the ops [`http`] endpoints.

pub mod bus;
pub mod config;
pub mod error;
pub mod http;
pub mod relay;
pub mod runtime;
pub mod shutdown;
pub mod store;
pub mod telemetry;

pub use error::{Error, Result};
