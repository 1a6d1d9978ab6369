//! `baton bench ingress`: the webhook endpoints under load, in a scratch database seeded with
//! the sample org — accepted requests/s and request latency (p50, p99) for Slack clicks
//! (each a distinct, correctly signed Approve) and MeetingBaaS `complete` webhooks (each a
//! distinct bot for one of the sample's meetings: transcript stored, meeting_ended
//! published), with `concurrency` clients at once; and, when `pgbench` is installed, this
//! machine's `pgbench -N` transactions/s on the same server, the figure to compare with.

use std::{sync::Arc, time::Instant};

use baton_platform::{
    config::{BusKind, Config, DatabaseConfig},
    service::Service,
};
use hdrhistogram::Histogram;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::sample::SampleData;

/// How much load.
pub struct Load {
    pub requests: usize,
    pub concurrency: usize,
}

const KEY: &str = "bench-meetingbaas-key";
const SECRET: &str = "bench-slack-signing-secret";
/// The empty bot id in a serialised `complete` body, replaced per request.
const BOT_PLACEHOLDER: &str = r#""bot_id":"""#;

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
    pool.close().await;
    for &kind in buses {
        endpoints(config, db, kind, &sample, &org, load).await?;
    }
    pgbench(db).await;
    Ok(())
}

/// Both endpoints under `load` on bus `kind`.
async fn endpoints(
    config: &Config,
    db: &DatabaseConfig,
    kind: BusKind,
    sample: &crate::sample::Sample,
    org: &str,
    load: &Load,
) -> anyhow::Result<()> {
    let team = sample.org["slack"]["team_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let mut c = config.clone();
    c.database = db.clone();
    c.bus.kind = kind;
    c.bus.topic_prefix = format!("bench{}.", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    c.http.listen = None;
    c.database.max_connections = c.database.max_connections.max(16);
    c.ingress.meetingbaas_api_keys = vec![SecretString::from(KEY.to_string())];
    c.ingress.slack_signing_secrets = vec![SecretString::from(SECRET.to_string())];
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
    let slack = move |i: usize| {
        let payload = json!({
            "type": "block_actions",
            "user": { "id": format!("U{i:08}"), "team_id": team },
            "team": { "id": team },
            "trigger_id": format!("bench.{i}.{}", uuid::Uuid::now_v7()),
            "actions": [{ "action_id": "baton.approve", "value": format!("pa_{}", uuid::Uuid::now_v7()) }],
        });
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &payload.to_string())
            .finish();
        let ts = chrono::Utc::now().timestamp();
        let headers = vec![
            (
                "content-type",
                "application/x-www-form-urlencoded".to_string(),
            ),
            ("x-slack-request-timestamp", ts.to_string()),
            (
                "x-slack-signature",
                baton_ingress::verify::slack_signature(SECRET, ts, body.as_bytes()),
            ),
        ];
        (headers, body.into_bytes())
    };
    blast("slack click (Approve)", &client, &slack_url, load, slack).await?;

    // Serialised once; each request only fills in a new bot id (the client's work stays out
    // of the figures).
    let bodies: Vec<String> = sample
        .meetings
        .iter()
        .map(|m| complete(m, org))
        .collect::<Result<_, _>>()?;
    let bodies = Arc::new(bodies);
    let mb_url = format!("{base}/webhooks/meetingbaas");
    let meetingbaas = move |i: usize| {
        let bot = format!(r#""bot_id":"{}""#, uuid::Uuid::now_v7());
        let body = bodies[i % bodies.len()].replacen(BOT_PLACEHOLDER, &bot, 1);
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

/// A MeetingBaaS `complete` for sample meeting `m`: its segments as the bot's words, the bot
/// id left empty ([`BOT_PLACEHOLDER`]).
fn complete(m: &Value, org: &str) -> anyhow::Result<String> {
    let transcript: Vec<Value> = m["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let words: Vec<Value> = s["text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(|w| json!({ "start": s["start_s"], "end": s["end_s"], "word": w }))
                .collect();
            json!({ "speaker": s["speaker"], "offset": s["start_s"], "start_time": s["start_s"],
                    "end_time": s["end_s"], "words": words })
        })
        .collect();
    Ok(serde_json::to_string(&json!({
        "event": "complete",
        "data": {
            "bot_id": "",
            "transcript": transcript,
            "extra": { "baton_org_id": org, "baton_meeting_id": m["id"] },
        },
    }))?)
}

type Request = (Vec<(&'static str, String)>, Vec<u8>);

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
        "  {label:<24} {accepted:>6} of {} accepted   {:>8.0} accepted/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
        load.requests,
        accepted as f64 / secs,
        all.value_at_quantile(0.5) as f64 / 1000.0,
        all.value_at_quantile(0.99) as f64 / 1000.0,
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
            println!("  pgbench -N, 16 clients:   {tps}");
        }
        _ => println!("  pgbench -N failed: no comparison figure"),
    }
}
