//! Real projects, end to end through the headless Node runtime: namespaces
//! loaded from the source paths by `require`, `load-file`, `load` and
//! `requiring-resolve`; `.cljc` reader conditionals; `:reload` and
//! `:reload-all`; Clojure's wording for cycles and missing namespaces; reads
//! outside the source paths refused; and hot reload when a file is saved
//! (with no editor involved), including a save that does not compile.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jank_wasm_nrepl::testkit::{Client, Msg, ServerProcess, joined, text, values};

/// A project directory with `files` (path, contents) written into it.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("jank-project-")
        .tempdir()
        .expect("a temporary directory");
    for (path, contents) in files {
        write(&dir.path().join(path), contents);
    }
    dir
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

const UTIL: &str = "(ns my.util)\n\n(defn twice\n  \"Doubles.\"\n  [x] (* 2 x))\n";
const APP: &str = "(ns my.app\n  (:require [my.util :as u]))\n\n(defn run [] (u/twice 21))\n";

fn two_namespaces() -> tempfile::TempDir {
    project(&[("src/my/util.clj", UTIL), ("src/my/app.clj", APP)])
}

/// The server started in `dir`, with the headless Node runtime.
fn headless_in(dir: &Path, extra: &[&str]) -> ServerProcess {
    let mut args = vec!["--headless"];
    args.extend_from_slice(extra);
    common::start_server_in(&args, dir)
}

fn value_of(client: &mut Client, session: &str, code: &str) -> String {
    let replies = client.eval(session, code);
    let err = joined(&replies, "err");
    match values(&replies).last() {
        Some(value) if err.is_empty() => value.clone(),
        _ => panic!("{code}: no value; err {err:?}, replies {replies:?}"),
    }
}

fn err_of(client: &mut Client, session: &str, code: &str) -> String {
    let replies = client.eval(session, code);
    let err = joined(&replies, "err");
    assert!(
        !err.is_empty(),
        "{code}: expected an error, got {replies:?}"
    );
    err
}

#[test]
fn require_loads_a_two_namespace_project_from_src() {
    let dir = two_namespaces();
    let server = headless_in(dir.path(), &["--no-watch"]);
    assert!(
        server.banner.iter().any(|l| l == "Source paths: src"),
        "{:?}",
        server.banner
    );
    let mut client = server.client();
    let session = client.clone_session();
    let replies = client.eval(&session, "(require '[my.app :as app])");
    assert_eq!(joined(&replies, "err"), "", "{replies:?}");
    assert_eq!(value_of(&mut client, &session, "(app/run)"), "42");
    // Each namespace once: requiring again loads nothing.
    std::fs::write(dir.path().join("src/my/util.clj"), "(ns my.util) (oops)").unwrap();
    assert_eq!(
        value_of(
            &mut client,
            &session,
            "(do (require 'my.util) (my.util/twice 2))"
        ),
        "4"
    );

    // Jump to definition: the definition's file, line and column.
    let info = client.request(&[
        ("op", "info"),
        ("session", &session),
        ("ns", "user"),
        ("sym", "my.util/twice"),
    ]);
    let file = text(&info[0], "file").expect("a file");
    assert_eq!(
        PathBuf::from(&file),
        dir.path().join("src/my/util.clj").canonicalize().unwrap()
    );
    assert_eq!(int(&info[0], "line"), Some(3));
    assert_eq!(int(&info[0], "column"), Some(1));
    assert_eq!(text(&info[0], "doc").as_deref(), Some("Doubles."));
}

fn int(msg: &Msg, key: &str) -> Option<i64> {
    msg.get(key.as_bytes()).and_then(|f| f.as_int())
}

#[test]
fn load_file_loads_what_the_file_requires_and_keeps_the_session_namespace() {
    let dir = two_namespaces();
    let server = headless_in(dir.path(), &["--no-watch"]);
    let mut client = server.client();
    let session = client.clone_session();
    let path = dir.path().join("src/my/app.clj");
    let replies = client.request(&[
        ("op", "load-file"),
        ("session", &session),
        ("file", APP),
        ("file-path", path.to_str().unwrap()),
        ("file-name", "app.clj"),
    ]);
    assert_eq!(joined(&replies, "err"), "", "{replies:?}");
    assert_eq!(values(&replies), ["#'my.app/run"]);
    let ns: Vec<String> = replies.iter().filter_map(|m| text(m, "ns")).collect();
    assert_eq!(ns, ["user"]);
    let replies = client.eval(&session, "(my.app/run)");
    assert_eq!(values(&replies), ["42"]);
    assert_eq!(text(&replies[0], "ns").as_deref(), Some("user"));

    // A load-file error names the file, line and column.
    let replies = client.request(&[
        ("op", "load-file"),
        ("session", &session),
        ("file", "(ns my.app)\n\n(defn f [] (nope 1))"),
        ("file-path", path.to_str().unwrap()),
    ]);
    let err = joined(&replies, "err");
    assert!(err.contains("app.clj:3:12"), "{err}");

    // A loaded file's top-level forms see it as *file*, and its vars' :file names it.
    let replies = client.request(&[
        ("op", "load-file"),
        ("session", &session),
        ("file", "(ns my.app)\n(def here *file*)"),
        ("file-path", path.to_str().unwrap()),
    ]);
    assert_eq!(joined(&replies, "err"), "", "{replies:?}");
    let value = value_of(
        &mut client,
        &session,
        "(let [m (meta #'my.app/here)] [(= my.app/here (:file m)) (:line m) my.app/here])",
    );
    assert!(
        value.starts_with("[true 2 \"") && value.ends_with("src/my/app.clj\"]"),
        "{value}"
    );
}

