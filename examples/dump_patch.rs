//! Writes the patches the built-in compiler makes of some code, one
//! `patch-N.wasm` per top-level form, for reading with a wasm disassembler
//! (`wasm-dis patch-0.wasm`): `cargo run --example dump_patch -- '(code)' [DIR]`.
//! Forms are compiled in `user` with no runtime, so user macros cannot run.

use jank_wasm_nrepl::compiler::reader::Reader;
use jank_wasm_nrepl::compiler::{Compiler, NoRuntime};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let code = args.next().ok_or("usage: dump_patch CODE [DIR]")?;
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let mut compiler = Compiler::new();
    let mut ns = "user".to_string();
    let mut reader = Reader::new(&code, 1, 1);
    let mut index = 0;
    while let Some(form) = reader
        .next_form(&compiler.read_context(&ns))
        .map_err(|e| e.message)?
    {
        let patch = compiler
            .compile(&mut ns, &form, None, &mut NoRuntime)
            .map_err(|e| e.message)?;
        let path = dir.join(format!("patch-{index}.wasm"));
        std::fs::write(&path, &patch.wasm).map_err(|e| e.to_string())?;
        println!("{}", path.display());
        index += 1;
    }
    Ok(())
}
