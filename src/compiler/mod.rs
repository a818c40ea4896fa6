//! The built-in compiler: Clojure/jank source to WebAssembly patches.
//!
//! Shaped like ClojureScript's (and jank's): the `reader` produces `form`s,
//! `macros` rewrite core macros, the `analyzer` turns a form into an `ast` of
//! special forms with every symbol resolved against `namespace`, and the
//! `emit`ter writes one wasm module per top-level form. The runtime library the
//! patches call lives beside it, in `assets/runtime.js` (contract:
//! docs/patch-abi.md), not in the emitter.

pub mod analyzer;
pub mod ast;
pub mod budget;
pub mod classes;
pub mod constant;
pub mod core_lib;
pub mod destructure;
pub mod emit;
pub mod footprint;
pub mod form;
pub mod introspect;
pub mod macros;
pub mod namespace;
pub mod reader;
pub mod shared;

use form::{Form, Pos, Symbol};
use namespace::{CORE_NS, Namespaces};
use reader::ReadContext;

/// A form the compiler rejected, with where it is and what kind of failure it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CompileError {
    pub message: String,
    pub pos: Pos,
    pub kind: CompileErrorKind,
}

impl CompileError {
    /// A form that is not valid Clojure.
    pub fn new(message: impl Into<String>, pos: Pos) -> CompileError {
        CompileError {
            message: message.into(),
            pos,
            kind: CompileErrorKind::Invalid,
        }
    }
}

/// Why a form did not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The form is not valid Clojure (Clojure's "Syntax error compiling").
    Invalid,
    /// A user macro threw while expanding (`class` is the exception's), or its
    /// expansion could not be read back.
    MacroExpansion { macro_name: String, class: String },
    /// The user interrupted a macro while it ran.
    Interrupted,
    /// The emitter produced invalid wasm: a bug in the compiler, not in the code.
    Internal,
    /// A required namespace did not load. The message is the whole error as
    /// the REPL shows it, naming the file and position it happened at (which
    /// is in the loaded file, not in the form that required it); `class` is
    /// the exception's.
    Load { class: String },
    /// Compiling the form took more time or memory than its budget
    /// (`budget.rs`); the message says which.
    OverBudget,
    /// A time slice ended (`budget::Budget::slice`): the compile is to be
    /// done again elsewhere. Never reaches the user (`shared.rs`).
    Yield,
}

impl CompileError {
    /// The error for a budget that ran out while compiling the form at `pos`.
    pub fn over_budget(exceeded: budget::Exceeded, pos: Pos) -> CompileError {
        CompileError {
            message: exceeded.to_string(),
            pos,
            kind: match exceeded {
                budget::Exceeded::Yield => CompileErrorKind::Yield,
                _ => CompileErrorKind::OverBudget,
            },
        }
    }
}

/// One compiled top-level form.
#[derive(Clone, Debug)]
pub struct Patch {
    /// A validated wasm module (docs/patch-abi.md).
    pub wasm: Vec<u8>,
    /// The line the form starts on, for runtime error positions.
    pub line: u32,
    /// What it defines and reads, so a runtime that connects later can be
    /// brought up to date by replaying the patches that made the state.
    pub footprint: footprint::Footprint,
}

/// Runs user macros (`defmacro`) for the compiler: a macro is a fn on the
/// runtime, so expanding a call means running a patch there.
pub trait MacroRunner {
    /// Runs `patch`, a call of a macro's fn on a call's forms; the expansion,
    /// printed readably. `tables` are the compile's, for the questions the
    /// macro's code asks while it runs (`resolve`, ...).
    fn run_macro(&mut self, patch: &Patch, tables: &Namespaces) -> Result<String, MacroFailure>;
}

/// Why running a macro gave no expansion.
#[derive(Clone, Debug)]
pub enum MacroFailure {
    /// The macro threw (or the runtime could not run it).
    Threw { class: String, message: String },
    /// The user interrupted it.
    Interrupted,
}

/// A `require` the analyzer met: in an `ns` form, a call of `require` or
/// `use` with quoted specs, `load` or `load-file` of a string, or
/// `requiring-resolve` of a quoted symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Require {
    /// The namespace of the requiring code.
    pub from: String,
    pub target: RequireTarget,
    pub reload: Reload,
    /// Where the requiring form starts.
    pub pos: Pos,
}

