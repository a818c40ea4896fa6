//! The nREPL side over a raw TCP socket: framing, `clone`/`close`/`describe`/
//! `eval`, sessionless requests, unknown ops and sessions, and bad input.
//! These run the real binary with no runtime attached.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::{start_server, start_server_in};
use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{Client, Msg, ServerProcess, all_statuses, joined, statuses, text};

fn server() -> ServerProcess {
    start_server(&["--runtime-wait", "0.2"])
}

#[test]
fn banner_names_ports_and_page_with_token() {
    let server = server();
    let first = &server.banner[0];
    assert_eq!(
        first,
        &format!(
            "nREPL server started on port {0} on host 127.0.0.1 - nrepl://127.0.0.1:{0}",
            server.nrepl_port
        )
    );
    assert!(
        server
            .page_url
            .starts_with(&format!("http://127.0.0.1:{}/?token=", server.http_port))
    );
    assert!(
        server.token().len() >= 32,
        "token is long and random: {}",
        server.page_url
    );
}

#[test]
fn describe_lists_ops_and_versions_without_clojure() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[("op", "describe")]);
    assert_eq!(replies.len(), 1);
    let reply = &replies[0];
    assert_eq!(text(reply, "id").as_deref(), Some("t1"));
    assert_eq!(statuses(reply), ["done"]);
    let Some(Frame::Dict(ops)) = reply.get(b"ops".as_slice()) else {
        panic!("ops dict")
    };
    for op in ["clone", "close", "describe", "eval"] {
        assert!(ops.contains_key(op.as_bytes()), "describe lists {op}");
    }
    let Some(Frame::Dict(versions)) = reply.get(b"versions".as_slice()) else {
        panic!("versions")
    };
    assert!(versions.contains_key(b"nrepl".as_slice()));
    assert!(
        !versions.contains_key(b"clojure".as_slice()),
        "no clojure key: CIDER takes its generic path"
    );
    let Some(Frame::Dict(aux)) = reply.get(b"aux".as_slice()) else {
        panic!("aux")
    };
    assert_eq!(
        aux.get(b"current-ns".as_slice()).and_then(Frame::as_str),
        Some("user")
    );
}

#[test]
fn clone_and_close_sessions() {
    let server = server();
    let mut client = server.client();
    let session = client.clone_session();
    assert!(!session.is_empty());
    let replies = client.request(&[("op", "clone"), ("session", &session)]);
    let child = text(&replies[0], "new-session").unwrap();
    assert_ne!(child, session);

    let closed = client.request(&[("op", "close"), ("session", &session)]);
    assert_eq!(statuses(&closed[0]), ["done", "session-closed"]);
    assert_eq!(
        text(&closed[0], "session").as_deref(),
        Some(session.as_str())
    );
    let again = client.request(&[("op", "close"), ("session", &session)]);
    assert!(statuses(&again[0]).contains(&"unknown-session".to_string()));
}

#[test]
fn unknown_ops_and_sessions_are_answered() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[("op", "frobnicate")]);
    assert_eq!(statuses(&replies[0]), ["done", "error", "unknown-op"]);
    assert_eq!(text(&replies[0], "id").as_deref(), Some("t1"));

    let replies = client.request(&[
        ("op", "eval"),
        ("code", "1"),
        ("session", "no-such-session"),
    ]);
    assert_eq!(statuses(&replies[0]), ["done", "error", "unknown-session"]);
    // As nREPL answers them: whatever the op, an unknown session is an error.
    for op in [
        "completions",
        "complete",
        "lookup",
        "info",
        "eldoc",
        "macroexpand",
        "describe",
        "ls-sessions",
    ] {
        let replies = client.request(&[
            ("op", op),
            ("prefix", "ma"),
            ("sym", "map"),
            ("code", "(when 1 2)"),
            ("session", "no-such-session"),
        ]);
        assert_eq!(replies.len(), 1, "{op}: {replies:?}");
        assert_eq!(
            statuses(&replies[0]),
            ["done", "error", "unknown-session"],
            "{op}"
        );
        assert_eq!(
            text(&replies[0], "session").as_deref(),
            Some("no-such-session")
        );
    }
}

