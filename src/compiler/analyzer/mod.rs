//! The analyzer: turns a read form into the AST. It expands macros, resolves
//! every symbol (to a local, a captured local or a var slot), interns vars on
//! `def`, tracks closures' captures, and checks what Clojure checks at compile
//! time (arity of special forms, `recur` in tail position, unresolved symbols).
//!
//! This module walks forms and dispatches special forms; each family of
//! forms has its own file: `resolve` (symbols, `var`, `set!`), `locals`
//! (`let`, `loop`, `recur`, `fn`, `letfn`), `control` (`if`, `do`, `throw`,
//! `try`), `defs` (`def`, `defonce`, var metadata, `doc`), `user_macros`
//! (`defmacro` and running user macros), `namespaces` (`ns`, `in-ns`,
//! `require`, `load`) and `interop` (JavaScript calls and fields).

use std::collections::HashMap;

use super::ast::{self, Intrinsic, LocalId, Node, TopLevel};
use super::constant;
use super::footprint::{FootprintBuilder, Resource};
use super::form::{self, Form, FormKind, Pos, Symbol};
use super::namespace::{CORE_NS, Namespaces, RUNTIME_NS, VarInfo};
use super::{CompileError, CompileHost};

mod control;
mod defs;
mod interop;
mod locals;
mod namespaces;
mod resolve;
mod user_macros;

use locals::local_name;

/// How deeply forms may nest after macro expansion. The analyzer and emitter
/// recurse per level; the program's threads have stacks sized for this.
pub const MAX_NESTING: usize = 2_000;

/// Most arguments a call passes positionally (the runtime's `invoke0`..`invoke20`).
pub const MAX_POSITIONAL_ARGS: usize = 20;

pub(super) type Result<T> = std::result::Result<T, CompileError>;

/// Most user macro calls one top-level form may expand (a macro whose
/// expansion calls itself forever stops here).
pub const MAX_USER_MACRO_EXPANSIONS: usize = 1_000;

/// Analyzes one top-level form in namespace `ns`. `ns` changes when the form is
/// an `ns` or `in-ns` form. `file` is where the form came from, if the editor
/// said, recorded on the vars it defines. User macros (`defmacro`) are run
/// through `host` as their calls are met, each call once; required
/// namespaces are loaded through it.
pub fn analyze_top_level(
    namespaces: &mut Namespaces,
    ns: &mut String,
    form: &Form,
    file: Option<&str>,
    host: &mut dyn CompileHost,
) -> Result<TopLevel> {
    let mut expansions_left = MAX_USER_MACRO_EXPANSIONS;
    analyze_with_budget(namespaces, ns, form, file, host, &mut expansions_left)
}

fn analyze_with_budget(
    namespaces: &mut Namespaces,
    ns: &mut String,
    form: &Form,
    file: Option<&str>,
    host: &mut dyn CompileHost,
    expansions_left: &mut usize,
) -> Result<TopLevel> {
    let mut analyzer = Analyzer {
        namespaces,
        ns: ns.clone(),
        file: file.map(str::to_string),
        frames: vec![FnScope::default()],
        depth: 0,
        next_fn_in_try: false,
        defining_macro: false,
        list_pos: form.pos,
        host,
        expansions_left,
        footprint: FootprintBuilder::default(),
    };
    let body = analyzer.analyze(form, true)?;
    *ns = analyzer.ns;
    let local_count = analyzer.frames[0].local_count;
    Ok(TopLevel {
        body,
        local_count,
        source: shortened_source(form),
        footprint: analyzer.footprint,
    })
}

