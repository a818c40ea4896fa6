//! The evaluator: the one place the nREPL side, the compiler and the runtime
//! bridge meet. It reads an eval's code a form at a time, compiles each form to
//! a patch, runs it on a runtime and turns what comes back into `EvalEvent`s.
//!
//! Forms are read one at a time because a form can change how the next one
//! reads and resolves (`ns`, `in-ns`, `def`). A failing form stops the eval;
//! the forms before it keep their effect. While a patch runs, the eval also
//! answers the questions its code asks the compiler (`conversation`).

mod asks;
mod conversation;

use std::sync::Arc;

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::bridge::{Bridge, PatchKind, PatchRun, RuntimeEvent};
use crate::compiler::form::Form;
use crate::compiler::introspect::{self, Candidate, SymbolInfo};
use crate::compiler::namespace::Namespaces;
use crate::compiler::reader::Reader;
use crate::compiler::shared::SharedCompiler;
use crate::compiler::{CompileErrorKind, Patch, budget};
use crate::error_class;
use crate::project::Project;
use crate::project::load::{LoadFailure, LoadId, Loader, Origin, PatchRunner, RunOutcome};
use crate::toolchain::{EvalFailure, FailureKind, JankToolchain};

/// The compile budget unless `with_compile_budget` says otherwise.
const DEFAULT_COMPILE_TIME: Duration = Duration::from_secs(10);
const DEFAULT_COMPILE_MEMORY: usize = 1024 * 1024 * 1024;

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
    /// Report where the time went (the runtime page shows it too).
    pub timings: bool,
    /// Print values as `clojure.pprint/pprint` does within this many columns
    /// (the nREPL print middleware asked for a pretty printer), not as `pr-str`.
    pub pretty: Option<u32>,
    /// Whose REPL vars (`*1`, `*e`, `*print-length*`, ...) the forms see and
    /// set: the nREPL session's id; `None` for the runtime's current ones.
    pub context: Option<String>,
    /// At most this many characters of each printed value (nREPL's
    /// `nrepl.middleware.print/quota`); `None` for the runtime's own limit.
    pub print_quota: Option<u32>,
}

/// Where an eval's time went, summed over its forms (`--timings`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Reading, analyzing and emitting (with macro expansions' round trips).
    pub compile: Duration,
    /// From sending patches to hearing back, less the runtime's own run time.
    pub transfer: Duration,
    /// Instantiating and running the patches, as the runtime measured it.
    pub run: Duration,
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
    /// The next value is cut off at the request's print quota.
    Truncated,
}

/// How the user steers a running eval.
pub struct EvalControls {
    /// Fires when the user interrupts the eval.
    pub interrupted: oneshot::Receiver<()>,
    /// Input the user sends for `read-line`.
    pub stdin: mpsc::UnboundedReceiver<String>,
}

pub struct Evaluator {
    compiler: SharedCompiler,
    bridge: Bridge,
    eval_timeout: Duration,
    /// Every eval's final reply says where its time went (`--timings`).
    pub timings_by_default: bool,
    /// `--compiler jank`: evals go through the jank toolchain instead.
    toolchain: Option<Arc<JankToolchain>>,
    /// The source paths `require` loads namespaces from.
    project: Arc<Project>,
}

/// What reloading after a save did.
#[derive(Clone, Debug)]
pub struct ReloadReport {
    /// The namespaces loaded again, in order (up to the one that failed).
    pub namespaces: Vec<String>,
    pub took: Duration,
    pub failure: Option<LoadFailure>,
}

impl Evaluator {
    pub fn new(bridge: Bridge, eval_timeout: Duration, timings_by_default: bool) -> Evaluator {
        Evaluator {
            compiler: SharedCompiler::new(DEFAULT_COMPILE_TIME, DEFAULT_COMPILE_MEMORY),
            bridge,
            eval_timeout,
            timings_by_default,
            toolchain: None,
            project: Arc::new(Project::new(Default::default())),
        }
    }

