//! `macroexpand` (cider-nrepl): the expansion of `code` by `expander`
//! (`macroexpand-1`, `macroexpand` or `macroexpand-all`). The compiler expands
//! core macros itself; a form that uses a user macro is expanded on the
//! session's runtime, where the macro's fn is (an eval of the expander in the
//! session's queue).

use super::Context;
use crate::evaluator::{EvalEvent, EvalRequest};
use crate::nrepl::message::{Reply, Request};
use crate::nrepl::session::Session;

pub struct Macroexpand {
    request: Request,
}

impl Macroexpand {
    pub fn parse(request: Request) -> Self {
        Macroexpand { request }
    }

    pub fn apply(self, ctx: &Context) {
        let request = &self.request;
        let code = request.str("code").unwrap_or_default().to_string();
        let expander = request.str("expander").unwrap_or("macroexpand").to_string();
        let ns = ctx.query_ns(request);
        if ctx.shared.evaluator.expansion_needs_runtime(&ns, &code) {
            return self.expand_on_runtime(ctx, ns, &code, &expander);
        }
        let reply = Reply::to(request, request.session());
        ctx.send(
            match ctx.shared.evaluator.macroexpand(&ns, &code, &expander) {
                Ok(expansion) => reply.str("expansion", &expansion).status(&["done"]),
                Err(message) => expansion_error(reply, &message),
            },
        );
    }

    /// Queues an eval of the expander's call on the form in the session.
    fn expand_on_runtime(self, ctx: &Context, ns: String, code: &str, expander: &str) {
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        let call = match expander {
            "macroexpand-1" => format!("(clojure.core/macroexpand-1 (quote {code}))"),
            "macroexpand-all" => format!(
                "(do (clojure.core/require (quote clojure.walk)) (clojure.walk/macroexpand-all (quote {code})))"
            ),
            _ => format!("(clojure.core/macroexpand (quote {code}))"),
        };
        let ctx = ctx.clone();
        let job_session = session.clone();
        session.enqueue(Box::pin(async move {
            self.run(&ctx, &job_session, ns, call).await;
        }));
    }

    async fn run(self, ctx: &Context, session: &Session, mut ns: String, call: String) {
        let request = &self.request;
        let eval_request = EvalRequest {
            code: call,
            file: None,
            line: 1,
            column: 1,
            runtime: session.runtime(),
            late_output: None,
            timings: false,
            pretty: None,
            context: Some(session.id.clone()),
            print_quota: None,
        };
        let id = request.id().and_then(|id| id.as_str()).map(str::to_string);
        let mut controls = session.start_eval(id, ctx.attachments.client);
        let mut expansion = None;
        let mut errors = String::new();
        let mut on_event = |event: EvalEvent| match event {
            EvalEvent::Value { value, .. } => expansion = Some(value),
            EvalEvent::Err(text) => errors.push_str(&text),
            _ => {}
        };
        ctx.shared
            .evaluator
            .eval(&mut ns, eval_request, &mut controls, &mut on_event)
            .await;
        session.finish_eval();
        let reply = Reply::to(request, Some(&session.id));
        ctx.send(match expansion {
            Some(expansion) => reply.str("expansion", &expansion).status(&["done"]),
            None => expansion_error(reply, errors.trim_end()),
        });
    }
}

fn expansion_error(reply: Reply, message: &str) -> Reply {
    reply
        .str("err", &format!("{message}\n"))
        .status(&["done", "error", "macroexpand-error"])
}
