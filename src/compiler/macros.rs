//! The core macros, as form-to-form rewrites done before analysis (the
//! analyzer only sees special forms). Each macro takes the whole call form and
//! returns its expansion.
//!
//! Expansions are made of special forms and calls of core functions by their qualified names
//! (`clojure.core/nth`), so a user's local or var of the same name can't change their meaning.
//! Where an expansion needs another macro (`let` inside `if-let`, `fn` inside `for`), it is
//! expanded here rather than emitted as a call, for the same reason. Macros that bind names
//! destructure through `destructure`, so every binding form takes the same patterns.

use std::collections::HashSet;

use super::CompileError;
use super::destructure;
use super::form::{BindingVectorError, Form, FormKind, Pos, Symbol, split_binding_vector};

pub type Expander = fn(&Form, &[Form]) -> std::result::Result<Form, CompileError>;

type Result<T> = std::result::Result<T, CompileError>;

/// Every macro the compiler expands, by its `clojure.core` name.
const EXPANDERS: &[(&str, Expander)] = &[
    ("defn", expand_defn),
    ("defn-", expand_defn),
    ("fn", expand_fn),
    ("let", expand_let),
    ("loop", expand_loop),
    ("letfn", expand_letfn),
    ("when", expand_when),
    ("when-not", expand_when_not),
    ("if-not", expand_if_not),
    ("declare", expand_declare),
    ("comment", expand_comment),
    ("and", expand_and),
    ("or", expand_or),
    ("cond", expand_cond),
    ("condp", expand_condp),
    ("case", expand_case),
    ("->", expand_thread_first),
    ("->>", expand_thread_last),
    ("cond->", expand_cond_thread_first),
    ("cond->>", expand_cond_thread_last),
    ("some->", expand_some_thread_first),
    ("some->>", expand_some_thread_last),
    ("as->", expand_as_thread),
    ("doto", expand_doto),
    ("..", expand_member_chain),
    ("if-let", expand_if_let),
    ("if-some", expand_if_some),
    ("when-let", expand_when_let),
    ("when-some", expand_when_some),
    ("when-first", expand_when_first),
    ("while", expand_while),
    ("dotimes", expand_dotimes),
    ("doseq", expand_doseq),
    ("for", expand_for),
    ("binding", expand_binding),
    ("with-out-str", expand_with_out_str),
    ("time", expand_time),
    ("assert", expand_assert),
];

/// The expander for a `clojure.core` macro name.
pub fn lookup(name: &str) -> Option<Expander> {
    EXPANDERS
        .iter()
        .find(|(macro_name, _)| *macro_name == name)
        .map(|(_, expander)| *expander)
}

