//! The `jank-wasm-nrepl` command.

use clap::Parser;
use jank_wasm_nrepl::config::Config;

fn main() -> std::process::ExitCode {
    jank_wasm_nrepl::app::main(Config::parse())
}
