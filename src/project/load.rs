//! Loading namespaces from their files: the compiler's `NamespaceLoader`.
//!
//! When the analyzer meets a `require` of a namespace that is not loaded, it
//! calls `Loader::require` with its namespaces; the loader finds the file
//! below the source paths (or the bundled one, `bundled.rs`), reads and compiles it form by form with those same
//! namespaces (its own requires load first, the same way), and runs it
//! through a `PatchRunner`. Then the analyzer goes on with the requiring form.
//!
//! A file's patches run only once the whole file has compiled (or when a
//! macro it defines must run to expand a later form), so a file that does not
//! compile leaves the code loaded before it running. Errors are worded as
//! Clojure's, naming the file, line and column where they happened.

use std::collections::BTreeSet;

use crate::compiler::form::{Form, Pos};
use crate::compiler::namespace::Namespaces;
use crate::compiler::reader::Reader;
use crate::compiler::{
    self, CompileError, CompileErrorKind, MacroFailure, MacroRunner, NamespaceLoader, Patch,
    Reload, Require, RequireTarget,
};

use super::Project;
use super::bundled;
use super::source_paths::{SOURCE_EXTENSIONS, SourceFile, namespace_resource};

/// Runs patches for the loader: on the session's runtime, or on every runtime.
pub trait PatchRunner {
    /// Runs `patch` and, when it succeeded, records it for runtimes that
    /// connect later: its definitions, or, when it is `part_of` loading a
    /// file, the patch whatever it does. `tables` are the compile's, for the
    /// questions the patch's code asks while it runs (`resolve`, ...).
    fn run(&mut self, patch: &Patch, part_of: Option<&LoadId>, tables: &Namespaces) -> RunOutcome;
}

/// One load of one file: a runtime that connects later gets every patch of
/// each file's latest load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadId {
    /// The file's resource path, `/my/util`.
    pub resource: String,
    /// Different for every load.
    pub load: u64,
}

/// How running one patch ended.
#[derive(Clone, Debug)]
pub enum RunOutcome {
    /// Its value, printed.
    Value(String),
    Threw {
        class: String,
        message: String,
    },
    /// The user interrupted it (already reported).
    Interrupted,
}

/// Where a load failed, and how the REPL words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailure {
    /// The file as the user knows it (`src/my/util.clj`), or `REPL`.
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The bare message: `Unable to resolve symbol: x in this context`.
    pub message: String,
    /// The whole error as the REPL shows it (Clojure's wording).
    pub text: String,
    /// The exception's class.
    pub class: String,
}

/// Where the code that started a load came from, for errors outside files.
#[derive(Clone, Debug)]
pub struct Origin {
    /// As errors name it: `REPL`, or the editor's file name.
    pub name: String,
}

/// One namespace whose file is loading.
struct Pending {
    /// Clojure's resource path, `/my/util`, as cycles are reported.
    resource: String,
    load: LoadId,
    file: SourceFile,
    /// Compiled forms not run yet: the patch, its namespace and position.
    queued: Vec<(Patch, String, Pos)>,
}

/// Loads namespaces for one eval (or one reload), as the compiler's host.
pub struct Loader<'a> {
    project: &'a Project,
    runner: &'a mut dyn PatchRunner,
    origin: Origin,
    /// The files loading now, outermost first.
    pending: Vec<Pending>,
    /// `:reload-all` is in effect: namespaces loaded again so far.
    reloading_all: Option<BTreeSet<String>>,
    /// A queued form that failed when run early (before a macro call).
    early_failure: Option<CompileError>,
    /// The innermost failure, once one happened.
    pub failure: Option<LoadFailure>,
    /// Namespaces loaded, in the order they finished.
    pub loaded: Vec<String>,
}

use crate::error_class::{COMPILER_EXCEPTION, READER_EXCEPTION};
const FILE_NOT_FOUND: &str = "java.io.FileNotFoundException";

impl<'a> Loader<'a> {
    pub fn new(project: &'a Project, runner: &'a mut dyn PatchRunner, origin: Origin) -> Self {
        Loader {
            project,
            runner,
            origin,
            pending: Vec::new(),
            reloading_all: None,
            early_failure: None,
            failure: None,
            loaded: Vec::new(),
        }
    }

