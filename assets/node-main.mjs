// The Node runtime: node --experimental-websocket node-main.mjs <ws-url>
// Connects to the server as kind "node" and exits (code 0) as soon as the socket closes or
// cannot be opened, so it never outlives the server that started it.

import { Worker } from 'node:worker_threads';
import { connect } from './connection.js';

/** The control worker (control.js) on a thread of its own. */
function startControl(init) {
  const worker = new Worker(new URL('./control.js', import.meta.url), { workerData: init });
  worker.unref(); // never keeps the process alive on its own
  return { postMessage: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node --experimental-websocket node-main.mjs <ws-url>\n');
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
