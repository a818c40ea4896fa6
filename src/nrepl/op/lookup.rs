//! `lookup` (nREPL: an `info` map) and `info` (cider-nrepl: flat keys): a
//! symbol's namespace, arglists, docstring and definition site.

use super::{Context, queried_symbol};
use crate::compiler::introspect::SymbolInfo;
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, dict};

pub struct Lookup {
    request: Request,
    /// True for cider-nrepl's `info`, whose reply has the fields at top level.
    flat: bool,
}

impl Lookup {
    pub fn parse(request: Request, flat: bool) -> Self {
        Lookup { request, flat }
    }

    pub fn apply(self, ctx: &Context) {
        let request = &self.request;
        let symbol = queried_symbol(request);
        let ns = ctx.query_ns(request);
        let reply = Reply::to(request, request.session());
        let Some(info) = ctx.shared.evaluator.lookup(&ns, symbol) else {
            ctx.send(if self.flat {
                reply.status(&["done", "no-info"])
            } else {
                reply.set("info", dict([])).status(&["done"])
            });
            return;
        };
        let fields = info_fields(&info);
        let reply = if self.flat {
            fields.into_iter().fold(reply, |r, (k, v)| r.set(k, v))
        } else {
            reply.set("info", dict(fields))
        };
        ctx.send(reply.status(&["done"]));
    }
}

fn info_fields(info: &SymbolInfo) -> Vec<(&'static str, Frame)> {
    let mut fields = vec![
        ("name", Frame::str(&info.name)),
        ("type", Frame::str(info.kind)),
    ];
    let optional = [
        ("ns", info.ns.as_deref()),
        ("arglists-str", info.arglists.as_deref()),
        ("doc", info.doc.as_deref()),
        ("file", info.file.as_deref()),
    ];
    fields.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| Some((k, Frame::str(v?)))),
    );
    if info.kind == "macro" {
        fields.push(("macro", Frame::str("true")));
    }
    if info.kind == "special-form" {
        fields.push(("special-form", Frame::str("true")));
    }
    if let Some(line) = info.line {
        fields.push(("line", Frame::Int(i64::from(line))));
    }
    if let Some(column) = info.column {
        fields.push(("column", Frame::Int(i64::from(column))));
    }
    fields
}
