//! What a jank-path patch is cached by: its C++ with what differs between
//! two compiles of the same eval taken out.
//!
//! jank names what it generates (each fn's C++ functions, lifted vars and
//! constants, `fnexpr`s, gensyms) with a per-namespace counter that only
//! grows in a jank process, and ends the module with the counter's value
//! (`jank_ns_set_symbol_counter`), so the same eval compiled twice gives C++
//! that differs in those numbers, and keyed on its text would never come
//! from the cache. Before each compile the compile server moves every
//! namespace's counter up to one base, the next multiple of `COUNTER_STRIDE`
//! above them all (src/toolchain/jank.rs): the numbers jank makes in a
//! compile are then the base plus how many its namespace made before in the
//! same compile, and equal evals compiled alike give equal numbers past the
//! base. The base is the count the module ends with, rounded down to the
//! stride; the key writes each number in `[base, base + stride)` as its
//! distance from the base:
//!
//! - a `_`-separated part of an identifier (`user_ggg_1000000000003_1`
//!   keys as `user_ggg_#3_1`);
//! - the count given to `jank_ns_set_symbol_counter`.
//!
//! String and character literals and comments are kept as they are (a
//! gensym in a quoted symbol is a value), and so are all other numbers (a
//! gensym an earlier compile made, a literal). The renaming is one to one,
//! so two sources with one key differ only in names jank made in their
//! compile, unless C++ they call has a name with a part that falls in that
//! compile's range (at least 10^12). Without a count at the end (not jank's
//! module shape), the key is the text itself. The key also takes out
//! jank's working directory (the module file's path is in each var's
//! metadata, and each server has its own): a patch from the cache keeps the
//! path its first server had.

/// The counters jump to a multiple of this before each compile: far above
/// what one compile uses, and far below where a `u64` counter ends.
pub const COUNTER_STRIDE: u64 = 1_000_000_000_000;

/// Stands for the working directory in a key.
const WORK_DIR: &str = "<jank-work-dir>";

/// The text `cpp` is cached by (see the module doc); `work_dirs` are the
/// spellings of jank's working directory to take out.
pub fn key_text(cpp: &str, work_dirs: &[&str]) -> String {
    let mut text = cpp.to_string();
    for dir in work_dirs.iter().filter(|d| !d.is_empty()) {
        text = text.replace(dir, WORK_DIR);
    }
    match counter_base(&text) {
        Some(base) => Normalizer::new(&text, base).run(),
        None => text,
    }
}

/// The count of the module's last `jank_ns_set_symbol_counter("ns", N)`,
/// rounded down to the stride; `None` below the stride (the counters were
/// not moved).
fn counter_base(text: &str) -> Option<u64> {
    const CALL: &str = "jank_ns_set_symbol_counter(\"";
    let after = &text[text.rfind(CALL)? + CALL.len()..];
    let mut escaped = false;
    let close = after.char_indices().find_map(|(i, c)| match c {
        _ if escaped => {
            escaped = false;
            None
        }
        '\\' => {
            escaped = true;
            None
        }
        '"' => Some(i),
        _ => None,
    })?;
    let count = after[close + 1..]
        .trim_start()
        .strip_prefix(',')?
        .trim_start();
    let digits = &count[..count
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(count.len())];
    let n: u64 = digits.parse().ok()?;
    (n >= COUNTER_STRIDE).then_some(n - n % COUNTER_STRIDE)
}

struct Normalizer<'a> {
    text: &'a str,
    /// Numbers in `[base, base + COUNTER_STRIDE)` were made in this compile.
    base: u64,
    pos: usize,
    out: String,
    /// After `jank_ns_set_symbol_counter`, until its `)`: its count is next.
    in_counter_call: bool,
}

