//! Any op this server does not implement: answered `unknown-op`, never ignored
//! (CIDER and Calva wait for a reply to every request).

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct Unknown {
    request: Request,
}

impl Unknown {
    pub fn parse(request: Request) -> Self {
        Unknown { request }
    }

    pub fn apply(self, ctx: &Context) {
        tracing::debug!(op = ?self.request.op(), "unknown op");
        let reply = Reply::to(&self.request, self.request.session());
        ctx.send(reply.status(&["done", "error", "unknown-op"]));
    }
}
