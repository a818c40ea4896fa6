//! A runtime that survives its user: the headless Node runtime is started
//! again when it exits, runs out of memory or is stuck in code no interrupt
//! reaches, with every definition replayed, and evals say what happened. The
//! real binary, its real Node runtime, a raw nREPL client.

mod common;

use std::time::{Duration, Instant};

use common::start_server;
use jank_wasm_nrepl::testkit::{Client, ServerProcess, all_statuses, joined, values};

fn headless(extra: &[&str]) -> ServerProcess {
    let mut args = vec!["--headless"];
    args.extend_from_slice(extra);
    start_server(&args)
}

/// Waits at most `limit` for each reply (instead of `common::REPLY_TIMEOUT`).
fn patient_for(client: &mut Client, limit: Duration) {
    let limit = limit.max(Duration::from_millis(1));
    client.stream.set_read_timeout(Some(limit)).unwrap();
}

#[test]
fn a_runtime_that_exits_is_back_within_5_s_with_its_definitions() {
    let server = headless(&[]);
    let mut client = server.client();
    let session = client.clone_session();
    assert_eq!(
        values(&client.eval(&session, "(defn kept [x] (* 2 x))")),
        ["#'user/kept"]
    );
    // what eval defines is replayed too
    client.eval(&session, "(eval '(defn kept-by-eval [x] (+ x 1)))");
    let first_node = server.children();
    let replies = client.eval(&session, "(js/process.exit 1)");
    let err = joined(&replies, "err");
    assert!(
        err.contains("The Node runtime exited with status 1")
            && err.contains("A new one is starting"),
        "{err}"
    );
    assert!(all_statuses(&replies).contains(&"eval-error".to_string()));
    // The next eval waits for the new runtime, which must be back within 5 s.
    patient_for(&mut client, Duration::from_secs(5));
    assert_eq!(values(&client.eval(&session, "(kept 21)")), ["42"]);
    assert_eq!(values(&client.eval(&session, "(kept-by-eval 41)")), ["42"]);
    assert_ne!(server.children(), first_node, "a new Node process");
}

#[test]
fn a_runtime_that_runs_out_of_memory_says_so_and_comes_back() {
    let server = headless(&["--node-heap-mb", "64"]);
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(def kept :still-here)");
    let hog = r#"(js/eval "const a = []; while (true) a.push(new Array(1e5).fill(1.5))")"#;
    let err = joined(&client.eval(&session, hog), "err");
    assert!(
        err.contains("ran out of memory")
            && err.contains("limited to 64 MiB")
            && err.contains("--node-heap-mb"),
        "{err}"
    );
    patient_for(&mut client, Duration::from_secs(5));
    assert_eq!(values(&client.eval(&session, "kept")), [":still-here"]);
}

/// A walk to the end of a lazy seq (reduce, count, into, run!, doseq, ...)
/// keeps only the step it is at, as Clojure's does: ten million elements held
/// at once need well over the 64 MiB heap given here.
#[test]
fn walks_over_lazy_seqs_do_not_hold_the_head() {
    let server = headless(&["--node-heap-mb", "64"]);
    let mut client = server.client();
    let session = client.clone_session();
    let seq = "(map inc (range 10000000))";
    client.eval(&session, "(defn total [s] (reduce + s))");
    let cases = [
        (format!("(reduce + {seq})"), "50000005000000"),
        (format!("(let [s {seq}] (reduce + 0 s))"), "50000005000000"),
        (format!("(total {seq})"), "50000005000000"),
        (format!("(count {seq})"), "10000000"),
        (format!("(last {seq})"), "10000000"),
        (format!("(into #{{}} (take 2) {seq})"), "#{1 2}"),
        (
            format!("(transduce (filter odd?) + {seq})"),
            "25000000000000",
        ),
        (format!("(some #{{10000000}} {seq})"), "10000000"),
        (
            format!("(let [a (atom 0)] (run! #(swap! a max %) {seq}) @a)"),
            "10000000",
        ),
        (
            format!("(let [a (atom 0)] (doseq [x {seq}] (reset! a x)) @a)"),
            "10000000",
        ),
    ];
    for (code, value) in cases {
        let replies = client.eval(&session, &code);
        assert_eq!(
            values(&replies),
            [value],
            "{code}: {}",
            joined(&replies, "err")
        );
    }
}

