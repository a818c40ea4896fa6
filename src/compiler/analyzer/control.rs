//! Control flow: `if`, `do`, `throw`, `try`/`catch`/`finally`.

use crate::compiler::ast::Node;
use crate::compiler::constant;
use crate::compiler::form::{Form, FormKind};

use super::{Analyzer, Result, error};

impl Analyzer<'_> {
    pub(super) fn analyze_if(&mut self, form: &Form, args: &[Form], tail: bool) -> Result<Node> {
        let (test, then, otherwise) = match args {
            [test, then] => (test, then, None),
            [test, then, otherwise] => (test, then, Some(otherwise)),
            _ if args.len() < 2 => return Err(error(form, "Too few arguments to if")),
            _ => return Err(error(form, "Too many arguments to if")),
        };
        Ok(Node::If {
            test: Box::new(self.analyze(test, false)?),
            then: Box::new(self.analyze(then, tail)?),
            otherwise: Box::new(match otherwise {
                Some(otherwise) => self.analyze(otherwise, tail)?,
                None => Node::Nil,
            }),
        })
    }

    pub(super) fn analyze_do(&mut self, body: &[Form], tail: bool) -> Result<Node> {
        let Some((last, statements)) = body.split_last() else {
            return Ok(Node::Nil);
        };
        let statements = statements
            .iter()
            .map(|s| self.analyze(s, false))
            .collect::<Result<Vec<_>>>()?;
        let ret = self.analyze(last, tail)?;
        Ok(if statements.is_empty() {
            ret
        } else {
            Node::Do {
                statements,
                ret: Box::new(ret),
            }
        })
    }

    pub(super) fn analyze_throw(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        match args {
            [value] => Ok(Node::Throw(Box::new(self.analyze(value, false)?))),
            [] => Err(error(
                form,
                "Too few arguments to throw, throw expects a single Throwable instance",
            )),
            _ => Err(error(
                form,
                "Too many arguments to throw, throw expects a single Throwable instance",
            )),
        }
    }

    /// `(try body... (catch Class e handler...)... (finally cleanup...))`. The
    /// runtime runs it: the body, each handler and the cleanup become fns, so
    /// what they close over is captured like any closure's.
    pub(super) fn analyze_try(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let clause = |f: &Form, name: &str| match &f.kind {
            FormKind::List(items) => items.first().is_some_and(|h| h.is_symbol_named(name)),
            _ => false,
        };
        let body_end = args
            .iter()
            .position(|f| clause(f, "catch") || clause(f, "finally"))
            .unwrap_or(args.len());
        let (body, clauses) = args.split_at(body_end);
        let mut catches = Vec::new();
        let mut finally = None;
        for (index, c) in clauses.iter().enumerate() {
            let FormKind::List(items) = &c.kind else {
                return Err(error(
                    c,
                    "Only catch or finally clause can follow catch in try expression",
                ));
            };
            if clause(c, "finally") {
                if index + 1 != clauses.len() {
                    return Err(error(c, "finally clause must be last in try expression"));
                }
                finally = Some(self.analyze_try_fn(c, None, &items[1..])?);
            } else if clause(c, "catch") {
                let [_, class, binding, handler @ ..] = items.as_slice() else {
                    return Err(error(c, "catch requires a class and a binding name"));
                };
                if binding.as_symbol().is_none_or(|s| s.ns.is_some()) {
                    return Err(error(
                        c,
                        format!("Bad binding form, expected symbol, got: {binding}"),
                    ));
                }
                catches.push(self.analyze_catch_class(class)?);
                catches.push(self.analyze_try_fn(c, Some(binding), handler)?);
            } else {
                return Err(error(
                    c,
                    "Only catch or finally clause can follow catch in try expression",
                ));
            }
        }
        let body = self.analyze_try_fn(form, None, body)?;
        let catches = match catches.is_empty() {
            true => Node::Nil,
            false => self.core_call(form, "vector", catches)?,
        };
        Ok(Node::Try {
            body: Box::new(body),
            catches: Box::new(catches),
            finally: Box::new(finally.unwrap_or(Node::Nil)),
        })
    }

    /// What a catch clause catches: a class, a JS constructor (`js/Error`), or
    /// `:default` (anything).
    fn analyze_catch_class(&mut self, class: &Form) -> Result<Node> {
        match &class.kind {
            FormKind::Keyword(k) if k.ns.is_none() && k.name == "default" => {
                Ok(Node::Const(constant::quoted(class)))
            }
            FormKind::Symbol(_) => self
                .analyze(class, false)
                .map_err(|_| error(class, format!("Unable to resolve classname: {class}"))),
            _ => Err(error(
                class,
                format!("Unable to resolve classname: {class}"),
            )),
        }
    }

    /// One part of a `try` as `(fn* [param?] forms...)`.
    fn analyze_try_fn(&mut self, at: &Form, param: Option<&Form>, forms: &[Form]) -> Result<Node> {
        let params = Form::new(
            FormKind::Vector(param.into_iter().cloned().collect()),
            at.pos,
        );
        let mut arity = vec![params];
        arity.extend(forms.iter().cloned());
        let arity = Form::new(FormKind::List(arity), at.pos);
        self.next_fn_in_try = true;
        let node = self.analyze_fn(at, std::slice::from_ref(&arity), None);
        self.next_fn_in_try = false;
        node
    }
}
