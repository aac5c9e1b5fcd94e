import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperimentError } from '../../../src/engine/experiment/validate';
import { inspectParams, parseExperimentText, phasePlan } from '../../../src/extension/experiments/experimentText';

const file = '/ws/pets.experiment.json';

test('an experiment as the editor holds it: schema defaults applied, phases named for the progress lines', async () => {
  const experiment = await parseExperimentText(JSON.stringify({ name: 'pets', data: { root: 'data' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 3 }, { epochs: 2, trainable: { topBlocks: 1 } }] }), file);
  assert.equal(experiment.phases[0].batchSize, 32);
  assert.deepEqual(phasePlan(experiment), [{ name: 'feature-extraction', epochs: 3 }, { name: 'fine-tune', epochs: 2 }]);
  assert.deepEqual(await inspectParams(experiment, file, '/cache'), { model: 'nsfwjs_mobilenet_v2', inputSize: undefined, featureLayer: undefined, cacheDir: '/cache' });
  assert.equal((await inspectParams({ ...experiment, base: { model: 'models/model.json' } }, file)).model, '/ws/models/model.json');
});

test('a text experiment parses too, and its base is inspected as BERT with the token length and pooling it trains with', async () => {
  const text = { name: 'reviews', data: { kind: 'text', root: 'reviews.csv', maxLength: 64 }, base: { model: 'google/bert_uncased_L-2_H-128_A-2', revision: 'v1' }, head: { pooling: 'pooled' }, phases: [{ epochs: 3 }, { epochs: 1, trainable: { topBlocks: 1 } }] };
  const experiment = await parseExperimentText(JSON.stringify(text), file);
  assert.deepEqual(phasePlan(experiment), [{ name: 'feature-extraction', epochs: 3 }, { name: 'fine-tune', epochs: 1 }]);
  assert.deepEqual(await inspectParams(experiment, file, '/cache'), {
    kind: 'text', model: 'google/bert_uncased_L-2_H-128_A-2', revision: 'v1', inputSize: 64, pooling: 'pooled', cacheDir: '/cache',
  });
  const local = await parseExperimentText(JSON.stringify({ ...text, base: { model: './bert-tiny' } }), file);
  assert.equal((await inspectParams(local, file)).model, '/ws/bert-tiny', 'a local checkpoint folder resolves against the file');
});

test('broken JSON and schema errors name the file', async () => {
  await assert.rejects(parseExperimentText('{ "name": ', file), (e: unknown) => e instanceof ExperimentError && /pets\.experiment\.json: not valid JSON/.test(e.message));
  await assert.rejects(parseExperimentText('{"name": "x", "data": {"root": "d"}, "base": {"model": "m"}, "phases": [{"epochs": "ten"}]}', file), /phases\[0\]\.epochs: must be integer/);
});
