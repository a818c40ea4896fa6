//! The reader: turns Clojure/jank source text into [`Form`]s, one top-level form at a time,
//! the way Clojure's `LispReader` does. Reader macros are expanded here (`'x`, `@x`, `#'x`,
//! `#(...)`, syntax-quote, reader conditionals), so the compiler only sees plain data.
//!
//! The reader never recurses per nesting level while parsing: open collections and pending
//! reader macros live on an explicit stack, capped at [`MAX_DEPTH`], so hostile input can't
//! overflow the thread's stack. Errors carry Clojure's messages (`EOF while reading`,
//! `Unmatched delimiter: )`, `Invalid number: 1x`, ...) and the position they refer to.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use super::form::{Form, FormKind, Pos, Symbol};

mod fn_literal;
mod literal;
mod syntax_quote;
#[cfg(test)]
mod tests;
mod token;

use fn_literal::{FnArgs, FnParam};
use literal::{finish_meta, map_literal, meta_as_map, namespaced_map, set_literal};
use syntax_quote::{SyntaxQuoter, keyword_form, list_form, symbol_form};
use token::{
    interpret_token, is_high_surrogate, is_low_surrogate, is_macro, is_plain_symbol_token,
    is_terminating_macro, is_whitespace, parse_char_token, parse_number, starts_number,
    unpaired_surrogate,
};

/// How deeply collections and reader macros may nest; deeper input is an error. The reader
/// itself could go deeper (it keeps its own stack), but whatever walks the forms afterwards
/// recurses: in a debug build the derived `Drop` of `Form` takes ~225 bytes of stack per level
/// and the derived `Clone` ~1.5 KB, so much deeper forms would overflow a 2 MiB thread stack.
pub const MAX_DEPTH: usize = 1_000;

/// `#(...)` may use `%1` .. `%20`, like Clojure's fns (more positional params can't compile).
const MAX_FN_LITERAL_PARAMS: usize = 20;

/// What the reader needs from the compiler: the current namespace and its aliases
/// (for `::kw`, `::alias/kw`) and symbol resolution (for syntax-quote).
pub trait ReadContext {
    fn current_ns(&self) -> &str;
    /// `alias` -> full namespace name, if the current ns has that alias.
    fn resolve_alias(&self, alias: &str) -> Option<String>;
    /// Syntax-quote's qualification of a symbol: special forms stay unqualified; a symbol naming a var
    /// (referred or in the current ns) becomes `that-ns/name`; an alias-qualified one gets the full ns;
    /// anything else gets the current ns. The reader handles `foo#` gensyms and `.`-ending/`.`-starting symbols itself.
    fn qualify_for_syntax_quote(&self, sym: &Symbol) -> Symbol;
}

/// A syntax error: Clojure's message, and where in the source it applies (the start of the
/// offending token, or of the unterminated form for `EOF while reading`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub message: String,
    pub pos: Pos,
    /// Set when the read stopped because its budget ran out, not because of the text.
    pub exceeded: Option<super::budget::Exceeded>,
}

impl ReadError {
    fn new(message: impl Into<String>, pos: Pos) -> Self {
        ReadError {
            message: message.into(),
            pos,
            exceeded: None,
        }
    }
}

/// Only the message: callers format the position their own way (`(REPL:1:5)`, an nREPL field).
impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

/// The read error for a read (or syntax-quote expansion) past its budget.
fn over_budget(pos: Pos) -> Result<(), ReadError> {
    super::budget::check().map_err(|exceeded| ReadError {
        exceeded: Some(exceeded),
        ..ReadError::new(exceeded.to_string(), pos)
    })
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A process-wide increasing number, like Clojure's `RT.nextID`: names the `#()` params
/// (`p1__12#`) and syntax-quote gensyms (`x__13__auto__`). Global rather than per reader so
/// that names made in different evals never collide; the runtime's `gensym` may share it.
pub fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A reader's place between two forms (`Reader::checkpoint`).
#[derive(Clone, Copy, Debug)]
pub struct Checkpoint {
    offset: usize,
    line: u32,
    column: u32,
    pending: usize,
}

/// Reads forms from one piece of source text.
pub struct Reader<'a> {
    src: &'a str,
    /// Byte offset of the next unread char.
    offset: usize,
    line: u32,
    column: u32,
    /// Constructs opened but not finished while reading the current top-level form.
    stack: Vec<OpenForm>,
    /// Forms spliced by `#?@` where only one form fitted (e.g. `'#?@(:jank [a b])` at top level):
    /// the rest are the next top-level forms.
    pending: VecDeque<Form>,
    /// The `%` params seen so far, while reading the body of a `#(...)`.
    fn_args: Option<FnArgs>,
}

