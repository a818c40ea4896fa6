//! Watching the source paths for saves, with `notify` and its debouncer: an
//! editor that saves in several steps (a temporary file renamed over the old
//! one, or a truncate then a write) and a burst of saves within `DEBOUNCE`
//! of each other come out as one batch of changed files.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::EventKind;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;
use tracing::warn;

use super::source_paths::{SOURCE_EXTENSIONS, SourcePaths};

/// How long the files must be quiet before a batch of changes is reported.
pub const DEBOUNCE: Duration = Duration::from_millis(120);

/// Watches while it lives.
pub struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Starts watching every source path; each batch of changed source files
/// (`.jank`, `.cljc`, `.clj`, `.cljs`) arrives on the receiver.
pub fn start(
    paths: &SourcePaths,
) -> notify::Result<(Watcher, mpsc::UnboundedReceiver<Vec<PathBuf>>)> {
    let (changes, received) = mpsc::unbounded_channel();
    let mut debouncer =
        new_debouncer(
            DEBOUNCE,
            None,
            move |result: DebounceEventResult| match result {
                Ok(events) => {
                    let changed: BTreeSet<PathBuf> = events
                        .iter()
                        .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                        .flat_map(|event| event.paths.iter())
                        .filter(|path| is_source_file(path))
                        .cloned()
                        .collect();
                    if !changed.is_empty() {
                        let _ = changes.send(changed.into_iter().collect());
                    }
                }
                Err(errors) => {
                    for error in errors {
                        warn!(%error, "watching the source paths");
                    }
                }
            },
        )?;
    for dir in paths.dirs() {
        debouncer.watch(dir, RecursiveMode::Recursive)?;
    }
    Ok((
        Watcher {
            _debouncer: debouncer,
        },
        received,
    ))
}

fn is_source_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e))
}
