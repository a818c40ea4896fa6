//! Questions running code asks the compiler (docs/patch-abi.md, "Questions to
//! the compiler"): `eval`, `load-string` and a computed `require` send code to
//! compile, `macroexpand` a form to expand, and the namespace fns (`find-var`,
//! `ns-resolve`, `intern`, `ns-map`, `ns-unmap`, `alias`, `refer`, ...) read or
//! change the compiler's symbol table, which is the namespaces' truth. The
//! runtime waits while the eval that runs the code answers (`EvalRun`); the
//! questions about tables are answered here, under the compiler's lock for
//! just that long.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::compiler::form::{Form, FormKind, Symbol};
use crate::compiler::namespace::{CORE_NS, Namespaces, ReferFilters, Slot};
use crate::compiler::reader::Reader;
use crate::compiler::{classes, constant, macros};

/// One question, as the runtime's `ask` message carries it.
#[derive(Debug, Deserialize)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub(super) enum Question {
    /// Compile and run the forms of `code` in `ns` (`eval`, `load-string`):
    /// every form but the last runs as a step, the last is the answer.
    Load { ns: String, code: String },
    /// One expansion of the form `code` (`macroexpand-1`).
    Expand { ns: String, code: String },
    /// The first form of `code` as the compiler's reader reads it in `ns`
    /// (read-string of code only code has: `#()`, syntax-quote, `^meta`).
    Read { ns: String, code: String },
    /// The metadata of a library var (`(meta #'map)`): what the compiler knows.
    VarMeta { ns: String, name: String },
    /// The plain bindings that bind the binding vector `code` (`destructure`).
    Destructure { ns: String, code: String },
    /// What `sym` names in `ns` (`ns-resolve`); `direct`: only a var `ns`
    /// itself interns (`find-var`).
    Resolve {
        ns: String,
        sym: String,
        #[serde(default)]
        direct: bool,
    },
    /// A namespace's mappings of one kind (`ns-map`, `ns-refers`, ...).
    Mappings { ns: String, kind: MappingKind },
    /// `intern`: the var `ns/name`, made if needed.
    Intern { ns: String, name: String },
    /// `ns-unmap`.
    Unmap { ns: String, name: String },
    /// `ns-unalias`.
    Unalias { ns: String, alias: String },
    /// `alias`, in namespace `ns`.
    Alias {
        ns: String,
        alias: String,
        target: String,
    },
    /// `refer`, in namespace `ns`.
    Refer {
        ns: String,
        from: String,
        #[serde(default)]
        only: Option<Vec<String>>,
        #[serde(default)]
        exclude: Vec<String>,
        #[serde(default)]
        rename: HashMap<String, String>,
    },
    /// `loaded-libs`.
    Loaded,
    /// `all-ns`: every namespace's name.
    AllNamespaces,
    /// The text of a var's definition (`clojure.repl/source`): what `sym`
    /// names in `ns` (the eval answers: it reads the file).
    Source { ns: String, sym: String },
    /// How the patch an earlier answer asked the runtime to run ended.
    Ran {
        ok: bool,
        #[serde(default)]
        value: String,
        #[serde(default)]
        class: String,
        #[serde(default)]
        message: String,
    },
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum MappingKind {
    /// Everything a name means unqualified: own vars, refers, imports.
    Map,
    Refers,
    Aliases,
    Imports,
    /// The vars it interns (`ns-interns`), and the public ones (`ns-publics`).
    Interns,
    Publics,
}

/// An answer that is an error the runtime throws.
#[derive(Debug)]
pub(super) struct Refusal {
    pub class: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(class: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            class,
            message: message.into(),
        }
    }

    /// The answer's fields.
    pub fn to_answer(&self) -> Value {
        json!({"ok": false, "class": self.class, "message": self.message})
    }
}

const EXCEPTION: &str = "java.lang.Exception";
const ILLEGAL_ARGUMENT: &str = "java.lang.IllegalArgumentException";
const ILLEGAL_STATE: &str = "java.lang.IllegalStateException";
const ILLEGAL_ACCESS: &str = "java.lang.IllegalAccessError";

/// A var as answers carry it: `[slot, ns, name]`.
fn var_entry(namespaces: &Namespaces, slot: Slot) -> Value {
    let var = namespaces.var(slot);
    json!({"var": [slot, var.ns, var.name]})
}

