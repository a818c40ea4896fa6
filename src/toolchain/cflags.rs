//! Which of the flags `jank print-cflags` prints go to emscripten's clang.
//!
//! jank prints the flags for its own host clang (jank `main.cpp`, with
//! `aot::build_compiler_args` and `build_linker_args` in
//! `aot/processor.cpp`): the host's libstdc++ and glibc include paths as
//! `-isystem`, LLVM's include dir, `-L`/`-l`/`-Wl,` link flags,
//! `-femulated-tls`, `-g`, `-O0`, and whatever CMAKE_CXX_FLAGS jank was built
//! with (a host `--target`, `-march`). Given to emscripten's clang they break
//! the build or, worse, compile a patch against the host's headers. The rule:
//!
//! - kept: `-D`/`-U` (the configuration jank's headers depend on), except
//!   the two that describe the host build of bdwgc: `POINTER_MASK` (a 48-bit
//!   address mask, `cmake/dependency/bdwgc.cmake`) and `GC_THREADS` (gc.h then
//!   redirects pthread functions a wasm bundle does not have);
//! - kept: `-I`, `-isystem`, `-iquote`, `-idirafter` of a directory inside
//!   the jank install (see `install_root`), or one you gave jank yourself
//!   (`--jank-arg=-Idir`); dropped: every other include directory (the host's
//!   system headers, LLVM's);
//! - kept: `-std=`;
//! - kept: the `-f` flags that mean the same on wasm (`KEPT_F_FLAGS`:
//!   language semantics such as `-fwrapv`); dropped: the other `-f` flags
//!   (`-femulated-tls` and `-fPIC` are the bundle's and emscripten's choice);
//! - dropped: everything else: link flags (`-L`, `-l`, `-Wl,`, `-rdynamic`),
//!   targets and machine flags (`--target`, `-target`, `-m...`), `-O`, `-g`,
//!   warnings, `-Xclang` pairs (jank's PCH options).
//!
//! jank prints the flags separated by spaces, unquoted (it splits its own
//! JANK_JIT_FLAGS on spaces too): `-DJANK_VERSION="jank-0.1-alpha"` keeps its
//! quotes, as a shell's `$(jank print-cflags)` would.

use std::path::{Component, Path, PathBuf};

/// The `-f` flags passed on: they change what C++ means, the same on wasm.
pub const KEPT_F_FLAGS: &[&str] = &[
    "-fwrapv",
    "-fno-wrapv",
    "-fno-strict-aliasing",
    "-fstrict-aliasing",
    "-fno-delete-null-pointer-checks",
    "-fsigned-char",
    "-funsigned-char",
    "-fno-common",
    "-frtti",
    "-fexceptions",
    "-fcxx-exceptions",
    "-fno-stack-protector",
    "-fchar8_t",
    "-fno-char8_t",
];

/// Defines of jank's host build that are wrong for a wasm bundle.
pub const HOST_DEFINES: &[&str] = &["POINTER_MASK", "GC_THREADS"];

/// Flags that take the next word as their value when not joined.
const WITH_VALUE: &[&str] = &[
    "-I",
    "-isystem",
    "-iquote",
    "-idirafter",
    "-D",
    "-U",
    "-L",
    "-l",
    "-Xclang",
    "-Xlinker",
    "-target",
    "-include",
    "-x",
    "-o",
];

/// jank's flags, split into those kept for emscripten's clang and the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filtered {
    pub kept: Vec<String>,
    pub dropped: Vec<String>,
}

/// Filters what `jank print-cflags` printed, for the jank program at
/// `jank` run with `jank_args` (the user's `--jank-arg`s).
pub fn filter(printed: &str, jank: &Path, jank_args: &[String]) -> Filtered {
    let words: Vec<&str> = printed.split_whitespace().collect();
    let root = install_root(jank, resource_dir_define(&words));
    let own_includes = user_include_dirs(jank_args);
    let mut filtered = Filtered::default();
    let mut rest = words.iter();
    while let Some(&word) = rest.next() {
        let (flag, value) = match WITH_VALUE.iter().find(|f| word == **f) {
            Some(_) => (word, rest.next().copied()),
            None => (word, None),
        };
        let words: Vec<String> = std::iter::once(flag)
            .chain(value)
            .map(str::to_string)
            .collect();
        let keep = match value {
            Some(value) => keeps(flag, value, &root, &own_includes),
            None => keeps_joined(flag, &root, &own_includes),
        };
        if keep {
            filtered.kept.extend(words);
        } else {
            filtered.dropped.push(words.join(" "));
        }
    }
    filtered
}

/// A flag with its value in the next word (`-I dir`).
fn keeps(flag: &str, value: &str, root: &Path, own: &[String]) -> bool {
    match flag {
        "-D" | "-U" => !is_host_define(value),
        "-I" | "-isystem" | "-iquote" | "-idirafter" => keeps_dir(value, root, own),
        _ => false,
    }
}

/// A flag on its own or with its value joined (`-Idir`, `-std=c++20`).
fn keeps_joined(word: &str, root: &Path, own: &[String]) -> bool {
    if let Some(define) = word.strip_prefix("-D").or_else(|| word.strip_prefix("-U")) {
        return !is_host_define(define);
    }
    for flag in ["-isystem", "-iquote", "-idirafter", "-I"] {
        if let Some(dir) = word.strip_prefix(flag) {
            return keeps_dir(dir, root, own);
        }
    }
    word.starts_with("-std=") || KEPT_F_FLAGS.contains(&word)
}

fn is_host_define(define: &str) -> bool {
    let name = define.split('=').next().unwrap_or(define);
    HOST_DEFINES.contains(&name)
}

