//! A patch's footprint: what running it changes and what it reads, which is
//! what the patch log (src/bridge/patch_log.rs) needs to bring a runtime that
//! connects later to the same state by replaying as few patches as it can, in
//! an order that works.

use std::collections::BTreeMap;

use super::namespace::Slot;

/// Something a patch can define and later patches can depend on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// A var's root value.
    Var(Slot),
    /// A class made by `deftype` or `defrecord`, by its qualified name
    /// (`user.Point`), as code that names it that way reads it.
    Class(String),
    /// A change to shared state that a later change of the same key replaces:
    /// `extend-type T P` (key `extend T P`), `defmethod area :circle`, `derive`.
    Effect(String),
}

/// What one patch does, for the patch log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// What it gives a new value; the patch that last defined a resource is
    /// the one replay runs for it.
    pub defines: Vec<Resource>,
    /// What it reads while it runs (at its top level): replay runs the patch
    /// that had defined each at the time before it, so `(def b (inc a))`
    /// gets the `a` it got then.
    pub reads_now: Vec<Resource>,
    /// What the fns it makes read when they are called: replay runs the
    /// latest definition of each before it, in case it calls them (a `for`
    /// in a `def`), but an older one is not kept for it.
    pub reads_later: Vec<Resource>,
}

impl Footprint {
    /// A footprint that replay never drops: it defines `effect`, which no
    /// other patch defines again. The jank toolchain's patches have these:
    /// their loader runs every form of the eval, and what those read and
    /// change only jank knows, so replay runs every one, in order.
    pub fn always_replayed(effect: String) -> Footprint {
        Footprint {
            defines: vec![Resource::Effect(effect)],
            ..Footprint::default()
        }
    }
}

/// Collects a footprint while a patch is analyzed and emitted.
#[derive(Clone, Debug, Default)]
pub struct FootprintBuilder {
    defines: BTreeMap<Resource, ()>,
    /// Each resource read, and whether it is read at the top level.
    reads: BTreeMap<Resource, bool>,
}

impl FootprintBuilder {
    pub fn define(&mut self, resource: Resource) {
        self.defines.insert(resource, ());
    }

    /// Notes a read, at the patch's top level (`now`) or in a fn it makes.
    pub fn read(&mut self, resource: Resource, now: bool) {
        *self.reads.entry(resource).or_insert(false) |= now;
    }

    pub fn finish(self) -> Footprint {
        let (now, later): (Vec<_>, Vec<_>) = self.reads.into_iter().partition(|(_, now)| *now);
        Footprint {
            defines: self.defines.into_keys().collect(),
            reads_now: now.into_iter().map(|(r, _)| r).collect(),
            reads_later: later.into_iter().map(|(r, _)| r).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::Compiler;
    use crate::compiler::tests::compile_all;

    /// Each form's footprint as `defines | reads now | reads later`, vars by
    /// name, leaving out `clojure.core` and the runtime's helpers.
    fn footprints(code: &str) -> Vec<String> {
        let mut compiler = Compiler::new();
        let patches = compile_all(&mut compiler, code).expect("compiles");
        let name = |resource: &Resource| match resource {
            Resource::Var(slot) => {
                let var = compiler.namespaces.var(*slot);
                (var.ns == "user").then(|| var.name.clone())
            }
            Resource::Class(name) => Some(format!("class {name}")),
            Resource::Effect(key) => Some(format!("effect {key}")),
        };
        let names = |resources: &[Resource]| {
            let mut names: Vec<String> = resources.iter().filter_map(name).collect();
            names.sort();
            names.join(", ")
        };
        patches
            .iter()
            .map(|patch| {
                let f = &patch.footprint;
                let parts = [&f.defines, &f.reads_now, &f.reads_later].map(|r| names(r));
                parts.join(" | ")
            })
            .collect()
    }

    #[test]
    fn definitions_and_what_they_read_now_and_later() {
        let code = "(def a 1) (def b (inc a)) (defn f [x] (f (g x))) (defonce s (atom a)) (f 1)";
        assert_eq!(
            footprints(&format!("(declare g) {code}")),
            [
                // No value: nothing a later patch could need (the var, yielded, is read).
                " | g | ",
                "a |  | ",
                "b | a | ",
                // Its own name in its body: the patch log sees it needs nothing.
                "f |  | f, g",
                "s | a, s | ",
                " | f | ",
            ]
        );
    }

    #[test]
    fn types_methods_and_hierarchies() {
        let code = "(defprotocol P (m [x])) (defrecord R [a]) (extend-type String P (m [s] s)) \
                    (extend-protocol P user.R (m [r] r) nil (m [_] 0)) \
                    (defmulti area :shape) (defmethod area :circle [c] 1) (defmulti area :shape) \
                    (derive ::circle ::shape) (prefer-method area ::circle ::shape) \
                    (defn later [] (derive ::a ::b))";
        let prints = footprints(code);
        let has = |index: usize, part: &str| {
            assert!(
                prints[index].contains(part),
                "{part:?} not in {:?}",
                prints[index]
            )
        };
        has(0, "P, m");
        has(1, "class user.R");
        has(2, "effect extend String P | P");
        has(3, "effect extend nil P, effect extend user.R P");
        has(3, "class user.R");
        has(5, "effect method area :circle | area");
        // defmulti again reads the var: the first one stays in the log.
        has(6, "area | area");
        has(7, "effect isa :user/circle :user/shape");
        has(8, "effect prefer area :user/circle :user/shape");
        assert!(!prints[9].contains("effect"), "{}", prints[9]);
    }
}
