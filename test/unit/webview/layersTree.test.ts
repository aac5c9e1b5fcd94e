// Layers view logic: tree rows with tri-state blocks, filter, ARIA keyboard navigation, bulk actions → specs, summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerView } from '../../../src/protocol/webview';
import { specFor } from '../../../webview/layers/bulkActions';
import { blockChecked, treeKey, treeRows } from '../../../webview/layers/layerTree';
import { paramSummary, phasePlans } from '../../../webview/layers/summary';
import { resolveTrainable } from '../../../webview/shared/trainable';

const layer = (index: number, name: string, block: string, params = 100, className = 'Conv2D'): LayerView => ({
  index, name, className, outputShape: '7×7×8', params, trainableParams: className === 'BatchNormalization' ? params / 2 : params, block, inferenceOnly: className === 'BatchNormalization',
});
const layers: LayerView[] = [
  layer(0, 'input_1', 'stem', 0, 'InputLayer'), layer(1, 'Conv1', 'stem'), layer(2, 'bn_Conv1', 'stem', 64, 'BatchNormalization'),
  layer(3, 'block_1_expand', 'block_1'), layer(4, 'block_1_expand_BN', 'block_1', 32, 'BatchNormalization'), layer(5, 'block_1_project', 'block_1'),
  layer(6, 'Conv_1', 'top'), layer(7, 'out_relu', 'top', 0, 'ReLU'),
];
const names = (...n: string[]) => new Set(n);

test('blocks are tri-state', () => {
  assert.equal(blockChecked(layers.slice(3, 6), names()), 'false');
  assert.equal(blockChecked(layers.slice(3, 6), names('block_1_expand')), 'mixed');
  assert.equal(blockChecked(layers.slice(3, 6), names('block_1_expand', 'block_1_expand_BN', 'block_1_project')), 'true');
});

test('rows: collapsed blocks only, expanded blocks with their layers, ARIA positions', () => {
  const collapsed = treeRows(layers, names('Conv_1', 'out_relu'), new Set(), '');
  assert.deepEqual(collapsed.map((r) => r.id), ['block:stem', 'block:block_1', 'block:top']);
  assert.deepEqual(collapsed.map((r) => r.checked), ['false', 'false', 'true']);
  const open = treeRows(layers, names('Conv_1'), new Set(['block:top']), '');
  assert.deepEqual(open.map((r) => r.id), ['block:stem', 'block:block_1', 'block:top', 'layer:6', 'layer:7']);
  assert.equal(open[2].checked, 'mixed');
  assert.deepEqual(open.slice(3).map((r) => [r.level, r.posInSet, r.setSize, r.checked]), [[2, 1, 2, 'true'], [2, 2, 2, 'false']]);
  assert.deepEqual(open.slice(0, 3).map((r) => [r.level, r.posInSet, r.setSize]), [[1, 1, 3], [1, 2, 3], [1, 3, 3]]);
});

test('filter: matching layers (case-insensitive) inside opened blocks; a matching block shows all its layers', () => {
  const bn = treeRows(layers, names(), new Set(), 'bn');
  assert.deepEqual(bn.map((r) => r.id), ['block:stem', 'layer:2', 'block:block_1', 'layer:4']);
  assert.equal(bn[0].kind === 'block' && bn[0].checked, 'false', 'block state still counts all its layers');
  assert.deepEqual(treeRows(layers, names(), new Set(), 'TOP').map((r) => r.id), ['block:top', 'layer:6', 'layer:7']);
  assert.deepEqual(treeRows(layers, names(), new Set(), 'nothing-matches'), []);
});

test('keyboard: arrows, Home/End, Right opens then enters, Left closes then goes to the parent', () => {
  const rows = treeRows(layers, names(), new Set(['block:block_1']), '');
  assert.deepEqual(treeKey(rows, 'block:stem', 'ArrowDown'), { focus: 'block:block_1' });
  assert.deepEqual(treeKey(rows, 'block:stem', 'ArrowUp'), { focus: 'block:stem' });
  assert.deepEqual(treeKey(rows, 'block:stem', 'End'), { focus: 'block:top' });
  assert.deepEqual(treeKey(rows, 'layer:5', 'Home'), { focus: 'block:stem' });
  assert.deepEqual(treeKey(rows, 'block:stem', 'ArrowRight'), { expand: 'block:stem', focus: 'block:stem' });
  assert.deepEqual(treeKey(rows, 'block:block_1', 'ArrowRight'), { focus: 'layer:3' });
  assert.deepEqual(treeKey(rows, 'block:block_1', 'ArrowLeft'), { collapse: 'block:block_1', focus: 'block:block_1' });
  assert.deepEqual(treeKey(rows, 'layer:4', 'ArrowLeft'), { focus: 'block:block_1' });
  assert.equal(treeKey(rows, 'layer:4', 'x'), undefined);
  assert.equal(treeKey([], undefined, 'ArrowDown'), undefined);
});

