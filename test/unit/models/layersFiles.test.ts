import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../../../src/engine/models/errors';
import { readLayersModelFiles, tfjsFileHandler } from '../../../src/engine/models/layersFiles';

before(() => tf.setBackend('cpu'));

function tinyModel(): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })],
  });
}

/** A saved tiny model in a fresh temp folder; `edit` rewrites its model.json. */
async function savedModel(edit?: (json: { weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[] }, dir: string) => void): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-files-'));
  const model = tinyModel();
  await model.save(tfjsFileHandler(path.join(dir, 'model')));
  model.dispose();
  const file = path.join(dir, 'model', 'model.json');
  if (edit) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json, dir);
    fs.writeFileSync(file, JSON.stringify(json));
  }
  return file;
}

const rejects = (file: string, pattern: RegExp, opts?: { maxWeightBytes?: number }) =>
  assert.rejects(readLayersModelFiles(file, opts), (error: ModelError) => {
    assert.ok(error instanceof ModelError, String(error));
    assert.equal(error.path, file);
    assert.match(error.message, pattern);
    return true;
  });

test('a model saved with tfjsFileHandler loads back with equal predictions and no leaked tensors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-files-'));
  const model = tinyModel();
  const result = await model.save(tfjsFileHandler(dir));
  assert.ok((result.modelArtifactsInfo.weightDataBytes ?? 0) > 0);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
  const baseline = tf.memory().numTensors;
  const loaded = await tf.loadLayersModel(tfjsFileHandler(dir));
  const x = tf.tensor2d([[1, -2, 3], [0.5, 0.25, -1]]);
  const [expected, actual] = [model.predict(x), loaded.predict(x)] as tf.Tensor[];
  assert.deepEqual(actual.arraySync(), expected.arraySync());
  tf.dispose([x, expected, actual]);
  loaded.dispose();
  assert.equal(tf.memory().numTensors, baseline);
  model.dispose();
});

test('weight paths with .. segments are rejected even when the file exists', async () => {
  const file = await savedModel((json, dir) => {
    fs.copyFileSync(path.join(dir, 'model', 'weights.bin'), path.join(dir, 'outside.bin'));
    json.weightsManifest[0].paths = ['../outside.bin'];
  });
  await rejects(file, /"\.\.\/outside\.bin" is not a plain relative path/);
});

test('absolute weight paths are rejected', async () => {
  const file = await savedModel((json, dir) => (json.weightsManifest[0].paths = [path.join(dir, 'model', 'weights.bin')]));
  await rejects(file, /is not a plain relative path/);
});

test('a symlinked shard that leaves the model folder is rejected', async () => {
  const file = await savedModel((json, dir) => {
    fs.renameSync(path.join(dir, 'model', 'weights.bin'), path.join(dir, 'outside.bin'));
    fs.symlinkSync(path.join(dir, 'outside.bin'), path.join(dir, 'model', 'link.bin'));
    json.weightsManifest[0].paths = ['link.bin'];
  });
  await rejects(file, /"link\.bin" resolves outside the model folder/);
});

test('declared sizes far above the files are refused before any shard is read', async (t) => {
  const readFile = t.mock.method(fs.promises, 'readFile');
  const shardReads = () => readFile.mock.calls.filter((call) => String(call.arguments[0]).endsWith('weights.bin')).length;
  const huge = await savedModel((json) => (json.weightsManifest[0].weights[0].shape = [2_500_000_000, 1])); // 10 GB of float32
  await rejects(huge, /declares \d+ bytes of weights, above the \d+-byte limit/);
  await rejects(huge, /holds \d+ bytes but its manifest declares 1000000\d+/, { maxWeightBytes: 20e9 });
  assert.equal(shardReads(), 0);
  await readLayersModelFiles(await savedModel());
  assert.equal(shardReads(), 1, 'the spy does see shard reads');
});

test('a shard smaller than declared, or missing, is named', async () => {
  const truncated = await savedModel((_, dir) => fs.truncateSync(path.join(dir, 'model', 'weights.bin'), 8));
  await rejects(truncated, /holds 8 bytes but its manifest declares \d+/);
  const missing = await savedModel((json) => (json.weightsManifest[0].paths = ['gone.bin']));
  await rejects(missing, /"gone\.bin" is missing/);
});

test('malformed JSON names the file and the JSON problem', async () => {
  const file = await savedModel();
  fs.writeFileSync(file, '{"modelTopology": {,}');
  await rejects(file, /is not valid JSON \(.+\)/);
});

test('graph models and files without a manifest are refused with a fix', async () => {
  const graph = await savedModel((json) => Object.assign(json, { format: 'graph-model' }));
  await rejects(graph, /graph model, not a Layers model/);
  const bare = await savedModel((json) => Object.assign(json, { weightsManifest: undefined }));
  await rejects(bare, /no "weightsManifest" array/);
});
