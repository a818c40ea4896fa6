//! Protocols, types, records and multimethods: `defprotocol`, `extend-type`,
//! `extend-protocol`, `deftype`, `defrecord`, `reify`, `defmulti`, `defmethod`.
//!
//! They expand to calls of the runtime's `jank.runtime` helpers (which build the protocol,
//! type or multimethod objects) with the method implementations as fns. Inside a deftype or
//! defrecord method the fields are locals: immutable ones bound once from `this` with
//! `jank.runtime/field*`, `^:mutable` ones through `jank.runtime/mutable-fields*`, which the
//! analyzer reads and `set!`s on `this` at each use. A type's name string is unqualified
//! here; the analyzer qualifies it with the namespace (`user.Point`).

use super::*;
use crate::compiler::form::Symbol;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "defprotocol",
        arglists: "([name & opts+sigs])",
        doc: "A protocol is a named set of named methods and their signatures: (defprotocol AProtocolName \"optional doc string\" (method-name [this args*] \"optional doc\")*). Each method dispatches on the type of its first argument.",
        expand: expand_defprotocol,
    },
    Macro {
        name: "extend-type",
        arglists: "([t & specs])",
        doc: "A macro that expands into an extend call. Useful when you are supplying the definitions explicitly inline, extend-type automatically creates the maps required by extend.",
        expand: expand_extend_type,
    },
    Macro {
        name: "extend-protocol",
        arglists: "([p & specs])",
        doc: "Useful when you want to provide several implementations of the same protocol all at once. Takes a single protocol and the implementation of that protocol for one or more types. Expands into calls to extend-type.",
        expand: expand_extend_protocol,
    },
    Macro {
        name: "deftype",
        arglists: "([name [& fields] & opts+specs])",
        doc: "(deftype name [fields*] options* specs*) Options are expressed as sequential keywords and arguments (in any order). Dynamically generates compiled bytecode for class with the given name, in a package with the same name as the current namespace, the given fields, and, optionally, methods for protocols and/or interfaces.",
        expand: expand_deftype,
    },
    Macro {
        name: "defrecord",
        arglists: "([name [& fields] & opts+specs])",
        doc: "(defrecord name [fields*] options* specs*) Options are expressed as sequential keywords and arguments (in any order). Dynamically generates compiled bytecode for class with the given name, in a package with the same name as the current namespace, the given fields, and, optionally, methods for protocols and/or interfaces.",
        expand: expand_defrecord,
    },
    Macro {
        name: "reify",
        arglists: "([& opts+specs])",
        doc: "reify creates an object implementing a protocol or interface. reify is a macro with the following structure: (reify options* specs*)",
        expand: expand_reify,
    },
    Macro {
        name: "defmulti",
        arglists: "([name docstring? attr-map? dispatch-fn & options])",
        doc: "Creates a new multimethod with the associated dispatch function. The docstring and attr-map are optional.",
        expand: expand_defmulti,
    },
    Macro {
        name: "defmethod",
        arglists: "([multifn dispatch-val & fn-tail])",
        doc: "Creates and installs a new method of multimethod associated with dispatch-value.",
        expand: expand_defmethod,
    },
];

const RUNTIME: &str = "jank.runtime";

fn runtime_call(pos: Pos, name: &str, args: Vec<Form>) -> Form {
    call(pos, &format!("{RUNTIME}/{name}"), args)
}

fn string(pos: Pos, s: &str) -> Form {
    Form::new(FormKind::Str(s.to_string()), pos)
}

fn name_of<'a>(form: &Form, arg: Option<&'a Form>, what: &str) -> Result<&'a Symbol> {
    arg.and_then(Form::as_symbol)
        .filter(|s| s.ns.is_none())
        .ok_or_else(|| error(form, format!("First argument to {what} must be a symbol")))
}

/// `name` with `entries` as its metadata (merged onto any it has).
fn with_meta(name: &Form, entries: Vec<(Form, Form)>) -> Form {
    let mut meta = match name.meta.as_deref().map(|m| &m.kind) {
        Some(FormKind::Map(existing)) => existing.clone(),
        _ => Vec::new(),
    };
    for (k, v) in entries {
        super::defs::assoc_entry(&mut meta, k, v);
    }
    let mut name = name.clone();
    name.meta = Some(Box::new(Form::new(FormKind::Map(meta), name.pos)));
    name
}

