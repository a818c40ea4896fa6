//! `eldoc` (cider-nrepl): a symbol's arglists as lists of parameter names, for
//! the editor's echo area.

use super::{Context, queried_symbol};
use crate::nrepl::frame::Frame;
use crate::nrepl::message::{Reply, Request, strings};

pub struct Eldoc {
    request: Request,
}

impl Eldoc {
    pub fn parse(request: Request) -> Self {
        Eldoc { request }
    }

    pub fn apply(self, ctx: &Context) {
        let request = &self.request;
        let symbol = queried_symbol(request);
        let ns = ctx.query_ns(request);
        let reply = Reply::to(request, request.session());
        let Some(info) = ctx
            .shared
            .evaluator
            .lookup(&ns, symbol)
            .filter(|i| i.arglists.is_some())
        else {
            ctx.send(reply.status(&["done", "no-eldoc"]));
            return;
        };
        let arglists = split_arglists(info.arglists.as_deref().unwrap_or_default());
        let eldoc = Frame::List(
            arglists
                .iter()
                .map(|params| strings(params.iter().map(String::as_str)))
                .collect(),
        );
        let mut reply = reply
            .set("eldoc", eldoc)
            .str("name", &info.name)
            .str("type", info.kind);
        if let Some(ns) = &info.ns {
            reply = reply.str("ns", ns);
        }
        if let Some(doc) = &info.doc {
            reply = reply.str("docstring", doc);
        }
        ctx.send(reply.status(&["done"]));
    }
}

/// `([x] [x y & more])` -> `[["x"], ["x", "y", "&", "more"]]`: the vectors at
/// the top level of the arglists, each split into its parameter forms.
fn split_arglists(arglists: &str) -> Vec<Vec<String>> {
    let mut lists = Vec::new();
    let mut depth = 0;
    let mut current: Option<String> = None;
    for c in arglists.chars() {
        match c {
            '[' if depth == 0 => {
                current = Some(String::new());
                depth = 1;
            }
            '[' | '{' | '(' if current.is_some() => {
                depth += 1;
                current.get_or_insert_default().push(c);
            }
            ']' | '}' | ')' if current.is_some() => {
                depth -= 1;
                if depth == 0 {
                    lists.push(split_params(&current.take().unwrap_or_default()));
                } else {
                    current.get_or_insert_default().push(c);
                }
            }
            _ => {
                if let Some(text) = current.as_mut() {
                    text.push(c);
                }
            }
        }
    }
    lists
}

/// Parameter forms separated by whitespace at nesting depth zero.
fn split_params(text: &str) -> Vec<String> {
    let mut params = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth -= 1,
            _ => {}
        }
        if (c.is_whitespace() || c == ',') && depth == 0 {
            if !current.is_empty() {
                params.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        params.push(current);
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_arglists_into_parameter_names() {
        assert_eq!(
            split_arglists("([x] [x y & more])"),
            vec![vec!["x"], vec!["x", "y", "&", "more"]]
        );
        assert_eq!(
            split_arglists("([{:keys [a b]} c])"),
            vec![vec!["{:keys [a b]}", "c"]]
        );
        assert_eq!(split_arglists("([])"), vec![Vec::<String>::new()]);
    }
}
