//! Turns what jank, clang and wasm-ld report on failure into a message for
//! the editor: jank's errors with the eval's own lines and positions instead
//! of the temporary module's, the patch's C++ called `patch.cpp`, temporary
//! directories removed, and only the errors (clang's warnings about
//! generated code help no one).

use std::path::Path;

use super::module_source::PositionMap;

/// How many of clang's errors a message keeps.
const MAX_ERRORS: usize = 5;

/// One error of jank's error chain (jank's `error::base`: kind, message,
/// notes), as the compile server describes it (src/toolchain/jank.rs).
#[derive(Clone, Debug, PartialEq)]
pub struct JankError {
    /// `analyze/unresolved-symbol`, `runtime/unable-to-load-module`, ...
    pub kind: String,
    pub message: String,
    pub notes: Vec<JankNote>,
}

/// Where an error points: file, 1-based line and columns (`line` 0: nowhere).
#[derive(Clone, Debug, PartialEq)]
pub struct JankNote {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
    pub message: String,
}

/// The eval a module was made from: its name in messages, its first line,
/// its text, and the module positions mapped back to it.
pub struct EvalSource<'a> {
    pub name: &'a str,
    pub first_line: u32,
    pub code: &'a str,
    pub positions: &'a PositionMap,
}

/// jank's errors as the compile server's netstrings describe them (`error`,
/// kind, message, then `note`, file, line, column, end column, message per
/// note); `None` when the text is not that.
pub fn parse_jank_errors(text: &str) -> Option<Vec<JankError>> {
    let mut fields = Netstrings(text);
    let mut errors: Vec<JankError> = Vec::new();
    while let Some(tag) = fields.next() {
        match tag? {
            "error" => errors.push(JankError {
                kind: fields.next()??.to_string(),
                message: fields.next()??.to_string(),
                notes: Vec::new(),
            }),
            "note" => {
                let file = fields.next()??.to_string();
                let mut number = || fields.next()?.and_then(|n| n.parse().ok());
                let (line, column, end_column) = (number()?, number()?, number()?);
                let message = fields.next()??.to_string();
                errors.last_mut()?.notes.push(JankNote {
                    file,
                    line,
                    column,
                    end_column,
                    message,
                });
            }
            _ => return None,
        }
    }
    (!errors.is_empty()).then_some(errors)
}

/// `<length>:<text>` fields; an item is `None` when malformed.
struct Netstrings<'a>(&'a str);

impl<'a> Iterator for Netstrings<'a> {
    type Item = Option<&'a str>;

    fn next(&mut self) -> Option<Option<&'a str>> {
        if self.0.is_empty() {
            return None;
        }
        let field = (|| {
            let (length, rest) = self.0.split_once(':')?;
            let length: usize = length.parse().ok()?;
            let text = rest.get(..length)?;
            self.0 = &rest[length..];
            Some(text)
        })();
        if field.is_none() {
            self.0 = "";
        }
        Some(field)
    }
}

/// The message for jank's refusal of an eval, and the eval position (line,
/// column) it is about, when it points into the eval.
///
/// `The symbol `nope` could not be resolved.` then the eval's lines it points
/// at with jank's underline, the causes, and the page jank documents the
/// error kind on. An error from evaluating the forms (jank runs every form
/// while compiling) says so.
pub fn jank_failure(
    errors: &[JankError],
    module_file: &Path,
    work: &Path,
    eval: &EvalSource,
) -> (String, Option<(u32, u32)>) {
    let module = module_file.to_string_lossy();
    let mut lines = Vec::new();
    let mut position = None;
    for (depth, error) in errors.iter().enumerate() {
        let message = match (depth, error.kind.as_str()) {
            (0, "runtime/unable-to-load-module") => format!(
                "jank runs each form while compiling it, and running the eval failed: {}",
                error.message
            ),
            (0, _) => error.message.clone(),
            _ => format!("Caused by: {}", error.message),
        };
        lines.push(message);
        for note in error.notes.iter().filter(|n| n.line > 0) {
            if note.file == module {
                let (line, column) = eval_position(note, eval);
                position.get_or_insert((line, column));
                lines.extend(excerpt(note, eval));
            } else {
                lines.push(format!(
                    "  at {}:{}:{}: {}",
                    note.file, note.line, note.column, note.message
                ));
            }
        }
    }
    if let Some(first) = errors.first() {
        lines.push(format!(
            "({}: https://book.jank-lang.org/reference/error/{}.html)",
            first.kind, first.kind
        ));
    }
    let text = without_dir(&lines.join("\n"), work);
    (tidy(&text), position)
}

/// A note's line and column in the eval (lines counted from the eval's
/// first line in its source).
fn eval_position(note: &JankNote, eval: &EvalSource) -> (u32, u32) {
    let (line, column) = eval.positions.map(note.line, Some(note.column));
    (line + eval.first_line - 1, column.unwrap_or(1))
}

