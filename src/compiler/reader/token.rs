//! Characters and tokens: character classes, symbols, keywords, character literals and
//! numbers in every notation Clojure reads.

use super::*;

// ---- Character classes ---------------------------------------------------------------------

/// Java's `Character.isWhitespace` (which leaves out no-break spaces), plus the comma.
pub(super) fn is_whitespace(c: char) -> bool {
    c == ','
        || ('\u{1c}'..='\u{1f}').contains(&c)
        || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

/// Chars with a reader macro of their own.
pub(super) fn is_macro(c: char) -> bool {
    matches!(
        c,
        '"' | ';'
            | '\''
            | '@'
            | '^'
            | '`'
            | '~'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '\\'
            | '%'
            | '#'
    )
}

/// Macro chars that end a token; `#`, `'` and `%` may occur inside one.
pub(super) fn is_terminating_macro(c: char) -> bool {
    is_macro(c) && !matches!(c, '#' | '\'' | '%')
}

pub(super) fn starts_number(c: char, next: Option<char>) -> bool {
    c.is_ascii_digit() || (matches!(c, '+' | '-') && next.is_some_and(|d| d.is_ascii_digit()))
}

pub(super) fn is_high_surrogate(unit: u32) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

pub(super) fn is_low_surrogate(unit: u32) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

pub(super) fn unpaired_surrogate(unit: u32, pos: Pos) -> ReadError {
    ReadError::new(
        format!("Invalid unicode escape: \\u{unit:04X} is an unpaired surrogate"),
        pos,
    )
}

// ---- Tokens: symbols, keywords, literals ---------------------------------------------------

/// A token that isn't a number, string or reader macro: `nil`, `true`, `false`, a symbol or a
/// keyword. `suppressed`: in a skipped reader-conditional branch an unknown `::alias/kw` is
/// allowed (it may be another platform's alias).
pub(super) fn interpret_token(
    token: &str,
    pos: Pos,
    ctx: &dyn ReadContext,
    suppressed: bool,
) -> Result<Form, ReadError> {
    let kind = match token {
        "nil" => Some(FormKind::Nil),
        "true" => Some(FormKind::Bool(true)),
        "false" => Some(FormKind::Bool(false)),
        _ => symbol_or_keyword(token, ctx, suppressed),
    };
    kind.map(|kind| Form::new(kind, pos))
        .ok_or_else(|| ReadError::new(format!("Invalid token: {token}"), pos))
}

pub(super) fn symbol_or_keyword(
    token: &str,
    ctx: &dyn ReadContext,
    suppressed: bool,
) -> Option<FormKind> {
    if !is_valid_symbol_token(token) {
        return None;
    }
    if let Some(auto) = token.strip_prefix("::") {
        return auto_resolved_keyword(auto, ctx, suppressed);
    }
    match token.strip_prefix(':') {
        Some(keyword) => Some(FormKind::Keyword(split_symbol(keyword))),
        None => Some(FormKind::Symbol(split_symbol(token))),
    }
}

/// `::k` is in the current ns; `::alias/k` in the ns the alias names.
pub(super) fn auto_resolved_keyword(
    text: &str,
    ctx: &dyn ReadContext,
    suppressed: bool,
) -> Option<FormKind> {
    let sym = split_symbol(text);
    let ns = match &sym.ns {
        None => ctx.current_ns().to_string(),
        Some(alias) => match ctx.resolve_alias(alias) {
            Some(ns) => ns,
            None if suppressed => alias.clone(),
            None => return None,
        },
    };
    Some(FormKind::Keyword(Symbol::qualified(ns, sym.name)))
}

/// Clojure's `Symbol.intern`: the namespace is everything before the first `/` (`/` alone and
/// `ns//` name the division function).
pub(super) fn split_symbol(text: &str) -> Symbol {
    if text == "/" {
        return Symbol::simple("/");
    }
    match text.split_once('/') {
        Some((ns, name)) => Symbol::qualified(ns, name),
        None => Symbol::simple(text),
    }
}

/// Clojure's `symbolPat` (`[:]?([\D&&[^/]].*/)?(/|[\D&&[^/]][^/]*)`) and the checks
/// `matchSymbol` makes after it: no `::` past the start, no name ending in `:`, no ns ending in `:`.
pub(super) fn is_valid_symbol_token(token: &str) -> bool {
    let Some((ns_part, name)) = symbol_pattern_groups(token) else {
        return false;
    };
    if ns_part.is_some_and(|ns| ns.ends_with(":/")) || name.ends_with(':') {
        return false;
    }
    !token.get(1..).is_some_and(|rest| rest.contains("::"))
}

/// The regex's groups (ns part with its trailing `/`, and name) for the match a backtracking
/// regex engine finds first: with the leading `:` consumed if possible, and the longest ns part.
pub(super) fn symbol_pattern_groups(token: &str) -> Option<(Option<&str>, &str)> {
    let without_colon = token.strip_prefix(':').map(match_ns_and_name);
    without_colon.flatten().or_else(|| match_ns_and_name(token))
}

pub(super) fn match_ns_and_name(text: &str) -> Option<(Option<&str>, &str)> {
    let starts_like_name = text
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && c != '/');
    if starts_like_name {
        // `.*/` is greedy: try the last `/` first.
        for (slash, _) in text.rmatch_indices('/').filter(|&(i, _)| i > 0) {
            let name = text.get(slash + 1..).unwrap_or("");
            if is_symbol_name(name) {
                return Some((text.get(..=slash), name));
            }
        }
    }
    is_symbol_name(text).then_some((None, text))
}

