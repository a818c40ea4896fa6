//! The patch log: for every var, the patch that last defined it. A runtime
//! that connects (a new tab, a reloaded page, a restarted Node) gets these
//! patches replayed in their original order, so everything defined before is
//! there again. Patches whose definitions were all superseded are dropped.

use std::collections::HashMap;
use std::sync::Arc;

use crate::compiler::namespace::Slot;

#[derive(Default)]
pub struct PatchLog {
    entries: Vec<Entry>,
    /// For each var, the index in `entries` of the patch that defined it last.
    latest: HashMap<Slot, usize>,
}

struct Entry {
    wasm: Arc<Vec<u8>>,
    /// How many vars this patch is still the latest definition of.
    live: usize,
}

impl PatchLog {
    /// Records a patch that ran successfully and defined `defines`.
    pub fn record(&mut self, defines: &[Slot], wasm: Arc<Vec<u8>>) {
        if defines.is_empty() {
            return;
        }
        let index = self.entries.len();
        self.entries.push(Entry { wasm, live: 0 });
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
            .filter(|e| e.live > 0)
            .map(|e| e.wasm.clone())
            .collect()
    }

    /// Drops superseded patches once they are the majority, keeping the
    /// log's size proportional to the number of vars.
    fn compact_if_mostly_dead(&mut self) {
        let live = self.entries.iter().filter(|e| e.live > 0).count();
        if self.entries.len() < 64 || live * 2 > self.entries.len() {
            return;
        }
        let mut new_index = HashMap::new();
        let mut kept = Vec::with_capacity(live);
        for (old, entry) in std::mem::take(&mut self.entries).into_iter().enumerate() {
            if entry.live > 0 {
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
        log.record(&[1], patch(1)); // (defn g ...)
        log.record(&[2], patch(2)); // (defn h ...) calls g
        log.record(&[], patch(3)); // (h 1): defines nothing
        log.record(&[1], patch(4)); // g redefined
        assert_eq!(log.replay(), vec![patch(2), patch(4)]);
    }

    #[test]
    fn compaction_keeps_what_replay_returns() {
        let mut log = PatchLog::default();
        for round in 0..200u8 {
            log.record(&[u32::from(round % 3)], patch(round));
        }
        assert_eq!(log.replay(), vec![patch(197), patch(198), patch(199)]);
        assert!(log.entries.len() < 100);
    }
}
