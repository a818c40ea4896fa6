//! Syntax-quote, expanded as Clojure's `LispReader.syntaxQuote` does, and the small
//! form-building helpers the reader's expansions use.

use super::*;

// ---- Syntax-quote --------------------------------------------------------------------------

/// Syntax-quote turns each level of a template into up to five levels of calls
/// (`(with-meta (apply vector (seq (concat (list x)))) m)`), so templates may nest only this
/// deep for the expansion to stay within [`MAX_DEPTH`].
pub(super) const MAX_SYNTAX_QUOTE_DEPTH: usize = MAX_DEPTH / 5;

/// Expands one syntax-quoted form as Clojure's `LispReader.syntaxQuote` does. Each
/// syntax-quote has its own `foo#` gensyms. Works from an explicit task stack rather than by
/// recursion: a recursive expansion costs kilobytes of stack per level in a debug build.
pub(super) struct SyntaxQuoter<'c> {
    ctx: &'c dyn ReadContext,
    gensyms: HashMap<String, Symbol>,
    /// Work still to do; the last task runs next.
    tasks: Vec<Task>,
    /// Finished expansions, waiting to be taken by the collection around them.
    results: Vec<Form>,
}

pub(super) enum Task {
    /// Expand a form and push its expansion onto `results`.
    Expand(Form),
    /// Build a collection's (or a form with metadata's) expansion from the results on top.
    Assemble(Assembly),
}

/// A form whose expansion waits for the expansions of its quoted elements and of its
/// metadata (pushed in that order, so the metadata's is on top).
pub(super) struct Assembly {
    shape: Shape,
    pos: Pos,
    parts: Vec<Part>,
    has_meta: bool,
}

pub(super) enum Shape {
    /// A list: `(seq (concat ...))`.
    Seq,
    /// A vector, set or map: `(apply constructor (seq (concat ...)))`.
    Apply(&'static str),
    /// Already expanded; only the metadata is missing.
    Expanded(Form),
}

/// An element of a syntax-quoted collection, by how it goes into the `concat`.
pub(super) enum Part {
    /// `~x`: `(list x)`.
    Unquoted(Form),
    /// `~@x`: `x`.
    Spliced(Form),
    /// Anything else: `(list <its expansion>)`; the expansion is taken from the results.
    Quoted,
}

/// An element as written: `~x`, `~@x`, or a plain form.
pub(super) enum Element {
    Unquoted(Form),
    Spliced(Form),
    Quoted(Form),
}

impl<'c> SyntaxQuoter<'c> {
    pub(super) fn new(ctx: &'c dyn ReadContext) -> Self {
        SyntaxQuoter {
            ctx,
            gensyms: HashMap::new(),
            tasks: Vec::new(),
            results: Vec::new(),
        }
    }

    pub(super) fn quote(mut self, form: Form) -> Result<Form, ReadError> {
        let pos = form.pos;
        if nesting_depth(&form) > MAX_SYNTAX_QUOTE_DEPTH {
            return Err(ReadError::new(
                format!(
                    "Nesting too deep: syntax-quoted forms may nest at most {MAX_SYNTAX_QUOTE_DEPTH} levels"
                ),
                pos,
            ));
        }
        self.tasks.push(Task::Expand(form));
        while let Some(task) = self.tasks.pop() {
            over_budget(pos)?;
            match task {
                Task::Expand(form) => self.expand(form)?,
                Task::Assemble(assembly) => {
                    let expansion = self.assemble(assembly);
                    self.results.push(expansion);
                }
            }
        }
        Ok(self
            .results
            .pop()
            .unwrap_or_else(|| Form::new(FormKind::Nil, pos)))
    }

