//! What only the integration tests add to `jank_wasm_nrepl::testkit` (the
//! helpers they share with the benchmark): the server under test is this
//! package's binary, as cargo built it for the tests; `BrowserRuntime`
//! (`browser`); reading a line-based REPL client's transcript.
#![allow(dead_code)]

use std::path::Path;

use jank_wasm_nrepl::testkit::{Launch, ServerProcess};

pub mod browser;

/// This package's server binary.
pub const SERVER_BINARY: &str = env!("CARGO_BIN_EXE_jank-wasm-nrepl");

/// Starts the server binary with `args` on free ports and no port file, and
/// waits until it has printed where it listens.
pub fn start_server(args: &[&str]) -> ServerProcess {
    Launch::binary(SERVER_BINARY).args(args).start()
}

/// Like `start_server`, run in `dir`, where it writes its `.nrepl-port`.
pub fn start_server_in(args: &[&str], dir: &Path) -> ServerProcess {
    Launch::binary(SERVER_BINARY).args(args).in_dir(dir).start()
}

/// What a line-based REPL client (`nrepl.cmdline --connect`, the editor
/// configs' scripts) printed after each `user=> ` prompt, trimmed, blanks left
/// out.
pub fn printed_after_prompts(stdout: &str) -> Vec<&str> {
    stdout
        .split("user=> ")
        .skip(1)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}
