//! The emitter: turns the AST of one top-level form into a patch module, with
//! one emit function per node kind. Values are `externref`s; everything a
//! value needs beyond control flow and locals is a runtime import
//! (docs/patch-abi.md). Vars are read and written through the shared table,
//! which is what makes redefinitions visible to earlier callers.

mod module;

use wasm_encoder::{BlockType, HeapType, Instruction, ValType};

use super::ast::{Constant, FnArity, FnNode, Intrinsic, LocalId, Node, TopLevel};
use super::constant;
use super::footprint::{Footprint, FootprintBuilder, Resource};
use super::namespace::{Namespaces, Slot};
use module::{CODE_STRIDE, DefinedFunction, ModuleBuilder};

const E: ValType = ValType::EXTERNREF;
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
        module: ModuleBuilder::default(),
        functions: Vec::new(),
        footprint: top_level.footprint.clone(),
    };
    emitter.functions.push(FunctionEmitter::new(0));
    emitter.emit(&top_level.body);
    let run = emitter.functions.pop().expect("pushed above");
    let type_index = emitter.module.type_of(vec![], vec![E]);
    let entry = emitter
        .module
        .add_function(run.finish(type_index, top_level.local_count));
    Emitted {
        wasm: emitter
            .module
            .finish(entry, ns, &top_level.source, namespaces),
        footprint: emitter.footprint.finish(),
    }
}

struct Emitter {
    module: ModuleBuilder,
    /// The functions being emitted; nested fns push one.
    functions: Vec<FunctionEmitter>,
    footprint: FootprintBuilder,
}

/// The code of one wasm function in progress.
struct FunctionEmitter {
    body: Vec<Instruction<'static>>,
    /// Wasm local index of `LocalId(0)`: 1 in fn arities (local 0 is `self`), 0 in `run`.
    local_base: u32,
    /// Open blocks (`if`, `loop`) around the instruction being emitted.
    depth: u32,
    /// For each enclosing recur target: the depth of its `loop`.
    recur_depths: Vec<u32>,
}

impl FunctionEmitter {
    fn new(local_base: u32) -> Self {
        FunctionEmitter {
            body: Vec::new(),
            local_base,
            depth: 0,
            recur_depths: Vec::new(),
        }
    }

    fn local(&self, id: LocalId) -> u32 {
        self.local_base + id.0
    }

    /// The finished function; `extra_locals` are the locals that are not
    /// parameters (`LocalId`s count parameters too).
    fn finish(mut self, type_index: u32, extra_locals: u32) -> DefinedFunction {
        self.body.push(Instruction::End);
        DefinedFunction {
            type_index,
            extra_locals,
            body: self.body,
        }
    }
}

impl Emitter {
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

