//! The jank toolchain path (`--compiler jank`) with Debian's emscripten.
//!
//! There is no packaged jank, so `proxy-tests/emcc-host/jank-test-double`
//! stands in for the `jank` command (it writes C++ in the shape
//! `compile-module` writes), and `proxy-tests/emcc-host/host.cpp`, built here
//! with em++ as a MAIN_MODULE, stands in for the jank runtime bundle.
//! Everything after the jank step is real: the C++ is compiled by emscripten's
//! clang and wasm-ld into a side module, sent over the WebSocket, written into
//! the emscripten FS, `dlopen`ed and run, in Node (with
//! `--no-experimental-fetch`, and with `--headless`) and in headless Chromium.
//!
//! Also: a restarted runtime gets the side modules replayed, the patch cache
//! is reused by the next server, and missing tools are named at start.
//!
//! The host is built once per source version (under the target directory);
//! patches are cached across the tests of one run (equal sources, equal
//! flags: equal patches), so each distinct patch is compiled once per run.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use common::browser::CONNECT_TIMEOUT;
use common::start_server;
use jank_wasm_nrepl::testkit::{Browser, Client, Msg, Server, all_statuses, joined, text, values};

const HOST_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proxy-tests/emcc-host");

fn double() -> String {
    format!("{HOST_DIR}/jank-test-double")
}

/// The test host bundle, built with em++ the first time a test needs it.
fn host_bundle() -> &'static Path {
    static BUNDLE: OnceLock<PathBuf> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let sources = ["host.cpp", "include/jank/prelude.hpp", "build-host.sh"]
            .map(|f| std::fs::read_to_string(Path::new(HOST_DIR).join(f)).expect("host sources"));
        let digest =
            jank_wasm_nrepl::toolchain::build::digest(&sources.each_ref().map(String::as_str));
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("emcc-host-{}", &digest[..12]));
        if dir.join("jank-test-host.wasm").exists() {
            return dir;
        }
        assert!(
            Command::new("em++").arg("--version").output().is_ok(),
            "em++ is missing: install Debian's emscripten (proxy-tests/run-all.sh does)"
        );
        let building = dir.with_extension(format!("building-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&building);
        let output = Command::new(format!("{HOST_DIR}/build-host.sh"))
            .arg(&building)
            .output()
            .expect("build-host.sh runs");
        assert!(
            output.status.success(),
            "building the test host failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let _ = std::fs::rename(&building, &dir);
        let _ = std::fs::remove_dir_all(&building);
        dir
    })
}

/// The patch cache of this run (emptied at its start, so every run compiles).
fn patch_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("emcc-patch-cache");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a patch cache directory");
        dir
    })
}

/// The server with `--compiler jank`, the test double and the test host.
fn jank_server(extra: &[&str]) -> Server {
    jank_server_caching_in(patch_cache(), extra)
}

fn jank_server_caching_in(cache: &Path, extra: &[&str]) -> Server {
    let (double, bundle) = (double(), host_bundle().display().to_string());
    let cache = cache.display().to_string();
    let wait = CONNECT_TIMEOUT.as_secs().to_string();
    let mut args = vec![
        "--compiler",
        "jank",
        "--jank",
        &double,
        "--runtime-bundle",
        &bundle,
        "--patch-cache",
        &cache,
        "--runtime-wait",
        &wait,
    ];
    args.extend_from_slice(extra);
    start_server(&args)
}

/// A Node runtime like `--headless` starts, but run with
/// `--no-experimental-fetch` (emscripten 3.1.6's loader crashes on Node's fetch
/// of a file path); killed when dropped.
struct NodeRuntime {
    child: Child,
    _dir: tempfile::TempDir,
}

impl NodeRuntime {
    fn start(server: &Server) -> NodeRuntime {
        let dir = tempfile::tempdir().expect("a directory for the runtime scripts");
        for asset in jank_wasm_nrepl::bridge::assets::ASSETS {
            if asset.name.ends_with("js") {
                std::fs::write(dir.path().join(asset.name), asset.body).expect("write a script");
            }
        }
        let url = format!(
            "ws://127.0.0.1:{}/repl?token={}",
            server.http_port,
            server.token()
        );
        let child = Command::new("node")
            .args([
                "--experimental-websocket",
                "--no-experimental-fetch",
                "--no-warnings",
            ])
            .arg(dir.path().join("node-main.mjs"))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node starts");
        NodeRuntime { child, _dir: dir }
    }
}

