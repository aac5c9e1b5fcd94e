// The search's pure parts: stratified folds of the training split, successive halving, seeded settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedFolds } from '../../../src/engine/search/folds';
import { successiveHalving } from '../../../src/engine/search/halving';
import { sampleTrials } from '../../../src/engine/search/space';
import { searchCandidates } from '../../../src/engine/search/bases';
import { createRng } from '../../../src/engine/random';
import { rowExperiment, rowFile } from '../../../src/engine/search/winner';
import type { Experiment } from '../../../src/protocol/experiment';

test('stratified folds: every row in one fold, each class spread evenly, seeded', () => {
  const labels = [...Array(10).fill(0), ...Array(7).fill(1), ...Array(4).fill(2)];
  const folds = stratifiedFolds(labels, 3, 42);
  assert.deepEqual(folds, stratifiedFolds(labels, 3, 42));
  for (const label of [0, 1, 2]) {
    const perFold = [0, 1, 2].map((f) => labels.filter((l, row) => l === label && folds[row] === f).length);
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${label}: ${perFold}`);
  }
  const sizes = [0, 1, 2].map((f) => folds.filter((x) => x === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes}`);
  assert.ok(folds.every((f) => f >= 0 && f < 3), 'each row is validated by exactly one fold');
  const holdout = stratifiedFolds(labels, 1, 42);
  assert.equal(holdout.filter((f) => f === 0).length, 5, 'one fold of five held out');
  assert.equal(holdout.filter((f) => f === -1).length, 16, 'the rest only trains');
});

test('successive halving: the best third goes on with 3× the epochs; the winner is the best trial of the last rung', async () => {
  const quality = [0.5, 0.9, 0.6, 0.8, 0.7, 0.95, 0.3, 0.4, 0.85];
  const trained: [number, number][] = [];
  const ranked = await successiveHalving({
    trials: quality.map((_, i) => i), minEpochs: 3, eta: 3, maxRungs: 3, inBudget: () => true,
    train: async ([trial], epochs) => (trained.push([trial, epochs]), [{ score: quality[trial] * (1 - 1 / (epochs + 1)), tieBreak: 0 }]),
  });
  assert.deepEqual(trained.filter(([, e]) => e === 9).map(([t]) => t).sort(), [1, 5, 8], 'the top third of rung 1');
  assert.deepEqual(trained.filter(([, e]) => e === 27).map(([t]) => t), [5]);
  assert.deepEqual(ranked.map((r) => r.trial).slice(0, 4), [5, 1, 8, 3]);
  assert.equal(ranked.length, 9, 'every trained trial is on the leaderboard');
});

test('successive halving keeps the experiment\'s own recipe to the last rung: a slow starter is scored at full length, and wins there if it is best', async () => {
  // trial 0 learns slowly: worst after 3 epochs, best after 27
  const score = (trial: number, epochs: number) => (trial === 0 ? epochs / 28 : [0, 0.5, 0.6, 0.7, 0.4, 0.3][trial] * (1 - 1 / (epochs + 1)));
  const trained: [number, number][] = [];
  const ranked = await successiveHalving({
    trials: [0, 1, 2, 3, 4, 5], minEpochs: 3, eta: 3, maxRungs: 3, inBudget: () => true, keep: (trial) => trial === 0,
    train: async ([trial], epochs) => (trained.push([trial, epochs]), [{ score: score(trial, epochs), tieBreak: 0 }]),
  });
  assert.deepEqual(trained.filter(([, e]) => e === 9).map(([t]) => t).sort(), [0, 2, 3], 'the top third, and the kept trial');
  assert.deepEqual(trained.filter(([, e]) => e === 27).map(([t]) => t).sort(), [0, 3]);
  assert.equal(ranked[0].trial, 0, 'scored at 27 epochs, the slow starter wins');
});

test('successive halving under a spent budget: what was trained is ranked, nothing is promoted', async () => {
  let calls = 0;
  const ranked = await successiveHalving({
    trials: [0, 1, 2, 3, 4, 5], minEpochs: 3, eta: 3, maxRungs: 3, inBudget: () => calls < 2,
    train: async ([trial]) => (calls++, [{ score: trial, tieBreak: 0 }]),
  });
  assert.deepEqual(ranked.map((r) => r.trial), [1, 0]);
});

