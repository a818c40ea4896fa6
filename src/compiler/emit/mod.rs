//! The emitter: turns the AST of one top-level form into a patch module, with
//! one emit function per node kind. Values are `externref`s; everything a
//! value needs beyond control flow and locals is a runtime import
//! (docs/patch-abi.md). Vars are read and written through the shared table,
//! which is what makes redefinitions visible to earlier callers.

mod clearing;
mod counted;
mod longs;
mod maybe_long;
mod module;
mod volatiles;

use std::collections::HashMap;

use wasm_encoder::{BlockType, HeapType, Instruction, ValType};

use super::ast::{Constant, FnArity, FnNode, Intrinsic, LocalId, Node, TopLevel};
use super::constant;
use super::footprint::{Footprint, FootprintBuilder, Resource};
use super::namespace::{Namespaces, Slot};
use clearing::LastReads;
use longs::{LocalKind, LongLocals, SelfCall, literal_long};
use module::{CODE_STRIDE, DefinedFunction, ModuleBuilder, call_defined, return_call_defined};
/// The longs the runtime's `small_longs` table holds boxed (the runtime has the same numbers).
pub use module::{SMALL_LONG_COUNT, SMALL_LONG_MIN};
use volatiles::ScalarVolatile;

const E: ValType = ValType::EXTERNREF;
const I64: ValType = ValType::I64;
/// The shared var table is the patch's only table.
const VARS_TABLE: u32 = 0;

/// An emitted patch and its footprint.
pub struct Emitted {
    pub wasm: Vec<u8>,
    pub footprint: Footprint,
}

/// Emits the patch for `top_level`, compiled in namespace `ns`.
pub fn emit_patch(top_level: &TopLevel, ns: &str, namespaces: &Namespaces) -> Emitted {
    let mut emitter = Emitter {
        namespaces,
        module: ModuleBuilder::default(),
        recursion: Vec::new(),
        speculate_eagerly: false,
        functions: Vec::new(),
        speculations: HashMap::new(),
        footprint: top_level.footprint.clone(),
    };
    let longs = LongLocals::infer(&top_level.body, &[]);
    let last_reads = LastReads::find(&top_level.body, &[]);
    emitter.functions.push(FunctionEmitter::new(
        0,
        top_level.local_count,
        0,
        longs,
        last_reads,
    ));
    emitter.emit(&top_level.body);
    let run = emitter.functions.pop().expect("pushed above");
    let type_index = emitter.module.type_of(vec![], vec![E]);
    let entry = emitter.module.add_function(run.finish(type_index));
    Emitted {
        wasm: emitter
            .module
            .finish(entry, ns, &top_level.source, namespaces),
        footprint: emitter.footprint.finish(),
    }
}

struct Emitter<'a> {
    /// What the compiler knows of the vars (which are the runtime library's).
    namespaces: &'a Namespaces,
    module: ModuleBuilder,
    /// The fns `(def name (fn ...))` being emitted, innermost last.
    recursion: Vec<Recursion>,
    /// The next fn made is called right where it is made, or through a local
    /// bound to it: give its arities a long version at one numeric use of a
    /// parameter, not `SPECULATION_USES`.
    speculate_eagerly: bool,
    /// The functions being emitted; nested fns push one.
    functions: Vec<FunctionEmitter>,
    /// The primitive longs of each long version reserved and not yet
    /// emitted, by its function (found once, by `reserve_arity`).
    speculations: HashMap<u32, LongLocals>,
    footprint: FootprintBuilder,
}

/// A fn `(def name (fn ...))` stores, while its code is emitted.
struct Recursion {
    slot: Slot,
    /// Its arities, with the functions reserved for their code.
    arities: Vec<ArityCode>,
    /// The patch global that holds the var's version once this fn is stored
    /// (made by the first call that needs it).
    own_version: Option<u32>,
}

/// The wasm function of one arity of a fn the emitter made.
#[derive(Clone, Copy, Debug)]
struct ArityCode {
    params: usize,
    variadic: bool,
    /// Its index among the patch's defined functions.
    function: u32,
    /// The arity's long version, when it is speculated (`LongLocals::speculate`).
    long_entry: Option<LongEntry>,
}

/// The long version of a speculated arity: a function of its own, `(self,
/// p1..pn) -> E` with the parameters of `mask` (bit i for parameter i) as
/// `i64`s. Its entry checks the arguments and tail-calls it; a call that has
/// those arguments as primitive longs already calls it directly.
#[derive(Clone, Copy, Debug)]
struct LongEntry {
    function: u32,
    mask: u32,
    /// For the arity of a fn `(def name (fn ...))` stores whose code yields
    /// a long (or its own calls' results): its calls of the var that go to
    /// this version again, and that the version returns `(i64, externref)`,
    /// a `LocalKind::MaybeLong`, so that `fib`'s `+` adds in wasm.
    self_call: Option<SelfCall>,
}

impl LongEntry {
    fn takes_long(self, param: usize) -> bool {
        self.mask & (1 << param) != 0
    }
}

/// The arity of `arities` a call with `argc` arguments runs directly: a fixed
/// one of that many parameters (a variadic one goes through the runtime,
/// which builds its rest seq).
fn fixed_arity(arities: &[ArityCode], argc: usize) -> Option<ArityCode> {
    arities
        .iter()
        .find(|arity| !arity.variadic && arity.params == argc)
        .copied()
}

/// A read of a field of a local (`this.field` in a deftype method), which has
/// no effect but its value.
fn is_field_read(value: &Node) -> bool {
    matches!(value, Node::FieldGet { obj, .. } if matches!(**obj, Node::Local(_)))
}

/// Whether local `id` is read by any of the `later` bindings or by `body`.
fn read_after(id: LocalId, later: &[(LocalId, Node)], body: &Node) -> bool {
    fn reads(node: &Node, id: LocalId) -> bool {
        let mut found = matches!(node, Node::Local(read) if *read == id);
        node.for_each_child(|child| found = found || reads(child, id));
        found
    }
    later.iter().any(|(_, value)| reads(value, id)) || reads(body, id)
}

/// A `loop` (or fn arity) that `recur` jumps back to.
struct RecurTarget {
    /// The depth of its wasm `loop`.
    depth: u32,
    /// Its copy of the poll countdown (`emit_poll_countdown`), made by its first `recur`.
    countdown: Option<u32>,
    /// Whether its `recur`s poll for an interrupt (all but a counted loop's).
    polls: bool,
}

/// The code of one wasm function in progress.
struct FunctionEmitter {
    body: Vec<Instruction<'static>>,
    /// Wasm local index of `LocalId(0)`: 1 in fn arities (local 0 is `self`), 0 in `run`.
    local_base: u32,
    /// Open blocks (`if`, `loop`) around the instruction being emitted.
    depth: u32,
    /// The enclosing recur targets, innermost last.
    recur_targets: Vec<RecurTarget>,
    /// How many `LocalId`s the function has, and how many are parameters.
    local_count: u32,
    params: u32,
    /// The locals that hold primitive longs.
    longs: LongLocals,
    /// The reads after which a local's value is let go of.
    last_reads: LastReads,
    /// The locals bound (by `let` or `letfn`, never rebound) to a fn made
    /// here, with its arities: calls of them go straight to the arity's code.
    known_fns: HashMap<LocalId, Vec<ArityCode>>,
    /// The locals bound to a volatile kept as its value (`volatiles`).
    volatiles: HashMap<LocalId, ScalarVolatile>,
    /// Primitive-long locals known, where the code is, to be below some long
    /// (`(if (< i n) ...)`'s then-branch: `(inc i)` cannot overflow there),
    /// and above some long (`(dec i)` cannot).
    below_max: Vec<LocalId>,
    above_min: Vec<LocalId>,
    /// Scratch locals the emitter added after the `LocalId`s, by type.
    scratch: Vec<ValType>,
    /// Scratch locals free for reuse.
    free_scratch: Vec<u32>,
}

impl FunctionEmitter {
    fn new(
        local_base: u32,
        local_count: u32,
        params: u32,
        longs: LongLocals,
        last_reads: LastReads,
    ) -> Self {
        FunctionEmitter {
            body: Vec::new(),
            local_base,
            depth: 0,
            recur_targets: Vec::new(),
            local_count,
            params,
            longs,
            last_reads,
            known_fns: HashMap::new(),
            volatiles: HashMap::new(),
            below_max: Vec::new(),
            above_min: Vec::new(),
            scratch: Vec::new(),
            free_scratch: Vec::new(),
        }
    }

    fn local(&self, id: LocalId) -> u32 {
        self.local_base + id.0
    }

