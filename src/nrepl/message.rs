//! Requests and replies: typed views of the bencode dictionaries nREPL clients
//! send and receive. Every reply echoes the request's `id` and `session`.

use std::collections::BTreeMap;

use super::frame::Frame;

/// A request as the client sent it. Unknown keys are kept but never required.
#[derive(Clone, Debug)]
pub struct Request {
    fields: BTreeMap<Vec<u8>, Frame>,
}

impl Request {
    /// Accepts only dictionaries: anything else is not an nREPL message.
    pub fn from_frame(frame: Frame) -> Option<Request> {
        match frame {
            Frame::Dict(fields) => Some(Request { fields }),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Frame> {
        self.fields.get(key.as_bytes())
    }

    /// A key's value as text; `None` when missing or not valid UTF-8.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Frame::as_str)
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Frame::as_int)
    }

    /// A key that holds a flag; clients send `1`, `"true"` or a non-empty string.
    pub fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Frame::Int(i)) => *i != 0,
            Some(Frame::Bytes(b)) => !b.is_empty() && b != b"false" && b != b"0",
            Some(_) => true,
            None => false,
        }
    }

    pub fn op(&self) -> Option<&str> {
        self.str("op")
    }

    pub fn id(&self) -> Option<&Frame> {
        self.get("id")
    }

    pub fn session(&self) -> Option<&str> {
        self.str("session")
    }
}

/// A reply being built; `into_frame` gives the dictionary to send.
#[derive(Clone, Debug)]
pub struct Reply {
    fields: BTreeMap<Vec<u8>, Frame>,
}

impl Reply {
    /// A reply to `request`, echoing its `id`, and `session` as given (the
    /// session that actually served the request, which for a sessionless
    /// request is the ephemeral one made for it).
    pub fn to(request: &Request, session: Option<&str>) -> Reply {
        let mut fields = BTreeMap::new();
        if let Some(id) = request.id() {
            fields.insert(b"id".to_vec(), id.clone());
        }
        if let Some(session) = session {
            fields.insert(b"session".to_vec(), Frame::str(session));
        }
        Reply { fields }
    }

    pub fn set(mut self, key: &str, value: Frame) -> Reply {
        self.fields.insert(key.as_bytes().to_vec(), value);
        self
    }

    pub fn str(self, key: &str, value: &str) -> Reply {
        self.set(key, Frame::str(value))
    }

    pub fn status(self, statuses: &[&str]) -> Reply {
        self.set("status", strings(statuses.iter().copied()))
    }

    pub fn into_frame(self) -> Frame {
        Frame::Dict(self.fields)
    }
}

/// A bencode list of strings.
pub fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Frame {
    Frame::List(items.into_iter().map(Frame::str).collect())
}

/// A bencode dictionary from string keys.
pub fn dict<'a>(entries: impl IntoIterator<Item = (&'a str, Frame)>) -> Frame {
    Frame::Dict(
        entries
            .into_iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v))
            .collect(),
    )
}