/// What a `Require` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequireTarget {
    /// A namespace: `my.util`.
    Namespace(String),
    /// `(load "path")`: a resource path without its extension, from the
    /// source path's root when it starts with `/`, else from the directory
    /// of the requiring namespace.
    Resource(String),
    /// `(load-file "path")`: a file, absolute or from the working directory.
    File(String),
}

/// `:reload` and `:reload-all`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reload {
    /// Load only what is not loaded yet.
    #[default]
    No,
    /// Load the named namespaces again.
    Named,
    /// Load them and everything they require again.
    All,
}

/// Loads namespaces for the compiler: where their files are and how their
/// code runs is the host's business, not the compiler's.
pub trait NamespaceLoader {
    /// Makes sure what `require` names is loaded. A namespace that is not
    /// loaded yet is compiled (and run) with `namespaces`, which the analyzer
    /// lends for the time; the analyzer then goes on with the requiring form.
    fn require(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
    ) -> Result<(), CompileError>;
}

/// What the compiler needs from whoever runs it while it analyzes: user
/// macros run, and required namespaces loaded.
pub trait CompileHost: MacroRunner + NamespaceLoader {}

impl<T: MacroRunner + NamespaceLoader + ?Sized> CompileHost for T {}

/// A `CompileHost` for compiling without a runtime: user macro calls are
/// errors, and only namespaces that exist can be required.
pub struct NoRuntime;

impl NamespaceLoader for NoRuntime {
    fn require(&mut self, _: &mut Namespaces, _: &Require) -> Result<(), CompileError> {
        Ok(())
    }
}

impl MacroRunner for NoRuntime {
    fn run_macro(&mut self, _patch: &Patch, _tables: &Namespaces) -> Result<String, MacroFailure> {
        Err(MacroFailure::Threw {
            class: crate::error_class::NO_RUNTIME.into(),
            message: "user macros run on a runtime, and none is connected".into(),
        })
    }
}

/// The compiler and everything it knows (namespaces, vars, slots).
#[derive(Clone, Default)]
pub struct Compiler {
    namespaces: Namespaces,
}

impl Compiler {
    pub fn new() -> Compiler {
        Compiler::default()
    }

    pub fn namespaces(&self) -> &Namespaces {
        &self.namespaces
    }

    /// For a `NamespaceLoader` loading outside a compile (a reload after a save).
    pub fn namespaces_mut(&mut self) -> &mut Namespaces {
        &mut self.namespaces
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.namespaces.exists(ns)
    }

    /// Changes whenever what the compiler knows changes.
    pub fn version(&self) -> u64 {
        self.namespaces.version()
    }

    /// What the reader needs to read code in namespace `ns`.
    pub fn read_context<'a>(&'a self, ns: &'a str) -> NsReadContext<'a> {
        read_context(&self.namespaces, ns)
    }

    /// Compiles one top-level form read in namespace `ns` (which `ns` and
    /// `in-ns` forms change) into a patch. `file` is the editor's file name, if
    /// any; user macro calls and requires go through `host`.
    pub fn compile(
        &mut self,
        ns: &mut String,
        form: &Form,
        file: Option<&str>,
        host: &mut dyn CompileHost,
    ) -> Result<Patch, CompileError> {
        compile_form(&mut self.namespaces, ns, form, file, host)
    }
}

/// `Compiler::compile` on the compiler's namespaces as lent to a
/// `NamespaceLoader` (which compiles the files it loads with it).
pub fn compile_form(
    namespaces: &mut Namespaces,
    ns: &mut String,
    form: &Form,
    file: Option<&str>,
    host: &mut dyn CompileHost,
) -> Result<Patch, CompileError> {
    let top_level = analyzer::analyze_top_level(namespaces, ns, form, file, host)?;
    // Emitting is not checked as it goes: a last look before it starts.
    budget::check().map_err(|exceeded| CompileError::over_budget(exceeded, form.pos))?;
    emit_validated(&top_level, ns, namespaces, form.pos)
}

/// What the reader needs to read code in namespace `ns` of `namespaces`.
pub fn read_context<'a>(namespaces: &'a Namespaces, ns: &'a str) -> NsReadContext<'a> {
    NsReadContext { namespaces, ns }
}

