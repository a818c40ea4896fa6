//! nREPL sessions: each has a current namespace and runs its evals one after
//! another, in the order they arrived, on a worker task of its own, so a long
//! eval in one session never holds up another session or the connection.
//!
//! As in nREPL, a session outlives the connections that use it (a client can
//! reattach to it), but a session no connection has used for the idle timeout
//! is closed, and there are at most so many (`--max-sessions`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use tokio::sync::{mpsc, oneshot};

use super::frame::Frame;
use super::message::dict;
use super::reply_queue::{ReplySink, WeakReplySink};
use crate::evaluator::EvalControls;

/// A unit of work queued on a session (an eval or a load-file).
pub type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

pub struct Session {
    pub id: String,
    ns: Mutex<String>,
    jobs: mpsc::UnboundedSender<Job>,
    running: Mutex<Option<RunningEval>>,
    /// Input sent while no eval ran, kept for the next one that reads.
    pending_stdin: Mutex<String>,
    /// The runtime this session's evals go to (`select-runtime`); `None`
    /// follows the most recently connected one.
    runtime: Mutex<Option<u64>>,
    /// How many open connections have used this session.
    attached: AtomicUsize,
    /// When a connection last used it, or let go of it.
    last_used: Mutex<Instant>,
    /// Where news nobody asked for (a reload after a save) goes: the
    /// connection and request id the session was last used with.
    notices: Mutex<Option<NoticeRoute>>,
}

/// A connection's writer (weakly: a notice never keeps a connection open)
/// and the id of the request last served there.
struct NoticeRoute {
    replies: WeakReplySink,
    id: Option<Frame>,
}

/// The eval a session is running, for `interrupt` and `stdin`.
struct RunningEval {
    /// The eval request's `id`, as text.
    id: Option<String>,
    /// The connection that sent it (`Attachments::client`).
    client: u64,
    interrupt: Option<oneshot::Sender<()>>,
    stdin: mpsc::UnboundedSender<String>,
}

/// What `interrupt` found.
#[derive(Debug, PartialEq, Eq)]
pub enum InterruptOutcome {
    Interrupted,
    Idle,
    IdMismatch,
}