/// The name group: `/`, or a non-digit first char and no `/`.
pub(super) fn is_symbol_name(name: &str) -> bool {
    if name == "/" {
        return true;
    }
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && c != '/')
        && !chars.any(|c| c == '/')
}

/// A simple symbol (no namespace), as the ns of `#:ns{...}` must be.
pub(super) fn is_plain_symbol_token(token: &str) -> bool {
    !matches!(token, "nil" | "true" | "false")
        && !token.starts_with(':')
        && is_valid_symbol_token(token)
        && !token.contains('/')
}

/// The text of a char literal after its `\`.
pub(super) fn parse_char_token(token: &str) -> Result<char, String> {
    let mut chars = token.chars();
    let first = chars.next().ok_or("EOF while reading character")?;
    if chars.next().is_none() {
        return Ok(first);
    }
    let named = match token {
        "newline" => Some('\n'),
        "space" => Some(' '),
        "tab" => Some('\t'),
        "backspace" => Some('\u{8}'),
        "formfeed" => Some('\u{c}'),
        "return" => Some('\r'),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(c);
    }
    if let Some(hex) = token.strip_prefix('u') {
        return parse_unicode_char(token, hex);
    }
    if let Some(octal) = token.strip_prefix('o') {
        return parse_octal_char(octal);
    }
    Err(format!("Unsupported character: \\{token}"))
}

pub(super) fn parse_unicode_char(token: &str, hex: &str) -> Result<char, String> {
    if hex.chars().count() != 4 {
        return Err(format!("Invalid unicode character: \\{token}"));
    }
    let code = parse_digits(hex, 16)?;
    if is_high_surrogate(code) || is_low_surrogate(code) {
        return Err(format!("Invalid character constant: \\u{hex}"));
    }
    char::from_u32(code).ok_or_else(|| format!("Invalid character constant: \\u{hex}"))
}

pub(super) fn parse_octal_char(octal: &str) -> Result<char, String> {
    let len = octal.chars().count();
    if len > 3 {
        return Err(format!("Invalid octal escape sequence length: {len}"));
    }
    let code = parse_digits(octal, 8)?;
    if code > 0o377 {
        return Err("Octal escape sequence must be in range [0, 377].".into());
    }
    char::from_u32(code).ok_or_else(|| "Invalid octal escape sequence".into())
}

/// At most four digits, so the value always fits.
pub(super) fn parse_digits(digits: &str, base: u32) -> Result<u32, String> {
    digits.chars().try_fold(0u32, |value, c| {
        let digit = c
            .to_digit(base)
            .ok_or_else(|| format!("Invalid digit: {c}"))?;
        Ok(value * base + digit)
    })
}

// ---- Numbers -------------------------------------------------------------------------------

/// Clojure's `matchNumber`: integers (decimal, `0x` hex, `0` octal, `NrDDD` radix, `N` suffix),
/// then floats (`M` suffix for BigDecimal), then ratios.
pub(super) fn parse_number(token: &str) -> Result<FormKind, String> {
    if let Some(kind) = parse_integer(token)? {
        return Ok(kind);
    }
    if let Some(kind) = parse_float(token) {
        return Ok(kind);
    }
    if let Some(kind) = parse_ratio(token)? {
        return Ok(kind);
    }
    Err(invalid_number(token))
}

pub(super) fn invalid_number(token: &str) -> String {
    format!("Invalid number: {token}")
}

pub(super) fn split_sign(token: &str) -> (bool, &str) {
    match token.as_bytes().first() {
        Some(b'-') => (true, token.get(1..).unwrap_or("")),
        Some(b'+') => (false, token.get(1..).unwrap_or("")),
        _ => (false, token),
    }
}

