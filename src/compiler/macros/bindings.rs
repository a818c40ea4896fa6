//! Macros that bind names: `let`, `loop`, `binding`, and the conditional bindings
//! (`if-let`, `when-some`, `when-first`, ...).

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "let",
        arglists: "([bindings & body])",
        doc: "binding => binding-form init-expr. Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs or parts therein.",
        expand: expand_let,
    },
    Macro {
        name: "loop",
        arglists: "([bindings & body])",
        doc: "Evaluates the exprs in a lexical context in which the symbols in the binding-forms are bound to their respective init-exprs or parts therein. Acts as a recur target.",
        expand: expand_loop,
    },
    Macro {
        name: "if-let",
        arglists: "([bindings then] [bindings then else & oldform])",
        doc: "bindings => binding-form test. If test is true, evaluates then with binding-form bound to the value of test, if not, yields else",
        expand: expand_if_let,
    },
    Macro {
        name: "if-some",
        arglists: "([bindings then] [bindings then else & oldform])",
        doc: "bindings => binding-form test. If test is not nil, evaluates then with binding-form bound to the value of test, if not, yields else",
        expand: expand_if_some,
    },
    Macro {
        name: "when-let",
        arglists: "([bindings & body])",
        doc: "bindings => binding-form test. When test is true, evaluates body with binding-form bound to the value of test",
        expand: expand_when_let,
    },
    Macro {
        name: "when-some",
        arglists: "([bindings & body])",
        doc: "bindings => binding-form test. When test is not nil, evaluates body with binding-form bound to the value of test",
        expand: expand_when_some,
    },
    Macro {
        name: "when-first",
        arglists: "([bindings & body])",
        doc: "bindings => x xs. Roughly the same as (when (seq xs) (let [x (first xs)] body)) but xs is evaluated only once",
        expand: expand_when_first,
    },
    Macro {
        name: "binding",
        arglists: "([bindings & body])",
        doc: "binding => var-symbol init-expr. Gives the vars the values for the body, then restores them. (The runtime has one thread, so this sets the vars' roots.)",
        expand: expand_binding,
    },
    Macro {
        name: "with-local-vars",
        arglists: "([name-vals-vec & body])",
        doc: "varbinding=> symbol init-expr. Executes the exprs in a context in which the symbols are bound to vars with per-thread bindings to the init-exprs. The symbols refer to the var objects themselves, and must be accessed with var-get and var-set",
        expand: expand_with_local_vars,
    },
    Macro {
        name: "with-bindings",
        arglists: "([binding-map & body])",
        doc: "Takes a map of Var/value pairs. Installs for the given Vars the associated values as thread-local bindings. Then executes body. Pops the installed bindings after body was evaluated. Returns the value of body.",
        expand: expand_with_bindings,
    },
    Macro {
        name: "bound-fn",
        arglists: "([& fntail])",
        doc: "Returns a function defined by the given fntail, which will install the same bindings in effect as in the thread at the time bound-fn was called. This may be used to define a helper function which runs on a different thread, but needs the very same bindings in place.",
        expand: expand_bound_fn,
    },
    Macro {
        name: "with-redefs",
        arglists: "([bindings & body])",
        doc: "binding => var-symbol temp-value-expr. Temporarily redefines Vars while executing the body, then restores their roots.",
        expand: expand_with_redefs,
    },
    Macro {
        name: "with-open",
        arglists: "([bindings & body])",
        doc: "bindings => [name init ...]. Evaluates body in a try expression with names bound to the values of the inits, and a finally clause that calls (.close name) on each name in reverse order.",
        expand: expand_with_open,
    },
];

/// `(with-redefs [v e ...] body...)`: `with-redefs-fn` of the vars and their
/// temporary roots (any var, dynamic or not, as in Clojure), the body as a fn.
pub(super) fn expand_with_redefs(form: &Form, args: &[Form]) -> Result<Form> {
    let (pairs, body) = binding_vector(form, args, "with-redefs")?;
    let pos = form.pos;
    let mut entries = Vec::new();
    for pair in pairs.chunks(2) {
        if pair[0].as_symbol().is_none() {
            return Err(error(
                form,
                format!("with-redefs expects var symbols, got: {}", pair[0]),
            ));
        }
        entries.extend([call(pos, "var", vec![pair[0].clone()]), pair[1].clone()]);
    }
    Ok(call(
        pos,
        "clojure.core/with-redefs-fn",
        vec![
            call(pos, "clojure.core/hash-map", entries),
            thunk(pos, body),
        ],
    ))
}

/// `(with-open [x init ...] body...)`: each `x` closed (`.close`) when the
/// body is done, the last opened first, however the body ends.
pub(super) fn expand_with_open(form: &Form, args: &[Form]) -> Result<Form> {
    let (pairs, body) = binding_vector(form, args, "with-open")?;
    let pos = form.pos;
    let mut inner = do_form(pos, body);
    for pair in pairs.chunks(2).rev() {
        let (name, init) = (&pair[0], &pair[1]);
        if name.as_symbol().is_none_or(|s| s.ns.is_some()) {
            return Err(error(form, "with-open only allows Symbols in bindings"));
        }
        let close = call(pos, ".close", vec![name.clone()]);
        let guarded = call(pos, "try", vec![inner, call(pos, "finally", vec![close])]);
        inner = let_once(pos, name, init, guarded);
    }
    Ok(inner)
}

