import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSplit, type Sample } from '../../../src/engine/data';
import { createRng, shuffled } from '../../../src/engine/random';

/** Class sizes 40, 9, 5, 2, 1 (label = index), paths unique per sample. */
const SIZES = [40, 9, 5, 2, 1];
const SAMPLES: Sample[] = SIZES.flatMap((n, label) => Array.from({ length: n }, (_, i) => ({ path: `/d/c${label}/${String(i).padStart(3, '0')}.jpg`, label })));
const FRACTIONS = { val: 0.2, test: 0.1 };

function countByLabel(samples: Sample[]): number[] {
  return SIZES.map((_, label) => samples.filter((s) => s.label === label).length);
}

test('the split is complete, disjoint, sorted and stratified', () => {
  const { train, val, test: held } = stratifiedSplit(SAMPLES, FRACTIONS, 7);
  const all = [...train, ...val, ...held].map((s) => s.path);
  assert.equal(new Set(all).size, all.length, 'no sample in two splits');
  assert.deepEqual([...all].sort(), SAMPLES.map((s) => s.path).sort(), 'every sample placed');
  for (const list of [train, val, held]) assert.deepEqual(list.map((s) => s.path), list.map((s) => s.path).sort());
  const [trainN, valN, testN] = [train, val, held].map(countByLabel);
  SIZES.forEach((n, label) => {
    assert.ok(trainN[label] >= 1, `class ${label} keeps a training sample`);
    if (n >= 2) assert.ok(valN[label] >= 1, `class ${label} (${n} images) gets a val sample`);
    assert.ok(Math.abs(valN[label] - n * FRACTIONS.val) <= 1, `class ${label} val share near ${FRACTIONS.val}`);
    assert.ok(testN[label] <= Math.round(n * FRACTIONS.test), `class ${label} test share at most its rounded fraction`);
  });
  assert.equal(testN[0], Math.round(SIZES[0] * FRACTIONS.test), 'a large class gets its exact rounded share');
});

test('same seed gives the same split whatever the input order; another seed a different one', () => {
  const once = stratifiedSplit(SAMPLES, FRACTIONS, 7);
  assert.deepEqual(stratifiedSplit(shuffled(SAMPLES, createRng(99)), FRACTIONS, 7), once);
  assert.notDeepEqual(stratifiedSplit(SAMPLES, FRACTIONS, 8).val, once.val);
});

test('zero fractions keep everything in train; impossible fractions are refused', () => {
  const all = stratifiedSplit(SAMPLES, { val: 0, test: 0 }, 1);
  assert.equal(all.train.length, SAMPLES.length);
  assert.deepEqual([all.val, all.test], [[], []]);
  assert.throws(() => stratifiedSplit(SAMPLES, { val: 0.6, test: 0.4 }, 1), /val 0.6 \+ test 0.4/);
  assert.throws(() => stratifiedSplit(SAMPLES, { val: -0.1, test: 0 }, 1), /"val" is -0.1/);
  assert.throws(() => stratifiedSplit(SAMPLES, { val: 0.1, test: Number.NaN }, 1), /"test" is NaN/);
});
