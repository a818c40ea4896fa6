//! jank-wasm-nrepl: an nREPL server whose evals are compiled to WebAssembly
//! patches and run in a browser page or a headless Node runtime.
//!
//! See ARCHITECTURE.md for the codemap.

pub mod accept;
pub mod app;
pub mod bridge;
pub mod compiler;
pub mod config;
pub mod error_class;
pub mod evaluator;
pub mod nrepl;
pub mod project;
pub mod testkit;
pub mod toolchain;

/// Every allocation is counted per thread, for the compiler's memory budget
/// (`compiler::budget`).
#[global_allocator]
static ALLOCATOR: compiler::budget::MeteredAllocator = compiler::budget::MeteredAllocator;

/// The namespace new sessions start in.
pub const DEFAULT_NS: &str = "user";
