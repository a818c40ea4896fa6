//! An eval answering the questions its running code asks the compiler
//! (`asks`). The runtime's main thread waits for each answer, so it cannot
//! take patches over its main socket meanwhile: a patch the answer needs run
//! first (a user macro the code to compile calls, a file it requires, the
//! earlier forms of a `load-string`) goes back as an answer itself, and the
//! runtime, having run it, asks again with how it went.

use serde_json::{Value, json};

use super::asks::{self, Question, Refusal};
use super::{EvalEvent, EvalRun, Origin, record, runtime_went_away, timed_out};
use crate::bridge::{PatchRun, RuntimeEvent};
use crate::compiler::Patch;
use crate::compiler::namespace::Namespaces;
use crate::compiler::reader::Reader;
use crate::error_class;
use crate::project::load::{LoadId, Loader, PatchRunner, RunOutcome};

impl EvalRun<'_> {
    /// Answers question `ask` of the code `run` runs. `tables` are those of
    /// the compile this eval's run serves (a macro expanding, a file
    /// loading), which holds the compiler meanwhile. When the run ended while
    /// the compiler waited for a step, the event that ended it, for the caller
    /// to report.
    pub(super) fn answer(
        &mut self,
        run: &mut PatchRun,
        ask: u32,
        request: Value,
        tables: Option<&Namespaces>,
    ) -> Option<RuntimeEvent> {
        let question = match serde_json::from_value::<Question>(request) {
            Ok(question) => question,
            Err(error) => {
                let message = format!("the compiler does not know this question: {error}");
                refuse(run, ask, error_class::UNSUPPORTED, &message);
                return None;
            }
        };
        match question {
            Question::Load { .. } if self.compiling => {
                // This eval's own compile holds the compiler, waiting for this code.
                refuse(run, ask, error_class::UNSUPPORTED, BUSY_COMPILING);
            }
            Question::Load { ns, code } => return self.answer_load(run, ask, ns, code),
            Question::Ran { .. } => {
                let message = "internal error: no step of a question is running";
                refuse(run, ask, error_class::UNSUPPORTED, message);
            }
            Question::Source { ns, sym } => {
                let site = match tables {
                    Some(tables) => definition_site(tables, &ns, &sym),
                    // (the lock is let go before the file is read)
                    None => definition_site(self.evaluator.compiler.lock().namespaces(), &ns, &sym),
                };
                send(run, ask, Ok(self.source_text(site)));
            }
            question if self.compiling => match tables {
                Some(tables) => send(run, ask, answer_with_lent_tables(tables, &question)),
                None => refuse(run, ask, error_class::UNSUPPORTED, BUSY_COMPILING),
            },
            question => send(run, ask, self.answer_under_lock(&question)),
        }
        None
    }

    /// `{"text": ...}`, the definition at `site` (a file and position), when
    /// the program may read that file; else `{}`.
    fn source_text(&self, site: Option<(String, crate::compiler::form::Pos)>) -> Value {
        let text =
            site.and_then(|(file, at)| self.evaluator.project.source_of(&file, at.line, at.column));
        match text {
            Some(text) => json!({ "text": text }),
            None => json!({}),
        }
    }

    /// A question about the tables, answered under the compiler's lock.
    fn answer_under_lock(&self, question: &Question) -> Result<Value, Refusal> {
        let mut compiler = self.evaluator.compiler.lock();
        asks::answer_about_tables(compiler.namespaces_mut(), question)
    }

    /// Compiles the forms of `code` in `ns`: each but the last is run as a
    /// step; the last is the answer, which the runtime runs for its value.
    fn answer_load(
        &mut self,
        run: &mut PatchRun,
        ask: u32,
        mut ns: String,
        code: String,
    ) -> Option<RuntimeEvent> {
        let evaluator = self.evaluator;
        let handle = tokio::runtime::Handle::current();
        tokio::task::block_in_place(|| {
            let mut steps = Steps {
                eval: self,
                run,
                ask,
                handle,
                ended: None,
            };
            let mut reader = Reader::new(&code, 1, 1);
            let mut last: Option<Patch> = None;
            loop {
                let form = match evaluator.compiler.read(&mut reader, &ns) {
                    Ok(Some(form)) => form,
                    Ok(None) => break,
                    Err(error) => {
                        let refusal = Refusal {
                            class: error_class::READER_EXCEPTION,
                            message: error.message,
                        };
                        steps.send(Err(refusal));
                        return steps.ended;
                    }
                };
                if let Some(previous) = last.take() {
                    match steps.step(&previous, None, None) {
                        RunOutcome::Value(_) => {}
                        RunOutcome::Threw { class, message } => {
                            steps
                                .send(Ok(json!({"ok": false, "class": class, "message": message})));
                            return steps.ended;
                        }
                        RunOutcome::Interrupted => return steps.ended,
                    }
                }
                let origin = Origin {
                    name: "REPL".to_string(),
                };
                let compiled = {
                    let mut loader = Loader::new(&evaluator.project, &mut steps, origin);
                    evaluator
                        .compiler
                        .compile(&mut ns, &form, None, &mut loader)
                };
                match compiled {
                    Ok(patch) => last = Some(patch),
                    Err(error) => {
                        if steps.ended.is_none() {
                            let class = match &error.kind {
                                crate::compiler::CompileErrorKind::Load { class }
                                | crate::compiler::CompileErrorKind::MacroExpansion {
                                    class, ..
                                } => class.clone(),
                                _ => error_class::COMPILER_EXCEPTION.to_string(),
                            };
                            let answer =
                                json!({"ok": false, "class": class, "message": error.message});
                            steps.send(Ok(answer));
                        }
                        return steps.ended;
                    }
                }
            }
            match last {
                Some(patch) => {
                    // Recorded before it runs: what it defines reaches runtimes that connect later.
                    record(&evaluator.bridge, &patch, None);
                    let answer = json!({"patch": asks::base64(&patch.wasm)});
                    steps.send(Ok(answer));
                }
                None => steps.send(Ok(json!({}))),
            }
            steps.ended
        })
    }
}

