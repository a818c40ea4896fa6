//! `ls-sessions`: the ids of every open session.

use super::Context;
use crate::nrepl::message::{Reply, Request, strings};

pub struct LsSessions {
    request: Request,
}

impl LsSessions {
    pub fn parse(request: Request) -> Self {
        LsSessions { request }
    }

    pub fn apply(self, ctx: &Context) {
        let ids = ctx.shared.sessions.ids();
        let reply = Reply::to(&self.request, self.request.session())
            .set("sessions", strings(ids.iter().map(String::as_str)))
            .status(&["done"]);
        ctx.send(reply);
    }
}
