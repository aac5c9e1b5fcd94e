// The Layers view on a BERT base: the host's inspect rows of a real (tiny, random) checkpoint become embeddings,
// encoder.layer.i and pooler blocks with the image view's toggles, and every edit the view writes is a trainable
// spec the text engine resolves to the same layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTrainable as engineTrainable } from '../../../src/engine/models/freeze';
import { loadBertBase } from '../../../src/engine/text/bertBase';
import { describeBertLayers, firstTrainableLayer, weightNamesOf } from '../../../src/engine/text/bertLayers';
import { validateTextExperiment } from '../../../src/engine/text/textExperiment';
import { inspectTextBase } from '../../../src/engine/text/textInspect';
import { withTrainable } from '../../../src/extension/edits/trainableEdit';
import { layersShow } from '../../../src/extension/webviews/layers/layersMessages';
import type { TrainableSpec } from '../../../src/protocol/experiment';
import { parse, toLayersWebview } from '../../../src/protocol/webview';
import { specFor, type BulkAction } from '../../../webview/layers/bulkActions';
import { treeRows } from '../../../webview/layers/layerTree';
import { modelCaption, paramSummary } from '../../../webview/layers/summary';
import { checkTrainable, type NamedLayer } from '../../../src/shared/freeze';
import { tempDir, writeTinyCheckpoint } from '../text/fixtures';

const experimentJson = (pooling: string) => ({
  name: 'reviews', data: { kind: 'text', root: 'reviews.csv', maxLength: 16 }, base: { model: './bert' }, head: { pooling },
  phases: [{ epochs: 2, trainable: { none: true } }, { epochs: 1, learningRate: 1e-4, trainable: { topBlocks: 1 } }],
});

async function shownBert(pooling: 'mean' | 'pooled') {
  const folder = await writeTinyCheckpoint({ config: { num_hidden_layers: 3 } });
  const experiment = validateTextExperiment(experimentJson(pooling), '/w/reviews.experiment.json');
  const model = await inspectTextBase(folder, { cacheDir: tempDir('cache'), maxLength: 16, pooling });
  const shown = layersShow('file:///w/reviews.experiment.json', 'reviews.experiment.json', experiment, model);
  const base = await loadBertBase(folder, { cacheDir: tempDir('cache') });
  return { shown, base, engineLayers: describeBertLayers(base.model, { maxLength: 16, pooling }) };
}

const blockIds = (rows: ReturnType<typeof treeRows>) => rows.filter((r) => r.kind === 'block').map((r) => r.id);
const names = (layers: readonly NamedLayer[], spec: TrainableSpec) => {
  const resolved = checkTrainable(layers, spec);
  assert.ok(!('error' in resolved), JSON.stringify(resolved));
  return resolved.names;
};

test('a BERT shows as embeddings, encoder.layer.i blocks in order, and the pooler only when the head uses it', async () => {
  const { shown, base } = await shownBert('pooled');
  assert.ok(parse(toLayersWebview, shown, (r) => assert.fail(r)));
  assert.equal(shown.model.kind, 'text');
  assert.match(modelCaption(shown.model), /layers · 16 tokens per text · features from pooled pooling$/);
  assert.deepEqual(blockIds(treeRows(shown.model.layers, new Set(), new Set(), '')), ['block:embeddings', 'block:encoder.layer.0', 'block:encoder.layer.1', 'block:encoder.layer.2', 'block:pooler']);
  const open = treeRows(shown.model.layers, new Set(), new Set(['block:encoder.layer.0']), '');
  assert.deepEqual(open.filter((r) => r.kind === 'layer').map((r) => r.kind === 'layer' && r.layer.name), [
    'encoder.layer.0.attention.self.query', 'encoder.layer.0.attention.self.key', 'encoder.layer.0.attention.self.value',
    'encoder.layer.0.attention.output.dense', 'encoder.layer.0.attention.output.LayerNorm', 'encoder.layer.0.intermediate.dense',
    'encoder.layer.0.output.dense', 'encoder.layer.0.output.LayerNorm',
  ]);
  assert.equal(paramSummary(shown.model.layers, new Set()).total, base.info.params, 'every weight of the checkpoint is in some row');
  const mean = await shownBert('mean');
  assert.deepEqual(blockIds(treeRows(mean.shown.model.layers, new Set(), new Set(), '')).at(-1), 'block:encoder.layer.2', 'mean pooling never runs the pooler');
});

test('toggles, tri-state blocks and bulk actions write specs the text engine resolves to the same layers', async () => {
  const { shown, base, engineLayers } = await shownBert('mean');
  const layers = shown.model.layers;
  const phase = shown.experiment.phases[1];
  const topBlock = names(layers, phase.trainable);
  assert.ok([...topBlock].every((n) => n.startsWith('encoder.layer.2.')) && topBlock.size === 8, 'topBlocks 1 is the last encoder layer');

  const oneLayer = specFor({ kind: 'toggleLayer', layer: 'encoder.layer.1.output.dense' }, layers, topBlock);
  const rows = treeRows(layers, names(layers, oneLayer), new Set(), '');
  assert.deepEqual(rows.map((r) => r.checked), ['false', 'false', 'mixed', 'true'], 'a block with some layers on is mixed');

  const actions: BulkAction[] = [
    { kind: 'toggleBlock', block: 'encoder.layer.1' }, { kind: 'topBlocks', count: 2 }, { kind: 'topLayers', count: 3 },
    { kind: 'unfreezeFrom', layer: 'encoder.layer.1.intermediate.dense' }, { kind: 'freezeBelow', layer: 'encoder.layer.2.attention.self.query' },
    { kind: 'unfreezeAll' }, { kind: 'freezeAll' },
  ];
  const file = JSON.stringify(experimentJson('mean'), null, 2);
  for (const spec of [oneLayer, ...actions.map((a) => specFor(a, layers, names(layers, oneLayer)))]) {
    const written = validateTextExperiment(JSON.parse(withTrainable(file, 1, spec)), '/w/reviews.experiment.json');
    const engineNames = engineTrainable(engineLayers, written.phases[1].trainable);
    assert.deepEqual([...engineNames].sort(), [...names(layers, spec)].sort(), JSON.stringify(spec));
  }
  const fromLayer1 = engineTrainable(engineLayers, specFor({ kind: 'topBlocks', count: 2 }, layers, new Set()));
  assert.equal(firstTrainableLayer(base.config, weightNamesOf(base.model, fromLayer1)), 1, 'the engine caches what enters encoder.layer.1');
  const all = engineTrainable(engineLayers, { all: true });
  assert.equal(firstTrainableLayer(base.config, weightNamesOf(base.model, all)), -1, 'unfreezing everything trains the embeddings too');
});