/// Where the var `sym` names in `ns` was defined: its file and position, when
/// it was loaded from one.
fn definition_site(
    tables: &Namespaces,
    ns: &str,
    sym: &str,
) -> Option<(String, crate::compiler::form::Pos)> {
    let symbol = crate::compiler::form::Symbol::parse(sym);
    let var = tables.var(tables.resolve_var(ns, &symbol)?);
    Some((var.file.clone()?, var.defined_at?))
}

/// Why code that runs while this eval's compile expands a macro or loads a file
/// cannot have its question answered.
const BUSY_COMPILING: &str = "code that runs while the compiler expands a macro or loads a file can read what names mean (resolve, find-var, ns-map, macroexpand, ...) but not compile (eval, load-string, a computed require) or change names (intern, ns-unmap, alias, refer): the compiler is busy with that expansion or load";

/// A question asked while a compile holds the compiler and lends its tables:
/// reads are answered from them; the rest must wait for no compile.
fn answer_with_lent_tables(tables: &Namespaces, question: &Question) -> Result<Value, Refusal> {
    asks::answer_read(tables, question).unwrap_or_else(|| {
        Err(Refusal {
            class: error_class::UNSUPPORTED,
            message: BUSY_COMPILING.to_string(),
        })
    })
}

fn send(run: &PatchRun, ask: u32, answer: Result<Value, Refusal>) {
    match answer {
        Ok(fields) => run.answer(ask, fields),
        Err(refusal) => run.answer(ask, refusal.to_answer()),
    }
}

fn refuse(run: &PatchRun, ask: u32, class: &'static str, message: &str) {
    let refusal = Refusal {
        class,
        message: message.to_string(),
    };
    run.answer(ask, refusal.to_answer());
}

/// A question asked while a load (`--main`, a reload) holds the compiler and
/// lends its tables: reads are answered from them.
pub(super) fn answer_during_load(run: &PatchRun, ask: u32, request: Value, tables: &Namespaces) {
    let answer = match serde_json::from_value::<Question>(request) {
        Ok(question) => answer_with_lent_tables(tables, &question),
        Err(error) => Err(Refusal {
            class: error_class::UNSUPPORTED,
            message: format!("the compiler does not know this question: {error}"),
        }),
    };
    send(run, ask, answer);
}

