import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormDistances, detectPreprocessing, readProbe } from '../../../src/engine/models/detectPreprocessing';
import { writeKerasH5 } from '../../../src/engine/models/keras/exportH5';
import { tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { loadBaseModel } from '../../../src/engine/models/load';
import { artifactsOf } from './fixtures/kerasFiles';

const SHARED = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const DARKNET = path.join(SHARED, 'weights', 'darknet-tiny-tfjs');
const MOBILENET_025 = path.join(SHARED, 'weights', 'mobilenet_2_5_224_tf_no_top.h5');
const FLOWERS = path.join(SHARED, 'flowers', 'train');
const needsShared = !(existsSync(DARKNET) && existsSync(FLOWERS) && existsSync(MOBILENET_025)) && 'needs ../shared/data (darknet-tiny, MobileNet .h5, flowers)';
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'detect-cache-'));

before(() => tf.setBackend('wasm'));

/** Three images of each flower class, so every colour the set has is in the statistics. */
function flowerPaths(): string[] {
  const classes = readdirSync(FLOWERS).sort();
  return [0, 1, 2].flatMap((i) => classes.map((c) => path.join(FLOWERS, c, readdirSync(path.join(FLOWERS, c)).sort()[i])));
}

async function detectFile(ref: string, probe: string[] = []) {
  const { model, info } = await loadBaseModel(ref, { cacheDir, probeImages: probe });
  model.dispose();
  return info.preprocessingChoice;
}

/** A small conv net saved as a tfjs Layers folder; `layers` builds what follows the input. */
async function savedModel(build: (input: tf.SymbolicTensor) => tf.SymbolicTensor): Promise<string> {
  const input = tf.input({ shape: [32, 32, 3] });
  const model = tf.model({ inputs: input, outputs: build(input) });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'detect-model-'));
  await model.save(tfjsFileHandler(dir));
  model.dispose();
  return dir;
}

test('darknet-tiny (trained on pixels / 255) is detected as scale-0-1 from its batch-norm statistics, with the margin', { skip: needsShared }, async () => {
  const choice = await detectFile(DARKNET, flowerPaths());
  assert.equal(choice.value, 'scale-0-1');
  assert.equal(choice.source, 'batch-norm');
  assert.ok(!choice.guess);
  assert.match(choice.reason, /"conv2d_1" → "batch_normalization_1" on 36 of your images.*next scale-minus1-1 at [\d.]+, [\d.]+× further/);
});

test('the distances order the candidates as measured: pixels / 255 far closer than [-1, 1], caffe and raw far off', { skip: needsShared }, async () => {
  const { model, info } = await loadBaseModel(DARKNET, { cacheDir, preprocessing: 'scale-0-1' });
  const result = batchNormDistances(model, await readProbe(flowerPaths(), info.inputSize), info.inputSize);
  model.dispose();
  assert.ok('distances' in result);
  const d = result.distances;
  assert.ok(d.get('scale-0-1')! * 10 < d.get('scale-minus1-1')!, `${[...d]}`);
  assert.ok(d.get('scale-minus1-1')! < d.get('caffe-bgr')! && d.get('imagenet-mean-std')! < d.get('raw-0-255')!, `${[...d]}`);
});

test('Keras MobileNet with its real ImageNet weights is measured as scale-minus1-1', { skip: needsShared }, async () => {
  const { model, info } = await loadBaseModel('mobilenet_0.25', { cacheDir, weightsFile: MOBILENET_025 });
  const choice = await detectPreprocessing({ model: withoutArchitectureNames(model), probe: await readProbe(flowerPaths(), info.inputSize), inputSize: info.inputSize });
  model.dispose();
  assert.equal(choice.value, 'scale-minus1-1', choice.reason);
  assert.equal(choice.source, 'batch-norm');
});

/** The same network under other layer names, so only its statistics can tell (names alone say keras.applications MobileNet). */
function withoutArchitectureNames(model: tf.LayersModel): tf.LayersModel {
  for (const layer of model.layers) Object.defineProperty(layer, 'name', { value: `renamed_${layer.name}` });
  return model;
}

