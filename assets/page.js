// The browser runtime page: connects to ws(s)://<host>/repl?token=T as kind "browser",
// shows the connection state, reconnects with backoff, and lists the last evaluations.

import { connect } from './connection.js';

const MAX_ENTRIES = 20;
const statusEl = document.getElementById('status');
const metaEl = document.getElementById('meta');
const listEl = document.getElementById('evals');
const emptyEl = document.getElementById('empty');

const token = new URLSearchParams(location.search).get('token');
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/repl?token=${encodeURIComponent(token ?? '')}`;

/** This tab's runtime instance id: kept across reloads, so the server gives the reloaded
 * page the same runtime id and sessions that selected it stay with it. */
function tabInstanceId() {
  let id = sessionStorage.getItem('jank-wasm-nrepl.instance');
  if (id === null) {
    id = crypto.randomUUID();
    sessionStorage.setItem('jank-wasm-nrepl.instance', id);
  }
  return id;
}

/** The control worker (control.js), which lets the server interrupt a busy page. When the
 * server gives up on a page stuck in code no interrupt reaches, the worker passes on its
 * `reload`; it runs once the main thread is free again, and the reloaded page gets every
 * definition replayed. */
function startControl(init) {
  const worker = new Worker('/control.js', { type: 'module' });
  worker.onmessage = (event) => {
    if (event.data && event.data.op === 'reload') {
      setStatus('closed', `The server ended this runtime (${event.data.reason}) · reloading`);
      location.reload();
    }
  };
  worker.postMessage({ op: 'init', ...init });
  return { postMessage: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}

let retryNow = null; // resolves the backoff wait early
let current = null; // the live connection

function setStatus(kind, text, withRetry = false) {
  statusEl.className = `status ${kind}`;
  statusEl.textContent = text;
  if (withRetry) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'retry now';
    b.addEventListener('click', () => retryNow && retryNow());
    statusEl.append(b);
  }
  document.title = `${kind === 'open' ? '●' : '○'} jank-wasm-nrepl · browser runtime`;
}

// --- the evaluation list -----------------------------------------------------------------
// Evals are recorded as they happen and drawn on the next frame, and at most every
// DRAW_EVERY ms: an editor (or a test) sending hundreds of evals a second must not spend the
// page's time on DOM work for items that leave the list before anyone could see them.

/** The last MAX_ENTRIES evals, newest last: {id, at, out, err, timings, result, li}. */
let records = [];
let byId = new Map(); // eval id -> its record, for the current connection (ids restart per connection)
let drawQueued = false;

function recordFor(id) {
  let r = byId.get(id);
  if (r !== undefined) return r;
  r = { id, at: Date.now(), out: '', err: '', timings: null, result: null, li: null, drawn: null };
  records.push(r);
  byId.set(id, r);
  while (records.length > MAX_ENTRIES) {
    const old = records.shift();
    byId.delete(old.id);
    old.li?.remove();
  }
  return r;
}

/** At most this often (ms) under a flood of evals; at the next frame when the page is idle. */
const DRAW_EVERY = 250;
let lastDraw = -Infinity;

function changed() {
  if (drawQueued) return;
  drawQueued = true;
  const wait = lastDraw + DRAW_EVERY - performance.now();
  if (wait <= 0) requestAnimationFrame(draw);
  else setTimeout(() => requestAnimationFrame(draw), wait);
}

function resetList() {
  for (const r of records) r.li?.remove();
  records = [];
  byId = new Map();
}

function addOutput(id, text, stream) {
  if (id === null) return;
  const r = recordFor(id);
  if (stream === 'err') r.err += text;
  else r.out += text;
  changed();
}

/** A duration for people: 0.42 ms, 12.3 ms, 1.25 s. */
function formatMs(ms) {
  if (typeof ms !== 'number') return '?';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The server's account of an eval's time (with --timings): compile, transfer, run. */
function showTimings({ id, compile_us: compile, transfer_us: transfer, run_us: run }) {
  recordFor(id).timings = `compile ${formatMs(compile / 1000)} · transfer ${formatMs(transfer / 1000)} · run ${formatMs(run / 1000)}`;
  changed();
}

function finishEval(result) {
  recordFor(result.id).result = result;
  changed();
}

/** Brings the list in line with the records: each record's item made again when it changed. */
function draw() {
  drawQueued = false;
  lastDraw = performance.now();
  if (records.length > 0) emptyEl.hidden = true;
  for (const r of records) {
    const state = `${r.out.length}/${r.err.length}/${r.timings !== null}/${r.result !== null}`;
    if (r.drawn === state) continue;
    const li = itemFor(r);
    if (r.li === null) listEl.prepend(li);
    else r.li.replaceWith(li);
    r.li = li;
    r.drawn = state;
  }
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One eval's list item: its id, time and outcome, what was evaluated, its output, its value. */
function itemFor(r) {
  const result = r.result;
  const li = element('li', result === null ? 'running' : result.ok ? 'value' : 'error');
  let kind = 'running…';
  if (result !== null) kind = result.ok ? `value · ran in ${formatMs(result.runMs)}` : `${result.cls} · after ${formatMs(result.runMs)}`;
  const head = element('div', 'head');
  head.append(element('span', 'id', `#${r.id}`), element('span', '', new Date(r.at).toLocaleTimeString()), element('span', 'kind', kind));
  li.append(head);
  // what was evaluated, above its output and value
  if (typeof result?.source === 'string') li.append(element('pre', 'source', result.source));
  if (r.out !== '') li.append(element('pre', 'out', r.out));
  if (r.err !== '') li.append(element('pre', 'err', r.err));
  if (r.timings !== null) li.append(element('div', 'timings', r.timings));
  if (result !== null) {
    li.append(result.ok ? element('pre', '', result.value) : element('pre', 'err', `${result.cls}: ${result.message}`));
  }
  return li;
}