struct Analyzer<'a> {
    namespaces: &'a mut Namespaces,
    ns: String,
    file: Option<String>,
    /// One frame per function being compiled; frame 0 is the top level.
    frames: Vec<FnScope>,
    /// How many `analyze` calls are active.
    depth: usize,
    /// The next fn analyzed is part of a `try`.
    next_fn_in_try: bool,
    /// Runs user macros on a runtime and loads required namespaces.
    host: &'a mut dyn CompileHost,
    /// How many more user macro calls this top-level form may expand.
    expansions_left: &'a mut usize,
    /// Where the innermost list being analyzed starts: errors about a symbol
    /// point there, as Clojure's do (symbols carry no position of their own).
    list_pos: Pos,
    /// The classes and effects the form defines, the classes it reads.
    footprint: FootprintBuilder,
    /// A `defmacro` is being analyzed: its `def` marks the var `:macro`.
    defining_macro: bool,
}

/// What a name bound in a scope stands for.
#[derive(Clone, Debug)]
enum Binding {
    Local(LocalId),
    /// A `^:mutable` field of a deftype, read and `set!` on the method's `this`
    /// (a local of that name) each time it is used.
    Field {
        this: String,
        field: String,
    },
}

/// The bindings of one function being compiled.
#[derive(Default)]
struct FnScope {
    /// Innermost scope last.
    scopes: Vec<HashMap<String, Binding>>,
    next_local: u32,
    /// The most locals any arity of this frame needed.
    local_count: u32,
    /// The fn's own name, bound to the fn itself.
    self_name: Option<String>,
    /// Values captured from enclosing frames, by name, and how to load each there.
    capture_index: HashMap<String, u32>,
    captures: Vec<Node>,
    /// The binding targets `recur` rebinds: innermost `loop*` or the arity's params.
    recur_targets: Vec<Vec<LocalId>>,
    /// This fn is the body, a handler or the finally of a `try` (which the
    /// runtime runs as fns): `recur` would cross the `try`.
    in_try: bool,
}

impl FnScope {
    fn find_binding(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|scope| scope.get(name))
    }

    fn new_local(&mut self) -> LocalId {
        let id = LocalId(self.next_local);
        self.next_local += 1;
        self.local_count = self.local_count.max(self.next_local);
        id
    }
}

fn error(form: &Form, message: impl Into<String>) -> CompileError {
    CompileError::new(message, form.pos)
}

