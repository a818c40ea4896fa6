//! Primitive longs: which locals of one wasm function can live as `i64`s,
//! and which expressions then yield an `i64` rather than a boxed value.
//!
//! A `let` or `loop` local is a primitive long when every value it is ever
//! given is one: a long literal, another such local, `(long x)`, or `+`, `-`,
//! `*`, `inc`, `dec` of such values (the `loop`'s `recur`s included). That is
//! Clojure's own rule for primitive locals (a `loop` whose `recur` passes a
//! non-long gets a boxed local). Such arithmetic and comparisons then run in
//! wasm, with Clojure's overflow checks, and a value is boxed only where it
//! leaves for the runtime. Fn parameters are boxed (callers pass any value),
//! but an arity whose code does arithmetic on its parameters gets a second
//! version of its code for when they are longs (`speculate`).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::super::ast::{Constant, Intrinsic, LocalId, Node};
use super::super::namespace::Slot;

/// What an expression leaves on the wasm stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    /// A primitive long (`i64`).
    Long,
    /// Nothing: it jumps (`recur`) or throws, so it fits any context.
    Never,
    /// A boxed value (`externref`).
    Boxed,
    /// A long unless the code met a value that is not one: an `i64` and an
    /// `externref` on the stack, the boxed value when that is not null (a
    /// fn's long version returning the result of its own recursive calls:
    /// `(+ (fib (- n 1)) (fib (- n 2)))`, where a redefined `fib` may
    /// return anything).
    MaybeLong,
}

impl LocalKind {
    fn long_or_never(self) -> bool {
        matches!(self, LocalKind::Long | LocalKind::Never)
    }
}

/// The calls of a fn's own var, inside its long version, that give a
/// `MaybeLong`: those with `argc` arguments whose arguments of `mask` (bit i
/// for argument i) are primitive longs, which call the long version again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SelfCall {
    pub slot: Slot,
    pub argc: usize,
    pub mask: u32,
}

/// The primitive-long locals of one wasm function.
#[derive(Debug, Default)]
pub struct LongLocals {
    locals: HashSet<LocalId>,
    /// In a long version that returns a `MaybeLong`: its calls of itself.
    self_call: Option<SelfCall>,
    /// Kinds found so far, by node (the tree is borrowed, never moved, while
    /// its function is emitted): the emitter asks for the kind of every
    /// `if` of a long `cond` chain, and each answer looks down the chain.
    kinds: RefCell<HashMap<*const Node, LocalKind>>,
}

impl LongLocals {
    /// Infers them for a function body; `params` are the function's
    /// parameters, which are always boxed.
    ///
    /// Starts from every `let`/`loop` local and drops each one given a value
    /// that is not a long, until nothing changes: what remains only ever
    /// holds longs, whichever order the code runs in.
    pub fn infer(body: &Node, params: &[LocalId]) -> LongLocals {
        LongLocals::infer_assuming(body, params, &[])
    }

    /// For a fn arity worth it, the parameters its code is compiled for as
    /// primitive longs, with the locals that then are: a second version of
    /// the code, run when the arguments of those parameters are longs (the
    /// arity's entry checks, and a caller that has them as primitive longs
    /// calls that version directly), so that `(defn fib [n] (if (< n 2) ...))`
    /// compares and subtracts in wasm. A parameter is a candidate when an
    /// arithmetic or a comparison takes it as an operand, and it stays one
    /// when every `recur` passes it a long; worth it is `min_uses` such uses.
    pub fn speculate(
        body: &Node,
        params: &[LocalId],
        min_uses: usize,
    ) -> Option<(Vec<LocalId>, LongLocals)> {
        let mut uses = Vec::new();
        numeric_operands(body, params, &mut uses);
        // Clojure's `quot` and `rem` of primitive longs say "/ by zero", of boxed ones
        // "Divide by zero": a long version would give the first where the second is due
        if uses.len() < min_uses.max(1) || divides(body) {
            return None;
        }
        uses.sort_by_key(|id| id.0);
        uses.dedup();
        let longs = LongLocals::infer_assuming(body, params, &uses);
        let assumed: Vec<LocalId> = uses.into_iter().filter(|id| longs.contains(*id)).collect();
        (!assumed.is_empty()).then_some((assumed, longs))
    }

