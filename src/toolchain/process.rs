//! Small helpers for running the toolchain's programs: waiting with a
//! deadline (a hung compiler must not hang an eval forever), finding a
//! program on PATH, splitting the command lines `emcc -v` prints, and
//! starting a long-lived program that cannot outlive us.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Runs `"$@"` and stops it once its stdin (a pipe from us) reaches end of
/// file, which happens when we drop our end or when this process ends in any
/// way, killed included. The program itself reads nothing (`</dev/null`);
/// the shell exits with its status when it ends by itself. (A background
/// job's stdin is /dev/null unless redirected: hence fd 3.)
const WATCHDOG: &str = r#"exec 3<&0
"$@" </dev/null 3<&- &
child=$!
{ while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null; sleep 2; kill -KILL "$child" 2>/dev/null; } &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status""#;

/// A command running `program` under the watchdog: add its arguments, keep
/// the child's stdin open for as long as the program may run, and drop it
/// to stop the program.
pub fn watched(program: &Path) -> Command {
    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(WATCHDOG)
        .arg("jank-wasm-watchdog")
        .arg(program)
        .stdin(Stdio::piped());
    command
}

/// Waits for `child` until `deadline`; kills it then. Polls: the waits are
/// short (a compiler's run), and polling needs no extra thread per child.
pub fn wait_until(child: &mut Child, deadline: Instant) -> std::io::Result<Option<ExitStatus>> {
    let mut pause = Duration::from_micros(100);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(2));
    }
}

/// Kills and reaps a child (ignoring one that already ended).
pub fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// `program` as given if it names a path, else its first match on PATH.
pub fn find_program(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = PathBuf::from(program);
        return is_executable(&path).then_some(path);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| is_executable(candidate))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Splits a command line as clang's and emcc's `-v` print them: words
/// separated by spaces, `"..."` with backslash escapes, `'...'` literal.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        c => word.push(c),
                    }
                }
            }
            '\'' => {
                in_word = true;
                word.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_words() {
        assert_eq!(
            split_words(r#" "/usr/bin/clang" -cc1 -D "A=\"b c\"" 'x y' plain"#),
            ["/usr/bin/clang", "-cc1", "-D", "A=\"b c\"", "x y", "plain"]
        );
        assert_eq!(split_words(r#"a "" b"#), ["a", "", "b"]);
    }
}
