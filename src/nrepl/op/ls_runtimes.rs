//! `ls-runtimes` (this program's own op): the connected runtimes, and which one
//! the session's evals go to.

use super::Context;
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, dict};

pub struct LsRuntimes {
    request: Request,
}

impl LsRuntimes {
    pub fn parse(request: Request) -> Self {
        LsRuntimes { request }
    }

    pub fn apply(self, ctx: &Context) {
        let selected = match self.request.session() {
            Some(_) => match ctx.session_for(&self.request) {
                Some(session) => session.runtime(),
                None => return,
            },
            None => None,
        };
        ctx.send(
            Reply::to(&self.request, self.request.session())
                .set("runtimes", runtimes_frame(ctx, selected))
                .status(&["done"]),
        );
    }
}

/// The connected runtimes as a list of dictionaries (also `describe`'s `aux.runtimes`).
/// With no selection, the most recent one is where evals go.
pub fn runtimes_frame(ctx: &Context, selected: Option<u64>) -> Frame {
    let runtimes = ctx.shared.bridge.runtimes();
    let target = selected.or(runtimes.last().map(|r| r.id));
    Frame::List(
        runtimes
            .iter()
            .map(|r| {
                dict([
                    ("id", Frame::Int(r.id as i64)),
                    ("kind", Frame::str(&r.kind)),
                    ("agent", Frame::str(&r.agent)),
                    ("connected-at", Frame::Int(r.connected_at as i64)),
                    (
                        "selected",
                        Frame::str(if Some(r.id) == target {
                            "true"
                        } else {
                            "false"
                        }),
                    ),
                ])
            })
            .collect(),
    )
}
