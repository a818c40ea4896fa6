//! The `jank-wasm-nrepl` command.

use clap::Parser;
use jank_wasm_nrepl::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    match jank_wasm_nrepl::server::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("jank-wasm-nrepl: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
