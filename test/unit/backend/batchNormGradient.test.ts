import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { maxScaledDifference, seededTensor, valuesOn } from './backendParity';

const EPSILON = 1e-3;
const TOLERANCE = 1e-5;

/** Gradients of sum(batchNorm(...) · r) with respect to all five inputs, fused (FusedBatchNorm) or spelt out. */
function gradients(fused: boolean, xShape: number[], paramShape: number[]): tf.Tensor[] {
  return tf.tidy(() => {
    const x = seededTensor(xShape, 3, 'x');
    const mean = seededTensor(paramShape, 3, 'mean');
    const variance = tf.add(1.5, seededTensor(paramShape, 3, 'variance'));
    const scale = seededTensor(paramShape, 3, 'scale');
    const offset = seededTensor(paramShape, 3, 'offset');
    const r = seededTensor(xShape, 3, 'r');
    const normalise = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => fused
      ? tf.batchNorm(a, m, v, o, s, EPSILON)
      : tf.add(tf.mul(tf.mul(tf.sub(a, m), tf.rsqrt(tf.add(v, EPSILON))), s), o);
    return tf.grads((a, m, v, s, o) => tf.sum(tf.mul(normalise(a, m, v, s, o), r)))([x, mean, variance, scale, offset]);
  });
}

for (const [name, xShape, paramShape] of [
  ['per-channel parameters, 4-D activations', [4, 5, 5, 6], [6]],
  ['full-shape parameters', [2, 3, 4], [2, 3, 4]],
] as const) {
  for (const backend of ['cpu', 'wasm'] as const) {
    test(`FusedBatchNorm gradient, ${name}, on ${backend}: equal to the gradient of the spelt-out formula`, async () => {
      registerWasmGradientKernels();
      const fused = await valuesOn(backend, () => gradients(true, [...xShape], [...paramShape]));
      const reference = await valuesOn(backend, () => gradients(false, [...xShape], [...paramShape]));
      ['x', 'mean', 'variance', 'scale', 'offset'].forEach((input, i) => {
        const difference = maxScaledDifference(fused[i], reference[i]);
        assert.ok(difference < TOLERANCE, `d${input} differs by ${difference}`);
      });
    });
  }
}

test('the FusedBatchNorm gradient runs no Tile kernel, and sums per channel without Sum', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const profile = await tf.profile(() => gradients(true, [4, 5, 5, 6], [6]));
  // the loss's own tf.sum is the one Sum left
  assert.deepEqual(profile.kernels.filter((k) => k.name === 'Tile' || k.name === 'Sum').map((k) => k.name), ['Sum']);
});
