//! The server under test as a child process: started on free ports, known by
//! what its banner says, ended when dropped.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::STARTUP_TIMEOUT;
use super::client::Client;
use super::process::{kill_process_group, poll_until, terminate};

/// How to start the server: the command that runs it, the flags on top of
/// `--nrepl-port 0 --http-port 0`, where it runs and how it is ended.
pub struct Launch {
    command: Command,
    args: Vec<String>,
    dir: Option<PathBuf>,
    own_group: bool,
}

impl Launch {
    /// The server binary at `program` (for tests, cargo's
    /// `env!("CARGO_BIN_EXE_jank-wasm-nrepl")`).
    pub fn binary(program: impl AsRef<OsStr>) -> Launch {
        Launch::command(Command::new(program))
    }

    /// A command that runs the server, with any arguments that make it one
    /// (the benchmark's `bench --serve`).
    pub fn command(command: Command) -> Launch {
        Launch {
            command,
            args: Vec::new(),
            dir: None,
            own_group: false,
        }
    }

    /// More server flags. With `--headless`, starting waits until the server
    /// says its Node runtime has started too.
    pub fn args(mut self, args: &[&str]) -> Launch {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Runs the server in `dir`, where it writes its `.nrepl-port`; without
    /// this it runs with `--no-port-file`.
    pub fn in_dir(mut self, dir: &Path) -> Launch {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Gives the server a process group of its own, so that dropping it ends
    /// what it started as well: SIGTERM first (it ends its Node runtime and
    /// cleans up, as on Ctrl-C), then SIGKILL to the whole group.
    pub fn own_process_group(mut self) -> Launch {
        self.own_group = true;
        self
    }

    /// Starts the server and waits until it has printed where it listens;
    /// panics if it does not (for tests).
    pub fn start(self) -> ServerProcess {
        self.try_start().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the server and waits, at most `STARTUP_TIMEOUT`, until it has
    /// printed where it listens, or says why it did not.
    pub fn try_start(mut self) -> Result<ServerProcess, String> {
        let expect_headless = self.args.iter().any(|a| a == "--headless");
        self.command
            .args(["--nrepl-port", "0", "--http-port", "0"])
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        match &self.dir {
            Some(dir) => self.command.current_dir(dir),
            None => self.command.arg("--no-port-file"),
        };
        if self.own_group {
            self.command.process_group(0);
        }
        let mut child = self
            .command
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?;
        let lines = read_lines(&mut child);
        let mut server = ServerProcess {
            child,
            own_group: self.own_group,
            nrepl_port: 0,
            http_port: 0,
            page_url: String::new(),
            banner: Vec::new(),
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        while !banner_complete(&server.banner, expect_headless) {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => server.banner.push(line),
                Err(_) => {
                    return Err(format!(
                        "the server did not print its start-up lines within {STARTUP_TIMEOUT:?}; got {:?}",
                        server.banner
                    ));
                }
            }
        }
        (server.nrepl_port, server.page_url, server.http_port) = parse_banner(&server.banner)?;
        Ok(server)
    }
}

/// The child's stdout, line by line; read to its end, so the server never
/// writes to a closed pipe.
fn read_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    lines_rx
}

fn banner_complete(lines: &[String], expect_headless: bool) -> bool {
    let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
    has("nREPL server started on port ")
        && has("Runtime page: ")
        && has("Source paths: ")
        && (!expect_headless || has("Headless Node runtime started"))
}

/// The nREPL port, the page URL and the HTTP port the banner names.
fn parse_banner(banner: &[String]) -> Result<(u16, String, u16), String> {
    let nrepl_port = banner
        .iter()
        .find_map(|l| l.strip_prefix("nREPL server started on port "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("no nREPL port in the banner {banner:?}"))?;
    let page_url = banner
        .iter()
        .find_map(|l| l.strip_prefix("Runtime page: "))
        .ok_or_else(|| format!("no page URL in the banner {banner:?}"))?
        .to_string();
    let http_port = page_url
        .trim_start_matches("http://")
        .split(['/', '?'])
        .next()
        .and_then(|host| host.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("no HTTP port in the page URL {page_url}"))?;
    Ok((nrepl_port, page_url, http_port))
}

/// The running server; killed when dropped (see `Launch::own_process_group`).
pub struct ServerProcess {
    child: Child,
    own_group: bool,
    pub nrepl_port: u16,
    pub http_port: u16,
    pub page_url: String,
    /// The lines the server printed on stdout up to its banner's last, in order.
    pub banner: Vec<String>,
}

impl ServerProcess {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory, in KiB (`VmRSS` in /proc).
    pub fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// The ids of the server's child processes (its Node runtime, with --headless).
    pub fn children(&self) -> Vec<u32> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| parent_of(*pid) == Some(self.pid()))
            .collect()
    }

    /// A new connection to the nREPL port.
    pub fn client(&self) -> Client {
        Client::connect(self.nrepl_port)
    }

    /// The per-launch token from the page URL.
    pub fn token(&self) -> String {
        self.page_url
            .split("token=")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    }

    /// Waits, at most `limit`, until `ls-runtimes` lists a runtime.
    pub fn wait_for_runtime(&self, limit: Duration) -> Result<(), String> {
        let mut client = Client::try_connect(self.nrepl_port)?;
        let listed = poll_until(limit, Duration::from_millis(50), || {
            match client.try_runtime_ids() {
                Ok(ids) if ids.is_empty() => None,
                answer => Some(answer),
            }
        });
        match listed {
            Some(answer) => answer.map(drop),
            None => Err(format!("no runtime connected within {limit:?}")),
        }
    }

    /// Sends SIGTERM and waits for the exit status; panics if the server is
    /// still running 10 s later.
    pub fn terminate(mut self) -> ExitStatus {
        self.stop_within(Duration::from_secs(10))
            .unwrap_or_else(|| panic!("the server did not exit after SIGTERM"))
    }

    /// Sends SIGTERM; the exit status if the server ends within `limit`.
    fn stop_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        terminate(self.child.id());
        poll_until(limit, Duration::from_millis(20), || {
            self.child.try_wait().ok().flatten()
        })
    }
}

/// A process's parent: the fourth field of its `stat`, after the name in parentheses.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1.to_string();
    after_name.split_whitespace().nth(1)?.parse().ok()
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.own_group {
            self.stop_within(Duration::from_secs(5));
            kill_process_group(self.child.id());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
