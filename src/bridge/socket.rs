//! One runtime WebSocket, from hello to close: a runtime's main socket
//! (patches out, reports in) or its control socket (interrupts and stdin out,
//! `need-input` in). Pings keep both honest: a peer silent while it runs no
//! eval is dropped (a busy runtime answers no pings; the eval timeout deals
//! with that), and a runtime the program started is then ended.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tracing::{info, warn};

use super::protocol::{Hello, IncomingMessage};
use super::{Bridge, RuntimeConn};

/// How long a runtime has, after connecting, to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings a runtime (pongs, like any message, show it is alive).
const PING_INTERVAL: Duration = Duration::from_secs(10);
/// A runtime not heard from for this long, while it runs no eval, is dropped.
const SILENCE_LIMIT: Duration = Duration::from_secs(90);

/// Why `pump` stopped.
#[derive(Debug, PartialEq, Eq)]
enum PumpEnd {
    /// Either side closed the socket, or it failed.
    Closed,
    /// The peer stayed silent past `SILENCE_LIMIT`.
    Silent,
}

impl Bridge {
    /// Serves one WebSocket until it closes.
    pub async fn serve_socket<S>(&self, mut socket: WebSocketStream<S>)
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let hello = match tokio::time::timeout(HELLO_TIMEOUT, read_hello(&mut socket)).await {
            Ok(Some(hello)) => hello,
            _ => {
                warn!("a runtime connected but did not say hello; closing it");
                return;
            }
        };
        if hello.role == "control" {
            return self.serve_control(socket, hello).await;
        }
        let (outgoing, to_send) = mpsc::unbounded_channel();
        let runtime = self.register(hello, outgoing.clone());
        // Tell the runtime its id, which the page shows (and ls-runtimes lists).
        let welcome = serde_json::json!({"op": "welcome", "id": runtime.id});
        let _ = outgoing.send(Message::text(welcome.to_string()));
        if let Some(problem) = self.standing_reload_problem() {
            let _ = outgoing.send(Message::text(problem));
        }
        let replay = tokio::spawn({
            let bridge = self.clone();
            let runtime = runtime.clone();
            async move { bridge.replay_log(runtime).await }
        });
        let busy = || !runtime.pending.lock().is_empty();
        let ended = pump(
            &mut socket,
            to_send,
            |text| self.route_report(&runtime, text),
            Some(&runtime.close_requested),
            &busy,
        )
        .await;
        if ended == PumpEnd::Silent {
            runtime.end(&format!(
                "it stopped answering for {} s",
                SILENCE_LIMIT.as_secs()
            ));
        }
        replay.abort();
        self.unregister(&runtime).await;
    }

    /// A runtime's control socket: attached to the runtime with the same instance id.
    async fn serve_control<S>(&self, mut socket: WebSocketStream<S>, hello: Hello)
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let Some(runtime) = self.wait_for_instance(&hello.instance).await else {
            warn!(instance = %hello.instance, "a control socket named no connected runtime; closing it");
            let _ = socket.close(None).await;
            return;
        };
        let (outgoing, to_send) = mpsc::unbounded_channel();
        *runtime.control.lock() = Some(outgoing);
        runtime.control_connected.notify_waiters();
        info!(id = runtime.id, "runtime control channel connected");
        pump(
            &mut socket,
            to_send,
            |text| self.route_report(&runtime, text),
            None,
            &|| false,
        )
        .await;
        *runtime.control.lock() = None;
    }
}

