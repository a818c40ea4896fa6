//! Limits that keep one client from taking the server down: compiles that
//! hold up nobody and stop at their budget, replies bounded per connection,
//! hung-up clients' evals interrupted, sessions and connections capped, and
//! exact HTTP checks. The real binary over loopback sockets.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::start_server;
use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{
    Client, Msg, ServerProcess, all_statuses, joined, statuses, text, values,
};

/// ``'`````(a0 a1 ... a39)``: five nested syntax-quotes, which expand to a
/// 1.67 MB form, as in Clojure (each level is about 5 times the one inside).
fn nested_syntax_quote() -> String {
    let symbols: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
    format!("(count (str '`````({})))", symbols.join(" "))
}

/// Polls `check` every 100 ms until it holds, failing after `limit`.
fn eventually(limit: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn session_ids(client: &mut Client) -> Vec<String> {
    let replies = client.request(&[("op", "ls-sessions")]);
    match replies[0].get(b"sessions".as_slice()) {
        Some(Frame::List(ids)) => ids
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect(),
        other => panic!("ls-sessions lists sessions: {other:?}"),
    }
}

/// While one session compiles a form for a long while, another session's
/// `(+ 1 2)` is compiled, run and answered: it never waits for that compile.
#[test]
fn a_long_compile_does_not_hold_up_other_sessions() {
    let server = start_server(&["--headless", "--compile-timeout", "600"]);
    let mut slow = server.client();
    let mut fast = server.client();
    let fast_session = fast.clone_session();
    assert_eq!(values(&fast.eval(&fast_session, "(+ 1 2)")), ["3"]);
    slow.send(&[
        ("op", "eval"),
        ("id", "slow"),
        ("code", &nested_syntax_quote()),
    ]);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(values(&fast.eval(&fast_session, "(+ 1 2)")), ["3"]);
    // Only now does the slow one answer: it was still running.
    slow.stream.set_nonblocking(true).unwrap();
    let mut peek = [0u8; 1];
    let pending =
        matches!(slow.stream.peek(&mut peek), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    slow.stream.set_nonblocking(false).unwrap();
    assert!(
        pending,
        "the nested syntax-quote answered before the other session's eval"
    );
    assert_eq!(
        values(&slow.replies_to("slow")),
        ["1674486"],
        "as Clojure counts it"
    );
}

#[test]
fn a_compile_past_its_time_or_memory_budget_fails_clearly() {
    for (flag, value) in [("--compile-memory-mb", "32"), ("--compile-timeout", "0.02")] {
        let server = start_server(&[flag, value, "--runtime-wait", "0"]);
        let mut client = server.client();
        let session = client.clone_session();
        let replies = client.eval(&session, &nested_syntax_quote());
        let err = joined(&replies, "err");
        assert!(
            err.contains("Compiling this form") && err.contains(flag),
            "{flag}: {err}"
        );
        assert!(all_statuses(&replies).contains(&"eval-error".to_string()));
        // The compiler is still there for the next form.
        let err = joined(&client.eval(&session, "(+ 1 2)"), "err");
        assert!(err.contains("No runtime is connected"), "{flag}: {err}");
    }
}

/// A client that evaluates a printing loop and never reads: once its replies
/// back up past `--reply-queue-mb`, it is dropped and its eval interrupted,
/// and the server's memory stays bounded (unbounded, it grew by gigabytes).
#[test]
fn a_client_that_does_not_read_is_dropped_and_server_memory_stays_bounded() {
    let server = start_server(&["--headless", "--reply-queue-mb", "4"]);
    let mut other = server.client();
    let session = other.clone_session();
    assert_eq!(values(&other.eval(&session, "(+ 1 2)")), ["3"]);
    let before = server.resident_kib();
    let mut flooder = TcpStream::connect(("127.0.0.1", server.nrepl_port)).unwrap();
    let line = "x".repeat(200);
    let code = format!("(loop [] (println \"{line}\") (recur))");
    let eval = Frame::Dict(
        [("op", "eval"), ("id", "flood"), ("code", code.as_str())]
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), Frame::str(v)))
            .collect(),
    );
    flooder.write_all(&eval.encode()).unwrap();
    // The flood runs before the other eval is sent (else that one may run first and the
    // flood never stop): its first line has come. From here on the flooder reads nothing.
    flooder
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut first = vec![0u8; 4096];
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains(&line) {
        let n = flooder.read(&mut first).expect("the flood's first output");
        assert!(n > 0, "the server closed the flooder before it printed");
        seen.extend_from_slice(&first[..n]);
    }
    // The runtime runs one eval at a time: this answers once the flood is stopped.
    other
        .stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let peak = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(server.resident_kib());
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        // (the sampler stops however the eval ends: a panic here must fail the test, not
        // leave the scope waiting on the sampler)
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            values(&other.eval(&session, "(+ 1 2)"))
        }));
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let peak = sampler.join().unwrap();
        assert_eq!(answer.expect("the other eval answers"), ["3"]);
        peak
    });
    let grew_mib = peak.saturating_sub(before) / 1024;
    assert!(grew_mib < 100, "the server grew by {grew_mib} MiB");
    // The flooder was dropped: reading drains what the kernel holds, then ends.
    flooder
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut sink = vec![0u8; 1 << 20];
    let draining = Instant::now();
    loop {
        assert!(
            draining.elapsed() < Duration::from_secs(30),
            "the flooder is still being sent output"
        );
        match flooder.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
    }
}

