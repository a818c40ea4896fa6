//! The runtime bridge: the WebSocket side of the program. Runtimes (browser
//! pages and the headless Node process) connect here; evals are sent to them as
//! patches and their output, values and errors come back, matched by eval id.
//!
//! Each runtime has two sockets: the main one (patches in, reports out) and a
//! control one, served by a worker of the runtime, which stays responsive while
//! the runtime's main thread is busy running code: it carries `interrupt` and
//! `stdin` to the runtime and `need-input` from it.
//!
//! Nothing here knows nREPL: the evaluator calls `Bridge::run_patch` and talks
//! to the returned `PatchRun`.

pub mod assets;
pub mod headless;
pub mod http;
pub mod patch_log;
mod protocol;
mod socket;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use parking_lot::Mutex;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tracing::{info, warn};

use protocol::Hello;
pub use protocol::RuntimeEvent;

use crate::compiler::footprint::Footprint;
use patch_log::PatchLog;

/// How long a runtime that announced a control socket has to connect it
/// before it takes evals anyway (uninterruptible).
const CONTROL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one replayed patch may take on a newly connected runtime.
const REPLAY_TIMEOUT: Duration = Duration::from_secs(30);

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
    runtime_connected: Notify,
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
    /// False until the patch log has been replayed to it.
    ready: AtomicBool,
}

impl RuntimeConn {
    /// Sends a control message (JSON) if the control socket is connected.
    fn send_control(&self, message: serde_json::Value) -> bool {
        match self.control.lock().as_ref() {
            Some(control) => control.send(Message::text(message.to_string())).is_ok(),
            None => false,
        }
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
}

impl Bridge {
    pub fn new(wait_for_runtime: Duration) -> Bridge {
        Bridge {
            state: Arc::new(BridgeState {
                runtimes: Mutex::new(Vec::new()),
                runtime_connected: Notify::new(),
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
    /// there (yet, or again: a reloading page).
    pub async fn run_patch(
        &self,
        wasm: &[u8],
        target: Option<u64>,
    ) -> Result<PatchRun, BridgeError> {
        let runtime = self.wait_for_runtime(target).await?;
        Ok(self.send_patch(runtime, wasm))
    }

    fn send_patch(&self, runtime: Arc<RuntimeConn>, wasm: &[u8]) -> PatchRun {
        let eval_id = self.state.next_eval_id.fetch_add(1, Ordering::Relaxed);
        let (sender, events) = mpsc::unbounded_channel();
        runtime.pending.lock().insert(eval_id, sender);
        let mut frame = Vec::with_capacity(4 + wasm.len());
        frame.extend_from_slice(&eval_id.to_le_bytes());
        frame.extend_from_slice(wasm);
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

    async fn wait_for_runtime(&self, target: Option<u64>) -> Result<Arc<RuntimeConn>, BridgeError> {
        let deadline = tokio::time::Instant::now() + self.state.wait_for_runtime;
        loop {
            let connected = self.state.runtime_connected.notified();
            let ready = self
                .state
                .runtimes
                .lock()
                .iter()
                .rev()
                .filter(|r| target.is_none_or(|id| r.id == id))
                .find(|r| r.ready.load(Ordering::Acquire))
                .cloned();
            if let Some(runtime) = ready {
                return Ok(runtime);
            }
            if tokio::time::timeout_at(deadline, connected).await.is_err() {
                return Err(match target {
                    Some(id) => BridgeError::SelectedRuntimeGone(id),
                    None => BridgeError::NoRuntime {
                        page_url: self.state.page_url.lock().clone(),
                    },
                });
            }
        }
    }

    /// Waits, for as long as it takes, until some runtime takes evals.
    pub async fn wait_until_a_runtime_is_ready(&self) {
        loop {
            let connected = self.state.runtime_connected.notified();
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

    /// Whether a runtime with this id is connected now.
    pub fn is_connected(&self, id: u64) -> bool {
        self.state.runtimes.lock().iter().any(|r| r.id == id)
    }

    /// Registers a runtime that said hello; it takes evals once the patch log
    /// has been replayed to it.
    fn register(&self, hello: Hello, outgoing: mpsc::UnboundedSender<Message>) -> Arc<RuntimeConn> {
        let id = self.runtime_id_for(&hello.instance);
        let runtime = Arc::new(RuntimeConn {
            id,
            connected_at: std::time::SystemTime::now(),
            hello,
            outgoing,
            control: Mutex::new(None),
            control_connected: Notify::new(),
            pending: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
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

    fn unregister(&self, runtime: &RuntimeConn) {
        // By identity: a reloaded page may already be back under the same id.
        self.state
            .runtimes
            .lock()
            .retain(|r| !std::ptr::eq(r.as_ref(), runtime));
        fail_pending(runtime, "the runtime disconnected during the eval");
        info!(id = runtime.id, "runtime disconnected");
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

    /// Brings a new runtime up to date with the patch log and, if it has one,
    /// waits for its control socket (so its first eval can be interrupted),
    /// then lets evals use it.
    async fn replay_log(&self, runtime: Arc<RuntimeConn>) {
        if runtime.hello.control {
            let connected = runtime.control_connected.notified();
            if runtime.control.lock().is_none()
                && tokio::time::timeout(CONTROL_TIMEOUT, connected)
                    .await
                    .is_err()
            {
                warn!(
                    id = runtime.id,
                    "the runtime's control socket did not connect; it cannot be interrupted"
                );
            }
        }
        let patches = self.state.log.lock().replay();
        for wasm in patches {
            let mut run = self.send_patch(runtime.clone(), &wasm);
            let finished = tokio::time::timeout(REPLAY_TIMEOUT, async {
                while let Some(event) = run.events.recv().await {
                    if let RuntimeEvent::Error { class, message } = &event {
                        warn!(
                            id = runtime.id,
                            "replaying a definition failed: {class}: {message}"
                        );
                    }
                    if event.is_final() {
                        return;
                    }
                }
            })
            .await;
            if finished.is_err() {
                warn!(id = runtime.id, "replaying a definition timed out");
            }
        }
        runtime.ready.store(true, Ordering::Release);
        self.state.runtime_connected.notify_waiters();
        info!(id = runtime.id, "runtime ready");
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