    /// Loads namespace `ns` from its file again (a save), as `(require 'ns :reload)`.
    pub fn reload(&mut self, namespaces: &mut Namespaces, ns: &str) -> Result<(), CompileError> {
        let require = Require {
            from: crate::DEFAULT_NS.to_string(),
            target: RequireTarget::Namespace(ns.to_string()),
            reload: Reload::Named,
            pos: Pos { line: 1, column: 1 },
        };
        self.require(namespaces, &require)
    }

    fn require_namespace(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
        ns: &str,
    ) -> Result<(), CompileError> {
        let resource = match namespace_resource(ns) {
            Ok(path) => format!("/{path}"),
            Err(refused) => return Err(self.not_loadable(require, &refused.to_string())),
        };
        if let Some(at) = self.pending.iter().position(|p| p.resource == resource) {
            if at + 1 == self.pending.len() {
                return Ok(()); // a namespace requiring itself: nothing to do, as in Clojure
            }
            return Err(self.cycle(require, &resource));
        }
        self.project.record_require(&require.from, ns);
        let again = match &mut self.reloading_all {
            Some(done) => done.insert(ns.to_string()),
            None => require.reload != Reload::No,
        };
        if !again && self.project.is_loaded(namespaces, ns) {
            return Ok(());
        }
        let (file, bundled_text) = match self.project.paths.find_namespace(ns) {
            Ok(Some(file)) => (file, None),
            // Made at the REPL (an `ns` form evaluated): nothing on disk to load.
            Ok(None) if namespaces.exists(ns) => return Ok(()),
            Ok(None) => match bundled::find(ns) {
                Some((file, text)) => (file, Some(text)),
                None => return Err(self.not_found(require, &resource)),
            },
            Err(refused) => return Err(self.not_loadable(require, &refused.to_string())),
        };
        let starts_reload_all = require.reload == Reload::All && self.reloading_all.is_none();
        if starts_reload_all {
            self.reloading_all = Some(BTreeSet::from([ns.to_string()]));
        }
        self.project.forget_requires_of(ns);
        let result = match bundled_text {
            Some(text) => self.load_text(namespaces, require, resource, file, text),
            None => self.load_file(namespaces, require, resource, file),
        };
        if starts_reload_all {
            self.reloading_all = None;
        }
        self.project.set_loaded(ns, result.is_ok());
        if result.is_ok() {
            self.loaded.push(ns.to_string());
            if !namespaces.exists(ns) {
                return Err(self.fail_outside(
                    require,
                    "java.lang.Exception",
                    &format!(
                        "namespace '{ns}' not found after loading '/{}'",
                        namespace_resource(ns).unwrap_or_default()
                    ),
                ));
            }
        }
        result
    }

