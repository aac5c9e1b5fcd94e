import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ARCHITECTURES, buildArchitecture, type KerasArchitecture } from '../../../src/engine/models/architectures';
import { ARCHITECTURE_BLOCKS, CATALOG } from '../../../src/shared/catalog';
import { expectedWeights } from '../../../src/engine/models/keras/matchWeights';
import { describeLayers } from '../../../src/engine/models/layerTree';
import { readNsfwjsModel } from '../../../src/engine/models/nsfwjs';
import { toFunctional, type Topology } from '../../../src/engine/models/surgery';

before(() => tf.setBackend('cpu'));

/** Parameters from the built layers' weight shapes, with zero initialisers: no random numbers for VGG16's 138 M. */
async function paramCount(topology: Topology): Promise<number> {
  return (await expectedWeights(topology)).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

const names = (topology: Topology) => toFunctional(topology).model_config.config.layers.map((l) => l.name);

// keras.applications' model.count_params() (include_top=True, then include_top=False).
const KERAS_TOTALS: [KerasArchitecture, number, number, number?][] = [
  ['vgg16', 138_357_544, 14_714_688],
  ['resnet50', 25_636_712, 23_587_712],
  ['inception_v3', 23_851_784, 21_802_784],
  ['mobilenet_v1', 4_253_864, 3_228_864],
  ['mobilenet_v2', 3_538_984, 2_257_984],
  ['mobilenet_v1', 475_544, 218_544, 0.25],
  ['mobilenet_v2', 1_691_208, 410_208, 0.35],
  ['mobilenet_v2', 6_156_712, 4_363_712, 1.4],
];

for (const [name, top, notop, alpha] of KERAS_TOTALS) {
  test(`${name}${alpha ? ` alpha ${alpha}` : ''} has Keras' parameter totals with and without the top`, async () => {
    const inputSize = ARCHITECTURES[name].defaultInputSize;
    assert.equal(await paramCount(buildArchitecture(name, { inputSize, includeTop: true, alpha })), top);
    assert.equal(await paramCount(buildArchitecture(name, { inputSize, includeTop: false, alpha })), notop);
  });
}

test('catalog params of every keras.applications base equal its built feature extractor', async () => {
  for (const entry of CATALOG.filter((e) => e.source.kind === 'keras' && e.architecture !== 'vgg16' && e.architecture !== 'resnet50')) {
    const topology = buildArchitecture(entry.architecture, { inputSize: entry.defaultInputSize, includeTop: false, alpha: entry.alpha });
    assert.equal(await paramCount(topology), entry.params, entry.id);
    assert.equal(names(topology).at(-1), entry.defaultCutLayer, entry.id);
  }
});

test('MobileNetV2 and InceptionV3 are layer for layer the Keras-made nsfwjs bodies: names, classes, wiring, settings', () => {
  const KEYS = ['filters', 'kernel_size', 'strides', 'padding', 'use_bias', 'epsilon', 'momentum', 'scale', 'max_value', 'activation', 'pool_size'];
  const summary = (topology: Topology, cut: string) => {
    const layers = toFunctional(topology).model_config.config.layers;
    return new Map(layers.slice(1, layers.findIndex((l) => l.name === cut) + 1).map((l) => [l.name, {
      className: l.class_name,
      inbound: l.inbound_nodes.flat().map((ref) => ref[0]),
      settings: KEYS.map((k) => JSON.stringify(l.config[k])),
    }]));
  };
  for (const [arch, cut] of [['mobilenet_v2', 'out_relu'], ['inception_v3', 'mixed10']] as const) {
    const theirs = summary(readNsfwjsModel(arch).modelTopology, cut);
    const ours = summary(buildArchitecture(arch, { inputSize: 224, includeTop: false }), cut);
    // Keras ≥ 2.3 writes MobileNetV2's first conv as 'same' instead of Conv1_pad + 'valid': the same arithmetic.
    theirs.delete('Conv1_pad');
    for (const [name, layer] of ours) if (name !== 'Conv1') assert.deepEqual(layer, theirs.get(name), `${arch} layer ${name}`);
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort(), arch);
  }
});

