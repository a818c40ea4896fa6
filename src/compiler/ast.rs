//! The analyzer's output: a tree of small node kinds, one per special form
//! (macros are expanded before analysis). Locals are numbered per wasm
//! function; vars are referred to by their slot.

use super::footprint::FootprintBuilder;
use super::namespace::Slot;

/// A local binding (fn parameter, `let`/`loop` name) in the function being
/// compiled; the emitter maps it to a wasm local.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// A constant in the patch's constant table, in its JSON encoding
/// (docs/patch-abi.md).
pub type Constant = serde_json::Value;

/// Operations the runtime provides as direct imports, used instead of a var
/// call: two-argument arithmetic (`+ - * / quot rem mod`) and comparisons,
/// `inc`, `dec`, `long`, the number tests `zero? pos? neg? even? odd?`, and a
/// keyword called on a map (`(:k m)`, `(:k m not-found)`; the keyword first).
/// On primitive longs the emitter does most of them in wasm instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Intrinsic {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Gt,
    Lte,
    Gte,
    NumEq,
    Equiv,
    Inc,
    Dec,
    KeywordGet,
    KeywordGetOr,
    /// `(long x)`.
    Long,
    Quot,
    Rem,
    Mod,
    IsZero,
    IsPos,
    IsNeg,
    IsEven,
    IsOdd,
}

impl Intrinsic {
    /// The intrinsic for a call of `clojure.core/name` with `argc` arguments.
    pub fn for_core_fn(name: &str, argc: usize) -> Option<Intrinsic> {
        Some(match (name, argc) {
            ("+", 2) => Intrinsic::Add,
            ("-", 2) => Intrinsic::Sub,
            ("*", 2) => Intrinsic::Mul,
            ("/", 2) => Intrinsic::Div,
            ("<", 2) => Intrinsic::Lt,
            (">", 2) => Intrinsic::Gt,
            ("<=", 2) => Intrinsic::Lte,
            (">=", 2) => Intrinsic::Gte,
            ("==", 2) => Intrinsic::NumEq,
            ("=", 2) => Intrinsic::Equiv,
            ("inc", 1) => Intrinsic::Inc,
            ("dec", 1) => Intrinsic::Dec,
            ("long", 1) => Intrinsic::Long,
            ("quot", 2) => Intrinsic::Quot,
            ("rem", 2) => Intrinsic::Rem,
            ("mod", 2) => Intrinsic::Mod,
            ("zero?", 1) => Intrinsic::IsZero,
            ("pos?", 1) => Intrinsic::IsPos,
            ("neg?", 1) => Intrinsic::IsNeg,
            ("even?", 1) => Intrinsic::IsEven,
            ("odd?", 1) => Intrinsic::IsOdd,
            _ => return None,
        })
    }

    /// Whether it is arithmetic that gives a long for longs (with
    /// Clojure's overflow checks).
    pub fn is_long_arithmetic(self) -> bool {
        matches!(
            self,
            Intrinsic::Add
                | Intrinsic::Sub
                | Intrinsic::Mul
                | Intrinsic::Inc
                | Intrinsic::Dec
                | Intrinsic::Quot
                | Intrinsic::Rem
                | Intrinsic::Mod
        )
    }

    /// Whether it is arithmetic whose long version, given a value that may
    /// not be a long (`LocalKind::MaybeLong`), checks it and falls back to
    /// the runtime's own op: `+`, `-`, `*`, `inc`, `dec`.
    pub fn keeps_maybe_long(self) -> bool {
        matches!(
            self,
            Intrinsic::Add | Intrinsic::Sub | Intrinsic::Mul | Intrinsic::Inc | Intrinsic::Dec
        )
    }

    /// The intrinsic for `(name a b c ...)`, applied pairwise from the left
    /// as Clojure's own inlining does: `(+ (+ a b) c)`.
    pub fn for_core_chain(name: &str, argc: usize) -> Option<Intrinsic> {
        match (name, argc) {
            ("+" | "*" | "-", 3..) => Intrinsic::for_core_fn(name, 2),
            _ => None,
        }
    }

    /// Whether it is a comparison or a test of values (a boolean).
    pub fn is_comparison(self) -> bool {
        self.test_import_name().is_some()
    }

