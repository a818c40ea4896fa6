//! `describe`: the ops this server answers, its versions and `aux` facts.
//!
//! `versions` deliberately has no `clojure` key: CIDER then takes its generic
//! path instead of sending JVM-only cider-nrepl ops.

use super::{Context, OPS};
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
        let (current_ns, selected) = match self.request.session() {
            Some(_) => match ctx.session_for(&self.request) {
                Some(session) => (session.ns(), session.runtime()),
                None => return,
            },
            None => (crate::DEFAULT_NS.to_string(), None),
        };
        // With `verbose`, each op carries its doc; Calva asks for it.
        let verbose = self.request.flag("verbose");
        let ops = dict(OPS.iter().map(|&(name, doc)| {
            let info = if verbose {
                dict([("doc", Frame::str(doc))])
            } else {
                dict([])
            };
            (name, info)
        }));
        let versions = dict([
            ("nrepl", version_map("1.0.0", 1, 0, 0)),
            ("jank-wasm-nrepl", own_version()),
        ]);
        let runtimes = super::ls_runtimes::runtimes_frame(ctx, selected);
        let aux = dict([
            ("current-ns", Frame::str(&current_ns)),
            ("runtimes", runtimes),
        ]);
        let reply = Reply::to(&self.request, self.request.session())
            .set("ops", ops)
            .set("versions", versions)
            .set("aux", aux)
            .status(&["done"]);
        ctx.send(reply);
    }
}

/// This program's version, from Cargo.
fn own_version() -> Frame {
    let part = |text: &str| text.parse().unwrap_or(0);
    version_map(
        env!("CARGO_PKG_VERSION"),
        part(env!("CARGO_PKG_VERSION_MAJOR")),
        part(env!("CARGO_PKG_VERSION_MINOR")),
        part(env!("CARGO_PKG_VERSION_PATCH")),
    )
}

fn version_map(text: &str, major: i64, minor: i64, incremental: i64) -> Frame {
    dict([
        ("major", Frame::Int(major)),
        ("minor", Frame::Int(minor)),
        ("incremental", Frame::Int(incremental)),
        ("version-string", Frame::str(text)),
    ])
}
