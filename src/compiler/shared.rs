//! The compiler every session shares, arranged so that no compile holds up
//! the others for long. What the compiler knows (namespaces, vars, slots) is
//! one table behind a lock, and a compile may change it (`def` interns a var).
//!
//! - Reading takes the lock only for each question the reader asks (what an
//!   alias names, how syntax-quote qualifies a symbol), never for a whole read.
//! - A small form compiles under the lock, in a time slice. A big form, or one
//!   still compiling when its slice ends (an expansion that explodes, a slow
//!   user macro), is compiled again on a copy of the table, without the lock,
//!   in the slow lane (one such compile at a time, which bounds the memory
//!   they take). Its changes are kept if nobody changed the table meanwhile;
//!   otherwise it is compiled again on a fresh copy, and after a few tries
//!   under the lock. User macros it ran are not run again: their expansions
//!   are remembered, in order, with the patch that ran them.
//! - Required namespaces load on the shared table only, once: a compile on a
//!   copy that meets a require goes to the lock, and a load under the lock
//!   ends the time slice (the form finishes there; the load is not budgeted
//!   as the form's compile).
//!
//! Every read and compile runs under the budget (`budget.rs`).

use std::time::Duration;

use parking_lot::{Mutex, MutexGuard};

use super::budget::{self, Budget};
use super::form::{Form, FormKind, Symbol};
use super::namespace::Namespaces;
use super::reader::{ReadContext, ReadError, Reader};
use super::{
    CompileError, CompileErrorKind, CompileHost, Compiler, MacroFailure, MacroRunner,
    NamespaceLoader, Patch, Require,
};

/// How long a compile may hold the shared table.
const SLICE: Duration = Duration::from_millis(20);
/// How long a read may take before it is to be done again off the caller's
/// thread (`read_briefly`).
const READ_SLICE: Duration = Duration::from_millis(2);
/// Forms with more nodes than this go straight to the slow lane (compiling
/// takes about a microsecond per node, and more for big constants).
const BIG_FORM_NODES: usize = 20_000;
/// Copies a slow compile tries before it compiles under the lock.
const COPY_ATTEMPTS: usize = 3;

pub struct SharedCompiler {
    compiler: Mutex<Compiler>,
    /// Held by the one compile running on a copy.
    slow_lane: Mutex<()>,
    budget: Budget,
}

impl SharedCompiler {
    /// A fresh compiler whose reads and compiles each get `budget`.
    pub fn new(time: Duration, memory: usize) -> SharedCompiler {
        SharedCompiler {
            compiler: Mutex::new(Compiler::new()),
            slow_lane: Mutex::new(()),
            budget: Budget {
                time,
                memory,
                slice: false,
            },
        }
    }

    /// The compiler, for a quick question (completions, lookup...).
    pub fn lock(&self) -> MutexGuard<'_, Compiler> {
        lock_patiently(&self.compiler)
    }

    /// The next form of `reader`, read in namespace `ns`.
    pub fn read(&self, reader: &mut Reader<'_>, ns: &str) -> Result<Option<Form>, ReadError> {
        let context = LockingContext {
            compiler: &self.compiler,
            ns,
        };
        budget::run(self.budget, || reader.next_form(&context))
    }

    /// `read`, if it takes no more than a moment; `None` (with `reader` back
    /// where it was) if it would take longer: then `read` it on a thread that
    /// may block for a while. Most reads are quick, and this spares them the
    /// cost of leaving the caller's thread.
    pub fn read_briefly(
        &self,
        reader: &mut Reader<'_>,
        ns: &str,
    ) -> Option<Result<Option<Form>, ReadError>> {
        let context = LockingContext {
            compiler: &self.compiler,
            ns,
        };
        let start = reader.checkpoint();
        let read = budget::run_slice(READ_SLICE, || reader.next_form(&context));
        if read.is_none() {
            reader.rewind(start);
        }
        read
    }

    /// Compiles one top-level form read in `ns` (updated by `ns`/`in-ns`),
    /// running user macros and loading required namespaces through `host`.
    pub fn compile(
        &self,
        ns: &mut String,
        form: &Form,
        file: Option<&str>,
        host: &mut dyn CompileHost,
    ) -> Result<Patch, CompileError> {
        let mut host = SharingHost {
            host,
            expansions: Vec::new(),
            next_expansion: 0,
            on_copy: false,
            needs_table: false,
        };
        if node_count(form, BIG_FORM_NODES) <= BIG_FORM_NODES {
            let mut compiler = lock_patiently(&self.compiler);
            let in_slice = budget::run(Budget::slice(SLICE), || {
                compiler.compile(ns, form, file, &mut host)
            });
            match in_slice {
                Err(error) if error.kind == CompileErrorKind::Yield => {}
                done => return done,
            }
        }
        self.compile_in_slow_lane(ns, form, file, &mut host)
    }

    fn compile_in_slow_lane(
        &self,
        ns: &mut String,
        form: &Form,
        file: Option<&str>,
        host: &mut SharingHost<'_>,
    ) -> Result<Patch, CompileError> {
        let _lane = self.slow_lane.lock();
        for _ in 0..COPY_ATTEMPTS {
            let (mut copy, version) = {
                let compiler = lock_patiently(&self.compiler);
                (compiler.clone(), compiler.version())
            };
            let mut copy_ns = ns.clone();
            host.start_attempt(true);
            let compiled =
                budget::run(self.budget, || copy.compile(&mut copy_ns, form, file, host));
            if host.needs_table {
                break;
            }
            let mut compiler = lock_patiently(&self.compiler);
            if compiler.version() == version {
                if copy.version() != version {
                    *compiler = copy;
                }
                *ns = copy_ns;
                return compiled;
            }
            // Someone else's definitions came in meanwhile: the slots this
            // compile took may be theirs. Try again with them.
        }
        let mut compiler = lock_patiently(&self.compiler);
        host.start_attempt(false);
        budget::run(self.budget, || compiler.compile(ns, form, file, host))
    }
}

