import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunningMean, RunningMeans } from '../../../src/engine/metrics/running';
import { createRng } from '../../../src/engine/random';

test('weighted by batch size, the epoch mean equals the mean over all examples despite a short last batch', () => {
  const rng = createRng(3);
  const perExample = Array.from({ length: 100 }, () => rng() * 2);
  const running = new RunningMean();
  for (let start = 0; start < perExample.length; start += 32) {
    const batch = perExample.slice(start, start + 32); // 32, 32, 32, 4
    running.add(batch.reduce((a, b) => a + b, 0) / batch.length, batch.length);
  }
  const overall = perExample.reduce((a, b) => a + b, 0) / perExample.length;
  assert.ok(Math.abs(running.mean! - overall) < 1e-12);
  assert.equal(running.totalWeight, 100);
});

test('empty means are undefined, zero weights are ignored, NaN stays visible, bad weights throw', () => {
  const running = new RunningMean();
  assert.equal(running.mean, undefined);
  running.add(5, 0);
  assert.equal(running.mean, undefined);
  running.add(2, 3);
  assert.equal(running.mean, 2);
  assert.throws(() => running.add(1, -1), /weight must be/);
  assert.throws(() => running.add(1, Infinity), /weight must be/);
  running.add(NaN, 1);
  assert.ok(Number.isNaN(running.mean));
  running.reset();
  assert.equal(running.mean, undefined);
  assert.equal(running.totalWeight, 0);
});

test('RunningMeans keeps one weighted mean per metric', () => {
  const means = new RunningMeans();
  means.add({ loss: 1, acc: 0.5 }, 3);
  means.add({ loss: 3, acc: 1 }, 1);
  means.add({ extra: 7 }, 0);
  assert.deepEqual(means.means(), { loss: 1.5, acc: 0.625 });
  means.reset();
  assert.deepEqual(means.means(), {});
});
