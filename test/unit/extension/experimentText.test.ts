import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperimentError } from '../../../src/engine/experiment/validate';
import { baseModelRef, parseExperimentText, phasePlan } from '../../../src/extension/experiments/experimentText';

const file = '/ws/pets.experiment.json';

test('an experiment as the editor holds it: schema defaults applied, phases named for the progress lines', async () => {
  const experiment = await parseExperimentText(JSON.stringify({ name: 'pets', data: { root: 'data' }, base: { model: 'mobilenet_v2' }, phases: [{ epochs: 3 }, { epochs: 2, trainable: { topBlocks: 1 } }] }), file);
  assert.equal(experiment.phases[0].batchSize, 32);
  assert.deepEqual(phasePlan(experiment), [{ name: 'feature-extraction', epochs: 3 }, { name: 'fine-tune', epochs: 2 }]);
  assert.equal(await baseModelRef(experiment, file), 'mobilenet_v2');
  assert.equal(await baseModelRef({ ...experiment, base: { model: 'models/model.json' } }, file), '/ws/models/model.json');
});

test('broken JSON and schema errors name the file', async () => {
  await assert.rejects(parseExperimentText('{ "name": ', file), (e: unknown) => e instanceof ExperimentError && /pets\.experiment\.json: not valid JSON/.test(e.message));
  await assert.rejects(parseExperimentText('{"name": "x", "data": {"root": "d"}, "base": {"model": "m"}, "phases": [{"epochs": "ten"}]}', file), /phases\[0\]\.epochs: must be integer/);
});
