import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { exportText } from '../../../src/cli/render';
import { exportRun } from '../../../src/engine/export/exportRun';
import { tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { useWasmBackend } from '../models/fixtures/nsfwjsModel';
import { CLASSES, classifierRun, testImagePaths } from './fixtures/classifierRun';
import { layerZoo } from './fixtures/layerZoo';

let files: string;
let runDir: string;

before(async () => {
  await useWasmBackend();
  files = await mkdtemp(path.join(tmpdir(), 'onnx-file-'));
  const zoo = layerZoo();
  await zoo.save(tfjsFileHandler(path.join(files, 'zoo')));
  zoo.dispose();
  ({ runDir } = await classifierRun({ base: path.join(files, 'zoo', 'model.json'), inputSize: 37, random: true }, (await testImagePaths()).slice(0, 4)));
});

after(async () => {
  await rm(files, { recursive: true, force: true });
  await rm(runDir, { recursive: true, force: true });
});

test('the .onnx file takes pixels NHWC, gives probabilities, names its classes and its preprocessing, at opset 13', async () => {
  const out = path.join(files, 'flowers.onnx');
  const result = await exportRun(runDir, { out });
  assert.equal(result.format, 'onnx');
  const model = onnx.ModelProto.decode(await readFile(out));
  assert.ok(model.opsetImport.every((o) => Number(o.version) >= 13));
  const dims = (info: onnx.IValueInfoProto) => info.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
  assert.deepEqual(model.graph!.input!.map((i) => [i.name, dims(i)]), [['pixels', ['batch', 37, 37, 3]]]);
  assert.deepEqual(model.graph!.output!.map((o) => [o.name, dims(o)]), [['probabilities', ['batch', CLASSES.length]]]);
  const metadata = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  assert.deepEqual(JSON.parse(metadata.classes!), CLASSES);
  const card = JSON.parse(await readFile(path.join(runDir, 'model', 'preprocessing.json'), 'utf8'));
  assert.equal(metadata.preprocessing, card.preprocessing);
  // The run's scaling is inside the graph: its first op reads the pixels.
  assert.equal(model.graph!.node![0].input![0], 'pixels');
  const text = exportText(result);
  for (const needle of ['import onnxruntime as ort', 'new InferenceSession(', "require('onnxruntime-node')", out]) assert.ok(text.includes(needle), needle);
});

test('a layer the ONNX export cannot write is refused by its name and class, and no file is left', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'onnx-refuse-'));
  try {
    const input = tf.input({ shape: [8, 8, 3] });
    const up = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, name: 'upsample_me' }).apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(up) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor });
    await model.save(tfjsFileHandler(path.join(dir, 'model')));
    const card = { classes: ['a', 'b'], inputSize: 8, preprocessing: 'scale-0-1', base: 'custom', featureLayer: 'upsample_me' };
    await import('node:fs/promises').then((fs) => fs.writeFile(path.join(dir, 'model', 'preprocessing.json'), JSON.stringify(card)));
    const out = path.join(dir, 'custom.onnx');
    await assert.rejects(exportRun(dir, { out }), /layer "upsample_me" is a Conv2DTranspose, a layer the ONNX export does not write/);
    assert.equal(existsSync(out), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--out must end in .onnx for an ONNX export', async () => {
  await assert.rejects(exportRun(runDir, { format: 'onnx', out: path.join(files, 'model.bin') }), /ending in \.onnx/);
});
