//! The headless runtime: a Node process running the same runtime scripts as
//! the page, connected to our WebSocket. It is killed when the program ends,
//! and exits by itself if the WebSocket closes, so it never outlives us.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tracing::{info, warn};

use super::assets::write_scripts;

/// A running Node runtime; dropping it kills the process and removes its files.
pub struct HeadlessRuntime {
    _child: Child,
    _dir: tempfile::TempDir,
}

/// Writes the runtime scripts to a temporary directory and starts
/// `node --experimental-websocket node-main.mjs <url>`.
pub fn start(node: &str, websocket_url: &str) -> Result<HeadlessRuntime> {
    let dir = tempfile::Builder::new()
        .prefix("jank-wasm-nrepl-")
        .tempdir()
        .context("creating a directory for the headless runtime")?;
    write_scripts(dir.path()).context("writing the runtime's scripts")?;
    let main: PathBuf = dir.path().join("node-main.mjs");
    let mut child = Command::new(node)
        .arg("--experimental-websocket")
        .arg("--no-warnings")
        .arg(&main)
        .arg(websocket_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| {
            format!("starting `{node}` for --headless (is Node.js 20 or newer installed? `apt-get install nodejs`)")
        })?;
    forward_lines(child.stdout.take(), false);
    forward_lines(child.stderr.take(), true);
    info!(pid = child.id(), "headless Node runtime started");
    Ok(HeadlessRuntime {
        _child: child,
        _dir: dir,
    })
}

/// Logs what the Node process prints, line by line.
fn forward_lines(
    stream: Option<impl tokio::io::AsyncRead + Unpin + Send + 'static>,
    is_stderr: bool,
) {
    let Some(stream) = stream else { return };
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if is_stderr {
                warn!(target: "headless", "{line}");
            } else {
                info!(target: "headless", "{line}");
            }
        }
    });
}
