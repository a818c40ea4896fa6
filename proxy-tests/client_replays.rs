//! Real clients' sessions, replayed: the client-to-server messages of the
//! captures in `../shared/captures/` (CIDER, lein/REPL-y, nrepl.cmdline, the
//! npm `nrepl-client`, the PyPI `nrepl-python-client`, recorded against the
//! reference nREPL server) are sent to the real binary with its headless Node
//! runtime, one request at a time, with the capture's session ids mapped to
//! the ones this server hands out. Plus Calva's connect handshake, which the
//! notes in `../shared/notes/nrepl-clients.md` describe.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::start_server;
use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{Client, Msg, ServerProcess, all_statuses, statuses, text, values};
use serde_json::Value;

/// Longest any replayed request may take, JVM-only init evals included (they
/// may fail here, but must fail fast: editors wait on them while connecting).
const REQUEST_LIMIT: Duration = Duration::from_secs(15);

fn headless() -> ServerProcess {
    start_server(&["--headless", "--runtime-wait", "20"])
}

/// One recorded message.
struct Recorded {
    /// `c2s` (client to server) or `s2c`.
    dir: String,
    msg: serde_json::Map<String, Value>,
}

fn capture(name: &str) -> Vec<Recorded> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/captures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); ../shared comes with the repository's checkout",
            path.display()
        )
    });
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("one JSON message per line");
            Recorded {
                dir: value["dir"].as_str().unwrap_or_default().to_string(),
                msg: value["msg"].as_object().cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// The bencode a client sent, from its JSON record: strings stay strings,
/// numbers are integers, nested objects are dictionaries.
fn to_frame(value: &Value) -> Frame {
    match value {
        Value::String(s) => Frame::str(s),
        Value::Number(n) => Frame::Int(n.as_i64().expect("captures hold integers only")),
        Value::Bool(b) => Frame::Int(i64::from(*b)),
        Value::Array(items) => Frame::List(items.iter().map(to_frame).collect()),
        Value::Object(map) => Frame::Dict(
            map.iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), to_frame(v)))
                .collect(),
        ),
        Value::Null => panic!("bencode has no null"),
    }
}

