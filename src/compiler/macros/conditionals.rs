//! Conditionals: `when`, `if-not`, `and`, `or`, `cond`, `condp`, `case`, `comment`.

use std::collections::HashSet;

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "when",
        arglists: "([test & body])",
        doc: "Evaluates test. If logical true, evaluates body in an implicit do.",
        expand: expand_when,
    },
    Macro {
        name: "when-not",
        arglists: "([test & body])",
        doc: "Evaluates test. If logical false, evaluates body in an implicit do.",
        expand: expand_when_not,
    },
    Macro {
        name: "if-not",
        arglists: "([test then] [test then else])",
        doc: "Evaluates test. If logical false, evaluates and returns then expr, otherwise else expr, if supplied, else nil.",
        expand: expand_if_not,
    },
    Macro {
        name: "comment",
        arglists: "([& body])",
        doc: "Ignores body, yields nil",
        expand: expand_comment,
    },
    Macro {
        name: "and",
        arglists: "([] [x] [x & next])",
        doc: "Evaluates exprs one at a time, from left to right. If a form returns logical false, and returns that value and doesn't evaluate any of the other expressions.",
        expand: expand_and,
    },
    Macro {
        name: "or",
        arglists: "([] [x] [x & next])",
        doc: "Evaluates exprs one at a time, from left to right. If a form returns a logical true value, or returns that value and doesn't evaluate any of the other expressions.",
        expand: expand_or,
    },
    Macro {
        name: "cond",
        arglists: "([& clauses])",
        doc: "Takes a set of test/expr pairs. It evaluates each test one at a time. If a test returns logical true, cond evaluates and returns the value of the corresponding expr.",
        expand: expand_cond,
    },
    Macro {
        name: "condp",
        arglists: "([pred expr & clauses])",
        doc: "Takes a binary predicate, an expression, and a set of clauses. Each clause can take the form of either: test-expr result-expr, or test-expr :>> result-fn. For each clause, (pred test-expr expr) is evaluated. If it returns logical true, the clause is a match. A single default expression can follow the clauses, and its value will be returned if no clause matches.",
        expand: expand_condp,
    },
    Macro {
        name: "case",
        arglists: "([e & clauses])",
        doc: "Takes an expression, and a set of clauses. Each clause can take the form of either: test-constant result-expr, or (test-constant1 ... test-constantN) result-expr. The test-constants are not evaluated. A single default expression can follow the clauses, and its value will be returned if no clause matches. If no default expression is provided and no clause matches, an IllegalArgumentException is thrown.",
        expand: expand_case,
    },
];

pub(super) fn expand_when(form: &Form, args: &[Form]) -> Result<Form> {
    let (test, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "when", 0))?;
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), do_form(form.pos, body)],
    ))
}

pub(super) fn expand_when_not(form: &Form, args: &[Form]) -> Result<Form> {
    let (test, body) = args
        .split_first()
        .ok_or_else(|| wrong_args(form, "when-not", 0))?;
    Ok(call(
        form.pos,
        "if",
        vec![test.clone(), nil(form.pos), do_form(form.pos, body)],
    ))
}

pub(super) fn expand_if_not(form: &Form, args: &[Form]) -> Result<Form> {
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

pub(super) fn expand_comment(form: &Form, _args: &[Form]) -> Result<Form> {
    Ok(nil(form.pos))
}

/// `(and a b c)` to nested `let*`/`if`, evaluating each form once.
pub(super) fn expand_and(form: &Form, args: &[Form]) -> Result<Form> {
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

pub(super) fn expand_or(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn expand_cond(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) enum CondpClause<'a> {
    Value { test: &'a Form, result: &'a Form },
    Pipe { test: &'a Form, result_fn: &'a Form },
}

/// `(condp pred expr clauses... default?)`: `pred` and `expr` are evaluated once; each clause
/// tests `(pred test expr)`.
pub(super) fn expand_condp(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn condp_clauses(mut clauses: &[Form]) -> (Vec<CondpClause<'_>>, Option<&Form>) {
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
pub(super) fn expand_case(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn case_constants(test: &Form) -> &[Form] {
    match &test.kind {
        FormKind::List(alternatives) if !alternatives.is_empty() => alternatives,
        _ => std::slice::from_ref(test),
    }
}

pub(super) fn check_distinct_case_tests(form: &Form, pairs: &[Form]) -> Result<()> {
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
pub(super) fn case_test(pos: Pos, value: &Form, test: &Form) -> Form {
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
pub(super) fn literal(pos: Pos, constant: &Form) -> Form {
    match constant.kind {
        FormKind::Symbol(_)
        | FormKind::List(_)
        | FormKind::Vector(_)
        | FormKind::Map(_)
        | FormKind::Set(_) => quote(pos, constant.clone()),
        _ => constant.clone(),
    }
}
