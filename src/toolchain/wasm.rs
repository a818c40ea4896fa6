//! Reading and adjusting emscripten side modules after wasm-ld made them.
//!
//! - `make_symbols_unique` renames every symbol a patch defines (except its
//!   entry) with the patch's id. wasm-ld 14 exports the hidden weak symbols
//!   of C++ classes (vtables, member functions) and imports them back through
//!   `env` and the GOT, and emscripten resolves those names globally, first
//!   definition wins: two patches that both define `fn_1::call` would run the
//!   older one's code. Unique names make each patch bind to its own code.
//! - `append_custom_section` adds the `jank.side` section that tells the
//!   runtime the patch's entry (docs/patch-abi.md, "Side modules").
//! - `interface` lists imports and exports, for the check against the main
//!   module; `is_side_module` recognises emscripten's `dylink.0` section.
//! - `needs_finalize` tells whether emcc's wasm-emscripten-finalize step
//!   would change anything the runtime relies on.

use std::collections::{HashMap, HashSet};

use wasmparser::{ElementItems, ExternalKind, Parser, Payload, TypeRef, ValType};

/// The custom section naming a side module's entry (JSON).
pub const SIDE_SECTION: &str = "jank.side";

const CUSTOM: u8 = 0;
const IMPORT: u8 = 2;
const EXPORT: u8 = 7;

/// Malformed wasm (ours or the linker's output: a bug, reported as such).
#[derive(Debug, thiserror::Error)]
#[error("malformed wasm: {0}")]
pub struct WasmError(String);

fn malformed(what: impl Into<String>) -> WasmError {
    WasmError(what.into())
}

/// One import or export, by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WasmSymbol {
    pub module: String,
    pub name: String,
    pub kind: ExternKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

/// What a module imports and exports.
#[derive(Clone, Debug, Default)]
pub struct Interface {
    pub imports: Vec<WasmSymbol>,
    /// Export names (their `module` is empty).
    pub exports: Vec<WasmSymbol>,
}

/// True for an emscripten dynamic library: its first section is `dylink.0`
/// (LLVM 13 and newer) or `dylink`.
pub fn is_side_module(wasm: &[u8]) -> bool {
    let Ok(sections) = sections(wasm) else {
        return false;
    };
    sections.first().is_some_and(|s| {
        s.id == CUSTOM
            && custom_name(wasm, s).is_ok_and(|(name, _)| name == "dylink.0" || name == "dylink")
    })
}

/// The imports and exports of `wasm`.
pub fn interface(wasm: &[u8]) -> Result<Interface, WasmError> {
    let mut interface = Interface::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| malformed(e.to_string()))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| malformed(e.to_string()))?;
                    interface.imports.push(WasmSymbol {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind: match import.ty {
                            TypeRef::Func(_) | TypeRef::FuncExact(_) => ExternKind::Func,
                            TypeRef::Table(_) => ExternKind::Table,
                            TypeRef::Memory(_) => ExternKind::Memory,
                            TypeRef::Global(_) => ExternKind::Global,
                            TypeRef::Tag(_) => ExternKind::Tag,
                        },
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| malformed(e.to_string()))?;
                    interface.exports.push(WasmSymbol {
                        module: String::new(),
                        name: export.name.to_string(),
                        kind: kind_of(export.kind),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(interface)
}

fn kind_of(kind: ExternalKind) -> ExternKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => ExternKind::Func,
        ExternalKind::Table => ExternKind::Table,
        ExternalKind::Memory => ExternKind::Memory,
        ExternalKind::Global => ExternKind::Global,
        ExternalKind::Tag => ExternKind::Tag,
    }
}

