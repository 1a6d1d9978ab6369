//! A seeded database, a configuration for it, the services (as processes or in-process),
//! and ways to publish events and watch jobs.

use std::{path::PathBuf, process::Stdio, sync::Arc, time::Duration};

use baton_core::clock::Clock;
use baton_platform::{
    bus::Bus,
    component::Component,
    config::{BusKind, Config},
    service::Service,
};
use baton_schemas::{Message, OrchestratorEvent, Topic};
use baton_testkit::TestDb;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

pub const ORG: &str = "org_brightlane";
pub const REP: &str = "u_bl_maya";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn data() -> PathBuf {
    std::env::var_os("BATON_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"))
}

pub fn read_json(p: PathBuf) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap()
}

pub struct Env {
    pub db: TestDb,
    pub config: Config,
    pub owner: PgPool,
    pub svc: Service,
}

impl Env {
    /// A fresh database with the sample org, its meetings and calendars, quiet hours cleared (tests that
    /// are about quiet hours set them), on `bus` with topics of its own.
    pub async fn new(bus: BusKind, sequences: Option<PathBuf>) -> Env {
        let db = TestDb::new().await;
        let mut config = Config {
            database: db.service_config(),
            ..Config::default()
        };
        config.bus.kind = bus;
        config.bus.partitions = 2;
        config.bus.topic_prefix = format!("{}.", baton_testkit::unique("seq"));
        if bus == BusKind::Kafka {
            config.bus.kafka = baton_testkit::kafka();
        }
        config.sequences.dir = sequences.unwrap_or_else(|| repo().join("sequences"));
        config.router.timer_poll_ms = 100;
        // The schedules run on the database's clock, which is the real one in service
        // processes: off, so a brief due now does not add a job to a test about something
        // else (tests/sequencing/schedules.rs drives them on an injected clock).
        config.schedules.enabled = false;
        // The harness seeds and publishes as the owner's tools do (the services log in as
        // their own roles).
        let svc = Service::start_as_owner("test", &config).await.unwrap();
        baton_platform::seed::org(
            &svc.pool,
            &read_json(data().join("org/org_brightlane.json")),
        )
        .await
        .unwrap();
        for n in 1..=12 {
            let m = read_json(data().join(format!("meetings/mtg_dev_{n:03}.json")));
            baton_platform::seed::meeting(&svc.pool, &m).await.unwrap();
        }
        for f in std::fs::read_dir(data().join("calendars")).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let c = read_json(path);
            if c.get("owner").is_some() {
                baton_platform::seed::calendar(&svc.pool, ORG, &c)
                    .await
                    .unwrap();
            }
        }
        let owner = db.owner_pool().await;
        sqlx::query(
            "UPDATE slack_user_preferences SET quiet_hours_start = NULL, quiet_hours_end = NULL",
        )
        .execute(&owner)
        .await
        .unwrap();
        Env {
            db,
            config,
            owner,
            svc,
        }
    }

    /// The configuration as `BATON_*` variables, for service processes.
    pub fn vars(&self) -> Vec<(String, String)> {
        let c = &self.config;
        vec![
            ("BATON_DATABASE__URL".into(), self.db.owner_url()),
            (
                "BATON_BUS__KIND".into(),
                match c.bus.kind {
                    BusKind::Embedded => "embedded",
                    BusKind::Kafka => "kafka",
                }
                .into(),
            ),
            ("BATON_BUS__PARTITIONS".into(), c.bus.partitions.to_string()),
            // Any free port: tests run side by side.
            ("BATON_INGRESS__LISTEN".into(), "127.0.0.1:0".into()),
            (
                "BATON_SCHEDULES__ENABLED".into(),
                c.schedules.enabled.to_string(),
            ),
            ("BATON_BUS__TOPIC_PREFIX".into(), c.bus.topic_prefix.clone()),
            (
                "BATON_BUS__KAFKA__BOOTSTRAP_SERVERS".into(),
                c.bus.kafka.bootstrap_servers.clone(),
            ),
            (
                "BATON_BUS__KAFKA__SESSION_TIMEOUT_MS".into(),
                c.bus.kafka.session_timeout_ms.to_string(),
            ),
            (
                "BATON_BUS__KAFKA__MAX_POLL_INTERVAL_MS".into(),
                c.bus.kafka.max_poll_interval_ms.to_string(),
            ),
            (
                "BATON_SEQUENCES__DIR".into(),
                c.sequences.dir.display().to_string(),
            ),
            ("BATON_ROUTER__TIMER_POLL_MS".into(), "100".into()),
            ("BATON_TELEMETRY__LOG_FILTER".into(), "warn".into()),
        ]
    }

    /// `baton run <service>` as a process of its own.
    pub fn spawn(&self, service: &str) -> tokio::process::Child {
        self.spawn_with(service, &[])
    }

    /// `spawn` with extra `BATON_*` variables.
    pub fn spawn_with(&self, service: &str, extra: &[(String, String)]) -> tokio::process::Child {
        self.run_command(service, extra)
            .stdout(Stdio::null())
            .spawn()
            .expect("start baton run")
    }

    /// `baton run <service>` with this environment's variables and `extra`.
    fn run_command(&self, service: &str, extra: &[(String, String)]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"));
        cmd.args(["run", service])
            .current_dir(repo())
            .envs(self.vars())
            .envs(extra.iter().cloned())
            .kill_on_drop(true);
        cmd
    }

    /// `spawn_with`, with the process's stdout to read (crash points announce themselves
    /// there: `CRASHPOINT <name>`).
    pub fn spawn_piped(
        &self,
        service: &str,
        extra: &[(String, String)],
    ) -> (
        tokio::process::Child,
        tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
    ) {
        use tokio::io::AsyncBufReadExt;
        let mut child = self
            .run_command(service, extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start baton run");
        let out = child.stdout.take().unwrap();
        (child, tokio::io::BufReader::new(out).lines())
    }

    /// Runs `baton <args>` against this environment: (success, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (bool, String, String) {
        run_cli(self.vars(), args.iter().map(|a| a.to_string()).collect())
    }

    /// [`Env::cli`] off the runtime's threads, for tests whose services run in-process.
    pub async fn cli_async(&self, args: &[&str]) -> (bool, String, String) {
        let (vars, args) = (self.vars(), args.iter().map(|a| a.to_string()).collect());
        tokio::task::spawn_blocking(move || run_cli(vars, args))
            .await
            .unwrap()
    }

    pub async fn publish(&self, ev: &OrchestratorEvent) {
        self.publish_message(ev).await;
    }

    /// Publishes any message on its topic, as its producer would.
    pub async fn publish_message<M: Message>(&self, m: &M) {
        m.validate().unwrap();
        self.publish_unchecked(m).await;
    }

    /// Publishes a message without validating it, as a careless or hostile producer would.
    pub async fn publish_unchecked<M: Message>(&self, m: &M) {
        let envelope = self.svc.producer.envelope(m).unwrap();
        self.svc.bus.publish(vec![envelope]).await.unwrap();
    }

    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.owner)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Waits (up to 90 s) until `sql` returns true.
    pub async fn wait(&self, sql: &str, what: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        loop {
            if self.scalar::<Option<bool>>(sql).await == Some(true) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let jobs: Value = self
                    .scalar("SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'type', event_type, 'status', status, 'reason', paused_reason, 'step', context->'current_step', 'done', context->'steps_completed', 'failure', context->'failure')), '[]') FROM sequence_jobs")
                    .await;
                let skipped: Value = self
                    .scalar("SELECT COALESCE(jsonb_agg(jsonb_build_object('type', event_type, 'reason', reason)), '[]') FROM skipped_events")
                    .await;
                let timers: Value = self
                    .scalar("SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', kind, 'due', due_at, 'fired', fired_at)), '[]') FROM timers")
                    .await;
                panic!(
                    "timed out waiting for {what}\njobs: {jobs}\nskipped: {skipped}\ntimers: {timers}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A gate's status (`slack_pending_actions.status`).
    pub async fn gate_status(&self, gate: &baton_schemas::PendingActionId) -> String {
        self.scalar(&format!(
            "SELECT status FROM slack_pending_actions WHERE id = '{}'",
            gate.uuid()
        ))
        .await
    }

    /// The id of `ev`'s job, once it waits at its (email) gate.
    pub async fn job_at_gate(&self, ev: &OrchestratorEvent) -> String {
        self.wait(
            &format!(
                "SELECT COALESCE(bool_or(status = 'awaiting_approval'), false) FROM sequence_jobs WHERE event_id = '{}'",
                ev.event_id
            ),
            "the email gate",
        )
        .await;
        self.scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ))
        .await
    }

    /// The job's row as JSON (status, context, event_chain, …), with its step outputs
    /// (`sequence_job_outputs`) as `context.outputs`.
    pub async fn job(&self, id: &str) -> Value {
        self.scalar(&format!(
            "SELECT jsonb_set(to_jsonb(j), '{{context}}', baton_job_state(j))
             FROM sequence_jobs j WHERE id = '{id}'"
        ))
        .await
    }

    /// Every message on `topic` so far (embedded bus only: read from the log).
    pub async fn logged<M: Message>(&self) -> Vec<M> {
        let topic = M::TOPIC.name(&self.config.bus.topic_prefix);
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT payload FROM bus_log WHERE topic = $1 ORDER BY appended_at, partition, \"offset\"",
        )
        .bind(topic)
        .fetch_all(&self.owner)
        .await
        .unwrap();
        rows.iter()
            .map(|p| baton_schemas::decode::<M>(p).unwrap())
            .collect()
    }

    /// Reads `topic` from the start with a group of its own for `for_` and returns what
    /// arrived (either bus).
    pub async fn consume<M: Message>(&self, for_: Duration) -> Vec<M> {
        use baton_platform::bus::BusConsumer;
        let topic = M::TOPIC.name(&self.config.bus.topic_prefix);
        let mut c = self
            .svc
            .bus
            .subscribe(&baton_testkit::unique("reader"), &[topic])
            .await
            .unwrap();
        let mut out = Vec::new();
        let deadline = tokio::time::Instant::now() + for_;
        while let Ok(Ok(d)) = tokio::time::timeout_at(deadline, c.next()).await {
            out.push(self.svc.wire.decode::<M>(&d.payload).await.unwrap());
        }
        out
    }
}

