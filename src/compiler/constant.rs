//! Turns quoted forms and literals into constants in the patch's JSON encoding
//! (docs/patch-abi.md), which the runtime rebuilds as values.

use serde_json::{Value, json};

use super::ast::Constant;
use super::form::{Form, FormKind, Symbol};

/// The constant a quoted form stands for.
///
/// Built bottom-up as `Value`s moved into their parents: `json!` with a `Vec`
/// inside would serialize (copy) each subtree again at every level above it,
/// which made a deeply nested quoted form (nested syntax-quotes) cost its size
/// times its depth.
pub fn quoted(form: &Form) -> Constant {
    // `'^:foo [1]` keeps its metadata, as Clojure's quote does
    if let Some(meta) = &form.meta {
        return json!({ "with-meta": [quoted(meta), without_meta(form)] });
    }
    without_meta(form)
}

/// `form` as a constant, without its own metadata.
fn without_meta(form: &Form) -> Constant {
    match &form.kind {
        FormKind::Nil => Value::Null,
        FormKind::Bool(b) => Value::Bool(*b),
        FormKind::Int(i) => tagged("long", Value::String(i.to_string())),
        FormKind::BigInt(digits) => tagged("bigint", Value::String(digits.clone())),
        FormKind::Float(f) => double(*f),
        FormKind::BigDecimal(digits) => tagged("bigdec", Value::String(digits.clone())),
        FormKind::Ratio(n, d) => json!({ "ratio": [n.to_string(), d.to_string()] }),
        FormKind::Char(c) => tagged("char", Value::String(c.to_string())),
        FormKind::Str(s) => tagged("str", Value::String(s.clone())),
        FormKind::Regex(r) => tagged("regex", Value::String(r.clone())),
        FormKind::Uuid(text) => tagged("uuid", Value::String(text.clone())),
        FormKind::Inst(text) => tagged("inst", Value::String(text.clone())),
        FormKind::Symbol(s) => named("sym", s),
        FormKind::Keyword(k) => named("kw", k),
        FormKind::List(items) => tagged("list", all_quoted(items)),
        FormKind::Vector(items) => tagged("vec", all_quoted(items)),
        FormKind::Set(items) => tagged("set", all_quoted(items)),
        FormKind::Map(entries) => tagged(
            "map",
            Value::Array(
                entries
                    .iter()
                    .flat_map(|(k, v)| [quoted(k), quoted(v)])
                    .collect(),
            ),
        ),
    }
}

fn all_quoted(items: &[Form]) -> Value {
    Value::Array(items.iter().map(quoted).collect())
}

/// `{tag: value}`, with `value` moved in.
fn tagged(tag: &str, value: Value) -> Constant {
    let mut object = serde_json::Map::new();
    object.insert(tag.to_string(), value);
    Value::Object(object)
}

/// The empty vector.
pub fn empty_vector() -> Constant {
    tagged("vec", Value::Array(Vec::new()))
}

/// A string constant.
pub fn string(s: &str) -> Constant {
    tagged("str", Value::String(s.to_string()))
}

/// The namespace object named `name`.
pub fn namespace(name: &str) -> Constant {
    json!({ "namespace": name })
}

/// The class of that name (the runtime's Type).
pub fn class(name: &str) -> Constant {
    json!({ "class": name })
}

/// The constant for the var in `slot`.
pub fn var(slot: u32) -> Constant {
    json!({ "var": slot })
}

fn double(f: f64) -> Constant {
    if f.is_nan() {
        json!({ "double": "NaN" })
    } else if f.is_infinite() {
        json!({ "double": if f > 0.0 { "Infinity" } else { "-Infinity" } })
    } else {
        json!({ "double": f })
    }
}

fn named(tag: &str, symbol: &Symbol) -> Constant {
    let mut object = serde_json::Map::new();
    object.insert(tag.to_string(), Value::String(symbol.name.clone()));
    if let Some(ns) = &symbol.ns {
        object.insert("ns".to_string(), Value::String(ns.clone()));
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::Compiler;
    use crate::compiler::reader::Reader;

    fn constant_of(code: &str) -> String {
        let compiler = Compiler::new();
        let form = Reader::new(code, 1, 1)
            .next_form(&compiler.read_context("user"))
            .unwrap()
            .unwrap();
        quoted(&form).to_string()
    }

    #[test]
    fn nested_forms_keep_their_encoding() {
        assert_eq!(
            constant_of(r#"(a/b (1 "s") [:k \c] #{nil} {x 2.5})"#),
            r#"{"list":[{"ns":"a","sym":"b"},{"list":[{"long":"1"},{"str":"s"}]},{"vec":[{"kw":"k"},{"char":"c"}]},{"set":[null]},{"map":[{"sym":"x"},{"double":2.5}]}]}"#
        );
    }
}
