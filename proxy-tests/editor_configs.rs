//! The ready-made editor settings in `editor-configs/`: each file parses in
//! its own language's tool (Emacs Lisp with `emacs --batch`, JSON with
//! serde_json, Lua with `luac -p`, Vimscript with `vim -es`, shell with `sh -n`),
//! its helper logic does what its comments say (run against stand-ins for the
//! editor plugins, which Debian does not package), and the clients we can run
//! here connect and evaluate: Debian's `nrepl.cmdline` through
//! `editor-configs/nrepl-cmdline/connect.sh`, and Conjure's connect sequence
//! replayed message by message. `proxy-tests/run-all.sh` installs the tools.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{printed_after_prompts, start_server};
use jank_wasm_nrepl::nrepl::frame::Frame;
use jank_wasm_nrepl::testkit::{
    Client, Msg, all_statuses, joined, run_with_input, text, values, wait_with_timeout,
};

fn configs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("editor-configs")
}

/// `program`, or a failure that says how to install it.
fn tool(program: &str, package: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "`{program}` is missing: run the test setup (proxy-tests/run-all.sh installs Debian's {package})"
        )
    })
}

/// Runs a command with a time limit; its output.
fn run(command: &mut Command, limit: Duration) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tool starts");
    wait_with_timeout(child, limit)
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A project directory with `.nrepl-port` holding `port`, and a subdirectory
/// to start from (the helpers search upwards).
fn project_with_port_file(port: u16) -> (tempfile::TempDir, PathBuf) {
    let project = tempfile::Builder::new()
        .prefix("jank-editor-")
        .tempdir()
        .expect("a temporary directory");
    std::fs::write(project.path().join(".nrepl-port"), port.to_string()).unwrap();
    let sub = project.path().join("src/my");
    std::fs::create_dir_all(&sub).unwrap();
    (project, sub)
}

fn elisp_string(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

#[test]
fn every_config_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(configs().join("README.md")).unwrap();
    for file in [
        "cider/.dir-locals.el",
        "cider/jank-wasm-nrepl.el",
        "calva/.vscode/settings.json",
        "conjure/jank-wasm-nrepl.lua",
        "fireplace/jank-wasm-nrepl.vim",
        "nrepl-cmdline/connect.sh",
    ] {
        assert!(configs().join(file).is_file(), "{file} is missing");
        assert!(readme.contains(file), "README.md does not mention {file}");
    }
    assert!(readme.contains("lein repl :connect"));
}

