//! Running jank: `jank print-cflags` once at start, and one long-lived jank
//! that compiles every eval (`CompileServer`).
//!
//! Why one jank for the whole server, from jank's sources (jank-lang/jank,
//! `compiler+runtime/src/cpp/jank/`): `compile-module` evaluates every form
//! of a module in jank's JIT before it writes the module's C++
//! (`runtime/context_dynamic.cpp`, `eval_string`), so a jank started per
//! eval would have to know, bound, every var the earlier evals defined (a
//! declared var is unbound, and calling one fails the compile), and would
//! start, load clojure.core and set up its JIT for every eval. A `jank repl`
//! cannot write the C++: `(compile 'ns)` needs `--output-target cpp`, which
//! jank takes only for its `compile-module` and `compile` commands
//! (`util/cli.cpp`); in a REPL it stays `unspecified` and `write_module`
//! refuses. So the long-lived jank is
//! `jank compile-module --output-target cpp --name jank-wasm-eval.cpp
//! jank-wasm.compile-server`: the module it compiles starts jank's own nREPL
//! server (`jank.nrepl.server.core/-main`, which writes `.nrepl-port` and
//! serves until killed), and each eval is compiled by a `compile` of the
//! module `jank-wasm.eval` sent over nREPL; jank writes its C++ to
//! `jank-wasm-eval.cpp` in its working directory (`--name` must be a bare
//! file name).
//!
//! jank's nREPL `eval` reports a failed compile by its message only
//! (`jank/nrepl/server/eval.jank`); to say where in the eval the error is,
//! the compile server module compiles through a small C++ function, declared
//! with cpp/raw, that describes the error chain with its notes.
//!
//! The server module runs jank's nREPL server with `*compile-files*` bound
//! to false: it is true while the module is compiled, jank's `future` conveys
//! thread bindings to the thread serving each client (`runtime/core.cpp`),
//! and `eval_string` writes the C++ of whatever it evaluates while it is true
//! (`runtime/context_dynamic.cpp`), which would put the C++ of the nREPL eval
//! itself over the eval module's. `compile_module` binds it to true for the
//! compile it does.
//!
//! If jank dies, the next eval starts a new one and first replays the evals
//! compiled so far (evaluated only), so it knows their vars again.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tracing::{debug, info, warn};

use super::diagnostics::{self, JankError};
use super::nrepl_client::{EvalReply, JankClient};
use super::process::{kill, wait_until, watched};

/// How long jank may take to compile one eval.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long jank may take to start (load clojure.core, its nREPL server).
const START_TIMEOUT: Duration = Duration::from_secs(300);
/// How much of jank's output is kept for messages when it fails.
const OUTPUT_TAIL_BYTES: usize = 16 * 1024;

/// The module every eval is compiled as (its file, rewritten per eval).
pub const EVAL_MODULE: &str = "jank-wasm.eval";
const EVAL_MODULE_FILE: &str = "jank_wasm/eval.jank";
const SERVER_MODULE: &str = "jank-wasm.compile-server";
const SERVER_MODULE_FILE: &str = "jank_wasm/compile_server.jank";
/// Where jank writes each eval's C++ (`--name`, in its working directory).
const OUTPUT_NAME: &str = "jank-wasm-eval.cpp";

/// The module the long-lived jank compiles: jank's nREPL server, plus the
/// function each eval's compile goes through. Its C++ uses jank's own API:
/// `runtime::context::compile_module` (what `compile-module` and
/// `clojure.core/compile` call), `all_ns` and each namespace's
/// `symbol_counter`, `error::base` (kind, message, notes, cause) and
/// `jtl::string_builder`; tools/check-compile-server-cpp.py type-checks it
/// against a checkout of jank's headers.
const SERVER_SOURCE: &str = r#";; Written by jank-wasm-nrepl (src/toolchain/jank.rs): jank's nREPL server,
;; and the compile function the toolchain calls for every eval.
(ns jank-wasm.compile-server
  (:require [jank.nrepl.server.core]))

