//! The JSON messages runtimes send over the WebSocket (see docs/patch-abi.md).

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Hello {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub agent: String,
    /// `runtime` (the default) or `control`.
    #[serde(default)]
    pub role: String,
    /// A random id the runtime picks, shared by its main and control sockets.
    #[serde(default)]
    pub instance: String,
    /// The runtime will open a control socket too (it can be interrupted and read stdin).
    #[serde(default)]
    pub control: bool,
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
    #[serde(rename = "need-input")]
    NeedInput {
        id: u32,
    },
    /// The value that follows was cut off at the eval's print quota.
    Truncated {
        id: u32,
    },
    /// The running code asks the compiler something and waits for the
    /// answer (`eval`, `find-var`, ...: docs/patch-abi.md); `ask` numbers it.
    Ask {
        id: u32,
        ask: u32,
        #[serde(default)]
        request: serde_json::Value,
    },
    /// How long the runtime took to instantiate and run the patch.
    Timing {
        id: u32,
        run_us: u64,
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
    /// The running code waits for input (`read-line`).
    NeedInput,
    /// The value that follows is cut off at the eval's print quota.
    Truncated,
    /// The runtime's own measure of the run, in microseconds (just before the outcome).
    RunTime(u64),
    /// The running code waits for the answer to question `ask`
    /// (`PatchRun::answer`).
    Ask {
        ask: u32,
        request: serde_json::Value,
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
            IncomingMessage::NeedInput { id } => (id, RuntimeEvent::NeedInput),
            IncomingMessage::Truncated { id } => (id, RuntimeEvent::Truncated),
            IncomingMessage::Ask { id, ask, request } => (id, RuntimeEvent::Ask { ask, request }),
            IncomingMessage::Timing { id, run_us } => (id, RuntimeEvent::RunTime(run_us)),
            IncomingMessage::Error { id, class, message } => {
                (id, RuntimeEvent::Error { class, message })
            }
        })
    }
}