    /// `(load "path")`: from the root of the source paths when it starts
    /// with `/`, else from the directory of the requiring namespace.
    fn require_resource(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
        path: &str,
    ) -> Result<(), CompileError> {
        let resource = match path.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => {
                let dir = namespace_resource(&require.from).unwrap_or_default();
                match dir.rsplit_once('/') {
                    Some((dir, _)) => format!("{dir}/{path}"),
                    None => path.to_string(),
                }
            }
        };
        match self.project.paths.find_resource(&resource) {
            Ok(Some(file)) => self.load_file(namespaces, require, format!("/{resource}"), file),
            Ok(None) => Err(self.not_found(require, &format!("/{resource}"))),
            Err(refused) => Err(self.not_loadable(require, &refused.to_string())),
        }
    }

    /// `(load-file "path")`: a file below the source paths.
    fn require_file(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
        path: &str,
    ) -> Result<(), CompileError> {
        match self.project.paths.resolve_file(std::path::Path::new(path)) {
            Ok(file) => {
                let resource = format!("/{}", file.relative);
                self.load_file(namespaces, require, resource, file)
            }
            Err(refused) => Err(self.not_loadable(require, &refused.to_string())),
        }
    }

    /// Reads, compiles and then runs every form of `file`, starting in the
    /// requiring namespace (the file's `ns` form applies only while it loads).
    fn load_file(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
        resource: String,
        file: SourceFile,
    ) -> Result<(), CompileError> {
        let text = match std::fs::read_to_string(&file.path) {
            Ok(text) => text,
            Err(error) => {
                return Err(self.not_loadable(require, &format!("{}: {error}", file.shown)));
            }
        };
        self.load_text(namespaces, require, resource, file, &text)
    }

    /// Compiles and then runs every form of `text`, the contents of `file`.
    fn load_text(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
        resource: String,
        file: SourceFile,
        text: &str,
    ) -> Result<(), CompileError> {
        let load = LoadId {
            resource: resource.clone(),
            load: self.project.next_load_id(),
        };
        self.pending.push(Pending {
            resource,
            load,
            file,
            queued: Vec::new(),
        });
        let mut ns = require.from.clone();
        let result = self
            .compile_file(namespaces, &mut ns, text)
            .and_then(|()| self.run_queued(namespaces));
        self.pending.pop();
        result
    }

    fn compile_file(
        &mut self,
        namespaces: &mut Namespaces,
        ns: &mut String,
        text: &str,
    ) -> Result<(), CompileError> {
        let path = self.current_file().path.display().to_string();
        let mut reader = Reader::new(text, 1, 1);
        loop {
            let read = reader.next_form(&compiler::read_context(namespaces, ns));
            let form: Form = match read {
                Ok(Some(form)) => form,
                Ok(None) => return Ok(()),
                Err(error) => {
                    let text = format!(
                        "Syntax error reading source at ({}).\n{}\n",
                        self.at(error.pos),
                        error.message
                    );
                    return Err(self.fail_in_file(
                        error.pos,
                        &error.message,
                        text,
                        READER_EXCEPTION,
                    ));
                }
            };
            let compiled = compiler::compile_form(namespaces, ns, &form, Some(&path), self);
            match compiled {
                Ok(patch) => {
                    let queued = (patch, ns.clone(), form.pos);
                    self.pending_mut().queued.push(queued);
                }
                Err(error) => {
                    let error = self.early_failure.take().unwrap_or(error);
                    return Err(self.compile_error_in_file(error));
                }
            }
        }
    }

    /// Runs the current file's compiled forms, in order.
    fn run_queued(&mut self, tables: &Namespaces) -> Result<(), CompileError> {
        let queued = std::mem::take(&mut self.pending_mut().queued);
        let load = self.pending_mut().load.clone();
        for (patch, ns, pos) in queued {
            match self.runner.run(&patch, Some(&load), tables) {
                RunOutcome::Value(_) => {}
                RunOutcome::Threw { class, message } => {
                    let short = class.rsplit('.').next().unwrap_or(&class);
                    let text = format!(
                        "Execution error ({short}) at {ns}/eval ({}:{}).\n{message}\n",
                        self.current_file().name(),
                        pos.line
                    );
                    return Err(self.fail_in_file(pos, &message, text, &class));
                }
                RunOutcome::Interrupted => return Err(interrupted(pos)),
            }
        }
        Ok(())
    }

    /// A compile error of a form in the current file, worded with the file's
    /// position; errors from files it loaded pass through as they are.
    fn compile_error_in_file(&mut self, error: CompileError) -> CompileError {
        let what = match &error.kind {
            CompileErrorKind::Load { .. } | CompileErrorKind::Interrupted => return error,
            CompileErrorKind::MacroExpansion { macro_name, .. } => {
                format!("macroexpanding {macro_name}")
            }
            CompileErrorKind::Invalid
            | CompileErrorKind::Internal
            | CompileErrorKind::OverBudget
            | CompileErrorKind::Yield => "compiling".to_string(),
        };
        let class = match &error.kind {
            CompileErrorKind::MacroExpansion { class, .. } => class.clone(),
            _ => COMPILER_EXCEPTION.to_string(),
        };
        let text = format!(
            "Syntax error {what} at ({}).\n{}\n",
            self.at(error.pos),
            error.message
        );
        self.fail_in_file(error.pos, &error.message, text, &class)
    }

    /// `my/util.clj:3:12`: a position in the current file, as compile errors name it.
    fn at(&self, pos: Pos) -> String {
        format!(
            "{}:{}:{}",
            self.current_file().relative,
            pos.line,
            pos.column
        )
    }

    fn current_file(&self) -> &SourceFile {
        &self.pending.last().expect("a file is loading").file
    }

    fn pending_mut(&mut self) -> &mut Pending {
        self.pending.last_mut().expect("a file is loading")
    }

    /// Records a failure in the current file and wraps its text for the analyzer.
    fn fail_in_file(&mut self, pos: Pos, message: &str, text: String, class: &str) -> CompileError {
        let file = self.current_file().shown.clone();
        self.fail(file, pos, message, text, class)
    }

    fn fail(
        &mut self,
        file: String,
        pos: Pos,
        message: &str,
        text: String,
        class: &str,
    ) -> CompileError {
        self.failure = Some(LoadFailure {
            file,
            line: pos.line,
            column: pos.column,
            message: message.to_string(),
            text: text.clone(),
            class: class.to_string(),
        });
        CompileError {
            message: text,
            pos,
            kind: CompileErrorKind::Load {
                class: class.to_string(),
            },
        }
    }

    /// A failure of the requiring form itself (nothing was found to load),
    /// worded as an execution error where the requiring form is.
    fn fail_outside(&mut self, require: &Require, class: &str, message: &str) -> CompileError {
        let (name, file) = match self.pending.last() {
            Some(p) => (p.file.name().to_string(), p.file.shown.clone()),
            None => (self.origin.name.clone(), self.origin.name.clone()),
        };
        let short = class.rsplit('.').next().unwrap_or(class);
        let text = format!(
            "Execution error ({short}) at {}/eval ({name}:{}).\n{message}\n",
            require.from, require.pos.line
        );
        self.fail(file, require.pos, message, text, class)
    }

    fn not_found(&mut self, require: &Require, resource: &str) -> CompileError {
        let relative = resource.trim_start_matches('/');
        let candidates: Vec<String> = SOURCE_EXTENSIONS
            .iter()
            .map(|e| format!("{relative}.{e}"))
            .collect();
        let (last, first) = candidates.split_last().expect("several file kinds");
        let paths = &self.project.paths;
        let message = if paths.is_empty() {
            format!(
                "Could not locate {} or {last}: there are no source paths (start in a project directory, or pass --source-path)",
                first.join(", ")
            )
        } else {
            format!(
                "Could not locate {} or {last} on the source paths ({}).",
                first.join(", "),
                paths.describe()
            )
        };
        self.fail_outside(require, FILE_NOT_FOUND, &message)
    }

    fn not_loadable(&mut self, require: &Require, why: &str) -> CompileError {
        self.fail_outside(require, FILE_NOT_FOUND, why)
    }

    /// Clojure's `Cyclic load dependency: [ /a ]->/c->/b->[ /a ]`: the
    /// chain from the newest load back, the repeated one in brackets.
    fn cycle(&mut self, require: &Require, resource: &str) -> CompileError {
        let mark = |r: &str| match r == resource {
            true => format!("[ {r} ]"),
            false => r.to_string(),
        };
        let chain: Vec<String> = std::iter::once(mark(resource))
            .chain(self.pending.iter().rev().map(|p| mark(&p.resource)))
            .collect();
        let message = format!("Cyclic load dependency: {}", chain.join("->"));
        let text = format!(
            "Syntax error compiling at ({}).\n{message}\n",
            self.at(require.pos)
        );
        self.fail_in_file(require.pos, &message, text, COMPILER_EXCEPTION)
    }
}

