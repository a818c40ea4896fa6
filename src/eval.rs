//! The evaluator: the one place the nREPL side, the compiler and the runtime
//! bridge meet. It reads an eval's code a form at a time, compiles each form to
//! a patch, runs it on a runtime and turns what comes back into `EvalEvent`s.
//!
//! Forms are read one at a time because a form can change how the next one
//! reads and resolves (`ns`, `in-ns`, `def`). A failing form stops the eval;
//! the forms before it keep their effect.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::compiler::introspect::{self, Candidate, SymbolInfo};
use crate::compiler::reader::Reader;
use crate::compiler::{CompileError, Compiler};
use crate::nrepl::session::lock;
use crate::runtime::{Bridge, PatchRun, RuntimeEvent};

/// What to evaluate, and where it came from (for error positions).
#[derive(Clone, Debug)]
pub struct EvalRequest {
    pub code: String,
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    /// The runtime to run on; `None` for the most recently connected.
    pub runtime: Option<u64>,
    /// Where output the code prints after the eval finished goes (timers and
    /// handlers it installed); `None` drops it.
    pub late_output: Option<mpsc::UnboundedSender<RuntimeEvent>>,
}

/// What an eval produces, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum EvalEvent {
    /// A top-level form's printed value and the namespace after it.
    Value {
        value: String,
        ns: String,
    },
    Out(String),
    Err(String),
    /// The eval failed (its message went out as `Err` just before).
    Exception {
        ex: String,
        root_ex: String,
    },
    /// The eval was stopped by `interrupt`.
    Interrupted,
    /// The running code waits for input: the client should send `stdin`.
    NeedInput,
}

/// How the user steers a running eval.
pub struct EvalControls {
    /// Fires when the user interrupts the eval.
    pub interrupted: oneshot::Receiver<()>,
    /// Input the user sends for `read-line`.
    pub stdin: mpsc::UnboundedReceiver<String>,
}

pub struct Evaluator {
    compiler: Mutex<Compiler>,
    bridge: Bridge,
    eval_timeout: Duration,
}

impl Evaluator {
    pub fn new(bridge: Bridge, eval_timeout: Duration) -> Evaluator {
        Evaluator {
            compiler: Mutex::new(Compiler::new()),
            bridge,
            eval_timeout,
        }
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        lock(&self.compiler).namespace_exists(ns)
    }

    /// Completion candidates for `prefix` typed in namespace `ns`.
    pub fn completions(&self, ns: &str, prefix: &str) -> Vec<Candidate> {
        introspect::completions(lock(&self.compiler).namespaces(), ns, prefix)
    }

    /// What `symbol`, written in namespace `ns`, names.
    pub fn lookup(&self, ns: &str, symbol: &str) -> Option<SymbolInfo> {
        introspect::lookup(lock(&self.compiler).namespaces(), ns, symbol)
    }

    /// The expansion of the first form of `code`, printed.
    pub fn macroexpand(&self, ns: &str, code: &str, expander: &str) -> Result<String, String> {
        let compiler = lock(&self.compiler);
        let form = Reader::new(code, 1, 1)
            .next_form(&compiler.read_context(ns))
            .map_err(|e| e.message)?
            .ok_or_else(|| "no form to expand".to_string())?;
        introspect::macroexpand(&form, expander).map_err(|e| e.message)
    }

    /// Evaluates `request` in namespace `ns` (updated as forms change it),
    /// reporting through `on_event`.
    /// `controls` carry the user's interrupt (the eval then stops after
    /// reporting `Interrupted`) and stdin.
    pub async fn eval(
        &self,
        ns: &mut String,
        request: EvalRequest,
        controls: &mut EvalControls,
        on_event: &mut (dyn FnMut(EvalEvent) + Send),
    ) {
        let source = SourceName::of(&request);
        let mut reader = Reader::new(&request.code, request.line, request.column);
        loop {
            let compiled = {
                let mut compiler = lock(&self.compiler);
                let form = match reader.next_form(&compiler.read_context(ns)) {
                    Ok(Some(form)) => form,
                    Ok(None) => return,
                    Err(error) => {
                        let at = source.at(error.pos.line, error.pos.column);
                        report_failure(
                            on_event,
                            format!(
                                "Syntax error reading source at ({at}).\n{}\n",
                                error.message
                            ),
                            "clojure.lang.LispReader$ReaderException",
                        );
                        return;
                    }
                };
                compiler.compile(ns, &form, request.file.as_deref())
            };
            let patch = match compiled {
                Ok(patch) => patch,
                Err(CompileError { message, pos }) => {
                    let at = source.at(pos.line, pos.column);
                    report_failure(
                        on_event,
                        format!("Syntax error compiling at ({at}).\n{message}\n"),
                        "clojure.lang.Compiler$CompilerException",
                    );
                    return;
                }
            };
            let wasm = Arc::new(patch.wasm);
            if !self
                .run_patch(
                    &wasm,
                    &FormPlace {
                        ns,
                        source: &source,
                        line: patch.line,
                    },
                    &request,
                    controls,
                    on_event,
                )
                .await
            {
                return;
            }
            self.bridge.record_definitions(&patch.defines, wasm);
        }
    }

