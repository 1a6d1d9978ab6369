//! Crash points for the fault tests. `BATON_CRASH_AT=<failpoint>:<n>` makes the n-th pass
//! through that failpoint print `CRASHPOINT <failpoint>` on stdout and hang, so a test can
//! `kill -9` the process exactly there. Failpoints are compiled only with the `failpoints`
//! feature (the test builds turn it on); without it, setting the variable is an error rather
//! than a silent no-op.

/// Arms the crash point named in `BATON_CRASH_AT`, if any.
pub fn arm_from_env() -> anyhow::Result<()> {
    let Ok(spec) = std::env::var("BATON_CRASH_AT") else {
        return Ok(());
    };
    arm(&spec)
}

#[cfg(feature = "failpoints")]
fn arm(spec: &str) -> anyhow::Result<()> {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use anyhow::Context;
    let (name, nth) = spec
        .split_once(':')
        .context("BATON_CRASH_AT is <failpoint>:<n>")?;
    let nth: usize = nth.parse().context("BATON_CRASH_AT count")?;
    let hits = Arc::new(AtomicUsize::new(0));
    let label = name.to_string();
    fail::cfg_callback(name, move || {
        if hits.fetch_add(1, Ordering::SeqCst) + 1 == nth {
            use std::io::Write;
            println!("CRASHPOINT {label}");
            let _ = std::io::stdout().flush();
            // Wait here for the SIGKILL — off the async runtime's books: on a multi-thread
            // runtime this worker hands its queued tasks to another first, so the rest of the
            // process (an HTTP answer already committed, say) goes on until the kill.
            let wait = || loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            };
            match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
                Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
                _ => wait(),
            }
        }
    })
    .map_err(anyhow::Error::msg)
}

#[cfg(not(feature = "failpoints"))]
fn arm(_spec: &str) -> anyhow::Result<()> {
    anyhow::bail!(
        "BATON_CRASH_AT is set but this build has no failpoints (build with --features baton-platform/failpoints)"
    )
}
