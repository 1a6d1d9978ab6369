//! `baton-notifier`: the notifier alone, configured from `BATON_*` variables (and
//! `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main("notifier", |config, shutdown| async move {
        baton_notifier::run(config, shutdown).await
    })
    .await
}