/// Maya's Slack user id (slack_user_mappings in the sample org).
pub const MAYA_SLACK: &str = "U05K2M8QZ1A";
/// The sample org's Slack workspace (team) id.
pub const TEAM: &str = "T03BRLN7QK2";

/// What the Slack gateway publishes when Maya clicks a button on a gate's message (or, for
/// `edit`, submits the edit modal with the changed fields).
pub async fn slack_click(
    env: &Env,
    pending: &str,
    decision: baton_schemas::Decision,
    modifications: Option<Value>,
) {
    env.publish_message(&baton_schemas::ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        pending_action_id: pending.to_string(),
        org_id: ORG.into(),
        decision,
        decided_by: MAYA_SLACK.into(),
        via: baton_schemas::DecisionChannel::Slack,
        user_modifications: modifications,
        decided_at: chrono::Utc::now(),
        slack_team_id: Some(TEAM.into()),
        operator: None,
        as_admin: false,
    })
    .await;
}

/// Decides job `job`'s open gate as `decided_by` through the approval-gateway (which must be
/// running: [`InProcess::start_with_gateway`] or its process), the way `baton approvals
/// decide` does: once the gateway has the gate, an ApprovalDecision from the CLI channel.
/// Returns the gated step.
pub async fn resolve_gate(
    env: &Env,
    job: &str,
    decision: baton_schemas::Resolution,
    decided_by: &str,
    modifications: Option<Value>,
) -> usize {
    use baton_schemas::{Decision, Resolution};
    let job_id: baton_schemas::JobId = job.parse().unwrap();
    let context: Value = env
        .scalar(&format!(
            "SELECT baton_job_state(sequence_jobs) FROM sequence_jobs WHERE id = '{job_id}'"
        ))
        .await;
    let state: baton_core::job::JobState = serde_json::from_value(context).unwrap();
    let index = *state
        .pending_approvals
        .first()
        .unwrap_or_else(|| panic!("job {job} has no open approval gate"));
    let gate = baton_schemas::PendingActionId::for_gate(job_id, index, state.approval_gates_hit);
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM slack_pending_actions WHERE id = '{}'",
            gate.uuid()
        ),
        "the approval-gateway to open the gate",
    )
    .await;
    let decision = match decision {
        Resolution::Approve => Decision::Approve,
        Resolution::Edit => Decision::Edit,
        Resolution::Skip => Decision::Skip,
        Resolution::Cancel => Decision::Cancel,
        Resolution::Expired => panic!("an expiry is the gateway's to decide"),
    };
    env.publish_message(&baton_schemas::ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        pending_action_id: gate.to_string(),
        org_id: ORG.into(),
        decision,
        decided_by: decided_by.to_string(),
        via: baton_schemas::DecisionChannel::Cli,
        user_modifications: modifications,
        decided_at: chrono::Utc::now(),
        slack_team_id: None,
        operator: Some("test".into()),
        as_admin: false,
    })
    .await;
    index
}

