// The Node runtime: node --experimental-websocket node-main.mjs [<ws-url>]
// Connects to the server as kind "node" and exits (code 0) as soon as the socket closes or
// cannot be opened, so it never outlives the server that started it.
// The server's --headless passes the URL (it carries the per-launch token) and the runtime
// instance id in the environment, JANK_WASM_NREPL_URL and JANK_WASM_NREPL_INSTANCE, because
// every local user can read a process's command line; they are removed from process.env here.

import { Worker } from 'node:worker_threads';
import { connect } from './connection.js';

/** The control worker (control.js) on a thread of its own. */
function startControl(init) {
  const worker = new Worker(new URL('./control.js', import.meta.url), { workerData: init });
  worker.unref(); // never keeps the process alive on its own
  return { postMessage: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}

const url = process.argv[2] ?? process.env.JANK_WASM_NREPL_URL;
const instance = process.env.JANK_WASM_NREPL_INSTANCE || undefined;
delete process.env.JANK_WASM_NREPL_URL;
delete process.env.JANK_WASM_NREPL_INSTANCE;
if (!url) {
  process.stderr.write('usage: node --experimental-websocket node-main.mjs <ws-url> (or JANK_WASM_NREPL_URL=<ws-url>)\n');
  process.exit(2);
}
if (typeof globalThis.WebSocket !== 'function') {
  process.stderr.write('jank-wasm-nrepl: this Node has no global WebSocket; run it with --experimental-websocket\n');
  process.exit(1);
}

const conn = connect(url, {
  kind: 'node',
  agent: `node ${process.version} (${process.platform} ${process.arch})`,
  startControl,
  instance,
  onStatus(status, detail) {
    if (status === 'closed' && !detail.opened) {
      process.stderr.write(`jank-wasm-nrepl: could not connect to ${url}\n`);
    }
  },
});

// Errors thrown later by callbacks (timers, promises) are reported as stderr output of the
// last eval instead of killing the runtime.
process.on('uncaughtException', (e) => conn.reportError(e));
process.on('unhandledRejection', (e) => conn.reportError(e));

await conn.closed;
process.exit(0);
