//! The patch module being assembled: types, the runtime imports it uses,
//! its constants, the functions emitted so far, and the `jank.patch` section.
//! `finish` lays them out in wasm's section order.

use std::collections::{BTreeSet, HashMap};

use wasm_encoder::{
    CodeSection, ConstExpr, CustomSection, ElementSection, Elements, EntityType, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection,
    Instruction, Module, RefType, TableType, TypeSection, ValType,
};

use super::super::ast::Constant;
use super::super::namespace::{Namespaces, Slot};

const E: ValType = ValType::EXTERNREF;

/// A function signature.
type Signature = (Vec<ValType>, Vec<ValType>);

/// A function of the patch, its body kept as instructions until `finish`,
/// because `ref.func` indices depend on how many imports there end up being.
pub struct DefinedFunction {
    pub type_index: u32,
    /// The types of the locals beyond the parameters, in order.
    pub locals: Vec<ValType>,
    pub body: Vec<Instruction<'static>>,
}

#[derive(Default)]
pub struct ModuleBuilder {
    types: Vec<Signature>,
    type_index: HashMap<Signature, u32>,
    imports: Vec<(FnImport, u32)>,
    import_index: HashMap<FnImport, u32>,
    /// The vars whose direct-call guard the patch imports, in import order.
    guards: SlotList,
    /// The vars whose version the patch imports, in import order.
    versions: SlotList,
    /// How many `i32` globals of its own the patch has (all start at -1).
    own_versions: u32,
    consts: Vec<Constant>,
    const_index: HashMap<String, u32>,
    functions: Vec<DefinedFunction>,
    vars: BTreeSet<Slot>,
    /// Whether a `recur` counts down the runtime's `countdown` global.
    uses_countdown: bool,
    /// Whether the code boxes longs through the runtime's `small_longs` table.
    uses_small_longs: bool,
}

/// The longs the runtime's `small_longs` table holds: `SMALL_LONG_MIN` and
/// the `SMALL_LONG_COUNT - 1` after it (docs/patch-abi.md).
pub const SMALL_LONG_MIN: i64 = -1024;
pub const SMALL_LONG_COUNT: i64 = 32768;

/// Vars in the order a patch first asked for them, each with its number.
#[derive(Default)]
struct SlotList {
    slots: Vec<Slot>,
    index: HashMap<Slot, u32>,
}

impl SlotList {
    /// `slot`'s number, given on its first use.
    fn number(&mut self, slot: Slot) -> u32 {
        let next = self.slots.len() as u32;
        let number = *self.index.entry(slot).or_insert(next);
        if number == next {
            self.slots.push(slot);
        }
        number
    }

    fn len(&self) -> usize {
        self.slots.len()
    }

    fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

/// A mutable `i32` global (the countdown, guards and versions it imports, its own).
const MUTABLE_I32: GlobalType = GlobalType {
    val_type: ValType::I32,
    mutable: true,
    shared: false,
};

/// An imported function: a runtime import (`rt`), or a library fn's arity
/// that direct calls reach (`direct "slot/n"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum FnImport {
    Runtime(&'static str),
    Direct(Slot, usize),
}

/// Code-table entries per var: one per positional arity 0..=20 (docs/patch-abi.md).
pub const CODE_STRIDE: u32 = 21;

impl ModuleBuilder {
    pub fn type_of(&mut self, params: Vec<ValType>, results: Vec<ValType>) -> u32 {
        let signature = (params, results);
        if let Some(&index) = self.type_index.get(&signature) {
            return index;
        }
        let index = self.types.len() as u32;
        self.types.push(signature.clone());
        self.type_index.insert(signature, index);
        index
    }

    /// The function index of runtime import `name` (docs/patch-abi.md),
    /// importing it on first use.
    pub fn runtime_fn(
        &mut self,
        name: &'static str,
        params: Vec<ValType>,
        results: Vec<ValType>,
    ) -> u32 {
        self.import_fn(FnImport::Runtime(name), params, results)
    }