/// Whether emcc's finalize step matters for this side module: it legalizes
/// exported functions and adds `dynCall_*` helpers for table functions, but
/// only for signatures with i64 (without WASM_BIGINT, JS cannot pass i64).
/// For anything else it only re-encodes the module.
pub fn needs_finalize(wasm: &[u8]) -> Result<bool, WasmError> {
    let mut type_has_i64 = Vec::new();
    let mut func_types = Vec::new();
    let mut used = Vec::new();
    let err = |e: wasmparser::BinaryReaderError| malformed(e.to_string());
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(err)?;
                    let i64 = |v: &ValType| *v == ValType::I64;
                    type_has_i64.push(ty.params().iter().any(i64) || ty.results().iter().any(i64));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Func(ty) | TypeRef::FuncExact(ty) = import.map_err(err)?.ty {
                        func_types.push(ty);
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(err)?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(err)?;
                    if kind_of(export.kind) == ExternKind::Func {
                        used.push(export.index);
                    }
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    if let ElementItems::Functions(functions) = element.map_err(err)?.items {
                        for index in functions {
                            used.push(index.map_err(err)?);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(used.iter().any(|&f| {
        func_types
            .get(f as usize)
            .and_then(|&ty| type_has_i64.get(ty as usize))
            .copied()
            .unwrap_or(true)
    }))
}

/// Renames every symbol the module defines, except those `keep` accepts, to
/// `<name>__jwp_<id>`, in its exports, in its imports of its own symbols
/// (`env`, `GOT.func`, `GOT.mem`) and in `dylink.0`'s symbol tables.
pub fn make_symbols_unique(
    wasm: &[u8],
    id: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<u8>, WasmError> {
    let own: HashSet<String> = interface(wasm)?
        .exports
        .into_iter()
        .map(|e| e.name)
        .collect();
    let renames: HashMap<&str, String> = own
        .iter()
        .filter(|name| !keep(name.strip_prefix("orig$").unwrap_or(name)))
        .map(|name| (name.as_str(), format!("{name}__jwp_{id}")))
        .collect();
    let rename = |name: &str| renames.get(name).cloned();
    let mut out = wasm[..8].to_vec();
    for section in sections(wasm)? {
        let contents = &wasm[section.start..section.end];
        let rewritten = match section.id {
            IMPORT => Some(rewrite_imports(contents, &rename)?),
            EXPORT => Some(rewrite_exports(contents, &rename)?),
            CUSTOM if custom_name(wasm, &section)?.0 == "dylink.0" => {
                let (name, data) = custom_name(wasm, &section)?;
                let mut body = Vec::new();
                write_name(&mut body, name);
                body.extend(rewrite_dylink(&wasm[data..section.end], &rename)?);
                Some(body)
            }
            _ => None,
        };
        out.push(section.id);
        let body = rewritten.as_deref().unwrap_or(contents);
        write_u32(&mut out, body.len() as u32);
        out.extend_from_slice(body);
    }
    Ok(out)
}

/// Appends a custom section (custom sections may come anywhere after
/// `dylink.0`; the loader ignores ones it does not know).
pub fn append_custom_section(wasm: &mut Vec<u8>, name: &str, payload: &[u8]) {
    let mut body = Vec::new();
    write_name(&mut body, name);
    body.extend_from_slice(payload);
    wasm.push(CUSTOM);
    write_u32(wasm, body.len() as u32);
    wasm.extend(body);
}

/// The payload of the custom section `name`, if the module has one.
pub fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let sections = sections(wasm).ok()?;
    sections.iter().filter(|s| s.id == CUSTOM).find_map(|s| {
        let (found, data) = custom_name(wasm, s).ok()?;
        (found == name).then(|| &wasm[data..s.end])
    })
}

/// A section: its id and the byte range of its contents.
struct Section {
    id: u8,
    start: usize,
    end: usize,
}

fn sections(wasm: &[u8]) -> Result<Vec<Section>, WasmError> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(malformed("no wasm header"));
    }
    let mut reader = Bytes { data: wasm, pos: 8 };
    let mut sections = Vec::new();
    while reader.pos < wasm.len() {
        let id = reader.byte()?;
        let size = reader.u32()? as usize;
        let start = reader.pos;
        let end = start
            .checked_add(size)
            .filter(|&end| end <= wasm.len())
            .ok_or_else(|| malformed("a section runs past the end"))?;
        sections.push(Section { id, start, end });
        reader.pos = end;
    }
    Ok(sections)
}

/// A custom section's name and where its data starts.
fn custom_name<'a>(wasm: &'a [u8], section: &Section) -> Result<(&'a str, usize), WasmError> {
    let mut reader = Bytes {
        data: &wasm[..section.end],
        pos: section.start,
    };
    let name = reader.name()?;
    Ok((name, reader.pos))
}

