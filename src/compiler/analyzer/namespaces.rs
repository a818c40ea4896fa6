//! Namespaces at compile time: `ns`, `in-ns`, `require`/`use` (loading a
//! namespace through the `CompileHost` when it is not loaded), `load`,
//! `requiring-resolve`.

use crate::compiler::ast::Node;
use crate::compiler::form::{Form, FormKind, Symbol};
use crate::compiler::namespace::{CORE_NS, ReferFilters};
use crate::compiler::{Reload, Require, RequireTarget, constant};

use super::{Analyzer, Result, error, is_keyword, quoted_symbol};

impl Analyzer<'_> {
    /// `(ns name (:require [a.b :as b :refer [f]]) (:use c.d) ...)`: switches
    /// namespace at compile time, loads what it requires (through the host)
    /// and records aliases and refers.
    pub(super) fn analyze_ns(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let Some(Form {
            kind: FormKind::Symbol(Symbol { ns: None, name }),
            ..
        }) = args.first()
        else {
            return Err(error(form, "ns requires a namespace name symbol"));
        };
        self.namespaces.ensure(name);
        self.ns = name.clone();
        for clause in &args[1..] {
            let FormKind::List(items) = &clause.kind else {
                continue;
            };
            let Some((head, specs)) = items.split_first() else {
                continue;
            };
            if is_keyword(head, "refer-clojure") {
                self.refer_clojure(clause, specs)?;
                continue;
            }
            // ClojureScript's `:require-macros`: macros are vars here, so it is a `:require`.
            let refer_all = match &head.kind {
                FormKind::Keyword(k) if k.name == "require" || k.name == "require-macros" => false,
                FormKind::Keyword(k) if k.name == "use" => true,
                _ => continue,
            };
            self.require_all(specs.iter(), refer_all)?;
        }
        Ok(Node::Nil)
    }

    /// The `ns` form's `(:refer-clojure :exclude [...] :only [...] :rename
    /// {...})`: the namespace sees only the core vars the filters keep.
    fn refer_clojure(&mut self, clause: &Form, filters: &[Form]) -> Result<()> {
        let filters = refer_filters(filters).map_err(|message| error(clause, message))?;
        let ns = self.ns.clone();
        self.namespaces.hide_core(&ns);
        self.namespaces
            .refer_filtered(&ns, CORE_NS, &filters)
            .map_err(|message| error(clause, message))
    }

    /// The specs and flags (`:reload`, `:reload-all`, `:verbose`) of one
    /// `require` or `use`; `use` refers every var of what it loads.
    fn require_all<'f>(
        &mut self,
        args: impl Iterator<Item = &'f Form> + Clone,
        refer_all: bool,
    ) -> Result<()> {
        let mut reload = Reload::No;
        for arg in args.clone() {
            match &arg.kind {
                FormKind::Keyword(k) if k.name == "reload" && reload == Reload::No => {
                    reload = Reload::Named
                }
                FormKind::Keyword(k) if k.name == "reload-all" => reload = Reload::All,
                _ => {}
            }
        }
        for spec in args.filter(|a| !matches!(a.kind, FormKind::Keyword(_))) {
            self.require_spec(spec, reload, refer_all)?;
        }
        Ok(())
    }

    /// One spec: `a.b`, `[a.b :as x :refer [f g]]`, or a prefix list
    /// `(a b [c :as x])` (`a.b` and `a.c`).
    fn require_spec(&mut self, spec: &Form, reload: Reload, refer_all: bool) -> Result<()> {
        let items: &[Form] = match &spec.kind {
            FormKind::Vector(items) | FormKind::List(items) => items,
            FormKind::Symbol(_) => std::slice::from_ref(spec),
            _ => return Err(error(spec, "Unsupported :require spec")),
        };
        let is_libspec = matches!(spec.kind, FormKind::Symbol(_))
            || (matches!(spec.kind, FormKind::Vector(_))
                && items
                    .get(1)
                    .is_none_or(|second| matches!(second.kind, FormKind::Keyword(_))));
        if !is_libspec {
            let Some(Symbol {
                ns: None,
                name: prefix,
            }) = items.first().and_then(Form::as_symbol)
            else {
                return Err(error(spec, "Unsupported :require spec"));
            };
            for lib in &items[1..] {
                let prefixed = prefixed_libspec(prefix, lib)
                    .ok_or_else(|| error(spec, "Unsupported :require spec"))?;
                self.require_spec(&prefixed, reload, refer_all)?;
            }
            return Ok(());
        }
        let Some(Symbol {
            ns: None,
            name: target,
        }) = items.first().and_then(Form::as_symbol).cloned()
        else {
            return Err(error(spec, "Unsupported :require spec"));
        };
        let options = &items[1..];
        let only_alias = options
            .chunks(2)
            .all(|pair| is_keyword(&pair[0], "as-alias"));
        if options.is_empty() || !only_alias {
            self.load(RequireTarget::Namespace(target.clone()), reload)?;
            if !self.namespaces.exists(&target) {
                return Err(error(
                    spec,
                    format!(
                        "Could not locate {target} (namespaces must be evaluated before they are required)"
                    ),
                ));
            }
        }
        if refer_all {
            self.refer_every_var(&target);
        }
        let mut options = options.chunks(2);
        while let Some([key, value]) = options.next() {
            match (&key.kind, &value.kind) {
                (FormKind::Keyword(k), FormKind::Symbol(alias))
                    if k.name == "as" || k.name == "as-alias" =>
                {
                    let alias = alias.name.clone();
                    self.namespaces
                        .ensure(&self.ns.clone())
                        .aliases
                        .insert(alias, target.clone());
                }
                (FormKind::Keyword(k), FormKind::Keyword(all))
                    if k.name == "refer" && all.name == "all" =>
                {
                    self.refer_every_var(&target);
                }
                (FormKind::Keyword(k), FormKind::Vector(_))
                    if matches!(k.name.as_str(), "refer" | "only" | "refer-macros") =>
                {
                    let only = ReferFilters {
                        only: Some(filter_names(value).map_err(|message| error(value, message))?),
                        ..ReferFilters::default()
                    };
                    let ns = self.ns.clone();
                    self.namespaces
                        .refer_filtered(&ns, &target, &only)
                        .map_err(|message| error(value, message))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Has the host load `target` for the current namespace, if it is not
    /// loaded yet (or `reload` says to).
    pub(super) fn load(&mut self, target: RequireTarget, reload: Reload) -> Result<()> {
        let require = Require {
            from: self.ns.clone(),
            target,
            reload,
            pos: self.list_pos,
        };
        self.host.require(self.namespaces, &require)
    }

    /// `use` and `:refer :all`: every public var of `target`, as it is now.
    fn refer_every_var(&mut self, target: &str) {
        let ns = self.ns.clone();
        // `target` was loaded just before, so it exists; with no filters nothing is refused.
        let _ = self
            .namespaces
            .refer_filtered(&ns, target, &ReferFilters::default());
    }

    /// `(in-ns 'name)`: switches (and creates) the namespace at compile time.
    pub(super) fn analyze_in_ns(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let name = match args {
            [
                Form {
                    kind: FormKind::List(items),
                    ..
                },
            ] if items.len() == 2 && items[0].is_symbol_named("quote") => items[1]
                .as_symbol()
                .filter(|s| s.ns.is_none())
                .map(|s| s.name.clone()),
            _ => None,
        };
        let name = name.ok_or_else(|| {
            error(
                form,
                "in-ns takes a quoted namespace symbol, e.g. (in-ns 'user)",
            )
        })?;
        self.namespaces.ensure(&name);
        self.ns = name.clone();
        Ok(Node::Const(constant::namespace(&name)))
    }

    /// `(require 'a.b '[c.d :as d :refer [f]] :reload)` with quoted specs is
    /// done at compile time, like the `ns` form's `:require` (so aliases work
    /// in the next forms). Anything else is left to the runtime's `require`.
    pub(super) fn analyze_require(
        &mut self,
        args: &[Form],
        refer_all: bool,
    ) -> Result<Option<Node>> {
        if self.defines_in_current_ns("require") || self.defines_in_current_ns("use") {
            return Ok(None);
        }
        let mut specs = Vec::new();
        for arg in args {
            match &arg.kind {
                FormKind::List(items) if items.len() == 2 && items[0].is_symbol_named("quote") => {
                    specs.push(&items[1])
                }
                FormKind::Keyword(_) => specs.push(arg),
                _ => return Ok(None),
            }
        }
        self.require_all(specs.into_iter(), refer_all)?;
        Ok(Some(Node::Nil))
    }

    /// `(load "my/util")` and `(load-file "src/my/util.clj")` of string
    /// literals load through the host at compile time, with the loaded
    /// file's `ns` in effect only while it loads.
    pub(super) fn analyze_load(&mut self, args: &[Form], file: bool) -> Result<Option<Node>> {
        let name = if file { "load-file" } else { "load" };
        if self.defines_in_current_ns(name) {
            return Ok(None);
        }
        let mut paths = Vec::new();
        for arg in args {
            let FormKind::Str(path) = &arg.kind else {
                return Ok(None);
            };
            paths.push(path.clone());
        }
        if file && paths.len() != 1 {
            return Ok(None);
        }
        for path in paths {
            let target = match file {
                true => RequireTarget::File(path),
                false => RequireTarget::Resource(path),
            };
            self.load(target, Reload::Named)?;
        }
        Ok(Some(Node::Nil))
    }

    /// `(requiring-resolve 'ns/name)`: loads `ns` if needed, then answers like
    /// `resolve`. Anything else is left to the runtime.
    pub(super) fn analyze_requiring_resolve(&mut self, args: &[Form]) -> Result<Option<Node>> {
        if self.defines_in_current_ns("requiring-resolve") {
            return Ok(None);
        }
        let Some(symbol) = quoted_symbol(args).cloned() else {
            return Ok(None);
        };
        let Some(ns) = symbol.ns.clone() else {
            return Err(error(
                &args[0],
                format!("Not a qualified symbol: {}", symbol.name),
            ));
        };
        if self.namespaces.resolve_var(&self.ns, &symbol).is_none() {
            let full = self.namespaces.resolve_ns_name(&self.ns, &ns).unwrap_or(ns);
            self.load(RequireTarget::Namespace(full), Reload::No)?;
        }
        Ok(Some(match self.namespaces.resolve_var(&self.ns, &symbol) {
            Some(slot) => Node::TheVar(slot),
            None => Node::Nil,
        }))
    }
}

/// `lib` of a prefix list, with `prefix.` before its name: `b` or `[b :as x]`.
fn prefixed_libspec(prefix: &str, lib: &Form) -> Option<Form> {
    let prefixed = |symbol: &Form| {
        let name = &symbol.as_symbol().filter(|s| s.ns.is_none())?.name;
        Some(Form::new(
            FormKind::Symbol(Symbol::simple(format!("{prefix}.{name}"))),
            symbol.pos,
        ))
    };
    match &lib.kind {
        FormKind::Symbol(_) => prefixed(lib),
        FormKind::Vector(items) if !items.is_empty() => {
            let mut items = items.clone();
            items[0] = prefixed(&items[0])?;
            Some(Form::new(FormKind::Vector(items), lib.pos))
        }
        _ => None,
    }
}

/// `refer`'s filters written as forms: `:exclude [a b] :only [c] :rename {d e}`.
fn refer_filters(forms: &[Form]) -> std::result::Result<ReferFilters, String> {
    let mut filters = ReferFilters::default();
    for pair in forms.chunks(2) {
        let [key, value] = pair else {
            return Err(
                "refer filters come in pairs: :exclude [...], :only [...], :rename {...}".into(),
            );
        };
        match &key.kind {
            FormKind::Keyword(k) if k.name == "exclude" => {
                filters.exclude.extend(filter_names(value)?)
            }
            FormKind::Keyword(k) if k.name == "only" => filters.only = Some(filter_names(value)?),
            FormKind::Keyword(k) if k.name == "rename" => {
                let FormKind::Map(entries) = &value.kind else {
                    return Err(format!(":rename takes a map of symbols, not {value}"));
                };
                for (from, to) in entries {
                    let (Some(from), Some(to)) = (from.as_symbol(), to.as_symbol()) else {
                        return Err(":rename takes a map of symbols".into());
                    };
                    filters.rename.insert(from.name.clone(), to.name.clone());
                }
            }
            _ => return Err(format!("Unknown refer filter: {key}")),
        }
    }
    Ok(filters)
}

/// The symbols of a refer filter's vector, by name.
fn filter_names(form: &Form) -> std::result::Result<Vec<String>, String> {
    let (FormKind::Vector(items) | FormKind::List(items)) = &form.kind else {
        return Err(format!(
            "refer filters take a vector of symbols, not {form}"
        ));
    };
    items
        .iter()
        .map(|item| match item.as_symbol() {
            Some(symbol) => Ok(symbol.name.clone()),
            None => Err(format!("refer filters take symbols, not {item}")),
        })
        .collect()
}
