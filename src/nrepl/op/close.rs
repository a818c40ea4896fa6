//! `close`: ends a session; its queued evals still finish.

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct Close {
    request: Request,
}

impl Close {
    pub fn parse(request: Request) -> Self {
        Close { request }
    }

    pub fn apply(self, ctx: &Context) {
        let session = self.request.session();
        let closed = session.is_some_and(|id| ctx.shared.sessions.close(id));
        if let Some(id) = session {
            ctx.attachments.detach(id);
        }
        let reply = Reply::to(&self.request, session);
        ctx.send(if closed {
            reply.status(&["done", "session-closed"])
        } else {
            reply.status(&["done", "error", "unknown-session"])
        });
    }
}
