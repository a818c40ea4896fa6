use super::syntax_quote::{MAX_SYNTAX_QUOTE_DEPTH, nesting_depth};
use super::*;

/// A compiler stand-in: ns `user`, alias `str` -> `clojure.string`, a few `clojure.core` vars.
struct TestCtx {
    ns: &'static str,
}

const CTX: TestCtx = TestCtx { ns: "user" };

const SPECIAL_FORMS: &[&str] = &[
    "def", "if", "do", "let*", "quote", "var", "fn*", "loop*", "recur", "throw", "try", "catch",
    "finally", "new", "set!", ".", "&", "case*", "letfn*",
];
const CORE_VARS: &[&str] = &["list", "+", "inc", "map", "str", "let", "defn", "first"];

impl ReadContext for TestCtx {
    fn current_ns(&self) -> &str {
        self.ns
    }

    fn resolve_alias(&self, alias: &str) -> Option<String> {
        (alias == "str").then(|| "clojure.string".to_string())
    }

    fn qualify_for_syntax_quote(&self, sym: &Symbol) -> Symbol {
        if let Some(ns) = &sym.ns {
            let ns = self.resolve_alias(ns).unwrap_or_else(|| ns.clone());
            return Symbol::qualified(ns, sym.name.clone());
        }
        if SPECIAL_FORMS.contains(&sym.name.as_str()) {
            return sym.clone();
        }
        if CORE_VARS.contains(&sym.name.as_str()) {
            return Symbol::qualified("clojure.core", sym.name.clone());
        }
        Symbol::qualified(self.ns, sym.name.clone())
    }
}

fn read(src: &str) -> Result<Vec<Form>, ReadError> {
    read_all(src, &CTX)
}

fn read_one(src: &str) -> Form {
    let forms = read(src).unwrap_or_else(|e| panic!("reading {src:?}: {e:?}"));
    assert_eq!(forms.len(), 1, "{src:?} read as {} forms", forms.len());
    forms.into_iter().next().expect("one form")
}