/// Clojure's `the-ns`: the namespace, or its error.
fn the_ns(namespaces: &Namespaces, ns: &str) -> Result<(), Refusal> {
    if namespaces.exists(ns) {
        Ok(())
    } else {
        Err(Refusal::new(EXCEPTION, format!("No namespace: {ns} found")))
    }
}

/// Answers a question that only reads the symbol table (`find-var`,
/// `ns-map`, `macroexpand-1`, ...); `None` for one that changes it, or is
/// the eval's to answer (`Load`, `Ran`).
pub(super) fn answer_read(
    namespaces: &Namespaces,
    question: &Question,
) -> Option<Result<Value, Refusal>> {
    Some(match question {
        Question::Resolve { ns, sym, direct } => resolve(namespaces, ns, sym, *direct),
        Question::Mappings { ns, kind } => {
            the_ns(namespaces, ns).map(|()| json!({ "entries": mappings(namespaces, ns, *kind) }))
        }
        Question::Loaded => Ok(json!({ "names": loaded_libs(namespaces) })),
        Question::AllNamespaces => {
            let mut names: Vec<&str> = namespaces
                .names()
                .filter(|name| !Namespaces::is_class_namespace(name))
                .collect();
            names.sort_unstable();
            Ok(json!({ "names": names }))
        }
        Question::Expand { ns, code } => expand_code(namespaces, ns, code),
        Question::Destructure { ns, code } => destructure(namespaces, ns, code),
        Question::VarMeta { ns, name } => Ok(var_meta(namespaces, ns, name)),
        Question::Read { ns, code } => read_form(namespaces, ns, code),
        _ => return None,
    })
}

/// Answers a question about the symbol table, reading or changing it
/// (every question but `Load` and `Ran`, which the eval answers).
pub(super) fn answer_about_tables(
    namespaces: &mut Namespaces,
    question: &Question,
) -> Result<Value, Refusal> {
    if let Some(answer) = answer_read(namespaces, question) {
        return answer;
    }
    match question {
        Question::Intern { ns, name } => {
            the_ns(namespaces, ns)?;
            let fresh = namespaces
                .get(ns)
                .is_none_or(|n| !n.vars.contains_key(name));
            let slot = namespaces.intern(ns, name);
            let mut answer = var_entry(namespaces, slot);
            answer["fresh"] = json!(fresh);
            Ok(answer)
        }
        Question::Unmap { ns, name } => {
            the_ns(namespaces, ns)?;
            namespaces.unmap(ns, name);
            Ok(json!({}))
        }
        Question::Unalias { ns, alias } => {
            the_ns(namespaces, ns)?;
            namespaces.ensure(ns).aliases.remove(alias);
            Ok(json!({}))
        }
        Question::Alias { ns, alias, target } => add_alias(namespaces, ns, alias, target),
        Question::Refer {
            ns,
            from,
            only,
            exclude,
            rename,
        } => {
            let filters = ReferFilters {
                only: only.clone(),
                exclude: exclude.iter().cloned().collect(),
                rename: rename.clone(),
            };
            namespaces
                .refer_filtered(ns, from, &filters)
                .map(|()| json!({}))
                .map_err(|message| {
                    let class = if message.starts_with("No namespace") {
                        EXCEPTION
                    } else {
                        ILLEGAL_ACCESS
                    };
                    Refusal::new(class, message)
                })
        }
        _ => Err(Refusal::new(
            ILLEGAL_STATE,
            "internal error: not a question about the tables",
        )),
    }
}

/// `ns-resolve` (and with `direct`, `find-var`).
fn resolve(namespaces: &Namespaces, ns: &str, sym: &str, direct: bool) -> Result<Value, Refusal> {
    let symbol = Symbol::parse(sym);
    if direct {
        let Some(var_ns) = &symbol.ns else {
            return Err(Refusal::new(
                ILLEGAL_ARGUMENT,
                "Symbol must be namespace-qualified",
            ));
        };
        let Some(namespace) = namespaces.get(var_ns) else {
            return Err(Refusal::new(
                ILLEGAL_ARGUMENT,
                format!("No such namespace: {var_ns}"),
            ));
        };
        return Ok(match namespace.vars.get(&symbol.name) {
            Some(&slot) => var_entry(namespaces, slot),
            None => json!({}),
        });
    }
    the_ns(namespaces, ns)?;
    if let Some(slot) = namespaces.resolve_var(ns, &symbol) {
        return Ok(var_entry(namespaces, slot));
    }
    let class_name = match &symbol.ns {
        None => symbol.name.clone(),
        Some(_) => sym.to_string(),
    };
    if !sym.contains('/') && namespaces.is_class(&class_name) {
        return Ok(json!({ "value": constant::class(&class_name) }));
    }
    Ok(json!({}))
}

