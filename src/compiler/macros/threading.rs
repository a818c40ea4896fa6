//! The threading macros (`->`, `->>`, `cond->`, `some->`, `as->`), `doto` and `..`.

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "->",
        arglists: "([x & forms])",
        doc: "Threads the expr through the forms. Inserts x as the second item in the first form.",
        expand: expand_thread_first,
    },
    Macro {
        name: "->>",
        arglists: "([x & forms])",
        doc: "Threads the expr through the forms. Inserts x as the last item in the first form.",
        expand: expand_thread_last,
    },
    Macro {
        name: "cond->",
        arglists: "([expr & clauses])",
        doc: "Takes an expression and a set of test/form pairs. Threads expr (via ->) through each form for which the corresponding test expression is true. Note that, unlike cond branching, cond-> threading does not short circuit after the first true test expression.",
        expand: expand_cond_thread_first,
    },
    Macro {
        name: "cond->>",
        arglists: "([expr & clauses])",
        doc: "Takes an expression and a set of test/form pairs. Threads expr (via ->>) through each form for which the corresponding test expression is true. Note that, unlike cond branching, cond->> threading does not short circuit after the first true test expression.",
        expand: expand_cond_thread_last,
    },
    Macro {
        name: "some->",
        arglists: "([expr & forms])",
        doc: "When expr is not nil, threads it into the first form (via ->), and when that result is not nil, through the next etc",
        expand: expand_some_thread_first,
    },
    Macro {
        name: "some->>",
        arglists: "([expr & forms])",
        doc: "When expr is not nil, threads it into the first form (via ->>), and when that result is not nil, through the next etc",
        expand: expand_some_thread_last,
    },
    Macro {
        name: "as->",
        arglists: "([expr name & forms])",
        doc: "Binds name to expr, evaluates the first form in the lexical context of that binding, then binds name to that result, repeating for each successive form, returning the result of the last form.",
        expand: expand_as_thread,
    },
    Macro {
        name: "doto",
        arglists: "([x & forms])",
        doc: "Evaluates x then calls all of the methods and functions with the value of x supplied at the front of the given arguments. The forms are evaluated in order. Returns x.",
        expand: expand_doto,
    },
    Macro {
        name: "..",
        arglists: "([x form] [x form & more])",
        doc: "form => fieldName-symbol or (instanceMethodName-symbol args*). Expands into a member access (.) of the first member on the first argument, followed by the next member on the result, etc.",
        expand: expand_member_chain,
    },
];

/// One threading step: `acc` inserted as the first argument of a list step (or the last, for
/// `->>`); any other step is called with `acc`.
pub(super) fn thread_step(acc: Form, step: &Form, last: bool) -> Form {
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

pub(super) fn expand_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_thread(form, args, "->", false)
}

pub(super) fn expand_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_thread(form, args, "->>", true)
}

pub(super) fn expand_thread(form: &Form, args: &[Form], what: &str, last: bool) -> Result<Form> {
    let (first, steps) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    Ok(steps
        .iter()
        .fold(first.clone(), |acc, step| thread_step(acc, step, last)))
}

pub(super) fn expand_cond_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_cond_thread(form, args, "cond->", false)
}

pub(super) fn expand_cond_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_cond_thread(form, args, "cond->>", true)
}

/// `(cond-> x test step ...)`: `(let* [g x, g (if test (-> g step) g), ...] last-if)`, every
/// test evaluated (no short circuit); the last step is the body, as in Clojure, so a `recur`
/// step is in tail position.
pub(super) fn expand_cond_thread(
    form: &Form,
    args: &[Form],
    what: &str,
    last: bool,
) -> Result<Form> {
    let (init, clauses) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, what, 0))?;
    if !clauses.len().is_multiple_of(2) {
        return Err(error(form, "Assert failed: (even? (count clauses))"));
    }
    let pos = form.pos;
    let value = gensym(pos, "cond");
    let mut bindings = vec![value.clone(), init.clone()];
    let mut steps: Vec<Form> = clauses
        .chunks(2)
        .map(|pair| {
            let threaded = thread_step(value.clone(), &pair[1], last);
            call(pos, "if", vec![pair[0].clone(), threaded, value.clone()])
        })
        .collect();
    let body = steps.pop().unwrap_or_else(|| value.clone());
    for step in steps {
        bindings.push(value.clone());
        bindings.push(step);
    }
    Ok(call(pos, "let*", vec![vector(pos, bindings), body]))
}

pub(super) fn expand_some_thread_first(form: &Form, args: &[Form]) -> Result<Form> {
    expand_some_thread(form, args, "some->", false)
}

pub(super) fn expand_some_thread_last(form: &Form, args: &[Form]) -> Result<Form> {
    expand_some_thread(form, args, "some->>", true)
}

/// `(some-> x step ...)`: each step only while the value is non-nil; the last step is the body,
/// as in Clojure.
pub(super) fn expand_some_thread(
    form: &Form,
    args: &[Form],
    what: &str,
    last: bool,
) -> Result<Form> {
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
pub(super) fn expand_as_thread(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn expand_doto(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn expand_member_chain(form: &Form, args: &[Form]) -> Result<Form> {
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