    /// The function index of library fn `slot`'s arity `n` (docs/patch-abi.md,
    /// "Direct calls of library fns").
    pub fn direct_fn(&mut self, slot: Slot, n: usize) -> u32 {
        self.import_fn(FnImport::Direct(slot, n), vec![E; n], vec![E])
    }

    fn import_fn(&mut self, import: FnImport, params: Vec<ValType>, results: Vec<ValType>) -> u32 {
        if let Some(&index) = self.import_index.get(&import) {
            return index;
        }
        let type_index = self.type_of(params, results);
        let index = self.imports.len() as u32;
        self.imports.push((import, type_index));
        self.import_index.insert(import, index);
        index
    }

    /// The placeholder global index of var `slot`'s direct-call guard (an
    /// imported mutable i32, after the countdown: `finish` gives its index).
    pub fn direct_guard(&mut self, slot: Slot) -> u32 {
        GUARD_PLACEHOLDER_BASE + self.guards.number(slot)
    }

    /// The global index of a constant, adding it on first use.
    pub fn constant(&mut self, value: &Constant) -> u32 {
        let key = value.to_string();
        if let Some(&index) = self.const_index.get(&key) {
            return index;
        }
        let index = self.consts.len() as u32;
        self.consts.push(value.clone());
        self.const_index.insert(key, index);
        index
    }

    /// The placeholder global index of the runtime's poll countdown (an
    /// imported mutable i32, after the constants: `finish` gives it its index).
    pub fn countdown(&mut self) -> u32 {
        self.uses_countdown = true;
        COUNTDOWN_PLACEHOLDER
    }

    /// The placeholder global index of var `slot`'s version (an imported
    /// mutable i32 the runtime changes whenever the var gets a new root).
    pub fn version_global(&mut self, slot: Slot) -> u32 {
        VERSION_PLACEHOLDER_BASE + self.versions.number(slot)
    }

    /// The placeholder global index of a new mutable i32 global of the
    /// patch's own, starting at -1 (no version the runtime gives).
    pub fn own_version_global(&mut self) -> u32 {
        self.own_versions += 1;
        OWN_PLACEHOLDER_BASE + self.own_versions - 1
    }

    /// A function index whose code comes later (`set_function`).
    pub fn reserve_function(&mut self) -> u32 {
        self.add_function(DefinedFunction {
            type_index: u32::MAX,
            locals: Vec::new(),
            body: Vec::new(),
        })
    }

    pub fn set_function(&mut self, index: u32, function: DefinedFunction) {
        self.functions[index as usize] = function;
    }

    /// The table index of the runtime's boxed small longs, imported on first use.
    pub fn small_longs(&mut self) -> u32 {
        self.uses_small_longs = true;
        1
    }

    /// Notes that the patch uses var `slot` (the runtime initialises its
    /// slot), reading or defining it.
    pub fn use_var(&mut self, slot: Slot) {
        self.vars.insert(slot);
    }

    /// Adds a function; returns its index among the defined functions.
    pub fn add_function(&mut self, function: DefinedFunction) -> u32 {
        self.functions.push(function);
        self.functions.len() as u32 - 1
    }

