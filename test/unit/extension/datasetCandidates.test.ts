import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetCandidates } from '../../../src/extension/wizard/datasetCandidates';

test('class folders and train/val/test layouts become one candidate each, biggest first', () => {
  const paths = [
    '/ws/flowers/train/rose/1.jpg', '/ws/flowers/train/tulip/1.jpg', '/ws/flowers/test/rose/2.jpg', '/ws/flowers/validation/tulip/3.jpg',
    '/ws/pets/cat/1.png', '/ws/pets/dog/1.png',
    '/ws/logos/only/1.png', // one class: not a dataset
  ];
  assert.deepEqual(datasetCandidates(paths), [
    { root: '/ws/flowers', kind: 'image', classes: 2, files: 4 },
    { root: '/ws/pets', kind: 'image', classes: 2, files: 2 },
  ]);
});

test('images at the top of the file system or with no class folder are ignored', () => {
  assert.deepEqual(datasetCandidates(['/a.png', '/x/b.png']), []);
});