/// A question asked by code being interrupted.
pub(super) fn refuse_while_stopping(run: &PatchRun, ask: u32) {
    refuse(
        run,
        ask,
        error_class::UNSUPPORTED,
        "the eval is being interrupted",
    );
}

/// Runs the patches a question needs run before its answer (a user macro's
/// expansion, a required file's forms, a `load-string`'s earlier forms) as
/// steps of the conversation: each goes back as the answer to the runtime's
/// latest question, which runs it and asks again with how it went.
struct Steps<'s, 'a> {
    eval: &'s mut EvalRun<'a>,
    run: &'s mut PatchRun,
    /// The question the next answer answers.
    ask: u32,
    handle: tokio::runtime::Handle,
    /// The event that ended the run while a step was out.
    ended: Option<RuntimeEvent>,
}

impl Steps<'_, '_> {
    fn send(&self, answer: Result<Value, Refusal>) {
        if self.ended.is_none() {
            send(self.run, self.ask, answer);
        }
    }

    /// Sends `patch` to run as the answer to the latest question and waits
    /// for how it went; questions its code asks meanwhile are answered from
    /// `tables` (those of the compile waiting for it) or, with none, from the
    /// compiler's.
    fn step(
        &mut self,
        patch: &Patch,
        part_of: Option<&LoadId>,
        tables: Option<&Namespaces>,
    ) -> RunOutcome {
        if self.ended.is_some() {
            return RunOutcome::Interrupted;
        }
        let answer = json!({"run": asks::base64(&patch.wasm)});
        send(self.run, self.ask, Ok(answer));
        let outcome = self.outcome_of_step(tables);
        if matches!(outcome, RunOutcome::Value(_)) {
            record(&self.eval.evaluator.bridge, patch, part_of);
        }
        outcome
    }

    /// Waits for the runtime's report of the step it was sent; output passes on.
    fn outcome_of_step(&mut self, tables: Option<&Namespaces>) -> RunOutcome {
        let timeout = self.eval.evaluator.eval_timeout;
        loop {
            let next = self
                .handle
                .block_on(tokio::time::timeout(timeout, self.run.events.recv()));
            let event = match next {
                Ok(Some(event)) => event,
                Ok(None) => runtime_went_away(),
                Err(_) => {
                    self.run.interrupt();
                    return RunOutcome::Threw {
                        class: error_class::TIMEOUT.into(),
                        message: timed_out(timeout),
                    };
                }
            };
            match event {
                RuntimeEvent::Out(text) => (self.eval.on_event)(EvalEvent::Out(text)),
                RuntimeEvent::Err(text) => (self.eval.on_event)(EvalEvent::Err(text)),
                RuntimeEvent::NeedInput => (self.eval.on_event)(EvalEvent::NeedInput),
                RuntimeEvent::RunTime(_) | RuntimeEvent::Truncated => {}
                RuntimeEvent::Ask { ask, request } => {
                    match serde_json::from_value::<Question>(request) {
                        Ok(Question::Ran {
                            ok,
                            value,
                            class,
                            message,
                        }) => {
                            self.ask = ask;
                            return if ok {
                                RunOutcome::Value(value)
                            } else {
                                RunOutcome::Threw { class, message }
                            };
                        }
                        Ok(question) => {
                            let answer = match tables {
                                Some(tables) => answer_with_lent_tables(tables, &question),
                                None if matches!(question, Question::Load { .. }) => Err(Refusal {
                                    class: error_class::UNSUPPORTED,
                                    message: "a form of load-string cannot compile more code while the rest waits: eval it at the top level".into(),
                                }),
                                None => self.eval.answer_under_lock(&question),
                            };
                            send(self.run, ask, answer);
                        }
                        Err(error) => {
                            let message =
                                format!("the compiler does not know this question: {error}");
                            refuse(self.run, ask, error_class::UNSUPPORTED, &message);
                        }
                    }
                }
                event => {
                    // The eval ended (it was interrupted while the step ran).
                    self.ended = Some(event);
                    return RunOutcome::Interrupted;
                }
            }
        }
    }
}

impl PatchRunner for Steps<'_, '_> {
    fn run(&mut self, patch: &Patch, part_of: Option<&LoadId>, tables: &Namespaces) -> RunOutcome {
        self.step(patch, part_of, Some(tables))
    }
}
