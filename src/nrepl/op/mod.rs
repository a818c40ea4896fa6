//! nREPL operations: the `Op` enum parsed from a request, one file per op,
//! each with its own `parse` and `apply`.

mod clone;
mod close;
mod describe;
mod eval;
mod unknown;

use std::sync::Arc;

use tokio::sync::mpsc;

use super::frame::Frame;
use super::message::{Reply, Request};
use super::session::Session;
use crate::server::Shared;

/// Where an op writes its replies: the connection's writer task.
pub type ReplySink = mpsc::UnboundedSender<Frame>;

/// What an op runs with: the program's shared state and the connection's sink.
#[derive(Clone)]
pub struct Context {
    pub shared: Arc<Shared>,
    pub replies: ReplySink,
}

impl Context {
    pub fn send(&self, reply: Reply) {
        // A closed connection drops its replies; the op still finishes.
        let _ = self.replies.send(reply.into_frame());
    }

    /// The session a request names, or a fresh unregistered one when it names
    /// none (nREPL serves sessionless requests in an ephemeral session). An
    /// unknown session id is answered `unknown-session` here and gives `None`.
    pub fn session_for(&self, request: &Request) -> Option<Arc<Session>> {
        match request.session() {
            None => Some(Session::start(crate::DEFAULT_NS.to_string())),
            Some(id) => {
                let found = self.shared.sessions.get(id);
                if found.is_none() {
                    self.send(Reply::to(request, Some(id)).status(&[
                        "done",
                        "error",
                        "unknown-session",
                    ]));
                }
                found
            }
        }
    }
}

/// One parsed request.
pub enum Op {
    Clone(clone::Clone),
    Close(close::Close),
    Describe(describe::Describe),
    Eval(eval::Eval),
    Unknown(unknown::Unknown),
}

/// Every op name this server answers, as `describe` lists them.
pub const OP_NAMES: &[&str] = &["clone", "close", "describe", "eval"];

impl Op {
    pub fn parse(request: Request) -> Op {
        match request.op() {
            Some("clone") => Op::Clone(clone::Clone::parse(request)),
            Some("close") => Op::Close(close::Close::parse(request)),
            Some("describe") => Op::Describe(describe::Describe::parse(request)),
            Some("eval") => Op::Eval(eval::Eval::parse(request)),
            _ => Op::Unknown(unknown::Unknown::parse(request)),
        }
    }

    /// Runs the op. Ops that evaluate code queue it on their session and return
    /// at once, so the connection keeps reading (for `interrupt`, other sessions).
    pub fn apply(self, ctx: &Context) {
        match self {
            Op::Clone(op) => op.apply(ctx),
            Op::Close(op) => op.apply(ctx),
            Op::Describe(op) => op.apply(ctx),
            Op::Eval(op) => op.apply(ctx),
            Op::Unknown(op) => op.apply(ctx),
        }
    }
}