/// The reference server's final status for the request with `id`.
fn recorded_final_status(recording: &[Recorded], id: &str) -> Vec<String> {
    recording
        .iter()
        .filter(|r| r.dir == "s2c" && r.msg.get("id").and_then(Value::as_str) == Some(id))
        .filter_map(|r| r.msg.get("status").and_then(Value::as_array))
        .next_back()
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Replies up to `done` for a request sent without an `id` (the Python
/// client's way): every reply, since none can be matched.
fn replies_without_id(client: &mut Client) -> Vec<Msg> {
    let mut replies = Vec::new();
    loop {
        let msg = client.read().expect("connection open until done");
        let done = statuses(&msg).iter().any(|s| s == "done");
        replies.push(msg);
        if done {
            return replies;
        }
    }
}

/// What the replay saw for one request.
struct Exchange {
    request: serde_json::Map<String, Value>,
    replies: Vec<Msg>,
}

/// Sends every client message of `name` to a fresh headless server and checks
/// each request's replies; returns the exchanges for capture-specific checks.
fn replay(name: &str) -> (ServerProcess, Client, Vec<Exchange>) {
    let recording = capture(name);
    let server = headless();
    let mut client = server.client();
    // The capture's session ids -> the ones this server gave for the same clones.
    let mut sessions: HashMap<String, String> = HashMap::new();
    let mut exchanges = Vec::new();
    for record in recording.iter().filter(|r| r.dir == "c2s") {
        let mut msg = record.msg.clone();
        if msg.contains_key("event") {
            continue; // the relay's note that the client hung up
        }
        if let Some(Value::String(recorded)) = msg.get("session") {
            let ours = sessions.get(recorded).unwrap_or_else(|| {
                panic!("{name}: session {recorded} was never cloned in the capture")
            });
            msg.insert("session".into(), Value::String(ours.clone()));
        }
        let frame = to_frame(&Value::Object(msg.clone()));
        let started = Instant::now();
        client.send_raw(&frame.encode());
        let id = msg.get("id").and_then(Value::as_str).map(str::to_string);
        let replies = match &id {
            Some(id) => client.replies_to(id),
            None => replies_without_id(&mut client),
        };
        let took = started.elapsed();
        let op = msg["op"].as_str().unwrap_or_default();
        let what = format!("{name}: {op} {:?}", msg.get("code"));
        assert!(took < REQUEST_LIMIT, "{what} took {took:?}: {replies:?}");

        // Exactly one final reply, the last one; every reply echoes id and session.
        let done_count = replies
            .iter()
            .filter(|r| statuses(r).iter().any(|s| s == "done"))
            .count();
        assert_eq!(done_count, 1, "{what}: {replies:?}");
        for reply in &replies {
            assert_eq!(text(reply, "id"), id, "{what}: id echoed in {reply:?}");
            let session = text(reply, "session");
            assert!(session.is_some(), "{what}: session in {reply:?}");
            if let Some(Value::String(asked)) = msg.get("session") {
                assert_eq!(session.as_deref(), Some(asked.as_str()), "{what}");
            }
        }

        match op {
            "clone" => {
                let ours = text(&replies[0], "new-session").expect("new-session");
                let recorded = recording
                    .iter()
                    .filter(|r| r.dir == "s2c" && r.msg.get("id") == msg.get("id"))
                    .find_map(|r| r.msg.get("new-session").and_then(Value::as_str))
                    .expect("the capture has the clone's reply");
                sessions.insert(recorded.to_string(), ours);
            }
            "eval" => {
                let code = msg["code"].as_str().unwrap_or_default();
                let got_statuses = all_statuses(&replies);
                match code {
                    "(+ 1 2)" => {
                        assert_eq!(values(&replies), ["3"], "{what}: {replies:?}");
                        assert_eq!(got_statuses, ["done"], "{what}");
                        let ns = replies.iter().find_map(|r| text(r, "ns"));
                        assert_eq!(ns.as_deref(), Some("user"), "{what}");
                    }
                    // lein's probe: nothing to evaluate, just `done`.
                    "" => assert_eq!(got_statuses, ["done"], "{what}: {replies:?}"),
                    // JVM-only init forms: a value or an eval-error, quickly.
                    _ => {}
                }
            }
            // Other ops answer what the reference server answered
            // (`unknown-op` for cider-nrepl's ops, `session-closed`, ...).
            _ => {
                if let Some(id) = &id {
                    let mut expected = recorded_final_status(&recording, id);
                    let mut got = statuses(replies.last().unwrap());
                    expected.sort();
                    got.sort();
                    assert_eq!(got, expected, "{what}: {replies:?}");
                }
            }
        }
        exchanges.push(Exchange {
            request: msg,
            replies,
        });
    }
    (server, client, exchanges)
}

fn ops_of(reply: &Msg) -> &std::collections::BTreeMap<Vec<u8>, Frame> {
    match reply.get(b"ops".as_slice()) {
        Some(Frame::Dict(ops)) => ops,
        other => panic!("describe has an ops dictionary, got {other:?}"),
    }
}

#[test]
fn cider_session_replays() {
    let (_server, mut client, exchanges) = replay("cider.jsonl");
    let describe = exchanges
        .iter()
        .find(|e| e.request["op"] == "describe")
        .expect("CIDER describes");
    let reply = &describe.replies[0];
    let ops = ops_of(reply);
    for op in [
        "clone",
        "close",
        "describe",
        "eval",
        "load-file",
        "interrupt",
    ] {
        assert!(ops.contains_key(op.as_bytes()), "describe lists {op}");
    }
    let Some(Frame::Dict(versions)) = reply.get(b"versions".as_slice()) else {
        panic!("versions in {reply:?}")
    };
    assert!(
        !versions.contains_key(b"clojure".as_slice()),
        "no `clojure` version, or CIDER sends JVM-only cider-nrepl ops"
    );
    // CIDER closed both its sessions on quit.
    let listed = client.request(&[("op", "ls-sessions")]);
    let Some(Frame::List(open)) = listed[0].get(b"sessions".as_slice()) else {
        panic!("sessions list")
    };
    for exchange in exchanges.iter().filter(|e| e.request["op"] == "close") {
        let closed = exchange.request["session"].as_str().unwrap();
        assert!(!open.contains(&Frame::str(closed)), "{closed} still open");
    }
}

#[test]
fn lein_repl_connect_session_replays() {
    let (_server, _client, exchanges) = replay("lein.jsonl");
    let evals = exchanges
        .iter()
        .filter(|e| e.request["op"] == "eval")
        .count();
    assert_eq!(
        evals, 4,
        "REPL-y's init evals, its empty probe and a user eval"
    );
}

#[test]
fn nrepl_cmdline_session_replays() {
    let (_server, _client, exchanges) = replay("cmdline.jsonl");
    assert_eq!(exchanges.len(), 2, "a clone and an eval");
}

#[test]
fn npm_nrepl_client_session_replays() {
    // A sessionless eval with an id: the reply names the ephemeral session.
    let (_server, _client, exchanges) = replay("node.jsonl");
    assert_eq!(values(&exchanges[0].replies), ["3"]);
}

#[test]
fn python_nrepl_client_session_replays() {
    // No id, no session: the replies carry neither id nor a session we named.
    let (_server, _client, exchanges) = replay("python.jsonl");
    assert_eq!(values(&exchanges[0].replies), ["3"]);
}

#[test]
fn calva_connect_handshake() {
    let server = headless();
    let mut client = server.client();

    // 1. `*ns*` with no session.
    let started = Instant::now();
    client.send(&[("op", "eval"), ("code", "*ns*"), ("id", "calva-1")]);
    let replies = client.replies_to("calva-1");
    assert!(started.elapsed() < REQUEST_LIMIT);
    assert_eq!(
        all_statuses(&replies).last().map(String::as_str),
        Some("done"),
        "{replies:?}"
    );
    assert!(replies.iter().all(|r| text(r, "session").is_some()));
    let value = values(&replies);
    // as Clojure 1.11 prints *ns*: #object[clojure.lang.Namespace 0x10bb8c4d "user"]
    assert!(
        value.len() == 1
            && value[0].starts_with("#object[clojure.lang.Namespace 0x")
            && value[0].ends_with(" \"user\"]"),
        "as Clojure prints *ns*: {replies:?}"
    );
    assert!(
        replies
            .iter()
            .any(|r| text(r, "ns").as_deref() == Some("user"))
    );

    // 2. clone: exactly one reply under the clone's id.
    client.send(&[("op", "clone"), ("id", "calva-2")]);
    let replies = client.replies_to("calva-2");
    assert_eq!(replies.len(), 1, "{replies:?}");
    let session = text(&replies[0], "new-session").expect("new-session");

    // 3. describe, verbose, in the new session (Calva sends `verbose` as true).
    let describe = Frame::Dict(
        [
            ("op", Frame::str("describe")),
            ("id", Frame::str("calva-3")),
            ("session", Frame::str(&session)),
            ("verbose", Frame::Int(1)),
        ]
        .into_iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v))
        .collect(),
    );
    client.send_raw(&describe.encode());
    let replies = client.replies_to("calva-3");
    assert_eq!(replies.len(), 1);
    let reply = &replies[0];
    assert_eq!(text(reply, "session").as_deref(), Some(session.as_str()));
    assert_eq!(statuses(reply), ["done"]);
    let ops = ops_of(reply);
    assert!(
        ops.contains_key(b"eval".as_slice()),
        "Calva needs eval listed"
    );
    for (name, entry) in ops {
        let doc = match entry {
            Frame::Dict(entry) => entry.get(b"doc".as_slice()).and_then(Frame::as_str),
            _ => None,
        };
        assert!(
            doc.is_some_and(|d| !d.is_empty()),
            "verbose describe: {} has a doc",
            String::from_utf8_lossy(name)
        );
    }
    let Some(Frame::Dict(aux)) = reply.get(b"aux".as_slice()) else {
        panic!("aux in {reply:?}")
    };
    assert_eq!(
        aux.get(b"current-ns".as_slice()).and_then(Frame::as_str),
        Some("user")
    );

    // 4. Calva's connect-time eval of the repl-requires form: JVM-only, but
    // answered at once, in the session Calva knows.
    let started = Instant::now();
    let replies = client.eval(
        &session,
        "(when-let [requires (resolve 'clojure.main/repl-requires)]\n  (clojure.core/apply clojure.core/require @requires))",
    );
    assert!(started.elapsed() < REQUEST_LIMIT);
    assert!(
        replies
            .iter()
            .all(|r| text(r, "session").as_deref() == Some(session.as_str()))
    );
    // Then a user eval works as usual.
    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
}
