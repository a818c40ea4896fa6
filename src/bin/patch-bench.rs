//! Patch build times of the jank toolchain path: `cargo run --release --bin
//! patch-bench` (needs Debian's emscripten; `-- --help` for options).
//!
//! Builds the same kind of patch an eval makes (the C++ of a small module
//! with a few fns, from `proxy-tests/emcc-host/jank-test-double`, plus the
//! entry `toolchain::patch_source` adds) and reports, as a Markdown table,
//! the median and best time of:
//! - plain `emcc` (what the plan did),
//! - emcc's own clang and wasm-ld commands run directly, without emcc,
//! - the same plus the precompiled prelude header,
//! - the builder as the server runs it: plus spare clang/wasm-ld processes
//!   started ahead of the build ("cold": a source never built before),
//! - a cached build (the same source again).
//!
//! Each cold build uses a source that differs from every other (a comment),
//! so no cache can answer it. Every process started here ends with the bench.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use jank_wasm_nrepl::toolchain::build::{BuilderOptions, PatchBuilder};
use jank_wasm_nrepl::toolchain::{cflags, emcc, patch_flags, patch_source};

#[derive(Parser)]
#[command(about = "Patch build times of the jank toolchain path")]
struct Options {
    /// Builds per measurement.
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// The emcc to compare with and probe.
    #[arg(long, default_value = "emcc")]
    emcc: String,
    /// Extra patch flags (as --emcc-flag); e.g. --flag=-O2.
    #[arg(long = "flag", allow_hyphen_values = true)]
    flags: Vec<String>,
}

/// The module every build compiles (through the jank test double).
const MODULE: &str = r#"(ns user)
(defn ggg [v] (+ v 49))
(defn hhh [v] (ggg v))
(defn greet [who & more] (str "hello " who more))
(def jank-wasm-value__ (let [x 2 f (fn [y] (* x y))] (println (greet "you")) (hhh (f 21))))
"#;

fn main() -> ExitCode {
    let options = Options::parse();
    match run(&options) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("patch-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let double = root.join("proxy-tests/emcc-host/jank-test-double");
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cpp = jank_cpp(&double, work.path())?;
    let printed = command_output(Command::new(&double).arg("print-cflags"))?;
    let cflags = cflags::filter(&printed, &double, &[]);
    let flags = patch_flags(&cflags.kept, &options.flags);
    let commands = emcc::probe(Path::new(&options.emcc), &flags, work.path())?;

    let mut rows = Vec::new();
    rows.push((
        "plain `emcc` (the plan)",
        plain_emcc(options, &flags, &cpp, work.path())?,
    ));
    for (name, pch, spare) in [
        ("clang + wasm-ld directly", false, false),
        ("+ precompiled prelude header", true, false),
        ("+ spare processes (the server's cold build)", true, true),
    ] {
        let dir = work.path().join(name.len().to_string());
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let builder = PatchBuilder::new(
            commands.clone(),
            &dir,
            BuilderOptions {
                spare_processes: spare,
                precompiled_header: pch,
                disk_cache: None,
                cache: false,
            },
        );
        rows.push((name, cold_builds(options, &builder, &cpp)?));
    }
    let cached = PatchBuilder::new(commands.clone(), work.path(), BuilderOptions::default());
    rows.push((
        "cached (same source again)",
        cached_builds(options, &cached, &cpp)?,
    ));

    let mut report = format!(
        "Patch build times, {} runs each (emscripten: {}; flags: {})\n\n| build | median | best |\n|---|---|---|\n",
        options.runs,
        commands.version,
        flags.join(" ")
    );
    for (name, times) in rows {
        report.push_str(&format!(
            "| {name} | {} | {} |\n",
            ms(median(&times)),
            ms(times.iter().copied().min().unwrap_or_default())
        ));
    }
    Ok(report)
}

/// The test double's C++ for `MODULE` (`--name` is a file name in the
/// working directory, as jank requires).
fn jank_cpp(double: &Path, dir: &Path) -> Result<String, String> {
    std::fs::write(dir.join("user.jank"), MODULE).map_err(|e| e.to_string())?;
    command_output(
        Command::new(double)
            .arg("--module-path")
            .arg(dir)
            .args(["compile-module", "--output-target", "cpp", "--name"])
            .arg("module.cpp")
            .arg("user")
            .current_dir(dir),
    )?;
    std::fs::read_to_string(dir.join("module.cpp")).map_err(|e| e.to_string())
}

/// A source never built before: `cpp` plus a distinct comment.
fn variant(cpp: &str, n: usize) -> String {
    format!("{cpp}\n// variant {n} {:?}\n", Instant::now())
}

fn plain_emcc(
    options: &Options,
    flags: &[String],
    cpp: &str,
    dir: &Path,
) -> Result<Vec<Duration>, String> {
    let probe = tempfile::tempdir().map_err(|e| e.to_string())?;
    let builder = PatchBuilder::new(
        emcc::probe(Path::new(&options.emcc), flags, probe.path())?,
        probe.path(),
        BuilderOptions {
            spare_processes: false,
            precompiled_header: false,
            disk_cache: None,
            cache: false,
        },
    );
    let mut times = Vec::new();
    for n in 0..options.runs {
        let source = patch_source(
            &builder,
            &variant(cpp, n),
            Some("user/jank-wasm-value__"),
            &[],
        )?;
        let file = dir.join("plain.cpp");
        std::fs::write(&file, source.text).map_err(|e| e.to_string())?;
        let started = Instant::now();
        command_output(
            Command::new(&options.emcc)
                .args(flags)
                .arg(&file)
                .arg("-o")
                .arg(dir.join("plain.wasm")),
        )?;
        times.push(started.elapsed());
    }
    Ok(times)
}

fn cold_builds(
    options: &Options,
    builder: &PatchBuilder,
    cpp: &str,
) -> Result<Vec<Duration>, String> {
    let mut times = Vec::new();
    for n in 0..options.runs {
        // Between evals there is time (the user types): let the spare processes load.
        std::thread::sleep(Duration::from_millis(400));
        let patch = patch_source(
            builder,
            &variant(cpp, n),
            Some("user/jank-wasm-value__"),
            &[],
        )?;
        let built = builder
            .build(&patch.text, &patch.id)
            .map_err(|e| e.to_string())?;
        assert!(!built.cached);
        times.push(built.took);
    }
    Ok(times)
}

fn cached_builds(
    options: &Options,
    builder: &PatchBuilder,
    cpp: &str,
) -> Result<Vec<Duration>, String> {
    let patch = patch_source(builder, cpp, Some("user/jank-wasm-value__"), &[])?;
    builder
        .build(&patch.text, &patch.id)
        .map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    for _ in 0..options.runs {
        let built = builder
            .build(&patch.text, &patch.id)
            .map_err(|e| e.to_string())?;
        assert!(built.cached);
        times.push(built.took);
    }
    Ok(times)
}

fn command_output(command: &mut Command) -> Result<String, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    if duration < Duration::from_millis(1) {
        format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
    } else {
        format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
    }
}
