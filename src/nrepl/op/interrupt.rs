//! `interrupt`: stops the session's running eval (the one named by
//! `interrupt-id`, if given). The eval answers `interrupted`; an idle session
//! answers `session-idle`.

use super::Context;
use crate::nrepl::message::{Reply, Request};
use crate::nrepl::session::InterruptOutcome;

pub struct Interrupt {
    request: Request,
}

impl Interrupt {
    pub fn parse(request: Request) -> Self {
        Interrupt { request }
    }

    pub fn apply(self, ctx: &Context) {
        let Some(id) = self.request.session() else {
            ctx.send(Reply::to(&self.request, None).status(&["done", "error", "unknown-session"]));
            return;
        };
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        let outcome = session.interrupt(self.request.str("interrupt-id"));
        let reply = Reply::to(&self.request, Some(id));
        ctx.send(match outcome {
            InterruptOutcome::Interrupted => reply.status(&["done"]),
            InterruptOutcome::Idle => reply.status(&["done", "session-idle"]),
            InterruptOutcome::IdMismatch => {
                reply.status(&["done", "error", "interrupt-id-mismatch"])
            }
        });
    }
}