    /// `infer`, with parameters `assumed` to come in as longs.
    fn infer_assuming(body: &Node, params: &[LocalId], assumed: &[LocalId]) -> LongLocals {
        let mut assignments = Vec::new();
        collect_assignments(body, &mut assignments);
        let mut longs = LongLocals {
            locals: assignments
                .iter()
                .filter(|a| a.binds)
                .map(|a| a.local)
                .filter(|id| !params.contains(id))
                .chain(assumed.iter().copied())
                .collect(),
            self_call: None,
            kinds: RefCell::default(),
        };
        // which assignments read each local: to look at again when it is dropped
        let mut readers: HashMap<LocalId, Vec<usize>> = HashMap::new();
        for (index, assignment) in assignments.iter().enumerate() {
            if let Some(value) = assignment.value {
                for_each_local_read(value, &mut |id| readers.entry(id).or_default().push(index));
            }
        }
        let mut pending: Vec<usize> = (0..assignments.len()).rev().collect();
        while let Some(index) = pending.pop() {
            let assignment = &assignments[index];
            if !longs.contains(assignment.local)
                || assignment
                    .value
                    .is_some_and(|v| longs.kind(v).long_or_never())
            {
                continue;
            }
            longs.locals.remove(&assignment.local);
            longs.kinds.borrow_mut().clear();
            if let Some(readers) = readers.get(&assignment.local) {
                pending.extend(readers.iter().copied());
            }
        }
        longs
    }

    /// Makes the calls `call` names give a `MaybeLong` (none: boxed).
    pub fn set_self_call(&mut self, call: Option<SelfCall>) {
        self.self_call = call;
        self.kinds.borrow_mut().clear();
    }

    pub fn contains(&self, id: LocalId) -> bool {
        self.locals.contains(&id)
    }

    /// What `node` yields when emitted as a long where it can be.
    pub fn kind(&self, node: &Node) -> LocalKind {
        let key = node as *const Node;
        if let Some(kind) = self.kinds.borrow().get(&key) {
            return *kind;
        }
        let kind = self.find_kind(node);
        self.kinds.borrow_mut().insert(key, kind);
        kind
    }

    fn find_kind(&self, node: &Node) -> LocalKind {
        match node {
            Node::Const(value) if literal_long(value).is_some() => LocalKind::Long,
            Node::Local(id) if self.contains(*id) => LocalKind::Long,
            Node::Recur { .. } | Node::Throw(_) => LocalKind::Never,
            Node::Intrinsic {
                op: Intrinsic::Long,
                ..
            } => LocalKind::Long,
            Node::Intrinsic { op, args } if op.is_long_arithmetic() => {
                match self.all_long(args, LocalKind::Long) {
                    LocalKind::Boxed if op.keeps_maybe_long() && self.none_boxed(args) => {
                        LocalKind::MaybeLong
                    }
                    kind => kind,
                }
            }
            Node::Invoke { f, args } if self.calls_itself(f, args) => LocalKind::MaybeLong,
            Node::If {
                then, otherwise, ..
            } => match (self.kind(then), self.kind(otherwise)) {
                (LocalKind::Never, LocalKind::Never) => LocalKind::Never,
                (a, b) if a.long_or_never() && b.long_or_never() => LocalKind::Long,
                (LocalKind::Boxed, _) | (_, LocalKind::Boxed) => LocalKind::Boxed,
                _ => LocalKind::MaybeLong,
            },
            Node::Do { ret, .. } => self.kind(ret),
            Node::Let { body, .. } => self.kind(body),
            _ => LocalKind::Boxed,
        }
    }

