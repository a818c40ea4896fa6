//! The runtime bridge: the WebSocket side of the program. Runtimes (browser
//! pages and the headless Node process) connect here; evals are sent to them as
//! patches and their output, values and errors come back, matched by eval id.
//!
//! Each runtime has two sockets: the main one (patches in, reports out) and a
//! control one, served by a worker of the runtime, which stays responsive while
//! the runtime's main thread is busy running code: it carries `interrupt`,
//! `stdin` and the compiler's `answer`s to the runtime, and `need-input` and
//! the running code's questions (`ask`) from it.
//!
//! A runtime that goes away fails the evals it was running with the reason
//! (for a process we started, the one the supervisor saw: exited, out of
//! memory, ended because it was stuck); while a runtime is on its way (started
//! by the supervisor, or connected and being brought up to date), evals wait
//! for it instead of failing.
//!
//! Nothing here knows nREPL: the evaluator calls `Bridge::run_patch` and talks
//! to the returned `PatchRun`.

pub mod assets;
pub mod headless;
pub mod http;
mod lifeline;
pub mod patch_log;
mod protocol;
mod replay;
mod socket;
pub mod supervisor;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tracing::info;

use protocol::Hello;
pub use protocol::RuntimeEvent;

use crate::compiler::footprint::Footprint;
use lifeline::Lifeline;
use patch_log::PatchLog;

/// How long, after a supervised runtime's socket closed, to wait for the
/// supervisor to say why its process ended.
const EXIT_REPORT_WAIT: Duration = Duration::from_secs(1);
/// The longest an eval waits for a runtime that is on its way (being started,
/// or having the patch log replayed) before it fails.
const ARRIVAL_LIMIT: Duration = Duration::from_secs(120);

/// Why a patch could not be run.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error(
        "No runtime is connected. Open {page_url} in a browser, or start jank-wasm-nrepl with --headless."
    )]
    NoRuntime { page_url: String },
    #[error(
        "The selected runtime {0} is not connected (ls-runtimes lists the connected ones; select-runtime picks another, or with no id follows the most recent)."
    )]
    SelectedRuntimeGone(u64),
}

/// The handle the rest of the program holds; cheap to clone.
#[derive(Clone)]
pub struct Bridge {
    state: Arc<BridgeState>,
}

struct BridgeState {
    runtimes: Mutex<Vec<Arc<RuntimeConn>>>,
    /// Signalled when a runtime becomes ready, or one on its way is not coming.
    runtimes_changed: Notify,
    /// Processes the supervisor started whose runtime is not ready yet.
    arriving: Mutex<Vec<Arc<Lifeline>>>,
    next_eval_id: AtomicU32,
    next_runtime_id: AtomicU64,
    /// Runtime ids by instance id, so a reloaded page (same instance) keeps its id
    /// and sessions that selected it follow it across the reload.
    instance_ids: Mutex<HashMap<String, u64>>,
    /// How long an eval waits for a runtime when none is connected.
    wait_for_runtime: Duration,
    /// The page a user opens to attach a browser runtime (for error messages).
    page_url: Mutex<String>,
    /// The latest patch defining each var, replayed to runtimes that connect.
    log: Mutex<PatchLog>,
    /// Where output printed after an eval finished goes (callbacks it installed).
    late_output: Mutex<LateOutput>,
    /// The `reload-failed` message of the last reload after a save, while
    /// it stands (pages show it until a reload succeeds).
    reload_problem: Mutex<Option<String>>,
}

/// Why a reload after a save failed, as runtime pages show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReloadProblem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Sinks for output that arrives after its eval finished, by eval id; the
/// oldest are forgotten past a bound.
#[derive(Default)]
struct LateOutput {
    sinks: HashMap<u32, mpsc::UnboundedSender<RuntimeEvent>>,
    order: std::collections::VecDeque<u32>,
}

/// How many finished evals keep a route for their late output.
const LATE_OUTPUT_ROUTES: usize = 4096;

