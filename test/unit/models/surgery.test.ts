import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../../../src/engine/models/errors';
import { nsfwjsModelFolder, NsfwjsModelName } from '../../../src/engine/models/nsfwjs';
import { Topology, cutTopology, featureMapLayer, inputSizeOf, layerNames, setInputSize, toFunctional } from '../../../src/engine/models/surgery';

const nsfwjsTopology = (name: NsfwjsModelName): Topology =>
  require(path.join(nsfwjsModelFolder(name), 'model.min.js')).modelTopology;

const topologyOf = (model: tf.LayersModel): Topology => model.toJSON(null, false) as Topology;

test('cutTopology keeps what the cut layer depends on and makes it the only output', () => {
  const original = nsfwjsTopology('mobilenet_v2');
  const before = JSON.stringify(original);
  const cut = cutTopology(original, 'out_relu');
  const names = layerNames(cut);
  assert.equal(names.at(-1), 'out_relu');
  assert.ok(!names.includes('dense_3') && !names.includes('flatten_1'));
  assert.equal(names.length, layerNames(original).indexOf('out_relu') + 1);
  assert.deepEqual(cut.model_config.config.output_layers, [['out_relu', 0, 0]]);
  assert.equal(JSON.stringify(original), before, 'the input topology is not modified');
});

test('cutTopology drops branches the cut layer does not depend on', () => {
  const input = tf.input({ shape: [8, 8, 3], name: 'img' });
  const a = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'a' }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'b' }).apply(a) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c' }).apply(input) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'joined' }).apply([b, c]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: joined });
  assert.deepEqual(layerNames(cutTopology(topologyOf(model), 'b')), ['img', 'a', 'b']);
  assert.deepEqual(layerNames(cutTopology(topologyOf(model), 'joined')).sort(), ['a', 'b', 'c', 'img', 'joined']);
  model.dispose();
});

test('an unknown cut layer is named and close valid names are suggested', () => {
  assert.throws(() => cutTopology(nsfwjsTopology('mobilenet_v2'), 'out_relux'), (error: ModelError) => {
    assert.ok(error instanceof ModelError);
    assert.match(error.message, /"out_relux"/);
    assert.match(error.fix, /"out_relu"/);
    return true;
  });
});

test('setInputSize refuses while a Flatten ties the graph to its size, and works after cutting it off', () => {
  const original = nsfwjsTopology('mobilenet_v2');
  assert.throws(() => setInputSize(original, 96), /flatten_1.*fixes the input size/);
  const resized = setInputSize(cutTopology(original, 'out_relu'), 96);
  assert.equal(inputSizeOf(resized), 96);
  assert.equal(inputSizeOf(original), 224);
  assert.throws(() => setInputSize(cutTopology(original, 'out_relu'), 0), /inputSize/);
});

test('featureMapLayer finds the last feature map before the classifier head', () => {
  assert.equal(featureMapLayer(nsfwjsTopology('mobilenet_v2')), 'out_relu');
  assert.equal(featureMapLayer(nsfwjsTopology('inception_v3')), 'mixed10');
  // MobileNet v1 style head: global pooling, then a Reshape back to 4-D and a 1x1 conv classifier.
  const input = tf.input({ shape: [16, 16, 3] });
  const features = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'features' }).apply(input);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(features);
  const reshaped = tf.layers.reshape({ targetShape: [1, 1, 4] }).apply(pooled);
  const logits = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'logits' }).apply(reshaped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  assert.equal(featureMapLayer(topologyOf(model)), 'features');
  model.dispose();
});

test('Sequential topologies (tfjs and Keras <= 2.2.2 array form) become functional ones that load with the same weights', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 2, kernelSize: 3, name: 'conv' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  const tfjsForm = topologyOf(model);
  const kerasForm = { ...tfjsForm, config: (tfjsForm.config as { layers: unknown[] }).layers };
  for (const topology of [tfjsForm, kerasForm]) {
    assert.deepEqual(layerNames(topology).slice(1), ['conv', 'flat', 'out']);
    assert.equal(featureMapLayer(topology), 'conv');
    assert.equal(inputSizeOf(topology), 6);
  }
  const functional = await tf.models.modelFromJSON({ modelTopology: toFunctional(kerasForm) as unknown as tf.io.ModelJSON['modelTopology'] });
  functional.setWeights(model.getWeights());
  const x = tf.randomUniform([2, 6, 6, 3]);
  const [expected, actual] = [model.predict(x), functional.predict(x)] as tf.Tensor[];
  assert.deepEqual(actual.arraySync(), expected.arraySync());
  tf.dispose([x, expected, actual]);
  model.dispose();
  functional.dispose();
});

test('an unsupported model class is named', () => {
  assert.throws(() => toFunctional({ class_name: 'Weird', config: {} }), /"Weird"/);
});