(cpp/raw "
namespace jank_wasm::compile_server
{
  inline void field(jtl::string_builder &out, jtl::immutable_string const &text)
  {
    out(text.size())(':')(text);
  }

  inline void number(jtl::string_builder &out, jtl::usize const n)
  {
    jtl::string_builder digits;
    digits(n);
    field(out, digits.release());
  }

  /* Moves every namespace's symbol counter up to one base, the next
   * multiple of the stride above them all: the names jank makes in the next
   * compile are then the base plus a count from the compile's start, so
   * equal evals get equal names past the base (the patch cache's key,
   * src/toolchain/patch_key.rs). Counters only grow: jank's JIT names stay
   * unique. */
  inline void move_counters_to_next_base()
  {
    jtl::u64 constexpr stride{ 1000000000000ull };
    auto const namespaces{ jank::runtime::__rt_ctx->all_ns() };
    jtl::u64 highest{};
    for(auto const &ns : namespaces)
    {
      jtl::u64 const count{ ns->symbol_counter.load() };
      highest = count > highest ? count : highest;
    }
    for(auto const &ns : namespaces)
    {
      ns->symbol_counter.store((highest / stride + 1) * stride);
    }
  }

  /* Compiles `module` as `jank compile-module` does. Empty when it worked;
   * else, for the error and each of its causes, the netstrings `error`,
   * kind, message, then for each note `note`, file, line, column, end
   * column, message. */
  inline jtl::immutable_string compile(jtl::immutable_string const &module)
  {
    jtl::string_builder out;
    move_counters_to_next_base();
    auto const result{ jank::runtime::__rt_ctx->compile_module(module) };
    if(result.is_ok())
    {
      return out.release();
    }
    for(jtl::ptr<jank::error::base> e{ result.expect_err() }; e; e = e->cause)
    {
      field(out, \"error\");
      field(out, jank::error::kind_str(e->kind));
      field(out, e->message);
      for(auto const &n : e->notes)
      {
        field(out, \"note\");
        field(out, n.source.file);
        number(out, n.source.start.line);
        number(out, n.source.start.col);
        number(out, n.source.end.col);
        field(out, n.message);
      }
    }
    return out.release();
  }
}
")

(defn compile! [module]
  (cpp/jank_wasm.compile_server.compile module))

;; This module is being compiled, so *compile-files* is true here, and the
;; server's client threads (futures) inherit it: every nREPL eval would then
;; write its own C++ over jank-wasm-eval.cpp. compile_module binds it again.
(binding [*compile-files* false]
  (jank.nrepl.server.core/-main))
"#;

/// The jank command with the user's extra arguments (`--jank-arg`).
#[derive(Clone, Debug)]
pub struct Jank {
    program: PathBuf,
    /// Extra global options, minus any `--module-path`.
    args: Vec<String>,
    /// The user's module path entries (from `--jank-arg=--module-path=...`).
    module_path: Vec<String>,
}

impl Jank {
    /// `extra` may give the module path as `--module-path DIRS` (jank's own
    /// form) or `--module-path=DIRS` (which jank itself would take for a
    /// command); it goes after the toolchain's own module directory, each
    /// relative entry made absolute against the server's working directory
    /// (jank runs in its own).
    pub fn new(program: PathBuf, extra: &[String]) -> Jank {
        let mut args = Vec::new();
        let mut module_path = Vec::new();
        let mut rest = extra.iter();
        while let Some(arg) = rest.next() {
            if let Some(path) = arg.strip_prefix("--module-path=") {
                module_path.extend(path.split(':').map(str::to_string));
            } else if arg == "--module-path" {
                module_path.extend(
                    rest.next()
                        .into_iter()
                        .flat_map(|p| p.split(':').map(str::to_string)),
                );
            } else {
                args.push(arg.clone());
            }
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let module_path = module_path
            .into_iter()
            .filter(|entry| !entry.is_empty())
            .map(|entry| cwd.join(entry).to_string_lossy().into_owned())
            .collect();
        Jank {
            program,
            args,
            module_path,
        }
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The user's arguments for jank (for the cflags filter).
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// What `jank print-cflags` prints: the flags jank compiles C++ with.
    pub fn print_cflags(&self) -> Result<String, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = dir.path().join("out");
        let file = std::fs::File::create(&out).map_err(|e| e.to_string())?;
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .arg("print-cflags")
            .stdin(Stdio::null())
            .stdout(file.try_clone().map_err(|e| e.to_string())?)
            .stderr(file)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let status =
            wait_until(&mut child, Instant::now() + START_TIMEOUT).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        match status {
            Some(status) if status.success() => Ok(text),
            _ => Err(format!(
                "`{} print-cflags` failed:\n{text}",
                self.program.display()
            )),
        }
    }

    /// `jank ... compile-module` of the compile server module, in `dir`.
    fn compile_server_command(&self, dir: &Path) -> Command {
        let mut path = vec![dir.join("modules").to_string_lossy().into_owned()];
        path.extend(self.module_path.iter().cloned());
        let mut command = watched(&self.program);
        command
            .args(&self.args)
            .arg("--module-path")
            .arg(path.join(":"))
            .args(["compile-module", "--output-target", "cpp", "--name"])
            .arg(OUTPUT_NAME)
            .arg(SERVER_MODULE)
            .current_dir(dir);
        command
    }
}

/// Why an eval's module did not become C++.
#[derive(Debug)]
pub enum JankCompileError {
    /// jank refused the module: its errors, outermost first.
    Jank(Vec<JankError>),
    /// jank itself failed: it did not start, died, or timed out.
    Tool(String),
}

/// How a request to jank went wrong (jank is stopped either way).
#[derive(Debug)]
enum Lost {
    /// The connection closed: jank died.
    Closed(String),
    /// jank did not answer in time.
    TimedOut(String),
}

/// The long-lived jank, started again when it dies.
pub struct CompileServer {
    jank: Jank,
    /// jank's working directory; its module directory is `modules/` in it.
    dir: PathBuf,
    running: Option<Running>,
    /// The module text of every eval sent so far, replayed into a new jank.
    history: Vec<String>,
}

/// A started jank.
struct Running {
    child: Child,
    /// Held open: dropping it stops jank (`process::watched`).
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<String>>,
    client: Option<JankClient>,
    started: Instant,
}

impl CompileServer {
    /// Prepares `dir` and starts jank there; does not wait for it (the first
    /// compile does).
    pub fn start(jank: Jank, dir: &Path) -> Result<CompileServer, String> {
        let modules = dir.join("modules");
        let server_file = modules.join(SERVER_MODULE_FILE);
        std::fs::create_dir_all(server_file.parent().unwrap_or(&modules))
            .and_then(|()| std::fs::write(&server_file, SERVER_SOURCE))
            .map_err(|e| format!("cannot write jank's compile server module: {e}"))?;
        // jank makes its module path canonical and names files by it
        // (`loader_dynamic.cpp`): in its errors and in each var's metadata.
        let dir = std::fs::canonicalize(dir)
            .map_err(|e| format!("cannot find jank's working directory: {e}"))?;
        let mut server = CompileServer {
            jank,
            dir,
            running: None,
            history: Vec::new(),
        };
        server.running = Some(server.spawn()?);
        Ok(server)
    }

    /// jank's C++ for the eval module `text`. A jank found dead is started
    /// again; one that dies during the compile gets one more try (it may
    /// have died just before, unnoticed).
    pub fn compile(&mut self, text: &str) -> Result<String, JankCompileError> {
        let module_file = self.module_file();
        let output = self.dir.join(OUTPUT_NAME);
        let code = format!("(jank-wasm.compile-server/compile! \"{EVAL_MODULE}\")");
        let mut tries = 0;
        let reply = loop {
            tries += 1;
            self.ensure_ready().map_err(JankCompileError::Tool)?;
            let _ = std::fs::remove_file(&output);
            std::fs::write(&module_file, text).map_err(|e| {
                JankCompileError::Tool(format!("cannot write the eval's module: {e}"))
            })?;
            match self.eval(&code, Instant::now() + COMPILE_TIMEOUT) {
                Ok(reply) => break reply,
                Err(Lost::Closed(why)) if tries == 1 => {
                    debug!(why, "jank was lost; trying once more");
                }
                Err(Lost::Closed(why) | Lost::TimedOut(why)) => {
                    return Err(JankCompileError::Tool(why));
                }
            }
        };
        if reply.failed {
            return Err(JankCompileError::Tool(format!(
                "jank could not run the compile: {}",
                reply.value.unwrap_or_default()
            )));
        }
        let described = reply
            .value
            .as_deref()
            .and_then(jank_string)
            .ok_or_else(|| {
                JankCompileError::Tool(format!("jank answered the compile with {:?}", reply.value))
            })?;
        if !described.is_empty() {
            return Err(match diagnostics::parse_jank_errors(&described) {
                Some(errors) => JankCompileError::Jank(errors),
                None => JankCompileError::Tool(format!("jank's compile failed: {described}")),
            });
        }
        std::fs::read_to_string(&output).map_err(|e| {
            JankCompileError::Tool(format!("jank reported success but wrote no C++ ({e})"))
        })
    }

    /// Where the eval module's file is (for positions in jank's errors).
    pub fn module_file(&self) -> PathBuf {
        self.dir.join("modules").join(EVAL_MODULE_FILE)
    }

    /// jank's working directory, canonical (as jank's module loader names
    /// the files in it).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Remembers an eval that was sent, for a new jank to replay.
    pub fn remember(&mut self, text: String) {
        self.history.push(text);
    }

    /// Sends `code` to jank; on a broken connection jank is stopped, so the
    /// next compile starts a new one.
    fn eval(&mut self, code: &str, deadline: Instant) -> Result<EvalReply, Lost> {
        let running = self
            .running
            .as_mut()
            .ok_or_else(|| Lost::Closed("jank is not running".into()))?;
        let client = running
            .client
            .as_mut()
            .ok_or_else(|| Lost::Closed("jank is not connected".into()))?;
        match client.eval(code, "user", deadline) {
            Ok(reply) => {
                if !reply.out.is_empty() {
                    debug!(target: "jank", "{}", reply.out.trim_end());
                }
                Ok(reply)
            }
            Err(error) => {
                let running = self.running.take();
                let output = running.map(Running::stop).unwrap_or_default();
                let message = format!(
                    "jank stopped answering ({error}); it is started again for the next eval.{}",
                    tail_note(&output)
                );
                Err(match error.kind() {
                    std::io::ErrorKind::TimedOut => Lost::TimedOut(message),
                    _ => Lost::Closed(message),
                })
            }
        }
    }

    /// A running, connected jank: started again if it died, and then given
    /// the evals sent so far.
    fn ensure_ready(&mut self) -> Result<(), String> {
        let alive = self.running.as_mut().is_some_and(|r| {
            matches!(r.child.try_wait(), Ok(None))
                && !r.client.as_ref().is_some_and(JankClient::is_closed)
        });
        if alive && self.running.as_ref().is_some_and(|r| r.client.is_some()) {
            return Ok(());
        }
        if !alive {
            let output = self.running.take().map(Running::stop).unwrap_or_default();
            if !output.is_empty() {
                warn!("jank stopped; starting it again.{}", tail_note(&output));
            }
            self.running = Some(self.spawn()?);
        }
        if let Err(error) = self.connect() {
            let output = self.running.take().map(Running::stop).unwrap_or_default();
            return Err(format!("{error}{}", tail_note(&output)));
        }
        if !self.history.is_empty() {
            self.replay();
        }
        match self.running {
            Some(_) => Ok(()),
            None => Err("jank stopped while the earlier evals were replayed into it".into()),
        }
    }

    /// Evaluates the evals sent so far in a new jank (without compiling
    /// them), so it knows their vars and macros.
    fn replay(&mut self) {
        let started = Instant::now();
        let history = std::mem::take(&mut self.history);
        let mut failed = 0;
        for text in &history {
            match self.eval(text, Instant::now() + COMPILE_TIMEOUT) {
                Ok(reply) if reply.failed => {
                    failed += 1;
                    debug!(
                        error = reply.value.unwrap_or_default(),
                        "an earlier eval failed in the new jank"
                    );
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        info!(evals = history.len(), failed, took = ?started.elapsed(), "replayed the earlier evals into the new jank");
        self.history = history;
    }

    /// Waits for jank's `.nrepl-port` and connects.
    fn connect(&mut self) -> Result<(), String> {
        let port_file = self.dir.join(".nrepl-port");
        let running = self.running.as_mut().ok_or("jank is not running")?;
        let deadline = running.started + START_TIMEOUT;
        let mut pause = Duration::from_millis(2);
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|text| text.trim().parse::<u16>().ok())
            {
                break port;
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                return Err(format!(
                    "jank exited ({status}) before its nREPL server started"
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "jank's nREPL server did not start within {START_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        };
        let client = JankClient::connect(port, Duration::from_secs(10))
            .map_err(|e| format!("cannot connect to jank's nREPL server on port {port}: {e}"))?;
        info!(port, took = ?running.started.elapsed(), "jank compile server ready");
        running.client = Some(client);
        Ok(())
    }

    fn spawn(&self) -> Result<Running, String> {
        let _ = std::fs::remove_file(self.dir.join(".nrepl-port"));
        let mut child = self
            .jank
            .compile_server_command(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.jank.program.display()))?;
        let output = Arc::new(Mutex::new(String::new()));
        forward(child.stdout.take(), output.clone());
        forward(child.stderr.take(), output.clone());
        debug!(pid = child.id(), "jank compile server starting");
        Ok(Running {
            stdin: child.stdin.take(),
            child,
            output,
            client: None,
            started: Instant::now(),
        })
    }
}

impl Running {
    /// Stops jank (closing its watchdog's stdin) and returns the tail of
    /// what it printed.
    fn stop(mut self) -> String {
        self.client = None;
        drop(self.stdin.take());
        match wait_until(&mut self.child, Instant::now() + Duration::from_secs(5)) {
            Ok(Some(_)) => {}
            _ => kill(&mut self.child),
        }
        self.output.lock().clone()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        drop(self.stdin.take());
        kill(&mut self.child);
    }
}

/// Keeps the tail of what jank prints, logging each line.
fn forward(stream: Option<impl Read + Send + 'static>, output: Arc<Mutex<String>>) {
    let Some(stream) = stream else { return };
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            debug!(target: "jank", "{line}");
            let mut tail = output.lock();
            tail.push_str(&line);
            tail.push('\n');
            if tail.len() > OUTPUT_TAIL_BYTES {
                let cut = tail.len() - OUTPUT_TAIL_BYTES;
                let at = (cut..tail.len())
                    .find(|&i| tail.is_char_boundary(i))
                    .unwrap_or(0);
                tail.drain(..at);
            }
        }
    });
}

fn tail_note(output: &str) -> String {
    let output = output.trim_end();
    if output.is_empty() {
        String::new()
    } else {
        format!(" jank printed:\n{output}")
    }
}

/// The text of a string as jank's `pr-str` prints it (`"..."` with
/// backslash escapes); `None` for anything else.
fn jank_string(printed: &str) -> Option<String> {
    let inner = printed.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next()? {
            'n' => text.push('\n'),
            't' => text.push('\t'),
            'r' => text.push('\r'),
            '0' => text.push('\0'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                text.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            other => text.push(other),
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_module_path_out_of_the_extra_arguments() {
        let jank = Jank::new(
            PathBuf::from("jank"),
            &[
                "--module-path=src:/abs/lib".into(),
                "-O2".into(),
                "--module-path".into(),
                "more".into(),
            ],
        );
        // jank runs in its own directory: relative entries are the server's.
        let cwd = std::env::current_dir().unwrap();
        let at = |p: &str| cwd.join(p).to_string_lossy().into_owned();
        assert_eq!(jank.module_path, [at("src"), "/abs/lib".into(), at("more")]);
        assert_eq!(jank.args, ["-O2"]);
        let command = jank.compile_server_command(Path::new("/w"));
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let jank_args = &args[args.iter().position(|a| a == "jank").unwrap() + 1..];
        assert_eq!(
            jank_args,
            [
                "-O2",
                "--module-path",
                &format!("/w/modules:{}:/abs/lib:{}", at("src"), at("more")),
                "compile-module",
                "--output-target",
                "cpp",
                "--name",
                "jank-wasm-eval.cpp",
                "jank-wasm.compile-server"
            ]
        );
    }

    #[test]
    fn janks_nrepl_server_runs_without_compile_files() {
        // Else every nREPL eval writes its own C++ over the eval's (module doc).
        assert!(
            SERVER_SOURCE
                .contains("(binding [*compile-files* false]\n  (jank.nrepl.server.core/-main))")
        );
    }

    #[test]
    fn the_compile_server_moves_the_counters_by_the_keys_stride() {
        let stride = super::super::patch_key::COUNTER_STRIDE;
        assert!(
            SERVER_SOURCE.contains(&format!("stride{{ {stride}ull }}")),
            "the stride in SERVER_SOURCE is patch_key's"
        );
    }

    #[test]
    fn reads_jank_strings() {
        assert_eq!(
            jank_string(r#""a\"b\\c\nd""#).as_deref(),
            Some("a\"b\\c\nd")
        );
        assert_eq!(jank_string("\"\"").as_deref(), Some(""));
        assert_eq!(jank_string("nil"), None);
    }
}
