//! `describe`: the ops this server answers, its versions and `aux` facts.
//!
//! `versions` deliberately has no `clojure` key: CIDER then takes its generic
//! path instead of sending JVM-only cider-nrepl ops.

use super::{Context, OP_NAMES};
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, dict};

pub struct Describe {
    request: Request,
}

impl Describe {
    pub fn parse(request: Request) -> Self {
        Describe { request }
    }

    pub fn apply(self, ctx: &Context) {
        let current_ns = match self.request.session() {
            Some(_) => match ctx.session_for(&self.request) {
                Some(session) => session.ns(),
                None => return,
            },
            None => crate::DEFAULT_NS.to_string(),
        };
        let ops = dict(OP_NAMES.iter().map(|&name| (name, dict([]))));
        let versions = dict([
            ("nrepl", version_map("1.0.0", 1, 0, 0)),
            (
                "jank-wasm-nrepl",
                version_map(env!("CARGO_PKG_VERSION"), 0, 1, 0),
            ),
        ]);
        let aux = dict([("current-ns", Frame::str(&current_ns))]);
        let reply = Reply::to(&self.request, self.request.session())
            .set("ops", ops)
            .set("versions", versions)
            .set("aux", aux)
            .status(&["done"]);
        ctx.send(reply);
    }
}

fn version_map(text: &str, major: i64, minor: i64, incremental: i64) -> Frame {
    dict([
        ("major", Frame::Int(major)),
        ("minor", Frame::Int(minor)),
        ("incremental", Frame::Int(incremental)),
        ("version-string", Frame::str(text)),
    ])
}
