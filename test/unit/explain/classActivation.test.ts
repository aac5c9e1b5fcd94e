// CAM and Grad-CAM on hand-built models whose heatmaps are worked out by hand, and the run-level errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { normaliseMap } from '../../../src/engine/explain/classActivation';
import { createExplainer, NoSpatialLayerError } from '../../../src/engine/explain/explainer';
import { alignToImage, cellCentres } from '../../../src/engine/explain/gridAlignment';
import { runHeatmaps } from '../../../src/engine/explain/heatmaps';
import { writeRunState } from '../../../src/engine/runs';
import { exportModel } from '../../../src/engine/training/artifacts';
import { createPooling } from '../../../src/engine/training/head';
import { writeExportedRun } from '../fixtures/exportedRun';
import { useWasmBackend } from '../models/fixtures/nsfwjsModel';

before(useWasmBackend);

/** A 2×2 image of 2 channels: channel 0 is 1 at the top left, channel 1 is 3 at the bottom right. */
const IMAGE = () => tf.tensor4d([[[[1, 0], [0, 0]], [[0, 0], [0, 3]]]]);

/** input → 1×1 conv that copies its input ("features") → global average pooling → dense layers → softmax. */
function handBuilt(dense: { units: number; kernel: number[][]; bias: number[]; activation?: 'relu' }[]): tf.LayersModel {
  const input = tf.input({ shape: [2, 2, 2] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false, name: 'features' });
  let x = conv.apply(input) as tf.SymbolicTensor;
  conv.setWeights([tf.tensor4d([[[[1, 0], [0, 1]]]])]);
  x = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as tf.SymbolicTensor;
  dense.forEach((spec, i) => {
    const layer = tf.layers.dense({ units: spec.units, activation: spec.activation, name: `dense_${i}` });
    x = layer.apply(x) as tf.SymbolicTensor;
    layer.setWeights([tf.tensor2d(spec.kernel), tf.tensor1d(spec.bias)]);
  });
  x = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

test('CAM of a pooled linear head: Σ_k (w_k,c − mean over classes) · A_k, for the top class and for a chosen one', async () => {
  // logits = pooled [0.25, 0.75] · W = [1.75, −0.25]: class 0 wins; centred weights: class 0 [1, 1], class 1 [−1, −1]
  const explainer = createExplainer(handBuilt([{ units: 2, kernel: [[1, -1], [2, 0]], bias: [0, 0] }]));
  assert.equal(explainer.method, 'cam');
  assert.equal(explainer.layer, 'features');
  const [top] = await explainer.explain(IMAGE());
  assert.equal(top.classIndex, 0);
  assert.deepEqual([top.rows, top.cols], [2, 2]);
  assert.deepEqual(Array.from(top.map), [1, 0, 0, 3]);
  assert.deepEqual(normaliseMap(top.map), [0.333, 0, 0, 1]);
  assert.ok(Math.abs(top.probabilities[0] - 1 / (1 + Math.exp(-2))) < 1e-6);
  const [other] = await explainer.explain(IMAGE(), 1);
  assert.deepEqual(Array.from(other.map), [0, 0, 0, 0], 'nothing speaks for class 1: ReLU leaves an empty map');
  explainer.dispose();
});

test('Grad-CAM through a hidden layer: the inactive hidden unit silences the channel it alone reads', async () => {
  // pooled [0.25, 0.75] → hidden relu([0.25, 0.75 − 1]) = [0.25, 0] → logits [0.5, 0]; the centred class-0 score
  // (y0 − y1) / 2 has gradient [1, 5] on the hidden units, [1, 0] after the ReLU, so α = [1, 0] / 4 (4 positions)
  const explainer = createExplainer(handBuilt([
    { units: 2, kernel: [[1, 0], [0, 1]], bias: [0, -1], activation: 'relu' },
    { units: 2, kernel: [[2, 0], [5, -5]], bias: [0, 0] },
  ]));
  assert.equal(explainer.method, 'grad-cam');
  const [top] = await explainer.explain(IMAGE());
  assert.equal(top.classIndex, 0);
  assert.deepEqual(Array.from(top.map), [0.25, 0, 0, 0], 'the top-left pixel, not the brighter bottom-right one');
  explainer.dispose();
});

test('Grad-CAM agrees with CAM where the head is linear: two dense layers equal one with the product kernel', async () => {
  const [w1, w2] = [[[1, 2], [0, -1]], [[1, -1], [0.5, 2]]];
  const product = tf.matMul(tf.tensor2d(w1), tf.tensor2d(w2)).arraySync() as number[][];
  const gradients = createExplainer(handBuilt([{ units: 2, kernel: w1, bias: [0, 0] }, { units: 2, kernel: w2, bias: [0, 0] }]));
  const cam = createExplainer(handBuilt([{ units: 2, kernel: product, bias: [0, 0] }]));
  assert.deepEqual([gradients.method, cam.method], ['grad-cam', 'cam']);
  for (const classIndex of [0, 1]) {
    const [g] = await gradients.explain(IMAGE(), classIndex);
    const [c] = await cam.explain(IMAGE(), classIndex);
    // Grad-CAM's α are CAM's weights divided by the number of positions
    assert.deepEqual(Array.from(g.map, (v) => Math.round(v * 4 * 1e5) / 1e5), Array.from(c.map, (v) => Math.round(v * 1e5) / 1e5));
  }
  gradients.dispose();
  cam.dispose();
});

test('a model with no spatial layer cannot be explained, and says so', () => {
  const input = tf.input({ shape: [4, 4, 3] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor });
  assert.throws(() => createExplainer(model), NoSpatialLayerError);
  model.dispose();
});

test('a run: one heatmap per file in order (Grad-CAM through its hidden layer), unreadable files say why; no tensors left', async () => {
  const runDir = await writeExportedRun();
  try {
    const image = join(runDir, 'red.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c03020' } }).png().toFile(image);
    const broken = join(runDir, 'broken.jpg');
    await writeFile(broken, 'not an image');
    const before = tf.memory().numTensors;
    const result = await runHeatmaps(runDir, [image, broken, image], 2);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(result.method, 'grad-cam');
    assert.equal(result.layer, 'conv_pw_13_relu');
    assert.deepEqual(result.heatmaps.map((h) => h.path), [image, broken, image]);
    const [first, bad, again] = result.heatmaps;
    assert.deepEqual([first.rows, first.cols, first.values?.length, first.label, first.classIndex], [3, 3, 9, 'c', 2]);
    assert.ok(first.values!.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(again.values, first.values);
    assert.match(bad.error ?? '', /./);
    await assert.rejects(runHeatmaps(runDir, [image], 3), /classIndex 3 is not a class/);
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
});

test('a run whose base has no spatial layer, and a text run, are refused by name', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'tl-flat-run-'));
  try {
    const input = tf.input({ shape: [8, 8, 3] });
    // an 8×8 convolution over the 8×8 input: a 1×1 map, one position, nothing to point at
    const base = tf.model({ inputs: input, outputs: tf.layers.conv2d({ filters: 4, kernelSize: 8 }).apply(input) as tf.SymbolicTensor });
    await exportModel(runDir, base, createPooling('flatten'), [tf.layers.dense({ units: 2, name: 'head_logits' })], {
      classes: ['a', 'b'], inputSize: 8, preprocessing: 'scale-0-1', base: 'flat-test', featureLayer: 'conv_whole',
    });
    await writeRunState(runDir, { state: 'completed' });
    base.dispose();
    await assert.rejects(runHeatmaps(runDir, []), (e: Error) => e.message.includes(runDir) && /no spatial feature map/.test(e.message) && /flat-test/.test(e.message));
    await writeFile(join(runDir, 'experiment.json'), JSON.stringify({ data: { kind: 'text' } }));
    await assert.rejects(runHeatmaps(runDir, []), /text run/);
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
});

