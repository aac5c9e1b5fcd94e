// A run records which pixel scaling it fed its base and why: the log, state.json, the model card, and `inspect`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { readRunState } from '../../../src/engine/runs';
import { trainExperiment } from '../../../src/engine/training/train';
import { inspectModel } from '../../../src/host/queries';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

let data: string;
let cacheDir: string;

before(async () => {
  await selectEngine('wasm');
  data = await writeSyntheticDataset(8, { size: 32 });
  cacheDir = await mkdtemp(join(tmpdir(), 'tl-cache-'));
});

/** A conv net with no batch norm: nothing in it says which pixel range it wants. */
async function silentModel(): Promise<string> {
  const input = tf.input({ shape: [32, 32, 3] });
  const output = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'only_conv' }).apply(input) as tf.SymbolicTensor;
  const dir = await mkdtemp(join(tmpdir(), 'silent-model-'));
  await tf.model({ inputs: input, outputs: output }).save(tfjsFileHandler(dir));
  return dir;
}

async function run(base: Record<string, unknown>) {
  const file = await writeExperiment(data, { base, data: { root: data, inputSize: 32, split: { val: 0.25 } }, phases: [{ epochs: 1, batchSize: 8 }] });
  const listener = new RecordingListener();
  const result = await trainExperiment({ experimentFile: file, cacheDir, listener });
  assert.equal(result.state, 'completed');
  const card = JSON.parse(await readFile(join(result.runDir, 'model', 'preprocessing.json'), 'utf8'));
  return { listener, card, state: await readRunState(result.runDir) };
}

test('a model file that says nothing: the run warns that the range is a guess and how to set it, everywhere it reports', async () => {
  const { listener, card, state } = await run({ model: await silentModel() });
  const warning = listener.logs.find((l) => l.message.startsWith('preprocessing:'));
  assert.equal(warning?.level, 'warn');
  assert.match(warning!.message, /scale-minus1-1 — .*does not feed a batch normalization.*This is a guess.*base.*preprocessing.*--preprocessing/);
  assert.equal(card.preprocessing, 'scale-minus1-1');
  assert.match(card.preprocessingReason, /guess/);
  assert.match(state!.preprocessing!, /guess/);
  assert.match(listener.states[0].preprocessing!, /guess/);
});

test('base.preprocessing in the experiment is used and recorded as set there', async () => {
  const { listener, card, state } = await run({ model: await silentModel(), preprocessing: 'scale-0-1' });
  assert.equal(listener.logs.find((l) => l.message.startsWith('preprocessing:'))?.level, 'info');
  assert.equal(card.preprocessing, 'scale-0-1');
  assert.match(state!.preprocessing!, /^scale-0-1 — set in the experiment/);
});

test('inspect reports the choice and its reason, measured on a data folder when one is given', async () => {
  const result = await inspectModel({ model: await silentModel(), probeData: data });
  assert.equal(result.preprocessing, 'scale-minus1-1');
  assert.deepEqual([result.preprocessingChoice?.source, result.preprocessingChoice?.guess], ['default', true]);
});