impl<'a> Reader<'a> {
    /// `line`/`column` are where `src` starts in its file (1,1 for a REPL eval; an editor sends the buffer position).
    pub fn new(src: &'a str, line: u32, column: u32) -> Self {
        Reader {
            src,
            offset: 0,
            line,
            column,
            stack: Vec::new(),
            pending: VecDeque::new(),
            fn_args: None,
        }
    }

    /// The byte offset of the next unread char of the source.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Where the reader stands between two forms, to read the next one again
    /// from there after giving up on it part way (`rewind`).
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            offset: self.offset,
            line: self.line,
            column: self.column,
            pending: self.pending.len(),
        }
    }

    /// Goes back to `at`, taken by `checkpoint` before the last `next_form`.
    pub fn rewind(&mut self, at: Checkpoint) {
        self.offset = at.offset;
        self.line = at.line;
        self.column = at.column;
        self.pending.truncate(at.pending);
        self.stack.clear();
        self.fn_args = None;
    }

    /// The next top-level form, or None at end of input. Forms are read one at a time because an `ns`
    /// form changes how the next ones read (aliases for `::alias/kw`).
    pub fn next_form(&mut self, ctx: &dyn ReadContext) -> Result<Option<Form>, ReadError> {
        if let Some(form) = self.pending.pop_front() {
            return Ok(Some(form));
        }
        // A previous call may have stopped at an error half way through a form.
        self.stack.clear();
        self.fn_args = None;
        loop {
            self.skip_whitespace_and_comments();
            let start = self.pos();
            over_budget(start)?;
            let Some(c) = self.peek() else {
                return match self.stack.last() {
                    None => Ok(None),
                    Some(open) => Err(ReadError::new("EOF while reading", open.pos)),
                };
            };
            let forms = self.read_step(c, start, ctx)?;
            if let Some(form) = self.deliver(forms, ctx)? {
                return Ok(Some(form));
            }
        }
    }

    // ---- Driving the stack -------------------------------------------------------------

    /// Reads one token or delimiter starting with `c`: either opens a construct (pushing a
    /// frame; no forms yet) or yields the forms it completes (none for `#_x`, several for `#?@`).
    fn read_step(
        &mut self,
        c: char,
        start: Pos,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        match c {
            '(' => self.open(OpenKind::List, start),
            '[' => self.open(OpenKind::Vector, start),
            '{' => self.open(OpenKind::Map, start),
            ')' | ']' | '}' => {
                self.next_char();
                self.close(c, start, ctx)
            }
            '"' => {
                self.next_char();
                let text = self.read_string_body(start)?;
                Ok(vec![Form::new(FormKind::Str(text), start)])
            }
            '\'' => self.open(OpenKind::Wrap(Wrapper::Quote), start),
            '@' => self.open(OpenKind::Wrap(Wrapper::Deref), start),
            '^' => self.open(OpenKind::Meta, start),
            '`' => self.open(OpenKind::Wrap(Wrapper::SyntaxQuote), start),
            '~' => {
                self.next_char();
                let wrapper = if self.eat('@') {
                    Wrapper::UnquoteSplicing
                } else {
                    Wrapper::Unquote
                };
                self.push_frame(OpenKind::Wrap(wrapper), start)?;
                Ok(Vec::new())
            }
            '\\' => self.read_char_literal(start).map(|form| vec![form]),
            '#' => {
                self.next_char();
                self.read_dispatch(start, ctx)
            }
            '%' if self.fn_args.is_some() => self.read_fn_arg(start).map(|form| vec![form]),
            c if starts_number(c, self.peek_second()) => self.read_number(start).map(|f| vec![f]),
            _ => {
                let token = self.read_token();
                let suppressed = self.suppressed();
                interpret_token(token, start, ctx, suppressed).map(|form| vec![form])
            }
        }
    }

    /// Consumes the one-char opener of `kind` and pushes its frame.
    fn open(&mut self, kind: OpenKind, start: Pos) -> Result<Vec<Form>, ReadError> {
        self.next_char();
        self.push_frame(kind, start)?;
        Ok(Vec::new())
    }

    fn push_frame(&mut self, kind: OpenKind, pos: Pos) -> Result<(), ReadError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ReadError::new(
                format!("Nesting too deep: forms may nest at most {MAX_DEPTH} levels"),
                pos,
            ));
        }
        let suppressed = self.suppressed();
        self.stack.push(OpenForm {
            kind,
            pos,
            suppressed,
            items: Vec::new(),
        });
        Ok(())
    }

    /// True while reading a branch of a reader conditional that was not selected.
    fn suppressed(&self) -> bool {
        self.stack
            .last()
            .is_some_and(OpenForm::suppresses_next_form)
    }

    /// A closing delimiter: finishes the innermost collection if it is the one being closed.
    fn close(
        &mut self,
        delimiter: char,
        pos: Pos,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        let closes_innermost = self
            .stack
            .last()
            .is_some_and(|frame| frame.closing_delimiter() == Some(delimiter));
        if !closes_innermost {
            return Err(ReadError::new(
                format!("Unmatched delimiter: {delimiter}"),
                pos,
            ));
        }
        match self.stack.pop() {
            Some(frame) => self.finish_frame(frame, ctx),
            None => Ok(Vec::new()),
        }
    }

    /// Hands finished forms to the innermost open construct, finishing constructs that were
    /// waiting for just those forms (`'`, `^`, `#_`, ...), and so on outwards. Returns the
    /// top-level form once one is complete.
    fn deliver(
        &mut self,
        forms: Vec<Form>,
        ctx: &dyn ReadContext,
    ) -> Result<Option<Form>, ReadError> {
        let mut queue = VecDeque::from(forms);
        while let Some(form) = queue.pop_front() {
            let Some(frame) = self.stack.last_mut() else {
                self.pending.extend(queue);
                return Ok(Some(form));
            };
            frame.accept(form)?;
            if !frame.is_complete() {
                continue;
            }
            if let Some(done) = self.stack.pop() {
                let finished = self.finish_frame(done, ctx)?;
                for form in finished.into_iter().rev() {
                    queue.push_front(form);
                }
            }
        }
        Ok(None)
    }

    /// Builds what a completed construct reads as.
    fn finish_frame(
        &mut self,
        frame: OpenForm,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        let OpenForm {
            kind,
            pos,
            suppressed,
            items,
        } = frame;
        let form = match kind {
            OpenKind::List => Form::new(FormKind::List(items), pos),
            OpenKind::Vector => Form::new(FormKind::Vector(items), pos),
            OpenKind::Map => map_literal(items, pos)?,
            OpenKind::Set => set_literal(items, pos)?,
            OpenKind::FnLiteral => self.fn_literal(items, pos),
            OpenKind::NamespacedMap(ns) => namespaced_map(&ns, items, pos)?,
            OpenKind::Conditional { splicing, selected } => {
                return self.finish_conditional(splicing, selected, items, pos);
            }
            OpenKind::Wrap(wrapper) => wrap(wrapper, only_form(items, pos)?, pos, ctx)?,
            OpenKind::Discard => return Ok(Vec::new()),
            OpenKind::Meta => finish_meta(items, pos)?,
            OpenKind::Tag(tag) => {
                // In a branch that isn't ours, another platform's tags are fine: the form is dropped anyway.
                if suppressed {
                    return Ok(items);
                }
                if tag.ns.is_none() && tag.name == "js" {
                    return Ok(vec![js_literal(only_form(items, pos)?, pos)?]);
                }
                if tag.ns.is_none() && (tag.name == "uuid" || tag.name == "inst") {
                    let form = only_form(items, pos)?;
                    return Ok(vec![literal::instant_or_uuid(&tag.name, &form, pos)?]);
                }
                return Err(ReadError::new(
                    format!("No reader function for tag {tag}"),
                    pos,
                ));
            }
        };
        Ok(vec![form])
    }

    // ---- Characters and positions ------------------------------------------------------

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.offset..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    /// Consumes `expected` if it is next.
    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.next_char();
            true
        } else {
            false
        }
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(is_whitespace) {
            self.next_char();
        }
    }

    fn skip_whitespace_and_comments(&mut self) {
        loop {
            self.skip_whitespace();
            if self.peek() != Some(';') {
                return;
            }
            self.skip_line();
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.next_char() {
            if c == '\n' {
                return;
            }
        }
    }

    /// The text from here up to whitespace or a char that ends a token (`(`, `"`, `;`, ...);
    /// `#`, `'` and `%` may appear inside tokens (`foo#`, `a'`, `%1`).
    fn read_token(&mut self) -> &'a str {
        self.read_while(|c| !is_whitespace(c) && !is_terminating_macro(c))
    }

    fn read_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.offset;
        while self.peek().is_some_and(&keep) {
            self.next_char();
        }
        self.src.get(start..self.offset).unwrap_or("")
    }

    // ---- Atoms -------------------------------------------------------------------------

    /// A number ends at whitespace or any macro char, so `1#` is `1` followed by `#`.
    fn read_number(&mut self, start: Pos) -> Result<Form, ReadError> {
        let token = self.read_while(|c| !is_whitespace(c) && !is_macro(c));
        parse_number(token)
            .map(|kind| Form::new(kind, start))
            .map_err(|message| ReadError::new(message, start))
    }

    /// The body of a string after its opening `"`.
    fn read_string_body(&mut self, start: Pos) -> Result<String, ReadError> {
        let mut text = String::new();
        loop {
            let escape_pos = self.pos();
            match self.next_char() {
                None => return Err(ReadError::new("EOF while reading string", start)),
                Some('"') => return Ok(text),
                Some('\\') => text.push(self.read_string_escape(start, escape_pos)?),
                Some(c) => text.push(c),
            }
        }
    }

    /// The char an escape in a string stands for; the `\` is already consumed.
    fn read_string_escape(&mut self, start: Pos, escape_pos: Pos) -> Result<char, ReadError> {
        let Some(c) = self.next_char() else {
            return Err(ReadError::new("EOF while reading string", start));
        };
        let simple = match c {
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            '\\' => '\\',
            '"' => '"',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => return self.read_unicode_escape(escape_pos),
            c if c.is_ascii_digit() => return self.read_octal_escape(c, escape_pos),
            c => {
                return Err(ReadError::new(
                    format!("Unsupported escape character: \\{c}"),
                    escape_pos,
                ));
            }
        };
        Ok(simple)
    }

    /// `\uXXXX` in a string (after the `u`). Java strings are UTF-16, so Clojure code writes a
    /// char outside the BMP as two escapes (`\uD83D\uDE00`): those are joined into one char.
    fn read_unicode_escape(&mut self, escape_pos: Pos) -> Result<char, ReadError> {
        let unit = self.read_hex_unit(escape_pos)?;
        let code = if is_high_surrogate(unit) {
            let low = self.read_low_surrogate_escape(unit, escape_pos)?;
            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if is_low_surrogate(unit) {
            return Err(unpaired_surrogate(unit, escape_pos));
        } else {
            unit
        };
        char::from_u32(code).ok_or_else(|| unpaired_surrogate(unit, escape_pos))
    }

    fn read_hex_unit(&mut self, escape_pos: Pos) -> Result<u32, ReadError> {
        match self.peek() {
            Some(c) if c.is_ascii_hexdigit() => {
                self.next_char();
                self.read_escape_digits(c, 16, 4, true, escape_pos)
            }
            Some(c) => Err(ReadError::new(
                format!("Invalid unicode escape: \\u{c}"),
                escape_pos,
            )),
            None => Err(ReadError::new("EOF while reading string", escape_pos)),
        }
    }

    fn read_low_surrogate_escape(&mut self, high: u32, escape_pos: Pos) -> Result<u32, ReadError> {
        if !self.rest().starts_with("\\u") {
            return Err(unpaired_surrogate(high, escape_pos));
        }
        let low_pos = self.pos();
        self.next_char();
        self.next_char();
        let low = self.read_hex_unit(low_pos)?;
        if is_low_surrogate(low) {
            Ok(low)
        } else {
            Err(unpaired_surrogate(high, escape_pos))
        }
    }

    /// `\ooo` in a string: one to three octal digits, the first already consumed.
    fn read_octal_escape(&mut self, first: char, escape_pos: Pos) -> Result<char, ReadError> {
        let code = self.read_escape_digits(first, 8, 3, false, escape_pos)?;
        if code > 0o377 {
            return Err(ReadError::new(
                "Octal escape sequence must be in range [0, 377].",
                escape_pos,
            ));
        }
        char::from_u32(code)
            .ok_or_else(|| ReadError::new("Invalid octal escape sequence", escape_pos))
    }

    /// Digits of a numeric escape, as Clojure's `readUnicodeChar` reads them: up to `max_len`
    /// digits, stopping early at whitespace or a macro char; any other non-digit is an error.
    fn read_escape_digits(
        &mut self,
        first: char,
        base: u32,
        max_len: usize,
        exact: bool,
        escape_pos: Pos,
    ) -> Result<u32, ReadError> {
        let invalid_digit = |c: char| ReadError::new(format!("Invalid digit: {c}"), escape_pos);
        let mut value = first.to_digit(base).ok_or_else(|| invalid_digit(first))?;
        let mut len = 1;
        while len < max_len {
            let Some(c) = self.peek().filter(|&c| !is_whitespace(c) && !is_macro(c)) else {
                break;
            };
            let digit = c.to_digit(base).ok_or_else(|| invalid_digit(c))?;
            self.next_char();
            value = value * base + digit;
            len += 1;
        }
        if exact && len != max_len {
            return Err(ReadError::new(
                format!("Invalid character length: {len}, should be: {max_len}"),
                escape_pos,
            ));
        }
        Ok(value)
    }

    /// `\a`, `\newline`, `\u00e9`, `\o101`, `\(`: the char after `\` always belongs to the
    /// literal, even when it is a delimiter or whitespace.
    fn read_char_literal(&mut self, start: Pos) -> Result<Form, ReadError> {
        self.next_char();
        let token_start = self.offset;
        if self.next_char().is_none() {
            return Err(ReadError::new("EOF while reading character", start));
        }
        self.read_token();
        let token = self.src.get(token_start..self.offset).unwrap_or("");
        parse_char_token(token)
            .map(|c| Form::new(FormKind::Char(c), start))
            .map_err(|message| ReadError::new(message, start))
    }

    /// `#"..."`: the pattern is kept as written; `\"` doesn't end it.
    fn read_regex_body(&mut self, start: Pos) -> Result<String, ReadError> {
        let mut pattern = String::new();
        loop {
            match self.next_char() {
                None => return Err(ReadError::new("EOF while reading regex", start)),
                Some('"') => return Ok(pattern),
                Some('\\') => {
                    pattern.push('\\');
                    let escaped = self
                        .next_char()
                        .ok_or_else(|| ReadError::new("EOF while reading regex", start))?;
                    pattern.push(escaped);
                }
                Some(c) => pattern.push(c),
            }
        }
    }

    // ---- `#` dispatch ------------------------------------------------------------------

    /// What follows a `#` (already consumed).
    fn read_dispatch(&mut self, start: Pos, ctx: &dyn ReadContext) -> Result<Vec<Form>, ReadError> {
        let Some(c) = self.peek() else {
            return Err(ReadError::new("EOF while reading character", start));
        };
        match c {
            '^' => self.open(OpenKind::Meta, start),
            '\'' => self.open(OpenKind::Wrap(Wrapper::Var), start),
            '_' => self.open(OpenKind::Discard, start),
            '{' => self.open(OpenKind::Set, start),
            '(' => self.open_fn_literal(start),
            '"' => {
                self.next_char();
                let pattern = self.read_regex_body(start)?;
                Ok(vec![Form::new(FormKind::Regex(pattern), start)])
            }
            '#' => {
                self.next_char();
                self.read_symbolic_value(start).map(|form| vec![form])
            }
            '!' => {
                self.skip_line();
                Ok(Vec::new())
            }
            '?' => {
                self.next_char();
                self.open_conditional(start)
            }
            ':' => {
                self.next_char();
                self.open_namespaced_map(start, ctx)
            }
            '=' => Err(ReadError::new("#= (read-eval) is not supported", start)),
            '<' => Err(ReadError::new("Unreadable form", start)),
            c if is_whitespace(c) || is_macro(c) => {
                Err(ReadError::new(format!("No dispatch macro for: {c}"), start))
            }
            _ => self.open_tagged_literal(start, ctx),
        }
    }

    fn open_fn_literal(&mut self, start: Pos) -> Result<Vec<Form>, ReadError> {
        if self.fn_args.is_some() {
            return Err(ReadError::new("Nested #()s are not allowed", start));
        }
        self.open(OpenKind::FnLiteral, start)?;
        self.fn_args = Some(FnArgs::default());
        Ok(Vec::new())
    }

    /// `##Inf`, `##-Inf`, `##NaN`.
    fn read_symbolic_value(&mut self, start: Pos) -> Result<Form, ReadError> {
        self.skip_whitespace();
        if self.peek().is_none() {
            return Err(ReadError::new("EOF while reading", start));
        }
        let value = match self.read_token() {
            "Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            other => {
                return Err(ReadError::new(
                    format!("Unknown symbolic value: ##{other}"),
                    start,
                ));
            }
        };
        Ok(Form::new(FormKind::Float(value), start))
    }

    /// `#?(...)` or `#?@(...)`, after the `?`.
    fn open_conditional(&mut self, start: Pos) -> Result<Vec<Form>, ReadError> {
        let splicing = self.eat('@');
        self.skip_whitespace();
        match self.peek() {
            None => Err(ReadError::new("EOF while reading character", start)),
            Some('(') => self.open(
                OpenKind::Conditional {
                    splicing,
                    selected: None,
                },
                start,
            ),
            Some(_) => Err(ReadError::new("read-cond body must be a list", start)),
        }
    }

    /// `#:ns{...}`, `#::{...}` (current ns) or `#::alias{...}`, after the first `:`.
    fn open_namespaced_map(
        &mut self,
        start: Pos,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        let auto_resolve = self.eat(':');
        let name = self.read_token();
        self.skip_whitespace();
        if self.peek() != Some('{') {
            return Err(ReadError::new("Namespaced map must specify a map", start));
        }
        let ns = self.namespaced_map_ns(name, auto_resolve, start, ctx)?;
        self.open(OpenKind::NamespacedMap(ns), start)
    }

    fn namespaced_map_ns(
        &self,
        name: &str,
        auto_resolve: bool,
        start: Pos,
        ctx: &dyn ReadContext,
    ) -> Result<String, ReadError> {
        if auto_resolve && name.is_empty() {
            return Ok(ctx.current_ns().to_string());
        }
        if !is_plain_symbol_token(name) {
            return Err(ReadError::new(
                format!("Namespaced map must specify a valid namespace: {name}"),
                start,
            ));
        }
        if !auto_resolve {
            return Ok(name.to_string());
        }
        match ctx.resolve_alias(name) {
            Some(ns) => Ok(ns),
            None if self.suppressed() => Ok(name.to_string()),
            None => Err(ReadError::new(
                format!("Unknown auto-resolved namespace alias: {name}"),
                start,
            )),
        }
    }

    /// `#tag form`: jank has no data readers yet, so this is an error once the form is read
    /// (except in a reader-conditional branch for another platform).
    fn open_tagged_literal(
        &mut self,
        start: Pos,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        let token = self.read_token();
        let tag = interpret_token(token, start, ctx, true)
            .ok()
            .and_then(|form| form.as_symbol().cloned());
        match tag {
            Some(tag) => {
                self.push_frame(OpenKind::Tag(tag), start)?;
                Ok(Vec::new())
            }
            None => Err(ReadError::new("Reader tag must be a symbol", start)),
        }
    }

    // ---- `#(...)` ----------------------------------------------------------------------

    /// `%`, `%n` or `%&` inside `#(...)`.
    fn read_fn_arg(&mut self, start: Pos) -> Result<Form, ReadError> {
        self.next_char();
        let suffix = self.read_token();
        let param = match suffix {
            "" => FnParam::Positional(1),
            "&" => FnParam::Rest,
            digits => match digits.parse::<usize>() {
                Ok(n) if (1..=MAX_FN_LITERAL_PARAMS).contains(&n) => FnParam::Positional(n),
                Ok(n) if n > MAX_FN_LITERAL_PARAMS => {
                    return Err(ReadError::new(
                        format!("Can't specify more than {MAX_FN_LITERAL_PARAMS} params"),
                        start,
                    ));
                }
                _ => {
                    return Err(ReadError::new(
                        "arg literal must be %, %& or %integer",
                        start,
                    ));
                }
            },
        };
        let args = self.fn_args.get_or_insert_with(FnArgs::default);
        Ok(Form::new(FormKind::Symbol(args.symbol_for(param)), start))
    }

    /// `#(body...)` -> `(fn* [p1__N# ... & rest__N#] (body...))`.
    fn fn_literal(&mut self, body: Vec<Form>, pos: Pos) -> Form {
        let args = self.fn_args.take().unwrap_or_default();
        let params = Form::new(FormKind::Vector(args.into_params(pos)), pos);
        // The body list starts at the `(` right after the `#`.
        let body_pos = Pos {
            line: pos.line,
            column: pos.column.saturating_add(1),
        };
        let body = Form::new(FormKind::List(body), body_pos);
        list_form(vec![symbol_form(None, "fn*", pos), params, body], pos)
    }

    // ---- Reader conditionals -----------------------------------------------------------

    fn finish_conditional(
        &self,
        splicing: bool,
        selected: Option<usize>,
        items: Vec<Form>,
        pos: Pos,
    ) -> Result<Vec<Form>, ReadError> {
        if !items.len().is_multiple_of(2) {
            return Err(ReadError::new(
                "read-cond requires an even number of forms",
                pos,
            ));
        }
        let Some(form) = selected.and_then(|index| items.into_iter().nth(index)) else {
            return Ok(Vec::new());
        };
        if !splicing {
            return Ok(vec![form]);
        }
        if self.stack.is_empty() {
            return Err(ReadError::new(
                "Reader conditional splicing not allowed at the top level.",
                pos,
            ));
        }
        match form.kind {
            FormKind::List(items) | FormKind::Vector(items) => Ok(items),
            _ => Err(ReadError::new(
                "Spliced form in read-cond-splicing must be a list or vector",
                form.pos,
            )),
        }
    }
}

