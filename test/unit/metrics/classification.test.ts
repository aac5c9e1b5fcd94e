import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy, confusionMatrix, macroAverage, perClassMetrics, rowNormalize,
} from '../../../src/engine/metrics/classification';
import { createRng } from '../../../src/engine/random';

// 3 classes, 9 examples; the expected numbers below are worked out by hand from this table
const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
const guess = [0, 0, 1, 1, 2, 2, 2, 2, 1];

test('confusion matrix puts true classes on rows and predictions on columns', () => {
  assert.deepEqual(confusionMatrix(truth, guess, 3), [
    [2, 1, 0],
    [0, 1, 1],
    [0, 1, 3],
  ]);
  assert.deepEqual(confusionMatrix(Int32Array.from(truth), Uint8Array.from(guess), 3), confusionMatrix(truth, guess, 3));
});

test('per-class precision, recall, f1 and support on a hand-checked case', () => {
  const cm = confusionMatrix(truth, guess, 3);
  const [cat, dog, fox] = perClassMetrics(cm, ['cat', 'dog', 'fox']);
  assert.deepEqual(cat, { name: 'cat', precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
  assert.equal(dog.precision, 1 / 3);
  assert.equal(dog.recall, 1 / 2);
  assert.ok(Math.abs(dog.f1 - 0.4) < 1e-12);
  assert.equal(dog.support, 2);
  assert.deepEqual(fox, { name: 'fox', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
  assert.equal(accuracy(cm), 6 / 9);
  const macro = macroAverage([cat, dog, fox]);
  assert.ok(Math.abs(macro.precision - 25 / 36) < 1e-12);
  assert.ok(Math.abs(macro.recall - 23 / 36) < 1e-12);
  assert.ok(Math.abs(macro.f1 - 0.65) < 1e-12);
});

test('a class never predicted, a class never present and empty input give 0, never NaN', () => {
  // class 1 is never predicted; class 2 never occurs in the truth
  const cm = confusionMatrix([0, 0, 1, 1], [0, 0, 0, 0], 3);
  const [, neverPredicted, absent] = perClassMetrics(cm, ['a', 'b', 'c']);
  assert.deepEqual(neverPredicted, { name: 'b', precision: 0, recall: 0, f1: 0, support: 2 });
  assert.deepEqual(absent, { name: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
  assert.deepEqual(rowNormalize(cm)[2], [0, 0, 0]);

  const empty = confusionMatrix([], [], 2);
  assert.equal(accuracy(empty), 0);
  for (const m of perClassMetrics(empty, ['a', 'b'])) assert.deepEqual([m.precision, m.recall, m.f1], [0, 0, 0]);
  assert.deepEqual(macroAverage([]), { precision: 0, recall: 0, f1: 0 });
});

test('agrees with direct counting on seeded random labels', () => {
  const rng = createRng(11);
  const k = 5;
  const n = 500;
  const t = Array.from({ length: n }, () => Math.floor(rng() * k));
  const p = t.map((label) => (rng() < 0.6 ? label : Math.floor(rng() * k)));
  const cm = confusionMatrix(t, p, k);
  assert.equal(cm.flat().reduce((a, b) => a + b, 0), n);
  assert.equal(accuracy(cm), t.filter((label, i) => p[i] === label).length / n);
  const metrics = perClassMetrics(cm, ['a', 'b', 'c', 'd', 'e']);
  const normalized = rowNormalize(cm);
  for (let c = 0; c < k; c++) {
    const support = t.filter((label) => label === c).length;
    const hits = t.filter((label, i) => label === c && p[i] === c).length;
    const predicted = p.filter((label) => label === c).length;
    assert.equal(metrics[c].support, support);
    assert.equal(metrics[c].recall, hits / support);
    assert.equal(metrics[c].precision, hits / predicted);
    assert.equal(normalized[c][c], hits / support);
    assert.ok(Math.abs(normalized[c].reduce((a, b) => a + b, 0) - 1) < 1e-12);
  }
});

test('rejects labels out of range, non-integers and unpaired arrays with a message saying where', () => {
  assert.throws(() => confusionMatrix([0, 3], [0, 0], 3), /trueLabels\[1\] is 3.*\[0, 2\]/);
  assert.throws(() => confusionMatrix([0, 1], [0, 0.5], 3), /predicted\[1\] is 0.5/);
  assert.throws(() => confusionMatrix([0, 1], [0], 3), /2 true labels but 1 predictions/);
  assert.throws(() => perClassMetrics(confusionMatrix([0], [0], 2), ['only one']), /1 class names for a 2-class/);
});
