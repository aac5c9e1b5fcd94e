import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceBar, predictionItems } from '../../../src/extension/commands/predictionItems';

test('one image: a line per class with a bar and the confidence', () => {
  const items = predictionItems([{ path: '/d/cat.png', top: [{ label: 'cat', confidence: 0.912 }, { label: 'dog', confidence: 0.08 }] }]);
  assert.deepEqual(items, [
    { label: 'cat', description: '█████████░ 91.2%' },
    { label: 'dog', description: '█░░░░░░░░░ 8.0%' },
  ]);
});

test('several images: a line each, unreadable ones say why', () => {
  const items = predictionItems([
    { path: '/d/a.png', top: [{ label: 'cat', confidence: 0.5 }, { label: 'dog', confidence: 0.5 }] },
    { path: '/d/b.jpg', error: 'not an image' },
  ]);
  assert.equal(items[0].description, 'cat 50.0% · dog 50.0%');
  assert.deepEqual(items[1], { label: '$(warning) b.jpg', description: 'skipped: not an image', detail: '/d/b.jpg' });
  assert.equal(confidenceBar(2), '██████████');
  assert.equal(confidenceBar(-1), '░░░░░░░░░░');
});