/// Convenience: read every form.
pub fn read_all(src: &str, ctx: &dyn ReadContext) -> Result<Vec<Form>, ReadError> {
    let mut reader = Reader::new(src, 1, 1);
    let mut forms = Vec::new();
    while let Some(form) = reader.next_form(ctx)? {
        forms.push(form);
    }
    Ok(forms)
}

// ---- Frames: constructs being read ---------------------------------------------------------

/// A construct whose opening has been read and that waits for more forms.
struct OpenForm {
    kind: OpenKind,
    /// Where it starts (its `(`, `'`, `#`, `^`, ...).
    pos: Pos,
    /// Inside an unselected reader-conditional branch, whose forms are read only to be skipped.
    suppressed: bool,
    /// The forms read inside it so far.
    items: Vec<Form>,
}

enum OpenKind {
    List,
    Vector,
    Map,
    Set,
    FnLiteral,
    /// `#:ns{...}` with the namespace already resolved.
    NamespacedMap(String),
    /// `#?(...)`; `selected` is the index in `items` of the branch form we take.
    Conditional {
        splicing: bool,
        selected: Option<usize>,
    },
    Wrap(Wrapper),
    /// `#_`: reads one form and drops it.
    Discard,
    /// `^meta target`: `items` gets the meta (already as a map), then the target.
    Meta,
    /// `#tag form`.
    Tag(Symbol),
}

