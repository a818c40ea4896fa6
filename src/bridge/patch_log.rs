//! The patch log: the patches whose replay brings a runtime that connects (a
//! new tab, a reloaded page, a restarted Node) to the state the others are in.
//!
//! It keeps, from each patch's footprint (src/compiler/footprint.rs): the
//! patch that last defined each var, class or effect (`extend-type`,
//! `defmethod`, `derive`: the latest call for the same type and protocol,
//! method or pair); every patch of the latest load of each namespace loaded
//! from a file (its top-level side effects too: the app a page shows starts
//! again); and, for each patch kept, the patches that had defined what it read
//! as it ran (`(def b (inc a))` keeps the `a` it read, `(defmethod area ...)`
//! the `defmulti` it added to, a `defonce` run again the first). Patches that
//! define nothing and load nothing (`(render)` typed at the REPL) are not kept.
//!
//! Replay runs them in their original order, except that a patch runs after
//! the latest definition of each var its fns read, should it call them at its
//! top level (a `for` in a `def` calling a fn redefined since). Each patch has
//! a sequence number, so a replay can ask for what was recorded since it began.

use std::collections::HashMap;
use std::sync::Arc;

use crate::compiler::footprint::{Footprint, Resource};

#[derive(Default)]
pub struct PatchLog {
    entries: Vec<Entry>,
    /// For each resource, the index in `entries` of the patch that defined it last.
    latest: HashMap<Resource, usize>,
    /// For each file loaded, the id of its latest load.
    latest_load: HashMap<String, u64>,
    /// How many patches were ever recorded (the next one's sequence number).
    recorded: u64,
}

struct Entry {
    /// 1 for the first patch recorded, 2 for the next...
    seq: u64,
    wasm: Arc<Vec<u8>>,
    /// How many resources this patch is still the latest definition of.
    live: usize,
    /// The load of a namespace this patch is part of.
    load: Option<LoadPart>,
    /// Earlier entries that must run before this one: what had defined, when
    /// it ran, what it read at its top level.
    needs: Vec<usize>,
    /// What the fns it made read: the latest definition of each runs first.
    reads_later: Vec<Resource>,
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
    /// Records a patch that ran successfully, with its footprint, as part of
    /// loading a namespace's file if `load` says so.
    pub fn record(&mut self, footprint: &Footprint, wasm: Arc<Vec<u8>>, load: Option<&LoadPart>) {
        if let Some(part) = load {
            self.latest_load.insert(part.file.clone(), part.load);
        } else if footprint.defines.is_empty() {
            return;
        }
        let mut needs: Vec<usize> = footprint
            .reads_now
            .iter()
            .filter_map(|read| self.latest.get(read).copied())
            .collect();
        needs.sort_unstable();
        needs.dedup();
        let index = self.entries.len();
        self.recorded += 1;
        self.entries.push(Entry {
            seq: self.recorded,
            wasm,
            live: 0,
            load: load.cloned(),
            needs,
            reads_later: footprint.reads_later.clone(),
        });
        for resource in &footprint.defines {
            if let Some(previous) = self.latest.insert(resource.clone(), index) {
                self.entries[previous].live -= 1;
            }
            self.entries[index].live += 1;
        }
        self.compact_if_mostly_dead();
    }

    /// The patches to replay, in an order that works (see the module doc).
    pub fn replay(&self) -> Vec<Arc<Vec<u8>>> {
        self.replay_after(0).0
    }

    /// The patches to replay that were recorded after sequence number `seen`,
    /// in replay order, and the sequence number to ask after next time.
    pub fn replay_after(&self, seen: u64) -> (Vec<Arc<Vec<u8>>>, u64) {
        let patches = self
            .replay_order()
            .into_iter()
            .map(|index| &self.entries[index])
            .filter(|entry| entry.seq > seen)
            .map(|entry| entry.wasm.clone())
            .collect();
        (patches, self.recorded)
    }