/// The core macros' arglists and docstrings, for `info`, `eldoc` and completion.
pub const MACRO_DOCS: &[(&str, &str, &str)] = &[
    (
        "with-out-str",
        "([& body])",
        "Evaluates exprs in a context in which *out* is bound to a fresh StringWriter. Returns the string created by any nested printing calls.",
    ),
    (
        "time",
        "([expr])",
        "Evaluates expr and prints the time it took. Returns the value of expr.",
    ),
    (
        "assert",
        "([x] [x message])",
        "Evaluates expression x and throws an AssertionError with optional message if x does not evaluate to logical true.",
    ),
    (
        "binding",
        "([bindings & body])",
        "binding => var-symbol init-expr. Gives the vars the values for the body, then restores them. (The runtime has one thread, so this sets the vars' roots.)",
    ),
    (
        "defn",
        "([name doc-string? attr-map? [params*] prepost-map? body] [name doc-string? attr-map? ([params*] prepost-map? body) + attr-map?])",
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
        "binding => binding-form init-expr. Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs or parts therein.",
    ),
    (
        "loop",
        "([bindings & body])",
        "Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs or parts therein. Acts as a recur target.",
    ),
    (
        "letfn",
        "([fnspecs & body])",
        "fnspec ==> (fname [params*] exprs) or (fname ([params*] exprs)+). Takes a vector of function specs and a body, and generates a set of bindings of functions to their names. All of the names are available in all of the definitions of the functions, as well as the body.",
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
        "condp",
        "([pred expr & clauses])",
        "Takes a binary predicate, an expression, and a set of clauses. Each clause can take the form of either: test-expr result-expr, or test-expr :>> result-fn. For each clause, (pred test-expr expr) is evaluated. If it returns logical true, the clause is a match. A single default expression can follow the clauses, and its value will be returned if no clause matches.",
    ),
    (
        "case",
        "([e & clauses])",
        "Takes an expression, and a set of clauses. Each clause can take the form of either: test-constant result-expr, or (test-constant1 ... test-constantN) result-expr. The test-constants are not evaluated. A single default expression can follow the clauses, and its value will be returned if no clause matches. If no default expression is provided and no clause matches, an IllegalArgumentException is thrown.",
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
    (
        "cond->",
        "([expr & clauses])",
        "Takes an expression and a set of test/form pairs. Threads expr (via ->) through each form for which the corresponding test expression is true. Note that, unlike cond branching, cond-> threading does not short circuit after the first true test expression.",
    ),
    (
        "cond->>",
        "([expr & clauses])",
        "Takes an expression and a set of test/form pairs. Threads expr (via ->>) through each form for which the corresponding test expression is true. Note that, unlike cond branching, cond->> threading does not short circuit after the first true test expression.",
    ),
    (
        "some->",
        "([expr & forms])",
        "When expr is not nil, threads it into the first form (via ->), and when that result is not nil, through the next etc",
    ),
    (
        "some->>",
        "([expr & forms])",
        "When expr is not nil, threads it into the first form (via ->>), and when that result is not nil, through the next etc",
    ),
    (
        "as->",
        "([expr name & forms])",
        "Binds name to expr, evaluates the first form in the lexical context of that binding, then binds name to that result, repeating for each successive form, returning the result of the last form.",
    ),
    (
        "doto",
        "([x & forms])",
        "Evaluates x then calls all of the methods and functions with the value of x supplied at the front of the given arguments. The forms are evaluated in order. Returns x.",
    ),
    (
        "..",
        "([x form] [x form & more])",
        "form => fieldName-symbol or (instanceMethodName-symbol args*). Expands into a member access (.) of the first member on the first argument, followed by the next member on the result, etc.",
    ),
    (
        "if-let",
        "([bindings then] [bindings then else & oldform])",
        "bindings => binding-form test. If test is true, evaluates then with binding-form bound to the value of test, if not, yields else",
    ),
    (
        "if-some",
        "([bindings then] [bindings then else & oldform])",
        "bindings => binding-form test. If test is not nil, evaluates then with binding-form bound to the value of test, if not, yields else",
    ),
    (
        "when-let",
        "([bindings & body])",
        "bindings => binding-form test. When test is true, evaluates body with binding-form bound to the value of test",
    ),
    (
        "when-some",
        "([bindings & body])",
        "bindings => binding-form test. When test is not nil, evaluates body with binding-form bound to the value of test",
    ),
    (
        "when-first",
        "([bindings & body])",
        "bindings => x xs. Roughly the same as (when (seq xs) (let [x (first xs)] body)) but xs is evaluated only once",
    ),
    (
        "while",
        "([test & body])",
        "Repeatedly executes body while test expression is true. Presumes some side-effect will cause test to become false/nil. Returns nil",
    ),
    (
        "dotimes",
        "([bindings & body])",
        "bindings => name n. Repeatedly executes body (presumably for side-effects) with name bound to integers from 0 through n-1.",
    ),
    (
        "doseq",
        "([seq-exprs & body])",
        "Repeatedly executes body (presumably for side-effects) with bindings and filtering as provided by \"for\". Does not retain the head of the sequence. Returns nil.",
    ),
    (
        "for",
        "([seq-exprs body-expr])",
        "List comprehension. Takes a vector of one or more binding-form/collection-expr pairs, each followed by zero or more modifiers, and yields a lazy sequence of evaluations of expr. Collections are iterated in a nested fashion, rightmost fastest, and nested coll-exprs can refer to bindings created in prior binding-forms. Supported modifiers are: :let [binding-form expr ...], :while test, :when test.",
    ),
];

/// True if `name` is a macro the compiler expands (for `info` and resolution).
pub fn is_macro(name: &str) -> bool {
    lookup(name).is_some()
}

// ---------------------------------------------------------------------------------------------
// Building forms

fn error(form: &Form, message: impl Into<String>) -> CompileError {
    CompileError {
        message: message.into(),
        pos: form.pos,
    }
}

/// Clojure's arity error for a macro called with the wrong number of arguments.
fn wrong_args(form: &Form, name: &str, count: usize) -> CompileError {
    error(
        form,
        format!("Wrong number of args ({count}) passed to: clojure.core/{name}"),
    )
}

/// A symbol form; `ns/name` gives a qualified symbol.
pub(super) fn symbol(pos: Pos, name: &str) -> Form {
    let symbol = match name.split_once('/') {
        Some((ns, local)) if !ns.is_empty() && !local.is_empty() => Symbol::qualified(ns, local),
        _ => Symbol::simple(name),
    };
    Form::new(FormKind::Symbol(symbol), pos)
}

/// `(head args...)` as a list form at `pos`.
pub(super) fn call(pos: Pos, head: &str, args: Vec<Form>) -> Form {
    let mut items = vec![symbol(pos, head)];
    items.extend(args);
    Form::new(FormKind::List(items), pos)
}

pub(super) fn nil(pos: Pos) -> Form {
    Form::new(FormKind::Nil, pos)
}

/// `(quote form)`.
pub(super) fn quote(pos: Pos, form: Form) -> Form {
    call(pos, "quote", vec![form])
}

fn keyword(pos: Pos, name: &str) -> Form {
    Form::new(FormKind::Keyword(Symbol::simple(name)), pos)
}

fn vector(pos: Pos, items: Vec<Form>) -> Form {
    Form::new(FormKind::Vector(items), pos)
}

/// `(do body...)`.
fn do_form(pos: Pos, body: &[Form]) -> Form {
    call(pos, "do", body.to_vec())
}

/// `(binding [v value ...] body...)`: every value is evaluated first, then the
/// vars get them for the body and their old values back in a `finally`. Our
/// runtimes have one thread, so a thread binding is the root.
fn expand_binding(form: &Form, args: &[Form]) -> Result<Form> {
    let (pairs, body) = binding_vector(form, args, "binding")?;
    let pos = form.pos;
    let mut lets = Vec::new();
    let mut enter = Vec::new();
    let mut restore = Vec::new();
    for pair in pairs.chunks(2) {
        let (var, value) = (&pair[0], &pair[1]);
        if var.as_symbol().is_none() {
            return Err(error(
                form,
                format!("binding expects var symbols, got: {var}"),
            ));
        }
        let (new, old) = (gensym(pos, "new"), gensym(pos, "old"));
        lets.extend([new.clone(), value.clone(), old.clone(), var.clone()]);
        enter.push(call(pos, "set!", vec![var.clone(), new]));
        restore.push(call(pos, "set!", vec![var.clone(), old]));
    }
    let mut guarded = vec![do_form(pos, body)];
    guarded.push(call(pos, "finally", restore));
    enter.push(call(pos, "try", guarded));
    let mut let_form = vec![vector(pos, lets)];
    let_form.extend(enter);
    Ok(call(pos, "let*", let_form))
}

/// `(with-out-str body...)`: what the body prints, as a string.
fn expand_with_out_str(form: &Form, args: &[Form]) -> Result<Form> {
    Ok(call(
        form.pos,
        "jank.runtime/capture-out",
        vec![thunk(form.pos, args)],
    ))
}

/// `(time expr)`: prints how long `expr` took, yields its value.
fn expand_time(form: &Form, args: &[Form]) -> Result<Form> {
    let [expr] = args else {
        return Err(wrong_args(form, "time", args.len()));
    };
    Ok(call(
        form.pos,
        "jank.runtime/time-call",
        vec![thunk(form.pos, std::slice::from_ref(expr))],
    ))
}

/// `(assert x)` / `(assert x message)`: throws an AssertionError worded as
/// Clojure's when `x` is logical false.
fn expand_assert(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let text = |t: String| Form::new(FormKind::Str(t), pos);
    let (test, message) = match args {
        [test] => (test, text(format!("Assert failed: {test}"))),
        [test, message] => (
            test,
            call(
                pos,
                "clojure.core/str",
                vec![
                    text("Assert failed: ".into()),
                    message.clone(),
                    text(format!("\n{test}")),
                ],
            ),
        ),
        _ => return Err(wrong_args(form, "assert", args.len())),
    };
    let error = call(pos, "jank.runtime/assertion-error", vec![message]);
    Ok(call(
        pos,
        "if",
        vec![test.clone(), nil(pos), call(pos, "throw", vec![error])],
    ))
}

/// `(fn* [] body...)`.
fn thunk(pos: Pos, body: &[Form]) -> Form {
    let mut items = vec![vector(pos, Vec::new())];
    items.extend(body.iter().cloned());
    call(pos, "fn*", items)
}

/// `(let* [name value] body)`.
fn let_once(pos: Pos, name: &Form, value: &Form, body: Form) -> Form {
    call(
        pos,
        "let*",
        vec![vector(pos, vec![name.clone(), value.clone()]), body],
    )
}

/// A fresh local name no user code can clash with.
pub(super) fn gensym(pos: Pos, prefix: &str) -> Form {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    symbol(pos, &format!("{prefix}__{n}__auto__"))
}

fn is_keyword(form: &Form, name: &str) -> bool {
    matches!(&form.kind, FormKind::Keyword(k) if k.ns.is_none() && k.name == name)
}

/// What a macro without a default does when nothing matched: throw, with Clojure's message.
fn no_matching_clause(pos: Pos, value: &Form) -> Form {
    let message = call(
        pos,
        "clojure.core/str",
        vec![
            Form::new(FormKind::Str("No matching clause: ".into()), pos),
            value.clone(),
        ],
    );
    let info = call(
        pos,
        "clojure.core/ex-info",
        vec![message, Form::new(FormKind::Map(Vec::new()), pos)],
    );
    call(pos, "throw", vec![info])
}

// ---------------------------------------------------------------------------------------------
// Binding vectors

/// A macro's leading binding vector with an even number of forms, and the forms after it.
fn binding_vector<'a>(
    form: &Form,
    args: &'a [Form],
    what: &str,
) -> Result<(&'a [Form], &'a [Form])> {
    split_binding_vector(args).map_err(|problem| match problem {
        BindingVectorError::NotAVector => {
            error(form, format!("{what} requires a vector for its binding"))
        }
        BindingVectorError::OddCount => error(
            form,
            format!("{what} requires an even number of forms in binding vector"),
        ),
    })
}

