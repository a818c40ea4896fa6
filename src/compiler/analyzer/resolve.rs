//! Symbols: what a name means where it is used (a local, a captured local, a
//! deftype field, a var), `var`, `resolve` at compile time, and `set!`.

use crate::compiler::ast::Node;
use crate::compiler::footprint::Resource;
use crate::compiler::form::{Form, FormKind, Symbol};
use crate::compiler::namespace::CORE_NS;
use crate::compiler::{constant, macros};

use super::{Analyzer, Binding, Result, error, is_special_form};

impl Analyzer<'_> {
    pub(super) fn analyze_symbol(&mut self, form: &Form, symbol: &Symbol) -> Result<Node> {
        let form = &Form::new(form.kind.clone(), self.list_pos);
        if symbol.ns.as_deref() == Some("js") {
            return Ok(Node::JsGlobal(symbol.name.clone()));
        }
        // *ns* is the namespace this form is compiled in while its top-level
        // code runs; a fn reads the var, which is the namespace of the code
        // running when it is called (a macro's: the namespace it expands in).
        if symbol.name == "*ns*"
            && matches!(symbol.ns.as_deref(), None | Some(CORE_NS))
            && !self.is_local("*ns*")
            && self.at_top_level()
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
            Some(slot) if self.namespaces.var(slot).is_macro => {
                let var = self.namespaces.var(slot);
                let message = format!("Can't take value of a macro: #'{}/{}", var.ns, var.name);
                Err(error(form, message))
            }
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
    pub(super) fn check_public(&self, form: &Form, prefix: &str) -> Result<()> {
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
    pub(super) fn defines_in_current_ns(&self, name: &str) -> bool {
        self.namespaces
            .get(&self.ns)
            .is_some_and(|n| n.vars.contains_key(name))
    }

    pub(super) fn is_local(&self, name: &str) -> bool {
        self.frames
            .iter()
            .any(|f| f.find_binding(name).is_some() || f.self_name.as_deref() == Some(name))
    }

    pub(super) fn analyze_var(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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

    /// `(resolve 'sym)` with a quoted symbol is answered at compile time: the
    /// var, the class, or nil. (Editors send `(resolve 'clojure.main/repl-requires)` on
    /// connect.) Anything else is left to the runtime.
    pub(super) fn analyze_resolve(&mut self, args: &[Form]) -> Option<Node> {
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
            None if symbol.ns.is_none() && self.namespaces.is_class(&symbol.name) => {
                Node::Const(constant::class(&symbol.name))
            }
            None => Node::Nil,
        })
    }

    /// `(set! var value)`: gives a var a new root (Clojure requires a thread
    /// binding; a REPL-driven runtime has one thread, so the root is it).
    pub(super) fn analyze_set(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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
        // (set! *assert* false): later asserts compile to nothing, as in Clojure
        let var = self.namespaces.var(slot);
        if var.ns == CORE_NS
            && var.name == "*assert*"
            && let FormKind::Bool(on) = value.kind
        {
            self.namespaces.assertions = on;
        }
        let value = self.analyze(value, false)?;
        Ok(Node::SetVar {
            slot,
            value: Box::new(value),
        })
    }
}
