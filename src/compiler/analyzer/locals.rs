//! The forms that bind locals: `let`/`loop` (and `recur` to them), `fn` and its
//! arities, `letfn`.

use std::collections::HashMap;

use crate::compiler::ast::{FnArity, FnNode, LocalId, Node};
use crate::compiler::form::{BindingVectorError, Form, FormKind, Symbol, split_binding_vector};

use super::{Analyzer, Binding, FnScope, MAX_POSITIONAL_ARGS, Result, error};

impl Analyzer<'_> {
    /// `let*` and `loop*`: bindings in order, each seeing the ones before.
    pub(super) fn analyze_let(
        &mut self,
        form: &Form,
        args: &[Form],
        tail: bool,
        is_loop: bool,
    ) -> Result<Node> {
        let what = if is_loop { "loop*" } else { "let*" };
        let (bindings, body) = binding_vector(form, args, what)?;
        self.frame().scopes.push(HashMap::new());
        let result = self.analyze_bindings_and_body(bindings, body, tail, is_loop);
        self.frame().scopes.pop();
        result
    }

    fn analyze_bindings_and_body(
        &mut self,
        bindings: &[Form],
        body: &[Form],
        tail: bool,
        is_loop: bool,
    ) -> Result<Node> {
        let mut analyzed = Vec::new();
        for pair in bindings.chunks(2) {
            let name = local_name(&pair[0])?;
            let value = self.analyze(&pair[1], false)?;
            // A `let*` name bound again in the same bindings (`cond->`, `as->`,
            // destructuring) reuses its local: the earlier binding can no longer
            // be named, and closures copied its value. Without this a
            // 100,000-clause `cond->` needs 100,000 wasm locals (over wasm's
            // limit, and very slow to compile well before it).
            let shadowed = match is_loop {
                true => None,
                false => self.frame().scopes.last().and_then(|s| match s.get(&name) {
                    Some(Binding::Local(id)) => Some(*id),
                    _ => None,
                }),
            };
            let id = shadowed.unwrap_or_else(|| self.frame().new_local());
            self.frame()
                .scopes
                .last_mut()
                .expect("pushed by caller")
                .insert(name, Binding::Local(id));
            analyzed.push((id, value));
        }
        if is_loop {
            let targets = analyzed.iter().map(|(id, _)| *id).collect();
            self.frame().recur_targets.push(targets);
            let body = self.analyze_do(body, true);
            self.frame().recur_targets.pop();
            Ok(Node::Loop {
                bindings: analyzed,
                body: Box::new(body?),
            })
        } else {
            Ok(Node::Let {
                bindings: analyzed,
                body: Box::new(self.analyze_do(body, tail)?),
            })
        }
    }

    pub(super) fn analyze_recur(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let Some(targets) = self.frame().recur_targets.last().cloned() else {
            return Err(error(
                form,
                match self.frame().in_try {
                    true => "Cannot recur across try",
                    false => "Can only recur from tail position",
                },
            ));
        };
        if !tail {
            return Err(error(form, "Can only recur from tail position"));
        }
        if args.len() != targets.len() {
            return Err(error(
                form,
                format!(
                    "Mismatched argument count to recur, expected: {} args, got: {}",
                    targets.len(),
                    args.len()
                ),
            ));
        }
        let args = args
            .iter()
            .map(|a| self.analyze(a, false))
            .collect::<Result<_>>()?;
        Ok(Node::Recur { targets, args })
    }

    /// `(fn* name? ([params] body...)...)` or `(fn* name? [params] body...)`.
    pub(super) fn analyze_fn(
        &mut self,
        form: &Form,
        args: &[Form],
        print_name: Option<String>,
    ) -> Result<Node> {
        let (self_name, rest) = match args.split_first() {
            Some((
                Form {
                    kind: FormKind::Symbol(s),
                    ..
                },
                rest,
            )) if s.ns.is_none() => (Some(s.name.clone()), rest),
            _ => (None, args),
        };
        let arity_forms: Vec<(&Form, &[Form])> = match rest.first().map(|f| &f.kind) {
            Some(FormKind::Vector(_)) => vec![(&rest[0], &rest[1..])],
            _ => rest
                .iter()
                .map(|arity| match &arity.kind {
                    FormKind::List(items)
                        if matches!(items.first().map(|f| &f.kind), Some(FormKind::Vector(_))) =>
                    {
                        Ok((&items[0], &items[1..]))
                    }
                    _ => Err(error(arity, "Parameter declaration missing")),
                })
                .collect::<Result<_>>()?,
        };
        if arity_forms.is_empty() {
            return Err(error(form, "Parameter declaration missing"));
        }
        let in_try = std::mem::take(&mut self.next_fn_in_try);
        self.frames.push(FnScope {
            self_name: self_name.clone(),
            in_try,
            ..FnScope::default()
        });
        let arities = arity_forms
            .into_iter()
            .map(|(params, body)| self.analyze_arity(params, body))
            .collect::<Result<Vec<_>>>();
        let frame = self.frames.pop().expect("pushed above");
        let arities = arities?;
        check_arities(form, &arities)?;
        let name = print_name.or_else(|| self_name.map(|n| format!("{}/{n}", self.ns)));
        Ok(Node::Fn(Box::new(FnNode {
            name,
            arities,
            captures: frame.captures,
        })))
    }

    fn analyze_arity(&mut self, params_form: &Form, body: &[Form]) -> Result<FnArity> {
        let FormKind::Vector(param_forms) = &params_form.kind else {
            return Err(error(params_form, "Parameter declaration missing"));
        };
        let (names, variadic) = parse_params(params_form, param_forms)?;
        let frame = self.frame();
        frame.next_local = 0;
        let mut scope = HashMap::new();
        let params: Vec<LocalId> = names
            .into_iter()
            .map(|name| {
                let id = frame.new_local();
                scope.insert(name, Binding::Local(id));
                id
            })
            .collect();
        frame.scopes = vec![scope];
        frame.local_count = frame.next_local;
        // A try's fns are the runtime's business: no recur target of their own.
        frame.recur_targets = match frame.in_try {
            true => Vec::new(),
            false => vec![params.clone()],
        };
        let body = self.analyze_do(body, true)?;
        let local_count = self.frame().local_count;
        Ok(FnArity {
            params,
            variadic,
            body,
            local_count,
        })
    }

    /// `(letfn* [name (fn name [..] ..) ...] body...)`: every name is in scope
    /// in every fn, so they can call each other.
    pub(super) fn analyze_letfn(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let (bindings, body) = binding_vector(form, args, "letfn*")?;
        self.frame().scopes.push(HashMap::new());
        let result = self.analyze_letfn_bindings(form, bindings, body, tail);
        self.frame().scopes.pop();
        result
    }

    fn analyze_letfn_bindings(
        &mut self,
        form: &Form,
        bindings: &[Form],
        body: &[Form],
        tail: bool,
    ) -> Result<Node> {
        let mut ids = Vec::new();
        for pair in bindings.chunks(2) {
            let name = local_name(&pair[0])?;
            let id = self.frame().new_local();
            self.frame()
                .scopes
                .last_mut()
                .expect("pushed by caller")
                .insert(name, Binding::Local(id));
            ids.push(id);
        }
        let mut analyzed = Vec::new();
        for (pair, id) in bindings.chunks(2).zip(ids) {
            let fn_args = match &pair[1].kind {
                FormKind::List(items)
                    if items.first().is_some_and(|h| h.is_symbol_named("fn*")) =>
                {
                    &items[1..]
                }
                _ => return Err(error(form, "letfn* binds names to (fn* ...) forms")),
            };
            let print_name = format!("{}/{}", self.ns, pair[0]);
            let Node::Fn(function) = self.analyze_fn(&pair[1], fn_args, Some(print_name))? else {
                unreachable!("analyze_fn makes fn nodes")
            };
            analyzed.push((id, *function));
        }
        Ok(Node::LetFn {
            bindings: analyzed,
            body: Box::new(self.analyze_do(body, tail)?),
        })
    }
}

