//! Headless Chromium as a browser runtime: it opens a `Server`'s runtime page
//! in a fresh profile, and is killed with its whole process group when dropped.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jank_wasm_nrepl::nrepl::frame::Frame;

use super::{Client, Msg, Server, joined, text, values};

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

/// How long a freshly started Chromium has to open the page and connect (the
/// server's `--runtime-wait`): under the client's 30 s read timeout, so a page
/// that never connects fails with the server's answer and Chromium's log.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(25);

/// The Chromium to run: `$CHROMIUM`, else Debian's `/usr/bin/chromium`.
pub fn chromium_path() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} is missing: run the test setup (proxy-tests/run-all.sh installs Debian's chromium)",
        path.display()
    );
    path
}

/// A headless Chromium showing one page, in a profile of its own.
pub struct Browser {
    child: Child,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium on `url` in its own process group, with a new empty
    /// profile; its stderr goes to a log file in that profile.
    pub fn open(url: &str) -> Browser {
        let profile = tempfile::Builder::new()
            .prefix("jank-chromium-")
            .tempdir()
            .expect("a temporary profile directory");
        let log = File::create(profile.path().join("chromium.log")).expect("a log file");
        let child = Command::new(chromium_path())
            .args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .process_group(0)
            .spawn()
            .expect("chromium starts");
        Browser { child, profile }
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
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        while live_in_group(group) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Processes of process group `group` that are still running (zombies, which
/// only wait to be reaped, don't count).
fn live_in_group(group: u32) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| {
            // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
            let Some((_, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
        })
        .count()
}

/// A server whose only runtime is a headless Chromium showing its page, and a
/// client session on it. Dropped in field order: the browser goes before the
/// server.
pub struct BrowserRuntime {
    pub client: Client,
    pub session: String,
    pub browser: Browser,
    pub server: Server,
}

impl BrowserRuntime {
    /// Starts the server (no `--headless`: the browser is the only runtime),
    /// opens its page in Chromium and waits until an eval runs in the page.
    pub fn start() -> BrowserRuntime {
        Self::start_in(&[], None)
    }

    /// `start`, with more arguments for the server, started in `dir` if given.
    pub fn start_in(args: &[&str], dir: Option<&std::path::Path>) -> BrowserRuntime {
        let wait = CONNECT_TIMEOUT.as_secs().to_string();
        let mut all = vec!["--runtime-wait", &wait];
        all.extend_from_slice(args);
        let server = Server::start_in(&all, dir);
        let browser = Browser::open(&server.page_url);
        let mut client = server.client();
        let session = client.clone_session();
        let mut runtime = BrowserRuntime {
            client,
            session,
            browser,
            server,
        };
        if args.contains(&"--headless") {
            runtime.select_the_page();
        }
        let agent = runtime.eval("(.-userAgent js/navigator)");
        assert!(
            values(&agent)
                .first()
                .is_some_and(|v| v.contains("HeadlessChrome")),
            "the page did not connect as a runtime within {CONNECT_TIMEOUT:?}: {agent:?}\nchromium log:\n{}",
            runtime.browser.log_tail()
        );
        runtime
    }

    /// With Node attached too: waits until the page is connected and pins
    /// the session to it.
    fn select_the_page(&mut self) {
        let deadline = Instant::now() + CONNECT_TIMEOUT;
        let page = loop {
            if let Some((id, _)) = self.runtimes().into_iter().find(|(_, k)| k == "browser") {
                break id;
            }
            assert!(
                Instant::now() < deadline,
                "the page did not connect within {CONNECT_TIMEOUT:?}\nchromium log:\n{}",
                self.browser.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let session = self.session.clone();
        self.client.request(&[
            ("op", "select-runtime"),
            ("session", &session),
            ("runtime-id", &page.to_string()),
        ]);
    }

    /// Evaluates `code` in the session and returns the replies.
    pub fn eval(&mut self, code: &str) -> Vec<Msg> {
        let session = self.session.clone();
        self.client.eval(&session, code)
    }

    /// The single value of evaluating `code`, failing with its errors and
    /// Chromium's log when there is none.
    pub fn value(&mut self, code: &str) -> String {
        let replies = self.eval(code);
        match values(&replies).as_slice() {
            [value] => value.clone(),
            _ => panic!(
                "{code} gave no single value: err {:?}, replies {replies:?}\nchromium log:\n{}",
                joined(&replies, "err"),
                self.browser.log_tail()
            ),
        }
    }

    /// The connected runtimes as (id, kind), from `describe`'s `aux.runtimes`.
    pub fn runtimes(&mut self) -> Vec<(i64, String)> {
        let replies = self.client.request(&[("op", "describe")]);
        let Some(Frame::Dict(aux)) = replies[0].get(b"aux".as_slice()) else {
            panic!("describe has no aux: {replies:?}");
        };
        match aux.get(b"runtimes".as_slice()) {
            Some(Frame::List(runtimes)) => runtimes
                .iter()
                .filter_map(|r| match r {
                    Frame::Dict(r) => Some((
                        r.get(b"id".as_slice()).and_then(Frame::as_int)?,
                        text(r, "kind")?,
                    )),
                    _ => None,
                })
                .collect(),
            other => panic!("aux.runtimes is not a list: {other:?}"),
        }
    }

    /// The connected runtimes' kinds.
    pub fn runtime_kinds(&mut self) -> Vec<String> {
        self.runtimes().into_iter().map(|(_, kind)| kind).collect()
    }

    /// Evaluates `(read-line)`, waits until it asks for input (over the page's
    /// control channel), sends `input` as stdin and returns the eval's value.
    pub fn read_line(&mut self, input: &str) -> String {
        let session = self.session.clone();
        let id = "read-line";
        self.client.send(&[
            ("op", "eval"),
            ("code", "(read-line)"),
            ("session", &session),
            ("id", id),
        ]);
        loop {
            let msg = self
                .client
                .read()
                .expect("the server keeps the connection open");
            if text(&msg, "id").as_deref() != Some(id) {
                continue;
            }
            let statuses = super::statuses(&msg);
            if statuses.iter().any(|s| s == "need-input") {
                break;
            }
            assert!(
                !statuses.iter().any(|s| s == "done"),
                "read-line did not ask for input: {msg:?}\nchromium log:\n{}",
                self.browser.log_tail()
            );
        }
        self.client
            .request(&[("op", "stdin"), ("stdin", input), ("session", &session)]);
        let replies = self.client.replies_to(id);
        match values(&replies).as_slice() {
            [value] => value.clone(),
            _ => panic!("read-line gave no single value: {replies:?}"),
        }
    }
}
