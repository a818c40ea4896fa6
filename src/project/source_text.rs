//! The text of a definition, for `clojure.repl/source`: the form that starts
//! where a var was defined, read from its file, which is only ever a bundled
//! namespace or a file below a source path (`SourcePaths::resolve_file`).

use std::path::Path;

use super::{Project, bundled};

/// Where bundled files say they are (`bundled::find`).
const BUNDLED_PREFIX: &str = "jank-wasm-nrepl/lib/";

impl Project {
    /// The text of the form at `line`:`column` of `file`, if the file may be
    /// read and a whole form starts there.
    pub fn source_of(&self, file: &str, line: u32, column: u32) -> Option<String> {
        let text = match file.strip_prefix(BUNDLED_PREFIX) {
            Some(relative) => bundled::text_of(relative)?.to_string(),
            None => {
                let found = self.paths.resolve_file(Path::new(file)).ok()?;
                std::fs::read_to_string(found.path).ok()?
            }
        };
        form_at(&text, line, column).map(str::to_string)
    }
}

/// The form of `text` that starts at `line`:`column` (both from 1).
fn form_at(text: &str, line: u32, column: u32) -> Option<&str> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let start = line_start
        + text[line_start..]
            .char_indices()
            .nth(column.saturating_sub(1) as usize)?
            .0;
    let length = form_length(&text[start..])?;
    Some(&text[start..start + length])
}

/// The length in bytes of the form `text` starts with: up to the bracket that
/// closes its first one (strings, characters and comments skipped), or the
/// end of its first token.
fn form_length(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                if depth == 0 {
                    return chars.peek().map(|&(j, _)| j).or(Some(text.len()));
                }
            }
            '\\' => {
                chars.next();
            }
            ';' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => depth += 1,
            // a token the enclosing form's bracket ends
            ')' | ']' | '}' if depth == 0 => return (i > 0).then_some(i),
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + c.len_utf8());
                }
            }
            c if depth == 0 && (c.is_whitespace() || c == ',') && i > 0 => return Some(i),
            _ => {}
        }
    }
    (depth == 0).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_at_a_position_ends_where_its_brackets_close() {
        let text = "(ns a)\n\n(defn f\n  \"doc (with a paren\"\n  [x] ; a ) comment\n  (str \\) x))\n(def g 1)\n";
        assert_eq!(
            form_at(text, 3, 1),
            Some("(defn f\n  \"doc (with a paren\"\n  [x] ; a ) comment\n  (str \\) x))")
        );
        assert_eq!(form_at(text, 7, 1), Some("(def g 1)"));
        assert_eq!(form_at(text, 1, 5), Some("a"));
        assert_eq!(form_at(text, 40, 1), None);
    }
}
