import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from '../../../src/engine/backend/fusedAdam';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { seededValues } from './backendParity';

/** Three steps of `optimizer` on two variables (one of a length that leaves a SIMD tail, 4n + 3); their values after. */
function steps(optimizer: tf.Optimizer): Float32Array[] {
  const a = tf.variable(tf.tensor(seededValues(4 * 25 + 3, 9, 'a'), [103]), true, 'fusedAdamTestA');
  const b = tf.variable(tf.tensor(seededValues(24, 9, 'b'), [2, 3, 4]), true, 'fusedAdamTestB');
  for (let step = 0; step < 3; step++) {
    const grads = {
      fusedAdamTestA: tf.tensor(seededValues(103, step, 'ga').map((v, i) => (i === 5 ? 0 : v * 10 ** (i % 5))), [103]),
      fusedAdamTestB: tf.tensor(seededValues(24, step, 'gb'), [2, 3, 4]),
    };
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const values = [a.dataSync().slice() as Float32Array, b.dataSync().slice() as Float32Array];
  optimizer.dispose();
  tf.dispose([a, b]);
  return values;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`FusedAdam's steps on ${backend} are tfjs' Adam's, bit for bit`, async () => {
    registerWasmGradientKernels();
    await tf.setBackend(backend);
    const expected = steps(tf.train.adam(0.01));
    const actual = steps(new FusedAdam(0.01, 0.9, 0.999));
    assert.deepEqual(actual, expected);
  });
}

test('FusedAdam runs one kernel per variable on wasm', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const profile = await tf.profile(() => { steps(new FusedAdam(0.01, 0.9, 0.999)); return []; });
  const names = profile.kernels.map((k) => k.name);
  assert.equal(names.filter((n) => n === 'TransferLabAdam').length, 6);
  assert.equal(names.filter((n) => n === 'Sqrt').length, 0);
});
