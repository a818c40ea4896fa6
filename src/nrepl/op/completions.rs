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
        let ns = ctx.query_ns(request);
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
