//! The JSON messages runtimes send over the WebSocket (see docs/patch-abi.md).

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Hello {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub agent: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum IncomingMessage {
    Hello(Hello),
    Out {
        id: u32,
        text: String,
    },
    Err {
        id: u32,
        text: String,
    },
    Value {
        id: u32,
        value: String,
    },
    Error {
        id: u32,
        #[serde(default)]
        class: String,
        #[serde(default)]
        message: String,
    },
}

/// What a runtime reports about one eval.
#[derive(Clone, Debug, PartialEq)]
pub enum RuntimeEvent {
    Out(String),
    Err(String),
    /// The form's value, printed as `pr-str` prints it.
    Value(String),
    Error {
        class: String,
        message: String,
    },
}

impl RuntimeEvent {
    /// True for the report that ends an eval.
    pub fn is_final(&self) -> bool {
        matches!(self, RuntimeEvent::Value(_) | RuntimeEvent::Error { .. })
    }
}

impl IncomingMessage {
    /// The eval id and event, for the messages that belong to an eval.
    pub fn into_event(self) -> Option<(u32, RuntimeEvent)> {
        Some(match self {
            IncomingMessage::Hello(_) => return None,
            IncomingMessage::Out { id, text } => (id, RuntimeEvent::Out(text)),
            IncomingMessage::Err { id, text } => (id, RuntimeEvent::Err(text)),
            IncomingMessage::Value { id, value } => (id, RuntimeEvent::Value(value)),
            IncomingMessage::Error { id, class, message } => {
                (id, RuntimeEvent::Error { class, message })
            }
        })
    }
}
