//! The `pnyx` binary.

use clap::Parser;

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