/// Ok(None) when the token isn't integer-shaped (it may still be a float or ratio); an error
/// when it is but can't be one (`09`, `2r3`).
pub(super) fn parse_integer(token: &str) -> Result<Option<FormKind>, String> {
    let (negative, unsigned) = split_sign(token);
    // A radix number's digits may end in `N` (`36rZZN`), so it is matched before the suffix.
    if let Some((radix, digits)) = split_radix(unsigned) {
        return integer_from_digits(token, negative, digits, radix, false).map(Some);
    }
    let (body, big) = match unsigned.strip_suffix('N') {
        Some(body) => (body, true),
        None => (unsigned, false),
    };
    let (digits, radix) = if body == "0" {
        ("0", 10)
    } else if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        (hex, 16)
    } else if let Some(octal) = body.strip_prefix('0') {
        if !all_ascii_digits(octal) {
            return Ok(None);
        }
        if !octal.chars().all(|c| c.is_digit(8)) {
            // `09` matches Clojure's int pattern only as an invalid number.
            return Err(invalid_number(token));
        }
        (octal, 8)
    } else if all_ascii_digits(body) {
        (body, 10)
    } else {
        return Ok(None);
    };
    integer_from_digits(token, negative, digits, radix, big).map(Some)
}

pub(super) fn all_ascii_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// `2r101` -> (2, "101"): one or two digits not starting with 0, `r` or `R`, alphanumerics.
pub(super) fn split_radix(unsigned: &str) -> Option<(u32, &str)> {
    let r = unsigned.find(['r', 'R'])?;
    let (radix, digits) = (unsigned.get(..r)?, unsigned.get(r + 1..)?);
    let radix_ok =
        (1..=2).contains(&radix.len()) && all_ascii_digits(radix) && !radix.starts_with('0');
    let digits_ok = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_alphanumeric());
    if !radix_ok || !digits_ok {
        return None;
    }
    radix.parse().ok().map(|radix| (radix, digits))
}

pub(super) fn integer_from_digits(
    token: &str,
    negative: bool,
    digits: &str,
    radix: u32,
    big: bool,
) -> Result<FormKind, String> {
    if !(2..=36).contains(&radix) || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid_number(token));
    }
    let magnitude = digits_to_decimal(digits, radix);
    let decimal = if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    };
    if !big && let Ok(n) = decimal.parse::<i64>() {
        return Ok(FormKind::Int(n));
    }
    Ok(FormKind::BigInt(decimal))
}

/// Any-size digits in `radix` as decimal digits without leading zeros (`"0"` for zero).
pub(super) fn digits_to_decimal(digits: &str, radix: u32) -> String {
    if radix == 10 {
        let trimmed = digits.trim_start_matches('0');
        return if trimmed.is_empty() { "0" } else { trimmed }.to_string();
    }
    // Little-endian limbs in base 10^9: multiply by the radix and add each digit.
    const LIMB: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![0];
    for digit in digits.chars().filter_map(|c| c.to_digit(radix)) {
        let mut carry = u64::from(digit);
        for limb in &mut limbs {
            let value = *limb * u64::from(radix) + carry;
            *limb = value % LIMB;
            carry = value / LIMB;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut out = String::new();
    for (index, limb) in limbs.iter().rev().enumerate() {
        if index == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    out
}

/// `[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?M?`.
pub(super) fn parse_float(token: &str) -> Option<FormKind> {
    let (text, decimal) = match token.strip_suffix('M') {
        Some(text) => (text, true),
        None => (token, false),
    };
    if !is_float_text(text) {
        return None;
    }
    if decimal {
        let digits = text.strip_prefix('+').unwrap_or(text);
        return Some(FormKind::BigDecimal(digits.to_string()));
    }
    text.parse::<f64>().ok().map(FormKind::Float)
}

pub(super) fn is_float_text(text: &str) -> bool {
    let (_, unsigned) = split_sign(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (&unsigned[..e], Some(&unsigned[e + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let fraction_ok = fraction.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    let exponent_ok = exponent.is_none_or(|e| all_ascii_digits(split_sign(e).1));
    all_ascii_digits(whole) && fraction_ok && exponent_ok
}

/// `[-+]?[0-9]+/[0-9]+`, kept as written (not reduced).
pub(super) fn parse_ratio(token: &str) -> Result<Option<FormKind>, String> {
    let Some((numerator, denominator)) = token.split_once('/') else {
        return Ok(None);
    };
    if !all_ascii_digits(split_sign(numerator).1) || !all_ascii_digits(denominator) {
        return Ok(None);
    }
    let numerator = numerator.strip_prefix('+').unwrap_or(numerator);
    let (Ok(numerator), Ok(denominator)) = (numerator.parse::<i64>(), denominator.parse::<i64>())
    else {
        return Err(format!("{}: ratio out of range", invalid_number(token)));
    };
    if denominator == 0 {
        return Err("Divide by zero".into());
    }
    Ok(Some(FormKind::Ratio(numerator, denominator)))
}
