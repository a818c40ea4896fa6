//! The jank toolchain path (`--compiler jank`): each eval is compiled by the
//! real jank compiler to C++, built with emscripten's clang and wasm-ld into a
//! side module, checked against the runtime bundle's main module, and sent to
//! a runtime that `dlopen`s it into the jank runtime (assets/emscripten-host.js).
//!
//! At start (`JankToolchain::start`): `jank print-cflags`, filtered for
//! emscripten (`cflags`); emcc's commands learned (`emcc`); the jank prelude
//! precompiled, which also proves that jank's headers and this emscripten
//! fit; one long-lived jank started (`jank::CompileServer`).
//!
//! One eval, step by step (`JankToolchain::eval_patch`):
//! 1. `module_source`: the eval's forms as the module `jank-wasm.eval`, in
//!    the session's namespace;
//! 2. `jank::CompileServer`: jank compiles it (evaluating every form, as
//!    `compile-module` does) and writes its C++;
//! 3. an entry with a name unique to the patch, appended to jank's C++: it
//!    calls the module's `jank_load_*` (which interns the vars by name and
//!    runs the forms) and returns the printed value of the last form;
//! 4. `build::PatchBuilder`: clang + wasm-ld as emcc would run them, cached
//!    by `patch_key` (the C++ without what differs between two compiles of
//!    one eval: jank's counters, its working directory);
//! 5. `main_module::MainModule::missing_imports`: refuse a patch that would
//!    abort the runtime.
//!
//! Everything here blocks (processes and files); the evaluator runs it on
//! tokio's blocking pool.

pub mod build;
pub mod cflags;
mod diagnostics;
pub mod emcc;
mod jank;
pub mod main_module;
pub mod module_source;
mod nrepl_client;
pub mod patch_key;
mod process;
pub mod top_forms;
pub mod wasm;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::Mutex;

use tracing::{debug, info};

use crate::compiler::footprint::Footprint;
use crate::config::Config;
use build::{BuildError, BuilderOptions, PatchBuilder};
use jank::{CompileServer, JankCompileError};
use main_module::MainModule;

/// Flags every patch is compiled with, before jank's cflags and the user's:
/// a side module, position-independent, with C++ exceptions (jank throws),
/// i64 passed as BigInt (no legalized JS wrappers between the modules; the
/// bundle must be built with it too), optimised moderately (a REPL patch is
/// compiled far more often than it needs to be fast; `--emcc-flag=-O2`
/// after these wins).
pub const BASE_FLAGS: &[&str] = &[
    "-sSIDE_MODULE=1",
    "-fPIC",
    "-fexceptions",
    "-sWASM_BIGINT=1",
    "-O1",
];
/// Flags after the user's: only the patch's entry is visible outside it,
/// and its types (their typeinfo, which a `throw` in the patch and a `catch`
/// in the bundle must share): `-fvisibility=hidden` for functions and
/// variables with default visibility for types.
pub const LAST_FLAGS: &[&str] = &["-fvisibility-ms-compat"];

/// Why the toolchain cannot start.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartError(String);

/// Why an eval could not become a patch.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalFailure {
    pub kind: FailureKind,
    pub message: String,
    /// Where in the eval (1-based), when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The text does not split into forms.
    Read,
    /// jank, clang or the linker refused it, or the import check did.
    Compile,
}

/// A patch ready to send.
#[derive(Clone, Debug)]
pub struct EvalPatch {
    pub wasm: Arc<Vec<u8>>,
    /// The namespace the session is in after the eval.
    pub ns_after: String,
    /// For the patch log (replay on reconnect): every patch of this path is
    /// replayed, in order (`Footprint::always_replayed`). Its loader runs all
    /// the eval's forms, not only its `def`s: an eval that defines nothing
    /// by name (`(do (def x 1))`, a `defmethod`, an `extend`) must reach a
    /// new runtime too, and an older definition that a later one replaced
    /// may have been read meanwhile (`(def b (inc a))`).
    pub footprint: Footprint,
}

