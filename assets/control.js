// The runtime's control channel: a worker with a WebSocket of its own, so the server can
// reach the runtime while its main thread is busy running code. It shares a
// SharedArrayBuffer with the main thread (layout in connection.js):
//   - `interrupt` from the server sets the interrupt flag, which compiled loops poll;
//   - `stdin` from the server is appended to the input area and the main thread woken;
//   - `need-input` from the main thread (read-line found no input) goes to the server;
//   - `ask` from the main thread (a question to the compiler: eval, find-var, ...) goes to
//     the server, and its `answer` is written to the answer area and the main thread woken;
//   - `reload` from the server (the runtime is stuck in code no interrupt reaches, and the
//     server has given up on it): under Node the worker ends the whole process; in a page it
//     asks the main thread to reload the page, which happens if the main thread ever gets free
//     again (a worker cannot stop a main thread that never yields).
// Runs as a Web Worker in the page and as a worker_threads Worker under Node.

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

const INTERRUPT = 0; // Int32 index: the id of the eval to stop (0: none)
const GENERATION = 1; // Int32 index: bumped on every change the main thread may wait for
const INPUT_LENGTH = 2; // Int32 index: bytes of unread input in the input area
const ANSWER_LENGTH = 3; // Int32 index: bytes of the compiler's answer in the answer area
const INPUT_OFFSET = 16; // byte offset of the input area
const INPUT_BYTES = 64 * 1024;
const ANSWER_OFFSET = INPUT_OFFSET + INPUT_BYTES; // byte offset of the answer area (to the end)

const encoder = new TextEncoder();

function start({ url, instance, buffer }, onParentMessage) {
  const signal = new Int32Array(buffer, 0, 4);
  const input = new Uint8Array(buffer, INPUT_OFFSET, INPUT_BYTES);
  const answers = new Uint8Array(buffer, ANSWER_OFFSET);
  const wake = () => {
    Atomics.add(signal, GENERATION, 1);
    Atomics.notify(signal, GENERATION);
  };
  const ws = new WebSocket(url);
  // Messages for the server wait here until the socket is open (the first eval can ask for
  // input before this worker has finished connecting).
  const unsent = [];
  const sendToServer = (message) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(message));
    else unsent.push(message);
  };
  ws.onopen = () => {
    ws.send(JSON.stringify({ op: 'hello', role: 'control', instance }));
    for (const message of unsent.splice(0)) ws.send(JSON.stringify(message));
  };
  ws.onmessage = (event) => {
    if (typeof event.data !== 'string') return;
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.op === 'interrupt') {
      // The flag names the eval to stop, so a queued eval of another session is not hit.
      Atomics.store(signal, INTERRUPT, Number(message.id) | 0);
      wake();
    } else if (message.op === 'reload') {
      if (isNode) {
        process.stderr.write(`jank-wasm-nrepl: the server ended this runtime: ${message.reason ?? ''}\n`);
        process.kill(process.pid, 'SIGKILL');
      } else {
        postMessage({ op: 'reload', reason: String(message.reason ?? '') });
      }
    } else if (message.op === 'answer') {
      let bytes = encoder.encode(event.data);
      if (bytes.length > answers.length) {
        bytes = encoder.encode(JSON.stringify({
          ask: message.ask, ok: false, class: 'java.lang.OutOfMemoryError',
          message: `the compiler's answer (${bytes.length} bytes) is larger than the ${answers.length} bytes this runtime takes`,
        }));
      }
      answers.set(bytes);
      Atomics.store(signal, ANSWER_LENGTH, bytes.length);
      wake();
    } else if (message.op === 'stdin') {
      const bytes = encoder.encode(String(message.text ?? ''));
      const used = Atomics.load(signal, INPUT_LENGTH);
      const room = input.length - used;
      input.set(bytes.subarray(0, room), used);
      Atomics.store(signal, INPUT_LENGTH, used + Math.min(room, bytes.length));
      wake();
    }
  };
  // The server went away. Under Node, end the whole runtime process even if its main thread
  // is stuck in a loop (process.exit in a worker would only end this thread).
  ws.onclose = () => { if (isNode) process.kill(process.pid, 'SIGTERM'); else close(); };
  onParentMessage((message) => {
    if (message && message.op === 'need-input') sendToServer({ op: 'need-input', id: message.id });
    if (message && message.op === 'ask') sendToServer(message);
  });
}

if (isNode) {
  const { parentPort, workerData } = await import('node:worker_threads');
  start(workerData, (handler) => parentPort.on('message', handler));
} else {
  let handler = () => {};
  self.onmessage = (event) => {
    if (event.data && event.data.op === 'init') start(event.data, (h) => { handler = h; });
    else handler(event.data);
  };
}
