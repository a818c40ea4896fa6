//! The nREPL wire value: one bencode item, and the scanner that finds where a
//! message ends in a byte stream.
//!
//! Encoding goes through `bendy`. `message_len` finds where a message ends in
//! the arbitrary chunks TCP hands us, and is where size and depth limits are
//! enforced before anything is allocated; `Frame::decode` then parses it.

use std::collections::BTreeMap;

use bendy::encoding::{Encoder, SingleItemEncoder, ToBencode};

/// Largest message accepted from a client. Editors send whole files with
/// `load-file`; 128 MiB leaves room for a 10 MB string literal and more.
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024 * 1024;

/// Nesting limit for lists and dictionaries inside one message.
pub const MAX_DEPTH: usize = 64;

/// One bencode value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    Int(i64),
    Bytes(Vec<u8>),
    List(Vec<Frame>),
    Dict(BTreeMap<Vec<u8>, Frame>),
}

/// Why a byte stream is not a valid nREPL message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("a message must be a bencode dictionary, got byte {0:#04x}")]
    NotADictionary(u8),
    #[error("malformed bencode at byte {offset}: {what}")]
    Malformed { offset: usize, what: &'static str },
    #[error("message larger than the {limit}-byte limit")]
    TooLarge { limit: usize },
    #[error("message nested deeper than {0} levels")]
    TooDeep(usize),
}

impl Frame {
    pub fn str(s: &str) -> Frame {
        Frame::Bytes(s.as_bytes().to_vec())
    }

    /// The value as text, if it is a byte string holding valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Frame::Bytes(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Frame::Int(i) => Some(*i),
            Frame::Bytes(b) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        }
    }

    /// Decodes one complete message (a slice `message_len` measured).
    ///
    /// Our own small parser rather than bendy's: bendy insists that dictionary
    /// keys arrive sorted, and real clients (CIDER among them) send them in
    /// whatever order they were built.
    pub fn decode(bytes: &[u8]) -> Result<Frame, FrameError> {
        let mut parser = Parser { bytes, pos: 0 };
        let frame = parser.value(0)?;
        if parser.pos != bytes.len() {
            return Err(parser.malformed("trailing bytes after the message"));
        }
        Ok(frame)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut encoder = Encoder::new().with_max_depth(MAX_DEPTH + 2);
        // Encoding an in-memory Frame only fails past the depth limit, which
        // replies (built by this program) never reach.
        match encoder.emit(self) {
            Ok(()) => encoder.get_output().unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }
}

/// A recursive-descent bencode parser over one complete message.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn malformed(&self, what: &'static str) -> FrameError {
        FrameError::Malformed {
            offset: self.pos,
            what,
        }
    }

    fn value(&mut self, depth: usize) -> Result<Frame, FrameError> {
        if depth > MAX_DEPTH {
            return Err(FrameError::TooDeep(MAX_DEPTH));
        }
        match self.bytes.get(self.pos) {
            Some(b'i') => self.integer(),
            Some(b'0'..=b'9') => self.byte_string().map(|b| Frame::Bytes(b.to_vec())),
            Some(b'l') => {
                self.pos += 1;
                let mut items = Vec::new();
                while !self.at_end_marker()? {
                    items.push(self.value(depth + 1)?);
                }
                Ok(Frame::List(items))
            }
            Some(b'd') => {
                self.pos += 1;
                let mut map = BTreeMap::new();
                while !self.at_end_marker()? {
                    let key = self.byte_string()?.to_vec();
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                }
                Ok(Frame::Dict(map))
            }
            Some(_) => Err(self.malformed("unexpected byte")),
            None => Err(self.malformed("unexpected end of message")),
        }
    }

    /// Consumes an `e` if one is next.
    fn at_end_marker(&mut self) -> Result<bool, FrameError> {
        match self.bytes.get(self.pos) {
            Some(b'e') => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(self.malformed("unterminated list or dictionary")),
        }
    }

    fn integer(&mut self) -> Result<Frame, FrameError> {
        let start = self.pos + 1;
        let end = start
            + self.bytes[start..]
                .iter()
                .position(|&b| b == b'e')
                .ok_or_else(|| self.malformed("unterminated integer"))?;
        let value = std::str::from_utf8(&self.bytes[start..end])
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .ok_or_else(|| self.malformed("bad integer"))?;
        self.pos = end + 1;
        Ok(Frame::Int(value))
    }

    fn byte_string(&mut self) -> Result<&[u8], FrameError> {
        let colon = self.pos
            + self.bytes[self.pos..]
                .iter()
                .position(|&b| b == b':')
                .ok_or_else(|| self.malformed("byte string without a length"))?;
        let len: usize = std::str::from_utf8(&self.bytes[self.pos..colon])
            .ok()
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(|| self.malformed("bad byte string length"))?;
        let start = colon + 1;
        let end = start
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.malformed("byte string longer than the message"))?;
        self.pos = end;
        Ok(&self.bytes[start..end])
    }
}