    /// Pushes the expansion of `form` at once if it is an atom, or schedules its parts.
    fn expand(&mut self, form: Form) -> Result<(), ReadError> {
        let pos = form.pos;
        let mut form = match classify_element(form) {
            // `~x` is x itself; metadata on the `(unquote x)` is dropped, as in Clojure.
            Element::Unquoted(value) => {
                self.results.push(value);
                return Ok(());
            }
            Element::Spliced(_) => return Err(ReadError::new("splice not in list", pos)),
            Element::Quoted(form) => form,
        };
        let meta = form.meta.take().filter(|meta| !is_empty_map(meta));
        let (shape, items) = match (self.shape_of(form.kind, pos), meta.is_some()) {
            ((Shape::Expanded(expansion), _), false) => {
                self.results.push(expansion);
                return Ok(());
            }
            (shape_and_items, _) => shape_and_items,
        };
        let mut parts = Vec::with_capacity(items.len());
        let mut to_expand = Vec::new();
        for item in items {
            parts.push(match classify_element(item) {
                Element::Unquoted(value) => Part::Unquoted(value),
                Element::Spliced(value) => Part::Spliced(value),
                Element::Quoted(item) => {
                    to_expand.push(item);
                    Part::Quoted
                }
            });
        }
        self.tasks.push(Task::Assemble(Assembly {
            shape,
            pos,
            parts,
            has_meta: meta.is_some(),
        }));
        // Pushed last-first so they run (and push their results) in order, metadata last.
        if let Some(meta) = meta {
            self.tasks.push(Task::Expand(*meta));
        }
        self.tasks
            .extend(to_expand.into_iter().rev().map(Task::Expand));
        Ok(())
    }

    /// How a form expands, and the elements whose expansions that needs.
    fn shape_of(&mut self, kind: FormKind, pos: Pos) -> (Shape, Vec<Form>) {
        match kind {
            FormKind::List(items) if items.is_empty() => {
                let empty = list_form(vec![core_symbol("list", pos)], pos);
                (Shape::Expanded(empty), Vec::new())
            }
            FormKind::List(items) => (Shape::Seq, items),
            FormKind::Vector(items) => (Shape::Apply("vector"), items),
            FormKind::Set(items) => (Shape::Apply("hash-set"), items),
            FormKind::Map(pairs) => {
                let flat = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
                (Shape::Apply("hash-map"), flat)
            }
            FormKind::Symbol(sym) => {
                let sym = Form::new(FormKind::Symbol(self.qualify(sym)), pos);
                (Shape::Expanded(quote_form(sym)), Vec::new())
            }
            FormKind::Regex(pattern) => {
                let regex = Form::new(FormKind::Regex(pattern), pos);
                (Shape::Expanded(quote_form(regex)), Vec::new())
            }
            // Keywords, numbers, chars, strings, nil and booleans evaluate to themselves.
            atom => (Shape::Expanded(Form::new(atom, pos)), Vec::new()),
        }
    }

    fn assemble(&mut self, assembly: Assembly) -> Form {
        let Assembly {
            shape,
            pos,
            parts,
            has_meta,
        } = assembly;
        let meta = if has_meta { self.results.pop() } else { None };
        let quoted_count = parts.iter().filter(|p| matches!(p, Part::Quoted)).count();
        let first = self.results.len().saturating_sub(quoted_count);
        let mut quoted = self.results.split_off(first).into_iter();
        let expansion = match shape {
            Shape::Expanded(form) => form,
            Shape::Seq => concat_parts(parts, &mut quoted, pos),
            Shape::Apply(constructor) => list_form(
                vec![
                    core_symbol("apply", pos),
                    core_symbol(constructor, pos),
                    concat_parts(parts, &mut quoted, pos),
                ],
                pos,
            ),
        };
        match meta {
            // `^m x` keeps its metadata at macro-expansion time: `(with-meta x m)`.
            Some(meta) => list_form(vec![core_symbol("with-meta", pos), expansion, meta], pos),
            None => expansion,
        }
    }

    fn qualify(&mut self, sym: Symbol) -> Symbol {
        if sym.ns.is_some() {
            return self.ctx.qualify_for_syntax_quote(&sym);
        }
        if let Some(base) = sym.name.strip_suffix('#') {
            return self.gensym(base);
        }
        // `.method` is a host interop name: it stays as written.
        if sym.name.starts_with('.') {
            return sym;
        }
        // `Foo.` (a constructor call): the class part resolved as a class name
        // (`String.` is `java.lang.String.`), anything else as written.
        if let Some(class) = sym.name.strip_suffix('.').filter(|c| !c.is_empty()) {
            let resolved = self.ctx.qualify_for_syntax_quote(&Symbol::simple(class));
            return match resolved.ns {
                None => Symbol::simple(format!("{}.", resolved.name)),
                Some(_) => sym,
            };
        }
        self.ctx.qualify_for_syntax_quote(&sym)
    }

