// The jank toolchain path's runtime side (docs/patch-abi.md, "Side modules"): loads the jank
// runtime bundle (an emscripten MAIN_MODULE served under /bundle/), and runs each side-module
// patch in it: writes the patch into the emscripten FS, has the bundle dlopen it and call its
// entry (jank_wasm_load_patch), and answers with the printed value or the error, like a
// built-in patch. Used by connection.js in the page and in Node.

const SIDE_SECTION = 'jank.side';
const PATCH_DIR = '/jank-patches';

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error('truncated wasm');
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** The custom sections of a wasm module, in order: [{name, data}]. */
function customSections(bytes) {
  const sections = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    if (end > bytes.length) throw new Error('a wasm section runs past the end');
    if (id === 0) {
      const [nameLength, nameStart] = leb(bytes, start);
      const name = new TextDecoder().decode(bytes.subarray(nameStart, nameStart + nameLength));
      sections.push({ name, data: bytes.subarray(nameStart + nameLength, end), first: sections.length === 0 && at === 8 });
    }
    at = end;
  }
  return sections;
}

/**
 * For an emscripten side module (its first section is `dylink.0`, or `dylink`): its
 * `jank.side` description ({entry}); null for anything else (a built-in patch).
 */
export function sideModuleInfo(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return null;
  let sections;
  try { sections = customSections(bytes); } catch { return null; }
  const first = sections[0];
  if (!first || !first.first || (first.name !== 'dylink.0' && first.name !== 'dylink')) return null;
  const side = sections.find((s) => s.name === SIDE_SECTION);
  if (!side) return { entry: null };
  try {
    return JSON.parse(new TextDecoder().decode(side.data));
  } catch {
    return { entry: null };
  }
}

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

/** GET `url` as bytes: fetch where there is one, else Node's http (`--no-experimental-fetch`). */
async function getBytes(url) {
  if (typeof globalThis.fetch === 'function') {
    const response = await globalThis.fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  const http = await import(url.startsWith('https:') ? 'node:https' : 'node:http');
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url}: HTTP ${response.statusCode}`));
        return;
      }
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Evaluates the bundle's MODULARIZE'd glue (the text emcc writes as NAME.js) and returns its
 * factory: the glue assigns it to `module.exports`, which we hand it, so its export name
 * does not matter. In Node it also gets `require` (the glue reads files with it).
 */
async function glueFactory(text) {
  const module = { exports: {} };
  let require;
  if (isNode) {
    const { createRequire } = await import('node:module');
    require = createRequire(`${process.cwd()}/`);
  }
  // eslint-disable-next-line no-new-func
  new Function('module', 'exports', 'require', '__dirname', '__filename', text)(
    module, module.exports, require, isNode ? process.cwd() : '/', isNode ? `${process.cwd()}/bundle.js` : '/bundle.js',
  );
  const factory = typeof module.exports === 'function' ? module.exports : module.exports.default;
  if (typeof factory !== 'function') {
    throw new Error('the runtime bundle\'s glue exports no factory: build it with -sMODULARIZE=1');
  }
  return factory;
}

/** Node's process listeners of the kinds emscripten's glue installs, to undo its additions. */
function processListeners() {
  if (!isNode) return null;
  return ['uncaughtException', 'unhandledRejection'].map((event) => [event, process.listeners(event)]);
}

function removeAddedListeners(before) {
  if (before === null) return;
  for (const [event, listeners] of before) {
    for (const listener of process.listeners(event)) {
      if (!listeners.includes(listener)) process.removeListener(event, listener);
    }
  }
}

/**
 * The jank runtime, loaded from `baseUrl` (the server's http://host:port) on first use.
 *
 * options: out(text), err(text): where the runtime's stdout and stderr go.
 * Returns {run(bytes, info, id)} resolving to {ok: true, value} or {ok: false, cls, message}.
 */
export function createEmscriptenHost({ baseUrl, out, err }) {
  let host = null; // a promise of the instantiated bundle
  let aborted = null; // why the runtime stopped for good
  let loaded = 0;

  async function load() {
    const manifest = JSON.parse(new TextDecoder().decode(await getBytes(`${baseUrl}/bundle/manifest.json`)));
    const [glue, wasmBinary] = await Promise.all([getBytes(`${baseUrl}${manifest.glue}`), getBytes(`${baseUrl}${manifest.wasm}`)]);
    const factory = await glueFactory(new TextDecoder().decode(glue));
    const listeners = processListeners();
    const instance = await factory({
      // Given the bytes, the glue fetches nothing (its own fetch of a file path crashes Node 18+).
      wasmBinary,
      print: (text) => out(`${text}\n`),
      printErr: (text) => err(`${text}\n`),
      onAbort: (what) => { aborted = String(what); },
    });
    // The glue's own uncaughtException/unhandledRejection handlers would kill the runtime.
    removeAddedListeners(listeners);
    if (!instance.FS || typeof instance.ccall !== 'function') {
      throw new Error('the runtime bundle lacks FS or ccall: build it with -sEXPORTED_RUNTIME_METHODS=FS,ccall');
    }
    instance.FS.mkdirTree(PATCH_DIR);
    return instance;
  }

  function failure(cls, message) {
    return { ok: false, cls, message };
  }

  return {
    async run(bytes, info) {
      if (aborted !== null) {
        return failure('jank.wasm.RuntimeAborted', `The jank runtime aborted earlier (${aborted}); reload the page or restart the runtime.`);
      }
      if (!info || typeof info.entry !== 'string') {
        return failure('jank.wasm.BadPatch', 'the side module has no jank.side section naming its entry');
      }
      let instance;
      try {
        host ??= load();
        instance = await host;
      } catch (e) {
        host = null;
        return failure('jank.wasm.RuntimeBundle', `could not load the jank runtime bundle: ${e && e.message ? e.message : e}`);
      }
      const path = `${PATCH_DIR}/p${++loaded}.wasm`;
      let result;
      try {
        instance.FS.writeFile(path, bytes);
        result = instance.ccall('jank_wasm_load_patch', 'string', ['string', 'string'], [path, info.entry]);
      } catch (e) {
        // A trap or abort: the runtime cannot be trusted any more.
        aborted ??= e && e.message ? e.message : String(e);
        return failure(e && e.name ? e.name : 'RuntimeError', aborted);
      } finally {
        try { instance.FS.unlink(path); } catch { /* already gone */ }
      }
      if (typeof result !== 'string' || result.length === 0) return failure('jank.wasm.BadResult', 'the runtime returned no result');
      if (result[0] === 'v') return { ok: true, value: result.slice(1) };
      const newline = result.indexOf('\n');
      return newline < 0 ? failure(result.slice(1), '') : failure(result.slice(1, newline), result.slice(newline + 1));
    },
  };
}
