//! Volatiles that never leave the function that makes them: `(let [r
//! (volatile! x)] ... (vreset! r y) ... @r)`, where `r` is read only as the
//! volatile of `vreset!` and `deref`, keep their value in a wasm local, and
//! those calls are a `local.set` and a `local.get` instead of calls of the
//! runtime.
//!
//! Nobody can tell, as long as nobody could see the volatile: the moment a
//! call would hand it to code other than the library's (`vreset!` or
//! `deref` redefined, by `with-redefs` say: their guards), the real volatile
//! is made from the value the local holds, and from then on every use goes
//! through the vars with it, as any other code's would. So does a binding
//! made while `volatile!` itself is redefined.

use wasm_encoder::{BlockType, HeapType, Instruction, ValType};

use super::super::ast::{LocalId, Node};
use super::super::namespace::Slot;
use super::{E, Emitter, VAR_CALL_NAMES};

/// A local bound to a volatile kept as its value (the local holds the value).
#[derive(Clone, Copy, Debug)]
pub(super) struct ScalarVolatile {
    /// The scratch local that holds the real volatile once one is made (null before).
    made: u32,
    /// `clojure.core/volatile!`, which makes it.
    make: Slot,
}

impl Emitter<'_> {
    /// Whether var `slot` is clojure.core's own `name`, not redefined since
    /// the code was compiled (a library fn: its guard says so when it runs).
    fn is_core_fn(&self, slot: Slot, name: &str) -> bool {
        let var = self.namespaces.var(slot);
        var.ns == "clojure.core" && var.name == name && self.is_library_fn(slot)
    }

    /// For a `let` binding of `id` to `value`: `volatile!`'s slot and the
    /// initial value when `value` is `(volatile! x)` and every read of `id`
    /// in `later` bindings and `body` is the volatile of a `vreset!` or
    /// `deref` (none inside a fn made here: that would capture it).
    pub(super) fn scalar_volatile<'n>(
        &self,
        id: LocalId,
        value: &'n Node,
        later: &[(LocalId, Node)],
        body: &Node,
    ) -> Option<(Slot, &'n Node)> {
        let Node::Invoke { f, args } = value else {
            return None;
        };
        let (Node::VarValue(make), [init]) = (&**f, &args[..]) else {
            return None;
        };
        if !self.is_core_fn(*make, "volatile!") {
            return None;
        }
        let only_as_volatile = later
            .iter()
            .map(|(_, value)| value)
            .chain([body])
            .all(|node| self.reads_only_as_volatile(node, id));
        only_as_volatile.then_some((*make, init))
    }

    /// Whether every read of `id` in `node` is the volatile of a call of
    /// `vreset!` or `deref`.
    fn reads_only_as_volatile(&self, node: &Node, id: LocalId) -> bool {
        if let Some((_, rest)) = self.volatile_call(node, id) {
            return rest.iter().all(|arg| self.reads_only_as_volatile(arg, id));
        }
        if matches!(node, Node::Local(read) if *read == id) {
            return false;
        }
        let mut only = true;
        node.for_each_child(|child| only = only && self.reads_only_as_volatile(child, id));
        only
    }

    /// Whether var `slot` called with `argc` arguments is `(vreset! v x)` or `(deref v)`.
    fn is_volatile_op(&self, slot: Slot, argc: usize) -> bool {
        match argc {
            2 => self.is_core_fn(slot, "vreset!"),
            1 => self.is_core_fn(slot, "deref"),
            _ => false,
        }
    }

    /// When `node` is `(vreset! id x)` or `(deref id)`: the var called and
    /// the arguments after the volatile.
    fn volatile_call<'n>(&self, node: &'n Node, id: LocalId) -> Option<(Slot, &'n [Node])> {
        let Node::Invoke { f, args } = node else {
            return None;
        };
        let (Node::VarValue(slot), Some(Node::Local(first))) = (&**f, args.first()) else {
            return None;
        };
        (self.is_volatile_op(*slot, args.len()) && *first == id).then_some((*slot, &args[1..]))
    }

    /// Binds `id` to `(volatile! init)` kept as its value: the value goes
    /// into the local while `volatile!` is the library's; else the real
    /// volatile, made through the var, into its `made` local.
    pub(super) fn emit_scalar_volatile_binding(&mut self, id: LocalId, make: Slot, init: &Node) {
        self.note_read(make);
        self.module.use_var(make);
        let made = self.out().scratch(E);
        let index = self.out().local(id);
        self.emit(init);
        let guard = self.module.direct_guard(make);
        self.push(Instruction::GlobalGet(guard));
        let takes_value = self.module.type_of(vec![E], vec![]);
        self.push(Instruction::If(BlockType::FunctionType(takes_value)));
        self.push(Instruction::LocalSet(index));
        self.push(Instruction::RefNull(HeapType::EXTERN));
        self.push(Instruction::LocalSet(made));
        self.push(Instruction::Else);
        self.push(Instruction::I32Const(make as i32));
        self.call_runtime(VAR_CALL_NAMES[1], vec![E, ValType::I32], vec![E]);
        self.push(Instruction::LocalSet(made));
        self.push(Instruction::End);
        self.out()
            .volatiles
            .insert(id, ScalarVolatile { made, make });
    }

    /// A `vreset!` or `deref` of a scalar volatile (`emit_var_call` asks
    /// first); false, having emitted nothing, for any other call.
    pub(super) fn emit_scalar_volatile_call(&mut self, slot: Slot, args: &[Node]) -> bool {
        let Some(Node::Local(id)) = args.first() else {
            return false;
        };
        let Some(volatile) = self.out().volatiles.get(id).copied() else {
            return false;
        };
        assert!(
            self.is_volatile_op(slot, args.len()),
            "scalar_volatile found every read of the local in such a call"
        );
        let index = self.out().local(*id);
        self.note_read(slot);
        self.module.use_var(slot);
        let new_value = match args.get(1) {
            Some(value) => {
                self.emit(value);
                let local = self.out().scratch(E);
                self.push(Instruction::LocalSet(local));
                Some(local)
            }
            None => None,
        };
        // still the value alone, and the library's fn
        self.push(Instruction::LocalGet(volatile.made));
        self.push(Instruction::RefIsNull);
        let guard = self.module.direct_guard(slot);
        self.push(Instruction::GlobalGet(guard));
        self.push(Instruction::I32And);
        self.push(Instruction::If(BlockType::Result(E)));
        match new_value {
            Some(local) => {
                self.push(Instruction::LocalGet(local));
                self.push(Instruction::LocalSet(index));
                self.push(Instruction::LocalGet(local));
            }
            None => self.push(Instruction::LocalGet(index)),
        }
        self.push(Instruction::Else);
        self.emit_made_volatile(volatile, index);
        if let Some(local) = new_value {
            self.push(Instruction::LocalGet(local));
        }
        self.push(Instruction::I32Const(slot as i32));
        let mut params = vec![E; args.len()];
        params.push(ValType::I32);
        self.call_runtime(VAR_CALL_NAMES[args.len()], params, vec![E]);
        self.push(Instruction::End);
        if let Some(local) = new_value {
            self.push(Instruction::RefNull(HeapType::EXTERN));
            self.push(Instruction::LocalSet(local));
            self.out().release(&[local]);
        }
        true
    }

    /// The real volatile of `volatile`, made (by the library's `volatile!`,
    /// which made it in the code's eyes) from the value in local `index` on
    /// first need.
    fn emit_made_volatile(&mut self, volatile: ScalarVolatile, index: u32) {
        self.push(Instruction::LocalGet(volatile.made));
        self.push(Instruction::RefIsNull);
        self.push(Instruction::If(BlockType::Empty));
        self.push(Instruction::LocalGet(index));
        let make = self.module.direct_fn(volatile.make, 1);
        self.push(Instruction::Call(make));
        self.push(Instruction::LocalSet(volatile.made));
        self.push(Instruction::RefNull(HeapType::EXTERN));
        self.push(Instruction::LocalSet(index));
        self.push(Instruction::End);
        self.push(Instruction::LocalGet(volatile.made));
    }
}