    /// Loads required namespaces from `project`'s source paths.
    pub fn with_project(mut self, project: Arc<Project>) -> Evaluator {
        self.project = project;
        self
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// After a save of `changed`: loads again, on every connected runtime,
    /// the namespaces of those files that are loaded, then the namespaces
    /// that require them, each after what it requires; stops at the first
    /// that fails (the code loaded before keeps running). `None` when no
    /// loaded namespace changed. Output of the loaded code goes to `on_output`.
    pub async fn reload_saved(
        &self,
        changed: &[std::path::PathBuf],
        on_output: &mut (dyn FnMut(EvalEvent) + Send),
    ) -> Option<ReloadReport> {
        let started = std::time::Instant::now();
        let report = tokio::task::block_in_place(|| {
            let mut compiler = self.compiler.lock();
            let order = self.project.reload_order(compiler.namespaces(), changed);
            if order.is_empty() {
                return None;
            }
            let mut runner = EveryRuntime::new(self, on_output);
            let mut loader = Loader::new(&self.project, &mut runner, watch_origin());
            for ns in &order {
                if loader.reload(compiler.namespaces_mut(), ns).is_err() {
                    break;
                }
            }
            Some((loader.loaded, loader.failure))
        });
        let (namespaces, failure) = report?;
        match &failure {
            None => self.bridge.reload_succeeded(&namespaces),
            Some(failure) => self.bridge.reload_failed(&crate::bridge::ReloadProblem {
                file: failure.file.clone(),
                line: failure.line,
                column: failure.column,
                message: failure.message.clone(),
            }),
        }
        Some(ReloadReport {
            namespaces,
            took: started.elapsed(),
            failure,
        })
    }

    /// Requires `ns` (`--main`) on every connected runtime; what failed, if anything.
    pub async fn require_everywhere(
        &self,
        ns: &str,
        on_output: &mut (dyn FnMut(EvalEvent) + Send),
    ) -> Option<LoadFailure> {
        tokio::task::block_in_place(|| {
            let mut compiler = self.compiler.lock();
            let mut runner = EveryRuntime::new(self, on_output);
            let mut loader = Loader::new(&self.project, &mut runner, watch_origin());
            let require = crate::compiler::Require {
                from: crate::DEFAULT_NS.to_string(),
                target: crate::compiler::RequireTarget::Namespace(ns.to_string()),
                reload: crate::compiler::Reload::No,
                pos: crate::compiler::form::Pos { line: 1, column: 1 },
            };
            use crate::compiler::NamespaceLoader;
            loader.require(compiler.namespaces_mut(), &require).err()?;
            loader.failure
        })
    }

    /// Gives each top-level form's read and compile this much time and memory
    /// (`--compile-timeout`, `--compile-memory-mb`).
    pub fn with_compile_budget(mut self, time: Duration, memory: usize) -> Evaluator {
        self.compiler = SharedCompiler::new(time, memory);
        self
    }

    /// Compiles evals with the jank toolchain (`--compiler jank`).
    pub fn with_toolchain(mut self, toolchain: Arc<JankToolchain>) -> Evaluator {
        self.toolchain = Some(toolchain);
        self
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.compiler.lock().namespace_exists(ns)
            || self
                .toolchain
                .as_ref()
                .is_some_and(|toolchain| toolchain.namespace_exists(ns))
    }

    /// Completion candidates for `prefix` typed in namespace `ns`.
    pub fn completions(&self, ns: &str, prefix: &str) -> Vec<Candidate> {
        introspect::completions(self.compiler.lock().namespaces(), ns, prefix)
    }

    /// What `symbol`, written in namespace `ns`, names.
    pub fn lookup(&self, ns: &str, symbol: &str) -> Option<SymbolInfo> {
        introspect::lookup(self.compiler.lock().namespaces(), ns, symbol)
    }

    /// Whether expanding the first form of `code` in `ns` may need a user
    /// macro, whose fn only the runtime can run: a symbol in it names one.
    pub fn expansion_needs_runtime(&self, ns: &str, code: &str) -> bool {
        let Ok(Some(form)) = self.compiler.read(&mut Reader::new(code, 1, 1), ns) else {
            return false;
        };
        let compiler = self.compiler.lock();
        let namespaces = compiler.namespaces();
        names_a_user_macro(&form, &|symbol| {
            namespaces.resolve_var(ns, symbol).is_some_and(|slot| {
                let var = namespaces.var(slot);
                var.is_macro && var.ns != crate::compiler::namespace::CORE_NS
            })
        })
    }

    /// The expansion of the first form of `code`, printed.
    pub fn macroexpand(&self, ns: &str, code: &str, expander: &str) -> Result<String, String> {
        let form = self
            .compiler
            .read(&mut Reader::new(code, 1, 1), ns)
            .map_err(|e| e.message)?
            .ok_or_else(|| "no form to expand".to_string())?;
        introspect::macroexpand(&form, expander).map_err(|e| e.message)
    }

    /// Evaluates `request` in namespace `ns` (updated as forms change it),
    /// reporting through `on_event`. `controls` carry the user's interrupt
    /// (the eval then stops after reporting `Interrupted`) and stdin.
    pub async fn eval(
        &self,
        ns: &mut String,
        request: EvalRequest,
        controls: &mut EvalControls,
        on_event: &mut (dyn FnMut(EvalEvent) + Send),
    ) -> Timings {
        let mut run = EvalRun {
            evaluator: self,
            source: SourceName::of(&request),
            request: &request,
            controls,
            on_event,
            timings: Timings::default(),
            form_compile_time: Duration::ZERO,
            compiling: false,
        };
        match self.toolchain.clone() {
            Some(toolchain) => run.run_jank(ns, toolchain).await,
            None => run.run_forms(ns).await,
        }
        run.timings
    }
}

/// One eval in progress: what it needs from start to end.
struct EvalRun<'a> {
    evaluator: &'a Evaluator,
    request: &'a EvalRequest,
    source: SourceName,
    controls: &'a mut EvalControls,
    on_event: &'a mut (dyn FnMut(EvalEvent) + Send),
    timings: Timings,
    /// How long the form being run took to compile (for the page's timings).
    form_compile_time: Duration,
    /// A compile of this eval holds the compiler (it runs a macro or a
    /// required file): questions that need the compiler must wait for none.
    compiling: bool,
}

