//! End to end: the real binary with its headless Node runtime, driven by a raw
//! nREPL client, by Debian's `nrepl.cmdline --connect`, and by the shared
//! conformance runner. Every value here was computed by WebAssembly in Node.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{printed_after_prompts, start_server};
use jank_wasm_nrepl::testkit::{self, ServerProcess, all_statuses, joined, values};

fn headless() -> ServerProcess {
    start_server(&["--headless", "--runtime-wait", "20"])
}

#[test]
fn evaluates_defines_and_hot_redefines() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();

    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
    assert_eq!(
        values(&client.eval(&session, "(defn ggg [v] (+ v 49))")),
        ["#'user/ggg"]
    );
    assert_eq!(values(&client.eval(&session, "(ggg 10)")), ["59"]);
    assert_eq!(
        values(&client.eval(&session, "(defn hhh [v] (ggg v))")),
        ["#'user/hhh"]
    );
    assert_eq!(values(&client.eval(&session, "(hhh 10)")), ["59"]);
    client.eval(&session, "(defn ggg [v] (+ v 1000))");
    assert_eq!(
        values(&client.eval(&session, "(hhh 10)")),
        ["1010"],
        "callers see the new ggg"
    );
}

#[test]
fn one_value_per_form_with_ns_and_done() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(def x 40) (+ x 2) (if (< x 50) :small :big)");
    assert_eq!(values(&replies), ["#'user/x", "42", ":small"]);
    assert!(
        replies
            .iter()
            .filter(|r| testkit::text(r, "value").is_some())
            .all(|r| testkit::text(r, "ns").as_deref() == Some("user"))
    );
    assert_eq!(all_statuses(&replies), ["done"]);
}

#[test]
fn closures_let_loop_and_multi_arity() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let code = "(defn adder [n] (fn [x] (+ x n)))
                ((adder 3) 4)
                (let [a 1 b (+ a 1)] (* a b 10))
                (loop [i 0 acc 0] (if (< i 5) (recur (inc i) (+ acc i)) acc))
                (defn m ([] 0) ([a] a) ([a b] (+ a b)))
                [(m) (m 1) (m 1 2)]
                (defn sum-to [n acc] (if (zero? n) acc (recur (dec n) (+ acc n))))
                (sum-to 100 0)";
    let replies = client.eval(&session, code);
    assert_eq!(
        values(&replies),
        [
            "#'user/adder",
            "7",
            "20",
            "10",
            "#'user/m",
            "[0 1 3]",
            "#'user/sum-to",
            "5050"
        ],
        "{replies:?}"
    );
}

#[test]
fn runtime_errors_stop_the_eval_and_keep_earlier_forms() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(def kept 1) (/ 1 0) (def never 2)");
    assert_eq!(values(&replies), ["#'user/kept"]);
    let err = joined(&replies, "err");
    assert!(err.contains("Divide by zero"), "{err}");
    assert!(err.contains("ArithmeticException"), "{err}");
    let statuses = all_statuses(&replies);
    assert!(statuses.contains(&"eval-error".to_string()));
    assert_eq!(statuses.last().map(String::as_str), Some("done"));
    assert_eq!(values(&client.eval(&session, "kept")), ["1"]);
    let err = joined(&client.eval(&session, "never"), "err");
    assert!(err.contains("Unable to resolve symbol: never"), "{err}");
}

/// Where jank and JVM Clojure differ, jank's way (no JVM corpus can hold
/// these): any value can be thrown, and `:default` catches everything.
#[test]
fn any_value_can_be_thrown_and_default_catches_it() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let caught = "[(try (throw :oops) (catch :default e [:caught e])) (try (/ 1 0) (catch :default e (ex-message e))) (try (throw {:a 1}) (catch Exception e :not-an-exception) (catch :default e e))]";
    assert_eq!(
        values(&client.eval(&session, caught)),
        ["[[:caught :oops] \"Divide by zero\" {:a 1}]"]
    );
    let err = joined(&client.eval(&session, "(throw :oops)"), "err");
    assert!(err.contains(":oops"), "{err}");
}

