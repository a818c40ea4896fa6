// The runtime side of the /repl WebSocket (docs/patch-abi.md, "Messages on the WebSocket"):
// say hello, then for every binary frame (u32 LE eval id + patch bytes) load the patch,
// stream its output as `out`/`err` messages and answer with `value` or `error`. A replay
// batch (u32 LE id, "JWRB", then each patch as u32 LE length + bytes) runs its patches in
// order and is answered once: an `err` line for each that failed, then `value`, the count.
// Shared by the browser page (page.js) and the Node runtime (node-main.mjs).

import {
  Runtime, prStr, printWith, printForm, prettyText, errorInfo, setOutput, setSignal, setLineSource, CljError, currentEvalId,
  setCallbackErrorReporter, setCompilerLink,
} from './runtime.js';
import { sideModuleInfo, createEmscriptenHost } from './emscripten-host.js';

const OPEN = 1;
const FLUSH_AT = 16 * 1024; // send buffered output once this much has accumulated
const BATCH_MAGIC = 'JWRB'; // after the eval id: a replay batch rather than one patch
const QUIET_MAGIC = 'JWRQ'; // after the eval id: a patch whose value does not become *1
// after the eval id: a u32 right margin (0: pr-str) and a u32 print quota (0: PRINT_QUOTA),
// then a patch whose value prints so
const VALUE_MAGIC = 'JWRV';
// A value prints at most this many characters: past them (an infinite seq, a huge value) it is
// cut off with a marker, instead of printing until memory runs out.
const PRINT_QUOTA = 1024 * 1024;
// What the compiler reads back (a macro's expansion) may be longer, but is bounded too.
const FORM_QUOTA = 16 * 1024 * 1024;

// The buffer shared with the control worker (control.js): Int32 0 is the interrupt flag (the id
// of the eval to stop, 0 for none), Int32 1 a generation bumped on every change, Int32 2 the
// bytes of unread input, Int32 3 the bytes of the compiler's latest answer; the input area
// starts at byte 16, the answer area after it (as big as a patch may be).
const INTERRUPT = 0;
const GENERATION = 1;
const INPUT_LENGTH = 2;
const ANSWER_LENGTH = 3;
const INPUT_OFFSET = 16;
const INPUT_BYTES = 64 * 1024;
const ANSWER_OFFSET = INPUT_OFFSET + INPUT_BYTES;
const ANSWER_BYTES = 16 * 1024 * 1024;
const SHARED_BYTES = ANSWER_OFFSET + ANSWER_BYTES;
const CAN_BLOCK = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

/** A random id naming this runtime on both of its sockets. */
function newInstanceId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Shared memory for the control channel, where the platform allows it. */
function sharedBuffer() {
  if (typeof SharedArrayBuffer !== 'function') return null;
  if (typeof globalThis.crossOriginIsolated === 'boolean' && !globalThis.crossOriginIsolated) return null;
  return new SharedArrayBuffer(SHARED_BYTES);
}

/**
 * Waits until the control worker changes something (the generation moves on): Atomics.wait
 * where the platform allows blocking, else a spin (a page's main thread may not block).
 */
function waitForChange(signal, generation) {
  if (CAN_BLOCK) {
    while (Atomics.load(signal, GENERATION) === generation) Atomics.wait(signal, GENERATION, generation, 250);
  } else {
    while (Atomics.load(signal, GENERATION) === generation) { /* spin */ }
  }
}

/** Throws when the user interrupted the running eval while it waited. */
function throwIfInterrupted(signal) {
  const target = Atomics.load(signal, INTERRUPT) >>> 0;
  if (target === 0 || target !== currentEvalId()) return;
  Atomics.store(signal, INTERRUPT, 0);
  throw new CljError('InterruptedException', 'Evaluation interrupted');
}

/**
 * read-line over the shared buffer: returns buffered lines; when none is left, asks the
 * server for input through the control worker and blocks until some arrives.
 */
