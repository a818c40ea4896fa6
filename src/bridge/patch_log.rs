//! The patch log: for every var, the patch that last defined it, and every
//! patch of the latest load of each namespace loaded from a file (its
//! top-level side effects too: the app a page shows starts again). A runtime
//! that connects (a new tab, a reloaded page, a restarted Node) gets these
//! patches replayed in their original order, so everything defined before is
//! there again. Patches whose definitions were all superseded, and that are
//! not part of a namespace's latest load, are dropped.

use std::collections::HashMap;
use std::sync::Arc;

use crate::compiler::namespace::Slot;

#[derive(Default)]
pub struct PatchLog {
    entries: Vec<Entry>,
    /// For each var, the index in `entries` of the patch that defined it last.
    latest: HashMap<Slot, usize>,
    /// For each file loaded, the id of its latest load.
    latest_load: HashMap<String, u64>,
}

struct Entry {
    wasm: Arc<Vec<u8>>,
    /// How many vars this patch is still the latest definition of.
    live: usize,
    /// The load of a namespace this patch is part of.
    load: Option<LoadPart>,
}

/// Which load of a file a patch belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadPart {
    /// The file, as the loader names it (`/my/util`).
    pub file: String,
    /// Different for every load.
    pub load: u64,
}

impl PatchLog {
    /// Records a patch that ran successfully and defined `defines`, as part
    /// of loading a namespace's file if `load` says so.
    pub fn record(&mut self, defines: &[Slot], wasm: Arc<Vec<u8>>, load: Option<&LoadPart>) {
        if let Some(part) = load {
            self.latest_load.insert(part.file.clone(), part.load);
        } else if defines.is_empty() {
            return;
        }
        let index = self.entries.len();
        self.entries.push(Entry {
            wasm,
            live: 0,
            load: load.cloned(),
        });
        for &slot in defines {
            if let Some(previous) = self.latest.insert(slot, index) {
                self.entries[previous].live -= 1;
            }
            self.entries[index].live += 1;
        }
        self.compact_if_mostly_dead();
    }

    /// The patches to replay, oldest first.
    pub fn replay(&self) -> Vec<Arc<Vec<u8>>> {
        self.entries
            .iter()
            .filter(|e| self.is_kept(e))
            .map(|e| e.wasm.clone())
            .collect()
    }

    fn is_kept(&self, entry: &Entry) -> bool {
        entry.live > 0
            || entry
                .load
                .as_ref()
                .is_some_and(|part| self.latest_load.get(&part.file) == Some(&part.load))
    }

    /// Drops superseded patches once they are the majority, keeping the
    /// log's size proportional to the number of vars.
    fn compact_if_mostly_dead(&mut self) {
        let live = self.entries.iter().filter(|e| self.is_kept(e)).count();
        if self.entries.len() < 64 || live * 2 > self.entries.len() {
            return;
        }
        let mut new_index = HashMap::new();
        let mut kept = Vec::with_capacity(live);
        for (old, entry) in std::mem::take(&mut self.entries).into_iter().enumerate() {
            if self.is_kept(&entry) {
                new_index.insert(old, kept.len());
                kept.push(entry);
            }
        }
        for index in self.latest.values_mut() {
            *index = new_index[index];
        }
        self.entries = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(tag: u8) -> Arc<Vec<u8>> {
        Arc::new(vec![tag])
    }

    #[test]
    fn keeps_the_latest_definition_of_each_var_in_order() {
        let mut log = PatchLog::default();
        log.record(&[1], patch(1), None); // (defn g ...)
        log.record(&[2], patch(2), None); // (defn h ...) calls g
        log.record(&[], patch(3), None); // (h 1): defines nothing
        log.record(&[1], patch(4), None); // g redefined
        assert_eq!(log.replay(), vec![patch(2), patch(4)]);
    }

    #[test]
    fn keeps_every_patch_of_the_latest_load_of_a_namespace() {
        let mut log = PatchLog::default();
        let load = |n| LoadPart {
            file: "/my/app".into(),
            load: n,
        };
        log.record(&[1], patch(1), Some(&load(1))); // (defn render ...)
        log.record(&[], patch(2), Some(&load(1))); // (render): a side effect
        log.record(&[3], patch(3), None); // (def x ...) at the REPL
        assert_eq!(log.replay(), vec![patch(1), patch(2), patch(3)]);
        log.record(&[1], patch(4), Some(&load(2))); // saved: loaded again
        log.record(&[], patch(5), Some(&load(2)));
        assert_eq!(log.replay(), vec![patch(3), patch(4), patch(5)]);
    }

    #[test]
    fn compaction_keeps_what_replay_returns() {
        let mut log = PatchLog::default();
        for round in 0..200u8 {
            log.record(&[u32::from(round % 3)], patch(round), None);
        }
        assert_eq!(log.replay(), vec![patch(197), patch(198), patch(199)]);
        assert!(log.entries.len() < 100);
    }
}
