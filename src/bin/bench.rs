//! Benchmarks: `cargo run --release --bin bench` (add `-- --help` for options).
//!
//! Measures, in one run, and prints as Markdown tables:
//! - eval round trips (p50/p99) through the server with its headless Node
//!   runtime and with headless Chromium as the runtime, for `(+ 1 2)` and for
//!   a `defn` followed by a call of it;
//! - throughput with 16 connections evaluating at once;
//! - compile time per form for typical REPL forms (the library's compiler,
//!   in this process, no runtime);
//! - the server's resident memory (VmRSS from /proc) idle and after 100,000 evals;
//! - how fast compiled code runs in the Node runtime: recursion, protocol
//!   calls, record field access, multimethod calls and a loop;
//! - the reference JVM nREPL server (Debian's `libnrepl-clojure`) and this
//!   server measured by the same client, `../shared/tools/nrepl-bench.py`, as a ratio.
//!
//! The server under test is this same executable re-run as `bench --serve
//! <flags>`, which runs `app::main` as `src/main.rs` does (so the bench never
//! measures a stale build); `--server PATH` measures another binary instead.
//! The server, the client and Chromium are the tests' own
//! (`jank_wasm_nrepl::testkit`). Every process started here is killed when
//! the bench ends, every loop is bounded in count and time, and everything
//! listens on 127.0.0.1.

use std::fmt::Write as _;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use clap::Parser;
use jank_wasm_nrepl::compiler::reader::Reader;
use jank_wasm_nrepl::compiler::{Compiler, NoRuntime};
use jank_wasm_nrepl::testkit::process::kill_process_group;
use jank_wasm_nrepl::testkit::{
    Browser, Client, Launch, ServerProcess, chromium_path, joined, poll_until, values,
    wait_with_timeout,
};

const JVM_CLASSPATH: &[&str] = &[
    "/usr/share/java/clojure.jar",
    "/usr/share/java/spec.alpha.jar",
    "/usr/share/java/core.specs.alpha.jar",
    "/usr/share/java/nrepl.jar",
];