/// One connected runtime.
struct RuntimeConn {
    id: u64,
    hello: Hello,
    connected_at: std::time::SystemTime,
    outgoing: mpsc::UnboundedSender<Message>,
    /// The control socket's sender, once the runtime's worker has connected it.
    control: Mutex<Option<mpsc::UnboundedSender<Message>>>,
    /// Signalled when the control socket connects.
    control_connected: Notify,
    /// Evals sent to this runtime that have not finished, by eval id.
    pending: Mutex<HashMap<u32, mpsc::UnboundedSender<RuntimeEvent>>>,
    /// The context (an nREPL session) of the last eval sent: the runtime keeps
    /// the REPL's dynamic vars (`*1`, `*print-length*`, ...) per context.
    context: Mutex<Option<String>>,
    /// False until the patch log has been replayed to it.
    ready: AtomicBool,
    /// Its process, when the supervisor started it.
    lifeline: Option<Arc<Lifeline>>,
    /// Why the bridge ended it, once it did.
    end_reason: OnceLock<String>,
    /// Signalled to close its main socket.
    close_requested: Notify,
}

impl RuntimeConn {
    /// Answers question `ask` over the control socket (where questions come from).
    fn answer(&self, ask: u32, fields: serde_json::Value) {
        let mut message = serde_json::json!({"op": "answer", "ask": ask});
        if let (Some(message), serde_json::Value::Object(fields)) =
            (message.as_object_mut(), fields)
        {
            message.extend(fields);
        }
        self.send_control(message);
    }

    /// Sends a control message (JSON) if the control socket is connected.
    fn send_control(&self, message: serde_json::Value) -> bool {
        match self.control.lock().as_ref() {
            Some(control) => control.send(Message::text(message.to_string())).is_ok(),
            None => false,
        }
    }

    /// Ends a runtime that cannot be stopped; `why` is a clause such as "it
    /// stopped answering". A process we started is killed (and started again
    /// by the supervisor); a page is disconnected and asked, on its control
    /// socket, to reload itself; a Node process someone else started, to
    /// exit. Returns what was done, for the user.
    fn end(&self, why: &str) -> String {
        let _ = self.end_reason.set(why.to_string());
        self.ready.store(false, Ordering::Release);
        if let Some(lifeline) = &self.lifeline {
            lifeline.request_end(why);
            return "It was ended; a new Node runtime is starting, and every definition is replayed to it.".into();
        }
        let asked = self.send_control(serde_json::json!({"op": "reload", "reason": why}));
        self.close_requested.notify_one();
        match (self.hello.kind.as_str(), asked) {
            ("node", true) => "It was disconnected and asked to exit.".into(),
            (_, true) => "It was disconnected and asked to reload itself; if its tab stays frozen, reload it (a reloaded page gets every definition replayed).".into(),
            _ => "It was disconnected; reload its page (a reloaded page gets every definition replayed).".into(),
        }
    }

    /// Why it went away, for the evals it was running.
    async fn departure(&self) -> String {
        if let Some(lifeline) = &self.lifeline {
            let why = lifeline
                .wait_for_exit(EXIT_REPORT_WAIT)
                .await
                .or_else(|| {
                    self.end_reason
                        .get()
                        .map(|why| format!("was ended because {why}"))
                })
                .unwrap_or_else(|| "disconnected".into());
            return format!(
                "The Node runtime {why}. A new one is starting, and every definition is replayed to it."
            );
        }
        if let Some(why) = self.end_reason.get() {
            return format!("The runtime was disconnected because {why}.");
        }
        let what = match self.hello.kind.as_str() {
            "browser" => "the page was closed, reloaded or crashed",
            _ => "its process ended or lost its connection",
        };
        format!(
            "The runtime disconnected during the eval ({what}); a runtime that connects again gets every definition replayed."
        )
    }
}

/// A connected runtime as reported to users.
#[derive(Clone, Debug)]
pub struct RuntimeInfo {
    pub id: u64,
    pub kind: String,
    pub agent: String,
    /// Seconds since the Unix epoch when it (last) connected.
    pub connected_at: u64,
}

/// What a patch sent to a runtime is, for the REPL state it leaves and how
/// its value is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchKind<'c> {
    /// A form the user evaluated: its value (or exception) becomes `*1` (or
    /// `*e`). Its value is printed as `pr-str` prints it, or, with `pretty`,
    /// as `clojure.pprint/pprint` does within that many columns. It runs in
    /// `context` (the session's REPL vars), when given.
    Eval {
        pretty: Option<u32>,
        context: Option<&'c str>,
        /// At most this many characters of the printed value (nREPL's print
        /// quota); past it the value is cut off and the runtime says so.
        quota: Option<u32>,
    },
    /// Code the compiler runs on the user's behalf (a user macro, a loaded
    /// file's forms): `*1`, `*2`, `*3` and `*e` stay as they are.
    Quiet,
}

