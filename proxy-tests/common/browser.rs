//! A server whose only runtime is headless Chromium showing its page (the
//! `testkit::Browser`), with a client session on it.

use std::time::{Duration, Instant};

use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{
    Browser, Client, Msg, ServerProcess, has_status, joined, text, values,
};

/// How long a freshly started Chromium has to open the page and connect (the
/// server's `--runtime-wait`): under the client's 30 s read timeout, so a page
/// that never connects fails with the server's answer and Chromium's log.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(25);

/// A server whose only runtime is a headless Chromium showing its page, and a
/// client session on it. Dropped in field order: the browser goes before the
/// server.
pub struct BrowserRuntime {
    pub client: Client,
    pub session: String,
    pub browser: Browser,
    pub server: ServerProcess,
}

impl BrowserRuntime {
    /// Starts the server (no `--headless`: the browser is the only runtime),
    /// opens its page in Chromium and waits until an eval runs in the page.
    pub fn start() -> BrowserRuntime {
        Self::start_in(&[], None)
    }

    /// `start`, with more flags for the server.
    pub fn start_with(args: &[&str]) -> BrowserRuntime {
        Self::start_in(args, None)
    }

    /// `start`, with more arguments for the server, started in `dir` if given.
    pub fn start_in(args: &[&str], dir: Option<&std::path::Path>) -> BrowserRuntime {
        let wait = CONNECT_TIMEOUT.as_secs().to_string();
        let mut all = vec!["--runtime-wait", &wait];
        all.extend_from_slice(args);
        let server = match dir {
            Some(dir) => super::start_server_in(&all, dir),
            None => super::start_server(&all),
        };
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

    /// `code`'s value once `shown` accepts it, asked again every 50 ms for up
    /// to 5 s: the page draws its list of evals on the next animation frame,
    /// not at once.
    pub fn value_when(&mut self, code: &str, shown: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let value = self.value(code);
            if shown(&value) || std::time::Instant::now() > deadline {
                return value;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
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
            if has_status(&msg, "need-input") {
                break;
            }
            assert!(
                !has_status(&msg, "done"),
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