impl Analyzer<'_> {
    fn frame(&mut self) -> &mut FnScope {
        self.frames
            .last_mut()
            .expect("the top-level frame is never popped")
    }

    /// Analyzes `form`; `tail` says whether it is in tail position of the
    /// nearest `recur` target.
    fn analyze(&mut self, form: &Form, tail: bool) -> Result<Node> {
        if self.depth >= MAX_NESTING {
            return Err(error(
                form,
                format!("Form nested more than {MAX_NESTING} levels deep"),
            ));
        }
        super::budget::check().map_err(|exceeded| CompileError::over_budget(exceeded, form.pos))?;
        self.depth += 1;
        let node = self.analyze_form(form, tail);
        self.depth -= 1;
        node
    }

    fn analyze_form(&mut self, form: &Form, tail: bool) -> Result<Node> {
        match &form.kind {
            FormKind::Nil => Ok(Node::Nil),
            FormKind::Symbol(symbol) => self.analyze_symbol(form, symbol),
            FormKind::List(items) if items.is_empty() => Ok(Node::Const(constant::quoted(form))),
            FormKind::List(items) => {
                let outer = std::mem::replace(&mut self.list_pos, form.pos);
                let node = self.analyze_list(form, items, tail);
                self.list_pos = outer;
                node
            }
            FormKind::Vector(items) => {
                self.analyze_collection(form, items.iter().collect(), "vector")
            }
            // (computed elements or keys that are equal are an error, as Clojure's)
            FormKind::Set(items) => {
                self.analyze_collection(form, items.iter().collect(), "jank.runtime/literal-set")
            }
            // small literal maps keep their order, big ones hash, as Clojure's
            FormKind::Map(entries) => {
                let items = entries.iter().flat_map(|(k, v)| [k, v]).collect();
                self.analyze_collection(form, items, "jank.runtime/literal-map")
            }
            _ => self.constant(form),
        }
    }

    /// A collection literal: a constant when every element is one, else a call
    /// of the core constructor.
    fn analyze_collection(
        &mut self,
        form: &Form,
        items: Vec<&Form>,
        constructor: &str,
    ) -> Result<Node> {
        if items.iter().all(|item| is_constant(item)) {
            return self.constant(form);
        }
        let args = self.analyze_args(items.into_iter())?;
        self.core_call(form, constructor, args)
    }

    /// A literal or quoted form as a constant.
    fn constant(&self, form: &Form) -> Result<Node> {
        Ok(Node::Const(constant::quoted(form)))
    }

    /// A call of `clojure.core/name` (which the runtime always has).
    fn core_call(&self, form: &Form, name: &str, args: Vec<Node>) -> Result<Node> {
        let symbol = Symbol::parse(name);
        let slot = self
            .namespaces
            .resolve_var(CORE_NS, &symbol)
            .ok_or_else(|| error(form, format!("the runtime lacks {symbol}")))?;
        self.invoke(form, Node::VarValue(slot), args)
    }

    /// A call with any number of arguments. Calls pass at most 20 positionally
    /// (like Clojure's IFn); more go through `apply` over 20-argument chunks.
    fn invoke(&self, form: &Form, f: Node, args: Vec<Node>) -> Result<Node> {
        if args.len() <= MAX_POSITIONAL_ARGS {
            return Ok(Node::Invoke {
                f: Box::new(f),
                args,
            });
        }
        let mut chunks = Vec::new();
        let mut rest = args;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(MAX_POSITIONAL_ARGS));
            chunks.push(self.core_call(form, "vector", rest)?);
            rest = tail;
        }
        let all = self.core_call(form, "concat", chunks)?;
        self.core_call(form, "apply", vec![f, all])
    }

    fn analyze_args<'f>(&mut self, args: impl Iterator<Item = &'f Form>) -> Result<Vec<Node>> {
        args.map(|arg| self.analyze(arg, false)).collect()
    }

    fn analyze_list(&mut self, form: &Form, items: &[Form], tail: bool) -> Result<Node> {
        let (head, args) = items.split_first().expect("caller checked non-empty");
        if let Some(symbol) = head.as_symbol()
            && let Some(node) = self.analyze_interop(form, symbol, args)?
        {
            return Ok(node);
        }
        // A local of a special form's name does not hide the special form (as in Clojure,
        // where only macros and fns can be shadowed): (let [new 3] (new Exception "x")).
        if let Some(symbol) = head.as_symbol()
            && super::is_clojure_special_symbol(symbol)
            && self.is_local(&symbol.name)
            && let Some(node) = self.analyze_special_form(form, symbol, args, tail)?
        {
            return Ok(node);
        }
        if let Some(symbol) = head.as_symbol()
            && !self.is_local(&symbol.name)
        {
            if let Some(node) = self.analyze_special_form(form, symbol, args, tail)? {
                return Ok(node);
            }
            if let Some(expand) = self.macro_for(symbol) {
                let expansion = expand(form, args)?;
                return self.analyze(&expansion, tail);
            }
            if let Some(slot) = self.user_macro(symbol) {
                return self.analyze_user_macro_call(form, slot, tail);
            }
        }
        self.analyze_invoke(form, head, args)
    }

    fn analyze_special_form(
        &mut self,
        form: &Form,
        head: &Symbol,
        args: &[Form],
        tail: bool,
    ) -> Result<Option<Node>> {
        if head.ns.as_deref() == Some(RUNTIME_NS) {
            return self.analyze_internal_form(form, head, args, tail);
        }
        if head.ns.is_some() && head.ns.as_deref() != Some(CORE_NS) {
            return Ok(None);
        }
        let node = match head.name.as_str() {
            "quote" => match args {
                [quoted] => self.constant(quoted)?,
                _ => {
                    return Err(error(
                        form,
                        format!("Wrong number of args ({}) passed to quote", args.len()),
                    ));
                }
            },
            "if" => self.analyze_if(form, args, tail)?,
            "do" => self.analyze_do(args, tail)?,
            "def" => self.analyze_def(form, args, false)?,
            "defonce" => self.analyze_defonce(form, args)?,
            "set!" => self.analyze_set(form, args)?,
            "throw" => self.analyze_throw(form, args)?,
            "try" => self.analyze_try(form, args)?,
            "letfn*" => self.analyze_letfn(form, args, tail)?,
            "let*" => self.analyze_let(form, args, tail, false)?,
            "loop*" => self.analyze_let(form, args, tail, true)?,
            "recur" => self.analyze_recur(form, args, tail)?,
            "fn*" => self.analyze_fn(form, args, None)?,
            "var" => self.analyze_var(form, args)?,
            "ns" => self.analyze_ns(form, args)?,
            "in-ns" => self.analyze_in_ns(form, args)?,
            "resolve" => match self.analyze_resolve(args) {
                Some(node) => node,
                None => return Ok(None),
            },
            "require" | "use" => match self.analyze_require(args, head.name == "use")? {
                Some(node) => node,
                None => return Ok(None),
            },
            "load" | "load-file" => match self.analyze_load(args, head.name == "load-file")? {
                Some(node) => node,
                None => return Ok(None),
            },
            "requiring-resolve" => match self.analyze_requiring_resolve(args)? {
                Some(node) => node,
                None => return Ok(None),
            },
            "doc" if !self.defines_in_current_ns("doc") => self.analyze_doc(form, args)?,
            "defmacro" => self.analyze_defmacro(form, args)?,
            _ => return Ok(None),
        };
        Ok(Some(node))
    }

    /// The special forms the type macros expand to (jank.runtime/...): reading a
    /// field of a deftype instance, and the scope of a method's mutable fields.
    fn analyze_internal_form(
        &mut self,
        form: &Form,
        head: &Symbol,
        args: &[Form],
        tail: bool,
    ) -> Result<Option<Node>> {
        match head.name.as_str() {
            // (source-file*): the name of the file being compiled, as a stack
            // trace names it (clojure.test's reports say where an assertion is)
            "source-file*" => {
                let name = self
                    .file
                    .as_deref()
                    .and_then(|f| f.rsplit(['/', '\\']).next())
                    .filter(|f| !f.is_empty())
                    .unwrap_or("NO_SOURCE_FILE");
                Ok(Some(Node::Const(constant::string(name))))
            }
            // (assert* test message): what `assert` expands to
            "assert*" => {
                let [test, message] = args else {
                    return Err(error(form, "assert* takes a test and a message"));
                };
                if !self.namespaces.assertions {
                    return Ok(Some(Node::Nil));
                }
                let pos = form.pos;
                let error = form::call(pos, "jank.runtime/assertion-error", vec![message.clone()]);
                let check = form::call(
                    pos,
                    "if",
                    vec![
                        test.clone(),
                        form::nil(pos),
                        form::call(pos, "throw", vec![error]),
                    ],
                );
                self.analyze(&check, tail).map(Some)
            }
            // (field* obj "name")
            "field*" => {
                let [obj, name] = args else {
                    return Err(error(form, "field* takes an object and a field name"));
                };
                let FormKind::Str(field) = &name.kind else {
                    return Err(error(form, "field* takes a field name string"));
                };
                let obj = Box::new(self.analyze(obj, false)?);
                Ok(Some(Node::FieldGet {
                    obj,
                    field: field.clone(),
                }))
            }
            // (mutable-fields* [this a b] body...): a and b are this's fields
            "mutable-fields*" => {
                let Some((
                    Form {
                        kind: FormKind::Vector(names),
                        ..
                    },
                    body,
                )) = args.split_first()
                else {
                    return Err(error(
                        form,
                        "mutable-fields* takes [this field...] and a body",
                    ));
                };
                let Some((this, fields)) = names.split_first() else {
                    return Err(error(form, "mutable-fields* takes [this field...]"));
                };
                let this = local_name(this)?;
                let mut scope = HashMap::new();
                for field in fields {
                    let name = local_name(field)?;
                    scope.insert(
                        name.clone(),
                        Binding::Field {
                            this: this.clone(),
                            field: name,
                        },
                    );
                }
                self.frame().scopes.push(scope);
                let body = self.analyze_do(body, tail);
                self.frame().scopes.pop();
                Ok(Some(body?))
            }
            _ => Ok(None),
        }
    }

    fn analyze_invoke(&mut self, form: &Form, head: &Form, args: &[Form]) -> Result<Node> {
        // `(Long/MAX_VALUE)`: a static field in call position is its value, as in Clojure
        if args.is_empty()
            && let Some(symbol) = head.as_symbol().filter(|s| s.ns.is_some())
            && let Some(slot) = self.namespaces.resolve_var(&self.ns, symbol)
            && Namespaces::is_class_namespace(&self.namespaces.var(slot).ns)
            && self.namespaces.var(slot).arglists.is_none()
        {
            return Ok(Node::VarValue(slot));
        }
        let qualified;
        let args = match self.qualify_type_name(head, args) {
            Some(with_name) => {
                qualified = with_name;
                &qualified[..]
            }
            None => args,
        };
        if let Some(op) = self.core_intrinsic(head, args.len(), Intrinsic::for_core_fn) {
            let args = self.analyze_args(args.iter())?;
            return Ok(Node::Intrinsic { op, args });
        }
        if let Some(op) = self.core_intrinsic(head, args.len(), Intrinsic::for_core_chain) {
            let mut args = self.analyze_args(args.iter())?.into_iter();
            let first = args.next().expect("a chain has arguments");
            return Ok(args.fold(first, |left, right| Node::Intrinsic {
                op,
                args: vec![left, right],
            }));
        }
        if let FormKind::Keyword(_) = &head.kind
            && (1..=2).contains(&args.len())
        {
            let op = if args.len() == 1 {
                Intrinsic::KeywordGet
            } else {
                Intrinsic::KeywordGetOr
            };
            let mut nodes = vec![self.analyze(head, false)?];
            nodes.extend(self.analyze_args(args.iter())?);
            return Ok(Node::Intrinsic { op, args: nodes });
        }
        if self.at_top_level()
            && let Some(key) = self.effect_key(head, args)
        {
            self.footprint.define(Resource::Effect(key));
        }
        self.check_public(head, "#'")?;
        let consuming = self.is_core_fn(head, |name| ast::is_consuming_core_fn(name, args.len()));
        let f = self.analyze(head, false)?;
        let args = self.analyze_args(args.iter())?;
        if consuming {
            return Ok(Node::ConsumingCall {
                f: Box::new(f),
                args,
            });
        }
        self.invoke(form, f, args)
    }

    /// Whether code analyzed now runs when the patch runs (not in a fn it makes).
    pub(super) fn at_top_level(&self) -> bool {
        self.frames.len() == 1
    }

    /// For a call that changes shared state a later call can replace (extending a
    /// protocol, adding a method, deriving), the key the two share, so the patch log
    /// replays only the latest: `extend String P`, `method area :circle`.
    fn effect_key(&self, head: &Form, args: &[Form]) -> Option<String> {
        let symbol = head.as_symbol()?;
        if symbol.ns.is_none() && self.is_local(&symbol.name) {
            return None;
        }
        let var = self
            .namespaces
            .var(self.namespaces.resolve_var(&self.ns, symbol)?);
        let printed = |forms: &[Form]| {
            forms
                .iter()
                .map(Form::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (kind, keyed) = match (var.ns.as_str(), var.name.as_str(), args.len()) {
            (RUNTIME_NS, "extend*", 3) => ("extend", &args[..2]),
            // `(extend T P1 m1 P2 m2)`: the type and the protocols.
            (CORE_NS, "extend", _) => {
                let protocols = args.iter().skip(1).step_by(2);
                let keyed: Vec<Form> = args.iter().take(1).chain(protocols).cloned().collect();
                return Some(format!("extend {}", printed(&keyed)));
            }
            (RUNTIME_NS, "add-method", 3) | (CORE_NS, "remove-method", 2) => ("method", &args[..2]),
            (CORE_NS, "prefer-method", 3) => ("prefer", args),
            (CORE_NS, "remove-all-methods", 1) => ("all-methods", args),
            // Two arguments: the global hierarchy (with three the hierarchy is a value).
            (CORE_NS, "derive" | "underive", 2) => ("isa", args),
            _ => return None,
        };
        Some(format!("{kind} {}", printed(keyed)))
    }

    /// The intrinsic when `head` resolves to a `clojure.core` fn that has one
    /// (as `lookup` finds it by name and argument count).
    fn core_intrinsic(
        &self,
        head: &Form,
        argc: usize,
        lookup: fn(&str, usize) -> Option<Intrinsic>,
    ) -> Option<Intrinsic> {
        let var = self.core_var_named_by(head)?;
        lookup(&var.name, argc)
    }

    /// Whether `head` resolves to a `clojure.core` var whose name `is` accepts.
    fn is_core_fn(&self, head: &Form, is: impl Fn(&str) -> bool) -> bool {
        self.core_var_named_by(head)
            .is_some_and(|var| is(&var.name))
    }

    /// The `clojure.core` var `head` names (not a local of that name).
    fn core_var_named_by(&self, head: &Form) -> Option<&VarInfo> {
        let symbol = head.as_symbol()?;
        if symbol.ns.is_none() && self.is_local(&symbol.name) {
            return None;
        }
        let slot = self.namespaces.resolve_var(&self.ns, symbol)?;
        Some(self.namespaces.var(slot)).filter(|var| var.ns == CORE_NS)
    }
}

/// How much of a form the runtime page shows.
const SOURCE_SHOWN_CHARS: usize = 2_000;

/// The form printed, cut at `SOURCE_SHOWN_CHARS` characters.
fn shortened_source(form: &Form) -> String {
    let printed = form.to_string();
    match printed.char_indices().nth(SOURCE_SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &printed[..cut]),
        None => printed,
    }
}