test('our own Keras export (.h5) of a MobileNet is scale-minus1-1 by its keras.applications layers', async () => {
  const { model } = await loadBaseModel('mobilenet_0.25', { cacheDir, download: false, inputSize: 64 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'detect-export-'));
  await writeKerasH5(await artifactsOf(model), path.join(dir, 'mobilenet.h5'));
  model.dispose();
  const choice = await detectFile(path.join(dir, 'mobilenet.h5'));
  assert.deepEqual([choice.value, choice.source], ['scale-minus1-1', 'model']);
  assert.match(choice.reason, /keras\.applications MobileNet/);
});

test('a model with a Rescaling layer at its input is fed raw 0–255 pixels', async () => {
  const dir = await savedModel((input) => {
    const scaled = tf.layers.rescaling({ scale: 1 / 255 }).apply(input) as tf.SymbolicTensor;
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(scaled) as tf.SymbolicTensor;
    return tf.layers.batchNormalization().apply(conv) as tf.SymbolicTensor;
  });
  const choice = await detectFile(dir);
  assert.deepEqual([choice.value, choice.source], ['raw-0-255', 'model']);
  assert.match(choice.reason, /Rescaling layer/);
});

test('a model with no batch norm falls back to the default, marked as a guess with how to set it', async () => {
  const dir = await savedModel((input) => tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor);
  const probe = [new Uint8Array(32 * 32 * 3).fill(100)];
  const { model } = await loadBaseModel(dir, { cacheDir, preprocessing: 'scale-0-1' });
  const choice = await detectPreprocessing({ model, probe, inputSize: 32 });
  model.dispose();
  assert.deepEqual([choice.value, choice.source, choice.guess], ['scale-minus1-1', 'default', true]);
  assert.match(choice.reason, /does not feed a batch normalization/);
});

test('batch norm after the activation is compared on what it sees; a bias is included', async () => {
  // Trained under pixels / 255: a BN whose moving statistics are those of relu(conv(x / 255) + bias).
  const input = tf.input({ shape: [8, 8, 3] });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: true });
  const bn = tf.layers.batchNormalization();
  const model = tf.model({ inputs: input, outputs: bn.apply(tf.layers.reLU().apply(conv.apply(input))) as tf.SymbolicTensor });
  conv.setWeights([tf.eye(3).reshape([1, 1, 3, 3]), tf.fill([3], 0.5)]);
  const probe = Array.from({ length: 8 }, (_, i) => Uint8Array.from({ length: 8 * 8 * 3 }, (_, k) => (k * 37 + i * 101) % 256));
  const seen = tf.tidy(() => tf.moments(tf.tensor4d(Float32Array.from(probe.flatMap((p) => [...p])), [8, 8, 8, 3]).div(255).add(0.5).relu(), [0, 1, 2]));
  bn.setWeights([tf.ones([3]), tf.zeros([3]), seen.mean, seen.variance]);
  const choice = await detectPreprocessing({ model, probe, inputSize: 8 });
  model.dispose();
  assert.deepEqual([choice.value, choice.source], ['scale-0-1', 'batch-norm'], choice.reason);
});

test('a Transfer Lab export names its own preprocessing in the card beside the model', async () => {
  const dir = await savedModel((input) => tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tf.SymbolicTensor);
  writeFileSync(path.join(dir, 'preprocessing.json'), JSON.stringify({ preprocessing: 'caffe-bgr', inputSize: 32 }));
  const choice = await detectFile(dir);
  assert.deepEqual([choice.value, choice.source], ['caffe-bgr', 'model']);
});

test('a value given in the experiment wins, and a catalog base knows its own', async () => {
  const dir = await savedModel((input) => tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tf.SymbolicTensor);
  const given = await loadBaseModel(dir, { cacheDir, preprocessing: 'imagenet-mean-std' });
  given.model.dispose();
  assert.deepEqual([given.info.preprocessing, given.info.preprocessingChoice.source], ['imagenet-mean-std', 'experiment']);
  const catalog = await loadBaseModel('nsfwjs_mobilenet_v2', { cacheDir, inputSize: 64 });
  catalog.model.dispose();
  assert.deepEqual([catalog.info.preprocessing, catalog.info.preprocessingChoice.source], ['scale-0-1', 'catalog']);
});
