//! JavaScript interop: `(.method obj)`, `(.-field obj)`, `(Class/member)`,
//! `(. obj method)`, `js-args`, and type names written the way Clojure code writes them.

use crate::compiler::ast::Node;
use crate::compiler::constant;
use crate::compiler::footprint::Resource;
use crate::compiler::form::{Form, FormKind, Symbol};
use crate::compiler::namespace::RUNTIME_NS;

use super::{Analyzer, Result, error};

impl Analyzer<'_> {
    /// JavaScript interop calls: `(.-prop obj)`, `(.method obj args...)`,
    /// `(js/Ctor. args...)` and `(new Ctor args...)`; `None` for other calls.
    pub(super) fn analyze_interop(
        &mut self,
        form: &Form,
        head: &Symbol,
        args: &[Form],
    ) -> Result<Option<Node>> {
        let name = head.name.as_str();
        if head.ns.is_none() && name == "." {
            return self.analyze_dot(form, args).map(Some);
        }
        if head.ns.is_none() && name.len() > 2 && name.starts_with(".-") {
            let [obj] = args else {
                return Err(error(
                    form,
                    format!("Malformed member expression, expecting ({name} target)"),
                ));
            };
            let obj = Box::new(self.analyze(obj, false)?);
            return Ok(Some(Node::JsGet {
                obj,
                prop: name[2..].to_string(),
            }));
        }
        if head.ns.is_none() && name.len() > 1 && name.starts_with('.') && name != ".." {
            let Some((obj, rest)) = args.split_first() else {
                return Err(error(
                    form,
                    format!("Malformed member expression, expecting ({name} target ...)"),
                ));
            };
            let obj = Box::new(self.analyze(obj, false)?);
            let args = Box::new(self.analyze_js_args(form, rest)?);
            return Ok(Some(Node::JsCall {
                obj,
                method: name[1..].to_string(),
                args,
            }));
        }
        // (js/Math.abs x): a method call on js/Math, as it is written, not the method bound
        // to its object anew at each call
        if head.ns.as_deref() == Some("js")
            && let Some((path, method)) = name.rsplit_once('.')
            && !path.is_empty()
            && !method.is_empty()
        {
            let obj = Box::new(Node::JsGlobal(path.to_string()));
            // never nil: with no arguments, a property that is not a function is an error
            // here, not its value (as `(.x obj)` would give)
            let args = match args.is_empty() {
                true => Box::new(Node::Const(constant::empty_vector())),
                false => Box::new(self.analyze_js_args(form, args)?),
            };
            return Ok(Some(Node::JsCall {
                obj,
                method: method.to_string(),
                args,
            }));
        }
        if head.ns.as_deref() == Some("js") && name.len() > 1 && name.ends_with('.') {
            let ctor = Box::new(Node::JsGlobal(name[..name.len() - 1].to_string()));
            let args = Box::new(self.analyze_js_args(form, args)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        // (Point. 1 2): a constructor call of a type (a var or a class name)
        if head.ns.is_none() && name.len() > 1 && name.ends_with('.') && !name.starts_with('.') {
            let type_name = Form::new(
                FormKind::Symbol(Symbol::simple(&name[..name.len() - 1])),
                form.pos,
            );
            let ctor = Box::new(self.analyze(&type_name, false)?);
            let args = Box::new(self.analyze_js_args(form, args)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        if head.ns.is_none() && name == "new" {
            let Some((ctor, rest)) = args.split_first() else {
                return Err(error(form, "new requires a constructor: (new js/Date)"));
            };
            let ctor = Box::new(self.analyze(ctor, false)?);
            let args = Box::new(self.analyze_js_args(form, rest)?);
            return Ok(Some(Node::JsNew { ctor, args }));
        }
        Ok(None)
    }

    /// The `.` special form: `(. obj -field)`, `(. obj method args...)` and
    /// `(. obj (method args...))` (what `..` expands to).
    fn analyze_dot(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        let (Some(obj), Some(member)) = (args.first(), args.get(1)) else {
            return Err(error(
                form,
                "Malformed member expression, expecting (. target member ...)",
            ));
        };
        let (name, call_args): (&str, &[Form]) = match &member.kind {
            FormKind::Symbol(Symbol { ns: None, name }) => (name, &args[2..]),
            FormKind::List(items) if args.len() == 2 => match items.split_first() {
                Some((
                    Form {
                        kind: FormKind::Symbol(Symbol { ns: None, name }),
                        ..
                    },
                    rest,
                )) => (name, rest),
                _ => {
                    return Err(error(
                        form,
                        "Malformed member expression: the member must be a symbol",
                    ));
                }
            },
            _ => {
                return Err(error(
                    form,
                    "Malformed member expression: the member must be a symbol",
                ));
            }
        };
        let obj = Box::new(self.analyze(obj, false)?);
        if let Some(field) = name.strip_prefix('-') {
            return Ok(Node::JsGet {
                obj,
                prop: field.to_string(),
            });
        }
        let args = Box::new(self.analyze_js_args(form, call_args)?);
        Ok(Node::JsCall {
            obj,
            method: name.to_string(),
            args,
        })
    }

    /// Interop arguments as a vector node (nil for none).
    fn analyze_js_args(&mut self, form: &Form, args: &[Form]) -> Result<Node> {
        if args.is_empty() {
            return Ok(Node::Nil);
        }
        let args = self.analyze_args(args.iter())?;
        self.core_call(form, "vector", args)
    }

    /// `(jank.runtime/deftype* "T" ...)`, what deftype and defrecord expand to, names the
    /// class `ns.T` (the namespace munged, as Clojure names classes), which later forms may
    /// name; `(jank.runtime/reify* "reify__1" ...)` names `ns$reify__1`. The arguments with
    /// the name qualified, for those calls.
    pub(super) fn qualify_type_name(&mut self, head: &Form, args: &[Form]) -> Option<Vec<Form>> {
        let Some(Symbol { ns: Some(ns), name }) = head.as_symbol() else {
            return None;
        };
        if ns != RUNTIME_NS {
            return None;
        }
        let separator = match name.as_str() {
            "deftype*" | "defrecord*" => '.',
            "reify*" => '$',
            _ => return None,
        };
        let Some(Form {
            kind: FormKind::Str(short),
            pos,
            ..
        }) = args.first()
        else {
            return None;
        };
        let class = format!("{}{separator}{short}", self.ns.replace('-', "_"));
        if separator == '.' {
            self.namespaces.add_user_class(&class);
            self.footprint.define(Resource::Class(class.clone()));
        }
        let mut qualified = args.to_vec();
        qualified[0] = Form::new(FormKind::Str(class), *pos);
        Some(qualified)
    }
}