    /// Indices of the kept entries: in order, each after what it needs and after
    /// the latest definition of what its fns read. Entries that depend on each
    /// other that way (two fns calling each other) keep their original order.
    fn replay_order(&self) -> Vec<usize> {
        let kept = self.kept();
        let mut components = Components::new(self.entries.len());
        for root in (0..self.entries.len()).filter(|&i| kept[i]) {
            if components.number[root].is_some() {
                continue;
            }
            // Depth first without recursion: chains of needs can be as long as the log.
            let mut visiting = vec![components.enter(root, self.before(root, &kept))];
            while let Some((index, pending)) = visiting.last_mut() {
                let index = *index;
                match pending.pop() {
                    Some(next) => match components.number[next] {
                        None => visiting.push(components.enter(next, self.before(next, &kept))),
                        Some(number) if components.on_stack[next] => {
                            components.low[index] = components.low[index].min(number);
                        }
                        Some(_) => {}
                    },
                    None => {
                        visiting.pop();
                        if let Some((parent, _)) = visiting.last() {
                            components.low[*parent] =
                                components.low[*parent].min(components.low[index]);
                        }
                        components.leave(index);
                    }
                }
            }
        }
        components.order
    }

    /// What must run before entry `index`, last first.
    fn before(&self, index: usize, kept: &[bool]) -> Vec<usize> {
        let entry = &self.entries[index];
        let latest = entry
            .reads_later
            .iter()
            .filter_map(|read| self.latest.get(read).copied())
            .filter(|&other| other != index && kept[other]);
        let mut before: Vec<usize> = entry.needs.iter().copied().chain(latest).collect();
        before.sort_unstable_by(|a, b| b.cmp(a));
        before.dedup();
        before
    }

    /// Which entries replay runs: the latest definitions, the latest loads, and
    /// what those need, transitively (needs point to earlier entries, so one
    /// pass from the end finds them all).
    fn kept(&self) -> Vec<bool> {
        let mut kept: Vec<bool> = self.entries.iter().map(|e| self.is_root(e)).collect();
        for index in (0..self.entries.len()).rev() {
            if kept[index] {
                for &needed in &self.entries[index].needs {
                    kept[needed] = true;
                }
            }
        }
        kept
    }

    fn is_root(&self, entry: &Entry) -> bool {
        entry.live > 0
            || entry
                .load
                .as_ref()
                .is_some_and(|part| self.latest_load.get(&part.file) == Some(&part.load))
    }

    /// Drops entries replay no longer runs once they are the majority, keeping
    /// the log's size proportional to what it reproduces.
    fn compact_if_mostly_dead(&mut self) {
        if self.entries.len() < 64 {
            return;
        }
        let kept = self.kept();
        let live = kept.iter().filter(|&&k| k).count();
        if live * 2 > self.entries.len() {
            return;
        }
        let mut new_index = HashMap::new();
        let mut entries = Vec::with_capacity(live);
        for (old, entry) in std::mem::take(&mut self.entries).into_iter().enumerate() {
            if kept[old] {
                new_index.insert(old, entries.len());
                entries.push(entry);
            }
        }
        // What is kept only points to what is kept.
        for entry in &mut entries {
            for needed in &mut entry.needs {
                *needed = new_index[needed];
            }
        }
        for index in self.latest.values_mut() {
            *index = new_index[index];
        }
        self.entries = entries;
    }
}

/// Tarjan's strongly connected components of the replay graph, which come
/// out dependencies first.
struct Components {
    /// The order each entry was entered in, once it is.
    number: Vec<Option<usize>>,
    /// The lowest number reachable from each entry through entries on the stack.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    entered: usize,
    /// The entries, each component in original order.
    order: Vec<usize>,
}

impl Components {
    fn new(count: usize) -> Components {
        Components {
            number: vec![None; count],
            low: vec![0; count],
            on_stack: vec![false; count],
            stack: Vec::new(),
            entered: 0,
            order: Vec::new(),
        }
    }

