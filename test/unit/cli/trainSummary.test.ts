import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainJson, trainSummary } from '../../../src/cli/render';
import type { EvaluationReport, TrainResult } from '../../../src/protocol/host';

const report = (split: string, accuracy: number, recall: number, f1: number): EvaluationReport => ({
  split, classes: ['a', 'b'], count: 10, accuracy, confusionMatrix: [[8, 0], [1, 1]], skipped: [], samples: [],
  perClass: [{ name: 'a', precision: 0.9, recall: 1, f1: 0.94, support: 8 }, { name: 'b', precision: 1, recall: 0.5, f1: 0.67, support: 2 }],
  macro: { precision: 0.95, recall, f1 },
});

const result: TrainResult = {
  runDir: '/runs/r', state: 'completed', engine: { name: 'wasm', detail: 'wasm' } as TrainResult['engine'], epochs: 3, seconds: 1, valAccuracy: 0.9,
  phases: [{ name: 'feature-extraction', epochs: 3, valAccuracy: 0.9, valLoss: 0.3, trainableParams: 10, stoppedEarly: false }], skippedFiles: 0,
  classWeights: { mode: 'balanced', weights: { a: 0.625, b: 2.5 }, reason: 'balanced: a 0.625, b 2.5; by default, as imbalanced classes: …' },
};

test('the train summary puts macro recall and F1 beside accuracy and says which class weights trained', () => {
  const evaluation = { val: report('val', 0.9, 0.75, 0.805), test: report('test', 0.8, 0.6, 0.65) };
  const text = trainSummary(result, evaluation).join('\n');
  assert.match(text, /val: accuracy 90\.0%, macro recall 75\.0%, macro F1 80\.5%/);
  assert.match(text, /test: accuracy 80\.0%, macro recall 60\.0%, macro F1 65\.0%/);
  assert.match(text, /class weights: balanced: a 0\.625, b 2\.5/);
  const json = trainJson(result, evaluation);
  assert.equal(json.val_macro_recall, 0.75);
  assert.equal(json.val_macro_f1, 0.805);
  assert.equal(json.test_macro_recall, 0.6);
  assert.equal(json.test_macro_f1, 0.65);
  assert.deepEqual(json.class_weights, result.classWeights);
  assert.deepEqual(json.phases, [{ name: 'feature-extraction', epochs: 3, val_accuracy: 0.9, val_loss: 0.3, trainable_params: 10, stopped_early: false }], "Keras' names, snake_case like every other key");
});
