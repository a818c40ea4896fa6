//! What ties a runtime's connection to the process behind it when this program
//! started that process (`--headless`). The supervisor records why the process
//! ended ("exited with status 1"), so evals in flight fail with the real
//! reason rather than "disconnected"; the bridge asks the supervisor to end a
//! process that is stuck or silent. One lifeline per process: a restarted
//! runtime gets a new one.

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::Notify;

pub struct Lifeline {
    /// The runtime instance id the process says hello with (the same for every
    /// process of one supervisor, so the runtime keeps its id across restarts).
    pub instance: String,
    /// Why the process ended, once it has: a phrase such as "exited with status 1".
    exit: OnceLock<String>,
    exited: Notify,
    /// Why the bridge wants the process ended, once it does.
    end_request: OnceLock<String>,
    end_requested: Notify,
}

impl Lifeline {
    pub fn new(instance: &str) -> Lifeline {
        Lifeline {
            instance: instance.to_string(),
            exit: OnceLock::new(),
            exited: Notify::new(),
            end_request: OnceLock::new(),
            end_requested: Notify::new(),
        }
    }

    /// The supervisor: the process is gone, and why.
    pub fn set_exit(&self, why: String) {
        let _ = self.exit.set(why);
        self.exited.notify_waiters();
    }

    pub fn exit(&self) -> Option<&str> {
        self.exit.get().map(String::as_str)
    }

    /// Why the process ended, waiting up to `limit` for the supervisor to
    /// notice (its socket may close a moment before its exit is seen).
    pub async fn wait_for_exit(&self, limit: Duration) -> Option<String> {
        let exited = self.exited.notified();
        if let Some(why) = self.exit() {
            return Some(why.to_string());
        }
        let _ = tokio::time::timeout(limit, exited).await;
        self.exit().map(str::to_string)
    }

    /// The bridge: end this process (the first reason given is kept).
    pub fn request_end(&self, why: &str) {
        let _ = self.end_request.set(why.to_string());
        // A stored permit: the supervisor sees it even if it is not waiting yet.
        self.end_requested.notify_one();
    }

    /// The supervisor: resolves with the reason once the bridge wants the process ended.
    pub async fn end_requested(&self) -> String {
        loop {
            if let Some(why) = self.end_request.get() {
                return why.clone();
            }
            self.end_requested.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_exit_recorded_before_or_while_waiting_is_seen() {
        let lifeline = std::sync::Arc::new(Lifeline::new("i"));
        assert_eq!(lifeline.wait_for_exit(Duration::from_millis(1)).await, None);
        let later = lifeline.clone();
        let waiter =
            tokio::spawn(async move { later.wait_for_exit(Duration::from_secs(10)).await });
        tokio::task::yield_now().await;
        lifeline.set_exit("exited with status 1".into());
        assert_eq!(
            waiter.await.unwrap().as_deref(),
            Some("exited with status 1")
        );
        assert_eq!(
            lifeline.wait_for_exit(Duration::ZERO).await.as_deref(),
            Some("exited with status 1")
        );
    }

    #[tokio::test]
    async fn an_end_request_made_before_the_supervisor_waits_is_kept() {
        let lifeline = Lifeline::new("i");
        lifeline.request_end("stuck");
        lifeline.request_end("silent");
        assert_eq!(lifeline.end_requested().await, "stuck");
    }
}
