//! Answers editors' questions from what the compiler knows, with no round trip
//! to a runtime: completion candidates, a symbol's documentation and arglists,
//! and macro expansion.

use super::CompileError;
use super::form::{Form, FormKind, Symbol};
use super::macros;
use super::namespace::{CORE_NS, Namespaces, VarInfo};

/// Special forms, with their arglists as Clojure documents them.
/// The `clojure.core` names the analyzer itself handles (they are neither
/// runtime fns nor macros of the macro table), with Clojure 1.11's arglists
/// and the first paragraph of its docstrings: name, arglists, doc, kind.
pub(super) const COMPILER_FORMS: &[(&str, &str, &str, &str)] = &[
    (
        "defonce",
        "([name expr])",
        "defs name to have the root value of the expr iff the named var has no root value, else expr is unevaluated",
        "macro",
    ),
    (
        "defmacro",
        "([name doc-string? attr-map? [params*] body] [name doc-string? attr-map? ([params*] body) + attr-map?])",
        "Like defn, but the resulting function name is declared as a macro and will be used as a macro by the compiler when it is called.",
        "macro",
    ),
    (
        "ns",
        "([name docstring? attr-map? references*])",
        "Sets *ns* to the namespace named by name (unevaluated), creating it if needed. references can be zero or more of: (:refer-clojure ...) (:require ...) (:use ...) (:import ...) (:load ...) (:gen-class) with the syntax of refer-clojure/require/use/import/load/gen-class respectively, except the arguments are unevaluated and need not be quoted.",
        "macro",
    ),
    (
        "in-ns",
        "([name])",
        "Sets *ns* to the namespace named by the symbol, creating it if needed.",
        "function",
    ),
    (
        "resolve",
        "([sym] [env sym])",
        "same as (ns-resolve *ns* symbol) or (ns-resolve *ns* &env symbol)",
        "function",
    ),
    (
        "load",
        "([& paths])",
        "Loads Clojure code from resources in classpath. A path is interpreted as classpath-relative if it begins with a slash or relative to the root directory for the current namespace otherwise.",
        "function",
    ),
    (
        "load-file",
        "([name])",
        "Sequentially read and evaluate the set of forms contained in the file.",
        "function",
    ),
    (
        "requiring-resolve",
        "([sym])",
        "Resolves namespace-qualified sym per 'resolve'. If initial resolve fails, attempts to require sym's namespace and retries.",
        "function",
    ),
];

const SPECIAL_FORMS: &[(&str, &str, &str)] = &[
    (
        "def",
        "([symbol doc-string? init?])",
        "Creates and interns a global var with the name of symbol in the current namespace.",
    ),
    (
        "if",
        "([test then else?])",
        "Evaluates test. If not the singular values nil or false, evaluates and yields then, otherwise, evaluates and yields else.",
    ),
    (
        "do",
        "([exprs*])",
        "Evaluates the expressions in order and returns the value of the last.",
    ),
    (
        "let*",
        "([bindings* exprs*])",
        "binding => binding-form init-expr",
    ),
    (
        "loop*",
        "([bindings* exprs*])",
        "Like let, but establishes a recursion point at the top of the loop.",
    ),
    (
        "recur",
        "([exprs*])",
        "Evaluates the exprs in order, then, in parallel, rebinds the bindings of the recursion point to the values of the exprs.",
    ),
    (
        "fn*",
        "([params* exprs*])",
        "params => positional-params*, or positional-params* & rest-param",
    ),
    ("quote", "([form])", "Yields the unevaluated form."),
    (
        "var",
        "([symbol])",
        "The symbol must resolve to a var, and the Var object itself (not its value) is returned.",
    ),
];

/// One completion candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub candidate: String,
    pub ns: Option<String>,
    /// `function`, `var`, `macro`, `special-form` or `namespace`.
    pub kind: &'static str,
}

/// What `info`/`lookup`/`eldoc` report about a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolInfo {
    pub ns: Option<String>,
    pub name: String,
    pub arglists: Option<String>,
    pub doc: Option<String>,
    pub kind: &'static str,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// Candidates for `prefix` as typed in namespace `current`: `str`, `clojure.string/jo`,