/// How running a patch ended.
enum Outcome {
    Value(String),
    Error {
        class: String,
        message: String,
    },
    /// The user interrupted it (already reported).
    Interrupted,
}

impl EvalRun<'_> {
    /// Reads, compiles and runs each top-level form until the code ends or a
    /// form fails.
    async fn run_forms(&mut self, ns: &mut String) {
        let mut reader = Reader::new(&self.request.code, self.request.line, self.request.column);
        while let Some(form) = self.read_next(&mut reader, ns) {
            let started = std::time::Instant::now();
            let compiled = self.compile_form(ns, &form).await;
            self.form_compile_time = started.elapsed();
            self.timings.compile += self.form_compile_time;
            let Some(patch) = compiled else {
                return;
            };
            let wasm = Arc::new(patch.wasm);
            if !self.run_form(&wasm, ns, patch.line).await {
                return;
            }
            self.evaluator
                .bridge
                .record_definitions(&patch.footprint, wasm);
        }
    }

    /// `--compiler jank`: the whole eval is one side module built by the jank
    /// toolchain (src/toolchain), run like any patch.
    async fn run_jank(&mut self, ns: &mut String, toolchain: Arc<JankToolchain>) {
        let started = std::time::Instant::now();
        let (namespace, code) = (ns.clone(), self.request.code.clone());
        let (source, line) = (self.source.0.clone(), self.request.line);
        let built = tokio::task::spawn_blocking(move || {
            toolchain.eval_patch(&namespace, &code, &source, line)
        })
        .await
        .unwrap_or_else(|error| {
            Err(EvalFailure {
                kind: FailureKind::Compile,
                message: format!("the jank toolchain failed: {error}"),
                line: None,
                column: None,
            })
        });
        self.timings.compile += started.elapsed();
        let patch = match built {
            Ok(Some(patch)) => patch,
            Ok(None) => return,
            Err(failure) => {
                let at = self.source.at(
                    failure.line.unwrap_or(self.request.line),
                    failure.column.unwrap_or(self.request.column),
                );
                let (what, class) = match failure.kind {
                    FailureKind::Read => ("reading source", error_class::READER_EXCEPTION),
                    FailureKind::Compile => ("compiling", error_class::COMPILER_EXCEPTION),
                };
                let text = format!("Syntax error {what} at ({at}).\n{}\n", failure.message);
                return report_failure(self.on_event, text, class);
            }
        };
        if self
            .run_form(&patch.wasm, &patch.ns_after, self.request.line)
            .await
        {
            *ns = patch.ns_after;
            self.evaluator
                .bridge
                .record_definitions(&patch.footprint, patch.wasm);
        }
    }

    /// The next form, or `None` at the end or after reporting a read error.
    /// A read that takes more than a moment (a few bytes of nested
    /// syntax-quote can) is done again off the async pool, like compiling.
    fn read_next(&mut self, reader: &mut Reader<'_>, ns: &str) -> Option<Form> {
        let compiler = &self.evaluator.compiler;
        let read = compiler
            .read_briefly(reader, ns)
            .unwrap_or_else(|| tokio::task::block_in_place(|| compiler.read(reader, ns)));
        match read {
            Ok(form) => form,
            Err(error) => {
                let at = self.source.at(error.pos.line, error.pos.column);
                report_failure(
                    self.on_event,
                    format!(
                        "Syntax error reading source at ({at}).\n{}\n",
                        error.message
                    ),
                    error_class::READER_EXCEPTION,
                );
                None
            }
        }
    }

    /// Compiles a form, running its user macros on the runtime as the
    /// compiler meets them; `None` after reporting a failure. The compiler runs
    /// on this thread taken out of the async pool (`block_in_place`), so a long
    /// compile holds up no other task.
    async fn compile_form(&mut self, ns: &mut String, form: &Form) -> Option<Patch> {
        let evaluator = self.evaluator;
        let file = self.request.file.clone();
        let origin = Origin {
            name: self.source.0.clone(),
        };
        self.compiling = true;
        let compiled = tokio::task::block_in_place(|| {
            let mut runner = SessionRunner {
                run: self,
                handle: tokio::runtime::Handle::current(),
            };
            let mut loader = Loader::new(&evaluator.project, &mut runner, origin);
            evaluator
                .compiler
                .compile(ns, form, file.as_deref(), &mut loader)
        });
        self.compiling = false;
        let error = match compiled {
            Ok(patch) => return Some(patch),
            Err(error) => error,
        };
        let at = self.source.at(error.pos.line, error.pos.column);
        let message = &error.message;
        match &error.kind {
            CompileErrorKind::Interrupted => {}
            CompileErrorKind::Load { class } => {
                report_failure(self.on_event, message.clone(), class)
            }
            CompileErrorKind::MacroExpansion { macro_name, class } => report_failure(
                self.on_event,
                format!("Syntax error macroexpanding {macro_name} at ({at}).\n{message}\n"),
                class,
            ),
            CompileErrorKind::Invalid
            | CompileErrorKind::Internal
            | CompileErrorKind::OverBudget
            | CompileErrorKind::Yield => report_failure(
                self.on_event,
                format!("Syntax error compiling at ({at}).\n{message}\n"),
                error_class::COMPILER_EXCEPTION,
            ),
        }
        None
    }

    /// Runs one form's patch and reports its value or error; false when it
    /// failed (the eval stops there).
    async fn run_form(&mut self, wasm: &[u8], ns: &str, line: u32) -> bool {
        let kind = PatchKind::Eval {
            pretty: self.request.pretty,
            context: self.request.context.as_deref(),
            quota: self.request.print_quota,
        };
        match self.run_patch(wasm, kind, None).await {
            Outcome::Value(value) => {
                (self.on_event)(EvalEvent::Value {
                    value,
                    ns: ns.to_string(),
                });
                true
            }
            Outcome::Error { class, message } => {
                let at = self.source.at_line(line);
                report_failure(
                    self.on_event,
                    format!(
                        "Execution error ({}) at {ns}/eval ({at}).\n{message}\n",
                        short_class(&class)
                    ),
                    &class,
                );
                false
            }
            Outcome::Interrupted => false,
        }
    }

    /// Sends a patch to the session's runtime and passes on its output until
    /// it ends, stopping it on interrupt or timeout. `tables` are those of
    /// the compile the patch runs for (a macro, a required file's form).
    async fn run_patch(
        &mut self,
        wasm: &[u8],
        kind: PatchKind<'_>,
        tables: Option<&Namespaces>,
    ) -> Outcome {
        let bridge = &self.evaluator.bridge;
        let mut run = match bridge.run_patch(wasm, self.request.runtime, kind).await {
            Ok(run) => run,
            Err(error) => {
                return Outcome::Error {
                    class: error_class::NO_RUNTIME.into(),
                    message: error.to_string(),
                };
            }
        };
        let sent = std::time::Instant::now();
        let mut run_time = Duration::ZERO;
        let deadline = tokio::time::Instant::now() + self.evaluator.eval_timeout;
        // The outcome a conversation about a question met, for this loop to report.
        let mut ended_in_answer: Option<RuntimeEvent> = None;
        loop {
            let next = if let Some(event) = ended_in_answer.take() {
                Ok(Some(event))
            } else {
                tokio::select! {
                    next = tokio::time::timeout_at(deadline, run.events.recv()) => next,
                    Ok(()) = &mut self.controls.interrupted => {
                        stop(&mut run, self.on_event).await;
                        (self.on_event)(EvalEvent::Interrupted);
                        return Outcome::Interrupted;
                    }
                    Some(text) = self.controls.stdin.recv() => {
                        run.send_stdin(&text);
                        continue;
                    }
                }
            };
            let event = match next {
                Ok(Some(event)) => event,
                Ok(None) => runtime_went_away(),
                Err(_) => {
                    stop(&mut run, self.on_event).await;
                    RuntimeEvent::Error {
                        class: error_class::TIMEOUT.into(),
                        message: timed_out(self.evaluator.eval_timeout),
                    }
                }
            };
            let outcome = match event {
                RuntimeEvent::Out(text) => {
                    (self.on_event)(EvalEvent::Out(text));
                    continue;
                }
                RuntimeEvent::Err(text) => {
                    (self.on_event)(EvalEvent::Err(text));
                    continue;
                }
                RuntimeEvent::NeedInput => {
                    (self.on_event)(EvalEvent::NeedInput);
                    continue;
                }
                RuntimeEvent::Truncated => {
                    (self.on_event)(EvalEvent::Truncated);
                    continue;
                }
                RuntimeEvent::RunTime(micros) => {
                    run_time = Duration::from_micros(micros);
                    continue;
                }
                RuntimeEvent::Ask { ask, request } => {
                    ended_in_answer = self.answer(&mut run, ask, request, tables);
                    continue;
                }
                RuntimeEvent::Value(value) => Outcome::Value(value),
                RuntimeEvent::Error { class, message } => Outcome::Error { class, message },
            };
            if let Some(sink) = &self.request.late_output {
                bridge.route_late_output(run.eval_id(), sink.clone());
            }
            let transfer = sent.elapsed().saturating_sub(run_time);
            self.timings.run += run_time;
            self.timings.transfer += transfer;
            if self.request.timings {
                run.send_timings(self.form_compile_time, transfer, run_time);
            }
            return outcome;
        }
    }
}