/// What follows the eval id in the frame of a `PatchKind::Quiet` patch (where
/// a patch starts with `\0asm`).
pub const QUIET_MAGIC: &[u8; 4] = b"JWRQ";
/// What follows the eval id in the frame of an eval whose value prints other
/// than plainly: two little-endian `u32`s follow, the right margin to pretty
/// print within (0: `pr-str`) and the print quota in characters (0: the
/// runtime's own limit), then the patch.
pub const VALUE_MAGIC: &[u8; 4] = b"JWRV";

/// One patch running on one runtime: its reports, and the controls of the run.
pub struct PatchRun {
    runtime: Arc<RuntimeConn>,
    eval_id: u32,
    /// What the runtime reports; ends after a `Value` or `Error`, or when the
    /// runtime goes away.
    pub events: mpsc::UnboundedReceiver<RuntimeEvent>,
}

impl PatchRun {
    pub fn eval_id(&self) -> u32 {
        self.eval_id
    }

    /// Asks the runtime to stop this eval. False when the runtime has no
    /// control channel (it cannot be interrupted while busy).
    pub fn interrupt(&self) -> bool {
        self.runtime
            .send_control(serde_json::json!({"op": "interrupt", "id": self.eval_id}))
    }

    /// Tells the runtime where this patch's time went, for its page.
    pub fn send_timings(&self, compile: Duration, transfer: Duration, run: Duration) {
        let micros = |d: Duration| d.as_micros() as u64;
        let message = serde_json::json!({
            "op": "timings",
            "id": self.eval_id,
            "compile_us": micros(compile),
            "transfer_us": micros(transfer),
            "run_us": micros(run),
        });
        let _ = self
            .runtime
            .outgoing
            .send(Message::text(message.to_string()));
    }

    /// Gives the running code input for `read-line`.
    pub fn send_stdin(&self, text: &str) -> bool {
        self.runtime
            .send_control(serde_json::json!({"op": "stdin", "id": self.eval_id, "text": text}))
    }

    /// Answers question `ask` the running code asked (`RuntimeEvent::Ask`);
    /// `fields` are the answer's (docs/patch-abi.md).
    pub fn answer(&self, ask: u32, fields: serde_json::Value) {
        self.runtime.answer(ask, fields);
    }

    /// Ends the runtime running this patch, which cannot be stopped (`why`:
    /// "it did not stop ..."); what was done, for the user. Every eval it was
    /// running fails with the reason.
    pub fn end_runtime(&self, why: &str) -> String {
        self.runtime.end(why)
    }
}

/// Tells `runtime` that the evals that follow run in `context`, unless the
/// last one did (the message goes ahead of the eval's frame on the same
/// socket); `current` is the runtime's context, locked by the caller until the
/// frame is sent too, so that another session's eval cannot come between.
fn enter_context(runtime: &RuntimeConn, current: &mut Option<String>, context: &str) {
    if current.as_deref() == Some(context) {
        return;
    }
    let message = serde_json::json!({"op": "context", "context": context});
    if runtime
        .outgoing
        .send(Message::text(message.to_string()))
        .is_ok()
    {
        *current = Some(context.to_string());
    }
}

impl Bridge {
    pub fn new(wait_for_runtime: Duration) -> Bridge {
        Bridge {
            state: Arc::new(BridgeState {
                runtimes: Mutex::new(Vec::new()),
                runtimes_changed: Notify::new(),
                arriving: Mutex::new(Vec::new()),
                next_eval_id: AtomicU32::new(1),
                next_runtime_id: AtomicU64::new(1),
                instance_ids: Mutex::new(HashMap::new()),
                wait_for_runtime,
                page_url: Mutex::new(String::new()),
                log: Mutex::new(PatchLog::default()),
                late_output: Mutex::new(LateOutput::default()),
                reload_problem: Mutex::new(None),
            }),
        }
    }

