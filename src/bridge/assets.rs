//! The runtime's files, embedded in the binary so the program serves (and the
//! headless runtime runs) exactly the runtime it was built with.

/// One embedded file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
}

const JS: &str = "text/javascript; charset=utf-8";

pub const ASSETS: &[Asset] = &[
    Asset {
        name: "index.html",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/index.html"),
    },
    Asset {
        name: "page.js",
        content_type: JS,
        body: include_str!("../../assets/page.js"),
    },
    Asset {
        name: "runtime.js",
        content_type: JS,
        body: include_str!("../../assets/runtime.js"),
    },
    Asset {
        name: "connection.js",
        content_type: JS,
        body: include_str!("../../assets/connection.js"),
    },
    Asset {
        name: "emscripten-host.js",
        content_type: JS,
        body: include_str!("../../assets/emscripten-host.js"),
    },
    Asset {
        name: "control.js",
        content_type: JS,
        body: include_str!("../../assets/control.js"),
    },
    Asset {
        name: "node-main.mjs",
        content_type: JS,
        body: include_str!("../../assets/node-main.mjs"),
    },
];

/// The asset served at an HTTP path (`/` is the page).
pub fn lookup(path: &str) -> Option<&'static Asset> {
    let name = match path {
        "/" => "index.html",
        other => other.strip_prefix('/')?,
    };
    ASSETS.iter().find(|asset| asset.name == name)
}
