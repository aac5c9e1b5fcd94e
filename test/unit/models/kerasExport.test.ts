import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportRunAsKeras, exportText } from '../../../src/cli/export';
import { isGroup, stringAttr, stringListAttr, withH5File } from '../../../src/engine/models/keras/h5';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { readLayersModelFiles } from '../../../src/engine/models/layersFiles';
import { loadBaseModel } from '../../../src/engine/models/load';
import { exportModel } from '../../../src/engine/training/artifacts';
import { createHeadLayers, createPooling } from '../../../src/engine/training/head';
import { useWasmBackend } from './fixtures/nsfwjsModel';

let runDir: string;

before(async () => {
  await useWasmBackend();
  runDir = await mkdtemp(path.join(tmpdir(), 'keras-export-run-'));
  // A run's classifier exactly as the trainer exports it, on a small random-weight MobileNet.
  const { model: base, info } = await loadBaseModel('mobilenet_0.25', { cacheDir: path.join(runDir, 'cache'), inputSize: 96, download: false });
  const head = createHeadLayers({ pooling: 'avg', hiddenUnits: 8, dropout: 0.2 }, 3, 11);
  await exportModel(runDir, base, createPooling('avg'), head, { classes: ['a', 'b', 'c'], inputSize: 96, preprocessing: info.preprocessing, base: info.id, featureLayer: info.cutLayer });
  base.dispose();
});

test('a run exports as a Keras HDF5 model that our importer reads back losslessly', async () => {
  const result = await exportRunAsKeras(runDir);
  const original = await readLayersModelFiles(result.tfjsModel);
  const reread = await readKerasModelFile(result.kerasFile);
  const decode = (a: typeof original) => tf.io.decodeWeights(a.weightData, a.weightSpecs);
  const [before, after] = [decode(original), decode(reread)];
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  for (const name of Object.keys(before)) assert.deepEqual(after[name].dataSync(), before[name].dataSync(), name);
  const [a, b] = await Promise.all([original, reread].map((artifacts) => tf.loadLayersModel(tf.io.fromMemory(artifacts))));
  const x = tf.randomUniform([2, 96, 96, 3], -1, 1, 'float32', 5);
  assert.deepEqual((b.predict(x) as tf.Tensor).dataSync(), (a.predict(x) as tf.Tensor).dataSync());
  assert.deepEqual(b.layers.map((l) => l.name), a.layers.map((l) => l.name));
  assert.equal(result.params, a.countParams());
});

test('the file has the Keras 2 full-model layout keras.models.load_model reads', async () => {
  const { kerasFile } = await exportRunAsKeras(runDir, path.join(runDir, 'classifier.h5'));
  await withH5File(kerasFile, 'r', (root, h5) => {
    const config = JSON.parse(stringAttr(root, 'model_config')!);
    assert.equal(config.class_name, 'Model');
    assert.equal(stringAttr(root, 'backend'), 'tensorflow');
    assert.doesNotMatch(JSON.stringify(config), /"distribution":"normal"/, 'Keras 3 rejects tfjs\' "normal"');
    const weights = root.get('model_weights');
    assert.ok(isGroup(weights, h5));
    const layerNames = stringListAttr(weights, 'layer_names')!;
    assert.deepEqual(layerNames, config.config.layers.map((l: { name: string }) => l.name));
    const bn = weights.get('conv1_bn');
    assert.ok(isGroup(bn, h5));
    assert.deepEqual(stringListAttr(bn, 'weight_names'), ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => `conv1_bn/${w}:0`));
    assert.deepEqual((weights.get('conv1_bn/conv1_bn/moving_variance:0') as { shape: number[] }).shape, [8]);
    assert.equal((weights.get('conv1_relu') as { attrs: Record<string, { shape: number[] }> }).attrs.weight_names.shape[0], 0, 'weightless layers list no weights');
  });
});

test('export prints Python that loads the file and preprocesses like the run', async () => {
  const result = await exportRunAsKeras(runDir);
  const text = exportText(result);
  assert.match(text, /keras\.models\.load_model\(".*model\.h5", compile=False\)/);
  assert.match(result.python, /resize\(\(96, 96\)\)/);
  assert.match(result.python, /x = x \/ 127\.5 - 1\.0/);
  await assert.rejects(exportRunAsKeras(path.join(runDir, 'nope')), /no exported image classifier/);
});