fn is_special_form(name: &str) -> bool {
    matches!(
        name,
        "quote"
            | "if"
            | "do"
            | "def"
            | "let*"
            | "loop*"
            | "recur"
            | "fn*"
            | "var"
            | "ns"
            | "in-ns"
            | "set!"
            | "throw"
            | "try"
            | "letfn*"
            | "defonce"
    )
}

/// True for forms that are values as written (no symbols to resolve, no calls).
fn is_constant(form: &Form) -> bool {
    match &form.kind {
        FormKind::Symbol(_) | FormKind::List(_) => false,
        FormKind::Vector(items) | FormKind::Set(items) => items.iter().all(is_constant),
        FormKind::Map(entries) => entries
            .iter()
            .all(|(k, v)| is_constant(k) && is_constant(v)),
        _ => true,
    }
}

fn is_keyword(form: &Form, name: &str) -> bool {
    matches!(&form.kind, FormKind::Keyword(k) if k.ns.is_none() && k.name == name)
}

/// The symbol of `['sym]`.
fn quoted_symbol(args: &[Form]) -> Option<&Symbol> {
    let [
        Form {
            kind: FormKind::List(items),
            ..
        },
    ] = args
    else {
        return None;
    };
    match items.as_slice() {
        [quote, symbol] if quote.is_symbol_named("quote") => symbol.as_symbol(),
        _ => None,
    }
}
