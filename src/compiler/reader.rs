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
}

impl ReadError {
    fn new(message: impl Into<String>, pos: Pos) -> Self {
        ReadError {
            message: message.into(),
            pos,
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

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A process-wide increasing number, like Clojure's `RT.nextID`: names the `#()` params
/// (`p1__12#`) and syntax-quote gensyms (`x__13__auto__`). Global rather than per reader so
/// that names made in different evals never collide; the runtime's `gensym` may share it.
pub fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Reads forms from one piece of source text.
pub struct Reader<'a> {
    src: &'a str,
    /// Byte offset of the next unread char.
    offset: usize,
    line: u32,
    column: u32,
    /// Constructs opened but not finished while reading the current top-level form.
    stack: Vec<Frame>,
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
            '(' => self.open(FrameKind::List, start),
            '[' => self.open(FrameKind::Vector, start),
            '{' => self.open(FrameKind::Map, start),
            ')' | ']' | '}' => {
                self.next_char();
                self.close(c, start, ctx)
            }
            '"' => {
                self.next_char();
                let text = self.read_string_body(start)?;
                Ok(vec![Form::new(FormKind::Str(text), start)])
            }
            '\'' => self.open(FrameKind::Wrap(Wrapper::Quote), start),
            '@' => self.open(FrameKind::Wrap(Wrapper::Deref), start),
            '^' => self.open(FrameKind::Meta, start),
            '`' => self.open(FrameKind::Wrap(Wrapper::SyntaxQuote), start),
            '~' => {
                self.next_char();
                let wrapper = if self.eat('@') {
                    Wrapper::UnquoteSplicing
                } else {
                    Wrapper::Unquote
                };
                self.push_frame(FrameKind::Wrap(wrapper), start)?;
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
    fn open(&mut self, kind: FrameKind, start: Pos) -> Result<Vec<Form>, ReadError> {
        self.next_char();
        self.push_frame(kind, start)?;
        Ok(Vec::new())
    }

    fn push_frame(&mut self, kind: FrameKind, pos: Pos) -> Result<(), ReadError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ReadError::new(
                format!("Nesting too deep: forms may nest at most {MAX_DEPTH} levels"),
                pos,
            ));
        }
        let suppressed = self.suppressed();
        self.stack.push(Frame {
            kind,
            pos,
            suppressed,
            items: Vec::new(),
        });
        Ok(())
    }

