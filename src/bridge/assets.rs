//! The runtime's files, embedded in the binary so the program serves (and the
//! headless runtime runs) exactly the runtime it was built with.

/// One embedded file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
}

// The files of assets/ (its tests aside), listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The asset served at an HTTP path (`/` is the page).
pub fn lookup(path: &str) -> Option<&'static Asset> {
    let name = match path {
        "/" => "index.html",
        other => other.strip_prefix('/')?,
    };
    ASSETS.iter().find(|asset| asset.name == name)
}

/// Writes the runtime's scripts (keeping their folders) below `dir`, for a Node process to run.
pub fn write_scripts(dir: &std::path::Path) -> std::io::Result<()> {
    for asset in ASSETS.iter().filter(|a| a.name.ends_with("js")) {
        let path = dir.join(asset.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, asset.body)?;
    }
    Ok(())
}
