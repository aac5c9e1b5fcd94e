import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildArchitecture, type KerasArchitecture } from '../../../src/engine/models/architectures';
import { withShapeModel } from '../../../src/engine/models/keras/matchWeights';
import { assignBlocks, blockOf, describeLayers, summarizeParams } from '../../../src/engine/models/layerTree';
import { groupBlocks } from '../../../src/shared/freeze';
import { loadMobileNetV2, loadNsfwjsBody, useWasmBackend } from './fixtures/nsfwjsModel';

let mobilenet: tf.LayersModel;
before(async () => {
  await useWasmBackend();
  mobilenet = await loadMobileNetV2();
});

test('describeLayers lists MobileNetV2 layers in model order with shapes and params', () => {
  const layers = describeLayers(mobilenet);
  assert.equal(layers.length, 155);
  assert.deepEqual(layers.map((l) => l.name), mobilenet.layers.map((l) => l.name));
  assert.deepEqual(layers.map((l) => l.index), layers.map((_, i) => i));
  assert.equal(layers.reduce((sum, l) => sum + l.params, 0), mobilenet.countParams());
  assert.deepEqual(layers.at(-1)?.outputShape, mobilenet.outputs[0].shape);
  assert.equal(layers.at(-1)?.name, 'out_relu');
  for (const l of layers) assert.equal(l.inferenceOnly === true, l.className === 'BatchNormalization', l.name);
});

test('MobileNetV2 groups into stem, block_0..block_16, top in that order', () => {
  const blocks = groupBlocks(describeLayers(mobilenet));
  const expected = ['stem', ...Array.from({ length: 17 }, (_, i) => `block_${i}`), 'top'];
  assert.deepEqual(blocks.map((b) => b.block), expected);
  for (const b of blocks) assert.equal(b.params, b.layers.reduce((sum, l) => sum + l.params, 0));
  const byName = new Map(blocks.flatMap((b) => b.layers.map((l) => [l.name, b.block])));
  assert.equal(byName.get('block_15_add'), 'block_15');
  assert.equal(byName.get('Conv1_relu'), 'stem');
  assert.equal(byName.get('Conv_1_bn'), 'top');
});

test('trainable reflects the layer flag and BatchNormalization statistics never count as trainable', () => {
  const layer = mobilenet.getLayer('block_16_project_BN');
  layer.trainable = false;
  try {
    const layers = describeLayers(mobilenet);
    const info = layers.find((l) => l.name === 'block_16_project_BN')!;
    assert.equal(info.trainable, false);
    assert.equal(layers.find((l) => l.name === 'block_16_project')!.trainable, true);
    // gamma, beta train; moving mean and variance never do.
    const channels = layer.getWeights()[0].shape[0];
    assert.equal(info.params, 4 * channels);
    assert.equal(info.trainableParams, 2 * channels);

    const all = summarizeParams(layers, new Set(layers.map((l) => l.name)));
    const statistics = mobilenet.weights.filter((w) => /moving_(mean|variance)/.test(w.name)).reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    assert.deepEqual(all, { total: mobilenet.countParams(), trainable: mobilenet.countParams() - statistics, frozen: statistics });
    assert.deepEqual(summarizeParams(layers, new Set()), { total: mobilenet.countParams(), trainable: 0, frozen: mobilenet.countParams() });
    assert.deepEqual(summarizeParams(layers, new Set(['block_16_project_BN'])).trainable, 2 * channels);
  } finally {
    layer.trainable = true;
  }
});

test('InceptionV3 groups into stem and mixed0..mixed10 by position, each block ending at its concat', async () => {
  const inception = await loadNsfwjsBody('inception_v3', 75);
  try {
    const blocks = groupBlocks(describeLayers(inception));
    assert.deepEqual(blocks.map((b) => b.block), ['stem', ...Array.from({ length: 11 }, (_, i) => `mixed${i}`)]);
    for (const b of blocks.slice(1)) assert.equal(b.layers.at(-1)?.name, b.block);
    // The stem is the sequential part: no branch of mixed0 belongs to it.
    assert.equal(blocks[0].layers.at(-1)?.name, 'max_pooling2d_2');
    assert.ok(blocks.find((b) => b.block === 'mixed9')!.layers.some((l) => l.name === 'mixed9_0'));
    assert.equal(blocks.reduce((sum, b) => sum + b.params, 0), inception.countParams());
  } finally {
    inception.dispose();
  }
});

