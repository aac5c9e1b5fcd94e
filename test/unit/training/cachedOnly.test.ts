// The dashboard's data line may only read cached features: a cachedOnly job never runs the base.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { scanDataset } from '../../../src/engine/data';
import { ensureActivations, type ActivationJob } from '../../../src/engine/training/features';
import { FeatureStore } from '../../../src/engine/training/featureStore';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';

test('cachedOnly refuses to compute, naming how many images lack features; once cached it reads them with no base pass', async () => {
  const samples = (await scanDataset(await writeSyntheticDataset(3, { size: 24, classes: 2 }))).samples.train;
  let forwards = 0;
  const job: ActivationJob = {
    samples, inputSize: 16, preprocessing: 'scale-0-1', batchSize: 4,
    forward: (x) => (forwards++, tf.mean(x, [1, 2])),
    store: new FeatureStore(await mkdtemp(join(tmpdir(), 'tl-cached-only-')), { modelFingerprint: 'mean', output: 'pooled', inputSize: 16, preprocessing: 'scale-0-1', resize: 'fill' }, [3]),
  };
  await assert.rejects(ensureActivations({ ...job, cachedOnly: true }), new RegExp(`^Error: ${samples.length} of ${samples.length} images have no cached features.*Check Dataset computes them`));
  assert.equal(forwards, 0);
  assert.equal((await ensureActivations(job)).computed, samples.length);
  const before = forwards;
  const cached = await ensureActivations({ ...job, cachedOnly: true });
  assert.equal(cached.computed, 0);
  assert.equal(cached.items.length, samples.length);
  assert.equal(forwards, before, 'no forward pass');
});
