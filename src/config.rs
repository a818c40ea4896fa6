//! Command-line options.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// An nREPL server that runs Clojure/jank code as WebAssembly in a browser or Node.
///
/// Editors connect to the nREPL port (also written to .nrepl-port); runtimes (the
/// page at the printed URL, or the Node process `--headless` starts) connect to
/// the HTTP port. Evals run in the most recently connected runtime, unless the
/// session chose one (the select-runtime op).
#[derive(Clone, Debug, Parser)]
#[command(name = "jank-wasm-nrepl", version, about)]
pub struct Config {
    /// nREPL port editors connect to (0 picks a free port).
    #[arg(long, default_value_t = 7889)]
    pub nrepl_port: u16,

    /// HTTP port serving the runtime page and its WebSocket at /repl (0 picks a free port).
    #[arg(long, default_value_t = 7888)]
    pub http_port: u16,

    /// Address both servers listen on. Anything but loopback exposes code execution to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,

    /// Also start a headless Node.js runtime (Node.js 20 or newer) connected to this server.
    #[arg(long)]
    pub headless: bool,

    /// The Node.js executable used by --headless.
    #[arg(long, default_value = "node")]
    pub node: String,

    /// The cap on the headless Node runtime's JavaScript heap, in MiB (Node's
    /// --max-old-space-size). A runtime that dies of it is started again.
    #[arg(long, default_value_t = 2048, value_name = "MIB")]
    pub node_heap_mb: u64,

    /// Which compiler turns evals into wasm patches.
    #[arg(long, value_enum, default_value_t = CompilerKind::Builtin)]
    pub compiler: CompilerKind,

    /// The jank executable (--compiler jank).
    #[arg(long, default_value = "jank", value_name = "PATH")]
    pub jank: String,

    /// The emcc executable (--compiler jank); patches are built with the clang and wasm-ld it runs.
    #[arg(long, default_value = "emcc", value_name = "PATH")]
    pub emcc: String,

    /// An extra argument for jank, before its command (e.g. --jank-arg=--module-path=src). Repeatable.
    #[arg(long = "jank-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub jank_args: Vec<String>,

    /// An extra flag for compiling patches, after jank's cflags (e.g. --emcc-flag=-O2). Repeatable.
    #[arg(long = "emcc-flag", value_name = "FLAG", allow_hyphen_values = true)]
    pub emcc_flags: Vec<String>,

    /// The jank runtime bundle served to runtimes (--compiler jank): a directory with an
    /// emscripten MAIN_MODULE, NAME.wasm and its MODULARIZE'd glue NAME.js.
    #[arg(long, value_name = "DIR")]
    pub runtime_bundle: Option<std::path::PathBuf>,

    /// Where built patches are cached across runs (--compiler jank; default
    /// ~/.cache/jank-wasm-nrepl/patches).
    #[arg(long, value_name = "DIR")]
    pub patch_cache: Option<std::path::PathBuf>,

    /// Another origin allowed to attach a browser runtime (e.g. your dev server, http://localhost:3000). Repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// Seconds an eval waits for a runtime to connect when none is.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub runtime_wait: f64,

    /// Seconds an eval may run before it fails with a timeout error.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub eval_timeout: f64,

    /// Seconds the compiler may spend on one top-level form (macros running on
    /// the runtime not counted) before it gives up with an error.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub compile_timeout: f64,

    /// MiB of memory the compiler may use for one top-level form before it
    /// gives up with an error.
    #[arg(long, default_value_t = 1024, value_name = "MIB")]
    pub compile_memory_mb: u64,

    /// Most nREPL connections open at once; more are refused with an error.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_connections: usize,

    /// Most nREPL sessions at once; `clone` past it fails with an error.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_sessions: usize,

    /// Seconds a session no connection uses is kept before it is closed (a
    /// client can reattach to a session until then).
    #[arg(long, default_value_t = 3600.0, value_name = "SECONDS")]
    pub session_idle_timeout: f64,

    /// MiB of replies that may wait for a client that does not read them; past
    /// it the client is disconnected and its evals are interrupted.
    #[arg(long, default_value_t = 32, value_name = "MIB")]
    pub reply_queue_mb: u64,

    /// Add to each eval's final reply how long compiling, transfer and running took
    /// (`timings`: compile-us, transfer-us, run-us); a request can ask with its own `timings` key.
    #[arg(long)]
    pub timings: bool,

    /// A directory namespaces are loaded from (repeatable). Without it: the :paths of a
    /// deps.edn, the :source-paths of a project.clj or shadow-cljs.edn, or src, in the
    /// working directory.
    #[arg(long = "source-path", value_name = "DIR")]
    pub source_paths: Vec<std::path::PathBuf>,

    /// Reload a loaded namespace, and those that require it, in every runtime when its
    /// file is saved. On by default when there are source paths.
    #[arg(long, overrides_with = "no_watch")]
    pub watch: bool,

    /// Don't reload namespaces when their files are saved.
    #[arg(long, overrides_with = "watch")]
    pub no_watch: bool,

    /// A namespace to load from the source paths once a runtime connects (your app's
    /// entry point), so the page runs it without an editor; saves then reload it.
    #[arg(long, value_name = "NS")]
    pub main: Option<String>,

    /// Don't write .nrepl-port in the working directory.
    #[arg(long)]
    pub no_port_file: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompilerKind {
    /// The compiler built into this program (no jank install needed).
    Builtin,
    /// The real jank compiler and emscripten: each eval becomes a side module
    /// loaded into a jank runtime bundle (--jank, --emcc, --runtime-bundle).
    Jank,
}

impl Config {
    pub fn runtime_wait(&self) -> Duration {
        seconds(self.runtime_wait)
    }

    pub fn eval_timeout(&self) -> Duration {
        seconds(self.eval_timeout)
    }

    pub fn compile_timeout(&self) -> Duration {
        seconds(self.compile_timeout)
    }

    pub fn session_idle_timeout(&self) -> Duration {
        seconds(self.session_idle_timeout)
    }

    pub fn compile_memory_bytes(&self) -> usize {
        mebibytes(self.compile_memory_mb)
    }

    pub fn reply_queue_bytes(&self) -> usize {
        mebibytes(self.reply_queue_mb)
    }
}

/// A duration from a flag's seconds: negative or NaN is 0, and anything over a
/// year is a year (so deadlines computed from it cannot overflow).
fn seconds(value: f64) -> Duration {
    const A_YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
    Duration::try_from_secs_f64(value.max(0.0))
        .unwrap_or(A_YEAR)
        .min(A_YEAR)
}

fn mebibytes(value: u64) -> usize {
    usize::try_from(value.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
}
