import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunProgress } from '../../../src/extension/training/runProgress';

const batch = (phaseIndex: number, epoch: number, b: number, accuracy: number) => ({
  runDir: '/r', phase: phaseIndex === 0 ? 'feature-extraction' : 'fine-tune', phaseIndex, epoch, batch: b, batches: 4, loss: 1, accuracy, learningRate: 1e-3, imagesPerSecond: 10,
});

test('folds notifications into the status bar and notification lines', () => {
  const progress = new RunProgress('pets', [{ name: 'feature-extraction', epochs: 3 }, { name: 'fine-tune', epochs: 2 }]);
  assert.equal(progress.statusText, '$(sync~spin) pets: starting');
  assert.match(progress.detail, /^starting/);
  progress.runState({ runDir: '/r', state: 'running' });
  progress.stage({ stage: 'features', done: 10, total: 40, message: 'computing features' });
  assert.equal(progress.detail, 'computing features 10/40');
  progress.batchDone(batch(1, 2, 3, 0.75));
  assert.equal(progress.statusText, '$(sync~spin) fine-tune · epoch 2/2 · batch 3/4 · 75.0%');
  assert.equal(progress.detail, 'fine-tune · epoch 2/2 · batch 3/4 · acc 75.0%');
  const increment = progress.epochDone({ runDir: '/r', phase: 'fine-tune', phaseIndex: 1, epoch: 2, epochs: 2, loss: 1, accuracy: 0.8, valLoss: 1, valAccuracy: 0.9, learningRate: 1e-4, seconds: 1 });
  assert.equal(increment, 20, 'one epoch of five');
  assert.match(progress.detail, /val acc 90\.0%$/);
  progress.runState({ runDir: '/r', state: 'cancelled', message: 'stopped by the user' });
  assert.equal(progress.statusText, '$(debug-pause) pets: cancelled · val 90.0%');
  assert.equal(progress.detail, 'cancelled: stopped by the user');
  assert.equal(progress.runDir, '/r');
});
