//! `select-runtime` (this program's own op): pins the session's evals to one
//! runtime (`runtime-id`), or, without one, lets them follow the most recently
//! connected runtime again.

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct SelectRuntime {
    request: Request,
}

impl SelectRuntime {
    pub fn parse(request: Request) -> Self {
        SelectRuntime { request }
    }

    pub fn apply(self, ctx: &Context) {
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        let reply = Reply::to(&self.request, Some(&session.id));
        let Some(raw) = self.request.get("runtime-id") else {
            session.select_runtime(None);
            ctx.send(reply.status(&["done"]));
            return;
        };
        match raw.as_int().and_then(|id| u64::try_from(id).ok()) {
            Some(id) if ctx.shared.bridge.is_connected(id) => {
                session.select_runtime(Some(id));
                ctx.send(reply.set("runtime-id", raw.clone()).status(&["done"]));
            }
            _ => ctx.send(
                reply
                    .str(
                        "err",
                        "No connected runtime has that id; ls-runtimes lists them.\n",
                    )
                    .status(&["done", "error", "unknown-runtime"]),
            ),
        }
    }
}
