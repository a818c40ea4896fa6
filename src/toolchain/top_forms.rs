//! Finds the top-level forms of an eval's text without reading them: where
//! each starts and ends, and the first two symbols of a list (`def` and the
//! name it defines, `ns` and the namespace). The jank toolchain needs no more:
//! jank itself reads the code, and the text must reach it byte for byte (jank
//! syntax the built-in reader does not know must survive).

/// One top-level form.
#[derive(Clone, Debug, PartialEq)]
pub struct TopForm {
    /// Byte range in the eval's text.
    pub start: usize,
    pub end: usize,
    /// The first symbol of a list form (`defn`), if it starts with one.
    pub head: Option<String>,
    /// The symbols after the head, metadata skipped, quotes removed
    /// (`(defn ^:private f ...)` gives `f`; `(in-ns 'x)` gives `x`).
    pub args: Vec<String>,
}

/// Text that does not split into whole forms.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitError {
    pub message: String,
    /// 1-based line and column in the eval's text.
    pub line: u32,
    pub column: u32,
}

/// The top-level forms of `text`, in order.
pub fn split(text: &str) -> Result<Vec<TopForm>, SplitError> {
    let mut scanner = Scanner { text, pos: 0 };
    let mut forms = Vec::new();
    while scanner.skip_blank() {
        let start = scanner.pos;
        if scanner.discard_prefix() {
            scanner.skip_form()?;
            continue;
        }
        scanner.skip_form()?;
        let end = scanner.pos;
        let (head, args) = head_and_args(&text[start..end]);
        forms.push(TopForm {
            start,
            end,
            head,
            args,
        });
    }
    Ok(forms)
}

/// Vars that `form` defines by name (`def`, `defn`, `defmacro`, `declare`,
/// ...), as the namespace-local names.
pub fn defined_names(form: &TopForm) -> Vec<String> {
    match form.head.as_deref() {
        Some("def" | "defn" | "defn-" | "defonce" | "defmulti" | "defmacro") => {
            form.args.iter().take(1).cloned().collect()
        }
        Some("declare") => form.args.clone(),
        _ => Vec::new(),
    }
}

/// The namespace `form` switches to (`ns`, `in-ns`), if it does.
pub fn switched_ns(form: &TopForm) -> Option<&str> {
    match form.head.as_deref() {
        Some("ns" | "in-ns") => form.args.first().map(String::as_str),
        _ => None,
    }
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skips whitespace, commas and comments; false at the end of the text.
    fn skip_blank(&mut self) -> bool {
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ',' {
                self.bump();
            } else if c == ';' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else {
                return true;
            }
        }
        false
    }

    /// Consumes `#_` (the next form is discarded) if it is next.
    fn discard_prefix(&mut self) -> bool {
        if self.text[self.pos..].starts_with("#_") {
            self.pos += 2;
            return true;
        }
        false
    }

    fn error(&self, message: &str, at: usize) -> SplitError {
        let before = &self.text[..at];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        SplitError {
            message: message.to_string(),
            line,
            column,
        }
    }

    /// Skips one form (with its prefixes: quote, metadata, `#'`, ...).
    fn skip_form(&mut self) -> Result<(), SplitError> {
        let start = self.pos;
        if !self.skip_blank() {
            return Err(self.error("EOF while reading", start));
        }
        let at = self.pos;
        match self.bump() {
            Some('(' | '[' | '{') => self.skip_until_close(at),
            Some(')' | ']' | '}') => Err(self.error("Unmatched delimiter", at)),
            Some('"') => self.skip_string(at),
            Some('\\') => {
                // A character literal: one char, then any name chars (`\space`, `\u00e9`).
                self.bump();
                self.skip_token_chars();
                Ok(())
            }
            Some('\'' | '`' | '@') => self.skip_form(),
            Some('~') => {
                if self.peek() == Some('@') {
                    self.bump();
                }
                self.skip_form()
            }
            Some('^') => {
                self.skip_form()?;
                self.skip_form()
            }
            Some('#') => self.skip_dispatch(at),
            Some(_) => {
                self.skip_token_chars();
                Ok(())
            }
            None => Err(self.error("EOF while reading", at)),
        }
    }

    fn skip_dispatch(&mut self, at: usize) -> Result<(), SplitError> {
        match self.peek() {
            Some('(' | '{') => self.skip_form(),
            Some('"') => {
                self.bump();
                self.skip_string(at)
            }
            Some('\'' | '=') => {
                self.bump();
                self.skip_form()
            }
            Some('_') => {
                self.bump();
                self.skip_form()?;
                self.skip_form()
            }
            Some('?') => {
                self.bump();
                if self.peek() == Some('@') {
                    self.bump();
                }
                self.skip_form()
            }
            Some('#') => {
                // ##Inf, ##NaN
                self.bump();
                self.skip_token_chars();
                Ok(())
            }
            // Tagged literals (#inst "...", #uuid "..."): the tag, then its form.
            Some(_) => {
                self.skip_token_chars();
                self.skip_form()
            }
            None => Err(self.error("EOF while reading", at)),
        }
    }

    fn skip_until_close(&mut self, open_at: usize) -> Result<(), SplitError> {
        let close = match &self.text[open_at..open_at + 1] {
            "(" => ')',
            "[" => ']',
            _ => '}',
        };
        loop {
            if !self.skip_blank() {
                return Err(self.error("EOF while reading", open_at));
            }
            if self.discard_prefix() {
                self.skip_form()?;
                continue;
            }
            match self.peek() {
                Some(c) if c == close => {
                    self.bump();
                    return Ok(());
                }
                Some(')' | ']' | '}') => return Err(self.error("Unmatched delimiter", self.pos)),
                _ => self.skip_form()?,
            }
        }
    }

    fn skip_string(&mut self, open_at: usize) -> Result<(), SplitError> {
        loop {
            match self.bump() {
                Some('"') => return Ok(()),
                Some('\\') => {
                    self.bump();
                }
                Some(_) => {}
                None => return Err(self.error("EOF while reading string", open_at)),
            }
        }
    }

    fn skip_token_chars(&mut self) {
        while self.peek().is_some_and(|c| {
            !c.is_whitespace() && !matches!(c, ',' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | ';')
        }) {
            self.bump();
        }
    }
}