test('successive halving with a batch key: a rung trains each key\'s trials together, the budget is checked between batches', async () => {
  const batches: number[][] = [];
  const ranked = await successiveHalving({
    trials: [0, 1, 2, 3, 4, 5, 6, 7, 8], minEpochs: 3, eta: 3, maxRungs: 3, inBudget: () => batches.length < 4, batchKey: (trial) => String(trial % 2),
    train: async (batch) => (batches.push(batch), batch.map((trial) => ({ score: trial, tieBreak: 0 }))),
  });
  assert.deepEqual(batches, [[0, 2, 4, 6, 8], [1, 3, 5, 7], [8, 6], [7]], 'the best third (8, 7, 6) goes on, by key; then the budget is spent');
  assert.deepEqual(ranked.slice(0, 3).map((r) => r.trial), [8, 7, 6]);
});

test('trials spread over the bases, learning rates on a log scale within 1e-4…3e-2', () => {
  const trials = sampleTrials(30, 3, createRng(1));
  assert.deepEqual([0, 1, 2].map((b) => trials.filter((t) => t.base === b).length), [10, 10, 10]);
  assert.ok(trials.every((t) => t.learningRate >= 1e-4 && t.learningRate <= 3e-2));
  assert.ok(trials.some((t) => t.learningRate < 1e-3) && trials.some((t) => t.learningRate > 3e-3), 'both ends of the scale are tried');
  const start = { learningRate: 1e-3, dropout: 0.2, hiddenUnits: 0, classWeights: 'none' as const };
  const withStart = sampleTrials(30, 3, createRng(1), start);
  assert.deepEqual(withStart.slice(0, 3), [0, 1, 2].map((base) => ({ base, ...start })), 'each base first tries the experiment\'s own head');
  assert.deepEqual(withStart.slice(3), trials.slice(3), 'the drawn ones are the same');
});

test('candidate bases: the experiment\'s own keeps its name, a model file in its folder is written relative, one outside absolute', async () => {
  const loaded = { file: '/p/e.experiment.json', experiment: { base: { model: 'mobilenet_v2' } }, folders: {}, baseModelRef: 'mobilenet_v2' } as unknown as Parameters<typeof searchCandidates>[0];
  const candidates = await searchCandidates(loaded, ['mobilenet_v2', '/p/models/d/model.json', '/elsewhere/m.h5', 'mobilenet_v2'], '/nowhere', '/p');
  assert.deepEqual(candidates.map((c) => [c.written, c.own]), [['mobilenet_v2', true], ['./models/d/model.json', false], ['/elsewhere/m.h5', false]]);
});

test('a row\'s experiment: its base, head and searched first phase, then the original\'s fine-tune phases; named by rank', () => {
  const original = {
    name: 'pets', seed: 1, data: { root: 'photos' }, base: { model: 'mobilenet_v2', featureLayer: 'out_relu' }, head: { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 },
    phases: [
      { name: 'feature-extraction', epochs: 20, batchSize: 16, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } },
      { name: 'fine-tune', epochs: 5, batchSize: 16, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 2 } },
    ],
  } as unknown as Experiment;
  const settings = { learningRate: 3e-3, dropout: 0.4, hiddenUnits: 128, classWeights: 'balanced' as const, epochs: 7 };
  const row = rowExperiment(original, { base: './d/model.json', own: false, preprocessing: 'scale-0-1', settings }, 4);
  assert.equal(row.name, 'pets-trial-4');
  assert.deepEqual(row.base, { model: './d/model.json', preprocessing: 'scale-0-1' });
  assert.deepEqual([row.head.hiddenUnits, row.head.dropout, row.classWeights], [128, 0.4, 'balanced']);
  assert.deepEqual(row.phases.map((p) => [p.name, p.epochs, p.learningRate]), [['feature-extraction', 7, 3e-3], ['fine-tune', 5, 1e-4]]);
  assert.deepEqual(rowExperiment(original, { base: 'mobilenet_v2', own: true, preprocessing: 'scale-0-1', settings }).base, original.base, 'the own base keeps its entry');
  assert.equal(rowFile('/p/pets.experiment.json', 4), '/p/pets.trial-4.experiment.json');
  assert.equal(rowFile('/p/pets.experiment.json'), '/p/pets.best.experiment.json');
});