    /// The binary module. `entry` is the defined function exported as `run`.
    pub fn finish(self, entry: u32, ns: &str, source: &str, namespaces: &Namespaces) -> Vec<u8> {
        let imported = self.imports.len() as u32;
        let table_size = self.vars.last().map_or(0, |&slot| slot + 1);
        let mut module = Module::new();

        let mut types = TypeSection::new();
        for (params, results) in &self.types {
            types
                .ty()
                .function(params.iter().copied(), results.iter().copied());
        }
        module.section(&types);

        let mut imports = ImportSection::new();
        for (import, type_index) in &self.imports {
            let function = EntityType::Function(*type_index);
            match import {
                FnImport::Runtime(name) => imports.import("rt", name, function),
                FnImport::Direct(slot, n) => {
                    imports.import("direct", &format!("{slot}/{n}"), function)
                }
            };
        }
        imports.import(
            "rt",
            "vars",
            EntityType::Table(TableType {
                element_type: RefType::EXTERNREF,
                table64: false,
                minimum: u64::from(table_size),
                maximum: None,
                shared: false,
            }),
        );
        if self.uses_small_longs {
            imports.import(
                "rt",
                "small_longs",
                EntityType::Table(TableType {
                    element_type: RefType::EXTERNREF,
                    table64: false,
                    minimum: SMALL_LONG_COUNT as u64,
                    maximum: None,
                    shared: false,
                }),
            );
        }
        for index in 0..self.consts.len() {
            let global = GlobalType {
                val_type: E,
                mutable: false,
                shared: false,
            };
            imports.import("k", &index.to_string(), EntityType::Global(global));
        }
        if self.uses_countdown {
            imports.import("rt", "countdown", EntityType::Global(MUTABLE_I32));
        }
        for slot in &self.guards.slots {
            imports.import("direct", &slot.to_string(), EntityType::Global(MUTABLE_I32));
        }
        for slot in &self.versions.slots {
            imports.import(
                "version",
                &slot.to_string(),
                EntityType::Global(MUTABLE_I32),
            );
        }
        module.section(&imports);
        let countdown = self.consts.len() as u32;
        let first_guard = countdown + u32::from(self.uses_countdown);
        let globals = GlobalIndices {
            countdown,
            first_guard,
            first_version: first_guard + self.guards.len() as u32,
            first_own: first_guard + (self.guards.len() + self.versions.len()) as u32,
        };

        let mut functions = FunctionSection::new();
        for function in &self.functions {
            functions.function(function.type_index);
        }
        module.section(&functions);

        if self.own_versions > 0 {
            let mut own = GlobalSection::new();
            for _ in 0..self.own_versions {
                own.global(MUTABLE_I32, &ConstExpr::i32_const(-1));
            }
            module.section(&own);
        }

        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, imported + entry);
        module.section(&exports);

        // Every defined function may be the target of `ref.func`: declare them.
        let all: Vec<u32> = (0..self.functions.len() as u32)
            .map(|i| imported + i)
            .collect();
        let mut elements = ElementSection::new();
        elements.declared(Elements::Functions(all.into()));
        module.section(&elements);

        let mut code = CodeSection::new();
        for function in &self.functions {
            let mut body = Function::new_with_locals_types(function.locals.iter().copied());
            for instruction in &function.body {
                match relocate(instruction, imported, &globals) {
                    Some(relocated) => body.instruction(&relocated),
                    None => body.instruction(instruction),
                };
            }
            code.function(&body);
        }
        module.section(&code);

        // what the runtime links besides `rt` and `k`, so that it need not list the imports
        let direct: Vec<String> = self
            .imports
            .iter()
            .filter_map(|(import, _)| match import {
                FnImport::Direct(slot, n) => Some(format!("{slot}/{n}")),
                FnImport::Runtime(_) => None,
            })
            .collect();
        let vars = self
            .vars
            .iter()
            .map(|&slot| {
                let var = namespaces.var(slot);
                // a core macro's var: the runtime makes its root an expander
                if var.is_macro && var.ns == crate::compiler::namespace::CORE_NS {
                    PatchVar::CoreMacro(slot, &var.ns, &var.name, "core-macro")
                } else {
                    PatchVar::Plain(slot, &var.ns, &var.name)
                }
            })
            .collect();
        let links = (!direct.is_empty() || !self.guards.is_empty() || !self.versions.is_empty())
            .then(|| PatchLinks {
                direct,
                guards: &self.guards.slots,
                versions: &self.versions.slots,
            });
        let metadata = PatchMeta {
            ns,
            source,
            table_size,
            vars,
            consts: &self.consts,
            links,
        };
        module.section(&CustomSection {
            name: "jank.patch".into(),
            data: serde_json::to_vec(&metadata)
                .expect("a patch's metadata serializes")
                .into(),
        });
        module.finish()
    }
}

