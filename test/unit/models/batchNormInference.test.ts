import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { completeBatchNorms } from '../../../src/engine/models/batchNormInference';

before(() => tf.setBackend('cpu'));

function scalelessModel(): tf.LayersModel {
  const input = tf.input({ shape: [3, 3, 2] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input);
  const norm = tf.layers.batchNormalization({ scale: false, name: 'norm', movingVarianceInitializer: tf.initializers.constant({ value: 2.5 }), movingMeanInitializer: tf.initializers.constant({ value: 0.3 }) });
  return tf.model({ inputs: input, outputs: norm.apply(conv) as tf.SymbolicTensor });
}

const lossOf = (model: tf.LayersModel, x: tf.Tensor) => () => tf.sum(tf.square(model.apply(x, { training: false }) as tf.Tensor)) as tf.Scalar;

test('a BatchNormalization without scale gets gradients in inference mode, with the same outputs as before', () => {
  const model = scalelessModel();
  const x = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 4);
  const before = (model.apply(x, { training: false }) as tf.Tensor).dataSync();
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  assert.throws(() => tf.variableGrads(lossOf(model, x), variables), /undefined/, 'tfjs alone cannot (tensorflow/tfjs#2868)');

  completeBatchNorms(model);
  assert.deepEqual((model.apply(x, { training: false }) as tf.Tensor).dataSync(), before);
  const { grads } = tf.variableGrads(lossOf(model, x), variables);
  assert.deepEqual(Object.keys(grads).sort(), variables.map((v) => v.name).sort());
  for (const [name, grad] of Object.entries(grads)) assert.ok(tf.any(tf.notEqual(grad, 0)).dataSync()[0], `${name} has a gradient`);
  // d/dβ of Σy² is Σ2y per channel.
  const beta = Object.keys(grads).find((name) => name.endsWith('beta'))!;
  const expected = tf.sum(tf.mul(2, tf.tensor(before, [2, 3, 3, 4])), [0, 1, 2]).dataSync();
  grads[beta].dataSync().forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-4, `beta gradient ${g} vs ${expected[i]}`));
});