/// Runs the patches of user macro calls and of loaded namespaces on the
/// eval's runtime, blocking the compiling thread until each answers (output
/// and interrupts flow as for any patch).
struct SessionRunner<'r, 'a> {
    run: &'r mut EvalRun<'a>,
    handle: tokio::runtime::Handle,
}

impl PatchRunner for SessionRunner<'_, '_> {
    fn run(&mut self, patch: &Patch, part_of: Option<&LoadId>, tables: &Namespaces) -> RunOutcome {
        // Code running (a macro, a required file's forms) is user code, under
        // the eval timeout and interruptible: not the compile's time.
        let ran = budget::not_counting_time(|| {
            self.handle.block_on(
                self.run
                    .run_patch(&patch.wasm, PatchKind::Quiet, Some(tables)),
            )
        });
        match ran {
            Outcome::Value(printed) => {
                record(&self.run.evaluator.bridge, patch, part_of);
                RunOutcome::Value(printed)
            }
            Outcome::Error { class, message } => RunOutcome::Threw { class, message },
            Outcome::Interrupted => RunOutcome::Interrupted,
        }
    }
}

/// Where errors of code loaded after a save name their origin.
fn watch_origin() -> Origin {
    Origin {
        name: "reload".to_string(),
    }
}

/// Runs patches on every connected runtime at once (a reload after a save),
/// or, with none connected, only records them for the runtimes that connect.
struct EveryRuntime<'e, 'o> {
    evaluator: &'e Evaluator,
    on_output: &'o mut (dyn FnMut(EvalEvent) + Send),
    handle: tokio::runtime::Handle,
}

