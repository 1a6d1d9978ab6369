//! A Kafka-protocol broker of the fault run's own: Tansu (the test broker; `TANSU`, else
//! `tansu` on the PATH, else `~/.cargo/bin/tansu`) on a free port with durable sqlite
//! storage in a temporary directory, so the run can kill it with SIGKILL and start it again
//! on the same storage without touching the suite's shared broker.

use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::Context;

/// The private broker process and its storage.
pub struct PrivateBroker {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    child: Option<tokio::process::Child>,
}

impl PrivateBroker {
    pub async fn start() -> anyhow::Result<PrivateBroker> {
        let dir = std::env::temp_dir().join(format!(
            "baton-pm5-tansu-{}",
            &uuid::Uuid::now_v7().simple().to_string()[20..]
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut b = PrivateBroker {
            dir,
            port: super::processes::free_port()?.port(),
            bin: tansu()?,
            child: None,
        };
        b.up().await?;
        eprintln!(
            "private Tansu on {} (storage {})",
            b.address(),
            b.dir.display()
        );
        Ok(b)
    }

    /// `host:port`, for `bus.kafka.bootstrap_servers`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// SIGKILL, then the broker started again on the same storage; how long it was gone.
    pub async fn kill_and_restart(&mut self) -> anyhow::Result<Duration> {
        let t0 = Instant::now();
        if let Some(mut c) = self.child.take() {
            c.start_kill()?;
            c.wait().await?;
        }
        self.up().await?;
        Ok(t0.elapsed())
    }

    async fn up(&mut self) -> anyhow::Result<()> {
        let url = format!("tcp://{}", self.address());
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("tansu.log"))?;
        let mut child = tokio::process::Command::new(&self.bin)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            // Tansu reads the sqlite URL's path relative to its working directory.
            .args(["--storage-engine", "sqlite://tansu.db"])
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", self.bin.display()))?;
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait()? {
                anyhow::bail!(
                    "the private Tansu exited ({status}); its log: {}",
                    self.dir.join("tansu.log").display()
                );
            }
            if tokio::net::TcpStream::connect(self.address()).await.is_ok() {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "the private Tansu did not listen within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.child = Some(child);
        Ok(())
    }
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn tansu() -> anyhow::Result<PathBuf> {
    if let Some(t) = std::env::var_os("TANSU") {
        return Ok(t.into());
    }
    let on_path = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join("tansu"))
        .find(|p| p.is_file());
    let cargo = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tansu"));
    on_path
        .or(cargo.filter(|p| p.is_file()))
        .context("the fault run on Kafka starts a Tansu broker of its own: set TANSU or put `tansu` on the PATH (cargo install tansu@0.6.0 --locked --features libsql,dynostore)")
}
