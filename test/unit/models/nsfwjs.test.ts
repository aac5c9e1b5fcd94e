import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { checkLayersModelJson, declaredGroupBytes } from '../../../src/engine/models/layersFiles';
import { nsfwjsModelFolder, readNsfwjsModel } from '../../../src/engine/models/nsfwjs';

test('readNsfwjsModel decodes the shipped mobilenet_v2 into artifacts whose bytes match the manifest', () => {
  const artifacts = readNsfwjsModel('mobilenet_v2');
  const manifest = require(path.join(nsfwjsModelFolder('mobilenet_v2'), 'model.min.js')).weightsManifest;
  assert.equal(artifacts.weightSpecs.length, manifest[0].weights.length);
  assert.equal(artifacts.weightData.byteLength, declaredGroupBytes(manifest, 'model.min.js')[0]);
  assert.equal(artifacts.weightSpecs[0].quantization?.dtype, 'uint8');
  const shard = path.join(nsfwjsModelFolder('mobilenet_v2'), 'group1-shard1of1.min.js');
  assert.equal(require.cache[shard], undefined, 'the 3.5 MB base64 module is not kept in the require cache');
});

test('mobilenet_v2_mid is a graph model and is refused as a Layers model (why the catalog leaves it out)', () => {
  const file = path.join(nsfwjsModelFolder('mobilenet_v2' /* sibling folder */), '../mobilenet_v2_mid/model.min.js');
  assert.throws(() => checkLayersModelJson(require(file), file), /graph model, not a Layers model/);
});
