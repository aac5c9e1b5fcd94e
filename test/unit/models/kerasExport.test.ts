import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportText } from '../../../src/cli/render';
import { exportRun } from '../../../src/engine/export/exportRun';
import type { ExportFormat } from '../../../src/protocol/host';
import { EXPORT_MARKER } from '../../../src/shared/runLayout';
import { isGroup, stringAttr, stringListAttr, withH5File, type H5Group } from '../../../src/engine/models/keras/h5';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { listZip, readZipEntry } from '../../../src/engine/models/keras/zip';
import { readLayersModelFiles } from '../../../src/engine/models/layersFiles';
import { loadBaseModel } from '../../../src/engine/models/load';
import { exportModel } from '../../../src/engine/training/artifacts';
import { createHeadLayers, createPooling } from '../../../src/engine/training/head';
import { writeKeras3Archive } from './fixtures/kerasFiles';
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

/** The archive's entries by name, with how each is stored. */
async function zipEntries(file: string): Promise<Map<string, { method: number; data: Buffer }>> {
  const zip = await readFile(file);
  return new Map(listZip(zip, file).map((entry) => [entry.name, { method: entry.method, data: readZipEntry(zip, entry, file) }]));
}

/** The weights file inside a .keras archive, opened with h5wasm (which reads real files only). */
async function withArchiveWeights<T>(file: string, work: (root: H5Group) => T): Promise<T> {
  const weightsFile = `${file}.weights.h5`;
  await writeFile(weightsFile, (await zipEntries(file)).get('model.weights.h5')!.data);
  try {
    return await withH5File(weightsFile, 'r', (root) => work(root));
  } finally {
    await rm(weightsFile);
  }
}

for (const format of ['h5', 'keras'] as const) {
  test(`a run exports as ${format === 'h5' ? 'a Keras 2 HDF5 model' : 'a Keras 3 .keras archive'} that our importer reads back losslessly`, async () => {
    const result = await exportRun(runDir, { format });
    assert.equal(path.extname(result.file), `.${format}`);
    const original = await readLayersModelFiles(result.tfjsModel!);
    const reread = await readKerasModelFile(result.file);
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
}

test('the .h5 file has the Keras 2 full-model layout keras.models.load_model reads', async () => {
  const { file } = await exportRun(runDir, { out: path.join(runDir, 'classifier.h5') });
  await withH5File(file, 'r', (root, h5) => {
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

test('the .keras archive has the layout Keras 3 saving_lib writes: stored entries, Keras 3 config, weights by class and position', async () => {
  const { file } = await exportRun(runDir, { out: path.join(runDir, 'classifier.keras') });
  const entries = await zipEntries(file);
  assert.deepEqual([...entries.keys()], ['metadata.json', 'config.json', 'model.weights.h5']);
  for (const [name, entry] of entries) assert.equal(entry.method, 0, `${name} is stored, as Keras' zipfile writes it`);
  assert.match(JSON.parse(entries.get('metadata.json')!.data.toString()).keras_version, /^3\./);

  const config = JSON.parse(entries.get('config.json')!.data.toString());
  assert.deepEqual(
    { module: config.module, class_name: config.class_name, registered_name: config.registered_name, build_config: config.build_config, compile_config: config.compile_config },
    { module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null }, compile_config: null },
  );
  assert.deepEqual(config.config.input_layers, ['input_1', 0, 0]);
  assert.deepEqual(config.config.output_layers, ['head_softmax', 0, 0]);
  const layer = (name: string) => config.config.layers.find((l: { name: string }) => l.name === name);
  assert.deepEqual(layer('input_1').config, { batch_shape: [null, 96, 96, 3], dtype: 'float32', sparse: false, name: 'input_1' });
  assert.equal(layer('input_1').build_config, undefined);
  const conv = layer('conv_pw_1');
  assert.deepEqual([conv.module, conv.class_name, conv.registered_name], ['keras.layers', 'Conv2D', null]);
  assert.deepEqual(conv.config.dtype, { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
  assert.deepEqual(conv.config.kernel_initializer.module, 'keras.initializers');
  assert.equal(conv.config.kernel_initializer.registered_name, null);
  assert.deepEqual(conv.build_config, { input_shape: [null, 48, 48, 8] });
  assert.deepEqual(conv.inbound_nodes, [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 48, 48, 8], dtype: 'float32', keras_history: ['conv_dw_1_relu', 0, 0] } }], kwargs: {} }]);
  assert.equal(layer('conv_dw_1_relu').build_config, undefined, 'layers that build nothing record no input shape');
  assert.doesNotMatch(JSON.stringify(config), /"distribution":"normal"/);

  const { weightData, weightSpecs } = await readLayersModelFiles(path.join(runDir, 'model', 'model.json'));
  const tfjs = tf.io.decodeWeights(weightData, weightSpecs);
  await withArchiveWeights(file, (root) => {
    const vars = (key: string) => root.get(`${key}/vars`) as H5Group;
    assert.deepEqual(vars('').keys(), [], 'the model itself has a vars group and no variables');
    const stored = (key: string, i: number) => (root.get(`layers/${key}/vars/${i}`) as unknown as { value: Float32Array }).value;
    // Keras names groups by class in model.layers order: conv1 is conv2d, conv_pw_1 conv2d_1; head_hidden dense, head_logits dense_1.
    assert.deepEqual(stored('conv2d', 0), tfjs['conv1/kernel'].dataSync());
    assert.deepEqual(stored('conv2d_1', 0), tfjs['conv_pw_1/kernel'].dataSync());
    assert.deepEqual(stored('depthwise_conv2d', 0), tfjs['conv_dw_1/depthwise_kernel'].dataSync());
    ['gamma', 'beta', 'moving_mean', 'moving_variance'].forEach((w, i) => assert.deepEqual(stored('batch_normalization', i), tfjs[`conv1_bn/${w}`].dataSync(), w));
    assert.deepEqual(stored('dense', 1), tfjs['head_hidden/bias'].dataSync());
    assert.deepEqual(stored('dense_1', 0), tfjs['head_logits/kernel'].dataSync());
    assert.deepEqual(vars('layers/re_lu').keys(), [], 'weightless layers have empty vars');
  });
});

test('a merge layer is called on a list of tensors and records every input shape', async () => {
  const input = tf.input({ shape: [4, 4, 2], name: 'pixels' });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'mix' }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'residual' }).apply([conv, input]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: sum });
  const file = path.join(runDir, 'residual.keras');
  await writeKeras3Archive(file, model);
  const config = JSON.parse((await zipEntries(file)).get('config.json')!.data.toString());
  const add = config.config.layers.find((l: { name: string }) => l.name === 'residual');
  assert.deepEqual(add.inbound_nodes[0].args[0].map((t: { config: { keras_history: unknown } }) => t.config.keras_history), [['mix', 0, 0], ['pixels', 0, 0]]);
  assert.deepEqual(add.build_config, { input_shape: [[null, 4, 4, 2], [null, 4, 4, 2]] });
  model.dispose();
});

