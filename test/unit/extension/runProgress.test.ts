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
  assert.equal(progress.detail, "preparing feature-extraction: caching the frozen layers' output, 10 of 40 images");
  progress.batchDone(batch(1, 2, 3, 0.75));
  assert.equal(progress.statusText, '$(sync~spin) fine-tune · epoch 2/2 · batch 3/4 · 75.0%');
  assert.equal(progress.detail, 'fine-tune · epoch 2/2 · batch 3/4 · acc 75.0%');
  const increment = progress.epochDone({ runDir: '/r', phase: 'fine-tune', phaseIndex: 1, epoch: 2, epochs: 2, loss: 1, accuracy: 0.8, val_loss: 1, val_accuracy: 0.9, learningRate: 1e-4, seconds: 1 });
  assert.equal(increment, 20, 'one epoch of five');
  assert.match(progress.detail, /val acc 90\.0%$/);
  progress.runState({ runDir: '/r', state: 'cancelled', message: 'stopped by the user' });
  assert.equal(progress.statusText, '$(debug-pause) pets: cancelled · val 90.0%');
  assert.equal(progress.detail, 'cancelled: stopped by the user');
  assert.equal(progress.runDir, '/r');
});

test('between phases the toast and the status bar both say which phase is being prepared, in words, never "for 0 images"', () => {
  const progress = new RunProgress('pets', [{ name: 'feature-extraction', epochs: 3 }, { name: 'fine-tune', epochs: 3 }]);
  progress.runState({ runDir: '/r', state: 'running' });
  progress.batchDone(batch(0, 3, 4, 0.5));
  progress.epochDone({ runDir: '/r', phase: 'feature-extraction', phaseIndex: 0, epoch: 3, epochs: 3, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, learningRate: 1e-3, seconds: 1 });
  progress.stage({ stage: 'features', done: 0, total: 0, message: 'computing block_15_add for 0 images' });
  assert.equal(progress.detail, "preparing fine-tune: reading the cached frozen layers' output · val acc 50.0%");
  progress.stage({ stage: 'features', done: 120, total: 480, message: 'computing block_15_add for 480 images' });
  assert.equal(progress.detail, "preparing fine-tune: caching the frozen layers' output, 120 of 480 images · val acc 50.0%");
  assert.equal(progress.statusText, "$(sync~spin) pets: preparing fine-tune: caching the frozen layers' output, 120 of 480 images", 'the status bar says the same, not "epoch 3/3"');
  progress.batchDone(batch(1, 1, 1, 0.6));
  assert.equal(progress.statusText, '$(sync~spin) fine-tune · epoch 1/3 · batch 1/4 · 60.0%');
  const texts = new RunProgress('reviews', [{ name: 'fine-tune', epochs: 2 }], 'texts');
  texts.runState({ runDir: '/r', state: 'running' });
  texts.stage({ stage: 'features', done: 5, total: 50, message: 'computing x for 50 texts' });
  assert.equal(texts.detail, "preparing fine-tune: caching the frozen layers' output, 5 of 50 texts");
});
