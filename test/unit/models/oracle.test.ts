// Offline oracle: our MobileNetV2 and InceptionV3 definitions, given the Keras-made nsfwjs checkpoints' weights
// by layer name, compute what those checkpoints compute.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildArchitecture } from '../../../src/engine/models/architectures';
import { expectedWeights, matchWeights } from '../../../src/engine/models/keras/matchWeights';
import type { KerasWeights } from '../../../src/engine/models/keras/weightsFile';
import { readNsfwjsModel } from '../../../src/engine/models/nsfwjs';
import { loadNsfwjsBody, useWasmBackend } from './fixtures/nsfwjsModel';

before(useWasmBackend);

/** A tfjs checkpoint's weights in the shape a Keras file reader produces: layer → weights in stored order. */
function asKerasWeights(name: 'mobilenet_v2' | 'inception_v3'): KerasWeights {
  const { weightSpecs, weightData } = readNsfwjsModel(name);
  const tensors = tf.io.decodeWeights(weightData, weightSpecs);
  const weights: KerasWeights = new Map();
  for (const spec of weightSpecs) {
    const layer = spec.name.split('/')[0];
    weights.set(layer, [...(weights.get(layer) ?? []), { name: spec.name, shape: spec.shape, values: tensors[spec.name].dataSync() as Float32Array }]);
  }
  tf.dispose(tensors);
  return weights;
}

for (const [arch, size] of [['mobilenet_v2', 224], ['inception_v3', 299]] as const) {
  test(`our ${arch} with the nsfwjs weights reproduces the nsfwjs body at ${size} px (max |Δ| < 1e-4)`, async (t) => {
    const topology = buildArchitecture(arch, { inputSize: size, includeTop: false });
    const matched = matchWeights(await expectedWeights(topology), asKerasWeights(arch), `nsfwjs ${arch}`);
    assert.deepEqual(matched.unused.sort(), ['dense_1', 'dense_2', 'dense_3'], 'only nsfwjs\' own 5-class head is left over');
    const ours = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: matched.weightSpecs, weightData: matched.weightData }));
    const theirs = await loadNsfwjsBody(arch, size);
    const input = tf.randomUniform([2, size, size, 3], 0, 1, 'float32', 7);
    const [a, b] = [ours.predict(input) as tf.Tensor, theirs.predict(input) as tf.Tensor];
    assert.deepEqual(a.shape, b.shape);
    const maxDiff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const scale = tf.max(tf.abs(b)).dataSync()[0];
    t.diagnostic(`max |Δ| ${maxDiff} over outputs up to ${scale}`);
    assert.ok(maxDiff < 1e-4, `max |Δ| ${maxDiff} (outputs up to ${scale})`);
    assert.ok(scale > 0.1, 'the outputs are not trivially zero');
    tf.dispose([input, a, b]);
    ours.dispose();
    theirs.dispose();
  });
}
