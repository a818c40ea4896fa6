//! nREPL operations: the `Op` enum parsed from a request, one file per op,
//! each with its own `parse` and `apply`.

mod classpath;
mod clone;
mod close;
mod completions;
mod describe;
mod eldoc;
mod eval;
mod interrupt;
mod load_file;
mod lookup;
mod ls_runtimes;
mod ls_sessions;
mod macroexpand;
mod select_runtime;
mod stdin;
mod unknown;

use std::sync::Arc;

use super::attachments::Attachments;
use super::message::{Reply, Request};
use super::reply_queue::ReplySink;
use super::server::Shared;
use super::session::Session;

/// What an op runs with: the program's shared state, the connection's reply
/// queue, and the sessions the connection uses.
#[derive(Clone)]
pub struct Context {
    pub shared: Arc<Shared>,
    pub replies: ReplySink,
    pub attachments: Arc<Attachments>,
}

impl Context {
    pub fn send(&self, reply: Reply) {
        // A closed connection drops its replies; the op still finishes.
        self.replies.send(&reply.into_frame());
    }

    /// Answers a request that names a session that does not exist, as nREPL
    /// does for every op.
    pub fn send_unknown_session(&self, request: &Request) {
        self.send(Reply::to(request, request.session()).status(&[
            "done",
            "error",
            "unknown-session",
        ]));
    }

    /// The namespace a query (completions, lookup, ...) is asked in: the
    /// request's `ns`, else the session's.
    pub fn query_ns(&self, request: &Request) -> String {
        if let Some(ns) = request.str("ns").filter(|ns| !ns.is_empty()) {
            return ns.to_string();
        }
        request
            .session()
            .and_then(|id| self.shared.sessions.get(id))
            .map(|session| session.ns())
            .unwrap_or_else(|| crate::DEFAULT_NS.to_string())
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
                    self.send_unknown_session(request);
                }
                found
            }
        }
    }
}

/// The symbol a lookup asks about (`sym`, or `symbol` as some clients send it).
pub fn queried_symbol(request: &Request) -> &str {
    request
        .str("sym")
        .or(request.str("symbol"))
        .unwrap_or_default()
}

/// One parsed request.
pub enum Op {
    Classpath(classpath::Classpath),
    Clone(clone::Clone),
    Close(close::Close),
    Completions(completions::Completions),
    Describe(describe::Describe),
    Eldoc(eldoc::Eldoc),
    Eval(eval::Eval),
    Interrupt(interrupt::Interrupt),
    LoadFile(load_file::LoadFile),
    Lookup(lookup::Lookup),
    LsRuntimes(ls_runtimes::LsRuntimes),
    LsSessions(ls_sessions::LsSessions),
    Macroexpand(macroexpand::Macroexpand),
    SelectRuntime(select_runtime::SelectRuntime),
    Stdin(stdin::Stdin),
    Unknown(unknown::Unknown),
}

/// Every op name this server answers, with a line on what it does, as
/// `describe` lists them.
pub const OPS: &[(&str, &str)] = &[
    (
        "classpath",
        "Where source files are: the server's working directory.",
    ),
    (
        "clone",
        "Clones the given session (or a fresh one), returning the new session's id.",
    ),
    ("close", "Closes the given session."),
    (
        "complete",
        "Completion candidates for a prefix (cider-nrepl's form of completions).",
    ),
    ("completions", "Completion candidates for a prefix."),
    (
        "describe",
        "Describes this server: its ops, versions and aux facts.",
    ),
    (
        "eldoc",
        "Arglists and docstring of a symbol, for the echo area.",
    ),
    (
        "eval",
        "Evaluates code as WebAssembly in the session's runtime.",
    ),
    (
        "info",
        "What a symbol names (cider-nrepl's form of lookup).",
    ),
    ("interrupt", "Interrupts the session's running eval."),
    ("load-file", "Evaluates a file's contents."),
    (
        "lookup",
        "What a symbol names: namespace, arglists, docstring, definition site.",
    ),
    (
        "ls-runtimes",
        "Lists the connected runtimes (browser pages, Node) and which one the session uses.",
    ),
    ("ls-sessions", "Lists the open sessions."),
    ("macroexpand", "Expands a form's macros."),
    (
        "select-runtime",
        "Pins the session to the runtime runtime-id (none: follow the most recent).",
    ),
    ("stdin", "Input for the running eval's read-line."),
];

impl Op {
    pub fn parse(request: Request) -> Op {
        match request.op() {
            Some("classpath") => Op::Classpath(classpath::Classpath::parse(request)),
            Some("clone") => Op::Clone(clone::Clone::parse(request)),
            Some("close") => Op::Close(close::Close::parse(request)),
            Some("completions" | "complete") => {
                Op::Completions(completions::Completions::parse(request))
            }
            Some("describe") => Op::Describe(describe::Describe::parse(request)),
            Some("eldoc") => Op::Eldoc(eldoc::Eldoc::parse(request)),
            Some("eval") => Op::Eval(eval::Eval::parse(request)),
            Some("interrupt") => Op::Interrupt(interrupt::Interrupt::parse(request)),
            Some("load-file") => Op::LoadFile(load_file::LoadFile::parse(request)),
            Some("lookup") => Op::Lookup(lookup::Lookup::parse(request, false)),
            Some("info") => Op::Lookup(lookup::Lookup::parse(request, true)),
            Some("ls-runtimes") => Op::LsRuntimes(ls_runtimes::LsRuntimes::parse(request)),
            Some("select-runtime") => {
                Op::SelectRuntime(select_runtime::SelectRuntime::parse(request))
            }
            Some("ls-sessions") => Op::LsSessions(ls_sessions::LsSessions::parse(request)),
            Some("macroexpand") => Op::Macroexpand(macroexpand::Macroexpand::parse(request)),
            Some("stdin") => Op::Stdin(stdin::Stdin::parse(request)),
            _ => Op::Unknown(unknown::Unknown::parse(request)),
        }
    }

    /// Runs the op. Ops that evaluate code queue it on their session and return
    /// at once, so the connection keeps reading (for `interrupt`, other sessions).
    pub fn apply(self, ctx: &Context) {
        match self {
            Op::Classpath(op) => op.apply(ctx),
            Op::Clone(op) => op.apply(ctx),
            Op::Close(op) => op.apply(ctx),
            Op::Completions(op) => op.apply(ctx),
            Op::Describe(op) => op.apply(ctx),
            Op::Eldoc(op) => op.apply(ctx),
            Op::Eval(op) => op.apply(ctx),
            Op::Interrupt(op) => op.apply(ctx),
            Op::LoadFile(op) => op.apply(ctx),
            Op::Lookup(op) => op.apply(ctx),
            Op::LsRuntimes(op) => op.apply(ctx),
            Op::LsSessions(op) => op.apply(ctx),
            Op::Macroexpand(op) => op.apply(ctx),
            Op::SelectRuntime(op) => op.apply(ctx),
            Op::Stdin(op) => op.apply(ctx),
            Op::Unknown(op) => op.apply(ctx),
        }
    }
}
