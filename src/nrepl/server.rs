//! The nREPL accept loop and the per-connection read loop.
//!
//! Each connection has a reader (this task) and a writer task fed by its reply
//! queue (`reply_queue.rs`), so ops running on session workers can stream
//! replies while the reader keeps taking requests. A connection that sends a
//! malformed message gets one error reply and is closed; no other connection
//! notices. A client that does not read its replies is slowed, then dropped;
//! a client that goes away has its evals interrupted (`attachments.rs`).
//! Connections past `--max-connections` are refused with an error.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::attachments::Attachments;
use super::connection::{ConnectionError, MessageReader};
use super::frame::Frame;
use super::message::{Request, dict, strings};
use super::op::{Context, Op};
use super::reply_queue::reply_queue;
use super::session::Sessions;
use crate::accept::{Accepted, Acceptor};
use crate::bridge::Bridge;
use crate::evaluator::Evaluator;

/// The state every connection shares, behind an `Arc`: the handle
/// every op works with.
pub struct Shared {
    pub sessions: Sessions,
    pub evaluator: Evaluator,
    pub bridge: Bridge,
    /// Bytes of replies that may wait for a client before it is dropped.
    pub reply_queue_bytes: usize,
}

/// How long a refused connection gets to receive its error.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(2);
/// How often abandoned sessions are looked for, at most.
const REAP_EVERY: Duration = Duration::from_secs(60);

/// Accepts editor connections until `shutdown` turns true.
pub async fn serve(
    mut acceptor: Acceptor,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let reaper = tokio::spawn(reap_abandoned_sessions(shared.clone()));
    loop {
        tokio::select! {
            accepted = acceptor.accept() => match accepted {
                Accepted::Admitted(stream, peer, permit) => {
                    debug!(%peer, "nREPL client connected");
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        handle_connection(stream, shared).await;
                        drop(permit);
                    });
                }
                Accepted::OverCap(stream, _) => {
                    tokio::spawn(refuse(stream, acceptor.cap()));
                }
            },
            _ = shutdown.changed() => break,
        }
    }
    reaper.abort();
}

/// Closes the sessions no connection has used for the idle timeout, now and then.
async fn reap_abandoned_sessions(shared: Arc<Shared>) {
    let every = (shared.sessions.idle_timeout / 2).clamp(Duration::from_millis(100), REAP_EVERY);
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        let reaped = shared.sessions.reap_abandoned();
        if reaped > 0 {
            info!(
                reaped,
                "closed sessions no connection used for --session-idle-timeout"
            );
        }
    }
}

/// Tells a connection past the cap why it is closed.
async fn refuse(stream: TcpStream, cap: usize) {
    let message = dict([
        (
            "err",
            Frame::str(&format!(
                "Too many nREPL connections: {cap} are open, the most --max-connections allows.\n"
            )),
        ),
        ("status", strings(["done", "error", "too-many-connections"])),
    ]);
    let mut stream = stream;
    let _ = tokio::time::timeout(
        REFUSAL_TIMEOUT,
        super::connection::write_message(&mut stream, &message),
    )
    .await;
}

async fn handle_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let peer = stream.peer_addr().ok();
    let (read_half, write_half) = stream.into_split();
    let (replies, writer) = reply_queue(shared.reply_queue_bytes);
    let mut writer = tokio::spawn(writer.run(write_half));
    let ctx = Context {
        shared,
        replies,
        attachments: Arc::new(Attachments::default()),
    };
    let mut reader = MessageReader::new(read_half);
    loop {
        // A client that lets replies pile up is not read from until it catches up.
        if !ctx.replies.wait_for_room().await {
            break;
        }
        let message = tokio::select! {
            message = reader.read_message() => message,
            _ = ctx.replies.overflow() => break,
        };
        match message {
            Ok(Some(frame)) => match Request::from_frame(frame) {
                Some(request) => dispatch(&ctx, request),
                None => {
                    send_protocol_error(&ctx, "an nREPL message must be a bencode dictionary");
                    break;
                }
            },
            Ok(None) => break,
            Err(ConnectionError::Io(error)) => {
                debug!(?peer, %error, "nREPL connection error");
                break;
            }
            Err(error) => {
                warn!(?peer, %error, "closing nREPL connection after a malformed message");
                send_protocol_error(&ctx, &format!("malformed nREPL message: {error}"));
                break;
            }
        }
    }
    ctx.replies.close();
    ctx.attachments.release_all();
    if ctx.replies.overflowed() {
        warn!(
            ?peer,
            "dropped an nREPL client that did not read its replies (more than --reply-queue-mb waited)"
        );
        writer.abort();
    }
    debug!(?peer, "nREPL client disconnected");
    // Let queued replies drain; the writer ends when every sender is gone
    // (the connection's evals, interrupted above, end soon).
    drop(ctx);
    let _ = (&mut writer).await;
}

/// Runs one request. One that names a session that does not exist is
/// answered `unknown-session`, whatever its op, as nREPL answers it.
fn dispatch(ctx: &Context, request: Request) {
    if let Some(id) = request.session() {
        match ctx.shared.sessions.get(id) {
            Some(session) => ctx.attachments.attach(&session),
            None => return ctx.send_unknown_session(&request),
        }
    }
    Op::parse(request).apply(ctx);
}

/// The one reply a connection gets before it is closed for breaking framing.
fn send_protocol_error(ctx: &Context, message: &str) {
    ctx.replies.send(&dict([
        ("err", Frame::str(&format!("{message}\n"))),
        ("status", strings(["done", "error"])),
    ]));
    info!("{message}");
}