function makeLineSource(buffer, askForInput) {
  const signal = new Int32Array(buffer, 0, 4);
  const input = new Uint8Array(buffer, INPUT_OFFSET, INPUT_BYTES);
  const decoder = new TextDecoder();
  let text = '';
  const takeInput = () => {
    const length = Atomics.load(signal, INPUT_LENGTH);
    if (length === 0) return;
    text += decoder.decode(input.slice(0, length));
    Atomics.store(signal, INPUT_LENGTH, 0);
  };
  return () => {
    for (;;) {
      takeInput();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        const line = text.slice(0, newline);
        text = text.slice(newline + 1);
        return line;
      }
      const generation = Atomics.load(signal, GENERATION);
      takeInput();
      if (text.includes('\n')) continue;
      askForInput();
      waitForChange(signal, generation);
      throwIfInterrupted(signal);
    }
  };
}

/**
 * The link to the server's compiler (rt/compiler-link.js) over the shared buffer: a question
 * goes to the control worker, and the main thread waits for its answer. An answer that asks
 * for a patch to run first (`run`: a macro the code calls, a file it requires) is run here
 * and the compiler told how it went, until the answer is final: an error (thrown), a patch
 * (run: its value is `result`), or data.
 */
function makeCompilerLink(buffer, postToControl, runtime, evalId) {
  const signal = new Int32Array(buffer, 0, 4);
  const answers = new Uint8Array(buffer, ANSWER_OFFSET);
  const decoder = new TextDecoder();
  let asked = 0;
  const exchange = (request) => {
    const ask = ++asked;
    postToControl({ op: 'ask', id: evalId(), ask, request });
    for (;;) {
      const generation = Atomics.load(signal, GENERATION);
      const length = Atomics.load(signal, ANSWER_LENGTH);
      if (length > 0) {
        const answer = JSON.parse(decoder.decode(answers.slice(0, length)));
        Atomics.store(signal, ANSWER_LENGTH, 0);
        if (answer.ask === ask) return answer;
        continue; // the answer to a question an interrupt gave up on
      }
      waitForChange(signal, generation);
      throwIfInterrupted(signal);
    }
  };
  const patchBytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const runStep = (base64) => {
    try {
      return { ok: true, value: printForm(runtime.loadPatchSync(patchBytes(base64), evalId()), FORM_QUOTA).text };
    } catch (e) {
      const info = errorInfo(e);
      return { ok: false, class: info.cls, message: info.message ?? prStr(e) };
    }
  };
  return {
    ask(request) {
      let answer = exchange({ ...request, ns: request.ns ?? runtime.ns });
      while (typeof answer.run === 'string') answer = exchange({ what: 'ran', ...runStep(answer.run) });
      if (answer.ok === false) throw new CljError(answer.class, answer.message);
      if (typeof answer.patch === 'string') answer.result = runtime.loadPatchSync(patchBytes(answer.patch), evalId());
      return answer;
    },
    varOf: (slot, ns, name) => runtime.varFor(slot, ns, name),
    decode: (constant) => runtime.decodeConst(constant),
  };
}

/** A surrogate without its pair (a string cut inside a character, as `(seq "a😀")` makes). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A message's JSON. A surrogate without its pair is sent as `?`, as the JVM's UTF-8 encoder
 * writes one (JSON.stringify would write an escape a strict JSON parser refuses); the check
 * is on the text, so messages without one are made once.
 */
function messageText(msg) {
  const text = JSON.stringify(msg);
  if (!/\\u[dD][89a-fA-F]/.test(text)) return text;
  return JSON.stringify(msg, (_, v) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '?') : v));
}

/** The bytes of a binary frame as a Uint8Array (ArrayBuffer, typed array or Blob). */
async function frameBytes(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  return null;
}