    pub fn set_page_url(&self, url: &str) {
        *self.state.page_url.lock() = url.to_string();
    }

    pub fn runtimes(&self) -> Vec<RuntimeInfo> {
        self.state
            .runtimes
            .lock()
            .iter()
            .map(|r| RuntimeInfo {
                id: r.id,
                kind: r.hello.kind.clone(),
                agent: r.hello.agent.clone(),
                connected_at: r
                    .connected_at
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            })
            .collect()
    }

    /// Sends output that eval `eval_id` prints after it finished (from
    /// callbacks it installed) to `sink`.
    pub fn route_late_output(&self, eval_id: u32, sink: mpsc::UnboundedSender<RuntimeEvent>) {
        let mut late = self.state.late_output.lock();
        late.sinks.insert(eval_id, sink);
        late.order.push_back(eval_id);
        while late.order.len() > LATE_OUTPUT_ROUTES {
            if let Some(old) = late.order.pop_front() {
                late.sinks.remove(&old);
            }
        }
    }

    /// Hands one report from a runtime to the eval it belongs to, or, for
    /// output of a finished eval, to that eval's late-output sink.
    fn route_event(&self, runtime: &RuntimeConn, eval_id: u32, event: RuntimeEvent) {
        let mut pending = runtime.pending.lock();
        if let Some(events) = pending.get(&eval_id) {
            let finished = event.is_final();
            let _ = events.send(event);
            if finished {
                pending.remove(&eval_id);
            }
            return;
        }
        drop(pending);
        if let RuntimeEvent::Ask { ask, .. } = event {
            // No eval is running to answer it (code a timer or handler runs later).
            runtime.answer(
                ask,
                serde_json::json!({
                    "ok": false,
                    "class": crate::error_class::UNSUPPORTED,
                    "message": "the compiler answers only code an eval runs, not a callback that runs after its eval ended",
                }),
            );
            return;
        }
        if matches!(event, RuntimeEvent::Out(_) | RuntimeEvent::Err(_))
            && let Some(sink) = self.state.late_output.lock().sinks.get(&eval_id)
        {
            let _ = sink.send(event);
        }
    }

    /// A reload after a save failed: every runtime (and every one that
    /// connects while it stands) is told, so pages show it over the page.
    pub fn reload_failed(&self, problem: &ReloadProblem) {
        let mut message = serde_json::json!({"op": "reload-failed"});
        if let (Some(fields), Ok(serde_json::Value::Object(problem))) =
            (message.as_object_mut(), serde_json::to_value(problem))
        {
            fields.extend(problem);
        }
        let text = message.to_string();
        *self.state.reload_problem.lock() = Some(text.clone());
        self.tell_every_runtime(&text);
    }

    /// A reload after a save succeeded: pages take down a problem they show.
    pub fn reload_succeeded(&self, namespaces: &[String]) {
        *self.state.reload_problem.lock() = None;
        let message = serde_json::json!({"op": "reloaded", "namespaces": namespaces});
        self.tell_every_runtime(&message.to_string());
    }

    fn tell_every_runtime(&self, text: &str) {
        for runtime in self.state.runtimes.lock().iter() {
            let _ = runtime.outgoing.send(Message::text(text.to_string()));
        }
    }

    /// The standing `reload-failed` message, for a runtime that connects.
    fn standing_reload_problem(&self) -> Option<String> {
        self.state.reload_problem.lock().clone()
    }

    /// Remembers a patch that ran, with its footprint, for replay.
    pub fn record_definitions(&self, footprint: &Footprint, wasm: Arc<Vec<u8>>) {
        self.state.log.lock().record(footprint, wasm, None);
    }

    /// Remembers a patch that ran as part of loading a namespace's file:
    /// runtimes that connect get the whole latest load of each namespace.
    pub fn record_load(
        &self,
        footprint: &Footprint,
        wasm: Arc<Vec<u8>>,
        load: &patch_log::LoadPart,
    ) {
        self.state.log.lock().record(footprint, wasm, Some(load));
    }

