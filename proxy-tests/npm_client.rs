//! A real JavaScript client: the npm registry's `nrepl-client` (installed into
//! `proxy-tests/node-client/` by `npm ci --prefix proxy-tests/node-client`,
//! which `run-all.sh` runs), driven by `proxy-tests/node-client/eval.js`
//! against the real binary with its headless runtime.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::start_server;
use serde_json::Value;

/// Kills the Node client if the test ends before it does.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn npm_nrepl_client_evaluates_and_defines() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("proxy-tests/node-client");
    assert!(
        dir.join("node_modules/nrepl-client").exists(),
        "the npm client is not installed: run `npm ci --prefix proxy-tests/node-client` \
         (run-all.sh does)"
    );
    let server = start_server(&["--headless", "--runtime-wait", "20"]);
    let child = Command::new("node")
        .arg(dir.join("eval.js"))
        .arg(server.nrepl_port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut child = KillOnDrop(child);
    // The client exits once the server has closed the connection it ended.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut exited = None;
    while Instant::now() < deadline {
        exited = child.0.try_wait().expect("wait works");
        if exited.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if exited.is_none() {
        let _ = child.0.kill();
    }
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = exited.unwrap_or_else(|| {
        panic!(
            "the Node client did not exit (a server that keeps the connection open \
             after the client's end() hangs it)\nstdout: {stdout}\nstderr: {stderr}"
        )
    });
    assert!(status.success(), "eval.js failed: {stderr}\n{stdout}");
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("one JSON line from eval.js ({e}): {stdout}\n{stderr}"));

    let session = report["session"].as_str().expect("clone gave a session");
    let check = |key: &str, value: &str| {
        let part = &report[key];
        assert_eq!(part["values"], serde_json::json!([value]), "{key}: {part}");
        assert_eq!(part["status"], serde_json::json!(["done"]), "{key}: {part}");
        assert_eq!(
            part["ids"].as_array().map(Vec::len),
            Some(1),
            "{key}: {part}"
        );
    };
    check("sessionless", "3");
    check("add", "3");
    check("defn", "#'user/npm-sq");
    check("use", "144");
    for key in ["add", "defn", "use"] {
        assert_eq!(
            report[key]["sessions"],
            serde_json::json!([session]),
            "{key}: replies name the cloned session"
        );
    }
    let ops = report["ops"].as_array().expect("describe's ops");
    assert!(ops.contains(&Value::from("eval")), "{ops:?}");
}
