//! The runtime bundle (`--runtime-bundle DIR`): an emscripten MAIN_MODULE,
//! its JS glue `NAME.js` next to its `NAME.wasm`, served to runtimes under
//! `/bundle/`. It is also what every patch is checked against before it is
//! sent: a side module's import the main module does not provide is not
//! reported by `dlopen` but aborts the whole runtime at its first call.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::wasm::{self, ExternKind, WasmSymbol};

/// The URL path prefix the bundle's files are served under.
pub const URL_PREFIX: &str = "/bundle/";

/// A runtime bundle and what its main module provides to side modules.
#[derive(Debug)]
pub struct MainModule {
    pub dir: PathBuf,
    /// File names in `dir`.
    pub glue: String,
    pub wasm: String,
    /// Every name a side module's import can resolve to.
    provided: HashSet<String>,
    /// Functions exported only legalized for JS (i64 split in two i32: the
    /// bundle was built without WASM_BIGINT): a side module cannot link them.
    legalized: HashSet<String>,
}

impl MainModule {
    /// Finds the bundle in `dir`: the one `NAME.wasm` that has `NAME.js`
    /// beside it, and reads what its main module provides.
    pub fn load(dir: &Path) -> Result<MainModule, String> {
        let (glue, wasm_name) = find_pair(dir)?;
        let wasm_bytes = std::fs::read(dir.join(&wasm_name))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(&wasm_name).display()))?;
        let glue_text = std::fs::read_to_string(dir.join(&glue))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(&glue).display()))?;
        let interface = wasm::interface(&wasm_bytes).map_err(|e| {
            format!(
                "{} is not a WebAssembly module: {e}",
                dir.join(&wasm_name).display()
            )
        })?;
        let mut provided: HashSet<String> = SPECIAL.iter().map(|s| s.to_string()).collect();
        let mut legalized = HashSet::new();
        for export in &interface.exports {
            provided.insert(export.name.clone());
            if let Some(original) = export.name.strip_prefix("orig$") {
                legalized.insert(original.to_string());
            }
        }
        // What the main module imports from JS is in the glue's import object,
        // so side modules get it too.
        provided.extend(
            interface
                .imports
                .iter()
                .filter(|i| i.kind == ExternKind::Func)
                .map(|i| i.name.clone()),
        );
        provided.extend(glue_library_names(&glue_text));
        Ok(MainModule {
            dir: dir.to_path_buf(),
            glue,
            wasm: wasm_name,
            provided,
            legalized,
        })
    }

    /// The imports of `patch` that neither the main module nor the patch
    /// itself provides, as `module:name`.
    pub fn missing_imports(&self, patch: &[u8]) -> Result<Vec<String>, wasm::WasmError> {
        let interface = wasm::interface(patch)?;
        let own: HashSet<&str> = interface.exports.iter().map(|e| e.name.as_str()).collect();
        Ok(interface
            .imports
            .iter()
            .filter(|import| !self.resolves(import, &own))
            .map(|import| format!("{}:{}", import.module, import.name))
            .collect())
    }

    /// The functions `patch` imports that the main module exports only
    /// legalized (it was built without `-sWASM_BIGINT`): linking them fails.
    pub fn legalized_imports(&self, patch: &[u8]) -> Result<Vec<String>, wasm::WasmError> {
        Ok(wasm::interface(patch)?
            .imports
            .into_iter()
            .filter(|i| {
                i.module == "env" && i.kind == ExternKind::Func && self.legalized.contains(&i.name)
            })
            .map(|i| i.name)
            .collect())
    }

    fn resolves(&self, import: &WasmSymbol, own: &HashSet<&str>) -> bool {
        let name = import.name.as_str();
        let known_module = matches!(
            import.module.as_str(),
            "env" | "GOT.mem" | "GOT.func" | "wasi_snapshot_preview1"
        );
        known_module
            && (self.provided.contains(name)
                || own.contains(name)
                // The loader makes these on demand (library_dylink.js).
                || name.starts_with("invoke_")
                || name.starts_with("__cxa_find_matching_catch"))
    }

    /// `/bundle/manifest.json`: where the runtime finds the glue and the wasm.
    pub fn manifest_json(&self) -> String {
        serde_json::json!({
            "glue": format!("{URL_PREFIX}{}", self.glue),
            "wasm": format!("{URL_PREFIX}{}", self.wasm),
        })
        .to_string()
    }

    /// A bundle file for an HTTP path under `/bundle/`: only plain file names
    /// directly in the bundle directory.
    pub fn file_for(&self, url_path: &str) -> Option<(PathBuf, &'static str)> {
        let name = url_path.strip_prefix(URL_PREFIX)?;
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !plain {
            return None;
        }
        let content_type = match Path::new(name).extension().and_then(|e| e.to_str()) {
            Some("js" | "mjs") => "text/javascript; charset=utf-8",
            Some("wasm") => "application/wasm",
            Some("json") => "application/json",
            Some("data") => "application/octet-stream",
            _ => return None,
        };
        let path = self.dir.join(name);
        path.is_file().then_some((path, content_type))
    }
}