    /// Sends a patch to runtime `target`, or to the most recently connected
    /// runtime when `target` is `None`, waiting a while for it if it is not
    /// there (yet, or again: a reloading page). `kind` says whether its value
    /// is the REPL's new `*1`, and how it is printed.
    pub async fn run_patch(
        &self,
        wasm: &[u8],
        target: Option<u64>,
        kind: PatchKind<'_>,
    ) -> Result<PatchRun, BridgeError> {
        let runtime = self.wait_for_runtime(target).await?;
        let mut current = runtime.context.lock();
        if let PatchKind::Eval {
            context: Some(context),
            ..
        } = kind
        {
            enter_context(&runtime, &mut current, context);
        }
        let run = self.send_frame(runtime.clone(), |frame| {
            match kind {
                PatchKind::Quiet => frame.extend_from_slice(QUIET_MAGIC),
                PatchKind::Eval {
                    pretty: None,
                    quota: None,
                    ..
                } => {}
                PatchKind::Eval { pretty, quota, .. } => {
                    frame.extend_from_slice(VALUE_MAGIC);
                    frame.extend_from_slice(&pretty.unwrap_or(0).to_le_bytes());
                    frame.extend_from_slice(&quota.unwrap_or(0).to_le_bytes());
                }
            }
            frame.extend_from_slice(wasm)
        });
        drop(current);
        Ok(run)
    }

    /// Sends a binary frame, the eval id and what `body` writes after it, as a
    /// new eval on `runtime`.
    fn send_frame(&self, runtime: Arc<RuntimeConn>, body: impl FnOnce(&mut Vec<u8>)) -> PatchRun {
        let eval_id = self.state.next_eval_id.fetch_add(1, Ordering::Relaxed);
        let (sender, events) = mpsc::unbounded_channel();
        runtime.pending.lock().insert(eval_id, sender);
        let mut frame = Vec::new();
        frame.extend_from_slice(&eval_id.to_le_bytes());
        body(&mut frame);
        if runtime.outgoing.send(Message::binary(frame)).is_err() {
            // The runtime's task ended between lookup and send.
            fail_pending(
                &runtime,
                "the runtime disconnected before the eval could be sent",
            );
        }
        PatchRun {
            runtime,
            eval_id,
            events,
        }
    }

    /// The runtime to send an eval to: the target, or the most recently
    /// connected one, once it is ready. Waits `wait_for_runtime` for one to
    /// connect, and longer (up to `ARRIVAL_LIMIT`) while one is on its way.
    async fn wait_for_runtime(&self, target: Option<u64>) -> Result<Arc<RuntimeConn>, BridgeError> {
        let started = tokio::time::Instant::now();
        let mut deadline = started + self.state.wait_for_runtime;
        loop {
            let changed = self.state.runtimes_changed.notified();
            if let Some(runtime) = self.ready_runtime(target) {
                return Ok(runtime);
            }
            let now = tokio::time::Instant::now();
            if self.is_on_its_way(target) && now < started + ARRIVAL_LIMIT {
                deadline = deadline.max(now + self.state.wait_for_runtime);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                if let Some(runtime) = self.ready_runtime(target) {
                    return Ok(runtime);
                }
                if !self.is_on_its_way(target) || started.elapsed() >= ARRIVAL_LIMIT {
                    return Err(match target {
                        Some(id) => BridgeError::SelectedRuntimeGone(id),
                        None => BridgeError::NoRuntime {
                            page_url: self.state.page_url.lock().clone(),
                        },
                    });
                }
            }
        }
    }

    /// Waits, for as long as it takes, until some runtime takes evals.
    pub async fn wait_until_a_runtime_is_ready(&self) {
        loop {
            let connected = self.state.runtimes_changed.notified();
            let ready = self
                .state
                .runtimes
                .lock()
                .iter()
                .any(|r| r.ready.load(Ordering::Acquire));
            if ready {
                return;
            }
            connected.await;
        }
    }

    fn ready_runtime(&self, target: Option<u64>) -> Option<Arc<RuntimeConn>> {
        self.state
            .runtimes
            .lock()
            .iter()
            .rev()
            .filter(|r| target.is_none_or(|id| r.id == id))
            .find(|r| r.ready.load(Ordering::Acquire))
            .cloned()
    }

