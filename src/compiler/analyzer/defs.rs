//! `def`, `defonce` and `doc`: interning a var, building its metadata as
//! Clojure's compiler does, and reading metadata maps.

use crate::compiler::ast::Node;
use crate::compiler::constant;
use crate::compiler::form::{Form, FormKind, Symbol, keyword, quote};
use crate::compiler::namespace::CORE_NS;

use super::user_macros::without_form_and_env_params;
use super::{Analyzer, Result, error};

impl Analyzer<'_> {
    pub(super) fn analyze_def(&mut self, form: &Form, args: &[Form], once: bool) -> Result<Node> {
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
    /// `defmacro` (whose arglists do not show `&form` and `&env`). Those are
    /// assoc'ed as Clojure's compiler does: a key the name's metadata has
    /// already keeps its place and takes the compiler's value.
    fn analyze_var_meta(
        &mut self,
        form: &Form,
        meta: Option<&Form>,
        name: &str,
        doc: Option<&str>,
        is_macro: bool,
    ) -> Result<Node> {
        let pos = form.pos;
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
        let line = Form::new(FormKind::Int(pos.line.into()), pos);
        assoc_entry(&mut entries, "line", line);
        let column = Form::new(FormKind::Int(pos.column.into()), pos);
        assoc_entry(&mut entries, "column", column);
        assoc_entry(&mut entries, "file", Form::new(FormKind::Str(file), pos));
        if let Some(doc) = doc {
            let doc = Form::new(FormKind::Str(doc.into()), pos);
            assoc_entry(&mut entries, "doc", doc);
        }
        let name = Form::new(FormKind::Symbol(Symbol::simple(name)), pos);
        assoc_entry(&mut entries, "name", quote(pos, name));
        let ns = Form::new(FormKind::Symbol(Symbol::qualified(CORE_NS, "*ns*")), pos);
        assoc_entry(&mut entries, "ns", ns);
        if is_macro {
            let flag = Form::new(FormKind::Bool(true), pos);
            assoc_entry(&mut entries, "macro", flag);
        }
        self.analyze(&Form::new(FormKind::Map(entries), pos), false)
    }

    /// A def's value; a `fn*` gets the var's name for printing and errors.
    fn analyze_def_init(&mut self, init: &Form, qualified: &str) -> Result<Node> {
        if let FormKind::List(items) = &init.kind
            && items.first().is_some_and(|h| h.is_symbol_named("fn*"))
        {
            return self.analyze_fn(init, &items[1..], Some(qualified.to_string()));
        }
        self.analyze(init, false)
    }

    /// `(defonce name init)`: a `def` that leaves a var with a value alone.
    pub(super) fn analyze_defonce(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
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

    /// `(doc name)`: prints what the compiler knows about a var, macro or
    /// special form, as Clojure's `doc` prints it.
    pub(super) fn analyze_doc(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let [
            Form {
                kind: FormKind::Symbol(symbol),
                ..
            },
        ] = args
        else {
            return Err(error(form, "doc takes a symbol: (doc map)"));
        };
        let text = match crate::compiler::introspect::lookup(
            self.namespaces,
            &self.ns,
            &symbol.to_string(),
        ) {
            Some(info) => doc_text(&info),
            None => String::new(),
        };
        self.core_call(form, "print", vec![Node::Const(constant::string(&text))])
    }
}

/// What `doc` prints for a symbol, as Clojure's `doc` lays it out.
fn doc_text(info: &crate::compiler::introspect::SymbolInfo) -> String {
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

/// The entries of a map literal with the keyword `key` (no namespace) set to
/// `value` as `assoc` sets it: in the place of an entry with that key, else last.
fn assoc_entry(entries: &mut Vec<(Form, Form)>, key: &str, value: Form) {
    let is_key =
        |k: &Form| matches!(&k.kind, FormKind::Keyword(s) if s.ns.is_none() && s.name == key);
    match entries.iter_mut().find(|(k, _)| is_key(k)) {
        Some(entry) => entry.1 = value,
        None => entries.push((keyword(value.pos, key), value)),
    }
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