    /// `foo#` -> `foo__123__auto__`, the same symbol everywhere in this syntax-quote.
    fn gensym(&mut self, base: &str) -> Symbol {
        self.gensyms
            .entry(base.to_string())
            .or_insert_with(|| Symbol::simple(format!("{base}__{}__auto__", next_id())))
            .clone()
    }
}

/// `(seq (concat part...))`: `(list x)` for `~x` and quoted elements, `x` for `~@x`.
pub(super) fn concat_parts(
    parts: Vec<Part>,
    quoted: &mut impl Iterator<Item = Form>,
    pos: Pos,
) -> Form {
    let mut concat = Vec::with_capacity(parts.len() + 1);
    concat.push(core_symbol("concat", pos));
    for part in parts {
        concat.push(match part {
            Part::Unquoted(value) => single_item_list(value),
            Part::Spliced(value) => value,
            Part::Quoted => {
                let expansion = quoted
                    .next()
                    .unwrap_or_else(|| Form::new(FormKind::Nil, pos));
                single_item_list(expansion)
            }
        });
    }
    list_form(vec![core_symbol("seq", pos), list_form(concat, pos)], pos)
}

pub(super) fn is_empty_map(form: &Form) -> bool {
    matches!(&form.kind, FormKind::Map(pairs) if pairs.is_empty())
}

/// How many levels of collections (and metadata maps) a form nests, counting the form itself.
pub(super) fn nesting_depth(form: &Form) -> usize {
    let mut deepest = 0;
    let mut todo = vec![(form, 1)];
    while let Some((form, depth)) = todo.pop() {
        deepest = deepest.max(depth);
        if let Some(meta) = &form.meta {
            todo.push((meta, depth + 1));
        }
        match &form.kind {
            FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => {
                todo.extend(items.iter().map(|item| (item, depth + 1)));
            }
            FormKind::Map(pairs) => {
                for (key, value) in pairs {
                    todo.push((key, depth + 1));
                    todo.push((value, depth + 1));
                }
            }
            _ => {}
        }
    }
    deepest
}

/// Sorts out `~x` and `~@x` (read as `(clojure.core/unquote x)` and
/// `(clojure.core/unquote-splicing x)`) from plain elements.
pub(super) fn classify_element(form: Form) -> Element {
    let head = match &form.kind {
        FormKind::List(items) => items.first().and_then(Form::as_symbol),
        _ => None,
    };
    let is_core = |name: &str| {
        head.is_some_and(|sym| sym.ns.as_deref() == Some("clojure.core") && sym.name == name)
    };
    let unquote = is_core("unquote");
    let splice = is_core("unquote-splicing");
    if !unquote && !splice {
        return Element::Quoted(form);
    }
    let pos = form.pos;
    let value = match form.kind {
        FormKind::List(items) => items.into_iter().nth(1),
        _ => None,
    }
    .unwrap_or_else(|| Form::new(FormKind::Nil, pos));
    if unquote {
        Element::Unquoted(value)
    } else {
        Element::Spliced(value)
    }
}

pub(super) fn single_item_list(form: Form) -> Form {
    let pos = form.pos;
    list_form(vec![core_symbol("list", pos), form], pos)
}

pub(super) fn quote_form(form: Form) -> Form {
    let pos = form.pos;
    list_form(vec![symbol_form(None, "quote", pos), form], pos)
}

// ---- Form construction ---------------------------------------------------------------------

pub(super) fn list_form(items: Vec<Form>, pos: Pos) -> Form {
    Form::new(FormKind::List(items), pos)
}

pub(super) fn symbol_form(ns: Option<&str>, name: &str, pos: Pos) -> Form {
    let sym = Symbol {
        ns: ns.map(str::to_string),
        name: name.to_string(),
    };
    Form::new(FormKind::Symbol(sym), pos)
}

pub(super) fn core_symbol(name: &str, pos: Pos) -> Form {
    symbol_form(Some("clojure.core"), name, pos)
}

pub(super) fn keyword_form(name: &str, pos: Pos) -> Form {
    Form::new(FormKind::Keyword(Symbol::simple(name)), pos)
}