/// Typical REPL forms for the compile-time table.
const COMPILE_FORMS: &[(&str, &str)] = &[
    ("arithmetic", "(+ 1 2)"),
    ("defn", "(defn f [x] (+ x 1))"),
    ("call", "(f 41)"),
    (
        "recursive defn",
        "(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))",
    ),
    (
        "let + destructuring",
        "(let [{:keys [a b] :or {b 2}} {:a 1}] (+ a b))",
    ),
    (
        "threading",
        "(->> (range 100) (map inc) (filter even?) (reduce +))",
    ),
    ("for", "(for [x (range 10) :when (odd? x)] (* x x))"),
    ("ns", "(ns my.app (:require [clojure.string :as str]))"),
    (
        "20-line defn",
        "(defn describe-order [{:keys [id items customer] :as order}]
           (let [total (reduce + (map (fn [{:keys [price qty]}] (* price qty)) items))
                 n (count items)]
             (cond
               (zero? n) {:id id :status :empty}
               (> total 1000) {:id id :status :big :total total
                               :who (str (:first customer) \" \" (:last customer))}
               :else
               (loop [xs items acc []]
                 (if (seq xs)
                   (let [[x & more] xs]
                     (recur more (conj acc (case (:kind x)
                                             :book \"B\"
                                             :food \"F\"
                                             \"?\"))))
                   {:id id :status :ok :kinds (apply str acc) :total total})))))",
    ),
];

/// Benchmarks the server: round trips (Node and Chromium runtimes),
/// throughput, compile time, memory, and the JVM nREPL server for comparison.
#[derive(Parser, Debug)]
#[command(name = "bench")]
struct Args {
    /// Timed evals per latency measurement (after the warm-up).
    #[arg(long, default_value_t = 2000)]
    n: usize,

    /// Untimed evals before each latency measurement.
    #[arg(long, default_value_t = 200)]
    warmup: usize,

    /// Connections evaluating at once in the throughput runs.
    #[arg(long, default_value_t = 16)]
    conns: usize,

    /// Evals per connection in each throughput run.
    #[arg(long, default_value_t = 1000)]
    per_conn: usize,

    /// Evals the Node-runtime server has answered before its memory is read again.
    #[arg(long, default_value_t = 100_000)]
    total_evals: usize,

    /// Iterations per form in the compile-time table.
    #[arg(long, default_value_t = 500)]
    compile_iters: usize,

    /// A small, fast run (for checking the bench itself): n=200, 16x100, 5,000 evals.
    #[arg(long)]
    quick: bool,

    /// Skip the headless Chromium measurements.
    #[arg(long)]
    no_browser: bool,

    /// Skip the JVM nREPL comparison.
    #[arg(long)]
    no_jvm: bool,

    /// Measure this server binary instead of this executable's `--serve` mode.
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,

    /// The Chromium to run (`$CHROMIUM`, else Debian's).
    #[arg(long, default_value_os_t = chromium_path())]
    chromium: PathBuf,

    /// The client used for the JVM comparison.
    #[arg(long, value_name = "PATH", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/nrepl-bench.py"))]
    nrepl_bench: PathBuf,

    /// Skip running the compiled-code workloads against ClojureScript and nbb.
    #[arg(long)]
    no_perf_suite: bool,

    /// The suite of compiled-code workloads (it installs cherry and nbb with npm).
    #[arg(long, value_name = "PATH", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/perf-suite.py"))]
    perf_suite: PathBuf,

    /// Stop (reporting what was measured) after this many seconds in all.
    #[arg(long, default_value_t = 900)]
    time_limit: u64,
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--serve") {
        return serve(&argv[2..]);
    }
    // the perf suite starts "its" server with the server's own flags
    if std::env::var_os(SERVE_ENV).is_some() {
        return serve(&argv[1..]);
    }
    let mut args = Args::parse();
    if args.quick {
        args.n = args.n.min(200);
        args.warmup = args.warmup.min(50);
        args.per_conn = args.per_conn.min(100);
        args.total_evals = args.total_evals.min(5_000);
        args.compile_iters = args.compile_iters.min(100);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `bench --serve <server flags>`: the server, run as `src/main.rs` runs it.
fn serve(flags: &[String]) -> ExitCode {
    let config = jank_wasm_nrepl::config::Config::parse_from(
        std::iter::once("jank-wasm-nrepl".to_string()).chain(flags.iter().cloned()),
    );
    jank_wasm_nrepl::app::main(config)
}

type Result<T> = std::result::Result<T, String>;

fn run(args: &Args) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(args.time_limit);
    let mut report = String::new();
    machine_info(&mut report);
    println!("{report}");

    // The compiler alone, in this process.
    let compile = compile_times(args.compile_iters);
    print_section(&compile);

    // How long a runtime takes to be ready: start to the first eval answered.
    match start_up(args) {
        Ok(text) => print_section(&text),
        Err(e) => println!("Start-up: not measured: {e}\n"),
    }

    // The Node runtime: latency, throughput, memory, 100,000 evals.
    let node = node_runtime(args, deadline)?;
    print_section(&node.text);

    // Headless Chromium as the runtime.
    if !args.no_browser {
        match browser_runtime(args, deadline) {
            Ok(text) => print_section(&text),
            Err(e) => println!("Chromium: not measured: {e}\n"),
        }
    }

    // perf-suite.py's workloads in the page, beside the same in Node.
    if !args.no_browser && !args.no_perf_suite {
        match suite_in_page(args) {
            Ok(text) => print_section(&text),
            Err(e) => println!("The compiled-code workloads in the page: not measured: {e}\n"),
        }
    }

    // The JVM reference, with the same client against both servers.
    if !args.no_jvm {
        match jvm_comparison(args, deadline) {
            Ok(text) => print_section(&text),
            Err(e) => println!("JVM nREPL: not measured: {e}\n"),
        }
    }
    if !args.no_perf_suite {
        match perf_suite(args) {
            Ok(text) => print_section(&text),
            Err(e) => println!("Compiled code against ClojureScript and nbb: not measured: {e}\n"),
        }
    }
    println!("{}", node.targets);
    Ok(())
}

/// Makes this executable run as the server (as `--serve` does) for a child
/// that starts it with only the server's flags.
const SERVE_ENV: &str = "JANK_WASM_NREPL_BENCH_SERVE";

/// `../shared/tools/perf-suite.py` with this executable as the server: the
/// compiled-code workloads timed in our Node runtime, in ClojureScript
/// compiled by cherry and in nbb, as its Markdown table and summary line.
fn perf_suite(args: &Args) -> Result<String> {
    if !args.perf_suite.exists() {
        return Err(format!("{} not found", args.perf_suite.display()));
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new("python3")
        .arg(&args.perf_suite)
        .arg("--bin")
        .arg(&me)
        .env(SERVE_ENV, "1")
        // its peers (cherry, nbb) go under this project's target/perf-peers
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(format!("the suite failed ({})", output.status));
    }
    let table = String::from_utf8_lossy(&output.stdout);
    Ok(format!(
        "**Compiled code against ClojureScript (cherry) and nbb** (`perf-suite.py`; each workload timed inside its runtime, best of 3):\n\n{}",
        table.trim_end()
    ))
}

fn print_section(text: &str) {
    println!("{text}");
    let _ = std::io::stdout().flush();
}

// ---------------------------------------------------------------- machine

fn machine_info(out: &mut String) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let kernel = command_line("uname", &["-r"]);
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_default();
    let _ = writeln!(out, "## Machine\n");
    let _ = writeln!(
        out,
        "{cpu}, {cores} cores, {mem_gib:.0} GiB; {os}, Linux {kernel}"
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let _ = writeln!(
        out,
        "Load average at the start (1, 5, 15 min): {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "Node {}; {}; {}",
        command_line("node", &["--version"]),
        command_line("/usr/bin/chromium", &["--version"]),
        command_line("java", &["-version"])
            .lines()
            .next()
            .unwrap_or_default()
    );
}

/// The first line a command prints (stdout, else stderr), or "-".
fn command_line(program: &str, args: &[&str]) -> String {
    match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => {
            let text = if out.stdout.is_empty() {
                out.stderr
            } else {
                out.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("-")
                .trim()
                .to_string()
        }
        Err(_) => format!("{program}: not found"),
    }
}

// ---------------------------------------------------------------- compiler

fn compile_times(iters: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Compile time per form (read + analyze + emit + validate; {iters} iterations each)\n"
    );
    let _ = writeln!(out, "| form | p50 | p99 | patch size |");
    let _ = writeln!(out, "|------|-----|-----|------------|");
    let mut compiler = Compiler::new();
    for (name, code) in COMPILE_FORMS {
        let mut times = Vec::with_capacity(iters);
        let mut size = 0;
        let mut failed = None;
        for _ in 0..iters.max(1) {
            let mut ns = jank_wasm_nrepl::DEFAULT_NS.to_string();
            let started = Instant::now();
            let form = Reader::new(code, 1, 1).next_form(&compiler.read_context(&ns));
            let result = match form {
                Ok(Some(form)) => compiler
                    .compile(&mut ns, &form, None, &mut NoRuntime)
                    .map_err(|e| e.message),
                Ok(None) => Err("no form".to_string()),
                Err(e) => Err(e.message),
            };
            times.push(started.elapsed());
            match result {
                Ok(patch) => size = patch.wasm.len(),
                Err(e) => failed = Some(e),
            }
            if failed.is_some() {
                break;
            }
        }
        match failed {
            Some(why) => {
                let _ = writeln!(out, "| {name} | - | - | does not compile: {why} |");
            }
            None => {
                let stats = Stats::of(times);
                let _ = writeln!(
                    out,
                    "| {name} | {} | {} | {size} B |",
                    fmt_ms(stats.p50),
                    fmt_ms(stats.p99)
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------- stats

struct Stats {
    p50: Duration,
    p99: Duration,
    max: Duration,
    count: usize,
}

impl Stats {
    /// Percentiles as `nrepl-bench.py` computes them (index p/100 * len).
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let pick = |p: f64| {
            let i = ((p / 100.0) * samples.len() as f64) as usize;
            samples
                .get(i.min(samples.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        Stats {
            p50: pick(50.0),
            p99: pick(99.0),
            max: samples.last().copied().unwrap_or_default(),
            count: samples.len(),
        }
    }
}

fn fmt_ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 0.1 {
        format!("{:.1} µs", ms * 1e3)
    } else if ms < 10.0 {
        format!("{ms:.3} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

// ---------------------------------------------------------------- server

/// Starts the server under test (this executable's `--serve`, or `--server`)
/// in its own process group, so dropping it ends its Node runtime too.
fn start_server(args: &Args, extra: &[&str]) -> Result<ServerProcess> {
    let command = match &args.server {
        Some(path) => Command::new(path),
        None => {
            let me = std::env::current_exe().map_err(|e| e.to_string())?;
            let mut command = Command::new(me);
            command.arg("--serve");
            command
        }
    };
    Launch::command(command)
        .args(&["--bind", "127.0.0.1", "--runtime-wait", "30"])
        .args(extra)
        .own_process_group()
        .try_start()
}

/// VmRSS and VmHWM of a process, in KiB.
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// User plus system CPU time of a process so far, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ...`: fields after the last ')' start at field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> f64 {
    command_line("getconf", &["CLK_TCK"])
        .parse()
        .unwrap_or(100.0)
}

/// The direct children of a process (all its threads').
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| t.ok())
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|s| {
            s.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

fn fmt_mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

// ---------------------------------------------------------------- client

/// One eval; its round-trip time and last value, or what went wrong.
fn timed_eval(client: &mut Client, session: &str, code: &str) -> Result<(Duration, String)> {
    let started = Instant::now();
    let replies = client.try_eval(session, code)?;
    let elapsed = started.elapsed();
    match values(&replies).pop() {
        Some(value) => Ok((elapsed, value)),
        None => Err(format!(
            "`{code}` gave no value: {}",
            joined(&replies, "err")
        )),
    }
}

// ---------------------------------------------------------------- measurements

/// How many times each start-up is measured (the median is reported).
const START_UPS: usize = 5;

/// From starting to the first eval answered: the server with its headless Node
/// runtime (process start, runtime load, connect, replay), and a page that
/// Chromium opens on a running server (page load to first eval answered).
fn start_up(args: &Args) -> Result<String> {
    let mut node = Vec::new();
    for _ in 0..START_UPS {
        let started = Instant::now();
        let server = start_server(args, &["--headless"])?;
        first_answer(server.nrepl_port)?;
        node.push(started.elapsed());
    }
    let mut page = Vec::new();
    if !args.no_browser {
        for _ in 0..START_UPS {
            let server = start_server(args, &[])?;
            let mut client = Client::try_connect(server.nrepl_port)?;
            let session = client.try_clone_session()?;
            let started = Instant::now();
            let _browser = Browser::try_open(&args.chromium, &server.page_url)?;
            timed_eval(&mut client, &session, "(+ 1 2)")?;
            page.push(started.elapsed());
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times
            .get(times.len() / 2)
            .map_or("-".to_string(), |d| fmt_ms(*d))
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Start-up: to the first eval answered (median of {START_UPS})\n"
    );
    let _ = writeln!(out, "| runtime | from | first `(+ 1 2)` answered |");
    let _ = writeln!(out, "|---------|------|--------------------------|");
    let _ = writeln!(
        out,
        "| Node (`--headless`) | server start | {} |",
        median(&mut node)
    );
    if !args.no_browser {
        let _ = writeln!(
            out,
            "| headless Chromium | opening the page (Chromium's own start included) | {} |",
            median(&mut page)
        );
    }
    Ok(out)
}

/// Evaluates `(+ 1 2)` as soon as the server listens (the eval waits for its runtime).
fn first_answer(port: u16) -> Result<()> {
    let mut client = Client::try_connect(port)?;
    let session = client.try_clone_session()?;
    timed_eval(&mut client, &session, "(+ 1 2)").map(drop)
}

/// Round trips of each `(code, expected value)` in turn, `n` times after `warmup`.
fn latency(
    port: u16,
    steps: &[(&str, &str)],
    n: usize,
    warmup: usize,
    deadline: Instant,
) -> Result<Vec<Stats>> {
    let mut client = Client::try_connect(port)?;
    let session = client.try_clone_session()?;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(n); steps.len()];
    for i in 0..warmup + n {
        if Instant::now() > deadline {
            return Err("the time limit ran out".into());
        }
        for (k, (code, expected)) in steps.iter().enumerate() {
            let (took, value) = timed_eval(&mut client, &session, code)?;
            if value != *expected {
                return Err(format!("`{code}` gave {value}, expected {expected}"));
            }
            if i >= warmup {
                samples[k].push(took);
            }
        }
    }
    Ok(samples.into_iter().map(Stats::of).collect())
}

struct Throughput {
    evals: usize,
    per_second: f64,
    stats: Stats,
}

/// `conns` connections, one session each, each evaluating `(+ 1 2)` `per_conn`
/// times back to back, all started together.
fn throughput(port: u16, conns: usize, per_conn: usize, deadline: Instant) -> Result<Throughput> {
    throughput_of(port, conns, per_conn, deadline, false)
}

/// `throughput`, each eval a form of its own when `distinct` (`(+ 1 k)`,
/// a new `k` each time: every patch compiled anew, on the server and in the
/// runtime, where the same form's module is compiled once).
fn throughput_of(
    port: u16,
    conns: usize,
    per_conn: usize,
    deadline: Instant,
    distinct: bool,
) -> Result<Throughput> {
    let barrier = Arc::new(Barrier::new(conns + 1));
    let mut workers = Vec::new();
    for conn in 0..conns {
        let barrier = barrier.clone();
        workers.push(std::thread::spawn(move || -> Result<Vec<Duration>> {
            let prepared = Client::try_connect(port).and_then(|mut c| {
                let session = c.try_clone_session()?;
                Ok((c, session))
            });
            barrier.wait();
            let (mut client, session) = prepared?;
            let mut times = Vec::with_capacity(per_conn);
            for i in 0..per_conn {
                if Instant::now() > deadline {
                    return Err("the time limit ran out".into());
                }
                let k = if distinct {
                    1000 + conn * per_conn + i
                } else {
                    2
                };
                let form = format!("(+ 1 {k})");
                let (took, value) = timed_eval(&mut client, &session, &form)?;
                if value != (k + 1).to_string() {
                    return Err(format!("{form} gave {value}"));
                }
                times.push(took);
            }
            Ok(times)
        }));
    }
    barrier.wait();
    let started = Instant::now();
    let mut all = Vec::with_capacity(conns * per_conn);
    let mut first_error = None;
    for worker in workers {
        match worker.join() {
            Ok(Ok(times)) => all.extend(times),
            Ok(Err(e)) => first_error = first_error.or(Some(e)),
            Err(_) => first_error = first_error.or(Some("a client thread panicked".into())),
        }
    }
    let wall = started.elapsed();
    if let Some(e) = first_error {
        return Err(e);
    }
    let evals = all.len();
    Ok(Throughput {
        evals,
        per_second: evals as f64 / wall.as_secs_f64(),
        stats: Stats::of(all),
    })
}

const ADD: (&str, &str) = ("(+ 1 2)", "3");
const DEFN: (&str, &str) = ("(defn f [x] (+ x 1))", "#'user/f");
const CALL: (&str, &str) = ("(f 41)", "42");

fn latency_rows(out: &mut String, runtime: &str, add: &Stats, defn: &Stats, call: &Stats) {
    for (what, s) in [
        ("`(+ 1 2)`", add),
        ("`(defn f [x] (+ x 1))`", defn),
        ("`(f 41)` right after it", call),
    ] {
        let _ = writeln!(
            out,
            "| {runtime} | {what} | {} | {} | {} | {} |",
            fmt_ms(s.p50),
            fmt_ms(s.p99),
            fmt_ms(s.max),
            s.count
        );
    }
}

struct NodeResults {
    text: String,
    targets: String,
}

fn node_runtime(args: &Args, deadline: Instant) -> Result<NodeResults> {
    let server = start_server(args, &["--headless"])?;
    server.wait_for_runtime(Duration::from_secs(30))?;
    std::thread::sleep(Duration::from_secs(1));
    let idle = memory_kib(server.pid()).ok_or("cannot read the server's /proc status")?;
    let node_idle = children(server.pid())
        .first()
        .and_then(|&pid| memory_kib(pid));

    let add = latency(server.nrepl_port, &[ADD], args.n, args.warmup, deadline)?;
    let defn_call = latency(
        server.nrepl_port,
        &[DEFN, CALL],
        args.n,
        args.warmup,
        deadline,
    )?;
    let mut done = (args.n + args.warmup) * 3;
    let node_pid = children(server.pid()).first().copied();
    let cpu_before =
        [Some(server.pid()), node_pid, Some(std::process::id())].map(|p| p.and_then(cpu_ticks));
    let tp = throughput(server.nrepl_port, args.conns, args.per_conn, deadline)?;
    let cpu_after =
        [Some(server.pid()), node_pid, Some(std::process::id())].map(|p| p.and_then(cpu_ticks));
    done += tp.evals;
    let cpu_per_eval: Vec<String> = cpu_before
        .iter()
        .zip(&cpu_after)
        .map(|(b, a)| match (b, a) {
            (Some(b), Some(a)) => format!(
                "{:.0} µs",
                (a - b) as f64 * 1e6 / ticks_per_second() / tp.evals as f64
            ),
            _ => "-".to_string(),
        })
        .collect();

    // Up to `total_evals` in all, 16 connections at a time, in chunks of about
    // 10,000 evals; after each, the memory of both processes and the chunk's
    // rate, so growth shows. A runtime that dies ends the phase (and is reported).
    let mut growth = Vec::new();
    let mut runtime_failure = None;
    while done < args.total_evals && Instant::now() < deadline {
        let left = args.total_evals - done;
        let per_conn = (left.min(10_000) / args.conns).max(1);
        match throughput(server.nrepl_port, args.conns, per_conn, deadline) {
            Ok(more) => {
                done += more.evals;
                let node_rss = children(server.pid())
                    .first()
                    .and_then(|&pid| memory_kib(pid))
                    .map(|(rss, _)| rss);
                growth.push((done, memory_kib(server.pid()), node_rss, more));
            }
            Err(e) => {
                runtime_failure = Some(format!(
                    "after about {done} evals (the last {}-eval chunk did not finish): {e}",
                    per_conn * args.conns
                ));
                break;
            }
        }
    }
    let after = memory_kib(server.pid()).ok_or("cannot read the server's /proc status")?;
    let node_after = children(server.pid())
        .first()
        .and_then(|&pid| memory_kib(pid));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Eval round trip (one connection, {} timed evals after {} warm-up)\n",
        args.n, args.warmup
    );
    let _ = writeln!(out, "| runtime | eval | p50 | p99 | max | evals |");
    let _ = writeln!(out, "|---------|------|-----|-----|-----|-------|");
    latency_rows(
        &mut out,
        "Node (`--headless`)",
        &add[0],
        &defn_call[0],
        &defn_call[1],
    );
    let _ = writeln!(
        out,
        "\n## Throughput ({} connections at once, `(+ 1 2)`, {} evals each)\n",
        args.conns, args.per_conn
    );
    let _ = writeln!(out, "| runtime | evals/s | p50 | p99 |");
    let _ = writeln!(out, "|---------|---------|-----|-----|");
    let _ = writeln!(
        out,
        "| Node (`--headless`) | {:.0} | {} | {} |",
        tp.per_second,
        fmt_ms(tp.stats.p50),
        fmt_ms(tp.stats.p99)
    );
    let _ = writeln!(
        out,
        "\nCPU time per eval during that run (utime+stime from /proc): server {}, Node runtime {}, this bench's client threads {}.",
        cpu_per_eval[0], cpu_per_eval[1], cpu_per_eval[2]
    );
    let _ = writeln!(
        out,
        "\n## Resident memory (server process, /proc/PID/status)\n"
    );
    let _ = writeln!(
        out,
        "| when | server VmRSS | server VmHWM | Node runtime VmRSS |"
    );
    let _ = writeln!(
        out,
        "|------|--------------|--------------|--------------------|"
    );
    let node_mem = |m: Option<(u64, u64)>| m.map(|(rss, _)| fmt_mib(rss)).unwrap_or("-".into());
    let _ = writeln!(
        out,
        "| idle, runtime connected | {} | {} | {} |",
        fmt_mib(idle.0),
        fmt_mib(idle.1),
        node_mem(node_idle)
    );
    let _ = writeln!(
        out,
        "| after {done} evals | {} | {} | {} |",
        fmt_mib(after.0),
        fmt_mib(after.1),
        node_mem(node_after)
    );
    if !growth.is_empty() {
        let _ = writeln!(
            out,
            "\n## Over many evals ({} connections, `(+ 1 2)`)\n",
            args.conns
        );
        let _ = writeln!(
            out,
            "| evals so far | server VmRSS | Node runtime VmRSS | evals/s in the last chunk | p50 | p99 |"
        );
        let _ = writeln!(out, "|-----|-----|-----|-----|-----|-----|");
        for (count, server_mem, node_rss, chunk) in &growth {
            let _ = writeln!(
                out,
                "| {count} | {} | {} | {:.0} | {} | {} |",
                server_mem
                    .map(|(rss, _)| fmt_mib(rss))
                    .unwrap_or("-".into()),
                node_rss.map(fmt_mib).unwrap_or("-".into()),
                chunk.per_second,
                fmt_ms(chunk.stats.p50),
                fmt_ms(chunk.stats.p99)
            );
        }
    }
    if let Some(failure) = &runtime_failure {
        let _ = writeln!(out, "\n**The Node runtime failed {failure}**");
    }

    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let mut targets = String::new();
    let _ = writeln!(targets, "## Targets (Node runtime)\n");
    let _ = writeln!(targets, "| target | measured | |");
    let _ = writeln!(targets, "|--------|----------|-|");
    let p50 = add[0].p50.max(defn_call[0].p50).max(defn_call[1].p50);
    let p99 = add[0].p99.max(defn_call[0].p99).max(defn_call[1].p99);
    let _ = writeln!(
        targets,
        "| p50 < 1 ms | {} (worst of the three evals) | {} |",
        fmt_ms(p50),
        verdict(p50 < Duration::from_millis(1))
    );
    let _ = writeln!(
        targets,
        "| p99 < 5 ms | {} (worst of the three evals) | {} |",
        fmt_ms(p99),
        verdict(p99 < Duration::from_millis(5))
    );
    let _ = writeln!(
        targets,
        "| >= 5,000 evals/s over {} connections | {:.0} | {} |",
        args.conns,
        tp.per_second,
        verdict(tp.per_second >= 5000.0)
    );
    let peak = idle.0.max(after.0);
    let _ = writeln!(
        targets,
        "| < 50 MB resident | {} (after {done} evals) | {} |",
        fmt_mib(peak),
        verdict(peak * 1024 < 50_000_000)
    );
    out.push_str(&running_code(server.nrepl_port)?);
    Ok(NodeResults { text: out, targets })
}

/// Definitions the running-code workloads use.
const RUNNING_SETUP: &[&str] = &[
    "(defn fact [n] (if (<= n 1) 1 (* n (fact (dec n)))))",
    "(defprotocol IBench (bench-m [x]))",
    "(defrecord BenchRec [a b] IBench (bench-m [_] a))",
    "(deftype BenchType [a] IBench (bench-m [_] a))",
    "(extend-type String IBench (bench-m [s] 1))",
    "(def bench-rec (->BenchRec 1 2))",
    "(def bench-type (->BenchType 1))",
    "(defmulti bench-area :shape)",
    "(defmethod bench-area :sq [m] (* (:s m) (:s m)))",
    "(defmethod bench-area :default [_] 0)",
    "(def bench-sq {:shape :sq :s 3})",
    "(defmulti bench-kind class)",
    "(defmethod bench-kind BenchRec [_] :rec)",
];

/// The running-code workloads: what the table calls it, how many times, the expression.
const RUNNING_WORKLOADS: &[(&str, u32, &str)] = &[
    ("`(fact 20)`", 100_000, "(fact 20)"),
    (
        "protocol call, record's own method",
        1_000_000,
        "(bench-m bench-rec)",
    ),
    (
        "protocol call, deftype's own method",
        1_000_000,
        "(bench-m bench-type)",
    ),
    (
        "protocol call, extend-type String",
        1_000_000,
        "(bench-m \"s\")",
    ),
    (
        "record field by keyword `(:b r)`",
        1_000_000,
        "(:b bench-rec)",
    ),
    ("record field by `(.-b r)`", 1_000_000, "(.-b bench-rec)"),
    (
        "record field by `(get r :b)`",
        1_000_000,
        "(get bench-rec :b)",
    ),
    (
        "multimethod call, keyword dispatch",
        1_000_000,
        "(bench-area bench-sq)",
    ),
    (
        "multimethod call, class dispatch",
        1_000_000,
        "(bench-kind bench-rec)",
    ),
];

/// How fast compiled code runs in the runtime: the runtime's own clock
/// (`performance.now`) around each workload run in a `dotimes`, best of three,
/// and a `loop`/`recur` to 10 million.
fn running_code(port: u16) -> Result<String> {
    let mut client = Client::try_connect(port)?;
    let session = client.try_clone_session()?;
    for form in RUNNING_SETUP {
        timed_eval(&mut client, &session, form)?;
    }
    let timed =
        |body: &str| format!("(let [t (js/performance.now)] {body} (- (js/performance.now) t))");
    let mut best_of_three = |body: &str| -> Result<f64> {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let (_, ms) = timed_eval(&mut client, &session, &timed(body))?;
            let ms: f64 = ms
                .parse()
                .map_err(|_| format!("{body}: the runtime answered {ms}"))?;
            best = best.min(ms);
        }
        Ok(best)
    };
    let mut out = String::from(
        "\n## Running code in the Node runtime (the runtime's own clock, best of 3)\n\n",
    );
    out.push_str("| code | runs | time | per run |\n|------|------|------|---------|\n");
    for (name, runs, expr) in RUNNING_WORKLOADS {
        let ms = best_of_three(&format!("(dotimes [_ {runs}] {expr})"))?;
        let per_run_ns = ms * 1e6 / f64::from(*runs);
        let _ = writeln!(out, "| {name} | {runs} | {ms:.1} ms | {per_run_ns:.1} ns |");
    }
    let loop_ms = best_of_three("(loop [i 0] (when (< i 10000000) (recur (inc i))))")?;
    let _ = writeln!(
        out,
        "| `loop`/`recur` to 10,000,000 | 1 | {loop_ms:.1} ms | - |"
    );
    Ok(out)
}

fn browser_runtime(args: &Args, deadline: Instant) -> Result<String> {
    let server = start_server(args, &[])?;
    let _browser = Browser::try_open(&args.chromium, &server.page_url)?;
    server.wait_for_runtime(Duration::from_secs(60))?;
    let n = args.n.min(1000);
    let add = latency(server.nrepl_port, &[ADD], n, args.warmup, deadline)?;
    let defn_call = latency(server.nrepl_port, &[DEFN, CALL], n, args.warmup, deadline)?;
    let per_conn = args.per_conn.min(250);
    let tp = throughput(server.nrepl_port, args.conns, per_conn, deadline)?;
    let distinct = throughput_of(server.nrepl_port, args.conns, per_conn, deadline, true)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Eval round trip, headless Chromium as the runtime ({n} timed evals after {} warm-up)\n",
        args.warmup
    );
    let _ = writeln!(out, "| runtime | eval | p50 | p99 | max | evals |");
    let _ = writeln!(out, "|---------|------|-----|-----|-----|-------|");
    latency_rows(
        &mut out,
        "headless Chromium",
        &add[0],
        &defn_call[0],
        &defn_call[1],
    );
    let _ = writeln!(
        out,
        "\nThroughput, {} connections x {per_conn} evals: {:.0} evals/s (p50 {}, p99 {})",
        args.conns,
        tp.per_second,
        fmt_ms(tp.stats.p50),
        fmt_ms(tp.stats.p99)
    );
    let _ = writeln!(
        out,
        "The same with a form of its own per eval (`(+ 1 k)`, each compiled anew): {:.0} evals/s (p50 {}, p99 {})",
        distinct.per_second,
        fmt_ms(distinct.stats.p50),
        fmt_ms(distinct.stats.p99)
    );
    Ok(out)
}

// ---------------------------------------------------------------- the suite in the page

/// perf-suite.py's setup forms, and its workloads (name, the form that
/// times it), as the suite itself builds them.
#[derive(serde::Deserialize)]
struct Suite {
    setup: Vec<String>,
    work: Vec<(String, String)>,
}

/// Reads `Suite` out of perf-suite.py.
fn suite_forms(args: &Args) -> Result<Suite> {
    const DUMP: &str = r#"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("suite", sys.argv[1])
suite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(suite)
print(json.dumps({"setup": suite.SETUP,
                  "work": [[name, suite.timed(expr, n)] for name, n, expr in suite.WORK]}))
"#;
    let output = Command::new("python3")
        .args(["-c", DUMP])
        .arg(&args.perf_suite)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "reading {}: {}",
            args.perf_suite.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

/// Each workload's best of three runs, in ms, timed inside the runtime of
/// the server at `port` (None where it failed).
fn suite_times(port: u16, setup: &[String], work: &[(String, String)]) -> Result<Vec<Option<f64>>> {
    let mut client = Client::try_connect(port)?;
    let session = client.try_clone_session()?;
    timed_eval(&mut client, &session, "(require '[clojure.string])")?;
    for form in setup {
        timed_eval(&mut client, &session, form)?;
    }
    let mut times = Vec::new();
    for (_, form) in work {
        let mut best: Option<f64> = None;
        for _ in 0..3 {
            let ms = timed_eval(&mut client, &session, form)
                .ok()
                .and_then(|(_, value)| value.parse::<f64>().ok());
            best = match (best, ms) {
                (_, None) => None,
                (None, Some(ms)) => Some(ms),
                (Some(b), Some(ms)) => Some(b.min(ms)),
            };
            if ms.is_none() {
                break;
            }
        }
        times.push(best);
    }
    Ok(times)
}

/// perf-suite.py's workloads run in the page (headless Chromium) and in the
/// Node runtime, one after the other on this machine: the table, and the
/// geometric mean and worst of page/Node.
fn suite_in_page(args: &Args) -> Result<String> {
    let Suite { setup, work } = suite_forms(args)?;
    let long_evals = ["--eval-timeout", "300"];
    let node = {
        let server = start_server(args, &["--headless", long_evals[0], long_evals[1]])?;
        server.wait_for_runtime(Duration::from_secs(30))?;
        suite_times(server.nrepl_port, &setup, &work)?
    };
    let page = {
        let server = start_server(args, &long_evals)?;
        let _browser = Browser::try_open(&args.chromium, &server.page_url)?;
        server.wait_for_runtime(Duration::from_secs(60))?;
        suite_times(server.nrepl_port, &setup, &work)?
    };
    let mut out = String::from(
        "## The compiled-code workloads (`perf-suite.py`'s) in the page and in Node (the runtime's own clock, best of 3)\n\n",
    );
    out.push_str("| workload | Node ms | page ms | page/Node |\n|---|---|---|---|\n");
    let shown = |ms: Option<f64>| ms.map_or("-".to_string(), |ms| format!("{ms:.2}"));
    let mut logs = Vec::new();
    let mut worst = (0.0, "");
    for (((name, _), node), page) in work.iter().zip(&node).zip(&page) {
        let ratio = match (node, page) {
            (Some(node), Some(page)) if *node > 0.0 => Some(page / node),
            _ => None,
        };
        if let Some(ratio) = ratio {
            logs.push(f64::ln(ratio.max(1e-6)));
            if ratio > worst.0 {
                worst = (ratio, name.as_str());
            }
        }
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            shown(*node),
            shown(*page),
            ratio.map_or("-".to_string(), |r| format!("{r:.2}"))
        );
    }
    let geomean = (logs.iter().sum::<f64>() / logs.len().max(1) as f64).exp();
    let _ = writeln!(
        out,
        "\npage/Node geomean {geomean:.2}x over {} workloads (worst {:.2}x, {})",
        logs.len(),
        worst.0,
        worst.1
    );
    Ok(out)
}

// ---------------------------------------------------------------- JVM

/// The JVM nREPL server; killed when dropped.
struct JvmServer {
    child: Child,
    port: u16,
}

impl JvmServer {
    fn start() -> Result<JvmServer> {
        for jar in JVM_CLASSPATH {
            if !Path::new(jar).exists() {
                return Err(format!(
                    "{jar} is missing (apt-get install libnrepl-clojure)"
                ));
            }
        }
        let port = free_port()?;
        let child = Command::new("java")
            .args(["-cp", &JVM_CLASSPATH.join(":")])
            .args(["clojure.main", "-m", "nrepl.cmdline"])
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("starting java: {e}"))?;
        let server = JvmServer { child, port };
        poll_until(Duration::from_secs(90), Duration::from_millis(100), || {
            TcpStream::connect(("127.0.0.1", port)).ok()
        })
        .ok_or("the JVM nREPL server did not open its port within 90 s")?;
        Ok(server)
    }
}

impl Drop for JvmServer {
    fn drop(&mut self) {
        kill_process_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Runs nrepl-bench.py; its JSON result.
fn nrepl_bench(
    script: &Path,
    port: u16,
    n: usize,
    warmup: usize,
    conns: usize,
) -> Result<serde_json::Value> {
    let child = Command::new("python3")
        .arg(script)
        .args([
            "--port",
            &port.to_string(),
            "--code",
            "(+ 1 2)",
            "--expect",
            "3",
        ])
        .args(["--n", &n.to_string(), "--warmup", &warmup.to_string()])
        .args(["--conns", &conns.to_string(), "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running python3 {}: {e}", script.display()))?;
    let output = wait_with_timeout(child, Duration::from_secs(600));
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "nrepl-bench.py failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_str(stdout.trim()).map_err(|e| format!("nrepl-bench.py printed {stdout}: {e}"))
}

fn jvm_comparison(args: &Args, deadline: Instant) -> Result<String> {
    if !args.nrepl_bench.exists() {
        return Err(format!("{} is missing", args.nrepl_bench.display()));
    }
    let n = args.n.min(1000);
    let warmup = args.warmup;
    // The JVM's first evals compile and JIT; warm it before timing.
    let jvm = JvmServer::start()?;
    let jvm_one = nrepl_bench(&args.nrepl_bench, jvm.port, n, warmup.max(200), 1)?;
    let jvm_many = nrepl_bench(&args.nrepl_bench, jvm.port, n / 4, 20, args.conns)?;
    drop(jvm);
    if Instant::now() > deadline {
        return Err("the time limit ran out".into());
    }
    let ours = start_server(args, &["--headless"])?;
    ours.wait_for_runtime(Duration::from_secs(30))?;
    let our_one = nrepl_bench(&args.nrepl_bench, ours.nrepl_port, n, warmup, 1)?;
    let our_many = nrepl_bench(&args.nrepl_bench, ours.nrepl_port, n / 4, 20, args.conns)?;
    drop(ours);

    let num = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Against the reference JVM nREPL server (nrepl-bench.py, `(+ 1 2)`)\n"
    );
    let _ = writeln!(
        out,
        "| server | p50 | p99 | evals/s, 1 conn | evals/s, {} conns | p50, {} conns |",
        args.conns, args.conns
    );
    let _ = writeln!(out, "|--------|-----|-----|-----|-----|-----|");
    for (name, one, many) in [
        ("jank-wasm-nrepl, Node runtime", &our_one, &our_many),
        ("JVM nREPL 1.0 (`nrepl.cmdline`)", &jvm_one, &jvm_many),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {:.3} ms | {:.3} ms | {:.0} | {:.0} | {:.3} ms |",
            num(one, "p50_ms"),
            num(one, "p99_ms"),
            num(one, "evals_per_s"),
            num(many, "evals_per_s"),
            num(many, "p50_ms")
        );
    }
    let _ = writeln!(
        out,
        "\nRatio JVM / jank-wasm-nrepl: p50 {:.1}x, p99 {:.1}x, 1-connection throughput {:.2}x, {}-connection throughput {:.2}x (above 1 means the JVM server is slower).",
        num(&jvm_one, "p50_ms") / num(&our_one, "p50_ms"),
        num(&jvm_one, "p99_ms") / num(&our_one, "p99_ms"),
        num(&our_one, "evals_per_s") / num(&jvm_one, "evals_per_s"),
        args.conns,
        num(&our_many, "evals_per_s") / num(&jvm_many, "evals_per_s"),
    );
    Ok(out)
}
