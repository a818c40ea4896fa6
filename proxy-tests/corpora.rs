//! The project's own conformance corpora (`proxy-tests/corpus/NAME.jsonl`, each
//! built from `NAME.clj` by `tools/corpus.py`): every case passes against the
//! headless server under the shared runner, and every expected value is what a
//! fresh JVM Clojure 1.11 answers (the corpus is built again and compared).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::start_server;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("proxy-tests/corpus")
}

/// Every corpus's JSONL file, with its Clojure source beside it.
fn corpora() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("proxy-tests/corpus")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no corpus in proxy-tests/corpus");
    found
}

fn stdout_of(command: &mut Command) -> (bool, String) {
    let output = command.output().expect("python3 runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

fn shared_runner() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/conformance.py")
}

#[test]
fn our_corpora_pass() {
    for corpus in corpora() {
        // A fresh server for each, as each was built against a fresh Clojure:
        // a corpus's definitions (and `defonce`) must not meet another's.
        let server = start_server(&["--headless", "--runtime-wait", "20"]);
        let (ok, text) = stdout_of(
            Command::new("python3")
                .arg(shared_runner())
                .args(["--port", &server.nrepl_port.to_string()])
                .arg(&corpus),
        );
        assert!(ok, "{}:\n{text}", corpus.display());
        assert!(text.trim_end().ends_with(" passed, 0 failed"), "{text}");
    }
}

/// What `tools/corpus.py` builds from `source` against a fresh JVM Clojure.
fn built_by_clojure(source: &Path, out: &Path) -> String {
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/corpus.py");
    let (ok, text) = stdout_of(Command::new("python3").arg(tool).arg(source).arg(out));
    assert!(ok, "{}: {text}", source.display());
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn our_corpora_are_what_clojure_answers() {
    let scratch = tempfile::tempdir().unwrap();
    for corpus in corpora() {
        let source = corpus.with_extension("clj");
        let rebuilt = built_by_clojure(&source, &scratch.path().join("rebuilt.jsonl"));
        let committed = std::fs::read_to_string(&corpus).unwrap();
        assert!(
            rebuilt == committed,
            "{} is not what Clojure answers for {}: run `python3 tools/corpus.py {} {}`",
            corpus.display(),
            source.display(),
            source.display(),
            corpus.display()
        );
    }
}

/// The portable `clojure.core` vars the server does not know yet, as the
/// shared `core-coverage.py` counts them (the `info` op answers for the rest).
const NOT_YET_IN_CORE: &[&str] = &[];

#[test]
fn the_server_knows_the_portable_clojure_core() {
    let server = start_server(&["--headless", "--runtime-wait", "20"]);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let (ok, text) = stdout_of(
        Command::new("python3")
            .arg(root.join("tools/core-coverage.py"))
            .arg(server.nrepl_port.to_string())
            .arg(root.join("conformance/clojure-core-portable.txt")),
    );
    assert!(ok, "{text}");
    let total = 549;
    let known = total - NOT_YET_IN_CORE.len();
    assert!(
        text.contains(&format!("core coverage: {known}/{total}")),
        "{text}"
    );
    let missing: Vec<&str> = text
        .lines()
        .find(|line| !line.starts_with("core coverage"))
        .map(|line| line.split_whitespace().collect())
        .unwrap_or_default();
    assert_eq!(missing, NOT_YET_IN_CORE, "{text}");
}
