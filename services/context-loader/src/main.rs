//! `baton-context-loader`: the context-loader alone, configured from `BATON_*` variables
//! (and `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main("context-loader", |config, shutdown| async move {
        baton_context_loader::run(config, shutdown).await
    })
    .await
}