#[test]
fn messages_split_into_single_bytes_and_joined_in_one_write() {
    let server = server();
    let mut client = server.client();
    let message = b"d2:id1:a2:op8:describee";
    for byte in message {
        client.send_raw(&[*byte]);
        client.stream.flush().unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(statuses(&client.replies_to("a")[0]), ["done"]);

    let mut two = Vec::new();
    two.extend_from_slice(b"d2:id1:b2:op8:describee");
    two.extend_from_slice(b"d2:id1:c2:op5:clonee");
    client.send_raw(&two);
    assert_eq!(statuses(&client.replies_to("b")[0]), ["done"]);
    assert!(text(&client.replies_to("c")[0], "new-session").is_some());
}

#[test]
fn malformed_input_closes_only_that_connection() {
    let server = server();
    for garbage in [
        &b"this is not bencode"[..],
        b"l4:spame",
        b"d4:code99999999999999:",
        b"d2:opi12x",
    ] {
        let mut bad = server.client();
        bad.send_raw(garbage);
        let reply = bad.read().expect("an error reply before closing");
        assert!(
            statuses(&reply).contains(&"error".to_string()),
            "{garbage:?} -> {reply:?}"
        );
        assert!(text(&reply, "err").is_some_and(|e| !e.is_empty()));
        assert!(bad.read().is_none(), "connection closed after {garbage:?}");
    }
    let mut good = server.client();
    assert_eq!(statuses(&good.request(&[("op", "describe")])[0]), ["done"]);
}

#[test]
fn a_client_that_disconnects_mid_message_does_not_disturb_others() {
    let server = server();
    let mut quitter = server.client();
    quitter.send_raw(b"d2:op4:eval4:code10:(+ 1");
    drop(quitter);
    let mut good = server.client();
    assert_eq!(statuses(&good.request(&[("op", "describe")])[0]), ["done"]);
}

#[test]
fn sessionless_eval_without_a_runtime_says_what_to_do() {
    let server = server();
    let mut client = server.client();
    let started = Instant::now();
    let replies = client.request(&[("op", "eval"), ("code", "(+ 1 2)")]);
    assert!(started.elapsed() < Duration::from_secs(10));
    let err = joined(&replies, "err");
    assert!(err.contains("No runtime is connected"), "{err}");
    assert!(err.contains(&server.page_url), "names the page URL: {err}");
    assert!(err.contains("--headless"), "{err}");
    let statuses = all_statuses(&replies);
    assert!(statuses.contains(&"eval-error".to_string()));
    assert_eq!(statuses.last().map(String::as_str), Some("done"));
    // Every reply names the session that served it.
    assert!(replies.iter().all(|r| text(r, "session").is_some()));
}

#[test]
fn compile_and_read_errors_come_back_as_eval_errors() {
    let server = server();
    let mut client = server.client();
    let session = client.clone_session();

    let replies = client.eval(&session, "(undefined-thing 1)");
    let err = joined(&replies, "err");
    assert!(
        err.contains("Unable to resolve symbol: undefined-thing in this context"),
        "{err}"
    );
    assert!(err.contains("REPL:1:1"), "{err}");
    assert!(text(&replies[1], "ex").is_some());
    assert!(all_statuses(&replies).contains(&"eval-error".to_string()));

    let replies = client.eval(&session, "(+ 1 2");
    assert!(joined(&replies, "err").contains("EOF while reading"));

    let replies = client.eval(&session, "");
    assert_eq!(replies.len(), 1);
    assert_eq!(statuses(&replies[0]), ["done"]);
}

#[test]
fn eval_in_a_missing_namespace_is_refused() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[("op", "eval"), ("code", "1"), ("ns", "no.such.ns")]);
    assert!(statuses(&replies[0]).contains(&"namespace-not-found".to_string()));
}

#[test]
fn sigterm_shuts_down_and_removes_the_port_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server_in(&[], dir.path());
    let port_file = dir.path().join(".nrepl-port");
    assert_eq!(
        std::fs::read_to_string(&port_file).unwrap(),
        server.nrepl_port.to_string()
    );
    let mut client = Client::connect(server.nrepl_port);
    assert_eq!(
        statuses(&client.request(&[("op", "describe")])[0]),
        ["done"]
    );
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}");
    assert!(!port_file.exists(), ".nrepl-port removed on shutdown");
}