/// Code that never reaches a `recur` cannot be interrupted; past the eval
/// timeout and the interrupt's grace the runtime is ended and a new one
/// started, so the next eval works within the timeout plus 5 s.
#[test]
fn a_stuck_runtime_is_ended_and_the_next_eval_works_within_the_timeout_plus_5_s() {
    let server = headless(&["--eval-timeout", "2"]);
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(defn kept [] :replayed)");
    let started = Instant::now();
    let replies = client.eval(&session, r#"(js/eval "while (true) {}")"#);
    let err = joined(&replies, "err");
    assert!(err.contains("Eval timed out after 2 s"), "{err}");
    assert!(
        err.contains("did not stop") && err.contains("a new Node runtime is starting"),
        "{err}"
    );
    let left = (Duration::from_secs(2 + 5)).saturating_sub(started.elapsed());
    patient_for(&mut client, left);
    assert_eq!(values(&client.eval(&session, "(kept)")), [":replayed"]);
}

#[test]
fn an_interrupt_that_cannot_stop_the_code_ends_the_runtime() {
    let server = headless(&[]);
    let mut client = server.client();
    let session = client.clone_session();
    client.send(&[
        ("op", "eval"),
        ("session", &session),
        ("id", "stuck"),
        ("code", r#"(js/eval "while (true) {}")"#),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    client.send(&[
        ("op", "interrupt"),
        ("session", &session),
        ("interrupt-id", "stuck"),
    ]);
    let replies = client.replies_to("stuck");
    assert!(all_statuses(&replies).contains(&"interrupted".to_string()));
    assert!(
        joined(&replies, "err").contains("did not stop"),
        "{replies:?}"
    );
    patient_for(&mut client, Duration::from_secs(5));
    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
}

/// Replays are batched and evals wait for them: with `--runtime-wait` far
/// shorter than restarting Node and replaying 2,000 definitions, the eval
/// after the exit still runs, on the new runtime, with every definition.
#[test]
fn evals_wait_for_the_replay_of_many_definitions() {
    let server = headless(&["--runtime-wait", "0.2"]);
    let mut client = server.client();
    let session = client.clone_session();
    let defs: Vec<String> = (0..2000)
        .map(|i| format!("(defn v{i} [x] (+ x {i}))"))
        .collect();
    let replies = client.eval(&session, &defs.join(" "));
    assert_eq!(
        values(&replies).len(),
        2000,
        "{:?}",
        joined(&replies, "err")
    );
    client.eval(&session, "(js/process.exit 3)");
    let replies = client.eval(&session, "[(v0 1) (v1999 1)]");
    assert_eq!(
        values(&replies),
        ["[1 2000]"],
        "{:?}",
        joined(&replies, "err")
    );
}

/// The URL Node connects with carries the per-launch token: it goes in
/// Node's environment, which only our user can read, not on its command line.
#[test]
fn the_token_is_not_on_nodes_command_line() {
    let server = headless(&[]);
    let mut client = server.client();
    let session = client.clone_session();
    assert_eq!(values(&client.eval(&session, "1")), ["1"]);
    let nodes = server.children();
    assert_eq!(nodes.len(), 1, "one Node runtime: {nodes:?}");
    let command_line = std::fs::read(format!("/proc/{}/cmdline", nodes[0])).unwrap();
    let command_line = String::from_utf8_lossy(&command_line).replace('\0', " ");
    assert!(command_line.contains("node-main.mjs"), "{command_line}");
    assert!(!command_line.contains(&server.token()), "{command_line}");
    assert_eq!(
        values(&client.eval(
            &session,
            "(some? (.-JANK_WASM_NREPL_URL (.-env js/process)))"
        )),
        ["false"],
        "the runtime's own code does not see it either"
    );
}
