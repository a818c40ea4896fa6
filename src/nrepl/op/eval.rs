//! `eval`: compile each top-level form of `code`, run it on the session's
//! runtime, and stream back `out`/`err`, one `value` (with `ns`) per form, and
//! the error of the first form that fails; then `done`. `load-file` is the
//! same with the file's contents as the code.
//!
//! As nREPL's session output and print middleware do, `out`/`err` text goes
//! in messages of at most 1,024 characters, and a request with
//! `nrepl.middleware.print/stream?` gets each value in messages of
//! `nrepl.middleware.print/buffer-size` characters (1,024 by default), then
//! one with its `ns`.

use super::Context;
use tokio::sync::mpsc;

use crate::bridge::RuntimeEvent;
use crate::evaluator::{EvalEvent, EvalRequest, Timings};
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, dict};
use crate::nrepl::session::Session;

pub struct Eval {
    request: Request,
    /// The code, or why it cannot be evaluated (it is not UTF-8 text).
    code: Result<String, String>,
    file: Option<String>,
    /// `load-file`: the session's namespace stays what it was, and only the
    /// last form's value is answered (as Clojure's `load-file` does).
    whole_file: bool,
}

impl Eval {
    pub fn parse(request: Request) -> Self {
        let code = text_field(&request, "code");
        let file = request.str("file").map(str::to_string);
        Eval {
            request,
            code,
            file,
            whole_file: false,
        }
    }

    /// A `load-file` of `code`, the contents of `file`.
    pub fn of_file(request: Request, code: Result<String, String>, file: Option<String>) -> Self {
        Eval {
            request,
            code,
            file,
            whole_file: true,
        }
    }

    pub fn apply(self, ctx: &Context) {
        let Some(session) = ctx.session_for(&self.request) else {
            return;
        };
        session.route_notices(&ctx.replies, self.request.id());
        // A one-request session (no `session` given) is this connection's
        // while it runs, so that hanging up interrupts it too.
        let ephemeral = self.request.session().is_none();
        if ephemeral {
            ctx.attachments.attach(&session);
        }
        let ctx = ctx.clone();
        let job_session = session.clone();
        session.enqueue(Box::pin(async move {
            let session = job_session;
            if ctx.replies.is_closed() {
                // Its client hung up before it could start: nobody would hear it.
                ctx.attachments.detach(&session.id);
                return;
            }
            self.run(&ctx, &session).await;
            if ephemeral {
                ctx.attachments.detach(&session.id);
            }
        }));
    }

