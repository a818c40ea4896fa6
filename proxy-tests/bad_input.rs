//! Input real clients get wrong, and load: mis-counted string lengths (the old
//! Python client), invalid UTF-8, absurd declared lengths, very large
//! messages, clients that vanish mid-eval, and many connections at once. The
//! server must answer or close the offending connection, never hang or crash,
//! and keep serving everyone else.

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::start_server;
use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{
    Client, Msg, ServerProcess, all_statuses, joined, statuses, text, values,
};

/// No runtime: these tests stop at framing or at the request's checks.
fn server() -> ServerProcess {
    start_server(&["--runtime-wait", "0.2"])
}

fn headless() -> ServerProcess {
    start_server(&["--headless", "--runtime-wait", "20"])
}

/// A request dictionary with arbitrary values.
fn message(fields: &[(&str, Frame)]) -> Vec<u8> {
    Frame::Dict(
        fields
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.clone()))
            .collect(),
    )
    .encode()
}

/// The server still answers a fresh connection.
fn still_serving(server: &ServerProcess) {
    let mut client = server.client();
    assert_eq!(
        statuses(&client.request(&[("op", "describe")])[0]),
        ["done"]
    );
}

/// Reads until the server closes the connection, which must happen within
/// `limit`; returns what it sent before closing.
fn read_until_closed(client: &mut Client, limit: Duration) -> Vec<Msg> {
    client.stream.set_read_timeout(Some(limit)).unwrap();
    let started = Instant::now();
    let mut got = Vec::new();
    while let Some(msg) = client.read() {
        got.push(msg);
        assert!(started.elapsed() < limit, "still open after {got:?}");
    }
    got
}

/// What `nrepl-python-client` writes: keys in insertion order, and each
/// string's length counted in characters, not UTF-8 bytes.
fn python_style(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut out = b"d".to_vec();
    for (k, v) in fields {
        for s in [k, v] {
            out.extend_from_slice(format!("{}:{s}", s.chars().count()).as_bytes());
        }
    }
    out.push(b'e');
    out
}

#[test]
fn character_counted_lengths_close_only_that_connection() {
    let server = server();
    for code in [
        "(str \"héllo\" \"wörld\")",
        "(count \"日本語\")",
        "(println \"naïve café\")",
        "\"λ\"",
    ] {
        let mut bad = server.client();
        bad.send_raw(&python_style(&[("op", "eval"), ("code", code)]));
        let got = read_until_closed(&mut bad, Duration::from_secs(5));
        // An error for the broken frame, if anything; never a value.
        for msg in &got {
            assert!(text(msg, "value").is_none(), "{code}: {got:?}");
        }
        if let Some(last) = got.last() {
            let statuses = statuses(last);
            assert!(statuses.contains(&"error".to_string()), "{code}: {got:?}");
            assert!(text(last, "err").is_some_and(|e| e.contains("malformed")));
        }
        still_serving(&server);
    }
    // The same text with byte counts is fine.
    let mut good = server.client();
    let replies = good.request(&[("op", "eval"), ("code", "(str \"héllo\" \"wörld\")")]);
    assert_eq!(
        all_statuses(&replies).last().map(String::as_str),
        Some("done")
    );
}

#[test]
fn invalid_utf8_code_gets_a_clear_error_and_the_connection_stays() {
    let server = server();
    let mut client = server.client();
    let session = client.clone_session();
    for (op, key) in [("eval", "code"), ("load-file", "file")] {
        let id = format!("bad-{op}");
        client.send_raw(&message(&[
            ("op", Frame::str(op)),
            ("id", Frame::str(&id)),
            ("session", Frame::str(&session)),
            (key, Frame::Bytes(b"(count \"\xff\xfe\xc3\")".to_vec())),
        ]));
        let replies = client.replies_to(&id);
        let statuses = all_statuses(&replies);
        assert!(statuses.contains(&"error".to_string()), "{op}: {replies:?}");
        assert!(statuses.contains(&"done".to_string()));
        let err = joined(&replies, "err");
        assert!(err.contains("UTF-8"), "{op}: says what is wrong: {err}");
        assert!(
            replies
                .iter()
                .all(|r| text(r, "session").as_deref() == Some(session.as_str()))
        );
        assert!(values(&replies).is_empty());
    }
    // The connection and the session keep working.
    let replies = client.request(&[("op", "describe"), ("session", &session)]);
    assert_eq!(statuses(&replies[0]), ["done"]);
}

#[test]
fn declared_lengths_of_gigabytes_are_refused_at_once() {
    let server = server();
    for declared in [
        b"d4:code5000000000:(+ 1 2)e".to_vec(),
        b"d2:op4:eval4:code200000000:(+".to_vec(),
        b"d2:op4:evall18446744073709551616:".to_vec(),
    ] {
        let started = Instant::now();
        let mut bad = server.client();
        bad.send_raw(&declared);
        // Refused at once, not after reading gigabytes: a generous bound that
        // only a server waiting for the declared bytes would exceed.
        let got = read_until_closed(&mut bad, Duration::from_secs(10));
        assert!(started.elapsed() < Duration::from_secs(10));
        let err = got
            .iter()
            .filter_map(|m| text(m, "err"))
            .collect::<String>();
        assert!(err.contains("larger than"), "{err} for {declared:?}");
        still_serving(&server);
    }
}

