import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FeatureStore } from '../../../src/engine/training/featureStore';
import { cachedSource, evaluationBatchSize, type BatchSource } from '../../../src/engine/training/sources';
import { drawViews, viewSource } from '../../../src/engine/training/viewSource';

const KEY = { modelFingerprint: 'm', output: 'pooled', inputSize: 32, preprocessing: 'p', resize: 'fill' as const };

async function filledStore(count: number) {
  const store = new FeatureStore(await mkdtemp(join(tmpdir(), 'cached-source-')), KEY, [3]);
  const items = Array.from({ length: count }, (_, i) => ({ hash: i.toString(16).padStart(64, '0'), label: i % 2, path: `img${i}.png` }));
  for (const [i, item] of items.entries()) await store.put(item.hash, Float32Array.from([i, i + 0.5, -i]));
  return { store, items };
}

async function epochRows(source: BatchSource, epoch: number): Promise<{ rows: number[][]; labels: number[]; paths: string[]; sizes: number[] }> {
  const out = { rows: [] as number[][], labels: [] as number[], paths: [] as string[], sizes: [] as number[] };
  for await (const batch of source.epoch(epoch)) {
    out.rows.push(...(batch.x.arraySync() as number[][]));
    out.labels.push(...batch.labels.arraySync());
    out.paths.push(...batch.paths);
    out.sizes.push(batch.size);
    tf.dispose([batch.x, batch.labels]);
  }
  return out;
}

test('activations that fit in memory are read once: later epochs need no cache files and match streamed batches', async () => {
  const { store, items } = await filledStore(10);
  const resident = cachedSource(items, store, 4, 7);
  const streamed = cachedSource(items, store, 4, 7, 0);
  const first = await epochRows(resident, 1);
  assert.deepEqual(first, await epochRows(streamed, 1));
  assert.deepEqual(first.sizes, [4, 4, 2]);
  assert.deepEqual(first.rows.map((row) => row[0]), first.paths.map((path) => Number(path.slice(3, -4))), 'each row stays with its own path');
  assert.notDeepEqual(first.paths, items.map((item) => item.path), 'shuffled by the seed');

  const expectedSecond = await epochRows(cachedSource(items, store, 4, 7, 0), 2);
  await rm(store.folder, { recursive: true });
  const second = await epochRows(resident, 2);
  assert.deepEqual(second, expectedSecond);
  assert.notDeepEqual(second.paths, first.paths, 'each epoch has its own order');
  await assert.rejects(epochRows(streamed, 2), /vanished while in use/);
});

test('evaluation batches grow for small rows, never below the training batch, and are capped', () => {
  assert.equal(evaluationBatchSize(32, 1280), 1024);
  assert.equal(evaluationBatchSize(32, 7 * 7 * 160), 267);
  assert.equal(evaluationBatchSize(64, 7 * 7 * 1280), 64);
});

test('a resident read keeps few cache files open at once, below any open-files limit', async () => {
  const { store, items } = await filledStore(600);
  let open = 0, peak = 0;
  const get = store.get.bind(store);
  store.get = async (hash) => {
    peak = Math.max(peak, ++open);
    try {
      return await get(hash);
    } finally {
      open -= 1;
    }
  };
  const { rows } = await epochRows(cachedSource(items, store, 32), 1);
  assert.deepEqual(rows.map((row) => row[0]), items.map((_, i) => i));
  // macOS shells start at 256 open files; past the limit every read fails as EMFILE, which get() reports as a vanished entry
  assert.ok(peak <= 64, `${peak} cache files read at once`);
});

test('cached augmented views: each epoch trains every image once, on one view drawn by (seed, epoch)', async () => {
  const views = await Promise.all([0, 1, 2].map(async (view) => {
    const store = new FeatureStore(await mkdtemp(join(tmpdir(), 'view-source-')), { ...KEY, view: String(view) }, [2]);
    const items = Array.from({ length: 12 }, (_, i) => ({ hash: i.toString(16).padStart(64, '0'), label: i % 2, path: `img${i}.png` }));
    for (const [i, item] of items.entries()) await store.put(item.hash, Float32Array.from([i, view]));
    return { store, items };
  }));
  const source = viewSource(views, 5, 9);
  assert.equal(source.count, 12);
  const epoch = async (n: number) => (await epochRows(source, n)).rows.map(([image, view]) => [image, view]).sort((a, b) => a[0] - b[0]);
  const first = await epoch(1);
  assert.deepEqual(first.map(([image]) => image), Array.from({ length: 12 }, (_, i) => i), 'every image once');
  assert.deepEqual(first.map(([, view]) => view), drawViews(9, 1, 12, 3), 'the drawn view of each image');
  assert.deepEqual(await epoch(1), first, 'the same seed and epoch draw the same views');
  const seen = new Set([1, 2, 3, 4].flatMap((n) => drawViews(9, n, 12, 3)));
  assert.deepEqual([...seen].sort(), [0, 1, 2], 'over epochs every view is used');
  assert.notDeepEqual(drawViews(9, 2, 12, 3), drawViews(9, 1, 12, 3));
});