    fn emit(&mut self, node: &Node) {
        match node {
            Node::Const(value) => self.emit_const(value),
            Node::Nil => self.emit_nil(),
            Node::Local(id) => self.emit_local(*id),
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
            Node::Def { slot, init, once } => self.emit_def(*slot, init.as_deref(), *once),
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
            Node::Fn(function) => self.emit_fn(function),
            Node::Invoke { f, args } => self.emit_invoke(f, args),
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

    fn emit_local(&mut self, id: LocalId) {
        let index = self.out().local(id);
        self.push(Instruction::LocalGet(index));
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

    fn emit_def(&mut self, slot: Slot, init: Option<&Node>, once: bool) {
        self.module.use_var(slot);
        let Some(init) = init else {
            // `(def x)` is the var, which the code may look into (defmulti does).
            self.note_read(slot);
            return self.emit_the_var(slot);
        };
        self.define_var(slot);
        if !once {
            return self.emit_store_root(slot, init);
        }
        // defonce: only a var without a value gets one; the form is then the
        // var, else nil (as Clojure's `(when-not (.hasRoot v) (def ...))`).
        self.note_read(slot);
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

    /// Stores `init` as the var's root; yields the var.
    fn emit_store_root(&mut self, slot: Slot, init: &Node) {
        self.push(Instruction::I32Const(slot as i32));
        self.emit(init);
        self.push(Instruction::TableSet(VARS_TABLE));
        self.emit_var_changed(slot);
        self.emit_the_var(slot);
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
            self.emit_fn(function);
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
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
        self.emit(then);
        self.push(Instruction::Else);
        self.emit(otherwise);
        self.push(Instruction::End);
        self.out().depth -= 1;
    }

    /// `test` as an i32 truth value: a comparison asks the runtime for the
    /// answer as a number at once, anything else is tested by `truthy`.
    fn emit_test(&mut self, test: &Node) {
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

    fn emit_bindings(&mut self, bindings: &[(LocalId, Node)]) {
        for (id, value) in bindings {
            self.emit(value);
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
        }
    }

    fn emit_let(&mut self, bindings: &[(LocalId, Node)], body: &Node) {
        self.emit_bindings(bindings);
        self.emit(body);
    }

    fn emit_loop(&mut self, bindings: &[(LocalId, Node)], body: &Node) {
        self.emit_bindings(bindings);
        self.emit_recur_target(body);
    }

    /// `body` inside a wasm `loop` that `recur` branches back to.
    fn emit_recur_target(&mut self, body: &Node) {
        self.push(Instruction::Loop(BlockType::Result(E)));
        let out = self.out();
        out.depth += 1;
        let depth = out.depth;
        out.recur_depths.push(depth);
        self.emit(body);
        let out = self.out();
        out.recur_depths.pop();
        out.depth -= 1;
        self.push(Instruction::End);
    }

    /// Evaluates every argument first (they may read the old bindings), then
    /// rebinds and jumps to the loop head.
    fn emit_recur(&mut self, targets: &[LocalId], args: &[Node]) {
        for arg in args {
            self.emit(arg);
        }
        for id in targets.iter().rev() {
            let index = self.out().local(*id);
            self.push(Instruction::LocalSet(index));
        }
        self.emit_poll_countdown();
        let out = self.out();
        let loop_depth = *out
            .recur_depths
            .last()
            .expect("the analyzer checked recur has a target");
        let relative = out.depth - loop_depth;
        self.push(Instruction::Br(relative));
    }

    /// Every loop iteration passes a `recur`: the one place a runaway loop can
    /// notice the user's interrupt. Calling out to the runtime's `poll` costs
    /// as much as a small loop body, so each `recur` counts the shared
    /// `countdown` global down and polls when it reaches zero (every
    /// `POLL_EVERY` iterations: microseconds apart).
    fn emit_poll_countdown(&mut self) {
        let countdown = self.module.countdown();
        self.push(Instruction::GlobalGet(countdown));
        self.push(Instruction::I32Eqz);
        self.push(Instruction::If(BlockType::Empty));
        self.push(Instruction::I32Const(POLL_EVERY));
        self.push(Instruction::GlobalSet(countdown));
        self.call_runtime("poll", vec![], vec![]);
        self.push(Instruction::Else);
        self.push(Instruction::GlobalGet(countdown));
        self.push(Instruction::I32Const(1));
        self.push(Instruction::I32Sub);
        self.push(Instruction::GlobalSet(countdown));
        self.push(Instruction::End);
    }

    /// Emits each arity as a function of its own, then the code that makes the
    /// fn value: `fn_new`, one `fn_arity` per arity, one `fn_capture` per
    /// captured value.
    fn emit_fn(&mut self, function: &FnNode) {
        let arity_functions: Vec<(u32, &FnArity)> = function
            .arities
            .iter()
            .map(|arity| (self.emit_arity(arity), arity))
            .collect();
        match &function.name {
            Some(name) => self.emit_const(&constant::string(name)),
            None => self.emit_nil(),
        }
        self.push(Instruction::I32Const(function.captures.len() as i32));
        self.call_runtime("fn_new", vec![E, ValType::I32], vec![E]);
        for (index, arity) in arity_functions {
            self.push(Instruction::I32Const(arity.params.len() as i32));
            self.push(Instruction::I32Const(i32::from(arity.variadic)));
            self.push(Instruction::RefFunc(index));
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
    }

    /// One arity as a wasm function `(self, params...) -> value`; returns its
    /// index among the patch's defined functions.
    fn emit_arity(&mut self, arity: &FnArity) -> u32 {
        self.functions.push(FunctionEmitter::new(1));
        self.emit_recur_target(&arity.body);
        let code = self.functions.pop().expect("pushed above");
        let params = arity.params.len() as u32;
        let type_index = self.module.type_of(vec![E; params as usize + 1], vec![E]);
        let function = code.finish(type_index, arity.local_count.saturating_sub(params));
        self.module.add_function(function)
    }

    fn emit_invoke(&mut self, f: &Node, args: &[Node]) {
        if let Node::VarValue(slot) = f {
            return self.emit_var_call(*slot, args);
        }
        self.emit(f);
        for arg in args {
            self.emit(arg);
        }
        let name = INVOKE_NAMES[args.len()];
        self.call_runtime(name, vec![E; args.len() + 1], vec![E]);
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
        self.note_read(slot);
        self.emit_var_value(slot);
        for arg in args {
            self.emit(arg);
        }
        let arity = args.len();
        self.push(Instruction::I32Const(
            (slot * CODE_STRIDE + arity as u32) as i32,
        ));
        let mut params = vec![E; arity + 1];
        params.push(ValType::I32);
        self.call_runtime(DISPATCH_NAMES[arity], params, vec![E]);
    }

    /// Tells the runtime a var has a new root, so it re-points the var's code entries.
    fn emit_var_changed(&mut self, slot: Slot) {
        self.push(Instruction::I32Const(slot as i32));
        self.call_runtime("var_changed", vec![ValType::I32], vec![]);
    }

    fn emit_intrinsic(&mut self, op: Intrinsic, args: &[Node]) {
        for arg in args {
            self.emit(arg);
        }
        self.call_runtime(op.import_name(), vec![E; args.len()], vec![E]);
    }
}

/// Loop iterations between two polls for an interrupt (`emit_poll_countdown`).
const POLL_EVERY: i32 = 1024;

/// The runtime's var-call dispatchers by argument count.
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

/// The runtime's call imports by argument count.
const INVOKE_NAMES: [&str; 21] = [
    "invoke0", "invoke1", "invoke2", "invoke3", "invoke4", "invoke5", "invoke6", "invoke7",
    "invoke8", "invoke9", "invoke10", "invoke11", "invoke12", "invoke13", "invoke14", "invoke15",
    "invoke16", "invoke17", "invoke18", "invoke19", "invoke20",
];