/// The database id of a gate named as the buttons name it (`pa_<uuid>`).
fn run_cli(vars: Vec<(String, String)>, args: Vec<String>) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(repo())
        .envs(vars)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn gate_uuid(gate: &str) -> uuid::Uuid {
    gate.parse::<baton_schemas::PendingActionId>()
        .unwrap()
        .uuid()
}

/// Variables pointing the services at a local email provider and Slack server.
pub fn delivery_vars(email: &EmailProvider, slack: &str) -> Vec<(String, String)> {
    vec![
        ("BATON_SKILLS__EMAIL_URL".to_string(), email.url.clone()),
        (
            "BATON_NOTIFIER__SLACK_BASE_URL".to_string(),
            slack.to_string(),
        ),
        (
            "BATON_NOTIFIER__SLACK_TOKEN".to_string(),
            "xoxb-e2e".to_string(),
        ),
    ]
}

impl Env {
    /// `services` each as a process of its own (see `spawn_with`).
    pub fn spawn_each(
        &self,
        services: &[&str],
        extra: &[(String, String)],
    ) -> Vec<tokio::process::Child> {
        services.iter().map(|s| self.spawn_with(s, extra)).collect()
    }
}

pub const FIVE: [&str; 5] = [
    "router",
    "context-loader",
    "step-executor",
    "approval-gateway",
    "notifier",
];

