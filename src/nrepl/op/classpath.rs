//! `classpath` (cider-nrepl): where source files are. There is no JVM
//! classpath here: the source paths namespaces are loaded from are, or the
//! program's working directory when there are none. vim-fireplace asks for
//! this on connect (to find a namespace's file) instead of evaluating
//! JVM-only `System/getProperty` calls.

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
        let mut entries: Vec<String> = ctx
            .shared
            .evaluator
            .project()
            .paths
            .dirs()
            .map(|dir| dir.display().to_string())
            .collect();
        if entries.is_empty() {
            entries.extend(
                std::env::current_dir()
                    .map(|dir| dir.display().to_string())
                    .ok(),
            );
        }
        let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
        let reply = Reply::to(&self.request, self.request.session())
            .set("classpath", strings(entries))
            .status(&["done"]);
        ctx.send(reply);
    }
}
