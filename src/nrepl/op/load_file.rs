//! `load-file`: evaluates a whole file's contents (sent in `file`), naming it
//! by `file-path` or `file-name` in errors and in the vars it defines.

use super::Context;
use super::eval::{Eval, text_field};
use crate::nrepl::message::Request;

pub struct LoadFile {
    eval: Eval,
}

impl LoadFile {
    pub fn parse(request: Request) -> Self {
        let code = text_field(&request, "file");
        let name = request
            .str("file-path")
            .or(request.str("file-name"))
            .map(str::to_string);
        LoadFile {
            eval: Eval::of_file(request, code, name),
        }
    }

    pub fn apply(self, ctx: &Context) {
        self.eval.apply(ctx);
    }
}