impl Drop for NodeRuntime {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A session on a jank server with one runtime. Fields drop in order: the
/// runtime before the server.
struct JankRepl {
    client: Client,
    session: String,
    node: Option<NodeRuntime>,
    browser: Option<Browser>,
    server: Server,
}

impl JankRepl {
    /// With a Node runtime run with `--no-experimental-fetch`.
    fn node() -> JankRepl {
        let server = jank_server(&[]);
        let node = NodeRuntime::start(&server);
        JankRepl::with(server, Some(node), None)
    }

    /// With the runtime `--headless` starts.
    fn headless() -> JankRepl {
        JankRepl::with(jank_server(&["--headless"]), None, None)
    }

    /// With headless Chromium showing the runtime page.
    fn chromium() -> JankRepl {
        let server = jank_server(&[]);
        let browser = Browser::open(&server.page_url);
        JankRepl::with(server, None, Some(browser))
    }

    fn with(server: Server, node: Option<NodeRuntime>, browser: Option<Browser>) -> JankRepl {
        let mut client = server.client();
        let session = client.clone_session();
        JankRepl {
            client,
            session,
            node,
            browser,
            server,
        }
    }

    /// Replaces the Node runtime with a new one (which gets the patch log replayed).
    fn restart_node(&mut self) {
        drop(self.node.take());
        // Let the server see the old socket close, so evals wait for the new one.
        std::thread::sleep(std::time::Duration::from_millis(300));
        self.node = Some(NodeRuntime::start(&self.server));
    }

    fn eval(&mut self, code: &str) -> Vec<Msg> {
        let session = self.session.clone();
        self.client.eval(&session, code)
    }

    /// The one value of `code`, failing with its errors (and the browser's log).
    fn value(&mut self, code: &str) -> String {
        let replies = self.eval(code);
        match values(&replies).as_slice() {
            [value] => value.clone(),
            _ => panic!(
                "{code} gave no single value: err {:?}, replies {replies:?}{}",
                joined(&replies, "err"),
                self.browser
                    .as_ref()
                    .map(|b| format!("\nchromium log:\n{}", b.log_tail()))
                    .unwrap_or_default()
            ),
        }
    }

