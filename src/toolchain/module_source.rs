//! The jank module an eval becomes (`jank-wasm.eval`, compiled by the
//! long-lived jank, which knows what earlier evals defined): the eval's forms,
//! byte for byte, with
//!
//! - `(ns <session ns>)` first, so the forms land in the session's namespace
//!   (the first attempt compiled everything into `user`);
//! - the last form wrapped in `(def jank-wasm-value__ ...)`, so the patch's
//!   entry can print its value after the module ran.
//!
//! Everything the module adds before the eval's text is on its first line, so
//! a position jank reports on module line L is on line L - 1 of the eval (and
//! on the last form's first line, columns after the wrapper are shifted by
//! its length): `PositionMap` undoes both.

use super::top_forms::{self, SplitError, TopForm};

/// The var the last form's value is stored in, in the namespace it ran in.
pub const VALUE_VAR: &str = "jank-wasm-value__";

/// How many lines the module puts before the eval's text.
pub const PRELUDE_LINES: u32 = 1;

/// An eval as a jank module.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalModule {
    /// The module's source text.
    pub text: String,
    /// The namespace the eval leaves the session in.
    pub ns_after: String,
    /// Vars the eval defines, as `ns/name`.
    pub defines: Vec<String>,
    /// The var holding the printed value (`ns/jank-wasm-value__`); `None`
    /// when the eval ends by switching namespace (its value is nil).
    pub value_var: Option<String>,
    /// Module positions back to the eval's.
    pub positions: PositionMap,
}

/// Maps a (line, column) in the module to the eval's text (both 1-based,
/// lines relative to the eval's first line).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PositionMap {
    /// The module line and column where the value wrapper was inserted, and its length.
    wrapped: Option<(u32, u32, u32)>,
}

impl PositionMap {
    pub fn map(&self, line: u32, column: Option<u32>) -> (u32, Option<u32>) {
        let column = match (self.wrapped, column) {
            (Some((at_line, at_column, length)), Some(c))
                if line == at_line && c >= at_column + length =>
            {
                Some(c - length)
            }
            _ => column,
        };
        (line.saturating_sub(PRELUDE_LINES).max(1), column)
    }
}

/// The module for evaluating `code` in `session_ns`; `None` when the code has
/// no forms at all.
pub fn eval_module(session_ns: &str, code: &str) -> Result<Option<EvalModule>, SplitError> {
    let forms = top_forms::split(code)?;
    let Some(last) = forms.last() else {
        return Ok(None);
    };
    let mut text = format!("(ns {session_ns})\n");
    let mut ns = session_ns.to_string();
    let mut defines = Vec::new();
    let mut copied = 0;
    let mut value_var = None;
    let mut positions = PositionMap::default();
    for form in &forms {
        text.push_str(&code[copied..form.start]);
        let source = &code[form.start..form.end];
        if std::ptr::eq(form, last) && top_forms::switched_ns(form).is_none() {
            let wrapper = format!("(def {VALUE_VAR} ");
            let (line, column) = line_and_column(code, form.start);
            positions.wrapped = Some((line + PRELUDE_LINES, column, wrapper.len() as u32));
            text.push_str(&wrapper);
            text.push_str(source);
            text.push(')');
            value_var = Some(format!("{ns}/{VALUE_VAR}"));
        } else {
            text.push_str(source);
        }
        copied = form.end;
        record(form, &mut ns, &mut defines);
    }
    text.push_str(&code[copied..]);
    text.push('\n');
    Ok(Some(EvalModule {
        text,
        ns_after: ns,
        defines,
        value_var,
        positions,
    }))
}

/// 1-based line and column (in chars) of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, column)
}

/// Notes what `form` defines or switches to.
fn record(form: &TopForm, ns: &mut String, defines: &mut Vec<String>) {
    if let Some(next) = top_forms::switched_ns(form) {
        *ns = next.to_string();
        return;
    }
    defines.extend(
        top_forms::defined_names(form)
            .into_iter()
            .map(|name| format!("{ns}/{name}")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_the_last_form_in_the_session_namespace() {
        let module = eval_module("user", "(defn hhh [v] (ggg v))\n(hhh 1)")
            .unwrap()
            .unwrap();
        assert_eq!(
            module.text,
            "(ns user)\n(defn hhh [v] (ggg v))\n(def jank-wasm-value__ (hhh 1))\n"
        );
        // `hhh` in `(hhh 1)` is at 3:25 in the module, 2:2 in the eval.
        assert_eq!(module.positions.map(3, Some(25)), (2, Some(2)));
        assert_eq!(module.positions.map(2, Some(7)), (1, Some(7)));
        assert_eq!(module.defines, ["user/hhh"]);
        assert_eq!(module.value_var.as_deref(), Some("user/jank-wasm-value__"));
        assert_eq!(module.ns_after, "user");
    }

    #[test]
    fn follows_namespace_switches() {
        let module = eval_module("user", "(ns other) (def x 1) (in-ns 'third)")
            .unwrap()
            .unwrap();
        assert_eq!(
            module.text,
            "(ns user)\n(ns other) (def x 1) (in-ns 'third)\n"
        );
        assert_eq!(module.defines, ["other/x"]);
        assert_eq!(module.ns_after, "third");
        assert_eq!(module.value_var, None);
    }

    #[test]
    fn no_forms_no_module() {
        assert_eq!(eval_module("user", "  ; nothing\n"), Ok(None));
    }
}
