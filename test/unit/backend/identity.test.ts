import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';

type Counted = tf.KernelBackend & { numDataIds(): number };

test('Identity on wasm shares the data: a clone keeps its values after the original is freed, and both free it', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const backend = tf.backend() as Counted;
  const before = backend.numDataIds();
  const original = tf.tensor([1.5, -2, 3], [3]);
  const copy = tf.clone(original);
  assert.equal(backend.numDataIds(), before + 1, 'no second buffer');
  original.dispose();
  assert.deepEqual(Array.from(await copy.data()), [1.5, -2, 3]);
  copy.dispose();
  assert.equal(backend.numDataIds(), before);
});

test('Identity on wasm still copies strings through the native kernel', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const words = tf.tensor(['a', 'bc']);
  const copy = tf.clone(words);
  words.dispose();
  assert.deepEqual(await copy.data(), ['a', 'bc']);
  copy.dispose();
});
