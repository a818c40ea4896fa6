//! The jank toolchain path (`--compiler jank`) with Debian's emscripten.
//!
//! There is no packaged jank, so `proxy-tests/emcc-host/jank-test-double`
//! stands in for the `jank` command (jank's command line, `print-cflags`
//! with host flags in it, `compile-module` evaluating each form and writing
//! C++ in jank's shape, jank's nREPL server), and
//! `proxy-tests/emcc-host/host.cpp`, built here with em++ as a MAIN_MODULE,
//! stands in for the jank runtime bundle.
//! Everything after the jank step is real: the C++ is compiled by emscripten's
//! clang and wasm-ld into a side module, sent over the WebSocket, written into
//! the emscripten FS, `dlopen`ed and run, in Node (with
//! `--no-experimental-fetch`, and with `--headless`) and in headless Chromium.
//!
//! Also: a restarted runtime gets the side modules replayed, a killed jank
//! is started again and knows the earlier evals, the patch cache is reused by
//! the next server, host flags from `print-cflags` never reach emscripten's
//! clang (and show in the debug log), a patch's `throw` is caught by the
//! bundle, and missing tools and a jank that does not fit emscripten are
//! named at start.
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
use jank_wasm_nrepl::testkit::{
    Browser, Client, Msg, ServerProcess, all_statuses, joined, text, values,
};

const HOST_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proxy-tests/emcc-host");

fn double() -> String {
    format!("{HOST_DIR}/jank-test-double")
}

/// The test host bundle, built with em++ the first time a test needs it.
fn host_bundle() -> &'static Path {
    static BUNDLE: OnceLock<PathBuf> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let sources = [
            "host.cpp",
            "lib/jank/0.1/include/jank/prelude.hpp",
            "build-host.sh",
        ]
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
fn jank_server(extra: &[&str]) -> ServerProcess {
    jank_server_caching_in(patch_cache(), extra)
}