/// The toolchain, set up once at start.
pub struct JankToolchain {
    /// The long-lived jank; one compile at a time.
    jank: Mutex<CompileServer>,
    builder: PatchBuilder,
    /// The runtime bundle (also served over HTTP).
    pub main_module: Arc<MainModule>,
    state: Mutex<State>,
    /// Holds the toolchain's files (precompiled header, builds, jank's
    /// working directory).
    work: tempfile::TempDir,
}

#[derive(Default)]
struct State {
    namespaces: HashSet<String>,
    /// How many patches were built (each gets its own patch-log effect).
    patches: u64,
}

impl JankToolchain {
    /// Checks that jank, emcc and the runtime bundle are there and fit, and
    /// starts jank. Takes a second or two (jank itself may take longer to be
    /// ready: the first eval waits for it).
    pub fn start(config: &Config) -> Result<JankToolchain, StartError> {
        let (jank_program, emcc, bundle) = find_tools(config)?;
        let main_module = MainModule::load(&bundle).map_err(StartError)?;
        let jank = jank::Jank::new(jank_program, &config.jank_args);
        let printed = jank.print_cflags().map_err(StartError)?;
        let filtered = cflags::filter(&printed, jank.program(), jank.args());
        debug!(
            kept = %filtered.kept.join(" "),
            dropped = %filtered.dropped.join(" "),
            "jank print-cflags, filtered for emscripten's clang (src/toolchain/cflags.rs)"
        );
        remove_stale_work_dirs();
        let work = tempfile::Builder::new()
            .prefix(&format!("{WORK_PREFIX}{}-", std::process::id()))
            .tempdir()
            .map_err(|e| StartError(format!("cannot create a work directory: {e}")))?;
        let flags = patch_flags(&filtered.kept, &config.emcc_flags);
        let commands = emcc::probe(&emcc, &flags, work.path()).map_err(StartError)?;
        let emcc_version = commands.version.clone();
        let options = BuilderOptions {
            disk_cache: config.patch_cache.clone().or_else(default_cache_dir),
            ..BuilderOptions::default()
        };
        let builder = PatchBuilder::new(commands, work.path(), options);
        if let Some(errors) = builder.prelude_error() {
            return Err(StartError(versions_do_not_fit(
                errors,
                &emcc_version,
                &filtered,
                work.path(),
            )));
        }
        let jank_dir = work.path().join("jank");
        let server = CompileServer::start(jank, &jank_dir).map_err(StartError)?;
        info!(bundle = %bundle.display(), emcc = %emcc_version, "jank toolchain ready");
        Ok(JankToolchain {
            jank: Mutex::new(server),
            builder,
            main_module: Arc::new(main_module),
            state: Mutex::new(State::default()),
            work,
        })
    }