/**
 * Connect a runtime to the server.
 *
 * options:
 *   kind       "browser" | "node" (sent in hello)
 *   agent      free text describing the runtime (sent in hello)
 *   onStatus   (status, detail) => void; status is "connecting", "open", "welcome" (detail.id:
 *              the runtime id the server gave this runtime), "closed" or "error"
 *   onEval     ({id, ok, value} | {id, ok: false, cls, message}, out) => void, after each eval
 *   onOut      (id, text, stream) => void, for each chunk of output ("out" or "err")
 *   onTimings  ({id, compile_us, transfer_us, run_us}) => void, when the server reports where an
 *              eval's time went (with --timings or a request's timings key)
 *   onReload   ({op: "reload-failed", file, line, column, message} | {op: "reloaded", namespaces})
 *              => void, when a reload after a save failed or succeeded
 *   runtime    a Runtime (default: a fresh one: slot numbers belong to one server session)
 *   WebSocket  the WebSocket class (default: the global one)
 *   instance   the id naming this runtime (default: a random one); a page keeps its id
 *              across reloads so sessions that selected it follow it
 *   startControl  ({url, instance, buffer}) => {postMessage(msg), terminate()}: starts the
 *              control worker (control.js); without it (or without SharedArrayBuffer) the
 *              runtime can't be interrupted while busy and read-line has no input
 *
 * Returns {runtime, closed, close(), reportError(e)}: `closed` resolves (never rejects) with
 * {code, reason, opened} when the socket closes or fails to open.
 */
