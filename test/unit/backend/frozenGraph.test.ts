import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldFrozenGraph } from '../../../src/engine/backend/frozenGraph';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { loadBaseModel } from '../../../src/engine/models/load';
import { maxScaledDifference, seededTensor, valuesOn } from './backendParity';

/** Folding cases: conv+bias → BN (no γ) → ReLU; zero-pad → strided depthwise ×2 → BN (no β) → ReLU6; and a conv
 * read twice, whose BatchNorm must stay. */
function smallModel(): tf.LayersModel {
  const input = tf.input({ shape: [9, 9, 3] });
  const init = (purpose: string) => tf.initializers.randomNormal({ seed: purpose.length, stddev: 0.5 });
  const bnInit = { betaInitializer: init('beta'), movingMeanInitializer: init('mean'), movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: 3 }) };
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: true, biasInitializer: init('bias1'), kernelInitializer: init('k1') }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ scale: false, ...bnInit }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'valid', useBias: false, depthwiseInitializer: init('dw') }).apply(x) as tf.SymbolicTensor;
  const normed = tf.layers.batchNormalization({ center: false, gammaInitializer: init('gamma2'), movingMeanInitializer: init('mean2'), movingVarianceInitializer: tf.initializers.ones() }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(normed) as tf.SymbolicTensor;
  const shared = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, kernelInitializer: init('k3') }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([shared, tf.layers.batchNormalization(bnInit).apply(shared) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: sum });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`a folded graph computes what the layers compute (${backend}), folding only where nothing else reads the conv`, async () => {
    registerWasmGradientKernels();
    await tf.setBackend(backend);
    const model = smallModel();
    const x = seededTensor([2, 9, 9, 3], 4, 'x');
    const [expected] = await valuesOn(backend, () => [model.predict(x) as tf.Tensor]);
    const graph = foldFrozenGraph(model);
    const [actual] = await valuesOn(backend, () => [graph.run(x)]);
    assert.equal(graph.folded, 2, 'the shared conv keeps its BatchNorm');
    assert.ok(maxScaledDifference(actual, expected) < 1e-5, `differs by ${maxScaledDifference(actual, expected)}`);
    graph.dispose();
    model.dispose();
    x.dispose();
  });
}

test('MobileNetV2 folded: every BatchNorm absorbed, whole or cut, close to model.predict, no tensor left behind', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const { model } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: 64, cacheDir: await mkdtemp(join(tmpdir(), 'tl-fold-')) });
  const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 5);
  const before = tf.memory().numTensors;
  for (const [cut, folds] of [[undefined, 52], ['block_15_add', 48]] as const) {
    const graph = foldFrozenGraph(model, cut);
    const reference = cut ? tf.model({ inputs: model.inputs, outputs: model.getLayer(cut).output as tf.SymbolicTensor }) : model;
    const [expected] = await valuesOn('wasm', () => [reference.predict(x) as tf.Tensor]);
    const [actual] = await valuesOn('wasm', () => [graph.run(x)]);
    assert.equal(graph.folded, folds);
    assert.ok(maxScaledDifference(actual, expected) < 1e-4, `${cut ?? 'whole'}: differs by ${maxScaledDifference(actual, expected)}`);
    graph.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  model.dispose();
});

test("Keras' Activation('relu') after a folded BatchNorm is clamped inside the conv; other activations stay layers", async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const input = tf.input({ shape: [7, 7, 3] });
  const init = (seed: number) => tf.initializers.randomNormal({ seed, stddev: 0.5 });
  const block = (x: tf.SymbolicTensor, seed: number, activation: 'relu' | 'sigmoid') => {
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(seed), biasInitializer: init(seed + 1) }).apply(x);
    const normed = tf.layers.batchNormalization({ betaInitializer: init(seed + 2), movingMeanInitializer: init(seed + 3) }).apply(conv);
    return tf.layers.activation({ activation }).apply(normed) as tf.SymbolicTensor;
  };
  const model = tf.model({ inputs: input, outputs: block(block(input, 1, 'relu'), 5, 'sigmoid') });
  const x = seededTensor([2, 7, 7, 3], 6, 'x');
  const [expected] = await valuesOn('wasm', () => [model.predict(x) as tf.Tensor]);
  const graph = foldFrozenGraph(model);
  const [actual] = await valuesOn('wasm', () => [graph.run(x)]);
  const kernels = (await tf.profile(() => graph.run(x))).kernels.map((k) => k.name);
  assert.equal(graph.folded, 2);
  assert.ok(maxScaledDifference(actual, expected) < 1e-5, `differs by ${maxScaledDifference(actual, expected)}`);
  assert.deepEqual(kernels.filter((name) => /^(Relu|Sigmoid)$/.test(name)), ['Sigmoid']);
  graph.dispose();
  model.dispose();
  x.dispose();
});