    /// A scratch local of type `ty`: a released one when there is one (a
    /// long chain of arithmetic must not grow the function's locals).
    fn scratch(&mut self, ty: ValType) -> u32 {
        let first = self.local_base + self.local_count;
        let free = self
            .free_scratch
            .iter()
            .position(|&index| self.scratch[(index - first) as usize] == ty);
        if let Some(position) = free {
            return self.free_scratch.swap_remove(position);
        }
        self.scratch.push(ty);
        first + self.scratch.len() as u32 - 1
    }

    /// Scratch locals whose values are no longer needed.
    fn release(&mut self, locals: &[u32]) {
        self.free_scratch.extend_from_slice(locals);
    }

    /// The finished function: its locals beyond the parameters are the
    /// `LocalId`s (primitive longs as `i64`) and then the scratch locals.
    fn finish(mut self, type_index: u32) -> DefinedFunction {
        self.body.push(Instruction::End);
        let mut locals: Vec<ValType> = (self.params..self.local_count)
            .map(|id| match self.longs.contains(LocalId(id)) {
                true => I64,
                false => E,
            })
            .collect();
        locals.extend(self.scratch);
        DefinedFunction {
            type_index,
            locals,
            body: self.body,
        }
    }
}

impl Emitter<'_> {
    fn out(&mut self) -> &mut FunctionEmitter {
        self.functions.last_mut().expect("always inside a function")
    }

    fn push(&mut self, instruction: Instruction<'static>) {
        self.out().body.push(instruction);
    }

    fn call_runtime(&mut self, name: &'static str, params: Vec<ValType>, results: Vec<ValType>) {
        let index = self.module.runtime_fn(name, params, results);
        self.push(Instruction::Call(index));
    }

    fn kind(&self, node: &Node) -> LocalKind {
        self.functions
            .last()
            .expect("always inside a function")
            .longs
            .kind(node)
    }

    fn emit(&mut self, node: &Node) {
        let computes_long = match node {
            // `(long x)` of a boxed `x` stays boxed: one call of the runtime's `long`
            Node::Intrinsic {
                op: Intrinsic::Long,
                args,
            } => args.iter().all(|arg| self.kind(arg) != LocalKind::Boxed),
            Node::Intrinsic { .. } | Node::If { .. } | Node::Let { .. } | Node::Do { .. } => true,
            _ => false,
        };
        if computes_long && self.kind(node) == LocalKind::Long {
            return self.emit_boxed_long(node);
        }
        if matches!(
            node,
            Node::Intrinsic { .. }
                | Node::If { .. }
                | Node::Let { .. }
                | Node::Do { .. }
                | Node::Invoke { .. }
        ) && self.kind(node) == LocalKind::MaybeLong
        {
            self.emit_maybe_long(node);
            return self.emit_maybe_long_boxed();
        }
        match node {
            Node::Const(value) => self.emit_const(value),
            Node::Nil => self.emit_nil(),
            Node::Local(id) => self.emit_read(node, *id),
            Node::Captured(index) => self.emit_captured(*index),
            Node::SelfRef => self.emit_self(),
            Node::VarValue(slot) => {
                self.note_read(*slot);
                self.emit_var_value(*slot);
            }
            Node::TheVar(slot) => {
                self.note_read(*slot);
                self.emit_the_var(*slot);
            }
            Node::Def {
                slot,
                init,
                once,
                meta,
            } => self.emit_def(*slot, init.as_deref(), *once, meta),
            Node::SetVar { slot, value } => self.emit_set_var(*slot, value),
            Node::Throw(value) => self.emit_throw(value),
            Node::Try {
                body,
                catches,
                finally,
            } => self.emit_try(body, catches, finally),
            Node::LetFn { bindings, body } => self.emit_letfn(bindings, body),
            Node::FieldGet { obj, field } => self.emit_field_get(obj, field),
            Node::FieldSet { obj, field, value } => self.emit_field_set(obj, field, value),
            Node::JsGlobal(name) => self.emit_js_global(name),
            Node::JsGet { obj, prop } => self.emit_js_get(obj, prop),
            Node::JsSet { obj, prop, value } => self.emit_js_set(obj, prop, value),
            Node::JsCall { obj, method, args } => self.emit_js_call(obj, method, args),
            Node::JsNew { ctor, args } => self.emit_js_new(ctor, args),
            Node::If {
                test,
                then,
                otherwise,
            } => self.emit_if(test, then, otherwise),
            Node::Do { statements, ret } => self.emit_do(statements, ret),
            Node::Let { bindings, body } => self.emit_let(bindings, body),
            Node::Loop { bindings, body } => self.emit_loop(bindings, body),
            Node::Recur { targets, args } => self.emit_recur(targets, args),
            Node::Fn(function) => {
                self.emit_fn(function);
            }
            Node::Invoke { f, args } => self.emit_invoke(f, args),
            Node::ConsumingCall { f, args } => self.emit_consuming_call(f, args),
            Node::Intrinsic { op, args } => self.emit_intrinsic(*op, args),
        }
    }

    fn emit_const(&mut self, value: &Constant) {
        let index = self.module.constant(value);
        self.push(Instruction::GlobalGet(index));
    }

    fn emit_nil(&mut self) {
        self.push(Instruction::RefNull(HeapType::EXTERN));
    }

    /// A read of a local in the code (`node`): the last one lets go of the
    /// value (`clearing`).
    fn emit_read(&mut self, node: &Node, id: LocalId) {
        self.emit_local(id);
        if self.lets_go(node, id) {
            let index = self.out().local(id);
            self.push(Instruction::RefNull(HeapType::EXTERN));
            self.push(Instruction::LocalSet(index));
        }
    }

    /// Whether `node`, a read of boxed local `id`, is its last.
    fn lets_go(&mut self, node: &Node, id: LocalId) -> bool {
        let out = self.out();
        out.last_reads.contains(node) && !out.longs.contains(id)
    }

    fn emit_local(&mut self, id: LocalId) {
        let index = self.out().local(id);
        self.push(Instruction::LocalGet(index));
        if self.out().longs.contains(id) {
            self.emit_box();
        }
    }

    /// A captured value is read from the running fn (`self`, local 0).
    fn emit_captured(&mut self, index: u32) {
        self.push(Instruction::LocalGet(0));
        self.push(Instruction::I32Const(index as i32));
        self.call_runtime("fn_captured", vec![E, ValType::I32], vec![E]);
    }

    fn emit_self(&mut self) {
        self.push(Instruction::LocalGet(0));
    }

    /// Notes that the code reads var `slot`, for the patch's footprint (its
    /// own definitions' plumbing is not a read).
    fn note_read(&mut self, slot: Slot) {
        let now = self.functions.len() == 1;
        self.footprint.read(Resource::Var(slot), now);
    }

    fn emit_var_value(&mut self, slot: Slot) {
        self.module.use_var(slot);
        self.push(Instruction::I32Const(slot as i32));
        self.push(Instruction::TableGet(VARS_TABLE));
    }

    fn emit_the_var(&mut self, slot: Slot) {
        self.module.use_var(slot);
        self.emit_const(&constant::var(slot));
    }

    fn emit_def(&mut self, slot: Slot, init: Option<&Node>, once: bool, meta: &Node) {
        self.module.use_var(slot);
        let Some(init) = init else {
            // `(def x)` is the var, which the code may look into (defmulti does).
            self.note_read(slot);
            self.emit_the_var(slot);
            return self.emit_var_meta(meta);
        };
        self.define_var(slot);
        if !once {
            self.emit_store_root(slot, init);
            return self.emit_var_meta(meta);
        }
        // defonce: only a var without a value gets one; the form is then the
        // var, else nil (as Clojure's `(let [v (def x)] (when-not (.hasRoot v)
        // (def x ...)))`, whose first `def` gives the var its metadata anyway).
        self.note_read(slot);
        self.emit_the_var(slot);
        self.emit_var_meta(meta);
        self.push(Instruction::Drop);
        self.emit_var_value(slot);
        self.call_runtime("is_unbound", vec![E], vec![ValType::I32]);
        self.push(Instruction::If(BlockType::Result(E)));
        self.out().depth += 1;
        self.emit_store_root(slot, init);
        self.push(Instruction::Else);
        self.emit_nil();
        self.push(Instruction::End);
        self.out().depth -= 1;
    }

    /// Gives the var on the stack its metadata (a `def` replaces it); leaves the var.
    fn emit_var_meta(&mut self, meta: &Node) {
        self.emit(meta);
        self.call_runtime("var_meta", vec![E, E], vec![E]);
    }

    /// Stores `init` as the var's root; yields the var.
    fn emit_store_root(&mut self, slot: Slot, init: &Node) {
        self.push(Instruction::I32Const(slot as i32));
        let made = match init {
            Node::Fn(function) => Some(self.emit_defined_fn(slot, function)),
            _ => {
                self.emit(init);
                None
            }
        };
        self.push(Instruction::TableSet(VARS_TABLE));
        self.emit_var_changed(slot);
        if let Some(Some(own)) = made {
            // the version the var has now holds this fn: its own calls of the
            // var may go straight to its code while the var keeps it
            let version = self.module.version_global(slot);
            self.push(Instruction::GlobalGet(version));
            self.push(Instruction::GlobalSet(own));
        }
        self.emit_the_var(slot);
    }

    /// The fn `(def name (fn ...))` stores, made with its arities' function
    /// indices known before their code is emitted, so that the code's calls
    /// of the var can call them directly (`emit_recursive_call`). Returns the
    /// patch global to set to the var's version once the fn is stored, when
    /// some call used it.
    fn emit_defined_fn(&mut self, slot: Slot, function: &FnNode) -> Option<u32> {
        let arities: Vec<ArityCode> = function
            .arities
            .iter()
            .map(|arity| self.reserve_arity(arity, false, Some(slot)))
            .collect();
        self.recursion.push(Recursion {
            slot,
            arities: arities.clone(),
            own_version: None,
        });
        let codes = self.emit_fn_into(function, Some(&arities));
        debug_assert!(
            codes
                .iter()
                .zip(&arities)
                .all(|(a, b)| a.function == b.function)
        );
        self.recursion.pop().expect("pushed above").own_version
    }

    fn define_var(&mut self, slot: Slot) {
        self.module.use_var(slot);
        self.footprint.define(Resource::Var(slot));
    }

    fn emit_set_var(&mut self, slot: Slot, value: &Node) {
        self.define_var(slot);
        self.push(Instruction::I32Const(slot as i32));
        self.emit(value);
        self.push(Instruction::TableSet(VARS_TABLE));
        self.emit_var_changed(slot);
        self.emit_var_value(slot);
    }

    fn emit_throw(&mut self, value: &Node) {
        self.emit(value);
        self.call_runtime("throw", vec![E], vec![E]);
    }

    fn emit_try(&mut self, body: &Node, catches: &Node, finally: &Node) {
        self.emit(body);
        self.emit(catches);
        self.emit(finally);
        self.call_runtime("try_catch", vec![E, E, E], vec![E]);
    }

    /// Makes every fn first (each captures the others' locals while they are
    /// still nil), then stores the finished fns into those captures.
    fn emit_letfn(&mut self, bindings: &[(LocalId, FnNode)], body: &Node) {
        for (id, function) in bindings {
            let arities = self.emit_fn(function);
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
            self.out().known_fns.insert(*id, arities);
        }
        let letfn_locals: Vec<LocalId> = bindings.iter().map(|(id, _)| *id).collect();
        for (id, function) in bindings {
            for (capture_index, capture) in function.captures.iter().enumerate() {
                let Node::Local(captured) = capture else {
                    continue;
                };
                if !letfn_locals.contains(captured) {
                    continue;
                }
                self.emit_local(*id);
                self.push(Instruction::I32Const(capture_index as i32));
                self.emit_local(*captured);
                self.call_runtime("fn_capture", vec![E, ValType::I32, E], vec![E]);
                self.push(Instruction::Drop);
            }
        }
        self.emit(body);
    }

    fn emit_if(&mut self, test: &Node, then: &Node, otherwise: &Node) {
        self.emit_test(test);
        self.push(Instruction::If(BlockType::Result(E)));
        self.out().depth += 1;
        let facts = self.assume_test(test);
        self.emit(then);
        self.forget(facts);
        self.push(Instruction::Else);
        self.emit(otherwise);
        self.push(Instruction::End);
        self.out().depth -= 1;
    }

    /// What an `if`'s then-branch knows from its test, a strict comparison of
    /// a primitive-long local with a long: `(< i n)` puts `i` below the
    /// largest long, `(> i n)` above the smallest (locals are never rebound
    /// inside the branch: a `recur` leaves it). Returns what to `forget`.
    fn assume_test(&mut self, test: &Node) -> (Option<LocalId>, Option<LocalId>) {
        let Node::Intrinsic { op, args } = test else {
            return (None, None);
        };
        if !self.out().longs.compares_longs(*op, args) {
            return (None, None);
        }
        let local = |node: &Node| match node {
            Node::Local(id) => Some(*id),
            _ => None,
        };
        let (below, above) = match (op, &args[..]) {
            (Intrinsic::Lt, [a, b]) => (local(a), local(b)),
            (Intrinsic::Gt, [a, b]) => (local(b), local(a)),
            _ => (None, None),
        };
        let out = self.out();
        out.below_max.extend(below);
        out.above_min.extend(above);
        (below, above)
    }

    fn forget(&mut self, (below, above): (Option<LocalId>, Option<LocalId>)) {
        let out = self.out();
        if below.is_some() {
            out.below_max.pop();
        }
        if above.is_some() {
            out.above_min.pop();
        }
    }

    /// `test` as an i32 truth value: a comparison asks the runtime for the
    /// answer as a number at once, anything else is tested by `truthy`.
    fn emit_test(&mut self, test: &Node) {
        if let Node::Intrinsic { op, args } = test
            && self.out().longs.compares_longs(*op, args)
        {
            return self.emit_long_comparison(*op, args);
        }
        if self.kind(test) == LocalKind::Long {
            // a long is always true, once computed (it may throw)
            self.emit_long(test);
            self.push(Instruction::Drop);
            return self.push(Instruction::I32Const(1));
        }
        if let Node::Intrinsic { op, args } = test
            && let Some(name) = op.test_import_name()
        {
            for arg in args {
                self.emit(arg);
            }
            return self.call_runtime(name, vec![E; args.len()], vec![ValType::I32]);
        }
        self.emit(test);
        self.call_runtime("truthy", vec![E], vec![ValType::I32]);
    }

    fn emit_do(&mut self, statements: &[Node], ret: &Node) {
        for statement in statements {
            self.emit(statement);
            self.push(Instruction::Drop);
        }
        self.emit(ret);
    }

    /// Binds each local to its value. `for_good`: the locals are never
    /// bound again (a `let`'s, not a `loop`'s), so those given a fn made here
    /// are known fns.
    fn emit_bindings(&mut self, bindings: &[(LocalId, Node)], body: &Node, for_good: bool) {
        for (i, (id, value)) in bindings.iter().enumerate() {
            if for_good && is_field_read(value) && !read_after(*id, &bindings[i + 1..], body) {
                // a deftype method binds every field; reading one costs a call
                continue;
            }
            if for_good
                && let Some((make, init)) =
                    self.scalar_volatile(*id, value, &bindings[i + 1..], body)
            {
                self.emit_scalar_volatile_binding(*id, make, init);
                continue;
            }
            let arities = match value {
                Node::Fn(function) if for_good => {
                    // a known fn: its calls here may take its long version
                    self.speculate_eagerly = true;
                    Some(self.emit_fn(function))
                }
                _ => {
                    self.emit_for_local(*id, value);
                    None
                }
            };
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
            if let Some(arities) = arities {
                self.out().known_fns.insert(*id, arities);
            }
        }
    }

    /// `value` as local `id` holds it: a primitive long or a boxed value.
    fn emit_for_local(&mut self, id: LocalId, value: &Node) {
        match self.out().longs.contains(id) {
            true => self.emit_long(value),
            false => self.emit(value),
        }
    }

    fn emit_let(&mut self, bindings: &[(LocalId, Node)], body: &Node) {
        self.emit_bindings(bindings, body, true);
        self.emit(body);
    }

    fn emit_loop(&mut self, bindings: &[(LocalId, Node)], body: &Node) {
        self.emit_bindings(bindings, body, false);
        let longs = &self.out().longs;
        let polls = !counted::is_counted_loop(bindings, body, |id| longs.contains(id));
        self.emit_recur_target_as(BlockType::Result(E), polls, |emitter| emitter.emit(body));
    }

    /// `body` inside a wasm `loop` that `recur` branches back to.
    fn emit_recur_target(&mut self, body: &Node) {
        self.emit_recur_target_as(BlockType::Result(E), true, |emitter| emitter.emit(body));
    }

    /// A recur target whose loop has type `block` and whose body `body`
    /// emits; its `recur`s poll when `polls`.
    fn emit_recur_target_as(
        &mut self,
        block: BlockType,
        polls: bool,
        body: impl FnOnce(&mut Self),
    ) {
        let start = self.out().body.len();
        self.push(Instruction::Loop(block));
        let out = self.out();
        out.depth += 1;
        let depth = out.depth;
        out.recur_targets.push(RecurTarget {
            depth,
            countdown: None,
            polls,
        });
        body(self);
        let out = self.out();
        let target = out.recur_targets.pop().expect("pushed above");
        out.depth -= 1;
        self.push(Instruction::End);
        if let Some(countdown) = target.countdown {
            self.keep_countdown(start, countdown);
        }
    }

    /// Evaluates every argument first (they may read the old bindings), then
    /// rebinds and jumps to the loop head.
    fn emit_recur(&mut self, targets: &[LocalId], args: &[Node]) {
        for (id, arg) in targets.iter().zip(args) {
            self.emit_for_local(*id, arg);
        }
        for id in targets.iter().rev() {
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
        }
        let polls = self.out().recur_targets.last().is_some_and(|t| t.polls);
        if polls {
            self.emit_poll_countdown();
        }
        let out = self.out();
        let loop_depth = out
            .recur_targets
            .last()
            .expect("the analyzer checked recur has a target")
            .depth;
        let relative = out.depth - loop_depth;
        self.push(Instruction::Br(relative));
    }

    /// Every loop iteration passes a `recur`: the one place a runaway loop can
    /// notice the user's interrupt. Calling out to the runtime's `poll` costs
    /// as much as a small loop body, so each `recur` counts a countdown down
    /// and polls when it reaches zero (every `POLL_EVERY` iterations:
    /// microseconds apart). The countdown is the runtime's `countdown`
    /// global, shared by all patches so that short loops run over and over
    /// count too; a loop works on a local copy of it (a global costs a memory
    /// access each time), taken as it starts and stored back as it ends.
    fn emit_poll_countdown(&mut self) {
        let out = self.out();
        let target = out
            .recur_targets
            .last()
            .expect("the analyzer checked recur has a target");
        let countdown = match target.countdown {
            Some(index) => index,
            None => {
                let index = out.scratch(ValType::I32);
                out.recur_targets.last_mut().expect("checked").countdown = Some(index);
                index
            }
        };
        self.push(Instruction::LocalGet(countdown));
        self.push(Instruction::I32Const(1));
        self.push(Instruction::I32Sub);
        self.push(Instruction::LocalTee(countdown));
        // at or below zero: a countdown that starts at 0 polls at once
        self.push(Instruction::I32Const(0));
        self.push(Instruction::I32LeS);
        self.push(Instruction::If(BlockType::Empty));
        self.push(Instruction::I32Const(POLL_EVERY));
        self.push(Instruction::LocalSet(countdown));
        self.call_runtime("poll", vec![], vec![]);
        self.push(Instruction::End);
    }

    /// Loads the loop's countdown from the global before the loop that
    /// starts at instruction `start`, and stores it back after it (a loop
    /// left by a throw does not: the next loop polls a little later).
    fn keep_countdown(&mut self, start: usize, countdown: u32) {
        let global = self.module.countdown();
        let body = &mut self.out().body;
        body.splice(
            start..start,
            [
                Instruction::GlobalGet(global),
                Instruction::LocalSet(countdown),
            ],
        );
        body.push(Instruction::LocalGet(countdown));
        body.push(Instruction::GlobalSet(global));
    }

    /// Emits each arity as a function of its own, then the code that makes the
    /// fn value: `fn_new`, one `fn_arity` per arity, one `fn_capture` per
    /// captured value.
    fn emit_fn(&mut self, function: &FnNode) -> Vec<ArityCode> {
        self.emit_fn_into(function, None)
    }

    /// `emit_fn`, with its arities' code going into the functions `reserved`
    /// (one per arity, in order) when given.
    fn emit_fn_into(
        &mut self,
        function: &FnNode,
        reserved: Option<&[ArityCode]>,
    ) -> Vec<ArityCode> {
        let codes = match reserved {
            Some(reserved) => {
                for (arity, code) in function.arities.iter().zip(reserved) {
                    self.emit_arity_into(arity, *code);
                }
                reserved.to_vec()
            }
            None => self.emit_arities(function),
        };
        match &function.name {
            Some(name) => self.emit_const(&constant::string(name)),
            None => self.emit_nil(),
        }
        if let ([code], Some(name)) = (&codes[..], FN_CLOSURE_NAMES.get(function.captures.len())) {
            self.emit_closure(*code, &function.captures, name);
            return codes;
        }
        self.push(Instruction::I32Const(function.captures.len() as i32));
        self.call_runtime("fn_new", vec![E, ValType::I32], vec![E]);
        for &code in &codes {
            self.push_arity(code);
            self.call_runtime(
                "fn_arity",
                vec![E, ValType::I32, ValType::I32, ValType::FUNCREF],
                vec![E],
            );
        }
        for (index, capture) in function.captures.iter().enumerate() {
            self.push(Instruction::I32Const(index as i32));
            self.emit(capture);
            self.call_runtime("fn_capture", vec![E, ValType::I32, E], vec![E]);
        }
        codes
    }

    /// The code of each of `function`'s arities.
    fn emit_arities(&mut self, function: &FnNode) -> Vec<ArityCode> {
        // (for this fn only: not for the fns inside it)
        let eager = std::mem::take(&mut self.speculate_eagerly);
        let codes: Vec<ArityCode> = function
            .arities
            .iter()
            .map(|arity| self.reserve_arity(arity, eager, None))
            .collect();
        for (arity, code) in function.arities.iter().zip(&codes) {
            self.emit_arity_into(arity, *code);
        }
        codes
    }

    /// The functions one arity's code will go into: its own, and its long
    /// version's when it is speculated. `own` is the var the fn is stored
    /// into (`(def name (fn ...))`), whose calls in the long version may go
    /// to it again.
    fn reserve_arity(&mut self, arity: &FnArity, eager: bool, own: Option<Slot>) -> ArityCode {
        let uses = if eager { 1 } else { SPECULATION_USES };
        let speculation = match arity.variadic {
            false => LongLocals::speculate(&arity.body, &arity.params, uses),
            true => None,
        };
        let long_entry = speculation.map(|(assumed, mut longs)| {
            let mask = arity
                .params
                .iter()
                .enumerate()
                .filter(|(_, id)| assumed.contains(id))
                .fold(0, |mask, (i, _)| mask | (1 << i));
            let self_call = own.map(|slot| SelfCall {
                slot,
                argc: arity.params.len(),
                mask,
            });
            longs.set_self_call(self_call);
            let yields_long = matches!(
                longs.kind(&arity.body),
                LocalKind::Long | LocalKind::MaybeLong
            );
            let self_call = self_call.filter(|_| yields_long);
            longs.set_self_call(self_call);
            let function = self.module.reserve_function();
            self.speculations.insert(function, longs);
            LongEntry {
                function,
                mask,
                self_call,
            }
        });
        ArityCode {
            params: arity.params.len(),
            variadic: arity.variadic,
            function: self.module.reserve_function(),
            long_entry,
        }
    }

    /// An arity as `fn_arity` and `fn_closureK` take it: its parameter
    /// count, whether it is variadic, its code.
    fn push_arity(&mut self, code: ArityCode) {
        self.push(Instruction::I32Const(code.params as i32));
        self.push(Instruction::I32Const(i32::from(code.variadic)));
        self.push(Instruction::RefFunc(code.function));
    }

    /// The rest of a one-arity fn with few captures (its name is on the
    /// stack): one `fn_closureK` call makes it whole.
    fn emit_closure(&mut self, code: ArityCode, captures: &[Node], import: &'static str) {
        self.push_arity(code);
        for capture in captures {
            self.emit(capture);
        }
        let mut params = vec![E, ValType::I32, ValType::I32, ValType::FUNCREF];
        params.extend(std::iter::repeat_n(E, captures.len()));
        self.call_runtime(import, params, vec![E]);
    }

    /// One arity's code into the functions `code` reserved: `(self, p1..pn)
    /// -> E`, and for a speculated arity its long version too.
    fn emit_arity_into(&mut self, arity: &FnArity, code: ArityCode) {
        let params = arity.params.len();
        if let Some(entry) = code.long_entry {
            let longs = self
                .speculations
                .remove(&entry.function)
                .expect("reserve_arity found it speculated");
            let long_version =
                self.emit_arity_code(arity, longs, |emitter| match entry.self_call {
                    Some(_) => emitter.emit_maybe_long_recur_target(&arity.body),
                    None => emitter.emit_recur_target(&arity.body),
                });
            let mut types = vec![E];
            types.extend((0..params).map(|i| if entry.takes_long(i) { I64 } else { E }));
            let results = match entry.self_call {
                Some(_) => vec![I64, E],
                None => vec![E],
            };
            let type_index = self.module.type_of(types, results);
            self.module
                .set_function(entry.function, long_version.finish(type_index));
        }
        let longs = LongLocals::infer(&arity.body, &arity.params);
        let entry = self.emit_arity_code(arity, longs, |emitter| match code.long_entry {
            Some(entry) => emitter.emit_speculation_entry(arity, entry),
            None => emitter.emit_recur_target(&arity.body),
        });
        let type_index = self.module.type_of(vec![E; params + 1], vec![E]);
        self.module
            .set_function(code.function, entry.finish(type_index));
    }

    /// One wasm function for `arity`, with `longs` as its primitive longs and
    /// its code what `body` emits.
    fn emit_arity_code(
        &mut self,
        arity: &FnArity,
        longs: LongLocals,
        body: impl FnOnce(&mut Self),
    ) -> FunctionEmitter {
        let last_reads = LastReads::find(&arity.body, &arity.params);
        self.functions.push(FunctionEmitter::new(
            1,
            arity.local_count,
            arity.params.len() as u32,
            longs,
            last_reads,
        ));
        body(self);
        self.functions.pop().expect("pushed above")
    }

    /// A speculated arity's entry: asks `long_of` of each argument its long
    /// version takes as an `i64` (NaN for anything but a long) and, when all
    /// are longs, tail-calls that version; else runs the arity's code with
    /// every parameter boxed.
    fn emit_speculation_entry(&mut self, arity: &FnArity, entry: LongEntry) {
        let mut numbers = Vec::new();
        for (i, id) in arity.params.iter().enumerate() {
            if !entry.takes_long(i) {
                continue;
            }
            let param = self.out().local(*id);
            let number = self.out().scratch(ValType::F64);
            self.push(Instruction::LocalGet(param));
            self.call_runtime("long_of", vec![E], vec![ValType::F64]);
            self.push(Instruction::LocalTee(number));
            self.push(Instruction::LocalGet(number));
            self.push(Instruction::F64Eq); // false for NaN only
            if !numbers.is_empty() {
                self.push(Instruction::I32And);
            }
            numbers.push(number);
        }
        self.push(Instruction::If(BlockType::Result(E)));
        self.out().depth += 1;
        self.emit_self();
        let mut numbers = numbers.into_iter();
        for (i, id) in arity.params.iter().enumerate() {
            if entry.takes_long(i) {
                let number = numbers.next().expect("one per long parameter");
                self.push(Instruction::LocalGet(number));
                // exact: a safe integer
                self.push(Instruction::I64TruncF64S);
            } else {
                let param = self.out().local(*id);
                self.push(Instruction::LocalGet(param));
            }
        }
        match entry.self_call {
            Some(_) => {
                self.push(call_defined(entry.function));
                self.emit_maybe_long_boxed();
            }
            None => self.push(return_call_defined(entry.function)),
        }
        self.push(Instruction::Else);
        self.emit_recur_target(&arity.body);
        self.push(Instruction::End);
        self.out().depth -= 1;
    }

    /// Calls `code` with `args` (its `self` on the stack): its long version
    /// when the arguments it takes as `i64`s are primitive longs here, else
    /// the arity's own function. Leaves the boxed result.
    fn emit_arity_call(&mut self, code: ArityCode, args: &[Node]) {
        match code.long_entry {
            Some(entry) if self.longs_fit(entry, args) => {
                for (i, arg) in args.iter().enumerate() {
                    match entry.takes_long(i) {
                        true => self.emit_long(arg),
                        false => self.emit(arg),
                    }
                }
                self.push(call_defined(entry.function));
                if entry.self_call.is_some() {
                    self.emit_maybe_long_boxed();
                }
            }
            _ => {
                for arg in args {
                    self.emit(arg);
                }
                self.push(call_defined(code.function));
            }
        }
    }

    /// Whether every argument `entry` takes as an `i64` is a primitive long here.
    fn longs_fit(&self, entry: LongEntry, args: &[Node]) -> bool {
        args.iter()
            .enumerate()
            .all(|(i, arg)| !entry.takes_long(i) || self.kind(arg) == LocalKind::Long)
    }

    fn emit_invoke(&mut self, f: &Node, args: &[Node]) {
        if let Node::VarValue(slot) = f {
            return self.emit_var_call(*slot, args);
        }
        if self.emit_known_fn_call(f, args) {
            return;
        }
        self.emit(f);
        for arg in args {
            self.emit(arg);
        }
        let name = INVOKE_NAMES[args.len()];
        self.call_runtime(name, vec![E; args.len() + 1], vec![E]);
    }

    /// A call of a fn whose code the emitter knows, with an arity for `args`:
    /// a fn made right there (`((fn [x] ..) 1)`) or a local bound to one
    /// (`(let [f (fn ..)] (f 1))`, `letfn`). It calls that arity's function
    /// directly, with the fn as `self`, and no call into the runtime. Returns
    /// false, having emitted nothing, for any other call.
    fn emit_known_fn_call(&mut self, f: &Node, args: &[Node]) -> bool {
        let code = match f {
            Node::Fn(function) => {
                let has_arity = function
                    .arities
                    .iter()
                    .any(|arity| !arity.variadic && arity.params.len() == args.len());
                if !has_arity {
                    return false;
                }
                // called right here: worth a long version as soon as it does
                // any arithmetic on a parameter
                self.speculate_eagerly = true;
                // a fn that reads neither captures nor itself is never made:
                // its code runs with nil as `self`
                let arities = if function.captures.is_empty() && !function.refers_to_itself() {
                    let arities = self.emit_arities(function);
                    self.emit_nil();
                    arities
                } else {
                    self.emit_fn(function)
                };
                fixed_arity(&arities, args.len()).expect("checked above")
            }
            Node::Local(id) => {
                let known = self.out().known_fns.get(id);
                let Some(code) = known.and_then(|arities| fixed_arity(arities, args.len())) else {
                    return false;
                };
                self.emit(f);
                code
            }
            _ => return false,
        };
        self.emit_arity_call(code, args);
        true
    }

    /// A call of a fn that walks its last argument (`Node::ConsumingCall`):
    /// when nothing else holds that value (a computed one, or a local's last
    /// read) it goes to `hand_over` and the call is `invoke_takingN` of the
    /// other arguments, so that no frame, ours or the runtime's, keeps the
    /// seq's head while the fn walks it.
    fn emit_consuming_call(&mut self, f: &Node, args: &[Node]) {
        let Some((walked, others)) = args.split_last() else {
            return self.emit_invoke(f, args);
        };
        if !self.only_the_call_holds(walked) {
            return self.emit_invoke(f, args);
        }
        self.emit(f);
        for arg in others {
            self.emit(arg);
        }
        self.emit(walked);
        self.call_runtime("hand_over", vec![E], vec![]);
        self.call_runtime(
            INVOKE_TAKING_NAMES[others.len()],
            vec![E; args.len()],
            vec![E],
        );
    }

    /// Whether the value of `node` is held by nothing but the call it goes
    /// to: not a constant, a var's root, a capture or a local read again later.
    fn only_the_call_holds(&mut self, node: &Node) -> bool {
        match node {
            Node::Local(id) => self.lets_go(node, *id),
            Node::Const(_)
            | Node::Nil
            | Node::Captured(_)
            | Node::SelfRef
            | Node::VarValue(_)
            | Node::TheVar(_)
            | Node::JsGlobal(_) => false,
            _ => true,
        }
    }

    fn emit_field_get(&mut self, obj: &Node, field: &str) {
        self.emit(obj);
        self.emit_const(&constant::string(field));
        self.call_runtime("field_get", vec![E, E], vec![E]);
    }

    fn emit_field_set(&mut self, obj: &Node, field: &str, value: &Node) {
        self.emit(obj);
        self.emit_const(&constant::string(field));
        self.emit(value);
        self.call_runtime("field_set", vec![E, E, E], vec![E]);
    }

    fn emit_js_global(&mut self, name: &str) {
        self.emit_const(&constant::string(name));
        self.call_runtime("js_global", vec![E], vec![E]);
    }

    fn emit_js_get(&mut self, obj: &Node, prop: &str) {
        self.emit(obj);
        self.emit_const(&constant::string(prop));
        self.call_runtime("js_get", vec![E, E], vec![E]);
    }

    fn emit_js_set(&mut self, obj: &Node, prop: &str, value: &Node) {
        self.emit(obj);
        self.emit_const(&constant::string(prop));
        self.emit(value);
        self.call_runtime("js_set", vec![E, E, E], vec![E]);
    }

    fn emit_js_call(&mut self, obj: &Node, method: &str, args: &Node) {
        self.emit(obj);
        self.emit_const(&constant::string(method));
        self.emit(args);
        self.call_runtime("js_call", vec![E, E, E], vec![E]);
    }

    fn emit_js_new(&mut self, ctor: &Node, args: &Node) {
        self.emit(ctor);
        self.emit(args);
        self.call_runtime("js_new", vec![E, E], vec![E]);
    }

    /// A call of a var: the runtime's dispatcher for this arity does one
    /// `call_indirect` through the var's entry in the code table, with the
    /// var's value as `self`. The entry is the fn's own wasm code when it has
    /// this arity, else a trampoline into the runtime's invoke; either way no
    /// JS frame sits between two compiled fns, and a redefinition is seen at
    /// the next call.
    fn emit_var_call(&mut self, slot: Slot, args: &[Node]) {
        if self.emit_scalar_volatile_call(slot, args) {
            return;
        }
        if self.is_library_fn(slot)
            && let Some(text) = self.folded_str(slot, args)
        {
            return self.emit_folded_call(slot, args, &text);
        }
        if self.is_library_fn(slot) && args.len() <= MAX_DIRECT_ARITY {
            return self.emit_direct_call(slot, args);
        }
        if let Some(code) = self.recursive_arity(slot, args.len()) {
            return self.emit_recursive_call(slot, code, args);
        }
        self.note_read(slot);
        self.emit_var_value(slot);
        for arg in args {
            self.emit(arg);
        }
        self.emit_dispatch(slot, args.len());
    }

    /// The dispatcher's call of var `slot`'s code-table entry for `arity`
    /// arguments, its value (`self`) and the arguments on the stack.
    fn emit_dispatch(&mut self, slot: Slot, arity: usize) {
        self.push(Instruction::I32Const(
            (slot * CODE_STRIDE + arity as u32) as i32,
        ));
        let mut params = vec![E; arity + 1];
        params.push(ValType::I32);
        self.call_runtime(DISPATCH_NAMES[arity], params, vec![E]);
    }

    /// Inside the code of the fn `(def name (fn ...))` stores into var
    /// `slot`: its fixed arity for `argc` arguments.
    fn recursive_arity(&self, slot: Slot, argc: usize) -> Option<ArityCode> {
        let recursion = self.recursion.iter().rev().find(|r| r.slot == slot)?;
        fixed_arity(&recursion.arities, argc)
    }

    /// A call of the var the fn being compiled is stored into (`(fib (- n
    /// 1))` in `fib`): while the var's version is the one it had when this
    /// fn was stored (`emit_store_root`), nobody has given it another root,
    /// so the call goes straight to the arity's code, with the var's value
    /// as `self`; else through the var as any call. The arguments go to
    /// scratch locals first, so that neither path repeats their code.
    fn emit_recursive_call(&mut self, slot: Slot, code: ArityCode, args: &[Node]) {
        self.emit_recursive_call_as(slot, code, args, false);
    }

    /// `emit_recursive_call`, leaving a `MaybeLong` when `maybe_long` (the
    /// long version's result, or `(0, value)` of the call through the var).
    fn emit_recursive_call_as(
        &mut self,
        slot: Slot,
        code: ArityCode,
        args: &[Node],
        maybe_long: bool,
    ) {
        self.note_read(slot);
        // arguments its long version takes as i64s, when they are longs here
        let long_entry = code.long_entry.filter(|entry| self.longs_fit(*entry, args));
        let mut held = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let long = long_entry.is_some_and(|entry| entry.takes_long(i));
            let local = match long {
                true => {
                    self.emit_long(arg);
                    self.out().scratch(I64)
                }
                false => {
                    self.emit(arg);
                    self.out().scratch(E)
                }
            };
            self.push(Instruction::LocalSet(local));
            held.push((local, long));
        }
        let own = self.own_version(slot);
        let version = self.module.version_global(slot);
        self.push(Instruction::GlobalGet(version));
        self.push(Instruction::GlobalGet(own));
        self.push(Instruction::I32Eq);
        let block = match maybe_long {
            true => self.maybe_long_block(),
            false => BlockType::Result(E),
        };
        self.push(Instruction::If(block));
        self.emit_var_value(slot);
        self.emit_taken(&held, false);
        let function = long_entry.map_or(code.function, |entry| entry.function);
        self.push(call_defined(function));
        let pair = long_entry.is_some_and(|entry| entry.self_call.is_some());
        debug_assert!(
            pair || !maybe_long,
            "a MaybeLong call goes to the long version"
        );
        if pair && !maybe_long {
            self.emit_maybe_long_boxed();
        }
        self.push(Instruction::Else);
        if maybe_long {
            self.push(Instruction::I64Const(0));
        }
        self.emit_var_value(slot);
        self.emit_taken(&held, true);
        self.emit_dispatch(slot, args.len());
        self.push(Instruction::End);
        let locals: Vec<u32> = held.iter().map(|(local, _)| *local).collect();
        self.out().release(&locals);
    }

    /// The patch global that will hold var `slot`'s version once the fn being
    /// emitted for it is stored (made on first use).
    fn own_version(&mut self, slot: Slot) -> u32 {
        let recursion = self.recursion.iter().rev().find(|r| r.slot == slot);
        if let Some(own) = recursion.and_then(|r| r.own_version) {
            return own;
        }
        let own = self.module.own_version_global();
        let recursion = self.recursion.iter_mut().rev().find(|r| r.slot == slot);
        recursion.expect("checked by recursive_arity").own_version = Some(own);
        own
    }

    /// The values of scratch locals `held`, in order (an `i64` one boxed when
    /// `boxed`), each boxed local let go of as it is read: the arguments are
    /// the callee's, and no frame of ours keeps them while it runs.
    fn emit_taken(&mut self, held: &[(u32, bool)], boxed: bool) {
        for &(local, long) in held {
            self.push(Instruction::LocalGet(local));
            if long {
                if boxed {
                    self.emit_box();
                }
                continue;
            }
            self.push(Instruction::RefNull(HeapType::EXTERN));
            self.push(Instruction::LocalSet(local));
        }
    }

    /// Whether var `slot` is one of the runtime library's fns (`clojure.core`,
    /// `clojure.string`), which compiled code may call directly.
    fn is_library_fn(&self, slot: Slot) -> bool {
        let var = self.namespaces.var(slot);
        var.defined_at.is_none()
            && !var.is_dynamic
            && !var.is_macro
            && var.arglists.is_some()
            && DIRECT_NAMESPACES.contains(&var.ns.as_str())
    }

    /// A call of a library fn: straight into the import `direct "slot/n"` (the
    /// runtime links it to the fn's JS arity) while the guard `direct "slot"`
    /// says the var still holds that fn, else through the var as any call
    /// (`var_callN`), so a redefinition is seen at once (docs/patch-abi.md).
    fn emit_direct_call(&mut self, slot: Slot, args: &[Node]) {
        self.note_read(slot);
        self.module.use_var(slot);
        for arg in args {
            self.emit(arg);
        }
        let arity = args.len();
        let guard = self.module.direct_guard(slot);
        self.push(Instruction::GlobalGet(guard));
        let block = self.module.type_of(vec![E; arity], vec![E]);
        self.push(Instruction::If(BlockType::FunctionType(block)));
        let direct = self.module.direct_fn(slot, arity);
        self.push(Instruction::Call(direct));
        self.push(Instruction::Else);
        self.push(Instruction::I32Const(slot as i32));
        let mut params = vec![E; arity];
        params.push(ValType::I32);
        self.call_runtime(VAR_CALL_NAMES[arity], params, vec![E]);
        self.push(Instruction::End);
    }

    /// The string `(str ...)` of these arguments gives, when var `slot` is
    /// `clojure.core/str` and each argument a constant whose text is known
    /// here: a string, a long, a character, a boolean or nil (`(str "a" 1)`
    /// is `"a1"` before the code runs, as a JS engine folds `"a" + 1`).
    fn folded_str(&self, slot: Slot, args: &[Node]) -> Option<String> {
        let var = self.namespaces.var(slot);
        if var.ns != "clojure.core" || var.name != "str" || args.len() >= DISPATCH_NAMES.len() {
            return None;
        }
        let mut text = String::new();
        for arg in args {
            match arg {
                Node::Nil => {}
                Node::Const(Constant::Bool(b)) => text.push_str(if *b { "true" } else { "false" }),
                Node::Const(value) => {
                    let part = literal_long(value).map(|n| n.to_string()).or_else(|| {
                        ["str", "char"]
                            .iter()
                            .find_map(|tag| value.get(tag)?.as_str().map(String::from))
                    })?;
                    text.push_str(&part);
                }
                _ => return None,
            }
        }
        Some(text)
    }

    /// A call of library fn `slot` whose value is known to be the string
    /// `text` while the var holds the library's fn (its guard), else the
    /// call through the var, so a redefinition is seen at once.
    fn emit_folded_call(&mut self, slot: Slot, args: &[Node], text: &str) {
        self.note_read(slot);
        self.module.use_var(slot);
        let guard = self.module.direct_guard(slot);
        self.push(Instruction::GlobalGet(guard));
        self.push(Instruction::If(BlockType::Result(E)));
        self.emit_const(&constant::string(text));
        self.push(Instruction::Else);
        self.emit_var_value(slot);
        for arg in args {
            self.emit(arg);
        }
        self.emit_dispatch(slot, args.len());
        self.push(Instruction::End);
    }

    /// Tells the runtime a var has a new root, so it re-points the var's code entries.
    fn emit_var_changed(&mut self, slot: Slot) {
        self.push(Instruction::I32Const(slot as i32));
        self.call_runtime("var_changed", vec![ValType::I32], vec![]);
    }

    fn emit_intrinsic(&mut self, op: Intrinsic, args: &[Node]) {
        if self.out().longs.compares_longs(op, args) {
            // the boolean of a comparison done in wasm
            self.emit_long_comparison(op, args);
            self.push(Instruction::If(BlockType::Result(E)));
            self.emit_const(&Constant::Bool(true));
            self.push(Instruction::Else);
            self.emit_const(&Constant::Bool(false));
            return self.push(Instruction::End);
        }
        for arg in args {
            self.emit(arg);
        }
        self.call_runtime(op.import_name(), vec![E; args.len()], vec![E]);
    }
}

