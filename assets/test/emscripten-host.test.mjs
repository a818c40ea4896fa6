// Tests for assets/emscripten-host.js (the jank toolchain path's loader): node --test assets/test/
// Recognising side modules, and the loader's protocol with a runtime bundle, here a fake
// bundle served by a local HTTP server (proxy-tests/emcc.rs runs the real one).

import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sideModuleInfo, createEmscriptenHost } from '../emscripten-host.js';

const enc = new TextEncoder();
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function custom(name, payload) {
  const body = [name.length, ...enc.encode(name), ...payload];
  return [0, body.length, ...body];
}

test('side modules are told apart from built-in patches', () => {
  const side = new Uint8Array([
    ...HEADER,
    ...custom('dylink.0', [1, 4, 0, 0, 0, 0]),
    1, 1, 0, // an empty type section
    ...custom('jank.side', enc.encode('{"entry":"jank_wasm_entry_ab"}')),
  ]);
  assert.deepEqual(sideModuleInfo(side), { entry: 'jank_wasm_entry_ab' });
  const builtIn = new Uint8Array([...HEADER, 1, 1, 0, ...custom('jank.patch', enc.encode('{}'))]);
  assert.equal(sideModuleInfo(builtIn), null);
  const dylinkLater = new Uint8Array([...HEADER, 1, 1, 0, ...custom('dylink.0', [])]);
  assert.equal(sideModuleInfo(dylinkLater), null, 'dylink.0 must come first');
  assert.deepEqual(sideModuleInfo(new Uint8Array([...HEADER, ...custom('dylink.0', [])])), { entry: null });
  assert.equal(sideModuleInfo(new Uint8Array([1, 2, 3])), null);
});

/** A fake bundle: its glue's factory records what the loader does. */
const GLUE = `
module.exports = function (options) {
  const files = new Map();
  globalThis.fakeBundle = { options, files };
  process.on('uncaughtException', function glueHandler() {});
  return Promise.resolve({
    FS: {
      mkdirTree(dir) { files.set(dir, 'dir'); },
      writeFile(path, bytes) { files.set(path, bytes.length); },
      unlink(path) { files.delete(path); },
    },
    ccall(name, returns, types, args) {
      if (args[1] === 'traps') throw new WebAssembly.RuntimeError('unreachable');
      options.print('printed by the patch');
      return args[1] === 'throws' ? 'eclojure.lang.ExceptionInfo\\nboom' : 'v' + args[0];
    },
  });
};`;

async function serveBundle() {
  const files = {
    '/bundle/manifest.json': JSON.stringify({ glue: '/bundle/rt.js', wasm: '/bundle/rt.wasm' }),
    '/bundle/rt.js': GLUE,
    '/bundle/rt.wasm': 'not really wasm',
  };
  const server = http.createServer((req, res) => {
    const body = files[req.url];
    res.writeHead(body === undefined ? 404 : 200);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

test('the loader runs patches in the bundle and reports like a built-in patch', async () => {
  const server = await serveBundle();
  const out = [];
  try {
    const listeners = process.listeners('uncaughtException').length;
    const host = createEmscriptenHost({
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      out: (text) => out.push(text),
      err: (text) => out.push(`ERR ${text}`),
    });
    const patch = new Uint8Array([1, 2, 3]);
    assert.deepEqual(await host.run(patch, { entry: 'ok' }), { ok: true, value: '/jank-patches/p1.wasm' });
    assert.deepEqual(out, ['printed by the patch\n']);
    assert.equal(process.listeners('uncaughtException').length, listeners, "the glue's handler is removed");
    assert.equal(globalThis.fakeBundle.options.wasmBinary.length, 'not really wasm'.length);
    assert.equal(globalThis.fakeBundle.files.get('/jank-patches/p1.wasm'), undefined, 'the patch file is removed');
    assert.deepEqual(await host.run(patch, { entry: 'throws' }), {
      ok: false, cls: 'clojure.lang.ExceptionInfo', message: 'boom',
    });
    assert.deepEqual(await host.run(patch, { entry: null }), {
      ok: false, cls: 'jank.wasm.BadPatch', message: 'the side module has no jank.side section naming its entry',
    });
    const trapped = await host.run(patch, { entry: 'traps' });
    assert.equal(trapped.cls, 'RuntimeError');
    const after = await host.run(patch, { entry: 'ok' });
    assert.equal(after.cls, 'jank.wasm.RuntimeAborted', 'a runtime that trapped is not used again');
  } finally {
    server.close();
  }
});

test('a bundle that cannot be loaded is an error, tried again next time', async () => {
  const host = createEmscriptenHost({ baseUrl: 'http://127.0.0.1:9', out() {}, err() {} });
  const result = await host.run(new Uint8Array(), { entry: 'x' });
  assert.equal(result.cls, 'jank.wasm.RuntimeBundle');
  assert.match(result.message, /could not load the jank runtime bundle/);
});