#[test]
fn cljc_files_take_the_jank_and_cljs_branches() {
    let dir = project(&[(
        "src/my/shared.cljc",
        "(ns my.shared)\n(def host #?(:clj :jvm :cljs :javascript :default :other))\n\
         (def compiler #?(:jank :jank :cljs :cljs))\n\
         (defn now-type [] #?(:clj (class 1) :cljs (js/typeof (js/Date.now))))\n\
         (def arr #?(:cljs #js [1 2] :default nil))\n",
    )]);
    let server = headless_in(dir.path(), &["--no-watch"]);
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(require 'my.shared)");
    assert_eq!(
        value_of(
            &mut client,
            &session,
            "[my.shared/host my.shared/compiler (.-length my.shared/arr)]"
        ),
        "[:javascript :jank 2]"
    );
}

#[test]
fn reload_and_reload_all_load_again() {
    let dir = two_namespaces();
    let server = headless_in(dir.path(), &["--no-watch"]);
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(require 'my.app)");
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "42");
    let util = dir.path().join("src/my/util.clj");
    std::fs::write(&util, "(ns my.util) (defn twice [x] (* 3 x))").unwrap();
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "42");
    client.eval(&session, "(require 'my.util :reload)");
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "63");
    // :reload of my.app alone leaves my.util as it is; :reload-all loads it too.
    std::fs::write(&util, "(ns my.util) (defn twice [x] (* 4 x))").unwrap();
    client.eval(&session, "(require 'my.app :reload)");
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "63");
    client.eval(&session, "(require 'my.app :reload-all)");
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "84");
    // `use`, `load` and `requiring-resolve`.
    write(
        &dir.path().join("src/my/extra.clj"),
        "(ns my.extra) (defn plus-one [x] (inc x))",
    );
    write(
        &dir.path().join("src/my/more.clj"),
        "(in-ns 'my.extra) (defn plus-two [x] (+ 2 x))",
    );
    assert_eq!(
        value_of(&mut client, &session, "(use 'my.extra) (plus-one 1)"),
        "2"
    );
    assert_eq!(
        value_of(
            &mut client,
            &session,
            "(load \"/my/more\") (my.extra/plus-two 1)"
        ),
        "3"
    );
    assert_eq!(
        value_of(
            &mut client,
            &session,
            "((requiring-resolve 'my.extra/plus-one) 9)"
        ),
        "10"
    );
}

#[test]
fn cycles_missing_namespaces_and_broken_files_are_worded_as_clojure_words_them() {
    let dir = project(&[
        ("src/my/c1.clj", "(ns my.c1 (:require [my.c2]))"),
        ("src/my/c2.clj", "(ns my.c2 (:require [my.c3]))"),
        ("src/my/c3.clj", "(ns my.c3 (:require [my.c1]))"),
        (
            "src/my/needs.clj",
            "(ns my.needs\n  (:require [my.missing]))",
        ),
        (
            "src/my/bad.clj",
            "(ns my.bad)\n\n(defn f [] (undefined-thing 1))",
        ),
        ("src/my/boom.clj", "(ns my.boom)\n(def x 1)\n(/ 1 0)"),
    ]);
    let server = headless_in(dir.path(), &["--no-watch"]);
    let mut client = server.client();
    let session = client.clone_session();
    // The texts below are what Clojure 1.11 prints for the same files.
    assert_eq!(
        err_of(&mut client, &session, "(require 'my.c1)"),
        "Syntax error compiling at (my/c3.clj:1:1).\nCyclic load dependency: [ /my/c1 ]->/my/c3->/my/c2->[ /my/c1 ]\n"
    );
    assert_eq!(
        err_of(&mut client, &session, "(require 'my.bad)"),
        "Syntax error compiling at (my/bad.clj:3:12).\nUnable to resolve symbol: undefined-thing in this context\n"
    );
    assert_eq!(
        err_of(&mut client, &session, "(require 'my.boom)"),
        "Execution error (ArithmeticException) at my.boom/eval (boom.clj:3).\nDivide by zero\n"
    );
    // Clojure names its own file kinds and the classpath; we name ours and the source paths.
    assert_eq!(
        err_of(&mut client, &session, "(require 'my.nothere)"),
        "Execution error (FileNotFoundException) at user/eval (REPL:1).\nCould not locate my/nothere.jank, my/nothere.cljc, my/nothere.clj or my/nothere.cljs on the source paths (src).\n"
    );
    let err = err_of(&mut client, &session, "(require 'my.needs)");
    assert!(
        err.starts_with("Execution error (FileNotFoundException) at my.needs/eval (needs.clj:1).\nCould not locate my/missing.jank"),
        "{err}"
    );
    // A namespace that failed to load is tried again by the next require.
    write(
        &dir.path().join("src/my/bad.clj"),
        "(ns my.bad)\n(defn f [] :fixed)",
    );
    assert_eq!(
        value_of(&mut client, &session, "(require 'my.bad) (my.bad/f)"),
        ":fixed"
    );
}