    /// Whether an eval has used or created namespace `ns`.
    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.state.lock().namespaces.contains(ns)
    }

    /// The patch for evaluating `code` in `ns`; `Ok(None)` when the code has
    /// no forms. `source` names the code in messages (`REPL` or a file name)
    /// and `first_line` is where it starts.
    pub fn eval_patch(
        &self,
        ns: &str,
        code: &str,
        source: &str,
        first_line: u32,
    ) -> Result<Option<EvalPatch>, EvalFailure> {
        let module = match module_source::eval_module(ns, code) {
            Ok(Some(module)) => module,
            Ok(None) => return Ok(None),
            Err(error) => {
                return Err(EvalFailure {
                    kind: FailureKind::Read,
                    message: error.message,
                    line: Some(error.line + first_line - 1),
                    column: Some(error.column),
                });
            }
        };
        let eval = diagnostics::EvalSource {
            name: source,
            first_line,
            code,
            positions: &module.positions,
        };
        let wasm = self.build_module(&module, &eval)?;
        self.jank.lock().remember(module.text.clone());
        Ok(Some(EvalPatch {
            wasm,
            footprint: self.record(ns, &module),
            ns_after: module.ns_after,
        }))
    }

    /// jank, the entry, the build and the import check.
    fn build_module(
        &self,
        module: &module_source::EvalModule,
        eval: &diagnostics::EvalSource,
    ) -> Result<Arc<Vec<u8>>, EvalFailure> {
        let cpp = {
            let mut jank = self.jank.lock();
            let module_file = jank.module_file();
            jank.compile(&module.text)
                .map_err(|error| self.jank_failure(error, &module_file, eval))?
        };
        let jank_dir = self.jank.lock().dir().to_string_lossy().into_owned();
        let patch = patch_source(
            &self.builder,
            &cpp,
            module.value_var.as_deref(),
            &[jank_dir.as_str()],
        )
        .map_err(compile_failure)?;
        let built = self
            .builder
            .build_as(&patch.text, &patch.id, &patch.key)
            .map_err(|error| compile_failure(self.build_message(error)))?;
        self.check_imports(&built.wasm)?;
        Ok(built.wasm)
    }

    fn jank_failure(
        &self,
        error: JankCompileError,
        module_file: &Path,
        eval: &diagnostics::EvalSource,
    ) -> EvalFailure {
        match error {
            JankCompileError::Jank(errors) => {
                let (message, at) =
                    diagnostics::jank_failure(&errors, module_file, self.work.path(), eval);
                EvalFailure {
                    kind: FailureKind::Compile,
                    message,
                    line: at.map(|(line, _)| line),
                    column: at.map(|(_, column)| column),
                }
            }
            JankCompileError::Tool(output) => {
                compile_failure(diagnostics::tool_message(&output, self.work.path()))
            }
        }
    }

    fn build_message(&self, error: BuildError) -> String {
        match error {
            BuildError::Compile(output) => diagnostics::clang_message(&output, self.work.path()),
            BuildError::Link(output) => diagnostics::link_message(&output, self.work.path()),
            BuildError::Tool(message) => message,
        }
    }

    fn check_imports(&self, wasm: &[u8]) -> Result<(), EvalFailure> {
        let legalized = self
            .main_module
            .legalized_imports(wasm)
            .map_err(|e| compile_failure(e.to_string()))?;
        if !legalized.is_empty() {
            return Err(compile_failure(format!(
                "The patch was not sent: it calls {}, which the runtime bundle's main module ({}) exports only with its i64 arguments split for JavaScript: the bundle was built without -sWASM_BIGINT=1. Rebuild it with -sWASM_BIGINT=1 (patches are built with it).",
                legalized.join(", "),
                self.main_module.wasm
            )));
        }
        let missing = self
            .main_module
            .missing_imports(wasm)
            .map_err(|e| compile_failure(e.to_string()))?;
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        Err(compile_failure(format!(
            "The patch was not sent: it imports {}, which the runtime bundle's main module ({}) does not provide; its first call of a missing one would abort the runtime. Export what it needs from the bundle (EMSCRIPTEN_KEEPALIVE, or -sEXPORTED_FUNCTIONS with MAIN_MODULE=2), or don't use it in the eval.",
            names.join(", "),
            self.main_module.wasm,
        )))
    }

    /// Remembers the namespaces a built eval uses; its patch-log footprint.
    fn record(&self, ns: &str, module: &module_source::EvalModule) -> Footprint {
        let mut state = self.state.lock();
        state.namespaces.insert(ns.to_string());
        state.namespaces.insert(module.ns_after.clone());
        for qualified in &module.defines {
            if let Some((var_ns, _)) = qualified.split_once('/') {
                state.namespaces.insert(var_ns.to_string());
            }
        }
        state.patches += 1;
        Footprint::always_replayed(format!("jank toolchain patch {}", state.patches))
    }
}

/// A patch's C++, ready to build.
#[derive(Clone, Debug)]
pub struct PatchSource {
    /// jank's C++ and the entry.
    pub text: String,
    /// Names the entry and the patch's symbols: a digest of `key` and the
    /// build's identity, so patches with one key share it (and their build).
    pub id: String,
    /// What the build is cached by (`patch_key`): the text with the entry's
    /// name, jank's per-compile counters and its working directory taken out.
    pub key: String,
}