fn rewrite_imports(
    contents: &[u8],
    rename: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<u8>, WasmError> {
    let mut reader = Bytes {
        data: contents,
        pos: 0,
    };
    let count = reader.u32()?;
    let mut out = Vec::new();
    write_u32(&mut out, count);
    for _ in 0..count {
        let module = reader.name()?;
        let name = reader.name()?;
        let descriptor_start = reader.pos;
        reader.skip_import_descriptor()?;
        let own = matches!(module, "env" | "GOT.func" | "GOT.mem");
        write_name(&mut out, module);
        match rename(name).filter(|_| own) {
            Some(renamed) => write_name(&mut out, &renamed),
            None => write_name(&mut out, name),
        }
        out.extend_from_slice(&contents[descriptor_start..reader.pos]);
    }
    Ok(out)
}

fn rewrite_exports(
    contents: &[u8],
    rename: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<u8>, WasmError> {
    let mut reader = Bytes {
        data: contents,
        pos: 0,
    };
    let count = reader.u32()?;
    let mut out = Vec::new();
    write_u32(&mut out, count);
    for _ in 0..count {
        let name = reader.name()?;
        let descriptor_start = reader.pos;
        reader.byte()?;
        reader.u32()?;
        write_name(&mut out, &rename(name).unwrap_or_else(|| name.to_string()));
        out.extend_from_slice(&contents[descriptor_start..reader.pos]);
    }
    Ok(out)
}

/// `dylink.0` subsections 3 (export info: name, flags) and 4 (import info:
/// module, name, flags) name symbols; the others are copied as they are.
fn rewrite_dylink(
    data: &[u8],
    rename: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<u8>, WasmError> {
    let mut reader = Bytes { data, pos: 0 };
    let mut out = Vec::new();
    while reader.pos < data.len() {
        let kind = reader.byte()?;
        let size = reader.u32()? as usize;
        let end = reader
            .pos
            .checked_add(size)
            .filter(|&end| end <= data.len())
            .ok_or_else(|| malformed("a dylink.0 subsection runs past the end"))?;
        let body = match kind {
            3 | 4 => {
                let mut sub = Bytes {
                    data: &data[..end],
                    pos: reader.pos,
                };
                let count = sub.u32()?;
                let mut body = Vec::new();
                write_u32(&mut body, count);
                for _ in 0..count {
                    if kind == 4 {
                        let module = sub.name()?;
                        write_name(&mut body, module);
                    }
                    let name = sub.name()?;
                    write_name(&mut body, &rename(name).unwrap_or_else(|| name.to_string()));
                    write_u32(&mut body, sub.u32()?);
                }
                body
            }
            _ => data[reader.pos..end].to_vec(),
        };
        out.push(kind);
        write_u32(&mut out, body.len() as u32);
        out.extend(body);
        reader.pos = end;
    }
    Ok(out)
}

/// A cursor over wasm bytes.
struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Result<u8, WasmError> {
        let byte = *self
            .data
            .get(self.pos)
            .ok_or_else(|| malformed("unexpected end"))?;
        self.pos += 1;
        Ok(byte)
    }

    fn u32(&mut self) -> Result<u32, WasmError> {
        let mut result: u64 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            result |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(result).map_err(|_| malformed("LEB128 out of range"));
            }
        }
        Err(malformed("LEB128 too long"))
    }

    fn name(&mut self) -> Result<&'a str, WasmError> {
        let len = self.u32()? as usize;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| malformed("a name runs past the end"))?;
        let name = std::str::from_utf8(&self.data[self.pos..end])
            .map_err(|_| malformed("a name is not UTF-8"))?;
        self.pos = end;
        Ok(name)
    }

    fn limits(&mut self) -> Result<(), WasmError> {
        let flags = self.byte()?;
        self.u32()?;
        if flags & 1 != 0 {
            self.u32()?;
        }
        Ok(())
    }

    /// Skips an import's kind and type (MVP encodings, plus tags).
    fn skip_import_descriptor(&mut self) -> Result<(), WasmError> {
        match self.byte()? {
            0 => {
                self.u32()?;
            }
            4 => {
                self.byte()?;
                self.u32()?;
            }
            1 => {
                self.byte()?;
                self.limits()?;
            }
            2 => self.limits()?,
            3 => {
                self.byte()?;
                self.byte()?;
            }
            other => return Err(malformed(format!("unknown import kind {other}"))),
        }
        Ok(())
    }
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CustomSection, EntityType, ExportKind, ExportSection, FunctionSection, GlobalType,
        ImportSection, Module, TypeSection, ValType as EncType,
    };

    /// A side-module-shaped module that imports `own` back from env and GOT.func,
    /// exports it and an entry, and imports `host` from env.
    fn side_module() -> Vec<u8> {
        let mut module = Module::new();
        module.section(&CustomSection {
            name: "dylink.0".into(),
            data: vec![3, 6, 1, 3, b'o', b'w', b'n', 0].into(),
        });
        let mut types = TypeSection::new();
        types.ty().function([EncType::I32], [EncType::I64]);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "own", EntityType::Function(0));
        imports.import("env", "host", EntityType::Function(0));
        let global = GlobalType {
            val_type: EncType::I32,
            mutable: true,
            shared: false,
        };
        imports.import("GOT.func", "own", EntityType::Global(global));
        module.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(0);
        module.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("own", ExportKind::Func, 2);
        exports.export("entry", ExportKind::Func, 2);
        module.section(&exports);
        let mut code = wasm_encoder::CodeSection::new();
        let mut body = wasm_encoder::Function::new([]);
        body.instructions().i64_const(0).end();
        code.function(&body);
        module.section(&code);
        module.finish()
    }

    #[test]
    fn renames_own_symbols_everywhere_but_keeps_the_entry() {
        let wasm = side_module();
        assert!(is_side_module(&wasm));
        let renamed = make_symbols_unique(&wasm, "abc", |name| name == "entry").unwrap();
        wasmparser::validate(&renamed).unwrap();
        let interface = interface(&renamed).unwrap();
        let names: Vec<String> = interface
            .imports
            .iter()
            .map(|s| format!("{}:{}", s.module, s.name))
            .collect();
        assert_eq!(
            names,
            ["env:own__jwp_abc", "env:host", "GOT.func:own__jwp_abc"]
        );
        let exports: Vec<&str> = interface.exports.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(exports, ["own__jwp_abc", "entry"]);
        let dylink = custom_section(&renamed, "dylink.0").unwrap();
        let mut expected = vec![3, 15, 1, 12];
        expected.extend_from_slice(b"own__jwp_abc");
        expected.push(0);
        assert_eq!(dylink, expected);
        assert!(is_side_module(&renamed));
    }

    #[test]
    fn finalize_is_needed_only_for_i64_at_the_js_boundary() {
        assert!(
            needs_finalize(&side_module()).unwrap(),
            "exports an i64 function"
        );
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([EncType::I64], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "take_i64", EntityType::Function(0));
        module.section(&imports);
        assert!(
            !needs_finalize(&module.finish()).unwrap(),
            "only imports it"
        );
    }

    #[test]
    fn custom_sections_round_trip() {
        let mut wasm = side_module();
        append_custom_section(&mut wasm, SIDE_SECTION, b"{\"entry\":\"e\"}");
        wasmparser::validate(&wasm).unwrap();
        assert_eq!(
            custom_section(&wasm, SIDE_SECTION),
            Some(&b"{\"entry\":\"e\"}"[..])
        );
    }
}
