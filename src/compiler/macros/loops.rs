//! Loops and comprehensions: `while`, `dotimes`, `doseq`, `for`, and over
//! arrays `amap` and `areduce`.

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "while",
        arglists: "([test & body])",
        doc: "Repeatedly executes body while test expression is true. Presumes some side-effect will cause test to become false/nil. Returns nil",
        expand: expand_while,
    },
    Macro {
        name: "dotimes",
        arglists: "([bindings & body])",
        doc: "bindings => name n. Repeatedly executes body (presumably for side-effects) with name bound to integers from 0 through n-1.",
        expand: expand_dotimes,
    },
    Macro {
        name: "doseq",
        arglists: "([seq-exprs & body])",
        doc: "Repeatedly executes body (presumably for side-effects) with bindings and filtering as provided by \"for\". Does not retain the head of the sequence. Returns nil.",
        expand: expand_doseq,
    },
    Macro {
        name: "for",
        arglists: "([seq-exprs body-expr])",
        doc: "List comprehension. Takes a vector of one or more binding-form/collection-expr pairs, each followed by zero or more modifiers, and yields a lazy sequence of evaluations of expr. Collections are iterated in a nested fashion, rightmost fastest, and nested coll-exprs can refer to bindings created in prior binding-forms. Supported modifiers are: :let [binding-form expr ...], :while test, :when test.",
        expand: expand_for,
    },
    Macro {
        name: "amap",
        arglists: "([a idx ret expr])",
        doc: "Maps an expression across an array a, using an index named idx, and return value named ret, initialized to a clone of a, then setting each element of ret to the evaluation of expr, returning the new array ret.",
        expand: expand_amap,
    },
    Macro {
        name: "areduce",
        arglists: "([a idx ret init expr])",
        doc: "Reduces an expression across an array a, using an index named idx, and return value named ret, initialized to init, setting ret to the evaluation of expr at each step, returning ret.",
        expand: expand_areduce,
    },
];

/// `(amap a idx ret expr)`: `ret` a clone of `a`, each `ret[idx]` set to `expr`.
pub(super) fn expand_amap(form: &Form, args: &[Form]) -> Result<Form> {
    let [array, idx, ret, expr] = args else {
        return Err(wrong_args(form, "amap", args.len()));
    };
    let pos = form.pos;
    let (a, length) = (gensym(pos, "a"), gensym(pos, "l"));
    let step = do_form(
        pos,
        &[
            call(
                pos,
                "clojure.core/aset",
                vec![ret.clone(), idx.clone(), expr.clone()],
            ),
            call(
                pos,
                "recur",
                vec![call(pos, "clojure.core/inc", vec![idx.clone()])],
            ),
        ],
    );
    let each = call(
        pos,
        "if",
        vec![
            call(pos, "clojure.core/<", vec![idx.clone(), length.clone()]),
            step,
            ret.clone(),
        ],
    );
    let counting = call(
        pos,
        "loop*",
        vec![
            vector(pos, vec![idx.clone(), Form::new(FormKind::Int(0), pos)]),
            each,
        ],
    );
    let bindings = vec![
        a.clone(),
        array.clone(),
        length,
        call(pos, "clojure.core/alength", vec![a.clone()]),
        ret.clone(),
        call(pos, "clojure.core/aclone", vec![a]),
    ];
    Ok(call(pos, "let*", vec![vector(pos, bindings), counting]))
}

/// `(areduce a idx ret init expr)`: `ret` from `init`, then `expr` at each `idx`.
pub(super) fn expand_areduce(form: &Form, args: &[Form]) -> Result<Form> {
    let [array, idx, ret, init, expr] = args else {
        return Err(wrong_args(form, "areduce", args.len()));
    };
    let pos = form.pos;
    let (a, length) = (gensym(pos, "a"), gensym(pos, "l"));
    let each = call(
        pos,
        "if",
        vec![
            call(pos, "clojure.core/<", vec![idx.clone(), length.clone()]),
            call(
                pos,
                "recur",
                vec![
                    call(pos, "clojure.core/inc", vec![idx.clone()]),
                    expr.clone(),
                ],
            ),
            ret.clone(),
        ],
    );
    let counting = call(
        pos,
        "loop*",
        vec![
            vector(
                pos,
                vec![
                    idx.clone(),
                    Form::new(FormKind::Int(0), pos),
                    ret.clone(),
                    init.clone(),
                ],
            ),
            each,
        ],
    );
    let bindings = vec![
        a.clone(),
        array.clone(),
        length,
        call(pos, "clojure.core/alength", vec![a]),
    ];
    Ok(call(pos, "let*", vec![vector(pos, bindings), counting]))
}

/// `(while test body...)`: `(loop* [] (if test (do body... (recur)) nil))`.
pub(super) fn expand_while(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn expand_dotimes(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) struct Comprehension<'a> {
    pattern: &'a Form,
    coll: &'a Form,
    modifiers: Vec<Modifier<'a>>,
}

pub(super) enum Modifier<'a> {
    /// `:let [bindings]`.
    Let(&'a Form),
    /// `:when test`: skip this element.
    When(&'a Form),
    /// `:while test`: stop this binding's iteration (the enclosing ones go on).
    While(&'a Form),
}

/// The bindings of a `for` or `doseq` (`what`), grouped with their modifiers.
pub(super) fn comprehension<'a>(
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
pub(super) fn let_modifier(form: &Form, bindings: &Form, body: Form) -> Result<Form> {
    let (bindings, _) = binding_vector(form, std::slice::from_ref(bindings), "let")?;
    destructure::let_form(form.pos, bindings, vec![body])
}

/// `(doseq [x xs :when t] body...)`, eager, nil: one `loop*` over `seq`/`next` per binding,
/// nested; `:when` skips to the next element, `:while` ends that binding's loop.
pub(super) fn expand_doseq(form: &Form, args: &[Form]) -> Result<Form> {
    let (bindings, body) = binding_vector(form, args, "doseq")?;
    let groups = comprehension(form, bindings, "doseq")?;
    if groups.is_empty() {
        let mut items = body.to_vec();
        items.push(nil(form.pos));
        return Ok(do_form(form.pos, &items));
    }
    doseq_loop(form, &groups, body)
}

pub(super) fn doseq_loop(form: &Form, groups: &[Comprehension], body: &[Form]) -> Result<Form> {
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
pub(super) fn expand_for(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn for_seq(form: &Form, groups: &[Comprehension], body: &Form) -> Result<Form> {
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
