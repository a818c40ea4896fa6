//! The nREPL accept loop and the per-connection read loop.
//!
//! Each connection has a reader (this task) and a writer task fed by a channel,
//! so ops running on session workers can stream replies while the reader keeps
//! taking requests. A connection that sends a malformed message gets one error
//! reply and is closed; no other connection notices.

use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tracing::{debug, info, warn};

use super::connection::{ConnectionError, MessageReader, write_message};
use super::frame::Frame;
use super::message::{Request, dict, strings};
use super::op::{Context, Op};
use super::session::Sessions;
use crate::bridge::Bridge;
use crate::evaluator::Evaluator;

/// The state every connection shares, behind an `Arc`: the handle
/// every op works with.
pub struct Shared {
    pub sessions: Sessions,
    pub evaluator: Evaluator,
    pub bridge: Bridge,
}

/// Accepts editor connections until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    debug!(%peer, "nREPL client connected");
                    tokio::spawn(handle_connection(stream, shared.clone()));
                }
                // Out of file descriptors and the like: keep serving the others.
                Err(error) => warn!(%error, "accepting an nREPL connection failed"),
            },
            _ = shutdown.changed() => return,
        }
    }
}

async fn handle_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let peer = stream.peer_addr().ok();
    let (read_half, mut write_half) = stream.into_split();
    let (replies, mut outgoing) = mpsc::unbounded_channel::<Frame>();
    let writer = tokio::spawn(async move {
        while let Some(frame) = outgoing.recv().await {
            if write_message(&mut write_half, &frame).await.is_err() {
                break;
            }
        }
    });
    let ctx = Context { shared, replies };
    let mut reader = MessageReader::new(read_half);
    loop {
        match reader.read_message().await {
            Ok(Some(frame)) => match Request::from_frame(frame) {
                Some(request) => Op::parse(request).apply(&ctx),
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
    debug!(?peer, "nREPL client disconnected");
    // Let queued replies drain; the writer ends when every sender is gone.
    drop(ctx);
    let _ = writer.await;
}

/// The one reply a connection gets before it is closed for breaking framing.
fn send_protocol_error(ctx: &Context, message: &str) {
    let _ = ctx.replies.send(dict([
        ("err", Frame::str(&format!("{message}\n"))),
        ("status", strings(["done", "error"])),
    ]));
    info!("{message}");
}