impl<'e, 'o> EveryRuntime<'e, 'o> {
    fn new(evaluator: &'e Evaluator, on_output: &'o mut (dyn FnMut(EvalEvent) + Send)) -> Self {
        EveryRuntime {
            evaluator,
            on_output,
            handle: tokio::runtime::Handle::current(),
        }
    }
}

/// Records a patch that ran, for runtimes that connect later.
fn record(bridge: &Bridge, patch: &Patch, part_of: Option<&LoadId>) {
    let wasm = Arc::new(patch.wasm.clone());
    match part_of {
        None => bridge.record_definitions(&patch.footprint, wasm),
        Some(load) => {
            let part = crate::bridge::patch_log::LoadPart {
                file: load.resource.clone(),
                load: load.load,
            };
            bridge.record_load(&patch.footprint, wasm, &part);
        }
    }
}

impl PatchRunner for EveryRuntime<'_, '_> {
    fn run(&mut self, patch: &Patch, part_of: Option<&LoadId>, tables: &Namespaces) -> RunOutcome {
        let bridge = &self.evaluator.bridge;
        let timeout = self.evaluator.eval_timeout;
        let runs = bridge
            .runtimes()
            .into_iter()
            .map(|runtime| run_on(bridge, &patch.wasm, runtime.id, timeout, tables));
        let results =
            budget::not_counting_time(|| self.handle.block_on(futures::future::join_all(runs)));
        let mut outcome = RunOutcome::Value("nil".to_string());
        for (output, result) in results {
            for event in output {
                (self.on_output)(event);
            }
            if let RunOutcome::Threw { .. } = &result
                && matches!(outcome, RunOutcome::Value(_))
            {
                outcome = result;
            }
        }
        if matches!(outcome, RunOutcome::Value(_)) {
            record(bridge, patch, part_of);
        }
        outcome
    }
}

