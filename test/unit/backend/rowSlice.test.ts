import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { seededTensor, valuesOn } from './backendParity';

/** Rank-4 slices with the last axis whole (row copies) and not (wasm's own), and ZeroPadding2D's gradient. */
const SLICES: [begin: number[], size: number[]][] = [
  [[0, 1, 1, 0], [3, 5, 4, -1]],
  [[1, 0, 2, 0], [-1, -1, -1, -1]],
  [[0, 0, 0, 0], [-1, 6, 6, 5]],
  [[0, 2, 1, 1], [2, 3, 3, 3]],
];

for (const [begin, size] of SLICES) {
  test(`Slice ${begin} size ${size} on wasm equals cpu`, async () => {
    registerWasmGradientKernels();
    const compute = () => [tf.slice(seededTensor([3, 7, 6, 5], 2, 'x'), begin, size)];
    const [expected] = await valuesOn('cpu', compute);
    const [actual] = await valuesOn('wasm', compute);
    assert.deepEqual(actual, expected);
  });
}

test('the gradient of a zero padding on wasm equals cpu', async () => {
  registerWasmGradientKernels();
  const compute = () => {
    const x = seededTensor([2, 6, 6, 4], 3, 'x');
    const dy = seededTensor([2, 7, 7, 4], 3, 'dy');
    return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.pad(a, [[0, 0], [0, 1], [0, 1], [0, 0]]), dy)))(x)];
  };
  const [expected] = await valuesOn('cpu', compute);
  const [actual] = await valuesOn('wasm', compute);
  assert.deepEqual(actual, expected);
});
