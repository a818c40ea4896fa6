//! Bringing a runtime that connects up to date: the patch log is replayed to
//! it in batches (docs/patch-abi.md, "Messages on the WebSocket": a batch frame
//! carries many patches and is answered once), all sent at once, so 20,000
//! definitions cost a few round trips rather than 20,000. Definitions made
//! while the replay runs are replayed after it. Until then the runtime takes
//! no evals; evals wait for it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tracing::{info, warn};

use super::{Bridge, PatchRun, RuntimeConn, RuntimeEvent};

/// How long a runtime that announced a control socket has to connect it
/// before it takes evals anyway (uninterruptible).
const CONTROL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one batch may take on the runtime.
const BATCH_TIMEOUT: Duration = Duration::from_secs(60);
/// A batch holds at most this many patches...
const BATCH_PATCHES: usize = 1_000;
/// ...and about this many bytes of them.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// What follows the eval id in a batch frame (where a patch has `\0asm`).
pub const BATCH_MAGIC: &[u8; 4] = b"JWRB";

impl Bridge {
    /// Waits for the runtime's control socket (so its first eval can be
    /// interrupted), replays the patch log to it, then lets evals use it.
    pub(super) async fn replay_log(&self, runtime: Arc<RuntimeConn>) {
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
        let started = std::time::Instant::now();
        let mut replayed = 0;
        let mut seen = 0;
        loop {
            let (patches, upto) = self.state.log.lock().replay_after(seen);
            if patches.is_empty() {
                break;
            }
            replayed += patches.len();
            seen = upto;
            self.replay_batches(&runtime, &patches).await;
        }
        runtime.ready.store(true, Ordering::Release);
        if let Some(lifeline) = &runtime.lifeline {
            self.arrived(lifeline);
        }
        self.state.runtimes_changed.notify_waiters();
        info!(id = runtime.id, replayed, elapsed = ?started.elapsed(), "runtime ready");
    }

    /// Sends every batch, then waits for each to be answered.
    async fn replay_batches(&self, runtime: &Arc<RuntimeConn>, patches: &[Arc<Vec<u8>>]) {
        let runs: Vec<PatchRun> = batches(patches)
            .map(|batch| self.send_frame(runtime.clone(), |frame| write_batch(frame, batch)))
            .collect();
        for mut run in runs {
            let answered = tokio::time::timeout(BATCH_TIMEOUT, async {
                while let Some(event) = run.events.recv().await {
                    match &event {
                        RuntimeEvent::Err(text) | RuntimeEvent::Out(text) => {
                            warn!(id = runtime.id, "replaying: {}", text.trim_end());
                        }
                        RuntimeEvent::Error { class, message } => {
                            warn!(id = runtime.id, "replaying failed: {class}: {message}");
                        }
                        // No eval answers questions to the compiler during a replay.
                        RuntimeEvent::Ask { ask, .. } => run.answer(
                            *ask,
                            serde_json::json!({
                                "ok": false,
                                "class": crate::error_class::UNSUPPORTED,
                                "message": "code replayed to a runtime that connects cannot ask the compiler (eval, resolve, find-var, ...)",
                            }),
                        ),
                        _ => {}
                    }
                    if event.is_final() {
                        return;
                    }
                }
            })
            .await;
            if answered.is_err() {
                warn!(id = runtime.id, "a replay batch timed out");
            }
        }
    }
}

/// The patches cut into batches of at most `BATCH_PATCHES` and about `BATCH_BYTES`.
fn batches(patches: &[Arc<Vec<u8>>]) -> impl Iterator<Item = &[Arc<Vec<u8>>]> {
    let mut rest = patches;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut len = 0;
        while len < rest.len() && len < BATCH_PATCHES && (len == 0 || bytes < BATCH_BYTES) {
            bytes += rest[len].len();
            len += 1;
        }
        let (batch, after) = rest.split_at(len);
        rest = after;
        Some(batch)
    })
}

/// `JWRB`, then each patch as a `u32` LE length and its bytes.
fn write_batch(frame: &mut Vec<u8>, batch: &[Arc<Vec<u8>>]) {
    frame.reserve(4 + batch.iter().map(|p| 4 + p.len()).sum::<usize>());
    frame.extend_from_slice(BATCH_MAGIC);
    for patch in batch {
        let len = u32::try_from(patch.len()).expect("a patch is smaller than 4 GiB");
        frame.extend_from_slice(&len.to_le_bytes());
        frame.extend_from_slice(patch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_bounded_in_count_and_bytes() {
        let small: Vec<Arc<Vec<u8>>> = (0..2_500).map(|_| Arc::new(vec![0; 10])).collect();
        let sizes: Vec<usize> = batches(&small).map(<[_]>::len).collect();
        assert_eq!(sizes, [1_000, 1_000, 500]);
        let big: Vec<Arc<Vec<u8>>> = (0..3).map(|_| Arc::new(vec![0; BATCH_BYTES])).collect();
        assert_eq!(batches(&big).map(<[_]>::len).collect::<Vec<_>>(), [1, 1, 1]);
    }

    #[test]
    fn a_batch_frame_lists_each_patch_with_its_length() {
        let mut frame = Vec::new();
        write_batch(&mut frame, &[Arc::new(vec![1, 2]), Arc::new(vec![3])]);
        assert_eq!(frame, b"JWRB\x02\0\0\0\x01\x02\x01\0\0\0\x03");
    }
}
