//! `clone`: a new session, in the namespace of the session it was cloned from
//! (or `user` for a fresh one).

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct Clone {
    request: Request,
}

impl Clone {
    pub fn parse(request: Request) -> Self {
        Clone { request }
    }

    pub fn apply(self, ctx: &Context) {
        let (ns, runtime) = match self.request.session() {
            None => (crate::DEFAULT_NS.to_string(), None),
            Some(_) => match ctx.session_for(&self.request) {
                Some(parent) => (parent.ns(), parent.runtime()),
                None => return,
            },
        };
        let session = match ctx.shared.sessions.open(ns) {
            Ok(session) => session,
            Err(too_many) => {
                let reply = Reply::to(&self.request, self.request.session());
                ctx.send(reply.str("err", &format!("{too_many}\n")).status(&[
                    "done",
                    "error",
                    "too-many-sessions",
                ]));
                return;
            }
        };
        ctx.attachments.attach(&session);
        session.select_runtime(runtime);
        session.route_notices(&ctx.replies, self.request.id());
        let reply = Reply::to(&self.request, self.request.session().or(Some(&session.id)))
            .str("new-session", &session.id)
            .status(&["done"]);
        ctx.send(reply);
    }
}
