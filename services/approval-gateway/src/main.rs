//! `baton-approval-gateway`: the approval-gateway alone, configured from `BATON_*` variables (and `BATON_CONFIG`).

/// The same allocator as `baton`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    baton_platform::component::main::<baton_approval_gateway::Gateway>().await
}
