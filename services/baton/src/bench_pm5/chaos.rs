//! The fault run (`--variant chaos`): variants A and B mixed (every fourth run gated, its
//! gate approved by a client that polls for paused runs), the services as processes, the
//! run's own PostgreSQL (and Tansu on Kafka), while faults strike one after another at
//! random points of the run: each service killed with SIGKILL and restarted 200 ms later,
//! PostgreSQL stopped as a crash does and restarted, the broker killed and restarted, the
//! email endpoint answering 500s, then answering too late, for a few seconds each, one after
//! another while the load goes on. A fault's recovery time is fault → the first run
//! completed after the fault was over; the last runs are held back until the last fault is
//! over, so there is a run to see it on.
//! The checker (`checker.rs`) then reads the database and the topics.

use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

use baton_platform::config::{BusKind, Config};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::{
    Plan, checker,
    email_endpoint::{self, EmailEndpoint, Mode},
    ms,
    private_broker::PrivateBroker,
    setup::{Running, Scratch},
    variants,
};
use crate::ops::ServiceName;

/// How long the email endpoint misbehaves.
const EMAIL_FAULT: Duration = Duration::from_secs(3);
/// The HTTP email step's timeout in the services (the endpoint's late answers exceed it).
const EMAIL_TIMEOUT_MS: u64 = 1_000;

/// One fault the run injects.
#[derive(Clone, Copy, Debug)]
enum Fault {
    Kill(ServiceName),
    RestartPostgres,
    KillBroker,
    Email(Mode),
}

impl Fault {
    fn name(self) -> String {
        match self {
            Fault::Kill(s) => format!("kill -9 {}", s.name()),
            Fault::RestartPostgres => "PostgreSQL restart (immediate stop)".into(),
            Fault::KillBroker => "kill -9 broker".into(),
            Fault::Email(Mode::Failing) => "email endpoint 500s".into(),
            Fault::Email(_) => "email endpoint answers too late".into(),
        }
    }
}

/// The faults of a run on `bus`, in a random order from `seed`.
fn schedule(bus: BusKind, seed: u64) -> Vec<Fault> {
    let mut faults: Vec<Fault> = super::setup::services(super::Variant::Chaos)
        .iter()
        .map(|&s| Fault::Kill(s))
        .collect();
    faults.push(Fault::RestartPostgres);
    if bus == BusKind::Kafka {
        faults.push(Fault::KillBroker);
    }
    faults.push(Fault::Email(Mode::Failing));
    faults.push(Fault::Email(Mode::Late));
    fastrand::Rng::with_seed(seed).shuffle(&mut faults);
    faults
}

/// One fault run: its world started, the load and the faults driven, the world stopped,
/// the checker's findings. The caller verifies the sends.
pub async fn one(config: &Config, scratch: &Scratch, plan: &Plan) -> anyhow::Result<Value> {
    let mut c = config.clone();
    let mut broker = if plan.bus == BusKind::Kafka {
        let b = PrivateBroker::start().await?;
        c.bus.kafka.bootstrap_servers = b.address();
        Some(b)
    } else {
        None
    };
    let stop = CancellationToken::new();
    let email = EmailEndpoint::start(scratch.owner.clone(), stop.clone()).await?;
    let vars = [
        (
            "BATON_SKILLS__HTTP__PM5_EMAIL__URL".to_string(),
            email.url.clone(),
        ),
        (
            "BATON_SKILLS__HTTP__PM5_EMAIL__TIMEOUT_MS".to_string(),
            EMAIL_TIMEOUT_MS.to_string(),
        ),
    ];
    let running = Running::start(&c, scratch, plan, &vars).await?;
    let running_restart_after = running.restart_after;
    let seed = plan.seed.unwrap_or_else(|| fastrand::u64(..));
    let faults = schedule(plan.bus, seed);
    // The last runs wait until the last fault is over: they are the load its recovery is
    // seen on. The faults strike spread over the runs before them.
    let (open, held) = tokio::sync::watch::channel(false);
    let hold = variants::Hold {
        from: plan.n - plan.in_flight.min(plan.n / 4),
        open: held,
    };
    let injected = tokio::try_join!(load(&running, plan, &hold, &stop), async {
        let struck = inject(&running, scratch, &mut broker, &email, &faults, hold.from).await;
        let _ = open.send(true);
        struck
    },);
    let (checked, reports) = match &injected {
        Ok((_, struck)) => (
            checker::check(
                &running,
                plan,
                broker
                    .as_ref()
                    .map(|_| c.bus.kafka.bootstrap_servers.as_str()),
            )
            .await,
            struck.iter().map(|f| f.report(&running)).collect(),
        ),
        Err(_) => (Ok(Value::Null), Vec::new()),
    };
    stop.cancel();
    let stopped = running.stop().await;
    let (figures, _) = injected?.0;
    stopped?;
    let checked = checked?;
    Ok(variants::merge(
        figures,
        json!({
            "seed": seed,
            "restart_after_ms": ms(running_restart_after),
            "email_timeout_ms": EMAIL_TIMEOUT_MS,
            "email_late_by_ms": ms(email_endpoint::LATE_BY),
            "faults": reports,
            "checker": checked,
        }),
    ))
}

