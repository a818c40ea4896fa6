// Drives the npm `nrepl-client` package against a running server:
//   node eval.js PORT
// clones a session, evaluates (+ 1 2), a defn and a call of it, and prints
// one JSON object with what came back. Exits non-zero on any error.
"use strict";

const nrepl = require("nrepl-client");

const port = Number(process.argv[2]);
const conn = nrepl.connect({ port, host: "127.0.0.1" });

// The whole exchange must not outlast the Rust test's patience.
const timer = setTimeout(() => fail(new Error("timed out")), 10000);

function fail(err) {
  console.error(err && (err.stack || err));
  process.exit(1);
}

// One call of the client's API, as a promise of its messages.
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn.call(conn, ...args, (err, messages) => (err ? reject(err) : resolve(messages)));
  });
}

function summary(messages) {
  return {
    values: messages.filter((m) => m.value !== undefined).map((m) => m.value),
    ids: [...new Set(messages.map((m) => m.id))],
    sessions: [...new Set(messages.map((m) => m.session))],
    status: messages.flatMap((m) => m.status || []),
    err: messages.map((m) => m.err || "").join(""),
  };
}

conn.on("error", fail);
conn.once("connect", async () => {
  try {
    const sessionless = summary(await call(conn.eval, "(+ 1 2)"));
    const cloned = await call(conn.clone);
    const session = cloned[0]["new-session"];
    const add = summary(await call(conn.eval, "(+ 1 2)", "user", session));
    const defn = summary(
      await call(conn.eval, "(defn npm-sq [x] (* x x))", "user", session),
    );
    const use = summary(await call(conn.eval, "(npm-sq 12)", "user", session));
    const described = await call(conn.describe, session, true);
    clearTimeout(timer);
    console.log(
      JSON.stringify({
        session,
        sessionless,
        add,
        defn,
        use,
        ops: Object.keys(described[0].ops || {}),
      }),
    );
    conn.end();
  } catch (err) {
    fail(err);
  }
});
