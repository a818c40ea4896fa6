//! Generates the list of the runtime's files (`assets/`, but its tests) that the binary
//! embeds, so that a new module cannot be forgotten.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let assets = root.join("assets");
    println!("cargo:rerun-if-changed=assets");
    let mut files = Vec::new();
    collect(&assets, &assets, &mut files);
    files.sort();
    let mut out = String::from("pub const ASSETS: &[Asset] = &[\n");
    for name in &files {
        let content_type = match Path::new(name).extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("js" | "mjs") => "text/javascript; charset=utf-8",
            Some("png") => continue,
            _ => "text/plain; charset=utf-8",
        };
        let path = assets.join(name);
        writeln!(
            out,
            "    Asset {{ name: {name:?}, content_type: {content_type:?}, body: include_str!({:?}) }},",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("assets.rs");
    std::fs::write(dest, out).expect("writing the asset list");
}

/// Every file below `dir` (directories re-read when they change), as paths from `base`.
fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).expect("assets/ is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .strip_prefix(base)
            .expect("below base")
            .to_string_lossy()
            .replace('\\', "/");
        if name == "test" || name.starts_with("test/") {
            continue;
        }
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(base, &path, files);
        } else {
            files.push(name);
        }
    }
}