export function connect(url, options = {}) {
  const {
    kind = 'browser',
    agent = '',
    onStatus = () => {},
    onEval = () => {},
    onOut = () => {},
    onTimings = () => {},
    onReload = () => {},
    runtime = new Runtime(),
    WebSocket: WS = globalThis.WebSocket,
    startControl = null,
    instance = newInstanceId(),
  } = options;
  const buffer = startControl !== null ? sharedBuffer() : null;
  let control = null;

  let resolveClosed;
  const closed = new Promise((resolve) => { resolveClosed = resolve; });
  let opened = false;
  let finished = false;
  let ws = null;

  const finish = (code, reason) => {
    if (finished) return;
    finished = true;
    flush();
    setOutput(previousOutput);
    if (control !== null) control.terminate();
    onStatus('closed', { code, reason, opened });
    resolveClosed({ code, reason, opened });
  };

  const send = (msg) => {
    if (ws !== null && ws.readyState === OPEN) ws.send(messageText(msg));
  };

  // Output is tagged with the eval it belongs to: the running one, or for a callback that
  // host code calls later, the eval that created the callback (runtime.js tracks which).
  // The id of the last eval is the fallback for output nothing claims.
  let currentId = null;
  let evalOut = '';
  const pending = []; // [id, stream, text] chunks, in order
  let pendingBytes = 0;
  let flushQueued = false;
  function flush() {
    flushQueued = false;
    pendingBytes = 0;
    for (const [id, stream, text] of pending.splice(0)) send({ op: stream, id, text });
  }
  const writer = (stream) => (text) => {
    text = String(text);
    if (text === '') return;
    const id = currentEvalId() ?? currentId;
    const last = pending[pending.length - 1];
    if (last !== undefined && last[0] === id && last[1] === stream) last[2] += text;
    else pending.push([id, stream, text]);
    pendingBytes += text.length;
    if (id === currentId) evalOut += text;
    try { onOut(id, text, stream); } catch { /* a UI callback must not break the eval */ }
    // A finished line goes out at once: code that runs for a while (or waits in read-line)
    // keeps the event loop busy, so a queued flush would only run when it ends.
    if (pendingBytes >= FLUSH_AT || text.includes('\n')) flush();
    else if (!flushQueued) { flushQueued = true; queueMicrotask(flush); }
  };
  const previousOutput = setOutput({ out: writer('out'), err: writer('err') });
  // a throw from a callback the code installed (a timer, a handler) goes to its eval's err
  setCallbackErrorReporter((cls, message) => writer('err')(`${cls}: ${message}\n`));

  let sideModules = null; // the jank runtime bundle, loaded with the first side module

  /**
   * Runs one patch (or side module): {ok, value} or {ok: false, cls, message}. The value is
   * printed as pr-str prints it, or as pprint does within `margin` columns.
   */
  async function runPatch(bytes, id, recordOutcome, margin = null, quota = null) {
    runtime.lastSource = null;
    const side = sideModuleInfo(bytes);
    if (side !== null) {
      // --compiler jank: an emscripten side module for the jank runtime bundle.
      sideModules ??= createEmscriptenHost({
        baseUrl: url.replace(/^ws/, 'http').replace(/\/repl(\?.*)?$/, ''),
        out: writer('out'),
        err: writer('err'),
      });
      return { id, ...(await sideModules.run(bytes, side)) };
    }
    try {
      const v = await runtime.loadPatch(bytes, id);
      if (recordOutcome) runtime.recordOutcome(v);
      // code the compiler runs for itself (a macro): its value is a form to read back
      if (!recordOutcome) return { id, ok: true, value: printCode(v), source: runtime.lastSource };
      return { id, ok: true, ...printValue(v, margin, quota), source: runtime.lastSource };
    } catch (e) {
      if (recordOutcome) runtime.recordOutcome(null, e);
      const info = errorInfo(e);
      return { id, ok: false, cls: info.cls, message: info.message ?? prStr(e), source: runtime.lastSource };
    }
  }

  /**
   * `{value, truncated}`: a value's text for the eval's answer, as pr-str prints it (or pprint
   * within `margin`). Past the client's print `quota` it is cut off there and said to be (as
   * nREPL's print middleware does); past PRINT_QUOTA, with a marker and a line on err.
   */
  function printValue(v, margin, quota) {
    // (pretty first: only a value past the quota is printed a second time, to cut it off)
    const pretty = margin === null ? null : prettyText(v, margin, true, quota ?? PRINT_QUOTA);
    if (pretty !== null) return { value: pretty, truncated: false };
    const { text, truncated } = printWith(v, true, quota ?? PRINT_QUOTA);
    if (truncated && quota !== null) return { value: text, truncated: true };
    if (truncated) {
      writer('err')(`(the value was cut off after ${PRINT_QUOTA} characters of printing)\n`);
      return { value: `${text}...`, truncated: false };
    }
    return { value: text, truncated: false };
  }

  /** A form the compiler reads back (a macro's expansion), cut off past FORM_QUOTA characters. */
  function printCode(v) {
    const { text, truncated } = printForm(v, FORM_QUOTA);
    return truncated ? `${text} ...` : text;
  }

  /** A replay batch: each patch in order; failures reported as `err` lines, then the count. */
  async function runBatch(u8, id) {
    const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    let offset = 8;
    let count = 0;
    while (offset + 4 <= u8.length) {
      const length = view.getUint32(offset, true);
      const bytes = u8.subarray(offset + 4, offset + 4 + length);
      offset += 4 + length;
      count++;
      const result = await runPatch(bytes, id, false);
      if (!result.ok) writer('err')(`replaying a definition failed: ${result.cls}: ${result.message}\n`);
    }
    return { id, ok: true, value: String(count), source: `replayed ${count} definitions` };
  }

  const magic = (u8) => (u8.length >= 8 ? String.fromCharCode(u8[4], u8[5], u8[6], u8[7]) : '');

  async function runEval(data) {
    const u8 = await frameBytes(data);
    if (u8 === null || u8.length < 4) return; // no id to answer to
    const id = (u8[0] | (u8[1] << 8) | (u8[2] << 16) | (u8[3] << 24)) >>> 0;
    currentId = id;
    evalOut = '';
    if (buffer !== null) {
      // Forget an interrupt aimed at an earlier eval; keep one that already names this eval.
      const flags = new Int32Array(buffer, 0, 1);
      const target = Atomics.load(flags, INTERRUPT) >>> 0;
      if (target !== 0 && target !== id) Atomics.store(flags, INTERRUPT, 0);
    }
    const started = performance.now();
    const kind = magic(u8);
    const batch = kind === BATCH_MAGIC;
    const word = (offset) => new DataView(u8.buffer, u8.byteOffset + offset, 4).getUint32(0, true);
    const result = batch ? await runBatch(u8, id)
      : kind === QUIET_MAGIC ? await runPatch(u8.subarray(8), id, false)
        : kind === VALUE_MAGIC && u8.length >= 16
          ? await runPatch(u8.subarray(16), id, true, word(8) || null, word(12) || null)
          : await runPatch(u8.subarray(4), id, true);
    result.runMs = performance.now() - started;
    flush();
    // the run's time goes with its outcome: one message back per eval
    const time = batch ? {} : { run_us: Math.round(result.runMs * 1000) };
    if (result.ok && result.truncated) send({ op: 'truncated', id });
    if (result.ok) send({ op: 'value', id, value: result.value, ...time });
    else send({ op: 'error', id, class: result.cls, message: result.message, ...time });
    try { onEval(result, evalOut); } catch { /* ignore UI errors */ }
  }

  // Evals run one at a time, in arrival order; so do the context switches between them.
  let queue = Promise.resolve();
  const enqueue = (data) => { queue = queue.then(() => runEval(data)).catch(() => {}); };
  const enqueueContext = (context) => { queue = queue.then(() => runtime.enterContext(context)).catch(() => {}); };

  onStatus('connecting', { url });
  try {
    ws = new WS(url);
  } catch (e) {
    onStatus('error', { error: e });
    finish(1006, String(e && e.message ? e.message : e));
    return { runtime, closed, close() {}, reportError() {} };
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    opened = true;
    ws.send(JSON.stringify({ op: 'hello', kind, agent, instance, control: buffer !== null }));
    if (buffer !== null) {
      try {
        control = startControl({ url, instance, buffer });
        setSignal(new Int32Array(buffer, 0, 1));
        setLineSource(makeLineSource(buffer, () => control.postMessage({ op: 'need-input', id: currentId })));
        // Printing a value (a lazy seq's elements) still belongs to the eval it ends.
        const evalId = () => currentEvalId() ?? currentId ?? 0;
        setCompilerLink(makeCompilerLink(buffer, (message) => control.postMessage(message), runtime, evalId));
      } catch (e) {
        onStatus('error', { error: e });
      }
    }
    onStatus('open', { url });
  };
  ws.onmessage = (ev) => {
    if (typeof ev.data === 'string') {
      let message = null;
      try { message = JSON.parse(ev.data); } catch { /* not for us */ }
      if (message && message.op === 'welcome') onStatus('welcome', { id: message.id });
      if (message && message.op === 'context' && typeof message.context === 'string') enqueueContext(message.context);
      if (message && message.op === 'timings') onTimings(message);
      if (message && (message.op === 'reload-failed' || message.op === 'reloaded')) onReload(message);
      return;
    }
    enqueue(ev.data);
  };
  ws.onerror = (ev) => {
    onStatus('error', { error: ev && ev.error ? ev.error : ev });
    // Some implementations fire only "error" when the connection cannot be made.
    if (!opened) setTimeout(() => finish(1006, 'connection failed'), 1000);
  };
  ws.onclose = (ev) => finish(ev ? ev.code : 1006, ev ? ev.reason : '');

  return {
    runtime,
    closed,
    /** Close the socket (the server sees the runtime go away). */
    close(code = 1000, reason = '') {
      try { ws.close(code, reason); } catch { /* already closed */ }
    },
    /** Report an error raised outside an eval (e.g. in a callback) as `err` output. */
    reportError(e) {
      const info = errorInfo(e);
      writer('err')(`${info.cls}: ${info.message ?? prStr(e)}\n`);
    },
  };
}
