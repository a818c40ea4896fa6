//! `macroexpand` (cider-nrepl): the expansion of `code` by `expander`
//! (`macroexpand-1`, `macroexpand` or `macroexpand-all`).

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct Macroexpand {
    request: Request,
}

impl Macroexpand {
    pub fn parse(request: Request) -> Self {
        Macroexpand { request }
    }

    pub fn apply(self, ctx: &Context) {
        let request = &self.request;
        let code = request.str("code").unwrap_or_default();
        let expander = request.str("expander").unwrap_or("macroexpand");
        let ns = ctx.query_ns(request);
        let reply = Reply::to(request, request.session());
        ctx.send(
            match ctx.shared.evaluator.macroexpand(&ns, code, expander) {
                Ok(expansion) => reply.str("expansion", &expansion).status(&["done"]),
                Err(message) => reply.str("err", &format!("{message}\n")).status(&[
                    "done",
                    "error",
                    "macroexpand-error",
                ]),
            },
        );
    }
}
