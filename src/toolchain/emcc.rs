//! What emcc runs, learned once: emcc is a Python driver that costs about
//! 150 ms per call before it does anything. At start we compile a probe file
//! with `emcc -v` and the patch flags, and keep the commands it prints: the
//! clang `-cc1` line (the compiler proper, without clang's own driver), the
//! `wasm-ld` line and the `wasm-emscripten-finalize` line. Patches are then
//! built by running those with the probe's file names swapped for the
//! patch's: the arguments emcc would use, without emcc.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::process::{split_words, wait_until};

/// One word of a command: literal text, or where the input or output path goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    Text(String),
    Input,
    Output,
}

/// A program and its arguments, with slots for the input and output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Template {
    pub program: String,
    pub args: Vec<Arg>,
}

impl Template {
    /// A command for `input` and `output`.
    pub fn command(&self, input: &Path, output: &Path) -> Command {
        let mut command = Command::new(&self.program);
        command.args(self.args.iter().map(|arg| match arg {
            Arg::Text(text) => std::ffi::OsStr::new(text.as_str()),
            Arg::Input => input.as_os_str(),
            Arg::Output => output.as_os_str(),
        }));
        command
    }

    /// The template with `from` replaced by `to` wherever it is a whole word.
    pub fn replacing(&self, from: &str, to: &str) -> Template {
        let mut template = self.clone();
        for arg in &mut template.args {
            if *arg == Arg::Text(from.to_string()) {
                *arg = Arg::Text(to.to_string());
            }
        }
        template
    }

    /// The template with `extra` inserted before the first `before` word (at
    /// the end when there is none).
    pub fn inserting_before(&self, before: &str, extra: &[&str]) -> Template {
        let mut template = self.clone();
        let at = template
            .args
            .iter()
            .position(|a| *a == Arg::Text(before.to_string()))
            .unwrap_or(template.args.len());
        template
            .args
            .splice(at..at, extra.iter().map(|text| Arg::Text(text.to_string())));
        template
    }

    /// A stable description, for cache keys.
    pub fn describe(&self) -> String {
        let mut text = self.program.clone();
        for arg in &self.args {
            text.push('\u{1f}');
            match arg {
                Arg::Text(t) => text.push_str(t),
                Arg::Input => text.push_str("<input>"),
                Arg::Output => text.push_str("<output>"),
            }
        }
        text
    }
}

/// The commands emcc runs for one side module.
#[derive(Clone, Debug)]
pub struct EmccCommands {
    /// `clang -cc1 ... -emit-obj -o <output> -x c++ <input>`.
    pub compile: Template,
    /// `wasm-ld ... -o <output> <input object> ... -shared`.
    pub link: Template,
    /// `wasm-emscripten-finalize ... <input> -o <output>`, if emcc ran it.
    pub finalize: Option<Template>,
    /// `emcc --version`'s first line.
    pub version: String,
}

const PROBE: &str = "jank_wasm_probe";
const PROBE_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `emcc -v <flags>` on a probe file in `dir` and reads its commands.
pub fn probe(emcc: &Path, flags: &[String], dir: &Path) -> Result<EmccCommands, String> {
    let source = dir.join(format!("{PROBE}.cpp"));
    std::fs::write(
        &source,
        "extern \"C\" int jank_wasm_probe() { return 0; }\n",
    )
    .map_err(|e| format!("cannot write the emcc probe: {e}"))?;
    let output = run(
        Command::new(emcc)
            .arg("-v")
            .args(flags)
            .arg(&source)
            .arg("-o")
            .arg(dir.join(format!("{PROBE}.wasm")))
            .current_dir(dir),
        "emcc",
    )?;
    let version = run(Command::new(emcc).arg("--version"), "emcc --version")?;
    let version = version.lines().next().unwrap_or("").trim().to_string();
    let commands = parse_commands(&output, &version).ok_or_else(|| {
        format!(
            "could not find the clang and wasm-ld commands in `{} -v`'s output:\n{output}",
            emcc.display()
        )
    })?;
    Ok(commands.without_dir(dir))
}

impl EmccCommands {
    /// The commands with the probe's directory (in clang's compilation-dir
    /// flags) replaced by `.`: it names nothing a patch build needs, and
    /// would make every run's cache keys different.
    fn without_dir(mut self, dir: &Path) -> EmccCommands {
        let dir = dir.to_string_lossy().into_owned();
        let templates = [
            Some(&mut self.compile),
            Some(&mut self.link),
            self.finalize.as_mut(),
        ];
        for template in templates.into_iter().flatten() {
            for arg in &mut template.args {
                if let Arg::Text(text) = arg {
                    *text = text.replace(&dir, ".");
                }
            }
        }
        self
    }
}

/// Runs a command to completion; its stdout and stderr, or why it failed.
fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let file = |path: &PathBuf| std::fs::File::create(path).map_err(|e| e.to_string());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(file(&out)?)
        .stderr(file(&err)?)
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let status = wait_until(&mut child, Instant::now() + PROBE_TIMEOUT)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{what} did not finish within {PROBE_TIMEOUT:?}"))?;
    let text = std::fs::read_to_string(&out).unwrap_or_default()
        + &std::fs::read_to_string(&err).unwrap_or_default();
    if status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed ({status}):\n{text}"))
    }
}