/// `[name, {var}|{value}|{ns}]` for each mapping of `kind` in `ns`.
fn mappings(namespaces: &Namespaces, ns: &str, kind: MappingKind) -> Vec<Value> {
    let Some(namespace) = namespaces.get(ns) else {
        return Vec::new();
    };
    let vars = |names: Vec<(String, Slot)>| {
        names
            .into_iter()
            .map(|(name, slot)| json!([name, var_entry(namespaces, slot)]))
            .collect::<Vec<_>>()
    };
    match kind {
        MappingKind::Refers => vars(namespaces.refers_of(ns)),
        MappingKind::Aliases => namespace
            .aliases
            .iter()
            .map(|(alias, target)| json!([alias, {"ns": target}]))
            .collect(),
        MappingKind::Imports => imports(namespaces, ns),
        MappingKind::Interns | MappingKind::Publics => {
            let interned = namespace.vars.iter().map(|(n, &s)| (n.clone(), s));
            let public = |(_, slot): &(String, Slot)| !namespaces.var(*slot).is_private;
            match kind {
                MappingKind::Publics => vars(interned.filter(public).collect()),
                _ => vars(interned.collect()),
            }
        }
        MappingKind::Map => {
            let own = namespace
                .vars
                .iter()
                .map(|(n, &s)| (n.clone(), s))
                .collect();
            let mut all = vars(own);
            all.extend(vars(namespaces.refers_of(ns)));
            all.extend(imports(namespaces, ns));
            all
        }
    }
}

/// The classes every namespace names by their simple names (`String` for
/// `java.lang.String`, as Clojure imports `java.lang`), and those `ns`'s
/// deftypes and defrecords made.
fn imports(namespaces: &Namespaces, ns: &str) -> Vec<Value> {
    let java_lang = classes::KNOWN_CLASSES
        .iter()
        .filter_map(|name| name.strip_prefix("java.lang."))
        .filter(|simple| !simple.contains('.') && namespaces.is_class(simple))
        .map(|simple| json!([simple, {"value": constant::class(&format!("java.lang.{simple}"))}]));
    let prefix = format!("{ns}.");
    let own = namespaces.user_classes().filter_map(move |class| {
        let simple = class.strip_prefix(&prefix)?;
        Some(json!([simple, {"value": constant::class(class)}]))
    });
    java_lang.chain(own).collect()
}

/// `alias`: Clojure refuses an alias that already names another namespace.
fn add_alias(
    namespaces: &mut Namespaces,
    ns: &str,
    alias: &str,
    target: &str,
) -> Result<Value, Refusal> {
    the_ns(namespaces, target)?;
    if let Some(existing) = namespaces.get(ns).and_then(|n| n.aliases.get(alias))
        && existing != target
    {
        return Err(Refusal::new(
            ILLEGAL_STATE,
            format!("Alias {alias} already exists in namespace {ns}, aliasing {existing}"),
        ));
    }
    namespaces
        .ensure(ns)
        .aliases
        .insert(alias.to_string(), target.to_string());
    Ok(json!({}))
}

