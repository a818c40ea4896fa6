//! Running the `jank` command: `print-cflags` once at start, and
//! `compile-module --output-target cpp` for every eval.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::process::{split_words, wait_until};

/// How long jank may take to compile one eval's module.
const JANK_TIMEOUT: Duration = Duration::from_secs(300);

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
        Jank {
            program,
            args,
            module_path,
        }
    }

    /// `jank print-cflags`: the flags jank compiles its C++ with.
    pub fn cflags(&self) -> Result<Vec<String>, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = dir.path().join("out");
        self.run(
            Command::new(&self.program)
                .args(&self.args)
                .arg("print-cflags"),
            &out,
        )
        .map(|text| split_words(text.trim()))
        .map_err(|text| format!("`{} print-cflags` failed:\n{text}", self.program.display()))
    }

    /// Compiles module `ns` found under `module_dir` to C++ at `output`; on
    /// failure, what jank printed.
    pub fn compile_module(&self, module_dir: &Path, ns: &str, output: &Path) -> Result<(), String> {
        let mut path = vec![module_dir.to_string_lossy().into_owned()];
        path.extend(self.module_path.iter().cloned());
        let log = output.with_extension("log");
        self.run(
            Command::new(&self.program)
                .args(&self.args)
                .arg("--module-path")
                .arg(path.join(":"))
                .args(["compile-module", "--output-target", "cpp", "--name"])
                .arg(output)
                .arg(ns)
                .current_dir(module_dir),
            &log,
        )
        .map(drop)
    }

    /// Runs jank with stdout and stderr into `log`: its text, as Ok when it
    /// succeeded.
    fn run(&self, command: &mut Command, log: &Path) -> Result<String, String> {
        let file = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone().map_err(|e| e.to_string())?)
            .stderr(file)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let status =
            wait_until(&mut child, Instant::now() + JANK_TIMEOUT).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(log).unwrap_or_default();
        match status {
            Some(status) if status.success() => Ok(text),
            Some(_) => Err(text),
            None => Err(format!("jank did not finish within {JANK_TIMEOUT:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_module_path_out_of_the_extra_arguments() {
        let jank = Jank::new(
            PathBuf::from("jank"),
            &[
                "--module-path=src:lib".into(),
                "-O".into(),
                "--module-path".into(),
                "more".into(),
            ],
        );
        assert_eq!(jank.module_path, ["src", "lib", "more"]);
        assert_eq!(jank.args, ["-O"]);
    }
}
