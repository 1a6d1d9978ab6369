//! Configuration: defaults → optional TOML file → `BATON_` environment variables (nested keys
//! joined by `__`, e.g. `BATON_BUS__KIND=kafka`) → validation that names every problem.
//! The defaults run `baton dev` on a fresh machine with no configuration at all.

use std::{collections::BTreeMap, net::SocketAddr, path::Path};

use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::{Error, Result};

mod console;
mod google;
mod kafka;
mod microsoft;
mod schedules;
pub use console::ConsoleConfig;
pub use google::GoogleConfig;
pub use kafka::{
    Compression, KafkaConfig, KafkaSecurity, Property, SaslMechanism, SecurityProtocol, redacted,
};
pub use microsoft::MicrosoftConfig;
pub use schedules::{
    BriefSchedule, CronSchedule, OrgSchedules, PreMeetingSchedule, SchedulesConfig,
};

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: DatabaseConfig,
    pub bus: BusConfig,
    pub telemetry: TelemetryConfig,
    pub http: HttpConfig,
    pub sequences: SequencesConfig,
    pub skills: SkillsConfig,
    pub context: ContextConfig,
    pub router: RouterConfig,
    pub approvals: ApprovalsConfig,
    pub notifier: NotifierConfig,
    pub ingress: IngressConfig,
    /// The web console (`[console]`).
    pub console: ConsoleConfig,
    /// What the ingress fires by itself (`[schedules]`).
    pub schedules: SchedulesConfig,
    /// The keys that protect stored credentials (`[connections]`).
    pub connections: ConnectionsConfig,
    /// Google's APIs and OAuth client (`[google]`).
    pub google: GoogleConfig,
    /// Microsoft Graph and its OAuth client (`[microsoft]`).
    pub microsoft: MicrosoftConfig,
    /// What a message may hold at most (`[limits]`).
    pub limits: baton_schemas::limits::Limits,
    pub cli: CliConfig,
}

/// `[connections]`: the master keys that wrap each stored credential's own data key
/// (envelope encryption, see `connections.rs`). Several may be configured while rotating:
/// new credentials and `baton connections rotate` use `active_key`, the others still open
/// what they wrapped.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectionsConfig {
    /// Key id → base64 of 32 random bytes (`openssl rand -base64 32`).
    pub keys: BTreeMap<String, SecretString>,
    /// The key id that wraps new credentials; required to add or rotate.
    pub active_key: Option<String>,
}

/// The CLI's operator commands.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CliConfig {
    /// Who runs the CLI, recorded on the decisions it publishes; the OS user when unset.
    pub operator: Option<String>,
}

impl CliConfig {
    /// The operator's name: configured, else the OS user, else `unknown`.
    pub fn operator(&self) -> String {
        self.operator
            .clone()
            .filter(|o| !o.trim().is_empty())
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
            })
            .unwrap_or_else(|| "unknown".into())
    }
}

/// The ingress (`[ingress]`): where it listens and the credentials it checks. Several keys
/// or secrets may be configured at once, so they can be rotated without a refused delivery.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct IngressConfig {
    /// The address the webhook endpoints listen on.
    pub listen: String,
    /// A request body over this many bytes is answered 413.
    pub max_body_bytes: usize,
    /// Accepted `x-meeting-baas-api-key` values; none = the endpoint refuses everything.
    pub meetingbaas_api_keys: Vec<SecretString>,
    /// Slack signing secrets; none = the endpoint refuses everything.
    pub slack_signing_secrets: Vec<SecretString>,
    /// A Slack request whose timestamp is further than this from now (either way) is refused.
    pub slack_max_age_s: i64,
    /// Where providers reach this ingress from outside (`https://baton.example.com`): the
    /// address calendar channels are created with. Unset = no channel is created.
    pub public_url: Option<String>,
    /// At most this many deliveries are written per transaction (group commit; 1 = one
    /// transaction per delivery).
    pub group_commit_max: usize,
    /// Transactions the group commit keeps in flight at once, each on a connection of its
    /// own: while one waits for the server, the next batch is written.
    pub group_commit_writers: usize,
}