test('bulk actions produce the spec people would write', () => {
  const none = names();
  const top = names('Conv_1', 'out_relu');
  assert.deepEqual(specFor({ kind: 'freezeAll' }, layers, top), { none: true });
  assert.deepEqual(specFor({ kind: 'unfreezeAll' }, layers, none), { all: true });
  assert.deepEqual(specFor({ kind: 'topLayers', count: 3 }, layers, none), { topLayers: 3 });
  assert.deepEqual(specFor({ kind: 'topLayers', count: 99 }, layers, none), { topLayers: layers.length });
  assert.deepEqual(specFor({ kind: 'topBlocks', count: 0 }, layers, none), { topBlocks: 1 });
  assert.deepEqual(specFor({ kind: 'unfreezeFrom', layer: 'block_1_project' }, layers, none), { fromLayer: 'block_1_project' });
  // freeze below keeps what is chosen above the layer
  assert.deepEqual(specFor({ kind: 'freezeBelow', layer: 'Conv_1' }, layers, names('Conv1', 'Conv_1', 'out_relu')), { topBlocks: 1 });
  assert.deepEqual(specFor({ kind: 'freezeBelow', layer: 'out_relu' }, layers, names('Conv1', 'Conv_1', 'out_relu')), { fromLayer: 'out_relu' });
  // single toggles simplify when they can, else list names
  assert.deepEqual(specFor({ kind: 'toggleLayer', layer: 'block_1_project' }, layers, top), { fromLayer: 'block_1_project' });
  assert.deepEqual(specFor({ kind: 'toggleLayer', layer: 'Conv1' }, layers, top), { names: ['Conv1', 'Conv_1', 'out_relu'] });
  assert.deepEqual(specFor({ kind: 'toggleLayer', layer: 'Conv_1' }, layers, top), { fromLayer: 'out_relu' });
  // a block toggle switches the whole block: on unless all of it is already on
  assert.deepEqual(specFor({ kind: 'toggleBlock', block: 'block_1' }, layers, top), { topBlocks: 2 });
  assert.deepEqual(specFor({ kind: 'toggleBlock', block: 'top' }, layers, top), { none: true });
  assert.deepEqual(specFor({ kind: 'toggleBlock', block: 'block_1' }, layers, names('block_1_expand')), { names: ['block_1_expand', 'block_1_expand_BN', 'block_1_project'] });
});

test('every bulk action resolves to a valid spec for the model', () => {
  for (const action of [{ kind: 'topBlocks', count: 3 }, { kind: 'freezeBelow', layer: 'input_1' }, { kind: 'toggleBlock', block: 'stem' }] as const) {
    assert.ok('names' in resolveTrainable(layers, specFor(action, layers, names('Conv_1'))));
  }
});

test('summary: Keras parameter counts (BatchNorm trains half), BN layers in inference mode, blocks', () => {
  const s = paramSummary(layers, names('bn_Conv1', 'Conv_1', 'block_1_expand_BN'));
  assert.equal(s.total, 0 + 100 + 64 + 100 + 32 + 100 + 100 + 0);
  assert.equal(s.trainable, 32 + 100 + 16);
  assert.equal(s.frozen, s.total - s.trainable);
  assert.equal(s.batchNorm, 2);
  assert.deepEqual(s.blocks, ['stem', 'block_1', 'top']);
});

test('next-run plan: one line per phase, problems named', () => {
  const phase = (name: string, trainable: object) => ({ name, epochs: 1, batchSize: 32, learningRate: 1e-4, trainable }) as never;
  const plans = phasePlans([phase('feature-extraction', { none: true }), phase('fine-tune', { topBlocks: 1 }), phase('broken', { fromLayer: 'nope' })], layers);
  assert.equal(plans[0].detail, 'trains the new head only (base frozen)');
  assert.match(plans[1].detail, /2 base layers \(100 parameters\) in top/);
  assert.equal(plans[2].problem, 'no layer named "nope"');
  assert.match(plans[1].title, /^fine-tune: 1 epoch, learning rate 1e−4$/, "the list numbers it: no \"1. 1. feature-extraction\"");
});