/// Requests pipelined by a client that does not read yet are read only as
/// fast as their replies are taken: the server stays small, and once the
/// client reads it gets every reply.
#[test]
fn pipelined_requests_of_a_client_that_reads_late_are_slowed_not_lost() {
    const REQUESTS: usize = 20_000;
    let server = start_server(&["--reply-queue-mb", "1"]);
    let before = server.resident_kib();
    let mut client = server.client();
    let mut writer = client.stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let mut wire = Vec::new();
        for i in 0..REQUESTS {
            wire.extend_from_slice(
                format!("d2:op8:describe2:id{}:{i}e", i.to_string().len()).as_bytes(),
            );
        }
        // Blocks while the server, behind on replies, stops reading.
        writer.write_all(&wire).unwrap();
    });
    std::thread::sleep(Duration::from_secs(1));
    let grew_mib = server.resident_kib().saturating_sub(before) / 1024;
    let mut answered = 0;
    while answered < REQUESTS {
        let reply = client.read().expect("every reply comes");
        assert!(statuses(&reply).contains(&"done".to_string()), "{reply:?}");
        answered += 1;
    }
    sender.join().unwrap();
    assert!(
        grew_mib < 40,
        "while not read, the server grew by {grew_mib} MiB"
    );
}

/// A client that hangs up mid-eval leaves nothing running: its eval is
/// interrupted (another client's eval, queued behind it on the one runtime,
/// answers long before the eval timeout) and its queued evals never run.
#[test]
fn a_client_that_hangs_up_has_its_evals_interrupted_and_dropped() {
    let server = start_server(&["--headless", "--eval-timeout", "60"]);
    let mut quitter = server.client();
    let session = quitter.clone_session();
    for (id, code) in [
        ("spin", "(loop [] (recur))"),
        ("later", "(def ran-after-hangup true)"),
    ] {
        quitter.send(&[
            ("op", "eval"),
            ("id", id),
            ("session", &session),
            ("code", code),
        ]);
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(quitter);
    let mut other = server.client();
    other
        .stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mine = other.clone_session();
    assert_eq!(values(&other.eval(&mine, "(+ 1 2)")), ["3"]);
    let err = joined(&other.eval(&mine, "ran-after-hangup"), "err");
    assert!(
        err.contains("Unable to resolve symbol: ran-after-hangup"),
        "{err}"
    );
    // The session itself is kept, as nREPL keeps it, for the client to reattach.
    assert_eq!(values(&other.eval(&session, "(+ 1 2)")), ["3"]);
}

#[test]
fn sessions_are_capped_kept_for_reattaching_then_reaped() {
    let server = start_server(&["--max-sessions", "3", "--session-idle-timeout", "3"]);
    let mut first = server.client();
    let ids: Vec<String> = (0..3).map(|_| first.clone_session()).collect();
    let refused = first.request(&[("op", "clone")]);
    assert!(
        all_statuses(&refused).contains(&"too-many-sessions".to_string()),
        "{refused:?}"
    );
    assert!(
        joined(&refused, "err").contains("--max-sessions"),
        "{refused:?}"
    );
    drop(first);

    // Kept after the connection went, and reattached to by another one.
    let mut second = server.client();
    let mut listed = session_ids(&mut second);
    listed.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(listed, expected);
    let describe = second.request(&[("op", "describe"), ("session", &ids[0])]);
    assert_eq!(statuses(&describe[0]), ["done"]);
    // The two no connection uses are reaped; the attached one is not.
    eventually(Duration::from_secs(20), "idle sessions reaped", || {
        session_ids(&mut second) == [ids[0].clone()]
    });
    drop(second);
    let mut third = server.client();
    eventually(Duration::from_secs(20), "the last session reaped", || {
        session_ids(&mut third).is_empty()
    });
    for _ in 0..3 {
        third.clone_session();
    }
}

#[test]
fn connections_past_the_cap_are_refused_with_an_error() {
    let server = start_server(&["--max-connections", "2"]);
    let mut first = server.client();
    let mut second = server.client();
    for client in [&mut first, &mut second] {
        assert_eq!(
            statuses(&client.request(&[("op", "describe")])[0]),
            ["done"]
        );
    }
    let mut third = server.client();
    let refusal: Msg = third.read().expect("an error before the close");
    assert!(statuses(&refusal).contains(&"too-many-connections".to_string()));
    assert!(
        text(&refusal, "err")
            .unwrap_or_default()
            .contains("--max-connections")
    );
    assert!(third.read().is_none(), "then closed");
    drop(first);
    eventually(Duration::from_secs(10), "a freed place is taken", || {
        let mut next = server.client();
        next.send(&[("op", "describe"), ("id", "d")]);
        next.read()
            .is_some_and(|reply| statuses(&reply) == ["done"])
    });
}

#[test]
fn a_hundred_thousand_clause_cond_thread_compiles() {
    let server = start_server(&["--headless"]);
    let mut client = server.client();
    let session = client.clone_session();
    let clauses = vec!["true inc"; 100_000].join(" ");
    let replies = client.eval(&session, &format!("(cond-> 0 {clauses})"));
    assert_eq!(
        values(&replies),
        ["100000"],
        "{:?}",
        joined(&replies, "err")
    );
    let names: Vec<String> = (0..60_000).map(|i| format!("x{i} {i}")).collect();
    let err = joined(
        &client.eval(&session, &format!("(let [{}] x1)", names.join(" "))),
        "err",
    );
    assert!(err.contains("Too many locals"), "{err}");
    assert!(!err.contains("internal compiler error"), "{err}");
}

/// The HTTP answer to `head`, sent as it is.
fn http(server: &ServerProcess, head: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", server.http_port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    // Up to the end of the answer's head (a 101 keeps the socket open).
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
        }
    }
    if !answer.starts_with(b"HTTP/1.1 101") {
        let _ = stream.read_to_end(&mut answer);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn duplicated_host_or_origin_headers_and_oversized_heads_are_refused() {
    let server = start_server(&[]);
    let host = format!("127.0.0.1:{}", server.http_port);
    let upgrade = |extra: &str| {
        format!(
            "GET /repl?token={} HTTP/1.1\r\nHost: {host}\r\n{extra}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            server.token()
        )
    };
    assert!(http(&server, &upgrade("")).starts_with("HTTP/1.1 101"));
    let two_hosts = upgrade(&format!("Host: {host}\r\n"));
    let answer = http(&server, &two_hosts);
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("more than one Host"),
        "{answer}"
    );
    let origin = format!("Origin: http://{host}\r\n");
    let answer = http(&server, &upgrade(&format!("{origin}{origin}")));
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("more than one Origin"),
        "{answer}"
    );

    let head_of = |len: usize| {
        let fixed = format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Pad: \r\n\r\n").len();
        format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nX-Pad: {}\r\n\r\n",
            "a".repeat(len - fixed)
        )
    };
    assert!(http(&server, &head_of(16 * 1024)).starts_with("HTTP/1.1 200"));
    assert!(http(&server, &head_of(16 * 1024 + 1)).starts_with("HTTP/1.1 431"));
}