    async fn run(self, ctx: &Context, session: &Session) {
        {
            let request = &self.request;
            let reply = || Reply::to(request, Some(&session.id));
            let code = match self.code {
                Ok(code) => code,
                Err(problem) => {
                    ctx.send(reply().str("err", &problem).status(&["done", "error"]));
                    return;
                }
            };
            let mut ns = request
                .str("ns")
                .map(str::to_string)
                .unwrap_or_else(|| session.ns());
            if !ctx.shared.evaluator.namespace_exists(&ns) {
                ctx.send(reply().status(&["done", "error", "namespace-not-found"]));
                return;
            }
            let wants_timings = ctx.shared.evaluator.timings_by_default || request.flag("timings");
            let eval_request = EvalRequest {
                code,
                file: self.file,
                line: position(request.int("line")),
                column: position(request.int("column")),
                runtime: session.runtime(),
                late_output: Some(late_output_sink(ctx, request, &session.id)),
                timings: wants_timings,
                pretty: pretty_margin(request),
                context: Some(session.id.clone()),
                print_quota: request
                    .int("nrepl.middleware.print/quota")
                    .and_then(|q| u32::try_from(q).ok())
                    .filter(|&q| q > 0),
            };
            let mut controls = session.start_eval(
                request.id().and_then(|id| id.as_str()).map(str::to_string),
                ctx.attachments.client,
            );
            let ns_before = ns.clone();
            let value_chunks = value_chunk_chars(request);
            let mut file_value: Option<String> = None;
            // the next value is cut off at the print quota (nREPL's print middleware says so)
            let mut truncated = false;
            let mut on_event = |event: EvalEvent| {
                if let EvalEvent::Truncated = event {
                    truncated = true;
                    return;
                }
                if self.whole_file {
                    match &event {
                        EvalEvent::Value { value, .. } => {
                            file_value = Some(value.clone());
                            return;
                        }
                        EvalEvent::Exception { .. } | EvalEvent::Interrupted => file_value = None,
                        _ => {}
                    }
                }
                if let (EvalEvent::Value { value, ns }, Some(chunk_chars)) = (&event, value_chunks)
                {
                    for chunk in text_chunks(value, chunk_chars) {
                        ctx.send(reply().str("value", chunk));
                    }
                    if std::mem::take(&mut truncated) {
                        ctx.send(reply().status(&["nrepl.middleware.print/truncated"]));
                    }
                    return ctx.send(reply().str("ns", ns));
                }
                match &event {
                    EvalEvent::Out(text) => return send_output(ctx, reply, "out", text),
                    EvalEvent::Err(text) => return send_output(ctx, reply, "err", text),
                    _ => {}
                }
                ctx.send(match event {
                    EvalEvent::Value { value, ns } if std::mem::take(&mut truncated) => reply()
                        .str("value", &value)
                        .str("ns", &ns)
                        .set(
                            "nrepl.middleware.print/truncated-keys",
                            Frame::List(vec![Frame::str("value")]),
                        )
                        .status(&["nrepl.middleware.print/truncated"]),
                    EvalEvent::Value { value, ns } => reply().str("value", &value).str("ns", &ns),
                    EvalEvent::Out(_) | EvalEvent::Err(_) => return,
                    EvalEvent::Exception { ex, root_ex } => reply()
                        .str("ex", &ex)
                        .str("root-ex", &root_ex)
                        .status(&["eval-error"]),
                    EvalEvent::Interrupted => reply().status(&["interrupted"]),
                    EvalEvent::NeedInput => reply().status(&["need-input"]),
                    EvalEvent::Truncated => return,
                });
            };
            let timings = ctx
                .shared
                .evaluator
                .eval(&mut ns, eval_request, &mut controls, &mut on_event)
                .await;
            session.finish_eval();
            if let Some(value) = file_value {
                ctx.send(reply().str("value", &value).str("ns", &ns_before));
            }
            if !self.whole_file {
                session.set_ns(&ns);
            }
            let done = reply().status(&["done"]);
            ctx.send(if wants_timings {
                done.set("timings", timings_frame(&timings))
            } else {
                done
            });
        }
    }
}

/// The printers of `nrepl.middleware.print/print` that pretty print: values
/// are then laid out as `clojure.pprint/pprint` lays them out. Any other
/// printer (`nrepl.util.print/pr`, or one this program does not know) gets
/// `pr-str`'s text, which every client can show.
const PRETTY_PRINTERS: &[&str] = &[
    "clojure.pprint/pprint",
    "nrepl.util.print/pprint",
    "cider.nrepl.pprint/pprint",
    "cider.nrepl.pprint/clojure-pprint",
    "cider.nrepl.pprint/fipp-pprint",
    "cider.nrepl.pprint/puget-pprint",
    "cider.nrepl.pprint/zprint",
];

/// clojure.pprint's default `*print-right-margin*`.
const DEFAULT_RIGHT_MARGIN: u32 = 72;

/// The right margin to pretty print values within, when the request names a
/// pretty printer: its `right-margin` option (CIDER sends one), else 72.
fn pretty_margin(request: &Request) -> Option<u32> {
    let printer = request.str("nrepl.middleware.print/print")?;
    if !PRETTY_PRINTERS.contains(&printer) {
        return None;
    }
    let margin = match request.get("nrepl.middleware.print/options") {
        Some(Frame::Dict(options)) => options
            .get(b"right-margin".as_slice())
            .and_then(Frame::as_int),
        _ => None,
    };
    Some(
        margin
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(DEFAULT_RIGHT_MARGIN),
    )
}

