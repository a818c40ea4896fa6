//! nREPL sessions: each has a current namespace and runs its evals one after
//! another, in the order they arrived, on a worker task of its own, so a long
//! eval in one session never holds up another session or the connection.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

/// A unit of work queued on a session (an eval or a load-file).
pub type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

pub struct Session {
    pub id: String,
    ns: Mutex<String>,
    jobs: mpsc::UnboundedSender<Job>,
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
        })
    }

    pub fn ns(&self) -> String {
        lock(&self.ns).clone()
    }

    pub fn set_ns(&self, ns: &str) {
        *lock(&self.ns) = ns.to_string();
    }

    /// Queues `job` after every job queued before it.
    pub fn enqueue(&self, job: Job) {
        // The worker only stops when the last sender (this session) is gone.
        let _ = self.jobs.send(job);
    }
}

/// Every open session, by id.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Arc<Session>>>,
}

impl Sessions {
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        lock(&self.map).get(id).cloned()
    }

    /// Starts and registers a session in `ns`.
    pub fn open(&self, ns: String) -> Arc<Session> {
        let session = Session::start(ns);
        lock(&self.map).insert(session.id.clone(), session.clone());
        session
    }

    pub fn close(&self, id: &str) -> bool {
        lock(&self.map).remove(id).is_some()
    }

    pub fn ids(&self) -> Vec<String> {
        lock(&self.map).keys().cloned().collect()
    }
}

/// Locks a mutex, recovering from poisoning: the data here (names, maps of
/// handles) stays consistent even if a holder panicked.
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
