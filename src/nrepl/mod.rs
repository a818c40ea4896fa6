//! The nREPL side: bencode framing, sessions, ops and the TCP server.

pub mod attachments;
pub mod connection;
pub mod frame;
pub mod message;
pub mod op;
pub mod reload;
pub mod reply_queue;
pub mod server;
pub mod session;