/// The `[binding-form init]` of `if-let`, `dotimes` and the like.
fn binding_pair<'a>(form: &Form, binding: &'a Form, what: &str) -> Result<(&'a Form, &'a Form)> {
    let FormKind::Vector(pair) = &binding.kind else {
        return Err(error(
            form,
            format!("{what} requires a vector for its binding"),
        ));
    };
    match pair.as_slice() {
        [pattern, init] => Ok((pattern, init)),
        _ => Err(error(
            form,
            format!("{what} requires exactly 2 forms in binding vector"),
        )),
    }
}

fn expand_let(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "let")?;
    destructure::let_form(form.pos, bindings, body.to_vec())
}

fn expand_loop(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "loop")?;
    destructure::loop_form(form.pos, bindings, body)
}

// ---------------------------------------------------------------------------------------------
// Functions

/// `(defn name doc? attrs? [params] body...)` or with several `([params] body...)` arities
/// (and an ignored trailing attr-map): `(def name (fn* ...))`, with the docstring, attributes
/// and the arglists as written (patterns and all) as metadata on the name, for `info`/`eldoc`.
fn expand_defn(form: &Form, args: &[Form]) -> Result<Form> {
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
fn assoc_entry(entries: &mut Vec<(Form, Form)>, key: Form, value: Form) {
    let printed = key.to_string();
    match entries.iter_mut().find(|(k, _)| k.to_string() == printed) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

/// A multi-arity `defn` may end with an attr-map, which Clojure (and we) ignore.
fn without_trailing_attr_map(body: &[Form]) -> &[Form] {
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
fn fn_signatures<'a>(form: &Form, body: &'a [Form]) -> Result<Vec<(&'a Form, &'a [Form])>> {
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
fn fn_signature(signature: &Form) -> Result<(&Form, &[Form])> {
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

/// The `fn*` arities for signatures, their patterned params destructured.
fn fn_arities(pos: Pos, signatures: &[(&Form, &[Form])]) -> Result<Vec<Form>> {
    signatures
        .iter()
        .map(|(params, body)| destructure::fn_arity(pos, params, body))
        .collect()
}

/// `(fn name? ...)` to `(fn* name? ([params] body...)...)`.
fn expand_fn(form: &Form, args: &[Form]) -> Result<Form> {
    let (name, body) = match args.split_first() {
        Some((name, body)) if name.as_symbol().is_some() => (Some(name.clone()), body),
        _ => (None, args),
    };
    let mut items: Vec<Form> = name.into_iter().collect();
    items.extend(fn_arities(form.pos, &fn_signatures(form, body)?)?);
    Ok(call(form.pos, "fn*", items))
}

/// `(fn* ([pattern] body))`: a one-argument fn for `for`'s steps.
fn lambda(pos: Pos, pattern: &Form, body: Form) -> Result<Form> {
    let params = vector(pos, vec![pattern.clone()]);
    let arity = destructure::fn_arity(pos, &params, &[body])?;
    Ok(call(pos, "fn*", vec![arity]))
}

/// `(letfn [(f [x] ...) (g ([] ...) ([y] ...))] body...)` to
/// `(letfn* [f (fn* f ...) g (fn* g ...)] body...)`: each fn is named after its binding.
fn expand_letfn(form: &Form, args: &[Form]) -> Result<Form> {
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

// ---------------------------------------------------------------------------------------------
// Conditionals

fn expand_when(form: &Form, args: &[Form]) -> Result<Form> {
    let (test, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "when", 0))?;
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), do_form(form.pos, body)],
    ))
}

fn expand_when_not(form: &Form, args: &[Form]) -> Result<Form> {
    let (test, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "when-not", 0))?;
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), nil(form.pos), do_form(form.pos, body)],
    ))
}

fn expand_if_not(form: &Form, args: &[Form]) -> Result<Form> {
    match args {
        [test, then] => Ok(call(
            form.pos,
            "if",
            vec![test.clone(), nil(form.pos), then.clone()],
        )),
        [test, then, otherwise] => Ok(call(
            form.pos,
            "if",
            vec![test.clone(), otherwise.clone(), then.clone()],
        )),
        _ => Err(wrong_args(form, "if-not", args.len())),
    }
}

/// `(declare a b)` interns the vars unbound: `(do (def a) (def b))`.
fn expand_declare(form: &Form, args: &[Form]) -> Result<Form> {
    let defs = args
        .iter()
        .map(|name| call(form.pos, "def", vec![name.clone()]))
        .collect();
    Ok(call(form.pos, "do", defs))
}

fn expand_comment(form: &Form, _args: &[Form]) -> Result<Form> {
    Ok(nil(form.pos))
}

