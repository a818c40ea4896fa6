//! A minimal blocking nREPL client for jank's own nREPL server
//! (`jank.nrepl.server.core`): send `eval`, collect the replies until `done`.
//!
//! Its own small bencode rather than the nREPL side's (`nrepl::frame`): the
//! toolchain sits below the nREPL side and must not reach back into it, and
//! it needs only strings, integers, lists and dictionaries of what jank's
//! server writes (`jank/nrepl/server/bencode.jank`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Replies larger than this are refused (jank's replies are a module's
/// error text at most).
const MAX_REPLY_BYTES: usize = 64 * 1024 * 1024;

/// One bencode value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    List(Vec<Value>),
    Dict(BTreeMap<String, Value>),
}

/// What one `eval` answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvalReply {
    /// The last `value` (jank `pr-str`s it; with `eval-error`, `(str *e)`).
    pub value: Option<String>,
    pub out: String,
    pub err: String,
    /// Whether the status said `eval-error`.
    pub failed: bool,
}

/// A connection to jank's nREPL server.
pub struct JankClient {
    stream: TcpStream,
    buffer: Vec<u8>,
    next_id: u64,
}

impl JankClient {
    pub fn connect(port: u16, timeout: Duration) -> std::io::Result<JankClient> {
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&address, timeout)?;
        stream.set_nodelay(true)?;
        Ok(JankClient {
            stream,
            buffer: Vec::new(),
            next_id: 0,
        })
    }

    /// Whether jank has closed the connection (it died): a read that would
    /// block means it is open.
    pub fn is_closed(&self) -> bool {
        if self.stream.set_nonblocking(true).is_err() {
            return true;
        }
        let mut byte = [0u8; 1];
        let closed = match self.stream.peek(&mut byte) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
        };
        closed || self.stream.set_nonblocking(false).is_err()
    }

    /// Evaluates `code` in namespace `ns` and waits (until `deadline`) for
    /// the reply whose status says `done`.
    pub fn eval(&mut self, code: &str, ns: &str, deadline: Instant) -> std::io::Result<EvalReply> {
        self.next_id += 1;
        let id = format!("jank-wasm-{}", self.next_id);
        let request = Value::Dict(BTreeMap::from([
            ("op".to_string(), Value::Text("eval".into())),
            ("id".to_string(), Value::Text(id.clone())),
            ("code".to_string(), Value::Text(code.into())),
            ("ns".to_string(), Value::Text(ns.into())),
        ]));
        self.stream.write_all(&encode(&request))?;
        let mut reply = EvalReply::default();
        loop {
            let Value::Dict(message) = self.read(deadline)? else {
                continue;
            };
            if message.get("id").and_then(text) != Some(id.as_str()) {
                continue;
            }
            if let Some(value) = message.get("value").and_then(text) {
                reply.value = Some(value.to_string());
            }
            reply
                .out
                .push_str(message.get("out").and_then(text).unwrap_or(""));
            reply
                .err
                .push_str(message.get("err").and_then(text).unwrap_or(""));
            let statuses = message.get("status").map(strings).unwrap_or_default();
            reply.failed |= statuses.iter().any(|s| s == "eval-error");
            if statuses.iter().any(|s| s == "done") {
                return Ok(reply);
            }
        }
    }

    /// The next complete value from the socket.
    fn read(&mut self, deadline: Instant) -> std::io::Result<Value> {
        loop {
            match decode(&self.buffer) {
                Ok(Some((value, used))) => {
                    self.buffer.drain(..used);
                    return Ok(value);
                }
                Ok(None) => {}
                Err(what) => return Err(invalid(what)),
            }
            if self.buffer.len() > MAX_REPLY_BYTES {
                return Err(invalid("jank's nREPL reply is too large"));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "jank did not answer in time",
                ));
            }
            self.stream.set_read_timeout(Some(left))?;
            quick_ack(&self.stream);
            let mut chunk = [0u8; 64 * 1024];
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "jank closed its nREPL connection",
                ));
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }
}

