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
}

#[derive(Clone, Debug, Default)]
pub struct Namespace {
    pub vars: BTreeMap<String, Slot>,
    /// `alias` -> namespace name, from `(:require [x :as alias])`.
    pub aliases: HashMap<String, String>,
    /// Unqualified name -> the var it refers to, from `:refer`.
    pub refers: HashMap<String, Slot>,
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
        };
        for entry in core_lib::CORE_VARS {
            let slot = namespaces.intern(entry.ns, entry.name);
            let var = &mut namespaces.vars[slot as usize];
            // Vars that hold plain values (`*print-length*`) have no arglists.
            var.arglists = Some(entry.arglists.to_string()).filter(|a| !a.is_empty());
            var.doc = Some(entry.doc.to_string()).filter(|d| !d.is_empty());
        }
        namespaces.ensure(crate::DEFAULT_NS);
        namespaces
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

    /// The full namespace name an alias (or a full name) stands for in `current`.
    pub fn resolve_ns_name(&self, current: &str, name: &str) -> Option<String> {
        if let Some(full) = self.get(current).and_then(|n| n.aliases.get(name)) {
            return Some(full.clone());
        }
        self.exists(name).then(|| name.to_string())
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
                !own.is_some_and(|n| n.vars.contains_key(*name) || n.refers.contains_key(*name))
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
            .or_else(|| self.get(CORE_NS)?.vars.get(&symbol.name))
            .copied()
    }
}
