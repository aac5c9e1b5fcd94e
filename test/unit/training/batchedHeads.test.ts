// Heads trained together (BatchedHeads, written-out gradients and Adam) train as each would alone through tf.layers,
// tfjs' Adam and the training loop's weighted loss; a head's result does not depend on its companions.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { createRng } from '../../../src/engine/random';
import { BatchedHeads, HeadState, type HeadSpec } from '../../../src/engine/training/batchedHeads';
import { createHeadLayers, headModel } from '../../../src/engine/training/head';
import { createOptimizer } from '../../../src/engine/training/learningRate';
import { trainStep } from '../../../src/engine/training/loop';
import { variablesOf } from '../../../src/engine/training/phaseSetup';

const [ROWS, WIDTH, CLASSES] = [24, 10, 3];
const STEPS = 12;
const rng = createRng(7);
const values = Float32Array.from({ length: ROWS * WIDTH }, () => rng() * 2 - 1);
const labels = Array.from({ length: ROWS }, (_, i) => i % CLASSES);
const classWeights = [0.5, 1, 2];

before(async () => {
  await selectEngine('wasm');
});

/** Logits after STEPS full-batch steps of a tf.layers head (the search's former trainer). */
async function alone(spec: HeadSpec, hiddenUnits: number): Promise<Float32Array> {
  const layers = createHeadLayers({ pooling: 'avg', hiddenUnits, dropout: 0 }, CLASSES, spec.seed);
  const model = headModel([WIDTH], layers);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: spec.learningRate });
  const [x, y, weights] = [tf.tensor2d(values, [ROWS, WIDTH]), tf.tensor1d(labels, 'int32'), tf.tensor1d(classWeights)];
  const forward = (input: tf.Tensor, training: boolean) => model.apply(input, { training }) as tf.Tensor2D;
  for (let step = 0; step < STEPS; step++) await trainStep({ forward, variables: variablesOf(model.layers), optimizer, classWeights: weights }, x, y);
  const logits = forward(x, false);
  const out = (await logits.data()) as Float32Array;
  tf.dispose([x, y, weights, logits]);
  model.dispose();
  optimizer.dispose();
  return out;
}

/** The same heads trained together; returns each head's logits and disposes everything. */
async function together(specs: HeadSpec[], hiddenUnits: number): Promise<Float32Array[]> {
  const heads = specs.map((spec) => new HeadState(spec, { width: WIDTH, classes: CLASSES, hiddenUnits, init: 'glorot' }));
  const trainer = new BatchedHeads(heads);
  const x = tf.tensor2d(values, [ROWS, WIDTH]);
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).expandDims(0));
  const rowWeights = tf.tensor3d(specs.flatMap(() => labels.map((label) => classWeights[label] / ROWS)), [specs.length, ROWS, 1]);
  for (let step = 0; step < STEPS; step++) await trainer.step({ x, targets, rowWeights });
  const logits = trainer.logits(x);
  const all = (await logits.data()) as Float32Array;
  tf.dispose([x, targets, rowWeights, logits]);
  return specs.map((_, g) => all.slice(g * ROWS * CLASSES, (g + 1) * ROWS * CLASSES));
}

const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

for (const hiddenUnits of [0, 8]) {
  test(`heads trained together equal tf.layers heads trained alone with Adam and class weights (hidden ${hiddenUnits})`, async () => {
    const specs = [{ learningRate: 1e-2, dropout: 0, seed: 1 }, { learningRate: 3e-3, dropout: 0, seed: 2 }];
    const batched = await together(specs, hiddenUnits);
    for (const [g, spec] of specs.entries()) {
      const reference = await alone(spec, hiddenUnits);
      assert.ok(maxDiff(batched[g], reference) < 1e-4, `head ${g}: max logit difference ${maxDiff(batched[g], reference)}`);
    }
  });
}

test('a head with dropout trains the same whatever it is batched with, and leaves no tensors behind', async () => {
  const before = tf.memory().numTensors;
  const spec = { learningRate: 1e-2, dropout: 0.4, seed: 3 };
  const [first] = await together([spec, { learningRate: 1e-3, dropout: 0.2, seed: 9 }], 8);
  const [second] = await together([spec], 8);
  assert.ok(maxDiff(first, second) < 1e-6);
  const [noDropout] = await together([{ ...spec, dropout: 0 }], 8);
  assert.ok(maxDiff(first, noDropout) > 1e-3, 'dropout changes the training');
  assert.equal(tf.memory().numTensors, before);
});
