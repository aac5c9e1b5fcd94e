import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';
import { findCatalogEntry } from '../../../src/shared/catalog';
import { ModelError } from '../../../src/engine/models/errors';
import { tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { LoadBaseModelOptions, loadBaseModel } from '../../../src/engine/models/load';
import { preprocess } from '../../../src/engine/models/preprocess';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-cache-'));
const DARKNET = sharedData('weights', 'darknet-tiny-tfjs');
const CATS_AND_DOGS = sharedData('cats_and_dogs', 'validation');

before(() => tf.setBackend('wasm'));

/** Loads, runs one zero image through the model, disposes it; returns the output shape and info. */
async function probe(ref: string, opts: Partial<LoadBaseModelOptions> = {}) {
  const baseline = tf.memory().numTensors;
  const { model, info } = await loadBaseModel(ref, { cacheDir, ...opts });
  const output = tf.tidy(() => model.predict(tf.zeros([1, info.inputSize, info.inputSize, 3])) as tf.Tensor);
  const shape = output.shape;
  output.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, baseline, 'loading and disposing leaks no tensors');
  return { shape, info };
}

test('nsfwjs_mobilenet_v2 loads cut at out_relu at 224 and 96, with stable fingerprints that track size and cut', async () => {
  const entry = findCatalogEntry('nsfwjs_mobilenet_v2');
  const at224 = await probe('nsfwjs_mobilenet_v2');
  assert.deepEqual(at224.shape, [1, 7, 7, 1280]);
  assert.equal(at224.info.cutLayer, 'out_relu');
  assert.equal(at224.info.paramCount, entry?.params);
  assert.equal(at224.info.preprocessing, 'scale-0-1');
  assert.equal(at224.info.source, 'catalog');
  const at96 = await probe('nsfwjs_mobilenet_v2', { inputSize: 96 });
  assert.deepEqual(at96.shape, [1, 3, 3, 1280]);
  assert.equal((await probe('nsfwjs_mobilenet_v2', { inputSize: 96 })).info.fingerprint, at96.info.fingerprint);
  const earlier = await probe('nsfwjs_mobilenet_v2', { inputSize: 96, cutLayer: 'block_13_expand_relu' });
  assert.deepEqual(earlier.shape, [1, 6, 6, 576]);
  assert.equal(new Set([at224, at96, earlier].map((p) => p.info.fingerprint)).size, 3);
});

test('input sizes outside the catalog range are refused with the allowed range', async () => {
  await assert.rejects(loadBaseModel('nsfwjs_mobilenet_v2', { cacheDir, inputSize: 16 }), /outside 32\.\.512.*between 32 and 512/);
});

test('nsfwjs_inception_v3 loads cut at mixed10', async () => {
  const { shape, info } = await probe('nsfwjs_inception_v3', { inputSize: 139 });
  assert.deepEqual(shape, [1, 3, 3, 2048]);
  assert.equal(info.cutLayer, 'mixed10');
  assert.equal(info.paramCount, findCatalogEntry('nsfwjs_inception_v3')?.params);
});

test('a local model folder gets the documented defaults: cut before the head, size from its InputLayer', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'features' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-file-'));
  await model.save(tfjsFileHandler(dir));
  model.dispose();
  await tf.setBackend('wasm');
  const { shape, info } = await probe(dir);
  assert.deepEqual(shape, [1, 10, 10, 4]);
  assert.deepEqual([info.cutLayer, info.inputSize, info.source, info.preprocessing], ['features', 12, 'file', 'scale-minus1-1']);
  assert.deepEqual((await probe(path.join(dir, 'model.json'), { inputSize: 20 })).shape, [1, 18, 18, 4]);
});

test('an unknown ref lists the catalog ids and the accepted forms', async () => {
  await assert.rejects(loadBaseModel('resnet-9000', { cacheDir }), (error: ModelError) => {
    assert.equal(error.path, 'resnet-9000');
    assert.match(error.fix, /mobilenet_v2.*inception_v3.*model\.json.*URL/);
    return true;
  });
});

test('the genuine darknet-tiny Layers model loads and its features tell cats from dogs', { skip: skipWithoutSharedData(['weights', 'darknet-tiny-tfjs'], ['cats_and_dogs', 'validation']) }, async () => {
  if (!DARKNET || !CATS_AND_DOGS) return;
  const { model, info } = await loadBaseModel(DARKNET, { cacheDir, preprocessing: 'scale-0-1' });
  assert.deepEqual([info.cutLayer, info.inputSize, info.source], ['conv2d_16', 224, 'file']);
  const perClass = 6;
  const images = await Promise.all(['cats', 'dogs'].flatMap((label) =>
    fs.readdirSync(path.join(CATS_AND_DOGS, label)).sort().slice(0, perClass).map((f) =>
      sharp(path.join(CATS_AND_DOGS, label, f)).resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer())));
  const features = tf.tidy(() => {
    const pixels = tf.tensor4d(Float32Array.from(Buffer.concat(images)), [images.length, 224, 224, 3]);
    const pooled = (model.predict(preprocess(pixels, info.preprocessing)) as tf.Tensor4D).mean([1, 2]);
    return pooled.div(pooled.norm('euclidean', 1, true)).arraySync() as number[][];
  });
  model.dispose();
  // Leave-one-out nearest centroid on cosine-normalised features: random features score about 50%.
  const labelOf = (i: number) => (i < perClass ? 0 : 1);
  const mean = (rows: number[][]) => rows[0].map((_, k) => rows.reduce((sum, row) => sum + row[k], 0) / rows.length);
  const dot = (a: number[], b: number[]) => a.reduce((sum, v, k) => sum + v * b[k], 0);
  const correct = features.filter((f, i) => {
    const [cats, dogs] = [0, 1].map((label) => mean(features.filter((_, j) => j !== i && labelOf(j) === label)));
    return (dot(f, dogs) > dot(f, cats) ? 1 : 0) === labelOf(i);
  }).length;
  assert.ok(correct >= 10, `${correct}/12 correct`);
});
