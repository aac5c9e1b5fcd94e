import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildArchitecture } from '../../../src/engine/models/architectures';
import { ModelError } from '../../../src/engine/models/errors';
import { withH5File } from '../../../src/engine/models/keras/h5';
import { expectedWeights, matchWeights } from '../../../src/engine/models/keras/matchWeights';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { readKerasWeightsFile } from '../../../src/engine/models/keras/weightsFile';
import { describeLayers } from '../../../src/engine/models/layerTree';
import { loadBaseModel } from '../../../src/engine/models/load';
import { toFunctional, type Topology } from '../../../src/engine/models/surgery';
import { writeKeras3Archive } from './fixtures/kerasFiles';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';

const MOBILENET_025 = sharedData('weights', 'mobilenet_2_5_224_tf_no_top.h5');
const needsMobileNet025 = skipWithoutSharedData(['weights', 'mobilenet_2_5_224_tf_no_top.h5']);
const layersOf = (t: Topology) => toFunctional(t).model_config.config.layers.map((l) => ({ name: l.name, className: l.class_name }));

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'keras-import-'));
});

test('the genuine Keras 2 MobileNet 0.25 notop file loads onto our MobileNet(alpha=0.25) by name, every weight used', { skip: needsMobileNet025 }, async () => {
  const topology = buildArchitecture('mobilenet_v1', { inputSize: 224, includeTop: false, alpha: 0.25 });
  const file = await readKerasWeightsFile(MOBILENET_025!, layersOf(topology));
  const matched = matchWeights(await expectedWeights(topology), file, MOBILENET_025!);
  assert.deepEqual(matched.unused, []);
  const fileValues = [...file.values()].flat().reduce((sum, w) => sum + w.values.length, 0);
  assert.equal(matched.weightData.byteLength / 4, fileValues, 'every stored number is used');
  assert.equal(fileValues, 218_544);
  const gamma = new Float32Array(matched.weightData, offsetOf(matched.weightSpecs, 'conv1_bn/gamma'), 8);
  assert.deepEqual([...gamma], [...file.get('conv1_bn')![0].values]);
});

test('a weights file for another width names the first weight that does not fit, with both shapes', { skip: needsMobileNet025 }, async () => {
  const topology = buildArchitecture('mobilenet_v1', { inputSize: 224, includeTop: false, alpha: 0.5 });
  const file = await readKerasWeightsFile(MOBILENET_025!, layersOf(topology));
  const expected = await expectedWeights(topology);
  assert.throws(() => matchWeights(expected, file, MOBILENET_025!), (error: ModelError) =>
    error instanceof ModelError && /weight "conv1\/kernel" is \[3,3,3,8\] in the file \("conv1\/kernel:0"\) but the model needs \[3,3,3,16\]/.test(error.message));
  const v2 = buildArchitecture('mobilenet_v2', { inputSize: 224, includeTop: false, alpha: 0.35 });
  const expectedV2 = await expectedWeights(v2);
  assert.throws(() => matchWeights(expectedV2, file, MOBILENET_025!), /has no weights for layers "Conv1", "bn_Conv1"/);
});

test('a Keras 3 .keras archive (stored or deflated) becomes the same model, with its layer tree', async () => {
  const input = tf.input({ shape: [16, 16, 3], name: 'image' });
  const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'stem_conv' }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(a) as tf.SymbolicTensor;
  const b = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'block_1_dw' }).apply(bn) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'block_1_pw' }).apply(b) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'block_1_add' }).apply([bn, c]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(tf.layers.reLU({ maxValue: 6, name: 'relu' }).apply(sum)) as tf.SymbolicTensor;
  const original = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }).apply(pooled) as tf.SymbolicTensor });
  // Moving statistics that are not the initial 0/1, so a mix-up between BatchNormalization's four weights shows.
  original.getLayer('stem_bn').setWeights(original.getLayer('stem_bn').getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5 + i, 1 + i)));
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 3);
  const expected = original.predict(x) as tf.Tensor;
  for (const deflate of [false, true]) {
    const file = path.join(dir, `small-${deflate}.keras`);
    await writeKeras3Archive(file, original, { deflate });
    const model = await tf.loadLayersModel(tf.io.fromMemory(await readKerasModelFile(file)));
    assert.deepEqual(model.layers.map((l) => l.name), original.layers.map((l) => l.name));
    assert.ok(tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, expected))).dataSync()[0] < 1e-6, `deflate ${deflate}`);
    const tree = describeLayers(model);
    assert.deepEqual(tree.filter((l) => l.block === 'block_1').map((l) => l.name), ['block_1_dw', 'block_1_pw', 'block_1_add']);
    model.dispose();
  }
  const { model, info } = await loadBaseModel(path.join(dir, 'small-true.keras'), { cacheDir: dir, cutLayer: 'relu' });
  assert.deepEqual([info.source, info.weights, info.inputSize], ['file', 'from small-true.keras', 16]);
  assert.deepEqual(model.outputs[0].shape, [null, 16, 16, 4]);
});

test('a damaged archive fails its CRC check', async () => {
  const damaged = await readFile(path.join(dir, 'small-false.keras'));
  damaged[damaged.indexOf('keras.layers')] ^= 0x20; // one flipped bit inside the stored config.json
  await writeFile(path.join(dir, 'damaged.keras'), damaged);
  await assert.rejects(readKerasModelFile(path.join(dir, 'damaged.keras')), /config\.json\): fails its zip CRC check/);
});

test('layers tfjs cannot build are named, with their classes, before any weight is read', async () => {
  const input = tf.input({ shape: [4], name: 'x' });
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: 'out' }).apply(input) as tf.SymbolicTensor });
  const config = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; name: string; config: { name: string } }[] } };
  config.config.layers[1].class_name = 'TFOpLambda';
  const file = path.join(dir, 'custom.h5');
  await withH5File(file, 'w', (root) => {
    root.create_attribute('model_config', JSON.stringify(config));
    root.create_group('model_weights').create_attribute('layer_names', ['x', 'out']);
  });
  await assert.rejects(readKerasModelFile(file), (error: ModelError) => /"out" \(TFOpLambda\)/.test(error.message) && error.path === file);
  if (MOBILENET_025) await assert.rejects(readKerasModelFile(MOBILENET_025), /holds weights only/);
  await assert.rejects(readKerasModelFile(path.join(dir, 'missing.h5')), /missing\.h5: not found\. Check the path/);
});

function offsetOf(specs: tf.io.WeightsManifestEntry[], name: string): number {
  let offset = 0;
  for (const spec of specs) {
    if (spec.name === name) return offset;
    offset += spec.shape.reduce((a, b) => a * b, 1) * 4;
  }
  return -1;
}