/// Emits `top_level` (compiled in `ns`) and checks the wasm is valid.
fn emit_validated(
    top_level: &ast::TopLevel,
    ns: &str,
    namespaces: &Namespaces,
    pos: Pos,
) -> Result<Patch, CompileError> {
    let emit::Emitted { wasm, footprint } = emit::emit_patch(top_level, ns, namespaces);
    if let Err(error) = wasmparser::validate(&wasm) {
        if error.message().contains("too many locals") {
            // Not a compiler bug: wasm allows a function 50,000 locals.
            return Err(CompileError::new(
                "Too many locals: this form binds more than the 50,000 names a WebAssembly function may have (let, loop and fn bindings, and those macros make); split it into smaller functions",
                pos,
            ));
        }
        // A bug in the emitter, not in the user's code: say so plainly.
        return Err(CompileError {
            message: format!("internal compiler error: invalid wasm emitted ({error})"),
            pos,
            kind: CompileErrorKind::Internal,
        });
    }
    Ok(Patch {
        wasm,
        line: pos.line,
        footprint,
    })
}

/// Clojure's special forms (and `&`), which syntax-quote leaves unqualified and no local
/// hides in the head of a list.
const CLOJURE_SPECIAL_SYMBOLS: &[&str] = &[
    "def",
    "loop*",
    "recur",
    "if",
    "case*",
    "let*",
    "letfn*",
    "do",
    "fn*",
    "quote",
    "var",
    "import*",
    ".",
    "set!",
    "deftype*",
    "reify*",
    "try",
    "throw",
    "monitor-enter",
    "monitor-exit",
    "catch",
    "finally",
    "new",
    "&",
];

/// Whether `symbol` is one of Clojure's special forms (or `&`), unqualified.
pub(crate) fn is_clojure_special_symbol(symbol: &Symbol) -> bool {
    symbol.ns.is_none() && CLOJURE_SPECIAL_SYMBOLS.contains(&symbol.name.as_str())
}

/// `ReadContext` for one namespace: its aliases, and syntax-quote resolution.
pub struct NsReadContext<'a> {
    namespaces: &'a Namespaces,
    ns: &'a str,
}

