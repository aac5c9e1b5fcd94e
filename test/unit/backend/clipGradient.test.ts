import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { seededValues, valuesOn } from './backendParity';

/** Inputs spread over [-9, 9], with values exactly on the bounds 0 and 6 (tfjs lets the gradient through there);
 * dy holds NaN, −∞ and −0 inside and outside the bounds (only inside do they pass). */
function inputs(): tf.Tensor[] {
  const x = Float32Array.from(seededValues(4 * 5 * 5 * 6, 5, 'x'), (v, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? 6 : v * 9));
  const dy = Float32Array.from(seededValues(x.length, 5, 'dy'), (v, i) => (i % 23 === 0 ? NaN : i % 29 === 0 ? -Infinity : i % 31 === 0 ? -0 : v));
  return [tf.tensor(x, [4, 5, 5, 6]), tf.tensor(dy, [4, 5, 5, 6])];
}

/** tfjs' own ClipByValue gradient, written out. */
function reference(): tf.Tensor[] {
  return tf.tidy(() => {
    const [x, dy] = inputs();
    return [tf.where(tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 6)), dy, tf.zerosLike(dy))];
  });
}

function viaGradient(): tf.Tensor[] {
  return tf.tidy(() => {
    const [x, dy] = inputs();
    return [tf.grad((a) => tf.sum(tf.mul(tf.clipByValue(a, 0, 6), dy)))(x)];
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`ClipByValue gradient on ${backend} equals tfjs' own, bounds included`, async () => {
    registerWasmGradientKernels();
    const [expected] = await valuesOn(backend, reference);
    const [actual] = await valuesOn(backend, viaGradient);
    assert.deepEqual(actual, expected);
  });
}

test('the ClipByValue gradient is one kernel on wasm', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const x = tf.randomNormal([2, 3, 3, 4]);
  const profile = await tf.profile(() => tf.grad((a) => tf.clipByValue(a, 0, 6))(x));
  assert.deepEqual(profile.kernels.map((k) => k.name).filter((name) => /Equal|LogicalAnd|Select/.test(name)), []);
  x.dispose();
});
