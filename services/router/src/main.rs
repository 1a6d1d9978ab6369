//! `baton-router`: the router alone, configured from `BATON_*` variables (and `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main("router", |config, shutdown| async move {
        baton_router::run(config, shutdown).await
    })
    .await
}
