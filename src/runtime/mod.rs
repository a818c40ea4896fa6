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
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tracing::{info, warn};

use protocol::Hello;
pub use protocol::RuntimeEvent;

use crate::compiler::namespace::Slot;
use crate::nrepl::session::lock;
use patch_log::PatchLog;

/// How long one replayed patch may take on a newly connected runtime.
const REPLAY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a patch could not be run.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error(
        "No runtime is connected. Open {page_url} in a browser, or start jank-wasm-nrepl with --headless."
    )]
    NoRuntime { page_url: String },
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
    /// How long an eval waits for a runtime when none is connected.
    wait_for_runtime: Duration,
    /// The page a user opens to attach a browser runtime (for error messages).
    page_url: Mutex<String>,
    /// The latest patch defining each var, replayed to runtimes that connect.
    log: Mutex<PatchLog>,
}

/// One connected runtime.
struct RuntimeConn {
    id: u64,
    hello: Hello,
    outgoing: mpsc::UnboundedSender<Message>,
    /// The control socket's sender, once the runtime's worker has connected it.
    control: Mutex<Option<mpsc::UnboundedSender<Message>>>,
    /// Evals sent to this runtime that have not finished, by eval id.
    pending: Mutex<HashMap<u32, mpsc::UnboundedSender<RuntimeEvent>>>,
    /// False until the patch log has been replayed to it.
    ready: AtomicBool,
}

impl RuntimeConn {
    /// Sends a control message (JSON) if the control socket is connected.
    fn send_control(&self, message: serde_json::Value) -> bool {
        match lock(&self.control).as_ref() {
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
    /// Asks the runtime to stop this eval. False when the runtime has no
    /// control channel (it cannot be interrupted while busy).
    pub fn interrupt(&self) -> bool {
        self.runtime
            .send_control(serde_json::json!({"op": "interrupt", "id": self.eval_id}))
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
                wait_for_runtime,
                page_url: Mutex::new(String::new()),
                log: Mutex::new(PatchLog::default()),
            }),
        }
    }

    pub fn set_page_url(&self, url: &str) {
        *lock(&self.state.page_url) = url.to_string();
    }

    pub fn runtimes(&self) -> Vec<RuntimeInfo> {
        lock(&self.state.runtimes)
            .iter()
            .map(|r| RuntimeInfo {
                id: r.id,
                kind: r.hello.kind.clone(),
                agent: r.hello.agent.clone(),
            })
            .collect()
    }

    /// Remembers a patch that ran and defined `defines`, for replay.
    pub fn record_definitions(&self, defines: &[Slot], wasm: Arc<Vec<u8>>) {
        lock(&self.state.log).record(defines, wasm);
    }

    /// Sends a patch to the most recently connected runtime (waiting a while
    /// for one if none is there).
    pub async fn run_patch(&self, wasm: &[u8]) -> Result<PatchRun, BridgeError> {
        let runtime = self.wait_for_runtime().await?;
        Ok(self.send_patch(runtime, wasm))
    }

    fn send_patch(&self, runtime: Arc<RuntimeConn>, wasm: &[u8]) -> PatchRun {
        let eval_id = self.state.next_eval_id.fetch_add(1, Ordering::Relaxed);
        let (sender, events) = mpsc::unbounded_channel();
        lock(&runtime.pending).insert(eval_id, sender);
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

    async fn wait_for_runtime(&self) -> Result<Arc<RuntimeConn>, BridgeError> {
        let deadline = tokio::time::Instant::now() + self.state.wait_for_runtime;
        loop {
            let connected = self.state.runtime_connected.notified();
            let ready = lock(&self.state.runtimes)
                .iter()
                .rev()
                .find(|r| r.ready.load(Ordering::Acquire))
                .cloned();
            if let Some(runtime) = ready {
                return Ok(runtime);
            }
            if tokio::time::timeout_at(deadline, connected).await.is_err() {
                return Err(BridgeError::NoRuntime {
                    page_url: lock(&self.state.page_url).clone(),
                });
            }
        }
    }

    /// Registers a runtime that said hello; it takes evals once the patch log
    /// has been replayed to it.
    fn register(&self, hello: Hello, outgoing: mpsc::UnboundedSender<Message>) -> Arc<RuntimeConn> {
        let runtime = Arc::new(RuntimeConn {
            id: self.state.next_runtime_id.fetch_add(1, Ordering::Relaxed),
            hello,
            outgoing,
            control: Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
        });
        info!(id = runtime.id, kind = %runtime.hello.kind, agent = %runtime.hello.agent, "runtime connected");
        lock(&self.state.runtimes).push(runtime.clone());
        runtime
    }

    fn unregister(&self, runtime: &RuntimeConn) {
        lock(&self.state.runtimes).retain(|r| r.id != runtime.id);
        fail_pending(runtime, "the runtime disconnected during the eval");
        info!(id = runtime.id, "runtime disconnected");
    }

    /// The connected runtime whose hello carried `instance`.
    fn find_instance(&self, instance: &str) -> Option<Arc<RuntimeConn>> {
        lock(&self.state.runtimes)
            .iter()
            .find(|r| !instance.is_empty() && r.hello.instance == instance)
            .cloned()
    }

    /// Brings a new runtime up to date with the patch log, then lets evals use it.
    async fn replay_log(&self, runtime: Arc<RuntimeConn>) {
        let patches = lock(&self.state.log).replay();
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

/// Hands one report from a runtime to the eval it belongs to.
fn route_event(runtime: &RuntimeConn, eval_id: u32, event: RuntimeEvent) {
    let mut pending = lock(&runtime.pending);
    let finished = event.is_final();
    if let Some(events) = pending.get(&eval_id) {
        let _ = events.send(event);
    }
    if finished {
        pending.remove(&eval_id);
    }
}

/// Ends every eval still waiting on `runtime` with an error.
fn fail_pending(runtime: &RuntimeConn, why: &str) {
    for (_, events) in lock(&runtime.pending).drain() {
        let _ = events.send(RuntimeEvent::Error {
            class: "RuntimeDisconnected".to_string(),
            message: why.to_string(),
        });
    }
}
