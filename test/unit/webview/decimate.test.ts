// Min/max decimation keeps long traces cheap without hiding spikes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/engine/random';
import { decimateMinMax, type Point } from '../../../webview/shared/decimate';

const trace = (n: number, seed = 1): Point[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({ x: i / 100, y: Math.exp(-i / n) + rng() * 0.3 }));
};

test('short traces come back unchanged (as a copy)', () => {
  const points = trace(300);
  const kept = decimateMinMax(points, 200);
  assert.deepEqual(kept, points);
  assert.notEqual(kept, points);
});

test('20,000 batches become at most 2 × buckets + 2 points, in x order, with both ends and every extreme', () => {
  const points = trace(20_000);
  points[12_345] = { x: points[12_345].x, y: 50 }; // a loss spike must survive
  points[777] = { x: points[777].x, y: -3 };
  const kept = decimateMinMax(points, 400);
  assert.ok(kept.length <= 802, `${kept.length} points`);
  assert.ok(kept.length >= 400);
  assert.deepEqual(kept[0], points[0]);
  assert.deepEqual(kept.at(-1), points.at(-1));
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i].x > kept[i - 1].x, 'strictly increasing x, no duplicates');
  assert.ok(kept.some((p) => p.y === 50) && kept.some((p) => p.y === -3));
});

test('every bucket keeps its own min and max', () => {
  const points = trace(10_000, 3);
  const buckets = 100;
  const size = Math.ceil(points.length / buckets);
  const kept = new Set(decimateMinMax(points, buckets));
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const ys = bucket.map((p) => p.y);
    assert.ok(bucket.some((p) => kept.has(p) && p.y === Math.min(...ys)));
    assert.ok(bucket.some((p) => kept.has(p) && p.y === Math.max(...ys)));
  }
});

test('degenerate bucket counts still give a valid trace', () => {
  const points = trace(1000);
  for (const buckets of [0, 1, 2.7, -5]) {
    const kept = decimateMinMax(points, buckets);
    assert.ok(kept.length >= 2 && kept.length <= 2 * Math.max(1, Math.floor(buckets)) + 2);
    assert.deepEqual(kept[0], points[0]);
    assert.deepEqual(kept.at(-1), points.at(-1));
  }
  assert.deepEqual(decimateMinMax([], 10), []);
});

test('20,000 points decimate fast (a loose bound that catches only algorithmic regressions)', () => {
  const points = trace(20_000);
  const started = performance.now();
  for (let i = 0; i < 20; i++) decimateMinMax(points, 400);
  assert.ok((performance.now() - started) / 20 < 50, 'decimation too slow for live updates');
});
