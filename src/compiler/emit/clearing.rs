//! Locals clearing: which reads of a local are its last, so that the emitter
//! can let go of the value there (`ref.null` into the local) and no frame
//! keeps what the code no longer needs: `(let [s (map f xs)] (reduce + s))`
//! then walks `s` in constant memory, as Clojure's own locals clearing lets
//! it. A read is the last when no path after it reads the local again:
//!
//! - reads are looked at in the order the emitter emits them (children in
//!   order, a `defonce`'s metadata before its value);
//! - of an `if`'s two branches, each may hold last reads; a local read in
//!   only one of them keeps its earlier read alive (that one is not the last
//!   on the other path);
//! - a read inside a `loop` of a local bound outside it is never the last
//!   (the next iteration reads it again), nor is a read that makes a
//!   `letfn`'s fns (the emitter reads those locals again to tie the fns
//!   together);
//! - a `recur` rebinds what it jumps back to, so a loop's own locals are
//!   cleared at their last read in each iteration.
//!
//! Only boxed locals are cleared (a primitive long holds nothing).

use std::collections::{HashMap, HashSet};

use super::super::ast::{FnNode, LocalId, Node};

/// The last reads of the locals of one wasm function, by node (the tree is
/// borrowed, never moved, while its function is emitted).
#[derive(Debug, Default)]
pub struct LastReads {
    reads: HashSet<*const Node>,
}

impl LastReads {
    /// Finds them for a function body whose `params` are bound on entry.
    pub fn find(body: &Node, params: &[LocalId]) -> LastReads {
        let mut walk = Walk::default();
        for param in params {
            walk.bound_in.insert(*param, 0);
        }
        walk.visit(body);
        LastReads {
            reads: walk
                .last
                .into_values()
                .flatten()
                .map(|read| read as *const Node)
                .collect(),
        }
    }

    /// Whether `node` (a `Node::Local`) is the last read of its local.
    pub fn contains(&self, node: &Node) -> bool {
        self.reads.contains(&(node as *const Node))
    }
}

#[derive(Default)]
struct Walk<'a> {
    /// For each local read so far, the reads that are the last on the paths
    /// walked (none when the latest read cannot let go of the value).
    last: HashMap<LocalId, Vec<&'a Node>>,
    /// How many `loop`s (of this function) enclose each local's binding.
    bound_in: HashMap<LocalId, u32>,
    loops: u32,
    /// In an `if`'s branch: the locals read in it, with what `last` held
    /// for them before the branch (innermost branch last).
    branches: Vec<HashMap<LocalId, Vec<&'a Node>>>,
    /// Reads here never let go (the captures of a `letfn`'s fns).
    keep_alive: bool,
}

impl<'a> Walk<'a> {
    fn visit(&mut self, node: &'a Node) {
        match node {
            Node::Local(id) => self.read(*id, node),
            Node::Def {
                init: Some(init),
                once: true,
                meta,
                ..
            } => {
                self.visit(meta);
                self.visit(init);
            }
            Node::If {
                test,
                then,
                otherwise,
            } => {
                self.visit(test);
                self.visit_branches(then, otherwise);
            }
            Node::Let { bindings, body } => {
                for (id, value) in bindings {
                    self.visit(value);
                    self.bound_in.insert(*id, self.loops);
                }
                self.visit(body);
            }
            Node::Loop { bindings, body } => {
                bindings.iter().for_each(|(_, value)| self.visit(value));
                self.loops += 1;
                for (id, _) in bindings {
                    self.bound_in.insert(*id, self.loops);
                }
                self.visit(body);
                self.loops -= 1;
            }
            Node::LetFn { bindings, body } => {
                for (id, _) in bindings {
                    self.bound_in.insert(*id, self.loops);
                }
                let keep_alive = std::mem::replace(&mut self.keep_alive, true);
                for (_, function) in bindings {
                    self.visit_captures(function);
                }
                self.keep_alive = keep_alive;
                self.visit(body);
            }
            _ => node.for_each_child(|child| self.visit(child)),
        }
    }

    fn visit_captures(&mut self, function: &'a FnNode) {
        function
            .captures
            .iter()
            .for_each(|capture| self.visit(capture));
    }

    fn read(&mut self, id: LocalId, node: &'a Node) {
        let lets_go = !self.keep_alive && self.bound_in.get(&id) == Some(&self.loops);
        self.set_last(id, if lets_go { vec![node] } else { Vec::new() });
    }