// --- reloads after saves -----------------------------------------------------------------

const problemEl = document.getElementById('reload-problem');

/** A save that did not compile: shown over the page until a reload succeeds. */
function showReload(message) {
  if (message.op === 'reloaded') {
    problemEl.hidden = true;
    return;
  }
  problemEl.querySelector('.where').textContent = `${message.file}:${message.line}:${message.column}`;
  problemEl.querySelector('.message').textContent = message.message;
  problemEl.hidden = false;
}

// --- connecting --------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  retryNow = () => { clearTimeout(t); resolve(); };
});

async function run() {
  if (!token) {
    setStatus('closed', 'No token in the page URL');
    metaEl.textContent = 'Open the URL the server printed (it ends with ?token=…).';
    return;
  }
  metaEl.textContent = `Evaluations sent from your editor run in this tab (${location.host}).`;
  let failures = 0;
  for (;;) {
    resetList();
    current = connect(wsUrl, {
      kind: 'browser',
      agent: navigator.userAgent,
      onStatus(status, detail) {
        if (status === 'connecting') setStatus('connecting', 'Connecting…');
        if (status === 'open') setStatus('open', 'Connected');
        if (status === 'welcome') setStatus('open', `Connected · runtime ${detail.id}`);
      },
      onOut: addOutput,
      onEval: finishEval,
      onTimings: showTimings,
      onReload: showReload,
      startControl,
      instance: tabInstanceId(),
    });
    const { opened } = await current.closed;
    current = null;
    if (opened) failures = 0;
    const delay = Math.min(10000, 500 * 2 ** failures);
    failures++;
    // count down to the next attempt
    const until = Date.now() + delay;
    const tick = () => {
      const s = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setStatus('closed', `Disconnected · retrying in ${s}s`, true);
    };
    tick();
    const timer = setInterval(tick, 500);
    await sleep(delay);
    clearInterval(timer);
    retryNow = null;
  }
}

window.addEventListener('error', (ev) => current && current.reportError(ev.error ?? new Error(ev.message)));
window.addEventListener('unhandledrejection', (ev) => current && current.reportError(ev.reason));

run();
