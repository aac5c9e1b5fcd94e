// Confusion-matrix normalisation, colouring, layout and the cell/mistake selections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellSamples, confidentMistakes, matrixCells, matrixLayout, mostConfusedClasses, rowNormalise } from '../../../webview/shared/matrix';

const m = [[8, 2, 0], [1, 3, 0], [0, 0, 0]];

test('row normalisation: rows sum to 1, an empty class stays zero', () => {
  const n = rowNormalise(m);
  assert.deepEqual(n[0], [0.8, 0.2, 0]);
  assert.deepEqual(n[1], [0.25, 0.75, 0]);
  assert.deepEqual(n[2], [0, 0, 0]);
  for (const row of n.slice(0, 2)) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('cells: counts or shares as text, square-root intensity, diagonal marked correct', () => {
  const counts = matrixCells(m, 'counts');
  assert.equal(counts[0][0].text, '8');
  assert.equal(counts[0][0].intensity, 1);
  assert.equal(counts[1][0].intensity, Math.sqrt(1 / 8));
  assert.ok(counts[0][0].correct && !counts[0][1].correct);
  const shares = matrixCells(m, 'normalised');
  assert.equal(shares[1][1].text, '75%');
  assert.equal(shares[0][2].text, '0');
  assert.equal(shares[1][0].share, 0.25);
  assert.equal(shares[1][0].intensity, 0.5);
  assert.ok(matrixCells([[0, 0], [0, 0]], 'counts').flat().every((c) => c.intensity === 0), 'an all-zero matrix does not divide by zero');
});

test('layout: numbers while they fit, colour only beyond, indices past 60 classes', () => {
  assert.deepEqual(matrixLayout(12), { cell: 44, showValues: true, columnLabels: 'names' });
  assert.equal(matrixLayout(25).showValues, true);
  assert.equal(matrixLayout(26).showValues, false);
  assert.equal(matrixLayout(60).columnLabels, 'names');
  assert.equal(matrixLayout(61).columnLabels, 'indices');
  let previous = Infinity;
  for (const n of [2, 12, 13, 25, 26, 60, 61, 2000]) {
    const { cell } = matrixLayout(n);
    assert.ok(cell <= previous && cell >= 12);
    previous = cell;
  }
});

test('most confused classes: by mistakes made or received, ties by index, in original order', () => {
  const big: number[][] = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (__, j) => (i === j ? 10 : 0)));
  big[4][1] = 5;
  big[2][5] = 1;
  assert.deepEqual(mostConfusedClasses(big, 2), [1, 4]);
  assert.deepEqual(mostConfusedClasses(big, 4), [1, 2, 4, 5]);
  assert.deepEqual(mostConfusedClasses(big, 10), [0, 1, 2, 3, 4, 5]);
});

test('a cell\'s samples and the most confident mistakes, most confident first', () => {
  const samples = [
    { path: 'a', label: 0, predicted: 1, confidence: 0.6 }, { path: 'b', label: 0, predicted: 1, confidence: 0.9 },
    { path: 'c', label: 1, predicted: 1, confidence: 0.99 }, { path: 'd', label: 1, predicted: 0, confidence: 0.7 },
  ];
  assert.deepEqual(cellSamples(samples, 0, 1).map((s) => s.path), ['b', 'a']);
  assert.deepEqual(cellSamples(samples, 1, 1).map((s) => s.path), ['c']);
  assert.deepEqual(confidentMistakes(samples, 2).map((s) => s.path), ['b', 'd']);
});
