//! The compiler and the JavaScript runtime agree on the core library: every
//! var the compiler resolves in `clojure.core`/`clojure.string` exists in
//! `assets/runtime.js`, so no eval compiles against a name the runtime lacks.

use std::collections::BTreeSet;
use std::process::Command;

use jank_wasm_nrepl::compiler::core_lib::CORE_VARS;

#[test]
fn runtime_exports_every_core_var_the_compiler_knows() {
    let runtime = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/runtime.js");
    let script = format!(
        "import({:?}).then(m => console.log(JSON.stringify(m.coreNames)))",
        format!("file://{runtime}")
    );
    let output = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let exported: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("JSON from node");
    let mut missing = BTreeSet::new();
    for var in CORE_VARS {
        let names = exported[var.ns].as_array().cloned().unwrap_or_default();
        if !names.iter().any(|n| n.as_str() == Some(var.name)) {
            missing.insert(format!("{}/{}", var.ns, var.name));
        }
    }
    assert!(missing.is_empty(), "the runtime lacks {missing:?}");
}
