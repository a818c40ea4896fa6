//! jank-wasm-nrepl: an nREPL server whose evals are compiled to WebAssembly
//! patches and run in a browser page or a headless Node runtime.
//!
//! See ARCHITECTURE.md for the codemap.

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

/// The namespace new sessions start in.
pub const DEFAULT_NS: &str = "user";
