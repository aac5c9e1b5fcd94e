import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { maxScaledDifference, seededTensor, valuesOn } from './backendParity';

const SEED = 7;
const STEPS = 3;

/** Weights of a small MobileNetV2-like block after `steps` SGD steps, in a fixed order. */
function trainBlock(steps: number): tf.Tensor[] {
  // tidy frees the initial values; variables survive it.
  const weights = tf.tidy(() => ({
    expand: tf.variable(seededTensor([3, 3, 3, 8], SEED, 'expand')),
    gamma: tf.variable(tf.add(1, seededTensor([8], SEED, 'gamma').mul(0.1))),
    beta: tf.variable(seededTensor([8], SEED, 'beta').mul(0.1)),
    depthwise: tf.variable(seededTensor([3, 3, 8, 2], SEED, 'depthwise')),
    project: tf.variable(seededTensor([1, 1, 16, 4], SEED, 'project')),
  }));
  const x = seededTensor([4, 9, 9, 3], SEED, 'x') as tf.Tensor4D;
  const target = seededTensor([4, 5, 5, 4], SEED, 'target');
  const forward = () => {
    const expanded = tf.conv2d(x, weights.expand as tf.Tensor4D, 1, 'same');
    const { mean, variance } = tf.moments(expanded, [0, 1, 2]);
    const normalised = tf.batchNorm(expanded, mean, variance, weights.beta, weights.gamma, 1e-3);
    const activated = tf.relu6(normalised) as tf.Tensor4D;
    const reduced = tf.depthwiseConv2d(activated, weights.depthwise as tf.Tensor4D, 2, 'same');
    return tf.conv2d(reduced, weights.project as tf.Tensor4D, 1, 'valid');
  };
  const optimizer = tf.train.sgd(0.2);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(target, forward()) as tf.Scalar);
  }
  optimizer.dispose();
  tf.dispose([x, target]);
  return Object.values(weights);
}

test(`${STEPS} SGD steps of conv → batchNorm → relu6 → depthwise → conv give the same weights on wasm and cpu`, async () => {
  registerWasmGradientKernels();
  const initial = await valuesOn('cpu', () => trainBlock(0));
  const onCpu = await valuesOn('cpu', () => trainBlock(STEPS));
  const onWasm = await valuesOn('wasm', () => trainBlock(STEPS));
  const names = ['expand', 'gamma', 'beta', 'depthwise', 'project'];
  names.forEach((name, i) => {
    assert.ok(maxScaledDifference(onCpu[i], initial[i]) > 1e-3, `${name} was updated by training`);
    const difference = maxScaledDifference(onWasm[i], onCpu[i]);
    assert.ok(difference < 1e-4, `${name}: wasm and cpu weights differ by ${difference}`);
  });
});

test('training on wasm leaves no tensors or wasm data behind', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
  tf.dispose(trainBlock(1)); // warm-up: first calls may allocate lasting state
  const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
  tf.dispose(trainBlock(2));
  assert.deepEqual({ tensors: tf.memory().numTensors, data: backend.numDataIds() }, before);
});