/// Reads `lines` until one contains `needle` (up to 90 s).
pub async fn wait_for_line(
    lines: &mut tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
    needle: &str,
) {
    let found = tokio::time::timeout(Duration::from_secs(90), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains(needle) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "the process never printed {needle:?}");
}

/// A free 127.0.0.1 port.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// `baton demo --keep --scenario meeting` in a database of its own, running until `stop`:
/// the demo's services, HTTP listener and console stay up for a test to look at.
pub struct KeptDemo {
    child: tokio::process::Child,
    database: String,
}

impl KeptDemo {
    /// Starts the demo with `vars` added to its environment and waits until it says its
    /// services keep running.
    pub async fn start(vars: &[(&str, String)]) -> KeptDemo {
        use tokio::io::AsyncBufReadExt;
        let name = baton_testkit::unique("baton_demo");
        let server = baton_testkit::base_url();
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args([
                "demo",
                "--keep",
                "--scenario",
                "meeting",
                "--database",
                &name,
            ])
            .current_dir(repo())
            .env("BATON_DATABASE__URL", &server)
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        wait_for_line(&mut lines, "The services keep running").await;
        let database = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
        KeptDemo { child, database }
    }

    /// Kills the demo and drops its database.
    pub async fn stop(mut self) {
        use sqlx::migrate::MigrateDatabase;
        self.child.kill().await.ok();
        sqlx::Postgres::force_drop_database(&self.database)
            .await
            .ok();
    }
}

pub fn meeting_ended(meeting: &str, deal: &str, contact: &str) -> OrchestratorEvent {
    event(
        "meeting_ended",
        json!({ "meeting_id": meeting, "deal_id": deal, "contact_id": contact }),
    )
}

pub fn event(event_type: &str, payload: Value) -> OrchestratorEvent {
    OrchestratorEvent {
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: event_type.into(),
        source: "test/webhook".into(),
        org_id: ORG.into(),
        user_id: REP.into(),
        payload,
        parent_job_id: None,
        occurred_at: chrono::Utc::now(),
        chain_depth: 0,
        dedupe_key: None,
    }
}

