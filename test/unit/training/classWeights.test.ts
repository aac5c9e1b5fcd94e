import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import { createRng } from '../../../src/engine/random';
import { balancedWeights, classBalance, ClassWeightsError, resolveClassWeights } from '../../../src/engine/training/classWeights';
import { batchLoss, evaluateSource } from '../../../src/engine/training/evaluate';
import { runPhaseLoop } from '../../../src/engine/training/loop';
import type { BatchSource } from '../../../src/engine/training/sources';
import { createHeadLayers, headModel } from '../../../src/engine/training/head';
import { confusionMatrix, perClassMetrics } from '../../../src/engine/metrics/classification';

test('balanced weights are scikit-learn\'s compute_class_weight("balanced"): n_samples / (n_classes * count)', () => {
  // sklearn: compute_class_weight('balanced', classes=[0, 1, 2], y=[0]*6 + [1]*3 + [2]*1) → [0.5556, 1.1111, 3.3333]
  const weights = balancedWeights([6, 3, 1]);
  [10 / 18, 10 / 9, 10 / 3].forEach((expected, i) => assert.ok(Math.abs(weights[i] - expected) < 1e-12, `${weights[i]} vs ${expected}`));
  assert.deepEqual(balancedWeights([5, 5]), [1, 1]);
});

test('without classWeights a run trains balanced only when the largest class has over 1.5× the smallest', () => {
  assert.equal(resolveClassWeights(undefined, ['a', 'b'], [15, 10]).mode, 'none');
  const uneven = resolveClassWeights(undefined, ['a', 'b'], [16, 10]);
  assert.equal(uneven.mode, 'balanced');
  assert.deepEqual(uneven.weights, balancedWeights([16, 10]));
  assert.match(uneven.reason, /balanced.*"a" has 16 examples, 1\.6× the 10 of "b"/);
  assert.equal(classBalance(['a', 'b'], [16, 10]).defaultWeights, 'balanced');
  assert.equal(resolveClassWeights('none', ['a', 'b'], [100, 10]).weights, undefined, '"none" turns the default off');
});

test('the object form weighs named classes, others 1, and refuses an unknown class naming the valid ones', () => {
  assert.deepEqual(resolveClassWeights({ b: 3 }, ['a', 'b', 'c'], [1, 1, 1]).weights, [1, 3, 1]);
  assert.throws(() => resolveClassWeights({ dgos: 2 }, ['cats', 'dogs'], [10, 10]), (error: Error) =>
    error instanceof ClassWeightsError && /unknown class "dgos"/.test(error.message) && /"cats", "dogs"/.test(error.message));
  assert.throws(() => validateExperiment({ name: 'x', data: { root: 'd' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 1 }], classWeights: { cats: -1 } }, 'x.experiment.json'), /classWeights: must be "balanced", "none" or an object/);
  assert.equal(validateExperiment({ name: 'x', data: { root: 'd' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 1 }] }, 'x.experiment.json').classWeights, undefined);
});

test('the weighted loss is Keras\' class_weight loss: the batch mean of weight × cross-entropy', async () => {
  await selectEngine('cpu');
  const logits = tf.tensor2d([[2, 0.5], [0.1, 1], [1, 1]]);
  const labels = tf.tensor1d([0, 1, 1], 'int32');
  const weights = tf.tensor1d([0.5, 3]);
  const perExample = (tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 2), logits, undefined, 0, tf.Reduction.NONE) as tf.Tensor).arraySync() as number[];
  const expected = (0.5 * perExample[0] + 3 * perExample[1] + 3 * perExample[2]) / 3;
  assert.ok(Math.abs(batchLoss(logits, labels, weights).arraySync() - expected) < 1e-6);
  assert.ok(Math.abs(batchLoss(logits, labels).arraySync() - perExample.reduce((a, b) => a + b) / 3) < 1e-6, 'unweighted stays the plain mean');
});

/** Two overlapping Gaussian blobs in 8 dimensions, `counts[c]` examples of class c, seeded. */
function blobs(counts: number[], seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const x: number[][] = [], y: number[] = [];
  counts.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      x.push(Array.from({ length: 8 }, (_, d) => gauss() + (d < 2 ? (c === 0 ? 0.6 : -0.6) : 0)));
      y.push(c);
    }
  });
  return { x, y };
}

function memorySource(data: { x: number[][]; y: number[] }, batchSize: number): BatchSource {
  return {
    count: data.y.length,
    skipped: [],
    async *epoch() {
      for (let start = 0; start < data.y.length; start += batchSize) {
        const y = data.y.slice(start, start + batchSize);
        yield { x: tf.tensor2d(data.x.slice(start, start + batchSize)), labels: tf.tensor1d(y, 'int32'), size: y.length, paths: y.map((_, i) => `${start + i}`) };
      }
    },
  };
}

async function minorityRecall(weights: number[] | undefined): Promise<number> {
  const train = blobs([180, 20], 3);
  const order = train.y.map((_, i) => i).sort((a, b) => ((a * 7919) % 200) - ((b * 7919) % 200)); // interleave classes
  const shuffledTrain = { x: order.map((i) => train.x[i]), y: order.map((i) => train.y[i]) };
  const val = blobs([200, 200], 4);
  const layers = createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0 }, 2, 5);
  const head = headModel([8], layers);
  const forward = (x: tf.Tensor, training: boolean) => head.apply(x, { training }) as tf.Tensor2D;
  const classWeights = weights && tf.tensor1d(weights);
  const optimizer = tf.train.adam(0.05);
  await runPhaseLoop({
    forward, variables: layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)), optimizer,
    train: memorySource(shuffledTrain, 32), val: memorySource(val, 100), firstEpoch: 1, lastEpoch: 15, batchSize: 32, classWeights,
    callbacks: [],
  });
  const result = await evaluateSource(forward, memorySource(val, 100));
  tf.dispose([classWeights, ...head.weights.map((w) => w.read())]);
  optimizer.dispose();
  return perClassMetrics(confusionMatrix(result.labels, result.predicted, 2), ['major', 'minor'])[1].recall;
}

test('balanced weights raise the minority class\'s recall on a seeded 9:1 set', async () => {
  await selectEngine('cpu');
  const plain = await minorityRecall(undefined);
  const balanced = await minorityRecall(resolveClassWeights('balanced', ['major', 'minor'], [180, 20]).weights);
  assert.ok(balanced > plain + 0.2, `minority recall ${balanced.toFixed(3)} balanced vs ${plain.toFixed(3)} unweighted`);
});
