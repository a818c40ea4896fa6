//! `eval`: compile each top-level form of `code`, run it on the session's
//! runtime, and stream back `out`/`err`, one `value` (with `ns`) per form, and
//! the error of the first form that fails; then `done`.

use super::Context;
use crate::eval::{EvalEvent, EvalRequest};
use crate::nrepl::message::{Reply, Request};

pub struct Eval {
    request: Request,
    code: String,
}

impl Eval {
    pub fn parse(request: Request) -> Self {
        let code = request.str("code").unwrap_or_default().to_string();
        Eval { request, code }
    }

    pub fn apply(self, ctx: &Context) {
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        let ctx = ctx.clone();
        let session_for_job = session.clone();
        session.enqueue(Box::pin(async move {
            let session = session_for_job;
            let request = self.request;
            let reply = |r: Reply| ctx.send(r);
            let mut ns = request
                .str("ns")
                .map(str::to_string)
                .unwrap_or_else(|| session.ns());
            if !ctx.shared.evaluator.namespace_exists(&ns) {
                reply(Reply::to(&request, Some(&session.id)).status(&[
                    "done",
                    "error",
                    "namespace-not-found",
                ]));
                return;
            }
            let eval_request = EvalRequest {
                code: self.code,
                file: request.str("file").map(str::to_string),
                line: position(request.int("line")),
                column: position(request.int("column")),
            };
            let mut on_event = |event: EvalEvent| {
                let base = Reply::to(&request, Some(&session.id));
                reply(match event {
                    EvalEvent::Value { value, ns } => base.str("value", &value).str("ns", &ns),
                    EvalEvent::Out(text) => base.str("out", &text),
                    EvalEvent::Err(text) => base.str("err", &text),
                    EvalEvent::Exception { ex, root_ex } => base
                        .str("ex", &ex)
                        .str("root-ex", &root_ex)
                        .status(&["eval-error"]),
                });
            };
            ctx.shared
                .evaluator
                .eval(&mut ns, eval_request, &mut on_event)
                .await;
            session.set_ns(&ns);
            reply(Reply::to(&request, Some(&session.id)).status(&["done"]));
        }));
    }
}

/// A 1-based line or column from the request; editors send them for code
/// evaluated from a buffer, so errors point into the file.
fn position(value: Option<i64>) -> u32 {
    value
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&v| v > 0)
        .unwrap_or(1)
}
