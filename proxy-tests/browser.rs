//! The browser runtime, for real: headless Chromium opens the runtime page,
//! connects over `/repl`, and runs what an nREPL client evaluates. Each test has
//! its own server (no `--headless`, so the page is the only runtime) and its own
//! browser. The last test checks the `/repl` upgrade's security with raw HTTP.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::browser::BrowserRuntime;
use common::start_server;
use jank_wasm_nrepl::testkit::{all_statuses, joined, statuses, values};

#[test]
fn evaluates_in_the_browser() {
    let mut page = BrowserRuntime::start();
    assert_eq!(page.value("(+ 1 2)"), "3");
    let agent = page.value("(.-userAgent js/navigator)");
    assert!(agent.contains("HeadlessChrome"), "{agent}");
    assert_eq!(page.runtime_kinds(), ["browser"]);
}

#[test]
fn changes_the_dom_from_the_editor() {
    let mut page = BrowserRuntime::start();
    page.value("(set! (.-title js/document) \"changed\")");
    assert_eq!(page.value("(.-title js/document)"), "\"changed\"");
    page.value(
        "(let [d (.createElement js/document \"div\")] (set! (.-id d) \"x\") (.appendChild (.-body js/document) d))",
    );
    assert_eq!(
        page.value("(.-id (.getElementById js/document \"x\"))"),
        "\"x\""
    );
    // The rest of the interop surface, in the page.
    assert_eq!(page.value("(.getFullYear (js/Date. 0))"), "1970");
    assert_eq!(page.value("(.. js/document -body -tagName)"), "\"BODY\"");
    assert_eq!(
        page.value("(js->clj (js/JSON.parse \"{\\\"a\\\": [1, 2]}\"))"),
        "{\"a\" [1 2]}"
    );
    assert_eq!(
        page.value("(js/JSON.stringify (clj->js {:a [1 2]}))"),
        "\"{\\\"a\\\":[1,2]}\""
    );
}

#[test]
fn definitions_survive_a_page_reload() {
    let mut page = BrowserRuntime::start();
    assert_eq!(page.value("(defn kept [x] (* 3 x))"), "#'user/kept");
    // Types, protocol extensions, methods and the hierarchy are state too.
    for form in [
        "(defprotocol Shape (area [s]))",
        "(defrecord Sq [side] Shape (area [_] (* side side)))",
        "(extend-type String Shape (area [s] (count s)))",
        "(defmulti describe :kind)",
        "(defmethod describe :circle [_] \"round\")",
        // Evaluated again, defmulti keeps the multimethod and its methods.
        "(defmulti describe :kind)",
        "(derive ::circle ::shape)",
        "(def total (+ (kept 1) (area (->Sq 2))))",
    ] {
        let replies = page.eval(form);
        assert!(joined(&replies, "err").is_empty(), "{form}: {replies:?}");
    }
    let state = "[(kept 5) (area (->Sq 3)) (area \"four\") (describe {:kind :circle}) (isa? ::circle ::shape) total]";
    // Checked against Clojure 1.11.
    let expected = "[15 9 4 \"round\" true 7]";
    assert_eq!(page.value(state), expected);
    let before = page.runtimes();
    let loaded_at = page.value("(.-timeOrigin js/performance)");
    // The page may answer before it unloads, or its eval may end with a
    // disconnect error: either is fine.
    page.eval("(.reload js/location)");
    // Evals now wait for a runtime; poll until one runs in the reloaded page.
    wait_for_reload(
        &mut page,
        &loaded_at,
        "the page did not come back after the reload",
    );
    assert_eq!(page.value(state), expected, "replayed to the new page");
    // The old page's socket closes as it unloads; the reloaded page keeps its
    // runtime id (the tab's instance id survives the reload).
    let deadline = Instant::now() + Duration::from_secs(5);
    while page.runtimes().len() > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(page.runtimes(), before, "one runtime, with the same id");
}

