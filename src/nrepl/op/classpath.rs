//! `classpath` (cider-nrepl): where source files are. There is no JVM
//! classpath here; the program's working directory is where an editor's
//! project lives. vim-fireplace asks for this on connect instead of
//! evaluating JVM-only `System/getProperty` calls.

use super::Context;
use crate::nrepl::message::{Reply, Request, strings};

pub struct Classpath {
    request: Request,
}

impl Classpath {
    pub fn parse(request: Request) -> Self {
        Classpath { request }
    }

    pub fn apply(self, ctx: &Context) {
        let cwd = std::env::current_dir()
            .map(|dir| dir.display().to_string())
            .unwrap_or_default();
        let entries: Vec<&str> = [cwd.as_str()]
            .into_iter()
            .filter(|e| !e.is_empty())
            .collect();
        let reply = Reply::to(&self.request, self.request.session())
            .set("classpath", strings(entries))
            .status(&["done"]);
        ctx.send(reply);
    }
}