    /// The import that answers this comparison as an i32 (for an `if`'s
    /// test), when it is one.
    pub fn test_import_name(self) -> Option<&'static str> {
        Some(match self {
            Intrinsic::Lt => "lt_test",
            Intrinsic::Gt => "gt_test",
            Intrinsic::Lte => "lte_test",
            Intrinsic::Gte => "gte_test",
            Intrinsic::NumEq => "num_eq_test",
            Intrinsic::Equiv => "equiv_test",
            Intrinsic::IsZero => "zero_test",
            Intrinsic::IsPos => "pos_test",
            Intrinsic::IsNeg => "neg_test",
            Intrinsic::IsEven => "even_test",
            Intrinsic::IsOdd => "odd_test",
            _ => return None,
        })
    }

    /// The runtime import's name (docs/patch-abi.md).
    pub fn import_name(self) -> &'static str {
        match self {
            Intrinsic::Add => "add",
            Intrinsic::Sub => "sub",
            Intrinsic::Mul => "mul",
            Intrinsic::Div => "div",
            Intrinsic::Lt => "lt",
            Intrinsic::Gt => "gt",
            Intrinsic::Lte => "lte",
            Intrinsic::Gte => "gte",
            Intrinsic::NumEq => "num_eq",
            Intrinsic::Equiv => "equiv",
            Intrinsic::Inc => "inc",
            Intrinsic::Dec => "dec",
            Intrinsic::KeywordGet => "keyword_get",
            Intrinsic::KeywordGetOr => "keyword_get_or",
            Intrinsic::Long => "long",
            Intrinsic::Quot => "quot",
            Intrinsic::Rem => "rem",
            Intrinsic::Mod => "mod",
            Intrinsic::IsZero => "zero",
            Intrinsic::IsPos => "pos",
            Intrinsic::IsNeg => "neg",
            Intrinsic::IsEven => "even",
            Intrinsic::IsOdd => "odd",
        }
    }
}

/// The `clojure.core` fns, with their argument counts, that walk their last
/// argument to the end (`Node::ConsumingCall`). The runtime's own list is the
/// `consumes(...)` calls of `assets/rt/core/*.js`; a call of a fn it does not
/// list is an ordinary call.
pub const CONSUMING_CORE_FNS: &[(&str, &[usize])] = &[
    ("reduce", &[2, 3]),
    ("transduce", &[3, 4]),
    ("into", &[2, 3]),
    ("run!", &[2]),
    ("dorun", &[1, 2]),
    ("count", &[1]),
    ("last", &[1]),
    ("some", &[2]),
    ("every?", &[2]),
    ("not-every?", &[2]),
    ("not-any?", &[2]),
];

/// Whether `(name ...)` with `argc` arguments is a consuming call.
pub fn is_consuming_core_fn(name: &str, argc: usize) -> bool {
    CONSUMING_CORE_FNS
        .iter()
        .any(|(consumer, counts)| *consumer == name && counts.contains(&argc))
}

#[derive(Clone, Debug)]
pub enum Node {
    /// A literal or quoted value.
    Const(Constant),
    /// nil, which needs no constant.
    Nil,
    /// A local of the current function.
    Local(LocalId),
    /// A local of an enclosing function, captured by the current fn.
    Captured(u32),
    /// The fn being compiled, referred to by its own name (`(fn f [] (f))`).
    SelfRef,
    /// A var's current value.
    VarValue(Slot),
    /// The var itself (`#'x`).
    TheVar(Slot),
    /// `(def x init)`: stores `init` in the var's slot and `meta` as the
    /// var's metadata; yields the var. With `once` (`defonce`), only when the
    /// var has no value yet.
    Def {
        slot: Slot,
        init: Option<Box<Node>>,
        once: bool,
        meta: Box<Node>,
    },
    /// `(set! var value)`: a new root for the var; yields the value.
    SetVar {
        slot: Slot,
        value: Box<Node>,
    },
    /// `(throw e)`.
    Throw(Box<Node>),
    /// `try`, run by the runtime: `body` and `finally` are fns of no
    /// arguments, `catches` a vector of class names and one-argument handler
    /// fns (or nil), `finally` nil when absent.
    Try {
        body: Box<Node>,
        catches: Box<Node>,
        finally: Box<Node>,
    },
    /// `js/name` (dots in `name` walk properties: `js/console.log`).
    JsGlobal(String),
    /// `(.-prop obj)`.
    JsGet {
        obj: Box<Node>,
        prop: String,
    },
    /// `(set! (.-prop obj) value)`; yields the value.
    JsSet {
        obj: Box<Node>,
        prop: String,
        value: Box<Node>,
    },
    /// `(.method obj args...)`; `args` is a vector node (or nil for none).
    JsCall {
        obj: Box<Node>,
        method: String,
        args: Box<Node>,
    },
    /// `(js/Ctor. args...)` or `(new js/Ctor args...)`.
    JsNew {
        ctor: Box<Node>,
        args: Box<Node>,
    },
    /// A field of a deftype or record instance (`(field* obj "a")`, a method's
    /// fields), read as it is (no interop conversion).
    FieldGet {
        obj: Box<Node>,
        field: String,
    },
    /// `(set! field value)` of a `^:mutable` field in a method; yields the value.
    FieldSet {
        obj: Box<Node>,
        field: String,
        value: Box<Node>,
    },
    /// `letfn*`: locals bound to fns that may refer to each other.
    LetFn {
        bindings: Vec<(LocalId, FnNode)>,
        body: Box<Node>,
    },
    If {
        test: Box<Node>,
        then: Box<Node>,
        otherwise: Box<Node>,
    },
    Do {
        statements: Vec<Node>,
        ret: Box<Node>,
    },
    Let {
        bindings: Vec<(LocalId, Node)>,
        body: Box<Node>,
    },
    Loop {
        bindings: Vec<(LocalId, Node)>,
        body: Box<Node>,
    },
    /// Rebinds the targets of the innermost `loop` or fn arity and jumps back.
    Recur {
        targets: Vec<LocalId>,
        args: Vec<Node>,
    },
    Fn(Box<FnNode>),
    Invoke {
        f: Box<Node>,
        args: Vec<Node>,
    },
    /// A call of a `clojure.core` fn that walks its last argument to the end
    /// (`reduce`, `count`, `into`, ...; `CONSUMING_CORE_FNS`): where that
    /// argument is a value no local keeps, the call hands it over outside its
    /// arguments, so that no frame holds the head of a lazy seq while it is
    /// walked (docs/patch-abi.md, "Handing over a seq").
    ConsumingCall {
        f: Box<Node>,
        args: Vec<Node>,
    },
    Intrinsic {
        op: Intrinsic,
        args: Vec<Node>,
    },
}