#[test]
fn calva_settings_have_a_generic_connect_sequence_reading_the_port_file() {
    let text = std::fs::read_to_string(configs().join("calva/.vscode/settings.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let sequences = settings["calva.replConnectSequences"]
        .as_array()
        .expect("calva.replConnectSequences is a list");
    let ours = sequences
        .iter()
        .find(|s| s["name"] == "jank-wasm-nrepl")
        .expect("a jank-wasm-nrepl sequence");
    assert_eq!(ours["projectType"], "generic");
    assert_eq!(ours["nReplPortFile"], serde_json::json!([".nrepl-port"]));
    assert_eq!(ours["autoSelectForConnect"], true);
}

/// Every form of both CIDER files reads; the helper byte-compiles without a
/// warning; `.dir-locals.el` applies its settings to a project buffer; and
/// `jank-wasm-nrepl-connect`, run below a directory with `.nrepl-port`, calls
/// `cider-connect-clj` (a stand-in here) with 127.0.0.1 and that port.
#[test]
fn cider_files_parse_and_connect_to_the_port_file_port() {
    let emacs = tool("emacs", "emacs-nox");
    let (project, sub) = project_with_port_file(45678);
    std::fs::copy(
        configs().join("cider/.dir-locals.el"),
        project.path().join(".dir-locals.el"),
    )
    .unwrap();
    let helper = project.path().join("jank-wasm-nrepl.el");
    std::fs::copy(configs().join("cider/jank-wasm-nrepl.el"), &helper).unwrap();
    let source = sub.join("core.clj");
    std::fs::write(&source, "(ns my.core)\n").unwrap();
    let script = format!(
        r#"
(defun jank-test-read-all (file)
  "Reads every form of FILE; signals on a syntax error."
  (with-temp-buffer
    (insert-file-contents file)
    (emacs-lisp-mode)
    (goto-char (point-min))
    (let ((forms 0))
      (while (progn (forward-comment (buffer-size)) (not (eobp)))
        (read (current-buffer))
        (setq forms (1+ forms)))
      forms)))
(jank-test-read-all {dir_locals})
(jank-test-read-all {helper})
(setq byte-compile-error-on-warn t)
(unless (byte-compile-file {helper}) (error "the helper does not byte-compile cleanly"))
(let ((enable-local-variables :all))
  (with-current-buffer (find-file-noselect {source})
    (unless (and (local-variable-p 'cider-print-fn) (null cider-print-fn)
                 (local-variable-p 'cider-repl-display-help-banner))
      (error ".dir-locals.el did not apply: %S" dir-local-variables-alist))))
(defvar jank-test-params 'not-called)
(defun cider-connect-clj (&optional params) (setq jank-test-params params))
(load {helper} nil t)
(let ((default-directory {sub}))
  (jank-wasm-nrepl-connect))
(princ (format "params=%S\n" jank-test-params))
(let ((jank-wasm-nrepl-source-paths '("src/main" "src/shared")))
  (princ (format "command=%S\n" (jank-wasm-nrepl-command))))
(with-temp-file (expand-file-name "deps.edn" {root}) (insert "{{}}"))
(princ (format "root=%S\n" (jank-wasm-nrepl-project-root {sub})))
(princ (format "jank-mode=%S\n" (assoc-default "x.jank" auto-mode-alist #'string-match)))
"#,
        dir_locals = elisp_string(&project.path().join(".dir-locals.el")),
        helper = elisp_string(&helper),
        source = elisp_string(&source),
        sub = elisp_string(&sub.join("")),
        root = elisp_string(project.path()),
    );
    let script_file = project.path().join("check.el");
    std::fs::write(&script_file, script).unwrap();
    let output = run(
        Command::new(emacs)
            .args(["--batch", "-Q", "-l"])
            .arg(&script_file),
        Duration::from_secs(60),
    );
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected_dir = format!("{}/", project.path().display());
    assert!(
        stdout.contains(&format!(
            "params=(:host \"127.0.0.1\" :port 45678 :project-dir {expected_dir:?})"
        )),
        "{}",
        describe(&output)
    );
    assert!(
        stdout.contains("jank-mode=clojure-mode"),
        "{}",
        describe(&output)
    );
    // The source-path settings reach the server's command line, started in the project root.
    assert!(
        stdout.contains(
            "command=(\"jank-wasm-nrepl\" \"--headless\" \"--source-path\" \"src/main\" \"--source-path\" \"src/shared\")"
        ),
        "{}",
        describe(&output)
    );
    assert!(
        stdout.contains(&format!("root={expected_dir:?}")),
        "{}",
        describe(&output)
    );
}

/// A `vim` table standing in for Neovim's, enough for the Conjure settings.
const NVIM_STUB: &str = r#"
local commands, ran = {}, {}
vim = {
  g = {},
  fn = {
    findfile = function(name, path)
      local dir = os.getenv("START_DIR")
      while dir ~= nil and dir ~= "" do
        local f = io.open(dir .. "/" .. name)
        if f then f:close(); return dir .. "/" .. name end
        dir = dir:match("^(.*)/[^/]*$")
      end
      return ""
    end,
    readfile = function(path, _, max)
      local lines = {}
      for line in io.lines(path) do
        lines[#lines + 1] = line
        if #lines == max then break end
      end
      return lines
    end,
  },
  api = { nvim_create_user_command = function(name, f, _) commands[name] = f end },
  cmd = function(c) ran[#ran + 1] = c end,
  filetype = { add = function(t) vim.added_filetypes = t end },
}
dofile(os.getenv("CONFIG"))
local g = vim.g
assert(g["conjure#client#clojure#nrepl#connection#default_host"] == "127.0.0.1")
assert(g["conjure#client#clojure#nrepl#connection#port_files"][1] == ".nrepl-port")
assert(g["conjure#client#clojure#nrepl#connection#auto_repl#enabled"] == false)
assert(g["conjure#client#clojure#nrepl#eval#pretty_print"] == false)
assert(vim.added_filetypes.extension.jank == "clojure")
commands.JankConnect({ args = "" })
commands.JankConnect({ args = "7001" })
print(ran[1])
print(ran[2])
"#;

/// The Lua file compiles (`luac -p`), and run against a stand-in `vim` it sets
/// Conjure's options and its `:JankConnect` reads `.nrepl-port`.
#[test]
fn conjure_lua_parses_and_connects_to_the_port_file_port() {
    let config = configs().join("conjure/jank-wasm-nrepl.lua");
    let luac = tool("luac", "lua5.4");
    let output = run(
        Command::new(luac).arg("-p").arg(&config),
        Duration::from_secs(30),
    );
    assert!(output.status.success(), "{}", describe(&output));

    let (_project, sub) = project_with_port_file(45679);
    let output = run(
        Command::new(tool("lua", "lua5.4"))
            .args(["-e", NVIM_STUB])
            .env("CONFIG", &config)
            .env("START_DIR", &sub),
        Duration::from_secs(30),
    );
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "ConjureConnect 127.0.0.1 45679\nConjureConnect 127.0.0.1 7001\n"
    );
}

/// The Vimscript sources without an error in `vim -es`, and its `:JankConnect`
/// runs fireplace's `:FireplaceConnect` (a stand-in here) with 127.0.0.1 and
/// the port from `.nrepl-port`.
#[test]
fn fireplace_vimscript_sources_and_connects_to_the_port_file_port() {
    let vim = tool("vim", "vim");
    let (project, sub) = project_with_port_file(45680);
    let result = project.path().join("result.txt");
    let script = format!(
        "command! -nargs=* FireplaceConnect call writefile([<q-args>], {result:?}, 'a')\n\
         try\n\
           source {config}\n\
           cd {sub}\n\
           JankConnect\n\
           JankConnect 7002\n\
           call writefile([&filetype], {result:?}, 'a')\n\
           edit x.jank\n\
           call writefile([&filetype], {result:?}, 'a')\n\
         catch\n\
           call writefile(['error: ' . v:exception], {result:?}, 'a')\n\
           cquit\n\
         endtry\n\
         qall!\n",
        result = result.display().to_string(),
        config = configs().join("fireplace/jank-wasm-nrepl.vim").display(),
        sub = sub.display(),
    );
    let script_file = project.path().join("check.vim");
    std::fs::write(&script_file, script).unwrap();
    let output = run(
        Command::new(vim)
            .args(["-N", "-u", "NONE", "-i", "NONE", "-es", "-S"])
            .arg(&script_file),
        Duration::from_secs(30),
    );
    let written = std::fs::read_to_string(&result).unwrap_or_default();
    assert!(output.status.success(), "{written}\n{}", describe(&output));
    let lines: Vec<&str> = written.lines().collect();
    let scope = sub.display().to_string();
    assert_eq!(
        lines,
        [
            format!("nrepl://127.0.0.1:45680 {scope}").as_str(),
            format!("nrepl://127.0.0.1:7002 {scope}").as_str(),
            "",
            "clojure"
        ],
        "{}",
        describe(&output)
    );
}

/// `connect.sh` is valid shell, finds the port in `.nrepl-port` above the
/// current directory, and Debian's `nrepl.cmdline` evaluates through it.
#[test]
fn nrepl_cmdline_script_connects_and_evaluates() {
    let script = configs().join("nrepl-cmdline/connect.sh");
    let output = run(
        Command::new("sh").arg("-n").arg(&script),
        Duration::from_secs(10),
    );
    assert!(output.status.success(), "{}", describe(&output));
    assert!(
        Path::new("/usr/share/java/nrepl.jar").exists(),
        "/usr/share/java/nrepl.jar is missing: run the test setup (proxy-tests/run-all.sh installs libnrepl-clojure)"
    );

    let server = start_server(&["--headless", "--runtime-wait", "20"]);
    let (_project, sub) = project_with_port_file(server.nrepl_port);
    let output = run_with_input(
        Command::new(&script).current_dir(&sub),
        b"(defn twice [x] (* 2 x))\n(twice 21)\n",
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed = printed_after_prompts(&stdout);
    assert_eq!(printed, ["#'user/twice", "42"], "{}", describe(&output));
}

/// A request with string, integer and dictionary fields, as Conjure sends them.
fn send_fields(client: &mut Client, fields: Vec<(&str, Frame)>) {
    let dict: BTreeMap<Vec<u8>, Frame> = fields
        .into_iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v))
        .collect();
    client.send_raw(&Frame::Dict(dict).encode());
}

/// Conjure's connect sequence (conjure.client.clojure.nrepl.server: `describe`,
/// `ls-sessions` naming no session, `clone`, the session-type probe, its
/// preamble), then an eval from a buffer with the keys Conjure adds. Every
/// request ends with `done`, the probe answers, and the eval gives its value.
#[test]
fn conjure_connect_sequence_evaluates() {
    let server = start_server(&["--headless", "--runtime-wait", "20"]);
    let mut client = server.client();
    let described = client.request(&[("op", "describe")]);
    assert_eq!(all_statuses(&described), ["done"]);
    let listed = client.request(&[("op", "ls-sessions"), ("session", "no-session")]);
    assert!(all_statuses(&listed).contains(&"done".to_string()));
    let session = client.clone_session();

    let probe = client.eval(
        &session,
        "#?(:clj 'clj :cljs 'cljs :cljr 'cljr :default 'unknown)",
    );
    assert_eq!(values(&probe).len(), 1, "{probe:?}");

    // The preamble uses JVM-only vars (intern, clojure.pprint): it may fail,
    // but must end with done.
    let preamble = client.eval(
        &session,
        "(create-ns 'conjure.internal)\n\
         (intern 'conjure.internal 'initial-ns (symbol (str *ns*)))\n\
         (ns conjure.internal (:require [clojure.pprint :as pp] [clojure.test] [clojure.data] [clojure.string]))\n\
         (in-ns initial-ns)",
    );
    assert_eq!(
        all_statuses(&preamble).last().map(String::as_str),
        Some("done")
    );

    send_fields(
        &mut client,
        vec![
            ("op", Frame::str("eval")),
            ("id", Frame::str("conjure-1")),
            ("session", Frame::str(&session)),
            ("ns", Frame::str("user")),
            ("code", Frame::str("(defn sq [x] (* x x)) (sq 12)")),
            ("file", Frame::str("/tmp/project/src/user.clj")),
            ("line", Frame::Int(3)),
            ("column", Frame::Int(1)),
            (
                "nrepl.middleware.print/options",
                Frame::Dict(BTreeMap::from([
                    (b"associative".to_vec(), Frame::Int(1)),
                    (b"length".to_vec(), Frame::Int(500)),
                    (b"level".to_vec(), Frame::Int(50)),
                    (b"right-margin".to_vec(), Frame::Int(72)),
                ])),
            ),
        ],
    );
    let replies: Vec<Msg> = client.replies_to("conjure-1");
    assert_eq!(values(&replies), ["#'user/sq", "144"], "{replies:?}");
    assert_eq!(joined(&replies, "err"), "");
    assert!(
        replies
            .iter()
            .all(|r| text(r, "session").as_deref() == Some(session.as_str()))
    );
}

/// vim-fireplace's connect sequence (autoload/fireplace/transport.vim): after
/// `describe`, it asks for the classpath with the `classpath` op when the
/// server lists it, else by evaluating JVM interop whose second and third
/// values it reads. The server lists and answers `classpath`.
#[test]
fn fireplace_connect_sequence_gets_a_classpath() {
    let server = start_server(&["--headless", "--runtime-wait", "20"]);
    let mut client = server.client();
    let described = client.request(&[("op", "describe"), ("verbose?", "1")]);
    let lists_classpath = described.iter().any(|r| {
        matches!(r.get(b"ops".as_slice()), Some(Frame::Dict(ops)) if ops.contains_key(b"classpath".as_slice()))
    });
    if lists_classpath {
        let replies = client.request(&[("op", "classpath")]);
        assert!(
            replies
                .iter()
                .any(|r| matches!(r.get(b"classpath".as_slice()), Some(Frame::List(_)))),
            "{replies:?}"
        );
    } else {
        let session = client.clone_session();
        let replies = client.eval(
            &session,
            "(System/getProperty \"path.separator\") (or (System/getProperty \"fake.class.path\") \
             (System/getProperty \"java.class.path\") \"\") (System/getProperty \"user.dir\") \
             (require 'clojure.repl 'clojure.java.javadoc)",
        );
        assert!(values(&replies).len() >= 3, "{replies:?}");
    }
}
