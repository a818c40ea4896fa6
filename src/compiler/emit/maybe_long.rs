//! `LocalKind::MaybeLong`: values that are longs unless the code met one that
//! is not, on the wasm stack as an `i64` and an `externref` (null while the
//! value is the long; else the value itself, boxed).
//!
//! They come from a `defn`'s long version calling itself: `(+ (fib (- n 1))
//! (fib (- n 2)))` adds two `i64`s in wasm, with the overflow check, as long
//! as both calls went to the long version again; a call that went through
//! the var (someone redefined `fib`) gives a boxed value, and the `+` then
//! is the runtime's, as in any other code. The long version returns the pair,
//! so `fib` boxes nothing until its result leaves for the caller.

use wasm_encoder::{BlockType, HeapType, Instruction};

use super::super::ast::{Intrinsic, Node};
use super::{E, Emitter, I64, LocalKind};

impl Emitter<'_> {
    /// The block type of a `MaybeLong`: `[] -> [i64, externref]`.
    pub(super) fn maybe_long_block(&mut self) -> BlockType {
        BlockType::FunctionType(self.module.type_of(vec![], vec![I64, E]))
    }

    /// `node`, of kind `Long`, `MaybeLong` or `Never`, as a `MaybeLong`.
    pub(super) fn emit_maybe_long(&mut self, node: &Node) {
        match self.kind(node) {
            LocalKind::Long => {
                self.emit_long(node);
                self.push(Instruction::RefNull(HeapType::EXTERN));
                return;
            }
            LocalKind::Never => {
                self.emit(node);
                self.push(Instruction::Unreachable);
                return;
            }
            LocalKind::MaybeLong => {}
            LocalKind::Boxed => unreachable!("a boxed value is never asked for as a MaybeLong"),
        }
        match node {
            Node::Invoke { f, args } => {
                let Node::VarValue(slot) = **f else {
                    unreachable!("only a var's call of itself is a MaybeLong")
                };
                let code = self
                    .recursive_arity(slot, args.len())
                    .expect("a MaybeLong call is of the fn being emitted");
                self.emit_recursive_call_as(slot, code, args, true);
            }
            Node::Intrinsic { op, args } => self.emit_maybe_long_arithmetic(*op, args),
            Node::If {
                test,
                then,
                otherwise,
            } => {
                self.emit_test(test);
                let block = self.maybe_long_block();
                self.push(Instruction::If(block));
                self.out().depth += 1;
                let facts = self.assume_test(test);
                self.emit_maybe_long(then);
                self.forget(facts);
                self.push(Instruction::Else);
                self.emit_maybe_long(otherwise);
                self.push(Instruction::End);
                self.out().depth -= 1;
            }
            Node::Do { statements, ret } => {
                for statement in statements {
                    self.emit(statement);
                    self.push(Instruction::Drop);
                }
                self.emit_maybe_long(ret);
            }
            Node::Let { bindings, body } => {
                self.emit_bindings(bindings, body, true);
                self.emit_maybe_long(body);
            }
            _ => unreachable!("LongLocals::kind gives MaybeLong to no other node"),
        }
    }

    /// The `MaybeLong` on the stack as a boxed value.
    pub(super) fn emit_maybe_long_boxed(&mut self) {
        let boxed = self.out().scratch(E);
        let long = self.out().scratch(I64);
        self.push(Instruction::LocalSet(boxed));
        self.push(Instruction::LocalSet(long));
        self.push(Instruction::LocalGet(boxed));
        self.push(Instruction::RefIsNull);
        self.push(Instruction::If(BlockType::Result(E)));
        self.push(Instruction::LocalGet(long));
        self.emit_box();
        self.push(Instruction::Else);
        self.push(Instruction::LocalGet(boxed));
        // the scratch local lets go of the value
        self.push(Instruction::RefNull(HeapType::EXTERN));
        self.push(Instruction::LocalSet(boxed));
        self.push(Instruction::End);
        self.out().release(&[boxed, long]);
    }

    /// `+`, `-`, `*`, `inc` or `dec` of longs and `MaybeLong`s: in wasm, with
    /// the overflow check, when every operand is a long; else the runtime's
    /// op of the boxed operands.
    fn emit_maybe_long_arithmetic(&mut self, op: Intrinsic, args: &[Node]) {
        // each operand's i64 local, and its externref local when it may be boxed
        let mut operands = Vec::new();
        for arg in args {
            if self.kind(arg) == LocalKind::MaybeLong {
                self.emit_maybe_long(arg);
                let boxed = self.out().scratch(E);
                self.push(Instruction::LocalSet(boxed));
                let long = self.out().scratch(I64);
                self.push(Instruction::LocalSet(long));
                operands.push((long, Some(boxed)));
            } else {
                self.emit_long(arg);
                let long = self.out().scratch(I64);
                self.push(Instruction::LocalSet(long));
                operands.push((long, None));
            }
        }
        let mut tests = 0;
        for &(_, boxed) in &operands {
            if let Some(boxed) = boxed {
                self.push(Instruction::LocalGet(boxed));
                self.push(Instruction::RefIsNull);
                if tests > 0 {
                    self.push(Instruction::I32And);
                }
                tests += 1;
            }
        }
        let block = self.maybe_long_block();
        self.push(Instruction::If(block));
        self.emit_checked_long_op(op, &operands.iter().map(|(l, _)| *l).collect::<Vec<_>>());
        self.push(Instruction::RefNull(HeapType::EXTERN));
        self.push(Instruction::Else);
        self.push(Instruction::I64Const(0));
        for &(long, boxed) in &operands {
            match boxed {
                Some(boxed) => {
                    self.push(Instruction::LocalGet(boxed));
                    self.push(Instruction::RefIsNull);
                    self.push(Instruction::If(BlockType::Result(E)));
                    self.push(Instruction::LocalGet(long));
                    self.emit_box();
                    self.push(Instruction::Else);
                    self.push(Instruction::LocalGet(boxed));
                    self.push(Instruction::End);
                }
                None => {
                    self.push(Instruction::LocalGet(long));
                    self.emit_box();
                }
            }
        }
        self.call_runtime(op.import_name(), vec![E; args.len()], vec![E]);
        self.push(Instruction::End);
        let mut locals = Vec::new();
        for (long, boxed) in operands {
            locals.push(long);
            if let Some(boxed) = boxed {
                // let go of the operands' values
                self.push(Instruction::RefNull(HeapType::EXTERN));
                self.push(Instruction::LocalSet(boxed));
                locals.push(boxed);
            }
        }
        self.out().release(&locals);
    }

    /// `op` of the `i64`s in `operands`, with Clojure's overflow checks.
    fn emit_checked_long_op(&mut self, op: Intrinsic, operands: &[u32]) {
        match (op, operands) {
            (Intrinsic::Inc | Intrinsic::Dec, &[x]) => {
                let one = self.out().scratch(I64);
                self.push(Instruction::I64Const(1));
                self.push(Instruction::LocalSet(one));
                self.emit_checked_add_or_sub(x, one, op == Intrinsic::Dec);
                self.out().release(&[one]);
            }
            (Intrinsic::Add, &[x, y]) => self.emit_checked_add_or_sub(x, y, false),
            (Intrinsic::Sub, &[x, y]) => self.emit_checked_add_or_sub(x, y, true),
            (Intrinsic::Mul, &[x, y]) => self.emit_checked_mul(x, y),
            _ => unreachable!("Intrinsic::keeps_maybe_long admits only these"),
        }
    }

    /// A long version's body (`emit_recur_target`'s loop) that leaves a `MaybeLong`.
    pub(super) fn emit_maybe_long_recur_target(&mut self, body: &Node) {
        let block = self.maybe_long_block();
        self.emit_recur_target_as(block, true, |emitter| emitter.emit_maybe_long(body));
    }
}
