//! User macros (`defmacro`): finding a macro for a call, running it once on a
//! runtime through the `CompileHost`, and defining one.

use crate::compiler::ast::Node;
use crate::compiler::form::{Form, FormKind, Symbol, nil, quote};
use crate::compiler::namespace::{CORE_NS, Slot};
use crate::compiler::reader::{ReadError, Reader};
use crate::compiler::{CompileError, CompileErrorKind, MacroFailure, macros};

use super::{Analyzer, MAX_USER_MACRO_EXPANSIONS, Result, analyze_with_budget, error};

impl Analyzer<'_> {
    /// The expander when `symbol` names a core macro: resolves to its
    /// `clojure.core` var (unshadowed, not excluded, or through an alias).
    pub(super) fn macro_for(&self, symbol: &Symbol) -> Option<macros::Expander> {
        let slot = self.namespaces.resolve_var(&self.ns, symbol)?;
        let var = self.namespaces.var(slot);
        if var.ns != CORE_NS || !var.is_macro {
            return None;
        }
        macros::lookup(&var.name)
    }

    /// The var of a `defmacro` macro that `symbol` names, if it names one.
    pub(super) fn user_macro(&self, symbol: &Symbol) -> Option<Slot> {
        let slot = self.namespaces.resolve_var(&self.ns, symbol)?;
        self.namespaces.var(slot).is_macro.then_some(slot)
    }

    /// A user macro call: the macro runs on the runtime (on the call's forms,
    /// unevaluated) and its expansion, read back, is analyzed in its place.
    pub(super) fn analyze_user_macro_call(
        &mut self,
        form: &Form,
        slot: Slot,
        tail: bool,
    ) -> Result<Node> {
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
        let patch = crate::compiler::emit_validated(&top_level, &ns, self.namespaces, call.pos)?;
        let failed = |class: String, message: String| CompileError {
            message,
            pos: call.pos,
            kind: CompileErrorKind::MacroExpansion {
                macro_name: macro_name.clone(),
                class,
            },
        };
        let printed = match self.host.run_macro(&patch, self.namespaces) {
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
        let context = crate::compiler::NsReadContext {
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
    pub(super) fn analyze_defmacro(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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
    let mut items = vec![the_var, quote(pos, with_position(call)), nil(pos)];
    items.extend(args.iter().map(|arg| quote(pos, arg.clone())));
    Form::new(FormKind::List(items), pos)
}

/// The call as `&form` sees it: with `:line` and `:column` metadata, as
/// Clojure's reader gives the lists it reads (the call's own metadata kept).
fn with_position(call: &Form) -> Form {
    let pos = call.pos;
    let number = |n: u32| Form::new(FormKind::Int(i64::from(n)), pos);
    let keyword = |k: &str| Form::new(FormKind::Keyword(Symbol::simple(k)), pos);
    let mut entries = vec![
        (keyword("line"), number(pos.line)),
        (keyword("column"), number(pos.column)),
    ];
    if let Some(meta) = &call.meta
        && let FormKind::Map(own) = &meta.kind
    {
        entries.extend(own.iter().cloned());
    }
    let mut positioned = call.clone();
    positioned.meta = Some(Box::new(Form::new(FormKind::Map(entries), pos)));
    positioned
}

/// A macro's `:arglists` (`'([&form &env a])`) as Clojure shows them: `'([a])`.
pub(super) fn without_form_and_env_params(arglists: &Form) -> Form {
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

/// A `defmacro` argument with `&form &env` put in front of its parameters: a
/// parameter vector, or a `([params] body...)` arity. Other arguments (name,
/// docstring, attribute map) are returned as they are.
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