/// `(and a b c)` to nested `let*`/`if`, evaluating each form once.
fn expand_and(form: &Form, args: &[Form]) -> Result<Form> {
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

fn expand_or(form: &Form, args: &[Form]) -> Result<Form> {
    Ok(match args {
        [] => nil(form.pos),
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

/// Nested `if`s, built from the last clause out (no recursion per clause).
fn expand_cond(form: &Form, args: &[Form]) -> Result<Form> {
    if !args.len().is_multiple_of(2) {
        return Err(error(form, "cond requires an even number of forms"));
    }
    Ok(args.chunks(2).rev().fold(nil(form.pos), |otherwise, pair| {
        call(
            form.pos,
            "if",
            vec![pair[0].clone(), pair[1].clone(), otherwise],
        )
    }))
}

/// One `condp` clause: `test result` or `test :>> result-fn`.
enum CondpClause<'a> {
    Value { test: &'a Form, result: &'a Form },
    Pipe { test: &'a Form, result_fn: &'a Form },
}

/// `(condp pred expr clauses... default?)`: `pred` and `expr` are evaluated once; each clause
/// tests `(pred test expr)`.
fn expand_condp(form: &Form, args: &[Form]) -> Result<Form> {
    let [pred, expr, clauses @ ..] = args else {
        return Err(wrong_args(form, "condp", args.len()));
    };
    let pos = form.pos;
    let (pred_name, expr_name) = (gensym(pos, "pred"), gensym(pos, "expr"));
    let (parsed, default) = condp_clauses(clauses);
    let mut body = match default {
        Some(default) => default.clone(),
        None => no_matching_clause(pos, &expr_name),
    };
    for clause in parsed.iter().rev() {
        let test_call = |test: &Form| {
            Form::new(
                FormKind::List(vec![pred_name.clone(), test.clone(), expr_name.clone()]),
                pos,
            )
        };
        body = match clause {
            CondpClause::Value { test, result } => {
                call(pos, "if", vec![test_call(test), (*result).clone(), body])
            }
            CondpClause::Pipe { test, result_fn } => {
                let matched = gensym(pos, "p");
                let piped = Form::new(
                    FormKind::List(vec![(*result_fn).clone(), matched.clone()]),
                    pos,
                );
                let_once(
                    pos,
                    &matched,
                    &test_call(test),
                    call(pos, "if", vec![matched.clone(), piped, body]),
                )
            }
        };
    }
    let bindings = vector(pos, vec![pred_name, pred.clone(), expr_name, expr.clone()]);
    Ok(call(pos, "let*", vec![bindings, body]))
}

/// `condp`'s clauses, and the default if one is left over.
fn condp_clauses(mut clauses: &[Form]) -> (Vec<CondpClause<'_>>, Option<&Form>) {
    let mut parsed = Vec::new();
    loop {
        match clauses {
            [] => return (parsed, None),
            [default] => return (parsed, Some(default)),
            [test, pipe, result_fn, rest @ ..] if is_keyword(pipe, ">>") => {
                parsed.push(CondpClause::Pipe { test, result_fn });
                clauses = rest;
            }
            [test, result, rest @ ..] => {
                parsed.push(CondpClause::Value { test, result });
                clauses = rest;
            }
        }
    }
}

/// `(case e test result ... default?)`: `e` is evaluated once and compared with `=` to each
/// test constant (unevaluated; a list is a group of alternatives). Without a default, no match
/// throws `No matching clause: v`.
fn expand_case(form: &Form, args: &[Form]) -> Result<Form> {
    let (expr, clauses) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "case", 0))?;
    let pos = form.pos;
    let value = gensym(pos, "case");
    let (pairs, default) = if !clauses.len().is_multiple_of(2) {
        let (default, pairs) = clauses.split_last().expect("odd length");
        (pairs, Some(default))
    } else {
        (clauses, None)
    };
    check_distinct_case_tests(form, pairs)?;
    let mut body = match default {
        Some(default) => default.clone(),
        None => no_matching_clause(pos, &value),
    };
    for pair in pairs.chunks(2).rev() {
        let test = case_test(pos, &value, &pair[0]);
        body = call(pos, "if", vec![test, pair[1].clone(), body]);
    }
    Ok(let_once(pos, &value, expr, body))
}

/// The test constants of a case clause: the alternatives of a (non-empty) list, else itself.
fn case_constants(test: &Form) -> &[Form] {
    match &test.kind {
        FormKind::List(alternatives) if !alternatives.is_empty() => alternatives,
        _ => std::slice::from_ref(test),
    }
}

fn check_distinct_case_tests(form: &Form, pairs: &[Form]) -> Result<()> {
    let mut seen = HashSet::new();
    for constant in pairs.chunks(2).flat_map(|pair| case_constants(&pair[0])) {
        if !seen.insert(constant.to_string()) {
            return Err(error(
                form,
                format!("Duplicate case test constant: {constant}"),
            ));
        }
    }
    Ok(())
}

/// `(= v 'c)`, or for alternatives `(if (= v 'a) true (= v 'b))`.
fn case_test(pos: Pos, value: &Form, test: &Form) -> Form {
    let equals = |constant: &Form| {
        call(
            pos,
            "clojure.core/=",
            vec![value.clone(), literal(pos, constant)],
        )
    };
    let (last, others) = case_constants(test)
        .split_last()
        .expect("a case test has at least one constant");
    others.iter().rev().fold(equals(last), |rest, constant| {
        call(
            pos,
            "if",
            vec![equals(constant), Form::new(FormKind::Bool(true), pos), rest],
        )
    })
}

/// A case constant as an expression: quoted, unless it evaluates to itself anyway.
fn literal(pos: Pos, constant: &Form) -> Form {
    match constant.kind {
        FormKind::Symbol(_)
        | FormKind::List(_)
        | FormKind::Vector(_)
        | FormKind::Map(_)
        | FormKind::Set(_) => quote(pos, constant.clone()),
        _ => constant.clone(),
    }
}

/// `(if-let [pattern test] then else?)`: `test` is evaluated once; if truthy, `then` runs with
/// the pattern bound to it.
fn expand_if_let(form: &Form, args: &[Form]) -> Result<Form> {
    expand_if_binding(form, args, "if-let", false)
}

/// `if-some`: as `if-let`, testing for non-nil.
fn expand_if_some(form: &Form, args: &[Form]) -> Result<Form> {
    expand_if_binding(form, args, "if-some", true)
}

fn expand_if_binding(form: &Form, args: &[Form], what: &str, some: bool) -> Result<Form> {
    let (binding, then, otherwise) = match args {
        [binding, then] => (binding, then, nil(form.pos)),
        [binding, then, otherwise] => (binding, then, otherwise.clone()),
        [_, _, _, ..] => {
            return Err(error(
                form,
                format!("{what} requires 1 or 2 forms after binding vector"),
            ));
        }
        _ => return Err(wrong_args(form, what, args.len())),
    };
    conditional_binding(form, binding, what, some, then.clone(), otherwise)
}

/// `(when-let [pattern test] body...)`: as `if-let` with a `do` body and no else.
fn expand_when_let(form: &Form, args: &[Form]) -> Result<Form> {
    expand_when_binding(form, args, "when-let", false)
}

fn expand_when_some(form: &Form, args: &[Form]) -> Result<Form> {
    expand_when_binding(form, args, "when-some", true)
}

fn expand_when_binding(form: &Form, args: &[Form], what: &str, some: bool) -> Result<Form> {
    let (binding, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    let then = do_form(form.pos, body);
    conditional_binding(form, binding, what, some, then, nil(form.pos))
}

/// `(let* [temp test] (if temp (let [pattern temp] then) otherwise))`, or testing
/// `(nil? temp)` for the `-some` forms.
fn conditional_binding(
    form: &Form,
    binding: &Form,
    what: &str,
    some: bool,
    then: Form,
    otherwise: Form,
) -> Result<Form> {
    let pos = form.pos;
    let (pattern, test) = binding_pair(form, binding, what)?;
    let temp = gensym(pos, "temp");
    let then = destructure::let_form(pos, &[pattern.clone(), temp.clone()], vec![then])?;
    let branch = if some {
        let is_nil = call(pos, "clojure.core/nil?", vec![temp.clone()]);
        call(pos, "if", vec![is_nil, otherwise, then])
    } else {
        call(pos, "if", vec![temp.clone(), then, otherwise])
    };
    Ok(let_once(pos, &temp, test, branch))
}

/// `(when-first [pattern coll] body...)`: `coll` is evaluated once; when it has a first
/// element, the body runs with the pattern bound to it.
fn expand_when_first(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let (binding, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "when-first", 0))?;
    let (pattern, coll) = binding_pair(form, binding, "when-first")?;
    let items = gensym(pos, "xs");
    let first = call(pos, "clojure.core/first", vec![items.clone()]);
    let then = destructure::let_form(pos, &[pattern.clone(), first], body.to_vec())?;
    let seq = call(pos, "clojure.core/seq", vec![coll.clone()]);
    Ok(let_once(
        pos,
        &items,
        &seq,
        call(pos, "if", vec![items.clone(), then, nil(pos)]),
    ))
}

// ---------------------------------------------------------------------------------------------
// Threading

/// One threading step: `acc` inserted as the first argument of a list step (or the last, for
/// `->>`); any other step is called with `acc`.
fn thread_step(acc: Form, step: &Form, last: bool) -> Form {
    match &step.kind {
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
    }
}

fn expand_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_thread(form, args, "->", false)
}

fn expand_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_thread(form, args, "->>", true)
}

fn expand_thread(form: &Form, args: &[Form], what: &str, last: bool) -> Result<Form> {
    let (first, steps) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    Ok(steps
        .iter()
        .fold(first.clone(), |acc, step| thread_step(acc, step, last)))
}

fn expand_cond_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_cond_thread(form, args, "cond->", false)
}

fn expand_cond_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_cond_thread(form, args, "cond->>", true)
}