/// The eval's line a note points at, and jank's underline for it.
fn excerpt(note: &JankNote, eval: &EvalSource) -> Vec<String> {
    let (line, column) = eval.positions.map(note.line, Some(note.column));
    let column = column.unwrap_or(1).max(1);
    let (_, end) = eval.positions.map(note.line, Some(note.end_column));
    let width = end.unwrap_or(column + 1).saturating_sub(column).max(1);
    let Some(text) = eval.code.lines().nth(line as usize - 1) else {
        return vec![format!(
            "  at {}:{}:{}: {}",
            eval.name,
            line + eval.first_line - 1,
            column,
            note.message
        )];
    };
    let number = (line + eval.first_line - 1).to_string();
    let gutter = " ".repeat(number.len());
    vec![
        format!(" {number} | {text}"),
        format!(
            " {gutter} | {}{} {}",
            " ".repeat(column as usize - 1),
            "^".repeat(width as usize),
            note.message
        ),
    ]
}

/// Text a tool printed when it failed (jank not starting, dying), tidied.
pub fn tool_message(output: &str, work: &Path) -> String {
    tidy(&without_dir(&strip_ansi(output), work))
}

/// clang's errors (with their notes and source excerpts), the patch as
/// `patch.cpp`.
pub fn clang_message(output: &str, work: &Path) -> String {
    let output = strip_ansi(output).replace("<stdin>", "patch.cpp");
    let output = without_dir(&output, work);
    let mut kept = Vec::new();
    let mut keeping = false;
    let mut errors = 0;
    let mut pending_includes = Vec::new();
    for line in output.lines() {
        if line.starts_with("In file included from ") || line.starts_with("                 from ")
        {
            pending_includes.push(line);
            continue;
        }
        if let Some(severity) = severity(line) {
            keeping = match severity {
                "error" | "fatal error" => {
                    errors += 1;
                    errors <= MAX_ERRORS
                }
                "note" => keeping,
                _ => false,
            };
            if keeping {
                kept.append(&mut pending_includes);
            }
            pending_includes.clear();
        } else if is_summary(line) {
            continue;
        }
        if keeping {
            kept.push(line);
        }
    }
    if errors > MAX_ERRORS {
        kept.push("(more errors not shown)");
    }
    if kept.is_empty() {
        return tidy(&output);
    }
    tidy(&kept.join("\n"))
}

/// wasm-ld's or finalize's output, temporary paths removed.
pub fn link_message(output: &str, work: &Path) -> String {
    tidy(&without_dir(&strip_ansi(output), work))
}

/// `error`, `warning`, `note` or `fatal error` for a diagnostic's first line.
fn severity(line: &str) -> Option<&'static str> {
    ["fatal error", "error", "warning", "note"]
        .into_iter()
        .find(|s| line.contains(&format!(": {s}: ")) && !line.starts_with(' '))
}

/// `2 errors generated.` and the like.
fn is_summary(line: &str) -> bool {
    line.ends_with(" generated.") && (line.contains(" error") || line.contains(" warning"))
}

/// `text` with `dir/` (and `dir` itself) removed.
fn without_dir(text: &str, dir: &Path) -> String {
    let dir = dir.to_string_lossy();
    if dir.is_empty() {
        return text.to_string();
    }
    text.replace(&format!("{dir}/"), "")
        .replace(dir.as_ref(), ".")
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ ... final byte in @..~
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn tidy(text: &str) -> String {
    let trimmed = text.trim_end();
    if trimmed.trim().is_empty() {
        "(the tool printed nothing)".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jank_errors_point_into_the_eval() {
        let work = Path::new("/tmp/jw-123");
        let module = work.join("jank/modules/jank_wasm/eval.jank");
        let described = format!(
            "5:error25:analyze/unresolved-symbol40:The symbol `nope` could not be resolved.4:note{}:{}1:31:41:811:Found here.",
            module.to_string_lossy().len(),
            module.display()
        );
        let errors = parse_jank_errors(&described).unwrap();
        assert_eq!(errors[0].notes[0].line, 3);
        let code = "(+ 1 2)\n  (nope 1)";
        let source = EvalSource {
            name: "REPL",
            first_line: 10,
            code,
            positions: &PositionMap::default(),
        };
        let (message, position) = jank_failure(&errors, &module, work, &source);
        assert_eq!(position, Some((11, 4)));
        assert_eq!(
            message,
            "The symbol `nope` could not be resolved.\n 11 |   (nope 1)\n    |    ^^^^ Found here.\n(analyze/unresolved-symbol: https://book.jank-lang.org/reference/error/analyze/unresolved-symbol.html)"
        );
        assert_eq!(parse_jank_errors("5:error3:x"), None);
        assert_eq!(parse_jank_errors("7:unknown"), None);
    }

    #[test]
    fn clang_keeps_errors_only() {
        let work = Path::new("/tmp/jw-1");
        let output = "\
<stdin>:3:1: warning: expression result unused [-Wunused-value]
  x;
  ^
<stdin>:9:1: error: unknown type name 'this'
this is not C++;
^
In file included from /tmp/jw-1/prelude-pch.hpp:1:
/usr/include/x.h:2:3: note: declared here
2 errors generated.
";
        assert_eq!(
            clang_message(output, work),
            "patch.cpp:9:1: error: unknown type name 'this'\nthis is not C++;\n^\nIn file included from prelude-pch.hpp:1:\n/usr/include/x.h:2:3: note: declared here"
        );
    }

    #[test]
    fn strips_colours() {
        assert_eq!(strip_ansi("\u{1b}[1;31merror\u{1b}[0m: x"), "error: x");
    }
}
