//! Counted loops: a `loop` whose every `recur` counts a long local up by one
//! below a constant bound, from a constant start, and whose body calls
//! nothing, runs a known, small number of short iterations
//! (`(loop [i 0] (if (< i 10000000) (recur (inc i)) i))`). It finishes
//! within a fraction of a second on its own, so its `recur`s do not poll for
//! an interrupt, as HotSpot leaves the safepoint poll out of counted loops.

use super::super::ast::{Intrinsic, LocalId, Node};
use super::longs::literal_long;

/// The most iterations a counted loop may run: at a few nanoseconds each
/// (the body calls nothing), well under a second between two interrupts.
const MAX_UNPOLLED_ITERATIONS: i64 = 1 << 26;

/// Whether the `loop` of `bindings` and `body` is a counted loop, its
/// counter one of the locals `is_long` says is a primitive long.
pub fn is_counted_loop(
    bindings: &[(LocalId, Node)],
    body: &Node,
    is_long: impl Fn(LocalId) -> bool,
) -> bool {
    if !calls_nothing(body) {
        return false;
    }
    bindings.iter().enumerate().any(|(position, (id, init))| {
        let Node::Const(start) = init else {
            return false;
        };
        let Some(start) = literal_long(start) else {
            return false;
        };
        is_long(*id) && every_recur_counts(body, *id, position, start, false)
    })
}

/// Whether every `recur` of this loop in `node` passes `(inc counter)` at
/// `position` inside the then-branch of a `(< counter bound)` whose bound
/// is at most `MAX_UNPOLLED_ITERATIONS` above `start` (`bounded`: such a
/// test encloses `node`).
fn every_recur_counts(
    node: &Node,
    counter: LocalId,
    position: usize,
    start: i64,
    bounded: bool,
) -> bool {
    match node {
        Node::Recur { args, .. } => {
            bounded
                && matches!(
                    args.get(position),
                    Some(Node::Intrinsic { op: Intrinsic::Inc, args }) if matches!(&args[..], [Node::Local(id)] if *id == counter)
                )
        }
        Node::If {
            test,
            then,
            otherwise,
        } => {
            let bounds = bounds_counter(test, counter, start);
            every_recur_counts(test, counter, position, start, false)
                && every_recur_counts(then, counter, position, start, bounded || bounds)
                && every_recur_counts(otherwise, counter, position, start, bounded)
        }
        // a nested loop's recurs are its own (and calls_nothing keeps them out)
        _ => {
            let mut all = true;
            node.for_each_child(|child| {
                all = all && every_recur_counts(child, counter, position, start, bounded)
            });
            all
        }
    }
}

/// Whether `test` is `(< counter bound)` with a constant bound at most
/// `MAX_UNPOLLED_ITERATIONS` above `start`.
fn bounds_counter(test: &Node, counter: LocalId, start: i64) -> bool {
    let Node::Intrinsic {
        op: Intrinsic::Lt,
        args,
    } = test
    else {
        return false;
    };
    let [Node::Local(id), Node::Const(bound)] = &args[..] else {
        return false;
    };
    let iterations = literal_long(bound).and_then(|bound| bound.checked_sub(start));
    *id == counter && iterations.is_some_and(|n| n <= MAX_UNPOLLED_ITERATIONS)
}

/// Whether `node` calls no fn and has no loop or fn of its own: each of its
/// steps takes a bounded time.
fn calls_nothing(node: &Node) -> bool {
    let plain = matches!(
        node,
        Node::Const(_)
            | Node::Nil
            | Node::Local(_)
            | Node::Captured(_)
            | Node::SelfRef
            | Node::VarValue(_)
            | Node::Intrinsic { .. }
            | Node::If { .. }
            | Node::Do { .. }
            | Node::Let { .. }
            | Node::Recur { .. }
    );
    let mut all = plain;
    node.for_each_child(|child| all = all && calls_nothing(child));
    all
}

#[cfg(test)]
mod tests {
    use super::super::super::ast::Constant;
    use super::*;

    fn long(n: i64) -> Node {
        Node::Const(Constant::from(serde_json::json!({ "long": n.to_string() })))
    }

    fn counting_loop(bound: i64, step: Intrinsic) -> (Vec<(LocalId, Node)>, Node) {
        let i = LocalId(0);
        let body = Node::If {
            test: Box::new(Node::Intrinsic {
                op: Intrinsic::Lt,
                args: vec![Node::Local(i), long(bound)],
            }),
            then: Box::new(Node::Recur {
                targets: vec![i],
                args: vec![Node::Intrinsic {
                    op: step,
                    args: vec![Node::Local(i)],
                }],
            }),
            otherwise: Box::new(Node::Local(i)),
        };
        (vec![(i, long(0))], body)
    }

    #[test]
    fn a_loop_counting_up_to_a_constant_is_counted() {
        let (bindings, body) = counting_loop(10_000_000, Intrinsic::Inc);
        assert!(is_counted_loop(&bindings, &body, |_| true));
        assert!(
            !is_counted_loop(&bindings, &body, |_| false),
            "a boxed counter"
        );
    }

    #[test]
    fn a_loop_counting_down_or_far_is_not() {
        let (bindings, body) = counting_loop(10_000_000, Intrinsic::Dec);
        assert!(!is_counted_loop(&bindings, &body, |_| true));
        let (bindings, body) = counting_loop(1 << 40, Intrinsic::Inc);
        assert!(!is_counted_loop(&bindings, &body, |_| true));
    }
}
