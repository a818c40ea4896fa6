//! The compiler and the JavaScript runtime agree on the core library: every
//! var the compiler resolves in `clojure.core`/`clojure.string` exists in
//! `assets/runtime.js` (no eval compiles against a name the runtime lacks), and
//! every function the runtime has is known to the compiler (none is unusable).

use std::collections::BTreeSet;
use std::process::Command;

use jank_wasm_nrepl::compiler::core_lib::CORE_VARS;

/// What `expression` (over the runtime module `m`) is, as JSON, computed by node.
fn from_runtime(expression: &str) -> serde_json::Value {
    let runtime = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/runtime.js");
    let script = format!(
        "import({:?}).then(m => console.log(JSON.stringify({expression})))",
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
    serde_json::from_slice(&output.stdout).expect("JSON from node")
}

/// The class names the compiler resolves symbols to are the runtime's (tools/gen-core-lib.py).
#[test]
fn compiler_knows_the_runtime_classes() {
    let runtime: BTreeSet<String> = from_runtime("m.classNames()")
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let compiler: BTreeSet<String> = jank_wasm_nrepl::compiler::classes::KNOWN_CLASSES
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        compiler, runtime,
        "regenerate src/compiler/classes.rs with tools/gen-core-lib.py"
    );
    let mut sorted = jank_wasm_nrepl::compiler::classes::KNOWN_CLASSES.to_vec();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        jank_wasm_nrepl::compiler::classes::KNOWN_CLASSES,
        "sorted, for binary search"
    );
}

/// The boxed small longs patches read from the runtime's table are the ones it holds.
#[test]
fn the_small_longs_table_holds_what_the_compiler_reads_from_it() {
    use jank_wasm_nrepl::compiler::emit::{SMALL_LONG_COUNT, SMALL_LONG_MIN};
    let table = from_runtime("m.SMALL_LONGS");
    assert_eq!(table["min"].as_i64(), Some(SMALL_LONG_MIN));
    assert_eq!(table["count"].as_i64(), Some(SMALL_LONG_COUNT));
}

#[test]
fn runtime_exports_every_core_var_the_compiler_knows() {
    let exported = from_runtime("m.coreNames");
    let in_runtime: BTreeSet<String> = exported
        .as_object()
        .expect("coreNames is an object of namespaces")
        .iter()
        .flat_map(|(ns, names)| {
            let names = names.as_array().cloned().unwrap_or_default();
            names
                .into_iter()
                .filter_map(move |n| Some(format!("{ns}/{}", n.as_str()?)))
        })
        .collect();
    let in_compiler: BTreeSet<String> = CORE_VARS
        .iter()
        .map(|v| format!("{}/{}", v.ns, v.name))
        .collect();
    let runtime_lacks: Vec<_> = in_compiler.difference(&in_runtime).collect();
    assert!(
        runtime_lacks.is_empty(),
        "the runtime lacks {runtime_lacks:?}"
    );
    let compiler_lacks: Vec<_> = in_runtime.difference(&in_compiler).collect();
    assert!(
        compiler_lacks.is_empty(),
        "src/compiler/core_lib.rs lacks {compiler_lacks:?}"
    );
}
