// lr-find on an experiment: sweeps the phase a run would train, from cached features or cached prefix activations.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { findLearningRate } from '../../../src/engine/training/lrFind';
import { imageKind } from '../../../src/engine/training/train';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

let file: string;
let cacheDir: string;

before(async () => {
  await selectEngine('wasm');
  file = await writeExperiment(await writeSyntheticDataset(8), {
    phases: [{ name: 'head', epochs: 4, batchSize: 4, learningRate: 0.01 }, { name: 'tune', epochs: 1, batchSize: 4, learningRate: 1e-4, trainable: { topBlocks: 1 } }],
  });
  cacheDir = await mkdtemp(join(tmpdir(), 'tl-cache-'));
});

test('lr-find sweeps the head phase on cached features and the fine-tune phase on cached prefix activations, writing no run', async () => {
  const head = await findLearningRate(imageKind, { experimentFile: file, cacheDir, listener: new RecordingListener() });
  assert.equal(head.phase, 'head');
  assert.ok(head.rates.length >= 10 && head.rates.length <= 100);
  assert.equal(head.losses.length, head.rates.length);
  assert.ok(head.suggestion >= head.rates[0] && head.suggestion <= head.rates.at(-1)!);
  const listener = new RecordingListener();
  const tune = await findLearningRate(imageKind, { experimentFile: file, cacheDir, listener, phase: 'tune' });
  assert.equal(tune.phase, 'tune');
  assert.ok(listener.logs.some((l) => /phase "tune": block_\w+ cached/.test(l.message)), listener.logs.map((l) => l.message).join('\n'));
  assert.ok(!(await readdir(dirname(file))).includes('runs'), 'no run folder');
  await assert.rejects(findLearningRate(imageKind, { experimentFile: file, cacheDir, listener, phase: 'warmup' }), (error: Error) => error instanceof RangeError && /no phase "warmup" — its phases are 1 "head", 2 "tune"/.test(error.message));
});
