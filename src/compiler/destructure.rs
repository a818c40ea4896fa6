//! Clojure's destructuring, as a rewrite into plain bindings.
//!
//! A binding form is a symbol, a vector pattern or a map pattern, nested at will. The analyzer
//! only knows `let*`, `loop*` and `fn*`, whose bindings are plain symbols, so every macro that
//! binds (`let`, `loop`, `fn`, `if-let`, `doseq`, `for`, ...) goes through here and gets the
//! same pairs Clojure's own `destructure` produces:
//!
//! - each intermediate value is bound once, to a gensym (`vec__N__auto__`, `map__N__auto__`);
//! - vector positions are read with `(clojure.core/nth v i nil)`, so a short sequence binds nil,
//!   and `& rest` with `(clojure.core/nthnext v i)`; `:as` binds the whole value;
//! - map entries are read with `clojure.core/get` (`:or` defaults as its not-found argument);
//!   `:keys`, `:strs`, `:syms` (also `:ns/keys`) name locals and keys at once; a seq bound to
//!   a map pattern (keyword arguments after `&`) is first made into a map.
//!
//! Expansions call core functions by their qualified names, so a user's local or var of the
//! same name can't change what they mean.

use super::CompileError;
use super::form::{Form, FormKind, Pos, Symbol};
use super::form::{call, gensym, nil, quote, symbol};

type Result<T> = std::result::Result<T, CompileError>;

/// `(let* [...] body...)` for `let`-style `bindings` (pattern, value, ...; the caller checked
/// the count is even), destructured into plain symbol bindings.
pub fn let_form(pos: Pos, bindings: &[Form], body: Vec<Form>) -> Result<Form> {
    let plain = plain_bindings(bindings)?;
    let mut items = vec![Form::new(FormKind::Vector(plain), pos)];
    items.extend(body);
    Ok(call(pos, "let*", items))
}

/// The plain `symbol value ...` bindings that bind each pattern of `bindings` in order.
pub fn plain_bindings(bindings: &[Form]) -> Result<Vec<Form>> {
    let mut binder = Binder::default();
    for pair in bindings.chunks(2) {
        let [pattern, value] = pair else {
            unreachable!("callers pass an even number of binding forms")
        };
        binder.bind(pattern, value.clone())?;
    }
    Ok(binder.bindings)
}

/// `loop` as Clojure expands it: without patterns, `(loop* [bindings] body...)`. With them,
/// each destructured value gets a gensym that `loop*` rebinds (so `recur` takes one argument per
/// binding, as written), and a `let*` inside the loop destructures the gensyms again on every
/// iteration. The initial values are bound (and destructured) outside first, because a later
/// initial value may use the names an earlier pattern binds.
pub fn loop_form(pos: Pos, bindings: &[Form], body: &[Form]) -> Result<Form> {
    if bindings.chunks(2).all(|pair| is_plain(&pair[0])) {
        let mut items = vec![Form::new(FormKind::Vector(bindings.to_vec()), pos)];
        items.extend(body.iter().cloned());
        return Ok(call(pos, "loop*", items));
    }
    let mut outer = Vec::new();
    let mut loop_bindings = Vec::new();
    let mut inner = Vec::new();
    for pair in bindings.chunks(2) {
        let [pattern, value] = pair else {
            unreachable!("callers pass an even number of binding forms")
        };
        if is_plain(pattern) {
            outer.extend([pattern.clone(), value.clone()]);
            loop_bindings.extend([pattern.clone(), pattern.clone()]);
        } else {
            let value_name = gensym(pos, "loop");
            outer.extend([
                value_name.clone(),
                value.clone(),
                pattern.clone(),
                value_name.clone(),
            ]);
            loop_bindings.extend([value_name.clone(), value_name.clone()]);
            inner.extend([pattern.clone(), value_name]);
        }
    }
    let inner_let = let_form(pos, &inner, body.to_vec())?;
    let loop_form = call(
        pos,
        "loop*",
        vec![Form::new(FormKind::Vector(loop_bindings), pos), inner_let],
    );
    let_form(pos, &outer, vec![loop_form])
}

/// One `fn*` arity, `([params] body...)`, from a param vector that may hold patterns: each
/// pattern becomes a gensym param (`p__N__auto__`, also after `&`), and the body is wrapped in a
/// `let*` that destructures them. `recur` still targets the params, as in Clojure.
pub fn fn_arity(pos: Pos, params: &Form, body: &[Form]) -> Result<Form> {
    let FormKind::Vector(param_forms) = &params.kind else {
        return Err(CompileError::new(
            format!("Parameter declaration {params} should be a vector"),
            params.pos,
        ));
    };
    let mut plain_params = Vec::new();
    let mut patterns = Vec::new();
    for param in param_forms {
        if is_plain(param) {
            plain_params.push(param.clone());
        } else {
            let name = gensym(pos, "p");
            plain_params.push(name.clone());
            patterns.extend([param.clone(), name]);
        }
    }
    let mut plain_vector = Form::new(FormKind::Vector(plain_params), params.pos);
    plain_vector.meta = params.meta.clone();
    let body = if patterns.is_empty() {
        body.to_vec()
    } else {
        vec![let_form(pos, &patterns, body.to_vec())?]
    };
    let mut items = vec![plain_vector];
    items.extend(body);
    Ok(Form::new(FormKind::List(items), pos))
}