/// jank's C++ plus the patch's entry. The entry calls the module's loader,
/// which interns the vars and runs the forms, and returns the printed value
/// of `value_var`. `work_dirs` are jank's working directory, as it may
/// appear in the C++ (for the key).
pub fn patch_source(
    builder: &PatchBuilder,
    cpp: &str,
    value_var: Option<&str>,
    work_dirs: &[&str],
) -> Result<PatchSource, String> {
    let load = load_function(cpp).ok_or_else(|| {
        "jank's C++ has no `extern \"C\" void jank_load_...()` module loader".to_string()
    })?;
    let value = value_var.map_or_else(|| "nullptr".to_string(), cpp_string);
    // jank defines the loader inside the module's C++ namespace; declaring
    // it again here names the same C function.
    let with_entry = |id: &str| {
        format!(
            "{cpp}\n\n// Added by jank-wasm-nrepl: the patch's entry (docs/patch-abi.md, \"Side modules\").\n\
             extern \"C\" void {load}();\n\
             extern \"C\" char const *jank_wasm_print_var(char const *qualified_name);\n\
             extern \"C\" __attribute__((visibility(\"default\"))) char const *{entry}()\n\
             {{\n  {load}();\n  return jank_wasm_print_var({value});\n}}\n",
            entry = build::entry_name(id),
        )
    };
    let key = patch_key::key_text(&with_entry(""), work_dirs);
    let id = builder.patch_id(&key);
    Ok(PatchSource {
        text: with_entry(&id),
        id,
        key,
    })
}

/// The flags a patch is compiled with (`BASE_FLAGS`, jank's, the user's, `LAST_FLAGS`).
pub fn patch_flags(jank_cflags: &[String], user_flags: &[String]) -> Vec<String> {
    BASE_FLAGS
        .iter()
        .map(|f| f.to_string())
        .chain(jank_cflags.iter().cloned())
        .chain(user_flags.iter().cloned())
        .chain(LAST_FLAGS.iter().map(|f| f.to_string()))
        .collect()
}

/// jank, emcc and the bundle directory; an error naming everything missing.
fn find_tools(config: &Config) -> Result<(PathBuf, PathBuf, PathBuf), StartError> {
    let jank = process::find_program(&config.jank);
    let emcc = process::find_program(&config.emcc);
    let bundle = config.runtime_bundle.clone().filter(|dir| dir.is_dir());
    let mut missing = Vec::new();
    if jank.is_none() {
        missing.push(format!(
            "jank: `{}` was not found (install jank, or pass --jank PATH)",
            config.jank
        ));
    }
    if emcc.is_none() {
        missing.push(format!(
            "emcc: `{}` was not found (on Debian: apt-get install emscripten; or pass --emcc PATH)",
            config.emcc
        ));
    }
    match &config.runtime_bundle {
        None => missing.push(
            "a runtime bundle: pass --runtime-bundle DIR (a jank runtime built as an emscripten MAIN_MODULE)".into(),
        ),
        Some(dir) if bundle.is_none() => missing.push(format!(
            "a runtime bundle: {} is not a directory",
            dir.display()
        )),
        Some(_) => {}
    }
    match (jank, emcc, bundle) {
        (Some(jank), Some(emcc), Some(bundle)) => Ok((jank, emcc, bundle)),
        _ => Err(StartError(format!(
            "--compiler jank needs what is missing here:\n  - {}",
            missing.join("\n  - ")
        ))),
    }
}

/// The toolchain's work directories: `<prefix><pid>-<random>` in the temp dir.
const WORK_PREFIX: &str = "jank-wasm-toolchain-";

/// Removes the work directories of toolchains whose process is gone (a
/// killed server cannot remove its own).
fn remove_stale_work_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(WORK_PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `~/.cache/jank-wasm-nrepl/patches` (or under `$XDG_CACHE_HOME`).
fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("jank-wasm-nrepl").join("patches"))
}