impl ToBencode for Frame {
    const MAX_DEPTH: usize = 0;

    fn encode(&self, encoder: SingleItemEncoder) -> Result<(), bendy::encoding::Error> {
        match self {
            Frame::Int(i) => encoder.emit_int(*i),
            Frame::Bytes(b) => encoder.emit_bytes(b),
            Frame::List(items) => encoder.emit_list(|e| {
                for item in items {
                    e.emit(item)?;
                }
                Ok(())
            }),
            Frame::Dict(map) => encoder.emit_dict(|mut e| {
                for (key, value) in map {
                    e.emit_pair(key, value)?;
                }
                Ok(())
            }),
        }
    }
}

/// How many bytes the first message in `buf` takes: `Ok(None)` while it is
/// incomplete. Checks the grammar, the size limit and the depth limit without
/// allocating, so a client that declares a gigabyte string is refused at once.
pub fn message_len(buf: &[u8], limit: usize) -> Result<Option<usize>, FrameError> {
    Scan::default().resume(buf, limit)
}

/// A scan of the first message in a growing buffer that can stop where the
/// bytes run out and go on from there when more arrive, so a message that
/// comes in many reads is scanned once, not once per read.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scan {
    /// Offset of the next token to scan.
    pos: usize,
    /// Open lists and dictionaries before `pos`.
    depth: usize,
}

impl Scan {
    /// Goes on scanning `buf` (the same buffer as before, maybe longer); the
    /// message's length once it is complete.
    pub fn resume(&mut self, buf: &[u8], limit: usize) -> Result<Option<usize>, FrameError> {
        if self.pos == 0 {
            match buf.first() {
                None => return Ok(None),
                Some(b'd') => {}
                Some(&other) => return Err(FrameError::NotADictionary(other)),
            }
        }
        loop {
            if self.pos > limit {
                return Err(FrameError::TooLarge { limit });
            }
            let Some(&byte) = buf.get(self.pos) else {
                return Ok(None);
            };
            match byte {
                b'd' | b'l' => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(FrameError::TooDeep(MAX_DEPTH));
                    }
                    self.pos += 1;
                }
                b'e' => {
                    if self.depth == 0 {
                        return Err(FrameError::Malformed {
                            offset: self.pos,
                            what: "unexpected end marker",
                        });
                    }
                    self.depth -= 1;
                    self.pos += 1;
                    if self.depth == 0 {
                        // The end marker itself may be the byte over the limit.
                        if self.pos > limit {
                            return Err(FrameError::TooLarge { limit });
                        }
                        return Ok(Some(self.pos));
                    }
                }
                b'i' => match scan_integer(buf, self.pos)? {
                    Some(end) => self.pos = end,
                    None => return Ok(None),
                },
                b'0'..=b'9' => match scan_string(buf, self.pos, limit)? {
                    Some(end) => self.pos = end,
                    None => return Ok(None),
                },
                _ => {
                    return Err(FrameError::Malformed {
                        offset: self.pos,
                        what: "unexpected byte",
                    });
                }
            }
        }
    }
}

