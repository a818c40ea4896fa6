//! The reader's output: Clojure data as the compiler sees it, each form with the
//! source position it was read from (for error messages and `info`).

use std::fmt;

/// Where a form starts in the eval request's code (1-based, as Clojure reports).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A form read from source, with its position and reader metadata (`^{...}`).
#[derive(Clone, Debug)]
pub struct Form {
    pub kind: FormKind,
    pub pos: Pos,
    /// Metadata attached with `^`; a map form (`^:kw` becomes `{:kw true}`, `^Sym` becomes `{:tag Sym}`).
    pub meta: Option<Box<Form>>,
}

/// The kinds of data the reader produces. Reader macros are expanded by the reader
/// into plain forms: `'x` is `(quote x)`, `@x` is `(clojure.core/deref x)`, `#'x` is
/// `(var x)`, `#(...)` is `(fn* [p1__1#] ...)`, syntax-quote into `seq`/`concat`/`list` calls.
#[derive(Clone, Debug)]
pub enum FormKind {
    Nil,
    Bool(bool),
    /// A 64-bit integer (`42`, `-7`, `0x10`, `2r101`, `36rZZ`).
    Int(i64),
    /// An integer literal too big for 64 bits, or with an `N` suffix: its decimal digits.
    BigInt(String),
    Float(f64),
    /// `1/2`; numerator and denominator as the reader saw them (not reduced).
    Ratio(i64, i64),
    /// `1.5M`: decimal digits as written, without the `M`.
    BigDecimal(String),
    Char(char),
    Str(String),
    /// `#"..."`: the pattern text, undecoded.
    Regex(String),
    /// `#uuid "..."`: the UUID's text, lower case.
    Uuid(String),
    /// `#inst "..."`: the instant as a complete RFC 3339 timestamp with its offset
    /// (`#inst "2020"` is `2020-01-01T00:00:00.000Z`).
    Inst(String),
    Symbol(Symbol),
    /// A keyword with its namespace already resolved for `::kw` and `::alias/kw`.
    Keyword(Symbol),
    List(Vec<Form>),
    Vector(Vec<Form>),
    /// Key, value, key, value, in source order.
    Map(Vec<(Form, Form)>),
    Set(Vec<Form>),
}

/// A symbol or keyword name: `ns/name` or `name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    pub ns: Option<String>,
    pub name: String,
}

impl Symbol {
    pub fn simple(name: impl Into<String>) -> Self {
        Symbol {
            ns: None,
            name: name.into(),
        }
    }

    pub fn qualified(ns: impl Into<String>, name: impl Into<String>) -> Self {
        Symbol {
            ns: Some(ns.into()),
            name: name.into(),
        }
    }

    /// `ns/name` as a qualified symbol, anything else (`name`, `/`) as a simple one.
    pub fn parse(text: &str) -> Self {
        match text.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() => Symbol::qualified(ns, name),
            _ => Symbol::simple(text),
        }
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{ns}/{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Why a form's arguments do not start with a binding vector (`let`, `loop`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingVectorError {
    NotAVector,
    OddCount,
}

/// The leading binding vector of `args` (an even number of forms) and the
/// forms after it; callers word the errors as their form does.
pub fn split_binding_vector(args: &[Form]) -> Result<(&[Form], &[Form]), BindingVectorError> {
    let Some((
        Form {
            kind: FormKind::Vector(bindings),
            ..
        },
        body,
    )) = args.split_first()
    else {
        return Err(BindingVectorError::NotAVector);
    };
    if bindings.len() % 2 != 0 {
        return Err(BindingVectorError::OddCount);
    }
    Ok((bindings, body))
}

impl Form {
    pub fn new(kind: FormKind, pos: Pos) -> Self {
        Form {
            kind,
            pos,
            meta: None,
        }
    }

    /// The symbol, if this form is one.
    pub fn as_symbol(&self) -> Option<&Symbol> {
        match &self.kind {
            FormKind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// True for an unqualified symbol with this name.
    pub fn is_symbol_named(&self, name: &str) -> bool {
        matches!(&self.kind, FormKind::Symbol(s) if s.ns.is_none() && s.name == name)
    }
}

/// Prints the form the way Clojure's `pr` prints data, so that reading the output gives the
/// form back (metadata is not printed, as in Clojure). Iterative rather than recursive, so a
/// deeply nested form (the reader allows thousands of levels) can't overflow the stack.
impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut todo = vec![PrintStep::Form(self)];
        while let Some(step) = todo.pop() {
            match step {
                PrintStep::Text(text) => f.write_str(text)?,
                PrintStep::Form(form) => print_form(form, f, &mut todo)?,
            }
        }
        Ok(())
    }
}

/// What is left to print: a form, or punctuation between and after the elements of a collection.
enum PrintStep<'a> {
    Form(&'a Form),
    Text(&'static str),
}

/// Prints an atom at once; for a collection prints its opening delimiter and schedules the rest.
fn print_form<'a>(
    form: &'a Form,
    f: &mut fmt::Formatter<'_>,
    todo: &mut Vec<PrintStep<'a>>,
) -> fmt::Result {
    match &form.kind {
        FormKind::List(items) => schedule_sequence(f, todo, "(", items, ")"),
        FormKind::Vector(items) => schedule_sequence(f, todo, "[", items, "]"),
        FormKind::Set(items) => schedule_sequence(f, todo, "#{", items, "}"),
        FormKind::Map(pairs) => {
            f.write_str("{")?;
            todo.push(PrintStep::Text("}"));
            // Pushed in reverse: the stack pops the first pair first.
            for (index, (key, value)) in pairs.iter().enumerate().rev() {
                todo.push(PrintStep::Form(value));
                todo.push(PrintStep::Text(" "));
                todo.push(PrintStep::Form(key));
                if index > 0 {
                    todo.push(PrintStep::Text(", "));
                }
            }
            Ok(())
        }
        atom => print_atom(atom, f),
    }
}

fn schedule_sequence<'a>(
    f: &mut fmt::Formatter<'_>,
    todo: &mut Vec<PrintStep<'a>>,
    open: &'static str,
    items: &'a [Form],
    close: &'static str,
) -> fmt::Result {
    f.write_str(open)?;
    todo.push(PrintStep::Text(close));
    for (index, item) in items.iter().enumerate().rev() {
        todo.push(PrintStep::Form(item));
        if index > 0 {
            todo.push(PrintStep::Text(" "));
        }
    }
    Ok(())
}

