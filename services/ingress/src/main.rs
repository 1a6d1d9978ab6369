//! `baton-ingress`: the webhook endpoints alone, configured from `BATON_*` variables (and
//! `BATON_CONFIG`).

/// The same allocator as `baton`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::service::main(baton_ingress::NAME, baton_ingress::launch).await
}