test('VGG16, ResNet50 and MobileNet use keras.applications names', () => {
  const vgg = names(buildArchitecture('vgg16', { inputSize: 224, includeTop: true }));
  assert.deepEqual(vgg.slice(-6), ['block5_conv3', 'block5_pool', 'flatten', 'fc1', 'fc2', 'predictions']);
  const resnet = names(buildArchitecture('resnet50', { inputSize: 224, includeTop: true }));
  assert.deepEqual(resnet.slice(0, 6), ['input_1', 'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad']);
  assert.ok(resnet.includes('conv4_block6_out') && resnet.includes('conv2_block1_0_conv'));
  assert.deepEqual(resnet.slice(-3), ['conv5_block3_out', 'avg_pool', 'predictions']);
  const mobilenet = names(buildArchitecture('mobilenet_v1', { inputSize: 224, includeTop: true, alpha: 0.25 }));
  assert.ok(mobilenet.includes('conv_pad_2') && mobilenet.includes('conv_dw_13_relu'));
  assert.deepEqual(mobilenet.slice(-5), ['reshape_1', 'dropout', 'conv_preds', 'reshape_2', 'predictions']);
});

test('MobileNets build at every size from 96 to 224; too small an input is refused by name', async () => {
  for (const [size, side] of [[96, 3], [128, 4], [160, 5], [192, 6], [224, 7]]) {
    for (const arch of ['mobilenet_v1', 'mobilenet_v2'] as const) {
      const model = await tf.models.modelFromJSON(zeroed(buildArchitecture(arch, { inputSize: size, includeTop: false, alpha: arch === 'mobilenet_v1' ? 0.25 : 0.35 })));
      assert.deepEqual(model.outputs[0].shape, [null, side, side, arch === 'mobilenet_v1' ? 256 : 1280], `${arch} at ${size}`);
      model.dispose();
    }
  }
  assert.throws(() => buildArchitecture('inception_v3', { inputSize: 74, includeTop: false }), /at least 75/);
  assert.throws(() => buildArchitecture('mobilenet_v2', { inputSize: 16, includeTop: false }), /at least 32/);
});

test('built bases get a layer tree: MobileNet blocks, ResNet stages, VGG blocks', async () => {
  const blocksOf = async (arch: KerasArchitecture, inputSize: number, alpha?: number) => {
    const model = await tf.models.modelFromJSON(zeroed(buildArchitecture(arch, { inputSize, includeTop: false, alpha })));
    const blocks = new Set(describeLayers(model).map((l) => l.block));
    model.dispose();
    return blocks;
  };
  const mobilenet = await blocksOf('mobilenet_v1', 96, 0.25);
  assert.deepEqual([...mobilenet], ['stem', ...Array.from({ length: 13 }, (_, i) => `block_${i + 1}`)]);
  const v2 = await blocksOf('mobilenet_v2', 96, 0.35);
  assert.ok(v2.has('block_0') && v2.has('block_16') && v2.has('top'));
  const resnet = await blocksOf('resnet50', 64);
  assert.ok(resnet.has('stem') && resnet.has('conv2_block1') && resnet.has('conv5_block3'));
  assert.deepEqual([...(await blocksOf('vgg16', 32))].filter((b) => b !== 'stem'), ['block1', 'block2', 'block3', 'block4', 'block5']);
});

test('the wizard says how many blocks each architecture has: the count the Layers view groups at its default cut', async () => {
  const SMALL: Record<KerasArchitecture, number> = { vgg16: 32, resnet50: 64, inception_v3: 75, mobilenet_v1: 96, mobilenet_v2: 96 };
  for (const [arch, size] of Object.entries(SMALL) as [KerasArchitecture, number][]) {
    const model = await tf.models.modelFromJSON(zeroed(buildArchitecture(arch, { inputSize: size, includeTop: false, alpha: arch.startsWith('mobilenet') ? 0.35 : undefined })));
    assert.equal(new Set(describeLayers(model).map((l) => l.block)).size, ARCHITECTURE_BLOCKS[arch].count, arch);
    model.dispose();
  }
});

test('every catalog base has a forward cost, the same for the same architecture and width, larger for larger models', () => {
  const byShape = new Map<string, number>();
  for (const entry of CATALOG) {
    assert.ok(entry.forwardCost > 0, entry.id);
    const shape = `${entry.architecture}@${entry.alpha ?? 1}`;
    assert.equal(entry.forwardCost, byShape.get(shape) ?? entry.forwardCost, `${entry.id} costs what ${shape} costs`);
    byShape.set(shape, entry.forwardCost);
  }
  const cost = (shape: string) => byShape.get(shape)!;
  assert.ok(cost('vgg16@1') > cost('resnet50@1') && cost('resnet50@1') > cost('mobilenet_v2@1') && cost('mobilenet_v2@1') > cost('mobilenet_v2@0.35'));
  assert.ok(cost('mobilenet_v1@1') > cost('mobilenet_v1@0.25'));
});

function zeroed(topology: Topology): { modelTopology: tf.io.ModelJSON['modelTopology'] } {
  return { modelTopology: JSON.parse(JSON.stringify(topology), (key, value) => (key.endsWith('_initializer') && value ? { class_name: 'Zeros', config: {} } : value)) };
}