/// Acknowledges what arrives at once. jank's server writes each reply of an
/// eval separately and without TCP_NODELAY (`nrepl/server.cpp`), so after
/// the first, Nagle holds the rest until it is acknowledged, and Linux
/// delays that acknowledgement by 40 ms: without this, every compile took
/// 40 ms longer. (Linux resets quick-ack mode as it goes: set before each read.)
fn quick_ack(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::TcpStreamExt;
        let _ = stream.set_quickack(true);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stream;
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

fn text(value: &Value) -> Option<&str> {
    match value {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items.iter().filter_map(text).map(str::to_string).collect(),
        Value::Text(t) => vec![t.clone()],
        _ => Vec::new(),
    }
}

pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

fn encode_into(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Int(i) => out.extend_from_slice(format!("i{i}e").as_bytes()),
        Value::Text(t) => {
            out.extend_from_slice(format!("{}:", t.len()).as_bytes());
            out.extend_from_slice(t.as_bytes());
        }
        Value::List(items) => {
            out.push(b'l');
            items.iter().for_each(|v| encode_into(v, out));
            out.push(b'e');
        }
        Value::Dict(map) => {
            out.push(b'd');
            for (key, v) in map {
                encode_into(&Value::Text(key.clone()), out);
                encode_into(v, out);
            }
            out.push(b'e');
        }
    }
}

/// The value at the start of `bytes` and its length; `None` while incomplete.
pub fn decode(bytes: &[u8]) -> Result<Option<(Value, usize)>, &'static str> {
    decode_at(bytes, 0, 0)
}

fn decode_at(
    bytes: &[u8],
    at: usize,
    depth: usize,
) -> Result<Option<(Value, usize)>, &'static str> {
    if depth > 64 {
        return Err("jank's nREPL reply is nested too deeply");
    }
    let Some(&first) = bytes.get(at) else {
        return Ok(None);
    };
    match first {
        b'i' => {
            let Some(end) = bytes[at..].iter().position(|&b| b == b'e') else {
                return Ok(None);
            };
            let digits =
                std::str::from_utf8(&bytes[at + 1..at + end]).map_err(|_| "bad integer")?;
            let n = digits.parse().map_err(|_| "bad integer")?;
            Ok(Some((Value::Int(n), at + end + 1)))
        }
        b'l' | b'd' => {
            let mut items = Vec::new();
            let mut pos = at + 1;
            loop {
                match bytes.get(pos) {
                    None => return Ok(None),
                    Some(b'e') => break,
                    Some(_) => match decode_at(bytes, pos, depth + 1)? {
                        None => return Ok(None),
                        Some((item, next)) => {
                            items.push(item);
                            pos = next;
                        }
                    },
                }
            }
            let value = if first == b'l' {
                Value::List(items)
            } else {
                let mut map = BTreeMap::new();
                let mut pairs = items.into_iter();
                while let (Some(key), Some(v)) = (pairs.next(), pairs.next()) {
                    if let Value::Text(key) = key {
                        map.insert(key, v);
                    }
                }
                Value::Dict(map)
            };
            Ok(Some((value, pos + 1)))
        }
        b'0'..=b'9' => {
            let Some(colon) = bytes[at..].iter().position(|&b| b == b':') else {
                return Ok(None);
            };
            let len: usize = std::str::from_utf8(&bytes[at..at + colon])
                .ok()
                .and_then(|d| d.parse().ok())
                .ok_or("bad string length")?;
            let start = at + colon + 1;
            if bytes.len() < start + len {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(&bytes[start..start + len]).into_owned();
            Ok(Some((Value::Text(text), start + len)))
        }
        _ => Err("malformed bencode from jank"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_waits_for_whole_values() {
        let value = Value::Dict(BTreeMap::from([
            (
                "status".into(),
                Value::List(vec![Value::Text("done".into())]),
            ),
            ("n".into(), Value::Int(-3)),
            ("value".into(), Value::Text("\"é\"".into())),
        ]));
        let bytes = encode(&value);
        assert_eq!(decode(&bytes), Ok(Some((value, bytes.len()))));
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), Ok(None), "cut at {cut}");
        }
        assert!(decode(b"x").is_err());
    }
}
