//! Building a patch's C++ into an emscripten side module, fast.
//!
//! emcc takes about 200 ms per side module here, most of it its Python
//! driver. The builder runs what emcc would run (see `emcc.rs`) and keeps
//! what can be kept between evals:
//!
//! - a precompiled header of `<jank/prelude.hpp>`, built once: every patch
//!   starts by including it, and parsing it is most of a compile;
//! - a spare clang and wasm-ld, started ahead of the next eval: loading
//!   LLVM's shared libraries costs each of them tens of milliseconds before
//!   it reads a byte. The spare clang waits for the source on its stdin, the
//!   spare wasm-ld for the object on its own;
//! - the built patches, by the SHA-1 of the source and of every flag and tool
//!   version that went into them, in memory and (when the headers are known)
//!   on disk.
//!
//! After linking, the side module gets emcc's finalize step when it matters
//! (i64 at the JS boundary), unique symbol names (`wasm::make_symbols_unique`)
//! and its `jank.side` section naming the entry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use std::time::{Duration, Instant};

use sha1::{Digest, Sha1};
use tracing::{debug, warn};

use super::emcc::{EmccCommands, Template};
use super::process::{kill, wait_until};
use super::wasm;

/// How long one patch build may take before it is abandoned.
const BUILD_TIMEOUT: Duration = Duration::from_secs(120);
/// Patches kept in memory; the cache starts over beyond this.
const MEMORY_CACHE_ENTRIES: usize = 512;
/// The header every jank module's C++ includes first.
pub const PRELUDE_HEADER: &str = "jank/prelude.hpp";

/// The entry symbol of the patch with id `id`.
pub fn entry_name(id: &str) -> String {
    format!("jank_wasm_entry_{id}")
}

/// Why a patch could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// clang rejected the C++ (its diagnostics, with the source as `patch.cpp`).
    #[error("{0}")]
    Compile(String),
    /// wasm-ld or finalize failed.
    #[error("{0}")]
    Link(String),
    /// Something outside the code: a tool could not run, a timeout, I/O.
    #[error("{0}")]
    Tool(String),
}

/// A built patch.
#[derive(Clone, Debug)]
pub struct Built {
    pub wasm: Arc<Vec<u8>>,
    /// Whether it came from the cache.
    pub cached: bool,
    pub took: Duration,
}

/// How the builder works; the defaults are the fast ones.
#[derive(Clone, Debug)]
pub struct BuilderOptions {
    /// Keep a spare clang and wasm-ld started ahead of the next build.
    pub spare_processes: bool,
    /// Precompile `<jank/prelude.hpp>`.
    pub precompiled_header: bool,
    /// Where built patches are kept across runs (`None`: memory only).
    pub disk_cache: Option<PathBuf>,
    /// Use the caches at all.
    pub cache: bool,
}

impl Default for BuilderOptions {
    fn default() -> Self {
        BuilderOptions {
            spare_processes: true,
            precompiled_header: true,
            disk_cache: None,
            cache: true,
        }
    }
}

/// Builds patches; cheap to share (`Arc` inside).
#[derive(Clone)]
pub struct PatchBuilder {
    inner: Arc<Inner>,
}

struct Inner {
    commands: EmccCommands,
    /// The compile command, with the precompiled header when there is one.
    compile: Mutex<Template>,
    work: PathBuf,
    options: BuilderOptions,
    /// Digest of everything besides the source that decides the output.
    identity: String,
    /// Whether the identity covers the headers (the disk cache needs that).
    headers_known: bool,
    spare: Mutex<Option<Worker>>,
    memory: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    next_worker: AtomicU64,
    /// Why `<jank/prelude.hpp>` did not precompile, if it did not (clang's
    /// errors): no patch can compile then either.
    prelude_error: Option<String>,
}

impl PatchBuilder {
    /// A builder working in `work` (a directory it may fill), with the
    /// commands from `emcc::probe`.
    pub fn new(commands: EmccCommands, work: &Path, options: BuilderOptions) -> PatchBuilder {
        let (pch, prelude_error) = match options
            .precompiled_header
            .then(|| build_precompiled_header(&commands, work))
        {
            Some(Ok(pch)) => (Some(pch), None),
            Some(Err(error)) => (None, Some(error)),
            None => (None, None),
        };
        let (compile, headers) = match &pch {
            Some(pch) => (
                commands.compile.inserting_before(
                    "-x",
                    &["-include-pch", pch.path.to_str().unwrap_or_default()],
                ),
                Some(pch.headers.as_str()),
            ),
            None => (commands.compile.clone(), None),
        };
        let identity = digest(&[
            &commands.version,
            &commands.compile.describe(),
            &commands.link.describe(),
            &commands
                .finalize
                .as_ref()
                .map(Template::describe)
                .unwrap_or_default(),
            headers.unwrap_or("headers unknown"),
        ]);
        let builder = PatchBuilder {
            inner: Arc::new(Inner {
                commands,
                compile: Mutex::new(compile),
                work: work.to_path_buf(),
                headers_known: headers.is_some(),
                options,
                identity,
                spare: Mutex::new(None),
                memory: Mutex::new(HashMap::new()),
                next_worker: AtomicU64::new(0),
                prelude_error,
            }),
        };
        builder.refill_spare();
        builder
    }

