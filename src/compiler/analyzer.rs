//! The analyzer: turns a read form into the AST. It expands macros, resolves
//! every symbol (to a local, a captured local or a var slot), interns vars on
//! `def`, tracks closures' captures, and checks what Clojure checks at compile
//! time (arity of special forms, `recur` in tail position, unresolved symbols).

use std::collections::HashMap;

use super::ast::{FnArity, FnNode, Intrinsic, LocalId, Node, TopLevel};
use super::constant;
use super::footprint::{FootprintBuilder, Resource};
use super::form::{
    BindingVectorError, Form, FormKind, Pos, Symbol, keyword, nil, quote, split_binding_vector,
};
use super::macros;
use super::namespace::{CORE_NS, Namespaces, RUNTIME_NS, Slot};
use super::reader::{ReadError, Reader};
use super::{
    CompileError, CompileErrorKind, CompileHost, MacroFailure, Reload, Require, RequireTarget,
};

/// How deeply forms may nest after macro expansion. The analyzer and emitter
/// recurse per level; the program's threads have stacks sized for this.
pub const MAX_NESTING: usize = 2_000;

/// Most arguments a call passes positionally (the runtime's `invoke0`..`invoke20`).
pub const MAX_POSITIONAL_ARGS: usize = 20;

type Result<T> = std::result::Result<T, CompileError>;

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

