//! What the end-to-end tests share: starting the real binary on free ports,
//! and a small blocking nREPL client over a raw TCP socket.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jank_wasm_nrepl::nrepl::frame::{Frame, MAX_MESSAGE_BYTES, message_len};

pub mod browser;

/// How long any single reply may take before a test fails instead of hanging.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// The program, started on free ports; killed when dropped.
pub struct Server {
    child: Child,
    pub nrepl_port: u16,
    pub http_port: u16,
    pub page_url: String,
    /// Everything the program printed on stdout, as it printed it.
    pub banner: Vec<String>,
}

impl Server {
    /// Starts the binary with `args` on top of free ports and no port file,
    /// and waits until it has printed where it listens.
    pub fn start(args: &[&str]) -> Server {
        Self::start_in(args, None)
    }

    pub fn start_in(args: &[&str], dir: Option<&std::path::Path>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jank-wasm-nrepl"));
        command
            .args(["--nrepl-port", "0", "--http-port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(dir) = dir {
            command.current_dir(dir);
        } else {
            command.arg("--no-port-file");
        }
        let mut child = command.spawn().expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines_tx, lines_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut banner = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        let expect_headless = args.contains(&"--headless");
        while !banner_complete(&banner, expect_headless) {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines_rx.recv_timeout(left) {
                Ok(line) => banner.push(line),
                Err(_) => panic!("the server did not print its start-up lines; got {banner:?}"),
            }
        }
        let nrepl_port = banner
            .iter()
            .find_map(|l| l.strip_prefix("nREPL server started on port "))
            .and_then(|rest| rest.split(' ').next())
            .and_then(|p| p.parse().ok())
            .expect("nREPL port in the banner");
        let page_url = banner
            .iter()
            .find_map(|l| l.strip_prefix("Runtime page: "))
            .expect("page URL in the banner")
            .to_string();
        let http_port = page_url
            .trim_start_matches("http://")
            .split(['/', '?'])
            .next()
            .and_then(|host| host.rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .expect("HTTP port in the page URL");
        Server {
            child,
            nrepl_port,
            http_port,
            page_url,
            banner,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

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

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait works") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn banner_complete(lines: &[String], expect_headless: bool) -> bool {
    let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
    has("nREPL server started on port ")
        && has("Runtime page: ")
        && (!expect_headless || has("Headless Node runtime started"))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking nREPL client that sends and reads raw bencode.
pub struct Client {
    pub stream: TcpStream,
    buffer: Vec<u8>,
    next_id: u64,
    /// Messages read while waiting for another request's replies, kept for
    /// whoever asks for them next (replies to concurrent requests interleave).
    stash: std::collections::VecDeque<Msg>,
}

/// A decoded reply dictionary.
pub type Msg = BTreeMap<Vec<u8>, Frame>;

impl Client {
    pub fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connects to the nREPL port");
        stream.set_read_timeout(Some(REPLY_TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            stream,
            buffer: Vec::new(),
            stash: std::collections::VecDeque::new(),
            next_id: 0,
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write to server");
    }

    pub fn send(&mut self, fields: &[(&str, &str)]) {
        let frame = Frame::Dict(
            fields
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), Frame::str(v)))
                .collect(),
        );
        self.send_raw(&frame.encode());
    }

    /// The next message, or `None` when the server closed the connection.
    pub fn read(&mut self) -> Option<Msg> {
        if let Some(msg) = self.stash.pop_front() {
            return Some(msg);
        }
        self.read_from_socket()
    }

    fn read_from_socket(&mut self) -> Option<Msg> {
        loop {
            if let Ok(Some(len)) = message_len(&self.buffer, MAX_MESSAGE_BYTES) {
                let frame = Frame::decode(&self.buffer[..len]).expect("server sends valid bencode");
                self.buffer.drain(..len);
                match frame {
                    Frame::Dict(map) => return Some(map),
                    other => panic!("server sent a non-dictionary {other:?}"),
                }
            }
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
                Err(e) => panic!("no reply within {REPLY_TIMEOUT:?}: {e}"),
            }
        }
    }

    /// Sends a request with a fresh id and collects its replies up to `done`.
    pub fn request(&mut self, fields: &[(&str, &str)]) -> Vec<Msg> {
        self.next_id += 1;
        let id = format!("t{}", self.next_id);
        let mut all = fields.to_vec();
        all.push(("id", &id));
        self.send(&all);
        self.replies_to(&id)
    }

    /// Replies carrying `id`, up to and including the one with status `done`.
    pub fn replies_to(&mut self, id: &str) -> Vec<Msg> {
        let is_ours = |msg: &Msg| text(msg, "id").as_deref() == Some(id);
        let mut pending: std::collections::VecDeque<Msg> = std::mem::take(&mut self.stash);
        let mut replies = Vec::new();
        loop {
            let msg = match pending.pop_front() {
                Some(msg) => msg,
                None => self.read_from_socket().expect("connection open until done"),
            };
            if !is_ours(&msg) {
                self.stash.push_back(msg);
                continue;
            }
            let done = statuses(&msg).iter().any(|s| s == "done");
            replies.push(msg);
            if done {
                // Keep what was stashed after our replies, in order.
                self.stash.extend(pending);
                return replies;
            }
        }
    }

    pub fn clone_session(&mut self) -> String {
        let replies = self.request(&[("op", "clone")]);
        text(&replies[0], "new-session").expect("clone returns new-session")
    }

    /// Evaluates `code` in `session` and returns the replies.
    pub fn eval(&mut self, session: &str, code: &str) -> Vec<Msg> {
        self.request(&[("op", "eval"), ("session", session), ("code", code)])
    }
}

/// A string field of a message.
pub fn text(msg: &Msg, key: &str) -> Option<String> {
    msg.get(key.as_bytes())
        .and_then(|f| f.as_str())
        .map(str::to_string)
}

pub fn statuses(msg: &Msg) -> Vec<String> {
    match msg.get(b"status".as_slice()) {
        Some(Frame::List(items)) => items
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every `value` in the replies, in order.
pub fn values(replies: &[Msg]) -> Vec<String> {
    replies.iter().filter_map(|m| text(m, "value")).collect()
}

/// All `key` text across replies, concatenated.
pub fn joined(replies: &[Msg], key: &str) -> String {
    replies.iter().filter_map(|m| text(m, key)).collect()
}

pub fn all_statuses(replies: &[Msg]) -> Vec<String> {
    replies.iter().flat_map(statuses).collect()
}

/// Waits for a child's output, killing it if it runs longer than `limit`, so
/// a hung client fails its test instead of hanging it.
pub fn wait_with_timeout(child: Child, limit: Duration) -> std::process::Output {
    let pid = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        if done_rx.recv_timeout(limit).is_err() {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    });
    let output = child.wait_with_output().expect("the child finishes");
    let _ = done_tx.send(());
    output
}