    /// The `err` text of an eval that must fail at compile time.
    fn compile_error(&mut self, code: &str) -> String {
        let replies = self.eval(code);
        assert!(
            values(&replies).is_empty(),
            "{code} had a value: {replies:?}"
        );
        assert_eq!(
            all_statuses(&replies),
            ["eval-error", "done"],
            "{replies:?}"
        );
        joined(&replies, "err")
    }
}

#[test]
fn patch_is_built_and_loaded_in_node() {
    let mut repl = JankRepl::node();
    assert_eq!(repl.value("(defn ggg [v] (+ v 49))"), "#'user/ggg");
    assert_eq!(repl.value("(ggg 10)"), "59");
    let replies = repl.eval("(println \"from a side module\" (ggg 1)) (str \"a\" 1)");
    assert_eq!(
        joined(&replies, "out"),
        "from a side module 50\n",
        "{replies:?}"
    );
    assert_eq!(values(&replies), ["\"a1\""], "the last form's value");
    let multi = "(defn multi ([] :none) ([a] a) ([a & more] (str a more)))";
    assert_eq!(repl.value(multi), "#'user/multi");
    assert_eq!(
        repl.value("(let [f (fn [x] (multi x 2 3))] (f 1))"),
        "\"1(2 3)\""
    );
    let replies = repl.eval("(throw \"boom\")");
    assert!(
        joined(&replies, "err")
            .contains("Execution error (ExceptionInfo) at user/eval (REPL:1).\nboom"),
        "{replies:?}"
    );
    assert_eq!(
        repl.value("(multi)"),
        ":none",
        "the runtime goes on after a throw"
    );
    // A new runtime gets the side modules that defined vars replayed.
    repl.restart_node();
    assert_eq!(repl.value("(ggg 10)"), "59");
    assert_eq!(repl.value("(multi 1)"), "1");
}

#[test]
fn redefinition_is_seen_by_an_existing_caller() {
    let mut repl = JankRepl::headless();
    repl.value("(defn ggg [v] (+ v 49))");
    assert_eq!(repl.value("(defn hhh [v] (ggg v))"), "#'user/hhh");
    assert_eq!(repl.value("(hhh 10)"), "59");
    assert_eq!(repl.value("(defn ggg [v] (+ v 1000))"), "#'user/ggg");
    assert_eq!(repl.value("(hhh 10)"), "1010", "hhh calls the new ggg");
    // Patches define types with the same names (the double numbers them per
    // module): each patch must still run its own code.
    repl.value("(defn ggg [v] (* v 3))");
    assert_eq!(repl.value("(hhh 10)"), "30");
    // Namespaces: the session follows `ns`, and vars are declared for jank there too.
    let replies = repl.eval("(ns other) (defn twice [x] (* 2 x))");
    assert_eq!(values(&replies), ["#'other/twice"]);
    assert_eq!(text(&replies[0], "ns").as_deref(), Some("other"));
    assert_eq!(repl.value("(twice 21)"), "42");
    assert_eq!(repl.value("(user/hhh 1)"), "3");
}

#[test]
fn patch_with_a_missing_import_is_refused() {
    let mut repl = JankRepl::node();
    let err = repl.compile_error(
        "(cpp/raw \"extern \\\"C\\\" int jank_wasm_test_missing(int); static int used = jank_wasm_test_missing(1);\") (+ 1 2)",
    );
    assert!(err.contains("`env:jank_wasm_test_missing`"), "{err}");
    assert!(err.contains("was not sent"), "{err}");
    assert!(err.contains("jank-test-host.wasm"), "{err}");
    assert_eq!(repl.value("(+ 1 2)"), "3", "the runtime was not touched");
}

#[test]
fn compile_errors_are_relayed() {
    let mut repl = JankRepl::node();
    let jank = repl.compile_error("(+ 1 2)\n  (nope 1)");
    assert!(
        jank.starts_with(
            "Syntax error compiling at (REPL:1:1).\nerror: Unable to resolve symbol 'nope'."
        ),
        "{jank}"
    );
    assert!(
        jank.contains("REPL:2:4"),
        "the position in the eval: {jank}"
    );
    let clang = repl.compile_error("(cpp/raw \"int broken = undeclared_thing;\")");
    assert!(
        clang.contains("patch.cpp:")
            && clang.contains("error: use of undeclared identifier 'undeclared_thing'"),
        "{clang}"
    );
    for err in [&jank, &clang] {
        assert!(!err.contains("/tmp/"), "no temporary paths: {err}");
        assert!(!err.contains("warning:"), "errors only: {err}");
    }
    let read = repl.eval("(+ 1");
    assert!(
        joined(&read, "err")
            .starts_with("Syntax error reading source at (REPL:1:1).\nEOF while reading"),
        "{read:?}"
    );
    assert_eq!(repl.value("(+ 1 2)"), "3");
}

#[test]
fn patch_is_loaded_in_chromium() {
    let mut repl = JankRepl::chromium();
    // The first eval waits for the page to connect (--runtime-wait).
    assert_eq!(repl.value("(defn ggg [v] (+ v 49))"), "#'user/ggg");
    assert_eq!(repl.value("(defn hhh [v] (ggg v))"), "#'user/hhh");
    repl.value("(defn ggg [v] (+ v 1000))");
    let replies = repl.eval("(println \"in the page\") (hhh 10)");
    assert_eq!(joined(&replies, "out"), "in the page\n", "{replies:?}");
    assert_eq!(values(&replies), ["1010"]);
}

#[test]
fn missing_tools_are_named_at_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_jank-wasm-nrepl"))
        .args([
            "--compiler",
            "jank",
            "--jank",
            "/nonexistent/jank",
            "--emcc",
            "/nonexistent/emcc",
        ])
        .args(["--nrepl-port", "0", "--http-port", "0", "--no-port-file"])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in [
        "`/nonexistent/jank` was not found",
        "`/nonexistent/emcc` was not found",
        "--runtime-bundle",
    ] {
        assert!(stderr.contains(needle), "{needle} in: {stderr}");
    }
    assert!(
        output.stdout.is_empty(),
        "nothing started: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn patches_are_reused_across_runs() {
    let cache = tempfile::tempdir().expect("a cache directory");
    let count = || std::fs::read_dir(cache.path()).map_or(0, |d| d.count());
    for run in 0..2 {
        let server = jank_server_caching_in(cache.path(), &[]);
        let node = NodeRuntime::start(&server);
        let mut repl = JankRepl::with(server, Some(node), None);
        assert_eq!(repl.value("(defn kept [] :cached)"), "#'user/kept");
        assert_eq!(count(), 1, "run {run}: one patch in the cache");
    }
}
