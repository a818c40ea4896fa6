//! The sessions one connection uses. When the connection ends they are let go
//! of: each is kept for a client to reattach to (and closed once no connection
//! has used it for the idle timeout), and the evals this connection started in
//! them are interrupted, so a client that hung up leaves nothing running.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use super::session::Session;

static NEXT_CLIENT: AtomicU64 = AtomicU64::new(1);

pub struct Attachments {
    /// This connection's number, which the evals it starts carry.
    pub client: u64,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
}

impl Default for Attachments {
    fn default() -> Self {
        Attachments {
            client: NEXT_CLIENT.fetch_add(1, Ordering::Relaxed),
            sessions: Mutex::new(HashMap::new()),
        }
    }
}

impl Attachments {
    /// Notes that this connection uses `session`.
    pub fn attach(&self, session: &Arc<Session>) {
        let mut sessions = self.sessions.lock();
        match sessions.get(&session.id) {
            Some(_) => session.touch(),
            None => {
                session.attach();
                sessions.insert(session.id.clone(), session.clone());
            }
        }
    }

    /// This connection is done with `id` (closed, or a one-request session).
    pub fn detach(&self, id: &str) {
        let session = self.sessions.lock().remove(id);
        if let Some(session) = session {
            session.detach(self.client);
        }
    }

    /// The connection ended: lets go of every session, interrupting its evals.
    pub fn release_all(&self) {
        let sessions = std::mem::take(&mut *self.sessions.lock());
        for session in sessions.into_values() {
            session.detach(self.client);
        }
    }
}
