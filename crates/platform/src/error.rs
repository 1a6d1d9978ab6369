use thiserror::Error;

/// Errors of the platform layer, with what is needed to find the message or row involved.
#[derive(Debug, Error)]
pub enum Error {
    // Not `#[from]`/`#[source]`: the message already says it, and a printed error chain
    // would say it twice.
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("kafka: {context}: {source}")]
    Kafka {
        context: String,
        #[source]
        source: rdkafka::error::KafkaError,
    },
    #[error("topic {topic} does not exist: run `baton migrate` to create the topics")]
    UnknownTopic { topic: String },
    #[error(
        "offset {offset} of {topic}[{partition}] was already consumed by another member of group {group}"
    )]
    StaleOffset {
        group: String,
        topic: String,
        partition: i32,
        offset: i64,
    },
    #[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
    Config(Vec<String>),
    #[error("{0}")]
    Registry(String),
    #[error(transparent)]
    Sequences(#[from] baton_core::sequence::LoadErrors),
    #[error("encoding {0}")]
    Encode(#[from] baton_schemas::EncodeError),
    /// A stored value that is not what its column promises (an id, a status, a state).
    #[error("{table}.{column} holds {reason}")]
    BadRow {
        table: &'static str,
        column: &'static str,
        reason: String,
    },
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Db(e)
    }
}

impl Error {
    /// A stored value of `table.column` that does not parse.
    pub fn bad_row(table: &'static str, column: &'static str, e: impl std::fmt::Display) -> Self {
        Error::BadRow {
            table,
            column,
            reason: e.to_string(),
        }
    }

    pub fn kafka(context: impl Into<String>, source: rdkafka::error::KafkaError) -> Self {
        Error::Kafka {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