/// Reader macros that wrap the next form in a call.
#[derive(Clone, Copy)]
enum Wrapper {
    Quote,
    Deref,
    Var,
    SyntaxQuote,
    Unquote,
    UnquoteSplicing,
}

impl OpenForm {
    fn closing_delimiter(&self) -> Option<char> {
        match self.kind {
            OpenKind::List | OpenKind::FnLiteral | OpenKind::Conditional { .. } => Some(')'),
            OpenKind::Vector => Some(']'),
            OpenKind::Map | OpenKind::Set | OpenKind::NamespacedMap(_) => Some('}'),
            OpenKind::Wrap(_) | OpenKind::Discard | OpenKind::Meta | OpenKind::Tag(_) => None,
        }
    }

    /// Frames without a closing delimiter finish after a fixed number of forms.
    fn is_complete(&self) -> bool {
        let wanted = match self.kind {
            OpenKind::Wrap(_) | OpenKind::Discard | OpenKind::Tag(_) => 1,
            OpenKind::Meta => 2,
            _ => return false,
        };
        self.items.len() >= wanted
    }

    /// Whether the form read next is in a branch we skip.
    fn suppresses_next_form(&self) -> bool {
        let skipped_branch = match self.kind {
            OpenKind::Conditional { selected, .. } => {
                let next_is_branch_form = !self.items.len().is_multiple_of(2);
                next_is_branch_form && selected != Some(self.items.len())
            }
            _ => false,
        };
        self.suppressed || skipped_branch
    }

