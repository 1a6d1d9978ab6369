//! `baton-step-executor`: the step-executor alone, configured from `BATON_*` variables (and `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::component::main::<baton_step_executor::Executor>().await
}