    /// Whether every argument is a long (or never returns): then `kind`.
    fn all_long(&self, args: &[Node], kind: LocalKind) -> LocalKind {
        match args.iter().all(|a| self.kind(a).long_or_never()) {
            true => kind,
            false => LocalKind::Boxed,
        }
    }

    /// Whether no argument is boxed.
    fn none_boxed(&self, args: &[Node]) -> bool {
        args.iter().all(|a| self.kind(a) != LocalKind::Boxed)
    }

    /// Whether calling `f` with `args` is a call of the long version's own
    /// var that goes to the long version again (`SelfCall`).
    fn calls_itself(&self, f: &Node, args: &[Node]) -> bool {
        let (Some(call), Node::VarValue(slot)) = (self.self_call, f) else {
            return false;
        };
        call.slot == *slot
            && call.argc == args.len()
            && args
                .iter()
                .enumerate()
                .all(|(i, arg)| call.mask & (1 << i) == 0 || self.kind(arg) == LocalKind::Long)
    }

    /// Whether a comparison intrinsic can compare its arguments as longs.
    pub fn compares_longs(&self, op: Intrinsic, args: &[Node]) -> bool {
        op.is_comparison() && self.all_long(args, LocalKind::Long) == LocalKind::Long
    }
}

/// One value a local is given: bound by `let`/`loop` (`binds`), or passed
/// by a `recur`, or bound to something never a long (`value` is `None`).
struct Assignment<'a> {
    local: LocalId,
    value: Option<&'a Node>,
    binds: bool,
}

/// Every value given to a local of this function (nested fns have locals of
/// their own, so their bodies are not entered).
fn collect_assignments<'a>(node: &'a Node, out: &mut Vec<Assignment<'a>>) {
    match node {
        Node::Let { bindings, body } | Node::Loop { bindings, body } => {
            for (local, value) in bindings {
                collect_assignments(value, out);
                out.push(Assignment {
                    local: *local,
                    value: Some(value),
                    binds: true,
                });
            }
            collect_assignments(body, out);
        }
        Node::Recur { targets, args } => {
            for (local, value) in targets.iter().zip(args) {
                collect_assignments(value, out);
                out.push(Assignment {
                    local: *local,
                    value: Some(value),
                    binds: false,
                });
            }
        }
        Node::LetFn { bindings, body } => {
            for (local, _) in bindings {
                out.push(Assignment {
                    local: *local,
                    value: None,
                    binds: false,
                });
            }
            collect_assignments(body, out);
        }
        _ => node.for_each_child(|child| collect_assignments(child, out)),
    }
}

/// The parameters (one entry per use) that an arithmetic or comparison of
/// this function takes as an operand.
fn numeric_operands(node: &Node, params: &[LocalId], out: &mut Vec<LocalId>) {
    if let Node::Intrinsic { op, args } = node
        && (op.is_long_arithmetic() || op.is_comparison())
    {
        for arg in args {
            if let Node::Local(id) = arg
                && params.contains(id)
            {
                out.push(*id);
            }
        }
    }
    node.for_each_child(|child| numeric_operands(child, params, out));
}

/// Whether this function's code has a `quot` or `rem`.
fn divides(node: &Node) -> bool {
    let mut found = matches!(
        node,
        Node::Intrinsic {
            op: Intrinsic::Quot | Intrinsic::Rem,
            ..
        }
    );
    node.for_each_child(|child| found = found || divides(child));
    found
}

/// Calls `f` on each local of this function that `node` reads.
fn for_each_local_read(node: &Node, f: &mut impl FnMut(LocalId)) {
    if let Node::Local(id) = node {
        f(*id);
    }
    node.for_each_child(|child| for_each_local_read(child, f));
}

/// The value of a long literal constant.
pub fn literal_long(value: &Constant) -> Option<i64> {
    value.get("long")?.as_str()?.parse().ok()
}
