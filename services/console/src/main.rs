//! `baton-console`: the web console alone, configured from `BATON_*` variables (and
//! `BATON_CONFIG`).

/// The same allocator as `baton`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main(baton_console::NAME, baton_console::launch).await
}
