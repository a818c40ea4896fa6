// Tests for assets/rt/module-cache.js: node --test assets/test/

import test from 'node:test';
import assert from 'node:assert/strict';
import { ModuleCache } from '../rt/module-cache.js';

const bytes = (...xs) => new Uint8Array(xs);

test('the same bytes give the kept value; other bytes make their own', () => {
  const cache = new ModuleCache();
  let made = 0;
  const make = () => ({ made: ++made });
  const a = cache.get(bytes(1, 2, 3), make);
  assert.equal(cache.get(bytes(1, 2, 3), make), a);
  const b = cache.get(bytes(1, 2, 4), make);
  assert.notEqual(b, a);
  assert.equal(made, 2);
});

test('a kept entry does not see later changes to the buffer it came from', () => {
  const cache = new ModuleCache();
  const buffer = bytes(7, 7, 7);
  const first = cache.get(buffer, () => 'first');
  buffer[0] = 8;
  assert.equal(cache.get(buffer, () => 'second'), 'second');
  assert.equal(cache.get(bytes(7, 7, 7), () => 'third'), first);
});

test('past its capacity the least recently used goes first', () => {
  const cache = new ModuleCache(2);
  cache.get(bytes(1), () => 'one');
  cache.get(bytes(2), () => 'two');
  cache.get(bytes(1), () => 'not made'); // one is now the most recent
  cache.get(bytes(3), () => 'three'); // two goes
  assert.equal(cache.get(bytes(1), () => 'made again'), 'one');
  assert.equal(cache.get(bytes(2), () => 'two again'), 'two again');
});
