//! Collection and metadata literals: map and set literals with Clojure's duplicate-key
//! checks (keys compared by value, as Clojure's `=` would), namespaced maps, and `^meta`.

use super::*;

// ---- Collections ---------------------------------------------------------------------------

pub(super) fn map_literal(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    if !items.len().is_multiple_of(2) {
        return Err(ReadError::new(
            "Map literal must contain an even number of forms",
            pos,
        ));
    }
    let pairs = into_pairs(items);
    check_duplicate_keys(pairs.iter().map(|(key, _)| key))?;
    Ok(Form::new(FormKind::Map(pairs), pos))
}

pub(super) fn set_literal(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    check_duplicate_keys(items.iter())?;
    Ok(Form::new(FormKind::Set(items), pos))
}

/// `#:ns{:a 1, :_/b 2, :c/d 3}` -> `{:ns/a 1, :b 2, :c/d 3}` (symbol keys likewise).
pub(super) fn namespaced_map(ns: &str, items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    if !items.len().is_multiple_of(2) {
        return Err(ReadError::new(
            "Namespaced map literal must contain an even number of forms",
            pos,
        ));
    }
    let pairs: Vec<(Form, Form)> = into_pairs(items)
        .into_iter()
        .map(|(key, value)| (apply_map_namespace(key, ns), value))
        .collect();
    check_duplicate_keys(pairs.iter().map(|(key, _)| key))?;
    Ok(Form::new(FormKind::Map(pairs), pos))
}

pub(super) fn apply_map_namespace(mut key: Form, ns: &str) -> Form {
    if let FormKind::Keyword(sym) | FormKind::Symbol(sym) = &mut key.kind {
        match sym.ns.as_deref() {
            None => sym.ns = Some(ns.to_string()),
            Some("_") => sym.ns = None,
            Some(_) => {}
        }
    }
    key
}

pub(super) fn into_pairs(items: Vec<Form>) -> Vec<(Form, Form)> {
    let mut pairs = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let (Some(key), Some(value)) = (items.next(), items.next()) {
        pairs.push((key, value));
    }
    pairs
}

/// Clojure rejects literal maps and sets with equal keys (even `{'a 1 'a 2}`).
pub(super) fn check_duplicate_keys<'f>(
    keys: impl Iterator<Item = &'f Form>,
) -> Result<(), ReadError> {
    let mut seen = HashSet::new();
    for key in keys {
        if let Some(identity) = equality_key(key)
            && !seen.insert(identity)
        {
            return Err(ReadError::new(
                format!("Duplicate key: {}", clojure_to_string(key)),
                key.pos,
            ));
        }
    }
    Ok(())
}

/// How Clojure's `str` shows a value in messages: strings and chars raw, the rest as printed.
pub(super) fn clojure_to_string(form: &Form) -> String {
    match &form.kind {
        FormKind::Str(s) => s.clone(),
        FormKind::Char(c) => c.to_string(),
        _ => form.to_string(),
    }
}

/// Keys nested deeper than this are never reported as duplicates (equality of such keys isn't
/// worth a deep walk, and a bounded walk keeps the stack safe).
pub(super) const MAX_EQUALITY_DEPTH: usize = 64;

/// A string that two forms share exactly when Clojure would find their values equal as map keys
/// (`1` and `1N`, `[1]` and `'(1)`, sets in any order), or None when that isn't decided here
/// (NaN, regexes, very deep forms): such keys are treated as distinct.
pub(super) fn equality_key(form: &Form) -> Option<String> {
    let mut out = String::new();
    write_equality_key(form, &mut out, 0)?;
    Some(out)
}

