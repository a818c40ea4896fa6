//! The core macros, as form-to-form rewrites done before analysis (the
//! analyzer only sees special forms). Each macro takes the whole call form and
//! returns its expansion.

use super::CompileError;
use super::form::{Form, FormKind, Pos, Symbol};

pub type Expander = fn(&Form, &[Form]) -> Result<Form, CompileError>;

/// The expander for a `clojure.core` macro name.
pub fn lookup(name: &str) -> Option<Expander> {
    Some(match name {
        "defn" => expand_defn,
        "defn-" => expand_defn,
        "fn" => expand_fn,
        "let" => |form, args| Ok(call(form.pos, "let*", args.to_vec())),
        "loop" => |form, args| Ok(call(form.pos, "loop*", args.to_vec())),
        "when" => expand_when,
        "when-not" => expand_when_not,
        "if-not" => expand_if_not,
        "declare" => expand_declare,
        "comment" => |form, _| Ok(Form::new(FormKind::Nil, form.pos)),
        "and" => expand_and,
        "or" => expand_or,
        "cond" => expand_cond,
        "->" => |form, args| expand_thread(form, args, false),
        "->>" => |form, args| expand_thread(form, args, true),
        "if-let" => |form, args| expand_if_binding(form, args, "if-let", false),
        "if-some" => |form, args| expand_if_binding(form, args, "if-some", true),
        "when-let" => |form, args| expand_when_binding(form, args, "if-let"),
        "when-some" => |form, args| expand_when_binding(form, args, "if-some"),
        _ => return None,
    })
}

/// The core macros' arglists and docstrings, for `info`, `eldoc` and completion.
pub const MACRO_DOCS: &[(&str, &str, &str)] = &[
    (
        "defn",
        "([name doc-string? attr-map? [params*] body] [name doc-string? attr-map? ([params*] body) +])",
        "Same as (def name (fn [params* ] exprs*)) or (def name (fn ([params* ] exprs*)+)) with any doc-string or attrs added to the var metadata.",
    ),
    (
        "defn-",
        "([name & decls])",
        "same as defn, yielding non-public def",
    ),
    (
        "fn",
        "([& sigs])",
        "params => positional-params*, or positional-params* & rest-param. Defines a function.",
    ),
    (
        "let",
        "([bindings & body])",
        "binding => binding-form init-expr. Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs.",
    ),
    (
        "loop",
        "([bindings & body])",
        "Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs, and establishes a recursion point.",
    ),
    (
        "when",
        "([test & body])",
        "Evaluates test. If logical true, evaluates body in an implicit do.",
    ),
    (
        "when-not",
        "([test & body])",
        "Evaluates test. If logical false, evaluates body in an implicit do.",
    ),
    (
        "if-not",
        "([test then] [test then else])",
        "Evaluates test. If logical false, evaluates and returns then expr, otherwise else expr, if supplied, else nil.",
    ),
    (
        "declare",
        "([& names])",
        "defs the supplied var names with no bindings, useful for making forward declarations.",
    ),
    ("comment", "([& body])", "Ignores body, yields nil"),
    (
        "and",
        "([] [x] [x & next])",
        "Evaluates exprs one at a time, from left to right. If a form returns logical false, and returns that value and doesn't evaluate any of the other expressions.",
    ),
    (
        "or",
        "([] [x] [x & next])",
        "Evaluates exprs one at a time, from left to right. If a form returns a logical true value, or returns that value and doesn't evaluate any of the other expressions.",
    ),
    (
        "cond",
        "([& clauses])",
        "Takes a set of test/expr pairs. It evaluates each test one at a time. If a test returns logical true, cond evaluates and returns the value of the corresponding expr.",
    ),
    (
        "->",
        "([x & forms])",
        "Threads the expr through the forms. Inserts x as the second item in the first form.",
    ),
    (
        "->>",
        "([x & forms])",
        "Threads the expr through the forms. Inserts x as the last item in the first form.",
    ),
];

/// True if `name` is a macro the compiler expands (for `info` and resolution).
pub fn is_macro(name: &str) -> bool {
    lookup(name).is_some()
}

fn error(form: &Form, message: impl Into<String>) -> CompileError {
    CompileError {
        message: message.into(),
        pos: form.pos,
    }
}

/// A symbol form; `ns/name` gives a qualified symbol.
fn symbol(pos: Pos, name: &str) -> Form {
    let symbol = match name.split_once('/') {
        Some((ns, local)) if !ns.is_empty() && !local.is_empty() => Symbol::qualified(ns, local),
        _ => Symbol::simple(name),
    };
    Form::new(FormKind::Symbol(symbol), pos)
}