/// Primitive longs (see `longs`): `emit_long` leaves an `i64` where
/// `emit` leaves a boxed value.
impl Emitter<'_> {
    /// `node`, of kind `Long` or `Never`, as an `i64`.
    fn emit_long(&mut self, node: &Node) {
        match node {
            Node::Const(value) => {
                let value = literal_long(value).expect("kind checked a long literal");
                self.push(Instruction::I64Const(value));
            }
            Node::Local(id) => {
                let index = self.out().local(*id);
                self.push(Instruction::LocalGet(index));
            }
            Node::Intrinsic { op, args } => self.emit_long_intrinsic(*op, args),
            Node::If {
                test,
                then,
                otherwise,
            } => {
                self.emit_test(test);
                self.push(Instruction::If(BlockType::Result(I64)));
                self.out().depth += 1;
                let facts = self.assume_test(test);
                self.emit_long(then);
                self.forget(facts);
                self.push(Instruction::Else);
                self.emit_long(otherwise);
                self.push(Instruction::End);
                self.out().depth -= 1;
            }
            Node::Do { statements, ret } => {
                for statement in statements {
                    self.emit(statement);
                    self.push(Instruction::Drop);
                }
                self.emit_long(ret);
            }
            Node::Let { bindings, body } => {
                self.emit_bindings(bindings, body, true);
                self.emit_long(body);
            }
            // `recur` or `throw`: no value comes back
            never => {
                self.emit(never);
                self.push(Instruction::Unreachable);
            }
        }
    }

    /// A long computed in wasm, boxed for the runtime.
    fn emit_boxed_long(&mut self, node: &Node) {
        self.emit_long(node);
        self.emit_box();
    }

    /// Boxes the `i64` on the stack as the runtime's long: a number when it is
    /// a safe integer (through `long_box`, which takes an `f64`), else a
    /// bigint (through `long_box_big`, which takes the `i64` itself).
    fn emit_box(&mut self) {
        let value = self.out().scratch(I64);
        // a small one is already boxed in the runtime's table of them
        self.push(Instruction::LocalTee(value));
        self.push(Instruction::I64Const(-SMALL_LONG_MIN));
        self.push(Instruction::I64Add);
        self.push(Instruction::I64Const(SMALL_LONG_COUNT));
        self.push(Instruction::I64LtU);
        self.push(Instruction::If(BlockType::Result(E)));
        self.push(Instruction::LocalGet(value));
        self.push(Instruction::I64Const(-SMALL_LONG_MIN));
        self.push(Instruction::I64Add);
        self.push(Instruction::I32WrapI64);
        let table = self.module.small_longs();
        self.push(Instruction::TableGet(table));
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(value));
        self.push(Instruction::I64Const(MAX_SAFE_INTEGER));
        self.push(Instruction::I64Add);
        self.push(Instruction::I64Const(2 * MAX_SAFE_INTEGER));
        self.push(Instruction::I64LeU);
        self.push(Instruction::If(BlockType::Result(E)));
        self.push(Instruction::LocalGet(value));
        self.push(Instruction::F64ConvertI64S);
        self.call_runtime("long_box", vec![ValType::F64], vec![E]);
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(value));
        self.call_runtime("long_box_big", vec![I64], vec![E]);
        self.push(Instruction::End);
        self.push(Instruction::End);
        self.out().release(&[value]);
    }

    /// Long arithmetic with Clojure's overflow checks, and `(long x)`.
    fn emit_long_intrinsic(&mut self, op: Intrinsic, args: &[Node]) {
        match (op, args) {
            (Intrinsic::Long, [arg]) => match self.kind(arg) {
                LocalKind::Boxed => {
                    self.emit(arg);
                    self.call_runtime("long_unbox", vec![E], vec![I64]);
                }
                LocalKind::MaybeLong => {
                    self.emit_maybe_long(arg);
                    self.emit_maybe_long_boxed();
                    self.call_runtime("long_unbox", vec![E], vec![I64]);
                }
                _ => self.emit_long(arg),
            },
            (Intrinsic::Inc, [arg]) => self.emit_add_constant(arg, 1),
            (Intrinsic::Dec, [arg]) => self.emit_add_constant(arg, -1),
            (Intrinsic::Add, [a, Node::Const(b)]) if literal_long(b).is_some() => {
                self.emit_add_constant(a, literal_long(b).expect("checked"));
            }
            (Intrinsic::Sub, [a, Node::Const(b)])
                if literal_long(b).is_some_and(|b| b != i64::MIN) =>
            {
                self.emit_add_constant(a, -literal_long(b).expect("checked"));
            }
            (_, [a, b]) => {
                self.emit_long(a);
                let x = self.out().scratch(I64);
                self.push(Instruction::LocalSet(x));
                self.emit_long(b);
                let y = self.out().scratch(I64);
                self.push(Instruction::LocalSet(y));
                match op {
                    Intrinsic::Add => self.emit_checked_add_or_sub(x, y, false),
                    Intrinsic::Sub => self.emit_checked_add_or_sub(x, y, true),
                    Intrinsic::Mul => self.emit_checked_mul(x, y),
                    Intrinsic::Quot => self.emit_quot(x, y),
                    Intrinsic::Rem => self.emit_rem(x, y),
                    Intrinsic::Mod => self.emit_mod(x, y),
                    _ => unreachable!("kind admits only these long intrinsics"),
                }
                self.out().release(&[x, y]);
            }
            _ => unreachable!("kind admits only these long intrinsics"),
        }
    }

    /// `arg + constant`, throwing where the sum leaves the long range.
    fn emit_add_constant(&mut self, arg: &Node, constant: i64) {
        self.emit_long(arg);
        if constant == 0 {
            return;
        }
        if let Node::Local(id) = arg {
            let out = self.out();
            let bounded = match constant {
                1 => out.below_max.contains(id),
                -1 => out.above_min.contains(id),
                _ => false,
            };
            if bounded {
                // below the largest long, so one more is a long (above the smallest: one less)
                self.push(Instruction::I64Const(constant));
                return self.push(Instruction::I64Add);
            }
        }
        let x = self.out().scratch(I64);
        self.push(Instruction::LocalTee(x));
        if constant > 0 {
            self.push(Instruction::I64Const(i64::MAX - constant));
            self.push(Instruction::I64GtS);
        } else {
            self.push(Instruction::I64Const(i64::MIN - constant));
            self.push(Instruction::I64LtS);
        }
        self.emit_overflow_if();
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::I64Const(constant));
        self.push(Instruction::I64Add);
        self.out().release(&[x]);
    }

    /// `x + y` or `x - y`, throwing where it leaves the long range: a sum
    /// overflowed when its sign differs from both `x`'s and `y`'s; a
    /// difference when `x` and `y` differ in sign and its sign differs from
    /// `x`'s.
    fn emit_checked_add_or_sub(&mut self, x: u32, y: u32, subtract: bool) {
        let result = self.out().scratch(I64);
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::LocalGet(y));
        self.push(match subtract {
            true => Instruction::I64Sub,
            false => Instruction::I64Add,
        });
        self.push(Instruction::LocalSet(result));
        match subtract {
            true => self.emit_sign_differs(x, y),
            false => self.emit_sign_differs(y, result),
        }
        self.emit_sign_differs(x, result);
        self.push(Instruction::I64And);
        self.push(Instruction::I64Const(0));
        self.push(Instruction::I64LtS);
        self.emit_overflow_if();
        self.push(Instruction::LocalGet(result));
        self.out().release(&[result]);
    }

    /// `a ^ b`: negative when the two differ in sign.
    fn emit_sign_differs(&mut self, a: u32, b: u32) {
        self.push(Instruction::LocalGet(a));
        self.push(Instruction::LocalGet(b));
        self.push(Instruction::I64Xor);
    }

    /// `x * y`, checked as Clojure's `Numbers.multiply` does: `MIN * negative`
    /// overflows, and otherwise the product divided by `y` must give `x`
    /// back (the division cannot trap: `y` is not 0, and `MIN / -1` would
    /// need `x` to be `MIN`, caught first).
    fn emit_checked_mul(&mut self, x: u32, y: u32) {
        let product = self.out().scratch(I64);
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::I64Const(i64::MIN));
        self.push(Instruction::I64Eq);
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Const(0));
        self.push(Instruction::I64LtS);
        self.push(Instruction::I32And);
        self.emit_overflow_if();
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Mul);
        self.push(Instruction::LocalSet(product));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Eqz);
        self.push(Instruction::If(BlockType::Result(ValType::I32)));
        self.push(Instruction::I32Const(0));
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(product));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64DivS);
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::I64Ne);
        self.push(Instruction::End);
        self.emit_overflow_if();
        self.push(Instruction::LocalGet(product));
        self.out().release(&[product]);
    }

    /// Throws when `y` is 0: Java's `/ by zero` from `quot` and `rem` of
    /// primitive longs (Clojure's primitive path), `Divide by zero` from `mod`
    /// (a fn of boxed numbers in Clojure).
    fn emit_divisor_check(&mut self, y: u32, error: &'static str) {
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Eqz);
        self.emit_throw_if(error);
    }

    /// `(quot x y)`: Java's long division, where `MIN / -1` is `MIN` (wasm's
    /// division traps there, so -1 divides by negating, wrapping as Java does).
    fn emit_quot(&mut self, x: u32, y: u32) {
        self.emit_divisor_check(y, "long_divide_by_zero");
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Const(-1));
        self.push(Instruction::I64Eq);
        self.push(Instruction::If(BlockType::Result(I64)));
        self.push(Instruction::I64Const(0));
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::I64Sub);
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64DivS);
        self.push(Instruction::End);
    }

    /// `(rem x y)`: the remainder with `x`'s sign (wasm's `rem_s` is Java's
    /// `%`, `MIN rem -1` included).
    fn emit_rem(&mut self, x: u32, y: u32) {
        self.emit_divisor_check(y, "long_divide_by_zero");
        self.emit_remainder(x, y);
    }

    fn emit_remainder(&mut self, x: u32, y: u32) {
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64RemS);
    }

    /// `(mod x y)`: as Clojure defines it, the remainder, plus `y` when it is
    /// not 0 and `x` and `y` are not both positive or both not (the sum cannot
    /// overflow: the remainder is smaller than `y` and of the other sign).
    fn emit_mod(&mut self, x: u32, y: u32) {
        self.emit_divisor_check(y, "divide_by_zero");
        self.emit_remainder(x, y);
        let remainder = self.out().scratch(I64);
        self.push(Instruction::LocalTee(remainder));
        self.push(Instruction::I64Const(0));
        self.push(Instruction::I64Ne);
        self.push(Instruction::LocalGet(x));
        self.push(Instruction::I64Const(0));
        self.push(Instruction::I64GtS);
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Const(0));
        self.push(Instruction::I64GtS);
        self.push(Instruction::I32Ne);
        self.push(Instruction::I32And);
        self.push(Instruction::If(BlockType::Result(I64)));
        self.push(Instruction::LocalGet(remainder));
        self.push(Instruction::LocalGet(y));
        self.push(Instruction::I64Add);
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(remainder));
        self.push(Instruction::End);
        self.out().release(&[remainder]);
    }

    /// Throws Clojure's long overflow error when the i32 on the stack is 1.
    fn emit_overflow_if(&mut self) {
        self.emit_throw_if("long_overflow");
    }

    /// Calls the runtime import `error` (which throws) when the i32 on the
    /// stack is 1.
    fn emit_throw_if(&mut self, error: &'static str) {
        self.push(Instruction::If(BlockType::Empty));
        self.call_runtime(error, vec![], vec![]);
        self.push(Instruction::Unreachable);
        self.push(Instruction::End);
    }

    /// A comparison of two longs, or a test of one, as an i32 (the arguments
    /// are longs).
    fn emit_long_comparison(&mut self, op: Intrinsic, args: &[Node]) {
        for arg in args {
            self.emit_long(arg);
        }
        let instructions: &[Instruction<'static>] = match op {
            Intrinsic::Lt => &[Instruction::I64LtS],
            Intrinsic::Gt => &[Instruction::I64GtS],
            Intrinsic::Lte => &[Instruction::I64LeS],
            Intrinsic::Gte => &[Instruction::I64GeS],
            Intrinsic::NumEq | Intrinsic::Equiv => &[Instruction::I64Eq],
            Intrinsic::IsZero => &[Instruction::I64Eqz],
            Intrinsic::IsPos => &[Instruction::I64Const(0), Instruction::I64GtS],
            Intrinsic::IsNeg => &[Instruction::I64Const(0), Instruction::I64LtS],
            Intrinsic::IsEven => &[
                Instruction::I64Const(1),
                Instruction::I64And,
                Instruction::I64Eqz,
            ],
            Intrinsic::IsOdd => &[
                Instruction::I64Const(1),
                Instruction::I64And,
                Instruction::I32WrapI64,
            ],
            _ => unreachable!("compares_longs admits only comparisons"),
        };
        for instruction in instructions {
            self.push(instruction.clone());
        }
    }
}