    /// Enters `index`, which must run after `before`; what to visit from it.
    fn enter(&mut self, index: usize, before: Vec<usize>) -> (usize, Vec<usize>) {
        self.number[index] = Some(self.entered);
        self.low[index] = self.entered;
        self.entered += 1;
        self.on_stack[index] = true;
        self.stack.push(index);
        (index, before)
    }

    /// Leaves `index`, everything after it visited: if it is the first of its
    /// component entered, the component is complete.
    fn leave(&mut self, index: usize) {
        if Some(self.low[index]) != self.number[index] {
            return;
        }
        let mut component = Vec::new();
        while let Some(member) = self.stack.pop() {
            self.on_stack[member] = false;
            component.push(member);
            if member == index {
                break;
            }
        }
        component.sort_unstable();
        self.order.extend(component);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::namespace::Slot;

    fn patch(tag: u8) -> Arc<Vec<u8>> {
        Arc::new(vec![tag])
    }

    fn vars(slots: &[Slot]) -> Vec<Resource> {
        slots.iter().map(|&slot| Resource::Var(slot)).collect()
    }

    /// A footprint: what it defines, reads as it runs, and its fns read.
    fn fp(defines: &[Slot], now: &[Slot], later: &[Slot]) -> Footprint {
        Footprint {
            defines: vars(defines),
            reads_now: vars(now),
            reads_later: vars(later),
        }
    }

    fn effect(key: &str, now: &[Slot]) -> Footprint {
        Footprint {
            defines: vec![Resource::Effect(key.into())],
            reads_now: vars(now),
            reads_later: Vec::new(),
        }
    }

    #[test]
    fn always_replayed_patches_all_run_in_order_past_compaction() {
        let mut log = PatchLog::default();
        let patches: Vec<Arc<Vec<u8>>> = (0..100u8).map(patch).collect();
        for (n, wasm) in patches.iter().enumerate() {
            log.record(
                &Footprint::always_replayed(format!("jank toolchain patch {n}")),
                wasm.clone(),
                None,
            );
        }
        assert_eq!(log.replay(), patches);
    }

    #[test]
    fn keeps_the_latest_definition_of_each_var_in_order() {
        let mut log = PatchLog::default();
        log.record(&fp(&[1], &[], &[]), patch(1), None); // (defn g ...)
        log.record(&fp(&[2], &[], &[1]), patch(2), None); // (defn h ...) calls g
        log.record(&fp(&[], &[2], &[]), patch(3), None); // (h 1): defines nothing
        log.record(&fp(&[1], &[], &[]), patch(4), None); // g redefined
        // h's fn reads g: the latest g runs first, in case h's patch called it.
        assert_eq!(log.replay(), vec![patch(4), patch(2)]);
    }

    #[test]
    fn a_value_computed_at_the_top_level_keeps_what_it_was_computed_from() {
        let mut log = PatchLog::default();
        log.record(&fp(&[1], &[], &[]), patch(1), None); // (def a 1)
        log.record(&fp(&[2], &[1], &[]), patch(2), None); // (def b (inc a))
        log.record(&fp(&[1], &[], &[]), patch(3), None); // (def a 5)
        assert_eq!(log.replay(), vec![patch(1), patch(2), patch(3)]);
        log.record(&fp(&[2], &[], &[]), patch(4), None); // (def b 0): a's first is not needed
        assert_eq!(log.replay(), vec![patch(3), patch(4)]);
    }

    #[test]
    fn methods_keep_their_multimethod_and_the_latest_of_each_effect_replays() {
        let mut log = PatchLog::default();
        log.record(&fp(&[1], &[], &[]), patch(1), None); // (defmulti area :shape)
        log.record(&effect("method area :circle", &[1]), patch(2), None);
        log.record(&effect("method area :square", &[1]), patch(3), None);
        // (defmulti area ...) again: reads #'area (bound, so it does nothing).
        log.record(&fp(&[1], &[1], &[]), patch(4), None);
        log.record(&effect("method area :circle", &[1]), patch(5), None);
        assert_eq!(
            log.replay(),
            vec![patch(1), patch(3), patch(4), patch(5)],
            "the first defmulti made the multimethod the methods were added to"
        );
    }

    #[test]
    fn an_extension_of_a_type_redefined_since_is_replaced_with_it() {
        let class = || Resource::Class("user.T".into());
        let deftype = Footprint {
            defines: vec![class(), Resource::Var(1)],
            ..Footprint::default()
        };
        let extend = Footprint {
            defines: vec![Resource::Effect("extend user.T P".into())],
            reads_now: vec![class(), Resource::Var(2)],
            reads_later: Vec::new(),
        };
        let mut log = PatchLog::default();
        log.record(&fp(&[2], &[], &[]), patch(1), None); // (defprotocol P ...)
        log.record(&deftype, patch(2), None);
        log.record(&extend, patch(3), None);
        log.record(&deftype, patch(4), None); // a new class: the extension was of the old
        assert_eq!(log.replay(), vec![patch(1), patch(2), patch(3), patch(4)]);
        log.record(&extend, patch(5), None);
        assert_eq!(log.replay(), vec![patch(1), patch(4), patch(5)]);
    }

    #[test]
    fn fns_calling_each_other_keep_their_order_and_no_old_versions() {
        let mut log = PatchLog::default();
        for round in 0..10 {
            log.record(&fp(&[1], &[], &[2]), patch(2 * round), None); // (defn f [] (g))
            log.record(&fp(&[2], &[], &[1]), patch(2 * round + 1), None); // (defn g [] (f))
        }
        assert_eq!(log.replay(), vec![patch(18), patch(19)]);
    }

    #[test]
    fn keeps_every_patch_of_the_latest_load_of_a_namespace() {
        let mut log = PatchLog::default();
        let load = |n| LoadPart {
            file: "/my/app".into(),
            load: n,
        };
        log.record(&fp(&[1], &[], &[]), patch(1), Some(&load(1))); // (defn render ...)
        log.record(&fp(&[], &[1], &[]), patch(2), Some(&load(1))); // (render): a side effect
        log.record(&fp(&[3], &[], &[]), patch(3), None); // (def x ...) at the REPL
        assert_eq!(log.replay(), vec![patch(1), patch(2), patch(3)]);
        log.record(&fp(&[1], &[], &[]), patch(4), Some(&load(2))); // saved: loaded again
        log.record(&fp(&[], &[1], &[]), patch(5), Some(&load(2)));
        assert_eq!(log.replay(), vec![patch(3), patch(4), patch(5)]);
    }

    #[test]
    fn replay_after_gives_only_what_came_later() {
        let mut log = PatchLog::default();
        log.record(&fp(&[1], &[], &[]), patch(1), None);
        let (first, seen) = log.replay_after(0);
        assert_eq!(first, vec![patch(1)]);
        log.record(&fp(&[2], &[], &[]), patch(2), None);
        log.record(&fp(&[1], &[], &[]), patch(3), None);
        assert_eq!(log.replay_after(seen), (vec![patch(2), patch(3)], 3));
        assert_eq!(log.replay_after(3).0, Vec::<Arc<Vec<u8>>>::new());
    }

    #[test]
    fn compaction_keeps_what_replay_returns() {
        let mut log = PatchLog::default();
        for round in 0..200u8 {
            let slot = u32::from(round % 3);
            log.record(&fp(&[slot], &[], &[]), patch(round), None);
            // (defmethod m :k ...) on var 9, again and again.
            log.record(&effect("method m :k", &[9]), patch(255), None);
        }
        log.record(&fp(&[9], &[], &[]), patch(250), None);
        assert_eq!(
            log.replay(),
            vec![patch(197), patch(198), patch(199), patch(255), patch(250)]
        );
        assert!(log.entries.len() < 100);
    }
}
