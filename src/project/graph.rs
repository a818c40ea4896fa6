//! Which namespace requires which: recorded as requires are compiled, and
//! used on a save to find the namespaces to reload after the one that
//! changed, in an order where each comes after what it requires.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Default, Debug)]
pub struct Graph {
    /// Namespace -> the namespaces it requires.
    requires: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// `from` requires `target`.
    pub fn record(&mut self, from: &str, target: &str) {
        if from != target {
            self.requires
                .entry(from.to_string())
                .or_default()
                .insert(target.to_string());
        }
    }

    /// `ns` is being (re)loaded: what it requires is recorded again.
    pub fn forget_requires_of(&mut self, ns: &str) {
        self.requires.remove(ns);
    }

    /// `changed` and every namespace that requires one of them, directly or
    /// not, ordered so each comes after the ones it requires.
    pub fn reload_order(&self, changed: &BTreeSet<String>) -> Vec<String> {
        let mut affected = changed.clone();
        loop {
            let more: Vec<String> = self
                .requires
                .iter()
                .filter(|(ns, targets)| {
                    !affected.contains(*ns) && targets.iter().any(|t| affected.contains(t))
                })
                .map(|(ns, _)| ns.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            affected.extend(more);
        }
        let mut order = Vec::new();
        let mut placed = BTreeSet::new();
        while placed.len() < affected.len() {
            let ready: Vec<&String> = affected
                .iter()
                .filter(|ns| !placed.contains(*ns))
                .filter(|ns| {
                    self.requires.get(*ns).is_none_or(|targets| {
                        targets
                            .iter()
                            .all(|t| !affected.contains(t) || placed.contains(t))
                    })
                })
                .collect();
            // A cycle (only possible through namespaces made at the REPL):
            // take the rest in name order rather than loop forever.
            let ready = if ready.is_empty() {
                affected.iter().filter(|ns| !placed.contains(*ns)).collect()
            } else {
                ready
            };
            for ns in ready {
                order.push(ns.clone());
                placed.insert(ns.clone());
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dependents_reload_after_what_they_require() {
        let mut graph = Graph::default();
        graph.record("app.main", "app.view");
        graph.record("app.view", "app.util");
        graph.record("app.main", "app.util");
        graph.record("app.other", "lib.x");
        assert_eq!(
            graph.reload_order(&set(&["app.util"])),
            ["app.util", "app.view", "app.main"]
        );
        assert_eq!(graph.reload_order(&set(&["app.main"])), ["app.main"]);
        graph.forget_requires_of("app.view");
        assert_eq!(
            graph.reload_order(&set(&["app.util"])),
            ["app.util", "app.main"]
        );
    }

    #[test]
    fn a_cycle_still_gives_every_namespace_once() {
        let mut graph = Graph::default();
        graph.record("a", "b");
        graph.record("b", "a");
        assert_eq!(graph.reload_order(&set(&["a"])), ["a", "b"]);
    }
}
