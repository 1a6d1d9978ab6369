//! What every Baton service stands on: the [`bus`] (Kafka, or the embedded log in Postgres),
//! the [`store`], the effectively-once consumer [`runtime`] with its outbox [`relay`],
//! [`config`] loading, [`telemetry`] and the ops [`http`] endpoints.

pub mod ai_costs;
pub mod bus;
pub mod component;
pub mod config;
pub mod connections;
pub mod db_clock;
pub mod db_metrics;
pub mod deadletters;
pub mod deferrals;
pub mod erasure;
pub mod error;
pub mod failpoints;
pub mod health;
pub mod http;
pub mod jobs;
pub mod jwks;
pub mod relay;
pub mod retention;
pub mod runtime;
pub mod seed;
pub mod sequences;
pub mod service;
pub mod shutdown;
pub mod slack;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod timers;
pub mod wire;

pub use error::{Error, Result};

/// Installs ring as the process's rustls crypto provider. reqwest is built without a
/// bundled provider (its default, aws-lc, is a heavy C build; ring already comes with sqlx),
/// so this must run before any HTTP client is built. Idempotent.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
