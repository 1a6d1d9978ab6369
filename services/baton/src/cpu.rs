//! CPU time spent while a benchmark phase ran, from `/proc` (Linux; nothing elsewhere): the
//! whole machine's busy time, PostgreSQL's (every process named `postgres` — on a machine
//! whose server is local — with the children they reaped, so a backend that exits within
//! the phase still counts) and this process's, per unit of work. Clock ticks are 10 ms, so
//! only phases of some seconds give figures worth reading.

use std::fs;

/// Microseconds per clock tick (`USER_HZ` is 100 on Linux).
const TICK_US: u64 = 10_000;

/// Busy ticks so far.
pub struct Snapshot {
    machine: Option<u64>,
    postgres: u64,
    own: Option<u64>,
    at: std::time::Instant,
}

/// Cores busy on average over a window (2.00 = both cores of a 2-core machine saturated).
pub struct Cores {
    pub machine: f64,
    pub postgres: f64,
    pub own: Option<f64>,
}

impl Snapshot {
    pub fn now() -> Snapshot {
        let postgres = fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            })
            .filter_map(|e| fs::read_to_string(e.path().join("stat")).ok())
            .filter_map(|stat| process_ticks(&stat, Some("postgres"), Reaped::Counted))
            .sum();
        Snapshot {
            machine: fs::read_to_string("/proc/stat")
                .ok()
                .as_deref()
                .and_then(machine_ticks),
            postgres,
            own: fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|s| process_ticks(&s, None, Reaped::Not)),
            at: std::time::Instant::now(),
        }
    }

    /// The cores busy since `self` (the machine's, PostgreSQL's, this process's), or nothing
    /// when `/proc` could not be read.
    pub fn cores(&self) -> Option<Cores> {
        let now = Snapshot::now();
        let wall_us = now.at.duration_since(self.at).as_micros() as f64;
        let (Some(from), Some(to), true) = (self.machine, now.machine, wall_us > 0.0) else {
            return None;
        };
        let cores = |ticks: u64| (ticks * TICK_US) as f64 / wall_us;
        let round = |c: f64| (c * 100.0).round() / 100.0;
        Some(Cores {
            machine: round(cores(to.saturating_sub(from))),
            postgres: round(cores(now.postgres.saturating_sub(self.postgres))),
            own: self
                .own
                .zip(now.own)
                .map(|(a, b)| round(cores(b.saturating_sub(a)))),
        })
    }

    /// "   CPU/req N µs (PostgreSQL P, this process B)": the busy time since `self` per one
    /// of `n`, or nothing when `/proc` could not be read.
    pub fn per(&self, n: u64) -> String {
        let now = Snapshot::now();
        let Some(machine) = self.machine_per(&now, n) else {
            return String::new();
        };
        let per = |ticks: u64| ticks * TICK_US / n;
        let own = match (self.own, now.own) {
            (Some(a), Some(b)) => format!(", this process {}", per(b.saturating_sub(a))),
            _ => String::new(),
        };
        format!(
            "{machine} (PostgreSQL {}{own})",
            per(now.postgres.saturating_sub(self.postgres)),
        )
    }

    /// "   CPU/req N µs": the machine's busy time since `self` per one of `n` alone (for work
    /// whose processes come and go, such as pgbench's connections).
    pub fn per_machine_only(&self, n: u64) -> String {
        self.machine_per(&Snapshot::now(), n).unwrap_or_default()
    }

    fn machine_per(&self, now: &Snapshot, n: u64) -> Option<String> {
        let (Some(from), Some(to), true) = (self.machine, now.machine, n > 0) else {
            return None;
        };
        Some(format!(
            "   CPU/req {:>5} µs",
            to.saturating_sub(from) * TICK_US / n
        ))
    }
}

/// The machine's busy ticks in `/proc/stat`: user nice system irq softirq (not idle, iowait,
/// or steal — another guest's).
fn machine_ticks(stat: &str) -> Option<u64> {
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .strip_prefix("cpu ")?
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    let (idle, iowait) = (*ticks.get(3)?, *ticks.get(4)?);
    Some(ticks.iter().take(7).sum::<u64>() - idle - iowait)
}

/// Whether a process's ticks include those of the children it waited for.
#[derive(Clone, Copy)]
enum Reaped {
    /// Yes: summed over every PostgreSQL process at both ends, the postmaster's reaped
    /// backends make the difference exact — a backend alive at the start and gone at the
    /// end is in the postmaster's children's time with all its ticks, and its ticks before
    /// the start are in the first sum.
    Counted,
    /// No (this process: the service processes a bench starts are its children).
    Not,
}

/// A process's user + system ticks from its `/proc/<pid>/stat`, if its name is `named` (any
/// name when none), with its reaped children's if `reaped` says so.
fn process_ticks(stat: &str, named: Option<&str>, reaped: Reaped) -> Option<u64> {
    let (head, rest) = stat.rsplit_once(')')?;
    let comm = head.split_once('(')?.1;
    if named.is_some_and(|n| n != comm) {
        return None;
    }
    // After the name: state (field 3) … utime (14), stime (15), cutime (16), cstime (17).
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| fields.get(i)?.parse::<u64>().ok();
    let own = field(11)? + field(12)?;
    Some(match reaped {
        Reaped::Counted => own + field(13)? + field(14)?,
        Reaped::Not => own,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_read_from_the_kernels_formats() {
        let stat = "cpu  100 5 50 1000 20 3 2 7 0 0\ncpu0 50 2 25 500 10 1 1 3 0 0\n";
        assert_eq!(machine_ticks(stat), Some(100 + 5 + 50 + 3 + 2));
        let pg = "4242 (postgres) S 1 4242 4242 0 -1 4194560 500 0 0 0 31 17 0 0 20 0 1 0 99";
        assert_eq!(process_ticks(pg, Some("postgres"), Reaped::Not), Some(48));
        let postmaster =
            "4200 (postgres) S 1 4200 4200 0 -1 4194560 500 0 0 0 31 17 900 60 20 0 1 0 99";
        assert_eq!(
            process_ticks(postmaster, Some("postgres"), Reaped::Counted),
            Some(48 + 960)
        );
        assert_eq!(process_ticks(pg, Some("baton"), Reaped::Not), None);
        // A name with spaces and parentheses: the last ')' ends it.
        let odd = "7 (tokio (rt) w) R 1 7 7 0 -1 0 0 0 0 0 4 6 0 0 20 0 1 0 5";
        assert_eq!(process_ticks(odd, None, Reaped::Not), Some(10));
        assert_eq!(machine_ticks("nonsense"), None);
    }
}