/// True for a binding form that needs no destructuring: a symbol.
pub fn is_plain(pattern: &Form) -> bool {
    matches!(pattern.kind, FormKind::Symbol(_))
}

/// Collects the plain bindings of the patterns given to `bind`, in order.
#[derive(Default)]
struct Binder {
    bindings: Vec<Form>,
}

impl Binder {
    fn push(&mut self, name: Form, value: Form) {
        self.bindings.push(name);
        self.bindings.push(value);
    }

    /// Binds `pattern` to `value`, whatever kind of binding form it is.
    fn bind(&mut self, pattern: &Form, value: Form) -> Result<()> {
        match &pattern.kind {
            FormKind::Symbol(_) => {
                self.push(pattern.clone(), value);
                Ok(())
            }
            FormKind::Vector(items) => self.bind_vector(pattern.pos, items, value),
            FormKind::Map(entries) => self.bind_map(pattern.pos, entries, value),
            _ => Err(unsupported(pattern)),
        }
    }

    /// `[a b & rest :as all]`.
    fn bind_vector(&mut self, pos: Pos, items: &[Form], value: Form) -> Result<()> {
        let whole = gensym(pos, "vec");
        self.push(whole.clone(), value);
        let mut index = 0;
        let mut rest_bound = false;
        let mut items = items.iter();
        while let Some(item) = items.next() {
            if item.is_symbol_named("&") {
                let rest = follower(pos, items.next(), "&")?;
                let rest_value = call(
                    pos,
                    "clojure.core/nthnext",
                    vec![whole.clone(), int(pos, index)],
                );
                self.bind(rest, rest_value)?;
                rest_bound = true;
            } else if is_keyword(item, "as") {
                // As in Clojure, `:as` ends the pattern: anything after it is ignored.
                return self.bind(follower(pos, items.next(), ":as")?, whole);
            } else if rest_bound {
                return Err(CompileError::new(
                    "Unsupported binding form, only :as can follow & parameter",
                    item.pos,
                ));
            } else {
                let element = call(
                    pos,
                    "clojure.core/nth",
                    vec![whole.clone(), int(pos, index), nil(pos)],
                );
                self.bind(item, element)?;
                index += 1;
            }
        }
        Ok(())
    }

    /// `{a :a, [b] :b, :keys [c], :strs [d], :syms [e], :or {c 1}, :as m}`.
    fn bind_map(&mut self, pos: Pos, entries: &[(Form, Form)], value: Form) -> Result<()> {
        let map = gensym(pos, "map");
        self.push(map.clone(), value);
        self.push(map.clone(), seq_to_map(pos, &map));
        let lookup = Lookup {
            pos,
            map: &map,
            defaults: defaults(entries)?,
        };
        if let Some((_, name)) = entries.iter().find(|(key, _)| is_keyword(key, "as")) {
            self.bind(name, map.clone())?;
        }
        for (key, value) in entries {
            match &key.kind {
                FormKind::Keyword(k)
                    if k.ns.is_none() && matches!(k.name.as_str(), "as" | "or") => {}
                FormKind::Keyword(k) if matches!(k.name.as_str(), "keys" | "strs" | "syms") => {
                    self.bind_key_list(&lookup, k, value)?;
                }
                // `{a :a}`; Clojure also takes a keyword there, naming the local by its name.
                FormKind::Symbol(local) | FormKind::Keyword(local) => {
                    self.push(
                        symbol(pos, &local.name),
                        lookup.get(&local.name, value.clone()),
                    );
                }
                FormKind::Vector(_) | FormKind::Map(_) => {
                    self.bind(key, lookup.without_default(value.clone()))?;
                }
                _ => return Err(unsupported(key)),
            }
        }
        Ok(())
    }

