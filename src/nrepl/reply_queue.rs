//! A connection's outgoing replies: ops queue them, encoded, and a writer task
//! sends them in order. The queue is bounded in bytes. While more than a
//! quarter of the bound waits, the connection stops reading requests, so a
//! client that sends without reading is slowed to the pace it reads; once
//! more than the bound waits, the client is taken not to read at all and is
//! dropped: the waiting replies are freed, later ones discarded, and the
//! connection ends (which interrupts its evals).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc};

use super::frame::Frame;

/// The sending side, held by every op of the connection; cheap to clone.
#[derive(Clone)]
pub struct ReplySink {
    queue: mpsc::UnboundedSender<Vec<u8>>,
    state: Arc<QueueState>,
}

/// A handle that does not keep the connection open (for output that arrives
/// long after its eval); `upgrade` while the connection lives.
#[derive(Clone)]
pub struct WeakReplySink {
    queue: mpsc::WeakUnboundedSender<Vec<u8>>,
    state: Arc<QueueState>,
}

struct QueueState {
    /// Bytes queued and not yet taken by the writer.
    waiting: AtomicUsize,
    /// Past this many waiting bytes, the client is dropped.
    limit: usize,
    /// The client did not read: everything is discarded from now on.
    overflowed: AtomicBool,
    /// The connection ended (its client hung up, or it was dropped).
    closed: AtomicBool,
    /// Signalled when the waiting bytes fall below a quarter of the limit, on
    /// overflow, and when the connection closes.
    changed: Notify,
}

/// The receiving side: the connection's writer.
pub struct ReplyWriter {
    queue: mpsc::UnboundedReceiver<Vec<u8>>,
    state: Arc<QueueState>,
}

/// A queue whose client is dropped once more than `limit` bytes wait.
pub fn reply_queue(limit: usize) -> (ReplySink, ReplyWriter) {
    let (queue, receiver) = mpsc::unbounded_channel();
    let state = Arc::new(QueueState {
        waiting: AtomicUsize::new(0),
        limit,
        overflowed: AtomicBool::new(false),
        closed: AtomicBool::new(false),
        changed: Notify::new(),
    });
    (
        ReplySink {
            queue,
            state: state.clone(),
        },
        ReplyWriter {
            queue: receiver,
            state,
        },
    )
}

impl ReplySink {
    /// Queues a reply (dropped if the connection is gone or overflowed). A
    /// reply bigger than the limit still goes out when little waits before it.
    pub fn send(&self, frame: &Frame) {
        if self.state.overflowed.load(Ordering::Relaxed) || self.queue.is_closed() {
            return;
        }
        let bytes = frame.encode();
        let before = self.state.waiting.fetch_add(bytes.len(), Ordering::AcqRel);
        if before > self.state.limit {
            self.state.waiting.fetch_sub(bytes.len(), Ordering::AcqRel);
            self.state.overflowed.store(true, Ordering::Release);
            self.state.changed.notify_waiters();
            return;
        }
        let len = bytes.len();
        if self.queue.send(bytes).is_err() {
            self.state.waiting.fetch_sub(len, Ordering::AcqRel);
        }
    }

    pub fn downgrade(&self) -> WeakReplySink {
        WeakReplySink {
            queue: self.queue.downgrade(),
            state: self.state.clone(),
        }
    }

    /// True once the connection has ended: its replies go nowhere.
    pub fn is_closed(&self) -> bool {
        self.state.closed.load(Ordering::Acquire) || self.queue.is_closed()
    }

    /// True once the client has been found not to read.
    pub fn overflowed(&self) -> bool {
        self.state.overflowed.load(Ordering::Acquire)
    }

    /// Marks the connection ended.
    pub fn close(&self) {
        self.state.closed.store(true, Ordering::Release);
        self.state.changed.notify_waiters();
    }

    /// Waits while the client is behind (more than a quarter of the limit
    /// waits for it); false if it overflowed or the connection closed meanwhile.
    pub async fn wait_for_room(&self) -> bool {
        loop {
            let changed = self.state.changed.notified();
            if self.overflowed() || self.is_closed() {
                return false;
            }
            if self.state.waiting.load(Ordering::Acquire) <= self.state.limit / 4 {
                return true;
            }
            changed.await;
        }
    }

    /// Resolves when the client is found not to read.
    pub async fn overflow(&self) {
        loop {
            let changed = self.state.changed.notified();
            if self.overflowed() {
                return;
            }
            changed.await;
        }
    }
}

impl WeakReplySink {
    pub fn upgrade(&self) -> Option<ReplySink> {
        Some(ReplySink {
            queue: self.queue.upgrade()?,
            state: self.state.clone(),
        })
    }
}

impl ReplyWriter {
    /// Writes replies in order, each in one write (with TCP_NODELAY set on
    /// the socket, a reply leaves at once), until every sink is gone, writing
    /// fails, or the client overflows.
    pub async fn run<W: AsyncWrite + Unpin>(mut self, mut stream: W) {
        while let Some(bytes) = self.queue.recv().await {
            let before = self.state.waiting.fetch_sub(bytes.len(), Ordering::AcqRel);
            let waiting = before.saturating_sub(bytes.len());
            if waiting <= self.state.limit / 4 {
                self.state.changed.notify_waiters();
            }
            if self.state.overflowed.load(Ordering::Acquire) {
                return;
            }
            let written = async {
                stream.write_all(&bytes).await?;
                stream.flush().await
            };
            if written.await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nrepl::message::dict;

    fn reply(len: usize) -> Frame {
        dict([("out", Frame::str(&"x".repeat(len)))])
    }

    #[tokio::test]
    async fn a_client_that_does_not_read_overflows_and_its_replies_are_freed() {
        let (sink, writer) = reply_queue(10_000);
        // A writer stuck on a peer that never reads: a 1-byte pipe, unread.
        let (stuck, _unread) = tokio::io::duplex(1);
        let writer = tokio::spawn(writer.run(stuck));
        for _ in 0..100 {
            sink.send(&reply(1_000));
        }
        assert!(sink.overflowed());
        sink.overflow().await;
        assert!(!sink.wait_for_room().await);
        writer.abort();
        let _ = writer.await;
        assert!(sink.is_closed(), "the writer's end is gone");
    }

    #[tokio::test]
    async fn one_reply_bigger_than_the_limit_still_goes_out() {
        let (sink, writer) = reply_queue(100);
        let (out, mut client) = tokio::io::duplex(1 << 16);
        let writer = tokio::spawn(writer.run(out));
        let big = reply(10_000);
        sink.send(&big);
        drop(sink);
        writer.await.unwrap();
        let mut received = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut client, &mut received)
            .await
            .unwrap();
        assert_eq!(received, big.encode());
    }

    #[tokio::test]
    async fn reading_pauses_while_replies_back_up_and_resumes_as_they_drain() {
        let (sink, writer) = reply_queue(4_000);
        for _ in 0..3 {
            sink.send(&reply(1_000));
        }
        let paused =
            tokio::time::timeout(std::time::Duration::from_millis(50), sink.wait_for_room()).await;
        assert!(paused.is_err(), "3 KB wait, over a quarter of 4 KB");
        let (out, mut client) = tokio::io::duplex(1 << 16);
        tokio::spawn(writer.run(out));
        assert!(sink.wait_for_room().await);
        let mut first = [0u8; 16];
        tokio::io::AsyncReadExt::read_exact(&mut client, &mut first)
            .await
            .unwrap();
        assert!(!sink.overflowed());
    }
}
