//! A PostgreSQL server of the fault run's own — `initdb` into a temporary directory, on a
//! free port, fsync and `synchronous_commit` on as installed — so the run can restart it
//! without touching the machine's shared server, which other work uses at the same time.
//! As root the server runs as the `postgres` user (`runuser`), as PostgreSQL requires.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context;

/// The private server: its data directory, port and binaries.
pub struct PrivatePg {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    /// `runuser -u postgres --` when this process is root.
    as_postgres: bool,
}

impl PrivatePg {
    /// Creates the cluster and starts it; said on stderr.
    pub fn start() -> anyhow::Result<PrivatePg> {
        let bin = bindir()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "baton-pm5-pg-{}",
            &uuid::Uuid::now_v7().simple().to_string()[20..]
        ));
        let port = super::processes::free_port()?.port();
        let pg = PrivatePg {
            dir,
            port,
            bin,
            as_postgres,
        };
        pg.run("mkdir", &["-p", &pg.dir.display().to_string()])?;
        pg.run(
            &pg.bin.join("initdb").display().to_string(),
            &[
                "-D",
                &pg.dir.display().to_string(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-instructions",
            ],
        )
        .context("initdb for the fault run's private PostgreSQL")?;
        pg.up()?;
        eprintln!(
            "private PostgreSQL on 127.0.0.1:{} (data {})",
            pg.port,
            pg.dir.display()
        );
        Ok(pg)
    }

    /// The superuser's URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Stops the server the way a crash does (`-m immediate`: no checkpoint, crash recovery
    /// at the next start) and starts it again; how long it was gone.
    pub fn restart(&self) -> anyhow::Result<Duration> {
        let t0 = Instant::now();
        self.ctl(&["-m", "immediate", "stop"])?;
        self.up()?;
        Ok(t0.elapsed())
    }

    fn up(&self) -> anyhow::Result<()> {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log").display().to_string();
        self.ctl(&["-w", "-t", "60", "-l", &log, "-o", &opts, "start"])
            .with_context(|| format!("starting the private PostgreSQL (its log: {log})"))
    }

    fn ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        let mut all = vec!["-D", self.dir.to_str().context("temp dir is not UTF-8")?];
        all.extend_from_slice(args);
        self.run(&self.bin.join("pg_ctl").display().to_string(), &all)
    }

    /// Runs `program args` as the server's user; its output only when it fails.
    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", program]);
            c
        } else {
            Command::new(program)
        };
        let out = cmd
            .args(args)
            .current_dir(std::env::temp_dir())
            .output()
            .with_context(|| format!("running {program}"))?;
        anyhow::ensure!(
            out.status.success(),
            "{program} {} failed ({}): {}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }
}

impl Drop for PrivatePg {
    /// Stops the server and removes its directory, whatever happened to the run.
    fn drop(&mut self) {
        let _ = self.ctl(&["-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where `initdb` and `pg_ctl` are: `BATON_BENCH_PG_BINDIR`, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout), else `pg_config --bindir`.
fn bindir() -> anyhow::Result<PathBuf> {
    if let Some(d) = std::env::var_os("BATON_BENCH_PG_BINDIR") {
        return Ok(d.into());
    }
    let debian = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(debian)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .max_by_key(|(v, _)| *v);
    if let Some((_, bin)) = newest {
        return Ok(bin);
    }
    let out = Command::new("pg_config").arg("--bindir").output();
    match out {
        Ok(o) if o.status.success() => Ok(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())),
        _ => anyhow::bail!(
            "the fault run starts a PostgreSQL of its own and needs initdb and pg_ctl: none under /usr/lib/postgresql/*/bin nor from pg_config; set BATON_BENCH_PG_BINDIR"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