impl ReadContext for NsReadContext<'_> {
    fn current_ns(&self) -> &str {
        self.ns
    }

    fn resolve_alias(&self, alias: &str) -> Option<String> {
        self.namespaces.get(self.ns)?.aliases.get(alias).cloned()
    }

    fn qualify_for_syntax_quote(&self, symbol: &Symbol) -> Symbol {
        if is_clojure_special_symbol(symbol) {
            return symbol.clone();
        }
        // a dotted name is a class name: it stays as written (`java.util.Date`)
        if symbol.name.find('.').is_some_and(|i| i > 0) {
            return symbol.clone();
        }
        if let Some(ns) = &symbol.ns {
            let full = self.resolve_alias(ns).unwrap_or_else(|| ns.clone());
            return Symbol::qualified(full, symbol.name.clone());
        }
        if macros::is_macro(&symbol.name) {
            return Symbol::qualified(CORE_NS, symbol.name.clone());
        }
        // a deftype or defrecord of this namespace is its class (its var aside)
        let own_class = format!("{}.{}", self.ns, symbol.name);
        if self
            .namespaces
            .user_classes()
            .any(|class| class == own_class)
        {
            return Symbol::simple(own_class);
        }
        match self.namespaces.resolve_var(self.ns, symbol) {
            Some(slot) => {
                let var = self.namespaces.var(slot);
                Symbol::qualified(var.ns.clone(), var.name.clone())
            }
            // a class the namespace names (`String`): its full name, unqualified
            None => match self.namespaces.class_full_name(self.ns, &symbol.name) {
                Some(class) => Symbol::simple(class),
                None => Symbol::qualified(self.ns, symbol.name.clone()),
            },
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use reader::Reader;

    /// Compiles every form of `code` in `user`, in order; the patches or the first error.
    pub(crate) fn compile_all(
        compiler: &mut Compiler,
        code: &str,
    ) -> Result<Vec<Patch>, CompileError> {
        let mut ns = crate::DEFAULT_NS.to_string();
        let mut reader = Reader::new(code, 1, 1);
        let mut patches = Vec::new();
        loop {
            let form = reader
                .next_form(&compiler.read_context(&ns))
                .map_err(|e| CompileError::new(e.message, e.pos))?;
            let Some(form) = form else { return Ok(patches) };
            patches.push(compiler.compile(&mut ns, &form, None, &mut NoRuntime)?);
        }
    }

    fn compile_error(code: &str) -> String {
        let mut compiler = Compiler::new();
        compile_all(&mut compiler, code)
            .expect_err("should not compile")
            .message
    }

    #[test]
    fn every_special_form_emits_valid_wasm() {
        let mut compiler = Compiler::new();
        let code = r#"
            nil true 42 1.5 "s" :k 'sym [1 2] {:a 1} #{1} '(1 2)
            (def x 1) (def y) (defn f [a] (+ a x)) (f 2) #'f
            (if (< 1 2) :a :b) (do 1 2 3) (let [a 1 b a] [a b])
            (loop [i 0] (if (< i 3) (recur (inc i)) i))
            (fn named [n] (if (zero? n) 0 (named (dec n))))
            (defn m ([] 0) ([a] a) ([a b & more] more))
            (defn adder [n] (fn [x] (fn [y] (+ x y n))))
            [x (f 1) {:k (f 2)}]
        "#;
        let patches = compile_all(&mut compiler, code).expect("compiles");
        assert_eq!(patches.len(), 24);
    }

    #[test]
    fn exception_forms_letfn_set_and_defonce_emit_valid_wasm() {
        let mut compiler = Compiler::new();
        let code = r#"
            (try (/ 1 0) (catch ArithmeticException e :div) (catch Exception e (ex-message e)) (finally (println "x")))
            (try 1)
            (let [a 1] (try (throw (ex-info "boom" {:a a})) (catch Exception e [a (ex-data e)])))
            (loop [i 0] (if (< i 3) (recur (try (inc i) (finally nil))) i))
            (letfn* [ev? (fn* ev? [n] (if (zero? n) true (od? (dec n)))) od? (fn* od? [n] (if (zero? n) false (ev? (dec n))))] (ev? 10))
            (def p 1) (set! p 2) (defonce d 1)
        "#;
        assert_eq!(compile_all(&mut compiler, code).expect("compiles").len(), 8);
        assert_eq!(
            compile_error("(loop [] (try (recur)))"),
            "Cannot recur across try"
        );
        assert_eq!(
            compile_error("(let [x 1] (set! x 2))"),
            "Cannot assign to non-mutable: x"
        );
    }

    #[test]
    fn calls_and_literals_of_any_size_compile() {
        let mut compiler = Compiler::new();
        let many: Vec<String> = (0..45).map(|i| i.to_string()).collect();
        let code = format!(
            "(+ {0}) (let [x 1] [x {0}]) (let [x 1] {{:a x {1}}}) (.push (js/Array.) {0})",
            many.join(" "),
            (0..30)
                .map(|i| format!(":k{i} {i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(
            compile_all(&mut compiler, &code).expect("compiles").len(),
            4
        );
    }

    /// The (module, name) of every import of a patch, in order.
    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let Ok(wasmparser::Payload::ImportSection(reader)) = payload {
                for import in reader.into_imports() {
                    let import = import.unwrap();
                    found.push((import.module.to_string(), import.name.to_string()));
                }
            }
        }
        found
    }

    #[test]
    fn arithmetic_on_parameters_and_recursion_compile_to_wasm_paths() {
        let mut compiler = Compiler::new();
        let code = "(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (defn id [x] x)";
        let patches = compile_all(&mut compiler, code).unwrap();
        let fib = imports_of(&patches[0].wasm);
        let slot = compiler
            .namespaces()
            .resolve_var("user", &form::Symbol::simple("fib"))
            .unwrap();
        // `n` is checked once for a long; `(- n 1)` is boxed from the table
        assert!(fib.contains(&("rt".into(), "long_of".into())), "{fib:?}");
        assert!(
            fib.contains(&("rt".into(), "small_longs".into())),
            "{fib:?}"
        );
        // its calls of itself go straight to its code while the var's version holds
        assert!(
            fib.contains(&("version".into(), slot.to_string())),
            "{fib:?}"
        );
        // and through the var otherwise; `<` and `-` of a boxed `n` stay there too
        for name in ["dispatch1", "lt_test", "sub"] {
            assert!(fib.contains(&("rt".into(), name.into())), "{name}: {fib:?}");
        }
        let id = imports_of(&patches[1].wasm);
        assert!(
            !id.iter()
                .any(|(module, name)| name == "long_of" || module == "version"),
            "{id:?}"
        );
    }

    #[test]
    fn library_fns_are_called_directly_behind_a_guard() {
        let mut compiler = Compiler::new();
        let code = "(defn f [x] x) (fn [v] [(first v) (f v) (str 1 2 3 4) (nth v 0 nil)])";
        let patch = compile_all(&mut compiler, code).unwrap().remove(1);
        let imports = imports_of(&patch.wasm);
        let slot = |name: &str| {
            let symbol = form::Symbol::simple(name);
            compiler.namespaces().resolve_var("user", &symbol).unwrap()
        };
        let direct = |name: &str| imports.contains(&("direct".to_string(), name.to_string()));
        let (first, nth, str) = (slot("first"), slot("nth"), slot("str"));
        // each library fn's arity, and its guard
        assert!(
            direct(&format!("{first}/1")) && direct(&format!("{first}")),
            "{imports:?}"
        );
        assert!(
            direct(&format!("{nth}/3")) && direct(&format!("{nth}")),
            "{imports:?}"
        );
        assert!(
            imports.iter().any(|(_, name)| name == "var_call1"),
            "{imports:?}"
        );
        // a user's fn, and more arguments than a direct call takes, go through the var
        assert!(!direct(&format!("{}/1", slot("f"))), "{imports:?}");
        assert!(!direct(&format!("{str}/4")), "{imports:?}");
        assert!(imports.iter().any(|(_, name)| name == "dispatch4"));
    }

    #[test]
    fn a_long_loop_runs_in_wasm_and_polls_through_the_countdown() {
        let mut compiler = Compiler::new();
        let code = "(loop [i 0] (if (< i 3) (recur (inc i)) [:a \"s\" (:k {:k i})]))";
        let patch = compile_all(&mut compiler, code).unwrap().remove(0);
        let imports = imports_of(&patch.wasm);
        let rt = |name: &str| imports.contains(&("rt".to_string(), name.to_string()));
        // `i` is an i64: compared and incremented in wasm, boxed where it leaves; below 3, its
        // `inc` cannot overflow
        assert!(
            rt("long_box") && rt("keyword_get") && rt("poll"),
            "{imports:?}"
        );
        assert!(
            !rt("lt_test") && !rt("inc") && !rt("truthy") && !rt("lt") && !rt("long_overflow"),
            "{imports:?}"
        );
        // at most 3, it can
        let code = "(loop [i 0] (if (<= i 3) (recur (inc i)) i))";
        let unbounded = imports_of(&compile_all(&mut compiler, code).unwrap()[0].wasm);
        assert!(
            unbounded.contains(&("rt".to_string(), "long_overflow".to_string())),
            "{unbounded:?}"
        );
        // The countdown comes right after the constants, whose globals keep indices 0..n.
        let after_consts = imports
            .iter()
            .skip_while(|(module, _)| module != "k")
            .find(|(module, _)| module != "k");
        assert_eq!(
            after_consts,
            Some(&("rt".to_string(), "countdown".to_string()))
        );
        let patch = compile_all(&mut compiler, "(+ 1 2)").unwrap().remove(0);
        assert!(
            !imports_of(&patch.wasm)
                .iter()
                .any(|(_, n)| n == "countdown")
        );
    }

    #[test]
    fn a_loop_local_given_a_non_long_stays_boxed() {
        let mut compiler = Compiler::new();
        let code = "(loop [i 0 j 0] (if (< i 3) (recur (+ i 0.5) (inc j)) [i j (zero? j)]))";
        let patch = compile_all(&mut compiler, code).unwrap().remove(0);
        let imports = imports_of(&patch.wasm);
        let rt = |name: &str| imports.contains(&("rt".to_string(), name.to_string()));
        // `i` gets a double: the runtime compares and adds it; `j` stays an i64
        assert!(rt("lt_test") && rt("add") && rt("long_box"), "{imports:?}");
        assert!(!rt("inc") && !rt("zero"), "{imports:?}");
    }

    #[test]
    fn vars_keep_their_slot_when_redefined() {
        let mut compiler = Compiler::new();
        compile_all(&mut compiler, "(defn g [v] (+ v 49))").unwrap();
        let slot = compiler
            .namespaces()
            .resolve_var("user", &Symbol::simple("g"))
            .unwrap();
        compile_all(&mut compiler, "(defn g [v] (+ v 1000))").unwrap();
        assert_eq!(
            compiler
                .namespaces()
                .resolve_var("user", &Symbol::simple("g")),
            Some(slot)
        );
    }

    #[test]
    fn defn_records_docstring_and_arglists() {
        let mut compiler = Compiler::new();
        compile_all(&mut compiler, "(defn dd \"doubles\" [x] (* 2 x))").unwrap();
        let slot = compiler
            .namespaces()
            .resolve_var("user", &Symbol::simple("dd"))
            .unwrap();
        let var = compiler.namespaces().var(slot);
        assert_eq!(var.doc.as_deref(), Some("doubles"));
        assert_eq!(var.arglists.as_deref(), Some("([x])"));
    }

    #[test]
    fn compile_errors_are_worded_like_clojure() {
        assert_eq!(
            compile_error("(foo 1)"),
            "Unable to resolve symbol: foo in this context"
        );
        assert_eq!(compile_error("(if)"), "Too few arguments to if");
        assert_eq!(compile_error("(if 1 2 3 4)"), "Too many arguments to if");
        assert_eq!(
            compile_error("(loop [a 1] (+ 1 (recur 2)))"),
            "Can only recur from tail position"
        );
        assert_eq!(
            compile_error("(loop [a 1] (recur 1 2))"),
            "Mismatched argument count to recur, expected: 1 args, got: 2"
        );
        assert_eq!(
            compile_error("(fn [a] a) (recur 1)"),
            "Can only recur from tail position"
        );
    }

    #[test]
    fn syntax_quote_keeps_special_forms_and_qualifies_vars() {
        let compiler = Compiler::new();
        let form = Reader::new("`(if (inc x) [& y])", 1, 1)
            .next_form(&compiler.read_context("user"))
            .unwrap()
            .unwrap()
            .to_string();
        assert!(form.contains("(quote if)"), "{form}");
        assert!(form.contains("(quote clojure.core/inc)"), "{form}");
        assert!(form.contains("(quote user/x)"), "{form}");
        assert!(form.contains("(quote &)"), "{form}");
    }

    #[test]
    fn ns_switches_and_aliases_resolve() {
        let mut compiler = Compiler::new();
        let mut ns = "user".to_string();
        for code in [
            "(ns my.lib)",
            "(defn twice [x] (* 2 x))",
            "(ns my.main (:require [my.lib :as l]))",
            "(l/twice 21)",
        ] {
            let form = Reader::new(code, 1, 1)
                .next_form(&compiler.read_context(&ns))
                .unwrap()
                .unwrap();
            compiler
                .compile(&mut ns, &form, None, &mut NoRuntime)
                .expect(code);
        }
        assert_eq!(ns, "my.main");
    }

    /// Records what the analyzer asks to load, and "loads" each namespace
    /// by making it exist with one var, `v`.
    #[derive(Default)]
    struct RecordingLoader(Vec<(String, RequireTarget, Reload)>);

    impl MacroRunner for RecordingLoader {
        fn run_macro(
            &mut self,
            patch: &Patch,
            tables: &Namespaces,
        ) -> Result<String, MacroFailure> {
            NoRuntime.run_macro(patch, tables)
        }
    }

    impl NamespaceLoader for RecordingLoader {
        fn require(
            &mut self,
            namespaces: &mut Namespaces,
            require: &Require,
        ) -> Result<(), CompileError> {
            self.0
                .push((require.from.clone(), require.target.clone(), require.reload));
            if let RequireTarget::Namespace(ns) = &require.target {
                namespaces.intern(ns, "v");
            }
            Ok(())
        }
    }

    #[test]
    fn requires_go_to_the_host_with_their_flags() {
        let mut compiler = Compiler::new();
        let mut host = RecordingLoader::default();
        let mut ns = "user".to_string();
        for code in [
            "(ns my.main (:require [my [a :as a] b] [my.c :refer :all] [my.z :as-alias z]) (:use my.d))",
            "(require '[my.e] 'my.f :reload-all)",
            "(load \"util\")",
            "(requiring-resolve 'my.g/v)",
            "[a/v v ::z/k]",
        ] {
            let form = Reader::new(code, 1, 1)
                .next_form(&compiler.read_context(&ns))
                .unwrap()
                .unwrap();
            compiler
                .compile(&mut ns, &form, None, &mut host)
                .expect(code);
        }
        let namespace = |name: &str| RequireTarget::Namespace(name.to_string());
        let from_main = |target, reload| ("my.main".to_string(), target, reload);
        assert_eq!(
            host.0,
            [
                from_main(namespace("my.a"), Reload::No),
                from_main(namespace("my.b"), Reload::No),
                from_main(namespace("my.c"), Reload::No),
                from_main(namespace("my.d"), Reload::No),
                from_main(namespace("my.e"), Reload::All),
                from_main(namespace("my.f"), Reload::All),
                from_main(RequireTarget::Resource("util".into()), Reload::Named),
                from_main(namespace("my.g"), Reload::No),
            ]
        );
    }
}
