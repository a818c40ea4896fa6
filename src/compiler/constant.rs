//! Turns quoted forms and literals into constants in the patch's JSON encoding
//! (docs/patch-abi.md), which the runtime rebuilds as values.

use serde_json::{Value, json};

use super::ast::Constant;
use super::form::{Form, FormKind, Symbol};

/// The constant a quoted form stands for.
pub fn quoted(form: &Form) -> Constant {
    match &form.kind {
        FormKind::Nil => Value::Null,
        FormKind::Bool(b) => Value::Bool(*b),
        FormKind::Int(i) => json!({ "long": i.to_string() }),
        FormKind::BigInt(digits) => json!({ "bigint": digits }),
        FormKind::Float(f) => double(*f),
        // The analyzer refuses BigDecimal literals before they get here
        // (the runtime has no exact value for them); NaN marks one that slipped through.
        FormKind::BigDecimal(_) => double(f64::NAN),
        FormKind::Ratio(n, d) => json!({ "ratio": [n.to_string(), d.to_string()] }),
        FormKind::Char(c) => json!({ "char": c.to_string() }),
        FormKind::Str(s) => json!({ "str": s }),
        FormKind::Regex(r) => json!({ "regex": r }),
        FormKind::Symbol(s) => named("sym", s),
        FormKind::Keyword(k) => named("kw", k),
        FormKind::List(items) => json!({ "list": items.iter().map(quoted).collect::<Vec<_>>() }),
        FormKind::Vector(items) => json!({ "vec": items.iter().map(quoted).collect::<Vec<_>>() }),
        FormKind::Set(items) => json!({ "set": items.iter().map(quoted).collect::<Vec<_>>() }),
        FormKind::Map(entries) => json!({
            "map": entries.iter().flat_map(|(k, v)| [quoted(k), quoted(v)]).collect::<Vec<_>>()
        }),
    }
}

/// A string constant.
pub fn string(s: &str) -> Constant {
    json!({ "str": s })
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
