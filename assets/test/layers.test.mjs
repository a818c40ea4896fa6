// The runtime library's modules form the layers ARCHITECTURE.md lists ("The runtime
// library"): a module imports only modules of its own layer or below, and nothing imports
// in a cycle. The table in ARCHITECTURE.md is read here, so the codemap and the code
// cannot drift apart: a new module must be listed before this test passes.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const rtDir = resolve(here, '../rt');
const architecture = readFileSync(resolve(here, '../../ARCHITECTURE.md'), 'utf8');

/** Every runtime module, by its name relative to assets/rt without `.js` (`core/arith`). */
function runtimeModules(dir = rtDir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return runtimeModules(path);
    return entry.name.endsWith('.js') ? [relative(rtDir, path).slice(0, -3)] : [];
  });
}

/** The modules `name` imports (static `import ... from` and `export ... from`). */
function importsOf(name) {
  const text = readFileSync(join(rtDir, `${name}.js`), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]);
  return specifiers.map((spec) => relative(rtDir, resolve(dirname(join(rtDir, name)), spec)).replace(/\.js$/, ''));
}

/** Layer numbers by module, from the table under "## The runtime library". */
function documentedLayers() {
  const section = architecture.split('## The runtime library')[1].split('\n## ')[0];
  const layers = new Map();
  for (const row of section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)) {
    for (const [, module] of row[2].matchAll(/`([^`]+)`/g)) layers.set(module, Number(row[1]));
  }
  return layers;
}

function layerOf(layers, module) {
  return layers.get(module) ?? layers.get(module.replace(/\/[^/]+$/, '/*'));
}

test('every runtime module has a layer in ARCHITECTURE.md', () => {
  const layers = documentedLayers();
  assert.ok(layers.size > 10, 'the layer table was not found in ARCHITECTURE.md');
  const unlisted = runtimeModules().filter((m) => layerOf(layers, m) === undefined);
  assert.deepEqual(unlisted, []);
});

test('runtime modules import only their own layer or the layers below it', () => {
  const layers = documentedLayers();
  const upward = runtimeModules().flatMap((m) =>
    importsOf(m)
      .filter((dep) => layerOf(layers, dep) > layerOf(layers, m))
      .map((dep) => `${m} (layer ${layerOf(layers, m)}) imports ${dep} (layer ${layerOf(layers, dep)})`),
  );
  assert.deepEqual(upward, []);
});

test('runtime modules import each other in no cycle', () => {
  const state = new Map(); // module -> 'visiting' | 'done'
  const cycles = [];
  const visit = (module, path) => {
    if (state.get(module) === 'done') return;
    if (state.get(module) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(module)), module].join(' -> '));
      return;
    }
    state.set(module, 'visiting');
    for (const dep of importsOf(module)) visit(dep, [...path, module]);
    state.set(module, 'done');
  };
  for (const module of runtimeModules()) visit(module, []);
  assert.deepEqual(cycles, []);
});
