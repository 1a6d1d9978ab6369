//! `baton bench ingress`: the webhook endpoints under load, in a scratch database seeded with
//! the sample org — accepted requests/s and request latency (p50, p99) for Slack clicks
//! (each a distinct, correctly signed Approve) and MeetingBaaS `complete` webhooks (each a
//! distinct bot for one of the sample's meetings: transcript stored, meeting_ended
//! published), with `concurrency` clients at once; Slack Edit clicks on one pending gate,
//! each answered with a `views.open` to a local Slack, timed from the click being sent to
//! Slack receiving the call (Slack's `trigger_id` is valid for 3 s); and, when `pgbench` is
//! installed, this machine's `pgbench -N` transactions/s on the same server, the figure to
//! compare with.

use std::{sync::Arc, time::Instant};

use baton_platform::{
    config::{BusKind, Config, DatabaseConfig},
    service::Service,
};
use hdrhistogram::Histogram;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::{
    provider_requests::{Request, meetingbaas_complete, slack_click, slack_interaction},
    sample::SampleData,
};

/// How much load.
pub struct Load {
    pub requests: usize,
    pub concurrency: usize,
}

const KEY: &str = "bench-meetingbaas-key";
const SECRET: &str = "bench-slack-signing-secret";
/// The empty bot id in a serialised `complete` body, replaced per request.
const BOT_PLACEHOLDER: &str = r#""bot_id":"""#;
/// The empty meeting id in a serialised `complete` body, replaced per request.
const MEETING_PLACEHOLDER: &str = r#""baton_meeting_id":"""#;

/// Seeds the sample once, measures the endpoints on each of `buses`, then `pgbench -N`.
pub async fn run(
    config: &Config,
    db: &DatabaseConfig,
    buses: &[BusKind],
    data: &SampleData,
    load: &Load,
) -> anyhow::Result<()> {
    let sample = data.load()?;
    let pool = baton_platform::store::connect(db).await?;
    let org = sample.seed(&pool).await?;
    let gate = seed_gate(&pool, &org).await?;
    for &kind in buses {
        let recorded = seed_meetings(&pool, &sample, &org, load.requests).await?;
        let seeded = Seeded {
            sample: &sample,
            org: &org,
            gate: &gate,
            recorded: &recorded,
        };
        endpoints(config, db, kind, &seeded, load).await?;
    }
    pool.close().await;
    pgbench(db).await;
    Ok(())
}

/// What the requests refer to: the sample's org, the gate the Edit clicks open, and the
/// prefix of the meetings the bots recorded.
struct Seeded<'a> {
    sample: &'a crate::sample::Sample,
    org: &'a str,
    gate: &'a Gate,
    recorded: &'a str,
}