    fn accept(&mut self, form: Form) -> Result<(), ReadError> {
        match &mut self.kind {
            OpenKind::Meta if self.items.is_empty() => {
                self.items.push(meta_as_map(form)?);
                return Ok(());
            }
            OpenKind::Conditional { selected, .. } => {
                // Features are checked until one matches; everything after it is skipped.
                let is_feature = self.items.len().is_multiple_of(2);
                if is_feature && selected.is_none() && is_our_feature(&form)? {
                    *selected = Some(self.items.len() + 1);
                }
            }
            _ => {}
        }
        self.items.push(form);
        Ok(())
    }
}

/// Whether a reader-conditional feature selects its branch: ours are `:jank`, `:cljs` (the
/// runtime is hosted on JavaScript, so ClojureScript's interop works) and `:default`. As in
/// Clojure, the first branch whose feature is ours wins, in the order the form lists them.
fn is_our_feature(feature: &Form) -> Result<bool, ReadError> {
    match &feature.kind {
        FormKind::Keyword(k) if k.ns.is_none() && (k.name == "else" || k.name == "none") => Err(
            ReadError::new(format!("Feature name {feature} is reserved."), feature.pos),
        ),
        FormKind::Keyword(k) => {
            Ok(k.ns.is_none() && matches!(k.name.as_str(), "jank" | "cljs" | "default"))
        }
        _ => Err(ReadError::new(
            format!("Feature should be a keyword: {feature}"),
            feature.pos,
        )),
    }
}

