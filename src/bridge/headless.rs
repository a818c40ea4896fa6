//! The headless runtime: a Node process running the same runtime scripts as
//! the page, connected to our WebSocket. The supervisor (`supervisor.rs`)
//! starts these, one at a time; this is one process: how it is started, and
//! how its end is described.
//!
//! The WebSocket URL carries the per-launch token, so it goes to Node in its
//! environment (readable only by our own user), not on its command line
//! (which every local user can read in `ps`). Node's heap is capped
//! (`--node-heap-mb`); dying of that cap is recognised from V8's last words.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tracing::{info, warn};

use super::assets::write_scripts;

/// The environment variables `node-main.mjs` reads its URL and instance id from.
pub const URL_ENV: &str = "JANK_WASM_NREPL_URL";
pub const INSTANCE_ENV: &str = "JANK_WASM_NREPL_INSTANCE";
/// Extra flags for `node`, split on whitespace: V8's own, which `NODE_OPTIONS` refuses, for
/// profiling the runtime (`--prof --logfile=/tmp/v8.log`, `--trace-deopt`, `--trace-gc`).
pub const NODE_FLAGS_ENV: &str = "JANK_WASM_NREPL_NODE_FLAGS";

/// What V8 prints on stderr when the heap limit kills the process.
const OUT_OF_MEMORY_MARK: &str = "JavaScript heap out of memory";
/// How long to wait, after the process ended, for the rest of its stderr
/// (which says whether it ran out of memory).
const LAST_WORDS_WAIT: Duration = Duration::from_millis(500);

/// How to start the Node runtime.
#[derive(Clone, Debug)]
pub struct NodeSpec {
    /// The Node executable (`--node`).
    pub node: String,
    /// `ws://.../repl?token=...`
    pub websocket_url: String,
    /// The cap on V8's heap, in MiB (`--node-heap-mb`).
    pub heap_mb: u64,
}

/// The runtime scripts, written once to a temporary directory shared by every
/// process the supervisor starts; removed when dropped.
pub struct Scripts {
    dir: tempfile::TempDir,
}

impl Scripts {
    pub fn write() -> Result<Scripts> {
        let dir = tempfile::Builder::new()
            .prefix("jank-wasm-nrepl-")
            .tempdir()
            .context("creating a directory for the headless runtime")?;
        write_scripts(dir.path()).context("writing the runtime's scripts")?;
        Ok(Scripts { dir })
    }

    fn main(&self) -> PathBuf {
        self.dir.path().join("node-main.mjs")
    }
}

/// The flags `JANK_WASM_NREPL_NODE_FLAGS` gives (none when it is unset).
fn extra_node_flags() -> Vec<String> {
    std::env::var(NODE_FLAGS_ENV)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// One running Node runtime; dropping it kills the process.
pub struct NodeProcess {
    child: Child,
    pub pid: Option<u32>,
    heap_mb: u64,
    out_of_memory: Arc<AtomicBool>,
    stderr: Option<JoinHandle<()>>,
}

impl NodeProcess {
    /// Starts `node --experimental-websocket --max-old-space-size=N [JANK_WASM_NREPL_NODE_FLAGS]
    /// node-main.mjs` as runtime instance `instance`.
    pub fn spawn(spec: &NodeSpec, scripts: &Scripts, instance: &str) -> Result<NodeProcess> {
        let mut child = Command::new(&spec.node)
            .arg("--experimental-websocket")
            .arg("--no-warnings")
            .arg(format!("--max-old-space-size={}", spec.heap_mb))
            .args(extra_node_flags())
            .arg(scripts.main())
            .env(URL_ENV, &spec.websocket_url)
            .env(INSTANCE_ENV, instance)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!("starting `{}` for --headless (is Node.js 20 or newer installed? `apt-get install nodejs`)", spec.node)
            })?;
        let out_of_memory = Arc::new(AtomicBool::new(false));
        forward_lines(child.stdout.take(), None);
        let stderr = forward_lines(child.stderr.take(), Some(out_of_memory.clone()));
        let pid = child.id();
        info!(pid, "headless Node runtime started");
        Ok(NodeProcess {
            child,
            pid,
            heap_mb: spec.heap_mb,
            out_of_memory,
            stderr,
        })
    }

    /// Waits for the process to end; why it did, as a phrase for the user.
    pub async fn wait(&mut self) -> String {
        let status = self.child.wait().await;
        if let Some(stderr) = self.stderr.take() {
            let _ = tokio::time::timeout(LAST_WORDS_WAIT, stderr).await;
        }
        match status {
            Ok(status) => describe_exit(
                status,
                self.out_of_memory.load(Ordering::Acquire),
                self.heap_mb,
            ),
            Err(error) => format!("ended, and its status is unknown ({error})"),
        }
    }

    /// Kills the process and waits until it is gone.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

/// "exited with status 1", "ran out of memory (...)", "was killed by signal 9 (...)".
fn describe_exit(status: ExitStatus, out_of_memory: bool, heap_mb: u64) -> String {
    if out_of_memory {
        return format!(
            "ran out of memory (its JavaScript heap is limited to {heap_mb} MiB; --node-heap-mb raises that)"
        );
    }
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let what = match signal {
                9 => " (SIGKILL: killed, often by the system when memory runs out)",
                6 => " (SIGABRT: it crashed)",
                11 => " (SIGSEGV: it crashed)",
                15 => " (SIGTERM)",
                _ => "",
            };
            return format!("was killed by signal {signal}{what}");
        }
    }
    format!("ended ({status})")
}

/// Logs what the Node process prints, line by line; on stderr, notes V8's
/// out-of-memory message.
fn forward_lines(
    stream: Option<impl tokio::io::AsyncRead + Unpin + Send + 'static>,
    out_of_memory: Option<Arc<AtomicBool>>,
) -> Option<JoinHandle<()>> {
    let stream = stream?;
    Some(tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            match &out_of_memory {
                Some(flag) => {
                    if line.contains(OUT_OF_MEMORY_MARK) {
                        flag.store(true, Ordering::Release);
                    }
                    warn!(target: "headless", "{line}");
                }
                None => info!(target: "headless", "{line}"),
            }
        }
    }))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn exits_are_described_for_people() {
        let exited = ExitStatus::from_raw(1 << 8);
        assert_eq!(describe_exit(exited, false, 64), "exited with status 1");
        let killed = ExitStatus::from_raw(9);
        assert!(describe_exit(killed, false, 64).starts_with("was killed by signal 9 (SIGKILL"));
        let aborted = ExitStatus::from_raw(6);
        assert_eq!(
            describe_exit(aborted, true, 64),
            "ran out of memory (its JavaScript heap is limited to 64 MiB; --node-heap-mb raises that)"
        );
    }
}