fn print_atom(kind: &FormKind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match kind {
        FormKind::Nil => f.write_str("nil"),
        FormKind::Bool(b) => write!(f, "{b}"),
        FormKind::Int(n) => write!(f, "{n}"),
        FormKind::BigInt(digits) => write!(f, "{digits}N"),
        FormKind::Float(x) => f.write_str(&format_double(*x)),
        FormKind::Ratio(numerator, denominator) => write!(f, "{numerator}/{denominator}"),
        FormKind::BigDecimal(digits) => write!(f, "{digits}M"),
        FormKind::Char(c) => print_char(*c, f),
        FormKind::Str(s) => print_string(s, f),
        FormKind::Regex(pattern) => write!(f, "#\"{pattern}\""),
        FormKind::Uuid(text) => write!(f, "#uuid \"{text}\""),
        FormKind::Inst(text) => write!(f, "#inst \"{text}\""),
        FormKind::Symbol(sym) => write!(f, "{sym}"),
        FormKind::Keyword(sym) => write!(f, ":{sym}"),
        // Collections are printed by `print_form`; listed so the match stays exhaustive.
        FormKind::List(_) | FormKind::Vector(_) | FormKind::Map(_) | FormKind::Set(_) => Ok(()),
    }
}

/// A double as Java's `Double.toString` writes it (`1.0`, `0.001`, `1.0E7`, `1.0E-4`), with
/// Clojure's `##Inf`, `##-Inf` and `##NaN`.
pub fn format_double(x: f64) -> String {
    if x.is_nan() {
        return "##NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "##Inf" } else { "##-Inf" }.into();
    }
    let magnitude = x.abs();
    if x == 0.0 || (1e-3..1e7).contains(&magnitude) {
        // Rust's `{}` gives the shortest digits that read back exactly, never in exponent form.
        let plain = format!("{x}");
        return if plain.contains('.') {
            plain
        } else {
            plain + ".0"
        };
    }
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exponent}")
    } else {
        format!("{mantissa}.0E{exponent}")
    }
}

fn print_char(c: char, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match c {
        '\n' => f.write_str("\\newline"),
        ' ' => f.write_str("\\space"),
        '\t' => f.write_str("\\tab"),
        '\u{8}' => f.write_str("\\backspace"),
        '\u{c}' => f.write_str("\\formfeed"),
        '\r' => f.write_str("\\return"),
        // Clojure prints other control characters raw; a `\uXXXX` reads back the same and can be seen.
        c if c.is_control() => write!(f, "\\u{:04x}", c as u32),
        c => write!(f, "\\{c}"),
    }
}

fn print_string(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            '\u{c}' => f.write_str("\\f")?,
            '\u{8}' => f.write_str("\\b")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

// ---------------------------------------------------------------------------------------------
// Building forms (for the macros and destructuring)

/// A symbol form; `ns/name` gives a qualified symbol.
pub fn symbol(pos: Pos, name: &str) -> Form {
    Form::new(FormKind::Symbol(Symbol::parse(name)), pos)
}

/// `(head args...)` as a list form at `pos`.
pub fn call(pos: Pos, head: &str, args: Vec<Form>) -> Form {
    let mut items = vec![symbol(pos, head)];
    items.extend(args);
    Form::new(FormKind::List(items), pos)
}

pub fn nil(pos: Pos) -> Form {
    Form::new(FormKind::Nil, pos)
}

/// `(quote form)`.
pub fn quote(pos: Pos, form: Form) -> Form {
    call(pos, "quote", vec![form])
}

pub fn keyword(pos: Pos, name: &str) -> Form {
    Form::new(FormKind::Keyword(Symbol::simple(name)), pos)
}

pub fn vector(pos: Pos, items: Vec<Form>) -> Form {
    Form::new(FormKind::Vector(items), pos)
}

/// `(do body...)`.
pub fn do_form(pos: Pos, body: &[Form]) -> Form {
    call(pos, "do", body.to_vec())
}

/// A fresh local name no user code can clash with.
pub fn gensym(pos: Pos, prefix: &str) -> Form {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    symbol(pos, &format!("{prefix}__{n}__auto__"))
}