impl<'a> Normalizer<'a> {
    fn new(text: &'a str, base: u64) -> Self {
        Normalizer {
            text,
            base,
            pos: 0,
            out: String::with_capacity(text.len()),
            in_counter_call: false,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn run(mut self) -> String {
        while let Some(c) = self.rest().chars().next() {
            let rest = self.rest();
            if rest.starts_with("//") {
                self.copy_until("\n", 0);
            } else if rest.starts_with("/*") {
                self.copy_until("*/", 2);
            } else if c == '"' || c == '\'' {
                self.copy_literal(c);
            } else if c.is_ascii_digit() {
                self.number();
            } else if c == '_' || c.is_ascii_alphabetic() {
                self.identifier();
            } else {
                if c == ')' || c == ';' {
                    self.in_counter_call = false;
                }
                self.out.push(c);
                self.pos += c.len_utf8();
            }
        }
        self.out
    }

    /// Copies through the end of `end` (searched from `skip` bytes on), or
    /// to the end of the text.
    fn copy_until(&mut self, end: &str, skip: usize) {
        let rest = self.rest();
        let len = rest
            .get(skip..)
            .and_then(|r| r.find(end))
            .map_or(rest.len(), |at| skip + at + end.len());
        self.out.push_str(&rest[..len]);
        self.pos += len;
    }

    /// A string or character literal, escapes and all.
    fn copy_literal(&mut self, quote: char) {
        let rest = self.rest();
        let mut escaped = false;
        let mut len = rest.len();
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\n' => {
                    len = i;
                    break;
                }
                _ if c == quote => {
                    len = i + 1;
                    break;
                }
                _ => {}
            }
        }
        self.out.push_str(&rest[..len]);
        self.pos += len;
    }

    /// A number (with its suffix and digit separators); the count of
    /// `jank_ns_set_symbol_counter` becomes its remainder.
    fn number(&mut self) {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\'' || c == '.'))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        match (self.in_counter_call, token.parse::<u64>()) {
            (true, Ok(n)) => self.push_number(n, token),
            _ => self.out.push_str(token),
        }
        self.pos += len;
    }

    /// An identifier, its counter parts as remainders; a raw string literal
    /// (`R"x(...)x"`) is copied whole.
    fn identifier(&mut self) {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        self.pos += len;
        if token.ends_with('R') && self.rest().starts_with('"') {
            self.out.push_str(token);
            self.copy_raw_string();
            return;
        }
        if token == "jank_ns_set_symbol_counter" {
            self.in_counter_call = true;
        }
        for (i, part) in token.split('_').enumerate() {
            if i > 0 {
                self.out.push('_');
            }
            match part.parse::<u64>() {
                Ok(n) if i > 0 => self.push_number(n, part),
                _ => self.out.push_str(part),
            }
        }
    }

    /// `n` as its distance from the base if this compile made it, else as written.
    fn push_number(&mut self, n: u64, written: &str) {
        match n.checked_sub(self.base) {
            Some(past) if past < COUNTER_STRIDE => self.out.push_str(&format!("#{past}")),
            _ => self.out.push_str(written),
        }
    }

    /// `"delim( ... )delim"`, the `R` already copied.
    fn copy_raw_string(&mut self) {
        let rest = self.rest();
        let Some(open) = rest.find('(') else {
            self.copy_literal('"');
            return;
        };
        let end = format!("){}\"", &rest[1..open]);
        self.copy_until(&end, open);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jank's C++ for `(defn ggg [v] (+ v 49))` compiled after the counters
    /// were moved up to `base`.
    fn compiled_at(base: u64) -> String {
        let n = |i: u64| base + i;
        format!(
            "#include <jank/prelude.hpp>\nnamespace jank_wasm::eval {{\n\
             jank::runtime::obj::integer_ref const_{c}{{ _jank_null{{ }} }};\n\
             jank::runtime::var_ref clojure_core_SLASH__PLUS__{p}{{ _jank_null{{ }} }};\n\
             extern \"C\" jank::runtime::object_ref user_ggg_{g}_1(jank::runtime::object_ref const ggg, jank::runtime::object_ref v) {{\n\
             auto const v_1(clojure_core_SLASH__PLUS__{p}->deref()); // v_1 is not a counter\n\
             return v_1.call(v, const_{c});\n}}\n\
             extern \"C\" void jank_load_jank_wasm_eval(){{jank_ns_intern_c(\"jank-wasm.eval\");jank_ns_set_symbol_counter(\"user\", {end});\n\
             v->with_lazy_meta(\"{{:jank/source {{:file \\\"/tmp/w-1/jank/modules/jank_wasm/eval.jank\\\"}}}}\");\n\
             auto const fnexpr_{f}(_jank_fn(0));fnexpr_{f}->arity_0 = &jank_load_jank_wasm_eval_0;fnexpr_{f}->call();\n}}\n}}\n",
            c = n(1),
            p = n(2),
            g = n(3),
            f = n(4),
            end = n(4),
        )
    }

    #[test]
    fn equal_evals_compiled_at_different_counters_have_one_key() {
        let first = key_text(&compiled_at(COUNTER_STRIDE), &["/tmp/w-1"]);
        let later = key_text(
            &compiled_at(7 * COUNTER_STRIDE).replace("/tmp/w-1", "/tmp/w-2"),
            &["/tmp/w-2"],
        );
        assert_eq!(first, later);
        assert!(first.contains("user_ggg_#3_1(") && first.contains("fnexpr_#4->arity_0"));
        assert!(first.contains("jank_ns_set_symbol_counter(\"user\", #4)"));
        assert!(first.contains("<jank-work-dir>/jank/modules"));
        assert!(
            first.contains("v_1(") && first.contains("arity_0"),
            "{first}"
        );
    }

    #[test]
    fn values_and_numbers_of_other_compiles_are_kept() {
        let big = COUNTER_STRIDE + 5;
        let earlier = big - COUNTER_STRIDE / 2;
        let cpp = format!(
            "auto a(_jank_int({big}LL)); auto b(_jank_symbol(\"\", \"user-G__{big}\")); int ext_7(); /* x_{big} */ auto c = R\"(y_{big})\"; char d = '_'; auto x__{earlier}__auto__(1);"
        );
        assert_eq!(key_text(&cpp, &[]), cpp, "no count at the end: the text");
        let cpp = format!("{cpp} jank_ns_set_symbol_counter(\"user\", {big});");
        let key = key_text(&cpp, &[]);
        assert_eq!(
            key,
            cpp.replace(&format!("\"user\", {big})"), "\"user\", #5)"),
            "only the count changes"
        );
        assert_ne!(
            key_text(&cpp, &[]),
            key_text(&cpp.replace(&big.to_string(), &(big + 1).to_string()), &[]),
            "a different literal is a different patch"
        );
    }

    #[test]
    fn the_renaming_is_one_to_one() {
        let end = |base: u64| format!(" jank_ns_set_symbol_counter(\"user\", {});", base + 2);
        let a = format!(
            "f_{x}_0(); f_{y}_0();{}",
            end(COUNTER_STRIDE),
            x = COUNTER_STRIDE + 1,
            y = COUNTER_STRIDE + 2
        );
        let b = format!(
            "f_{x}_0(); f_{x}_0();{}",
            end(3 * COUNTER_STRIDE),
            x = 3 * COUNTER_STRIDE + 1
        );
        assert_ne!(key_text(&a, &[]), key_text(&b, &[]));
        // A number of an earlier compile is not a number of this one.
        let c = format!(
            "f_{x}_0(); f_{y}_0();{}",
            end(3 * COUNTER_STRIDE),
            x = 3 * COUNTER_STRIDE + 1,
            y = COUNTER_STRIDE + 1
        );
        assert_ne!(key_text(&c, &[]), key_text(&b, &[]));
    }
}
