//! Accepting TCP connections without falling over, for both listeners (nREPL
//! and HTTP). At most `cap` connections are served at once; one past that is
//! handed back as `OverCap` for the caller to refuse with a message. When
//! accepting itself fails (out of file descriptors, typically), the loop backs
//! off instead of spinning, and says so at most once every few seconds, with
//! a count of what it did not repeat.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::warn;

/// The first pause after a failed accept; it doubles up to `MAX_PAUSE`.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const MAX_PAUSE: Duration = Duration::from_secs(1);
/// The least time between two log lines about the same trouble.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub struct Acceptor {
    listener: TcpListener,
    /// What the listener serves, for log lines ("nREPL", "HTTP").
    what: &'static str,
    slots: Arc<Semaphore>,
    cap: usize,
    pause: Duration,
    accept_errors: LogLimiter,
    refusals: LogLimiter,
}

/// A connection, and whether it may be served.
pub enum Accepted {
    /// Served while `permit` lives.
    Admitted(TcpStream, SocketAddr, OwnedSemaphorePermit),
    /// Past the cap: refuse it (`cap` is the cap, for the message).
    OverCap(TcpStream, SocketAddr),
}

impl Acceptor {
    pub fn new(listener: TcpListener, what: &'static str, cap: usize) -> Acceptor {
        Acceptor {
            listener,
            what,
            slots: Arc::new(Semaphore::new(cap.clamp(1, Semaphore::MAX_PERMITS))),
            cap,
            pause: FIRST_PAUSE,
            accept_errors: LogLimiter::default(),
            refusals: LogLimiter::default(),
        }
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The next connection. Cancel-safe: nothing is lost if dropped.
    pub async fn accept(&mut self) -> Accepted {
        loop {
            match self.listener.accept().await {
                Ok((stream, peer)) => {
                    self.pause = FIRST_PAUSE;
                    return match self.slots.clone().try_acquire_owned() {
                        Ok(permit) => Accepted::Admitted(stream, peer, permit),
                        Err(_) => {
                            if let Some(repeats) = self.refusals.allow() {
                                warn!(
                                    %peer,
                                    repeats,
                                    "refusing an {} connection: {} are open, the most --max-connections allows",
                                    self.what,
                                    self.cap
                                );
                            }
                            Accepted::OverCap(stream, peer)
                        }
                    };
                }
                Err(error) => {
                    if let Some(repeats) = self.accept_errors.allow() {
                        warn!(%error, repeats, "accepting an {} connection failed; pausing", self.what);
                    }
                    tokio::time::sleep(self.pause).await;
                    self.pause = (self.pause * 2).min(MAX_PAUSE);
                }
            }
        }
    }
}

/// Lets a log line through at most once every `LOG_EVERY`.
#[derive(Default)]
struct LogLimiter {
    last: Option<Instant>,
    suppressed: u64,
}

impl LogLimiter {
    /// `Some(how many were held back since the last one)` when a line may go out.
    fn allow(&mut self) -> Option<u64> {
        let now = Instant::now();
        if self
            .last
            .is_some_and(|last| now.duration_since(last) < LOG_EVERY)
        {
            self.suppressed += 1;
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.suppressed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_limiter_counts_what_it_holds_back() {
        let mut limiter = LogLimiter::default();
        assert_eq!(limiter.allow(), Some(0));
        assert_eq!(limiter.allow(), None);
        assert_eq!(limiter.allow(), None);
        limiter.last = Some(Instant::now() - LOG_EVERY);
        assert_eq!(limiter.allow(), Some(2));
    }

    #[tokio::test]
    async fn past_the_cap_connections_are_handed_back_for_refusal() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut acceptor = Acceptor::new(listener, "test", 1);
        let _first = TcpStream::connect(address).await.unwrap();
        let _second = TcpStream::connect(address).await.unwrap();
        let Accepted::Admitted(_, _, permit) = acceptor.accept().await else {
            panic!("the first is served");
        };
        assert!(matches!(acceptor.accept().await, Accepted::OverCap(..)));
        drop(permit);
        let _third = TcpStream::connect(address).await.unwrap();
        assert!(matches!(acceptor.accept().await, Accepted::Admitted(..)));
    }
}