pub(super) fn write_equality_key(form: &Form, out: &mut String, depth: usize) -> Option<()> {
    use std::fmt::Write;
    if depth > MAX_EQUALITY_DEPTH {
        return None;
    }
    // Every atom ends with `;` and text is length-prefixed, so keys of different forms differ.
    match &form.kind {
        FormKind::Nil => out.push_str("nil;"),
        FormKind::Bool(b) => write!(out, "b{b};").ok()?,
        FormKind::Int(n) => write!(out, "i{n};").ok()?,
        FormKind::BigInt(digits) => write!(out, "i{};", normalized_bigint(digits)).ok()?,
        FormKind::Ratio(numerator, denominator) => write_ratio_key(*numerator, *denominator, out)?,
        FormKind::Float(x) if x.is_nan() => return None,
        FormKind::Float(x) => write!(out, "f{};", if *x == 0.0 { 0.0 } else { *x }).ok()?,
        FormKind::BigDecimal(digits) => write!(out, "d{digits};").ok()?,
        FormKind::Char(c) => write!(out, "c{c};").ok()?,
        FormKind::Str(s) => write!(out, "s{}:{s};", s.len()).ok()?,
        FormKind::Regex(_) => return None,
        FormKind::Uuid(text) => write!(out, "u{text};").ok()?,
        FormKind::Inst(text) => write!(out, "t{text};").ok()?,
        FormKind::Symbol(sym) => write!(out, "y{}:{sym};", sym.to_string().len()).ok()?,
        FormKind::Keyword(sym) => write!(out, "k{}:{sym};", sym.to_string().len()).ok()?,
        // Clojure's `=` treats lists and vectors with equal elements as equal.
        FormKind::List(items) | FormKind::Vector(items) => {
            out.push('[');
            for item in items {
                write_equality_key(item, out, depth + 1)?;
            }
            out.push(']');
        }
        FormKind::Set(items) => {
            let keys: Option<Vec<String>> = items
                .iter()
                .map(|item| nested_key(item, depth + 1))
                .collect();
            write_unordered(out, '#', keys?);
        }
        FormKind::Map(pairs) => {
            let keys: Option<Vec<String>> = pairs
                .iter()
                .map(|(k, v)| Some(nested_key(k, depth + 1)? + &nested_key(v, depth + 1)?))
                .collect();
            write_unordered(out, '{', keys?);
        }
    }
    Some(())
}

pub(super) fn nested_key(form: &Form, depth: usize) -> Option<String> {
    let mut out = String::new();
    write_equality_key(form, &mut out, depth)?;
    Some(out)
}

/// Sets and maps are equal whatever their order, so their element keys are sorted.
pub(super) fn write_unordered(out: &mut String, open: char, mut keys: Vec<String>) {
    keys.sort();
    out.push(open);
    for key in keys {
        out.push('(');
        out.push_str(&key);
        out.push(')');
    }
    out.push('}');
}

/// Clojure reduces ratios when reading, so `2/4` equals `1/2` and `4/2` equals `2`.
pub(super) fn write_ratio_key(numerator: i64, denominator: i64, out: &mut String) -> Option<()> {
    use std::fmt::Write;
    let (n, d) = (i128::from(numerator), i128::from(denominator));
    let divisor = gcd(n.abs(), d.abs()).max(1);
    let (n, d) = (n / divisor, d / divisor);
    if d == 1 {
        write!(out, "i{n};").ok()
    } else {
        write!(out, "r{n}/{d};").ok()
    }
}

pub(super) fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

pub(super) fn normalized_bigint(digits: &str) -> &str {
    if digits == "-0" { "0" } else { digits }
}

// ---- Metadata ------------------------------------------------------------------------------

/// `^:kw` -> `{:kw true}`, `^Type`/`^"Type"` -> `{:tag Type}`, `^[A B]` -> `{:param-tags [A B]}`,
/// `^{...}` as is.
pub(super) fn meta_as_map(meta: Form) -> Result<Form, ReadError> {
    let pos = meta.pos;
    let pair = match &meta.kind {
        FormKind::Map(_) => return Ok(meta),
        FormKind::Symbol(_) | FormKind::Str(_) => (keyword_form("tag", pos), meta),
        FormKind::Keyword(_) => (meta, Form::new(FormKind::Bool(true), pos)),
        FormKind::Vector(_) => (keyword_form("param-tags", pos), meta),
        _ => {
            return Err(ReadError::new(
                "Metadata must be Symbol,Keyword,String,Map or Vector",
                pos,
            ));
        }
    };
    Ok(Form::new(FormKind::Map(vec![pair]), pos))
}

/// `items` is `[meta-map, target]`; the target keeps its own position.
pub(super) fn finish_meta(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    let mut items = items.into_iter();
    let (Some(meta), Some(mut target)) = (items.next(), items.next()) else {
        return Err(ReadError::new("EOF while reading", pos));
    };
    if !can_carry_meta(&target) {
        return Err(ReadError::new(
            "Metadata can only be applied to IMetas",
            pos,
        ));
    }
    let merged = match target.meta.take() {
        Some(existing) => merge_meta(*existing, meta),
        None => meta,
    };
    target.meta = Some(Box::new(merged));
    Ok(target)
}

