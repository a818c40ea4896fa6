//! Reloads after saves: each batch of changed files the watcher reports is
//! reloaded by the evaluator in every runtime, and every session hears of it
//! on `out` (one line: which namespaces, how long) or, when a file did not
//! compile, on `err` (the error as the REPL shows it).

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;
use tracing::{info, warn};

use super::server::Shared;
use crate::evaluator::{EvalEvent, ReloadReport};

/// Follows the watcher until it stops.
pub async fn follow_saves(mut changes: mpsc::UnboundedReceiver<Vec<PathBuf>>, shared: Arc<Shared>) {
    while let Some(mut changed) = changes.recv().await {
        // Saves that arrived while the last reload ran join this one.
        while let Ok(more) = changes.try_recv() {
            changed.extend(more);
        }
        let mut on_output = |event: EvalEvent| match event {
            EvalEvent::Out(text) => tell_sessions(&shared, "out", &text),
            EvalEvent::Err(text) => tell_sessions(&shared, "err", &text),
            _ => {}
        };
        let report = shared
            .evaluator
            .reload_saved(&changed, &mut on_output)
            .await;
        if let Some(report) = report {
            announce(&shared, &report);
        }
    }
}

/// Requires `--main` once the first runtime is ready, saying so on stdout.
pub async fn load_main(ns: String, shared: Arc<Shared>) {
    shared.bridge.wait_until_a_runtime_is_ready().await;
    let mut on_output = |event: EvalEvent| match event {
        EvalEvent::Out(text) => tell_sessions(&shared, "out", &text),
        EvalEvent::Err(text) => tell_sessions(&shared, "err", &text),
        _ => {}
    };
    match shared
        .evaluator
        .require_everywhere(&ns, &mut on_output)
        .await
    {
        None => say(&format!("Loaded {ns}.\n")),
        Some(failure) => {
            warn!("loading --main {ns} failed");
            say_err(&format!("Loading --main {ns} failed:\n{}", failure.text));
            tell_sessions(&shared, "err", &failure.text);
        }
    }
}

fn announce(shared: &Shared, report: &ReloadReport) {
    let took = report.took.as_secs_f64() * 1000.0;
    let names = report.namespaces.join(", ");
    match &report.failure {
        None => {
            let line = format!("Reloaded {names} in {took:.0} ms\n");
            info!("{}", line.trim_end());
            say(&line);
            tell_sessions(shared, "out", &line);
        }
        Some(failure) => {
            info!(file = %failure.file, "reload failed");
            say_err(&failure.text);
            tell_sessions(shared, "err", &failure.text);
        }
    }
}

/// A line for whoever watches the terminal; nobody may be (a closed pipe
/// is no reason to stop).
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn say_err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn tell_sessions(shared: &Shared, key: &str, text: &str) {
    for session in shared.sessions.all() {
        session.notify(key, text);
    }
}
