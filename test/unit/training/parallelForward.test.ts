import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanDataset } from '../../../src/engine/data';
import { selectEngine } from '../../../src/engine/backend/select';
import { loadBaseModel } from '../../../src/engine/models/load';
import { ensureActivations, type ActivationJob } from '../../../src/engine/training/features';
import { FeatureStore } from '../../../src/engine/training/featureStore';
import { ForwardPool, releaseAllPools } from '../../../src/engine/training/parallelPool';
import { frozenForward, frozenRecipe, type FrozenRecipe } from '../../../src/engine/training/parallelRecipe';
import { pixelsToInput } from '../../../src/engine/training/tensors';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';

const SIZE = 32;
let base: Awaited<ReturnType<typeof loadBaseModel>>;
let cacheDir: string;

before(async () => {
  await selectEngine('wasm');
  cacheDir = await mkdtemp(join(tmpdir(), 'tl-parallel-'));
  base = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: SIZE, cacheDir });
});

after(async () => {
  await releaseAllPools();
  base.model.dispose();
});

function recipe(output: FrozenRecipe['output']): FrozenRecipe {
  return frozenRecipe('wasm', base.info, cacheDir, output)!;
}

function pixelBatch(count: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: count * SIZE * SIZE * 3 }, (_, i) => (i * 31 + seed * 17) % 256);
}

function inThisThread(r: FrozenRecipe, pixels: Uint8Array): Float32Array {
  const frozen = frozenForward(base.model, r);
  const values = tf.tidy(() => frozen.run(pixelsToInput(pixels, SIZE, base.info.preprocessing))).dataSync() as Float32Array;
  frozen.dispose();
  return values;
}

for (const output of [{ pooling: 'avg' }, { layer: 'block_15_add' }] as FrozenRecipe['output'][]) {
  test(`worker threads compute what this thread computes (${JSON.stringify(output)})`, async () => {
    const r = recipe(output);
    const pool = await ForwardPool.start(r, 2);
    assert.ok(pool, 'the worker script is found when running from source');
    try {
      const batches = [pixelBatch(5, 1), pixelBatch(3, 2), pixelBatch(5, 3)];
      const expected = batches.map((pixels) => inThisThread(r, pixels));
      const results = await Promise.all(batches.map((pixels) => pool.run(pixels.slice(), pixels.length / (SIZE * SIZE * 3))));
      results.forEach((values, b) => {
        assert.equal(values.length, expected[b].length);
        assert.deepEqual(values, expected[b], `batch ${b}: workers and this thread differ`);
      });
    } finally {
      await pool.dispose();
    }
  });
}

test('a worker whose model differs from the main thread refuses to start', async () => {
  const wrong = { ...recipe({ pooling: 'avg' }), base: { ...recipe({ pooling: 'avg' }).base, fingerprint: 'not-the-model' } };
  await assert.rejects(ForwardPool.start(wrong, 1), /fingerprint/);
});

test('ensureActivations stores the same activations with workers as without, and says which ran', async () => {
  const root = await writeSyntheticDataset(7, { size: 40 });
  const samples = (await scanDataset(root)).samples.train;
  const job = (dir: string, workers: ActivationJob['workers']): ActivationJob => ({
    samples, frozenBase: { model: base.model, recipe: recipe({ pooling: 'avg' }) }, workers, inputSize: SIZE, preprocessing: base.info.preprocessing, batchSize: 4,
    store: new FeatureStore(dir, { modelFingerprint: base.info.fingerprint, output: 'pooled', inputSize: SIZE, preprocessing: base.info.preprocessing, resize: 'fill' }, [1280]),
  });
  const serial = job(await mkdtemp(join(tmpdir(), 'tl-serial-')), 'never');
  const parallel = job(await mkdtemp(join(tmpdir(), 'tl-workers-')), 'always');
  const one = await ensureActivations(serial);
  const two = await ensureActivations(parallel);
  assert.equal(one.computedBy, 'this thread');
  assert.match(two.computedBy, /^\d+ worker threads/);
  assert.equal(two.computed, samples.length);
  for (const item of one.items) {
    const [a, b] = [await serial.store.get(item.hash), await parallel.store.get(item.hash)];
    assert.deepEqual(a, b, `${item.path}: workers and this thread stored different activations`);
  }
  assert.equal((await ensureActivations(parallel)).computed, 0, 'a second call finds everything cached');
});

test("ensureActivations 'auto' keeps a small job in this thread", async () => {
  const samples = (await scanDataset(await writeSyntheticDataset(3, { size: 40 }))).samples.train;
  const result = await ensureActivations({
    samples, frozenBase: { model: base.model, recipe: recipe({ pooling: 'avg' }) }, inputSize: SIZE, preprocessing: base.info.preprocessing, batchSize: 4,
    store: new FeatureStore(await mkdtemp(join(tmpdir(), 'tl-auto-')), { modelFingerprint: base.info.fingerprint, output: 'pooled', inputSize: SIZE, preprocessing: base.info.preprocessing, resize: 'fill' }, [1280]),
  });
  assert.equal(result.computedBy, 'this thread');
  assert.equal(result.computed, samples.length);
});