/// The binding vector (an even number of forms) and body of a `let*`-like
/// special form, with Clojure's wording when they are malformed.
fn binding_vector<'f>(
    form: &Form,
    args: &'f [Form],
    what: &str,
) -> Result<(&'f [Form], &'f [Form])> {
    split_binding_vector(args).map_err(|problem| match problem {
        BindingVectorError::NotAVector => {
            error(form, format!("Bad binding form, expected vector in {what}"))
        }
        BindingVectorError::OddCount => error(
            form,
            format!("{what} requires an even number of forms in binding vector"),
        ),
    })
}

/// A binding name: an unqualified symbol.
pub(super) fn local_name(form: &Form) -> Result<String> {
    match form.as_symbol() {
        Some(Symbol { ns: None, name }) => Ok(name.clone()),
        Some(symbol) => Err(error(form, format!("Can't let qualified name: {symbol}"))),
        None => Err(error(
            form,
            "Destructuring is not supported by the built-in compiler yet; bind a symbol",
        )),
    }
}

/// Parameter names, and whether the last one takes the rest (`& more`).
fn parse_params(form: &Form, params: &[Form]) -> Result<(Vec<String>, bool)> {
    let mut names = Vec::new();
    let mut variadic = false;
    let mut iter = params.iter();
    while let Some(param) = iter.next() {
        if param.is_symbol_named("&") {
            let rest = iter.next().ok_or_else(|| {
                error(form, "Invalid parameter list: & must be followed by a name")
            })?;
            names.push(local_name(rest)?);
            variadic = true;
            if iter.next().is_some() {
                return Err(error(
                    form,
                    "Invalid parameter list: only one name may follow &",
                ));
            }
        } else {
            names.push(local_name(param)?);
        }
    }
    if names.len() - usize::from(variadic) > MAX_POSITIONAL_ARGS {
        return Err(error(
            form,
            format!("Can't specify more than {MAX_POSITIONAL_ARGS} params"),
        ));
    }
    Ok((names, variadic))
}

/// Clojure's rules for a fn's arities: at most one variadic, no two of the same
/// fixed count, and no fixed arity with more params than the variadic one.
fn check_arities(form: &Form, arities: &[FnArity]) -> Result<()> {
    let variadic: Vec<&FnArity> = arities.iter().filter(|a| a.variadic).collect();
    if variadic.len() > 1 {
        return Err(error(form, "Can't have more than 1 variadic overload"));
    }
    let mut fixed: Vec<usize> = arities
        .iter()
        .filter(|a| !a.variadic)
        .map(|a| a.params.len())
        .collect();
    fixed.sort_unstable();
    if fixed.windows(2).any(|w| w[0] == w[1]) {
        return Err(error(form, "Can't have 2 overloads with same arity"));
    }
    if let (Some(v), Some(&max_fixed)) = (variadic.first(), fixed.last())
        && max_fixed > v.params.len() - 1
    {
        return Err(error(
            form,
            "Can't have fixed arity function with more params than variadic function",
        ));
    }
    Ok(())
}
