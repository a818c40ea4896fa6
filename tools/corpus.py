#!/usr/bin/env python3
"""corpus: build a conformance corpus from Clojure source, its values taken from real Clojure.

usage: corpus.py [--port P] SOURCE.clj OUT.jsonl

SOURCE holds cases written as Clojure, so they are easy to read and write:

  ;;; case-name
  (defprotocol Shape (area [s]))

  ;; error: No method in multimethod
  (area 1)

A line `;;; NAME` starts a case; each paragraph (lines up to a blank line) is
one step, evaluated as one nREPL `eval` in the case's own session (a
paragraph of `;;` comment lines only is a comment). A step that
starts with `;; error: TEXT` must fail, its error text containing TEXT. Every
other step's expected value, and what it prints to out, are what a JVM Clojure
nREPL server answers (never a value written by hand): a fresh one this tool
starts from Debian's clojure and libnrepl-clojure jars, or the one at --port
(fresh too: `defmulti` answers differently the second time);
a step that fails there, or an error step that does not, stops the build. A
value Clojure prints as `#object[...]` (a JVM identity hash) is not compared:
the step only must not fail.
OUT is JSONL in the form ../shared/tools/conformance.py runs.
"""
import argparse, importlib.util, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "tools")
_spec = importlib.util.spec_from_file_location("nrepl_bench", os.path.join(SHARED, "nrepl-bench.py"))
nb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nb)


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b)


def parse(source):
    """[(name, [(code, error_text_or_None)])] from the source's text."""
    cases, paragraph = [], []

    def end_paragraph():
        if not paragraph:
            return
        if all(l.startswith(";;") and not l.startswith(";; error:") for l in paragraph):
            paragraph.clear()  # a comment
            return
        if not cases:
            sys.exit("a step comes before the first `;;; name` line")
        error = None
        if paragraph[0].startswith(";; error:"):
            error = paragraph.pop(0)[len(";; error:"):].strip()
        cases[-1][1].append(("\n".join(paragraph), error))
        paragraph.clear()

    for line in source.splitlines():
        if line.startswith(";;; "):
            end_paragraph()
            cases.append((line[4:].strip(), []))
        elif line.strip() == "":
            end_paragraph()
        else:
            paragraph.append(line)
    end_paragraph()
    return cases


class Unexpected(Exception):
    """Clojure did not answer a step as its source says it must."""


def expected_step(conn, session, code, error, where):
    replies = conn.request({"op": "eval", "code": code, "session": session, "id": where})
    values = [text(r["value"]) for r in replies if "value" in r]
    out = "".join(text(r["out"]) for r in replies if "out" in r)
    err = "".join(text(r.get(k, b"")) for r in replies for k in ("err", "ex", "root-ex"))
    failed = any(text(s) in ("eval-error", "error") for r in replies for s in r.get("status", []))
    if error is not None:
        if not failed or error not in err:
            raise Unexpected("%s: Clojure answered %r / %r, not an error with %r" % (where, values, err, error))
        return {"code": code, "error": error}
    if failed:
        raise Unexpected("%s: Clojure failed: %s" % (where, err))
    value = values[-1] if values else None
    if value is not None and value.startswith("#object["):
        value = None  # an identity hash: any value will do, but no error
    step = {"code": code, "value": value}
    if out:
        step["out"] = out
    return step


JARS = ["clojure", "spec.alpha", "core.specs.alpha", "nrepl"]


def start_clojure():
    """A fresh JVM nREPL server on a free port: (process, port)."""
    classpath = ":".join("/usr/share/java/%s.jar" % jar for jar in JARS)
    server = subprocess.Popen(
        ["java", "-cp", classpath, "clojure.main", "-m", "nrepl.cmdline", "--port", "0"],
        stdout=subprocess.PIPE, text=True)
    for line in server.stdout:
        found = re.search(r"started on port (\d+)", line)
        if found:
            return server, int(found.group(1))
    sys.exit("the JVM nREPL server did not start (are clojure and libnrepl-clojure installed?)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("source")
    parser.add_argument("out")
    args = parser.parse_args()
    cases = parse(open(args.source).read())
    names = [name for name, _ in cases]
    duplicated = {name for name in names if names.count(name) > 1}
    if duplicated:
        sys.exit("cases named twice: %s" % ", ".join(sorted(duplicated)))
    server, port = (None, args.port) if args.port else start_clojure()
    try:
        build(cases, nb.Conn("127.0.0.1", port, 60), args.out)
    finally:
        if server:
            server.kill()


def build(cases, conn, out):
    lines, problems = [], []
    for name, steps in cases:
        session = text(conn.request({"op": "clone", "id": "clone-" + name})[-1]["new-session"])
        try:
            built = [expected_step(conn, session, code, error, "%s step %d" % (name, i + 1))
                     for i, (code, error) in enumerate(steps)]
            lines.append(json.dumps({"name": name, "steps": built}, ensure_ascii=False))
        except Unexpected as problem:
            problems.append(str(problem))
        conn.request({"op": "close", "session": session, "id": "close-" + name})
    if problems:
        sys.exit("\n".join(problems) + "\n%d cases Clojure did not answer as written; nothing written" % len(problems))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%d cases written to %s" % (len(lines), out))


if __name__ == "__main__":
    main()