/// Takes the table's lock. When it is busy (a load runs patches in every
/// runtime while holding it), an async worker thread waits off the worker
/// (`block_in_place`): the tasks queued on that worker, such as the socket
/// of the runtime the load waits for, move to another, or the load would
/// wait on them forever.
fn lock_patiently(compiler: &Mutex<Compiler>) -> MutexGuard<'_, Compiler> {
    if let Some(guard) = compiler.try_lock() {
        return guard;
    }
    let on_a_worker = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if on_a_worker {
        tokio::task::block_in_place(|| compiler.lock())
    } else {
        compiler.lock()
    }
}

/// The reader's questions, each answered under the lock for just that long.
struct LockingContext<'a> {
    compiler: &'a Mutex<Compiler>,
    ns: &'a str,
}

impl ReadContext for LockingContext<'_> {
    fn current_ns(&self) -> &str {
        self.ns
    }

    fn resolve_alias(&self, alias: &str) -> Option<String> {
        lock_patiently(self.compiler)
            .read_context(self.ns)
            .resolve_alias(alias)
    }

    fn qualify_for_syntax_quote(&self, sym: &Symbol) -> Symbol {
        lock_patiently(self.compiler)
            .read_context(self.ns)
            .qualify_for_syntax_quote(sym)
    }
}

/// The host as a compile that may be tried more than once sees it.
///
/// Each user macro runs once, however many times the compile is tried: an
/// attempt that makes the same macro calls in the same order gets the
/// expansions the first got (an attempt on a table that changed meanwhile
/// makes other patches, which run afresh). A require loads on the shared
/// table only: on a copy it ends the attempt (`needs_table`), and under the
/// lock it ends the time slice, so nothing is loaded twice.
struct SharingHost<'h> {
    host: &'h mut dyn CompileHost,
    /// Every macro patch run so far and what it gave, in order.
    expansions: Vec<(Vec<u8>, Result<String, MacroFailure>)>,
    /// The next of `expansions` an attempt's next macro call may reuse.
    next_expansion: usize,
    /// The attempt is compiling on a copy of the table.
    on_copy: bool,
    /// An attempt on a copy met a require.
    needs_table: bool,
}

impl SharingHost<'_> {
    fn start_attempt(&mut self, on_copy: bool) {
        self.next_expansion = 0;
        self.on_copy = on_copy;
    }
}

impl MacroRunner for SharingHost<'_> {
    fn run_macro(&mut self, patch: &Patch, tables: &Namespaces) -> Result<String, MacroFailure> {
        let index = self.next_expansion;
        self.next_expansion += 1;
        if let Some((wasm, known)) = self.expansions.get(index)
            && *wasm == patch.wasm
        {
            return known.clone();
        }
        let result = self.host.run_macro(patch, tables);
        self.expansions.truncate(index);
        if !matches!(result, Err(MacroFailure::Interrupted)) {
            self.expansions.push((patch.wasm.clone(), result.clone()));
        }
        result
    }
}

impl NamespaceLoader for SharingHost<'_> {
    fn require(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
    ) -> Result<(), CompileError> {
        if self.on_copy {
            self.needs_table = true;
            return Err(CompileError {
                message: "loading a namespace needs the shared compiler".into(),
                pos: require.pos,
                kind: CompileErrorKind::Yield,
            });
        }
        budget::without_budget(|| self.host.require(namespaces, require))
    }
}