/// `alias/na`, or a namespace name.
pub fn completions(namespaces: &Namespaces, current: &str, prefix: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    if let Some((qualifier, name_prefix)) = prefix.split_once('/').filter(|(q, _)| !q.is_empty()) {
        if let Some(full) = namespaces.resolve_ns_name(current, qualifier)
            && let Some(ns) = namespaces.get(&full)
        {
            for (name, &slot) in ns.vars.range(name_prefix.to_string()..) {
                if !name.starts_with(name_prefix) {
                    break;
                }
                let var = namespaces.var(slot);
                found.push(Candidate {
                    candidate: format!("{qualifier}/{name}"),
                    ns: Some(full.clone()),
                    kind: var_kind(var),
                });
            }
        }
        return found;
    }
    for (name, slot) in namespaces.visible_vars(current) {
        if name.starts_with(prefix) {
            let var = namespaces.var(slot);
            found.push(Candidate {
                candidate: name.to_string(),
                ns: Some(var.ns.clone()),
                kind: var_kind(var),
            });
        }
    }
    for m in macros::all().filter(|m| m.name.starts_with(prefix)) {
        found.push(Candidate {
            candidate: m.name.to_string(),
            ns: Some(CORE_NS.to_string()),
            kind: "macro",
        });
    }
    for (name, _, _, kind) in COMPILER_FORMS
        .iter()
        .filter(|(n, ..)| n.starts_with(prefix))
    {
        found.push(Candidate {
            candidate: name.to_string(),
            ns: Some(CORE_NS.to_string()),
            kind,
        });
    }
    for (name, _, _) in SPECIAL_FORMS
        .iter()
        .filter(|(n, _, _)| n.starts_with(prefix))
    {
        found.push(Candidate {
            candidate: name.to_string(),
            ns: None,
            kind: "special-form",
        });
    }
    for ns in namespaces.names().filter(|n| n.starts_with(prefix)) {
        found.push(Candidate {
            candidate: ns.to_string(),
            ns: None,
            kind: "namespace",
        });
    }
    for alias in namespaces
        .get(current)
        .into_iter()
        .flat_map(|n| n.aliases.keys())
    {
        if alias.starts_with(prefix) {
            found.push(Candidate {
                candidate: alias.clone(),
                ns: None,
                kind: "namespace",
            });
        }
    }
    found.sort_by(|a, b| a.candidate.cmp(&b.candidate).then(a.kind.cmp(b.kind)));
    found.dedup_by(|a, b| a.candidate == b.candidate);
    found
}

/// What `symbol` (as written in namespace `current`) names: a var, macro or special form.
pub fn lookup(namespaces: &Namespaces, current: &str, symbol: &str) -> Option<SymbolInfo> {
    let parsed = parse_symbol(symbol)?;
    if let Some(slot) = namespaces.resolve_var(current, &parsed) {
        return Some(var_info(namespaces.var(slot)));
    }
    let core_name = match parsed.ns.as_deref() {
        None | Some(CORE_NS) => parsed.name.as_str(),
        Some(_) => return None,
    };
    if let Some(m) = macros::find(core_name) {
        return Some(static_info(
            Some(CORE_NS),
            m.name,
            m.arglists,
            m.doc,
            "macro",
        ));
    }
    if let Some((name, arglists, doc, kind)) = COMPILER_FORMS.iter().find(|(n, ..)| *n == core_name)
    {
        return Some(static_info(Some(CORE_NS), name, arglists, doc, kind));
    }
    let (name, arglists, doc) = SPECIAL_FORMS.iter().find(|(n, _, _)| *n == core_name)?;
    Some(static_info(None, name, arglists, doc, "special-form"))
}

/// Expands `form` once (`macroexpand-1`), fully at the top (`macroexpand`), or
/// everywhere (`macroexpand-all`); the expansion printed.
pub fn macroexpand(form: &Form, expander: &str) -> Result<String, CompileError> {
    let expanded = match expander {
        "macroexpand-1" => expand_once(form)?.unwrap_or_else(|| form.clone()),
        "macroexpand-all" => expand_all(form)?,
        _ => expand_top(form)?,
    };
    Ok(expanded.to_string())
}