/// The namespaces loaded as libraries: every namespace but `user`, those no
/// code defined anything in, and the runtime's own.
fn loaded_libs(namespaces: &Namespaces) -> Vec<String> {
    let mut names: Vec<String> = namespaces
        .names()
        .filter(|name| {
            !matches!(
                *name,
                crate::DEFAULT_NS | CORE_NS | crate::compiler::namespace::RUNTIME_NS
            ) && !Namespaces::is_class_namespace(name)
                && namespaces.get(name).is_some_and(|n| !n.vars.is_empty())
        })
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// One expansion of the form `code` (printed), read in `ns`.
fn expand_code(namespaces: &Namespaces, ns: &str, code: &str) -> Result<Value, Refusal> {
    let context = crate::compiler::read_context(namespaces, ns);
    match Reader::new(code, 1, 1).next_form(&context) {
        Ok(Some(form)) => expand(namespaces, ns, &form),
        Ok(None) => Ok(json!({})),
        Err(error) => Err(Refusal::new(
            crate::error_class::READER_EXCEPTION,
            error.message,
        )),
    }
}

/// A library var's metadata as Clojure has it: `:arglists`, `:doc`, `:added`,
/// `:name`, `:ns`, and `:macro` or `:dynamic`; `{}` for a var the compiler
/// does not know.
fn var_meta(namespaces: &Namespaces, ns: &str, name: &str) -> Value {
    let Some(&slot) = namespaces.get(ns).and_then(|n| n.vars.get(name)) else {
        return json!({});
    };
    let var = namespaces.var(slot);
    let keyword = |k: &str| {
        constant::quoted(&Form::new(
            FormKind::Keyword(Symbol::simple(k)),
            Default::default(),
        ))
    };
    let mut entries = Vec::new();
    let arglists = var.arglists.as_deref().and_then(|text| {
        Reader::new(text, 1, 1)
            .next_form(&crate::compiler::read_context(namespaces, ns))
            .ok()
            .flatten()
    });
    if let Some(arglists) = arglists {
        entries.extend([keyword("arglists"), constant::quoted(&arglists)]);
    }
    if let Some(doc) = &var.doc {
        entries.extend([keyword("doc"), constant::string(doc)]);
    }
    if let Some(added) = &var.added {
        entries.extend([keyword("added"), constant::string(added)]);
    }
    let name_symbol = Form::new(
        FormKind::Symbol(Symbol::simple(&var.name)),
        Default::default(),
    );
    entries.extend([keyword("name"), constant::quoted(&name_symbol)]);
    entries.extend([keyword("ns"), constant::namespace(&var.ns)]);
    if var.is_macro {
        entries.extend([keyword("macro"), json!(true)]);
    }
    if var.is_dynamic {
        entries.extend([keyword("dynamic"), json!(true)]);
    }
    json!({ "value": { "map": entries } })
}

/// `{"form": ..., "end": n}`: the first form of `code` and the UTF-16 length
/// of the text it took (how the runtime counts); `{}` when there is none.
fn read_form(namespaces: &Namespaces, ns: &str, code: &str) -> Result<Value, Refusal> {
    let context = crate::compiler::read_context(namespaces, ns);
    let mut reader = Reader::new(code, 1, 1);
    match reader.next_form(&context) {
        Ok(Some(form)) => {
            let end = code[..reader.offset()].encode_utf16().count();
            Ok(json!({ "form": constant::quoted(&form), "end": end }))
        }
        Ok(None) => Ok(json!({})),
        Err(error) => Err(Refusal::new(
            crate::error_class::READER_EXCEPTION,
            error.message,
        )),
    }
}

/// `destructure`: the binding vector `code` as the plain bindings `let*` takes.
fn destructure(namespaces: &Namespaces, ns: &str, code: &str) -> Result<Value, Refusal> {
    let context = crate::compiler::read_context(namespaces, ns);
    let form = Reader::new(code, 1, 1)
        .next_form(&context)
        .map_err(|error| Refusal::new(crate::error_class::READER_EXCEPTION, error.message))?;
    let Some(Form {
        kind: FormKind::Vector(bindings),
        pos,
        ..
    }) = form
    else {
        return Err(Refusal::new(
            ILLEGAL_ARGUMENT,
            "destructure takes a binding vector",
        ));
    };
    if bindings.len() % 2 != 0 {
        return Err(Refusal::new(
            ILLEGAL_ARGUMENT,
            "destructure takes an even number of forms in its binding vector",
        ));
    }
    let plain = crate::compiler::destructure::plain_bindings(&bindings)
        .map_err(|error| Refusal::new(ILLEGAL_ARGUMENT, error.message))?;
    let vector = Form::new(FormKind::Vector(plain), pos);
    Ok(json!({ "form": constant::quoted(&vector) }))
}

/// What one expansion step of `form` in `ns` is: a user macro's var (the
/// runtime calls its fn), a core macro's expansion, or nothing (not a macro
/// call: the form is its own expansion).
fn expand(namespaces: &Namespaces, ns: &str, form: &Form) -> Result<Value, Refusal> {
    let FormKind::List(items) = &form.kind else {
        return Ok(json!({}));
    };
    let Some((head, args)) = items.split_first() else {
        return Ok(json!({}));
    };
    let Some(symbol) = head.as_symbol() else {
        return Ok(json!({}));
    };
    if let Some(expansion) = expand_interop(form, symbol, args) {
        return Ok(json!({ "form": constant::quoted(&expansion) }));
    }
    let Some(slot) = namespaces.resolve_var(ns, symbol) else {
        return Ok(json!({}));
    };
    let var = namespaces.var(slot);
    if !var.is_macro {
        return Ok(json!({}));
    }
    if var.ns != CORE_NS {
        return Ok(json!({"macro": [slot, var.ns, var.name]}));
    }
    // A core macro expands here (defmacro, defonce and ns are the compiler's own forms).
    let Some(expander) = macros::lookup(&var.name) else {
        return Ok(json!({}));
    };
    match expander(form, args) {
        Ok(expansion) => Ok(json!({ "form": constant::quoted(&expansion) })),
        Err(error) => Err(Refusal::new(
            crate::error_class::COMPILER_EXCEPTION,
            error.message,
        )),
    }
}

/// `(.method obj args)` is `(. obj method args)` and `(Class. args)` is
/// `(new Class args)`, as Clojure's macroexpand-1 shows them.
fn expand_interop(form: &Form, symbol: &Symbol, args: &[Form]) -> Option<Form> {
    if symbol.ns.is_some() {
        return None;
    }
    let name = &symbol.name;
    let head = |name: &str| Form::new(FormKind::Symbol(Symbol::simple(name)), form.pos);
    if let Some(method) = name
        .strip_prefix('.')
        .filter(|m| !m.is_empty() && !m.starts_with('.'))
    {
        let (target, rest) = args.split_first()?;
        let mut items = vec![head("."), target.clone(), head(method)];
        items.extend(rest.iter().cloned());
        return Some(Form::new(FormKind::List(items), form.pos));
    }
    if let Some(class) = name
        .strip_suffix('.')
        .filter(|c| !c.is_empty() && !c.ends_with('.'))
    {
        let mut items = vec![head("new"), head(class)];
        items.extend(args.iter().cloned());
        return Some(Form::new(FormKind::List(items), form.pos));
    }
    None
}

/// Standard base64 of `bytes`, how answers carry a patch in JSON.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn find_var_wants_a_qualified_symbol_of_a_namespace_that_exists() {
        let mut namespaces = Namespaces::new();
        let ask = |namespaces: &mut Namespaces, sym: &str| {
            let question = Question::Resolve {
                ns: "user".into(),
                sym: sym.into(),
                direct: true,
            };
            answer_about_tables(namespaces, &question)
        };
        let unqualified = ask(&mut namespaces, "map").unwrap_err();
        assert_eq!(unqualified.message, "Symbol must be namespace-qualified");
        let missing = ask(&mut namespaces, "nosuch/x").unwrap_err();
        assert_eq!(missing.message, "No such namespace: nosuch");
        let found = ask(&mut namespaces, "clojure.core/map").unwrap();
        assert_eq!(found["var"][2], "map");
        assert_eq!(ask(&mut namespaces, "user/nope").unwrap(), json!({}));
    }

    #[test]
    fn an_unmapped_core_name_no_longer_resolves_and_a_refer_brings_it_back() {
        let mut namespaces = Namespaces::new();
        let map = Symbol::simple("map");
        assert!(namespaces.resolve_var("user", &map).is_some());
        namespaces.unmap("user", "map");
        assert!(namespaces.resolve_var("user", &map).is_none());
        assert!(
            namespaces
                .refers_of("user")
                .iter()
                .all(|(name, _)| name != "map")
        );
        let filters = ReferFilters {
            only: Some(vec!["map".into()]),
            ..ReferFilters::default()
        };
        namespaces
            .refer_filtered("user", CORE_NS, &filters)
            .unwrap();
        assert!(namespaces.resolve_var("user", &map).is_some());
    }

    #[test]
    fn an_alias_to_another_namespace_is_refused_with_clojures_message() {
        let mut namespaces = Namespaces::new();
        namespaces.ensure("a.b");
        namespaces.ensure("c.d");
        let alias = |namespaces: &mut Namespaces, target: &str| {
            let question = Question::Alias {
                ns: "user".into(),
                alias: "x".into(),
                target: target.into(),
            };
            answer_about_tables(namespaces, &question)
        };
        alias(&mut namespaces, "a.b").unwrap();
        alias(&mut namespaces, "a.b").unwrap();
        let refused = alias(&mut namespaces, "c.d").unwrap_err();
        assert_eq!(
            refused.message,
            "Alias x already exists in namespace user, aliasing a.b"
        );
        assert_eq!(
            alias(&mut namespaces, "nosuch").unwrap_err().message,
            "No namespace: nosuch found"
        );
    }
}