    /// Records `reads` as the last of `id`, remembering in the innermost
    /// branch what was there before.
    fn set_last(&mut self, id: LocalId, reads: Vec<&'a Node>) {
        let before = self.last.insert(id, reads).unwrap_or_default();
        if let Some(branch) = self.branches.last_mut() {
            branch.entry(id).or_insert(before);
        }
    }

    /// Walks both branches from the same state; a local read in either then
    /// has as last reads those of the branches that read it.
    fn visit_branches(&mut self, then: &'a Node, otherwise: &'a Node) {
        let then_reads = self.visit_branch(then);
        let otherwise_reads = self.visit_branch(otherwise);
        let mut merged: HashMap<LocalId, Vec<&'a Node>> = HashMap::new();
        for (id, reads) in then_reads.into_iter().chain(otherwise_reads) {
            merged.entry(id).or_default().extend(reads);
        }
        for (id, reads) in merged {
            self.set_last(id, reads);
        }
    }

    /// Walks one branch and undoes what it changed; returns the last reads
    /// of the locals it read.
    fn visit_branch(&mut self, branch: &'a Node) -> Vec<(LocalId, Vec<&'a Node>)> {
        self.branches.push(HashMap::new());
        self.visit(branch);
        let before = self.branches.pop().expect("pushed above");
        before
            .into_iter()
            .map(|(id, earlier)| {
                let reads = self.last.insert(id, earlier).unwrap_or_default();
                (id, reads)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::ast::Constant;

    fn local(id: u32) -> Node {
        Node::Local(LocalId(id))
    }

    fn call(args: Vec<Node>) -> Node {
        Node::Invoke {
            f: Box::new(Node::Nil),
            args,
        }
    }

    fn cleared(body: &Node, params: &[LocalId]) -> Vec<bool> {
        let reads = LastReads::find(body, params);
        let mut found = Vec::new();
        collect_locals(body, &mut |node| found.push(reads.contains(node)));
        found
    }

    /// Every `Node::Local` in emission order (`for_each_child`'s order in these trees).
    fn collect_locals<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node)) {
        if let Node::Local(_) = node {
            f(node);
        }
        node.for_each_child(|child| collect_locals(child, f));
    }

    #[test]
    fn only_the_latest_read_lets_go() {
        let body = Node::Let {
            bindings: vec![(LocalId(0), call(vec![]))],
            body: Box::new(call(vec![local(0), local(0)])),
        };
        assert_eq!(cleared(&body, &[]), [false, true]);
    }

    #[test]
    fn a_local_read_in_one_branch_keeps_its_earlier_read() {
        // (let [s ..] (f s) (if c (g s) 1)): the then-branch read is the last
        // on its path; (f s) is not (the then path reads s after it)
        let body = Node::Let {
            bindings: vec![(LocalId(0), call(vec![]))],
            body: Box::new(Node::Do {
                statements: vec![call(vec![local(0)])],
                ret: Box::new(Node::If {
                    test: Box::new(Node::Const(Constant::Bool(true))),
                    then: Box::new(call(vec![local(0)])),
                    otherwise: Box::new(Node::Nil),
                }),
            }),
        };
        assert_eq!(cleared(&body, &[]), [false, true]);
    }

    #[test]
    fn both_branches_let_go() {
        let body = Node::If {
            test: Box::new(local(0)),
            then: Box::new(call(vec![local(0)])),
            otherwise: Box::new(local(0)),
        };
        assert_eq!(cleared(&body, &[LocalId(0)]), [false, true, true]);
    }

    #[test]
    fn a_read_in_a_loop_of_a_local_from_outside_keeps_it() {
        // (fn [x] (loop [i x] (recur (f x)))): the loop reads x at every turn
        let body = Node::Loop {
            bindings: vec![(LocalId(1), local(0))],
            body: Box::new(Node::Recur {
                targets: vec![LocalId(1)],
                args: vec![call(vec![local(0), local(1)])],
            }),
        };
        assert_eq!(cleared(&body, &[LocalId(0)]), [false, false, true]);
    }

    #[test]
    fn letfn_captures_keep_their_locals() {
        let function = FnNode {
            name: None,
            arities: Vec::new(),
            captures: vec![local(0)],
        };
        let body = Node::LetFn {
            bindings: vec![(LocalId(0), function)],
            body: Box::new(Node::Nil),
        };
        assert_eq!(cleared(&body, &[]), [false]);
    }
}
