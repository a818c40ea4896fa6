//! `defn`, `defn-`, `fn`, `letfn` and `declare`.

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "defn",
        arglists: "([name doc-string? attr-map? [params*] prepost-map? body] [name doc-string? attr-map? ([params*] prepost-map? body) + attr-map?])",
        doc: "Same as (def name (fn [params* ] exprs*)) or (def name (fn ([params* ] exprs*)+)) with any doc-string or attrs added to the var metadata.",
        expand: expand_defn,
    },
    Macro {
        name: "defn-",
        arglists: "([name & decls])",
        doc: "same as defn, yielding non-public def",
        expand: expand_defn,
    },
    Macro {
        name: "fn",
        arglists: "([& sigs])",
        doc: "params => positional-params*, or positional-params* & rest-param. Defines a function.",
        expand: expand_fn,
    },
    Macro {
        name: "letfn",
        arglists: "([fnspecs & body])",
        doc: "fnspec ==> (fname [params*] exprs) or (fname ([params*] exprs)+). Takes a vector of function specs and a body, and generates a set of bindings of functions to their names. All of the names are available in all of the definitions of the functions, as well as the body.",
        expand: expand_letfn,
    },
    Macro {
        name: "declare",
        arglists: "([& names])",
        doc: "defs the supplied var names with no bindings, useful for making forward declarations.",
        expand: expand_declare,
    },
];

