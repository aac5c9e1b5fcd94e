// The webview's TF-free freeze-spec logic agrees with the engine's on real MobileNetV2 and InceptionV3 layer lists,
// and simplestSpec always describes exactly the layers it was given.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/engine/random';
import { resolveTrainable as engineResolve } from '../../../src/engine/models/freeze';
import { describeLayers, groupBlocks as engineGroupBlocks, type LayerInfo } from '../../../src/engine/models/layerTree';
import type { TrainableSpec } from '../../../src/protocol/experiment';
import { describeSpec, groupBlocks, resolveTrainable, simplestSpec } from '../../../webview/shared/trainable';
import { loadNsfwjsBody } from '../models/fixtures/nsfwjsModel';

const models: Record<string, LayerInfo[]> = {};
before(async () => {
  for (const [name, size] of [['mobilenet_v2', 96], ['inception_v3', 75]] as const) {
    const model: tf.LayersModel = await loadNsfwjsBody(name, size);
    models[name] = describeLayers(model);
    model.dispose();
  }
});

function specsFor(layers: LayerInfo[]): TrainableSpec[] {
  const names = layers.map((l) => l.name);
  const blocks = engineGroupBlocks(layers).length;
  return [
    { none: true }, { all: true }, { topLayers: 1 }, { topLayers: 17 }, { topLayers: names.length }, { topBlocks: 1 }, { topBlocks: 3 }, { topBlocks: blocks },
    { fromLayer: names[Math.floor(names.length * 0.8)] }, { names: [names[3], names[40], names[names.length - 1]] }, { range: [10, 60] },
    // these do not fit: both sides must refuse them
    { topLayers: 0 }, { topLayers: names.length + 1 }, { topBlocks: blocks + 1 }, { fromLayer: 'block_99_nope' }, { names: ['conv9999'] }, { range: [5, 2] },
  ];
}

test('same layers as the engine for every kind of spec, and the same refusals', () => {
  for (const [model, layers] of Object.entries(models)) {
    assert.deepEqual(groupBlocks(layers).map((b) => b.block), engineGroupBlocks(layers).map((b) => b.block), model);
    for (const spec of specsFor(layers)) {
      const ours = resolveTrainable(layers, spec);
      let theirs: Set<string> | undefined;
      try {
        theirs = engineResolve(layers, spec);
      } catch {
        theirs = undefined;
      }
      if (theirs === undefined) assert.ok('error' in ours, `${model} ${JSON.stringify(spec)}: the engine refuses it, the webview accepts it`);
      else assert.deepEqual('names' in ours ? ours.names : ours, theirs, `${model} ${JSON.stringify(spec)}`);
    }
  }
});

test('simplestSpec round-trips any set of layers, and prefers the short forms', () => {
  const rng = createRng(7);
  for (const layers of Object.values(models)) {
    const names = layers.map((l) => l.name);
    const sets = [new Set<string>(), new Set(names), new Set(names.slice(-20)), ...Array.from({ length: 50 }, () => new Set(names.filter(() => rng() < 0.1)))];
    for (const set of sets) {
      const spec = simplestSpec(layers, set);
      assert.deepEqual(engineResolve(layers, spec), set, JSON.stringify(spec));
    }
    assert.deepEqual(simplestSpec(layers, new Set()), { none: true });
    assert.deepEqual(simplestSpec(layers, new Set(names)), { all: true });
    const lastTwoBlocks = engineGroupBlocks(layers).slice(-2).flatMap((b) => b.layers.map((l) => l.name));
    assert.deepEqual(simplestSpec(layers, new Set(lastTwoBlocks)), { topBlocks: 2 });
    assert.deepEqual(simplestSpec(layers, new Set(lastTwoBlocks.slice(1))), { fromLayer: lastTwoBlocks[1] });
    assert.ok('names' in simplestSpec(layers, new Set([names[5], names[9]])));
  }
});

test('describeSpec words each kind', () => {
  assert.equal(describeSpec({ none: true }), 'everything frozen (head only)');
  assert.equal(describeSpec({ topBlocks: 1 }), 'top 1 block unfrozen');
  assert.equal(describeSpec({ fromLayer: 'block_16_expand' }), 'unfrozen from block_16_expand to the top');
  assert.equal(describeSpec({ range: [1, 4] }), 'layers 1–4 unfrozen');
});
