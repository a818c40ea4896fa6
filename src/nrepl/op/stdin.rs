//! `stdin`: input for code reading with `read-line`, delivered to the
//! session's running eval (or kept for the next one that reads).

use super::Context;
use crate::nrepl::message::{Reply, Request};

pub struct Stdin {
    request: Request,
}

impl Stdin {
    pub fn parse(request: Request) -> Self {
        Stdin { request }
    }

    pub fn apply(self, ctx: &Context) {
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        session.send_stdin(self.request.str("stdin").unwrap_or_default());
        ctx.send(Reply::to(&self.request, Some(&session.id)).status(&["done"]));
    }
}
