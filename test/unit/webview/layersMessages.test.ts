// The extension's side of the layers view: what it sends, and which edits it refuses (nothing changes then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editProblem, layersShow } from '../../../src/extension/webviews/layers/layersMessages';
import type { Experiment } from '../../../src/protocol/experiment';
import type { InspectModelResult } from '../../../src/protocol/host';
import { parse, toLayersWebview } from '../../../src/protocol/webview';

const experiment = {
  name: 'a', data: { root: 'd' }, phases: [
    { epochs: 4, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } },
    { epochs: 1, batchSize: 32, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 1 } },
  ],
} as unknown as Experiment;
const model: InspectModelResult = {
  id: 'tiny', displayName: 'Tiny', source: 's', origin: 'o', inputSize: 96, preprocessing: 'p', featureLayer: 'c2', weights: 'random', params: 300, trainableParams: 0,
  layers: [
    { index: 0, name: 'c1', className: 'Conv2D', outputShape: [null, 7, 7, 8], params: 100, trainable: false, block: 'stem' },
    { index: 1, name: 'bn1', className: 'BatchNormalization', outputShape: [null, 7, 7, 8], params: 32, trainable: false, block: 'stem', inferenceOnly: true, trainableParams: 16 } as never,
    { index: 2, name: 'c2', className: 'Conv2D', outputShape: [[null, 7, 7, 8], [null, 7, 7, 8]], params: 168, trainable: false, block: 'top' },
  ],
};
const shown = layersShow('file:///w/a.experiment.json', 'a.experiment.json', experiment, model);
const edit = (phaseIndex: number, spec: object) => ({ type: 'layers/setTrainable' as const, phaseIndex, spec: spec as never });

test('the show message validates, names phases and carries Keras trainable counts and readable shapes', () => {
  assert.ok(parse(toLayersWebview, shown, (r) => assert.fail(r)));
  assert.deepEqual(shown.experiment.phases.map((p) => p.name), ['feature-extraction', 'fine-tune']);
  assert.deepEqual(shown.model.layers.map((l) => [l.outputShape, l.trainableParams, l.inferenceOnly]), [['7×7×8', 100, false], ['7×7×8', 16, true], ['7×7×8, 7×7×8', 168, false]]);
});

test('edits naming real layers and phases are accepted', () => {
  for (const spec of [{ none: true }, { all: true }, { names: ['c1', 'c2'] }, { fromLayer: 'bn1' }, { topBlocks: 2 }, { topLayers: 3 }, { range: [0, 2] }]) {
    assert.equal(editProblem(shown, edit(1, spec)), undefined, JSON.stringify(spec));
  }
});

test('unknown layer ids, phases or counts are refused, and so is any edit before a model is shown', () => {
  assert.equal(editProblem(shown, edit(1, { names: ['c1', 'evil'] })), 'no layer named "evil" (did you mean "c1", "bn1", "c2"?)');
  assert.equal(editProblem(shown, edit(1, { fromLayer: '__proto__' })), 'no layer named "__proto__" (did you mean "c1", "bn1", "c2"?)');
  assert.match(editProblem(shown, edit(1, { topBlocks: 3 })) ?? '', /from 1 to 2/);
  assert.match(editProblem(shown, edit(1, { topLayers: 4 })) ?? '', /from 1 to 3/);
  assert.match(editProblem(shown, edit(1, { range: [1, 9] })) ?? '', /not a valid layer range/);
  assert.equal(editProblem(shown, edit(2, { none: true })), 'the experiment has no phase 3');
  assert.equal(editProblem(undefined, edit(0, { none: true })), 'no model is shown');
});