/// 2^53 - 1: the largest long the runtime keeps as a JS number.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Loop iterations between two polls for an interrupt (`emit_poll_countdown`).
const POLL_EVERY: i32 = 1024;

/// The runtime's var-call dispatchers by argument count.
/// How many times an arity's code must take its parameters as operands of
/// arithmetic or comparisons to be given a long version (`LongLocals::speculate`).
const SPECULATION_USES: usize = 2;

/// The library namespaces whose fns compiled code calls directly.
const DIRECT_NAMESPACES: &[&str] = &["clojure.core", "clojure.string"];
/// The most arguments of a direct call (the runtime's fns have fixed arities 0 to 3).
const MAX_DIRECT_ARITY: usize = 3;
const VAR_CALL_NAMES: [&str; MAX_DIRECT_ARITY + 1] =
    ["var_call0", "var_call1", "var_call2", "var_call3"];

const DISPATCH_NAMES: [&str; 21] = [
    "dispatch0",
    "dispatch1",
    "dispatch2",
    "dispatch3",
    "dispatch4",
    "dispatch5",
    "dispatch6",
    "dispatch7",
    "dispatch8",
    "dispatch9",
    "dispatch10",
    "dispatch11",
    "dispatch12",
    "dispatch13",
    "dispatch14",
    "dispatch15",
    "dispatch16",
    "dispatch17",
    "dispatch18",
    "dispatch19",
    "dispatch20",
];

/// The runtime's one-call makers of a one-arity fn, by number of captures.
const FN_CLOSURE_NAMES: [&str; 4] = ["fn_closure0", "fn_closure1", "fn_closure2", "fn_closure3"];

/// The runtime's calls that take their last argument handed over
/// (`emit_consuming_call`), by the number of the others.
const INVOKE_TAKING_NAMES: [&str; 4] = [
    "invoke_taking1",
    "invoke_taking2",
    "invoke_taking3",
    "invoke_taking4",
];

/// The runtime's call imports by argument count.
const INVOKE_NAMES: [&str; 21] = [
    "invoke0", "invoke1", "invoke2", "invoke3", "invoke4", "invoke5", "invoke6", "invoke7",
    "invoke8", "invoke9", "invoke10", "invoke11", "invoke12", "invoke13", "invoke14", "invoke15",
    "invoke16", "invoke17", "invoke18", "invoke19", "invoke20",
];