/// `((var ns/m) '(m a b) nil 'a 'b)`: calls the macro's fn with the call form,
/// no environment, and the call's arguments as forms.
fn macro_invocation(call: &Form, ns: &str, name: &str) -> Form {
    let pos = call.pos;
    let the_var = Form::new(
        FormKind::List(vec![
            Form::new(FormKind::Symbol(Symbol::simple("var")), pos),
            Form::new(FormKind::Symbol(Symbol::qualified(ns, name)), pos),
        ]),
        pos,
    );
    let args = match &call.kind {
        FormKind::List(items) => &items[1..],
        _ => &[],
    };
    let mut items = vec![the_var, quote(pos, call.clone()), nil(pos)];
    items.extend(args.iter().map(|arg| quote(pos, arg.clone())));
    Form::new(FormKind::List(items), pos)
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
            FormKind::Set(items) => {
                self.analyze_collection(form, items.iter().collect(), "hash-set")
            }
            FormKind::Map(entries) => {
                let items = entries.iter().flat_map(|(k, v)| [k, v]).collect();
                // As Clojure's: small literal maps keep their order, big ones hash.
                let constructor = if entries.len() <= 8 {
                    "array-map"
                } else {
                    "hash-map"
                };
                self.analyze_collection(form, items, constructor)
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

    /// A literal or quoted form as a constant, refusing what the runtime
    /// cannot represent exactly (rather than giving a wrong value).
    fn constant(&self, form: &Form) -> Result<Node> {
        if let Some(unsupported) = first_unsupported_literal(form) {
            return Err(error(
                unsupported,
                format!(
                    "BigDecimal literals ({unsupported}) are not supported by the built-in compiler yet"
                ),
            ));
        }
        Ok(Node::Const(constant::quoted(form)))
    }

    /// A call of `clojure.core/name` (which the runtime always has).
    fn core_call(&self, form: &Form, name: &str, args: Vec<Node>) -> Result<Node> {
        let slot = self
            .namespaces
            .resolve_var(CORE_NS, &Symbol::simple(name))
            .ok_or_else(|| error(form, format!("the runtime lacks clojure.core/{name}")))?;
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

    fn analyze_symbol(&mut self, form: &Form, symbol: &Symbol) -> Result<Node> {
        let form = &Form::new(form.kind.clone(), self.list_pos);
        if symbol.ns.as_deref() == Some("js") {
            return Ok(Node::JsGlobal(symbol.name.clone()));
        }
        // *ns* is the namespace this form is compiled in.
        if symbol.name == "*ns*"
            && matches!(symbol.ns.as_deref(), None | Some(CORE_NS))
            && !self.is_local("*ns*")
        {
            return Ok(Node::Const(constant::namespace(&self.ns)));
        }
        // *file* is the file being loaded while its top-level forms run (a fn
        // that reads it later sees the runtime's var: the REPL's NO_SOURCE_PATH).
        if symbol.name == "*file*"
            && matches!(symbol.ns.as_deref(), None | Some(CORE_NS))
            && !self.is_local("*file*")
            && self.at_top_level()
        {
            let file = self.file.as_deref().unwrap_or("NO_SOURCE_PATH");
            return Ok(Node::Const(constant::string(file)));
        }
        if symbol.ns.is_none()
            && let Some(node) = self.lookup_local(self.frames.len() - 1, &symbol.name)
        {
            return Ok(node);
        }
        match self.namespaces.resolve_var(&self.ns, symbol) {
            Some(slot) => {
                self.check_public(form, "")?;
                Ok(Node::VarValue(slot))
            }
            None if symbol.ns.is_some()
                && self
                    .namespaces
                    .resolve_ns_name(&self.ns, symbol.ns.as_deref().unwrap_or_default())
                    .is_some() =>
            {
                Err(error(form, format!("No such var: {symbol}")))
            }
            None if symbol.ns.is_some() => Err(error(
                form,
                format!(
                    "No such namespace: {}",
                    symbol.ns.as_deref().unwrap_or_default()
                ),
            )),
            None if symbol.ns.is_none() && self.namespaces.is_class(&symbol.name) => {
                let now = self.at_top_level();
                let class = Resource::Class(symbol.name.clone());
                self.footprint.read(class, now);
                Ok(Node::Const(constant::class(&symbol.name)))
            }
            None if macros::is_macro(&symbol.name) || is_special_form(&symbol.name) => Err(error(
                form,
                format!(
                    "Can't take value of a macro: #'clojure.core/{}",
                    symbol.name
                ),
            )),
            None => Err(error(
                form,
                format!("Unable to resolve symbol: {symbol} in this context"),
            )),
        }
    }

    /// Refuses a qualified symbol naming another namespace's private var, with
    /// Clojure's message (`var: #'a/b is not public` for a call's head, where
    /// `prefix` is `#'`; `var: a/b is not public` for a value).
    fn check_public(&self, form: &Form, prefix: &str) -> Result<()> {
        let Some(symbol) = form.as_symbol().filter(|s| s.ns.is_some()) else {
            return Ok(());
        };
        if symbol.ns.as_deref() == Some("js") {
            return Ok(());
        }
        let Some(slot) = self.namespaces.resolve_var(&self.ns, symbol) else {
            return Ok(());
        };
        let var = self.namespaces.var(slot);
        if !var.is_private || var.ns == self.ns {
            return Ok(());
        }
        let message = format!("var: {prefix}{}/{} is not public", var.ns, var.name);
        Err(error(form, message))
    }

    /// A local named `name` as seen from frame `index`: its own local, its own
    /// name, or a capture of an enclosing frame's binding (recorded on the way).
    fn lookup_local(&mut self, index: usize, name: &str) -> Option<Node> {
        let frame = &self.frames[index];
        match frame.find_binding(name).cloned() {
            Some(Binding::Local(id)) => return Some(Node::Local(id)),
            Some(Binding::Field { this, field }) => return self.field_get(index, &this, field),
            None => {}
        }
        if frame.self_name.as_deref() == Some(name) {
            return Some(Node::SelfRef);
        }
        if let Some(&k) = frame.capture_index.get(name) {
            return Some(Node::Captured(k));
        }
        if index == 0 {
            return None;
        }
        // a field of an enclosing method: read it live through a captured `this`
        if let Some((this, field)) = self.field_binding(index - 1, name) {
            return self.field_get(index, &this, field);
        }
        let outer = self.lookup_local(index - 1, name)?;
        let frame = &mut self.frames[index];
        let k = frame.captures.len() as u32;
        frame.captures.push(outer);
        frame.capture_index.insert(name.to_string(), k);
        Some(Node::Captured(k))
    }

    /// `this.field` read in frame `index`.
    fn field_get(&mut self, index: usize, this: &str, field: String) -> Option<Node> {
        let obj = self.lookup_local(index, this)?;
        Some(Node::FieldGet {
            obj: Box::new(obj),
            field,
        })
    }

    /// The mutable field `name` stands for, seen from frame `index` outwards,
    /// unless a local of that name shadows it.
    fn field_binding(&self, index: usize, name: &str) -> Option<(String, String)> {
        let frame = &self.frames[index];
        match frame.find_binding(name) {
            Some(Binding::Field { this, field }) => return Some((this.clone(), field.clone())),
            Some(Binding::Local(_)) => return None,
            None => {}
        }
        if frame.self_name.as_deref() == Some(name)
            || frame.capture_index.contains_key(name)
            || index == 0
        {
            return None;
        }
        self.field_binding(index - 1, name)
    }

    /// The current namespace has its own var `name` (which then shadows a
    /// compile-time helper of the same name, like `doc`).
    fn defines_in_current_ns(&self, name: &str) -> bool {
        self.namespaces
            .get(&self.ns)
            .is_some_and(|n| n.vars.contains_key(name))
    }

    fn is_local(&self, name: &str) -> bool {
        self.frames
            .iter()
            .any(|f| f.find_binding(name).is_some() || f.self_name.as_deref() == Some(name))
    }

    fn analyze_list(&mut self, form: &Form, items: &[Form], tail: bool) -> Result<Node> {
        let (head, args) = items.split_first().expect("caller checked non-empty");
        if let Some(symbol) = head.as_symbol()
            && let Some(node) = self.analyze_interop(form, symbol, args)?
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

    /// The expander when `symbol` names a core macro (and no var of the same
    /// name in the current namespace shadows it).
    fn macro_for(&self, symbol: &Symbol) -> Option<macros::Expander> {
        match symbol.ns.as_deref() {
            Some(CORE_NS) | None => {}
            Some(_) => return None,
        }
        if symbol.ns.is_none()
            && self
                .namespaces
                .get(&self.ns)
                .is_some_and(|n| n.vars.contains_key(&symbol.name))
        {
            return None;
        }
        macros::lookup(&symbol.name)
    }

    /// The var of a `defmacro` macro that `symbol` names, if it names one.
    fn user_macro(&self, symbol: &Symbol) -> Option<Slot> {
        let slot = self.namespaces.resolve_var(&self.ns, symbol)?;
        self.namespaces.var(slot).is_macro.then_some(slot)
    }

    /// A user macro call: the macro runs on the runtime (on the call's forms,
    /// unevaluated) and its expansion, read back, is analyzed in its place.
    fn analyze_user_macro_call(&mut self, form: &Form, slot: Slot, tail: bool) -> Result<Node> {
        if *self.expansions_left == 0 {
            return Err(error(
                form,
                format!("More than {MAX_USER_MACRO_EXPANSIONS} macro expansions"),
            ));
        }
        *self.expansions_left -= 1;
        let expansion = self.expand_user_macro(form, slot)?;
        self.analyze(&expansion, tail)
    }

    /// Runs the user macro in `slot` on `call`'s forms; the expansion.
    fn expand_user_macro(&mut self, call: &Form, slot: Slot) -> Result<Form> {
        let var = self.namespaces.var(slot);
        let macro_name = match &call.kind {
            FormKind::List(items) => items.first().map(Form::to_string).unwrap_or_default(),
            _ => call.to_string(),
        };
        let invocation = macro_invocation(call, &var.ns, &var.name);
        let mut ns = self.ns.clone();
        let top_level = analyze_with_budget(
            self.namespaces,
            &mut ns,
            &invocation,
            None,
            self.host,
            self.expansions_left,
        )?;
        let patch = super::emit_validated(&top_level, &ns, self.namespaces, call.pos)?;
        let failed = |class: String, message: String| CompileError {
            message,
            pos: call.pos,
            kind: CompileErrorKind::MacroExpansion {
                macro_name: macro_name.clone(),
                class,
            },
        };
        let printed = match self.host.run_macro(&patch) {
            Ok(printed) => printed,
            Err(MacroFailure::Threw { class, message }) => return Err(failed(class, message)),
            Err(MacroFailure::Interrupted) => {
                return Err(CompileError {
                    message: "Evaluation interrupted".into(),
                    pos: call.pos,
                    kind: CompileErrorKind::Interrupted,
                });
            }
        };
        let context = super::NsReadContext {
            namespaces: self.namespaces,
            ns: &self.ns,
        };
        let why = match Reader::new(&printed, call.pos.line, call.pos.column).next_form(&context) {
            Ok(Some(expansion)) => return Ok(expansion),
            Ok(None) => "it is empty".to_string(),
            // Out of budget (a time slice that ended while the macro ran): not
            // the expansion's fault; the compile goes on elsewhere.
            Err(ReadError {
                exceeded: Some(exceeded),
                ..
            }) => return Err(CompileError::over_budget(exceeded, call.pos)),
            Err(error) => error.message,
        };
        Err(failed(
            crate::error_class::COMPILER_EXCEPTION.into(),
            format!("the macro's expansion cannot be read back ({why}): {printed}"),
        ))
    }

    /// `(defmacro name doc? attrs? [params] body...)`: a fn taking the call's
    /// form and environment before the macro's own arguments, in a var marked
    /// as a macro.
    fn analyze_defmacro(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let Some(name) = args.first().and_then(Form::as_symbol).cloned() else {
            return Err(error(form, "First argument to defmacro must be a symbol"));
        };
        let with_env: Vec<Form> = args.iter().map(with_form_and_env_params).collect();
        let defn = Form::new(
            FormKind::List(
                std::iter::once(Form::new(
                    FormKind::Symbol(Symbol::qualified(CORE_NS, "defn")),
                    form.pos,
                ))
                .chain(with_env)
                .collect(),
            ),
            form.pos,
        );
        self.defining_macro = true;
        let node = self.analyze(&defn, false);
        self.defining_macro = false;
        let node = node?;
        let slot = self.namespaces.intern(&self.ns, &name.name);
        self.namespaces.var_mut(slot).is_macro = true;
        Ok(node)
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

    fn analyze_if(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let (test, then, otherwise) = match args {
            [test, then] => (test, then, None),
            [test, then, otherwise] => (test, then, Some(otherwise)),
            _ if args.len() < 2 => return Err(error(form, "Too few arguments to if")),
            _ => return Err(error(form, "Too many arguments to if")),
        };
        Ok(Node::If {
            test: Box::new(self.analyze(test, false)?),
            then: Box::new(self.analyze(then, tail)?),
            otherwise: Box::new(match otherwise {
                Some(otherwise) => self.analyze(otherwise, tail)?,
                None => Node::Nil,
            }),
        })
    }

    fn analyze_do(&mut self, body: &[Form], tail: bool) -> Result<Node> {
        let Some((last, statements)) = body.split_last() else {
            return Ok(Node::Nil);
        };
        let statements = statements
            .iter()
            .map(|s| self.analyze(s, false))
            .collect::<Result<Vec<_>>>()?;
        let ret = self.analyze(last, tail)?;
        Ok(if statements.is_empty() {
            ret
        } else {
            Node::Do {
                statements,
                ret: Box::new(ret),
            }
        })
    }

    fn analyze_def(&mut self, form: &Form, args: &[Form], once: bool) -> Result<Node> {
        // only the defmacro's own def is the macro's, not a def in its body
        let is_macro = std::mem::take(&mut self.defining_macro);
        let (name_form, doc, init) = match args {
            [name] => (name, None, None),
            [name, init] => (name, None, Some(init)),
            [
                name,
                Form {
                    kind: FormKind::Str(doc),
                    ..
                },
                init,
            ] => (name, Some(doc.clone()), Some(init)),
            [] => return Err(error(form, "Too few arguments to def")),
            _ => return Err(error(form, "Too many arguments to def")),
        };
        let name = match name_form.as_symbol() {
            Some(Symbol { ns: None, name }) => name.clone(),
            Some(Symbol { ns: Some(ns), name }) if *ns == self.ns => name.clone(),
            Some(_) => return Err(error(form, "Can't create defs outside of current ns")),
            None => return Err(error(form, "First argument to def must be a Symbol")),
        };
        let slot = self.namespaces.intern(&self.ns, &name);
        let qualified = format!("{}/{name}", self.ns);
        let init = match init {
            Some(init) => Some(Box::new(self.analyze_def_init(init, &qualified)?)),
            None => None,
        };
        let meta = name_form.meta.as_deref();
        let meta_node = self.analyze_var_meta(form, meta, &name, doc.as_deref(), is_macro)?;
        let var = self.namespaces.var_mut(slot);
        var.defined_at = Some(form.pos);
        var.file = self.file.clone();
        var.doc = doc.or_else(|| meta_string(meta, "doc"));
        var.arglists = meta_arglists(meta);
        var.is_private = meta_flag(meta, "private");
        Ok(Node::Def {
            slot,
            init,
            once,
            meta: Box::new(meta_node),
        })
    }

    /// The metadata a `def` gives its var, as Clojure builds it: the name's
    /// own metadata (values evaluated), then `:line`, `:column`, `:file`, a
    /// docstring given to `def`, `:name` and `:ns`, and `:macro` for a
    /// `defmacro` (whose arglists do not show `&form` and `&env`).
    fn analyze_var_meta(
        &mut self,
        form: &Form,
        meta: Option<&Form>,
        name: &str,
        doc: Option<&str>,
        is_macro: bool,
    ) -> Result<Node> {
        let pos = form.pos;
        let key = |name: &str| keyword(pos, name);
        let mut entries = match meta.map(|m| &m.kind) {
            Some(FormKind::Map(entries)) => entries.clone(),
            _ => Vec::new(),
        };
        if is_macro {
            for (k, value) in entries.iter_mut() {
                if matches!(&k.kind, FormKind::Keyword(s) if s.ns.is_none() && s.name == "arglists")
                {
                    *value = without_form_and_env_params(value);
                }
            }
        }
        let file = self.file.clone().unwrap_or_else(|| "NO_SOURCE_PATH".into());
        entries.push((key("line"), Form::new(FormKind::Int(pos.line.into()), pos)));
        entries.push((
            key("column"),
            Form::new(FormKind::Int(pos.column.into()), pos),
        ));
        entries.push((key("file"), Form::new(FormKind::Str(file), pos)));
        if let Some(doc) = doc {
            entries.push((key("doc"), Form::new(FormKind::Str(doc.into()), pos)));
        }
        let name = Form::new(FormKind::Symbol(Symbol::simple(name)), pos);
        entries.push((key("name"), quote(pos, name)));
        let ns = Form::new(FormKind::Symbol(Symbol::qualified(CORE_NS, "*ns*")), pos);
        entries.push((key("ns"), ns));
        if is_macro {
            entries.push((key("macro"), Form::new(FormKind::Bool(true), pos)));
        }
        self.analyze(&Form::new(FormKind::Map(entries), pos), false)
    }

    /// A def's value; a `fn*` gets the var's name for printing and errors.
    fn analyze_def_init(&mut self, init: &Form, qualified: &str) -> Result<Node> {
        if let FormKind::List(items) = &init.kind
            && items.first().is_some_and(|h| h.is_symbol_named("fn*"))
            && !self.is_local("fn*")
        {
            return self.analyze_fn(init, &items[1..], Some(qualified.to_string()));
        }
        self.analyze(init, false)
    }

    /// `let*` and `loop*`: bindings in order, each seeing the ones before.
    fn analyze_let(
        &mut self,
        form: &Form,
        args: &[Form],
        tail: bool,
        is_loop: bool,
    ) -> Result<Node> {
        let what = if is_loop { "loop*" } else { "let*" };
        let (bindings, body) = binding_vector(form, args, what)?;
        self.frame().scopes.push(HashMap::new());
        let result = self.analyze_bindings_and_body(bindings, body, tail, is_loop);
        self.frame().scopes.pop();
        result
    }

    fn analyze_bindings_and_body(
        &mut self,
        bindings: &[Form],
        body: &[Form],
        tail: bool,
        is_loop: bool,
    ) -> Result<Node> {
        let mut analyzed = Vec::new();
        for pair in bindings.chunks(2) {
            let name = local_name(&pair[0])?;
            let value = self.analyze(&pair[1], false)?;
            // A `let*` name bound again in the same bindings (`cond->`, `as->`,
            // destructuring) reuses its local: the earlier binding can no longer
            // be named, and closures copied its value. Without this a
            // 100,000-clause `cond->` needs 100,000 wasm locals (over wasm's
            // limit, and very slow to compile well before it).
            let shadowed = match is_loop {
                true => None,
                false => self.frame().scopes.last().and_then(|s| match s.get(&name) {
                    Some(Binding::Local(id)) => Some(*id),
                    _ => None,
                }),
            };
            let id = shadowed.unwrap_or_else(|| self.frame().new_local());
            self.frame()
                .scopes
                .last_mut()
                .expect("pushed by caller")
                .insert(name, Binding::Local(id));
            analyzed.push((id, value));
        }
        if is_loop {
            let targets = analyzed.iter().map(|(id, _)| *id).collect();
            self.frame().recur_targets.push(targets);
            let body = self.analyze_do(body, true);
            self.frame().recur_targets.pop();
            Ok(Node::Loop {
                bindings: analyzed,
                body: Box::new(body?),
            })
        } else {
            Ok(Node::Let {
                bindings: analyzed,
                body: Box::new(self.analyze_do(body, tail)?),
            })
        }
    }

    fn analyze_recur(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let Some(targets) = self.frame().recur_targets.last().cloned() else {
            return Err(error(
                form,
                match self.frame().in_try {
                    true => "Cannot recur across try",
                    false => "Can only recur from tail position",
                },
            ));
        };
        if !tail {
            return Err(error(form, "Can only recur from tail position"));
        }
        if args.len() != targets.len() {
            return Err(error(
                form,
                format!(
                    "Mismatched argument count to recur, expected: {} args, got: {}",
                    targets.len(),
                    args.len()
                ),
            ));
        }
        let args = args
            .iter()
            .map(|a| self.analyze(a, false))
            .collect::<Result<_>>()?;
        Ok(Node::Recur { targets, args })
    }

    /// `(fn* name? ([params] body...)...)` or `(fn* name? [params] body...)`.
    fn analyze_fn(
        &mut self,
        form: &Form,
        args: &[Form],
        print_name: Option<String>,
    ) -> Result<Node> {
        let (self_name, rest) = match args.split_first() {
            Some((
                Form {
                    kind: FormKind::Symbol(s),
                    ..
                },
                rest,
            )) if s.ns.is_none() => (Some(s.name.clone()), rest),
            _ => (None, args),
        };
        let arity_forms: Vec<(&Form, &[Form])> = match rest.first().map(|f| &f.kind) {
            Some(FormKind::Vector(_)) => vec![(&rest[0], &rest[1..])],
            _ => rest
                .iter()
                .map(|arity| match &arity.kind {
                    FormKind::List(items)
                        if matches!(items.first().map(|f| &f.kind), Some(FormKind::Vector(_))) =>
                    {
                        Ok((&items[0], &items[1..]))
                    }
                    _ => Err(error(arity, "Parameter declaration missing")),
                })
                .collect::<Result<_>>()?,
        };
        if arity_forms.is_empty() {
            return Err(error(form, "Parameter declaration missing"));
        }
        let in_try = std::mem::take(&mut self.next_fn_in_try);
        self.frames.push(FnScope {
            self_name: self_name.clone(),
            in_try,
            ..FnScope::default()
        });
        let arities = arity_forms
            .into_iter()
            .map(|(params, body)| self.analyze_arity(params, body))
            .collect::<Result<Vec<_>>>();
        let frame = self.frames.pop().expect("pushed above");
        let arities = arities?;
        check_arities(form, &arities)?;
        let name = print_name.or_else(|| self_name.map(|n| format!("{}/{n}", self.ns)));
        Ok(Node::Fn(Box::new(FnNode {
            name,
            arities,
            captures: frame.captures,
        })))
    }

    fn analyze_arity(&mut self, params_form: &Form, body: &[Form]) -> Result<FnArity> {
        let FormKind::Vector(param_forms) = &params_form.kind else {
            return Err(error(params_form, "Parameter declaration missing"));
        };
        let (names, variadic) = parse_params(params_form, param_forms)?;
        let frame = self.frame();
        frame.next_local = 0;
        let mut scope = HashMap::new();
        let params: Vec<LocalId> = names
            .into_iter()
            .map(|name| {
                let id = frame.new_local();
                scope.insert(name, Binding::Local(id));
                id
            })
            .collect();
        frame.scopes = vec![scope];
        frame.local_count = frame.next_local;
        // A try's fns are the runtime's business: no recur target of their own.
        frame.recur_targets = match frame.in_try {
            true => Vec::new(),
            false => vec![params.clone()],
        };
        let body = self.analyze_do(body, true)?;
        let local_count = self.frame().local_count;
        Ok(FnArity {
            params,
            variadic,
            body,
            local_count,
        })
    }

    fn analyze_var(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let [
            Form {
                kind: FormKind::Symbol(symbol),
                ..
            },
        ] = args
        else {
            return Err(error(form, "var takes one symbol"));
        };
        self.namespaces
            .resolve_var(&self.ns, symbol)
            .map(Node::TheVar)
            .ok_or_else(|| {
                error(
                    form,
                    format!("Unable to resolve var: {symbol} in this context"),
                )
            })
    }

    /// `(ns name (:require [a.b :as b :refer [f]]) (:use c.d) ...)`: switches
    /// namespace at compile time, loads what it requires (through the host)
    /// and records aliases and refers.
    fn analyze_ns(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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
                (FormKind::Keyword(k), FormKind::Vector(names))
                    if matches!(k.name.as_str(), "refer" | "only" | "refer-macros") =>
                {
                    for name in names {
                        let Some(symbol) = name.as_symbol() else {
                            continue;
                        };
                        let slot = self
                            .namespaces
                            .get(&target)
                            .and_then(|n| n.vars.get(&symbol.name).copied())
                            .ok_or_else(|| {
                                error(name, format!("{} does not exist", symbol.name))
                            })?;
                        let ns = self.ns.clone();
                        self.namespaces
                            .ensure(&ns)
                            .refers
                            .insert(symbol.name.clone(), slot);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Has the host load `target` for the current namespace, if it is not
    /// loaded yet (or `reload` says to).
    fn load(&mut self, target: RequireTarget, reload: Reload) -> Result<()> {
        let require = Require {
            from: self.ns.clone(),
            target,
            reload,
            pos: self.list_pos,
        };
        self.host.require(self.namespaces, &require)
    }

    /// `use` and `:refer :all`: every var of `target`, as it is now.
    fn refer_every_var(&mut self, target: &str) {
        let vars: Vec<(String, Slot)> = self
            .namespaces
            .get(target)
            .map(|n| n.vars.iter().map(|(k, &v)| (k.clone(), v)).collect())
            .unwrap_or_default();
        let ns = self.ns.clone();
        self.namespaces.ensure(&ns).refers.extend(vars);
    }

    /// `(resolve 'sym)` with a quoted symbol is answered at compile time: the
    /// var, or nil. (Editors send `(resolve 'clojure.main/repl-requires)` on
    /// connect.) Anything else is left to the runtime.
    fn analyze_resolve(&mut self, args: &[Form]) -> Option<Node> {
        if self.defines_in_current_ns("resolve") {
            return None;
        }
        let [
            Form {
                kind: FormKind::List(items),
                ..
            },
        ] = args
        else {
            return None;
        };
        let [
            quote,
            Form {
                kind: FormKind::Symbol(symbol),
                ..
            },
        ] = items.as_slice()
        else {
            return None;
        };
        if !quote.is_symbol_named("quote") {
            return None;
        }
        Some(match self.namespaces.resolve_var(&self.ns, symbol) {
            Some(slot) => Node::TheVar(slot),
            None => Node::Nil,
        })
    }

    /// JavaScript interop calls: `(.-prop obj)`, `(.method obj args...)`,
    /// `(js/Ctor. args...)` and `(new Ctor args...)`; `None` for other calls.
    fn analyze_interop(
        &mut self,
        form: &Form,
        head: &Symbol,
        args: &[Form],
    ) -> Result<Option<Node>> {
        let name = head.name.as_str();
        if head.ns.is_none() && name == "." && !self.is_local(".") {
            return self.analyze_dot(form, args).map(Some);
        }
        if head.ns.is_none() && name.len() > 2 && name.starts_with(".-") {
            let [obj] = args else {
                return Err(error(
                    form,
                    format!("Malformed member expression, expecting ({name} target)"),
                ));
            };
            let obj = Box::new(self.analyze(obj, false)?);
            return Ok(Some(Node::JsGet {
                obj,
                prop: name[2..].to_string(),
            }));
        }
        if head.ns.is_none() && name.len() > 1 && name.starts_with('.') && name != ".." {
            let Some((obj, rest)) = args.split_first() else {
                return Err(error(
                    form,
                    format!("Malformed member expression, expecting ({name} target ...)"),
                ));
            };
            let obj = Box::new(self.analyze(obj, false)?);
            let args = Box::new(self.analyze_js_args(form, rest)?);
            return Ok(Some(Node::JsCall {
                obj,
                method: name[1..].to_string(),
                args,
            }));
        }
        if head.ns.as_deref() == Some("js") && name.len() > 1 && name.ends_with('.') {
            let ctor = Box::new(Node::JsGlobal(name[..name.len() - 1].to_string()));
            let args = Box::new(self.analyze_js_args(form, args)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        // (Point. 1 2): a constructor call of a type (a var or a class name)
        if head.ns.is_none() && name.len() > 1 && name.ends_with('.') && !name.starts_with('.') {
            let type_name = Form::new(
                FormKind::Symbol(Symbol::simple(&name[..name.len() - 1])),
                form.pos,
            );
            let ctor = Box::new(self.analyze(&type_name, false)?);
            let args = Box::new(self.analyze_js_args(form, args)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        if head.ns.is_none() && name == "new" && !self.is_local("new") {
            let Some((ctor, rest)) = args.split_first() else {
                return Err(error(form, "new requires a constructor: (new js/Date)"));
            };
            let ctor = Box::new(self.analyze(ctor, false)?);
            let args = Box::new(self.analyze_js_args(form, rest)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        Ok(None)
    }

    /// The `.` special form: `(. obj -field)`, `(. obj method args...)` and
    /// `(. obj (method args...))` (what `..` expands to).
    fn analyze_dot(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let (Some(obj), Some(member)) = (args.first(), args.get(1)) else {
            return Err(error(
                form,
                "Malformed member expression, expecting (. target member ...)",
            ));
        };
        let (name, call_args): (&str, &[Form]) = match &member.kind {
            FormKind::Symbol(Symbol { ns: None, name }) => (name, &args[2..]),
            FormKind::List(items) if args.len() == 2 => match items.split_first() {
                Some((
                    Form {
                        kind: FormKind::Symbol(Symbol { ns: None, name }),
                        ..
                    },
                    rest,
                )) => (name, rest),
                _ => {
                    return Err(error(
                        form,
                        "Malformed member expression: the member must be a symbol",
                    ));
                }
            },
            _ => {
                return Err(error(
                    form,
                    "Malformed member expression: the member must be a symbol",
                ));
            }
        };
        let obj = Box::new(self.analyze(obj, false)?);
        if let Some(field) = name.strip_prefix('-') {
            return Ok(Node::JsGet {
                obj,
                prop: field.to_string(),
            });
        }
        let args = Box::new(self.analyze_js_args(form, call_args)?);
        Ok(Node::JsCall {
            obj,
            method: name.to_string(),
            args,
        })
    }

    /// Interop arguments as a vector node (nil for none).
    fn analyze_js_args(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        if args.is_empty() {
            return Ok(Node::Nil);
        }
        let args = self.analyze_args(args.iter())?;
        self.core_call(form, "vector", args)
    }

    /// `(defonce name init)`: a `def` that leaves a var with a value alone.
    fn analyze_defonce(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        match args {
            [_, _] => self.analyze_def(form, args, true),
            _ => Err(error(
                form,
                format!(
                    "Wrong number of args ({}) passed to: clojure.core/defonce",
                    args.len()
                ),
            )),
        }
    }

    /// `(set! var value)`: gives a var a new root (Clojure requires a thread
    /// binding; a REPL-driven runtime has one thread, so the root is it).
    fn analyze_set(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let [target, value] = args else {
            return Err(error(
                form,
                "Malformed assignment, expecting (set! target val)",
            ));
        };
        if let FormKind::List(items) = &target.kind
            && let [head, obj] = items.as_slice()
            && let Some(prop) = head.as_symbol().and_then(|s| s.name.strip_prefix(".-"))
        {
            let obj = Box::new(self.analyze(obj, false)?);
            let value = Box::new(self.analyze(value, false)?);
            return Ok(Node::JsSet {
                obj,
                prop: prop.to_string(),
                value,
            });
        }
        let Some(symbol) = target.as_symbol() else {
            return Err(error(form, "Invalid assignment target"));
        };
        if symbol.ns.is_none()
            && let Some((this, field)) = self.field_binding(self.frames.len() - 1, &symbol.name)
        {
            let index = self.frames.len() - 1;
            let obj = self
                .lookup_local(index, &this)
                .ok_or_else(|| error(form, "internal compiler error: a field's object is gone"))?;
            let value = Box::new(self.analyze(value, false)?);
            return Ok(Node::FieldSet {
                obj: Box::new(obj),
                field,
                value,
            });
        }
        if symbol.ns.is_none() && self.is_local(&symbol.name) {
            return Err(error(
                form,
                format!("Cannot assign to non-mutable: {}", symbol.name),
            ));
        }
        let slot = self
            .namespaces
            .resolve_var(&self.ns, symbol)
            .ok_or_else(|| {
                error(
                    form,
                    format!("Unable to resolve symbol: {symbol} in this context"),
                )
            })?;
        let value = self.analyze(value, false)?;
        Ok(Node::SetVar {
            slot,
            value: Box::new(value),
        })
    }

    fn analyze_throw(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        match args {
            [value] => Ok(Node::Throw(Box::new(self.analyze(value, false)?))),
            [] => Err(error(
                form,
                "Too few arguments to throw, throw expects a single Throwable instance",
            )),
            _ => Err(error(
                form,
                "Too many arguments to throw, throw expects a single Throwable instance",
            )),
        }
    }

    /// `(try body... (catch Class e handler...)... (finally cleanup...))`. The
    /// runtime runs it: the body, each handler and the cleanup become fns, so
    /// what they close over is captured like any closure's.
    fn analyze_try(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let clause = |f: &Form, name: &str| match &f.kind {
            FormKind::List(items) => items.first().is_some_and(|h| h.is_symbol_named(name)),
            _ => false,
        };
        let body_end = args
            .iter()
            .position(|f| clause(f, "catch") || clause(f, "finally"))
            .unwrap_or(args.len());
        let (body, clauses) = args.split_at(body_end);
        let mut catches = Vec::new();
        let mut finally = None;
        for (index, c) in clauses.iter().enumerate() {
            let FormKind::List(items) = &c.kind else {
                return Err(error(
                    c,
                    "Only catch or finally clause can follow catch in try expression",
                ));
            };
            if clause(c, "finally") {
                if index + 1 != clauses.len() {
                    return Err(error(c, "finally clause must be last in try expression"));
                }
                finally = Some(self.analyze_try_fn(c, None, &items[1..])?);
            } else if clause(c, "catch") {
                let [_, class, binding, handler @ ..] = items.as_slice() else {
                    return Err(error(c, "catch requires a class and a binding name"));
                };
                if binding.as_symbol().is_none_or(|s| s.ns.is_some()) {
                    return Err(error(
                        c,
                        format!("Bad binding form, expected symbol, got: {binding}"),
                    ));
                }
                catches.push(self.analyze_catch_class(class)?);
                catches.push(self.analyze_try_fn(c, Some(binding), handler)?);
            } else {
                return Err(error(
                    c,
                    "Only catch or finally clause can follow catch in try expression",
                ));
            }
        }
        let body = self.analyze_try_fn(form, None, body)?;
        let catches = match catches.is_empty() {
            true => Node::Nil,
            false => self.core_call(form, "vector", catches)?,
        };
        Ok(Node::Try {
            body: Box::new(body),
            catches: Box::new(catches),
            finally: Box::new(finally.unwrap_or(Node::Nil)),
        })
    }

    /// What a catch clause catches: a class, a JS constructor (`js/Error`), or
    /// `:default` (anything).
    fn analyze_catch_class(&mut self, class: &Form) -> Result<Node> {
        match &class.kind {
            FormKind::Keyword(k) if k.ns.is_none() && k.name == "default" => {
                Ok(Node::Const(constant::quoted(class)))
            }
            FormKind::Symbol(_) => self
                .analyze(class, false)
                .map_err(|_| error(class, format!("Unable to resolve classname: {class}"))),
            _ => Err(error(
                class,
                format!("Unable to resolve classname: {class}"),
            )),
        }
    }

    /// One part of a `try` as `(fn* [param?] forms...)`.
    fn analyze_try_fn(&mut self, at: &Form, param: Option<&Form>, forms: &[Form]) -> Result<Node> {
        let params = Form::new(
            FormKind::Vector(param.into_iter().cloned().collect()),
            at.pos,
        );
        let mut arity = vec![params];
        arity.extend(forms.iter().cloned());
        let arity = Form::new(FormKind::List(arity), at.pos);
        self.next_fn_in_try = true;
        let node = self.analyze_fn(at, std::slice::from_ref(&arity), None);
        self.next_fn_in_try = false;
        node
    }

    /// `(letfn* [name (fn name [..] ..) ...] body...)`: every name is in scope
    /// in every fn, so they can call each other.
    fn analyze_letfn(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let (bindings, body) = binding_vector(form, args, "letfn*")?;
        self.frame().scopes.push(HashMap::new());
        let result = self.analyze_letfn_bindings(form, bindings, body, tail);
        self.frame().scopes.pop();
        result
    }

    fn analyze_letfn_bindings(
        &mut self,
        form: &Form,
        bindings: &[Form],
        body: &[Form],
        tail: bool,
    ) -> Result<Node> {
        let mut ids = Vec::new();
        for pair in bindings.chunks(2) {
            let name = local_name(&pair[0])?;
            let id = self.frame().new_local();
            self.frame()
                .scopes
                .last_mut()
                .expect("pushed by caller")
                .insert(name, Binding::Local(id));
            ids.push(id);
        }
        let mut analyzed = Vec::new();
        for (pair, id) in bindings.chunks(2).zip(ids) {
            let fn_args = match &pair[1].kind {
                FormKind::List(items)
                    if items.first().is_some_and(|h| h.is_symbol_named("fn*")) =>
                {
                    &items[1..]
                }
                _ => return Err(error(form, "letfn* binds names to (fn* ...) forms")),
            };
            let print_name = format!("{}/{}", self.ns, pair[0]);
            let Node::Fn(function) = self.analyze_fn(&pair[1], fn_args, Some(print_name))? else {
                unreachable!("analyze_fn makes fn nodes")
            };
            analyzed.push((id, *function));
        }
        Ok(Node::LetFn {
            bindings: analyzed,
            body: Box::new(self.analyze_do(body, tail)?),
        })
    }

    /// `(in-ns 'name)`: switches (and creates) the namespace at compile time.
    fn analyze_in_ns(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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
    fn analyze_require(&mut self, args: &[Form], refer_all: bool) -> Result<Option<Node>> {
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
    fn analyze_load(&mut self, args: &[Form], file: bool) -> Result<Option<Node>> {
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
    fn analyze_requiring_resolve(&mut self, args: &[Form]) -> Result<Option<Node>> {
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

    /// `(doc name)`: prints what the compiler knows about a var, macro or
    /// special form, as Clojure's `doc` prints it.
    fn analyze_doc(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let [
            Form {
                kind: FormKind::Symbol(symbol),
                ..
            },
        ] = args
        else {
            return Err(error(form, "doc takes a symbol: (doc map)"));
        };
        let text = match super::introspect::lookup(self.namespaces, &self.ns, &symbol.to_string()) {
            Some(info) => doc_text(&info),
            None => String::new(),
        };
        self.core_call(form, "print", vec![Node::Const(constant::string(&text))])
    }

    fn analyze_invoke(&mut self, form: &Form, head: &Form, args: &[Form]) -> Result<Node> {
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
        let f = self.analyze(head, false)?;
        let args = self.analyze_args(args.iter())?;
        self.invoke(form, f, args)
    }

    /// Whether code analyzed now runs when the patch runs (not in a fn it makes).
    fn at_top_level(&self) -> bool {
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

    /// `(jank.runtime/deftype* "T" ...)`, what deftype and defrecord expand to, names the
    /// class `ns.T` (the namespace munged, as Clojure names classes), which later forms may
    /// name; `(jank.runtime/reify* "reify__1" ...)` names `ns$reify__1`. The arguments with
    /// the name qualified, for those calls.
    fn qualify_type_name(&mut self, head: &Form, args: &[Form]) -> Option<Vec<Form>> {
        let Some(Symbol { ns: Some(ns), name }) = head.as_symbol() else {
            return None;
        };
        if ns != RUNTIME_NS {
            return None;
        }
        let separator = match name.as_str() {
            "deftype*" | "defrecord*" => '.',
            "reify*" => '$',
            _ => return None,
        };
        let Some(Form {
            kind: FormKind::Str(short),
            pos,
            ..
        }) = args.first()
        else {
            return None;
        };
        let class = format!("{}{separator}{short}", self.ns.replace('-', "_"));
        if separator == '.' {
            self.namespaces.add_user_class(&class);
            self.footprint.define(Resource::Class(class.clone()));
        }
        let mut qualified = args.to_vec();
        qualified[0] = Form::new(FormKind::Str(class), *pos);
        Some(qualified)
    }

    /// The intrinsic when `head` resolves to a `clojure.core` fn that has one
    /// (as `lookup` finds it by name and argument count).
    fn core_intrinsic(
        &self,
        head: &Form,
        argc: usize,
        lookup: fn(&str, usize) -> Option<Intrinsic>,
    ) -> Option<Intrinsic> {
        let symbol = head.as_symbol()?;
        if symbol.ns.is_none() && self.is_local(&symbol.name) {
            return None;
        }
        let slot = self.namespaces.resolve_var(&self.ns, symbol)?;
        let var = self.namespaces.var(slot);
        (var.ns == CORE_NS)
            .then(|| lookup(&var.name, argc))
            .flatten()
    }
}

/// A `defmacro` argument with `&form &env` put in front of its parameters: a
/// parameter vector, or a `([params] body...)` arity. Other arguments (name,
/// docstring, attribute map) are returned as they are.
/// A macro's `:arglists` (`'([&form &env a])`) as Clojure shows them: `'([a])`.
fn without_form_and_env_params(arglists: &Form) -> Form {
    let strip = |params: &Form| match &params.kind {
        FormKind::Vector(items)
            if items.len() >= 2
                && items[0].is_symbol_named("&form")
                && items[1].is_symbol_named("&env") =>
        {
            Form::new(FormKind::Vector(items[2..].to_vec()), params.pos)
        }
        _ => params.clone(),
    };
    match &arglists.kind {
        FormKind::List(items) if items.len() == 2 && items[0].is_symbol_named("quote") => {
            quote(arglists.pos, without_form_and_env_params(&items[1]))
        }
        FormKind::List(items) => Form::new(
            FormKind::List(items.iter().map(strip).collect()),
            arglists.pos,
        ),
        _ => arglists.clone(),
    }
}

fn with_form_and_env_params(arg: &Form) -> Form {
    let prefixed = |params: &[Form], pos| {
        let mut all = vec![
            Form::new(FormKind::Symbol(Symbol::simple("&form")), pos),
            Form::new(FormKind::Symbol(Symbol::simple("&env")), pos),
        ];
        all.extend(params.iter().cloned());
        Form::new(FormKind::Vector(all), pos)
    };
    match &arg.kind {
        FormKind::Vector(params) => prefixed(params, arg.pos),
        FormKind::List(items) => match items.split_first() {
            Some((
                Form {
                    kind: FormKind::Vector(params),
                    pos,
                    ..
                },
                body,
            )) => {
                let mut arity = vec![prefixed(params, *pos)];
                arity.extend(body.iter().cloned());
                Form::new(FormKind::List(arity), arg.pos)
            }
            _ => arg.clone(),
        },
        _ => arg.clone(),
    }
}

/// The binding vector (an even number of forms) and body of a `let*`-like
/// special form, with Clojure's wording when they are malformed.
fn binding_vector<'f>(
    form: &Form,
    args: &'f [Form],
    what: &str,
) -> Result<(&'f [Form], &'f [Form])> {
    split_binding_vector(args).map_err(|problem| match problem {
        BindingVectorError::NotAVector => {
            error(form, format!("Bad binding form, expected vector in {what}"))
        }
        BindingVectorError::OddCount => error(
            form,
            format!("{what} requires an even number of forms in binding vector"),
        ),
    })
}

/// The first literal in `form` the runtime has no exact value for (BigDecimals).
fn first_unsupported_literal(form: &Form) -> Option<&Form> {
    match &form.kind {
        FormKind::BigDecimal(_) => Some(form),
        FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => {
            items.iter().find_map(first_unsupported_literal)
        }
        FormKind::Map(entries) => entries.iter().find_map(|(k, v)| {
            first_unsupported_literal(k).or_else(|| first_unsupported_literal(v))
        }),
        _ => None,
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

/// What `doc` prints for a symbol, as Clojure's `doc` lays it out.
fn doc_text(info: &super::introspect::SymbolInfo) -> String {
    let mut text = String::from("-------------------------\n");
    match &info.ns {
        Some(ns) => text.push_str(&format!("{ns}/{}\n", info.name)),
        None => text.push_str(&format!("{}\n", info.name)),
    }
    if let Some(arglists) = &info.arglists {
        text.push_str(&format!("{arglists}\n"));
    }
    match info.kind {
        "macro" => text.push_str("Macro\n"),
        "special-form" => text.push_str("Special Form\n"),
        _ => {}
    }
    if let Some(doc) = &info.doc {
        text.push_str(&format!("  {doc}\n"));
    }
    text
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

/// A binding name: an unqualified symbol.
fn local_name(form: &Form) -> Result<String> {
    match form.as_symbol() {
        Some(Symbol { ns: None, name }) => Ok(name.clone()),
        Some(symbol) => Err(error(form, format!("Can't let qualified name: {symbol}"))),
        None => Err(error(
            form,
            "Destructuring is not supported by the built-in compiler yet; bind a symbol",
        )),
    }
}

/// Parameter names, and whether the last one takes the rest (`& more`).
fn parse_params(form: &Form, params: &[Form]) -> Result<(Vec<String>, bool)> {
    let mut names = Vec::new();
    let mut variadic = false;
    let mut iter = params.iter();
    while let Some(param) = iter.next() {
        if param.is_symbol_named("&") {
            let rest = iter.next().ok_or_else(|| {
                error(form, "Invalid parameter list: & must be followed by a name")
            })?;
            names.push(local_name(rest)?);
            variadic = true;
            if iter.next().is_some() {
                return Err(error(
                    form,
                    "Invalid parameter list: only one name may follow &",
                ));
            }
        } else {
            names.push(local_name(param)?);
        }
    }
    if names.len() - usize::from(variadic) > MAX_POSITIONAL_ARGS {
        return Err(error(
            form,
            format!("Can't specify more than {MAX_POSITIONAL_ARGS} params"),
        ));
    }
    Ok((names, variadic))
}

/// Clojure's rules for a fn's arities: at most one variadic, no two of the same
/// fixed count, and no fixed arity with more params than the variadic one.
fn check_arities(form: &Form, arities: &[FnArity]) -> Result<()> {
    let variadic: Vec<&FnArity> = arities.iter().filter(|a| a.variadic).collect();
    if variadic.len() > 1 {
        return Err(error(form, "Can't have more than 1 variadic overload"));
    }
    let mut fixed: Vec<usize> = arities
        .iter()
        .filter(|a| !a.variadic)
        .map(|a| a.params.len())
        .collect();
    fixed.sort_unstable();
    if fixed.windows(2).any(|w| w[0] == w[1]) {
        return Err(error(form, "Can't have 2 overloads with same arity"));
    }
    if let (Some(v), Some(&max_fixed)) = (variadic.first(), fixed.last())
        && max_fixed > v.params.len() - 1
    {
        return Err(error(
            form,
            "Can't have fixed arity function with more params than variadic function",
        ));
    }
    Ok(())
}

/// A string value in a metadata map, e.g. `:doc`.
fn meta_string(meta: Option<&Form>, key: &str) -> Option<String> {
    meta_value(meta, key).and_then(|v| match &v.kind {
        FormKind::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// `:arglists` from metadata, printed (`([x] [x y])`), unwrapping a quote.
fn meta_arglists(meta: Option<&Form>) -> Option<String> {
    let value = meta_value(meta, "arglists")?;
    let value = match &value.kind {
        FormKind::List(items) if items.len() == 2 && items[0].is_symbol_named("quote") => &items[1],
        _ => value,
    };
    Some(value.to_string())
}

/// Whether the metadata map sets `key` to `true` (`^:private`).
fn meta_flag(meta: Option<&Form>, key: &str) -> bool {
    meta_value(meta, key).is_some_and(|v| matches!(v.kind, FormKind::Bool(true)))
}

fn meta_value<'f>(meta: Option<&'f Form>, key: &str) -> Option<&'f Form> {
    let FormKind::Map(entries) = &meta?.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, FormKind::Keyword(s) if s.ns.is_none() && s.name == key))
        .map(|(_, v)| v)
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
