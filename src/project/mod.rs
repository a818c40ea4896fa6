//! The user's project on disk: its source paths (`source_paths`), loading
//! namespaces from them (or from the library the program brings, `bundled`)
//! for the compiler (`load`), which namespace requires which (`graph`), and
//! watching the files for saves (`watch`).
//!
//! Nothing here knows nREPL or runtimes: patches run through the
//! `PatchRunner` the evaluator gives the loader.

pub mod bundled;
pub mod graph;
pub mod load;
pub mod source_paths;
mod source_text;
pub mod watch;

use std::collections::BTreeSet;

use parking_lot::Mutex;

use crate::compiler::namespace::Namespaces;
use graph::Graph;
use source_paths::SourcePaths;

/// The project: its source paths and what has been loaded from them.
pub struct Project {
    pub paths: SourcePaths,
    state: Mutex<State>,
    next_load: std::sync::atomic::AtomicU64,
}

#[derive(Default)]
struct State {
    graph: Graph,
    /// Namespaces whose last load failed: a `require` tries them again.
    failed: BTreeSet<String>,
}

impl Project {
    pub fn new(paths: SourcePaths) -> Project {
        Project {
            paths,
            state: Mutex::new(State::default()),
            next_load: std::sync::atomic::AtomicU64::new(1),
        }
    }

    fn next_load_id(&self) -> u64 {
        self.next_load
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether `ns` needs no loading: the compiler knows it, and its last
    /// load from a file did not fail.
    pub fn is_loaded(&self, namespaces: &Namespaces, ns: &str) -> bool {
        namespaces.exists(ns) && !self.state.lock().failed.contains(ns)
    }

    fn set_loaded(&self, ns: &str, ok: bool) {
        let failed = &mut self.state.lock().failed;
        match ok {
            true => failed.remove(ns),
            false => failed.insert(ns.to_string()),
        };
    }

    fn record_require(&self, from: &str, target: &str) {
        self.state.lock().graph.record(from, target);
    }

    fn forget_requires_of(&self, ns: &str) {
        self.state.lock().graph.forget_requires_of(ns);
    }

    /// The namespaces to reload after `changed` were saved: those of them the
    /// compiler knows, and every namespace requiring one of those, each after
    /// what it requires.
    pub fn reload_order(
        &self,
        namespaces: &Namespaces,
        changed: &[std::path::PathBuf],
    ) -> Vec<String> {
        let known: BTreeSet<String> = changed
            .iter()
            .filter_map(|path| self.paths.namespace_of(path))
            .filter(|ns| namespaces.exists(ns))
            .collect();
        if known.is_empty() {
            return Vec::new();
        }
        self.state.lock().graph.reload_order(&known)
    }
}