#[test]
fn ten_megabyte_string_literals_and_64_mib_messages_work() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();

    let code = format!("(count \"{}\")", "0123456789".repeat(1_000_000));
    let replies = client.eval(&session, &code);
    assert_eq!(
        values(&replies),
        ["10000000"],
        "{}",
        joined(&replies, "err")
    );

    // Non-ASCII: a million two-byte characters are a million characters.
    let code = format!("(count \"{}\")", "é".repeat(1_000_000));
    let replies = client.eval(&session, &code);
    assert_eq!(values(&replies), ["1000000"], "{}", joined(&replies, "err"));

    // A 64 MiB message (an editor's extra key carries the bulk) is read whole.
    let padding = vec![b'x'; 64 * 1024 * 1024 - 256];
    client.send_raw(&message(&[
        ("op", Frame::str("eval")),
        ("id", Frame::str("huge")),
        ("session", Frame::str(&session)),
        ("code", Frame::str("(+ 1 2)")),
        ("padding", Frame::Bytes(padding)),
    ]));
    assert_eq!(values(&client.replies_to("huge")), ["3"]);
}

#[test]
fn a_client_that_disconnects_mid_eval_does_not_disturb_others() {
    let server = headless();
    let mut quitter = server.client();
    let session = quitter.clone_session();
    // A loop that keeps the runtime busy for a moment, and one queued behind it.
    let busy = "(loop [i 0] (if (< i 2000000) (recur (inc i)) i))";
    for id in ["q1", "q2"] {
        quitter.send(&[
            ("op", "eval"),
            ("id", id),
            ("session", &session),
            ("code", busy),
        ]);
    }
    std::thread::sleep(Duration::from_millis(50));
    drop(quitter);

    let mut other = server.client();
    let mine = other.clone_session();
    assert_eq!(values(&other.eval(&mine, "(+ 1 2)")), ["3"]);
    assert_eq!(
        values(&other.eval(&mine, "(defn after-quit [x] (* x 3))")),
        ["#'user/after-quit"]
    );
    assert_eq!(values(&other.eval(&mine, "(after-quit 5)")), ["15"]);
    // The abandoned session still exists and still evaluates.
    assert_eq!(values(&other.eval(&session, busy)), ["2000000"]);
    still_serving(&server);
}

#[test]
fn thirty_connections_evaluating_at_once_each_get_their_own_replies() {
    const CONNECTIONS: usize = 30;
    let server = headless();
    let port = server.nrepl_port;
    let start = Arc::new(Barrier::new(CONNECTIONS));
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let start = start.clone();
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                // Half use a session of their own, half send sessionless evals.
                let session = (n % 2 == 0).then(|| client.clone_session());
                let requests = [
                    (
                        format!("c{n}-a"),
                        format!("(* {n} 1000)"),
                        format!("{}", n * 1000),
                    ),
                    (
                        format!("c{n}-b"),
                        format!("(defn conn-{n} [x] (+ x {n}))"),
                        format!("#'user/conn-{n}"),
                    ),
                    (
                        format!("c{n}-c"),
                        format!("(conn-{n} 100)"),
                        format!("{}", 100 + n),
                    ),
                    (
                        format!("c{n}-d"),
                        format!("(str \"conn-\" {n})"),
                        format!("\"conn-{n}\""),
                    ),
                ];
                start.wait();
                let mut seen = std::collections::HashMap::<String, Vec<Msg>>::new();
                let mut pending = 0;
                for (i, (id, code, _)) in requests.iter().enumerate() {
                    let mut fields = vec![("op", "eval"), ("id", id.as_str()), ("code", code)];
                    if let Some(session) = &session {
                        fields.push(("session", session));
                    }
                    client.send(&fields);
                    pending += 1;
                    // A session runs its evals in order, so they are pipelined:
                    // every request is sent before any reply is read. Each
                    // sessionless request gets a session of its own, with no
                    // order between them, so those wait for `done` in turn.
                    if session.is_some() && i + 1 < requests.len() {
                        continue;
                    }
                    while pending > 0 {
                        let msg = client.read().expect("open until every done");
                        let id = text(&msg, "id").expect("every reply has an id");
                        assert!(
                            requests.iter().any(|(mine, _, _)| *mine == id),
                            "connection {n} got a reply for {id}: {msg:?}"
                        );
                        let from = text(&msg, "session");
                        assert!(from.is_some(), "{msg:?}");
                        if let Some(session) = &session {
                            assert_eq!(from.as_ref(), Some(session));
                        }
                        if statuses(&msg).iter().any(|s| s == "done") {
                            pending -= 1;
                        }
                        seen.entry(id).or_default().push(msg);
                    }
                }
                for (id, code, expected) in &requests {
                    let replies = &seen[id];
                    assert_eq!(values(replies), [expected.as_str()], "{code}: {replies:?}");
                    assert_eq!(all_statuses(replies), ["done"], "{code}");
                }
            })
        })
        .collect();
    let mut failures = Vec::new();
    for (n, worker) in workers.into_iter().enumerate() {
        if let Err(panic) = worker.join() {
            failures.push(format!(
                "connection {n}: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    still_serving(&server);
}

#[test]
fn the_server_closes_its_side_when_a_client_hangs_up_after_evals() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
    assert_eq!(
        values(&client.request(&[("op", "eval"), ("code", "(* 2 3)")])),
        ["6"]
    );
    // Clients that wait for the socket to close before exiting (the npm
    // `nrepl-client`'s `end()`) hang unless the server closes its side too.
    client.stream.shutdown(std::net::Shutdown::Write).unwrap();
    let got = read_until_closed(&mut client, Duration::from_secs(3));
    assert!(got.is_empty(), "{got:?}");
    still_serving(&server);
}
