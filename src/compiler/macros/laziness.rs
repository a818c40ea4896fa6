//! Deferred evaluation: `lazy-seq`, `lazy-cat` and `delay`, as fns of no arguments the
//! runtime calls when the value is first needed.

use super::*;

pub(super) const MACROS: &[Macro] = &[
    Macro {
        name: "lazy-seq",
        arglists: "([& body])",
        doc: "Takes a body of expressions that returns an ISeq or nil, and yields a Seqable object that will invoke the body only the first time seq is called, and will cache the result and return it on all subsequent seq calls. See also - realized?",
        expand: expand_lazy_seq,
    },
    Macro {
        name: "lazy-cat",
        arglists: "([& colls])",
        doc: "Expands to code which yields a lazy sequence of the concatenation of the supplied colls. Each coll expr is not evaluated until it is needed.",
        expand: expand_lazy_cat,
    },
    Macro {
        name: "delay",
        arglists: "([& body])",
        doc: "Takes a body of expressions and yields a Delay object that will invoke the body only the first time it is forced (with force or deref/@), and will cache the result and return it on all subsequent force calls. See also - realized?",
        expand: expand_delay,
    },
];

fn expand_lazy_seq(form: &Form, args: &[Form]) -> Result<Form> {
    Ok(call(
        form.pos,
        "jank.runtime/lazy-seq*",
        vec![thunk(form.pos, args)],
    ))
}

fn expand_lazy_cat(form: &Form, args: &[Form]) -> Result<Form> {
    let pos = form.pos;
    let colls = args
        .iter()
        .map(|c| {
            call(
                pos,
                "jank.runtime/lazy-seq*",
                vec![thunk(pos, std::slice::from_ref(c))],
            )
        })
        .collect();
    Ok(call(pos, "clojure.core/concat", colls))
}

fn expand_delay(form: &Form, args: &[Form]) -> Result<Form> {
    Ok(call(
        form.pos,
        "jank.runtime/delay*",
        vec![thunk(form.pos, args)],
    ))
}