#[test]
fn deeply_nested_code_is_compiled_or_refused_without_crashing() {
    let server = server();
    let mut client = server.client();
    for code in [
        format!("{}1{}", "(inc ".repeat(990), ")".repeat(990)),
        format!("{}1{}", "[".repeat(990), "]".repeat(990)),
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("(cond {} :else 0)", "false 1 ".repeat(3000)),
    ] {
        let replies = client.request(&[("op", "eval"), ("code", &code)]);
        let err = joined(&replies, "err");
        assert!(!err.is_empty(), "an error (no runtime, or too deep)");
        assert_eq!(
            all_statuses(&replies).last().map(String::as_str),
            Some("done")
        );
    }
    assert_eq!(
        statuses(&client.request(&[("op", "describe")])[0]),
        ["done"]
    );
}

/// The names in a `completions` reply.
fn candidates(reply: &Msg) -> Vec<String> {
    let Some(Frame::List(items)) = reply.get(b"completions".as_slice()) else {
        panic!("completions list in {reply:?}")
    };
    items
        .iter()
        .filter_map(|item| match item {
            Frame::Dict(map) => map
                .get(b"candidate".as_slice())
                .and_then(Frame::as_str)
                .map(str::to_string),
            _ => None,
        })
        .collect()
}

#[test]
fn completions_and_complete_answer_from_the_compiler() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[("op", "completions"), ("prefix", "red")]);
    assert!(candidates(&replies[0]).contains(&"reduce".to_string()));
    let replies = client.request(&[
        ("op", "complete"),
        ("prefix", "clojure.string/up"),
        ("ns", "user"),
    ]);
    assert_eq!(candidates(&replies[0]), ["clojure.string/upper-case"]);
}

#[test]
fn lookup_info_and_eldoc_describe_core_and_user_vars() {
    let server = server();
    let mut client = server.client();
    let session = client.clone_session();
    // The definition is compiled (and recorded) even though no runtime runs it.
    client.eval(&session, "(defn twice \"Doubles x.\" [x] (* 2 x))");

    let replies = client.request(&[("op", "lookup"), ("sym", "twice"), ("session", &session)]);
    let Some(Frame::Dict(info)) = replies[0].get(b"info".as_slice()) else {
        panic!("info map")
    };
    assert_eq!(
        info.get(b"doc".as_slice()).and_then(Frame::as_str),
        Some("Doubles x.")
    );
    assert_eq!(
        info.get(b"arglists-str".as_slice()).and_then(Frame::as_str),
        Some("([x])")
    );
    assert_eq!(
        info.get(b"ns".as_slice()).and_then(Frame::as_str),
        Some("user")
    );

    let replies = client.request(&[("op", "info"), ("sym", "map"), ("ns", "user")]);
    assert_eq!(text(&replies[0], "ns").as_deref(), Some("clojure.core"));
    assert_eq!(statuses(&replies[0]), ["done"]);
    let replies = client.request(&[("op", "info"), ("sym", "nope-nothing"), ("ns", "user")]);
    assert_eq!(statuses(&replies[0]), ["done", "no-info"]);

    let replies = client.request(&[("op", "eldoc"), ("sym", "twice"), ("session", &session)]);
    let Some(Frame::List(arglists)) = replies[0].get(b"eldoc".as_slice()) else {
        panic!("eldoc list")
    };
    assert_eq!(arglists, &vec![Frame::List(vec![Frame::str("x")])]);
}

#[test]
fn macroexpand_expands_core_macros() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[
        ("op", "macroexpand"),
        ("code", "(when a b c)"),
        ("expander", "macroexpand-1"),
    ]);
    assert_eq!(
        text(&replies[0], "expansion").as_deref(),
        Some("(if a (do b c))")
    );
}

#[test]
fn ls_sessions_lists_clones() {
    let server = server();
    let mut client = server.client();
    let a = client.clone_session();
    let b = client.clone_session();
    let replies = client.request(&[("op", "ls-sessions")]);
    let Some(Frame::List(ids)) = replies[0].get(b"sessions".as_slice()) else {
        panic!("sessions")
    };
    for id in [a, b] {
        assert!(ids.contains(&Frame::str(&id)));
    }
}

#[test]
fn interrupt_on_an_idle_session_says_so() {
    let server = server();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.request(&[("op", "interrupt"), ("session", &session)]);
    assert_eq!(statuses(&replies[0]), ["done", "session-idle"]);
}

#[test]
fn load_file_names_the_file_in_errors() {
    let server = server();
    let mut client = server.client();
    let replies = client.request(&[
        ("op", "load-file"),
        ("file", "\n\n(oops)"),
        ("file-path", "/src/demo/core.clj"),
        ("file-name", "core.clj"),
    ]);
    let err = joined(&replies, "err");
    assert!(err.contains("core.clj:3:1"), "{err}");
}
