import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { disposeLayerWeights, restoreWeights, snapshotWeights } from '../../../src/engine/training/tensors';

function layers(seed: number): tf.layers.Layer[] {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 3, name: 'a', kernelInitializer: tf.initializers.randomNormal({ seed }) }),
      tf.layers.batchNormalization({ name: 'b' }),
    ],
  });
  return model.layers;
}

test('a weight snapshot restores bit-exactly into freshly built layers (what resume does with a checkpoint)', async () => {
  await tf.setBackend('cpu');
  const trained = layers(1);
  const saved = snapshotWeights(trained);
  assert.deepEqual(saved.map((w) => w.name), ['a:0', 'a:1', 'b:0', 'b:1', 'b:2', 'b:3']);
  const fresh = layers(2);
  assert.notDeepEqual(fresh[0].getWeights()[0].dataSync(), saved[0].data);
  restoreWeights(fresh, saved);
  fresh.forEach((layer, l) => layer.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), snapshotWeights([trained[l]])[i].data)));
  const before = tf.memory().numTensors;
  disposeLayerWeights([...trained, ...fresh]);
  assert.equal(tf.memory().numTensors, before - 12);
});

test('a snapshot from another model is refused without changing anything', async () => {
  await tf.setBackend('cpu');
  const target = layers(3);
  const original = target[0].getWeights()[0].dataSync().slice();
  const foreign = snapshotWeights(layers(4)).map((w) => (w.name === 'b:3' ? { ...w, shape: [7], data: new Float32Array(7) } : w));
  assert.throws(() => restoreWeights(target, foreign), /checkpoint has no weight b:3 of shape \[3\] — it belongs to another experiment/);
  assert.deepEqual(target[0].getWeights()[0].dataSync(), original);
});
