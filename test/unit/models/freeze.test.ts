import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyTrainable, FreezeSpecError, resolveTrainable } from '../../../src/engine/models/freeze';
import { closestNames } from '../../../src/shared/freeze';
import { describeLayers, type LayerInfo } from '../../../src/engine/models/layerTree';
import { loadMobileNetV2 } from './fixtures/nsfwjsModel';

let model: tf.LayersModel;
let layers: LayerInfo[];
let names: string[];
before(async () => {
  model = await loadMobileNetV2();
  layers = describeLayers(model);
  names = model.layers.map((l) => l.name);
});
after(() => model.dispose());

const namesIn = (...blocks: string[]) => new Set(layers.filter((l) => blocks.includes(l.block)).map((l) => l.name));

function assertSpecError(run: () => unknown, field: string, ...mentions: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof FreezeSpecError);
    assert.equal(error.field, field);
    for (const text of mentions) assert.ok(error.message.includes(text), `"${error.message}" should mention ${text}`);
    return true;
  });
}

test('all and none', () => {
  assert.deepEqual(resolveTrainable(layers, { all: true }), new Set(names));
  assert.equal(resolveTrainable(layers, { none: true }).size, 0);
});

test('topLayers N is the last N layers (Keras base.layers[-N:])', () => {
  assert.deepEqual(resolveTrainable(layers, { topLayers: 5 }), new Set(names.slice(-5)));
  assert.deepEqual(resolveTrainable(layers, { topLayers: names.length }), new Set(names));
});

test('topBlocks and fromLayer unfreeze whole trailing blocks', () => {
  assert.deepEqual(resolveTrainable(layers, { topBlocks: 1 }), namesIn('top'));
  assert.deepEqual(resolveTrainable(layers, { topBlocks: 2 }), namesIn('block_16', 'top'));
  assert.deepEqual(resolveTrainable(layers, { fromLayer: 'block_16_expand' }), namesIn('block_16', 'top'));
  assert.deepEqual(resolveTrainable(layers, { fromLayer: names[0] }), new Set(names));
});

test('names and inclusive ranges', () => {
  assert.deepEqual(resolveTrainable(layers, { names: ['Conv_1', 'block_3_expand'] }), new Set(['Conv_1', 'block_3_expand']));
  assert.deepEqual(resolveTrainable(layers, { range: [names.length - 5, names.length - 1] }), new Set(names.slice(-5)));
  assert.deepEqual(resolveTrainable(layers, { range: [2, 2] }), new Set([names[2]]));
});

test('unknown layer names are named with the closest real ones', () => {
  assertSpecError(() => resolveTrainable(layers, { fromLayer: 'block16_expand' }), 'trainable.fromLayer', '"block16_expand"', '"block_16_expand"');
  assertSpecError(() => resolveTrainable(layers, { names: ['Conv_1', 'conv_1_BN', 'nope'] }), 'trainable.names', '"conv_1_BN"', '"Conv_1_bn"', '"nope"');
  assert.deepEqual(closestNames('BLOCK_2_ADD', names, 1), ['block_2_add']);
});

test('counts and ranges outside the model name the valid range', () => {
  const last = String(names.length - 1);
  assertSpecError(() => resolveTrainable(layers, { topLayers: names.length + 1 }), 'trainable.topLayers', `1 to ${names.length}`);
  assertSpecError(() => resolveTrainable(layers, { topLayers: 0 }), 'trainable.topLayers', `1 to ${names.length}`);
  assertSpecError(() => resolveTrainable(layers, { topLayers: 2.5 }), 'trainable.topLayers');
  assertSpecError(() => resolveTrainable(layers, { topBlocks: 20 }), 'trainable.topBlocks', '1 to 19', 'block_16');
  assertSpecError(() => resolveTrainable(layers, { range: [150, names.length] }), 'trainable.range', last);
  assertSpecError(() => resolveTrainable(layers, { range: [10, 5] }), 'trainable.range', last);
});

test('applyTrainable sets every layer and rejects names the model lacks', () => {
  const chosen = resolveTrainable(layers, { topBlocks: 2 });
  try {
    applyTrainable(model, chosen);
    for (const layer of model.layers) assert.equal(layer.trainable, chosen.has(layer.name), layer.name);
    const trainableCount = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const expected = describeLayers(model).filter((l) => chosen.has(l.name)).reduce((sum, l) => sum + l.trainableParams, 0);
    assert.equal(trainableCount, expected);
    assertSpecError(() => applyTrainable(model, new Set(['head_dense'])), 'trainable', '"head_dense"');
  } finally {
    applyTrainable(model, new Set(names));
  }
});

test("a model with Keras' automatic layer names: the top blocks are its last convolutions with what follows them", () => {
  // darknet-tiny's shape: conv → batch norm → leaky ReLU (→ pooling), named conv2d_N, batch_normalization_N, …
  const input = tf.input({ shape: [16, 16, 3] });
  let x = input as tf.SymbolicTensor;
  for (const filters of [4, 8, 8]) {
    x = tf.layers.conv2d({ filters, kernelSize: 3, useBias: false }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU().apply(x) as tf.SymbolicTensor;
  }
  const plain = tf.model({ inputs: input, outputs: x });
  try {
    const plainLayers = describeLayers(plain);
    const convs = plainLayers.filter((l) => l.className === 'Conv2D').map((l) => l.name);
    assert.deepEqual([...new Set(plainLayers.map((l) => l.block))], ['stem', ...convs], 'one block per convolution');
    const top = resolveTrainable(plainLayers, { topBlocks: 2 });
    const trainable = plainLayers.filter((l) => top.has(l.name));
    assert.ok(trainable.some((l) => l.name === convs[2]) && trainable.some((l) => l.name === convs[1]) && !top.has(convs[0]));
    assert.ok(trainable.reduce((sum, l) => sum + l.trainableParams, 0) > 0, 'unfreezing the top blocks unfreezes weights');
  } finally {
    plain.dispose();
  }
});