    /// clang's errors when `<jank/prelude.hpp>` did not precompile.
    pub fn prelude_error(&self) -> Option<&str> {
        self.inner.prelude_error.as_deref()
    }

    /// The id a patch of `source` gets: names its entry and its symbols.
    pub fn patch_id(&self, source: &str) -> String {
        digest(&[&self.inner.identity, source])[..16].to_string()
    }

    /// Builds `source` (C++ defining `entry_name(id)`) into a side module.
    pub fn build(&self, source: &str, id: &str) -> Result<Built, BuildError> {
        self.build_as(source, id, source)
    }

    /// Builds `source` as `build` does, cached by `key_text`: text equal for
    /// sources that build to modules that do the same (src/toolchain/patch_key.rs).
    pub fn build_as(&self, source: &str, id: &str, key_text: &str) -> Result<Built, BuildError> {
        let started = Instant::now();
        let key = digest(&[&self.inner.identity, id, key_text]);
        if let Some(wasm) = self.cached(&key) {
            return Ok(Built {
                wasm,
                cached: true,
                took: started.elapsed(),
            });
        }
        let linked = match self.compile_and_link(source) {
            Err(BuildError::Compile(message)) if message.contains("precompiled header") => {
                // The headers changed under the PCH: go on without it.
                warn!("the precompiled header is stale; building without it");
                *self.inner.compile.lock() = self.inner.commands.compile.clone();
                self.discard_spare();
                self.compile_and_link(source)?
            }
            other => other?,
        };
        let linked_at = started.elapsed();
        let wasm = Arc::new(self.post_link(linked, id)?);
        debug!(?linked_at, took = ?started.elapsed(), bytes = wasm.len(), "patch built");
        self.store(&key, &wasm);
        Ok(Built {
            wasm,
            cached: false,
            took: started.elapsed(),
        })
    }

    fn cached(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        if !self.inner.options.cache {
            return None;
        }
        if let Some(wasm) = self.inner.memory.lock().get(key) {
            return Some(wasm.clone());
        }
        let wasm = Arc::new(std::fs::read(self.disk_path(key)?).ok()?);
        self.inner
            .memory
            .lock()
            .insert(key.to_string(), wasm.clone());
        Some(wasm)
    }

    fn store(&self, key: &str, wasm: &Arc<Vec<u8>>) {
        if !self.inner.options.cache {
            return;
        }
        let mut memory = self.inner.memory.lock();
        if memory.len() >= MEMORY_CACHE_ENTRIES {
            memory.clear();
        }
        memory.insert(key.to_string(), wasm.clone());
        drop(memory);
        if let Some(path) = self.disk_path(key) {
            let temporary = path.with_extension(format!("tmp{}", std::process::id()));
            let written = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
                .and_then(|()| std::fs::write(&temporary, wasm.as_slice()))
                .and_then(|()| std::fs::rename(&temporary, &path));
            if let Err(error) = written {
                debug!(%error, "could not write the patch cache");
            }
        }
    }

    /// Where a patch is cached on disk: only when the headers that went into
    /// it are part of the key.
    fn disk_path(&self, key: &str) -> Option<PathBuf> {
        let dir = self.inner.options.disk_cache.as_ref()?;
        self.inner
            .headers_known
            .then(|| dir.join(format!("{key}.wasm")))
    }

    /// clang + wasm-ld on a spare (or new) pair of processes.
    fn compile_and_link(&self, source: &str) -> Result<Vec<u8>, BuildError> {
        let worker = self
            .take_spare()
            .map_or_else(|| self.start_worker(), Ok)
            .map_err(|e| BuildError::Tool(format!("cannot start clang and wasm-ld: {e}")))?;
        let result = worker.run(source, Instant::now() + BUILD_TIMEOUT);
        self.refill_spare();
        result
    }