/// Runs a patch on runtime `id` to its end; its output and how it ended.
async fn run_on(
    bridge: &Bridge,
    wasm: &[u8],
    id: u64,
    timeout: Duration,
    tables: &Namespaces,
) -> (Vec<EvalEvent>, RunOutcome) {
    let mut output = Vec::new();
    tracing::debug!(runtime = id, bytes = wasm.len(), "running a load's patch");
    let mut run = match bridge.run_patch(wasm, Some(id), PatchKind::Quiet).await {
        Ok(run) => run,
        // It went away since it was listed: nothing ran there.
        Err(_) => return (output, RunOutcome::Value("nil".into())),
    };
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let event = match tokio::time::timeout_at(deadline, run.events.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => return (output, RunOutcome::Value("nil".into())),
            Err(_) => {
                run.interrupt();
                let message = format!(
                    "Reload timed out after {} s (see --eval-timeout)",
                    timeout.as_secs_f64()
                );
                let class = error_class::TIMEOUT.to_string();
                return (output, RunOutcome::Threw { class, message });
            }
        };
        match event {
            RuntimeEvent::Out(text) => output.push(EvalEvent::Out(text)),
            RuntimeEvent::Err(text) => output.push(EvalEvent::Err(text)),
            RuntimeEvent::Value(value) => {
                tracing::debug!(runtime = id, "a load's patch ran");
                return (output, RunOutcome::Value(value));
            }
            RuntimeEvent::Error { class, message } => {
                return (output, RunOutcome::Threw { class, message });
            }
            RuntimeEvent::Ask { ask, request } => {
                conversation::answer_during_load(&run, ask, request, tables)
            }
            RuntimeEvent::NeedInput | RuntimeEvent::Truncated | RuntimeEvent::RunTime(_) => {}
        }
    }
}

