//! `baton-approval-gateway`: the approval-gateway alone, configured from `BATON_*` variables
//! (and `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main("approval-gateway", |config, shutdown| async move {
        baton_approval_gateway::run(config, shutdown).await
    })
    .await
}
