//! The `jank-wasm-nrepl` command.

use clap::Parser;
use jank_wasm_nrepl::config::Config;
use tracing_subscriber::EnvFilter;

/// Stack for every runtime thread: the compiler recurses per nesting level of
/// a form (see `analyzer::MAX_NESTING`), and deep forms are legal Clojure.
const THREAD_STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("jank-wasm-nrepl: cannot start the async runtime: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    match jank_wasm_nrepl::app::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("jank-wasm-nrepl: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
