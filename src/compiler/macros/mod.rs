//! The core macros, as form-to-form rewrites done before analysis (the
//! analyzer only sees special forms). Each macro takes the whole call form and
//! returns its expansion.
//!
//! Expansions are made of special forms and calls of core functions by their qualified names
//! (`clojure.core/nth`), so a user's local or var of the same name can't change their meaning.
//! Where an expansion needs another macro (`let` inside `if-let`, `fn` inside `for`), it is
//! expanded here rather than emitted as a call, for the same reason. Macros that bind names
//! destructure through `destructure`, so every binding form takes the same patterns.

mod bindings;
mod conditionals;
mod defs;
mod laziness;
mod loops;
mod output;
mod threading;
mod types;

use defs::lambda;

use super::CompileError;
use super::destructure;
use super::form::{
    BindingVectorError, Form, FormKind, Pos, call, do_form, gensym, keyword, nil, quote,
    split_binding_vector, symbol, vector,
};

pub type Expander = fn(&Form, &[Form]) -> std::result::Result<Form, CompileError>;

type Result<T> = std::result::Result<T, CompileError>;

/// A core macro: its `clojure.core` name, what `info` and `eldoc` say of it, and its expander.
pub struct Macro {
    pub name: &'static str,
    pub arglists: &'static str,
    pub doc: &'static str,
    pub expand: Expander,
}

/// Every macro the compiler expands, family by family.
pub fn all() -> impl Iterator<Item = &'static Macro> {
    [
        defs::MACROS,
        bindings::MACROS,
        conditionals::MACROS,
        threading::MACROS,
        loops::MACROS,
        output::MACROS,
        types::MACROS,
        laziness::MACROS,
    ]
    .into_iter()
    .flatten()
}

/// The `clojure.core` macro `name`.
pub fn find(name: &str) -> Option<&'static Macro> {
    all().find(|m| m.name == name)
}

/// The expander for a `clojure.core` macro name.
pub fn lookup(name: &str) -> Option<Expander> {
    find(name).map(|m| m.expand)
}

/// True if `name` is a macro the compiler expands (for `info` and resolution).
pub fn is_macro(name: &str) -> bool {
    find(name).is_some()
}

fn error(form: &Form, message: impl Into<String>) -> CompileError {
    CompileError::new(message, form.pos)
}

/// Clojure's arity error for a macro called with the wrong number of arguments.
fn wrong_args(form: &Form, name: &str, count: usize) -> CompileError {
    error(
        form,
        format!("Wrong number of args ({count}) passed to: clojure.core/{name}"),
    )
}

/// `(fn* [] body...)`.
fn thunk(pos: Pos, body: &[Form]) -> Form {
    let mut items = vec![vector(pos, Vec::new())];
    items.extend(body.iter().cloned());
    call(pos, "fn*", items)
}

/// `(let* [name value] body)`.
fn let_once(pos: Pos, name: &Form, value: &Form, body: Form) -> Form {
    call(
        pos,
        "let*",
        vec![vector(pos, vec![name.clone(), value.clone()]), body],
    )
}

fn is_keyword(form: &Form, name: &str) -> bool {
    matches!(&form.kind, FormKind::Keyword(k) if k.ns.is_none() && k.name == name)
}

/// What a macro without a default does when nothing matched: throw, with Clojure's message.
fn no_matching_clause(pos: Pos, value: &Form) -> Form {
    let message = call(
        pos,
        "clojure.core/str",
        vec![
            Form::new(FormKind::Str("No matching clause: ".into()), pos),
            value.clone(),
        ],
    );
    let class = Form::new(
        FormKind::Symbol(crate::compiler::form::Symbol::simple(
            "java.lang.IllegalArgumentException",
        )),
        pos,
    );
    let error = call(pos, "new", vec![class, message]);
    call(pos, "throw", vec![error])
}

/// A macro's leading binding vector with an even number of forms, and the forms after it.
fn binding_vector<'a>(
    form: &Form,
    args: &'a [Form],
    what: &str,
) -> Result<(&'a [Form], &'a [Form])> {
    split_binding_vector(args).map_err(|problem| match problem {
        BindingVectorError::NotAVector => {
            error(form, format!("{what} requires a vector for its binding"))
        }
        BindingVectorError::OddCount => error(
            form,
            format!("{what} requires an even number of forms in binding vector"),
        ),
    })
}