/// `(defn name doc? attrs? [params] body...)` or with several `([params] body...)` arities
/// (and an ignored trailing attr-map): `(def name (fn* ...))`, with the docstring, attributes
/// and the arglists as written (patterns and all) as metadata on the name, for `info`/`eldoc`.
pub(super) fn expand_defn(form: &Form, args: &[Form]) -> Result<Form> {
    let (name, mut rest) = args
        .split_first()
        .filter(|(name, _)| name.as_symbol().is_some())
        .ok_or_else(|| error(form, "First argument to defn must be a symbol"))?;
    // Later entries win, as Clojure merges: the name's own metadata, the arglists, the
    // docstring, then the attr-map.
    let mut meta = match name.meta.as_deref().map(|m| &m.kind) {
        Some(FormKind::Map(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    // `defn-` is `defn` of a name with `:private true` added to its metadata
    if let FormKind::List(items) = &form.kind
        && items
            .first()
            .and_then(Form::as_symbol)
            .is_some_and(|head| head.name == "defn-")
    {
        let yes = Form::new(FormKind::Bool(true), form.pos);
        assoc_entry(&mut meta, keyword(form.pos, "private"), yes);
    }
    let mut given = Vec::new();
    if let Some((
        doc @ Form {
            kind: FormKind::Str(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        given.push((keyword(form.pos, "doc"), doc.clone()));
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
        given.extend(entries.iter().cloned());
        rest = after;
    }
    let signatures = fn_signatures(form, without_trailing_attr_map(rest))?;
    let arglists = signatures
        .iter()
        .map(|(params, _)| (*params).clone())
        .collect();
    let arglists = quote(form.pos, Form::new(FormKind::List(arglists), form.pos));
    assoc_entry(&mut meta, keyword(form.pos, "arglists"), arglists);
    for (key, value) in given {
        assoc_entry(&mut meta, key, value);
    }
    let mut name = name.clone();
    name.meta = Some(Box::new(Form::new(FormKind::Map(meta), form.pos)));
    let fn_form = call(form.pos, "fn*", fn_arities(form.pos, &signatures)?);
    Ok(call(form.pos, "def", vec![name, fn_form]))
}

/// Sets `key` in a map form's entries, replacing an entry with the same key.
pub(super) fn assoc_entry(entries: &mut Vec<(Form, Form)>, key: Form, value: Form) {
    let printed = key.to_string();
    match entries.iter_mut().find(|(k, _)| k.to_string() == printed) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

/// A multi-arity `defn` may end with an attr-map, which Clojure (and we) ignore.
pub(super) fn without_trailing_attr_map(body: &[Form]) -> &[Form] {
    match (body.first().map(|f| &f.kind), body.split_last()) {
        (Some(FormKind::List(_)), Some((last, before)))
            if matches!(last.kind, FormKind::Map(_)) =>
        {
            before
        }
        _ => body,
    }
}

/// The signatures of a fn body, each a param vector and its body: `[params] body...` is one,
/// otherwise each form is a `([params] body...)` list.
pub(super) fn fn_signatures<'a>(
    form: &Form,
    body: &'a [Form],
) -> Result<Vec<(&'a Form, &'a [Form])>> {
    match body.first().map(|f| &f.kind) {
        None => Err(error(form, "Parameter declaration missing")),
        Some(FormKind::Vector(_)) => Ok(vec![(&body[0], &body[1..])]),
        Some(FormKind::List(_)) => body.iter().map(fn_signature).collect(),
        Some(_) => Err(error(
            form,
            format!("Parameter declaration {} should be a vector", body[0]),
        )),
    }
}

/// One `([params] body...)` signature.
pub(super) fn fn_signature(signature: &Form) -> Result<(&Form, &[Form])> {
    let FormKind::List(items) = &signature.kind else {
        return Err(error(
            signature,
            format!("Invalid signature {signature} should be a list"),
        ));
    };
    match items.split_first() {
        Some((params, body)) if matches!(params.kind, FormKind::Vector(_)) => Ok((params, body)),
        Some((params, _)) => Err(error(
            signature,
            format!("Parameter declaration {params} should be a vector"),
        )),
        None => Err(error(signature, "Parameter declaration missing")),
    }
}

/// The `fn*` arities for signatures, their patterned params destructured and
/// their `:pre`/`:post` conditions checked.
pub(super) fn fn_arities(pos: Pos, signatures: &[(&Form, &[Form])]) -> Result<Vec<Form>> {
    signatures
        .iter()
        .map(|(params, body)| {
            destructure::fn_arity(pos, params, &with_conditions(pos, params, body))
        })
        .collect()
}

/// An arity's body with its conditions, as Clojure's `fn` has them: a map
/// first in a body of more than one form (or the params' metadata) may hold
/// `:pre` and `:post` vectors; each `:pre` is asserted before the body, each
/// `:post` after it, with the body's value as `%`.
fn with_conditions(pos: Pos, params: &Form, body: &[Form]) -> Vec<Form> {
    let (conditions, body) = match body {
        [
            first @ Form {
                kind: FormKind::Map(_),
                ..
            },
            rest @ ..,
        ] if !rest.is_empty() => (Some(first), rest),
        _ => (params.meta.as_deref(), body),
    };
    let Some(Form {
        kind: FormKind::Map(entries),
        ..
    }) = conditions
    else {
        return body.to_vec();
    };
    let asserts = |key: &str| -> Vec<Form> {
        entries
            .iter()
            .filter(|(k, _)| is_keyword(k, key))
            .flat_map(|(_, v)| match &v.kind {
                FormKind::Vector(items) | FormKind::List(items) => items.clone(),
                _ => Vec::new(),
            })
            .map(|condition| call(pos, "clojure.core/assert", vec![condition]))
            .collect()
    };
    let (pre, post) = (asserts("pre"), asserts("post"));
    let mut checked = pre;
    if post.is_empty() {
        checked.extend(body.iter().cloned());
    } else {
        let result = symbol(pos, "%");
        let value = match body {
            [only] => only.clone(),
            _ => do_form(pos, body),
        };
        let mut after = vec![vector(pos, vec![result.clone(), value])];
        after.extend(post);
        after.push(result);
        checked.push(call(pos, "let*", after));
    }
    checked
}

/// `(fn name? ...)` to `(fn* name? ([params] body...)...)`.
pub(super) fn expand_fn(form: &Form, args: &[Form]) -> Result<Form> {
    let (name, body) = match args.split_first() {
        Some((name, body)) if name.as_symbol().is_some() => (Some(name.clone()), body),
        _ => (None, args),
    };
    let mut items: Vec<Form> = name.into_iter().collect();
    items.extend(fn_arities(form.pos, &fn_signatures(form, body)?)?);
    Ok(call(form.pos, "fn*", items))
}

/// `(fn* ([pattern] body))`: a one-argument fn for `for`'s steps.
pub(super) fn lambda(pos: Pos, pattern: &Form, body: Form) -> Result<Form> {
    let params = vector(pos, vec![pattern.clone()]);
    let arity = destructure::fn_arity(pos, &params, &[body])?;
    Ok(call(pos, "fn*", vec![arity]))
}

/// `(letfn [(f [x] ...) (g ([] ...) ([y] ...))] body...)` to
/// `(letfn* [f (fn* f ...) g (fn* g ...)] body...)`: each fn is named after its binding.
pub(super) fn expand_letfn(form: &Form, args: &[Form]) -> Result<Form> {
    let Some((
        Form {
            kind: FormKind::Vector(specs),
            ..
        },
        body,
    )) = args.split_first()
    else {
        return Err(error(form, "letfn requires a vector for its binding"));
    };
    let mut bindings = Vec::new();
    for spec in specs {
        let name = match &spec.kind {
            FormKind::List(items) => items.first().filter(|name| name.as_symbol().is_some()),
            _ => None,
        };
        let (Some(name), FormKind::List(items)) = (name, &spec.kind) else {
            return Err(error(
                spec,
                format!(
                    "letfn binding must be a function spec (name [params] body...), not {spec}"
                ),
            ));
        };
        bindings.push(name.clone());
        bindings.push(expand_fn(spec, items)?);
    }
    let mut items = vec![vector(form.pos, bindings)];
    items.extend(body.iter().cloned());
    Ok(call(form.pos, "letfn*", items))
}

/// `(declare a b)` interns the vars unbound: `(do (def a) (def b))`.
pub(super) fn expand_declare(form: &Form, args: &[Form]) -> Result<Form> {
    let defs = args
        .iter()
        .map(|name| call(form.pos, "def", vec![name.clone()]))
        .collect();
    Ok(call(form.pos, "do", defs))
}