    /// The names after `:keys`, `:strs` or `:syms` (or a namespaced `:ns/keys`): each binds the
    /// local of its name to the keyword, string or symbol key it spells.
    fn bind_key_list(&mut self, lookup: &Lookup, kind: &Symbol, names: &Form) -> Result<()> {
        let (FormKind::Vector(names) | FormKind::List(names)) = &names.kind else {
            return Err(CompileError::new(
                format!(":{kind} must be followed by a vector of names, not {names}"),
                names.pos,
            ));
        };
        for name in names {
            let (FormKind::Symbol(written) | FormKind::Keyword(written)) = &name.kind else {
                return Err(unsupported(name));
            };
            let key_symbol = Symbol {
                ns: kind.ns.clone().or_else(|| written.ns.clone()),
                name: written.name.clone(),
            };
            let key = match kind.name.as_str() {
                "keys" => Form::new(FormKind::Keyword(key_symbol), name.pos),
                "syms" => quote(name.pos, Form::new(FormKind::Symbol(key_symbol), name.pos)),
                // Clojure takes the string of what was written (`:strs [a]` looks up "a").
                _ => Form::new(FormKind::Str(name.to_string()), name.pos),
            };
            self.push(
                symbol(name.pos, &written.name),
                lookup.get(&written.name, key),
            );
        }
        Ok(())
    }
}

/// How a map pattern reads its entries: from the coerced map, with the `:or` defaults.
struct Lookup<'a> {
    pos: Pos,
    map: &'a Form,
    defaults: &'a [(Form, Form)],
}

impl Lookup<'_> {
    /// `(clojure.core/get map key default?)` for the local `local`.
    fn get(&self, local: &str, key: Form) -> Form {
        let default = self
            .defaults
            .iter()
            .find(|(name, _)| name.is_symbol_named(local))
            .map(|(_, default)| default.clone());
        let mut args = vec![self.map.clone(), key];
        args.extend(default);
        call(self.pos, "clojure.core/get", args)
    }

    fn without_default(&self, key: Form) -> Form {
        call(self.pos, "clojure.core/get", vec![self.map.clone(), key])
    }
}

/// The `:or` map of a map pattern (empty without one).
fn defaults(entries: &[(Form, Form)]) -> Result<&[(Form, Form)]> {
    match entries.iter().find(|(key, _)| is_keyword(key, "or")) {
        None => Ok(&[]),
        Some((
            _,
            Form {
                kind: FormKind::Map(defaults),
                ..
            },
        )) => Ok(defaults),
        Some((_, other)) => Err(CompileError::new(
            format!(":or must be followed by a map of defaults, not {other}"),
            other.pos,
        )),
    }
}

/// What Clojure 1.11 binds a map pattern to when the value is a seq (keyword arguments after
/// `&`): a map of its pairs in their order (an array map as if by assoc, whatever its size),
/// or the seq's only element (`(f {:a 1})` as well as `(f :a 1)`).
fn seq_to_map(pos: Pos, map: &Form) -> Form {
    let pairs_to_map = call(
        pos,
        "clojure.core/apply",
        vec![symbol(pos, "clojure.core/array-map"), map.clone()],
    );
    let only_element = call(
        pos,
        "if",
        vec![
            call(pos, "clojure.core/seq", vec![map.clone()]),
            call(pos, "clojure.core/first", vec![map.clone()]),
            Form::new(FormKind::Map(Vec::new()), pos),
        ],
    );
    let coerced = call(
        pos,
        "if",
        vec![
            call(pos, "clojure.core/next", vec![map.clone()]),
            pairs_to_map,
            only_element,
        ],
    );
    call(
        pos,
        "if",
        vec![
            call(pos, "clojure.core/seq?", vec![map.clone()]),
            coerced,
            map.clone(),
        ],
    )
}

/// The binding form after `&` or `:as`, which must be there.
fn follower<'a>(pos: Pos, next: Option<&'a Form>, after: &str) -> Result<&'a Form> {
    next.ok_or_else(|| {
        CompileError::new(
            format!("Unsupported binding form: {after} must be followed by a binding form"),
            pos,
        )
    })
}

fn is_keyword(form: &Form, name: &str) -> bool {
    matches!(&form.kind, FormKind::Keyword(k) if k.ns.is_none() && k.name == name)
}

fn int(pos: Pos, n: i64) -> Form {
    Form::new(FormKind::Int(n), pos)
}