impl Node {
    /// Calls `f` on each child node evaluated in the same wasm function: not
    /// the bodies of nested fns, which are functions of their own (their
    /// captures, loaded where the fn is made, are children).
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Node)) {
        match self {
            Node::Const(_)
            | Node::Nil
            | Node::Local(_)
            | Node::Captured(_)
            | Node::SelfRef
            | Node::VarValue(_)
            | Node::TheVar(_)
            | Node::JsGlobal(_) => {}
            Node::Def { init, meta, .. } => {
                if let Some(init) = init {
                    f(init);
                }
                f(meta);
            }
            Node::SetVar { value, .. }
            | Node::Throw(value)
            | Node::JsGet { obj: value, .. }
            | Node::FieldGet { obj: value, .. } => f(value),
            Node::Try {
                body,
                catches,
                finally,
            } => {
                f(body);
                f(catches);
                f(finally);
            }
            Node::JsSet { obj, value, .. } | Node::FieldSet { obj, value, .. } => {
                f(obj);
                f(value);
            }
            Node::JsCall { obj, args, .. } => {
                f(obj);
                f(args);
            }
            Node::JsNew { ctor, args } => {
                f(ctor);
                f(args);
            }
            Node::LetFn { bindings, body } => {
                for (_, function) in bindings {
                    function.captures.iter().for_each(&mut f);
                }
                f(body);
            }
            Node::If {
                test,
                then,
                otherwise,
            } => {
                f(test);
                f(then);
                f(otherwise);
            }
            Node::Do { statements, ret } => {
                statements.iter().for_each(&mut f);
                f(ret);
            }
            Node::Let { bindings, body } | Node::Loop { bindings, body } => {
                bindings.iter().for_each(|(_, value)| f(value));
                f(body);
            }
            Node::Recur { args, .. } | Node::Intrinsic { args, .. } => args.iter().for_each(f),
            Node::Fn(function) => function.captures.iter().for_each(f),
            Node::Invoke { f: callee, args } | Node::ConsumingCall { f: callee, args } => {
                f(callee);
                args.iter().for_each(f);
            }
        }
    }
}

/// A fn value: its arities and the values it closes over.
#[derive(Clone, Debug)]
pub struct FnNode {
    /// How the fn prints and names itself in errors (`user/f`), if known.
    pub name: Option<String>,
    pub arities: Vec<FnArity>,
    /// For each captured value, how to load it where the fn is created.
    pub captures: Vec<Node>,
}

#[derive(Clone, Debug)]
pub struct FnArity {
    /// Parameters in order; for a variadic arity the last one gets the rest seq.
    pub params: Vec<LocalId>,
    pub variadic: bool,
    pub body: Node,
    /// How many locals (parameters included) the arity's code uses.
    pub local_count: u32,
}

impl FnNode {
    /// Whether the fn's code reads the fn itself (by its own name), directly
    /// or as a capture of a fn made inside it.
    pub fn refers_to_itself(&self) -> bool {
        fn reads_self(node: &Node) -> bool {
            let mut found = matches!(node, Node::SelfRef);
            node.for_each_child(|child| found = found || reads_self(child));
            found
        }
        self.arities.iter().any(|arity| reads_self(&arity.body))
    }
}

/// A whole top-level form, compiled as the patch's `run` function.
#[derive(Clone, Debug)]
pub struct TopLevel {
    pub body: Node,
    pub local_count: u32,
    /// The form as written (printed, shortened), for the runtime page.
    pub source: String,
    /// The classes and effects it defines and the classes it reads (the
    /// emitter adds the vars).
    pub footprint: FootprintBuilder,
}