/// `(cond-> x test step ...)`: `(let* [g x, g (if test (-> g step) g), ...] g)`, every test
/// evaluated (no short circuit).
fn expand_cond_thread(form: &Form, args: &[Form], what: &str, last: bool) -> Result<Form> {
    let (init, clauses) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    if !clauses.len().is_multiple_of(2) {
        return Err(error(form, "Assert failed: (even? (count clauses))"));
    }
    let pos = form.pos;
    let value = gensym(pos, "cond");
    let mut bindings = vec![value.clone(), init.clone()];
    for pair in clauses.chunks(2) {
        let threaded = thread_step(value.clone(), &pair[1], last);
        bindings.push(value.clone());
        bindings.push(call(
            pos,
            "if",
            vec![pair[0].clone(), threaded, value.clone()],
        ));
    }
    Ok(call(pos, "let*", vec![vector(pos, bindings), value]))
}

fn expand_some_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_some_thread(form, args, "some->", false)
}

fn expand_some_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_some_thread(form, args, "some->>", true)
}

/// `(some-> x step ...)`: each step only while the value is non-nil; the last step is the body,
/// as in Clojure.
fn expand_some_thread(form: &Form, args: &[Form], what: &str, last: bool) -> Result<Form> {
    let (init, steps) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    let pos = form.pos;
    let value = gensym(pos, "some");
    let guarded = |step: &Form| {
        let is_nil = call(pos, "clojure.core/nil?", vec![value.clone()]);
        call(
            pos,
            "if",
            vec![is_nil, nil(pos), thread_step(value.clone(), step, last)],
        )
    };
    let mut bindings = vec![value.clone(), init.clone()];
    let result = match steps.split_last() {
        None => value.clone(),
        Some((last_step, before)) => {
            for step in before {
                bindings.push(value.clone());
                bindings.push(guarded(step));
            }
            guarded(last_step)
        }
    };
    Ok(call(pos, "let*", vec![vector(pos, bindings), result]))
}

/// `(as-> x name step ...)`: `name` rebound to each step's value in turn; the last step is the
/// body (so it is in tail position), as in Clojure.
fn expand_as_thread(form: &Form, args: &[Form]) -> Result<Form> {
    let [init, name, steps @ ..] = args else {
        return Err(wrong_args(form, "as->", args.len()));
    };
    let mut bindings = vec![name.clone(), init.clone()];
    let result = match steps.split_last() {
        None => name.clone(),
        Some((last_step, before)) => {
            for step in before {
                bindings.push(name.clone());
                bindings.push(step.clone());
            }
            last_step.clone()
        }
    };
    destructure::let_form(form.pos, &bindings, vec![result])
}

/// `(doto x (f a) g)`: `(let* [v x] (f v a) (g v) v)`.
fn expand_doto(form: &Form, args: &[Form]) -> Result<Form> {
    let (init, steps) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "doto", 0))?;
    let pos = form.pos;
    let value = gensym(pos, "doto");
    let mut items = vec![vector(pos, vec![value.clone(), init.clone()])];
    items.extend(
        steps
            .iter()
            .map(|step| thread_step(value.clone(), step, false)),
    );
    items.push(value);
    Ok(call(pos, "let*", items))
}

/// `(.. x f (g a))`: `(. (. x f) (g a))`. The analyzer has no `.` (host interop) yet, so this
/// only expands.
fn expand_member_chain(form: &Form, args: &[Form]) -> Result<Form> {
    let [target, members @ ..] = args else {
        return Err(wrong_args(form, "..", 0));
    };
    if members.is_empty() {
        return Err(wrong_args(form, "..", args.len()));
    }
    Ok(members.iter().fold(target.clone(), |acc, member| {
        call(form.pos, ".", vec![acc, member.clone()])
    }))
}

// ---------------------------------------------------------------------------------------------
// Loops and comprehensions

/// `(while test body...)`: `(loop* [] (if test (do body... (recur)) nil))`.
fn expand_while(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let (test, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "while", 0))?;
    let mut step = body.to_vec();
    step.push(call(pos, "recur", Vec::new()));
    let each = call(pos, "if", vec![test.clone(), do_form(pos, &step), nil(pos)]);
    Ok(call(pos, "loop*", vec![vector(pos, Vec::new()), each]))
}

/// `(dotimes [i n] body...)`: `n` evaluated once (as a long), `i` counting from 0 below it.
fn expand_dotimes(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let (binding, body) = args
        .split_first()
        .ok_or_else(|| error(form, "dotimes requires a vector for its binding"))?;
    let (pattern, count) = binding_pair(form, binding, "dotimes")?;
    let limit = gensym(pos, "n");
    let (index, mut step) = if destructure::is_plain(pattern) {
        (pattern.clone(), body.to_vec())
    } else {
        let index = gensym(pos, "i");
        let bound = destructure::let_form(pos, &[pattern.clone(), index.clone()], body.to_vec())?;
        (index, vec![bound])
    };
    step.push(call(
        pos,
        "recur",
        vec![call(pos, "clojure.core/inc", vec![index.clone()])],
    ));
    let below_limit = call(pos, "clojure.core/<", vec![index.clone(), limit.clone()]);
    let each = call(pos, "if", vec![below_limit, do_form(pos, &step), nil(pos)]);
    let counting = call(
        pos,
        "loop*",
        vec![
            vector(pos, vec![index, Form::new(FormKind::Int(0), pos)]),
            each,
        ],
    );
    let count = call(pos, "clojure.core/long", vec![count.clone()]);
    Ok(let_once(pos, &limit, &count, counting))
}

/// One binding of a `for`/`doseq` vector with the modifiers that follow it.
struct Comprehension<'a> {
    pattern: &'a Form,
    coll: &'a Form,
    modifiers: Vec<Modifier<'a>>,
}

enum Modifier<'a> {
    /// `:let [bindings]`.
    Let(&'a Form),
    /// `:when test`: skip this element.
    When(&'a Form),
    /// `:while test`: stop this binding's iteration (the enclosing ones go on).
    While(&'a Form),
}

/// The bindings of a `for` or `doseq` (`what`), grouped with their modifiers.
fn comprehension<'a>(
    form: &Form,
    bindings: &'a [Form],
    what: &str,
) -> Result<Vec<Comprehension<'a>>> {
    let mut groups: Vec<Comprehension> = Vec::new();
    for pair in bindings.chunks(2) {
        let [key, value] = pair else {
            unreachable!("binding_vector checked the count is even")
        };
        let FormKind::Keyword(k) = &key.kind else {
            groups.push(Comprehension {
                pattern: key,
                coll: value,
                modifiers: Vec::new(),
            });
            continue;
        };
        let modifier = match (k.ns.as_deref(), k.name.as_str()) {
            (None, "let") => Modifier::Let(value),
            (None, "when") => Modifier::When(value),
            (None, "while") => Modifier::While(value),
            _ => return Err(error(form, format!("Invalid '{what}' keyword {key}"))),
        };
        let group = groups.last_mut().ok_or_else(|| {
            error(
                form,
                format!("{what} bindings must start with a binding form, not {key}"),
            )
        })?;
        group.modifiers.push(modifier);
    }
    Ok(groups)
}

/// `:let [bindings]` around `body`.
fn let_modifier(form: &Form, bindings: &Form, body: Form) -> Result<Form> {
    let (bindings, _) = binding_vector(form, std::slice::from_ref(bindings), "let")?;
    destructure::let_form(form.pos, bindings, vec![body])
}