    /// finalize when it matters, unique symbols, the `jank.side` section.
    fn post_link(&self, linked: Vec<u8>, id: &str) -> Result<Vec<u8>, BuildError> {
        let internal = |e: wasm::WasmError| BuildError::Link(format!("wasm-ld's output: {e}"));
        let finalized = match &self.inner.commands.finalize {
            Some(finalize) if wasm::needs_finalize(&linked).map_err(internal)? => {
                self.finalize(finalize, &linked)?
            }
            _ => linked,
        };
        let entry = entry_name(id);
        // Typeinfo keeps its name: a type's typeinfo must be the same object
        // in every module for a patch's `throw` of jank's object_ref to be
        // caught by the bundle (the C++ runtime compares typeinfo addresses).
        let mut unique = wasm::make_symbols_unique(&finalized, id, |name| {
            name == entry
                || name.starts_with("__")
                || name.starts_with("dynCall_")
                || name.starts_with("_ZTI")
                || name.starts_with("_ZTS")
        })
        .map_err(internal)?;
        let side = serde_json::json!({ "entry": entry }).to_string();
        wasm::append_custom_section(&mut unique, wasm::SIDE_SECTION, side.as_bytes());
        Ok(unique)
    }

    fn finalize(&self, finalize: &Template, linked: &[u8]) -> Result<Vec<u8>, BuildError> {
        let dir = self.worker_dir().map_err(tool)?;
        let (input, output) = (dir.join("linked.wasm"), dir.join("final.wasm"));
        std::fs::write(&input, linked).map_err(tool)?;
        let errors = dir.join("finalize.err");
        let mut child = finalize
            .command(&input, &output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&errors).map_err(tool)?)
            .spawn()
            .map_err(|e| BuildError::Tool(format!("cannot run {}: {e}", finalize.program)))?;
        let status = wait_until(&mut child, Instant::now() + BUILD_TIMEOUT).map_err(tool)?;
        let result = match status {
            Some(status) if status.success() => std::fs::read(&output).map_err(tool),
            Some(_) => Err(BuildError::Link(read_text(&errors))),
            None => Err(BuildError::Tool(format!(
                "{} did not finish within {BUILD_TIMEOUT:?}",
                finalize.program
            ))),
        };
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn take_spare(&self) -> Option<Worker> {
        let mut worker = self.inner.spare.lock().take()?;
        // A spare that died while waiting (killed, out of memory) is no use.
        worker.is_alive().then_some(worker)
    }

    fn discard_spare(&self) {
        self.inner.spare.lock().take();
    }

    /// Starts the next spare pair in the background, so the build that
    /// triggered it returns at once.
    fn refill_spare(&self) {
        if !self.inner.options.spare_processes {
            return;
        }
        let builder = self.clone();
        std::thread::spawn(move || match builder.start_worker() {
            Ok(worker) => {
                let previous = builder.inner.spare.lock().replace(worker);
                drop(previous);
            }
            Err(error) => warn!(%error, "could not start a spare clang and wasm-ld"),
        });
    }

    fn worker_dir(&self) -> std::io::Result<PathBuf> {
        let n = self.inner.next_worker.fetch_add(1, Ordering::Relaxed);
        let dir = self.inner.work.join(format!("build-{n}"));
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// Starts wasm-ld and clang, each to wait for its input on stdin.
    fn start_worker(&self) -> std::io::Result<Worker> {
        let dir = self.worker_dir()?;
        let object = dir.join("patch.o");
        // Both read their input from a pipe we write: clang the source,
        // wasm-ld the object (clang writes a plain file, we pass it on). If
        // we die, the pipes close and both read EOF and end: no orphan waits.
        let wasm = dir.join("patch.wasm");
        let link = self
            .inner
            .commands
            .link
            .command(Path::new("/dev/stdin"), &wasm)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("link.err"))?)
            .spawn()?;
        let mut link = Guard(Some(link));
        let compile = self
            .inner
            .compile
            .lock()
            .command(Path::new("-"), &object)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("compile.err"))?)
            .spawn()?;
        Ok(Worker {
            compile: Guard(Some(compile)),
            link: Guard(link.0.take()),
            dir,
        })
    }
}

fn tool(error: std::io::Error) -> BuildError {
    BuildError::Tool(error.to_string())
}

/// A clang and a wasm-ld waiting for one patch's source.
struct Worker {
    compile: Guard,
    link: Guard,
    dir: PathBuf,
}

impl Worker {
    fn is_alive(&mut self) -> bool {
        let alive = |g: &mut Guard| {
            g.0.as_mut()
                .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
        };
        alive(&mut self.compile) && alive(&mut self.link)
    }

