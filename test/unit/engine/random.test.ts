import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, shuffled } from '../../../src/engine/random';

test('same seed gives the same sequence, different seeds differ', () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const seqA = Array.from({ length: 5 }, a);
  assert.deepEqual(seqA, Array.from({ length: 5 }, b));
  assert.notDeepEqual(seqA, Array.from({ length: 5 }, c));
  for (const x of seqA) assert.ok(x >= 0 && x < 1);
});

test('shuffled is a seeded permutation that leaves its input alone', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const once = shuffled(items, createRng(7));
  assert.deepEqual(shuffled(items, createRng(7)), once);
  assert.deepEqual([...once].sort((x, y) => x - y), items);
  assert.notDeepEqual(once, items);
  assert.equal(items[0], 0);
});

test('derived seeds differ by purpose', () => {
  assert.notEqual(deriveSeed(1, 'split'), deriveSeed(1, 'shuffle'));
  assert.equal(deriveSeed(1, 'split'), deriveSeed(1, 'split'));
});