/// `(head args...)` as a list form at `pos`.
fn call(pos: Pos, head: &str, args: Vec<Form>) -> Form {
    let mut items = vec![symbol(pos, head)];
    items.extend(args);
    Form::new(FormKind::List(items), pos)
}

/// `(defn name doc? attrs? [params] body...)` or with several `([params] body...)`
/// arities: `(def name (fn* ...))`, with the docstring and arglists as metadata
/// on the name so `info` and `eldoc` can show them.
fn expand_defn(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    let (name, rest) = args
        .split_first()
        .filter(|(name, _)| name.as_symbol().is_some())
        .ok_or_else(|| error(form, "First argument to defn must be a symbol"))?;
    let mut rest = rest;
    let mut meta: Vec<(Form, Form)> = Vec::new();
    if let Some((
        doc @ Form {
            kind: FormKind::Str(_),
            ..
        },
        after,
    )) = rest.split_first()
    {
        meta.push((keyword(form.pos, "doc"), doc.clone()));
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
    let arities = fn_arities(form, rest)?;
    let arglists: Vec<Form> = arities
        .iter()
        .filter_map(|arity| match &arity.kind {
            FormKind::List(items) => items.first().cloned(),
            _ => None,
        })
        .collect();
    meta.push((
        keyword(form.pos, "arglists"),
        call(
            form.pos,
            "quote",
            vec![Form::new(FormKind::List(arglists), form.pos)],
        ),
    ));
    let mut name = name.clone();
    name.meta = Some(Box::new(Form::new(FormKind::Map(meta), form.pos)));
    let fn_form = call(form.pos, "fn*", arities);
    Ok(call(form.pos, "def", vec![name, fn_form]))
}

fn keyword(pos: Pos, name: &str) -> Form {
    Form::new(FormKind::Keyword(Symbol::simple(name)), pos)
}

/// The arities of a fn body: `[params] body...` is one arity, otherwise each
/// argument is a `([params] body...)` list.
fn fn_arities(form: &Form, body: &[Form]) -> Result<Vec<Form>, CompileError> {
    match body.first().map(|f| &f.kind) {
        Some(FormKind::Vector(_)) => Ok(vec![Form::new(FormKind::List(body.to_vec()), form.pos)]),
        Some(FormKind::List(_)) => Ok(body.to_vec()),
        _ => Err(error(form, "Parameter declaration missing")),
    }
}

/// `(fn name? ...)` to `(fn* name? ([params] body...)...)`.
fn expand_fn(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    let (name, body) = match args.split_first() {
        Some((name, body)) if name.as_symbol().is_some() => (Some(name.clone()), body),
        _ => (None, args),
    };
    let mut items: Vec<Form> = name.into_iter().collect();
    items.extend(fn_arities(form, body)?);
    Ok(call(form.pos, "fn*", items))
}

fn expand_when(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    let (test, body) = args.split_first().ok_or_else(|| {
        error(
            form,
            "Wrong number of args (0) passed to: clojure.core/when",
        )
    })?;
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), call(form.pos, "do", body.to_vec())],
    ))
}

fn expand_when_not(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    let (test, body) = args.split_first().ok_or_else(|| {
        error(
            form,
            "Wrong number of args (0) passed to: clojure.core/when-not",
        )
    })?;
    let nil = Form::new(FormKind::Nil, form.pos);
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), nil, call(form.pos, "do", body.to_vec())],
    ))
}

fn expand_if_not(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    match args {
        [test, then] => Ok(call(
            form.pos,
            "if",
            vec![
                test.clone(),
                Form::new(FormKind::Nil, form.pos),
                then.clone(),
            ],
        )),
        [test, then, otherwise] => Ok(call(
            form.pos,
            "if",
            vec![test.clone(), otherwise.clone(), then.clone()],
        )),
        _ => Err(error(
            form,
            format!(
                "Wrong number of args ({}) passed to: clojure.core/if-not",
                args.len()
            ),
        )),
    }
}

/// `(declare a b)` interns the vars unbound: `(do (def a) (def b))`.
fn expand_declare(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    let defs = args
        .iter()
        .map(|name| call(form.pos, "def", vec![name.clone()]))
        .collect();
    Ok(call(form.pos, "do", defs))
}