/// The commands in `emcc -v`'s output (see `probe`).
pub fn parse_commands(output: &str, version: &str) -> Option<EmccCommands> {
    let mut compile = None;
    let mut link = None;
    let mut finalize = None;
    for line in output.lines().filter(|l| l.starts_with(' ')) {
        let words = split_words(line);
        let Some(program) = words.first() else {
            continue;
        };
        let base = program.rsplit('/').next().unwrap_or(program);
        if words.get(1).is_some_and(|w| w == "-cc1") {
            compile = compile_template(&words);
        } else if base.starts_with("wasm-ld") {
            link = link_template(&words);
        } else if base == "wasm-emscripten-finalize" {
            finalize = finalize_template(&words);
        }
    }
    Some(EmccCommands {
        compile: compile?,
        link: link?,
        finalize,
        version: version.to_string(),
    })
}

/// The cc1 line with the probe's names replaced: the source is `Input`, the
/// object `Output`, and clang's `-v` (from our probe) dropped.
fn compile_template(words: &[String]) -> Option<Template> {
    let mut args = Vec::new();
    let mut rest = words[1..].iter().peekable();
    let mut saw_input = false;
    while let Some(word) = rest.next() {
        match word.as_str() {
            "-v" => {}
            "-o" => {
                rest.next();
                args.push(Arg::Text("-o".into()));
                args.push(Arg::Output);
            }
            "-main-file-name" => {
                rest.next();
                args.push(Arg::Text(word.clone()));
                args.push(Arg::Text("patch.cpp".into()));
            }
            w if w.ends_with(&format!("{PROBE}.cpp")) => {
                saw_input = true;
                args.push(Arg::Input);
            }
            _ => args.push(Arg::Text(word.clone())),
        }
    }
    saw_input.then(|| Template {
        program: words[0].clone(),
        args,
    })
}

/// The wasm-ld line: the probe's object is `Input`, `-o`'s value `Output`.
fn link_template(words: &[String]) -> Option<Template> {
    let mut args = Vec::new();
    let mut rest = words[1..].iter();
    let mut saw_input = false;
    while let Some(word) = rest.next() {
        if word == "-o" {
            rest.next();
            args.push(Arg::Text("-o".into()));
            args.push(Arg::Output);
        } else if word.contains(PROBE) && word.ends_with(".o") {
            saw_input = true;
            args.push(Arg::Input);
        } else {
            args.push(Arg::Text(word.clone()));
        }
    }
    saw_input.then(|| Template {
        program: words[0].clone(),
        args,
    })
}

/// The finalize line: `-o`'s value is `Output`, the other probe name `Input`.
fn finalize_template(words: &[String]) -> Option<Template> {
    let mut args = Vec::new();
    let mut rest = words[1..].iter();
    let (mut saw_input, mut saw_output) = (false, false);
    while let Some(word) = rest.next() {
        if word == "-o" {
            rest.next();
            saw_output = true;
            args.push(Arg::Text("-o".into()));
            args.push(Arg::Output);
        } else if word.ends_with(&format!("{PROBE}.wasm")) {
            saw_input = true;
            args.push(Arg::Input);
        } else {
            args.push(Arg::Text(word.clone()));
        }
    }
    (saw_input && saw_output).then(|| Template {
        program: words[0].clone(),
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = r#" "/usr/bin/clang++-14" -target wasm32-unknown-emscripten -O2 jank_wasm_probe.cpp -c -o /tmp/emscripten_temp_x/jank_wasm_probe_0.o
clang version 14.0.6
 "/usr/lib/llvm-14/bin/clang" -cc1 -triple wasm32-unknown-emscripten -emit-obj -main-file-name jank_wasm_probe.cpp -v -O2 -o /tmp/emscripten_temp_x/jank_wasm_probe_0.o -x c++ /tmp/d/jank_wasm_probe.cpp
 "/usr/bin/wasm-ld-14" -o /tmp/d/jank_wasm_probe.wasm --whole-archive /tmp/emscripten_temp_x/jank_wasm_probe_0.o --no-whole-archive --export-dynamic -shared
 "wasm-emscripten-finalize" --side-module /tmp/d/jank_wasm_probe.wasm -o /tmp/d/jank_wasm_probe.wasm --detect-features
"#;

    #[test]
    fn reads_the_commands_emcc_runs() {
        let commands = parse_commands(OUTPUT, "emcc 3.1.6").unwrap();
        let t = |s: &str| Arg::Text(s.to_string());
        assert_eq!(commands.compile.program, "/usr/lib/llvm-14/bin/clang");
        assert_eq!(
            commands.compile.args,
            [
                t("-cc1"),
                t("-triple"),
                t("wasm32-unknown-emscripten"),
                t("-emit-obj"),
                t("-main-file-name"),
                t("patch.cpp"),
                t("-O2"),
                t("-o"),
                Arg::Output,
                t("-x"),
                t("c++"),
                Arg::Input
            ]
        );
        assert_eq!(
            commands.link.args,
            [
                t("-o"),
                Arg::Output,
                t("--whole-archive"),
                Arg::Input,
                t("--no-whole-archive"),
                t("--export-dynamic"),
                t("-shared")
            ]
        );
        let finalize = commands.finalize.unwrap();
        assert_eq!(
            finalize.args,
            [
                t("--side-module"),
                Arg::Input,
                t("-o"),
                Arg::Output,
                t("--detect-features")
            ]
        );
        let with_pch = commands
            .compile
            .inserting_before("-x", &["-include-pch", "p.pch"]);
        assert_eq!(with_pch.args[9..11], [t("-include-pch"), t("p.pch")]);
    }
}