/// The forms as Clojure would print them, space-separated.
fn printed(src: &str) -> String {
    let forms = read(src).unwrap_or_else(|e| panic!("reading {src:?}: {e:?}"));
    forms
        .iter()
        .map(|form| form.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn error(src: &str) -> ReadError {
    match read(src) {
        Ok(forms) => panic!("{src:?} should not read, but read {forms:?}"),
        Err(e) => e,
    }
}

fn error_message(src: &str) -> String {
    error(src).message
}

fn pos(line: u32, column: u32) -> Pos {
    Pos { line, column }
}

/// Gensym numbers vary from run to run: `p1__123#` -> `p1__N#`, `x__7__auto__` -> `x__N__auto__`.
fn without_ids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(index) = rest.find("__") {
        out.push_str(&rest[..index + 2]);
        rest = &rest[index + 2..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

fn symbol_of(src: &str) -> Symbol {
    match read_one(src).kind {
        FormKind::Symbol(sym) => sym,
        other => panic!("{src:?} read as {other:?}, not a symbol"),
    }
}

fn keyword_of(src: &str) -> Symbol {
    match read_one(src).kind {
        FormKind::Keyword(sym) => sym,
        other => panic!("{src:?} read as {other:?}, not a keyword"),
    }
}

fn int_of(src: &str) -> i64 {
    match read_one(src).kind {
        FormKind::Int(n) => n,
        other => panic!("{src:?} read as {other:?}, not an int"),
    }
}

fn float_of(src: &str) -> f64 {
    match read_one(src).kind {
        FormKind::Float(x) => x,
        other => panic!("{src:?} read as {other:?}, not a float"),
    }
}

fn string_of(src: &str) -> String {
    match read_one(src).kind {
        FormKind::Str(s) => s,
        other => panic!("{src:?} read as {other:?}, not a string"),
    }
}

fn char_of(src: &str) -> char {
    match read_one(src).kind {
        FormKind::Char(c) => c,
        other => panic!("{src:?} read as {other:?}, not a char"),
    }
}

fn meta_of(src: &str) -> String {
    let form = read_one(src);
    form.meta.map(|meta| meta.to_string()).unwrap_or_default()
}

// ---- Whitespace, comments, discard ----

#[test]
fn whitespace_commas_and_comments_separate_forms() {
    assert_eq!(printed("  1,2 ,, 3 ; a comment\n 4 ;; end"), "1 2 3 4");
    assert_eq!(printed("[1,2,3]"), "[1 2 3]");
    assert_eq!(printed("a;comment\nb"), "a b");
    assert_eq!(printed("\t\r\n a \u{2003}b"), "a b");
    assert!(read("").expect("empty input").is_empty());
    assert!(read("  ; only a comment").expect("comment").is_empty());
}

#[test]
fn discard_drops_the_next_form_and_nests() {
    assert_eq!(printed("#_ 1 2"), "2");
    assert_eq!(printed("#_#_ 1 2 3"), "3");
    assert_eq!(printed("[1 #_ 2 3]"), "[1 3]");
    assert_eq!(printed("[#_#_ a b]"), "[]");
    assert_eq!(printed("#_(a (b c)) d"), "d");
    assert_eq!(printed("{:a #_:b 1}"), "{:a 1}");
    assert_eq!(printed("#_ x"), "");
    assert_eq!(error_message("#_"), "EOF while reading");
    assert_eq!(error_message("[1 #_]"), "Unmatched delimiter: ]");
}

#[test]
fn shebang_line_is_a_comment() {
    assert_eq!(printed("#!/usr/bin/env jank\n(foo)"), "(foo)");
    assert_eq!(printed("1 #! rest of line 2\n3"), "1 3");
}

// ---- Numbers ----

#[test]
fn integers_in_every_notation() {
    assert_eq!(int_of("42"), 42);
    assert_eq!(int_of("-7"), -7);
    assert_eq!(int_of("+3"), 3);
    assert_eq!(int_of("0"), 0);
    assert_eq!(int_of("-0"), 0);
    assert_eq!(int_of("0x10"), 16);
    assert_eq!(int_of("0XfF"), 255);
    assert_eq!(int_of("-0x10"), -16);
    assert_eq!(int_of("017"), 15);
    assert_eq!(int_of("-017"), -15);
    assert_eq!(int_of("2r101"), 5);
    assert_eq!(int_of("-2r101"), -5);
    assert_eq!(int_of("36rZZ"), 1295);
    assert_eq!(int_of("16Rff"), 255);
    assert_eq!(int_of("9223372036854775807"), i64::MAX);
    assert_eq!(int_of("-9223372036854775808"), i64::MIN);
    assert_eq!(int_of("0x7FFFFFFFFFFFFFFF"), i64::MAX);
}

#[test]
fn big_integers_keep_their_decimal_digits() {
    let big = |src: &str| match read_one(src).kind {
        FormKind::BigInt(digits) => digits,
        other => panic!("{src:?} read as {other:?}"),
    };
    assert_eq!(big("42N"), "42");
    assert_eq!(big("-42N"), "-42");
    assert_eq!(big("0N"), "0");
    assert_eq!(big("-0N"), "0");
    assert_eq!(big("0x10N"), "16");
    assert_eq!(big("017N"), "15");
    assert_eq!(big("9223372036854775808"), "9223372036854775808");
    assert_eq!(big("-9223372036854775809"), "-9223372036854775809");
    assert_eq!(big("0xFFFFFFFFFFFFFFFFFF"), "4722366482869645213695");
    assert_eq!(
        big(&format!("2r{}", "1".repeat(70))),
        "1180591620717411303423"
    );
    assert_eq!(
        big("123456789012345678901234567890"),
        "123456789012345678901234567890"
    );
    assert_eq!(printed("7N"), "7N");
}

#[test]
fn floats_decimals_and_ratios() {
    assert_eq!(float_of("1.5"), 1.5);
    assert_eq!(float_of("1e3"), 1000.0);
    assert_eq!(float_of("1E3"), 1000.0);
    assert_eq!(float_of("-1.5e-3"), -0.0015);
    assert_eq!(float_of("+2.5"), 2.5);
    assert_eq!(float_of("1."), 1.0);
    assert_eq!(float_of("09.5"), 9.5);
    assert_eq!(float_of("1e+2"), 100.0);
    assert!(matches!(read_one("1.5M").kind, FormKind::BigDecimal(d) if d == "1.5"));
    assert!(matches!(read_one("2M").kind, FormKind::BigDecimal(d) if d == "2"));
    assert!(matches!(read_one("-1.5e3M").kind, FormKind::BigDecimal(d) if d == "-1.5e3"));
    assert!(matches!(read_one("1/2").kind, FormKind::Ratio(1, 2)));
    assert!(matches!(read_one("-3/4").kind, FormKind::Ratio(-3, 4)));
    assert!(matches!(read_one("+4/2").kind, FormKind::Ratio(4, 2)));
    assert_eq!(printed("1.5 1e3 1/2 1.5M"), "1.5 1000.0 1/2 1.5M");
}

#[test]
fn invalid_numbers_are_errors() {
    for bad in [
        "1x", "09", "08N", "2r3", "1.5N", "0x", "0xG", "1/2/3", "99r1", "1r1", "1e", "1.2.3",
        "1/-2", "1/2N", "+1a", "-1-",
    ] {
        assert_eq!(
            error_message(bad),
            format!("Invalid number: {bad}"),
            "{bad}"
        );
    }
    assert_eq!(error_message("1/0"), "Divide by zero");
    assert!(error_message("99999999999999999999/2").starts_with("Invalid number"));
    assert_eq!(error("[1 1x]").pos, pos(1, 4));
}

#[test]
fn a_number_ends_at_any_macro_char() {
    assert_eq!(printed("1'a"), "1 (quote a)");
    assert_eq!(printed("[1]"), "[1]");
    assert_eq!(printed("(+ 1(inc 2))"), "(+ 1 (inc 2))");
    assert_eq!(printed("1#_2 3"), "1 3");
    assert_eq!(printed("- -a +b"), "- -a +b");
}

#[test]
fn symbolic_values() {
    assert_eq!(float_of("##Inf"), f64::INFINITY);
    assert_eq!(float_of("##-Inf"), f64::NEG_INFINITY);
    assert!(float_of("##NaN").is_nan());
    assert_eq!(printed("[##Inf ##-Inf ##NaN]"), "[##Inf ##-Inf ##NaN]");
    assert_eq!(error_message("##foo"), "Unknown symbolic value: ##foo");
    assert_eq!(error_message("##"), "EOF while reading");
}

// ---- Strings and characters ----

#[test]
fn string_escapes() {
    assert_eq!(string_of(r#""plain""#), "plain");
    assert_eq!(
        string_of(r#""a\nb\tc\rd\be\ff\\g\"h""#),
        "a\nb\tc\rd\u{8}e\u{c}f\\g\"h"
    );
    assert_eq!(string_of(r#""\u00e9\u0041""#), "éA");
    assert_eq!(string_of(r#""\101\60\0""#), "A0\0");
    assert_eq!(string_of(r#""\uD83D\uDE00""#), "😀");
    assert_eq!(string_of("\"two\nlines\""), "two\nlines");
    assert_eq!(string_of("\"é😀\""), "é😀");
    assert_eq!(printed(r#""q\"uote\n""#), r#""q\"uote\n""#);
}

#[test]
fn bad_strings_are_errors() {
    assert_eq!(
        error_message(r#""\q""#),
        "Unsupported escape character: \\q"
    );
    assert_eq!(
        error_message(r#""\u12""#),
        "Invalid character length: 2, should be: 4"
    );
    assert_eq!(error_message(r#""\uZZZZ""#), "Invalid unicode escape: \\uZ");
    assert_eq!(error_message(r#""\u12G4""#), "Invalid digit: G");
    assert_eq!(
        error_message(r#""\400""#),
        "Octal escape sequence must be in range [0, 377]."
    );
    assert_eq!(error_message(r#""\18""#), "Invalid digit: 8");
    assert!(error_message(r#""\uD800""#).contains("unpaired surrogate"));
    assert!(error_message(r#""\uDC00""#).contains("unpaired surrogate"));
    assert_eq!(error_message("\"abc"), "EOF while reading string");
    assert_eq!(error_message("\"abc\\"), "EOF while reading string");
    assert_eq!(error("x\n\n  \"abc").pos, pos(3, 3));
}

#[test]
fn characters() {
    assert_eq!(char_of("\\a"), 'a');
    assert_eq!(char_of("\\newline"), '\n');
    assert_eq!(char_of("\\space"), ' ');
    assert_eq!(char_of("\\tab"), '\t');
    assert_eq!(char_of("\\backspace"), '\u{8}');
    assert_eq!(char_of("\\formfeed"), '\u{c}');
    assert_eq!(char_of("\\return"), '\r');
    assert_eq!(char_of("\\u0041"), 'A');
    assert_eq!(char_of("\\o101"), 'A');
    assert_eq!(char_of("\\o7"), '\u{7}');
    assert_eq!(char_of("\\u"), 'u');
    assert_eq!(char_of("\\o"), 'o');
    assert_eq!(char_of("\\("), '(');
    assert_eq!(char_of("\\)"), ')');
    assert_eq!(char_of("\\\\"), '\\');
    assert_eq!(char_of("\\\""), '"');
    assert_eq!(char_of("\\;"), ';');
    assert_eq!(char_of("\\é"), 'é');
    assert_eq!(printed("[\\a \\b]"), "[\\a \\b]");
    assert_eq!(printed("(\\a)"), "(\\a)");
    assert_eq!(printed("\\a\\b"), "\\a \\b");
    assert_eq!(
        printed("[\\space \\newline \\,]"),
        "[\\space \\newline \\,]"
    );
}

#[test]
fn bad_characters_are_errors() {
    assert_eq!(error_message("\\abc"), "Unsupported character: \\abc");
    assert_eq!(error_message("\\u12"), "Invalid unicode character: \\u12");
    assert_eq!(
        error_message("\\uD800"),
        "Invalid character constant: \\uD800"
    );
    assert_eq!(error_message("\\uZZZZ"), "Invalid digit: Z");
    assert_eq!(
        error_message("\\o400"),
        "Octal escape sequence must be in range [0, 377]."
    );
    assert_eq!(
        error_message("\\o1234"),
        "Invalid octal escape sequence length: 4"
    );
    assert_eq!(error_message("\\"), "EOF while reading character");
}

// ---- Symbols, keywords, literals ----

#[test]
fn nil_true_false() {
    assert!(matches!(read_one("nil").kind, FormKind::Nil));
    assert!(matches!(read_one("true").kind, FormKind::Bool(true)));
    assert!(matches!(read_one("false").kind, FormKind::Bool(false)));
    assert_eq!(symbol_of("nilly"), Symbol::simple("nilly"));
}

#[test]
fn symbols() {
    assert_eq!(symbol_of("foo"), Symbol::simple("foo"));
    assert_eq!(symbol_of("/"), Symbol::simple("/"));
    assert_eq!(
        symbol_of("clojure.core//"),
        Symbol::qualified("clojure.core", "/")
    );
    assert_eq!(symbol_of("a.b/c"), Symbol::qualified("a.b", "c"));
    assert_eq!(symbol_of("a/b/c"), Symbol::qualified("a", "b/c"));
    for name in [
        "..", "->", "->>", "*ns*", ".method", "Foo.", "foo#", "a'b", "+", "-", "-a", "a:b", "<=",
        "set!", "a%", "ü", "%",
    ] {
        assert_eq!(symbol_of(name), Symbol::simple(name), "{name}");
    }
}

#[test]
fn invalid_symbols_are_errors() {
    for bad in ["a/", "foo/1", "a::b", "a:", "/a/", ":", "::", "a/:b/c:"] {
        assert_eq!(error_message(bad), format!("Invalid token: {bad}"), "{bad}");
    }
}

#[test]
fn keywords() {
    assert_eq!(keyword_of(":k"), Symbol::simple("k"));
    assert_eq!(keyword_of(":a/b"), Symbol::qualified("a", "b"));
    assert_eq!(keyword_of(":a.b/c.d"), Symbol::qualified("a.b", "c.d"));
    assert_eq!(keyword_of(":1"), Symbol::simple("1"));
    assert_eq!(keyword_of("::k"), Symbol::qualified("user", "k"));
    assert_eq!(
        keyword_of("::str/k"),
        Symbol::qualified("clojure.string", "k")
    );
    assert_eq!(error_message("::nope/k"), "Invalid token: ::nope/k");
    for bad in [":::k", ":a:", ":a::b"] {
        assert_eq!(error_message(bad), format!("Invalid token: {bad}"));
    }
    assert_eq!(printed("[:k :a/b ::k]"), "[:k :a/b :user/k]");
}

#[test]
fn auto_resolved_keywords_use_the_context_of_each_read() {
    let mut reader = Reader::new("::k ::k", 1, 1);
    let first = reader.next_form(&CTX).expect("first").expect("a form");
    let other = TestCtx { ns: "other" };
    let second = reader.next_form(&other).expect("second").expect("a form");
    assert_eq!(first.to_string(), ":user/k");
    assert_eq!(second.to_string(), ":other/k");
    assert!(reader.next_form(&CTX).expect("end").is_none());
}

// ---- Collections ----

#[test]
fn collections() {
    assert_eq!(printed("(1 2 3)"), "(1 2 3)");
    assert_eq!(printed("[1 [2 (3)]]"), "[1 [2 (3)]]");
    assert_eq!(printed("{:a 1 :b 2}"), "{:a 1, :b 2}");
    assert_eq!(printed("#{1 2}"), "#{1 2}");
    assert_eq!(printed("() [] {} #{}"), "() [] {} #{}");
    assert!(matches!(read_one("{:a 1}").kind, FormKind::Map(pairs) if pairs.len() == 1));
    assert!(matches!(read_one("#{:a}").kind, FormKind::Set(items) if items.len() == 1));
}

#[test]
fn map_and_set_errors() {
    assert_eq!(
        error_message("{:a}"),
        "Map literal must contain an even number of forms"
    );
    assert_eq!(error_message("{:a 1 :a 2}"), "Duplicate key: :a");
    assert_eq!(error("{:a 1\n :a 2}").pos, pos(2, 2));
    assert_eq!(error_message("#{1 1}"), "Duplicate key: 1");
    assert_eq!(error_message("{\"a\" 1 \"a\" 2}"), "Duplicate key: a");
    assert_eq!(error_message("{'a 1 'a 2}"), "Duplicate key: (quote a)");
    assert_eq!(error_message("{[1] 1 (1) 2}"), "Duplicate key: (1)");
    assert_eq!(error_message("{1 1 1N 2}"), "Duplicate key: 1N");
    assert_eq!(error_message("#{#{1 2} #{2 1}}"), "Duplicate key: #{2 1}");
    assert_eq!(error_message("#{1/2 2/4}"), "Duplicate key: 2/4");
    // Not equal in Clojure, so not duplicates.
    assert_eq!(printed("{1 1 1.0 2}"), "{1 1, 1.0 2}");
    assert_eq!(printed("#{##NaN ##NaN}"), "#{##NaN ##NaN}");
    assert_eq!(printed("#{a :a \"a\" \\a}"), "#{a :a \"a\" \\a}");
    assert_eq!(printed("#{#\"a\" #\"a\"}"), "#{#\"a\" #\"a\"}");
}

#[test]
fn unbalanced_delimiters() {
    assert_eq!(
        error("(1 2"),
        ReadError::new("EOF while reading", pos(1, 1))
    );
    assert_eq!(
        error("[1 (2"),
        ReadError::new("EOF while reading", pos(1, 4))
    );
    assert_eq!(error("{"), ReadError::new("EOF while reading", pos(1, 1)));
    assert_eq!(error("#{"), ReadError::new("EOF while reading", pos(1, 1)));
    assert_eq!(
        error(")"),
        ReadError::new("Unmatched delimiter: )", pos(1, 1))
    );
    assert_eq!(
        error("(]"),
        ReadError::new("Unmatched delimiter: ]", pos(1, 2))
    );
    assert_eq!(error_message("{1 2)"), "Unmatched delimiter: )");
    assert_eq!(error_message("(a))"), "Unmatched delimiter: )");
    assert_eq!(error_message("'"), "EOF while reading");
    assert_eq!(error_message("'  )"), "Unmatched delimiter: )");
}

#[test]
fn reading_continues_after_each_form() {
    let mut reader = Reader::new("(a) [b] c", 1, 1);
    let mut seen = Vec::new();
    while let Some(form) = reader.next_form(&CTX).expect("reads") {
        seen.push(form.to_string());
    }
    assert_eq!(seen, ["(a)", "[b]", "c"]);
}

// ---- Reader macros ----

#[test]
fn quote_deref_and_var() {
    assert_eq!(printed("'x"), "(quote x)");
    assert_eq!(printed("'(1 2)"), "(quote (1 2))");
    assert_eq!(printed("''x"), "(quote (quote x))");
    assert_eq!(printed("@a"), "(clojure.core/deref a)");
    assert_eq!(
        printed("@@a"),
        "(clojure.core/deref (clojure.core/deref a))"
    );
    assert_eq!(printed("#'foo"), "(var foo)");
    assert_eq!(printed("#'a/b"), "(var a/b)");
    assert_eq!(
        printed("~x ~@y ~ @z"),
        "(clojure.core/unquote x) (clojure.core/unquote-splicing y) (clojure.core/unquote (clojure.core/deref z))"
    );
    assert_eq!(printed("' x"), "(quote x)");
    assert_eq!(error_message("@"), "EOF while reading");
}

#[test]
fn metadata_in_all_its_forms() {
    assert_eq!(meta_of("^:dynamic x"), "{:dynamic true}");
    assert_eq!(meta_of("^String x"), "{:tag String}");
    assert_eq!(meta_of("^\"String\" x"), "{:tag \"String\"}");
    assert_eq!(meta_of("^{:a 1 :b [2]} [1]"), "{:a 1, :b [2]}");
    assert_eq!(meta_of("^[long String] f"), "{:param-tags [long String]}");
    assert_eq!(meta_of("#^:a x"), "{:a true}");
    assert_eq!(meta_of("^:a ^:b x"), "{:b true, :a true}");
    assert_eq!(meta_of("^{:a 1} ^{:a 2 :b 3} x"), "{:a 1, :b 3}");
    assert_eq!(meta_of("^:a (f)"), "{:a true}");
    assert_eq!(meta_of("^:a {}"), "{:a true}");
    assert_eq!(meta_of("^:a #{}"), "{:a true}");
    assert_eq!(meta_of("^:a #_ skipped x"), "{:a true}");
    // Printing leaves meta out, as Clojure does.
    assert_eq!(printed("^:a x"), "x");
    let def = read_one("(def ^:private x 1)");
    let FormKind::List(items) = def.kind else {
        panic!("not a list")
    };
    assert_eq!(items[1].to_string(), "x");
    assert_eq!(
        items[1].meta.as_ref().map(|m| m.to_string()),
        Some("{:private true}".into())
    );
    // The form keeps its own position, not the `^`'s.
    assert_eq!(read_one("^:a x").pos, pos(1, 5));
}

#[test]
fn bad_metadata_is_an_error() {
    assert_eq!(
        error_message("^:a 1"),
        "Metadata can only be applied to IMetas"
    );
    assert_eq!(
        error_message("^:a \"s\""),
        "Metadata can only be applied to IMetas"
    );
    assert_eq!(
        error_message("^1 x"),
        "Metadata must be Symbol,Keyword,String,Map or Vector"
    );
    assert_eq!(error_message("^:a"), "EOF while reading");
}

#[test]
fn anonymous_fn_literals() {
    assert_eq!(
        without_ids(&printed("#(+ % %2)")),
        "(fn* [p1__N# p2__N#] (+ p1__N# p2__N#))"
    );
    assert_eq!(
        without_ids(&printed("#(foo %&)")),
        "(fn* [& rest__N#] (foo rest__N#))"
    );
    assert_eq!(
        without_ids(&printed("#(foo %2 %&)")),
        "(fn* [p1__N# p2__N# & rest__N#] (foo p2__N# rest__N#))"
    );
    assert_eq!(printed("#()"), "(fn* [] ())");
    assert_eq!(without_ids(&printed("#(%)")), "(fn* [p1__N#] (p1__N#))");
    // `%` and `%1` are the same param.
    let form = read_one("#(vector % %1)").to_string();
    let params: Vec<&str> = form
        .split(['[', ']', ' ', '(', ')'])
        .filter(|s| s.starts_with("p1"))
        .collect();
    assert_eq!(params.len(), 3);
    assert!(params.iter().all(|p| *p == params[0]), "{form}");
    assert_eq!(
        without_ids(&printed("[#(%) #(%)]")),
        "[(fn* [p1__N#] (p1__N#)) (fn* [p1__N#] (p1__N#))]"
    );
    assert_eq!(printed("%"), "%");
    assert_eq!(printed("[%1 %&]"), "[%1 %&]");
}

#[test]
fn bad_fn_literals_are_errors() {
    assert_eq!(error_message("#(#(%))"), "Nested #()s are not allowed");
    assert_eq!(
        error_message("#(%x)"),
        "arg literal must be %, %& or %integer"
    );
    assert_eq!(
        error_message("#(%0)"),
        "arg literal must be %, %& or %integer"
    );
    assert_eq!(error_message("#(%21)"), "Can't specify more than 20 params");
    assert_eq!(error_message("#(a"), "EOF while reading");
}

#[test]
fn regex_literals_keep_backslashes() {
    assert!(matches!(read_one(r#"#"a\d+\"b""#).kind, FormKind::Regex(p) if p == r#"a\d+\"b"#));
    assert_eq!(printed(r#"#"[a-z]+\\""#), r#"#"[a-z]+\\""#);
    assert_eq!(error_message(r#"#"abc"#), "EOF while reading regex");
}

// ---- Syntax-quote ----

#[test]
fn syntax_quote_qualifies_symbols() {
    assert_eq!(printed("`x"), "(quote user/x)");
    assert_eq!(printed("`inc"), "(quote clojure.core/inc)");
    assert_eq!(printed("`if"), "(quote if)");
    assert_eq!(printed("`str/join"), "(quote clojure.string/join)");
    assert_eq!(printed("`a.b/c"), "(quote a.b/c)");
    assert_eq!(printed("`Foo."), "(quote Foo.)");
    assert_eq!(printed("`.method"), "(quote .method)");
    assert_eq!(printed("`#\"r\""), "(quote #\"r\")");
}

#[test]
fn syntax_quote_leaves_self_evaluating_forms() {
    assert_eq!(
        printed("`:k `1 `\"s\" `nil `true `\\a `1/2 `##Inf `::k"),
        ":k 1 \"s\" nil true \\a 1/2 ##Inf :user/k"
    );
}

#[test]
fn syntax_quote_expands_collections() {
    assert_eq!(
        printed("`(a ~b ~@c)"),
        "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote user/a)) \
         (clojure.core/list b) c))"
    );
    assert_eq!(
        printed("`[a ~b]"),
        "(clojure.core/apply clojure.core/vector (clojure.core/seq (clojure.core/concat \
         (clojure.core/list (quote user/a)) (clojure.core/list b))))"
    );
    assert_eq!(
        printed("`{:a ~b}"),
        "(clojure.core/apply clojure.core/hash-map (clojure.core/seq (clojure.core/concat \
         (clojure.core/list :a) (clojure.core/list b))))"
    );
    assert_eq!(
        printed("`#{a}"),
        "(clojure.core/apply clojure.core/hash-set (clojure.core/seq (clojure.core/concat \
         (clojure.core/list (quote user/a)))))"
    );
    assert_eq!(printed("`()"), "(clojure.core/list)");
    assert_eq!(
        printed("`[]"),
        "(clojure.core/apply clojure.core/vector (clojure.core/seq (clojure.core/concat)))"
    );
    assert_eq!(printed("`~x"), "x");
    assert_eq!(printed("`(clojure.core/unquote x)"), "x");
    assert_eq!(
        printed("``a"),
        "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote quote)) \
         (clojure.core/list (quote user/a))))"
    );
    assert_eq!(
        printed("`(f '~x)"),
        "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote user/f)) \
         (clojure.core/list (clojure.core/seq (clojure.core/concat (clojure.core/list (quote quote)) \
         (clojure.core/list x))))))"
    );
}

#[test]
fn syntax_quote_gensyms() {
    let form = without_ids(&printed("`(let [x# 1] x#)"));
    assert_eq!(
        form,
        "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote clojure.core/let)) \
         (clojure.core/list (clojure.core/apply clojure.core/vector (clojure.core/seq \
         (clojure.core/concat (clojure.core/list (quote x__N__auto__)) (clojure.core/list 1))))) \
         (clojure.core/list (quote x__N__auto__))))"
    );
    // The same within one syntax-quote, different in another.
    let names = |src: &str| -> Vec<String> {
        printed(src)
            .split([' ', '(', ')'])
            .filter(|s| s.ends_with("__auto__"))
            .map(str::to_string)
            .collect()
    };
    let within = names("`(x# x#)");
    assert_eq!(within.len(), 2);
    assert_eq!(within[0], within[1]);
    let across = names("[`x# `x#]");
    assert_eq!(across.len(), 2);
    assert_ne!(across[0], across[1]);
    // `#()` params end in `#`, so inside syntax-quote they become gensyms too (as in Clojure).
    assert!(printed("`#(inc %)").contains("__auto__"));
}

#[test]
fn syntax_quote_keeps_metadata_with_with_meta() {
    assert_eq!(
        printed("`^:foo x"),
        "(clojure.core/with-meta (quote user/x) (clojure.core/apply clojure.core/hash-map \
         (clojure.core/seq (clojure.core/concat (clojure.core/list :foo) (clojure.core/list true)))))"
    );
}

#[test]
fn syntax_quote_errors() {
    assert_eq!(error_message("`~@x"), "splice not in list");
    assert_eq!(error_message("`"), "EOF while reading");
}

// ---- Reader conditionals ----

#[test]
fn reader_conditionals_pick_jank_then_default() {
    assert_eq!(printed("#?(:clj 1 :jank 2 :default 3)"), "2");
    assert_eq!(printed("#?(:clj 1 :default 3)"), "3");
    assert_eq!(printed("#?(:default 3 :jank 2)"), "3");
    assert_eq!(printed("#?(:clj 1)"), "");
    // ClojureScript's branches run too (the runtime is JavaScript-hosted), in form order.
    assert_eq!(printed("#?(:clj 1 :cljs 2 :default 3)"), "2");
    assert_eq!(printed("#?(:cljs 2 :jank 1)"), "2");
    assert_eq!(printed("#?(:jank 1 :cljs 2)"), "1");
    assert_eq!(printed("#?(:clj 1) x"), "x");
    assert_eq!(printed("[1 #?(:clj 2) 3]"), "[1 3]");
    assert_eq!(printed("(#?(:jank a :clj b))"), "(a)");
    assert_eq!(printed("#?(:jank #?(:clj 1 :default 2))"), "2");
    assert_eq!(printed("#? (:jank 1)"), "1");
    assert_eq!(printed("#?()"), "");
}

#[test]
fn splicing_reader_conditionals() {
    assert_eq!(printed("[1 #?@(:jank [2 3]) 4]"), "[1 2 3 4]");
    assert_eq!(printed("[1 #?@(:clj [2 3]) 4]"), "[1 4]");
    assert_eq!(printed("(f #?@(:jank (a b)))"), "(f a b)");
    assert_eq!(printed("{#?@(:jank [:a 1])}"), "{:a 1}");
    assert_eq!(printed("'#?@(:jank [a b])"), "(quote a) b");
    assert_eq!(
        error_message("#?@(:jank [1 2])"),
        "Reader conditional splicing not allowed at the top level."
    );
    assert_eq!(
        error_message("[#?@(:jank 1)]"),
        "Spliced form in read-cond-splicing must be a list or vector"
    );
}

#[test]
fn skipped_branches_may_use_other_platforms_syntax() {
    assert_eq!(printed("#?(:clj #inst \"2020\" :jank 1)"), "1");
    assert_eq!(printed("#?(:clj #js {:a [#js [1]]} :default 2)"), "2");
    assert_eq!(printed("#?(:clj ::nope/x :jank 1)"), "1");
    assert_eq!(printed("#?(:clj #::nope{:a 1} :jank 1)"), "1");
    assert_eq!(printed("#?(:jank 1 :clj #inst \"2020\")"), "1");
}

#[test]
fn js_literals_build_javascript_arrays_and_objects() {
    assert_eq!(printed("#js [1 2]"), "(js/Array.of 1 2)");
    assert_eq!(
        printed("#js {:a [1] \"b c\" 2}"),
        "(js/Object.fromEntries (js/Array.of (js/Array.of \"a\" [1]) (js/Array.of \"b c\" 2)))"
    );
    assert_eq!(
        error_message("#js 1"),
        "JavaScript literal must use map or vector notation"
    );
}

#[test]
fn bad_reader_conditionals() {
    assert_eq!(
        error_message("#?(:jank)"),
        "read-cond requires an even number of forms"
    );
    assert_eq!(error_message("#?(1 2)"), "Feature should be a keyword: 1");
    assert_eq!(
        error_message("#?[:jank 1]"),
        "read-cond body must be a list"
    );
    assert_eq!(
        error_message("#?(:else 1)"),
        "Feature name :else is reserved."
    );
    assert_eq!(error_message("#?(:jank 1"), "EOF while reading");
    assert_eq!(error_message("#?"), "EOF while reading character");
}

// ---- Other dispatch ----

#[test]
fn uuid_and_inst_literals_are_checked_and_completed() {
    let text = |code: &str| read_one(code).to_string();
    assert_eq!(
        text("#uuid \"4FE5D828-6444-11E8-8222-720007E40350\""),
        "#uuid \"4fe5d828-6444-11e8-8222-720007e40350\""
    );
    assert_eq!(text("#inst \"2020\""), "#inst \"2020-01-01T00:00:00.000Z\"");
    assert_eq!(
        text("#inst \"2020-02-03T04:05:06.7+01:00\""),
        "#inst \"2020-02-03T04:05:06.700+01:00\""
    );
    assert_eq!(error_message("#uuid \"nope\""), "Invalid UUID string: nope");
    assert_eq!(
        error_message("#uuid 1"),
        "UUID literal expects a string as its representation."
    );
    assert_eq!(
        error_message("#inst \"2020-13\""),
        "Unrecognized date/time syntax: 2020-13"
    );
    assert_eq!(
        error_message("#inst \"yesterday\""),
        "Unrecognized date/time syntax: yesterday"
    );
    for odd in [
        "2020-é1",
        "2020-01-01T00:00:00+0é:00",
        "2020-01-01T00:00:00+01é00",
        "é",
    ] {
        assert_eq!(
            error_message(&format!("#inst \"{odd}\"")),
            format!("Unrecognized date/time syntax: {odd}")
        );
    }
}

#[test]
fn other_tagged_literals_have_no_readers_yet() {
    assert_eq!(
        error_message("#foo/bar [1]"),
        "No reader function for tag foo/bar"
    );
    assert_eq!(error_message("#1 x"), "Reader tag must be a symbol");
    assert_eq!(
        error_message("#=(+ 1 2)"),
        "#= (read-eval) is not supported"
    );
    assert_eq!(error_message("#<foo>"), "Unreadable form");
    assert_eq!(error_message("#)"), "No dispatch macro for: )");
    assert_eq!(error_message("#"), "EOF while reading character");
}

#[test]
fn namespaced_maps() {
    assert_eq!(
        printed("#:foo{:a 1 :_/b 2 :c/d 3 x 4 \"s\" 5}"),
        "{:foo/a 1, :b 2, :c/d 3, foo/x 4, \"s\" 5}"
    );
    assert_eq!(printed("#::{:a 1}"), "{:user/a 1}");
    assert_eq!(printed("#:: {:a 1}"), "{:user/a 1}");
    assert_eq!(printed("#::str{:a 1}"), "{:clojure.string/a 1}");
    assert_eq!(printed("#:foo {:a 1}"), "{:foo/a 1}");
    assert_eq!(printed("#:foo{}"), "{}");
    assert_eq!(
        error_message("#::nope{:a 1}"),
        "Unknown auto-resolved namespace alias: nope"
    );
    assert_eq!(
        error_message("#:foo [1]"),
        "Namespaced map must specify a map"
    );
    assert_eq!(
        error_message("#:foo{:a}"),
        "Namespaced map literal must contain an even number of forms"
    );
    assert_eq!(
        error_message("#:foo{:a 1 :foo/a 2}"),
        "Duplicate key: :foo/a"
    );
    assert_eq!(
        error_message("#:a/b{}"),
        "Namespaced map must specify a valid namespace: a/b"
    );
    assert_eq!(
        error_message("#:{}"),
        "Namespaced map must specify a valid namespace: "
    );
}

// ---- Positions ----

#[test]
fn every_form_knows_where_it_starts() {
    let list = read_one("(a\n  b [c])");
    assert_eq!(list.pos, pos(1, 1));
    let FormKind::List(items) = &list.kind else {
        panic!("not a list")
    };
    assert_eq!(items[0].pos, pos(1, 2));
    assert_eq!(items[1].pos, pos(2, 3));
    assert_eq!(items[2].pos, pos(2, 5));
    let FormKind::Vector(inner) = &items[2].kind else {
        panic!("not a vector")
    };
    assert_eq!(inner[0].pos, pos(2, 6));
}

#[test]
fn positions_count_from_the_given_start_in_chars() {
    let mut reader = Reader::new("x \"é😀\" y\nz", 10, 5);
    let forms: Vec<Pos> = std::iter::from_fn(|| reader.next_form(&CTX).expect("reads"))
        .map(|form| form.pos)
        .collect();
    assert_eq!(forms, [pos(10, 5), pos(10, 7), pos(10, 12), pos(11, 1)]);
}

#[test]
fn reader_macros_start_at_their_macro_char() {
    let quoted = read_one(" 'x");
    assert_eq!(quoted.pos, pos(1, 2));
    let FormKind::List(items) = &quoted.kind else {
        panic!("not a list")
    };
    assert_eq!(items[1].pos, pos(1, 3));
    assert_eq!(read_one("  #(inc %)").pos, pos(1, 3));
    assert_eq!(read_one("#{1}").pos, pos(1, 1));
    assert_eq!(read_one("x #_y").pos, pos(1, 1));
}

// ---- Printing ----

#[test]
fn printing_reads_back_the_same() {
    let sources = [
        "(defn f [x & more] {:a 1, :b #{2 3}} [\\a \\space \"s\\n\\\"\"])",
        "[1 -2 3N 1.5 1.0E10 1.0E-5 1/2 2.5M ##Inf ##NaN nil true false]",
        "[:k :a/b sym a.b/c clojure.core// #\"re\\d\" \\u0000 \\newline]",
        "`(let [x# ~y] ~@z)",
        "#(+ % %2 %&)",
    ];
    for src in sources {
        let once = printed(src);
        assert_eq!(printed(&once), once, "{src}");
    }
}

#[test]
fn doubles_print_like_java() {
    use crate::compiler::form::format_double;
    assert_eq!(format_double(1000.0), "1000.0");
    assert_eq!(format_double(1.5), "1.5");
    assert_eq!(format_double(0.001), "0.001");
    assert_eq!(format_double(1e-4), "1.0E-4");
    assert_eq!(format_double(1e7), "1.0E7");
    assert_eq!(format_double(1.5e300), "1.5E300");
    assert_eq!(format_double(-2.5e-10), "-2.5E-10");
    assert_eq!(format_double(0.0), "0.0");
    assert_eq!(format_double(-0.0), "-0.0");
    assert_eq!(format_double(f64::NEG_INFINITY), "##-Inf");
}

// ---- Robustness ----

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn garbage_input_never_panics() {
    let alphabet: Vec<char> = "()[]{}#^'`~@\\\"; :/a1.%&_-+?!=<>xNMrR0e,\n\tu\u{e9}\u{1F600}0x9"
        .chars()
        .collect();
    let mut rng = Lcg(0x5eed);
    for _ in 0..30_000 {
        let len = (rng.next() % 40) as usize;
        let src: String = (0..len)
            .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
            .collect();
        let mut reader = Reader::new(&src, 1, 1);
        // Keep reading after errors too: the reader must stay usable.
        for _ in 0..50 {
            match reader.next_form(&CTX) {
                Ok(None) => break,
                Ok(Some(form)) => {
                    let _ = form.to_string();
                }
                Err(e) => {
                    assert!(!e.message.is_empty(), "{src:?}");
                    if reader.offset >= src.len() {
                        break;
                    }
                }
            }
        }
    }
}

/// Reads `depth`-deep brackets around `1`; the result is dropped on this thread.
fn read_nested(open: &str, close: &str, depth: usize) -> Result<Vec<Form>, ReadError> {
    read(&format!("{}1{}", open.repeat(depth), close.repeat(depth)))
}

#[test]
fn ten_thousand_deep_vectors_fail_cleanly() {
    match read_nested("[", "]", 10_000) {
        Ok(forms) => assert!(forms[0].to_string().starts_with("[[[[")),
        Err(e) => assert!(e.message.starts_with("Nesting too deep"), "{e:?}"),
    }
}

#[test]
fn nesting_up_to_the_cap_reads_prints_and_drops() {
    for (open, close) in [("[", "]"), ("(", ")"), ("{:k ", "}"), ("#{", "}")] {
        let forms = read_nested(open, close, MAX_DEPTH).expect("at the cap");
        assert_eq!(forms.len(), 1);
        assert!(forms[0].to_string().len() >= 2 * MAX_DEPTH);
    }
    let quotes = read(&format!("{}x", "'".repeat(MAX_DEPTH))).expect("quotes");
    assert!(quotes[0].to_string().starts_with("(quote (quote"));
}

#[test]
fn nesting_past_the_cap_is_an_error() {
    let e = read_nested("(", ")", MAX_DEPTH + 1).expect_err("past the cap");
    assert!(e.message.starts_with("Nesting too deep"), "{e:?}");
    assert_eq!(e.pos, pos(1, MAX_DEPTH as u32 + 1));
    // Unclosed input stops at the cap too, rather than running to EOF.
    for prefix in ["[", "'", "#_", "^:a ", "@", "#?(:jank ", "`", "#{", "~@"] {
        let e = error(&prefix.repeat(1_000_000));
        assert!(e.message.starts_with("Nesting too deep"), "{prefix}: {e:?}");
    }
}

#[test]
fn deep_syntax_quote_is_bounded() {
    let ok = format!(
        "`{}x{}",
        "[".repeat(MAX_SYNTAX_QUOTE_DEPTH - 1),
        "]".repeat(MAX_SYNTAX_QUOTE_DEPTH - 1)
    );
    let expansion = read(&ok).expect("within the syntax-quote cap");
    assert!(nesting_depth(&expansion[0]) <= MAX_DEPTH);
    let with_meta = format!(
        "`{}x{}",
        "^:m [".repeat(MAX_SYNTAX_QUOTE_DEPTH / 2 - 1),
        "]".repeat(MAX_SYNTAX_QUOTE_DEPTH / 2 - 1)
    );
    let expansion = read(&with_meta).expect("within the syntax-quote cap");
    assert!(nesting_depth(&expansion[0]) <= MAX_DEPTH);
    let too_deep = format!(
        "`{}{}",
        "[".repeat(MAX_SYNTAX_QUOTE_DEPTH + 1),
        "]".repeat(MAX_SYNTAX_QUOTE_DEPTH + 1)
    );
    assert!(error(&too_deep).message.starts_with("Nesting too deep"));
    let deep_key = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    // Deep keys are compared only to a bounded depth: no duplicate reported, no crash.
    assert!(read(&format!("{{{deep_key} 1 {deep_key} 2}}")).is_ok());
    assert!(
        error(&format!("#{{{} {}}}", "[[1]]", "[[1]]"))
            .message
            .starts_with("Duplicate key")
    );
}