const LOADERS: [ExportFormat, RegExp, RegExp][] = [
  ['h5', /keras\.models\.load_model\(".*model\.h5", compile=False\)/, /Keras 2 or 3/],
  ['keras', /keras\.saving\.load_model\(".*model\.keras", compile=False\)/, /Keras 3,/],
  ['tfjs', /import tensorflowjs as tfjs[\s\S]*tfjs\.converters\.load_keras_model\(".*exported-tfjs\/model\.json"\)/, /tensorflowjs/],
];

for (const [format, load, loader] of LOADERS) {
  test(`export as ${format} prints Python that loads it and preprocesses like the run`, async () => {
    const out = format === 'tfjs' ? path.join(runDir, 'exported-tfjs') : undefined;
    const result = await exportRun(runDir, { format, out });
    assert.match(result.python, load);
    assert.match(exportText(result), loader);
    assert.match(result.python, /resize\(\(96, 96\)\)/);
    assert.match(result.python, /x = x \/ 127\.5 - 1\.0/);
    assert.ok(existsSync(path.join(path.dirname(result.labelsFile), 'labels.json')));
    if (format === 'tfjs') {
      assert.deepEqual(await readFile(path.join(out!, 'model.json')), await readFile(result.tfjsModel!));
      assert.deepEqual((await readdir(out!)).sort(), [EXPORT_MARKER, 'labels.json', 'model.json', 'preprocessing.json', 'weights.bin'], 'the Keras copies beside it stay behind');
    }
  });
}

test('a tfjs export over an earlier one replaces it: no stale weight shards stay', async () => {
  const out = path.join(runDir, 'replaced-tfjs');
  await exportRun(runDir, { format: 'tfjs', out });
  // as an earlier export of a larger model would have left it: a second shard, listed in our marker
  await writeFile(path.join(out, 'group1-shard2of2.bin'), 'from an earlier, larger model');
  const marker = JSON.parse(await readFile(path.join(out, EXPORT_MARKER), 'utf8'));
  await writeFile(path.join(out, EXPORT_MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'group1-shard2of2.bin'] }));
  await exportRun(runDir, { format: 'tfjs', out });
  assert.deepEqual((await readdir(out)).sort(), [EXPORT_MARKER, 'labels.json', 'model.json', 'preprocessing.json', 'weights.bin']);
  await assert.rejects(exportRun(runDir, { format: 'tfjs', out: path.join(runDir, 'model', 'copy') }), /must be outside the run's model folder/);
});

test('the format follows --out\'s ending; a run without a model and an ending Keras would not load are refused', async () => {
  assert.equal((await exportRun(runDir, { out: path.join(runDir, 'x.keras') })).format, 'keras');
  assert.equal((await exportRun(runDir, { out: path.join(runDir, 'x.h5') })).format, 'h5');
  await assert.rejects(exportRun(path.join(runDir, 'nope')), /nope: no such folder — check the path/);
  // Keras' loaders go by the file's ending: a misnamed export would not load.
  await assert.rejects(exportRun(runDir, { format: 'keras', out: path.join(runDir, 'x.h5') }), /ending in \.keras/);
  await assert.rejects(exportRun(runDir, { out: path.join(runDir, 'x.zip') }), /\.h5, \.hdf5 and \.keras files only/);
});
