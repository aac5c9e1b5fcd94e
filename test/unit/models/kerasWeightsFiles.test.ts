// Keras weight files users already have: a weights-only .h5 named by base.weights or as base.model (architecture
// detected from its layer names), and catalog bases found in Keras' own cache before any download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveExperiment } from '../../../src/engine/experiment/load';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import { loadBaseModel } from '../../../src/engine/models/load';
import { detectWeightsArchitecture } from '../../../src/engine/models/keras/detectArchitecture';
import { withH5File } from '../../../src/engine/models/keras/h5';
import { readFile } from 'node:fs/promises';
import { trainExperiment } from '../../../src/engine/training/train';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from '../training/listener';
import { STRICT_SSL_ENV } from '../../../src/shared/proxyEnv';
import { listen, selfSigned, startTunnelProxy, type TunnelProxy } from '../net/fixtures/tunnelProxy';
import { useWasmBackend } from './fixtures/nsfwjsModel';

const MOBILENET_025 = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'weights', 'mobilenet_2_5_224_tf_no_top.h5');
const needsWeights = { skip: !existsSync(MOBILENET_025) && 'needs ../shared/data/weights' };
const KERAS_STORE_PATH = '/tensorflow/keras-applications';
const temp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

const hits: string[] = [];
let store: https.Server;
let proxy: TunnelProxy;

before(async () => {
  await useWasmBackend();
  // Keras' store is reached through a local proxy that tunnels it to a local https server answering 404 and
  // recording every request (its certificate is not the real host's: strict SSL is off): a used cache sends none.
  store = https.createServer(selfSigned, (request, response) => void (hits.push(request.url!.replace(KERAS_STORE_PATH, '')), response.writeHead(404).end()));
  const storePort = await listen(store);
  proxy = await startTunnelProxy(() => ({ host: '127.0.0.1', port: storePort }));
  Object.assign(process.env, { HTTPS_PROXY: proxy.url, [STRICT_SSL_ENV]: 'false' });
});

after(() => {
  for (const server of [store, proxy.server]) {
    server.closeAllConnections();
    server.close();
  }
  for (const name of ['KERAS_HOME', 'HTTPS_PROXY', STRICT_SSL_ENV]) delete process.env[name];
});

async function features(model: tf.LayersModel): Promise<Float32Array> {
  const input = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 3);
  const out = model.predict(input) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([input, out]);
  return values;
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('base.weights puts a weights-only Keras file on its catalog architecture; base.model = the file detects the architecture', needsWeights, async () => {
  process.env.KERAS_HOME = temp('keras-home-empty-');
  hits.length = 0;
  const dir = temp('keras-weights-');
  copyFileSync(MOBILENET_025, path.join(dir, 'mobilenet_2_5_224_tf_no_top.h5'));
  const cacheDir = temp('tl-cache-');
  const experiment = (base: Record<string, unknown>) => resolveExperiment(validateExperiment({ name: 'w', data: { root: 'd' }, base, phases: [{ epochs: 1 }] }, path.join(dir, 'w.experiment.json')), path.join(dir, 'w.experiment.json'));

  const named = experiment({ model: 'mobilenet_0.25', weights: './mobilenet_2_5_224_tf_no_top.h5' });
  assert.equal(named.baseWeights, path.join(dir, 'mobilenet_2_5_224_tf_no_top.h5'), 'relative to the experiment file');
  const onArchitecture = await loadBaseModel(named.baseModelRef, { cacheDir, weightsFile: named.baseWeights });
  assert.equal(onArchitecture.info.weights, 'from mobilenet_2_5_224_tf_no_top.h5');

  const detected = await loadBaseModel(experiment({ model: './mobilenet_2_5_224_tf_no_top.h5' }).baseModelRef, { cacheDir });
  assert.equal(detected.info.id, 'mobilenet_0.25');
  assert.equal(detected.info.architecture, 'mobilenet_v1');
  assert.equal(detected.info.cutLayer, 'conv_pw_13_relu');
  assert.match(detected.info.origin, /detected as mobilenet_0\.25 \(conv_pw_13 with 256 channels: MobileNet alpha 0\.25\)/);
  assert.equal(detected.info.fingerprint, onArchitecture.info.fingerprint, 'both ways load the same weights');

  const random = await loadBaseModel('mobilenet_0.25', { cacheDir, download: false });
  assert.equal(random.info.weights, 'random (not downloaded)');
  const [file, auto, init] = await Promise.all([onArchitecture, detected, random].map((b) => features(b.model)));
  assert.equal(maxDiff(file, auto), 0);
  assert.ok(maxDiff(file, init) > 0.1, 'the file\'s weights, not the random initialisers');
  assert.deepEqual(hits, [], 'nothing was downloaded');
  assert.deepEqual(readdirSync(cacheDir), []);
  for (const b of [onArchitecture, detected, random]) b.model.dispose();
});

