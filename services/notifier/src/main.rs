//! `baton-notifier`: the notifier alone, configured from `BATON_*` variables (and `BATON_CONFIG`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::component::main::<baton_notifier::Notifier>().await
}
