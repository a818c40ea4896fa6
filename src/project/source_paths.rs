//! Source paths: the directories namespaces are loaded from, where they come
//! from (`--source-path`, `deps.edn`, `project.clj`, `shadow-cljs.edn`, or
//! `src`), and the one gate every read of a source file goes through.
//!
//! A file is read only if its real path (symlinks resolved) is below the real
//! path of a source path: namespace names and `load` paths are checked for
//! `..`, absolute names and separators before they become paths, and the path
//! found is checked again after the file system resolved it.

use std::path::{Component, Path, PathBuf};

use crate::compiler::form::{Form, FormKind, Symbol};
use crate::compiler::reader::{ReadContext, Reader};

/// The file kinds a namespace can be written in, in order of preference.
pub const SOURCE_EXTENSIONS: &[&str] = &["jank", "cljc", "clj", "cljs"];

/// The directories source files are read from.
#[derive(Clone, Debug, Default)]
pub struct SourcePaths {
    /// As the user named them (for messages), and their real paths.
    roots: Vec<Root>,
    /// Where the list came from, for the banner: `--source-path`, `deps.edn`...
    pub origin: &'static str,
}

#[derive(Clone, Debug)]
struct Root {
    shown: String,
    real: PathBuf,
}

/// A source file found below a source path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The real (canonical) path: what is read, and what editors are told.
    pub path: PathBuf,
    /// Relative to its source path, with `/`: `my/util.clj` (Clojure's
    /// "source path", used in compile errors).
    pub relative: String,
    /// With the source path as the user named it: `src/my/util.clj` (what
    /// the runtime page shows).
    pub shown: String,
}

impl SourceFile {
    /// The file name alone: `util.clj` (used in execution errors).
    pub fn name(&self) -> &str {
        self.relative.rsplit('/').next().unwrap_or(&self.relative)
    }
}

/// Why a path was not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0} is outside the source paths ({1}); only files below them are read")]
    Outside(String, String),
    #[error("{0} is not a valid name for a source file")]
    InvalidName(String),
    #[error("{0} does not exist")]
    Missing(String),
}