/// The head symbol and the plain symbols after it, for a list form.
fn head_and_args(form: &str) -> (Option<String>, Vec<String>) {
    let Some(inner) = form.strip_prefix('(') else {
        return (None, Vec::new());
    };
    let mut scanner = Scanner {
        text: inner,
        pos: 0,
    };
    let mut symbols = Vec::new();
    while scanner.skip_blank() && symbols.len() < 8 {
        if scanner.peek() == Some('^') {
            // Metadata: skip it alone, the form it applies to is read next.
            scanner.bump();
            if scanner.skip_form().is_err() {
                break;
            }
            continue;
        }
        let start = scanner.pos;
        if scanner.skip_form().is_err() {
            break;
        }
        let token = inner[start..scanner.pos].trim_start_matches('\'');
        if token.is_empty()
            || token.starts_with(['(', '[', '{', '"', '#', ':', '\\'])
            || token.starts_with(|c: char| c.is_ascii_digit())
        {
            if symbols.is_empty() {
                return (None, Vec::new());
            }
            break;
        }
        symbols.push(token.to_string());
    }
    let mut symbols = symbols.into_iter();
    (symbols.next(), symbols.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(text: &str) -> Vec<(Option<String>, Vec<String>)> {
        split(text)
            .unwrap()
            .into_iter()
            .map(|f| (f.head, f.args))
            .collect()
    }

    #[test]
    fn splits_forms_and_finds_what_they_define() {
        let text = "(ns my.app) ; comment (\n(defn ^:private f [x] \")\" \\) x)\n#_(gone) 42 'q";
        let forms = split(text).unwrap();
        assert_eq!(forms.len(), 4);
        assert_eq!(
            &text[forms[1].start..forms[1].end],
            "(defn ^:private f [x] \")\" \\) x)"
        );
        assert_eq!(switched_ns(&forms[0]), Some("my.app"));
        assert_eq!(defined_names(&forms[1]), ["f"]);
        assert_eq!(&text[forms[2].start..forms[2].end], "42");
        assert_eq!(&text[forms[3].start..forms[3].end], "'q");
    }

    #[test]
    fn reads_heads_and_quoted_arguments() {
        assert_eq!(
            heads("(in-ns 'other) (declare a b) (def ^{:doc \"d\"} v 1) (f)"),
            [
                (Some("in-ns".into()), vec!["other".into()]),
                (Some("declare".into()), vec!["a".into(), "b".into()]),
                (Some("def".into()), vec!["v".into()]),
                (Some("f".into()), vec![]),
            ]
        );
    }

    #[test]
    fn reports_unbalanced_text_with_its_position() {
        let error = split("(+ 1 2)\n  (foo [1 2)").unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.line, error.column),
            ("Unmatched delimiter", 2, 12)
        );
        let error = split("(foo \"bar").unwrap_err();
        assert_eq!((error.line, error.column), (1, 6));
    }
}