/// How many forms `form` holds, counting up to a little past `limit`.
fn node_count(form: &Form, limit: usize) -> usize {
    let mut count = 0;
    let mut todo = vec![form];
    while let Some(form) = todo.pop() {
        count += 1;
        if count > limit {
            break;
        }
        if let Some(meta) = &form.meta {
            todo.push(meta);
        }
        match &form.kind {
            FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => {
                todo.extend(items)
            }
            FormKind::Map(entries) => {
                for (key, value) in entries {
                    todo.push(key);
                    todo.push(value);
                }
            }
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::NoRuntime;
    use crate::compiler::footprint::Resource;
    use crate::compiler::namespace::Slot;

    fn read(shared: &SharedCompiler, code: &str) -> Form {
        shared
            .read(&mut Reader::new(code, 1, 1), "user")
            .unwrap()
            .unwrap()
    }

    /// Expands every user macro call to a long `(do 1 1 ...)`, taking longer
    /// than a time slice each time (as a runtime round trip can): reading the
    /// expansion back is where the compile notices the slice ended.
    struct SlowMacros {
        runs: usize,
    }

    impl MacroRunner for SlowMacros {
        fn run_macro(
            &mut self,
            _patch: &Patch,
            _tables: &Namespaces,
        ) -> Result<String, MacroFailure> {
            self.runs += 1;
            std::thread::sleep(SLICE + Duration::from_millis(5));
            Ok(format!("(do {})", "1 ".repeat(5_000)))
        }
    }

    impl NamespaceLoader for SlowMacros {
        fn require(&mut self, _: &mut Namespaces, _: &Require) -> Result<(), CompileError> {
            Ok(())
        }
    }

    #[test]
    fn macros_slower_than_a_time_slice_move_the_compile_on_and_run_once() {
        let shared = SharedCompiler::new(Duration::from_secs(60), usize::MAX);
        let mut ns = "user".to_string();
        let mut host = SlowMacros { runs: 0 };
        let defmacro = read(&shared, "(defmacro three [] 3)");
        shared.compile(&mut ns, &defmacro, None, &mut host).unwrap();
        let calls = read(&shared, "(do (three) (three) (three))");
        let compiled = shared.compile(&mut ns, &calls, None, &mut host);
        let problem = compiled
            .err()
            .map(|e| e.message.chars().take(200).collect::<String>());
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(
            host.runs, 3,
            "each macro call runs once, however often the compile is tried"
        );
    }

    #[test]
    fn a_big_form_compiled_on_a_copy_keeps_its_definitions() {
        let shared = SharedCompiler::new(Duration::from_secs(60), usize::MAX);
        let items: Vec<String> = (0..BIG_FORM_NODES).map(|i| i.to_string()).collect();
        let form = read(&shared, &format!("(def big '[{}])", items.join(" ")));
        let mut ns = "user".to_string();
        let patch = shared
            .compile(&mut ns, &form, None, &mut NoRuntime)
            .unwrap();
        let defined: Vec<Slot> = patch
            .footprint
            .defines
            .iter()
            .filter_map(|resource| match resource {
                Resource::Var(slot) => Some(*slot),
                _ => None,
            })
            .collect();
        assert_eq!(defined.len(), 1);
        let small = read(&shared, "(def small big)");
        shared
            .compile(&mut ns, &small, None, &mut NoRuntime)
            .unwrap();
        let compiler = shared.lock();
        let namespaces = compiler.namespaces();
        let big = namespaces.resolve_var("user", &Symbol::simple("big"));
        assert_eq!(big, Some(defined[0]));
        assert!(
            namespaces
                .resolve_var("user", &Symbol::simple("small"))
                .is_some()
        );
    }

    #[test]
    fn a_form_past_its_budget_is_an_error_and_others_still_compile() {
        let reader = SharedCompiler::new(Duration::from_secs(60), usize::MAX);
        let items: Vec<String> = (0..50_000).map(|i| format!(":k{i}")).collect();
        let form = read(&reader, &format!("(def huge '[{}])", items.join(" ")));
        let shared = SharedCompiler::new(Duration::from_secs(60), 1 << 20);
        let mut ns = "user".to_string();
        let error = shared
            .compile(&mut ns, &form, None, &mut NoRuntime)
            .unwrap_err();
        assert_eq!(error.kind, CompileErrorKind::OverBudget);
        assert!(
            error.message.contains("--compile-memory-mb"),
            "{}",
            error.message
        );
        let small = read(&shared, "(+ 1 2)");
        assert!(
            shared
                .compile(&mut ns, &small, None, &mut NoRuntime)
                .is_ok()
        );
    }

    #[test]
    fn a_read_too_long_for_its_slice_is_given_back_and_read_again() {
        let shared = SharedCompiler::new(Duration::from_secs(60), usize::MAX);
        let symbols: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
        let code = format!(":before '`````({}) :after", symbols.join(" "));
        let mut reader = Reader::new(&code, 1, 1);
        let first = shared.read_briefly(&mut reader, "user").unwrap();
        assert_eq!(first.unwrap().unwrap().to_string(), ":before");
        assert!(
            shared.read_briefly(&mut reader, "user").is_none(),
            "5 levels take longer"
        );
        let quoted = shared.read(&mut reader, "user").unwrap().unwrap();
        assert_eq!(quoted.to_string().len(), "(quote )".len() + 1_674_486);
        let last = shared.read_briefly(&mut reader, "user").unwrap();
        assert_eq!(last.unwrap().unwrap().to_string(), ":after");
    }

    #[test]
    fn node_counts_stop_a_little_past_the_limit() {
        let shared = SharedCompiler::new(Duration::from_secs(60), usize::MAX);
        // The list, a, the vector, b, the map, c, d, e, and its metadata map {:m true}.
        assert_eq!(node_count(&read(&shared, "(a [b {c d}] ^:m e)"), 100), 11);
        assert_eq!(node_count(&read(&shared, "(a b c d e)"), 2), 3);
    }
}
