import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadExperimentFile } from '../../../src/engine/experiment/load';
import { writeKerasH5 } from '../../../src/engine/models/keras/exportH5';
import { resolveTrainable } from '../../../src/engine/models/freeze';
import type { LayerInfo } from '../../../src/engine/models/layerTree';
import { loadBaseModel } from '../../../src/engine/models/load';
import type { Experiment } from '../../../src/protocol/experiment';
import { inspectParams, parseExperimentText } from '../../../src/extension/experiments/experimentText';
import { blockCount, MODEL_FILE_GLOB, modelFiles } from '../../../src/extension/wizard/modelFiles';
import { buildExperiment, type WizardAnswers } from '../../../src/extension/wizard/wizardModel';
import { inspectModel } from '../../../src/host/queries';
import { artifactsOf, writeKeras3Archive } from '../models/fixtures/kerasFiles';

const fineTune = (experiment: Experiment) => experiment.phases.find((p) => p.name === 'fine-tune')!.trainable;

let dir: string;
let original: tf.LayersModel;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'wizard-model-file-'));
  const input = tf.input({ shape: [16, 16, 3], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem_conv' }).apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(conv) as tf.SymbolicTensor;
  original = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }).apply(pooled) as tf.SymbolicTensor });
});

test('the wizard offers Keras model files and model.json from the workspace, not weights-only files or other JSON', () => {
  assert.equal(MODEL_FILE_GLOB, '**/{*.h5,*.hdf5,*.keras,model.json}');
  const found = modelFiles(['/ws/b/net.keras', '/ws/a/old.H5', '/ws/a/ckpt.weights.h5', '/ws/tfjs/model.json', '/ws/config.json', '/ws/b/net.hdf5']);
  assert.deepEqual(found, [
    { file: '/ws/a/old.H5', kind: 'Keras 2 model (HDF5)' },
    { file: '/ws/b/net.hdf5', kind: 'Keras 2 model (HDF5)' },
    { file: '/ws/b/net.keras', kind: 'Keras 3 model' },
    { file: '/ws/tfjs/model.json', kind: 'tfjs Layers model' },
  ]);
});

test('a base file is written relative to the experiment with a path prefix, so it never reads as a catalog id', () => {
  const answers: WizardAnswers = { dataRoot: '/ws/data', name: 'x' };
  const model = (base: string) => (buildExperiment({ ...answers, base }, '/ws/x.experiment.json').base as { model: string }).model;
  assert.equal(model('/ws/net.h5'), './net.h5');
  assert.equal(model('/ws/..net.h5'), './..net.h5');
  assert.equal(model('/models/net.keras'), '../models/net.keras');
  assert.equal(model('mobilenet_v2'), 'mobilenet_v2');
});

for (const [format, extension, write] of [
  ['Keras 3', '.keras', (file: string) => writeKeras3Archive(file, original)],
  ['Keras 2', '.h5', async (file: string) => writeKerasH5(await artifactsOf(original), file)],
] as const) {
  test(`a ${format} ${extension} base chosen in the wizard loads through the engine, and the Layers view lists its layers`, async () => {
    const modelFile = path.join(dir, 'models', `net${extension}`);
    await mkdir(path.dirname(modelFile), { recursive: true });
    await write(modelFile);
    const experimentFile = path.join(dir, 'exp', 'pets.experiment.json');
    await mkdir(path.dirname(experimentFile), { recursive: true });
    // No input size chosen: "the model's own size".
    const answers: WizardAnswers = { dataRoot: path.join(dir, 'exp', 'pets'), kind: 'image', base: modelFile, strategy: 'both', name: 'pets' };
    await writeFile(experimentFile, JSON.stringify(buildExperiment(answers, experimentFile)));

    const loaded = await loadExperimentFile(experimentFile);
    assert.equal(loaded.experiment.base.model, `../models/${path.basename(modelFile)}`);
    const { model, info } = await loadBaseModel(loaded.baseModelRef, { cacheDir: dir, includeTop: true });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5);
    assert.ok(tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, original.predict(x) as tf.Tensor))).dataSync()[0] < 1e-6, 'the same weights');
    assert.deepEqual([info.source, info.inputSize], ['file', 16]);
    model.dispose();

    const experiment = await parseExperimentText(JSON.stringify(loaded.experiment), experimentFile);
    const view = await inspectModel(await inspectParams(experiment, experimentFile, dir));
    assert.deepEqual(
      [view.displayName, view.source, view.weights, view.inputSize, view.featureLayer],
      [path.basename(modelFile), 'file', `from ${path.basename(modelFile)}`, 16, 'stem_conv'],
    );
    assert.deepEqual(view.layers.map((l) => [l.name, l.params]), [['image', 0], ['stem_conv', 112]]);

    // The wizard reads the file's blocks when it is chosen, so the fine-tuning default fits a one-block model.
    const layers = view.layers as LayerInfo[]; // the host's rows are describeLayers' output
    assert.throws(() => resolveTrainable(layers, fineTune(loaded.experiment)), /topBlocks: 2 is not a whole number from 1 to 1/);
    const fitted = buildExperiment({ ...answers, baseBlocks: blockCount(view.layers) }, experimentFile) as unknown as Experiment;
    assert.deepEqual([...resolveTrainable(layers, fineTune(fitted))], ['image', 'stem_conv']);
  });
}
