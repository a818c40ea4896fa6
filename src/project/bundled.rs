//! The namespaces the program brings with it, written in Clojure (`lib/`):
//! `require` finds them when no source path has a file of that name, as
//! Clojure finds its own namespaces in its jar.

use std::path::PathBuf;

use super::source_paths::SourceFile;

/// Namespace, file below `lib/`, text.
const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "clojure.data",
        "clojure/data.cljc",
        include_str!("../../lib/clojure/data.cljc"),
    ),
    (
        "clojure.pprint",
        "clojure/pprint.cljc",
        include_str!("../../lib/clojure/pprint.cljc"),
    ),
    (
        "clojure.repl",
        "clojure/repl.cljc",
        include_str!("../../lib/clojure/repl.cljc"),
    ),
    (
        "clojure.set",
        "clojure/set.cljc",
        include_str!("../../lib/clojure/set.cljc"),
    ),
    (
        "clojure.template",
        "clojure/template.cljc",
        include_str!("../../lib/clojure/template.cljc"),
    ),
    (
        "clojure.test",
        "clojure/test.cljc",
        include_str!("../../lib/clojure/test.cljc"),
    ),
    (
        "clojure.walk",
        "clojure/walk.cljc",
        include_str!("../../lib/clojure/walk.cljc"),
    ),
    (
        "clojure.zip",
        "clojure/zip.cljc",
        include_str!("../../lib/clojure/zip.cljc"),
    ),
];

/// The bundled file of namespace `ns` and its text.
pub fn find(ns: &str) -> Option<(SourceFile, &'static str)> {
    let (_, relative, text) = BUNDLED.iter().find(|(name, ..)| *name == ns)?;
    let file = SourceFile {
        path: PathBuf::from(format!("jank-wasm-nrepl/lib/{relative}")),
        relative: relative.to_string(),
        shown: format!("{relative} (bundled)"),
    };
    Some((file, text))
}

/// The names of the bundled namespaces.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, ..)| *name)
}

/// The text of the bundled file at `relative` (`clojure/zip.cljc`).
pub fn text_of(relative: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(_, path, _)| *path == relative)
        .map(|(.., text)| *text)
}
