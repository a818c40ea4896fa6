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

let entries = new Map(); // eval id -> its list item, for the current connection (ids restart per connection)

function entryFor(id) {
  let e = entries.get(id);
  if (e) return e;
  const li = document.createElement('li');
  li.className = 'running';
  const head = document.createElement('div');
  head.className = 'head';
  const idEl = document.createElement('span');
  idEl.className = 'id';
  idEl.textContent = `#${id}`;
  const time = document.createElement('span');
  time.textContent = new Date().toLocaleTimeString();
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = 'running…';
  head.append(idEl, time, kind);
  li.append(head);
  listEl.prepend(li);
  emptyEl.hidden = true;
  e = { li, kind, outPre: null, errPre: null };
  entries.set(id, e);
  while (listEl.children.length > MAX_ENTRIES) {
    const last = listEl.lastElementChild;
    for (const [k, v] of entries) if (v.li === last) entries.delete(k);
    last.remove();
  }
  return e;
}

function addOutput(id, text, stream) {
  if (id === null) return;
  const e = entryFor(id);
  const key = stream === 'err' ? 'errPre' : 'outPre';
  if (!e[key]) {
    e[key] = document.createElement('pre');
    e[key].className = stream === 'err' ? 'err' : 'out';
    e.li.append(e[key]);
  }
  e[key].textContent += text;
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
  const e = entryFor(id);
  const line = document.createElement('div');
  line.className = 'timings';
  line.textContent = `compile ${formatMs(compile / 1000)} · transfer ${formatMs(transfer / 1000)} · run ${formatMs(run / 1000)}`;
  e.li.append(line);
}

function finishEval(result) {
  const e = entryFor(result.id);
  if (typeof result.source === 'string') {
    // What was evaluated, above its output and value.
    const source = document.createElement('pre');
    source.className = 'source';
    source.textContent = result.source;
    e.li.insertBefore(source, e.li.children[1] ?? null);
  }
  const pre = document.createElement('pre');
  if (result.ok) {
    e.li.className = 'value';
    e.kind.textContent = `value · ran in ${formatMs(result.runMs)}`;
    pre.textContent = result.value;
  } else {
    e.li.className = 'error';
    e.kind.textContent = `${result.cls} · after ${formatMs(result.runMs)}`;
    pre.className = 'err';
    pre.textContent = `${result.cls}: ${result.message}`;
  }
  e.li.append(pre);
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
    entries = new Map();
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
