//! `completions` (nREPL) and `complete` (cider-nrepl): candidates for a prefix,
//! answered from the compiler's symbol tables without asking a runtime.

use super::Context;
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, dict};

pub struct Completions {
    request: Request,
}

impl Completions {
    pub fn parse(request: Request) -> Self {
        Completions { request }
    }

    pub fn apply(self, ctx: &Context) {
        let request = &self.request;
        let prefix = request
            .str("prefix")
            .or(request.str("symbol"))
            .unwrap_or_default();
        let ns = current_ns(ctx, request);
        let candidates = ctx.shared.evaluator.completions(&ns, prefix);
        let list = Frame::List(
            candidates
                .iter()
                .map(|c| {
                    let mut entry = vec![
                        ("candidate", Frame::str(&c.candidate)),
                        ("type", Frame::str(c.kind)),
                    ];
                    if let Some(ns) = &c.ns {
                        entry.push(("ns", Frame::str(ns)));
                    }
                    dict(entry)
                })
                .collect(),
        );
        ctx.send(
            Reply::to(request, request.session())
                .set("completions", list)
                .status(&["done"]),
        );
    }
}

/// The namespace a query is asked in: the request's `ns`, else the session's.
pub fn current_ns(ctx: &Context, request: &Request) -> String {
    if let Some(ns) = request.str("ns").filter(|ns| !ns.is_empty()) {
        return ns.to_string();
    }
    request
        .session()
        .and_then(|id| ctx.shared.sessions.get(id))
        .map(|session| session.ns())
        .unwrap_or_else(|| crate::DEFAULT_NS.to_string())
}
