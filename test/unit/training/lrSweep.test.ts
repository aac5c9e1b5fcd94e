// The learning-rate finder: on features where the best rate is measured here, its suggestion is within 10× of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/engine/random';
import { createHeadLayers, headModel } from '../../../src/engine/training/head';
import { variablesOf } from '../../../src/engine/training/phaseSetup';
import { evaluateSource } from '../../../src/engine/training/evaluate';
import { createOptimizer } from '../../../src/engine/training/learningRate';
import { trainStep } from '../../../src/engine/training/loop';
import { smoothLosses, suggestRate, sweepLearningRate } from '../../../src/engine/training/lrSweep';
import { rowSource } from '../../../src/engine/training/sources';

const CLASSES = 4, WIDTH = 32, ROWS = 384, BATCH = 32;

/** Four Gaussian clusters in 32 dimensions, as pooled features of four classes look: separable, with overlap. */
function features(seed: number) {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: WIDTH }, () => gauss() * 0.6));
  const rows = new Map<string, Float32Array>();
  const items = Array.from({ length: ROWS }, (_, i) => {
    const label = i % CLASSES;
    rows.set(String(i), Float32Array.from(centres[label], (c) => Math.max(0, c + gauss())));
    return { hash: String(i), label, path: `${i}.jpg` };
  });
  const order = (epoch: number) => {
    const r = createRng(seed * 1000 + epoch);
    return [...items].sort(() => r() - 0.5);
  };
  const read = async (item: { hash: string }) => rows.get(item.hash);
  return { train: rowSource(items, { shape: [WIDTH], read }, BATCH, ROWS, order), all: rowSource(items, { shape: [WIDTH], read }, ROWS, ROWS, () => items) };
}

function freshHead() {
  const layers = createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0 }, CLASSES, 7);
  const model = headModel([WIDTH], layers);
  return { model, forward: (x: tf.Tensor, training: boolean) => model.apply(x, { training }) as tf.Tensor2D, variables: variablesOf(model.layers) };
}

/** Loss after two epochs of Adam at `rate` from the same initial head. */
async function lossAfterTraining(rate: number, data: ReturnType<typeof features>): Promise<number> {
  const head = freshHead();
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: rate });
  for (const epoch of [1, 2]) {
    for await (const { x, labels } of data.train.epoch(epoch)) {
      await trainStep({ ...head, optimizer }, x, labels);
      tf.dispose([x, labels]);
    }
  }
  const { loss } = await evaluateSource(head.forward, data.all);
  optimizer.dispose();
  head.model.dispose();
  return loss;
}

test('the suggested rate is within 10× of the rate that trains best (measured over 1e-4…1)', async () => {
  const data = features(3);
  const candidates = [1e-4, 1e-3, 1e-2, 1e-1, 1];
  const losses = [];
  for (const rate of candidates) losses.push(await lossAfterTraining(rate, data));
  const bestRate = candidates[losses.indexOf(Math.min(...losses))];
  const head = freshHead();
  const before = tf.memory().numTensors;
  const sweep = await sweepLearningRate({ ...head, train: data.train }, { optimizer: 'adam', learningRate: 1e-3 });
  assert.equal(tf.memory().numTensors, before, 'the sweep leaves no tensors behind');
  head.model.dispose();
  const ratio = Math.max(sweep.suggestion / bestRate, bestRate / sweep.suggestion);
  assert.ok(ratio <= 10, `suggested ${sweep.suggestion.toExponential(1)}, best measured ${bestRate} (losses ${losses.map((l) => l.toFixed(3)).join(', ')})`);
  assert.ok(sweep.rates.length <= 100 && sweep.rates.length > 30);
  assert.ok(sweep.rates.every((r, i) => i === 0 || r > sweep.rates[i - 1]), 'rates grow');
});

test('the sweep stops once the smoothed loss passes 4× its best (or the loss is no longer finite)', async () => {
  const head = freshHead();
  const sweep = await sweepLearningRate({ ...head, train: features(5).train }, { optimizer: 'sgd', learningRate: 1e-3 }, { minLr: 1e-2, maxLr: 1e6 });
  head.model.dispose();
  assert.ok(sweep.rates.length < 100, `ran ${sweep.rates.length} steps`);
  assert.ok(sweep.rates.at(-1)! < 1e6);
});

test('suggestRate picks the steepest fall of the smoothed loss before its minimum, not the noise after it', () => {
  const rates = Array.from({ length: 60 }, (_, i) => 10 ** (-6 + i / 10));
  // flat, then falling fastest around 1e-3 (i = 30), a minimum at i = 45, then a steep rise
  const losses = rates.map((_, i) => (i < 45 ? 2 - 1.5 / (1 + Math.exp(-(i - 30) / 3)) : 0.5 + (i - 45) ** 2));
  const smoothed = smoothLosses(losses, 0);
  assert.ok(Math.abs(Math.log10(suggestRate(rates, smoothed)) + 3) <= 0.15, `got ${suggestRate(rates, smoothed)}`);
});