fn keeps_dir(dir: &str, root: &Path, own: &[String]) -> bool {
    own.iter().any(|d| d == dir) || normalize(Path::new(dir)).starts_with(root)
}

/// The jank install, as jank's `util::resource_dir()` finds it
/// (`util/environment_dynamic.cpp`): a jank run from its build tree
/// (`compiler+runtime/build/jank`) uses `compiler+runtime`; any other uses
/// the resource dir CMake baked in (`-DJANK_RESOURCE_DIR=...`, which it also
/// prints), relative to the directory of the binary unless absolute, by
/// default `../lib/jank/<version>`: everything under `../lib/jank` counts.
pub fn install_root(jank: &Path, resource_dir: Option<&str>) -> PathBuf {
    let binary = jank.canonicalize().unwrap_or_else(|_| jank.to_path_buf());
    let bin_dir = binary.parent().unwrap_or(Path::new("/"));
    let dev_build = bin_dir.file_name().is_some_and(|n| n == "build")
        && bin_dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "compiler+runtime");
    let root = match (dev_build, resource_dir) {
        (true, _) => bin_dir.join(".."),
        (false, Some(dir)) => bin_dir.join(dir),
        (false, None) => bin_dir.join("../lib/jank"),
    };
    normalize(&root)
}

/// The value of a printed `-DJANK_RESOURCE_DIR="..."`, quotes removed.
fn resource_dir_define<'a>(words: &[&'a str]) -> Option<&'a str> {
    words.iter().find_map(|w| {
        w.strip_prefix("-DJANK_RESOURCE_DIR=")
            .map(|v| v.trim_matches('"'))
    })
}

/// The include directories given to jank with `-I` or `--include-dir`
/// (jank prints them back as `-I<dir>`).
fn user_include_dirs(args: &[String]) -> Vec<String> {
    let mut dirs = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "-I" || arg == "--include-dir" {
            dirs.extend(rest.next().cloned());
        } else if let Some(dir) = arg.strip_prefix("-I") {
            dirs.push(dir.to_string());
        }
    }
    dirs
}

/// `path` made absolute, with `.` and `..` resolved by the names alone, and
/// then symbolic links too where it exists (so `/usr/lib/llvm/bin/..` is
/// `/usr/lib/llvm`).
fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.canonicalize().unwrap_or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a jank installed in /opt/jank/bin prints (the shape of
    /// aot/processor.cpp's arguments, host flags and all).
    fn printed(root: &str) -> String {
        format!(
            "-I /usr/lib/llvm-19/bin/../include -Wl,-rpath,/usr/lib/llvm-19/bin/../lib -L {root}/bin \
             -I {root}/bin/../lib/jank/0.1/include -L {root}/bin/../lib/jank/0.1/lib -std=gnu++20 \
             -DJANK_VERSION=\"jank-0.1-alpha\" -femulated-tls -DGC_THREADS -DPOINTER_MASK=0x0000FFFFFFFFFFFF \
             -DIMMER_HAS_LIBGC=1 -O2 -DNDEBUG -DJANK_RESOURCE_DIR=\"../lib/jank/0.1\" -w -fwrapv \
             -fno-stack-protector -fPIC -Xclang -fno-validate-pch -isystem/usr/include/c++/12 -isystem/usr/include \
             -L/usr/lib/llvm-19/lib --target=x86_64-pc-linux-gnu -Imine -g -std=c++20 -Wno-c23-extensions -O0 \
             -ljank-static-runtime -lm -lstdc++ \n"
        )
    }

    #[test]
    fn keeps_jank_and_drops_the_host() {
        let filtered = filter(
            &printed("/opt/jank"),
            Path::new("/opt/jank/bin/jank"),
            &["-Imine".into()],
        );
        assert_eq!(
            filtered.kept,
            [
                "-I",
                "/opt/jank/bin/../lib/jank/0.1/include",
                "-std=gnu++20",
                "-DJANK_VERSION=\"jank-0.1-alpha\"",
                "-DIMMER_HAS_LIBGC=1",
                "-DNDEBUG",
                "-DJANK_RESOURCE_DIR=\"../lib/jank/0.1\"",
                "-fwrapv",
                "-fno-stack-protector",
                "-Imine",
                "-std=c++20",
            ]
        );
        for host in [
            "-I /usr/lib/llvm-19/bin/../include",
            "-Wl,-rpath,/usr/lib/llvm-19/bin/../lib",
            "-L /opt/jank/bin",
            "-femulated-tls",
            "-DGC_THREADS",
            "-DPOINTER_MASK=0x0000FFFFFFFFFFFF",
            "-O2",
            "-fPIC",
            "-Xclang -fno-validate-pch",
            "-isystem/usr/include/c++/12",
            "-isystem/usr/include",
            "--target=x86_64-pc-linux-gnu",
            "-g",
            "-O0",
            "-ljank-static-runtime",
            "-lstdc++",
        ] {
            assert!(filtered.dropped.iter().any(|d| d == host), "{host} dropped");
        }
    }

    #[test]
    fn a_build_tree_jank_owns_compiler_runtime() {
        assert_eq!(
            install_root(
                Path::new("/src/jank/compiler+runtime/build/jank"),
                Some("../lib/jank/0.1")
            ),
            PathBuf::from("/src/jank/compiler+runtime")
        );
        assert_eq!(
            install_root(Path::new("/opt/jank/bin/jank"), None),
            PathBuf::from("/opt/jank/lib/jank")
        );
        assert_eq!(
            install_root(Path::new("/opt/jank/bin/jank"), Some("/usr/share/jank")),
            PathBuf::from("/usr/share/jank")
        );
    }
}