/// `i<digits>e` starting at `start`; the offset after it.
fn scan_integer(buf: &[u8], start: usize) -> Result<Option<usize>, FrameError> {
    let mut pos = start + 1;
    if buf.get(pos) == Some(&b'-') {
        pos += 1;
    }
    let digits_start = pos;
    while let Some(&b) = buf.get(pos) {
        match b {
            b'0'..=b'9' if pos - digits_start < 20 => pos += 1,
            b'e' if pos > digits_start => return Ok(Some(pos + 1)),
            _ => {
                return Err(FrameError::Malformed {
                    offset: pos,
                    what: "bad integer",
                });
            }
        }
    }
    Ok(None)
}

/// `<len>:<bytes>` starting at `start`; the offset after it.
fn scan_string(buf: &[u8], start: usize, limit: usize) -> Result<Option<usize>, FrameError> {
    let mut pos = start;
    let mut len = 0usize;
    while let Some(&b) = buf.get(pos) {
        match b {
            b'0'..=b'9' => {
                len = len
                    .checked_mul(10)
                    .and_then(|l| l.checked_add(usize::from(b - b'0')))
                    .filter(|&l| l <= limit)
                    .ok_or(FrameError::TooLarge { limit })?;
                pos += 1;
            }
            b':' => {
                // Checked: with a limit near `usize::MAX` the sum can overflow.
                let end = (pos + 1)
                    .checked_add(len)
                    .filter(|&end| end <= limit)
                    .ok_or(FrameError::TooLarge { limit })?;
                return Ok((end <= buf.len()).then_some(end));
            }
            _ => {
                return Err(FrameError::Malformed {
                    offset: pos,
                    what: "bad string length",
                });
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_complete_and_partial_messages() {
        let msg = b"d2:op5:clone2:id1:1e";
        assert_eq!(message_len(msg, 1000), Ok(Some(msg.len())));
        for cut in 0..msg.len() {
            assert_eq!(message_len(&msg[..cut], 1000), Ok(None), "cut at {cut}");
        }
    }

    #[test]
    fn refuses_huge_declared_lengths_at_once() {
        let msg = b"d4:code9999999999:";
        assert_eq!(
            message_len(msg, 1 << 20),
            Err(FrameError::TooLarge { limit: 1 << 20 })
        );
    }

    #[test]
    fn refuses_non_dictionaries_and_garbage() {
        assert!(matches!(
            message_len(b"l1:ae", 100),
            Err(FrameError::NotADictionary(b'l'))
        ));
        assert!(message_len(b"d2:opxe", 100).is_err());
        assert!(message_len(b"di12x", 100).is_err());
    }

    #[test]
    fn decodes_unsorted_keys_as_clients_send_them() {
        let frame = Frame::decode(b"d2:op5:clone2:id1:1e").unwrap();
        let Frame::Dict(map) = frame else {
            panic!("a dict")
        };
        assert_eq!(map.get(b"op".as_slice()), Some(&Frame::str("clone")));
        assert_eq!(map.get(b"id".as_slice()), Some(&Frame::str("1")));
    }

    #[test]
    fn rejects_what_the_scanner_lets_through_but_is_not_bencode() {
        assert!(Frame::decode(b"di1ei2ee").is_err(), "integer keys");
        assert!(Frame::decode(b"d1:ai1x1ee").is_err(), "bad integer");
        assert!(Frame::decode(b"d1:a1:bed").is_err(), "trailing bytes");
    }

    #[test]
    fn round_trips_through_bendy() {
        let mut map = BTreeMap::new();
        map.insert(b"op".to_vec(), Frame::str("eval"));
        map.insert(b"n".to_vec(), Frame::Int(-42));
        map.insert(
            b"status".to_vec(),
            Frame::List(vec![Frame::str("done"), Frame::str("ünï")]),
        );
        let frame = Frame::Dict(map);
        let bytes = frame.encode();
        assert_eq!(message_len(&bytes, 1000), Ok(Some(bytes.len())));
        assert_eq!(Frame::decode(&bytes), Ok(frame));
    }
}
