//! The compiler's symbol tables: namespaces, their vars (each with a slot in
//! the runtime's shared var table, given once and never reused), aliases and
//! refers. This is also what `completions`, `info` and `eldoc` answer from.

use std::collections::{BTreeMap, HashMap};

use super::core_lib;
use super::form::{Pos, Symbol};

/// A var's index in the runtime's shared `WebAssembly.Table`.
pub type Slot = u32;

/// What the compiler knows about one var.
#[derive(Clone, Debug)]
pub struct VarInfo {
    pub slot: Slot,
    pub ns: String,
    pub name: String,
    pub arglists: Option<String>,
    pub doc: Option<String>,
    /// Where it was last defined (None for the core library).
    pub defined_at: Option<Pos>,
    /// The file it was defined in, when the editor said.
    pub file: Option<String>,
    /// Defined with `defmacro`: calls of it are expanded by running it.
    pub is_macro: bool,
    /// Defined `^:private` (`defn-`): other namespaces cannot name it.
    pub is_private: bool,
    /// A core var's `:added` ("1.0"), as Clojure's metadata has it.
    pub added: Option<String>,
    /// A core var that is `:dynamic` in Clojure (`*out*`, `*print-length*`).
    pub is_dynamic: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Namespace {
    pub vars: BTreeMap<String, Slot>,
    /// `alias` -> namespace name, from `(:require [x :as alias])`.
    pub aliases: HashMap<String, String>,
    /// Unqualified name -> the var it refers to, from `:refer`.
    pub refers: HashMap<String, Slot>,
    /// `clojure.core` names this namespace does not see (`ns-unmap` of one,
    /// `(:refer-clojure :exclude [...])`): every other core var is referred.
    pub hidden_core: std::collections::HashSet<String>,
}

/// Every namespace and var, and the slot table.
#[derive(Clone)]
pub struct Namespaces {
    namespaces: HashMap<String, Namespace>,
    vars: Vec<VarInfo>,
    /// The classes deftype and defrecord made (`user.Point`), which symbols can name.
    user_classes: std::collections::HashSet<String>,
    /// Bumped by every change (every `&mut` access), so that a compile made
    /// on a copy can tell whether the original changed meanwhile.
    version: u64,
    /// `*assert*` as the compiler sees it: `assert` (and `:pre`/`:post`) check
    /// only while it is true, as Clojure's macro decides when it expands.
    /// `(set! *assert* false)` turns it off.
    pub assertions: bool,
}

/// The namespace whose vars every namespace sees without qualification.
pub const CORE_NS: &str = "clojure.core";
/// The namespace of the runtime helpers the macros expand to.
pub const RUNTIME_NS: &str = "jank.runtime";

impl Default for Namespaces {
    fn default() -> Self {
        Self::new()
    }
}

impl Namespaces {
    /// Whether `name` names a class: one the runtime has, or one a deftype made.
    pub fn is_class(&self, name: &str) -> bool {
        super::classes::KNOWN_CLASSES.binary_search(&name).is_ok()
            || self.user_classes.contains(name)
    }

    /// The full name of the class `name` means in namespace `ns`, as Clojure's
    /// imports have it: `java.lang.String` for `String`, `my.ns.Point` for a
    /// deftype of `my.ns`.
    pub fn class_full_name(&self, ns: &str, name: &str) -> Option<String> {
        let own = format!("{ns}.{name}");
        if self.user_classes.contains(&own) {
            return Some(own);
        }
        let java_lang = format!("java.lang.{name}");
        super::classes::KNOWN_CLASSES
            .binary_search(&java_lang.as_str())
            .is_ok()
            .then_some(java_lang)
    }

    /// The classes deftypes and defrecords made, by full name.
    pub fn user_classes(&self) -> impl Iterator<Item = &str> {
        self.user_classes.iter().map(String::as_str)
    }

    /// Records a class a deftype or defrecord makes.
    pub fn add_user_class(&mut self, name: &str) {
        self.version += 1;
        self.user_classes.insert(name.to_string());
    }

    /// The core library's namespaces and `user`.
    pub fn new() -> Namespaces {
        let mut namespaces = Namespaces {
            namespaces: HashMap::new(),
            vars: Vec::new(),
            user_classes: Default::default(),
            version: 0,
            assertions: true,
        };
        for entry in core_lib::CORE_VARS {
            let slot = namespaces.intern(entry.ns, entry.name);
            let var = &mut namespaces.vars[slot as usize];
            // Vars that hold plain values (`*print-length*`) have no arglists.
            var.arglists = Some(entry.arglists.to_string()).filter(|a| !a.is_empty());
            var.doc = Some(entry.doc.to_string()).filter(|d| !d.is_empty());
            var.added = Some(entry.added.to_string()).filter(|a| !a.is_empty());
            var.is_dynamic = entry.flags == "dynamic";
        }
        namespaces.intern_core_macros();
        namespaces.ensure(crate::DEFAULT_NS);
        namespaces
    }