impl Bridge {
    /// The runtime a control socket belongs to. Its main socket said hello
    /// first, but both handshakes race, so give it a moment.
    async fn wait_for_instance(&self, instance: &str) -> Option<std::sync::Arc<RuntimeConn>> {
        for _ in 0..20 {
            if let Some(runtime) = self.find_instance(instance) {
                return Some(runtime);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

/// Moves messages both ways until either side ends, `close` is signalled, or
/// the peer is silent too long while not `busy`; `on_text` handles what the
/// peer sends.
async fn pump<S>(
    socket: &mut WebSocketStream<S>,
    mut to_send: mpsc::UnboundedReceiver<Message>,
    mut on_text: impl FnMut(&str),
    close: Option<&Notify>,
    busy: &(dyn Fn() -> bool + Sync),
) -> PumpEnd
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut heartbeat = tokio::time::interval(PING_INTERVAL);
    let mut last_heard = tokio::time::Instant::now();
    let mut ended = PumpEnd::Closed;
    let close_requested = async {
        match close {
            Some(close) => close.notified().await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(close_requested);
    loop {
        tokio::select! {
            _ = &mut close_requested => break,
            message = to_send.recv() => match message {
                Some(message) => if socket.send(message).await.is_err() { break },
                None => break,
            },
            incoming = socket.next() => {
                last_heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => on_text(text.as_str()),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                }
            },
            _ = heartbeat.tick() => {
                if busy() {
                    // Running an eval: the eval's timeout watches it.
                    last_heard = tokio::time::Instant::now();
                } else if last_heard.elapsed() > SILENCE_LIMIT {
                    warn!("runtime silent for {SILENCE_LIMIT:?}; dropping it");
                    ended = PumpEnd::Silent;
                    break;
                }
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = socket.close(None).await;
    ended
}

async fn read_hello<S>(socket: &mut WebSocketStream<S>) -> Option<Hello>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    while let Some(Ok(message)) = socket.next().await {
        if let Message::Text(text) = message {
            return match serde_json::from_str::<IncomingMessage>(text.as_str()) {
                Ok(IncomingMessage::Hello(hello)) => Some(hello),
                _ => None,
            };
        }
    }
    None
}

impl Bridge {
    /// Hands one report to the eval it belongs to.
    fn route_report(&self, runtime: &RuntimeConn, text: &str) {
        let parsed = serde_json::from_str::<IncomingMessage>(text).or_else(|error| {
            // A JS string may hold a surrogate without its pair, which JSON.stringify writes as
            // an escape serde_json refuses; the message still belongs to its eval.
            let repaired = without_lone_surrogates(text);
            if repaired == text {
                return Err(error);
            }
            serde_json::from_str::<IncomingMessage>(&repaired)
        });
        match parsed {
            Ok(message) => {
                if let Some((eval_id, events)) = message.into_events() {
                    for event in events {
                        self.route_event(runtime, eval_id, event);
                    }
                }
            }
            Err(error) => warn!(id = runtime.id, %error, "unreadable message from runtime"),
        }
    }
}

/// JSON text with each `\uXXXX` escape of a surrogate that has no pair replaced by the
/// replacement character's (U+FFFD); anything else as it was.
fn without_lone_surrogates(text: &str) -> String {
    let surrogate = |hex: &str, low: bool| {
        u16::from_str_radix(hex, 16).is_ok_and(|c| {
            if low {
                (0xDC00..=0xDFFF).contains(&c)
            } else {
                (0xD800..=0xDBFF).contains(&c)
            }
        })
    };
    let escape_at = |i: usize| {
        text.get(i + 2..i + 6)
            .filter(|_| text[i..].starts_with("\\u"))
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(offset) = text[i..].find('\\') {
        let at = i + offset;
        out.push_str(&text[i..at]);
        match escape_at(at) {
            Some(hex) if surrogate(hex, false) => {
                let pair = escape_at(at + 6).filter(|low| surrogate(low, true));
                match pair {
                    Some(_) => out.push_str(&text[at..at + 12]),
                    None => out.push_str("\\uFFFD"),
                }
                i = at + if pair.is_some() { 12 } else { 6 };
            }
            Some(hex) if surrogate(hex, true) => {
                out.push_str("\\uFFFD");
                i = at + 6;
            }
            // any other escape, `\\` included, is copied whole
            _ => {
                let end = text[at + 1..]
                    .chars()
                    .next()
                    .map_or(at + 1, |c| at + 1 + c.len_utf8());
                out.push_str(&text[at..end]);
                i = end;
            }
        }
    }
    out.push_str(&text[i..]);
    out
}

#[cfg(test)]
mod surrogate_tests {
    use super::without_lone_surrogates;

    #[test]
    fn lone_surrogate_escapes_become_the_replacement_character() {
        assert_eq!(
            without_lone_surrogates(r#"{"v":"a\ud83d"}"#),
            r#"{"v":"a\uFFFD"}"#
        );
        assert_eq!(without_lone_surrogates(r#""\ude00x""#), r#""\uFFFDx""#);
        assert_eq!(
            without_lone_surrogates(r#""\ud83d\u0041""#),
            r#""\uFFFD\u0041""#
        );
        // a pair, an escaped backslash before `u`, other escapes and text stay as they were
        assert_eq!(
            without_lone_surrogates(r#""\ud83d\ude00""#),
            r#""\ud83d\ude00""#
        );
        assert_eq!(without_lone_surrogates(r#""\\ud83d""#), r#""\\ud83d""#);
        assert_eq!(
            without_lone_surrogates(r#""\n\"é\u0041""#),
            r#""\n\"é\u0041""#
        );
        assert_eq!(without_lone_surrogates(r#"ends with \"#), r#"ends with \"#);
        let message = r#"{"op":"value","id":7,"value":"\ud83d"}"#;
        assert!(serde_json::from_str::<serde_json::Value>(message).is_err());
        let repaired = without_lone_surrogates(message);
        let value: serde_json::Value = serde_json::from_str(&repaired).expect("repaired JSON");
        assert_eq!(value["value"], "\u{FFFD}");
    }
}