test('grid alignment: cells of a map padded only after sit half a stride later in the image; the map is moved onto its bands', () => {
  // Keras' correct_pad then a 3×3 stride-2 'valid' convolution (MobileNetV2's downsampling), twice: 8 px → 4 → 2
  const input = tf.input({ shape: [8, 8, 1] });
  let x = input as tf.SymbolicTensor;
  for (const i of [1, 2]) {
    x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `pad_${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 1, kernelSize: 3, strides: 2, padding: 'valid', name: `down_${i}` }).apply(x) as tf.SymbolicTensor;
  }
  const model = tf.model({ inputs: input, outputs: x });
  // one step: x = 2i + 1; two: 2(2i + 1) + 1 = 4i + 3 — while the i-th 4-px band's middle is 4i + 1.5
  assert.deepEqual(cellCentres(model.getLayer('down_2'), 0), { scale: 4, shift: 3 });
  assert.deepEqual(cellCentres(model.getLayer('down_1'), 1), { scale: 2, shift: 1 });
  // 'same' on an even side pads after too: the same centres as correct_pad + 'valid'
  const same = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 1, kernelSize: 3, strides: 2, padding: 'same' })] });
  assert.deepEqual(cellCentres(same.layers[0], 0), { scale: 2, shift: 1 });
  const centres = { scale: 4, shift: 3 };
  // band 0's middle (1.5 px) lies 0.375 of a cell before cell 0's centre: clamped to cell 0; band 1's (5.5 px) is 0.625 of the way from cell 0 to cell 1
  assert.deepEqual(Array.from(alignToImage([0, 1, 0, 1], 2, 2, 8, [{ scale: 1, shift: 0 }, { scale: 4, shift: 1.5 }])), [0, 1, 0, 1], 'centred cells stay');
  assert.deepEqual(Array.from(alignToImage([0, 1, 0, 0], 2, 2, 8, [centres, centres])), [0, 0.625, 0, 0.375 * 0.625]);
  model.dispose();
  same.dispose();
});
