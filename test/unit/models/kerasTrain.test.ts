// keras.applications bases through the real trainer: both strategies on every base, then the Keras export of a run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportRun } from '../../../src/engine/export/exportRun';
import { selectEngine } from '../../../src/engine/backend/select';
import { findCatalogEntry, kerasWeightsFile } from '../../../src/shared/catalog';
import { cachedFilePath } from '../../../src/engine/models/cachedFile';
import { resolveTrainable } from '../../../src/engine/models/freeze';
import { writeKerasH5 } from '../../../src/engine/models/keras/exportH5';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { readLayersModelFiles } from '../../../src/engine/models/layersFiles';
import { describeLayers, graphSteps } from '../../../src/engine/models/layerTree';
import { loadBaseModel } from '../../../src/engine/models/load';
import { createHeadLayers, headModel } from '../../../src/engine/training/head';
import { trainExperiment } from '../../../src/engine/training/train';
import { writeSyntheticDataset, SYNTHETIC_CLASSES } from '../fixtures/syntheticImages';
import { RecordingListener } from '../training/listener';
import { artifactsOf } from './fixtures/kerasFiles';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';

const MOBILENET_025 = sharedData('weights', 'mobilenet_2_5_224_tf_no_top.h5');
const needsMobileNet025 = skipWithoutSharedData(['weights', 'mobilenet_2_5_224_tf_no_top.h5']);
const SEED = 3;
const HEAD = { pooling: 'avg', hiddenUnits: 0, dropout: 0 } as const;

let cacheDir: string;
let data: string;

before(async () => {
  await selectEngine('wasm');
  data = await writeSyntheticDataset(4);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'keras-train-cache-'));
});

/** Where the trainer looks for `id`'s notop ImageNet file at `inputSize`: a file there makes the run offline. */
async function weightsCachePath(id: string, inputSize: number): Promise<string> {
  const cached = cachedFilePath(kerasWeightsFile(findCatalogEntry(id)!, inputSize, false)!.url, cacheDir);
  await mkdir(path.dirname(cached), { recursive: true });
  return cached;
}

async function train(id: string, inputSize: number, tune: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'keras-train-'));
  const file = path.join(dir, `${id}.experiment.json`);
  await writeFile(file, JSON.stringify({
    version: 2, name: id.replace(/\./g, '-'), seed: SEED, data: { root: data, inputSize, split: { val: 0.25 } }, base: { model: id }, head: HEAD,
    phases: [
      { name: 'head', epochs: 1, batchSize: 5, learningRate: 0.01, trainable: { none: true } },
      { name: 'tune', epochs: 1, batchSize: 5, learningRate: 0.001, trainable: tune },
    ],
  }));
  return trainExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
}

/**
 * Sets each BatchNorm's moving statistics to those of its input on `x` (one forward pass in layer order): with the
 * architectures' random initialisers alone, MobileNet's activations shrink to 1e-17 by block 13 and its gradients vanish.
 */
function calibrateBatchNorms(model: tf.LayersModel, x: tf.Tensor): void {
  tf.tidy(() => {
    const values = new Map<tf.SymbolicTensor, tf.Tensor>([[model.inputs[0], x]]);
    for (const { layer, nodes: [node] } of graphSteps(model)) {
      if (node.inboundLayers.length === 0) continue;
      const inputs = node.inputTensors.map((t) => values.get(t)!);
      if (layer.getClassName() === 'BatchNormalization') {
        const { mean, variance } = tf.moments(inputs[0], [0, 1, 2]);
        layer.setWeights([...layer.getWeights().slice(0, -2), mean, variance]);
      }
      values.set(node.outputTensors[0], layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor);
    }
  });
}

/** Each weight by its tfjs name (`<layer>/<weight>`). */
const weightsOf = (model: tf.LayersModel) => new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
const equal = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

// The smallest input each base accepts (MobileNets: the smallest Keras publishes weights for), and its top block.
const BASES: [id: string, inputSize: number, topBlock: string][] = [
  ['vgg16', 32, 'block5'], ['resnet50', 32, 'conv5_block3'], ['inception_v3', 75, 'mixed10'], ['mobilenet', 96, 'block_13'], ['mobilenet_v2', 96, 'top'],
];

for (const [id, inputSize, topBlock] of BASES) {
  test(`${id} at ${inputSize} px trains a head on the frozen base, then fine-tunes its top block: frozen layers bit-identical, top block and head changed`, async () => {
    // Seeded random weights stand in for the ImageNet file, written where its download would land.
    const { model: base, info } = await loadBaseModel(id, { cacheDir, inputSize, download: false });
    calibrateBatchNorms(base, tf.randomUniform([4, inputSize, inputSize, 3], -1, 1, 'float32', 1).mul(info.preprocessing === 'caffe-bgr' ? 128 : 1));
    await writeKerasH5(await artifactsOf(base), await weightsCachePath(id, inputSize));
    const initial = weightsOf(base);
    const tuned = resolveTrainable(describeLayers(base), { topBlocks: 1 });
    assert.deepEqual([...new Set(describeLayers(base).filter((l) => tuned.has(l.name)).map((l) => l.block))], [topBlock]);
    const features = base.outputs[0].shape.at(-1)!;
    const headLayers = createHeadLayers(HEAD, SYNTHETIC_CLASSES.length, SEED);
    const initialHead = weightsOf(headModel([features], headLayers));
    base.dispose();

    const result = await train(id, inputSize, { topBlocks: 1 });
    assert.equal(result.state, 'completed');
    assert.deepEqual(result.phases.map((p) => p.name), ['head', 'tune']);
    assert.ok(result.phases[1].trainableParams > result.phases[0].trainableParams, 'fine-tuning unfreezes base layers');

    const { weightData, weightSpecs } = await readLayersModelFiles(path.join(result.runDir, 'model', 'model.json'));
    const trained = new Map(Object.entries(tf.io.decodeWeights(weightData, weightSpecs)).map(([name, t]) => [name, t.dataSync() as Float32Array]));
    const changedLayers = new Set<string>();
    for (const [name, before] of initial) {
      const layer = name.split('/')[0];
      const same = equal(trained.get(name)!, before);
      if (!tuned.has(layer) || /moving_(mean|variance)$/.test(name)) assert.ok(same, `${name} is frozen (BatchNorm statistics too) and must be bit-identical`);
      else if (!same) changedLayers.add(layer);
    }
    const tunedWithWeights = [...tuned].filter((layer) => [...initial.keys()].some((name) => name.startsWith(`${layer}/`)));
    assert.ok(tunedWithWeights.length > 0);
    assert.deepEqual(tunedWithWeights.filter((layer) => !changedLayers.has(layer)), [], 'every unfrozen layer with weights changed');
    assert.ok(!equal(trained.get('head_logits/kernel')!, initialHead.get('head_logits/kernel')!), 'the head trained');
  });
}

test('MobileNet 0.25 with ImageNet weights at 96 px trains a head, then fine-tunes its top blocks, and exports to Keras', { skip: needsMobileNet025 }, async () => {
  // The ImageNet file sits where a download would have put it, so the run is offline.
  await copyFile(MOBILENET_025!, await weightsCachePath('mobilenet_0.25', 96));
  const result = await train('mobilenet_0.25', 96, { topBlocks: 2 });
  assert.equal(result.state, 'completed');
  assert.ok(result.phases[1].trainableParams > result.phases[0].trainableParams, 'fine-tuning unfreezes base layers');
  const exported = await exportRun(result.runDir, { format: 'keras' });
  const reread = await readKerasModelFile(exported.file);
  assert.equal(reread.weightData.byteLength / 4, exported.params);
});