/// Names every side module may import: the loader provides them.
const SPECIAL: &[&str] = &[
    "memory",
    "__indirect_function_table",
    "__stack_pointer",
    "__memory_base",
    "__table_base",
];

/// The one `NAME.wasm` in `dir` with a `NAME.js` beside it.
fn find_pair(dir: &Path) -> Result<(String, String), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read the runtime bundle directory {}: {e}",
            dir.display()
        )
    })?;
    let mut pairs: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|name| {
            let stem = name.strip_suffix(".wasm")?;
            let glue = format!("{stem}.js");
            dir.join(&glue).is_file().then(|| (glue, name.clone()))
        })
        .collect();
    pairs.sort();
    match pairs.len() {
        1 => Ok(pairs.remove(0)),
        0 => Err(format!(
            "{} has no emscripten bundle: expected NAME.wasm with its glue NAME.js (built with -sMAIN_MODULE and -sMODULARIZE=1)",
            dir.display()
        )),
        _ => Err(format!(
            "{} has more than one bundle ({}); keep one NAME.wasm + NAME.js pair there",
            dir.display(),
            pairs
                .iter()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The keys of the glue's import object (`asmLibraryArg` in emscripten 3.1,
/// `wasmImports` later): the JS library functions a side module can import.
fn glue_library_names(glue: &str) -> Vec<String> {
    let Some(start) = ["var asmLibraryArg = {", "var wasmImports = {"]
        .iter()
        .find_map(|marker| glue.find(marker).map(|at| at + marker.len()))
    else {
        return Vec::new();
    };
    let body = &glue[start..];
    let body = &body[..body.find("};").unwrap_or(body.len())];
    body.lines()
        .filter_map(|line| {
            let line = line.trim().strip_prefix('"')?;
            Some(line[..line.find('"')?].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_glue_import_object() {
        let glue = "var x = 1;\nvar asmLibraryArg = {\n  \"__cxa_throw\": ___cxa_throw,\n  \"fd_write\": _fd_write\n};\n";
        assert_eq!(glue_library_names(glue), ["__cxa_throw", "fd_write"]);
    }

    #[test]
    fn serves_only_plain_bundle_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rt.js"), "glue").unwrap();
        std::fs::write(dir.path().join("rt.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let bundle = MainModule::load(dir.path()).unwrap();
        assert_eq!(
            (bundle.glue.as_str(), bundle.wasm.as_str()),
            ("rt.js", "rt.wasm")
        );
        assert!(bundle.file_for("/bundle/rt.wasm").is_some());
        assert!(bundle.file_for("/bundle/../rt.wasm").is_none());
        assert!(bundle.file_for("/bundle/missing.js").is_none());
        assert!(bundle.file_for("/bundle/.hidden.js").is_none());
    }
}
