//! Headless Chromium as a browser runtime: it opens a server's runtime page in
//! a fresh profile, and is killed with its whole process group when dropped.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::process::{kill_process_group, live_in_group, poll_until};

/// The flags this machine needs (as root, no GPU, a closed network): without
/// the background-networking ones Chromium keeps dialling Google's hosts.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The Chromium to run: `$CHROMIUM`, else Debian's `/usr/bin/chromium`.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// A headless Chromium showing one page, in a profile of its own.
pub struct Browser {
    child: Child,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Opens `url` in `chromium_path()`; panics if it cannot (for tests).
    pub fn open(url: &str) -> Browser {
        Self::try_open(&chromium_path(), url).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts `chromium` on `url` in its own process group, with a new empty
    /// profile; its stderr goes to a log file in that profile.
    pub fn try_open(chromium: &Path, url: &str) -> Result<Browser, String> {
        if !chromium.exists() {
            return Err(format!(
                "{} is missing: run the test setup (proxy-tests/run-all.sh installs Debian's chromium), or name another with $CHROMIUM",
                chromium.display()
            ));
        }
        let profile = tempfile::Builder::new()
            .prefix("jank-chromium-")
            .tempdir()
            .map_err(|e| format!("a temporary profile directory: {e}"))?;
        let log = File::create(profile.path().join("chromium.log"))
            .map_err(|e| format!("a log file for chromium: {e}"))?;
        let child = Command::new(chromium)
            .args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .process_group(0)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", chromium.display()))?;
        Ok(Browser { child, profile })
    }

    /// What Chromium printed on stderr so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default()
    }

    /// The last lines of the log, short enough for an assertion message.
    pub fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The process group is the browser's pid: kill all of it (renderers,
        // zygotes, the GPU and network services), then wait until none of it
        // is left so the profile can be removed.
        let group = self.child.id();
        kill_process_group(group);
        let _ = self.child.kill();
        let _ = self.child.wait();
        poll_until(Duration::from_secs(5), Duration::from_millis(20), || {
            (live_in_group(group) == 0).then_some(())
        });
    }
}