/// Both endpoints under `load` on bus `kind`.
async fn endpoints(
    config: &Config,
    db: &DatabaseConfig,
    kind: BusKind,
    seeded: &Seeded<'_>,
    load: &Load,
) -> anyhow::Result<()> {
    let Seeded {
        sample,
        org,
        gate,
        recorded,
    } = *seeded;
    let team = sample.org["slack"]["team_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let slack_api = FakeSlack::start().await?;

    let mut c = config.clone();
    c.database = db.clone();
    c.bus.kind = kind;
    c.bus.topic_prefix = format!("bench{}.", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    c.http.listen = None;
    c.database.max_connections = c.database.max_connections.max(16);
    c.ingress.meetingbaas_api_keys = vec![SecretString::from(KEY.to_string())];
    c.ingress.slack_signing_secrets = vec![SecretString::from(SECRET.to_string())];
    c.notifier.slack_base_url = slack_api.base.clone();
    c.notifier.slack_token = Some(SecretString::from("xoxb-bench".to_string()));
    let svc = Service::start_as_owner(baton_ingress::NAME, &c).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(baton_ingress::serve(
        baton_ingress::Ingress::new(svc, &c)?,
        listener,
        shutdown.clone(),
    ));
    baton_platform::install_crypto_provider();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(load.concurrency)
        .build()?;
    println!(
        "ingress on the {} bus, {} requests per endpoint, {} clients at once",
        if kind == BusKind::Kafka {
            "kafka"
        } else {
            "embedded"
        },
        load.requests,
        load.concurrency
    );

    let slack_url = format!("{base}/slack/interactivity");
    let approve_team = team.clone();
    let approve = move |i: usize| {
        let (user, gate) = (format!("U{i:08}"), format!("pa_{}", uuid::Uuid::now_v7()));
        let trigger = format!("bench.{i}.{}", uuid::Uuid::now_v7());
        let click = slack_click(&approve_team, &user, "approve", &gate, &trigger);
        slack_interaction(SECRET, &click)
    };
    blast("slack click (Approve)", &client, &slack_url, load, approve).await?;

    // Edit clicks by the gate's rep: each a trigger of its own, stamped with when it was sent.
    let (edit_gate, clicker, since) = (gate.id.clone(), gate.slack_user.clone(), slack_api.since);
    let edit = move |i: usize| {
        slack_interaction(
            SECRET,
            &json!({
                "type": "block_actions",
                "user": { "id": clicker, "team_id": team },
                "team": { "id": team },
                "trigger_id": format!("bench.{}.{i}", since.elapsed().as_micros()),
                "container": { "channel_id": "C0BENCH", "message_ts": "1.0" },
                "actions": [{ "action_id": "baton.edit", "value": edit_gate }],
            }),
        )
    };
    blast("slack click (Edit)", &client, &slack_url, load, edit).await?;
    slack_api.report(load.requests);

    // Serialised once; each request only fills in a new bot and its own recorded meeting
    // (the client's work stays out of the figures).
    let body = meetingbaas_complete(&sample.meetings[0], org, "", "");
    let recorded = recorded.to_string();
    let mb_url = format!("{base}/webhooks/meetingbaas");
    let meetingbaas = move |i: usize| {
        let bot = format!(r#""bot_id":"{}""#, uuid::Uuid::now_v7());
        let meeting = format!(r#""baton_meeting_id":"{recorded}.{i}""#);
        let body =
            body.replacen(BOT_PLACEHOLDER, &bot, 1)
                .replacen(MEETING_PLACEHOLDER, &meeting, 1);
        let headers = vec![
            ("content-type", "application/json".to_string()),
            ("x-meeting-baas-api-key", KEY.to_string()),
        ];
        (headers, body.into_bytes())
    };
    blast("meetingbaas complete", &client, &mb_url, load, meetingbaas).await?;

    shutdown.cancel();
    server.await??;
    Ok(())
}

/// `n` meetings for the bots to have recorded, `<prefix>.0` … `<prefix>.<n-1>`: copies of
/// the sample's first (in production every recording is of a meeting of its own); the prefix.
async fn seed_meetings(
    pool: &sqlx::PgPool,
    sample: &crate::sample::Sample,
    org: &str,
    n: usize,
) -> anyhow::Result<String> {
    let first = sample.meetings[0]["id"].as_str().unwrap_or_default();
    let prefix = format!(
        "{first}.{}",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    );
    let mut tx = baton_platform::store::begin_for_org(pool, &org.parse()?).await?;
    sqlx::query(
        "INSERT INTO meetings
         SELECT (jsonb_populate_record(NULL::meetings,
                 to_jsonb(m) || jsonb_build_object('id', $2 || '.' || g))).*
         FROM meetings m, generate_series(0, $3 - 1) AS g WHERE m.id = $1",
    )
    .bind(first)
    .bind(&prefix)
    .bind(n as i32)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(prefix)
}

/// The pending gate the Edit clicks open, and the Slack user of its rep.
struct Gate {
    id: String,
    slack_user: String,
}

/// An email gate awaiting approval for a rep of `org` who has a Slack user: a job and its
/// pending action, written directly (the bench measures the click, not the run before it).
async fn seed_gate(pool: &sqlx::PgPool, org: &str) -> anyhow::Result<Gate> {
    let mut tx = baton_platform::store::begin_for_org(pool, &org.parse()?).await?;
    let (user, slack_user): (String, String) = sqlx::query_as(
        "SELECT user_id, slack_user_id FROM slack_user_mappings WHERE org_id = $1
         ORDER BY user_id LIMIT 1",
    )
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| anyhow::anyhow!("the sample maps no user of {org} to Slack"))?;
    let (job, gate) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    sqlx::query(
        "INSERT INTO sequence_definitions (version_hash, event_type, source_file, definition)
         VALUES ('bench-edit', 'meeting_ended', 'bench', '{}') ON CONFLICT DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sequence_jobs (id, org_id, user_id, event_id, event_type, event_source,
                                    status, sequence_version)
         VALUES ($1, $2, $3, $4, 'meeting_ended', 'bench', 'awaiting_approval', 'bench-edit')",
    )
    .bind(job)
    .bind(org)
    .bind(&user)
    .bind(uuid::Uuid::now_v7())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO slack_pending_actions (id, org_id, job_id, user_id, step_index, kind, draft,
                                           editable_fields, expires_at, on_timeout)
         VALUES ($1, $2, $3, $4, 0, 'email_draft',
                 '{\"subject\": \"Following up\", \"body\": \"Thanks for your time today.\"}',
                 '{subject,body}', now() + interval '1 day', 'skip')",
    )
    .bind(gate)
    .bind(org)
    .bind(job)
    .bind(&user)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Gate {
        id: format!("pa_{gate}"),
        slack_user,
    })
}

/// A local Slack Web API answering `views.open`, timing each call from the click whose
/// trigger it carries (`bench.<µs since start>.<n>`).
struct FakeSlack {
    base: String,
    since: Instant,
    opened: Arc<std::sync::Mutex<Histogram<u64>>>,
}

impl FakeSlack {
    async fn start() -> anyhow::Result<FakeSlack> {
        let since = Instant::now();
        let opened = Arc::new(std::sync::Mutex::new(Histogram::<u64>::new(3)?));
        let record = opened.clone();
        let app = axum::Router::new().route(
            "/views.open",
            axum::routing::post(move |axum::Json(call): axum::Json<Value>| {
                let record = record.clone();
                async move {
                    let sent = call["trigger_id"]
                        .as_str()
                        .and_then(|t| t.split('.').nth(1))
                        .and_then(|us| us.parse::<u64>().ok());
                    if let Some(sent) = sent {
                        let waited = (since.elapsed().as_micros() as u64).saturating_sub(sent);
                        let _ = record.lock().map(|mut h| h.record(waited));
                    }
                    axum::Json(json!({ "ok": true, "view": { "id": "VBENCH" } }))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(FakeSlack {
            base,
            since,
            opened,
        })
    }

    /// Prints how many clicks reached `views.open` and how long after the click.
    fn report(&self, clicks: usize) {
        let Ok(h) = self.opened.lock() else { return };
        println!(
            "  {:<24} {:>6} of {clicks} opened                          p50 {:>7.2} ms   p99 {:>7.2} ms",
            "click -> views.open",
            h.len(),
            h.value_at_quantile(0.5) as f64 / 1000.0,
            h.value_at_quantile(0.99) as f64 / 1000.0,
        );
    }
}

/// Sends `load.requests` requests made by `make`, `load.concurrency` at a time; prints the
/// accepted rate and the latency percentiles.
async fn blast<F>(
    label: &str,
    client: &reqwest::Client,
    url: &str,
    load: &Load,
    make: F,
) -> anyhow::Result<()>
where
    F: Fn(usize) -> Request + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let cpu = crate::cpu::Snapshot::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.concurrency.max(1) {
        let (client, url, make, next) =
            (client.clone(), url.to_string(), make.clone(), next.clone());
        let total = load.requests;
        workers.spawn(async move {
            let mut h = Histogram::<u64>::new(3)?;
            let mut accepted = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    return anyhow::Ok((h, accepted));
                }
                let (headers, body) = make(i);
                let mut req = client.post(&url).body(body);
                for (name, value) in headers {
                    req = req.header(name, value);
                }
                let sent = Instant::now();
                let status = req.send().await?.status();
                h.record(sent.elapsed().as_micros() as u64)?;
                if status.is_success() {
                    accepted += 1;
                }
            }
        });
    }
    let mut all = Histogram::<u64>::new(3)?;
    let mut accepted = 0;
    while let Some(r) = workers.join_next().await {
        let (h, n) = r??;
        all.add(h)?;
        accepted += n;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "  {label:<24} {accepted:>6} of {} accepted   {:>8.0} accepted/s   p50 {:>7.2} ms   p99 {:>7.2} ms{}",
        load.requests,
        accepted as f64 / secs,
        all.value_at_quantile(0.5) as f64 / 1000.0,
        all.value_at_quantile(0.99) as f64 / 1000.0,
        cpu.per(accepted as u64),
    );
    Ok(())
}

/// This server's `pgbench -N` (16 clients, 10 s) in the scratch database, when pgbench is
/// installed: the transactions/s the ingress's accepted/s is compared with.
async fn pgbench(db: &DatabaseConfig) {
    let url = db.url.expose_secret().to_string();
    let init = tokio::process::Command::new("pgbench")
        .args(["-i", "-q", "-s", "10", &url])
        .output()
        .await;
    if !init.as_ref().is_ok_and(|o| o.status.success()) {
        println!("  pgbench not available: no comparison figure");
        return;
    }
    let cpu = crate::cpu::Snapshot::now();
    let run = tokio::process::Command::new("pgbench")
        .args(["-N", "-c", "16", "-j", "2", "-T", "10", &url])
        .output()
        .await;
    match run {
        Ok(o) if o.status.success() => {
            let out = String::from_utf8_lossy(&o.stdout);
            let tps = out
                .lines()
                .find(|l| l.starts_with("tps"))
                .unwrap_or("tps: not reported");
            let done = out
                .lines()
                .find_map(|l| l.strip_prefix("number of transactions actually processed: "))
                .and_then(|n| n.split('/').next()?.trim().parse().ok())
                .unwrap_or(0);
            println!(
                "  pgbench -N, 16 clients:   {tps}{}",
                cpu.per_machine_only(done)
            );
        }
        _ => println!("  pgbench -N failed: no comparison figure"),
    }
}