    /// A `clojure.core` var for each macro the compiler expands (`when`,
    /// `defn`, ...), as Clojure has one: `(var when)`, `(meta #'when)` and
    /// `info` find it; calls of it still expand in the compiler.
    fn intern_core_macros(&mut self) {
        let compiler_macros = super::introspect::COMPILER_FORMS
            .iter()
            .filter(|(.., kind)| *kind == "macro")
            .map(|&(name, arglists, doc, _)| (name, arglists, doc));
        let table = super::macros::all().map(|m| (m.name, m.arglists, m.doc));
        for (name, arglists, doc) in table.chain(compiler_macros) {
            if self
                .get(CORE_NS)
                .is_some_and(|core| core.vars.contains_key(name))
            {
                continue;
            }
            // Clojure's own documentation of it, where the table has it.
            let clojure = core_lib::CORE_MACROS.iter().find(|m| m.name == name);
            let slot = self.intern(CORE_NS, name);
            let var = &mut self.vars[slot as usize];
            var.arglists = Some(clojure.map_or(arglists, |m| m.arglists).to_string());
            var.doc = Some(clojure.map_or(doc, |m| m.doc).to_string()).filter(|d| !d.is_empty());
            var.added = clojure
                .map(|m| m.added.to_string())
                .filter(|a| !a.is_empty());
            var.is_macro = true;
        }
    }

    pub fn exists(&self, ns: &str) -> bool {
        self.namespaces.contains_key(ns)
    }

    /// Creates `ns` if it does not exist yet.
    pub fn ensure(&mut self, ns: &str) -> &mut Namespace {
        self.version += 1;
        self.namespaces.entry(ns.to_string()).or_default()
    }

    /// Changes with every change to any namespace or var.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn get(&self, ns: &str) -> Option<&Namespace> {
        self.namespaces.get(ns)
    }

    /// The slot of `ns/name`, creating the var (unbound) if needed.
    pub fn intern(&mut self, ns: &str, name: &str) -> Slot {
        if let Some(&slot) = self.get(ns).and_then(|n| n.vars.get(name)) {
            return slot;
        }
        let slot = Slot::try_from(self.vars.len()).expect("fewer than 4 billion vars");
        self.vars.push(VarInfo {
            slot,
            ns: ns.to_string(),
            name: name.to_string(),
            arglists: None,
            doc: None,
            defined_at: None,
            file: None,
            is_macro: false,
            is_private: false,
            added: None,
            is_dynamic: false,
        });
        self.ensure(ns).vars.insert(name.to_string(), slot);
        slot
    }

    pub fn var(&self, slot: Slot) -> &VarInfo {
        &self.vars[slot as usize]
    }

    pub fn var_mut(&mut self, slot: Slot) -> &mut VarInfo {
        self.version += 1;
        &mut self.vars[slot as usize]
    }

    /// How many slots the var table needs.
    pub fn slot_count(&self) -> u32 {
        self.vars.len() as u32
    }

    /// The full namespace name an alias (or a full name) stands for in `current`;
    /// a java.lang class's simple name (`Math` in `Math/abs`) stands for the
    /// library namespace of its static members, as Clojure imports java.lang.
    pub fn resolve_ns_name(&self, current: &str, name: &str) -> Option<String> {
        if let Some(full) = self.get(current).and_then(|n| n.aliases.get(name)) {
            return Some(full.clone());
        }
        if self.exists(name) {
            return Some(name.to_string());
        }
        let class = format!("java.lang.{name}");
        (!name.contains('.') && self.exists(&class)).then_some(class)
    }

    /// A namespace of a class's static members (`java.lang.Math`), not code's.
    pub fn is_class_namespace(name: &str) -> bool {
        name.starts_with("java.lang.")
    }