/// `(doseq [x xs :when t] body...)`, eager, nil: one `loop*` over `seq`/`next` per binding,
/// nested; `:when` skips to the next element, `:while` ends that binding's loop.
fn expand_doseq(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "doseq")?;
    let groups = comprehension(form, bindings, "doseq")?;
    if groups.is_empty() {
        let mut items = body.to_vec();
        items.push(nil(form.pos));
        return Ok(do_form(form.pos, &items));
    }
    doseq_loop(form, &groups, body)
}

fn doseq_loop(form: &Form, groups: &[Comprehension], body: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let (group, inner_groups) = groups.split_first().expect("caller checked non-empty");
    let seq = gensym(pos, "seq");
    let next = call(
        pos,
        "recur",
        vec![call(pos, "clojure.core/next", vec![seq.clone()])],
    );
    let mut step = if inner_groups.is_empty() {
        body.to_vec()
    } else {
        vec![doseq_loop(form, inner_groups, body)?]
    };
    step.push(next.clone());
    let mut step = do_form(pos, &step);
    for modifier in group.modifiers.iter().rev() {
        step = match modifier {
            Modifier::Let(bindings) => let_modifier(form, bindings, step)?,
            Modifier::When(test) => call(pos, "if", vec![(*test).clone(), step, next.clone()]),
            Modifier::While(test) => call(pos, "if", vec![(*test).clone(), step, nil(pos)]),
        };
    }
    let first = call(pos, "clojure.core/first", vec![seq.clone()]);
    let each = destructure::let_form(pos, &[group.pattern.clone(), first], vec![step])?;
    let start = call(pos, "clojure.core/seq", vec![group.coll.clone()]);
    Ok(call(
        pos,
        "loop*",
        vec![
            vector(pos, vec![seq.clone(), start]),
            call(pos, "if", vec![seq, each, nil(pos)]),
        ],
    ))
}

/// `(for [x xs y ys :when t] body)`, lazy, from `clojure.core/map` and `mapcat` (lazy in the
/// runtime, so infinite collections work): the last binding maps to the body, each earlier one
/// mapcats to the sequence of the bindings after it.
fn expand_for(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "for")?;
    let [body] = body else {
        return Err(wrong_args(form, "for", args.len()));
    };
    let groups = comprehension(form, bindings, "for")?;
    if groups.is_empty() {
        return Ok(call(form.pos, "clojure.core/list", vec![body.clone()]));
    }
    for_seq(form, &groups, body)
}