#[test]
fn nothing_outside_the_source_paths_is_read() {
    let dir = project(&[
        ("src/my/a.clj", "(ns my.a) (def x 1)"),
        ("secret.clj", "(ns secret) (def password \"hunter2\")"),
    ]);
    std::os::unix::fs::symlink(
        dir.path().join("secret.clj"),
        dir.path().join("src/my/link.clj"),
    )
    .unwrap();
    let server = headless_in(dir.path(), &["--no-watch"]);
    let mut client = server.client();
    let session = client.clone_session();
    let err = err_of(&mut client, &session, "(load-file \"/etc/passwd\")");
    assert!(
        err.contains("/etc/passwd is outside the source paths (src)"),
        "{err}"
    );
    let err = err_of(&mut client, &session, "(load-file \"secret.clj\")");
    assert!(err.contains("is outside the source paths"), "{err}");
    let err = err_of(&mut client, &session, "(load \"/../secret\")");
    assert!(
        err.contains("is not a valid name for a source file"),
        "{err}"
    );
    let err = err_of(&mut client, &session, "(require 'my.link)");
    assert!(err.contains("is outside the source paths"), "{err}");
    assert_eq!(
        value_of(&mut client, &session, "(load-file \"src/my/a.clj\") my.a/x"),
        "1"
    );
}

/// Reads the client's messages until one has `key` containing `needle`;
/// everything read on the way.
fn wait_for(client: &mut Client, key: &str, needle: &str) -> Vec<Msg> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let msg = client.read().expect("the connection stays open");
        let found = text(&msg, key).is_some_and(|t| t.contains(needle));
        seen.push(msg);
        if found {
            return seen;
        }
    }
    panic!("no {key} with {needle:?} within 20 s: {seen:?}");
}

#[test]
fn a_save_reloads_the_namespace_and_its_dependents_in_the_runtime() {
    let dir = project(&[
        (
            "src/my/util.clj",
            "(ns my.util)\n(defonce started (atom 0))\n(swap! started inc)\n(defn twice [x] (* 2 x))\n",
        ),
        ("src/my/app.clj", APP),
    ]);
    let server = headless_in(dir.path(), &[]);
    assert!(
        server
            .banner
            .iter()
            .any(|l| l == "Source paths: src; reloading on save"),
        "{:?}",
        server.banner
    );
    let mut client = server.client();
    let session = client.clone_session();
    client.eval(&session, "(require 'my.app)");
    let before = value_of(&mut client, &session, "[(my.app/run) @my.util/started]");
    assert_eq!(before, "[42 1]");

    // An editor that saves through a temporary file renamed over the old one.
    let util = dir.path().join("src/my/util.clj");
    let temporary = dir.path().join("src/my/.util.clj.tmp");
    std::fs::write(
        &temporary,
        "(ns my.util)\n(defonce started (atom 0))\n(swap! started inc)\n(defn twice [x] (* 3 x))\n",
    )
    .unwrap();
    std::fs::rename(&temporary, &util).unwrap();
    let seen = wait_for(&mut client, "out", "Reloaded my.util, my.app in ");
    assert!(
        seen.iter()
            .all(|m| text(m, "session").as_deref() == Some(&session)),
        "{seen:?}"
    );
    // defonce kept its atom; the file's forms ran again.
    assert_eq!(
        value_of(&mut client, &session, "[(my.app/run) @my.util/started]"),
        "[63 2]"
    );

    // A save that does not compile leaves the old code running and says why on err.
    std::fs::write(&util, "(ns my.util)\n(defn twice [x]\n  (* 4 (nope x)))\n").unwrap();
    let seen = wait_for(
        &mut client,
        "err",
        "Syntax error compiling at (my/util.clj:3:8).",
    );
    let err = joined(&seen, "err");
    assert!(
        err.contains("Unable to resolve symbol: nope in this context"),
        "{err}"
    );
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "63");

    // A truncate then a write, twice in a burst: one reload.
    std::fs::write(&util, "").unwrap();
    std::fs::write(&util, "(ns my.util)\n(defn twice [x] (* 5 x))\n").unwrap();
    std::fs::write(&util, "(ns my.util)\n(defn twice [x] (* 5 x))\n").unwrap();
    wait_for(&mut client, "out", "Reloaded my.util, my.app in ");
    assert_eq!(value_of(&mut client, &session, "(my.app/run)"), "105");
    let later = client.read_for(Duration::from_millis(800));
    assert!(
        !joined(&later, "out").contains("Reloaded"),
        "a burst of saves gave more than one reload: {later:?}"
    );
}
