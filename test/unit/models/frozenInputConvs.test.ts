import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convsOnFrozenInput, skipFrozenInputGradients } from '../../../src/engine/models/frozenInputConvs';

/** pad → conv (bias) → BN → conv (no bias) → conv (relu): only `first` reads frozen values. */
function network(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 3] });
  const padded = tf.layers.zeroPadding2d({ padding: 1 }).apply(input) as tf.SymbolicTensor;
  const first = tf.layers.conv2d({ name: 'first', filters: 4, kernelSize: 3, strides: 2, kernelInitializer: tf.initializers.glorotNormal({ seed }), biasInitializer: 'ones' }).apply(padded);
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(first);
  const second = tf.layers.conv2d({ name: 'second', filters: 5, kernelSize: 1, useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }).apply(bn);
  const third = tf.layers.conv2d({ name: 'third', filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }).apply(second) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: third });
}

function gradients(model: tf.LayersModel, x: tf.Tensor): { loss: number; grads: Record<string, number[]> } {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: false }) as tf.Tensor)) as tf.Scalar, variables);
  const result = { loss: value.dataSync()[0], grads: Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, Array.from(g.dataSync())])) };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

test('only trainable convolutions whose input no trainable weight reaches are found', async () => {
  await tf.setBackend('cpu');
  const model = network(1);
  assert.deepEqual(convsOnFrozenInput(model).map((l) => l.name), ['first']);
  model.getLayer('first').trainable = false;
  model.getLayer('bn').trainable = false;
  assert.deepEqual(convsOnFrozenInput(model).map((l) => l.name), ['second']);
  model.dispose();
});

test('a conv on frozen input gives the same output and weight gradients, without computing its input gradient', async () => {
  await tf.setBackend('cpu');
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
  const plain = network(3);
  const expected = gradients(plain, x);
  const expectedOutput = Array.from((plain.predict(x) as tf.Tensor).dataSync());
  const inputGradientsBefore = (await tf.profile(() => tf.tidy(() => { gradients(plain, x); }))).kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;

  skipFrozenInputGradients(plain);
  const actual = gradients(plain, x);
  const profile = await tf.profile(() => tf.tidy(() => { gradients(plain, x); }));
  const inputGradientsAfter = profile.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;

  assert.deepEqual(Array.from((plain.predict(x) as tf.Tensor).dataSync()), expectedOutput);
  assert.ok(Math.abs(actual.loss - expected.loss) <= 1e-5 * Math.abs(expected.loss));
  for (const [name, values] of Object.entries(expected.grads)) {
    actual.grads[name].forEach((v, i) => assert.ok(Math.abs(v - values[i]) <= 1e-4 * (1 + Math.abs(values[i])), `${name}[${i}]: ${v} vs ${values[i]}`));
  }
  // `second` and `third` still need theirs (their inputs carry trainable weights' effects); `first` no longer does.
  assert.equal(inputGradientsBefore, 3);
  assert.equal(inputGradientsAfter, 2);
  x.dispose();
  plain.dispose();
});