    /// Runs one form's patch; false when it failed (the eval stops there).
    async fn run_patch(
        &self,
        wasm: &[u8],
        place: &FormPlace<'_>,
        request: &EvalRequest,
        controls: &mut EvalControls,
        on_event: &mut (dyn FnMut(EvalEvent) + Send),
    ) -> bool {
        let mut run = match self.bridge.run_patch(wasm, request.runtime).await {
            Ok(run) => run,
            Err(error) => {
                report_failure(on_event, format!("{error}\n"), "jank.wasm.NoRuntime");
                return false;
            }
        };
        let deadline = tokio::time::Instant::now() + self.eval_timeout;
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout_at(deadline, run.events.recv()) => next,
                Ok(()) = &mut controls.interrupted => {
                    stop(&mut run, on_event).await;
                    on_event(EvalEvent::Interrupted);
                    return false;
                }
                Some(text) = controls.stdin.recv() => {
                    run.send_stdin(&text);
                    continue;
                }
            };
            let event = match next {
                Ok(Some(event)) => event,
                Ok(None) => RuntimeEvent::Error {
                    class: "RuntimeDisconnected".into(),
                    message: "the runtime went away during the eval".into(),
                },
                Err(_) => {
                    stop(&mut run, on_event).await;
                    RuntimeEvent::Error {
                        class: "TimeoutException".into(),
                        message: format!(
                            "Eval timed out after {} s (see --eval-timeout)",
                            self.eval_timeout.as_secs_f64()
                        ),
                    }
                }
            };
            match event {
                RuntimeEvent::Out(text) => on_event(EvalEvent::Out(text)),
                RuntimeEvent::Err(text) => on_event(EvalEvent::Err(text)),
                RuntimeEvent::NeedInput => on_event(EvalEvent::NeedInput),
                outcome => {
                    if let Some(sink) = &request.late_output {
                        self.bridge.route_late_output(run.eval_id(), sink.clone());
                    }
                    return report_outcome(outcome, place, on_event);
                }
            }
        }
    }
}

/// Reports how a form ended (its value, or its error); false when it failed.
fn report_outcome(
    outcome: RuntimeEvent,
    place: &FormPlace<'_>,
    on_event: &mut (dyn FnMut(EvalEvent) + Send),
) -> bool {
    match outcome {
        RuntimeEvent::Error { class, message } => {
            let (ns, at) = (place.ns, place.source.at_line(place.line));
            report_failure(
                on_event,
                format!(
                    "Execution error ({}) at {ns}/eval ({at}).\n{message}\n",
                    short_class(&class)
                ),
                &class,
            );
            false
        }
        RuntimeEvent::Value(value) => {
            on_event(EvalEvent::Value {
                value,
                ns: place.ns.to_string(),
            });
            true
        }
        // Not outcomes; run_patch handles them before calling this.
        RuntimeEvent::Out(_) | RuntimeEvent::Err(_) | RuntimeEvent::NeedInput => true,
    }
}

/// How long a runtime has to stop after an interrupt before we give up on it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Interrupts a run and waits (briefly) for the runtime to confirm it stopped,
/// passing on any output it printed meanwhile.
async fn stop(run: &mut PatchRun, on_event: &mut (dyn FnMut(EvalEvent) + Send)) {
    if !run.interrupt() {
        on_event(EvalEvent::Err(
            "This runtime has no control channel, so it cannot be stopped while it runs; it will finish on its own or not at all.\n".into(),
        ));
        return;
    }
    let stopped = tokio::time::timeout(STOP_GRACE, async {
        while let Some(event) = run.events.recv().await {
            match event {
                RuntimeEvent::Out(text) => on_event(EvalEvent::Out(text)),
                RuntimeEvent::Err(text) => on_event(EvalEvent::Err(text)),
                event if event.is_final() => return,
                _ => {}
            }
        }
    })
    .await;
    if stopped.is_err() {
        on_event(EvalEvent::Err(format!(
            "The runtime did not stop within {STOP_GRACE:?}: it may be stuck in code that never checks for interrupts.\n"
        )));
    }
}

/// Sends an error's text on `err`, then its class as `ex`/`root-ex`.
fn report_failure(on_event: &mut (dyn FnMut(EvalEvent) + Send), text: String, class: &str) {
    on_event(EvalEvent::Err(text));
    let ex = format!("class {class}");
    on_event(EvalEvent::Exception {
        ex: ex.clone(),
        root_ex: ex,
    });
}

/// `java.lang.ArithmeticException` -> `ArithmeticException`, as Clojure's REPL shows it.
fn short_class(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// Where a form is: its namespace and source position (for values and errors).
struct FormPlace<'a> {
    ns: &'a str,
    source: &'a SourceName,
    line: u32,
}

/// How error messages name the code's origin: the file the editor sent, or `REPL`.
struct SourceName(String);

impl SourceName {
    fn of(request: &EvalRequest) -> SourceName {
        let name = request
            .file
            .as_deref()
            .and_then(|f| f.rsplit(['/', '\\']).next())
            .filter(|f| !f.is_empty())
            .unwrap_or("REPL");
        SourceName(name.to_string())
    }

    fn at(&self, line: u32, column: u32) -> String {
        format!("{}:{line}:{column}", self.0)
    }

    fn at_line(&self, line: u32) -> String {
        format!("{}:{line}", self.0)
    }
}
