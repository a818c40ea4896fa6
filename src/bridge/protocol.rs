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
        /// The runtime's measure of the run (as `Timing` has it), sent with the
        /// outcome so that an eval costs one message back, not two.
        #[serde(default)]
        run_us: Option<u64>,
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
        #[serde(default)]
        run_us: Option<u64>,
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
    /// The eval id and its events, in order, for the messages that belong to
    /// an eval (an outcome with its run time is two: the time, then the outcome).
    pub fn into_events(self) -> Option<(u32, Vec<RuntimeEvent>)> {
        let with_time = |run_us: Option<u64>, outcome| match run_us {
            Some(run_us) => vec![RuntimeEvent::RunTime(run_us), outcome],
            None => vec![outcome],
        };
        Some(match self {
            IncomingMessage::Hello(_) => return None,
            IncomingMessage::Out { id, text } => (id, vec![RuntimeEvent::Out(text)]),
            IncomingMessage::Err { id, text } => (id, vec![RuntimeEvent::Err(text)]),
            IncomingMessage::Value { id, value, run_us } => {
                (id, with_time(run_us, RuntimeEvent::Value(value)))
            }
            IncomingMessage::NeedInput { id } => (id, vec![RuntimeEvent::NeedInput]),
            IncomingMessage::Truncated { id } => (id, vec![RuntimeEvent::Truncated]),
            IncomingMessage::Ask { id, ask, request } => {
                (id, vec![RuntimeEvent::Ask { ask, request }])
            }
            IncomingMessage::Timing { id, run_us } => (id, vec![RuntimeEvent::RunTime(run_us)]),
            IncomingMessage::Error {
                id,
                class,
                message,
                run_us,
            } => (
                id,
                with_time(run_us, RuntimeEvent::Error { class, message }),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(json: &str) -> (u32, Vec<RuntimeEvent>) {
        let message: IncomingMessage = serde_json::from_str(json).expect("a message");
        message.into_events().expect("an eval's message")
    }

    #[test]
    fn an_outcome_brings_its_run_time_first() {
        assert_eq!(
            events(r#"{"op":"value","id":7,"value":"3","run_us":120}"#),
            (
                7,
                vec![RuntimeEvent::RunTime(120), RuntimeEvent::Value("3".into())]
            )
        );
        let error = r#"{"op":"error","id":8,"class":"E","message":"m","run_us":5}"#;
        assert_eq!(
            events(error),
            (
                8,
                vec![
                    RuntimeEvent::RunTime(5),
                    RuntimeEvent::Error {
                        class: "E".into(),
                        message: "m".into()
                    }
                ]
            )
        );
        // a batch's answer has no time; an older runtime sends it on its own
        assert_eq!(
            events(r#"{"op":"value","id":9,"value":"4"}"#),
            (9, vec![RuntimeEvent::Value("4".into())])
        );
        assert_eq!(
            events(r#"{"op":"timing","id":9,"run_us":3}"#),
            (9, vec![RuntimeEvent::RunTime(3)])
        );
    }
}
