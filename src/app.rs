//! Start-up and shutdown: binds the nREPL and HTTP ports, builds the shared
//! state, prints where to connect, optionally starts the headless runtime, and
//! on Ctrl-C or SIGTERM stops accepting and removes `.nrepl-port`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

use crate::accept::Acceptor;
use crate::bridge::headless::NodeSpec;
use crate::bridge::http::Security;
use crate::bridge::{Bridge, supervisor};
use crate::config::{CompilerKind, Config};
use crate::evaluator::Evaluator;
use crate::nrepl::server::Shared;
use crate::nrepl::session::Sessions;
use crate::project::Project;
use crate::project::source_paths::SourcePaths;
use crate::toolchain::JankToolchain;

/// Stack for every runtime thread: the compiler recurses per nesting level of
/// a form (see `analyzer::MAX_NESTING`), and deep forms are legal Clojure.
const THREAD_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The whole program for a parsed `Config` (`src/main.rs`, and the
/// benchmark's `bench --serve`): the tokio runtime, logging to stderr, `run`,
/// and the exit code.
pub fn main(config: Config) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("jank-wasm-nrepl: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        tracing_subscriber::fmt()
            .with_env_filter(
                EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
            )
            .with_writer(std::io::stderr)
            .init();
        match run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("jank-wasm-nrepl: {error:#}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Runs the program until a shutdown signal.
pub async fn run(config: Config) -> Result<()> {
    // Before the banner tells anyone we are here, so an early Ctrl-C or
    // SIGTERM is a graceful shutdown too, not the default death.
    let shutdown_signals = ShutdownSignals::install()?;
    // Before anything listens: a missing jank or emcc ends the program here.
    let toolchain = start_toolchain(&config).await?;
    let project = Arc::new(Project::new(source_paths(&config)?));
    let nrepl_listener = bind(&config.bind, config.nrepl_port, "nREPL", "--nrepl-port").await?;
    let http_listener = bind(&config.bind, config.http_port, "HTTP", "--http-port").await?;
    let nrepl_port = nrepl_listener.local_addr()?.port();
    let http_port = http_listener.local_addr()?.port();
    let host = url_host(&config.bind);

    let token = uuid::Uuid::new_v4().simple().to_string();
    let page_url = format!("http://{host}:{http_port}/?token={token}");
    let bridge = Bridge::new(config.runtime_wait());
    bridge.set_page_url(&page_url);
    let mut evaluator = Evaluator::new(bridge.clone(), config.eval_timeout(), config.timings)
        .with_project(project.clone())
        .with_compile_budget(config.compile_timeout(), config.compile_memory_bytes());
    let bundle = toolchain.as_ref().map(|t| t.main_module.clone());
    if let Some(toolchain) = toolchain {
        evaluator = evaluator.with_toolchain(toolchain);
    }
    let shared = Arc::new(Shared {
        sessions: Sessions::new(config.max_sessions, config.session_idle_timeout()),
        evaluator,
        bridge: bridge.clone(),
        reply_queue_bytes: config.reply_queue_bytes(),
    });
    let security = Security::for_address(
        token.clone(),
        &config.bind,
        http_port,
        &config.allow_origins,
    );

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let nrepl_task = tokio::spawn(crate::nrepl::server::serve(
        Acceptor::new(nrepl_listener, "nREPL", config.max_connections),
        shared.clone(),
        shutdown_rx.clone(),
    ));
    let http_task = tokio::spawn(crate::bridge::http::serve(
        Acceptor::new(http_listener, "HTTP", config.max_connections),
        bridge.clone(),
        security,
        bundle,
        shutdown_rx,
    ));

    let watching = watch_saves(&config, &project, &shared)?;
    if let Some(ns) = config.main.clone() {
        tokio::spawn(crate::nrepl::reload::load_main(ns, shared.clone()));
    }

    let port_file = (!config.no_port_file).then(|| PathBuf::from(".nrepl-port"));
    if let Some(path) = &port_file {
        std::fs::write(path, nrepl_port.to_string()).context("writing .nrepl-port")?;
    }
    println!(
        "nREPL server started on port {nrepl_port} on host {host} - nrepl://{host}:{nrepl_port}"
    );
    println!("Runtime page: {page_url}");
    println!(
        "{}",
        source_paths_line(&config, &project, watching.is_some())
    );

    let runtime_host = if is_wildcard(&config.bind) {
        "127.0.0.1".to_string()
    } else {
        host.clone()
    };
    let headless = match config.headless {
        true => {
            let spec = NodeSpec {
                node: config.node.clone(),
                websocket_url: format!("ws://{runtime_host}:{http_port}/repl?token={token}"),
                heap_mb: config.node_heap_mb,
            };
            match supervisor::start(bridge.clone(), spec) {
                Ok(supervisor) => {
                    println!("Headless Node runtime started.");
                    Some(supervisor)
                }
                Err(error) => {
                    remove_port_file(&port_file);
                    return Err(anyhow::anyhow!("{error:#}"));
                }
            }
        }
        false => None,
    };
    use std::io::Write;
    let _ = std::io::stdout().flush();

    shutdown_signals.wait().await;
    // First, so that no runtime is started again while the servers stop.
    if let Some(supervisor) = headless {
        supervisor.stop().await;
    }
    let _ = shutdown_tx.send(true);
    let _ = tokio::join!(nrepl_task, http_task);
    remove_port_file(&port_file);
    drop(watching);
    Ok(())
}

/// The source paths, checking that every `--source-path` is a directory.
fn source_paths(config: &Config) -> Result<SourcePaths> {
    for dir in &config.source_paths {
        if !dir.is_dir() {
            anyhow::bail!("--source-path {}: no such directory", dir.display());
        }
    }
    let cwd = std::env::current_dir().context("finding the working directory")?;
    Ok(SourcePaths::discover(&cwd, &config.source_paths))
}

/// Starts the watcher and the task reloading after saves, when there is
/// something to watch and the built-in compiler compiles (jank loads its
/// modules itself).
fn watch_saves(
    config: &Config,
    project: &Project,
    shared: &Arc<Shared>,
) -> Result<Option<crate::project::watch::Watcher>> {
    if config.no_watch || project.paths.is_empty() || config.compiler != CompilerKind::Builtin {
        return Ok(None);
    }
    let (watcher, changes) =
        crate::project::watch::start(&project.paths).context("watching the source paths")?;
    tokio::spawn(crate::nrepl::reload::follow_saves(changes, shared.clone()));
    Ok(Some(watcher))
}

/// The banner's line about the source paths.
fn source_paths_line(config: &Config, project: &Project, watching: bool) -> String {
    let paths = &project.paths;
    if config.compiler != CompilerKind::Builtin {
        return "Source paths: loaded by jank itself (--jank-arg=--module-path=...)".to_string();
    }
    if paths.is_empty() {
        return "Source paths: none (no --source-path, deps.edn, project.clj or src here): require finds only namespaces evaluated before".to_string();
    }
    let origin = match paths.origin {
        "src" => String::new(),
        origin => format!(" (from {origin})"),
    };
    let watch = match watching {
        true => "; reloading on save",
        false => "",
    };
    format!("Source paths: {}{origin}{watch}", paths.describe())
}

/// The jank toolchain for `--compiler jank` (probing emcc takes a moment).
async fn start_toolchain(config: &Config) -> Result<Option<Arc<JankToolchain>>> {
    if config.compiler != CompilerKind::Jank {
        return Ok(None);
    }
    let config = config.clone();
    let started = tokio::task::spawn_blocking(move || JankToolchain::start(&config)).await?;
    Ok(Some(Arc::new(started?)))
}

async fn bind(address: &str, port: u16, what: &str, flag: &str) -> Result<TcpListener> {
    TcpListener::bind((address, port)).await.with_context(|| {
        format!("cannot listen for {what} on {address}:{port} (is the port in use? choose another with {flag}, or 0 for any free port)")
    })
}

/// How `bind` appears in a URL (IPv6 addresses in brackets).
fn url_host(bind: &str) -> String {
    if bind.contains(':') {
        format!("[{bind}]")
    } else {
        bind.to_string()
    }
}

fn is_wildcard(bind: &str) -> bool {
    bind == "0.0.0.0" || bind == "::"
}

fn remove_port_file(path: &Option<PathBuf>) {
    if let Some(path) = path {
        let _ = std::fs::remove_file(path);
    }
}

/// Ctrl-C and SIGTERM, caught from the moment `install` runs.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn install() -> Result<ShutdownSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(ShutdownSignals {
                interrupt: signal(SignalKind::interrupt()).context("catching Ctrl-C")?,
                terminate: signal(SignalKind::terminate()).context("catching SIGTERM")?,
            })
        }
        #[cfg(not(unix))]
        Ok(ShutdownSignals {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