/// The closed loop of variant A over both sequences, and a client approving every gate
/// it finds (polled every 100 ms, as variant B's client does) until the loop is done.
async fn load(
    r: &Running,
    plan: &Plan,
    hold: &variants::Hold,
    stop: &CancellationToken,
) -> anyhow::Result<(Value, Instant)> {
    let approver = async {
        let mut approved = HashSet::new();
        while !stop.is_cancelled() {
            // A restart of the database fails a poll now and then: the next one reads again.
            if let Ok(gates) = variants::paused(r, plan).await {
                let new: Vec<_> = gates
                    .into_iter()
                    .filter(|g| !approved.contains(&g.1))
                    .collect();
                variants::approve_all(r, &new, 8).await?;
                approved.extend(new.iter().map(|g| g.1));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::Ok(())
    };
    let looped = async {
        let out = variants::closed_loop(r, plan, Some(hold)).await;
        stop.cancel();
        out
    };
    let (out, ()) = tokio::try_join!(looped, approver)?;
    Ok(out)
}

/// A fault that struck: when, and when it was over.
struct Struck {
    fault: Fault,
    after_runs: usize,
    at: Instant,
    over: Instant,
}

impl Struck {
    /// Its report; recovery is fault → the first run the client saw complete after the
    /// fault was over (the process restarted, the server back, the endpoint healthy again).
    fn report(&self, r: &Running) -> Value {
        let recovered = r
            .tracker
            .first_completion_after(self.over)
            .map(|t| ms(t - self.at));
        json!({
            "fault": self.fault.name(),
            "after_runs": self.after_runs,
            "outage_ms": ms(self.over - self.at),
            "recovery_ms": recovered,
        })
    }
}

/// Each fault in turn, at evenly spread points of the runs before `before` (by runs
/// completed; a fault still in progress at its point delays the next), while the load goes
/// on.
async fn inject(
    r: &Running,
    scratch: &Scratch,
    broker: &mut Option<PrivateBroker>,
    email: &EmailEndpoint,
    faults: &[Fault],
    before: usize,
) -> anyhow::Result<Vec<Struck>> {
    let mut struck = Vec::new();
    for (i, &fault) in faults.iter().enumerate() {
        let due = before * (i + 1) / (faults.len() + 1);
        while r.tracker.completed() < due {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let after_runs = r.tracker.completed();
        eprintln!(
            "  fault {}: {} (after {after_runs} runs)",
            i + 1,
            fault.name()
        );
        let at = Instant::now();
        strike(r, scratch, broker, email, fault).await?;
        struck.push(Struck {
            fault,
            after_runs,
            at,
            over: Instant::now(),
        });
    }
    Ok(struck)
}

/// Injects `fault`; returns when it is over.
async fn strike(
    r: &Running,
    scratch: &Scratch,
    broker: &mut Option<PrivateBroker>,
    email: &EmailEndpoint,
    fault: Fault,
) -> anyhow::Result<()> {
    match fault {
        Fault::Kill(s) => {
            r.kill(s).await?;
            tokio::time::sleep(r.restart_after).await;
            r.restart(s).await?;
        }
        Fault::RestartPostgres => {
            let pg = scratch
                .private_pg
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("the fault run has no private PostgreSQL"))?;
            tokio::task::block_in_place(|| pg.restart())?;
        }
        Fault::KillBroker => {
            if let Some(b) = broker {
                b.kill_and_restart().await?;
            }
        }
        Fault::Email(mode) => {
            email.set(mode);
            tokio::time::sleep(EMAIL_FAULT).await;
            email.set(Mode::Healthy);
        }
    }
    Ok(())
}