/// `ref.func` operands are indices among defined functions while emitting;
/// in the module they follow the imports.
/// Stands for the countdown global's index until `finish` knows it.
const COUNTDOWN_PLACEHOLDER: u32 = u32::MAX;

/// `call` operands at or above this are defined functions (their index among
/// them added), below it imports: `finish` moves the first past the imports.
const DEFINED_CALL_BASE: u32 = 1 << 30;

/// A `call` of the defined function `index` (as `add_function` numbered it).
pub fn call_defined(index: u32) -> Instruction<'static> {
    Instruction::Call(DEFINED_CALL_BASE + index)
}

/// A `return_call` of the defined function `index`.
pub fn return_call_defined(index: u32) -> Instruction<'static> {
    Instruction::ReturnCall(DEFINED_CALL_BASE + index)
}

/// Globals whose index `finish` alone knows stand for it, while emitting,
/// as one of these bases plus their number: direct-call guards, imported
/// var versions, the patch's own globals.
const GUARD_PLACEHOLDER_BASE: u32 = 3 << 28;
const VERSION_PLACEHOLDER_BASE: u32 = 2 << 28;
const OWN_PLACEHOLDER_BASE: u32 = 1 << 28;

/// Where each kind of global starts in the module's global index space.
struct GlobalIndices {
    countdown: u32,
    first_guard: u32,
    first_version: u32,
    first_own: u32,
}

impl GlobalIndices {
    fn relocate(&self, index: u32) -> u32 {
        match index {
            COUNTDOWN_PLACEHOLDER => self.countdown,
            i if i >= GUARD_PLACEHOLDER_BASE => i - GUARD_PLACEHOLDER_BASE + self.first_guard,
            i if i >= VERSION_PLACEHOLDER_BASE => i - VERSION_PLACEHOLDER_BASE + self.first_version,
            i if i >= OWN_PLACEHOLDER_BASE => i - OWN_PLACEHOLDER_BASE + self.first_own,
            i => i,
        }
    }
}

/// `instruction` with its function or global index moved to where `finish` laid them out;
/// None when it has no such index (it is encoded as it is, not copied).
fn relocate(
    instruction: &Instruction<'static>,
    imported: u32,
    globals: &GlobalIndices,
) -> Option<Instruction<'static>> {
    Some(match instruction {
        Instruction::RefFunc(index) => Instruction::RefFunc(index + imported),
        Instruction::Call(index) if *index >= DEFINED_CALL_BASE => {
            Instruction::Call(index - DEFINED_CALL_BASE + imported)
        }
        Instruction::ReturnCall(index) if *index >= DEFINED_CALL_BASE => {
            Instruction::ReturnCall(index - DEFINED_CALL_BASE + imported)
        }
        Instruction::GlobalGet(index) => Instruction::GlobalGet(globals.relocate(*index)),
        Instruction::GlobalSet(index) => Instruction::GlobalSet(globals.relocate(*index)),
        _ => return None,
    })
}

/// The `jank.patch` section (docs/patch-abi.md), serialized straight from here.
#[derive(serde::Serialize)]
struct PatchMeta<'a> {
    ns: &'a str,
    source: &'a str,
    table_size: u32,
    vars: Vec<PatchVar<'a>>,
    consts: &'a [Constant],
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<PatchLinks<'a>>,
}

/// A var the patch uses: `[slot, ns, name]`, a core macro's with `"core-macro"` after.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum PatchVar<'a> {
    Plain(Slot, &'a str, &'a str),
    CoreMacro(Slot, &'a str, &'a str, &'static str),
}

/// What the runtime links besides `rt` and `k`.
#[derive(serde::Serialize)]
struct PatchLinks<'a> {
    direct: Vec<String>,
    guards: &'a [Slot],
    versions: &'a [Slot],
}