    fn run(mut self, source: &str, deadline: Instant) -> Result<Vec<u8>, BuildError> {
        let (Some(compile), Some(link)) = (self.compile.0.as_mut(), self.link.0.as_mut()) else {
            return Err(BuildError::Tool("the build processes are gone".into()));
        };
        use std::io::Write;
        {
            let mut stdin = compile
                .stdin
                .take()
                .ok_or_else(|| tool_text("clang has no stdin"))?;
            // A clang that died early closes the pipe; its exit says why.
            let _ = stdin.write_all(source.as_bytes());
        }
        match wait_until(compile, deadline).map_err(tool)? {
            Some(status) if status.success() => {
                let object = std::fs::read(self.dir.join("patch.o")).map_err(tool)?;
                let mut feed = link
                    .stdin
                    .take()
                    .ok_or_else(|| tool_text("wasm-ld has no stdin"))?;
                // wasm-ld reads as we write; closing the pipe is its EOF.
                let _ = feed.write_all(&object);
            }
            Some(_) => {
                kill(link);
                return Err(BuildError::Compile(read_text(
                    &self.dir.join("compile.err"),
                )));
            }
            None => {
                kill(link);
                return Err(tool_text(&format!(
                    "clang did not finish within {BUILD_TIMEOUT:?}"
                )));
            }
        }
        match wait_until(link, deadline).map_err(tool)? {
            Some(status) if status.success() => {
                std::fs::read(self.dir.join("patch.wasm")).map_err(tool)
            }
            Some(_) => Err(BuildError::Link(read_text(&self.dir.join("link.err")))),
            None => Err(tool_text(&format!(
                "wasm-ld did not finish within {BUILD_TIMEOUT:?}"
            ))),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // The processes first: then their files can go.
        for guard in [&mut self.compile, &mut self.link] {
            if let Some(mut child) = guard.0.take() {
                kill(&mut child);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A child process killed when dropped.
struct Guard(Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            kill(child);
        }
    }
}

fn tool_text(message: &str) -> BuildError {
    BuildError::Tool(message.to_string())
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A precompiled header and the headers that went into it (path, size and
/// modification time of each, for the cache key).
struct PrecompiledHeader {
    path: PathBuf,
    headers: String,
}

/// Precompiles `<jank/prelude.hpp>` with the patch flags; clang's errors
/// when that fails (then every patch would fail the same way).
fn build_precompiled_header(
    commands: &EmccCommands,
    work: &Path,
) -> Result<PrecompiledHeader, String> {
    let wrapper = work.join("prelude-pch.hpp");
    let path = work.join("prelude.pch");
    let deps = work.join("prelude-pch.d");
    let io = |e: std::io::Error| format!("cannot precompile <{PRELUDE_HEADER}>: {e}");
    std::fs::write(&wrapper, format!("#include <{PRELUDE_HEADER}>\n")).map_err(io)?;
    let template = commands
        .compile
        .replacing("-emit-obj", "-emit-pch")
        .replacing("c++", "c++-header")
        .replacing("patch.cpp", "prelude-pch.hpp")
        .inserting_before(
            "-x",
            &[
                "-dependency-file",
                &deps.to_string_lossy(),
                "-MT",
                "prelude.pch",
            ],
        );
    let errors = work.join("pch.err");
    let mut child = template
        .command(&wrapper, &path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&errors).map_err(io)?)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", template.program))?;
    match wait_until(&mut child, Instant::now() + BUILD_TIMEOUT) {
        Ok(Some(status)) if status.success() => {}
        Ok(Some(_)) => return Err(read_text(&errors)),
        _ => {
            return Err(format!(
                "precompiling <{PRELUDE_HEADER}> did not finish within {BUILD_TIMEOUT:?}"
            ));
        }
    }
    let headers = header_identities(&read_text(&deps), work);
    Ok(PrecompiledHeader { path, headers })
}

/// Path, size and modification time of each file in a make-style
/// dependency list, except our own files in `work` (new every run).
fn header_identities(deps: &str, work: &Path) -> String {
    let joined = deps.replace("\\\n", " ");
    let files = joined
        .split_once(": ")
        .map(|(_, files)| files)
        .unwrap_or("");
    files
        .split_whitespace()
        .filter(|file| !Path::new(file).starts_with(work))
        .map(|file| {
            let stamp = std::fs::metadata(file)
                .map(|m| {
                    let modified = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    format!("{}:{modified}", m.len())
                })
                .unwrap_or_else(|_| "missing".into());
            format!("{file}={stamp}\n")
        })
        .collect()
}

/// Hex SHA-1 of the parts, each length-prefixed (no two part lists collide).
pub fn digest(parts: &[&str]) -> String {
    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_stable_and_part_aware() {
        assert_eq!(digest(&["ab", "c"]), digest(&["ab", "c"]));
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
        assert_eq!(digest(&[]).len(), 40);
    }

    #[test]
    fn reads_dependency_lists() {
        let dir = tempfile::tempdir().unwrap();
        let header = dir.path().join("h.hpp");
        std::fs::write(&header, "x").unwrap();
        let deps = format!(
            "prelude.pch: {} \\\n  /no/such/file.h /work/prelude-pch.hpp\n",
            header.display()
        );
        let identities = header_identities(&deps, Path::new("/work"));
        assert!(!identities.contains("prelude-pch"), "{identities}");
        assert!(
            identities.contains(&format!("{}=1:", header.display())),
            "{identities}"
        );
        assert!(
            identities.contains("/no/such/file.h=missing"),
            "{identities}"
        );
    }
}
