//! The services as processes of their own (`baton run <service>`, this same binary), as
//! PM5's crash check needs them: each can be killed with SIGKILL and restarted with its
//! durable state kept, and says when it is ready again on its `/readyz`.

use std::{
    collections::BTreeMap,
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::Context;
use baton_platform::config::{BusKind, Config};
use secrecy::ExposeSecret;

use crate::ops::ServiceName;

/// How long a (re)started process may take to answer `/readyz` with 200.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// One running service process and the ops port it was given.
struct Proc {
    child: tokio::process::Child,
    ops: SocketAddr,
}

/// The run's service processes, by service.
pub struct Processes {
    /// The `BATON_*` variables every process gets: what this run changed from the
    /// configuration this process was started with (which they inherit).
    vars: Vec<(String, String)>,
    config_file: Option<PathBuf>,
    running: BTreeMap<&'static str, (ServiceName, Proc)>,
    http: reqwest::Client,
}

impl Processes {
    /// Starts each of `services` and waits until every one is ready.
    pub async fn start(
        c: &Config,
        config_file: Option<PathBuf>,
        services: &[ServiceName],
        extra: &[(String, String)],
    ) -> anyhow::Result<Processes> {
        let mut vars = vars(c);
        vars.extend_from_slice(extra);
        baton_platform::install_crypto_provider();
        let mut p = Processes {
            vars,
            config_file,
            running: BTreeMap::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(2))
                .build()?,
        };
        for &s in services {
            p.spawn(s)?;
        }
        for &s in services {
            p.ready(s).await?;
        }
        Ok(p)
    }

    fn spawn(&mut self, service: ServiceName) -> anyhow::Result<()> {
        let ops = free_port()?;
        let mut cmd = tokio::process::Command::new(
            std::env::current_exe().context("finding this executable to run the services")?,
        );
        cmd.args(["run", service.name()])
            .envs(self.vars.iter().cloned())
            .env("BATON_HTTP__LISTEN", ops.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true);
        if let Some(f) = &self.config_file {
            cmd.env("BATON_CONFIG", f);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting `baton run {}`", service.name()))?;
        self.running
            .insert(service.name(), (service, Proc { child, ops }));
        Ok(())
    }

    /// Waits until `service`'s `/readyz` answers 200; an exited process is an error.
    async fn ready(&mut self, service: ServiceName) -> anyhow::Result<()> {
        let started = Instant::now();
        let (_, p) = self
            .running
            .get_mut(service.name())
            .with_context(|| format!("{} is not running", service.name()))?;
        let url = format!("http://{}/readyz", p.ops);
        loop {
            if let Some(status) = p.child.try_wait()? {
                anyhow::bail!("`baton run {}` exited ({status})", service.name());
            }
            if let Ok(r) = self.http.get(&url).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            anyhow::ensure!(
                started.elapsed() < READY_TIMEOUT,
                "`baton run {}` not ready within {}s",
                service.name(),
                READY_TIMEOUT.as_secs()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGKILL to `service`'s process, reaped.
    pub async fn kill(&mut self, service: ServiceName) -> anyhow::Result<()> {
        let (_, mut p) = self
            .running
            .remove(service.name())
            .with_context(|| format!("{} is not running", service.name()))?;
        p.child.start_kill()?;
        p.child.wait().await?;
        Ok(())
    }

    /// Starts `service` again; returns how long it took to be ready.
    pub async fn restart(&mut self, service: ServiceName) -> anyhow::Result<Duration> {
        let t0 = Instant::now();
        self.spawn(service)?;
        self.ready(service).await?;
        Ok(t0.elapsed())
    }

    /// Fails if a process has exited by itself (the run is not measuring what it says).
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        for (name, (_, p)) in &mut self.running {
            if let Some(status) = p.child.try_wait()? {
                anyhow::bail!("`baton run {name}` exited by itself ({status})");
            }
        }
        Ok(())
    }

    /// Each process's resident memory (KiB, `VmRSS` of `/proc/<pid>/status`; Linux only).
    pub fn memory(&self) -> BTreeMap<String, u64> {
        self.running
            .iter()
            .filter_map(|(name, (_, p))| Some((name.to_string(), rss_kib(p.child.id()?)?)))
            .collect()
    }

    /// Stops every process (SIGKILL: the run has ended and its state is durable).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let services: Vec<_> = self.running.values().map(|(s, _)| *s).collect();
        for s in services {
            self.kill(s).await?;
        }
        Ok(())
    }
}

/// What the child processes need beyond the configuration they inherit.
fn vars(c: &Config) -> Vec<(String, String)> {
    let kind = if c.bus.kind == BusKind::Kafka {
        "kafka"
    } else {
        "embedded"
    };
    vec![
        (
            "BATON_DATABASE__URL".into(),
            c.database.url.expose_secret().to_string(),
        ),
        (
            "BATON_DATABASE__MAX_CONNECTIONS".into(),
            c.database.max_connections.to_string(),
        ),
        ("BATON_BUS__KIND".into(), kind.into()),
        ("BATON_BUS__TOPIC_PREFIX".into(), c.bus.topic_prefix.clone()),
        (
            "BATON_BUS__KAFKA__BOOTSTRAP_SERVERS".into(),
            c.bus.kafka.bootstrap_servers.clone(),
        ),
        ("BATON_SKILLS__BENCHMARK".into(), "true".into()),
        (
            "BATON_SEQUENCES__DIR".into(),
            c.sequences.dir.display().to_string(),
        ),
    ]
}

/// A port nobody listens on now (the process binds it a moment later).
pub(super) fn free_port() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// `VmRSS` of process `pid`, in KiB.
pub(super) fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
