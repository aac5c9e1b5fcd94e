// The default recipe is written once (src/shared/recipe.ts); the experiment schema's defaults, which the engine
// fills in, must say the same, and every writer's phases follow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import { DEFAULT_RECIPE, recipePhases } from '../../../src/shared/recipe';

test('the schema defaults the engine fills in are the default recipe', () => {
  const experiment = validateExperiment({ name: 'x', data: { root: 'data' }, base: { model: 'mobilenet_v2' }, phases: [{ epochs: 1 }], callbacks: { earlyStopping: {} } }, 'x.experiment.json');
  assert.equal(experiment.seed, DEFAULT_RECIPE.seed);
  assert.equal(experiment.phases[0].learningRate, DEFAULT_RECIPE.headLearningRate);
  assert.equal(experiment.phases[0].batchSize, DEFAULT_RECIPE.batchSize);
  assert.deepEqual(experiment.callbacks.earlyStopping, { ...DEFAULT_RECIPE.earlyStopping, minDelta: 0 });
  assert.equal(experiment.data.split.val, DEFAULT_RECIPE.valSplit);
});

test('the recipe: head on the frozen base at 1e-3, then the top 2 blocks at 1e-4 for half the epochs, at most 5', () => {
  assert.deepEqual(recipePhases({ head: true, fineTune: true, epochs: 5 }), [
    { name: 'feature-extraction', epochs: 5, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } },
    { name: 'fine-tune', epochs: 3, batchSize: 32, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 2 } },
  ]);
  assert.deepEqual(recipePhases({ head: false, fineTune: true, epochs: 1, fineTuneEpochs: 4, unfreeze: { all: true } }).map((p) => [p.epochs, p.trainable]), [[4, { all: true }]]);
  assert.equal(DEFAULT_RECIPE.earlyStopping.patience, 3);
  const byDefault = recipePhases({ head: true, fineTune: true, epochs: DEFAULT_RECIPE.headEpochs });
  assert.deepEqual(byDefault.map((p) => p.epochs), [20, 5], 'cheap head epochs on cached features; fine-tuning capped');
});