/// `(and a b c)` to nested `let*`/`if`, evaluating each form once.
fn expand_and(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    Ok(match args {
        [] => Form::new(FormKind::Bool(true), form.pos),
        [only] => only.clone(),
        [first, rest @ ..] => {
            let tmp = gensym(form.pos, "and");
            let inner = expand_and(form, rest)?;
            let_once(
                form.pos,
                &tmp,
                first,
                call(form.pos, "if", vec![tmp.clone(), inner, tmp.clone()]),
            )
        }
    })
}

fn expand_or(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    Ok(match args {
        [] => Form::new(FormKind::Nil, form.pos),
        [only] => only.clone(),
        [first, rest @ ..] => {
            let tmp = gensym(form.pos, "or");
            let inner = expand_or(form, rest)?;
            let_once(
                form.pos,
                &tmp,
                first,
                call(form.pos, "if", vec![tmp.clone(), tmp.clone(), inner]),
            )
        }
    })
}

fn expand_cond(form: &Form, args: &[Form]) -> Result<Form, CompileError> {
    match args {
        [] => Ok(Form::new(FormKind::Nil, form.pos)),
        [_] => Err(error(form, "cond requires an even number of forms")),
        [test, then, rest @ ..] => {
            let otherwise = expand_cond(form, rest)?;
            Ok(call(
                form.pos,
                "if",
                vec![test.clone(), then.clone(), otherwise],
            ))
        }
    }
}

/// `->` (value as first argument) and `->>` (as last).
fn expand_thread(form: &Form, args: &[Form], last: bool) -> Result<Form, CompileError> {
    let (first, steps) = args
        .split_first()
        .ok_or_else(|| error(form, "Wrong number of args (0) passed to: clojure.core/->"))?;
    let mut acc = first.clone();
    for step in steps {
        acc = match &step.kind {
            FormKind::List(items) if !items.is_empty() => {
                let mut items = items.clone();
                if last {
                    items.push(acc);
                } else {
                    items.insert(1, acc);
                }
                Form::new(FormKind::List(items), step.pos)
            }
            _ => Form::new(FormKind::List(vec![step.clone(), acc]), step.pos),
        };
    }
    Ok(acc)
}

/// `(if-let [name test] then else)`: binds `test` once, branches on it being
/// truthy (`if-let`) or non-nil (`if-some`).
fn expand_if_binding(
    form: &Form,
    args: &[Form],
    what: &str,
    some: bool,
) -> Result<Form, CompileError> {
    let (binding, then, otherwise) = match args {
        [binding, then] => (binding, then, Form::new(FormKind::Nil, form.pos)),
        [binding, then, otherwise] => (binding, then, otherwise.clone()),
        _ => {
            return Err(error(
                form,
                format!(
                    "Wrong number of args ({}) passed to: clojure.core/{what}",
                    args.len()
                ),
            ));
        }
    };
    let FormKind::Vector(pair) = &binding.kind else {
        return Err(error(
            form,
            format!("{what} requires a vector for its binding"),
        ));
    };
    let [name, test] = pair.as_slice() else {
        return Err(error(
            form,
            format!("{what} requires exactly 2 forms in binding vector"),
        ));
    };
    let tmp = gensym(form.pos, "temp");
    let condition = if some {
        call(form.pos, "clojure.core/some?", vec![tmp.clone()])
    } else {
        tmp.clone()
    };
    let then = let_once(form.pos, name, &tmp, then.clone());
    Ok(let_once(
        form.pos,
        &tmp,
        test,
        call(form.pos, "if", vec![condition, then, otherwise]),
    ))
}

/// `(when-let [name test] body...)` as `if-let` with a `do` body.
fn expand_when_binding(form: &Form, args: &[Form], if_form: &str) -> Result<Form, CompileError> {
    let (binding, body) = args.split_first().ok_or_else(|| {
        error(
            form,
            format!("Wrong number of args (0) passed to: clojure.core/{if_form}"),
        )
    })?;
    let some = if_form == "if-some";
    expand_if_binding(
        form,
        &[binding.clone(), call(form.pos, "do", body.to_vec())],
        if_form,
        some,
    )
}

/// `(let* [name value] body)`.
fn let_once(pos: Pos, name: &Form, value: &Form, body: Form) -> Form {
    let bindings = Form::new(FormKind::Vector(vec![name.clone(), value.clone()]), pos);
    call(pos, "let*", vec![bindings, body])
}

/// A fresh local name no user code can clash with.
fn gensym(pos: Pos, prefix: &str) -> Form {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    symbol(pos, &format!("{prefix}__{n}__auto__"))
}