    /// True while reading a branch of a reader conditional that was not selected.
    fn suppressed(&self) -> bool {
        self.stack.last().is_some_and(Frame::suppresses_next_form)
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
        frame: Frame,
        ctx: &dyn ReadContext,
    ) -> Result<Vec<Form>, ReadError> {
        let Frame {
            kind,
            pos,
            suppressed,
            items,
        } = frame;
        let form = match kind {
            FrameKind::List => Form::new(FormKind::List(items), pos),
            FrameKind::Vector => Form::new(FormKind::Vector(items), pos),
            FrameKind::Map => map_literal(items, pos)?,
            FrameKind::Set => set_literal(items, pos)?,
            FrameKind::FnLiteral => self.fn_literal(items, pos),
            FrameKind::NamespacedMap(ns) => namespaced_map(&ns, items, pos)?,
            FrameKind::Conditional { splicing, selected } => {
                return self.finish_conditional(splicing, selected, items, pos);
            }
            FrameKind::Wrap(wrapper) => wrap(wrapper, only_form(items, pos)?, pos, ctx)?,
            FrameKind::Discard => return Ok(Vec::new()),
            FrameKind::Meta => finish_meta(items, pos)?,
            FrameKind::Tag(tag) => {
                // In a branch that isn't ours, another platform's tags are fine: the form is dropped anyway.
                if suppressed {
                    return Ok(items);
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
            '^' => self.open(FrameKind::Meta, start),
            '\'' => self.open(FrameKind::Wrap(Wrapper::Var), start),
            '_' => self.open(FrameKind::Discard, start),
            '{' => self.open(FrameKind::Set, start),
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
        self.open(FrameKind::FnLiteral, start)?;
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
                FrameKind::Conditional {
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
        self.open(FrameKind::NamespacedMap(ns), start)
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
                self.push_frame(FrameKind::Tag(tag), start)?;
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
struct Frame {
    kind: FrameKind,
    /// Where it starts (its `(`, `'`, `#`, `^`, ...).
    pos: Pos,
    /// Inside an unselected reader-conditional branch, whose forms are read only to be skipped.
    suppressed: bool,
    /// The forms read inside it so far.
    items: Vec<Form>,
}

enum FrameKind {
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

impl Frame {
    fn closing_delimiter(&self) -> Option<char> {
        match self.kind {
            FrameKind::List | FrameKind::FnLiteral | FrameKind::Conditional { .. } => Some(')'),
            FrameKind::Vector => Some(']'),
            FrameKind::Map | FrameKind::Set | FrameKind::NamespacedMap(_) => Some('}'),
            FrameKind::Wrap(_) | FrameKind::Discard | FrameKind::Meta | FrameKind::Tag(_) => None,
        }
    }

    /// Frames without a closing delimiter finish after a fixed number of forms.
    fn is_complete(&self) -> bool {
        let wanted = match self.kind {
            FrameKind::Wrap(_) | FrameKind::Discard | FrameKind::Tag(_) => 1,
            FrameKind::Meta => 2,
            _ => return false,
        };
        self.items.len() >= wanted
    }

    /// Whether the form read next is in a branch we skip.
    fn suppresses_next_form(&self) -> bool {
        let skipped_branch = match self.kind {
            FrameKind::Conditional { selected, .. } => {
                let next_is_branch_form = !self.items.len().is_multiple_of(2);
                next_is_branch_form && selected != Some(self.items.len())
            }
            _ => false,
        };
        self.suppressed || skipped_branch
    }

    fn accept(&mut self, form: Form) -> Result<(), ReadError> {
        match &mut self.kind {
            FrameKind::Meta if self.items.is_empty() => {
                self.items.push(meta_as_map(form)?);
                return Ok(());
            }
            FrameKind::Conditional { selected, .. } => {
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

/// Whether a reader-conditional feature selects its branch: ours are `:jank`, then `:default`
/// (the first matching feature in the form wins).
fn is_our_feature(feature: &Form) -> Result<bool, ReadError> {
    match &feature.kind {
        FormKind::Keyword(k) if k.ns.is_none() && (k.name == "else" || k.name == "none") => Err(
            ReadError::new(format!("Feature name {feature} is reserved."), feature.pos),
        ),
        FormKind::Keyword(k) => Ok(k.ns.is_none() && (k.name == "jank" || k.name == "default")),
        _ => Err(ReadError::new(
            format!("Feature should be a keyword: {feature}"),
            feature.pos,
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

// ---- Collections ---------------------------------------------------------------------------

fn map_literal(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    if !items.len().is_multiple_of(2) {
        return Err(ReadError::new(
            "Map literal must contain an even number of forms",
            pos,
        ));
    }
    let pairs = into_pairs(items);
    check_duplicate_keys(pairs.iter().map(|(key, _)| key))?;
    Ok(Form::new(FormKind::Map(pairs), pos))
}

fn set_literal(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    check_duplicate_keys(items.iter())?;
    Ok(Form::new(FormKind::Set(items), pos))
}

/// `#:ns{:a 1, :_/b 2, :c/d 3}` -> `{:ns/a 1, :b 2, :c/d 3}` (symbol keys likewise).
fn namespaced_map(ns: &str, items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    if !items.len().is_multiple_of(2) {
        return Err(ReadError::new(
            "Namespaced map literal must contain an even number of forms",
            pos,
        ));
    }
    let pairs: Vec<(Form, Form)> = into_pairs(items)
        .into_iter()
        .map(|(key, value)| (apply_map_namespace(key, ns), value))
        .collect();
    check_duplicate_keys(pairs.iter().map(|(key, _)| key))?;
    Ok(Form::new(FormKind::Map(pairs), pos))
}

fn apply_map_namespace(mut key: Form, ns: &str) -> Form {
    if let FormKind::Keyword(sym) | FormKind::Symbol(sym) = &mut key.kind {
        match sym.ns.as_deref() {
            None => sym.ns = Some(ns.to_string()),
            Some("_") => sym.ns = None,
            Some(_) => {}
        }
    }
    key
}

fn into_pairs(items: Vec<Form>) -> Vec<(Form, Form)> {
    let mut pairs = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let (Some(key), Some(value)) = (items.next(), items.next()) {
        pairs.push((key, value));
    }
    pairs
}

/// Clojure rejects literal maps and sets with equal keys (even `{'a 1 'a 2}`).
fn check_duplicate_keys<'f>(keys: impl Iterator<Item = &'f Form>) -> Result<(), ReadError> {
    let mut seen = HashSet::new();
    for key in keys {
        if let Some(identity) = equality_key(key)
            && !seen.insert(identity)
        {
            return Err(ReadError::new(
                format!("Duplicate key: {}", clojure_to_string(key)),
                key.pos,
            ));
        }
    }
    Ok(())
}

/// How Clojure's `str` shows a value in messages: strings and chars raw, the rest as printed.
fn clojure_to_string(form: &Form) -> String {
    match &form.kind {
        FormKind::Str(s) => s.clone(),
        FormKind::Char(c) => c.to_string(),
        _ => form.to_string(),
    }
}

/// Keys nested deeper than this are never reported as duplicates (equality of such keys isn't
/// worth a deep walk, and a bounded walk keeps the stack safe).
const MAX_EQUALITY_DEPTH: usize = 64;

/// A string that two forms share exactly when Clojure would find their values equal as map keys
/// (`1` and `1N`, `[1]` and `'(1)`, sets in any order), or None when that isn't decided here
/// (NaN, regexes, very deep forms): such keys are treated as distinct.
fn equality_key(form: &Form) -> Option<String> {
    let mut out = String::new();
    write_equality_key(form, &mut out, 0)?;
    Some(out)
}

fn write_equality_key(form: &Form, out: &mut String, depth: usize) -> Option<()> {
    use std::fmt::Write;
    if depth > MAX_EQUALITY_DEPTH {
        return None;
    }
    // Every atom ends with `;` and text is length-prefixed, so keys of different forms differ.
    match &form.kind {
        FormKind::Nil => out.push_str("nil;"),
        FormKind::Bool(b) => write!(out, "b{b};").ok()?,
        FormKind::Int(n) => write!(out, "i{n};").ok()?,
        FormKind::BigInt(digits) => write!(out, "i{};", normalized_bigint(digits)).ok()?,
        FormKind::Ratio(numerator, denominator) => write_ratio_key(*numerator, *denominator, out)?,
        FormKind::Float(x) if x.is_nan() => return None,
        FormKind::Float(x) => write!(out, "f{};", if *x == 0.0 { 0.0 } else { *x }).ok()?,
        FormKind::BigDecimal(digits) => write!(out, "d{digits};").ok()?,
        FormKind::Char(c) => write!(out, "c{c};").ok()?,
        FormKind::Str(s) => write!(out, "s{}:{s};", s.len()).ok()?,
        FormKind::Regex(_) => return None,
        FormKind::Symbol(sym) => write!(out, "y{}:{sym};", sym.to_string().len()).ok()?,
        FormKind::Keyword(sym) => write!(out, "k{}:{sym};", sym.to_string().len()).ok()?,
        // Clojure's `=` treats lists and vectors with equal elements as equal.
        FormKind::List(items) | FormKind::Vector(items) => {
            out.push('[');
            for item in items {
                write_equality_key(item, out, depth + 1)?;
            }
            out.push(']');
        }
        FormKind::Set(items) => {
            let keys: Option<Vec<String>> = items
                .iter()
                .map(|item| nested_key(item, depth + 1))
                .collect();
            write_unordered(out, '#', keys?);
        }
        FormKind::Map(pairs) => {
            let keys: Option<Vec<String>> = pairs
                .iter()
                .map(|(k, v)| Some(nested_key(k, depth + 1)? + &nested_key(v, depth + 1)?))
                .collect();
            write_unordered(out, '{', keys?);
        }
    }
    Some(())
}

fn nested_key(form: &Form, depth: usize) -> Option<String> {
    let mut out = String::new();
    write_equality_key(form, &mut out, depth)?;
    Some(out)
}

/// Sets and maps are equal whatever their order, so their element keys are sorted.
fn write_unordered(out: &mut String, open: char, mut keys: Vec<String>) {
    keys.sort();
    out.push(open);
    for key in keys {
        out.push('(');
        out.push_str(&key);
        out.push(')');
    }
    out.push('}');
}

/// Clojure reduces ratios when reading, so `2/4` equals `1/2` and `4/2` equals `2`.
fn write_ratio_key(numerator: i64, denominator: i64, out: &mut String) -> Option<()> {
    use std::fmt::Write;
    let (n, d) = (i128::from(numerator), i128::from(denominator));
    let divisor = gcd(n.abs(), d.abs()).max(1);
    let (n, d) = (n / divisor, d / divisor);
    if d == 1 {
        write!(out, "i{n};").ok()
    } else {
        write!(out, "r{n}/{d};").ok()
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn normalized_bigint(digits: &str) -> &str {
    if digits == "-0" { "0" } else { digits }
}

// ---- Metadata ------------------------------------------------------------------------------

/// `^:kw` -> `{:kw true}`, `^Type`/`^"Type"` -> `{:tag Type}`, `^[A B]` -> `{:param-tags [A B]}`,
/// `^{...}` as is.
fn meta_as_map(meta: Form) -> Result<Form, ReadError> {
    let pos = meta.pos;
    let pair = match &meta.kind {
        FormKind::Map(_) => return Ok(meta),
        FormKind::Symbol(_) | FormKind::Str(_) => (keyword_form("tag", pos), meta),
        FormKind::Keyword(_) => (meta, Form::new(FormKind::Bool(true), pos)),
        FormKind::Vector(_) => (keyword_form("param-tags", pos), meta),
        _ => {
            return Err(ReadError::new(
                "Metadata must be Symbol,Keyword,String,Map or Vector",
                pos,
            ));
        }
    };
    Ok(Form::new(FormKind::Map(vec![pair]), pos))
}

/// `items` is `[meta-map, target]`; the target keeps its own position.
fn finish_meta(items: Vec<Form>, pos: Pos) -> Result<Form, ReadError> {
    let mut items = items.into_iter();
    let (Some(meta), Some(mut target)) = (items.next(), items.next()) else {
        return Err(ReadError::new("EOF while reading", pos));
    };
    if !can_carry_meta(&target) {
        return Err(ReadError::new(
            "Metadata can only be applied to IMetas",
            pos,
        ));
    }
    let merged = match target.meta.take() {
        Some(existing) => merge_meta(*existing, meta),
        None => meta,
    };
    target.meta = Some(Box::new(merged));
    Ok(target)
}

fn can_carry_meta(form: &Form) -> bool {
    matches!(
        form.kind,
        FormKind::Symbol(_)
            | FormKind::List(_)
            | FormKind::Vector(_)
            | FormKind::Map(_)
            | FormKind::Set(_)
    )
}

/// `^:a ^:b x`: the inner meta is read first; the outer one's entries are added over it.
fn merge_meta(inner: Form, outer: Form) -> Form {
    let pos = inner.pos;
    let (FormKind::Map(mut pairs), FormKind::Map(additions)) = (inner.kind, outer.kind) else {
        return Form::new(FormKind::Map(Vec::new()), pos);
    };
    for (key, value) in additions {
        let identity = equality_key(&key);
        let existing = pairs
            .iter_mut()
            .find(|(k, _)| identity.is_some() && equality_key(k) == identity);
        match existing {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    Form::new(FormKind::Map(pairs), pos)
}

// ---- `#(...)` params -----------------------------------------------------------------------

#[derive(Clone, Copy)]
enum FnParam {
    Positional(usize),
    Rest,
}

/// The params a `#(...)` body used: `%1` is `positional[0]`.
#[derive(Default)]
struct FnArgs {
    positional: Vec<Option<Symbol>>,
    rest: Option<Symbol>,
}

impl FnArgs {
    /// The same symbol every time the same `%` is used.
    fn symbol_for(&mut self, param: FnParam) -> Symbol {
        let slot = match param {
            FnParam::Rest => &mut self.rest,
            FnParam::Positional(n) => {
                if self.positional.len() < n {
                    self.positional.resize(n, None);
                }
                &mut self.positional[n - 1]
            }
        };
        slot.get_or_insert_with(|| fn_param_symbol(param)).clone()
    }

    /// `[p1 p2 & rest]`; unused positions below the highest one still get a param (`#(%2)`
    /// takes two args).
    fn into_params(self, pos: Pos) -> Vec<Form> {
        let mut params: Vec<Form> = self
            .positional
            .into_iter()
            .enumerate()
            .map(|(index, sym)| {
                let sym = sym.unwrap_or_else(|| fn_param_symbol(FnParam::Positional(index + 1)));
                Form::new(FormKind::Symbol(sym), pos)
            })
            .collect();
        if let Some(rest) = self.rest {
            params.push(symbol_form(None, "&", pos));
            params.push(Form::new(FormKind::Symbol(rest), pos));
        }
        params
    }
}

fn fn_param_symbol(param: FnParam) -> Symbol {
    let base = match param {
        FnParam::Positional(n) => format!("p{n}"),
        FnParam::Rest => "rest".to_string(),
    };
    Symbol::simple(format!("{base}__{}#", next_id()))
}

// ---- Syntax-quote --------------------------------------------------------------------------

/// Syntax-quote turns each level of a template into up to five levels of calls
/// (`(with-meta (apply vector (seq (concat (list x)))) m)`), so templates may nest only this
/// deep for the expansion to stay within [`MAX_DEPTH`].
const MAX_SYNTAX_QUOTE_DEPTH: usize = MAX_DEPTH / 5;

/// Expands one syntax-quoted form as Clojure's `LispReader.syntaxQuote` does. Each
/// syntax-quote has its own `foo#` gensyms. Works from an explicit task stack rather than by
/// recursion: a recursive expansion costs kilobytes of stack per level in a debug build.
struct SyntaxQuoter<'c> {
    ctx: &'c dyn ReadContext,
    gensyms: HashMap<String, Symbol>,
    /// Work still to do; the last task runs next.
    tasks: Vec<Task>,
    /// Finished expansions, waiting to be taken by the collection around them.
    results: Vec<Form>,
}

enum Task {
    /// Expand a form and push its expansion onto `results`.
    Expand(Form),
    /// Build a collection's (or a form with metadata's) expansion from the results on top.
    Assemble(Assembly),
}

/// A form whose expansion waits for the expansions of its quoted elements and of its
/// metadata (pushed in that order, so the metadata's is on top).
struct Assembly {
    shape: Shape,
    pos: Pos,
    parts: Vec<Part>,
    has_meta: bool,
}

enum Shape {
    /// A list: `(seq (concat ...))`.
    Seq,
    /// A vector, set or map: `(apply constructor (seq (concat ...)))`.
    Apply(&'static str),
    /// Already expanded; only the metadata is missing.
    Expanded(Form),
}

/// An element of a syntax-quoted collection, by how it goes into the `concat`.
enum Part {
    /// `~x`: `(list x)`.
    Unquoted(Form),
    /// `~@x`: `x`.
    Spliced(Form),
    /// Anything else: `(list <its expansion>)`; the expansion is taken from the results.
    Quoted,
}

/// An element as written: `~x`, `~@x`, or a plain form.
enum Element {
    Unquoted(Form),
    Spliced(Form),
    Quoted(Form),
}

impl<'c> SyntaxQuoter<'c> {
    fn new(ctx: &'c dyn ReadContext) -> Self {
        SyntaxQuoter {
            ctx,
            gensyms: HashMap::new(),
            tasks: Vec::new(),
            results: Vec::new(),
        }
    }

    fn quote(mut self, form: Form) -> Result<Form, ReadError> {
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
        // `Foo.` (constructor call) and `.method` are host interop names: they stay as written.
        if sym.name.ends_with('.') || sym.name.starts_with('.') {
            return sym;
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
fn concat_parts(parts: Vec<Part>, quoted: &mut impl Iterator<Item = Form>, pos: Pos) -> Form {
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

fn is_empty_map(form: &Form) -> bool {
    matches!(&form.kind, FormKind::Map(pairs) if pairs.is_empty())
}

/// How many levels of collections (and metadata maps) a form nests, counting the form itself.
fn nesting_depth(form: &Form) -> usize {
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
fn classify_element(form: Form) -> Element {
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

fn single_item_list(form: Form) -> Form {
    let pos = form.pos;
    list_form(vec![core_symbol("list", pos), form], pos)
}

fn quote_form(form: Form) -> Form {
    let pos = form.pos;
    list_form(vec![symbol_form(None, "quote", pos), form], pos)
}

// ---- Form construction ---------------------------------------------------------------------

fn list_form(items: Vec<Form>, pos: Pos) -> Form {
    Form::new(FormKind::List(items), pos)
}

fn symbol_form(ns: Option<&str>, name: &str, pos: Pos) -> Form {
    let sym = Symbol {
        ns: ns.map(str::to_string),
        name: name.to_string(),
    };
    Form::new(FormKind::Symbol(sym), pos)
}

fn core_symbol(name: &str, pos: Pos) -> Form {
    symbol_form(Some("clojure.core"), name, pos)
}

fn keyword_form(name: &str, pos: Pos) -> Form {
    Form::new(FormKind::Keyword(Symbol::simple(name)), pos)
}

// ---- Character classes ---------------------------------------------------------------------

/// Java's `Character.isWhitespace` (which leaves out no-break spaces), plus the comma.
fn is_whitespace(c: char) -> bool {
    c == ','
        || ('\u{1c}'..='\u{1f}').contains(&c)
        || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

/// Chars with a reader macro of their own.
fn is_macro(c: char) -> bool {
    matches!(
        c,
        '"' | ';'
            | '\''
            | '@'
            | '^'
            | '`'
            | '~'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '\\'
            | '%'
            | '#'
    )
}

/// Macro chars that end a token; `#`, `'` and `%` may occur inside one.
fn is_terminating_macro(c: char) -> bool {
    is_macro(c) && !matches!(c, '#' | '\'' | '%')
}

fn starts_number(c: char, next: Option<char>) -> bool {
    c.is_ascii_digit() || (matches!(c, '+' | '-') && next.is_some_and(|d| d.is_ascii_digit()))
}

fn is_high_surrogate(unit: u32) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low_surrogate(unit: u32) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

fn unpaired_surrogate(unit: u32, pos: Pos) -> ReadError {
    ReadError::new(
        format!("Invalid unicode escape: \\u{unit:04X} is an unpaired surrogate"),
        pos,
    )
}

// ---- Tokens: symbols, keywords, literals ---------------------------------------------------

/// A token that isn't a number, string or reader macro: `nil`, `true`, `false`, a symbol or a
/// keyword. `suppressed`: in a skipped reader-conditional branch an unknown `::alias/kw` is
/// allowed (it may be another platform's alias).
fn interpret_token(
    token: &str,
    pos: Pos,
    ctx: &dyn ReadContext,
    suppressed: bool,
) -> Result<Form, ReadError> {
    let kind = match token {
        "nil" => Some(FormKind::Nil),
        "true" => Some(FormKind::Bool(true)),
        "false" => Some(FormKind::Bool(false)),
        _ => symbol_or_keyword(token, ctx, suppressed),
    };
    kind.map(|kind| Form::new(kind, pos))
        .ok_or_else(|| ReadError::new(format!("Invalid token: {token}"), pos))
}

fn symbol_or_keyword(token: &str, ctx: &dyn ReadContext, suppressed: bool) -> Option<FormKind> {
    if !is_valid_symbol_token(token) {
        return None;
    }
    if let Some(auto) = token.strip_prefix("::") {
        return auto_resolved_keyword(auto, ctx, suppressed);
    }
    match token.strip_prefix(':') {
        Some(keyword) => Some(FormKind::Keyword(split_symbol(keyword))),
        None => Some(FormKind::Symbol(split_symbol(token))),
    }
}

/// `::k` is in the current ns; `::alias/k` in the ns the alias names.
fn auto_resolved_keyword(text: &str, ctx: &dyn ReadContext, suppressed: bool) -> Option<FormKind> {
    let sym = split_symbol(text);
    let ns = match &sym.ns {
        None => ctx.current_ns().to_string(),
        Some(alias) => match ctx.resolve_alias(alias) {
            Some(ns) => ns,
            None if suppressed => alias.clone(),
            None => return None,
        },
    };
    Some(FormKind::Keyword(Symbol::qualified(ns, sym.name)))
}

/// Clojure's `Symbol.intern`: the namespace is everything before the first `/` (`/` alone and
/// `ns//` name the division function).
fn split_symbol(text: &str) -> Symbol {
    if text == "/" {
        return Symbol::simple("/");
    }
    match text.split_once('/') {
        Some((ns, name)) => Symbol::qualified(ns, name),
        None => Symbol::simple(text),
    }
}

/// Clojure's `symbolPat` (`[:]?([\D&&[^/]].*/)?(/|[\D&&[^/]][^/]*)`) and the checks
/// `matchSymbol` makes after it: no `::` past the start, no name ending in `:`, no ns ending in `:`.
fn is_valid_symbol_token(token: &str) -> bool {
    let Some((ns_part, name)) = symbol_pattern_groups(token) else {
        return false;
    };
    if ns_part.is_some_and(|ns| ns.ends_with(":/")) || name.ends_with(':') {
        return false;
    }
    !token.get(1..).is_some_and(|rest| rest.contains("::"))
}

/// The regex's groups (ns part with its trailing `/`, and name) for the match a backtracking
/// regex engine finds first: with the leading `:` consumed if possible, and the longest ns part.
fn symbol_pattern_groups(token: &str) -> Option<(Option<&str>, &str)> {
    let without_colon = token.strip_prefix(':').map(match_ns_and_name);
    without_colon.flatten().or_else(|| match_ns_and_name(token))
}

fn match_ns_and_name(text: &str) -> Option<(Option<&str>, &str)> {
    let starts_like_name = text
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && c != '/');
    if starts_like_name {
        // `.*/` is greedy: try the last `/` first.
        for (slash, _) in text.rmatch_indices('/').filter(|&(i, _)| i > 0) {
            let name = text.get(slash + 1..).unwrap_or("");
            if is_symbol_name(name) {
                return Some((text.get(..=slash), name));
            }
        }
    }
    is_symbol_name(text).then_some((None, text))
}

/// The name group: `/`, or a non-digit first char and no `/`.
fn is_symbol_name(name: &str) -> bool {
    if name == "/" {
        return true;
    }
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && c != '/')
        && !chars.any(|c| c == '/')
}

/// A simple symbol (no namespace), as the ns of `#:ns{...}` must be.
fn is_plain_symbol_token(token: &str) -> bool {
    !matches!(token, "nil" | "true" | "false")
        && !token.starts_with(':')
        && is_valid_symbol_token(token)
        && !token.contains('/')
}

/// The text of a char literal after its `\`.
fn parse_char_token(token: &str) -> Result<char, String> {
    let mut chars = token.chars();
    let first = chars.next().ok_or("EOF while reading character")?;
    if chars.next().is_none() {
        return Ok(first);
    }
    let named = match token {
        "newline" => Some('\n'),
        "space" => Some(' '),
        "tab" => Some('\t'),
        "backspace" => Some('\u{8}'),
        "formfeed" => Some('\u{c}'),
        "return" => Some('\r'),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(c);
    }
    if let Some(hex) = token.strip_prefix('u') {
        return parse_unicode_char(token, hex);
    }
    if let Some(octal) = token.strip_prefix('o') {
        return parse_octal_char(octal);
    }
    Err(format!("Unsupported character: \\{token}"))
}

fn parse_unicode_char(token: &str, hex: &str) -> Result<char, String> {
    if hex.chars().count() != 4 {
        return Err(format!("Invalid unicode character: \\{token}"));
    }
    let code = parse_digits(hex, 16)?;
    if is_high_surrogate(code) || is_low_surrogate(code) {
        return Err(format!("Invalid character constant: \\u{hex}"));
    }
    char::from_u32(code).ok_or_else(|| format!("Invalid character constant: \\u{hex}"))
}

fn parse_octal_char(octal: &str) -> Result<char, String> {
    let len = octal.chars().count();
    if len > 3 {
        return Err(format!("Invalid octal escape sequence length: {len}"));
    }
    let code = parse_digits(octal, 8)?;
    if code > 0o377 {
        return Err("Octal escape sequence must be in range [0, 377].".into());
    }
    char::from_u32(code).ok_or_else(|| "Invalid octal escape sequence".into())
}

/// At most four digits, so the value always fits.
fn parse_digits(digits: &str, base: u32) -> Result<u32, String> {
    digits.chars().try_fold(0u32, |value, c| {
        let digit = c
            .to_digit(base)
            .ok_or_else(|| format!("Invalid digit: {c}"))?;
        Ok(value * base + digit)
    })
}

// ---- Numbers -------------------------------------------------------------------------------

/// Clojure's `matchNumber`: integers (decimal, `0x` hex, `0` octal, `NrDDD` radix, `N` suffix),
/// then floats (`M` suffix for BigDecimal), then ratios.
fn parse_number(token: &str) -> Result<FormKind, String> {
    if let Some(kind) = parse_integer(token)? {
        return Ok(kind);
    }
    if let Some(kind) = parse_float(token) {
        return Ok(kind);
    }
    if let Some(kind) = parse_ratio(token)? {
        return Ok(kind);
    }
    Err(invalid_number(token))
}

fn invalid_number(token: &str) -> String {
    format!("Invalid number: {token}")
}

fn split_sign(token: &str) -> (bool, &str) {
    match token.as_bytes().first() {
        Some(b'-') => (true, token.get(1..).unwrap_or("")),
        Some(b'+') => (false, token.get(1..).unwrap_or("")),
        _ => (false, token),
    }
}

/// Ok(None) when the token isn't integer-shaped (it may still be a float or ratio); an error
/// when it is but can't be one (`09`, `2r3`).
fn parse_integer(token: &str) -> Result<Option<FormKind>, String> {
    let (negative, unsigned) = split_sign(token);
    // A radix number's digits may end in `N` (`36rZZN`), so it is matched before the suffix.
    if let Some((radix, digits)) = split_radix(unsigned) {
        return integer_from_digits(token, negative, digits, radix, false).map(Some);
    }
    let (body, big) = match unsigned.strip_suffix('N') {
        Some(body) => (body, true),
        None => (unsigned, false),
    };
    let (digits, radix) = if body == "0" {
        ("0", 10)
    } else if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        (hex, 16)
    } else if let Some(octal) = body.strip_prefix('0') {
        if !all_ascii_digits(octal) {
            return Ok(None);
        }
        if !octal.chars().all(|c| c.is_digit(8)) {
            // `09` matches Clojure's int pattern only as an invalid number.
            return Err(invalid_number(token));
        }
        (octal, 8)
    } else if all_ascii_digits(body) {
        (body, 10)
    } else {
        return Ok(None);
    };
    integer_from_digits(token, negative, digits, radix, big).map(Some)
}

fn all_ascii_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// `2r101` -> (2, "101"): one or two digits not starting with 0, `r` or `R`, alphanumerics.
fn split_radix(unsigned: &str) -> Option<(u32, &str)> {
    let r = unsigned.find(['r', 'R'])?;
    let (radix, digits) = (unsigned.get(..r)?, unsigned.get(r + 1..)?);
    let radix_ok =
        (1..=2).contains(&radix.len()) && all_ascii_digits(radix) && !radix.starts_with('0');
    let digits_ok = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_alphanumeric());
    if !radix_ok || !digits_ok {
        return None;
    }
    radix.parse().ok().map(|radix| (radix, digits))
}

fn integer_from_digits(
    token: &str,
    negative: bool,
    digits: &str,
    radix: u32,
    big: bool,
) -> Result<FormKind, String> {
    if !(2..=36).contains(&radix) || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid_number(token));
    }
    let magnitude = digits_to_decimal(digits, radix);
    let decimal = if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    };
    if !big && let Ok(n) = decimal.parse::<i64>() {
        return Ok(FormKind::Int(n));
    }
    Ok(FormKind::BigInt(decimal))
}

/// Any-size digits in `radix` as decimal digits without leading zeros (`"0"` for zero).
fn digits_to_decimal(digits: &str, radix: u32) -> String {
    if radix == 10 {
        let trimmed = digits.trim_start_matches('0');
        return if trimmed.is_empty() { "0" } else { trimmed }.to_string();
    }
    // Little-endian limbs in base 10^9: multiply by the radix and add each digit.
    const LIMB: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![0];
    for digit in digits.chars().filter_map(|c| c.to_digit(radix)) {
        let mut carry = u64::from(digit);
        for limb in &mut limbs {
            let value = *limb * u64::from(radix) + carry;
            *limb = value % LIMB;
            carry = value / LIMB;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut out = String::new();
    for (index, limb) in limbs.iter().rev().enumerate() {
        if index == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    out
}

/// `[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?M?`.
fn parse_float(token: &str) -> Option<FormKind> {
    let (text, decimal) = match token.strip_suffix('M') {
        Some(text) => (text, true),
        None => (token, false),
    };
    if !is_float_text(text) {
        return None;
    }
    if decimal {
        let digits = text.strip_prefix('+').unwrap_or(text);
        return Some(FormKind::BigDecimal(digits.to_string()));
    }
    text.parse::<f64>().ok().map(FormKind::Float)
}

fn is_float_text(text: &str) -> bool {
    let (_, unsigned) = split_sign(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (&unsigned[..e], Some(&unsigned[e + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let fraction_ok = fraction.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    let exponent_ok = exponent.is_none_or(|e| all_ascii_digits(split_sign(e).1));
    all_ascii_digits(whole) && fraction_ok && exponent_ok
}

/// `[-+]?[0-9]+/[0-9]+`, kept as written (not reduced).
fn parse_ratio(token: &str) -> Result<Option<FormKind>, String> {
    let Some((numerator, denominator)) = token.split_once('/') else {
        return Ok(None);
    };
    if !all_ascii_digits(split_sign(numerator).1) || !all_ascii_digits(denominator) {
        return Ok(None);
    }
    let numerator = numerator.strip_prefix('+').unwrap_or(numerator);
    let (Ok(numerator), Ok(denominator)) = (numerator.parse::<i64>(), denominator.parse::<i64>())
    else {
        return Err(format!("{}: ratio out of range", invalid_number(token)));
    };
    if denominator == 0 {
        return Err("Divide by zero".into());
    }
    Ok(Some(FormKind::Ratio(numerator, denominator)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compiler stand-in: ns `user`, alias `str` -> `clojure.string`, a few `clojure.core` vars.
    struct TestCtx {
        ns: &'static str,
    }

    const CTX: TestCtx = TestCtx { ns: "user" };

    const SPECIAL_FORMS: &[&str] = &[
        "def", "if", "do", "let*", "quote", "var", "fn*", "loop*", "recur", "throw", "try",
        "catch", "finally", "new", "set!", ".", "&", "case*", "letfn*",
    ];
    const CORE_VARS: &[&str] = &["list", "+", "inc", "map", "str", "let", "defn", "first"];

    impl ReadContext for TestCtx {
        fn current_ns(&self) -> &str {
            self.ns
        }

        fn resolve_alias(&self, alias: &str) -> Option<String> {
            (alias == "str").then(|| "clojure.string".to_string())
        }

        fn qualify_for_syntax_quote(&self, sym: &Symbol) -> Symbol {
            if let Some(ns) = &sym.ns {
                let ns = self.resolve_alias(ns).unwrap_or_else(|| ns.clone());
                return Symbol::qualified(ns, sym.name.clone());
            }
            if SPECIAL_FORMS.contains(&sym.name.as_str()) {
                return sym.clone();
            }
            if CORE_VARS.contains(&sym.name.as_str()) {
                return Symbol::qualified("clojure.core", sym.name.clone());
            }
            Symbol::qualified(self.ns, sym.name.clone())
        }
    }

    fn read(src: &str) -> Result<Vec<Form>, ReadError> {
        read_all(src, &CTX)
    }

    fn read_one(src: &str) -> Form {
        let forms = read(src).unwrap_or_else(|e| panic!("reading {src:?}: {e:?}"));
        assert_eq!(forms.len(), 1, "{src:?} read as {} forms", forms.len());
        forms.into_iter().next().expect("one form")
    }

    /// The forms as Clojure would print them, space-separated.
    fn printed(src: &str) -> String {
        let forms = read(src).unwrap_or_else(|e| panic!("reading {src:?}: {e:?}"));
        forms
            .iter()
            .map(|form| form.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn error(src: &str) -> ReadError {
        match read(src) {
            Ok(forms) => panic!("{src:?} should not read, but read {forms:?}"),
            Err(e) => e,
        }
    }

    fn error_message(src: &str) -> String {
        error(src).message
    }

    fn pos(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    /// Gensym numbers vary from run to run: `p1__123#` -> `p1__N#`, `x__7__auto__` -> `x__N__auto__`.
    fn without_ids(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(index) = rest.find("__") {
            out.push_str(&rest[..index + 2]);
            rest = &rest[index + 2..];
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 {
                out.push('N');
                rest = &rest[digits..];
            }
        }
        out.push_str(rest);
        out
    }

    fn symbol_of(src: &str) -> Symbol {
        match read_one(src).kind {
            FormKind::Symbol(sym) => sym,
            other => panic!("{src:?} read as {other:?}, not a symbol"),
        }
    }

    fn keyword_of(src: &str) -> Symbol {
        match read_one(src).kind {
            FormKind::Keyword(sym) => sym,
            other => panic!("{src:?} read as {other:?}, not a keyword"),
        }
    }

    fn int_of(src: &str) -> i64 {
        match read_one(src).kind {
            FormKind::Int(n) => n,
            other => panic!("{src:?} read as {other:?}, not an int"),
        }
    }

    fn float_of(src: &str) -> f64 {
        match read_one(src).kind {
            FormKind::Float(x) => x,
            other => panic!("{src:?} read as {other:?}, not a float"),
        }
    }

    fn string_of(src: &str) -> String {
        match read_one(src).kind {
            FormKind::Str(s) => s,
            other => panic!("{src:?} read as {other:?}, not a string"),
        }
    }

    fn char_of(src: &str) -> char {
        match read_one(src).kind {
            FormKind::Char(c) => c,
            other => panic!("{src:?} read as {other:?}, not a char"),
        }
    }

    fn meta_of(src: &str) -> String {
        let form = read_one(src);
        form.meta.map(|meta| meta.to_string()).unwrap_or_default()
    }

    // ---- Whitespace, comments, discard ----

    #[test]
    fn whitespace_commas_and_comments_separate_forms() {
        assert_eq!(printed("  1,2 ,, 3 ; a comment\n 4 ;; end"), "1 2 3 4");
        assert_eq!(printed("[1,2,3]"), "[1 2 3]");
        assert_eq!(printed("a;comment\nb"), "a b");
        assert_eq!(printed("\t\r\n a \u{2003}b"), "a b");
        assert!(read("").expect("empty input").is_empty());
        assert!(read("  ; only a comment").expect("comment").is_empty());
    }

    #[test]
    fn discard_drops_the_next_form_and_nests() {
        assert_eq!(printed("#_ 1 2"), "2");
        assert_eq!(printed("#_#_ 1 2 3"), "3");
        assert_eq!(printed("[1 #_ 2 3]"), "[1 3]");
        assert_eq!(printed("[#_#_ a b]"), "[]");
        assert_eq!(printed("#_(a (b c)) d"), "d");
        assert_eq!(printed("{:a #_:b 1}"), "{:a 1}");
        assert_eq!(printed("#_ x"), "");
        assert_eq!(error_message("#_"), "EOF while reading");
        assert_eq!(error_message("[1 #_]"), "Unmatched delimiter: ]");
    }

    #[test]
    fn shebang_line_is_a_comment() {
        assert_eq!(printed("#!/usr/bin/env jank\n(foo)"), "(foo)");
        assert_eq!(printed("1 #! rest of line 2\n3"), "1 3");
    }

    // ---- Numbers ----

    #[test]
    fn integers_in_every_notation() {
        assert_eq!(int_of("42"), 42);
        assert_eq!(int_of("-7"), -7);
        assert_eq!(int_of("+3"), 3);
        assert_eq!(int_of("0"), 0);
        assert_eq!(int_of("-0"), 0);
        assert_eq!(int_of("0x10"), 16);
        assert_eq!(int_of("0XfF"), 255);
        assert_eq!(int_of("-0x10"), -16);
        assert_eq!(int_of("017"), 15);
        assert_eq!(int_of("-017"), -15);
        assert_eq!(int_of("2r101"), 5);
        assert_eq!(int_of("-2r101"), -5);
        assert_eq!(int_of("36rZZ"), 1295);
        assert_eq!(int_of("16Rff"), 255);
        assert_eq!(int_of("9223372036854775807"), i64::MAX);
        assert_eq!(int_of("-9223372036854775808"), i64::MIN);
        assert_eq!(int_of("0x7FFFFFFFFFFFFFFF"), i64::MAX);
    }

    #[test]
    fn big_integers_keep_their_decimal_digits() {
        let big = |src: &str| match read_one(src).kind {
            FormKind::BigInt(digits) => digits,
            other => panic!("{src:?} read as {other:?}"),
        };
        assert_eq!(big("42N"), "42");
        assert_eq!(big("-42N"), "-42");
        assert_eq!(big("0N"), "0");
        assert_eq!(big("-0N"), "0");
        assert_eq!(big("0x10N"), "16");
        assert_eq!(big("017N"), "15");
        assert_eq!(big("9223372036854775808"), "9223372036854775808");
        assert_eq!(big("-9223372036854775809"), "-9223372036854775809");
        assert_eq!(big("0xFFFFFFFFFFFFFFFFFF"), "4722366482869645213695");
        assert_eq!(
            big(&format!("2r{}", "1".repeat(70))),
            "1180591620717411303423"
        );
        assert_eq!(
            big("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
        assert_eq!(printed("7N"), "7N");
    }

    #[test]
    fn floats_decimals_and_ratios() {
        assert_eq!(float_of("1.5"), 1.5);
        assert_eq!(float_of("1e3"), 1000.0);
        assert_eq!(float_of("1E3"), 1000.0);
        assert_eq!(float_of("-1.5e-3"), -0.0015);
        assert_eq!(float_of("+2.5"), 2.5);
        assert_eq!(float_of("1."), 1.0);
        assert_eq!(float_of("09.5"), 9.5);
        assert_eq!(float_of("1e+2"), 100.0);
        assert!(matches!(read_one("1.5M").kind, FormKind::BigDecimal(d) if d == "1.5"));
        assert!(matches!(read_one("2M").kind, FormKind::BigDecimal(d) if d == "2"));
        assert!(matches!(read_one("-1.5e3M").kind, FormKind::BigDecimal(d) if d == "-1.5e3"));
        assert!(matches!(read_one("1/2").kind, FormKind::Ratio(1, 2)));
        assert!(matches!(read_one("-3/4").kind, FormKind::Ratio(-3, 4)));
        assert!(matches!(read_one("+4/2").kind, FormKind::Ratio(4, 2)));
        assert_eq!(printed("1.5 1e3 1/2 1.5M"), "1.5 1000.0 1/2 1.5M");
    }

    #[test]
    fn invalid_numbers_are_errors() {
        for bad in [
            "1x", "09", "08N", "2r3", "1.5N", "0x", "0xG", "1/2/3", "99r1", "1r1", "1e", "1.2.3",
            "1/-2", "1/2N", "+1a", "-1-",
        ] {
            assert_eq!(
                error_message(bad),
                format!("Invalid number: {bad}"),
                "{bad}"
            );
        }
        assert_eq!(error_message("1/0"), "Divide by zero");
        assert!(error_message("99999999999999999999/2").starts_with("Invalid number"));
        assert_eq!(error("[1 1x]").pos, pos(1, 4));
    }

    #[test]
    fn a_number_ends_at_any_macro_char() {
        assert_eq!(printed("1'a"), "1 (quote a)");
        assert_eq!(printed("[1]"), "[1]");
        assert_eq!(printed("(+ 1(inc 2))"), "(+ 1 (inc 2))");
        assert_eq!(printed("1#_2 3"), "1 3");
        assert_eq!(printed("- -a +b"), "- -a +b");
    }

    #[test]
    fn symbolic_values() {
        assert_eq!(float_of("##Inf"), f64::INFINITY);
        assert_eq!(float_of("##-Inf"), f64::NEG_INFINITY);
        assert!(float_of("##NaN").is_nan());
        assert_eq!(printed("[##Inf ##-Inf ##NaN]"), "[##Inf ##-Inf ##NaN]");
        assert_eq!(error_message("##foo"), "Unknown symbolic value: ##foo");
        assert_eq!(error_message("##"), "EOF while reading");
    }

    // ---- Strings and characters ----

    #[test]
    fn string_escapes() {
        assert_eq!(string_of(r#""plain""#), "plain");
        assert_eq!(
            string_of(r#""a\nb\tc\rd\be\ff\\g\"h""#),
            "a\nb\tc\rd\u{8}e\u{c}f\\g\"h"
        );
        assert_eq!(string_of(r#""\u00e9\u0041""#), "éA");
        assert_eq!(string_of(r#""\101\60\0""#), "A0\0");
        assert_eq!(string_of(r#""\uD83D\uDE00""#), "😀");
        assert_eq!(string_of("\"two\nlines\""), "two\nlines");
        assert_eq!(string_of("\"é😀\""), "é😀");
        assert_eq!(printed(r#""q\"uote\n""#), r#""q\"uote\n""#);
    }

    #[test]
    fn bad_strings_are_errors() {
        assert_eq!(
            error_message(r#""\q""#),
            "Unsupported escape character: \\q"
        );
        assert_eq!(
            error_message(r#""\u12""#),
            "Invalid character length: 2, should be: 4"
        );
        assert_eq!(error_message(r#""\uZZZZ""#), "Invalid unicode escape: \\uZ");
        assert_eq!(error_message(r#""\u12G4""#), "Invalid digit: G");
        assert_eq!(
            error_message(r#""\400""#),
            "Octal escape sequence must be in range [0, 377]."
        );
        assert_eq!(error_message(r#""\18""#), "Invalid digit: 8");
        assert!(error_message(r#""\uD800""#).contains("unpaired surrogate"));
        assert!(error_message(r#""\uDC00""#).contains("unpaired surrogate"));
        assert_eq!(error_message("\"abc"), "EOF while reading string");
        assert_eq!(error_message("\"abc\\"), "EOF while reading string");
        assert_eq!(error("x\n\n  \"abc").pos, pos(3, 3));
    }

    #[test]
    fn characters() {
        assert_eq!(char_of("\\a"), 'a');
        assert_eq!(char_of("\\newline"), '\n');
        assert_eq!(char_of("\\space"), ' ');
        assert_eq!(char_of("\\tab"), '\t');
        assert_eq!(char_of("\\backspace"), '\u{8}');
        assert_eq!(char_of("\\formfeed"), '\u{c}');
        assert_eq!(char_of("\\return"), '\r');
        assert_eq!(char_of("\\u0041"), 'A');
        assert_eq!(char_of("\\o101"), 'A');
        assert_eq!(char_of("\\o7"), '\u{7}');
        assert_eq!(char_of("\\u"), 'u');
        assert_eq!(char_of("\\o"), 'o');
        assert_eq!(char_of("\\("), '(');
        assert_eq!(char_of("\\)"), ')');
        assert_eq!(char_of("\\\\"), '\\');
        assert_eq!(char_of("\\\""), '"');
        assert_eq!(char_of("\\;"), ';');
        assert_eq!(char_of("\\é"), 'é');
        assert_eq!(printed("[\\a \\b]"), "[\\a \\b]");
        assert_eq!(printed("(\\a)"), "(\\a)");
        assert_eq!(printed("\\a\\b"), "\\a \\b");
        assert_eq!(
            printed("[\\space \\newline \\,]"),
            "[\\space \\newline \\,]"
        );
    }

    #[test]
    fn bad_characters_are_errors() {
        assert_eq!(error_message("\\abc"), "Unsupported character: \\abc");
        assert_eq!(error_message("\\u12"), "Invalid unicode character: \\u12");
        assert_eq!(
            error_message("\\uD800"),
            "Invalid character constant: \\uD800"
        );
        assert_eq!(error_message("\\uZZZZ"), "Invalid digit: Z");
        assert_eq!(
            error_message("\\o400"),
            "Octal escape sequence must be in range [0, 377]."
        );
        assert_eq!(
            error_message("\\o1234"),
            "Invalid octal escape sequence length: 4"
        );
        assert_eq!(error_message("\\"), "EOF while reading character");
    }

    // ---- Symbols, keywords, literals ----

    #[test]
    fn nil_true_false() {
        assert!(matches!(read_one("nil").kind, FormKind::Nil));
        assert!(matches!(read_one("true").kind, FormKind::Bool(true)));
        assert!(matches!(read_one("false").kind, FormKind::Bool(false)));
        assert_eq!(symbol_of("nilly"), Symbol::simple("nilly"));
    }

    #[test]
    fn symbols() {
        assert_eq!(symbol_of("foo"), Symbol::simple("foo"));
        assert_eq!(symbol_of("/"), Symbol::simple("/"));
        assert_eq!(
            symbol_of("clojure.core//"),
            Symbol::qualified("clojure.core", "/")
        );
        assert_eq!(symbol_of("a.b/c"), Symbol::qualified("a.b", "c"));
        assert_eq!(symbol_of("a/b/c"), Symbol::qualified("a", "b/c"));
        for name in [
            "..", "->", "->>", "*ns*", ".method", "Foo.", "foo#", "a'b", "+", "-", "-a", "a:b",
            "<=", "set!", "a%", "ü", "%",
        ] {
            assert_eq!(symbol_of(name), Symbol::simple(name), "{name}");
        }
    }

    #[test]
    fn invalid_symbols_are_errors() {
        for bad in ["a/", "foo/1", "a::b", "a:", "/a/", ":", "::", "a/:b/c:"] {
            assert_eq!(error_message(bad), format!("Invalid token: {bad}"), "{bad}");
        }
    }

    #[test]
    fn keywords() {
        assert_eq!(keyword_of(":k"), Symbol::simple("k"));
        assert_eq!(keyword_of(":a/b"), Symbol::qualified("a", "b"));
        assert_eq!(keyword_of(":a.b/c.d"), Symbol::qualified("a.b", "c.d"));
        assert_eq!(keyword_of(":1"), Symbol::simple("1"));
        assert_eq!(keyword_of("::k"), Symbol::qualified("user", "k"));
        assert_eq!(
            keyword_of("::str/k"),
            Symbol::qualified("clojure.string", "k")
        );
        assert_eq!(error_message("::nope/k"), "Invalid token: ::nope/k");
        for bad in [":::k", ":a:", ":a::b"] {
            assert_eq!(error_message(bad), format!("Invalid token: {bad}"));
        }
        assert_eq!(printed("[:k :a/b ::k]"), "[:k :a/b :user/k]");
    }

    #[test]
    fn auto_resolved_keywords_use_the_context_of_each_read() {
        let mut reader = Reader::new("::k ::k", 1, 1);
        let first = reader.next_form(&CTX).expect("first").expect("a form");
        let other = TestCtx { ns: "other" };
        let second = reader.next_form(&other).expect("second").expect("a form");
        assert_eq!(first.to_string(), ":user/k");
        assert_eq!(second.to_string(), ":other/k");
        assert!(reader.next_form(&CTX).expect("end").is_none());
    }

    // ---- Collections ----

    #[test]
    fn collections() {
        assert_eq!(printed("(1 2 3)"), "(1 2 3)");
        assert_eq!(printed("[1 [2 (3)]]"), "[1 [2 (3)]]");
        assert_eq!(printed("{:a 1 :b 2}"), "{:a 1, :b 2}");
        assert_eq!(printed("#{1 2}"), "#{1 2}");
        assert_eq!(printed("() [] {} #{}"), "() [] {} #{}");
        assert!(matches!(read_one("{:a 1}").kind, FormKind::Map(pairs) if pairs.len() == 1));
        assert!(matches!(read_one("#{:a}").kind, FormKind::Set(items) if items.len() == 1));
    }

    #[test]
    fn map_and_set_errors() {
        assert_eq!(
            error_message("{:a}"),
            "Map literal must contain an even number of forms"
        );
        assert_eq!(error_message("{:a 1 :a 2}"), "Duplicate key: :a");
        assert_eq!(error("{:a 1\n :a 2}").pos, pos(2, 2));
        assert_eq!(error_message("#{1 1}"), "Duplicate key: 1");
        assert_eq!(error_message("{\"a\" 1 \"a\" 2}"), "Duplicate key: a");
        assert_eq!(error_message("{'a 1 'a 2}"), "Duplicate key: (quote a)");
        assert_eq!(error_message("{[1] 1 (1) 2}"), "Duplicate key: (1)");
        assert_eq!(error_message("{1 1 1N 2}"), "Duplicate key: 1N");
        assert_eq!(error_message("#{#{1 2} #{2 1}}"), "Duplicate key: #{2 1}");
        assert_eq!(error_message("#{1/2 2/4}"), "Duplicate key: 2/4");
        // Not equal in Clojure, so not duplicates.
        assert_eq!(printed("{1 1 1.0 2}"), "{1 1, 1.0 2}");
        assert_eq!(printed("#{##NaN ##NaN}"), "#{##NaN ##NaN}");
        assert_eq!(printed("#{a :a \"a\" \\a}"), "#{a :a \"a\" \\a}");
        assert_eq!(printed("#{#\"a\" #\"a\"}"), "#{#\"a\" #\"a\"}");
    }

    #[test]
    fn unbalanced_delimiters() {
        assert_eq!(
            error("(1 2"),
            ReadError::new("EOF while reading", pos(1, 1))
        );
        assert_eq!(
            error("[1 (2"),
            ReadError::new("EOF while reading", pos(1, 4))
        );
        assert_eq!(error("{"), ReadError::new("EOF while reading", pos(1, 1)));
        assert_eq!(error("#{"), ReadError::new("EOF while reading", pos(1, 1)));
        assert_eq!(
            error(")"),
            ReadError::new("Unmatched delimiter: )", pos(1, 1))
        );
        assert_eq!(
            error("(]"),
            ReadError::new("Unmatched delimiter: ]", pos(1, 2))
        );
        assert_eq!(error_message("{1 2)"), "Unmatched delimiter: )");
        assert_eq!(error_message("(a))"), "Unmatched delimiter: )");
        assert_eq!(error_message("'"), "EOF while reading");
        assert_eq!(error_message("'  )"), "Unmatched delimiter: )");
    }

    #[test]
    fn reading_continues_after_each_form() {
        let mut reader = Reader::new("(a) [b] c", 1, 1);
        let mut seen = Vec::new();
        while let Some(form) = reader.next_form(&CTX).expect("reads") {
            seen.push(form.to_string());
        }
        assert_eq!(seen, ["(a)", "[b]", "c"]);
    }

    // ---- Reader macros ----

    #[test]
    fn quote_deref_and_var() {
        assert_eq!(printed("'x"), "(quote x)");
        assert_eq!(printed("'(1 2)"), "(quote (1 2))");
        assert_eq!(printed("''x"), "(quote (quote x))");
        assert_eq!(printed("@a"), "(clojure.core/deref a)");
        assert_eq!(
            printed("@@a"),
            "(clojure.core/deref (clojure.core/deref a))"
        );
        assert_eq!(printed("#'foo"), "(var foo)");
        assert_eq!(printed("#'a/b"), "(var a/b)");
        assert_eq!(
            printed("~x ~@y ~ @z"),
            "(clojure.core/unquote x) (clojure.core/unquote-splicing y) (clojure.core/unquote (clojure.core/deref z))"
        );
        assert_eq!(printed("' x"), "(quote x)");
        assert_eq!(error_message("@"), "EOF while reading");
    }

    #[test]
    fn metadata_in_all_its_forms() {
        assert_eq!(meta_of("^:dynamic x"), "{:dynamic true}");
        assert_eq!(meta_of("^String x"), "{:tag String}");
        assert_eq!(meta_of("^\"String\" x"), "{:tag \"String\"}");
        assert_eq!(meta_of("^{:a 1 :b [2]} [1]"), "{:a 1, :b [2]}");
        assert_eq!(meta_of("^[long String] f"), "{:param-tags [long String]}");
        assert_eq!(meta_of("#^:a x"), "{:a true}");
        assert_eq!(meta_of("^:a ^:b x"), "{:b true, :a true}");
        assert_eq!(meta_of("^{:a 1} ^{:a 2 :b 3} x"), "{:a 1, :b 3}");
        assert_eq!(meta_of("^:a (f)"), "{:a true}");
        assert_eq!(meta_of("^:a {}"), "{:a true}");
        assert_eq!(meta_of("^:a #{}"), "{:a true}");
        assert_eq!(meta_of("^:a #_ skipped x"), "{:a true}");
        // Printing leaves meta out, as Clojure does.
        assert_eq!(printed("^:a x"), "x");
        let def = read_one("(def ^:private x 1)");
        let FormKind::List(items) = def.kind else {
            panic!("not a list")
        };
        assert_eq!(items[1].to_string(), "x");
        assert_eq!(
            items[1].meta.as_ref().map(|m| m.to_string()),
            Some("{:private true}".into())
        );
        // The form keeps its own position, not the `^`'s.
        assert_eq!(read_one("^:a x").pos, pos(1, 5));
    }

    #[test]
    fn bad_metadata_is_an_error() {
        assert_eq!(
            error_message("^:a 1"),
            "Metadata can only be applied to IMetas"
        );
        assert_eq!(
            error_message("^:a \"s\""),
            "Metadata can only be applied to IMetas"
        );
        assert_eq!(
            error_message("^1 x"),
            "Metadata must be Symbol,Keyword,String,Map or Vector"
        );
        assert_eq!(error_message("^:a"), "EOF while reading");
    }

    #[test]
    fn anonymous_fn_literals() {
        assert_eq!(
            without_ids(&printed("#(+ % %2)")),
            "(fn* [p1__N# p2__N#] (+ p1__N# p2__N#))"
        );
        assert_eq!(
            without_ids(&printed("#(foo %&)")),
            "(fn* [& rest__N#] (foo rest__N#))"
        );
        assert_eq!(
            without_ids(&printed("#(foo %2 %&)")),
            "(fn* [p1__N# p2__N# & rest__N#] (foo p2__N# rest__N#))"
        );
        assert_eq!(printed("#()"), "(fn* [] ())");
        assert_eq!(without_ids(&printed("#(%)")), "(fn* [p1__N#] (p1__N#))");
        // `%` and `%1` are the same param.
        let form = read_one("#(vector % %1)").to_string();
        let params: Vec<&str> = form
            .split(['[', ']', ' ', '(', ')'])
            .filter(|s| s.starts_with("p1"))
            .collect();
        assert_eq!(params.len(), 3);
        assert!(params.iter().all(|p| *p == params[0]), "{form}");
        assert_eq!(
            without_ids(&printed("[#(%) #(%)]")),
            "[(fn* [p1__N#] (p1__N#)) (fn* [p1__N#] (p1__N#))]"
        );
        assert_eq!(printed("%"), "%");
        assert_eq!(printed("[%1 %&]"), "[%1 %&]");
    }

    #[test]
    fn bad_fn_literals_are_errors() {
        assert_eq!(error_message("#(#(%))"), "Nested #()s are not allowed");
        assert_eq!(
            error_message("#(%x)"),
            "arg literal must be %, %& or %integer"
        );
        assert_eq!(
            error_message("#(%0)"),
            "arg literal must be %, %& or %integer"
        );
        assert_eq!(error_message("#(%21)"), "Can't specify more than 20 params");
        assert_eq!(error_message("#(a"), "EOF while reading");
    }

    #[test]
    fn regex_literals_keep_backslashes() {
        assert!(matches!(read_one(r#"#"a\d+\"b""#).kind, FormKind::Regex(p) if p == r#"a\d+\"b"#));
        assert_eq!(printed(r#"#"[a-z]+\\""#), r#"#"[a-z]+\\""#);
        assert_eq!(error_message(r#"#"abc"#), "EOF while reading regex");
    }

    // ---- Syntax-quote ----

    #[test]
    fn syntax_quote_qualifies_symbols() {
        assert_eq!(printed("`x"), "(quote user/x)");
        assert_eq!(printed("`inc"), "(quote clojure.core/inc)");
        assert_eq!(printed("`if"), "(quote if)");
        assert_eq!(printed("`str/join"), "(quote clojure.string/join)");
        assert_eq!(printed("`a.b/c"), "(quote a.b/c)");
        assert_eq!(printed("`Foo."), "(quote Foo.)");
        assert_eq!(printed("`.method"), "(quote .method)");
        assert_eq!(printed("`#\"r\""), "(quote #\"r\")");
    }

    #[test]
    fn syntax_quote_leaves_self_evaluating_forms() {
        assert_eq!(
            printed("`:k `1 `\"s\" `nil `true `\\a `1/2 `##Inf `::k"),
            ":k 1 \"s\" nil true \\a 1/2 ##Inf :user/k"
        );
    }

    #[test]
    fn syntax_quote_expands_collections() {
        assert_eq!(
            printed("`(a ~b ~@c)"),
            "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote user/a)) \
             (clojure.core/list b) c))"
        );
        assert_eq!(
            printed("`[a ~b]"),
            "(clojure.core/apply clojure.core/vector (clojure.core/seq (clojure.core/concat \
             (clojure.core/list (quote user/a)) (clojure.core/list b))))"
        );
        assert_eq!(
            printed("`{:a ~b}"),
            "(clojure.core/apply clojure.core/hash-map (clojure.core/seq (clojure.core/concat \
             (clojure.core/list :a) (clojure.core/list b))))"
        );
        assert_eq!(
            printed("`#{a}"),
            "(clojure.core/apply clojure.core/hash-set (clojure.core/seq (clojure.core/concat \
             (clojure.core/list (quote user/a)))))"
        );
        assert_eq!(printed("`()"), "(clojure.core/list)");
        assert_eq!(
            printed("`[]"),
            "(clojure.core/apply clojure.core/vector (clojure.core/seq (clojure.core/concat)))"
        );
        assert_eq!(printed("`~x"), "x");
        assert_eq!(printed("`(clojure.core/unquote x)"), "x");
        assert_eq!(
            printed("``a"),
            "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote quote)) \
             (clojure.core/list (quote user/a))))"
        );
        assert_eq!(
            printed("`(f '~x)"),
            "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote user/f)) \
             (clojure.core/list (clojure.core/seq (clojure.core/concat (clojure.core/list (quote quote)) \
             (clojure.core/list x))))))"
        );
    }

    #[test]
    fn syntax_quote_gensyms() {
        let form = without_ids(&printed("`(let [x# 1] x#)"));
        assert_eq!(
            form,
            "(clojure.core/seq (clojure.core/concat (clojure.core/list (quote clojure.core/let)) \
             (clojure.core/list (clojure.core/apply clojure.core/vector (clojure.core/seq \
             (clojure.core/concat (clojure.core/list (quote x__N__auto__)) (clojure.core/list 1))))) \
             (clojure.core/list (quote x__N__auto__))))"
        );
        // The same within one syntax-quote, different in another.
        let names = |src: &str| -> Vec<String> {
            printed(src)
                .split([' ', '(', ')'])
                .filter(|s| s.ends_with("__auto__"))
                .map(str::to_string)
                .collect()
        };
        let within = names("`(x# x#)");
        assert_eq!(within.len(), 2);
        assert_eq!(within[0], within[1]);
        let across = names("[`x# `x#]");
        assert_eq!(across.len(), 2);
        assert_ne!(across[0], across[1]);
        // `#()` params end in `#`, so inside syntax-quote they become gensyms too (as in Clojure).
        assert!(printed("`#(inc %)").contains("__auto__"));
    }

    #[test]
    fn syntax_quote_keeps_metadata_with_with_meta() {
        assert_eq!(
            printed("`^:foo x"),
            "(clojure.core/with-meta (quote user/x) (clojure.core/apply clojure.core/hash-map \
             (clojure.core/seq (clojure.core/concat (clojure.core/list :foo) (clojure.core/list true)))))"
        );
    }

    #[test]
    fn syntax_quote_errors() {
        assert_eq!(error_message("`~@x"), "splice not in list");
        assert_eq!(error_message("`"), "EOF while reading");
    }

    // ---- Reader conditionals ----

    #[test]
    fn reader_conditionals_pick_jank_then_default() {
        assert_eq!(printed("#?(:clj 1 :jank 2 :default 3)"), "2");
        assert_eq!(printed("#?(:clj 1 :default 3)"), "3");
        assert_eq!(printed("#?(:default 3 :jank 2)"), "3");
        assert_eq!(printed("#?(:clj 1)"), "");
        assert_eq!(printed("#?(:clj 1) x"), "x");
        assert_eq!(printed("[1 #?(:clj 2) 3]"), "[1 3]");
        assert_eq!(printed("(#?(:jank a :clj b))"), "(a)");
        assert_eq!(printed("#?(:jank #?(:clj 1 :default 2))"), "2");
        assert_eq!(printed("#? (:jank 1)"), "1");
        assert_eq!(printed("#?()"), "");
    }

    #[test]
    fn splicing_reader_conditionals() {
        assert_eq!(printed("[1 #?@(:jank [2 3]) 4]"), "[1 2 3 4]");
        assert_eq!(printed("[1 #?@(:clj [2 3]) 4]"), "[1 4]");
        assert_eq!(printed("(f #?@(:jank (a b)))"), "(f a b)");
        assert_eq!(printed("{#?@(:jank [:a 1])}"), "{:a 1}");
        assert_eq!(printed("'#?@(:jank [a b])"), "(quote a) b");
        assert_eq!(
            error_message("#?@(:jank [1 2])"),
            "Reader conditional splicing not allowed at the top level."
        );
        assert_eq!(
            error_message("[#?@(:jank 1)]"),
            "Spliced form in read-cond-splicing must be a list or vector"
        );
    }

    #[test]
    fn skipped_branches_may_use_other_platforms_syntax() {
        assert_eq!(printed("#?(:clj #inst \"2020\" :jank 1)"), "1");
        assert_eq!(printed("#?(:cljs #js {:a [#js [1]]} :default 2)"), "2");
        assert_eq!(printed("#?(:clj ::nope/x :jank 1)"), "1");
        assert_eq!(printed("#?(:cljs #::nope{:a 1} :jank 1)"), "1");
        assert_eq!(printed("#?(:jank 1 :clj #inst \"2020\")"), "1");
    }

    #[test]
    fn bad_reader_conditionals() {
        assert_eq!(
            error_message("#?(:jank)"),
            "read-cond requires an even number of forms"
        );
        assert_eq!(error_message("#?(1 2)"), "Feature should be a keyword: 1");
        assert_eq!(
            error_message("#?[:jank 1]"),
            "read-cond body must be a list"
        );
        assert_eq!(
            error_message("#?(:else 1)"),
            "Feature name :else is reserved."
        );
        assert_eq!(error_message("#?(:jank 1"), "EOF while reading");
        assert_eq!(error_message("#?"), "EOF while reading character");
    }

    // ---- Other dispatch ----

    #[test]
    fn tagged_literals_have_no_readers_yet() {
        assert_eq!(
            error_message("#inst \"2020-01-01\""),
            "No reader function for tag inst"
        );
        assert_eq!(
            error_message("#uuid \"00000000-0000-0000-0000-000000000000\""),
            "No reader function for tag uuid"
        );
        assert_eq!(
            error_message("#foo/bar [1]"),
            "No reader function for tag foo/bar"
        );
        assert_eq!(error_message("#1 x"), "Reader tag must be a symbol");
        assert_eq!(
            error_message("#=(+ 1 2)"),
            "#= (read-eval) is not supported"
        );
        assert_eq!(error_message("#<foo>"), "Unreadable form");
        assert_eq!(error_message("#)"), "No dispatch macro for: )");
        assert_eq!(error_message("#"), "EOF while reading character");
    }

    #[test]
    fn namespaced_maps() {
        assert_eq!(
            printed("#:foo{:a 1 :_/b 2 :c/d 3 x 4 \"s\" 5}"),
            "{:foo/a 1, :b 2, :c/d 3, foo/x 4, \"s\" 5}"
        );
        assert_eq!(printed("#::{:a 1}"), "{:user/a 1}");
        assert_eq!(printed("#:: {:a 1}"), "{:user/a 1}");
        assert_eq!(printed("#::str{:a 1}"), "{:clojure.string/a 1}");
        assert_eq!(printed("#:foo {:a 1}"), "{:foo/a 1}");
        assert_eq!(printed("#:foo{}"), "{}");
        assert_eq!(
            error_message("#::nope{:a 1}"),
            "Unknown auto-resolved namespace alias: nope"
        );
        assert_eq!(
            error_message("#:foo [1]"),
            "Namespaced map must specify a map"
        );
        assert_eq!(
            error_message("#:foo{:a}"),
            "Namespaced map literal must contain an even number of forms"
        );
        assert_eq!(
            error_message("#:foo{:a 1 :foo/a 2}"),
            "Duplicate key: :foo/a"
        );
        assert_eq!(
            error_message("#:a/b{}"),
            "Namespaced map must specify a valid namespace: a/b"
        );
        assert_eq!(
            error_message("#:{}"),
            "Namespaced map must specify a valid namespace: "
        );
    }

    // ---- Positions ----

    #[test]
    fn every_form_knows_where_it_starts() {
        let list = read_one("(a\n  b [c])");
        assert_eq!(list.pos, pos(1, 1));
        let FormKind::List(items) = &list.kind else {
            panic!("not a list")
        };
        assert_eq!(items[0].pos, pos(1, 2));
        assert_eq!(items[1].pos, pos(2, 3));
        assert_eq!(items[2].pos, pos(2, 5));
        let FormKind::Vector(inner) = &items[2].kind else {
            panic!("not a vector")
        };
        assert_eq!(inner[0].pos, pos(2, 6));
    }

    #[test]
    fn positions_count_from_the_given_start_in_chars() {
        let mut reader = Reader::new("x \"é😀\" y\nz", 10, 5);
        let forms: Vec<Pos> = std::iter::from_fn(|| reader.next_form(&CTX).expect("reads"))
            .map(|form| form.pos)
            .collect();
        assert_eq!(forms, [pos(10, 5), pos(10, 7), pos(10, 12), pos(11, 1)]);
    }

    #[test]
    fn reader_macros_start_at_their_macro_char() {
        let quoted = read_one(" 'x");
        assert_eq!(quoted.pos, pos(1, 2));
        let FormKind::List(items) = &quoted.kind else {
            panic!("not a list")
        };
        assert_eq!(items[1].pos, pos(1, 3));
        assert_eq!(read_one("  #(inc %)").pos, pos(1, 3));
        assert_eq!(read_one("#{1}").pos, pos(1, 1));
        assert_eq!(read_one("x #_y").pos, pos(1, 1));
    }

    // ---- Printing ----

    #[test]
    fn printing_reads_back_the_same() {
        let sources = [
            "(defn f [x & more] {:a 1, :b #{2 3}} [\\a \\space \"s\\n\\\"\"])",
            "[1 -2 3N 1.5 1.0E10 1.0E-5 1/2 2.5M ##Inf ##NaN nil true false]",
            "[:k :a/b sym a.b/c clojure.core// #\"re\\d\" \\u0000 \\newline]",
            "`(let [x# ~y] ~@z)",
            "#(+ % %2 %&)",
        ];
        for src in sources {
            let once = printed(src);
            assert_eq!(printed(&once), once, "{src}");
        }
    }

    #[test]
    fn doubles_print_like_java() {
        use crate::compiler::form::format_double;
        assert_eq!(format_double(1000.0), "1000.0");
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(0.001), "0.001");
        assert_eq!(format_double(1e-4), "1.0E-4");
        assert_eq!(format_double(1e7), "1.0E7");
        assert_eq!(format_double(1.5e300), "1.5E300");
        assert_eq!(format_double(-2.5e-10), "-2.5E-10");
        assert_eq!(format_double(0.0), "0.0");
        assert_eq!(format_double(-0.0), "-0.0");
        assert_eq!(format_double(f64::NEG_INFINITY), "##-Inf");
    }

    // ---- Robustness ----

    /// A small deterministic generator, so failures reproduce.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn garbage_input_never_panics() {
        let alphabet: Vec<char> =
            "()[]{}#^'`~@\\\"; :/a1.%&_-+?!=<>xNMrR0e,\n\tu\u{e9}\u{1F600}0x9"
                .chars()
                .collect();
        let mut rng = Lcg(0x5eed);
        for _ in 0..30_000 {
            let len = (rng.next() % 40) as usize;
            let src: String = (0..len)
                .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
                .collect();
            let mut reader = Reader::new(&src, 1, 1);
            // Keep reading after errors too: the reader must stay usable.
            for _ in 0..50 {
                match reader.next_form(&CTX) {
                    Ok(None) => break,
                    Ok(Some(form)) => {
                        let _ = form.to_string();
                    }
                    Err(e) => {
                        assert!(!e.message.is_empty(), "{src:?}");
                        if reader.offset >= src.len() {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Reads `depth`-deep brackets around `1`; the result is dropped on this thread.
    fn read_nested(open: &str, close: &str, depth: usize) -> Result<Vec<Form>, ReadError> {
        read(&format!("{}1{}", open.repeat(depth), close.repeat(depth)))
    }

    #[test]
    fn ten_thousand_deep_vectors_fail_cleanly() {
        match read_nested("[", "]", 10_000) {
            Ok(forms) => assert!(forms[0].to_string().starts_with("[[[[")),
            Err(e) => assert!(e.message.starts_with("Nesting too deep"), "{e:?}"),
        }
    }

    #[test]
    fn nesting_up_to_the_cap_reads_prints_and_drops() {
        for (open, close) in [("[", "]"), ("(", ")"), ("{:k ", "}"), ("#{", "}")] {
            let forms = read_nested(open, close, MAX_DEPTH).expect("at the cap");
            assert_eq!(forms.len(), 1);
            assert!(forms[0].to_string().len() >= 2 * MAX_DEPTH);
        }
        let quotes = read(&format!("{}x", "'".repeat(MAX_DEPTH))).expect("quotes");
        assert!(quotes[0].to_string().starts_with("(quote (quote"));
    }

    #[test]
    fn nesting_past_the_cap_is_an_error() {
        let e = read_nested("(", ")", MAX_DEPTH + 1).expect_err("past the cap");
        assert!(e.message.starts_with("Nesting too deep"), "{e:?}");
        assert_eq!(e.pos, pos(1, MAX_DEPTH as u32 + 1));
        // Unclosed input stops at the cap too, rather than running to EOF.
        for prefix in ["[", "'", "#_", "^:a ", "@", "#?(:jank ", "`", "#{", "~@"] {
            let e = error(&prefix.repeat(1_000_000));
            assert!(e.message.starts_with("Nesting too deep"), "{prefix}: {e:?}");
        }
    }

    #[test]
    fn deep_syntax_quote_is_bounded() {
        let ok = format!(
            "`{}x{}",
            "[".repeat(MAX_SYNTAX_QUOTE_DEPTH - 1),
            "]".repeat(MAX_SYNTAX_QUOTE_DEPTH - 1)
        );
        let expansion = read(&ok).expect("within the syntax-quote cap");
        assert!(nesting_depth(&expansion[0]) <= MAX_DEPTH);
        let with_meta = format!(
            "`{}x{}",
            "^:m [".repeat(MAX_SYNTAX_QUOTE_DEPTH / 2 - 1),
            "]".repeat(MAX_SYNTAX_QUOTE_DEPTH / 2 - 1)
        );
        let expansion = read(&with_meta).expect("within the syntax-quote cap");
        assert!(nesting_depth(&expansion[0]) <= MAX_DEPTH);
        let too_deep = format!(
            "`{}{}",
            "[".repeat(MAX_SYNTAX_QUOTE_DEPTH + 1),
            "]".repeat(MAX_SYNTAX_QUOTE_DEPTH + 1)
        );
        assert!(error(&too_deep).message.starts_with("Nesting too deep"));
        let deep_key = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        // Deep keys are compared only to a bounded depth: no duplicate reported, no crash.
        assert!(read(&format!("{{{deep_key} 1 {deep_key} 2}}")).is_ok());
        assert!(
            error(&format!("#{{{} {}}}", "[[1]]", "[[1]]"))
                .message
                .starts_with("Duplicate key")
        );
    }
}
