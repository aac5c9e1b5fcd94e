// The shared freeze rules (engine and Layers webview alike): simplestSpec always describes exactly the layers it
// was given on real MobileNetV2 and InceptionV3 layer lists, and refusals say what is wrong.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/engine/random';
import { describeLayers, type LayerInfo } from '../../../src/engine/models/layerTree';
import { checkTrainable, describeSpec, groupBlocks, simplestSpec } from '../../../src/shared/freeze';
import { loadNsfwjsBody } from '../models/fixtures/nsfwjsModel';

const models: Record<string, LayerInfo[]> = {};
before(async () => {
  for (const [name, size] of [['mobilenet_v2', 96], ['inception_v3', 75]] as const) {
    const model: tf.LayersModel = await loadNsfwjsBody(name, size);
    models[name] = describeLayers(model);
    model.dispose();
  }
});

const resolved = (layers: LayerInfo[], spec: Parameters<typeof checkTrainable>[1]) => {
  const result = checkTrainable(layers, spec);
  assert.ok('names' in result, JSON.stringify(result));
  return result.names;
};

test('simplestSpec round-trips any set of layers, and prefers the short forms', () => {
  const rng = createRng(7);
  for (const layers of Object.values(models)) {
    const names = layers.map((l) => l.name);
    const sets = [new Set<string>(), new Set(names), new Set(names.slice(-20)), ...Array.from({ length: 50 }, () => new Set(names.filter(() => rng() < 0.1)))];
    for (const set of sets) {
      const spec = simplestSpec(layers, set);
      assert.deepEqual(resolved(layers, spec), set, JSON.stringify(spec));
    }
    assert.deepEqual(simplestSpec(layers, new Set()), { none: true });
    assert.deepEqual(simplestSpec(layers, new Set(names)), { all: true });
    const lastTwoBlocks = groupBlocks(layers).slice(-2).flatMap((b) => b.layers.map((l) => l.name));
    assert.deepEqual(simplestSpec(layers, new Set(lastTwoBlocks)), { topBlocks: 2 });
    assert.deepEqual(simplestSpec(layers, new Set(lastTwoBlocks.slice(1))), { fromLayer: lastTwoBlocks[1] });
    assert.ok('names' in simplestSpec(layers, new Set([names[5], names[9]])));
  }
});

test('a spec that does not fit names the field, the problem and the fix', () => {
  const layers = models.mobilenet_v2;
  const blocks = groupBlocks(layers).length;
  assert.deepEqual(checkTrainable(layers, { topBlocks: blocks + 1 }), {
    field: 'trainable.topBlocks',
    error: `${blocks + 1} is not a whole number from 1 to ${blocks}`,
    fix: `The model has ${blocks} blocks (${groupBlocks(layers).map((b) => b.block).join(', ')}); pick a count in that range.`,
  });
  const unknown = checkTrainable(layers, { fromLayer: 'block_16_expnd' });
  assert.ok('error' in unknown && unknown.error.startsWith('no layer named "block_16_expnd" (did you mean "block_16_expand"'), JSON.stringify(unknown));
  assert.ok('error' in checkTrainable(layers, { range: [5, 2] }));
});

test('describeSpec words each kind', () => {
  assert.equal(describeSpec({ none: true }), 'everything frozen (head only)');
  assert.equal(describeSpec({ topBlocks: 1 }), 'top 1 block unfrozen');
  assert.equal(describeSpec({ fromLayer: 'block_16_expand' }), 'unfrozen from block_16_expand to the top');
  assert.equal(describeSpec({ range: [1, 4] }), 'layers 1–4 unfrozen');
});