// ---------------------------------------------------------------------------------------------
// defprotocol

/// `(defprotocol P "doc"? opts* (m [this] [this x] "doc"?)...)`.
fn expand_defprotocol(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let name = name_of(form, args.first(), "defprotocol")?;
    let name_form = &args[0];
    let mut rest = &args[1..];
    let mut doc = nil(pos);
    if let Some((
        d @ Form {
            kind: FormKind::Str(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        doc = d.clone();
        rest = after;
    }
    // options (:extend-via-metadata true) come in keyword/value pairs
    while let Some((
        Form {
            kind: FormKind::Keyword(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        rest = after.get(1..).unwrap_or(&[]);
    }
    let mut method_names = Vec::new();
    let mut method_defs = Vec::new();
    for sig in rest {
        let FormKind::List(items) = &sig.kind else {
            return Err(error(
                sig,
                format!("Invalid protocol method signature: {sig}"),
            ));
        };
        let Some((method, tail)) = items.split_first() else {
            return Err(error(sig, "Invalid protocol method signature: ()"));
        };
        let Some(method_name) = method.as_symbol().filter(|s| s.ns.is_none()) else {
            return Err(error(
                sig,
                format!("Invalid protocol method name: {method}"),
            ));
        };
        let arglists: Vec<Form> = tail
            .iter()
            .filter(|f| matches!(f.kind, FormKind::Vector(_)))
            .cloned()
            .collect();
        if arglists.is_empty() {
            return Err(error(
                sig,
                format!(
                    "Definition of function {method_name} in protocol {name} must take at least one arg."
                ),
            ));
        }
        let mut meta = vec![(
            keyword(pos, "arglists"),
            quote(pos, Form::new(FormKind::List(arglists), pos)),
        )];
        if let Some(d) = tail.iter().find(|f| matches!(f.kind, FormKind::Str(_))) {
            meta.push((keyword(pos, "doc"), d.clone()));
        }
        method_names.push(string(pos, &method_name.name));
        method_defs.push(call(
            pos,
            "def",
            vec![
                with_meta(method, meta),
                runtime_call(
                    pos,
                    "protocol-method",
                    vec![symbol(pos, &name.name), string(pos, &method_name.name)],
                ),
            ],
        ));
    }
    let var = call(pos, "var", vec![symbol(pos, &name.name)]);
    let protocol = runtime_call(
        pos,
        "defprotocol*",
        vec![var, vector(pos, method_names), doc.clone()],
    );
    let named = with_meta(name_form, vec![(keyword(pos, "doc"), doc)]);
    let mut body = vec![call(pos, "def", vec![named, protocol])];
    body.extend(method_defs);
    body.push(quote(pos, symbol(pos, &name.name)));
    Ok(call(pos, "do", body))
}

// ---------------------------------------------------------------------------------------------
// Method implementations

/// The methods of one spec group: name -> its arities (`([params] body...)` lists), in order.
type Methods = Vec<(String, Vec<Form>)>;

/// Splits `specs` into groups, each a head (a protocol, interface or type form) and the
/// method forms after it: a new group starts at each form that is not a list.
fn spec_groups(specs: &[Form]) -> Vec<(&Form, &[Form])> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < specs.len() {
        let head = &specs[i];
        let start = i + 1;
        let mut end = start;
        while end < specs.len() && matches!(specs[end].kind, FormKind::List(_)) {
            end += 1;
        }
        groups.push((head, &specs[start..end]));
        i = end;
    }
    groups
}

/// `(m [this x] body...)`, `(m ([this] ..) ([this x] ..))`, or several forms of one name:
/// each method's arities.
fn method_arities(impls: &[Form]) -> Result<Methods> {
    let mut methods: Methods = Vec::new();
    for m in impls {
        let FormKind::List(items) = &m.kind else {
            return Err(error(m, format!("Invalid method implementation: {m}")));
        };
        let Some((name, tail)) = items.split_first() else {
            return Err(error(m, "Invalid method implementation: ()"));
        };
        let Some(name) = name.as_symbol().filter(|s| s.ns.is_none()) else {
            return Err(error(m, format!("Invalid method name: {name}")));
        };
        let arities: Vec<Form> = match tail.first().map(|f| &f.kind) {
            Some(FormKind::Vector(_)) => vec![Form::new(FormKind::List(tail.to_vec()), m.pos)],
            Some(FormKind::List(_)) => tail.to_vec(),
            _ => {
                return Err(error(
                    m,
                    format!("Parameter declaration missing in method {name}"),
                ));
            }
        };
        match methods.iter_mut().find(|(n, _)| *n == name.name) {
            Some((_, existing)) => existing.extend(arities),
            None => methods.push((name.name.clone(), arities)),
        }
    }
    Ok(methods)
}

/// A deftype's fields: (name, mutable).
type Fields = Vec<(String, bool)>;

/// One arity of a method as a fn arity, its fields bound from `this` (those its params do
/// not shadow).
fn method_arity(arity: &Form, fields: &Fields) -> Result<Form> {
    let FormKind::List(items) = &arity.kind else {
        return Err(error(arity, format!("Invalid method arity: {arity}")));
    };
    let Some((
        Form {
            kind: FormKind::Vector(params),
            pos,
            ..
        },
        body,
    )) = items.split_first()
    else {
        return Err(error(arity, "Parameter declaration missing"));
    };
    let pos = *pos;
    if fields.is_empty() {
        return Ok(arity.clone());
    }
    let Some(this_param) = params.first() else {
        return Err(error(
            arity,
            "A method takes its object (this) as its first parameter",
        ));
    };
    let param_names: Vec<&str> = params
        .iter()
        .filter_map(|p| p.as_symbol().map(|s| s.name.as_str()))
        .collect();
    let this = gensym(pos, "this");
    let mut bindings = vec![this_param.clone(), this.clone()];
    let mut mutable = vec![this.clone()];
    for (field, is_mutable) in fields {
        if param_names.contains(&field.as_str()) {
            continue;
        }
        if *is_mutable {
            mutable.push(symbol(pos, field));
        } else {
            bindings.push(symbol(pos, field));
            bindings.push(runtime_call(
                pos,
                "field*",
                vec![this.clone(), string(pos, field)],
            ));
        }
    }
    let inner = if mutable.len() > 1 {
        let mut items = vec![vector(pos, mutable)];
        items.extend(body.iter().cloned());
        runtime_call(pos, "mutable-fields*", items[..].to_vec())
    } else {
        do_form(pos, body)
    };
    let mut new_params = params.clone();
    new_params[0] = this;
    Ok(Form::new(
        FormKind::List(vec![
            Form::new(FormKind::Vector(new_params), pos),
            call(pos, "let", vec![vector(pos, bindings), inner]),
        ]),
        arity.pos,
    ))
}

/// `{"m" (fn ...)}` for a spec group's methods.
fn method_map(pos: Pos, methods: &Methods, fields: &Fields) -> Result<Form> {
    let mut entries = Vec::new();
    for (name, arities) in methods {
        let arities = arities
            .iter()
            .map(|a| method_arity(a, fields))
            .collect::<Result<Vec<_>>>()?;
        entries.push((string(pos, name), call(pos, "clojure.core/fn", arities)));
    }
    Ok(Form::new(FormKind::Map(entries), pos))
}

/// `[head {"m" fn} ...]` for every spec group.
fn specs_vector(pos: Pos, specs: &[Form], fields: &Fields) -> Result<Form> {
    let mut items = Vec::new();
    for (head, impls) in spec_groups(specs) {
        items.push(head.clone());
        items.push(method_map(pos, &method_arities(impls)?, fields)?);
    }
    Ok(vector(pos, items))
}

// ---------------------------------------------------------------------------------------------
// extend-type, extend-protocol

fn expand_extend_type(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let Some((type_form, specs)) = args.split_first() else {
        return Err(wrong_args(form, "extend-type", 0));
    };
    let mut body = Vec::new();
    for (protocol, impls) in spec_groups(specs) {
        let methods = method_map(pos, &method_arities(impls)?, &Vec::new())?;
        body.push(runtime_call(
            pos,
            "extend*",
            vec![base_type(type_form), protocol.clone(), methods],
        ));
    }
    body.push(nil(pos));
    Ok(call(pos, "do", body))
}

/// The type an extend names. ClojureScript spells two base types with the
/// names of `clojure.core` fns (`boolean`, `array`), which as symbols resolve
/// to the fns: here they mean the types.
fn base_type(type_form: &Form) -> Form {
    let class = match type_form.as_symbol() {
        Some(s) if s.ns.is_none() && s.name == "boolean" => "java.lang.Boolean",
        Some(s) if s.ns.is_none() && s.name == "array" => "js/Array",
        _ => return type_form.clone(),
    };
    symbol(type_form.pos, class)
}

fn expand_extend_protocol(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let Some((protocol, specs)) = args.split_first() else {
        return Err(wrong_args(form, "extend-protocol", 0));
    };
    let mut body = Vec::new();
    for (type_form, impls) in spec_groups(specs) {
        let methods = method_map(pos, &method_arities(impls)?, &Vec::new())?;
        body.push(runtime_call(
            pos,
            "extend*",
            vec![base_type(type_form), protocol.clone(), methods],
        ));
    }
    body.push(nil(pos));
    Ok(call(pos, "do", body))
}

// ---------------------------------------------------------------------------------------------
// deftype, defrecord, reify

/// `[a ^:mutable b]`: the field names and whether each is mutable.
fn fields_of(form: &Form, fields: Option<&Form>, what: &str) -> Result<Fields> {
    let Some(Form {
        kind: FormKind::Vector(items),
        ..
    }) = fields
    else {
        return Err(error(form, format!("{what} needs a vector of fields")));
    };
    items
        .iter()
        .map(|f| {
            let name = f
                .as_symbol()
                .filter(|s| s.ns.is_none())
                .ok_or_else(|| error(f, format!("Invalid field: {f}")))?;
            let mutable = f.meta.as_deref().is_some_and(|m| match &m.kind {
                FormKind::Map(entries) => entries.iter().any(|(k, v)| {
                    matches!(&k.kind, FormKind::Keyword(k) if k.name == "mutable" || k.name == "volatile-mutable" || k.name == "unsynchronized-mutable")
                        && !matches!(v.kind, FormKind::Bool(false) | FormKind::Nil)
                }),
                _ => false,
            });
            Ok((name.name.clone(), mutable))
        })
        .collect()
}

/// The specs after a type's fields, options (:load-ns true) dropped.
fn type_specs(rest: &[Form]) -> &[Form] {
    let mut rest = rest;
    while let Some((
        Form {
            kind: FormKind::Keyword(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        rest = after.get(1..).unwrap_or(&[]);
    }
    rest
}

/// `(def ->T (fn [a b] (new T a b)))`.
fn positional_factory(pos: Pos, type_name: &str, fields: &Fields) -> Form {
    let params: Vec<Form> = fields.iter().map(|(f, _)| symbol(pos, f)).collect();
    let mut new_call = vec![symbol(pos, type_name)];
    new_call.extend(params.iter().cloned());
    let factory = call(
        pos,
        "fn*",
        vec![vector(pos, params.clone()), call(pos, "new", new_call)],
    );
    let doc = format!("Positional factory function for class {type_name}.");
    let name = with_meta(
        &symbol(pos, &format!("->{type_name}")),
        vec![
            (
                keyword(pos, "arglists"),
                quote(
                    pos,
                    Form::new(FormKind::List(vec![vector(pos, params)]), pos),
                ),
            ),
            (keyword(pos, "doc"), string(pos, &doc)),
        ],
    );
    call(pos, "def", vec![name, factory])
}

fn expand_deftype(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let name = name_of(form, args.first(), "deftype")?.name.clone();
    let fields = fields_of(form, args.get(1), "deftype")?;
    let specs = specs_vector(pos, type_specs(&args[2..]), &fields)?;
    let field_names = vector(pos, fields.iter().map(|(f, _)| string(pos, f)).collect());
    let mutable = vector(
        pos,
        fields
            .iter()
            .filter(|(_, m)| *m)
            .map(|(f, _)| string(pos, f))
            .collect(),
    );
    let make = runtime_call(
        pos,
        "deftype*",
        vec![string(pos, &name), field_names, mutable, specs],
    );
    Ok(call(
        pos,
        "do",
        vec![
            call(pos, "def", vec![symbol(pos, &name), make]),
            positional_factory(pos, &name, &fields),
            symbol(pos, &name),
        ],
    ))
}

fn expand_defrecord(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let name = name_of(form, args.first(), "defrecord")?.name.clone();
    let fields = fields_of(form, args.get(1), "defrecord")?;
    if let Some((f, _)) = fields.iter().find(|(_, m)| *m) {
        return Err(error(form, format!("Record fields cannot be mutable: {f}")));
    }
    let specs = specs_vector(pos, type_specs(&args[2..]), &fields)?;
    let field_names = vector(pos, fields.iter().map(|(f, _)| string(pos, f)).collect());
    let make = runtime_call(
        pos,
        "defrecord*",
        vec![string(pos, &name), field_names, specs],
    );
    let m = symbol(pos, "m__auto__");
    let from_map = call(
        pos,
        "fn*",
        vec![
            vector(pos, vec![m.clone()]),
            runtime_call(pos, "record-from-map", vec![symbol(pos, &name), m.clone()]),
        ],
    );
    let from_map_name = with_meta(
        &symbol(pos, &format!("map->{name}")),
        vec![
            (
                keyword(pos, "arglists"),
                quote(
                    pos,
                    Form::new(
                        FormKind::List(vec![vector(pos, vec![symbol(pos, "m")])]),
                        pos,
                    ),
                ),
            ),
            (
                keyword(pos, "doc"),
                string(
                    pos,
                    &format!(
                        "Factory function for class {name}, taking a map of keywords to field values."
                    ),
                ),
            ),
        ],
    );
    Ok(call(
        pos,
        "do",
        vec![
            call(pos, "def", vec![symbol(pos, &name), make]),
            positional_factory(pos, &name, &fields),
            call(pos, "def", vec![from_map_name, from_map]),
            symbol(pos, &name),
        ],
    ))
}

fn expand_reify(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let specs = specs_vector(pos, type_specs(args), &Vec::new())?;
    let site = gensym(pos, "reify");
    let site = site.as_symbol().map(|s| s.name.clone()).unwrap_or_default();
    Ok(runtime_call(pos, "reify*", vec![string(pos, &site), specs]))
}

// ---------------------------------------------------------------------------------------------
// defmulti, defmethod

/// `(defmulti name doc? attrs? dispatch-fn opts...)`: a new multimethod, unless the var has one
/// already (then nil, and the methods stay: Clojure's defonce-like semantics).
fn expand_defmulti(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let name = name_of(form, args.first(), "defmulti")?.name.clone();
    let mut rest = &args[1..];
    let mut meta = Vec::new();
    if let Some((
        d @ Form {
            kind: FormKind::Str(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        meta.push((keyword(pos, "doc"), d.clone()));
        rest = after;
    }
    if let Some((
        Form {
            kind: FormKind::Map(entries),
            ..
        },
        after,
    )) = rest.split_first()
    {
        meta.extend(entries.iter().cloned());
        rest = after;
    }
    let Some((dispatch, options)) = rest.split_first() else {
        return Err(wrong_args(form, "defmulti", args.len()));
    };
    let named = with_meta(&args[0], meta);
    let mut make = vec![string(pos, &name), dispatch.clone()];
    make.extend(options.iter().cloned());
    let v = gensym(pos, "v");
    Ok(call(
        pos,
        "let*",
        vec![
            vector(pos, vec![v.clone(), call(pos, "def", vec![named.clone()])]),
            call(
                pos,
                "if",
                vec![
                    runtime_call(pos, "multifn-bound?", vec![v]),
                    nil(pos),
                    call(
                        pos,
                        "def",
                        vec![named, runtime_call(pos, "defmulti*", make)],
                    ),
                ],
            ),
        ],
    ))
}

fn expand_defmethod(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let [multifn, dispatch, fn_tail @ ..] = args else {
        return Err(wrong_args(form, "defmethod", args.len()));
    };
    Ok(runtime_call(
        pos,
        "add-method",
        vec![
            multifn.clone(),
            dispatch.clone(),
            call(pos, "clojure.core/fn", fn_tail.to_vec()),
        ],
    ))
}