impl SourcePaths {
    /// The source paths for a program started in `dir`: `explicit` ones
    /// (`--source-path`, relative to `dir`) if any, else those a `deps.edn`,
    /// `project.clj` or `shadow-cljs.edn` in `dir` names, else `src` if it
    /// exists. Directories that do not exist are left out.
    pub fn discover(dir: &Path, explicit: &[PathBuf]) -> SourcePaths {
        let (names, origin): (Vec<String>, &'static str) = if !explicit.is_empty() {
            let names = explicit.iter().map(|p| p.display().to_string()).collect();
            (names, "--source-path")
        } else if let Some(paths) = read_config(&dir.join("deps.edn"), deps_edn_paths) {
            (paths, "deps.edn")
        } else if let Some(paths) = read_config(&dir.join("project.clj"), project_clj_paths) {
            (paths, "project.clj")
        } else if let Some(paths) = read_config(&dir.join("shadow-cljs.edn"), shadow_cljs_paths) {
            (paths, "shadow-cljs.edn")
        } else {
            (vec!["src".to_string()], "src")
        };
        let roots = names
            .into_iter()
            .filter_map(|shown| {
                let real = dir.join(&shown).canonicalize().ok()?;
                real.is_dir().then_some(Root { shown, real })
            })
            .collect();
        SourcePaths { roots, origin }
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The source paths' real paths.
    pub fn dirs(&self) -> impl Iterator<Item = &Path> {
        self.roots.iter().map(|r| r.real.as_path())
    }

    /// The paths as the user named them, comma-separated (for messages).
    pub fn describe(&self) -> String {
        if self.roots.is_empty() {
            return "none".to_string();
        }
        self.roots
            .iter()
            .map(|r| r.shown.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The file of namespace `ns` (`my.util-fns` -> `my/util_fns.jank`,
    /// `.cljc`, `.clj` or `.cljs`, in that order, in the first source path
    /// that has one).
    pub fn find_namespace(&self, ns: &str) -> Result<Option<SourceFile>, Refused> {
        self.find_resource(&namespace_resource(ns)?)
    }

    /// The file of a resource path without its extension (`my/util`, as
    /// `load` takes it), in the order of `find_namespace`.
    pub fn find_resource(&self, resource: &str) -> Result<Option<SourceFile>, Refused> {
        check_relative(resource)?;
        for root in &self.roots {
            for extension in SOURCE_EXTENSIONS {
                let candidate = root.real.join(format!("{resource}.{extension}"));
                if candidate.is_file() {
                    return self.check(&candidate).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// A file named by the user (absolute, or relative to the working
    /// directory), if it is below a source path.
    pub fn resolve_file(&self, path: &Path) -> Result<SourceFile, Refused> {
        if !path.exists() {
            return Err(Refused::Missing(path.display().to_string()));
        }
        self.check(path)
    }

    /// `path`, resolved by the file system, if it is a file below a source path.
    fn check(&self, path: &Path) -> Result<SourceFile, Refused> {
        let outside = || Refused::Outside(path.display().to_string(), self.describe());
        let real = path.canonicalize().map_err(|_| outside())?;
        if let Some(root) = self.root_of(&real)
            && let Ok(rest) = real.strip_prefix(&root.real)
            && real.is_file()
        {
            let relative = rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let shown = format!("{}/{relative}", root.shown.trim_end_matches('/'));
            return Ok(SourceFile {
                path: real,
                relative,
                shown,
            });
        }
        Err(outside())
    }

    /// The source path `real` is below; the innermost when they nest
    /// (`src` and `src/cljs`).
    fn root_of(&self, real: &Path) -> Option<&Root> {
        self.roots
            .iter()
            .filter(|r| real.starts_with(&r.real))
            .max_by_key(|r| r.real.components().count())
    }

    /// The namespace a file below a source path holds by its name
    /// (`src/my/util_fns.cljc` -> `my.util-fns`), if it is a source file.
    pub fn namespace_of(&self, path: &Path) -> Option<String> {
        let extension = path.extension()?.to_str()?;
        if !SOURCE_EXTENSIONS.contains(&extension) {
            return None;
        }
        let real = path.canonicalize().ok()?;
        let root = self.root_of(&real)?;
        let rest = real.strip_prefix(&root.real).ok()?.with_extension("");
        let segments: Vec<String> = rest
            .components()
            .map(|c| c.as_os_str().to_str().map(|s| s.replace('_', "-")))
            .collect::<Option<_>>()?;
        Some(segments.join("."))
    }
}

/// `my.util-fns` -> `my/util_fns`, refusing names that are not namespace names.
pub fn namespace_resource(ns: &str) -> Result<String, Refused> {
    let invalid = || Refused::InvalidName(ns.to_string());
    let segments: Vec<&str> = ns.split('.').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || s.contains(['/', '\\', '\0']))
    {
        return Err(invalid());
    }
    Ok(segments
        .iter()
        .map(|s| s.replace('-', "_"))
        .collect::<Vec<_>>()
        .join("/"))
}

/// A relative resource path: no root, no `..` or `.`, no backslashes or NULs.
fn check_relative(resource: &str) -> Result<(), Refused> {
    let invalid = || Refused::InvalidName(resource.to_string());
    if resource.is_empty() || resource.contains(['\\', '\0']) {
        return Err(invalid());
    }
    let path = Path::new(resource);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Reads a project file's first form and takes its paths with `paths_of`;
/// `None` when the file is absent or names none.
fn read_config(path: &Path, paths_of: fn(&Form) -> Option<Vec<String>>) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let form = Reader::new(&text, 1, 1).next_form(&PlainRead).ok()??;
    paths_of(&form)
}

/// `deps.edn`: `:paths` (strings; alias keywords are skipped), `src` when absent.
fn deps_edn_paths(form: &Form) -> Option<Vec<String>> {
    let FormKind::Map(entries) = &form.kind else {
        return None;
    };
    Some(match map_get(entries, "paths") {
        Some(paths) => strings(paths),
        None => vec!["src".to_string()],
    })
}

/// `shadow-cljs.edn`: `:source-paths`.
fn shadow_cljs_paths(form: &Form) -> Option<Vec<String>> {
    let FormKind::Map(entries) = &form.kind else {
        return None;
    };
    map_get(entries, "source-paths").map(strings)
}

/// `project.clj`: `(defproject name version ... :source-paths [...])`, `src` when absent.
fn project_clj_paths(form: &Form) -> Option<Vec<String>> {
    let FormKind::List(items) = &form.kind else {
        return None;
    };
    if !items.first()?.is_symbol_named("defproject") {
        return None;
    }
    let options = items.get(3..).unwrap_or_default();
    let paths = options
        .chunks(2)
        .find(|pair| is_keyword(&pair[0], "source-paths"))
        .and_then(|pair| pair.get(1));
    Some(match paths {
        Some(paths) => strings(paths),
        None => vec!["src".to_string()],
    })
}

fn map_get<'f>(entries: &'f [(Form, Form)], key: &str) -> Option<&'f Form> {
    entries
        .iter()
        .find(|(k, _)| is_keyword(k, key))
        .map(|(_, v)| v)
}

fn is_keyword(form: &Form, name: &str) -> bool {
    matches!(&form.kind, FormKind::Keyword(k) if k.ns.is_none() && k.name == name)
}

/// The strings of a vector or list (other items are skipped).
fn strings(form: &Form) -> Vec<String> {
    match &form.kind {
        FormKind::Vector(items) | FormKind::List(items) => items
            .iter()
            .filter_map(|item| match &item.kind {
                FormKind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Reading data files: no namespaces, no aliases.
struct PlainRead;

impl ReadContext for PlainRead {
    fn current_ns(&self) -> &str {
        crate::DEFAULT_NS
    }

    fn resolve_alias(&self, _alias: &str) -> Option<String> {
        None
    }

    fn qualify_for_syntax_quote(&self, symbol: &Symbol) -> Symbol {
        symbol.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn paths_come_from_the_flag_then_project_files_then_src() {
        let dir = project(&[
            ("deps.edn", "{:paths [\"src\" \"test\" :extra] :deps {}}"),
            ("src/a.clj", ""),
            ("test/b.clj", ""),
            ("other/c.clj", ""),
        ]);
        let found = SourcePaths::discover(dir.path(), &[]);
        assert_eq!(
            (found.describe().as_str(), found.origin),
            ("src, test", "deps.edn")
        );
        let flagged = SourcePaths::discover(dir.path(), &[PathBuf::from("other")]);
        assert_eq!(flagged.describe(), "other");

        let lein = project(&[
            (
                "project.clj",
                "(defproject app \"0.1.0\" :dependencies [] :source-paths [\"src/main\"])",
            ),
            ("src/main/a.clj", ""),
        ]);
        assert_eq!(
            SourcePaths::discover(lein.path(), &[]).describe(),
            "src/main"
        );

        let plain = project(&[("src/a.clj", "")]);
        let found = SourcePaths::discover(plain.path(), &[]);
        assert_eq!((found.describe().as_str(), found.origin), ("src", "src"));
        let empty = project(&[]);
        assert!(SourcePaths::discover(empty.path(), &[]).is_empty());
    }

    #[test]
    fn namespaces_are_found_in_order_of_preference() {
        let dir = project(&[
            ("src/my/util_fns.clj", ""),
            ("src/my/util_fns.cljc", ""),
            ("src/my/app.cljs", ""),
        ]);
        let paths = SourcePaths::discover(dir.path(), &[]);
        let util = paths.find_namespace("my.util-fns").unwrap().unwrap();
        assert_eq!(util.relative, "my/util_fns.cljc");
        assert_eq!(util.name(), "util_fns.cljc");
        assert_eq!(
            paths.find_namespace("my.app").unwrap().unwrap().relative,
            "my/app.cljs"
        );
        assert_eq!(paths.find_namespace("my.none").unwrap(), None);
        assert_eq!(
            paths.namespace_of(&util.path).as_deref(),
            Some("my.util-fns")
        );
    }

    #[test]
    fn nothing_outside_the_source_paths_is_read() {
        let dir = project(&[("src/my/a.clj", ""), ("secret.clj", "")]);
        std::os::unix::fs::symlink(
            dir.path().join("secret.clj"),
            dir.path().join("src/my/link.clj"),
        )
        .unwrap();
        let paths = SourcePaths::discover(dir.path(), &[]);
        for bad in ["..", "my..a", "/etc/passwd", "my/a", "a\\b"] {
            assert!(
                matches!(paths.find_namespace(bad), Err(Refused::InvalidName(_))),
                "{bad}"
            );
        }
        for bad in ["../secret", "/etc/passwd", "my/../../secret", "./my/a", ""] {
            assert!(paths.find_resource(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            paths.find_namespace("my.link"),
            Err(Refused::Outside(..))
        ));
        assert!(matches!(
            paths.resolve_file(Path::new("/etc/passwd")),
            Err(Refused::Outside(..))
        ));
        assert!(matches!(
            paths.resolve_file(&dir.path().join("src/../secret.clj")),
            Err(Refused::Outside(..))
        ));
        assert_eq!(
            paths
                .resolve_file(&dir.path().join("src/my/a.clj"))
                .unwrap()
                .relative,
            "my/a.clj"
        );
    }
}