impl Default for IngressConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8090".into(),
            max_body_bytes: 4 * 1024 * 1024,
            meetingbaas_api_keys: Vec::new(),
            slack_signing_secrets: Vec::new(),
            slack_max_age_s: 300,
            public_url: None,
            group_commit_max: 64,
            group_commit_writers: 2,
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct NotifierConfig {
    /// Slack Web API base URL (a local server in tests).
    pub slack_base_url: String,
    /// Bot token (`xoxb-…`); unset = no Slack delivery (the web inbox and log still get
    /// everything).
    pub slack_token: Option<SecretString>,
    /// Log each delivery (ids and kinds, never the text) — for development.
    pub log_channel: bool,
    pub timeout_ms: u64,
    /// How often the notifier looks for deferred deliveries that are due.
    pub timer_poll_ms: u64,
}

impl Default for NotifierConfig {
    fn default() -> Self {
        Self {
            slack_base_url: "https://slack.com/api".into(),
            slack_token: None,
            log_channel: true,
            timeout_ms: 10_000,
            timer_poll_ms: 500,
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct ApprovalsConfig {
    /// How long before a gate expires the rep is reminded (moved earlier when that falls in
    /// the rep's quiet hours).
    pub reminder_before_ms: u64,
    /// How often the approval-gateway looks for due expiries and reminders.
    pub timer_poll_ms: u64,
}

impl Default for ApprovalsConfig {
    fn default() -> Self {
        Self {
            reminder_before_ms: 2 * 3600 * 1000,
            timer_poll_ms: 500,
        }
    }
}

/// Tier-3 context sources (`requires_context` in a step) the context-loader fetches.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct ContextConfig {
    /// Sources by name: `[context.sources.proposal_templates] url = …`. A step that needs an
    /// unconfigured source runs without it (recorded in the job's skipped sources).
    pub sources: BTreeMap<String, EndpointConfig>,
    /// Default per-source timeout; a slow source is skipped, not waited for.
    pub timeout_ms: u64,
}

impl Default for ContextConfig {
    fn default() -> Self {
        Self {
            sources: BTreeMap::new(),
            timeout_ms: 5_000,
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct RouterConfig {
    /// How often the router looks for due timers (deferred runs, retries).
    pub timer_poll_ms: u64,
}

impl Default for RouterConfig {
    fn default() -> Self {
        Self { timer_poll_ms: 500 }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SequencesConfig {
    /// Directory of `<event>.yaml` sequence definitions.
    pub dir: std::path::PathBuf,
}

impl Default for SequencesConfig {
    fn default() -> Self {
        Self {
            dir: "sequences".into(),
        }
    }
}

/// Endpoints of HTTP-backed skills and edge functions, and the built-ins' token prices.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SkillsConfig {
    /// Email provider `email-send-as-rep` posts to; unset = sending is not configured.
    pub email_url: Option<String>,
    pub email_token: Option<SecretString>,
    /// Default per-call timeout for HTTP skills and functions.
    pub timeout_ms: u64,
    /// USD per million tokens used to price the built-in skills.
    pub input_price_per_mtok: f64,
    pub output_price_per_mtok: f64,
    /// Extra HTTP skills by key: `[skills.http.<key>] url = …`.
    pub http: BTreeMap<String, EndpointConfig>,
    /// Edge functions by name (`function: <name>` steps): `[skills.functions.<name>] url = …`.
    pub functions: BTreeMap<String, EndpointConfig>,
    /// Also the PM5 benchmark's skills and its `pm5-send-email` action (set by
    /// `baton bench pm5` for the services it starts; off in every deployment).
    pub benchmark: bool,
    /// The model provider the AI skills can be served by: `[skills.llm]`.
    pub llm: Option<LlmConfig>,
    /// How each AI skill is served: `[skills.serve] detect-intents = "llm_or_builtin"`.
    /// A skill not named here runs its built-in rules.
    pub serve: BTreeMap<String, Serving>,
}

/// How a skill is served.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Serving {
    /// The built-in rules (no model, no transcript leaves the deployment).
    Builtin,
    /// The configured model; a malformed or invalid answer fails the step with the reason.
    Llm,
    /// The configured model, and the built-in rules when its answer is unusable.
    LlmOrBuiltin,
}

/// A model provider: the OpenAI-compatible chat-completions wire format (OpenAI, Azure
/// OpenAI, vLLM, Ollama, LiteLLM) or Anthropic's messages API.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct LlmConfig {
    pub provider: LlmProvider,
    /// `https://api.openai.com/v1` (`…/chat/completions` is appended) or
    /// `https://api.anthropic.com` (`/v1/messages` is appended).
    pub base_url: String,
    #[serde(default)]
    pub api_key: Option<SecretString>,
    /// The header the key travels in: `authorization` (as `Bearer <key>`, the default for
    /// OpenAI-compatible servers), `api-key` (Azure OpenAI) or `x-api-key` (Anthropic's).
    #[serde(default)]
    pub api_key_header: Option<String>,
    pub model: String,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// The most the model may answer, in tokens.
    #[serde(default = "default_max_output_tokens")]
    pub max_output_tokens: u32,
    /// USD per million tokens, by model name; a model not listed is priced at
    /// `skills.input_price_per_mtok` / `output_price_per_mtok`.
    #[serde(default)]
    pub prices: BTreeMap<String, ModelPrice>,
}

fn default_max_output_tokens() -> u32 {
    4096
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LlmProvider {
    Openai,
    Anthropic,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct ModelPrice {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl SkillsConfig {
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let wants_model = self.serve.values().any(|s| *s != Serving::Builtin);
        match &self.llm {
            None if wants_model => problems.push(
                "skills.serve names a skill served by a model, but [skills.llm] is not set \
                 (provider, base_url, model)"
                    .into(),
            ),
            None => {}
            Some(llm) => {
                if !(llm.base_url.starts_with("http://") || llm.base_url.starts_with("https://")) {
                    problems.push("skills.llm.base_url must be an http:// or https:// URL".into());
                }
                if llm.model.trim().is_empty() {
                    problems.push("skills.llm.model must name the model to call".into());
                }
                if !(1..=200_000).contains(&llm.max_output_tokens) {
                    problems
                        .push("skills.llm.max_output_tokens must be between 1 and 200000".into());
                }
                if let Some(h) = &llm.api_key_header
                    && !matches!(
                        h.to_ascii_lowercase().as_str(),
                        "authorization" | "api-key" | "x-api-key"
                    )
                {
                    problems.push(format!(
                        "skills.llm.api_key_header {h:?} must be authorization, api-key or x-api-key"
                    ));
                }
                for (model, p) in &llm.prices {
                    if !(p.input_per_mtok >= 0.0 && p.output_per_mtok >= 0.0) {
                        problems.push(format!(
                            "skills.llm.prices.{model}: prices must be zero or more USD per million tokens"
                        ));
                    }
                }
            }
        }
        problems
    }
}

impl Default for SkillsConfig {
    fn default() -> Self {
        Self {
            email_url: None,
            email_token: None,
            timeout_ms: 30_000,
            input_price_per_mtok: 3.0,
            output_price_per_mtok: 15.0,
            http: BTreeMap::new(),
            functions: BTreeMap::new(),
            benchmark: false,
            llm: None,
            serve: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    pub url: String,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub token: Option<SecretString>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Connection URL. Migrations run with it as given; services then `SET ROLE` to
    /// `service_role` so row-level security applies to them.
    pub url: SecretString,
    /// Role the services act as (not a superuser, not an owner, no BYPASSRLS). Empty to
    /// connect directly as a login role that already is one.
    pub service_role: String,
    pub max_connections: u32,
    /// Each service logs in as its own role, `baton_<service>` (created by `baton migrate`),
    /// on `url`'s server and database, without `url`'s user and password (its password comes
    /// from `PGPASSWORD`, `~/.pgpass` or the server's trust) — unless `service_urls` names its
    /// own URL. Off: services log in with `url` and `SET ROLE service_role`.
    pub service_logins: bool,
    /// A service's own connection URL, by service name (`[database.service_urls] router = …`).
    pub service_urls: BTreeMap<String, SecretString>,
    /// Lets a service run on a superuser or BYPASSRLS login (row-level security would not
    /// bind it): for a development machine only, and said loudly at start-up.
    pub insecure_dev: bool,
    /// How long a starting service waits for the database (and, in Kafka mode, the broker)
    /// to answer, trying again with backoff and not ready on `/readyz` meanwhile, before it
    /// exits; 0 exits at the first refused connection.
    pub start_wait_s: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: SecretString::from("postgres://postgres@127.0.0.1:5432/baton"),
            service_role: "baton_app".into(),
            max_connections: 10,
            service_logins: true,
            service_urls: BTreeMap::new(),
            insecure_dev: false,
            start_wait_s: 120,
        }
    }
}

impl DatabaseConfig {
    /// The same server, role and pool size, with another database (`/name` in the URL,
    /// keeping any `?query`).
    pub fn with_database(&self, name: &str) -> Result<DatabaseConfig> {
        let url = self.url.expose_secret();
        let (without_query, query) = url
            .split_once('?')
            .map_or((url, None), |(a, b)| (a, Some(b)));
        let server = without_query
            .rsplit_once('/')
            .map(|(server, _)| server)
            .filter(|s| s.contains("://") && !s.ends_with(':') && !s.ends_with('/'))
            .ok_or_else(|| {
                Error::Config(vec![
                    "database.url: expected postgres://user@host:port/database".into(),
                ])
            })?;
        let url = match query {
            Some(q) => format!("{server}/{name}?{q}"),
            None => format!("{server}/{name}"),
        };
        Ok(DatabaseConfig {
            url: SecretString::from(url),
            ..self.clone()
        })
    }

    /// The database name in the URL.
    pub fn database_name(&self) -> &str {
        let url = self.url.expose_secret();
        let path = url.split_once('?').map_or(url, |(a, _)| a);
        path.rsplit_once('/').map_or("", |(_, db)| db)
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum BusKind {
    /// The durable log in Postgres (`bus_log`): one process, no broker.
    #[default]
    Embedded,
    Kafka,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BusConfig {
    pub kind: BusKind,
    /// Prefix of every topic name (`baton.` → `baton.events`).
    pub topic_prefix: String,
    /// Partitions per topic (created by `baton migrate`).
    pub partitions: i32,
    pub replication_factor: i32,
    pub kafka: KafkaConfig,
    /// Confluent schema registry; when set, values are written in the Confluent wire format
    /// (magic byte + schema id) and Baton's schemas are registered at start-up.
    pub schema_registry_url: Option<String>,
    /// How long dedupe and log records are kept (see `retention`).
    pub retention: crate::retention::RetentionConfig,
    /// How a failing message is retried before it is dead-lettered.
    pub retry: crate::runtime::RetryPolicy,
    /// The most messages a consumer applies in one transaction (each under its own
    /// savepoint; what is ready, never waiting for more): 1 to 63.
    pub batch_max: usize,
    /// How many partitions a consumer applies at once, each in order (so per-key order
    /// holds); each holds a database connection while it applies: 1 to 64, and fewer than
    /// `database.max_connections`.
    pub concurrency: usize,
}

impl Default for BusConfig {
    fn default() -> Self {
        BusConfig {
            kind: BusKind::Embedded,
            topic_prefix: "baton.".into(),
            partitions: 4,
            replication_factor: 1,
            kafka: KafkaConfig::default(),
            schema_registry_url: None,
            retention: Default::default(),
            retry: Default::default(),
            batch_max: 32,
            concurrency: 4,
        }
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetryConfig {
    /// OTLP/HTTP endpoint (e.g. `http://127.0.0.1:4318`); spans are exported only when set.
    pub otlp_endpoint: Option<String>,
    pub log_format: LogFormat,
    /// tracing-subscriber filter, e.g. `info,baton=debug`. `RUST_LOG` overrides it.
    pub log_filter: String,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            otlp_endpoint: None,
            log_format: LogFormat::Text,
            log_filter: "info,sqlx=warn".into(),
        }
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address of `/metrics`, `/livez` and `/readyz` (one listener per process, whatever
    /// services it runs); none when unset.
    pub listen: Option<SocketAddr>,
    /// Kafka mode: `/readyz` is not ready while the oldest unsent outbox message is older
    /// than this (the relay is stuck or far behind).
    pub ready_outbox_lag_ms: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: None,
            ready_outbox_lag_ms: 60_000,
        }
    }
}

/// The longest `database.start_wait_s`: a day.
const MAX_START_WAIT_S: u64 = 86_400;

/// The commented sample configuration: every key with its default (`baton config sample`).
pub const SAMPLE: &str = include_str!("config/sample.toml");

/// `BATON_*` variables that are not configuration keys: the config file's path, and the
/// test harness's own variables.
const NOT_CONFIG: [&str; 4] = ["config", "test_", "e2e_", "crash_"];

/// Whether `key` (a variable's name after the `BATON_` prefix) is a configuration key.
fn is_config_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    !NOT_CONFIG
        .iter()
        .any(|p| key == *p || (p.ends_with('_') && key.starts_with(p)))
}

fn environment(prefix: &str) -> Env {
    Env::prefixed(prefix)
        .filter(|key| is_config_key(key.as_str()))
        .split("__")
}

impl Config {
    /// Loads defaults, then `file` if given, then `BATON_*` variables, and validates.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        Self::load_from(file, environment("BATON_"))
    }

    fn load_from(file: Option<&Path>, env: Env) -> Result<Config> {
        let mut figment = Figment::new();
        if let Some(path) = file {
            if !path.exists() {
                return Err(Error::Config(vec![format!(
                    "config file {} does not exist",
                    path.display()
                )]));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        let config: Config = figment
            .merge(env)
            .extract()
            .map_err(|e| Error::Config(e.into_iter().map(|e| e.to_string()).collect()))?;
        config.validate()?;
        Ok(config)
    }

    /// Every problem at once, each naming the key and what would fix it.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        let url = self.database.url.expose_secret();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            problems.push("database.url must be a postgres:// URL".to_string());
        }
        if self.database.max_connections < 2 {
            problems.push("database.max_connections must be at least 2".into());
        }
        if self.database.start_wait_s > MAX_START_WAIT_S {
            problems.push(format!(
                "database.start_wait_s must be at most {MAX_START_WAIT_S} (a day); 0 exits at \
                 the first refused connection"
            ));
        }
        let concurrency = self.bus.concurrency;
        if !(1..=64).contains(&concurrency) || concurrency as u32 >= self.database.max_connections {
            problems.push(format!(
                "bus.concurrency must be between 1 and 64 and fewer than \
                 database.max_connections ({}): each partition applied at once holds a connection",
                self.database.max_connections
            ));
        }
        if self.ingress.group_commit_max < 1 {
            problems.push("ingress.group_commit_max must be at least 1".into());
        }
        let writers = self.ingress.group_commit_writers;
        if writers < 1 || writers as u32 >= self.database.max_connections {
            problems.push(format!(
                "ingress.group_commit_writers must be at least 1 and fewer than \
                 database.max_connections ({}): each holds a connection",
                self.database.max_connections
            ));
        }
        let prefix = &self.bus.topic_prefix;
        if !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            problems.push(format!(
                "bus.topic_prefix {prefix:?} may only contain letters, digits, '.', '_' and '-'"
            ));
        }
        if !(1..=256).contains(&self.bus.partitions) {
            problems.push("bus.partitions must be between 1 and 256".into());
        }
        if self.bus.retention.inbox_hours < 1 {
            problems.push(
                "bus.retention.inbox_hours must be at least 1: the inbox is what makes redelivery harmless"
                    .into(),
            );
        }
        let r = &self.bus.retention;
        for (name, days) in [
            ("audit_days", r.audit_days),
            ("skipped_days", r.skipped_days),
            ("step_run_days", r.step_run_days),
        ] {
            if days < 1 {
                problems.push(format!(
                    "bus.retention.{name} must be at least 1 (days the records are kept)"
                ));
            }
        }
        problems.extend(self.bus.retry.problems());
        problems.extend(self.console.problems());
        if !(1..=crate::runtime::MAX_BATCH).contains(&self.bus.batch_max) {
            problems.push(format!(
                "bus.batch_max must be between 1 and {} (a failing message rolls its batch back)",
                crate::runtime::MAX_BATCH
            ));
        }
        problems.extend(self.limits.problems());
        problems.extend(self.skills.problems());
        problems.extend(self.schedules.problems());
        problems.extend(self.google.problems());
        problems.extend(self.microsoft.problems());
        if let Err(e) = crate::connections::Keyring::new(&self.connections) {
            problems.push(e.to_string());
        }
        if self.http.ready_outbox_lag_ms < 1000 {
            problems.push("http.ready_outbox_lag_ms must be at least 1000".into());
        }
        if self.bus.replication_factor < 1 {
            problems.push("bus.replication_factor must be at least 1".into());
        }
        if self.bus.kind == BusKind::Kafka {
            problems.extend(self.bus.kafka.problems());
        }
        if self.bus.kind == BusKind::Kafka && self.bus.kafka.bootstrap_servers.trim().is_empty() {
            problems
                .push("bus.kafka.bootstrap_servers is required when bus.kind = \"kafka\"".into());
        }
        if let Some(url) = &self.bus.schema_registry_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            problems.push(format!(
                "bus.schema_registry_url {url:?} must be an http:// or https:// URL"
            ));
        }
        if let Some(ep) = &self.telemetry.otlp_endpoint
            && !(ep.starts_with("http://") || ep.starts_with("https://"))
        {
            problems.push(format!(
                "telemetry.otlp_endpoint {ep:?} must be an http:// or https:// URL"
            ));
        }
        let endpoints = self
            .skills
            .email_url
            .iter()
            .map(|u| ("skills.email_url".to_string(), u))
            .chain(
                self.skills
                    .http
                    .iter()
                    .map(|(k, e)| (format!("skills.http.{k}.url"), &e.url)),
            )
            .chain(
                self.skills
                    .functions
                    .iter()
                    .map(|(k, e)| (format!("skills.functions.{k}.url"), &e.url)),
            );
        for (key, url) in endpoints {
            if reqwest::Url::parse(url).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
                problems.push(format!("{key} {url:?} must be an http:// or https:// URL"));
            }
        }
        if self.skills.timeout_ms == 0 {
            problems.push("skills.timeout_ms must be at least 1".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Config(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample holds only real keys with values of the right type, consistent enough to
    /// validate, once every setting in it is uncommented (`# ` removed; `##` lines stay).
    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn the_sample_with_every_setting_uncommented_loads() {
        let uncommented: String = SAMPLE
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(setting) => format!("{setting}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        figment::Jail::expect_with(|jail| {
            jail.create_file("sample.toml", &uncommented)?;
            // What the sample leaves to variables, as a deployment would give them.
            jail.set_env("BATON_CONSOLE__SESSION_KEY", "k".repeat(64));
            jail.set_env("BATON_BUS__KAFKA__SECURITY__PASSWORD", "pw");
            jail.set_env("BATON_GOOGLE__CLIENT_SECRET", "g");
            jail.set_env("BATON_CONSOLE__SLACK_CLIENT_SECRET", "s");
            jail.set_env("BATON_MICROSOFT__CLIENT_SECRET", "m");
            jail.set_env(
                "BATON_CONNECTIONS__KEYS__K1",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            );
            let c = Config::load(Some(&jail.directory().join("sample.toml")))
                .map_err(|e| e.to_string())?;
            assert_eq!(c.bus.kafka.security.protocol, SecurityProtocol::SaslSsl);
            assert_eq!(c.console.listen, "127.0.0.1:8091");
            Ok(())
        });
        // Commented out, it changes nothing.
        assert!(SAMPLE.lines().all(|l| l.is_empty() || l.starts_with('#')));
    }

    #[test]
    fn harness_variables_are_not_configuration() {
        for key in [
            "CONFIG",
            "config",
            "TEST_KAFKA",
            "test_database_url",
            "E2E_DB",
            "CRASH_AT",
        ] {
            assert!(!is_config_key(key), "{key}");
        }
        for key in ["BUS__KIND", "database__url", "CONFIGURED", "TESTS__X"] {
            assert!(is_config_key(key), "{key}");
        }
    }

    #[test]
    fn defaults_need_no_configuration() {
        let c = Config::load_from(None, Env::prefixed("BATON_TEST_NEVER_SET_")).unwrap();
        assert_eq!(c.bus.kind, BusKind::Embedded);
        assert_eq!(c.bus.topic_prefix, "baton.");
        assert_eq!(c.database.service_role, "baton_app");
    }

    /// The real loader: defaults, then the file, then `BATON_*` variables (figment's Jail
    /// sets them for this closure only); the file path and harness variables are not keys.
    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn file_then_environment_override() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "baton.toml",
                "[bus]\nkind = \"kafka\"\npartitions = 8\n[bus.kafka]\nbootstrap_servers = \"k:1\"\n",
            )?;
            jail.set_env("BATON_BUS__PARTITIONS", 6);
            jail.set_env("BATON_TELEMETRY__LOG_FORMAT", "json");
            jail.set_env("BATON_CONFIG", "baton.toml");
            jail.set_env("BATON_TEST_KAFKA", "127.0.0.1:1");
            let c = Config::load(Some(&jail.directory().join("baton.toml")))
                .map_err(|e| e.to_string())?;
            assert_eq!(c.bus.kind, BusKind::Kafka, "from the file");
            assert_eq!(c.bus.partitions, 6, "the environment beats the file");
            assert_eq!(c.telemetry.log_format, LogFormat::Json);
            assert_eq!(c.bus.kafka.bootstrap_servers, "k:1");
            Ok(())
        });
    }

    #[test]
    fn every_problem_is_named() {
        let dir = std::env::temp_dir().join(format!("baton-cfg-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(
            &file,
            "[bus]\ntopic_prefix = \"a b\"\npartitions = 0\n[database]\nstart_wait_s = 9223372036854775807\n",
        )
        .unwrap();
        let err = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bus.topic_prefix"), "{err}");
        assert!(err.contains("bus.partitions"), "{err}");
        assert!(err.contains("database.start_wait_s"), "{err}");

        std::fs::write(&file, "[bus]\nkindd = \"kafka\"\n").unwrap();
        let err = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("kindd"), "unknown keys are named: {err}");
        let missing = Config::load_from(Some(&dir.join("nope.toml")), Env::prefixed("X_"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("nope.toml"), "{missing}");

        std::fs::write(
            &file,
            "[console]\nslack_bot_scopes = \"chat:write, im:write\"\n[google]\nconsent_url = \"accounts.google.com\"\n",
        )
        .unwrap();
        let err = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("console.slack_bot_scopes"), "{err}");
        assert!(err.contains("google.consent_url"), "{err}");

        std::fs::write(&file, "[skills.serve]\ndetect-intents = \"llm\"\n").unwrap();
        let err = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("[skills.llm] is not set"), "{err}");
        std::fs::write(
            &file,
            "[skills.llm]\nprovider = \"openai\"\nbase_url = \"api.example\"\nmodel = \"\"\napi_key_header = \"x-token\"\n",
        )
        .unwrap();
        let err = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_"))
            .unwrap_err()
            .to_string();
        for key in [
            "skills.llm.base_url",
            "skills.llm.model",
            "skills.llm.api_key_header",
        ] {
            assert!(err.contains(key), "{key}: {err}");
        }
        std::fs::write(
            &file,
            "[skills.llm]\nprovider = \"anthropic\"\nbase_url = \"https://api.anthropic.com\"\nmodel = \"claude\"\n[skills.serve]\ndetect-intents = \"llm_or_builtin\"\n",
        )
        .unwrap();
        let c = Config::load_from(Some(&file), Env::prefixed("BATON_TEST_NEVER_SET_")).unwrap();
        assert_eq!(c.skills.serve["detect-intents"], Serving::LlmOrBuiltin);
        assert_eq!(c.skills.llm.unwrap().max_output_tokens, 4096);
        std::fs::remove_dir_all(dir).ok();
    }
}
