//! The runtime bridge: the WebSocket side of the program. Runtimes (browser
//! pages and the headless Node process) connect here; evals are sent to them as
//! patches and their output, values and errors come back, matched by eval id.
//!
//! Nothing here knows nREPL: the evaluator calls `Bridge::run_patch` and reads
//! the events it returns.

pub mod assets;
pub mod headless;
pub mod http;
pub mod patch_log;
mod protocol;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tracing::{info, warn};

pub use protocol::RuntimeEvent;
use protocol::{Hello, IncomingMessage};

use crate::compiler::namespace::Slot;
use crate::nrepl::session::lock;
use patch_log::PatchLog;

/// How long a runtime has, after connecting, to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings a runtime (pongs, like any message, show it is alive).
const PING_INTERVAL: Duration = Duration::from_secs(10);
/// A runtime not heard from for this long is dropped. Longer than the default
/// eval timeout: a runtime busy in a long computation may not answer pings.
const SILENCE_LIMIT: Duration = Duration::from_secs(90);
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
    /// Evals sent to this runtime that have not finished, by eval id.
    pending: Mutex<HashMap<u32, mpsc::UnboundedSender<RuntimeEvent>>>,
    /// False until the patch log has been replayed to it.
    ready: AtomicBool,
}

/// A connected runtime as reported to users.
#[derive(Clone, Debug)]
pub struct RuntimeInfo {
    pub id: u64,
    pub kind: String,
    pub agent: String,
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
    /// for one if none is there) and returns the stream of what it reports.
    /// The stream ends after a `Value` or `Error`, or when the runtime goes away.
    pub async fn run_patch(
        &self,
        wasm: &[u8],
    ) -> Result<mpsc::UnboundedReceiver<RuntimeEvent>, BridgeError> {
        let runtime = self.wait_for_runtime().await?;
        Ok(self.send_patch(&runtime, wasm))
    }

    fn send_patch(
        &self,
        runtime: &RuntimeConn,
        wasm: &[u8],
    ) -> mpsc::UnboundedReceiver<RuntimeEvent> {
        let eval_id = self.state.next_eval_id.fetch_add(1, Ordering::Relaxed);
        let (events, receiver) = mpsc::unbounded_channel();
        lock(&runtime.pending).insert(eval_id, events);
        let mut frame = Vec::with_capacity(4 + wasm.len());
        frame.extend_from_slice(&eval_id.to_le_bytes());
        frame.extend_from_slice(wasm);
        if runtime.outgoing.send(Message::binary(frame)).is_err() {
            // The runtime's task ended between lookup and send.
            fail_pending(
                runtime,
                "the runtime disconnected before the eval could be sent",
            );
        }
        receiver
    }

    /// Brings a new runtime up to date with the patch log, then lets evals use it.
    async fn replay_log(&self, runtime: Arc<RuntimeConn>) {
        let patches = lock(&self.state.log).replay();
        for wasm in patches {
            let mut events = self.send_patch(&runtime, &wasm);
            let finished = tokio::time::timeout(REPLAY_TIMEOUT, async {
                while let Some(event) = events.recv().await {
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

    /// Serves one runtime's WebSocket until it closes: registers it after its
    /// hello, forwards patches to it and routes its reports to the evals.
    pub async fn serve_runtime<S>(&self, mut socket: WebSocketStream<S>)
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let hello = match tokio::time::timeout(HELLO_TIMEOUT, read_hello(&mut socket)).await {
            Ok(Some(hello)) => hello,
            _ => {
                warn!("a runtime connected but did not say hello; closing it");
                return;
            }
        };
        let (outgoing, mut to_send) = mpsc::unbounded_channel();
        let runtime = Arc::new(RuntimeConn {
            id: self.state.next_runtime_id.fetch_add(1, Ordering::Relaxed),
            hello,
            outgoing,
            pending: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
        });
        info!(id = runtime.id, kind = %runtime.hello.kind, agent = %runtime.hello.agent, "runtime connected");
        lock(&self.state.runtimes).push(runtime.clone());
        let replay = tokio::spawn({
            let bridge = self.clone();
            let runtime = runtime.clone();
            async move { bridge.replay_log(runtime).await }
        });

        let mut heartbeat = tokio::time::interval(PING_INTERVAL);
        let mut last_heard = tokio::time::Instant::now();
        loop {
            tokio::select! {
                message = to_send.recv() => match message {
                    Some(message) => if socket.send(message).await.is_err() { break },
                    None => break,
                },
                incoming = socket.next() => {
                    last_heard = tokio::time::Instant::now();
                    match incoming {
                        Some(Ok(Message::Text(text))) => route_report(&runtime, text.as_str()),
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                        Some(Ok(_)) => {}
                    }
                },
                _ = heartbeat.tick() => {
                    if last_heard.elapsed() > SILENCE_LIMIT {
                        warn!(id = runtime.id, "runtime silent for {SILENCE_LIMIT:?}; dropping it");
                        break;
                    }
                    if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                        break;
                    }
                }
            }
        }

        replay.abort();
        let _ = socket.close(None).await;
        lock(&self.state.runtimes).retain(|r| r.id != runtime.id);
        fail_pending(&runtime, "the runtime disconnected during the eval");
        info!(id = runtime.id, "runtime disconnected");
    }
}

async fn read_hello<S>(socket: &mut WebSocketStream<S>) -> Option<Hello>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    while let Some(Ok(message)) = socket.next().await {
        if let Message::Text(text) = message {
            return match serde_json::from_str::<IncomingMessage>(text.as_str()) {
                Ok(IncomingMessage::Hello(hello)) => Some(hello),
                _ => None,
            };
        }
    }
    None
}

/// Hands one report from a runtime to the eval it belongs to.
fn route_report(runtime: &RuntimeConn, text: &str) {
    let message = match serde_json::from_str::<IncomingMessage>(text) {
        Ok(message) => message,
        Err(error) => {
            warn!(id = runtime.id, %error, "unreadable message from runtime");
            return;
        }
    };
    let Some((eval_id, event)) = message.into_event() else {
        return;
    };
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