fn jank_server_caching_in(cache: &Path, extra: &[&str]) -> ServerProcess {
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
    fn start(server: &ServerProcess) -> NodeRuntime {
        let dir = tempfile::tempdir().expect("a directory for the runtime scripts");
        jank_wasm_nrepl::bridge::assets::write_scripts(dir.path()).expect("write the scripts");
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
    server: ServerProcess,
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

    fn with(
        server: ServerProcess,
        node: Option<NodeRuntime>,
        browser: Option<Browser>,
    ) -> JankRepl {
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
    // Printed once: jank printed it too, while compiling, but that goes to
    // the server's debug log, not to the eval's output.
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
    // jank runs every form while compiling it: a throw fails the compile,
    // and the runtime never sees the eval.
    let err = repl.compile_error("(throw \"boom\")");
    assert!(
        err.contains("running the eval failed: \"boom\"")
            && err.contains("runtime/unable-to-load-module"),
        "{err}"
    );
    assert_eq!(
        repl.value("(multi)"),
        ":none",
        "the session goes on after a throw"
    );
    // A new runtime gets the side modules replayed.
    repl.restart_node();
    assert_eq!(repl.value("(ggg 10)"), "59");
    assert_eq!(repl.value("(multi 1)"), "1");
}

#[test]
fn a_new_runtime_gets_every_eval_replayed_in_order() {
    let mut repl = JankRepl::node();
    repl.value("(def a 1)");
    repl.value("(def b (inc a))");
    repl.value("(def a 10)");
    // Defines c, though not by a top-level def: only its loader knows.
    repl.value("(do (def c (+ a b)))");
    assert_eq!(repl.value("(str a \" \" b \" \" c)"), "\"10 2 12\"");
    repl.restart_node();
    // b was computed from the a of the first eval, which a later one
    // replaced: the new runtime must run that one too, before b's.
    assert_eq!(
        repl.value("(str a \" \" b \" \" c)"),
        "\"10 2 12\"",
        "the new runtime is where the old one was"
    );
}

#[test]
fn redefinition_is_seen_by_an_existing_caller() {
    let mut repl = JankRepl::headless();
    repl.value("(defn ggg [v] (+ v 49))");
    assert_eq!(repl.value("(defn hhh [v] (ggg v))"), "#'user/hhh");
    assert_eq!(repl.value("(hhh 10)"), "59");
    assert_eq!(repl.value("(defn ggg [v] (+ v 1000))"), "#'user/ggg");
    assert_eq!(repl.value("(hhh 10)"), "1010", "hhh calls the new ggg");
    // A new jank process would number its fns as the first did: each patch
    // must still run its own code whatever its names.
    repl.value("(defn ggg [v] (* v 3))");
    assert_eq!(repl.value("(hhh 10)"), "30");
    // Namespaces: the session follows `ns`, and jank knows the vars of each.
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
    assert_eq!(
        jank,
        "Syntax error compiling at (REPL:2:4).\nThe symbol `nope` could not be resolved.\n 2 |   (nope 1)\n   |    ^^^^ Found here.\n(analyze/unresolved-symbol: https://book.jank-lang.org/reference/error/analyze/unresolved-symbol.html)\n"
    );
    // A position on the last form's line points into the eval's text (the
    // module wraps that form to keep its value).
    let wrapped = repl.compile_error("(str (nope))");
    assert!(
        wrapped.starts_with("Syntax error compiling at (REPL:1:7).")
            && wrapped.contains(" 1 | (str (nope))\n   |       ^^^^ Found here."),
        "{wrapped}"
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

#[test]
fn an_eval_compiled_again_comes_from_the_cache() {
    // jank numbers what it makes with a counter that only grows: the
    // compile server moves it to a new base for each compile, and the cache
    // keys on the C++ with the numbers counted from that base.
    let cache = tempfile::tempdir().expect("a cache directory");
    let count = || std::fs::read_dir(cache.path()).map_or(0, |d| d.count());
    let server = jank_server_caching_in(cache.path(), &["--headless"]);
    let mut repl = JankRepl::with(server, None, None);
    assert_eq!(
        repl.value("(defn kept [x] (let [y x] (str y :cached)))"),
        "#'user/kept"
    );
    repl.value("(defn kept [x] (let [y x] (str y :other)))");
    assert_eq!(repl.value("(kept 1)"), "\"1:other\"");
    assert_eq!(count(), 3);
    assert_eq!(
        repl.value("(defn kept [x] (let [y x] (str y :cached)))"),
        "#'user/kept"
    );
    assert_eq!(
        repl.value("(kept 1)"),
        "\"1:cached\"",
        "the cached patch ran again"
    );
    assert_eq!(count(), 3, "both evals came from the cache");
    assert_eq!(repl.value("(kept 2)"), "\"2:cached\"");
    assert_eq!(count(), 4, "a different eval is a different patch");
}

/// The double's `print-cflags`, filtered as the server filters it.
fn filtered_cflags() -> jank_wasm_nrepl::toolchain::cflags::Filtered {
    let output = Command::new(double())
        .arg("print-cflags")
        .output()
        .expect("the double runs");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8_lossy(&output.stdout);
    jank_wasm_nrepl::toolchain::cflags::filter(&printed, Path::new(&double()), &[])
}

#[test]
fn host_flags_from_print_cflags_never_reach_emscriptens_clang() {
    use jank_wasm_nrepl::toolchain::{emcc, patch_flags};
    let filtered = filtered_cflags();
    let host_headers = format!("{HOST_DIR}/host-headers");
    assert!(
        filtered.dropped.iter().any(|f| f.contains(&host_headers)),
        "the double prints host include dirs: {:?}",
        filtered.dropped
    );
    let dir = tempfile::tempdir().expect("a probe directory");
    let commands = emcc::probe(
        Path::new("emcc"),
        &patch_flags(&filtered.kept, &[]),
        dir.path(),
    )
    .expect("emcc runs with the kept flags");
    let compile = commands.compile.describe();
    let link = commands.link.describe();
    let clang_args: Vec<&str> = compile.split('\u{1f}').collect();
    for (i, arg) in clang_args.iter().enumerate() {
        let include_of =
            |flag: &str| (*arg == flag).then(|| clang_args.get(i + 1).copied().unwrap_or_default());
        let host_include = ["-I", "-isystem"]
            .iter()
            .filter_map(|flag| include_of(flag))
            .any(|dir| !dir.ends_with("lib/jank/0.1/include"));
        let host = host_include
            || arg.contains(&host_headers)
            || arg.contains("x86_64")
            || *arg == "-femulated-tls"
            || arg.contains("GC_THREADS")
            || arg.contains("POINTER_MASK")
            || arg.contains("/build/jank");
        assert!(!host, "{arg} reached clang: {clang_args:?}");
    }
    for host in ["jank-static-runtime", "stdc++", "rpath", "/usr/lib/llvm-19"] {
        assert!(!link.contains(host), "{host} reached wasm-ld: {link}");
    }
    for jank in [
        "lib/jank/0.1/include",
        "JANK_VERSION=\"jank-0.1-alpha-test-double\"",
        "-fwrapv",
    ] {
        assert!(compile.contains(jank), "{jank} is kept: {compile}");
    }
    // And the build itself: the host headers are `#error`s, so every patch
    // the other tests build proves they were not used; this one too.
    let builder = jank_wasm_nrepl::toolchain::build::PatchBuilder::new(
        commands,
        dir.path(),
        jank_wasm_nrepl::toolchain::build::BuilderOptions::default(),
    );
    assert_eq!(builder.prelude_error(), None);
}

#[test]
fn filtered_cflags_are_logged_with_rust_log_debug() {
    let bundle = host_bundle().display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jank-wasm-nrepl"))
        .args([
            "--compiler",
            "jank",
            "--jank",
            &double(),
            "--runtime-bundle",
        ])
        .arg(&bundle)
        .args(["--nrepl-port", "0", "--http-port", "0", "--no-port-file"])
        .env("RUST_LOG", "jank_wasm_nrepl::toolchain=debug")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stderr = child.stderr.take().expect("piped stderr");
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let line = loop {
        match lines_rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(line) if line.contains("filtered for emscripten") => break line,
            Ok(_) => {}
            Err(_) => panic!("no filtered-flags line in the debug log"),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let line = strip_ansi(&line);
    let (kept, dropped) = line.split_once("dropped=").expect("kept and dropped");
    assert!(kept.contains("lib/jank/0.1/include"), "{line}");
    for host in [
        "-femulated-tls",
        "-DGC_THREADS",
        "host-headers",
        "--target=x86_64-pc-linux-gnu",
        "-ljank-static-runtime",
    ] {
        assert!(dropped.contains(host), "{host} shown as dropped: {line}");
        assert!(!kept.contains(host), "{host} not kept: {line}");
    }
}

/// `text` without terminal colour codes (the log colours its fields).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars
                .by_ref()
                .take_while(|c| !c.is_ascii_alphabetic())
                .for_each(drop);
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_double_follows_janks_command_line() {
    let dir = tempfile::tempdir().expect("a module directory");
    std::fs::write(dir.path().join("m.jank"), "(ns m)\n(defn f [] (nope))\n").unwrap();
    std::fs::write(dir.path().join("ok.jank"), "(ns ok)\n(def x 1)\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(double())
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("the double runs")
    };
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    // util/cli.cpp: --name is a bare file name; --module-path takes its value apart.
    let named = run(&[
        "compile-module",
        "--output-target",
        "cpp",
        "--name",
        "a/b.cpp",
        "ok",
    ]);
    assert_eq!(named.status.code(), Some(1));
    assert_eq!(
        stderr(&named),
        "error: The argument to --name must be a file name, not a directory.\n"
    );
    let joined = run(&["--module-path=.", "compile-module", "ok"]);
    assert_eq!(
        stderr(&joined),
        "error: Invalid command '--module-path=.'.\n"
    );
    // Without --name, the build dir: target/_cache/<binary version>/<module>.cpp.
    let default = run(&[
        "--module-path",
        ".",
        "compile-module",
        "--output-target",
        "cpp",
        "ok",
    ]);
    assert!(default.status.success(), "{default:?}");
    let cpp = std::fs::read_to_string(dir.path().join("target/_cache/test-double-1/ok.cpp"))
        .expect("jank's default output path");
    for shape in [
        "#include <jank/prelude.hpp>\nnamespace ok {",
        "jank::runtime::var_ref clojure_core_SLASH_in_ns_",
        "extern \"C\" jank::runtime::object_ref jank_load_ok_0(jank::runtime::object_ref const jank_load_ok)",
        "extern \"C\" void jank_load_ok(){jank_ns_intern_c(\"ok\");jank_ns_set_symbol_counter(\"ok\", ",
        "GC_add_roots(&ok::",
        "(_jank_var_owned(\"ok/x\"))",
        "new (&ok::clojure_core_SLASH_in_ns_",
    ] {
        assert!(cpp.contains(shape), "{shape} in:\n{cpp}");
    }
    // Errors: jank's report, on stdout, and status 1.
    let failed = run(&[
        "--module-path",
        ".",
        "compile-module",
        "--output-target",
        "cpp",
        "--name",
        "m.cpp",
        "m",
    ]);
    assert_eq!(failed.status.code(), Some(1));
    let report = String::from_utf8_lossy(&failed.stdout);
    assert!(
        report.starts_with("─ analyze/unresolved-symbol ─")
            && report.contains("error: The symbol `nope` could not be resolved.")
            && report.contains("  2  │ (defn f [] (nope))\n     │             ^^^^ Found here."),
        "{report}"
    );
    assert!(
        !dir.path().join("m.cpp").exists(),
        "no C++ for a failed module"
    );
}

#[test]
fn versions_that_do_not_fit_are_named_at_start() {
    // A jank installed with upstream jank's 64-bit assumption in its headers
    // (jtl/primitive.hpp), as a copy of the double in an install layout.
    let install = tempfile::tempdir().expect("an install directory");
    let bin = install.path().join("bin");
    let include = bin.join("lib/jank/0.1/include/jank");
    std::fs::create_dir_all(&include).unwrap();
    std::fs::copy(double(), bin.join("jank")).unwrap();
    std::fs::write(
        include.join("prelude.hpp"),
        "namespace jtl\n{\n  using uptr = unsigned long long;\n  static_assert(sizeof(uptr) == sizeof(void *));\n}\n",
    )
    .unwrap();
    let jank = bin.join("jank").display().to_string();
    let bundle = host_bundle().display().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_jank-wasm-nrepl"))
        .args([
            "--compiler",
            "jank",
            "--jank",
            &jank,
            "--runtime-bundle",
            &bundle,
        ])
        .args(["--nrepl-port", "0", "--http-port", "0", "--no-port-file"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let output =
        jank_wasm_nrepl::testkit::wait_with_timeout(child, std::time::Duration::from_secs(60));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("emscripten cannot compile jank's <jank/prelude.hpp>")
            && stderr.contains("this jank is not a wasm32 build")
            && stderr.contains("static_assert"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing started");
}

/// The jank processes (the double's Python) of the server with pid `server`.
fn jank_processes_of(server: u32) -> Vec<u32> {
    let prefix = format!("jank-wasm-toolchain-{server}-");
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            // The watchdog shell (and its `sleep`) share the directory.
            comm.trim() != "sh"
                && String::from_utf8_lossy(&cmdline).contains("jank-test-double")
                && cwd.to_string_lossy().contains(&prefix)
                && cwd.ends_with("jank")
        })
        .collect()
}

#[test]
fn jank_is_started_again_if_it_dies_and_keeps_earlier_definitions() {
    let mut repl = JankRepl::headless();
    assert_eq!(repl.value("(defn ggg [v] (+ v 49))"), "#'user/ggg");
    let jank = jank_processes_of(repl.server.pid());
    assert_eq!(jank.len(), 1, "one long-lived jank: {jank:?}");
    assert_eq!(repl.value("(ggg 1)"), "50");
    assert_eq!(
        jank_processes_of(repl.server.pid()),
        jank,
        "the same jank compiled it"
    );
    Command::new("kill")
        .args(["-KILL", &jank[0].to_string()])
        .status()
        .expect("kill runs");
    // The next eval starts a new jank, which gets the earlier evals first:
    // it runs `(ggg 10)` while compiling, so it must know ggg.
    assert_eq!(repl.value("(ggg 10)"), "59");
    let again = jank_processes_of(repl.server.pid());
    assert!(again.len() == 1 && again != jank, "a new jank: {again:?}");
    drop(repl);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while Path::new(&format!("/proc/{}", again[0])).exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "jank outlived its server"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_jank_throw_in_a_patch_is_caught_by_the_bundle() {
    use jank_wasm_nrepl::toolchain::build::{BuilderOptions, PatchBuilder};
    use jank_wasm_nrepl::toolchain::{emcc, patch_flags, patch_source};
    let dir = tempfile::tempdir().expect("a build directory");
    let flags = patch_flags(&filtered_cflags().kept, &[]);
    let commands = emcc::probe(Path::new("emcc"), &flags, dir.path()).expect("emcc runs");
    let builder = PatchBuilder::new(commands, dir.path(), BuilderOptions::default());
    // What jank writes for a `throw`: cpp_processor.cpp throws an object_ref.
    let cpp = "#include <jank/prelude.hpp>\nextern \"C\" void jank_load_thrower(){ throw static_cast<jank::runtime::object_ref>(_jank_string(\"from a patch\")); }\n";
    let patch = patch_source(&builder, cpp, None, &[]).expect("a loader");
    let (source, id) = (patch.text, patch.id);
    let built = builder.build(&source, &id).expect("the patch builds");
    std::fs::write(dir.path().join("patch.wasm"), built.wasm.as_slice()).unwrap();
    let entry = jank_wasm_nrepl::toolchain::build::entry_name(&id);
    let script = dir.path().join("load.cjs");
    std::fs::write(
        &script,
        format!(
            "const create = require({glue:?});\n\
             create({{ print: () => {{}}, printErr: () => {{}} }}).then((m) => {{\n\
               m.FS.writeFile('/patch.wasm', require('fs').readFileSync({patch:?}));\n\
               console.log(m.ccall('jank_wasm_load_patch', 'string', ['string', 'string'], ['/patch.wasm', {entry:?}]));\n\
             }});\n",
            glue = host_bundle().join("jank-test-host.js").display().to_string(),
            patch = dir.path().join("patch.wasm").display().to_string(),
        ),
    )
    .unwrap();
    let child = Command::new("node")
        .arg("--no-experimental-fetch")
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let output =
        jank_wasm_nrepl::testkit::wait_with_timeout(child, std::time::Duration::from_secs(60));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "eclojure.lang.ExceptionInfo\nfrom a patch\n",
        "{output:?}"
    );
}
