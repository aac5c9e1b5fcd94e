import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FreezeSpecError } from '../../../src/engine/models/freeze';
import { describeLayers } from '../../../src/engine/models/layerTree';
import { singleTensorCuts, splitModel, type ModelSplit } from '../../../src/engine/models/split';
import { loadMobileNetV2, useWasmBackend } from './fixtures/nsfwjsModel';

let mobilenet: tf.LayersModel;
before(async () => {
  await useWasmBackend();
  mobilenet = await loadMobileNetV2();
});
after(() => mobilenet.dispose());

/** input → a → b → add(a, b) → c → out: the residual makes `b` unsplittable. */
function residualToy(): tf.LayersModel {
  const input = tf.input({ shape: [4], name: 'in' });
  const a = tf.layers.dense({ units: 6, activation: 'relu', name: 'a' }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 6, activation: 'tanh', name: 'b' }).apply(a) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  const c = tf.layers.dense({ units: 5, activation: 'relu', name: 'c' }).apply(sum) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'out' }).apply(c) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function maxDiffThroughSplit(model: tf.LayersModel, split: ModelSplit, x: tf.Tensor): number {
  return tf.tidy(() => {
    const composed = split.top.predict(split.prefix!.predict(x) as tf.Tensor) as tf.Tensor;
    return tf.max(tf.abs(tf.sub(composed, model.predict(x) as tf.Tensor))).dataSync()[0];
  });
}

test('cuts skip layers whose output a residual connection bypasses', () => {
  const toy = residualToy();
  assert.deepEqual(singleTensorCuts(toy), ['a', 'add', 'c']);
  assert.equal(splitModel(toy, 'add').boundary, 'a');
  assert.equal(splitModel(toy, 'c').boundary, 'add');
  assert.equal(splitModel(toy, 'out').boundary, 'c');
});

test('no cut before the first trainable layer leaves the model whole', () => {
  const toy = residualToy();
  for (const first of ['in', 'a']) {
    const split = splitModel(toy, first);
    assert.equal(split.prefix, null);
    assert.equal(split.top, toy);
    assert.equal(split.boundary, null);
  }
  assert.throws(() => splitModel(toy, 'cc'), (e: unknown) => e instanceof FreezeSpecError && e.field === 'firstTrainable' && /"c"/.test(e.message));
});

test('training the toy top trains the original model', async () => {
  const toy = residualToy();
  const split = splitModel(toy, 'add');
  const x = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
  const y = tf.randomNormal([8, 3], 0, 1, 'float32', 2);
  assert.ok(maxDiffThroughSplit(toy, split, x) < 1e-5);
  const before = toy.getLayer('b').getWeights()[0].arraySync();
  split.top.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  await split.top.fit(split.prefix!.predict(x) as tf.Tensor, y, { epochs: 1, batchSize: 8, verbose: 0 });
  assert.notDeepEqual(toy.getLayer('b').getWeights()[0].arraySync(), before);
  assert.ok(maxDiffThroughSplit(toy, split, x) < 1e-5);
  tf.dispose([x, y]);
});

test('MobileNetV2 cuts are residual adds and block boundaries, never inside a residual', () => {
  const cuts = new Set(singleTensorCuts(mobilenet));
  assert.ok(cuts.has('block_15_add') && cuts.has('block_12_add') && cuts.has('block_16_project_BN'));
  for (const n of [2, 4, 5, 7, 8, 9, 11, 12, 14, 15]) assert.ok(!cuts.has(`block_${n}_project_BN`), `block_${n}_project_BN`);
  assert.ok(!cuts.has('input_1') && !cuts.has('out_relu'));
});

test('MobileNetV2 top(prefix(x)) equals model(x) and shares its weights', () => {
  const x = tf.randomUniform([2, 96, 96, 3], -1, 1, 'float32', 3);
  for (const [first, boundary] of [['block_16_expand', 'block_15_add'], ['block_13_expand', 'block_12_add']]) {
    const split = splitModel(mobilenet, first);
    assert.equal(split.boundary, boundary);
    assert.deepEqual(split.prefix!.outputs[0].shape, mobilenet.getLayer(boundary).outputShape);
    assert.ok(maxDiffThroughSplit(mobilenet, split, x) < 1e-4, first);

    const layer = split.top.getLayer('Conv_1');
    const original = layer.getWeights().map((w) => w.clone()); // getWeights returns the live variables
    const halved = original.map((w) => tf.mul(w, 0.5));
    layer.setWeights(halved);
    tf.dispose(halved);
    const changed = mobilenet.getLayer('Conv_1').getWeights()[0];
    assert.equal(tf.tidy(() => tf.max(tf.abs(tf.sub(changed, tf.mul(original[0], 0.5)))).dataSync()[0]), 0);
    assert.ok(maxDiffThroughSplit(mobilenet, split, x) < 1e-4);
    layer.setWeights(original);
    tf.dispose(original);
  }
  // The model itself still describes and splits the same after being split twice.
  assert.equal(describeLayers(mobilenet).length, 155);
  assert.equal(splitModel(mobilenet, 'block_16_expand').boundary, 'block_15_add');
  x.dispose();
});