test('blockOf follows Keras applications naming', () => {
  const cases: [string, string][] = [
    ['input_1', 'stem'], ['Conv1_pad', 'stem'], ['bn_Conv1', 'stem'], ['expanded_conv_project_BN', 'block_0'],
    ['block_12_depthwise_relu', 'block_12'], ['Conv_1', 'top'], ['out_relu', 'top'],
    ['conv3_block4_2_conv', 'conv3_block4'], ['conv1_conv', 'stem'], ['conv_dw_7_relu', 'block_7'],
    ['conv_pw_13', 'block_13'], ['head_dense', 'head'], ['custom_pool_2', 'custom_pool'], ['noseparator', 'stem'],
    // Keras classifier tops (include_top) belong to the top block, whatever the architecture.
    ['flatten', 'top'], ['fc1', 'top'], ['predictions', 'top'], ['avg_pool', 'top'], ['global_average_pooling2d', 'top'], ['conv_preds', 'top'],
  ];
  for (const [name, block] of cases) assert.equal(blockOf(name), block, name);
});

test('assignBlocks puts trainer head layers in head and layers after the last mixed in top', () => {
  const layers = ['input_1', 'conv2d_1', 'mixed0', 'conv2d_2', 'mixed1', 'avg_pool', 'head_dense', 'head_softmax'];
  const blocks = assignBlocks(layers.map((name) => ({ name, className: name === 'input_1' ? 'InputLayer' : 'Layer' })), [1]);
  assert.deepEqual(blocks, ['stem', 'stem', 'mixed0', 'mixed1', 'mixed1', 'top', 'head', 'head']);
});

const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

// Each keras.applications base we build, at its smallest input: its blocks in order and the last layer of some.
const KERAS_BLOCKS: [KerasArchitecture, number, string[], Record<string, string>][] = [
  ['vgg16', 32, ['stem', ...range('block', 1, 5)], { block1: 'block1_pool', block5: 'block5_pool' }],
  ['resnet50', 32, ['stem', ...[[2, 3], [3, 4], [4, 6], [5, 3]].flatMap(([stage, n]) => range(`conv${stage}_block`, 1, n))], { stem: 'pool1_pool', conv2_block1: 'conv2_block1_out', conv5_block3: 'conv5_block3_out' }],
  ['inception_v3', 75, ['stem', ...range('mixed', 0, 10)], { mixed0: 'mixed0', mixed10: 'mixed10' }],
  ['mobilenet_v1', 32, ['stem', ...range('block_', 1, 13)], { stem: 'conv1_relu', block_2: 'conv_pw_2_relu', block_13: 'conv_pw_13_relu' }],
  ['mobilenet_v2', 32, ['stem', ...range('block_', 0, 16), 'top'], { block_0: 'expanded_conv_project_BN', block_16: 'block_16_project_BN', top: 'out_relu' }],
];

for (const [architecture, inputSize, expected, lastLayers] of KERAS_BLOCKS) {
  test(`our ${architecture} groups into ${expected[0]}, ${expected[1]} … ${expected.at(-1)}, each block's layers together`, async () => {
    const layers = await withShapeModel(buildArchitecture(architecture, { inputSize, includeTop: false }), (model) => describeLayers(model));
    const blocks = groupBlocks(layers);
    assert.deepEqual(blocks.map((b) => b.block), expected);
    // A block is one run of consecutive layers: the tree never splits it.
    assert.deepEqual(layers.map((l) => l.block).filter((block, i, all) => block !== all[i - 1]), expected);
    for (const [block, last] of Object.entries(lastLayers)) assert.equal(blocks.find((b) => b.block === block)?.layers.at(-1)?.name, last, block);
  });
}

test('Keras classifier tops (include_top) group into one top block', async () => {
  const layers = await withShapeModel(buildArchitecture('mobilenet_v1', { inputSize: 224, includeTop: true, alpha: 0.25 }), (model) => describeLayers(model));
  const blocks = groupBlocks(layers);
  assert.equal(blocks.at(-1)?.block, 'top');
  assert.deepEqual(blocks.at(-1)?.layers.map((l) => l.name), ['global_average_pooling2d_1', 'reshape_1', 'dropout', 'conv_preds', 'reshape_2', 'predictions']);
});

test('automatic layer names group by the convolution they follow; a named layer ends that run', () => {
  const layers = [
    { name: 'input_1', className: 'InputLayer' }, { name: 'conv2d_1', className: 'Conv2D' }, { name: 'batch_normalization_1', className: 'BatchNormalization' },
    { name: 'leaky_re_lu_1', className: 'LeakyReLU' }, { name: 'conv2d_2', className: 'Conv2D' }, { name: 'max_pooling2d_1', className: 'MaxPooling2D' },
    { name: 'block9_conv1', className: 'Conv2D' }, { name: 'batch_normalization_2', className: 'BatchNormalization' },
  ];
  assert.deepEqual(assignBlocks(layers), ['stem', 'conv2d_1', 'conv2d_1', 'conv2d_1', 'conv2d_2', 'conv2d_2', 'block9', 'batch_normalization']);
});