impl Session {
    /// A session in namespace `ns`, with its worker started.
    pub fn start(ns: String) -> Arc<Session> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        tokio::spawn(async move {
            while let Some(job) = queue.recv().await {
                job.await;
            }
        });
        Arc::new(Session {
            id: uuid::Uuid::new_v4().to_string(),
            ns: Mutex::new(ns),
            jobs,
            running: Mutex::new(None),
            pending_stdin: Mutex::new(String::new()),
            runtime: Mutex::new(None),
            notices: Mutex::new(None),
            attached: AtomicUsize::new(0),
            last_used: Mutex::new(Instant::now()),
        })
    }

    /// A connection started using this session.
    pub fn attach(&self) {
        self.attached.fetch_add(1, Ordering::AcqRel);
        self.touch();
    }

    /// A connection that used this session ended; evals it started are interrupted.
    pub fn detach(&self, client: u64) {
        self.attached.fetch_sub(1, Ordering::AcqRel);
        self.touch();
        let running = self.running.lock();
        if let Some(eval) = running.as_ref()
            && eval.client == client
        {
            drop(running);
            self.interrupt(None);
        }
    }

    /// Notes that a request used this session.
    pub fn touch(&self) {
        *self.last_used.lock() = Instant::now();
    }

    /// Whether no connection has used it for `idle`, and it runs nothing.
    fn is_abandoned(&self, idle: Duration) -> bool {
        self.attached.load(Ordering::Acquire) == 0
            && self.running.lock().is_none()
            && self.last_used.lock().elapsed() >= idle
    }

    /// Notices for this session go to `replies`, tagged with request `id`
    /// (clients such as CIDER route a message by its id, and keep the
    /// handlers of finished requests for late output).
    pub fn route_notices(&self, replies: &ReplySink, id: Option<&Frame>) {
        *self.notices.lock() = Some(NoticeRoute {
            replies: replies.downgrade(),
            id: id.cloned(),
        });
    }

    /// Sends `key` (`out` or `err`) with `text` to where the session was
    /// last used; false when that connection is gone or was never known.
    pub fn notify(&self, key: &str, text: &str) -> bool {
        let notices = self.notices.lock();
        let Some(route) = notices.as_ref() else {
            return false;
        };
        let Some(replies) = route.replies.upgrade() else {
            return false;
        };
        let mut fields = vec![("session", Frame::str(&self.id)), (key, Frame::str(text))];
        if let Some(id) = &route.id {
            fields.push(("id", id.clone()));
        }
        if replies.is_closed() {
            return false;
        }
        replies.send(&dict(fields));
        true
    }

    pub fn ns(&self) -> String {
        self.ns.lock().clone()
    }

    pub fn set_ns(&self, ns: &str) {
        *self.ns.lock() = ns.to_string();
    }

    pub fn runtime(&self) -> Option<u64> {
        *self.runtime.lock()
    }

    pub fn select_runtime(&self, runtime: Option<u64>) {
        *self.runtime.lock() = runtime;
    }

    /// Marks the eval with request id `id`, from connection `client`, as
    /// running; returns how it is steered (interrupt, stdin, which starts with
    /// any input sent earlier).
    pub fn start_eval(&self, id: Option<String>, client: u64) -> EvalControls {
        let (interrupt, interrupted) = oneshot::channel();
        let (stdin_tx, stdin) = mpsc::unbounded_channel();
        let early = std::mem::take(&mut *self.pending_stdin.lock());
        if !early.is_empty() {
            let _ = stdin_tx.send(early);
        }
        *self.running.lock() = Some(RunningEval {
            id,
            client,
            interrupt: Some(interrupt),
            stdin: stdin_tx,
        });
        EvalControls { interrupted, stdin }
    }

    /// Input for the running eval, or for the next one if none runs.
    pub fn send_stdin(&self, text: &str) {
        if let Some(eval) = self.running.lock().as_ref()
            && eval.stdin.send(text.to_string()).is_ok()
        {
            return;
        }
        self.pending_stdin.lock().push_str(text);
    }

    pub fn finish_eval(&self) {
        *self.running.lock() = None;
    }

    /// Interrupts the running eval, if it is the one named (any, for `None`).
    pub fn interrupt(&self, id: Option<&str>) -> InterruptOutcome {
        let mut running = self.running.lock();
        match running.as_mut() {
            None => InterruptOutcome::Idle,
            Some(eval) if id.is_some() && eval.id.as_deref() != id => InterruptOutcome::IdMismatch,
            Some(eval) => {
                if let Some(interrupt) = eval.interrupt.take() {
                    let _ = interrupt.send(());
                }
                InterruptOutcome::Interrupted
            }
        }
    }

    /// Queues `job` after every job queued before it.
    pub fn enqueue(&self, job: Job) {
        // The worker only stops when the last sender (this session) is gone.
        let _ = self.jobs.send(job);
    }
}

/// Every open session, by id.
pub struct Sessions {
    map: Mutex<HashMap<String, Arc<Session>>>,
    /// The most sessions open at once.
    max: usize,
    /// How long a session no connection uses is kept.
    pub idle_timeout: Duration,
}

/// `clone` past `--max-sessions`.
#[derive(Debug, thiserror::Error)]
#[error(
    "Too many sessions: {0} are open, the most --max-sessions allows. Close sessions you no longer use (the close op); sessions no connection uses are closed after --session-idle-timeout."
)]
pub struct TooManySessions(pub usize);

impl Default for Sessions {
    fn default() -> Self {
        Sessions::new(usize::MAX, Duration::MAX)
    }
}

impl Sessions {
    pub fn new(max: usize, idle_timeout: Duration) -> Sessions {
        Sessions {
            map: Mutex::new(HashMap::new()),
            max,
            idle_timeout,
        }
    }

    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.map.lock().get(id).cloned()
    }

    /// Starts and registers a session in `ns`, unless there are too many.
    pub fn open(&self, ns: String) -> Result<Arc<Session>, TooManySessions> {
        let mut map = self.map.lock();
        if map.len() >= self.max {
            return Err(TooManySessions(map.len()));
        }
        let session = Session::start(ns);
        map.insert(session.id.clone(), session.clone());
        Ok(session)
    }

    /// Closes the sessions no connection has used for the idle timeout;
    /// how many it closed.
    pub fn reap_abandoned(&self) -> usize {
        let mut map = self.map.lock();
        let before = map.len();
        map.retain(|_, session| !session.is_abandoned(self.idle_timeout));
        before - map.len()
    }

    pub fn close(&self, id: &str) -> bool {
        self.map.lock().remove(id).is_some()
    }

    pub fn ids(&self) -> Vec<String> {
        self.map.lock().keys().cloned().collect()
    }

    /// Every open session.
    pub fn all(&self) -> Vec<Arc<Session>> {
        self.map.lock().values().cloned().collect()
    }
}