/// The three services in this process, on `clock`, until dropped.
pub struct InProcess {
    pub shutdown: CancellationToken,
    pub router: baton_router::Router,
    tasks: Vec<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl InProcess {
    /// The router, context-loader, step-executor and approval-gateway: gates are decided
    /// through the gateway, as in production ([`resolve_gate`]).
    pub async fn start_with_gateway(env: &Env, clock: Arc<dyn Clock>) -> InProcess {
        let mut s = InProcess::start(env, clock.clone()).await;
        let gateway = baton_approval_gateway::Gateway::build(&env.config, clock)
            .await
            .unwrap();
        s.tasks.push(tokio::spawn(gateway.run(s.shutdown.clone())));
        s
    }

    pub async fn start(env: &Env, clock: Arc<dyn Clock>) -> InProcess {
        let shutdown = CancellationToken::new();
        let router = baton_router::Router::build(&env.config, clock.clone())
            .await
            .unwrap();
        let loader = baton_context_loader::ContextLoader::build(&env.config, clock.clone())
            .await
            .unwrap();
        let executor = baton_step_executor::Executor::build(&env.config, clock)
            .await
            .unwrap();
        let tasks = vec![
            tokio::spawn(router.clone().run(shutdown.clone())),
            tokio::spawn(loader.run(shutdown.clone())),
            tokio::spawn(executor.run(shutdown.clone())),
        ];
        InProcess {
            shutdown,
            router,
            tasks,
        }
    }

    pub async fn stop(mut self) {
        self.shutdown.cancel();
        for t in std::mem::take(&mut self.tasks) {
            t.await.unwrap().unwrap();
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

#[allow(dead_code)]
pub fn topic(env: &Env, t: Topic) -> String {
    t.name(&env.config.bus.topic_prefix)
}

/// A local email provider speaking the HTTP skill wire format: records every send with its
/// Idempotency-Key header and body.
#[derive(Clone)]
pub struct EmailProvider {
    pub url: String,
    sends: Arc<std::sync::Mutex<Vec<(String, Value)>>>,
}

impl EmailProvider {
    pub async fn start() -> EmailProvider {
        use axum::{Json, extract::State, http::HeaderMap, routing::post};
        type Sends = Arc<std::sync::Mutex<Vec<(String, Value)>>>;
        let sends: Sends = Arc::default();
        let app = axum::Router::new()
            .route(
                "/send",
                post(|State(s): State<Sends>, h: HeaderMap, Json(body): Json<Value>| async move {
                    let key = h
                        .get("idempotency-key")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    s.lock().unwrap().push((key.clone(), body));
                    Json(json!({ "output": { "message_id": format!("msg-{key}"), "status": "sent" } }))
                }),
            )
            .with_state(sends.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        EmailProvider {
            url: format!("http://{addr}/send"),
            sends,
        }
    }

    /// Every request, in order: (Idempotency-Key, body).
    pub fn sends(&self) -> Vec<(String, Value)> {
        self.sends.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.sends.lock().unwrap().len()
    }
}

// ---- a local server speaking the Slack Web API (chat.postMessage, chat.update, views.open) ----

use std::sync::{
    Mutex,
    atomic::{AtomicUsize, Ordering},
};

use axum::{
    Json, Router as Http,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
};

/// What the Slack server saw. `limited`: answer this many calls with HTTP 429 first.
/// Like Slack, it keeps the messages of its one DM channel (`D0REPDM`) with their metadata,
/// answers `conversations.open` with that channel and `conversations.history` from it
/// (newest first, `oldest` exclusive, metadata only with `include_all_metadata`).
#[derive(Default)]
pub struct SlackApi {
    /// Answer this many calls with HTTP 429 first.
    pub limited: AtomicUsize,
    pub calls: AtomicUsize,
    pub posts: Mutex<Vec<(String, Value)>>,
    pub updates: Mutex<Vec<Value>>,
    /// conversations.history calls.
    pub history_calls: AtomicUsize,
    /// The DM's messages: `{ts, text, metadata}`, oldest first.
    pub messages: Mutex<Vec<Value>>,
    /// Answer conversations.open with `missing_scope` (a bot without im:write).
    pub no_im_scope: std::sync::atomic::AtomicBool,
    /// views.open calls: `{trigger_id, view}`.
    pub views: Mutex<Vec<Value>>,
}

pub const DM: &str = "D0REPDM";

impl SlackApi {
    /// The ts of the `n`-th message posted.
    pub fn ts(&self, n: usize) -> String {
        self.messages.lock().unwrap()[n]["ts"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// A Slack ts: wall-clock seconds and microseconds, unique within this server.
fn next_ts(messages: &[Value]) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    let last = messages
        .last()
        .and_then(|m| m["ts"].as_str())
        .map(|t| t.replace('.', "").parse::<u128>().unwrap())
        .unwrap_or(0);
    let micros = now.max(last + 1);
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

pub async fn slack_api() -> (String, Arc<SlackApi>) {
    let api = Arc::new(SlackApi::default());
    let app = Http::new()
        .route(
            "/chat.postMessage",
            post(|State(api): State<Arc<SlackApi>>, h: HeaderMap, Json(body): Json<Value>| async move {
                api.calls.fetch_add(1, Ordering::SeqCst);
                if api
                    .limited
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "7")], Json(json!({ "ok": false, "error": "ratelimited" })))
                        .into_response();
                }
                let auth = h.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                api.posts.lock().unwrap().push((auth, body.clone()));
                let mut messages = api.messages.lock().unwrap();
                let ts = next_ts(&messages);
                messages.push(json!({ "type": "message", "ts": ts, "text": body["text"], "metadata": body["metadata"] }));
                Json(json!({ "ok": true, "channel": DM, "ts": ts, "message": { "text": body["text"] } })).into_response()
            }),
        )
        .route(
            "/views.open",
            post(|State(api): State<Arc<SlackApi>>, Json(body): Json<Value>| async move {
                if body["trigger_id"].as_str().is_none_or(str::is_empty) {
                    return Json(json!({ "ok": false, "error": "invalid_trigger_id" }));
                }
                let mut views = api.views.lock().unwrap();
                views.push(body.clone());
                let id = format!("V{:08}", views.len());
                Json(json!({ "ok": true, "view": { "id": id, "type": "modal" } }))
            }),
        )
        .route(
            "/chat.update",
            post(|State(api): State<Arc<SlackApi>>, Json(body): Json<Value>| async move {
                api.updates.lock().unwrap().push(body.clone());
                Json(json!({ "ok": true, "channel": body["channel"], "ts": body["ts"] }))
            }),
        )
        .route(
            "/conversations.open",
            post(|State(api): State<Arc<SlackApi>>, Json(body): Json<Value>| async move {
                if api.no_im_scope.load(Ordering::SeqCst) {
                    return Json(json!({ "ok": false, "error": "missing_scope", "needed": "im:write" }));
                }
                if body["users"].as_str().is_none_or(str::is_empty) {
                    return Json(json!({ "ok": false, "error": "users_list_not_supplied" }));
                }
                Json(json!({ "ok": true, "channel": { "id": DM } }))
            }),
        )
        .route(
            "/conversations.history",
            post(|State(api): State<Arc<SlackApi>>, Json(body): Json<Value>| async move {
                api.history_calls.fetch_add(1, Ordering::SeqCst);
                if body["channel"] != DM {
                    return Json(json!({ "ok": false, "error": "channel_not_found" }));
                }
                let oldest = body["oldest"].as_str().unwrap_or("0").to_string();
                let with_metadata = body["include_all_metadata"] == true;
                let as_micros = |t: &str| -> f64 { t.parse::<f64>().unwrap_or(0.0) };
                let messages: Vec<Value> = api
                    .messages
                    .lock()
                    .unwrap()
                    .iter()
                    .rev()
                    .filter(|m| as_micros(m["ts"].as_str().unwrap()) > as_micros(&oldest))
                    .map(|m| {
                        let mut m = m.clone();
                        if !with_metadata {
                            m.as_object_mut().unwrap().remove("metadata");
                        }
                        m
                    })
                    .collect();
                Json(json!({ "ok": true, "messages": messages, "has_more": false, "response_metadata": { "next_cursor": "" } }))
            }),
        )
        .with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), api)
}