pub(super) fn can_carry_meta(form: &Form) -> bool {
    matches!(
        form.kind,
        FormKind::Symbol(_)
            | FormKind::List(_)
            | FormKind::Vector(_)
            | FormKind::Map(_)
            | FormKind::Set(_)
    )
}

/// `^:a ^:b x`: the inner meta is read first; the outer one's entries are added over it.
pub(super) fn merge_meta(inner: Form, outer: Form) -> Form {
    let pos = inner.pos;
    let (FormKind::Map(mut pairs), FormKind::Map(additions)) = (inner.kind, outer.kind) else {
        return Form::new(FormKind::Map(Vec::new()), pos);
    };
    for (key, value) in additions {
        let identity = equality_key(&key);
        let existing = pairs
            .iter_mut()
            .find(|(k, _)| identity.is_some() && equality_key(k) == identity);
        match existing {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    Form::new(FormKind::Map(pairs), pos)
}

/// `#uuid "..."` and `#inst "..."`, checked as Clojure's readers check them.
pub(super) fn instant_or_uuid(tag: &str, form: &Form, pos: Pos) -> Result<Form, ReadError> {
    let FormKind::Str(text) = &form.kind else {
        let what = if tag == "uuid" { "UUID" } else { "Instance" };
        return Err(ReadError::new(
            format!("{what} literal expects a string as its representation."),
            pos,
        ));
    };
    let kind =
        if tag == "uuid" {
            FormKind::Uuid(
                uuid_text(text)
                    .ok_or_else(|| ReadError::new(format!("Invalid UUID string: {text}"), pos))?,
            )
        } else {
            FormKind::Inst(rfc3339(text).ok_or_else(|| {
                ReadError::new(format!("Unrecognized date/time syntax: {text}"), pos)
            })?)
        };
    Ok(Form::new(kind, pos))
}

/// The UUID's canonical text (8-4-4-4-12 hex digits), lower case.
fn uuid_text(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split('-').collect();
    let sizes = [8, 4, 4, 4, 12];
    let valid = groups.len() == 5
        && groups
            .iter()
            .zip(sizes)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    valid.then(|| text.to_ascii_lowercase())
}

/// A complete timestamp for Clojure's `#inst` syntax, RFC 3339 with every part
/// after the year optional: `yyyy[-MM[-dd[THH[:mm[:ss[.fff]]]]]][Z|(+|-)HH:mm]`;
/// what is left out is its smallest value, and no offset is UTC. Fractions
/// beyond milliseconds are dropped (JavaScript's Date keeps milliseconds).
fn rfc3339(text: &str) -> Option<String> {
    // Bytes, not chars: the text may hold anything, and no slice may split a character.
    let digits = |s: &str, n: usize| {
        s.as_bytes()
            .get(..n)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let mut rest = text;
    let mut take = |n: usize, sep: Option<char>| -> Option<Option<u32>> {
        match sep {
            Some(c) if rest.starts_with(c) => rest = &rest[1..],
            Some(_) => return Some(None),
            None => {}
        }
        if !digits(rest, n) {
            return None;
        }
        let value = rest[..n].parse().ok()?;
        rest = &rest[n..];
        Some(Some(value))
    };
    let year = take(4, None)??;
    let month = take(2, Some('-'))?;
    let day = month.and_then(|_| take(2, Some('-'))).flatten();
    let hour = day.and_then(|_| take(2, Some('T'))).flatten();
    let minute = hour.and_then(|_| take(2, Some(':'))).flatten();
    let second = minute.and_then(|_| take(2, Some(':'))).flatten();
    let mut millis = String::from("000");
    if second.is_some() && rest.starts_with('.') {
        let fraction: String = rest[1..].chars().take_while(char::is_ascii_digit).collect();
        if fraction.is_empty() {
            return None;
        }
        rest = &rest[1 + fraction.len()..];
        millis = format!("{fraction:0<3}")[..3].to_string();
    }
    let offset = match rest {
        "" | "Z" | "z" => "Z".to_string(),
        o if o.len() == 6
            && (o.starts_with('+') || o.starts_with('-'))
            && digits(&o[1..], 2)
            && o.as_bytes()[3] == b':'
            && digits(&o[4..], 2) =>
        {
            o.to_string()
        }
        _ => return None,
    };
    let (month, day) = (month.unwrap_or(1), day.unwrap_or(1));
    let (hour, minute, second) = (hour.unwrap_or(0), minute.unwrap_or(0), second.unwrap_or(0));
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    valid.then(|| {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis}{offset}")
    })
}