/// What a run's events end with when its runtime goes away.
fn runtime_went_away() -> RuntimeEvent {
    RuntimeEvent::Error {
        class: error_class::RUNTIME_DISCONNECTED.into(),
        message: "the runtime went away during the eval".into(),
    }
}

/// The message of an eval that ran past `--eval-timeout`.
fn timed_out(timeout: Duration) -> String {
    format!(
        "Eval timed out after {} s (see --eval-timeout)",
        timeout.as_secs_f64()
    )
}

/// How long a runtime has to stop after an interrupt before we give up on it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Interrupts a run and waits (briefly) for the runtime to confirm it stopped,
/// passing on any output it printed meanwhile. A runtime that cannot be
/// stopped (stuck in code that never reaches a `recur`, where interrupts are
/// checked, or with no control channel) is ended, and the user told so.
async fn stop(run: &mut PatchRun, on_event: &mut (dyn FnMut(EvalEvent) + Send)) {
    if !run.interrupt() {
        let done = run.end_runtime(
            "it has no control channel (the page is not cross-origin isolated), so it cannot be interrupted while it runs",
        );
        on_event(EvalEvent::Err(format!(
            "This runtime cannot be interrupted while it runs. {done}\n"
        )));
        return;
    }
    let stopped = tokio::time::timeout(STOP_GRACE, async {
        while let Some(event) = run.events.recv().await {
            match event {
                RuntimeEvent::Out(text) => on_event(EvalEvent::Out(text)),
                RuntimeEvent::Err(text) => on_event(EvalEvent::Err(text)),
                RuntimeEvent::Ask { ask, .. } => conversation::refuse_while_stopping(run, ask),
                event if event.is_final() => return,
                _ => {}
            }
        }
    })
    .await;
    if stopped.is_err() {
        let secs = STOP_GRACE.as_secs();
        let done = run.end_runtime(&format!(
            "it did not stop within {secs} s of an interrupt (stuck in code that never reaches a loop's recur, where interrupts are checked)"
        ));
        on_event(EvalEvent::Err(format!(
            "The runtime did not stop within {secs} s: it is stuck in code that never reaches a loop's `recur`, where interrupts are checked. {done}\n"
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

/// Whether `form` holds a symbol `is_user_macro` says names a user macro.
fn names_a_user_macro(
    form: &Form,
    is_user_macro: &dyn Fn(&crate::compiler::form::Symbol) -> bool,
) -> bool {
    use crate::compiler::form::FormKind;
    match &form.kind {
        FormKind::Symbol(symbol) => is_user_macro(symbol),
        FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => items
            .iter()
            .any(|item| names_a_user_macro(item, is_user_macro)),
        FormKind::Map(entries) => entries.iter().any(|(k, v)| {
            names_a_user_macro(k, is_user_macro) || names_a_user_macro(v, is_user_macro)
        }),
        _ => false,
    }
}
