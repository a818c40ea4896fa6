//! Turns what jank, clang and wasm-ld print on failure into a message for
//! the editor: positions in the eval instead of the temporary module's, the
//! patch's C++ called `patch.cpp`, temporary directories removed, and only
//! the errors (clang's warnings about generated code help no one).

use std::path::Path;

use super::module_source::PositionMap;

/// How many of clang's errors a message keeps.
const MAX_ERRORS: usize = 5;

/// Where the eval came from: its name in messages and its first line.
pub struct EvalSource<'a> {
    pub name: &'a str,
    pub first_line: u32,
    pub positions: &'a PositionMap,
}

/// jank's output, with `<module file>:L:C` shown as the position in the eval
/// (`REPL:L':C'`) and other temporary paths removed.
pub fn jank_message(output: &str, module_file: &Path, work: &Path, source: &EvalSource) -> String {
    let output = strip_ansi(output);
    let module = module_file.to_string_lossy();
    let mut message = String::new();
    let mut rest = output.as_str();
    while let Some(at) = rest.find(module.as_ref()) {
        message.push_str(&rest[..at]);
        rest = &rest[at + module.len()..];
        message.push_str(source.name);
        if let Some((line, after)) = number_after_colon(rest) {
            let column = number_after_colon(after);
            let (line, mapped_column) = source.positions.map(line, column.map(|(c, _)| c));
            message.push_str(&format!(":{}", line + source.first_line - 1));
            rest = after;
            if let (Some(c), Some((_, after_column))) = (mapped_column, column) {
                message.push_str(&format!(":{c}"));
                rest = after_column;
            }
        }
    }
    message.push_str(rest);
    tidy(&without_dir(&message, work))
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

/// `:123` at the start of `text`: the number and what follows it.
fn number_after_colon(text: &str) -> Option<(u32, &str)> {
    let digits = text.strip_prefix(':')?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let number = digits[..end].parse().ok()?;
    Some((number, &digits[end..]))
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
    fn jank_positions_point_into_the_eval() {
        let work = Path::new("/tmp/jw-123");
        let module = work.join("evals/7/user.jank");
        let output =
            "error: Unable to resolve symbol 'nope'.\n  --> /tmp/jw-123/evals/7/user.jank:3:5\n";
        let source = EvalSource {
            name: "REPL",
            first_line: 10,
            positions: &PositionMap::default(),
        };
        assert_eq!(
            jank_message(output, &module, work, &source),
            "error: Unable to resolve symbol 'nope'.\n  --> REPL:11:5"
        );
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
