import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CATALOG, findCatalogEntry, kerasWeightsFile } from '../../../src/shared/catalog';
import { cachedFilePath } from '../../../src/engine/models/cachedFile';
import { describeLayers } from '../../../src/engine/models/layerTree';
import { loadBaseModel } from '../../../src/engine/models/load';
import { useWasmBackend } from './fixtures/nsfwjsModel';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';

const MOBILENET_025 = sharedData('weights', 'mobilenet_2_5_224_tf_no_top.h5');
const needsMobileNet025 = skipWithoutSharedData(['weights', 'mobilenet_2_5_224_tf_no_top.h5']);
const needsWeights = { skip: needsMobileNet025 };
const entry = (id: string) => findCatalogEntry(id)!;
const emptyCache = () => mkdtempSync(path.join(tmpdir(), 'keras-catalog-'));

before(useWasmBackend);

test('every catalog id builds offline, without downloading, with a layer tree; uncached weights say so', async () => {
  const cacheDir = emptyCache();
  for (const { id, minInputSize, params, source } of CATALOG) {
    const { model, info } = await loadBaseModel(id, { cacheDir, inputSize: Math.max(minInputSize, 32), download: false });
    assert.equal(info.paramCount, params, id);
    assert.equal(info.weights, source.kind === 'nsfwjs' ? 'nsfwjs checkpoint (offline)' : 'random (not downloaded)', id);
    assert.ok(describeLayers(model).length > 10, id);
    model.dispose();
  }
  assert.deepEqual(readdirSync(cacheDir), [], 'nothing was downloaded');
});

test('the five keras.applications bases are in the catalog with the official files, Keras hashes and preprocessing', () => {
  const ids = ['vgg16', 'resnet50', 'inception_v3', 'mobilenet', 'mobilenet_v2'];
  assert.deepEqual(ids.map((id) => entry(id).architecture), ['vgg16', 'resnet50', 'inception_v3', 'mobilenet_v1', 'mobilenet_v2']);
  assert.deepEqual(ids.map((id) => entry(id).preprocessing), ['caffe-bgr', 'caffe-bgr', 'scale-minus1-1', 'scale-minus1-1', 'scale-minus1-1']);
  for (const e of CATALOG.filter((c) => c.source.kind === 'keras')) {
    assert.ok(kerasWeightsFile(e, e.defaultInputSize, false)?.url.startsWith('https://storage.googleapis.com/tensorflow/keras-applications/'), e.id);
    assert.ok(kerasWeightsFile(e, e.defaultInputSize, true), `${e.id} has a top file`);
  }
  assert.equal(kerasWeightsFile(entry('vgg16'), 224, false)?.fileHash, '6d6bbae143d832006294945121d1f1fc');
  assert.equal(path.posix.basename(kerasWeightsFile(entry('mobilenet_0.25'), 224, false)!.url), 'mobilenet_2_5_224_tf_no_top.h5');
});

test('MobileNets use the weight file trained at the chosen size when Keras publishes one', () => {
  const name = (id: string, size: number, top = false) => path.posix.basename(kerasWeightsFile(entry(id), size, top)!.url);
  assert.equal(name('mobilenet_v2_0.35', 96), 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5');
  assert.equal(name('mobilenet_v2', 160, true), 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160.h5');
  assert.equal(name('mobilenet_v2_1.4', 96), 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.4_224_no_top.h5');
  assert.equal(name('mobilenet_0.5', 128), 'mobilenet_5_0_128_tf_no_top.h5');
  assert.equal(name('mobilenet', 100), 'mobilenet_1_0_224_tf_no_top.h5');
});

test('random weights are seeded: two loads give the same fingerprint and weights (worker threads rebuild the same base)', async () => {
  const cacheDir = emptyCache();
  const [a, b] = await Promise.all([1, 2].map(() => loadBaseModel('mobilenet_0.25', { cacheDir, inputSize: 96, download: false })));
  assert.equal(a.info.fingerprint, b.info.fingerprint);
  assert.deepEqual(a.model.getLayer('conv_pw_13').getWeights()[0].dataSync(), b.model.getLayer('conv_pw_13').getWeights()[0].dataSync());
  const kernel = a.model.getLayer('conv_pw_13').getWeights()[0].dataSync();
  assert.ok(kernel.some((v) => v !== kernel[0]), 'random, not constant');
});

test('--include-top gives the Keras totals and the classifier output; other sizes are refused for the top', async () => {
  const cacheDir = emptyCache();
  const { info } = await loadBaseModel('mobilenet_0.25', { cacheDir, includeTop: true, download: false });
  assert.equal(info.cutLayer, 'predictions');
  assert.equal(info.paramCount, 475_544);
  await assert.rejects(loadBaseModel('mobilenet_0.25', { cacheDir, includeTop: true, inputSize: 128, download: false }), /needs 224 px inputs, not 128/);
});

test('a cached ImageNet file is used offline: same layers, the file\'s weights, a new fingerprint', needsWeights, async () => {
  const cacheDir = emptyCache();
  const random = await loadBaseModel('mobilenet_0.25', { cacheDir, download: false });
  const cached = cachedFilePath(kerasWeightsFile(entry('mobilenet_0.25'), 224, false)!.url, cacheDir);
  mkdirSync(path.dirname(cached), { recursive: true });
  copyFileSync(MOBILENET_025!, cached);
  const imagenet = await loadBaseModel('mobilenet_0.25', { cacheDir, download: false });
  assert.equal(imagenet.info.weights, 'ImageNet (mobilenet_2_5_224_tf_no_top.h5)');
  assert.notEqual(imagenet.info.fingerprint, random.info.fingerprint);
  const local = await loadBaseModel('mobilenet_0.25', { cacheDir: emptyCache(), weightsFile: MOBILENET_025! });
  assert.equal(local.info.weights, 'from mobilenet_2_5_224_tf_no_top.h5');
  assert.equal(local.info.fingerprint, imagenet.info.fingerprint);
  // ImageNet features of a flat grey image are not what random weights give.
  const grey = tf.zeros([1, 224, 224, 3]);
  const diff = tf.max(tf.abs(tf.sub(imagenet.model.predict(grey) as tf.Tensor, random.model.predict(grey) as tf.Tensor))).dataSync()[0];
  assert.ok(diff > 0.1);
  await assert.rejects(loadBaseModel('mobilenet_0.5', { cacheDir, weightsFile: MOBILENET_025! }), /weight "conv1\/kernel" is \[3,3,3,8\] in the file/);
});