/// Clojure's error for what can't be bound, printed as `str` would (a string without quotes).
fn unsupported(form: &Form) -> CompileError {
    let printed = match &form.kind {
        FormKind::Str(s) => s.clone(),
        _ => form.to_string(),
    };
    CompileError::new(format!("Unsupported binding form: {printed}"), form.pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::macros::tests::{number_gensyms, read};

    /// The plain bindings for the binding vector `code`, as text, or the error message.
    fn destructured(code: &str) -> std::result::Result<String, String> {
        let FormKind::Vector(bindings) = read(code).kind else {
            panic!("not a vector: {code}")
        };
        plain_bindings(&bindings)
            .map(|plain| {
                number_gensyms(&Form::new(FormKind::Vector(plain), Pos::default()).to_string())
            })
            .map_err(|error| error.message)
    }

    fn destructures_to(code: &str, expected: &str) {
        assert_eq!(destructured(code).as_deref(), Ok(expected), "{code}");
    }

    fn fails_with(code: &str, expected: &str) {
        assert_eq!(destructured(code), Err(expected.to_string()), "{code}");
    }

    /// How every map pattern's value is first made a map (`map__1` being its gensym).
    const AS_MAP: &str = "(if (clojure.core/seq? map__1) (if (clojure.core/next map__1) \
        (clojure.core/apply clojure.core/array-map map__1) (if (clojure.core/seq map__1) \
        (clojure.core/first map__1) {})) map__1)";

    #[test]
    fn symbols_bind_as_they_are() {
        destructures_to("[a 1 b a]", "[a 1 b a]");
    }

    #[test]
    fn vectors_read_positions_with_nth_and_the_rest_with_nthnext() {
        destructures_to(
            "[[a [b] & r :as all] v]",
            "[vec__1 v a (clojure.core/nth vec__1 0 nil) vec__2 (clojure.core/nth vec__1 1 nil) \
             b (clojure.core/nth vec__2 0 nil) r (clojure.core/nthnext vec__1 2) all vec__1]",
        );
        // As in Clojure, `:as` ends the pattern.
        destructures_to("[[:as all b] v]", "[vec__1 v all vec__1]");
        destructures_to(
            "[[a & {:keys [k]}] v]",
            &format!(
                "[vec__1 v a (clojure.core/nth vec__1 0 nil) map__2 (clojure.core/nthnext vec__1 1) map__2 {} \
                 k (clojure.core/get map__2 :k)]",
                AS_MAP.replace("map__1", "map__2")
            ),
        );
    }

    #[test]
    fn maps_read_entries_keys_strs_and_syms_with_defaults() {
        destructures_to(
            "[{a :a [b] :b :keys [c x/d :e] :strs [f] :syms [g y/h] :or {c 3 f 6} :as m} v]",
            &format!(
                "[map__1 v map__1 {AS_MAP} m map__1 a (clojure.core/get map__1 :a) \
                 vec__2 (clojure.core/get map__1 :b) b (clojure.core/nth vec__2 0 nil) \
                 c (clojure.core/get map__1 :c 3) d (clojure.core/get map__1 :x/d) e (clojure.core/get map__1 :e) \
                 f (clojure.core/get map__1 \"f\" 6) g (clojure.core/get map__1 (quote g)) \
                 h (clojure.core/get map__1 (quote y/h))]"
            ),
        );
        destructures_to(
            "[{:x/keys [a] :x/syms [b]} v]",
            &format!(
                "[map__1 v map__1 {AS_MAP} a (clojure.core/get map__1 :x/a) \
                 b (clojure.core/get map__1 (quote x/b))]"
            ),
        );
    }

    #[test]
    fn bad_binding_forms_are_rejected_with_clojures_words() {
        fails_with("[1 v]", "Unsupported binding form: 1");
        fails_with("[[a :k] v]", "Unsupported binding form: :k");
        fails_with("[{:keys [\"s\"]} v]", "Unsupported binding form: s");
        fails_with(
            "[[a & r b] v]",
            "Unsupported binding form, only :as can follow & parameter",
        );
        fails_with(
            "[[a &] v]",
            "Unsupported binding form: & must be followed by a binding form",
        );
        fails_with(
            "[{:keys a} v]",
            ":keys must be followed by a vector of names, not a",
        );
        fails_with(
            "[{:or [a 1]} v]",
            ":or must be followed by a map of defaults, not [a 1]",
        );
    }

    #[test]
    fn fn_arity_replaces_patterned_params_only() {
        let arity = |code: &str| {
            let FormKind::Vector(items) = read(code).kind else {
                panic!("not a vector")
            };
            let form = fn_arity(Pos::default(), &items[0], &items[1..]).expect("expands");
            number_gensyms(&form.to_string())
        };
        assert_eq!(arity("[[a b & c] (+ a b)]"), "([a b & c] (+ a b))");
        assert_eq!(
            arity("[[a [b]] b]"),
            "([a p__1] (let* [vec__2 p__1 b (clojure.core/nth vec__2 0 nil)] b))"
        );
    }

    #[test]
    fn loop_without_patterns_is_a_plain_loop() {
        let FormKind::Vector(bindings) = read("[a 1 b 2]").kind else {
            panic!("not a vector")
        };
        let form = loop_form(Pos::default(), &bindings, &[read("(recur a b)")]).expect("expands");
        assert_eq!(form.to_string(), "(loop* [a 1 b 2] (recur a b))");
    }
}
