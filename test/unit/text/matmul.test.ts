import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { plainMatMul } from '../../../src/engine/text/matmul';

before(async () => {
  await selectEngine('wasm');
});

const close = (a: Float32Array, b: Float32Array) => a.every((v, i) => Math.abs(v - b[i]) <= 1e-4 * (1 + Math.abs(b[i])));

test('on wasm, batched products (looped kernel) and their gradients equal tfjs\' own, without leaking tensors', async () => {
  const a = tf.randomNormal([6, 5, 4], 0, 1, 'float32', 1);
  const b = tf.randomNormal([6, 4, 3], 0, 1, 'float32', 2);
  const dy = tf.randomNormal([6, 5, 3], 0, 1, 'float32', 3);
  const before = tf.memory().numTensors;
  const ours = plainMatMul(a, b);
  const theirs = tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D);
  assert.ok(close(ours.dataSync() as Float32Array, theirs.dataSync() as Float32Array));
  const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), dy));
  const [da, db] = tf.grads(loss(plainMatMul))([a, b]);
  const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D)))([a, b]);
  assert.ok(close(da.dataSync() as Float32Array, ra.dataSync() as Float32Array), 'gradient of a');
  assert.ok(close(db.dataSync() as Float32Array, rb.dataSync() as Float32Array), 'gradient of b');
  tf.dispose([ours, theirs, da, db, ra, rb]);
  assert.equal(tf.memory().numTensors, before);
});

test('2-D products and gradients equal tfjs\' own on wasm', async () => {
  const a = tf.randomNormal([7, 5], 0, 1, 'float32', 4);
  const b = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
  const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(plainMatMul(x, y))))([a, b]);
  const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))))([a, b]);
  assert.ok(close(da.dataSync() as Float32Array, ra.dataSync() as Float32Array));
  assert.ok(close(db.dataSync() as Float32Array, rb.dataSync() as Float32Array));
});