fn interrupted(pos: Pos) -> CompileError {
    CompileError {
        message: "Evaluation interrupted".into(),
        pos,
        kind: CompileErrorKind::Interrupted,
    }
}

impl NamespaceLoader for Loader<'_> {
    fn require(
        &mut self,
        namespaces: &mut Namespaces,
        require: &Require,
    ) -> Result<(), CompileError> {
        match &require.target {
            RequireTarget::Namespace(ns) => self.require_namespace(namespaces, require, ns),
            RequireTarget::Resource(path) => self.require_resource(namespaces, require, path),
            RequireTarget::File(path) => self.require_file(namespaces, require, path),
        }
    }
}

impl MacroRunner for Loader<'_> {
    /// A macro may be defined by a form of this file that has not run yet:
    /// run what is queued first.
    fn run_macro(&mut self, patch: &Patch, tables: &Namespaces) -> Result<String, MacroFailure> {
        if !self.pending.is_empty()
            && let Err(error) = self.run_queued(tables)
        {
            let message = error.message.clone();
            let interrupted = error.kind == CompileErrorKind::Interrupted;
            self.early_failure = Some(error);
            return Err(match interrupted {
                true => MacroFailure::Interrupted,
                false => MacroFailure::Threw {
                    class: COMPILER_EXCEPTION.into(),
                    message,
                },
            });
        }
        match self.runner.run(patch, None, tables) {
            RunOutcome::Value(printed) => Ok(printed),
            RunOutcome::Threw { class, message } => Err(MacroFailure::Threw { class, message }),
            RunOutcome::Interrupted => Err(MacroFailure::Interrupted),
        }
    }
}
