//! What the integration tests (`proxy-tests/`) and the benchmark
//! (`src/bin/bench.rs`) share to drive the real program from outside: the
//! server started as a child process on free ports (`Launch`, `ServerProcess`), a
//! blocking bencode nREPL client that keeps replies to other requests
//! (`Client`), headless Chromium as a browser runtime (`Browser`), and
//! waiting with time limits (`process`).
//!
//! Nothing in the server uses this module. Each fallible step comes in two
//! forms: `try_x` says what went wrong (the benchmark reports it and goes
//! on), `x` panics with the same words (a test fails with them). Every wait is
//! bounded, everything listens on 127.0.0.1, and every process started here
//! is killed when its handle is dropped.

pub mod browser;
pub mod client;
pub mod process;
pub mod server_process;

use std::time::Duration;

pub use browser::{Browser, CHROMIUM_FLAGS, chromium_path};
pub use client::{Client, Msg, all_statuses, has_status, joined, statuses, text, values};
pub use process::{poll_until, run_with_input, wait_with_timeout};
pub use server_process::{Launch, ServerProcess};

/// How long any single reply may take before the client gives up, instead of
/// hanging.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a server has to print its banner (with `--headless`, once its Node
/// runtime has started).
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