/// The `[binding-form init]` of `if-let`, `dotimes` and the like.
fn binding_pair<'a>(form: &Form, binding: &'a Form, what: &str) -> Result<(&'a Form, &'a Form)> {
    let FormKind::Vector(pair) = &binding.kind else {
        return Err(error(
            form,
            format!("{what} requires a vector for its binding"),
        ));
    };
    match pair.as_slice() {
        [pattern, init] => Ok((pattern, init)),
        _ => Err(error(
            form,
            format!("{what} requires exactly 2 forms in binding vector"),
        )),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::compiler::Compiler;
    use crate::compiler::form::Symbol;
    use crate::compiler::reader::Reader;

    /// The first form of `code`, read in `user`.
    pub(crate) fn read(code: &str) -> Form {
        let compiler = Compiler::new();
        Reader::new(code, 1, 1)
            .next_form(&compiler.read_context("user"))
            .expect("reads")
            .expect("has a form")
    }

    /// Expands the macro call `code` once: its text with gensyms numbered in order of
    /// appearance, or the error message.
    fn expand(code: &str) -> std::result::Result<String, String> {
        let form = read(code);
        let FormKind::List(items) = &form.kind else {
            panic!("not a call: {code}")
        };
        let name = &items[0].as_symbol().expect("a macro name").name;
        let expander = lookup(name).unwrap_or_else(|| panic!("no macro {name}"));
        match expander(&form, &items[1..]) {
            Ok(expansion) => Ok(number_gensyms(&expansion.to_string())),
            Err(error) => Err(error.message),
        }
    }

    fn expands_to(code: &str, expected: &str) {
        assert_eq!(expand(code).as_deref(), Ok(expected), "{code}");
    }

    fn fails_with(code: &str, expected: &str) {
        assert_eq!(expand(code), Err(expected.to_string()), "{code}");
    }

    /// `text` with each gensym (`vec__123__auto__`) renamed by order of first appearance
    /// (`vec__1`), so expected texts don't depend on which tests ran before.
    pub(crate) fn number_gensyms(text: &str) -> String {
        let mut seen: Vec<String> = Vec::new();
        let mut out = String::new();
        let mut token = String::new();
        for c in text.chars() {
            if c.is_whitespace() || "()[]{},".contains(c) {
                out.push_str(&renumber(&token, &mut seen));
                token.clear();
                out.push(c);
            } else {
                token.push(c);
            }
        }
        out.push_str(&renumber(&token, &mut seen));
        out
    }

    fn renumber(token: &str, seen: &mut Vec<String>) -> String {
        let gensym_prefix = token
            .strip_suffix("__auto__")
            .and_then(|stem| stem.rsplit_once("__"))
            .filter(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(prefix, _)| prefix);
        let Some(prefix) = gensym_prefix else {
            return token.to_string();
        };
        let index = match seen.iter().position(|t| t == token) {
            Some(index) => index,
            None => {
                seen.push(token.to_string());
                seen.len() - 1
            }
        };
        format!("{prefix}__{}", index + 1)
    }

    use crate::compiler::tests::compile_all;

    fn compile_error(code: &str) -> String {
        compile_all(&mut Compiler::new(), code)
            .expect_err("should not compile")
            .message
    }

    #[test]
    fn every_macro_is_documented_and_listed_once() {
        let names: Vec<&str> = all().map(|m| m.name).collect();
        let distinct: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(distinct.len(), names.len(), "a macro is listed twice");
        for m in all() {
            assert!(
                m.arglists.starts_with('(') && !m.doc.is_empty(),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn let_destructures_into_plain_bindings() {
        expands_to("(let [a 1 b a] b)", "(let* [a 1 b a] b)");
        expands_to(
            "(let [[a & r :as all] v {:keys [c] :or {c 1}} m] [a c])",
            "(let* [vec__1 v a (clojure.core/nth vec__1 0 nil) r (clojure.core/nthnext vec__1 1) \
             all vec__1 map__2 m map__2 (if (clojure.core/seq? map__2) (if (clojure.core/next map__2) \
             (clojure.core/apply clojure.core/array-map map__2) (if (clojure.core/seq map__2) \
             (clojure.core/first map__2) {})) map__2) c (clojure.core/get map__2 :c 1)] [a c])",
        );
        fails_with("(let [1 2] 1)", "Unsupported binding form: 1");
        fails_with(
            "(let [a] a)",
            "let requires an even number of forms in binding vector",
        );
        fails_with("(let a a)", "let requires a vector for its binding");
    }

    #[test]
    fn fn_params_that_are_patterns_become_gensyms_destructured_by_a_let() {
        expands_to("(fn [a & more] more)", "(fn* ([a & more] more))");
        expands_to(
            "(fn f ([] 0) ([[a] & {:keys [b]}] (recur a b)))",
            "(fn* f ([] 0) ([p__1 & p__2] (let* [vec__3 p__1 a (clojure.core/nth vec__3 0 nil) \
             map__4 p__2 map__4 (if (clojure.core/seq? map__4) (if (clojure.core/next map__4) \
             (clojure.core/apply clojure.core/array-map map__4) (if (clojure.core/seq map__4) \
             (clojure.core/first map__4) {})) map__4) b (clojure.core/get map__4 :b)] (recur a b))))",
        );
        fails_with("(fn)", "Parameter declaration missing");
        fails_with("(fn a b)", "Parameter declaration b should be a vector");
        fails_with("(fn ([a] a) b)", "Invalid signature b should be a list");
        fails_with(
            "(fn ((a) a))",
            "Parameter declaration (a) should be a vector",
        );
    }

    #[test]
    fn defn_keeps_the_written_arglists_and_drops_a_trailing_attr_map() {
        expands_to(
            "(defn g \"doc\" {:added 1} ([[a]] a) ([a b] b) {:ignored true})",
            "(def g (fn* ([p__1] (let* [vec__2 p__1 a (clojure.core/nth vec__2 0 nil)] a)) ([a b] b)))",
        );
        let mut compiler = Compiler::new();
        compile_all(
            &mut compiler,
            "(defn g \"doc\" {:added 1} ([[a]] a) ([a {:keys [b]}] b) {:ignored true})
             (defn- h [& {:as opts}] opts)",
        )
        .expect("compiles");
        let var = |name: &str| {
            let slot = compiler
                .namespaces()
                .resolve_var("user", &Symbol::simple(name))
                .expect("defined");
            compiler.namespaces().var(slot).clone()
        };
        assert_eq!(
            var("g").arglists.as_deref(),
            Some("([[a]] [a {:keys [b]}])")
        );
        assert_eq!(var("g").doc.as_deref(), Some("doc"));
        assert_eq!(var("h").arglists.as_deref(), Some("([& {:as opts}])"));
    }

    #[test]
    fn loop_with_patterns_rebinds_gensyms_and_destructures_inside() {
        expands_to("(loop [a 1] (recur a))", "(loop* [a 1] (recur a))");
        expands_to(
            "(loop [[a] xs n 0] (recur (next xs) (inc n)))",
            "(let* [loop__1 xs vec__2 loop__1 a (clojure.core/nth vec__2 0 nil) n 0] \
             (loop* [loop__1 loop__1 n n] (let* [vec__3 loop__1 a (clojure.core/nth vec__3 0 nil)] \
             (recur (next xs) (inc n)))))",
        );
        assert_eq!(
            compile_error("(loop [[a] [1] b 2] (recur [a]))"),
            "Mismatched argument count to recur, expected: 2 args, got: 1"
        );
    }

    #[test]
    fn conditional_bindings_destructure_what_they_test() {
        expands_to(
            "(if-let [[a] x] a :no)",
            "(let* [temp__1 x] (if temp__1 (let* [vec__2 temp__1 a (clojure.core/nth vec__2 0 nil)] a) :no))",
        );
        expands_to(
            "(when-some [a x] a b)",
            "(let* [temp__1 x] (if (clojure.core/nil? temp__1) nil (let* [a temp__1] (do a b))))",
        );
        expands_to(
            "(when-first [a xs] a)",
            "(let* [xs__1 (clojure.core/seq xs)] (if xs__1 (let* [a (clojure.core/first xs__1)] a) nil))",
        );
        fails_with(
            "(if-let [a 1 b 2] a)",
            "if-let requires exactly 2 forms in binding vector",
        );
        fails_with("(if-let a 1)", "if-let requires a vector for its binding");
        fails_with(
            "(if-let [a 1] 1 2 3)",
            "if-let requires 1 or 2 forms after binding vector",
        );
    }

    #[test]
    fn case_compares_unevaluated_constants_and_throws_without_a_default() {
        expands_to(
            "(case x 1 :one (2 3) :few \"s\" :str sym :sym [v] :vec :other)",
            "(let* [case__1 x] (if (clojure.core/= case__1 1) :one \
             (if (if (clojure.core/= case__1 2) true (clojure.core/= case__1 3)) :few \
             (if (clojure.core/= case__1 \"s\") :str (if (clojure.core/= case__1 (quote sym)) :sym \
             (if (clojure.core/= case__1 (quote [v])) :vec :other))))))",
        );
        expands_to(
            "(case x 1 :one)",
            "(let* [case__1 x] (if (clojure.core/= case__1 1) :one \
             (throw (new java.lang.IllegalArgumentException (clojure.core/str \"No matching clause: \" case__1)))))",
        );
        fails_with("(case x 1 :a (2 1) :b)", "Duplicate case test constant: 1");
    }

    #[test]
    fn condp_calls_the_predicate_per_clause() {
        expands_to(
            "(condp = x 1 :one 2 :>> inc :none)",
            "(let* [pred__1 = expr__2 x] (if (pred__1 1 expr__2) :one \
             (let* [p__3 (pred__1 2 expr__2)] (if p__3 (inc p__3) :none))))",
        );
        expands_to(
            "(condp = x 1 :one)",
            "(let* [pred__1 = expr__2 x] (if (pred__1 1 expr__2) :one \
             (throw (new java.lang.IllegalArgumentException (clojure.core/str \"No matching clause: \" expr__2)))))",
        );
    }

    #[test]
    fn threading_macros() {
        expands_to("(-> x (f 1) g)", "(g (f x 1))");
        expands_to("(->> x (f 1) g)", "(g (f 1 x))");
        expands_to(
            "(cond-> x a inc b (* 2))",
            "(let* [cond__1 x cond__1 (if a (inc cond__1) cond__1)] (if b (* cond__1 2) cond__1))",
        );
        expands_to(
            "(cond->> x a (map inc))",
            "(let* [cond__1 x] (if a (map inc cond__1) cond__1))",
        );
        expands_to(
            "(some-> x :a (f 1))",
            "(let* [some__1 x some__1 (if (clojure.core/nil? some__1) nil (:a some__1))] \
             (if (clojure.core/nil? some__1) nil (f some__1 1)))",
        );
        expands_to(
            "(some->> x (f 1))",
            "(let* [some__1 x] (if (clojure.core/nil? some__1) nil (f 1 some__1)))",
        );
        expands_to(
            "(as-> 1 y (inc y) (* y 2))",
            "(let* [y 1 y (inc y)] (* y 2))",
        );
        expands_to(
            "(doto x (f 1) g)",
            "(let* [doto__1 x] (f doto__1 1) (g doto__1) doto__1)",
        );
        expands_to("(.. x f (g 1))", "(. (. x f) (g 1))");
        fails_with("(cond-> x a)", "Assert failed: (even? (count clauses))");
    }

    #[test]
    fn letfn_names_each_fn_after_its_binding() {
        expands_to(
            "(letfn [(f [x] (g x)) (g ([[y]] y))] (f 1))",
            "(letfn* [f (fn* f ([x] (g x))) g (fn* g ([p__1] (let* [vec__2 p__1 y \
             (clojure.core/nth vec__2 0 nil)] y)))] (f 1))",
        );
        fails_with(
            "(letfn [f] 1)",
            "letfn binding must be a function spec (name [params] body...), not f",
        );
    }

    #[test]
    fn loops_while_and_dotimes() {
        expands_to(
            "(while (p) (a) (b))",
            "(loop* [] (if (p) (do (a) (b) (recur)) nil))",
        );
        expands_to(
            "(dotimes [i 3] (print i))",
            "(let* [n__1 (clojure.core/long 3)] (loop* [i 0] (if (clojure.core/< i n__1) \
             (do (print i) (recur (clojure.core/inc i))) nil)))",
        );
        fails_with(
            "(dotimes [i] 1)",
            "dotimes requires exactly 2 forms in binding vector",
        );
    }

    #[test]
    fn doseq_nests_eager_loops_with_modifiers() {
        expands_to(
            "(doseq [x xs] (f x))",
            "(loop* [seq__1 (clojure.core/seq xs)] (if seq__1 (let* [x (clojure.core/first seq__1)] \
             (do (f x) (recur (clojure.core/next seq__1)))) nil))",
        );
        expands_to(
            "(doseq [x xs :let [y x] :when y z ys :while z] (f x z))",
            "(loop* [seq__1 (clojure.core/seq xs)] (if seq__1 (let* [x (clojure.core/first seq__1)] \
             (let* [y x] (if y (do (loop* [seq__2 (clojure.core/seq ys)] (if seq__2 \
             (let* [z (clojure.core/first seq__2)] (if z (do (f x z) (recur (clojure.core/next seq__2))) nil)) \
             nil)) (recur (clojure.core/next seq__1))) (recur (clojure.core/next seq__1))))) nil))",
        );
        fails_with(
            "(doseq [x xs :until x] x)",
            "Invalid 'doseq' keyword :until",
        );
    }

    #[test]
    fn for_builds_a_lazy_seq_from_map_and_mapcat() {
        expands_to("(for [x xs] x)", "(clojure.core/map (fn* ([x] x)) xs)");
        expands_to(
            "(for [[a b] xs :let [c (+ a b)] :when (odd? c)] c)",
            "(clojure.core/mapcat (fn* ([p__1] (let* [vec__2 p__1 a (clojure.core/nth vec__2 0 nil) \
             b (clojure.core/nth vec__2 1 nil)] (let* [c (+ a b)] (if (odd? c) (clojure.core/list c) nil))))) xs)",
        );
        expands_to(
            "(for [x xs y ys :while y] [x y])",
            "(clojure.core/mapcat (fn* ([x] (clojure.core/mapcat clojure.core/identity \
             (clojure.core/take-while (clojure.core/complement clojure.core/false?) \
             (clojure.core/map (fn* ([y] (if y (clojure.core/list [x y]) false))) ys))))) xs)",
        );
        fails_with(
            "(for [:when x] x)",
            "for bindings must start with a binding form, not :when",
        );
        fails_with(
            "(for [x xs] x x)",
            "Wrong number of args (3) passed to: clojure.core/for",
        );
    }

    /// Every macro in use, including the forms of the shared conformance corpus: the
    /// expansions must analyze and emit valid wasm.
    #[test]
    fn expansions_compile_to_valid_wasm() {
        let code = r#"
            (let [[a b & more] [1 2 3 4]] [a b more])
            (let [{:keys [a b] :or {b 5}} {:a 1}] [a b])
            (let [[a [b c]] [1 [2 3]] {x :x {y :y} :m} {:x 4 :m {:y 5}}] [a b c x y])
            (defn pt [{:keys [x y]}] (+ x y))
            (let [[a :as all] [1 2]] [a all])
            (let [{a :a [b] :bc :keys [d] :strs [e] :syms [f] :x/keys [g] :as m} {}] [a b d e f g m])
            (defn kw [x & {:keys [a b] :or {b 2}}] [x a b])
            (defn- mm ([[a b]] (+ a b)) ([x {:keys [y]}] (* x y)) ([x y & [z]] [x y z]))
            ((fn [[x & xs] acc] (if x (recur xs (+ acc x)) acc)) [1 2 3] 0)
            (loop [[x & xs] [1 2 3] acc []] (if x (recur xs (conj acc x)) acc))
            [(if-let [[a] [1]] a) (when-let [{:keys [a]} {:a 1}] a) (if-some [x false] x) (when-some [x 1] x)]
            (when-first [[a] [[1]]] a)
            (let [n (atom 0)] (while (< @n 3) (swap! n inc)))
            (dotimes [i 3] (print i))
            (doseq [x [1 2]] (println x))
            (doseq [x [1 2 3] :let [y x] :when (odd? y) z [y] :while z] (print x z))
            (for [x [1 2] y [:a :b]] [x y])
            (for [x (range 6) :when (even? x)] x)
            (take 3 (for [x (range)] x))
            (for [[a b] {:a 1} :let [c [a b]] y [c] :while y] y)
            [(case 2 1 :one 2 :two :other) (case 9 1 :one :other) (case :b (:a :b) :ab :no) (case 1 1 :a)]
            [(-> 5 inc (* 2)) (->> [1 2 3] (map inc) (reduce +))]
            [(condp = 1 1 :a) (condp some [1] #{1} :>> inc :none)]
            [(cond-> 1 true inc) (cond->> [1] true (map inc)) (some-> {:a 1} :a inc) (some->> [1] (map inc))]
            (as-> 1 x (inc x) [x])
            (doto (atom 0) (swap! inc))
            (letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] (ev? 10))
            (cond false 1 :else 2)
            (and 1 2) (or nil 2) (when 1 2) (when-not 1 2) (if-not 1 2 3) (comment x) (declare later)
        "#;
        compile_all(&mut Compiler::new(), code).expect("compiles");
    }
}
