//! A blocking nREPL client over a raw TCP socket: it writes and reads bencode
//! itself (with the server's own `Frame`), so a test can send anything,
//! malformed bytes included, and see every reply as it came.
//!
//! Replies to concurrent requests interleave on one connection: while waiting
//! for one request's replies the client keeps the others' in order, for
//! whoever asks for them next (`read`, `replies_to`).

use std::collections::{BTreeMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::REPLY_TIMEOUT;
use crate::nrepl::frame::{Frame, MAX_MESSAGE_BYTES, message_len};

/// A decoded reply dictionary.
pub type Msg = BTreeMap<Vec<u8>, Frame>;

/// One connection to an nREPL server on 127.0.0.1. A read waits at most
/// `REPLY_TIMEOUT`.
pub struct Client {
    pub stream: TcpStream,
    buffer: Vec<u8>,
    next_id: u64,
    /// Messages read while waiting for another request's replies.
    stash: VecDeque<Msg>,
}

impl Client {
    /// Connects to `port`; panics if it cannot (for tests).
    pub fn connect(port: u16) -> Client {
        Self::try_connect(port).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Connects to `port`, or says why it could not.
    pub fn try_connect(port: u16) -> Result<Client, String> {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .map_err(|e| format!("connecting to 127.0.0.1:{port}: {e}"))?;
        stream
            .set_read_timeout(Some(REPLY_TIMEOUT))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| format!("setting up the connection: {e}"))?;
        Ok(Client {
            stream,
            buffer: Vec::new(),
            next_id: 0,
            stash: VecDeque::new(),
        })
    }

    /// Writes `bytes` as they are (well-formed bencode or not).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.try_send_raw(bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_send_raw(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .map_err(|e| format!("writing to the server: {e}"))
    }

    /// Sends a dictionary of string fields, as given (no id is added).
    pub fn send(&mut self, fields: &[(&str, &str)]) {
        self.try_send(fields).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_send(&mut self, fields: &[(&str, &str)]) -> Result<(), String> {
        let frame = Frame::Dict(
            fields
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), Frame::str(v)))
                .collect(),
        );
        self.try_send_raw(&frame.encode())
    }

    /// The next message (a kept one first), or `None` when the server closed
    /// the connection; panics on a timeout or a reply that is not a dictionary.
    pub fn read(&mut self) -> Option<Msg> {
        if let Some(msg) = self.stash.pop_front() {
            return Some(msg);
        }
        self.read_from_socket().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every message that arrives within `limit` (kept ones first).
    pub fn read_for(&mut self, limit: Duration) -> Vec<Msg> {
        let mut messages: Vec<Msg> = self.stash.drain(..).collect();
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let _ = self.stream.set_read_timeout(Some(left));
            match self.read_from_socket() {
                Ok(Some(msg)) => messages.push(msg),
                Ok(None) | Err(_) => break,
            }
        }
        let _ = self.stream.set_read_timeout(Some(REPLY_TIMEOUT));
        messages
    }

    /// The next message on the socket (not a kept one); `Ok(None)` when the
    /// server closed the connection.
    fn read_from_socket(&mut self) -> Result<Option<Msg>, String> {
        loop {
            if let Ok(Some(len)) = message_len(&self.buffer, MAX_MESSAGE_BYTES) {
                let frame = Frame::decode(&self.buffer[..len])
                    .map_err(|e| format!("the server sent invalid bencode: {e}"))?;
                self.buffer.drain(..len);
                return match frame {
                    Frame::Dict(map) => Ok(Some(map)),
                    other => Err(format!("the server sent a non-dictionary {other:?}")),
                };
            }
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(None),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return Ok(None),
                Err(e) => return Err(format!("no reply within {REPLY_TIMEOUT:?}: {e}")),
            }
        }
    }

    /// Sends a request with a fresh id and collects its replies up to `done`.
    pub fn request(&mut self, fields: &[(&str, &str)]) -> Vec<Msg> {
        self.try_request(fields).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_request(&mut self, fields: &[(&str, &str)]) -> Result<Vec<Msg>, String> {
        self.next_id += 1;
        let id = format!("t{}", self.next_id);
        let mut all = fields.to_vec();
        all.push(("id", &id));
        self.try_send(&all)?;
        self.try_replies_to(&id)
    }

    /// Replies carrying `id`, up to and including the one with status `done`;
    /// the others read meanwhile are kept, in order.
    pub fn replies_to(&mut self, id: &str) -> Vec<Msg> {
        self.try_replies_to(id).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_replies_to(&mut self, id: &str) -> Result<Vec<Msg>, String> {
        let is_ours = |msg: &Msg| msg.get(b"id".as_slice()).and_then(Frame::as_str) == Some(id);
        let mut pending = std::mem::take(&mut self.stash);
        let mut replies = Vec::new();
        loop {
            let msg = match pending.pop_front() {
                Some(msg) => msg,
                None => self.read_from_socket()?.ok_or_else(|| {
                    format!("the server closed the connection before `done` for {id}")
                })?,
            };
            if !is_ours(&msg) {
                self.stash.push_back(msg);
                continue;
            }
            let done = has_status(&msg, "done");
            replies.push(msg);
            if done {
                // Keep what was kept after our replies, in order.
                self.stash.extend(pending);
                return Ok(replies);
            }
        }
    }

    /// A new session's id.
    pub fn clone_session(&mut self) -> String {
        self.try_clone_session().unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_clone_session(&mut self) -> Result<String, String> {
        let replies = self.try_request(&[("op", "clone")])?;
        replies
            .iter()
            .find_map(|r| text(r, "new-session"))
            .ok_or_else(|| format!("clone gave no new-session: {replies:?}"))
    }

    /// Evaluates `code` in `session`; its replies.
    pub fn eval(&mut self, session: &str, code: &str) -> Vec<Msg> {
        self.try_eval(session, code)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_eval(&mut self, session: &str, code: &str) -> Result<Vec<Msg>, String> {
        self.try_request(&[("op", "eval"), ("session", session), ("code", code)])
    }

    /// The connected runtimes' ids, from `ls-runtimes`.
    pub fn try_runtime_ids(&mut self) -> Result<Vec<i64>, String> {
        let replies = self.try_request(&[("op", "ls-runtimes")])?;
        let Some(Frame::List(runtimes)) = replies[0].get(b"runtimes".as_slice()) else {
            return Err(format!("ls-runtimes lists no runtimes: {replies:?}"));
        };
        Ok(runtimes
            .iter()
            .filter_map(|r| match r {
                Frame::Dict(map) => map.get(b"id".as_slice()).and_then(Frame::as_int),
                _ => None,
            })
            .collect())
    }
}

/// A string field of a message.
pub fn text(msg: &Msg, key: &str) -> Option<String> {
    msg.get(key.as_bytes())
        .and_then(|f| f.as_str())
        .map(str::to_string)
}

/// A message's `status` list.
pub fn statuses(msg: &Msg) -> Vec<String> {
    match msg.get(b"status".as_slice()) {
        Some(Frame::List(items)) => items
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a message's `status` list holds `status`.
pub fn has_status(msg: &Msg, status: &str) -> bool {
    matches!(msg.get(b"status".as_slice()),
        Some(Frame::List(items)) if items.iter().any(|f| f.as_str() == Some(status)))
}

/// Every `value` in the replies, in order.
pub fn values(replies: &[Msg]) -> Vec<String> {
    replies.iter().filter_map(|m| text(m, "value")).collect()
}

/// All `key` text across replies, concatenated.
pub fn joined(replies: &[Msg], key: &str) -> String {
    replies.iter().filter_map(|m| text(m, key)).collect()
}

/// Every status across replies, in order.
pub fn all_statuses(replies: &[Msg]) -> Vec<String> {
    replies.iter().flat_map(statuses).collect()
}
