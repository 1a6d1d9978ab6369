//! `baton-step-executor`: the step-executor alone, configured from `BATON_*` variables (and
//! `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main("step-executor", |config, shutdown| async move {
        baton_step_executor::run(config, shutdown).await
    })
    .await
}