/// The lazy seq of one binding and everything after it. An element's step yields a seq of
/// results (nil when `:when` skips it), or `false` when `:while` stops the iteration, which
/// `take-while` cuts off before the seqs are concatenated.
fn for_seq(form: &Form, groups: &[Comprehension], body: &Form) -> Result<Form> {
    let pos = form.pos;
    let (group, inner_groups) = groups.split_first().expect("caller checked non-empty");
    if inner_groups.is_empty() && group.modifiers.is_empty() {
        let each = lambda(pos, group.pattern, body.clone())?;
        return Ok(call(
            pos,
            "clojure.core/map",
            vec![each, group.coll.clone()],
        ));
    }
    let mut step = if inner_groups.is_empty() {
        call(pos, "clojure.core/list", vec![body.clone()])
    } else {
        for_seq(form, inner_groups, body)?
    };
    for modifier in group.modifiers.iter().rev() {
        step = match modifier {
            Modifier::Let(bindings) => let_modifier(form, bindings, step)?,
            Modifier::When(test) => call(pos, "if", vec![(*test).clone(), step, nil(pos)]),
            Modifier::While(test) => call(
                pos,
                "if",
                vec![(*test).clone(), step, Form::new(FormKind::Bool(false), pos)],
            ),
        };
    }
    let each = lambda(pos, group.pattern, step)?;
    let stops = group
        .modifiers
        .iter()
        .any(|m| matches!(m, Modifier::While(_)));
    if !stops {
        return Ok(call(
            pos,
            "clojure.core/mapcat",
            vec![each, group.coll.clone()],
        ));
    }
    let steps = call(pos, "clojure.core/map", vec![each, group.coll.clone()]);
    let not_stopped = call(
        pos,
        "clojure.core/complement",
        vec![symbol(pos, "clojure.core/false?")],
    );
    let until_stopped = call(pos, "clojure.core/take-while", vec![not_stopped, steps]);
    Ok(call(
        pos,
        "clojure.core/mapcat",
        vec![symbol(pos, "clojure.core/identity"), until_stopped],
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::compiler::Compiler;
    use crate::compiler::reader::Reader;

    /// The first form of `code`, read in `user`.
    pub(crate) fn read(code: &str) -> Form {
        let compiler = Compiler::new();
        Reader::new(code, 1, 1)
            .next_form(&compiler.read_context("user"))
            .expect("reads")
            .expect("has a form")
    }

    /// Expands the macro call `code` once: its text with gensyms numbered in order of
    /// appearance, or the error message.
    fn expand(code: &str) -> std::result::Result<String, String> {
        let form = read(code);
        let FormKind::List(items) = &form.kind else {
            panic!("not a call: {code}")
        };
        let name = &items[0].as_symbol().expect("a macro name").name;
        let expander = lookup(name).unwrap_or_else(|| panic!("no macro {name}"));
        match expander(&form, &items[1..]) {
            Ok(expansion) => Ok(number_gensyms(&expansion.to_string())),
            Err(error) => Err(error.message),
        }
    }

    fn expands_to(code: &str, expected: &str) {
        assert_eq!(expand(code).as_deref(), Ok(expected), "{code}");
    }

    fn fails_with(code: &str, expected: &str) {
        assert_eq!(expand(code), Err(expected.to_string()), "{code}");
    }

    /// `text` with each gensym (`vec__123__auto__`) renamed by order of first appearance
    /// (`vec__1`), so expected texts don't depend on which tests ran before.
    pub(crate) fn number_gensyms(text: &str) -> String {
        let mut seen: Vec<String> = Vec::new();
        let mut out = String::new();
        let mut token = String::new();
        for c in text.chars() {
            if c.is_whitespace() || "()[]{},".contains(c) {
                out.push_str(&renumber(&token, &mut seen));
                token.clear();
                out.push(c);
            } else {
                token.push(c);
            }
        }
        out.push_str(&renumber(&token, &mut seen));
        out
    }

    fn renumber(token: &str, seen: &mut Vec<String>) -> String {
        let gensym_prefix = token
            .strip_suffix("__auto__")
            .and_then(|stem| stem.rsplit_once("__"))
            .filter(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(prefix, _)| prefix);
        let Some(prefix) = gensym_prefix else {
            return token.to_string();
        };
        let index = match seen.iter().position(|t| t == token) {
            Some(index) => index,
            None => {
                seen.push(token.to_string());
                seen.len() - 1
            }
        };
        format!("{prefix}__{}", index + 1)
    }

    use crate::compiler::tests::compile_all;

    fn compile_error(code: &str) -> String {
        compile_all(&mut Compiler::new(), code)
            .expect_err("should not compile")
            .message
    }

    #[test]
    fn every_macro_is_documented_and_every_documented_macro_expands() {
        let expanders: Vec<&str> = EXPANDERS.iter().map(|(name, _)| *name).collect();
        let documented: Vec<&str> = MACRO_DOCS.iter().map(|(name, _, _)| *name).collect();
        for name in &expanders {
            assert!(documented.contains(name), "{name} has no MACRO_DOCS entry");
        }
        for name in &documented {
            assert!(
                is_macro(name),
                "{name} is documented but lookup doesn't know it"
            );
        }
        let distinct: HashSet<&str> = expanders.iter().copied().collect();
        assert_eq!(distinct.len(), expanders.len(), "a macro is listed twice");
        assert_eq!(
            documented.len(),
            expanders.len(),
            "a macro is documented twice"
        );
    }

    #[test]
    fn let_destructures_into_plain_bindings() {
        expands_to("(let [a 1 b a] b)", "(let* [a 1 b a] b)");
        expands_to(
            "(let [[a & r :as all] v {:keys [c] :or {c 1}} m] [a c])",
            "(let* [vec__1 v a (clojure.core/nth vec__1 0 nil) r (clojure.core/nthnext vec__1 1) \
             all vec__1 map__2 m map__2 (if (clojure.core/seq? map__2) (if (clojure.core/next map__2) \
             (clojure.core/apply clojure.core/hash-map map__2) (if (clojure.core/seq map__2) \
             (clojure.core/first map__2) {})) map__2) c (clojure.core/get map__2 :c 1)] [a c])",
        );
        fails_with("(let [1 2] 1)", "Unsupported binding form: 1");
        fails_with(
            "(let [a] a)",
            "let requires an even number of forms in binding vector",
        );
        fails_with("(let a a)", "let requires a vector for its binding");
    }

    #[test]
    fn fn_params_that_are_patterns_become_gensyms_destructured_by_a_let() {
        expands_to("(fn [a & more] more)", "(fn* ([a & more] more))");
        expands_to(
            "(fn f ([] 0) ([[a] & {:keys [b]}] (recur a b)))",
            "(fn* f ([] 0) ([p__1 & p__2] (let* [vec__3 p__1 a (clojure.core/nth vec__3 0 nil) \
             map__4 p__2 map__4 (if (clojure.core/seq? map__4) (if (clojure.core/next map__4) \
             (clojure.core/apply clojure.core/hash-map map__4) (if (clojure.core/seq map__4) \
             (clojure.core/first map__4) {})) map__4) b (clojure.core/get map__4 :b)] (recur a b))))",
        );
        fails_with("(fn)", "Parameter declaration missing");
        fails_with("(fn a b)", "Parameter declaration b should be a vector");
        fails_with("(fn ([a] a) b)", "Invalid signature b should be a list");
        fails_with(
            "(fn ((a) a))",
            "Parameter declaration (a) should be a vector",
        );
    }

    #[test]
    fn defn_keeps_the_written_arglists_and_drops_a_trailing_attr_map() {
        expands_to(
            "(defn g \"doc\" {:added 1} ([[a]] a) ([a b] b) {:ignored true})",
            "(def g (fn* ([p__1] (let* [vec__2 p__1 a (clojure.core/nth vec__2 0 nil)] a)) ([a b] b)))",
        );
        let mut compiler = Compiler::new();
        compile_all(
            &mut compiler,
            "(defn g \"doc\" {:added 1} ([[a]] a) ([a {:keys [b]}] b) {:ignored true})
             (defn- h [& {:as opts}] opts)",
        )
        .expect("compiles");
        let var = |name: &str| {
            let slot = compiler
                .namespaces()
                .resolve_var("user", &Symbol::simple(name))
                .expect("defined");
            compiler.namespaces().var(slot).clone()
        };
        assert_eq!(
            var("g").arglists.as_deref(),
            Some("([[a]] [a {:keys [b]}])")
        );
        assert_eq!(var("g").doc.as_deref(), Some("doc"));
        assert_eq!(var("h").arglists.as_deref(), Some("([& {:as opts}])"));
    }

    #[test]
    fn loop_with_patterns_rebinds_gensyms_and_destructures_inside() {
        expands_to("(loop [a 1] (recur a))", "(loop* [a 1] (recur a))");
        expands_to(
            "(loop [[a] xs n 0] (recur (next xs) (inc n)))",
            "(let* [loop__1 xs vec__2 loop__1 a (clojure.core/nth vec__2 0 nil) n 0] \
             (loop* [loop__1 loop__1 n n] (let* [vec__3 loop__1 a (clojure.core/nth vec__3 0 nil)] \
             (recur (next xs) (inc n)))))",
        );
        assert_eq!(
            compile_error("(loop [[a] [1] b 2] (recur [a]))"),
            "Mismatched argument count to recur, expected: 2 args, got: 1"
        );
    }

    #[test]
    fn conditional_bindings_destructure_what_they_test() {
        expands_to(
            "(if-let [[a] x] a :no)",
            "(let* [temp__1 x] (if temp__1 (let* [vec__2 temp__1 a (clojure.core/nth vec__2 0 nil)] a) :no))",
        );
        expands_to(
            "(when-some [a x] a b)",
            "(let* [temp__1 x] (if (clojure.core/nil? temp__1) nil (let* [a temp__1] (do a b))))",
        );
        expands_to(
            "(when-first [a xs] a)",
            "(let* [xs__1 (clojure.core/seq xs)] (if xs__1 (let* [a (clojure.core/first xs__1)] a) nil))",
        );
        fails_with(
            "(if-let [a 1 b 2] a)",
            "if-let requires exactly 2 forms in binding vector",
        );
        fails_with("(if-let a 1)", "if-let requires a vector for its binding");
        fails_with(
            "(if-let [a 1] 1 2 3)",
            "if-let requires 1 or 2 forms after binding vector",
        );
    }

    #[test]
    fn case_compares_unevaluated_constants_and_throws_without_a_default() {
        expands_to(
            "(case x 1 :one (2 3) :few \"s\" :str sym :sym [v] :vec :other)",
            "(let* [case__1 x] (if (clojure.core/= case__1 1) :one \
             (if (if (clojure.core/= case__1 2) true (clojure.core/= case__1 3)) :few \
             (if (clojure.core/= case__1 \"s\") :str (if (clojure.core/= case__1 (quote sym)) :sym \
             (if (clojure.core/= case__1 (quote [v])) :vec :other))))))",
        );
        expands_to(
            "(case x 1 :one)",
            "(let* [case__1 x] (if (clojure.core/= case__1 1) :one \
             (throw (clojure.core/ex-info (clojure.core/str \"No matching clause: \" case__1) {}))))",
        );
        fails_with("(case x 1 :a (2 1) :b)", "Duplicate case test constant: 1");
    }

    #[test]
    fn condp_calls_the_predicate_per_clause() {
        expands_to(
            "(condp = x 1 :one 2 :>> inc :none)",
            "(let* [pred__1 = expr__2 x] (if (pred__1 1 expr__2) :one \
             (let* [p__3 (pred__1 2 expr__2)] (if p__3 (inc p__3) :none))))",
        );
        expands_to(
            "(condp = x 1 :one)",
            "(let* [pred__1 = expr__2 x] (if (pred__1 1 expr__2) :one \
             (throw (clojure.core/ex-info (clojure.core/str \"No matching clause: \" expr__2) {}))))",
        );
    }

    #[test]
    fn threading_macros() {
        expands_to("(-> x (f 1) g)", "(g (f x 1))");
        expands_to("(->> x (f 1) g)", "(g (f 1 x))");
        expands_to(
            "(cond-> x a inc b (* 2))",
            "(let* [cond__1 x cond__1 (if a (inc cond__1) cond__1) cond__1 (if b (* cond__1 2) cond__1)] cond__1)",
        );
        expands_to(
            "(cond->> x a (map inc))",
            "(let* [cond__1 x cond__1 (if a (map inc cond__1) cond__1)] cond__1)",
        );
        expands_to(
            "(some-> x :a (f 1))",
            "(let* [some__1 x some__1 (if (clojure.core/nil? some__1) nil (:a some__1))] \
             (if (clojure.core/nil? some__1) nil (f some__1 1)))",
        );
        expands_to(
            "(some->> x (f 1))",
            "(let* [some__1 x] (if (clojure.core/nil? some__1) nil (f 1 some__1)))",
        );
        expands_to(
            "(as-> 1 y (inc y) (* y 2))",
            "(let* [y 1 y (inc y)] (* y 2))",
        );
        expands_to(
            "(doto x (f 1) g)",
            "(let* [doto__1 x] (f doto__1 1) (g doto__1) doto__1)",
        );
        expands_to("(.. x f (g 1))", "(. (. x f) (g 1))");
        fails_with("(cond-> x a)", "Assert failed: (even? (count clauses))");
    }

    #[test]
    fn letfn_names_each_fn_after_its_binding() {
        expands_to(
            "(letfn [(f [x] (g x)) (g ([[y]] y))] (f 1))",
            "(letfn* [f (fn* f ([x] (g x))) g (fn* g ([p__1] (let* [vec__2 p__1 y \
             (clojure.core/nth vec__2 0 nil)] y)))] (f 1))",
        );
        fails_with(
            "(letfn [f] 1)",
            "letfn binding must be a function spec (name [params] body...), not f",
        );
    }

    #[test]
    fn loops_while_and_dotimes() {
        expands_to(
            "(while (p) (a) (b))",
            "(loop* [] (if (p) (do (a) (b) (recur)) nil))",
        );
        expands_to(
            "(dotimes [i 3] (print i))",
            "(let* [n__1 (clojure.core/long 3)] (loop* [i 0] (if (clojure.core/< i n__1) \
             (do (print i) (recur (clojure.core/inc i))) nil)))",
        );
        fails_with(
            "(dotimes [i] 1)",
            "dotimes requires exactly 2 forms in binding vector",
        );
    }

    #[test]
    fn doseq_nests_eager_loops_with_modifiers() {
        expands_to(
            "(doseq [x xs] (f x))",
            "(loop* [seq__1 (clojure.core/seq xs)] (if seq__1 (let* [x (clojure.core/first seq__1)] \
             (do (f x) (recur (clojure.core/next seq__1)))) nil))",
        );
        expands_to(
            "(doseq [x xs :let [y x] :when y z ys :while z] (f x z))",
            "(loop* [seq__1 (clojure.core/seq xs)] (if seq__1 (let* [x (clojure.core/first seq__1)] \
             (let* [y x] (if y (do (loop* [seq__2 (clojure.core/seq ys)] (if seq__2 \
             (let* [z (clojure.core/first seq__2)] (if z (do (f x z) (recur (clojure.core/next seq__2))) nil)) \
             nil)) (recur (clojure.core/next seq__1))) (recur (clojure.core/next seq__1))))) nil))",
        );
        fails_with(
            "(doseq [x xs :until x] x)",
            "Invalid 'doseq' keyword :until",
        );
    }

    #[test]
    fn for_builds_a_lazy_seq_from_map_and_mapcat() {
        expands_to("(for [x xs] x)", "(clojure.core/map (fn* ([x] x)) xs)");
        expands_to(
            "(for [[a b] xs :let [c (+ a b)] :when (odd? c)] c)",
            "(clojure.core/mapcat (fn* ([p__1] (let* [vec__2 p__1 a (clojure.core/nth vec__2 0 nil) \
             b (clojure.core/nth vec__2 1 nil)] (let* [c (+ a b)] (if (odd? c) (clojure.core/list c) nil))))) xs)",
        );
        expands_to(
            "(for [x xs y ys :while y] [x y])",
            "(clojure.core/mapcat (fn* ([x] (clojure.core/mapcat clojure.core/identity \
             (clojure.core/take-while (clojure.core/complement clojure.core/false?) \
             (clojure.core/map (fn* ([y] (if y (clojure.core/list [x y]) false))) ys))))) xs)",
        );
        fails_with(
            "(for [:when x] x)",
            "for bindings must start with a binding form, not :when",
        );
        fails_with(
            "(for [x xs] x x)",
            "Wrong number of args (3) passed to: clojure.core/for",
        );
    }

    /// Every macro in use, including the forms of the shared conformance corpus: the
    /// expansions must analyze and emit valid wasm.
    #[test]
    fn expansions_compile_to_valid_wasm() {
        let code = r#"
            (let [[a b & more] [1 2 3 4]] [a b more])
            (let [{:keys [a b] :or {b 5}} {:a 1}] [a b])
            (let [[a [b c]] [1 [2 3]] {x :x {y :y} :m} {:x 4 :m {:y 5}}] [a b c x y])
            (defn pt [{:keys [x y]}] (+ x y))
            (let [[a :as all] [1 2]] [a all])
            (let [{a :a [b] :bc :keys [d] :strs [e] :syms [f] :x/keys [g] :as m} {}] [a b d e f g m])
            (defn kw [x & {:keys [a b] :or {b 2}}] [x a b])
            (defn- mm ([[a b]] (+ a b)) ([x {:keys [y]}] (* x y)) ([x y & [z]] [x y z]))
            ((fn [[x & xs] acc] (if x (recur xs (+ acc x)) acc)) [1 2 3] 0)
            (loop [[x & xs] [1 2 3] acc []] (if x (recur xs (conj acc x)) acc))
            [(if-let [[a] [1]] a) (when-let [{:keys [a]} {:a 1}] a) (if-some [x false] x) (when-some [x 1] x)]
            (when-first [[a] [[1]]] a)
            (let [n (atom 0)] (while (< @n 3) (swap! n inc)))
            (dotimes [i 3] (print i))
            (doseq [x [1 2]] (println x))
            (doseq [x [1 2 3] :let [y x] :when (odd? y) z [y] :while z] (print x z))
            (for [x [1 2] y [:a :b]] [x y])
            (for [x (range 6) :when (even? x)] x)
            (take 3 (for [x (range)] x))
            (for [[a b] {:a 1} :let [c [a b]] y [c] :while y] y)
            [(case 2 1 :one 2 :two :other) (case 9 1 :one :other) (case :b (:a :b) :ab :no) (case 1 1 :a)]
            [(-> 5 inc (* 2)) (->> [1 2 3] (map inc) (reduce +))]
            [(condp = 1 1 :a) (condp some [1] #{1} :>> inc :none)]
            [(cond-> 1 true inc) (cond->> [1] true (map inc)) (some-> {:a 1} :a inc) (some->> [1] (map inc))]
            (as-> 1 x (inc x) [x])
            (doto (atom 0) (swap! inc))
            (letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] (ev? 10))
            (cond false 1 :else 2)
            (and 1 2) (or nil 2) (when 1 2) (when-not 1 2) (if-not 1 2 3) (comment x) (declare later)
        "#;
        compile_all(&mut Compiler::new(), code).expect("compiles");
    }
}