#[test]
fn output_goes_to_the_eval_that_printed_it() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(println \"hello\" 42) :after");
    assert_eq!(joined(&replies, "out"), "hello 42\n");
    assert_eq!(values(&replies), ["nil", ":after"]);
}

#[test]
fn namespaces_follow_the_session() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(ns my.app) (defn f [] :a)");
    assert_eq!(values(&replies), ["nil", "#'my.app/f"]);
    assert_eq!(testkit::text(&replies[1], "ns").as_deref(), Some("my.app"));
    assert_eq!(values(&client.eval(&session, "(f)")), [":a"]);
    let other = client.clone_session();
    assert_eq!(values(&client.eval(&other, "(my.app/f)")), [":a"]);
}

/// The acceptance test: Debian's nREPL command-line client, typing at
/// its prompt, sees a redefinition through an existing caller.
#[test]
fn nrepl_cmdline_client_sees_redefinitions() {
    let server = headless();
    let classpath = [
        "/usr/share/java/clojure.jar",
        "/usr/share/java/spec.alpha.jar",
        "/usr/share/java/core.specs.alpha.jar",
        "/usr/share/java/nrepl.jar",
    ];
    for jar in classpath {
        assert!(
            PathBuf::from(jar).exists(),
            "{jar} is missing: run the test setup (proxy-tests/run-all.sh installs libnrepl-clojure)"
        );
    }
    let input = "(defn ggg [v] (+ v 49))\n(ggg 10)\n(defn hhh [v] (ggg v))\n(defn ggg [v] (+ v 1000))\n(hhh 10)\n";
    // nrepl.cmdline 1.0 starts a thread that reads greeting messages from the
    // same response stream its session's `clone` waits on; on a loaded machine
    // that race can leave it stuck before its first prompt. A client that
    // never printed a prompt is started once more.
    let mut attempts = Vec::new();
    for _ in 0..2 {
        let output = run_cmdline(&classpath, server.nrepl_port, input);
        let reached_prompt = String::from_utf8_lossy(&output.stdout).contains("user=> ");
        attempts.push(output);
        if reached_prompt {
            break;
        }
    }
    let output = attempts.last().expect("one attempt at least");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed = printed_after_prompts(&stdout);
    assert_eq!(
        printed,
        ["#'user/ggg", "59", "#'user/hhh", "#'user/ggg", "1010"],
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `nrepl.cmdline --connect` with `input` typed at its prompt.
fn run_cmdline(classpath: &[&str], port: u16, input: &str) -> std::process::Output {
    let mut java = Command::new("java");
    java.args([
        "-cp",
        &classpath.join(":"),
        "clojure.main",
        "-m",
        "nrepl.cmdline",
    ])
    .args([
        "--connect",
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    testkit::run_with_input(&mut java, input.as_bytes(), Duration::from_secs(60))
}

/// The shared conformance corpus's `defn` and `hot-redefine` cases.
#[test]
fn conformance_defn_and_hot_redefine() {
    let server = headless();
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let runner = shared.join("tools/conformance.py");
    let corpus = shared.join("conformance/core.jsonl");
    assert!(
        runner.exists(),
        "{} is missing (../shared comes with the repository's checkout)",
        runner.display()
    );
    for only in ["defn", "hot-redefine"] {
        let output = Command::new("python3")
            .arg(&runner)
            .args(["--port", &server.nrepl_port.to_string()])
            .arg(&corpus)
            .args(["--only", only])
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "--only {only}:\n{stdout}");
        assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    }
}

/// The whole shared conformance corpus, each case as real Clojure prints it.
#[test]
fn conformance_corpus_passes() {
    let server = headless();
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let output = Command::new("python3")
        .arg(shared.join("tools/conformance.py"))
        .args(["--port", &server.nrepl_port.to_string()])
        .arg(shared.join("conformance/core.jsonl"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
}

#[test]
fn interrupt_stops_a_runaway_loop_and_keeps_definitions() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(defn still-here [x] (* 2 x))");
    client.send(&[
        ("op", "eval"),
        ("code", "(loop [] (recur))"),
        ("session", &session),
        ("id", "runaway"),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    let replies = client.request(&[
        ("op", "interrupt"),
        ("session", &session),
        ("interrupt-id", "runaway"),
    ]);
    assert_eq!(testkit::statuses(&replies[0]), ["done"]);
    let interrupted = client.replies_to("runaway");
    assert!(
        all_statuses(&interrupted).contains(&"interrupted".to_string()),
        "{interrupted:?}"
    );
    // Had the loop kept running, this eval would wait behind it forever.
    assert_eq!(values(&client.eval(&session, "(still-here 21)")), ["42"]);
}

#[test]
fn read_line_asks_for_input_and_gets_stdin() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    client.send(&[
        ("op", "eval"),
        ("code", "(str \"got:\" (read-line))"),
        ("session", &session),
        ("id", "reader"),
    ]);
    let first = client.read().expect("a reply");
    assert_eq!(testkit::statuses(&first), ["need-input"]);
    let replies = client.request(&[
        ("op", "stdin"),
        ("stdin", "hello world\n"),
        ("session", &session),
    ]);
    assert_eq!(testkit::statuses(&replies[0]), ["done"]);
    assert_eq!(
        values(&client.replies_to("reader")),
        ["\"got:hello world\""]
    );
}

#[test]
fn output_from_a_callback_goes_to_the_eval_that_installed_it() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    client.send(&[
        ("op", "eval"),
        (
            "code",
            "(js/setTimeout (fn [] (println \"later\")) 50) :installed",
        ),
        ("session", &session),
        ("id", "timer"),
    ]);
    let replies = client.replies_to("timer");
    assert_eq!(
        values(&replies).last().map(String::as_str),
        Some(":installed")
    );
    let late = client
        .read()
        .expect("the timer's output arrives after done");
    assert_eq!(testkit::text(&late, "out").as_deref(), Some("later\n"));
    assert_eq!(testkit::text(&late, "id").as_deref(), Some("timer"));
    assert_eq!(
        testkit::text(&late, "session").as_deref(),
        Some(session.as_str())
    );
}

/// A second Node runtime, started from the repository's assets.
struct ExtraRuntime(std::process::Child);

impl ExtraRuntime {
    fn start(server: &ServerProcess) -> ExtraRuntime {
        let url = format!(
            "ws://127.0.0.1:{}/repl?token={}",
            server.http_port,
            server.token()
        );
        let main = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/node-main.mjs");
        let child = Command::new("node")
            .args(["--experimental-websocket", "--no-warnings", main, &url])
            .stdin(Stdio::null())
            .spawn()
            .expect("node starts");
        ExtraRuntime(child)
    }
}

impl Drop for ExtraRuntime {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The ids of the connected runtimes, polled until there are `count`.
fn runtime_ids(client: &mut testkit::Client, count: usize) -> Vec<i64> {
    testkit::poll_until(Duration::from_secs(10), Duration::from_millis(100), || {
        let ids = client.try_runtime_ids().unwrap_or_else(|e| panic!("{e}"));
        (ids.len() >= count).then_some(ids)
    })
    .unwrap_or_else(|| panic!("{count} runtimes never connected"))
}

#[test]
fn sessions_pinned_to_different_runtimes_never_cross() {
    let server = headless();
    let mut setup = server.client();
    // The headless runtime first, then a second one.
    runtime_ids(&mut setup, 1);
    let _second = ExtraRuntime::start(&server);
    let ids = runtime_ids(&mut setup, 2);

    let mut editors: Vec<(testkit::Client, String)> = ids
        .iter()
        .map(|id| {
            let mut client = server.client();
            let session = client.clone_session();
            let replies = client.request(&[
                ("op", "select-runtime"),
                ("session", &session),
                ("runtime-id", &id.to_string()),
            ]);
            assert_eq!(testkit::statuses(&replies[0]), ["done"], "{replies:?}");
            (client, session)
        })
        .collect();
    for (index, (client, session)) in editors.iter_mut().enumerate() {
        assert_eq!(
            values(&client.eval(session, &format!("(def where {index})"))),
            ["#'user/where"]
        );
    }
    // Both editors send at once; each reply goes to its own editor, from its own runtime.
    for round in 0..20 {
        for (client, session) in editors.iter_mut() {
            client.send(&[
                ("op", "eval"),
                ("code", "where"),
                ("session", session),
                ("id", &format!("r{round}")),
            ]);
        }
        for (index, (client, _)) in editors.iter_mut().enumerate() {
            assert_eq!(
                values(&client.replies_to(&format!("r{round}"))),
                [index.to_string()]
            );
        }
    }
    let (client, session) = &mut editors[0];
    let unknown = client.request(&[
        ("op", "select-runtime"),
        ("session", session),
        ("runtime-id", "999"),
    ]);
    assert!(testkit::statuses(&unknown[0]).contains(&"unknown-runtime".to_string()));
}

/// What CIDER, Calva and lein evaluate on connect and on errors, written for
/// JVM Clojure, answers at once with a value (or a clear error) and `done`.
#[test]
fn editor_init_and_error_evals_work() {
    let server = headless();
    let mut client = server.client();
    let sessionless = client.request(&[("op", "eval"), ("code", "*ns*")]);
    // as Clojure 1.11 prints *ns*
    let printed = values(&sessionless);
    assert!(
        printed.len() == 1 && printed[0].starts_with("#object[clojure.lang.Namespace 0x"),
        "Calva's first eval: {printed:?}"
    );
    let session = client.clone_session();
    let cider = "(when-let [requires (resolve 'clojure.main/repl-requires)]\n  (clojure.core/apply clojure.core/require @requires))";
    assert_eq!(values(&client.eval(&session, cider)), ["nil"]);
    let lein = "(clojure.core/binding [clojure.core/*ns* (clojure.core/or (clojure.core/find-ns (clojure.core/symbol \"reply.eval-modes.nrepl\")) clojure.core/*ns*)] (set! *print-length* nil))";
    assert_eq!(values(&client.eval(&session, lein)), ["nil"]);

    assert_eq!(values(&client.eval(&session, "(+ 40 2)")), ["42"]);
    assert_eq!(values(&client.eval(&session, "[*1 (inc *1)]")), ["[42 43]"]);
    client.eval(&session, "(throw (ex-info \"boom\" {:a 1}))");
    assert_eq!(
        values(&client.eval(&session, "(ex-message *e)")),
        ["\"boom\""]
    );
    let trace = client.eval(
        &session,
        "(require 'clojure.stacktrace) (clojure.stacktrace/print-cause-trace *e)",
    );
    assert_eq!(
        joined(&trace, "out"),
        "clojure.lang.ExceptionInfo: boom {:a 1}\n"
    );

    let doc = joined(&client.eval(&session, "(doc map)"), "out");
    assert!(
        doc.starts_with("-------------------------\nclojure.core/map\n([f] [f coll]"),
        "{doc}"
    );
    assert_eq!(
        values(&client.eval(
            &session,
            "(require '[clojure.string :as s]) (s/upper-case \"ok\")"
        )),
        ["nil", "\"OK\""]
    );
}

/// `defmacro`: the runtime runs the macro on the call's forms, the compiler
/// compiles the expansion (recursive macros and syntax-quote included).
#[test]
fn user_macros_expand_by_running_on_the_runtime() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let code = "(defmacro unless [test & body] `(if ~test nil (do ~@body)))
                (unless false 1 2 3)
                (defmacro my-and ([] true) ([x] x) ([x & next] `(let [and# ~x] (if and# (my-and ~@next) and#))))
                [(my-and 1 2 3) (my-and 1 nil 3)]
                (defn sign [x] (unless (pos? x) :not-positive))
                (sign -1)";
    assert_eq!(
        values(&client.eval(&session, code)),
        [
            "#'user/unless",
            "3",
            "#'user/my-and",
            "[3 nil]",
            "#'user/sign",
            ":not-positive"
        ]
    );
    let failing = client.eval(
        &session,
        "(defmacro bad [] (throw (ex-info \"nope\" {}))) (bad)",
    );
    let err = joined(&failing, "err");
    assert!(
        err.contains("Syntax error macroexpanding bad at (REPL:1:"),
        "{err}"
    );
    assert!(err.contains("nope"), "{err}");
}

/// An interrupt names one eval: another session's eval running on the same
/// runtime is not stopped by it.
#[test]
fn interrupting_one_session_leaves_another_sessions_eval_alone() {
    let server = headless();
    let mut first = server.client();
    let mut second = server.client();
    let (a, b) = (first.clone_session(), second.clone_session());
    let busy =
        "(let [end (+ (.now js/Date) 1200)] (loop [] (if (< (.now js/Date) end) (recur) :a-done)))";
    first.send(&[("op", "eval"), ("code", busy), ("session", &a), ("id", "a")]);
    std::thread::sleep(Duration::from_millis(200));
    second.send(&[
        ("op", "eval"),
        ("code", "(+ 1 2)"),
        ("session", &b),
        ("id", "b"),
    ]);
    std::thread::sleep(Duration::from_millis(100));
    second.send(&[
        ("op", "interrupt"),
        ("session", &b),
        ("interrupt-id", "b"),
        ("id", "stop-b"),
    ]);
    assert_eq!(
        values(&first.replies_to("a")),
        [":a-done"],
        "session a's eval ran to its end"
    );
    // The interrupt's reply and b's own replies may come in either order.
    let mut finished = Vec::new();
    while finished.len() < 2 {
        let reply = second.read().expect("replies for b and its interrupt");
        if testkit::statuses(&reply).contains(&"done".to_string()) {
            finished.push(testkit::text(&reply, "id").unwrap_or_default());
        }
    }
    finished.sort();
    assert_eq!(finished, ["b", "stop-b"]);
}

#[test]
fn javascript_interop() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let code = "(.-length \"abcd\")
                (.toUpperCase \"abc\")
                (js/Math.max 1 5 3)
                (pos? (.now js/Date))
                (def o (js/Object.))
                (set! (.-answer o) 42)
                (.-answer o)
                (.getTime (js/Date. 5))
                (js->clj (clj->js {:a [1 2]}) :keywordize-keys true)
                (.. \"abc\" toUpperCase (concat \"x\"))";
    assert_eq!(
        values(&client.eval(&session, code)),
        [
            "4",
            "\"ABC\"",
            "5",
            "true",
            "#'user/o",
            "42",
            "42",
            "5",
            "{:a [1 2]}",
            "\"ABCx\""
        ]
    );
}

/// `timings` on a request (or `--timings` for all) puts where the time went
/// in the final reply.
#[test]
fn timings_say_where_an_evals_time_went() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.request(&[
        ("op", "eval"),
        ("code", "(reduce + (range 1000))"),
        ("session", &session),
        ("timings", "true"),
    ]);
    assert_eq!(values(&replies), ["499500"]);
    let done = replies.last().expect("a final reply");
    let Some(jank_wasm_nrepl::nrepl::frame::Frame::Dict(timings)) = done.get(b"timings".as_slice())
    else {
        panic!("timings in the final reply: {done:?}")
    };
    for key in ["compile-us", "transfer-us", "run-us"] {
        let micros = timings.get(key.as_bytes()).and_then(|f| f.as_int());
        assert!(micros.is_some_and(|us| us >= 0), "{key}: {micros:?}");
    }
    let plain = client.eval(&session, "1");
    assert!(
        plain.last().unwrap().get(b"timings".as_slice()).is_none(),
        "only when asked"
    );
}

/// Output is streamed while the code runs: here the eval is still blocked in
/// `read-line` when its earlier output must already have arrived.
#[test]
fn output_streams_while_the_code_still_runs() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    // One form: its output must arrive while it still waits in read-line.
    let code = "(do (println \"before\") (read-line))";
    client.send(&[
        ("op", "eval"),
        ("code", code),
        ("session", &session),
        ("id", "streaming"),
    ]);
    // Output and need-input travel on different sockets, so either may come
    // first; both must come while the eval still waits (else this times out).
    let (mut out, mut asked) = (String::new(), false);
    while !(asked && out == "before\n") {
        let reply = client
            .read()
            .expect("replies while the eval waits for input");
        out.push_str(&testkit::text(&reply, "out").unwrap_or_default());
        asked |= testkit::statuses(&reply).contains(&"need-input".to_string());
    }
    client.request(&[("op", "stdin"), ("stdin", "x\n"), ("session", &session)]);
    assert_eq!(values(&client.replies_to("streaming")), ["\"x\""]);
}

/// A runtime that goes away mid-eval fails that eval at once with a clear
/// error; the editor's connection lives on and later evals use another runtime.
#[test]
fn a_runtime_that_disconnects_mid_eval_fails_the_eval_at_once() {
    let server = headless();
    let mut client = server.client();
    runtime_ids(&mut client, 1);
    let mut doomed = ExtraRuntime::start(&server);
    let doomed_id = runtime_ids(&mut client, 2)[1].to_string();
    let session = client.clone_session();
    // Pinned, the eval waits until the new runtime is ready and runs there.
    client.request(&[
        ("op", "select-runtime"),
        ("session", &session),
        ("runtime-id", &doomed_id),
    ]);
    // it is ready (its replay done) before the eval it is killed in: else, on a slow
    // machine, the kill can come while the eval still waits for it
    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
    client.send(&[
        ("op", "eval"),
        ("code", "(loop [] (recur))"),
        ("session", &session),
        ("id", "cut"),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    let _ = doomed.0.kill();
    let replies = client.replies_to("cut");
    let err = joined(&replies, "err");
    assert!(err.contains("disconnected"), "{err}");
    assert!(all_statuses(&replies).contains(&"eval-error".to_string()));
    client.request(&[("op", "select-runtime"), ("session", &session)]);
    assert_eq!(
        values(&client.eval(&session, "(+ 1 2)")),
        ["3"],
        "the headless runtime takes over"
    );
}

/// `--eval-timeout` ends an eval that runs too long with a clear error and
/// stops the runtime's code, which then takes the next eval.
#[test]
fn an_eval_that_runs_too_long_times_out() {
    let server = start_server(&["--headless", "--runtime-wait", "20", "--eval-timeout", "1"]);
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(loop [] (recur))");
    let err = joined(&replies, "err");
    assert!(err.contains("Eval timed out after 1 s"), "{err}");
    assert_eq!(values(&client.eval(&session, "(+ 1 2)")), ["3"]);
}

#[test]
fn with_out_str_time_and_assert() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    assert_eq!(
        values(&client.eval(&session, "(with-out-str (println \"a\" 1) (print :b))")),
        ["\"a 1\\n:b\""]
    );
    let timed = client.eval(&session, "(time (+ 1 2))");
    assert_eq!(values(&timed), ["3"]);
    assert!(
        joined(&timed, "out").starts_with("\"Elapsed time: "),
        "{timed:?}"
    );
    let failed = joined(
        &client.eval(
            &session,
            "(assert (pos? -1) (str \"must be \" \"positive\"))",
        ),
        "err",
    );
    assert!(failed.contains("(AssertionError)"), "{failed}");
    assert!(
        failed.contains("Assert failed: must be positive\n(pos? -1)"),
        "{failed}"
    );
}

/// An eval of `(vec (range 12))` whose request names `printer`, with a
/// `right-margin` print option when `margin` is given (as CIDER sends them).
fn eval_printed_by(
    client: &mut testkit::Client,
    session: &str,
    printer: &str,
    margin: Option<i64>,
) -> Vec<String> {
    use jank_wasm_nrepl::nrepl::frame::Frame;
    let text = |s: &str| Frame::Bytes(s.as_bytes().to_vec());
    let mut fields = std::collections::BTreeMap::new();
    for (key, value) in [
        ("op", "eval"),
        ("id", "printed"),
        ("session", session),
        ("code", "(vec (range 12)) *1"),
        ("nrepl.middleware.print/print", printer),
    ] {
        fields.insert(key.as_bytes().to_vec(), text(value));
    }
    if let Some(margin) = margin {
        let options = [(b"right-margin".to_vec(), Frame::Int(margin))]
            .into_iter()
            .collect();
        fields.insert(
            b"nrepl.middleware.print/options".to_vec(),
            Frame::Dict(options),
        );
    }
    client.send_raw(&Frame::Dict(fields).encode());
    values(&client.replies_to("printed"))
}

#[test]
fn the_print_middleware_s_pretty_printers_lay_values_out_as_pprint_does() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let broken = "[0\n 1\n 2\n 3\n 4\n 5\n 6\n 7\n 8\n 9\n 10\n 11]";
    let flat = "[0 1 2 3 4 5 6 7 8 9 10 11]";
    assert_eq!(
        eval_printed_by(
            &mut client,
            &session,
            "cider.nrepl.pprint/clojure-pprint",
            Some(20)
        ),
        [broken, broken],
        "CIDER's pprint within its right margin; *1 is the value, not its text"
    );
    assert_eq!(
        eval_printed_by(&mut client, &session, "nrepl.util.print/pprint", None),
        [flat, flat],
        "fits within the default margin of 72"
    );
    assert_eq!(
        eval_printed_by(&mut client, &session, "nrepl.util.print/pr", Some(20)),
        [flat, flat],
        "other printers get pr-str's text"
    );
}

#[test]
fn code_the_compiler_cannot_answer_is_told_why() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    // A macro may read what names mean as it expands...
    client.eval(
        &session,
        "(defmacro if-var [s then else] (if (resolve s) then else))",
    );
    assert_eq!(
        values(&client.eval(&session, "[(if-var map :yes :no) (if-var nope :yes :no)]")),
        ["[:yes :no]"]
    );
    // ...but not compile: the compiler is busy with its expansion.
    client.eval(&session, "(defmacro evals [] (eval '(+ 1 2)))");
    let replies = client.eval(&session, "(evals)");
    let err = joined(&replies, "err");
    assert!(err.contains("not compile (eval"), "{err}");
    assert!(values(&replies).is_empty(), "{replies:?}");
    // A callback that runs after its eval ended has no eval to answer it.
    client.eval(&session, "(def seen (atom nil))");
    client.eval(
        &session,
        "(js/setTimeout #(reset! seen (try (eval 1) (catch :default e (ex-message e)))) 0)",
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    while std::time::Instant::now() < deadline {
        seen = values(&client.eval(&session, "@seen")).concat();
        if seen != "nil" {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(seen.contains("only code an eval runs"), "{seen}");
    // And the runtime is fine afterwards.
    assert_eq!(values(&client.eval(&session, "(eval '(* 6 7))")), ["42"]);
}

/// cider-nrepl's `macroexpand` op of a form that uses a user macro expands it
/// on the runtime, where the macro's fn is.
#[test]
fn the_macroexpand_op_expands_user_macros_on_the_runtime() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(
        &session,
        "(defmacro unless [t & body] `(if ~t nil (do ~@body)))",
    );
    let expand = |client: &mut testkit::Client, code: &str, expander: &str| {
        let replies = client.request(&[
            ("op", "macroexpand"),
            ("code", code),
            ("expander", expander),
            ("session", &session),
        ]);
        replies
            .iter()
            .find_map(|r| testkit::text(r, "expansion"))
            .unwrap_or_else(|| panic!("no expansion: {replies:?}"))
    };
    assert_eq!(
        expand(&mut client, "(unless a b)", "macroexpand-1"),
        "(if a nil (do b))"
    );
    assert_eq!(
        expand(&mut client, "(when x (unless a b))", "macroexpand-all"),
        "(if x (do (if a nil (do b))))"
    );
    // core macros still expand in the compiler
    assert_eq!(
        expand(&mut client, "(when a b)", "macroexpand"),
        "(if a (do b))"
    );
}

/// An infinite value is printed up to the print quota and cut off with a
/// marker (and a line on err), instead of printing until the runtime dies.
#[test]
fn an_infinite_value_is_cut_off() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(range)");
    let value = values(&replies).concat();
    assert!(
        value.starts_with("(0 1 2 3") && value.ends_with("..."),
        "{}",
        &value[..60.min(value.len())]
    );
    assert!(
        joined(&replies, "err").contains("cut off after"),
        "{replies:?}"
    );
    assert_eq!(values(&client.eval(&session, "(first *1)")), ["0"]);
}

/// Each nREPL session has its own REPL vars on the shared runtime, as nREPL
/// binds them per session: `*1`, `*e`, `*print-length*`.
#[test]
fn sessions_keep_their_own_repl_vars() {
    let server = headless();
    let mut client = server.client();
    let a = client.clone_session();
    let b = client.clone_session();
    client.eval(&a, ":from-a");
    client.eval(&b, ":from-b");
    assert_eq!(values(&client.eval(&a, "*1")), [":from-a"]);
    assert_eq!(values(&client.eval(&b, "*1")), [":from-b"]);
    client.eval(&a, "(set! *print-length* 2)");
    assert_eq!(values(&client.eval(&a, "(range 5)")), ["(0 1 ...)"]);
    assert_eq!(values(&client.eval(&b, "(range 5)")), ["(0 1 2 3 4)"]);
    client.eval(&a, "(/ 1 0)");
    assert_eq!(values(&client.eval(&b, "*e")), ["nil"]);
    assert_eq!(
        values(&client.eval(&a, "(ex-message *e)")),
        ["\"Divide by zero\""]
    );
    // a macro's expansion reaches the compiler whole, whatever the session prints
    client.eval(&a, "(defmacro five [] '(+ 1 2 3 4 5))");
    assert_eq!(values(&client.eval(&a, "(five)")), ["15"]);
}

/// nREPL's print quota, when a client sends one: the value is cut off there and
/// the reply says so, as nREPL's print middleware does.
#[test]
fn a_client_s_print_quota_cuts_values_off() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.request(&[
        ("op", "eval"),
        ("code", "(range 100)"),
        ("session", &session),
        ("nrepl.middleware.print/quota", "10"),
    ]);
    assert_eq!(values(&replies), ["(0 1 2 3 4"], "{replies:?}");
    assert!(
        all_statuses(&replies).contains(&"nrepl.middleware.print/truncated".to_string()),
        "{replies:?}"
    );
    let replies = client.request(&[
        ("op", "eval"),
        ("code", "(range 3)"),
        ("session", &session),
        ("nrepl.middleware.print/quota", "10"),
    ]);
    assert_eq!(values(&replies), ["(0 1 2)"]);
    assert_eq!(all_statuses(&replies), ["done"]);
}

/// With `nrepl.middleware.print/stream?` a value comes in messages of
/// `buffer-size` characters, then one with its `ns`; `out` comes in messages of
/// at most 1,024 characters. The shapes are what Debian's nREPL 1.0 sends.
#[test]
fn values_stream_in_buffer_sized_messages_and_output_in_1024_character_ones() {
    let server = headless();
    let mut client = server.client();
    let session = client.clone_session();
    let stream = |quota: &'static str| {
        let mut request = vec![
            ("op", "eval"),
            ("code", "(apply str (repeat 3000 \"a\"))"),
            ("session", session.as_str()),
            ("nrepl.middleware.print/stream?", "1"),
            ("nrepl.middleware.print/buffer-size", "1000"),
        ];
        if !quota.is_empty() {
            request.push(("nrepl.middleware.print/quota", quota));
        }
        request
    };
    let replies = client.request(&stream(""));
    let sizes: Vec<usize> = values(&replies).iter().map(String::len).collect();
    assert_eq!(sizes, [1000, 1000, 1000, 2], "{replies:?}");
    assert_eq!(joined(&replies, "ns"), "user");
    assert!(
        replies
            .iter()
            .all(|m| !(m.contains_key(&b"ns"[..]) && m.contains_key(&b"value"[..]))),
        "the ns comes in a message of its own: {replies:?}"
    );
    let replies = client.request(&stream("2500"));
    let sizes: Vec<usize> = values(&replies).iter().map(String::len).collect();
    assert_eq!(sizes, [1000, 1000, 500], "{replies:?}");
    assert_eq!(
        all_statuses(&replies),
        ["nrepl.middleware.print/truncated", "done"]
    );
    let replies = client.eval(&session, "(do (print (apply str (repeat 5000 \"a\"))) 1)");
    let outs: Vec<usize> = replies
        .iter()
        .filter(|m| m.contains_key(&b"out"[..]))
        .map(|m| joined(std::slice::from_ref(m), "out").len())
        .collect();
    assert_eq!(outs, [1024, 1024, 1024, 1024, 904]);
    assert_eq!(values(&replies), ["1"]);
}