/// ClojureScript's `#js [1 2]` and `#js {:a 1}`: a JavaScript array or object
/// of the values as they are (not converted deeply, as in ClojureScript),
/// built with `Array.of` and `Object.fromEntries`.
fn js_literal(form: Form, pos: Pos) -> Result<Form, ReadError> {
    let array_of = |items: Vec<Form>| {
        let mut call = vec![Form::new(
            FormKind::Symbol(Symbol::qualified("js", "Array.of")),
            pos,
        )];
        call.extend(items);
        Form::new(FormKind::List(call), pos)
    };
    match form.kind {
        FormKind::Vector(items) => Ok(array_of(items)),
        FormKind::Map(entries) => {
            let mut pairs = Vec::new();
            for (key, value) in entries {
                let name = match &key.kind {
                    FormKind::Keyword(k) if k.ns.is_none() => k.name.clone(),
                    FormKind::Str(s) => s.clone(),
                    _ => {
                        return Err(ReadError::new(
                            "JavaScript literal keys must be strings or unqualified keywords",
                            key.pos,
                        ));
                    }
                };
                pairs.push(array_of(vec![
                    Form::new(FormKind::Str(name), key.pos),
                    value,
                ]));
            }
            let from_entries = Form::new(
                FormKind::Symbol(Symbol::qualified("js", "Object.fromEntries")),
                pos,
            );
            Ok(Form::new(
                FormKind::List(vec![from_entries, array_of(pairs)]),
                pos,
            ))
        }
        _ => Err(ReadError::new(
            "JavaScript literal must use map or vector notation",
            pos,
        )),
    }
}

/// The single form a one-form frame collected.
fn only_form(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    items
        .into_iter()
        .next()
        .ok_or_else(|| ReadError::new("EOF while reading", pos))
}

fn wrap(wrapper: Wrapper, form: Form, pos: Pos, ctx: &dyn ReadContext) -> Result<Form, ReadError> {
    let head = match wrapper {
        Wrapper::Quote => symbol_form(None, "quote", pos),
        Wrapper::Var => symbol_form(None, "var", pos),
        Wrapper::Deref => symbol_form(Some("clojure.core"), "deref", pos),
        Wrapper::Unquote => symbol_form(Some("clojure.core"), "unquote", pos),
        Wrapper::UnquoteSplicing => symbol_form(Some("clojure.core"), "unquote-splicing", pos),
        Wrapper::SyntaxQuote => return SyntaxQuoter::new(ctx).quote(form),
    };
    Ok(list_form(vec![head, form], pos))
}