test('a weights file of another architecture is refused naming the layer and both shapes', needsWeights, async () => {
  const cacheDir = temp('tl-cache-');
  await assert.rejects(loadBaseModel('mobilenet_0.5', { cacheDir, weightsFile: MOBILENET_025 }),
    /mobilenet_2_5_224_tf_no_top\.h5: layer "conv1": weight "conv1\/kernel" is \[3,3,3,8\] in the file .* but the model needs \[3,3,3,16\]/);
  await assert.rejects(loadBaseModel('resnet50', { cacheDir, weightsFile: MOBILENET_025 }), /layer "conv1_bn": weight "conv1_bn\/gamma" is \[8\] in the file .* but the model needs \[64\]/);
  const notCatalog = path.join(temp('not-keras-'), 'model.json');
  await assert.rejects(loadBaseModel(notCatalog, { cacheDir, weightsFile: MOBILENET_025 }), /base\.weights needs a catalog architecture as base\.model/);
});

test('a weights-only file whose layers match no catalog architecture is refused, naming what is recognised', needsWeights, async () => {
  const file = path.join(temp('odd-weights-'), 'odd.h5');
  await withH5File(file, 'w', (root) => root.create_attribute('layer_names', ['dense_1']));
  assert.equal(await detectWeightsArchitecture(MOBILENET_025).then((d) => d?.entry.id), 'mobilenet_0.25');
  await assert.rejects(loadBaseModel(file, { cacheDir: temp('tl-cache-') }), /odd\.h5: holds weights only, and its layers \(dense_1\) match no catalog architecture .*MobileNet.*base\.weights/);
});

test('a catalog base\'s weights in Keras\' cache ($KERAS_HOME/models) are used without any download', needsWeights, async () => {
  const home = temp('keras-home-');
  process.env.KERAS_HOME = home;
  hits.length = 0;
  await assert.rejects(loadBaseModel('mobilenet_0.25', { cacheDir: temp('tl-cache-') }), /HTTP 404/);
  assert.deepEqual(hits, ['/mobilenet/mobilenet_2_5_224_tf_no_top.h5'], 'without the Keras cache the store is asked (the route works)');

  hits.length = 0;
  mkdirSync(path.join(home, 'models'));
  copyFileSync(MOBILENET_025, path.join(home, 'models', 'mobilenet_2_5_224_tf_no_top.h5'));
  const cacheDir = temp('tl-cache-');
  const { model, info } = await loadBaseModel('mobilenet_0.25', { cacheDir });
  assert.equal(info.weights, `ImageNet (mobilenet_2_5_224_tf_no_top.h5 from Keras' cache ${path.join(home, 'models')})`);
  assert.deepEqual(hits, [], 'no request reached the store');
  assert.deepEqual(readdirSync(cacheDir), [], 'nothing copied into our cache');
  model.dispose();

  // inspection (never downloads) finds it too; a damaged copy in Keras' cache is not trusted over the store
  assert.match((await loadBaseModel('mobilenet_0.25', { cacheDir, download: false })).info.weights, /Keras' cache/);
  writeFileSync(path.join(home, 'models', 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'), 'not the file Keras published');
  await assert.rejects(loadBaseModel('vgg16', { cacheDir, inputSize: 32 }), /HTTP 404/);
  assert.deepEqual(hits, ['/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5']);
});

test('a run with base.weights trains on the file\'s weights and its snapshot keeps the absolute path (resume, workers)', needsWeights, async () => {
  process.env.KERAS_HOME = temp('keras-home-empty-');
  hits.length = 0;
  const data = await writeSyntheticDataset(6, { classes: 2 });
  const dir = temp('keras-run-');
  copyFileSync(MOBILENET_025, path.join(dir, 'imagenet.h5'));
  const file = await writeExperiment(data, { base: { model: 'mobilenet_0.25', weights: 'imagenet.h5' }, phases: [{ epochs: 1, batchSize: 4 }] }, dir);
  const listener = new RecordingListener();
  const result = await trainExperiment({ experimentFile: file, cacheDir: temp('tl-cache-'), listener });
  assert.equal(result.state, 'completed', result.message);
  assert.ok(listener.logs.some((l) => l.message.includes('weights: from imagenet.h5')));
  const snapshot = JSON.parse(await readFile(path.join(result.runDir, 'experiment.json'), 'utf8'));
  assert.equal(snapshot.base.weights, path.join(dir, 'imagenet.h5'));
  assert.deepEqual(hits, [], 'nothing was downloaded');
});
