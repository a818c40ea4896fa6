//! The class names of the errors the server reports itself (as `ex` and
//! `root-ex`, `class NAME`), one definition each. Errors thrown by compiled
//! code carry the class the runtime gives them (`runtime.js`).

/// A form that cannot be read (Clojure's class for it).
pub const READER_EXCEPTION: &str = "clojure.lang.LispReader$ReaderException";

/// A form that cannot be compiled, or a macro expansion that cannot be read
/// back (Clojure's class for it).
pub const COMPILER_EXCEPTION: &str = "clojure.lang.Compiler$CompilerException";

/// No runtime is connected to run a patch or a user macro.
pub const NO_RUNTIME: &str = "jank.wasm.NoRuntime";

/// The runtime went away before the eval ended.
pub const RUNTIME_DISCONNECTED: &str = "RuntimeDisconnected";

/// The eval ran longer than `--eval-timeout`.
pub const TIMEOUT: &str = "TimeoutException";

/// Something the program does not do (yet), said so rather than done wrong.
pub const UNSUPPORTED: &str = "java.lang.UnsupportedOperationException";