/// What the server says at start when jank's headers do not compile with
/// this emscripten: which of the two does not fit, and clang's errors.
fn versions_do_not_fit(
    errors: &str,
    emcc_version: &str,
    filtered: &cflags::Filtered,
    work: &Path,
) -> String {
    let errors = diagnostics::clang_message(errors, work);
    let why = if errors.contains("sizeof(uptr) == sizeof(void *)")
        || (errors.contains("static_assert") && errors.contains("sizeof(void *)"))
    {
        "jank's headers are for a 64-bit target (jtl/primitive.hpp asserts that `uptr` is as large as a pointer), so this jank is not a wasm32 build. Use a jank built for wasm32 (README, \"The jank toolchain path\").".to_string()
    } else if [
        "bit_cast",
        "assume_aligned",
        "constexpr",
        "char8_t",
        "<format>",
        "'format'",
    ]
    .iter()
    .any(|needle| errors.contains(needle))
    {
        format!(
            "{emcc_version} is too old for this jank's headers (they use C++20 library features its libc++ lacks). Use the emscripten version your jank's wasm build was made with (README, \"The jank toolchain path\")."
        )
    } else if errors.contains("file not found") {
        format!(
            "emscripten's clang cannot find a header jank's prelude needs, with the include directories kept from `jank print-cflags` ({}). Add the directory with --emcc-flag=-I<dir>.",
            include_dirs(filtered)
        )
    } else {
        format!(
            "{emcc_version} cannot compile jank's <{}> with jank's flags: the jank path needs a jank built for wasm32 and an emscripten at least as new as that build needs (README, \"The jank toolchain path\").",
            build::PRELUDE_HEADER
        )
    };
    format!(
        "--compiler jank: emscripten cannot compile jank's <{}>. {why}\nclang said:\n{errors}",
        build::PRELUDE_HEADER
    )
}

fn include_dirs(filtered: &cflags::Filtered) -> String {
    let dirs: Vec<&str> = filtered
        .kept
        .iter()
        .map(String::as_str)
        .filter(|f| f.starts_with("-I") || f.starts_with('/') || f.starts_with("-isystem"))
        .collect();
    if dirs.is_empty() {
        "none".to_string()
    } else {
        dirs.join(" ")
    }
}

/// The name of the `extern "C" void jank_load_...()` function in jank's C++.
fn load_function(cpp: &str) -> Option<&str> {
    cpp.match_indices("jank_load_").find_map(|(at, _)| {
        let before = cpp[..at].trim_end();
        if !before.ends_with("void") {
            return None;
        }
        let name_len = cpp[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(cpp.len() - at);
        let after = cpp[at + name_len..].trim_start();
        let declared_c = before[..before.len() - 4]
            .trim_end()
            .ends_with("extern \"C\"");
        (declared_c && after.starts_with('(')).then(|| &cpp[at..at + name_len])
    })
}

/// A C++ string literal.
fn cpp_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn compile_failure(message: impl ToString) -> EvalFailure {
    EvalFailure {
        kind: FailureKind::Compile,
        message: message.to_string(),
        line: None,
        column: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_module_loader() {
        let cpp = "void jank_load_x_helper();\nextern \"C\" void jank_load_my_app()\n{\n}\n";
        assert_eq!(load_function(cpp), Some("jank_load_my_app"));
        assert_eq!(load_function("int main() {}"), None);
    }

    #[test]
    fn patch_flags_put_ours_around_the_rest() {
        let flags = patch_flags(&["-Ijank".into()], &["-O2".into()]);
        assert_eq!(flags.first().map(String::as_str), Some("-sSIDE_MODULE=1"));
        assert_eq!(
            flags[flags.len() - 3..],
            ["-Ijank", "-O2", "-fvisibility-ms-compat"]
        );
    }

    #[test]
    fn says_which_version_does_not_fit() {
        let filtered = cflags::Filtered::default();
        let work = Path::new("/tmp/w");
        let wasm64 = versions_do_not_fit(
            "/opt/jank/include/jtl/primitive.hpp:38:3: error: static_assert failed due to requirement 'sizeof(unsigned long long) == sizeof(void *)'\n",
            "emcc 3.1.6",
            &filtered,
            work,
        );
        assert!(wasm64.contains("not a wasm32 build"), "{wasm64}");
        assert!(wasm64.contains("primitive.hpp:38:3"), "{wasm64}");
        let old = versions_do_not_fit(
            "x.hpp:1:1: error: no member named 'bit_cast' in namespace 'std'\n",
            "emcc 3.1.6",
            &filtered,
            work,
        );
        assert!(old.contains("emcc 3.1.6 is too old"), "{old}");
    }
}
