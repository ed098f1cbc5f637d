//! The `pnyx` binary.

use clap::Parser;

/// jemalloc rather than the system's allocator: the system's keeps what a burst of requests (or the
/// API description built at start-up, once per worker) freed, in one arena per thread, for the
/// process's life; jemalloc's background thread returns pages unused for a second
/// (`.cargo/config.toml` sets the decay; `_RJEM_MALLOC_CONF` overrides it at run time).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = pnyx::cli::Cli::parse();
    pnyx::telemetry::init(&cli.settings.log, cli.settings.log_format);
    match pnyx::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pnyx: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