    /// Whether a runtime that could take the eval is coming: connected and
    /// being brought up to date, or a process the supervisor started.
    fn is_on_its_way(&self, target: Option<u64>) -> bool {
        let replaying = self.state.runtimes.lock().iter().any(|r| {
            // Not ready: still being brought up to date, or ended, which
            // for a runtime we started means a new one is coming.
            target.is_none_or(|id| r.id == id)
                && !r.ready.load(Ordering::Acquire)
                && (r.end_reason.get().is_none() || r.lifeline.is_some())
        });
        replaying
            || self
                .state
                .arriving
                .lock()
                .iter()
                .any(|lifeline| match target {
                    None => true,
                    Some(id) => self.state.instance_ids.lock().get(&lifeline.instance) == Some(&id),
                })
    }

    /// The supervisor started a process: its runtime is on its way.
    pub(crate) fn expect_process(&self, lifeline: Arc<Lifeline>) {
        self.state.arriving.lock().push(lifeline);
    }

    /// The supervisor saw a process end (`why`: "exited with status 1").
    pub(crate) fn process_ended(&self, lifeline: &Arc<Lifeline>, why: String) {
        lifeline.set_exit(why);
        self.arrived(lifeline);
    }

    /// A process's runtime is ready, or will never be: it is on its way no more.
    fn arrived(&self, lifeline: &Arc<Lifeline>) {
        self.state
            .arriving
            .lock()
            .retain(|l| !Arc::ptr_eq(l, lifeline));
        self.state.runtimes_changed.notify_waiters();
    }

    /// Whether a runtime with this id is connected now.
    pub fn is_connected(&self, id: u64) -> bool {
        self.state.runtimes.lock().iter().any(|r| r.id == id)
    }

    /// Registers a runtime that said hello; it takes evals once the patch log
    /// has been replayed to it.
    fn register(&self, hello: Hello, outgoing: mpsc::UnboundedSender<Message>) -> Arc<RuntimeConn> {
        let id = self.runtime_id_for(&hello.instance);
        let lifeline = self
            .state
            .arriving
            .lock()
            .iter()
            .rev()
            .find(|l| !hello.instance.is_empty() && l.instance == hello.instance)
            .cloned();
        let runtime = Arc::new(RuntimeConn {
            id,
            connected_at: std::time::SystemTime::now(),
            hello,
            outgoing,
            control: Mutex::new(None),
            control_connected: Notify::new(),
            pending: Mutex::new(HashMap::new()),
            context: Mutex::new(None),
            ready: AtomicBool::new(false),
            lifeline,
            end_reason: OnceLock::new(),
            close_requested: Notify::new(),
        });
        info!(id = runtime.id, kind = %runtime.hello.kind, agent = %runtime.hello.agent, "runtime connected");
        self.state.runtimes.lock().push(runtime.clone());
        runtime
    }

    /// The id for a runtime instance: the one it had before if it reconnects.
    fn runtime_id_for(&self, instance: &str) -> u64 {
        let mut ids = self.state.instance_ids.lock();
        if let Some(&id) = ids.get(instance).filter(|_| !instance.is_empty()) {
            return id;
        }
        let id = self.state.next_runtime_id.fetch_add(1, Ordering::Relaxed);
        if !instance.is_empty() {
            ids.insert(instance.to_string(), id);
        }
        id
    }

    /// Forgets a runtime whose socket closed, and fails its evals with why it went.
    async fn unregister(&self, runtime: &RuntimeConn) {
        // By identity: a reloaded page may already be back under the same id.
        self.state
            .runtimes
            .lock()
            .retain(|r| !std::ptr::eq(r.as_ref(), runtime));
        self.state.runtimes_changed.notify_waiters();
        let why = runtime.departure().await;
        fail_pending(runtime, &why);
        info!(id = runtime.id, "runtime disconnected: {why}");
    }

    /// The connected runtime whose hello carried `instance`.
    fn find_instance(&self, instance: &str) -> Option<Arc<RuntimeConn>> {
        self.state
            .runtimes
            .lock()
            .iter()
            .rev()
            .find(|r| !instance.is_empty() && r.hello.instance == instance)
            .cloned()
    }
}

/// Ends every eval still waiting on `runtime` with an error.
fn fail_pending(runtime: &RuntimeConn, why: &str) {
    for (_, events) in runtime.pending.lock().drain() {
        let _ = events.send(RuntimeEvent::Error {
            class: crate::error_class::RUNTIME_DISCONNECTED.to_string(),
            message: why.to_string(),
        });
    }
}
