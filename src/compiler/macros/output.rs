//! Output, input and checks: `with-out-str`, `with-in-str`, `time`, `assert`.

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "with-out-str",
        arglists: "([& body])",
        doc: "Evaluates exprs in a context in which *out* is bound to a fresh StringWriter. Returns the string created by any nested printing calls.",
        expand: expand_with_out_str,
    },
    Macro {
        name: "with-in-str",
        arglists: "([s & body])",
        doc: "Evaluates body in a context in which *in* is bound to a fresh StringReader initialized with the string s.",
        expand: expand_with_in_str,
    },
    Macro {
        name: "time",
        arglists: "([expr])",
        doc: "Evaluates expr and prints the time it took. Returns the value of expr.",
        expand: expand_time,
    },
    Macro {
        name: "assert",
        arglists: "([x] [x message])",
        doc: "Evaluates expression x and throws an AssertionError with optional message if x does not evaluate to logical true.",
        expand: expand_assert,
    },
];

/// `(with-out-str body...)`: what the body prints, as a string: as Clojure's,
/// `*out*` bound to a fresh StringWriter (so a writer taken earlier, like
/// clojure.test's `*test-out*`, still prints where it did).
pub(super) fn expand_with_out_str(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let writer = gensym(pos, "s");
    let fresh = call(pos, "new", vec![symbol(pos, "java.io.StringWriter")]);
    let mut bound = vec![vector(
        pos,
        vec![symbol(pos, "clojure.core/*out*"), writer.clone()],
    )];
    bound.extend(args.iter().cloned());
    Ok(call(
        pos,
        "let*",
        vec![
            vector(pos, vec![writer.clone(), fresh]),
            call(pos, "clojure.core/binding", bound),
            call(pos, "clojure.core/str", vec![writer]),
        ],
    ))
}

/// `(with-in-str s body...)`: `read-line` reads the lines of `s` in the body.
pub(super) fn expand_with_in_str(form: &Form, args: &[Form]) -> Result<Form> {
    let Some((text, body)) = args.split_first() else {
        return Err(wrong_args(form, "with-in-str", 0));
    };
    Ok(call(
        form.pos,
        "jank.runtime/with-in-str*",
        vec![text.clone(), thunk(form.pos, body)],
    ))
}

/// `(time expr)`: prints how long `expr` took, yields its value.
pub(super) fn expand_time(form: &Form, args: &[Form]) -> Result<Form> {
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
pub(super) fn expand_assert(form: &Form, args: &[Form]) -> Result<Form> {
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
    // (the analyzer compiles the check only while *assert* is on)
    Ok(call(
        pos,
        "jank.runtime/assert*",
        vec![test.clone(), message],
    ))
}
