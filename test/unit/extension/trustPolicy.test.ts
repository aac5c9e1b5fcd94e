import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelNeedsTrust } from '../../../src/extension/trustPolicy';

test('only models shipped with the extension load in Restricted Mode; files and downloads need trust', () => {
  assert.equal(modelNeedsTrust('mobilenet_v2'), false);
  assert.equal(modelNeedsTrust('inception_v3'), false);
  assert.equal(modelNeedsTrust('mobilenet_v1_0.25_224'), true, 'a catalog entry that downloads');
  assert.equal(modelNeedsTrust('./models/model.json'), true);
  assert.equal(modelNeedsTrust('https://example.com/model.json'), true);
});