/// `(binding [v value ...] body...)`: every value is evaluated first, then the
/// vars are bound to them for the body (`push-thread-bindings`, refusing a var
/// that is not dynamic) and unbound in a `finally`. Our runtimes have one
/// thread, so a thread binding sets the root, and popping it restores it.
pub(super) fn expand_binding(form: &Form, args: &[Form]) -> Result<Form> {
    let (pairs, body) = binding_vector(form, args, "binding")?;
    let pos = form.pos;
    let mut lets = Vec::new();
    let mut entries = Vec::new();
    for pair in pairs.chunks(2) {
        let (var, value) = (&pair[0], &pair[1]);
        if var.as_symbol().is_none() {
            return Err(error(
                form,
                format!("binding expects var symbols, got: {var}"),
            ));
        }
        let new = gensym(pos, "new");
        lets.extend([new.clone(), value.clone()]);
        entries.extend([call(pos, "var", vec![var.clone()]), new]);
    }
    Ok(with_thread_bindings(pos, lets, entries, body))
}

/// `(let* [lets...] (push-thread-bindings (hash-map entries...)) (try body...
/// (finally (pop-thread-bindings))))`: the body with the vars of `entries`
/// (var, value, ...) bound, as Clojure's `binding` expands.
fn with_thread_bindings(pos: Pos, lets: Vec<Form>, entries: Vec<Form>, body: &[Form]) -> Form {
    let push = call(
        pos,
        "clojure.core/push-thread-bindings",
        vec![call(pos, "clojure.core/hash-map", entries)],
    );
    let pop = call(pos, "clojure.core/pop-thread-bindings", vec![]);
    let guarded = call(
        pos,
        "try",
        vec![do_form(pos, body), call(pos, "finally", vec![pop])],
    );
    call(pos, "let*", vec![vector(pos, lets), push, guarded])
}

/// `(fn* [] body...)`.
fn thunk(pos: Pos, body: &[Form]) -> Form {
    call(
        pos,
        "fn*",
        [vec![vector(pos, vec![])], body.to_vec()].concat(),
    )
}

/// `(with-local-vars [x init ...] body...)`: each name a new var of no
/// namespace, bound to its init for the body (as Clojure's: thread bindings).
pub(super) fn expand_with_local_vars(form: &Form, args: &[Form]) -> Result<Form> {
    let (pairs, body) = binding_vector(form, args, "with-local-vars")?;
    let pos = form.pos;
    let mut lets = Vec::new();
    let mut entries = Vec::new();
    for pair in pairs.chunks(2) {
        if pair[0].as_symbol().is_none_or(|s| s.ns.is_some()) {
            return Err(error(
                form,
                format!("with-local-vars expects simple symbols, got: {}", pair[0]),
            ));
        }
        lets.extend([pair[0].clone(), call(pos, "jank.runtime/local-var", vec![])]);
        entries.extend([pair[0].clone(), pair[1].clone()]);
    }
    Ok(with_thread_bindings(pos, lets, entries, body))
}

/// `(with-bindings binding-map body...)`: the body as a fn, run by `with-bindings*`.
pub(super) fn expand_with_bindings(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = args
        .split_first()
        .ok_or_else(|| error(form, "with-bindings requires a binding map"))?;
    Ok(call(
        form.pos,
        "clojure.core/with-bindings*",
        vec![bindings.clone(), thunk(form.pos, body)],
    ))
}

/// `(bound-fn args...)`: `(bound-fn* (fn args...))`.
pub(super) fn expand_bound_fn(form: &Form, args: &[Form]) -> Result<Form> {
    let function = call(form.pos, "clojure.core/fn", args.to_vec());
    Ok(call(form.pos, "clojure.core/bound-fn*", vec![function]))
}

pub(super) fn expand_let(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "let")?;
    destructure::let_form(form.pos, bindings, body.to_vec())
}

pub(super) fn expand_loop(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "loop")?;
    destructure::loop_form(form.pos, bindings, body)
}

/// `(if-let [pattern test] then else?)`: `test` is evaluated once; if truthy, `then` runs with
/// the pattern bound to it.
pub(super) fn expand_if_let(form: &Form, args: &[Form]) -> Result<Form> {
    expand_if_binding(form, args, "if-let", false)
}

/// `if-some`: as `if-let`, testing for non-nil.
pub(super) fn expand_if_some(form: &Form, args: &[Form]) -> Result<Form> {
    expand_if_binding(form, args, "if-some", true)
}

pub(super) fn expand_if_binding(
    form: &Form,
    args: &[Form],
    what: &str,
    some: bool,
) -> Result<Form> {
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
pub(super) fn expand_when_let(form: &Form, args: &[Form]) -> Result<Form> {
    expand_when_binding(form, args, "when-let", false)
}

pub(super) fn expand_when_some(form: &Form, args: &[Form]) -> Result<Form> {
    expand_when_binding(form, args, "when-some", true)
}

pub(super) fn expand_when_binding(
    form: &Form,
    args: &[Form],
    what: &str,
    some: bool,
) -> Result<Form> {
    let (binding, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    let then = do_form(form.pos, body);
    conditional_binding(form, binding, what, some, then, nil(form.pos))
}

/// `(let* [temp test] (if temp (let [pattern temp] then) otherwise))`, or testing
/// `(nil? temp)` for the `-some` forms.
pub(super) fn conditional_binding(
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
pub(super) fn expand_when_first(form: &Form, args: &[Form]) -> Result<Form> {
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