fn expand_once(form: &Form) -> Result<Option<Form>, CompileError> {
    let FormKind::List(items) = &form.kind else {
        return Ok(None);
    };
    let Some((head, args)) = items.split_first() else {
        return Ok(None);
    };
    let Some(symbol) = head.as_symbol() else {
        return Ok(None);
    };
    if symbol.ns.as_deref().is_some_and(|ns| ns != CORE_NS) {
        return Ok(None);
    }
    match macros::lookup(&symbol.name) {
        Some(expand) => expand(form, args).map(Some),
        None => Ok(None),
    }
}

fn expand_top(form: &Form) -> Result<Form, CompileError> {
    let mut current = form.clone();
    while let Some(next) = expand_once(&current)? {
        current = next;
    }
    Ok(current)
}

fn expand_all(form: &Form) -> Result<Form, CompileError> {
    let top = expand_top(form)?;
    let kind = match &top.kind {
        FormKind::List(items) if items.first().is_some_and(|h| h.is_symbol_named("quote")) => {
            return Ok(top);
        }
        FormKind::List(items) => {
            FormKind::List(items.iter().map(expand_all).collect::<Result<_, _>>()?)
        }
        FormKind::Vector(items) => {
            FormKind::Vector(items.iter().map(expand_all).collect::<Result<_, _>>()?)
        }
        _ => return Ok(top),
    };
    Ok(Form::new(kind, top.pos))
}

fn parse_symbol(text: &str) -> Option<Symbol> {
    if text.is_empty() {
        return None;
    }
    Some(Symbol::parse(text))
}

fn var_kind(var: &VarInfo) -> &'static str {
    if var.is_macro {
        "macro"
    } else if var.arglists.is_some() {
        "function"
    } else {
        "var"
    }
}

fn var_info(var: &VarInfo) -> SymbolInfo {
    SymbolInfo {
        ns: Some(var.ns.clone()),
        name: var.name.clone(),
        arglists: var.arglists.clone(),
        doc: var.doc.clone(),
        kind: var_kind(var),
        file: var.file.clone(),
        line: var.defined_at.map(|p| p.line),
        column: var.defined_at.map(|p| p.column),
    }
}

fn static_info(
    ns: Option<&str>,
    name: &str,
    arglists: &str,
    doc: &str,
    kind: &'static str,
) -> SymbolInfo {
    SymbolInfo {
        ns: ns.map(str::to_string),
        name: name.to_string(),
        arglists: Some(arglists.to_string()),
        doc: Some(doc.to_string()),
        kind,
        file: None,
        line: None,
        column: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_the_analyzer_handles_have_info_and_complete() {
        let namespaces = Namespaces::new();
        let info = lookup(&namespaces, "user", "defonce").expect("defonce");
        assert_eq!(info.ns.as_deref(), Some(CORE_NS));
        assert_eq!(info.kind, "macro");
        assert_eq!(info.arglists.as_deref(), Some("([name expr])"));
        let info = lookup(&namespaces, "user", "clojure.core/load-file").expect("load-file");
        assert_eq!(info.kind, "function");
        let found = completions(&namespaces, "user", "requiring-");
        assert!(
            found.iter().any(|c| c.candidate == "requiring-resolve"),
            "{found:?}"
        );
    }

    #[test]
    fn completes_core_vars_macros_and_special_forms() {
        let namespaces = Namespaces::new();
        let names: Vec<String> = completions(&namespaces, "user", "de")
            .into_iter()
            .map(|c| c.candidate)
            .collect();
        for expected in ["dec", "def", "defn", "deref"] {
            assert!(
                names.contains(&expected.to_string()),
                "{expected} in {names:?}"
            );
        }
        let qualified = completions(&namespaces, "user", "clojure.string/jo");
        assert_eq!(qualified[0].candidate, "clojure.string/join");
        assert_eq!(qualified[0].kind, "function");
    }

    #[test]
    fn looks_up_vars_macros_and_special_forms() {
        let namespaces = Namespaces::new();
        let map = lookup(&namespaces, "user", "map").unwrap();
        assert_eq!(map.ns.as_deref(), Some("clojure.core"));
        assert!(map.arglists.unwrap().starts_with("([f] [f coll]"));
        assert_eq!(lookup(&namespaces, "user", "defn").unwrap().kind, "macro");
        assert_eq!(
            lookup(&namespaces, "user", "if").unwrap().kind,
            "special-form"
        );
        assert!(lookup(&namespaces, "user", "no-such-thing").is_none());
    }
}