/// `{compile-us, transfer-us, run-us}`: where an eval's time went.
fn timings_frame(timings: &Timings) -> Frame {
    let micros =
        |d: std::time::Duration| Frame::Int(i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    dict([
        ("compile-us", micros(timings.compile)),
        ("transfer-us", micros(timings.transfer)),
        ("run-us", micros(timings.run)),
    ])
}

/// The text in `key` (empty when absent). Bytes that are not UTF-8, or a
/// value that is not a string, give the error to answer instead of being
/// taken as empty code, which would silently answer just `done`.
pub(super) fn text_field(request: &Request, key: &str) -> Result<String, String> {
    match request.get(key) {
        None => Ok(String::new()),
        Some(Frame::Bytes(bytes)) => String::from_utf8(bytes.clone()).map_err(|error| {
            format!(
                "Cannot evaluate: `{key}` is not valid UTF-8 text (invalid byte at offset {}).\n",
                error.utf8_error().valid_up_to()
            )
        }),
        Some(_) => Err(format!("Cannot evaluate: `{key}` must be a string.\n")),
    }
}

/// Where output printed after the eval finished (by timers or handlers it
/// installed) goes: to this connection, tagged with the eval's id and session.
fn late_output_sink(
    ctx: &Context,
    request: &Request,
    session: &str,
) -> mpsc::UnboundedSender<RuntimeEvent> {
    let (sink, mut late) = mpsc::unbounded_channel();
    // Only a weak handle on the connection's writer: the bridge keeps this
    // sink long after the eval, and a strong one would keep the connection
    // open after its client hung up (the writer ends when its senders do).
    let (replies, request, session) = (
        ctx.replies.downgrade(),
        request.clone(),
        session.to_string(),
    );
    tokio::spawn(async move {
        while let Some(event) = late.recv().await {
            let Some(replies) = replies.upgrade() else {
                return; // the connection is gone
            };
            let (key, text) = match &event {
                RuntimeEvent::Out(text) => ("out", text),
                RuntimeEvent::Err(text) => ("err", text),
                _ => continue,
            };
            for chunk in text_chunks(text, OUTPUT_CHUNK_CHARS) {
                let reply = Reply::to(&request, Some(&session)).str(key, chunk);
                replies.send(&reply.into_frame());
            }
        }
    });
    sink
}

/// The most characters of `out` or `err` one message carries (nREPL's session
/// output buffer).
const OUTPUT_CHUNK_CHARS: usize = 1024;

/// nREPL print middleware's default `buffer-size`.
const DEFAULT_BUFFER_SIZE: usize = 1024;

/// Sends `text` as `key` (`out` or `err`) messages of at most
/// `OUTPUT_CHUNK_CHARS` characters.
fn send_output(ctx: &Context, reply: impl Fn() -> Reply, key: &str, text: &str) {
    for chunk in text_chunks(text, OUTPUT_CHUNK_CHARS) {
        ctx.send(reply().str(key, chunk));
    }
}

/// With `nrepl.middleware.print/stream?`, how many characters each message
/// of a value carries (`nrepl.middleware.print/buffer-size`).
fn value_chunk_chars(request: &Request) -> Option<usize> {
    if !request.flag("nrepl.middleware.print/stream?") {
        return None;
    }
    let size = request
        .int("nrepl.middleware.print/buffer-size")
        .and_then(|size| usize::try_from(size).ok())
        .filter(|&size| size > 0)
        .unwrap_or(DEFAULT_BUFFER_SIZE);
    Some(size)
}

/// `text` cut into pieces of at most `chars` characters (at least one piece,
/// empty for empty text).
fn text_chunks(text: &str, chars: usize) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.char_indices().nth(chars) {
            Some((cut, _)) => {
                rest = Some(&current[cut..]);
                Some(&current[..cut])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// A 1-based line or column from the request; editors send them for code
/// evaluated from a buffer, so errors point into the file.
fn position(value: Option<i64>) -> u32 {
    value
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&v| v > 0)
        .unwrap_or(1)
}