    /// Every namespace's name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.namespaces.keys().map(String::as_str)
    }

    /// The unqualified names usable in `current`, each with its var: the
    /// namespace's own vars, its refers, then `clojure.core` (shadowed names
    /// are listed once, for what they resolve to).
    pub fn visible_vars<'a>(&'a self, current: &str) -> impl Iterator<Item = (&'a str, Slot)> + 'a {
        let own = self.get(current);
        let own_vars = own
            .into_iter()
            .flat_map(|n| n.vars.iter().chain(n.refers.iter()));
        let core = self
            .get(CORE_NS)
            .into_iter()
            .flat_map(|n| n.vars.iter())
            .filter(move |(name, _)| {
                !own.is_some_and(|n| {
                    n.vars.contains_key(*name)
                        || n.refers.contains_key(*name)
                        || n.hidden_core.contains(*name)
                })
            });
        own_vars
            .chain(core)
            .map(|(name, &slot)| (name.as_str(), slot))
    }

    /// The var a symbol names in namespace `current`, following Clojure's order:
    /// qualified names through aliases, then the namespace's own vars, its
    /// refers, and `clojure.core`.
    pub fn resolve_var(&self, current: &str, symbol: &Symbol) -> Option<Slot> {
        if let Some(ns) = &symbol.ns {
            let full = self.resolve_ns_name(current, ns)?;
            return self.get(&full)?.vars.get(&symbol.name).copied();
        }
        let namespace = self.get(current);
        namespace
            .and_then(|n| {
                n.vars
                    .get(&symbol.name)
                    .or_else(|| n.refers.get(&symbol.name))
            })
            .or_else(|| self.core_var_seen_from(namespace, &symbol.name))
            .copied()
    }

    /// The `clojure.core` var `name`, unless `namespace` hides it.
    fn core_var_seen_from(&self, namespace: Option<&Namespace>, name: &str) -> Option<&Slot> {
        if namespace.is_some_and(|n| n.hidden_core.contains(name)) {
            return None;
        }
        self.get(CORE_NS)?.vars.get(name)
    }

    /// Every public var `ns` refers to, by name: its `:refer`s and the
    /// `clojure.core` vars it does not hide (what `ns-refers` shows).
    pub fn refers_of(&self, ns: &str) -> Vec<(String, Slot)> {
        let Some(namespace) = self.get(ns) else {
            return Vec::new();
        };
        let mut refers: Vec<(String, Slot)> = namespace
            .refers
            .iter()
            .map(|(n, &s)| (n.clone(), s))
            .collect();
        if ns != CORE_NS
            && let Some(core) = self.get(CORE_NS)
        {
            for (name, &slot) in &core.vars {
                let shadowed = namespace.vars.contains_key(name)
                    || namespace.refers.contains_key(name)
                    || namespace.hidden_core.contains(name);
                if !shadowed && !self.var(slot).is_private {
                    refers.push((name.clone(), slot));
                }
            }
        }
        refers
    }

    /// `ns-unmap`: `name` no longer means anything unqualified in `ns` (its
    /// own var stays in the slot table, so compiled callers keep working, as
    /// Clojure's keep the unmapped Var object).
    pub fn unmap(&mut self, ns: &str, name: &str) {
        let core_has = self.get(CORE_NS).is_some_and(|c| c.vars.contains_key(name));
        let namespace = self.ensure(ns);
        namespace.vars.remove(name);
        namespace.refers.remove(name);
        if core_has && ns != CORE_NS {
            namespace.hidden_core.insert(name.to_string());
        }
    }

    /// `(:refer-clojure ...)` of a new namespace: it sees no core var until
    /// `refer_filtered` refers the ones kept.
    pub fn hide_core(&mut self, ns: &str) {
        let names: Vec<String> = self
            .get(CORE_NS)
            .map(|c| c.vars.keys().cloned().collect())
            .unwrap_or_default();
        self.ensure(ns).hidden_core.extend(names);
    }

    /// `refer`: `ns` sees `var` as `name`.
    pub fn refer(&mut self, ns: &str, name: &str, slot: Slot) {
        let namespace = self.ensure(ns);
        namespace.hidden_core.remove(name);
        namespace.refers.insert(name.to_string(), slot);
    }

    /// `(refer 'from :only [...] :exclude [...] :rename {...})` in `ns`, and
    /// the `ns` form's `(:refer-clojure ...)`: the public vars of `from` the
    /// filters keep, under their new names (what was referred stays).
    /// Clojure's message when a named var is missing or private.
    pub fn refer_filtered(
        &mut self,
        ns: &str,
        from: &str,
        filters: &ReferFilters,
    ) -> Result<(), String> {
        let Some(source) = self.get(from) else {
            return Err(format!("No namespace: {from}"));
        };
        let publics: BTreeMap<String, Slot> = source
            .vars
            .iter()
            .filter(|&(_, &slot)| !self.var(slot).is_private)
            .map(|(name, &slot)| (name.clone(), slot))
            .collect();
        if let Some(only) = &filters.only {
            for name in only {
                if !publics.contains_key(name) {
                    let why = if source.vars.contains_key(name) {
                        "is not public"
                    } else {
                        "does not exist"
                    };
                    return Err(format!("{name} {why}"));
                }
            }
        }
        let kept = |name: &str| {
            !filters.exclude.contains(name)
                && filters
                    .only
                    .as_ref()
                    .is_none_or(|only| only.iter().any(|o| o == name))
        };
        let from_core = from == CORE_NS;
        for (name, slot) in publics.into_iter().filter(|(name, _)| kept(name)) {
            let as_name = filters.rename.get(&name).unwrap_or(&name);
            if from_core && *as_name == name {
                self.ensure(ns).hidden_core.remove(&name);
            } else {
                self.refer(ns, as_name, slot);
            }
        }
        Ok(())
    }
}

/// `refer`'s filters: `:only`, `:exclude` and `:rename`, by name.
#[derive(Clone, Debug, Default)]
pub struct ReferFilters {
    pub only: Option<Vec<String>>,
    pub exclude: std::collections::HashSet<String>,
    pub rename: HashMap<String, String>,
}