/// A page stuck in code no interrupt reaches: past the eval timeout the
/// server gives up on it, says so, disconnects it and asks it (through its
/// control worker) to reload; once its main thread is free again it reloads
/// and gets every definition replayed.
#[test]
fn a_stuck_page_is_ended_and_reloads_itself_when_it_can() {
    let mut page = BrowserRuntime::start_with(&["--eval-timeout", "1"]);
    assert_eq!(page.value("(defn kept [x] (* 3 x))"), "#'user/kept");
    let loaded_at = page.value("(.-timeOrigin js/performance)");
    // Busy for 6 s without a recur: the interrupt cannot reach it.
    let replies =
        page.eval(r#"(js/eval "const t = Date.now(); while (Date.now() - t < 6000) {}")"#);
    let err = joined(&replies, "err");
    assert!(err.contains("Eval timed out after 1 s"), "{err}");
    assert!(
        err.contains("did not stop") && err.contains("asked to reload itself"),
        "{err}"
    );
    wait_for_reload(&mut page, &loaded_at, "the page did not reload");
    assert_eq!(
        page.value("(kept 5)"),
        "15",
        "replayed to the reloaded page"
    );
}

#[test]
fn interrupts_a_runaway_loop_in_the_browser() {
    let mut page = BrowserRuntime::start();
    assert_eq!(
        page.value("js/crossOriginIsolated"),
        "true",
        "the page needs cross-origin isolation (SharedArrayBuffer) to be interrupted"
    );
    page.value("(defn still-here [x] (* 2 x))");
    let session = page.session.clone();
    page.client.send(&[
        ("op", "eval"),
        ("code", "(loop [] (recur))"),
        ("session", &session),
        ("id", "runaway"),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let replies = page.client.request(&[
        ("op", "interrupt"),
        ("session", &session),
        ("interrupt-id", "runaway"),
    ]);
    assert_eq!(statuses(&replies[0]), ["done"], "{replies:?}");
    let interrupted = page.client.replies_to("runaway");
    let took = started.elapsed();
    assert!(
        all_statuses(&interrupted).contains(&"interrupted".to_string()),
        "{interrupted:?}"
    );
    // The server says so on `err` when it could not reach the page's control
    // channel, or the page did not stop.
    let err = joined(&interrupted, "err");
    assert!(err.is_empty(), "the loop did not stop cleanly: {err}");
    // Had the loop kept running, the next eval would wait behind it forever; the
    // time it took is only reported (speed is for benchmarks, not assertions).
    eprintln!("the browser loop stopped {took:?} after the interrupt was sent");
    assert_eq!(page.value("(still-here 21)"), "42");
}

#[test]
fn output_and_input_cross_the_browser() {
    let mut page = BrowserRuntime::start();
    let replies = page.eval("(println \"from the browser\")");
    assert_eq!(joined(&replies, "out"), "from the browser\n", "{replies:?}");
    assert_eq!(values(&replies), ["nil"]);
    // read-line asks the editor for input through the page's control worker
    // (the page's main thread may not block, so it spins until input comes).
    assert_eq!(
        page.read_line("typed in the editor\n"),
        "\"typed in the editor\""
    );
}

#[test]
fn code_in_the_page_asks_the_compiler() {
    let mut page = BrowserRuntime::start();
    // The page's main thread waits (spinning) for the compiler's answer over the
    // control worker, and compiles the patch it gets synchronously, however big.
    assert_eq!(page.value("(eval (list '+ 1 2))"), "3");
    assert_eq!(
        page.value("(count (eval (cons 'vector (range 3000))))"),
        "3000"
    );
    // A macro the compiler meets while compiling for eval runs in the page as a step.
    page.value("(defmacro twice [x] (list 'do x x))");
    page.value("(def hits (atom 0))");
    assert_eq!(page.value("(eval '(twice (swap! hits inc)))"), "2");
    assert_eq!(page.value("(load-string \"(def ls 20) (+ ls 1)\")"), "21");
    assert_eq!(page.value("(find-var 'user/ls)"), "#'user/ls");
    assert_eq!(page.value("(macroexpand '(twice y))"), "(do y y)");
}

// --- the /repl upgrade's security, over raw HTTP --------------------------------------------

/// The RFC 6455 example key and the accept value it must produce.
const WS_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const WS_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// Sends `request` to the HTTP port and returns the response head (and
/// whatever body arrived with it, up to the server closing or a 101's head).
fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects to the HTTP port");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(e) => panic!("no complete response to {request:?}: {e}; got {response:?}"),
        }
        // A 101 leaves the connection open (waiting for our hello).
        if response.starts_with(b"HTTP/1.1 101") && response.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    String::from_utf8_lossy(&response).into_owned()
}

fn upgrade(path: &str, host: &str, origin: Option<&str>) -> String {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

#[test]
fn runtime_socket_needs_token_host_and_origin() {
    let server = start_server(&[]);
    let port = server.http_port;
    let token = server.token();
    let ours = format!("127.0.0.1:{port}");
    let our_origin = format!("http://{ours}");
    let good_path = format!("/repl?token={token}");
    let refused = [
        (
            "wrong token",
            upgrade("/repl?token=nope", &ours, Some(&our_origin)),
        ),
        ("no token", upgrade("/repl", &ours, Some(&our_origin))),
        (
            "foreign origin",
            upgrade(&good_path, &ours, Some("http://evil.example")),
        ),
        (
            "foreign host",
            upgrade(&good_path, &format!("evil.example:{port}"), None),
        ),
        (
            "foreign host with its own origin",
            upgrade(
                &good_path,
                &format!("evil.example:{port}"),
                Some(&format!("http://evil.example:{port}")),
            ),
        ),
    ];
    for (what, request) in refused {
        let response = http(port, &request);
        assert!(response.starts_with("HTTP/1.1 403"), "{what}: {response:?}");
    }
    let accepted = http(port, &upgrade(&good_path, &ours, Some(&our_origin)));
    assert!(accepted.starts_with("HTTP/1.1 101"), "{accepted:?}");
    assert_eq!(header(&accepted, "Sec-WebSocket-Accept"), Some(WS_ACCEPT));

    let page = http(
        port,
        &format!("GET / HTTP/1.1\r\nHost: {ours}\r\nConnection: close\r\n\r\n"),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page:?}");
    assert!(
        header(&page, "Content-Type").is_some_and(|t| t.starts_with("text/html")),
        "{page:?}"
    );
    assert!(
        page.contains("<script type=\"module\" src=\"/page.js\">"),
        "{page:?}"
    );
    // What makes the page cross-origin isolated (SharedArrayBuffer: interrupts).
    assert_eq!(
        header(&page, "Cross-Origin-Opener-Policy"),
        Some("same-origin")
    );
    assert_eq!(
        header(&page, "Cross-Origin-Embedder-Policy"),
        Some("require-corp")
    );
    let missing = http(
        port,
        &format!("GET /nope HTTP/1.1\r\nHost: {ours}\r\nConnection: close\r\n\r\n"),
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing:?}");
}

/// With timings asked for, the page shows where each eval's time went.
#[test]
fn the_page_shows_timings() {
    let mut page = BrowserRuntime::start();
    let session = page.client.clone_session();
    let replies = page.client.request(&[
        ("op", "eval"),
        ("code", "(+ 1 2)"),
        ("session", &session),
        ("timings", "true"),
    ]);
    assert_eq!(values(&replies), ["3"]);
    let timings = |shown: &str| {
        shown.contains("compile") && shown.contains("transfer") && shown.contains("run")
    };
    let query = "(some-> (.querySelector js/document \".timings\") .-textContent)";
    let shown = page.value_when(query, timings);
    assert!(timings(&shown), "{shown}");
}

/// The page lists what was evaluated on it, not only the values.
#[test]
fn the_page_shows_what_was_evaluated() {
    let mut page = BrowserRuntime::start();
    assert_eq!(page.value("(defn shown [x] (* x 2))"), "#'user/shown");
    let sources = page.value_when(
        "(mapv #(.-textContent %) (js/Array.from (.querySelectorAll js/document \"pre.source\")))",
        |sources| sources.contains("(defn shown [x] (* x 2))"),
    );
    assert!(sources.contains("(defn shown [x] (* x 2))"), "{sources}");
}

/// A project started with `--main`: the page and Node run it with no editor
/// attached, a save changes what both run, and a save that does not compile
/// is shown over the page while the old code keeps running.
#[test]
fn a_save_changes_what_the_page_and_node_run() {
    let dir = tempfile::Builder::new()
        .prefix("jank-page-project-")
        .tempdir()
        .unwrap();
    let greet = dir.path().join("src/my/greet.cljs");
    std::fs::create_dir_all(greet.parent().unwrap()).unwrap();
    std::fs::write(&greet, "(ns my.greet)\n(defn greeting [] \"hello v1\")\n").unwrap();
    std::fs::write(
        dir.path().join("src/my/app.cljs"),
        "(ns my.app (:require [my.greet :as g]))\n\
         (defn render! []\n\
           (when-let [doc (.-document js/globalThis)]\n\
             (let [el (or (.getElementById doc \"greeting\")\n\
                          (let [d (.createElement doc \"div\")]\n\
                            (set! (.-id d) \"greeting\")\n\
                            (.appendChild (.-body doc) d)\n\
                            d))]\n\
               (set! (.-textContent el) (g/greeting)))))\n\
         (render!)\n",
    )
    .unwrap();
    let mut page = BrowserRuntime::start_in(&["--headless", "--main", "my.app"], Some(dir.path()));
    let shown = "(some-> (.getElementById js/document \"greeting\") .-textContent)";
    page_shows(&mut page, shown, "\"hello v1\"");
    let node = page
        .runtimes()
        .into_iter()
        .find(|(_, kind)| kind == "node")
        .expect("the headless Node runtime")
        .0;
    let on_node = page.client.clone_session();
    page.client.request(&[
        ("op", "select-runtime"),
        ("session", &on_node),
        ("runtime-id", &node.to_string()),
    ]);
    let greeting_on_node =
        |page: &mut BrowserRuntime| values(&page.client.eval(&on_node, "(my.greet/greeting)"));
    assert_eq!(greeting_on_node(&mut page), ["\"hello v1\""]);

    std::fs::write(&greet, "(ns my.greet)\n(defn greeting [] \"hello v2\")\n").unwrap();
    page_shows(&mut page, shown, "\"hello v2\"");
    assert_eq!(greeting_on_node(&mut page), ["\"hello v2\""]);

    std::fs::write(
        &greet,
        "(ns my.greet)\n(defn greeting []\n  (undefined-x))\n",
    )
    .unwrap();
    let problem = "(let [p (.getElementById js/document \"reload-problem\")] (if (.-hidden p) :hidden (.-textContent p)))";
    let text = page_shows(&mut page, problem, "Unable to resolve symbol: undefined-x");
    assert!(text.contains("src/my/greet.cljs:3:3"), "{text}");
    assert_eq!(page.value(shown), "\"hello v2\"");
    assert_eq!(page.value("(my.greet/greeting)"), "\"hello v2\"");
    assert_eq!(greeting_on_node(&mut page), ["\"hello v2\""]);

    std::fs::write(&greet, "(ns my.greet)\n(defn greeting [] \"hello v3\")\n").unwrap();
    page_shows(&mut page, shown, "\"hello v3\"");
    assert_eq!(page.value(problem), ":hidden");
}

/// Polls the page until an eval runs in a page loaded after the one whose
/// `performance.timeOrigin` was `loaded_at`, failing with `problem` after 30 s.
fn wait_for_reload(page: &mut BrowserRuntime, loaded_at: &str, problem: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let replies = page.eval("(.-timeOrigin js/performance)");
        match values(&replies).first() {
            Some(now) if now != loaded_at => return,
            _ => {}
        }
        assert!(
            Instant::now() < deadline,
            "{problem}: {replies:?}\nchromium log:\n{}",
            page.browser.log_tail()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Evaluates `code` on the page until its value contains `expected` (a
/// reload runs in the background); that value.
fn page_shows(page: &mut BrowserRuntime, code: &str, expected: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = values(&page.eval(code)).pop().unwrap_or_default();
        if value.contains(expected) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "the page never showed {expected:?}; last {value:?}\nchromium log:\n{}",
            page.browser.log_tail()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
